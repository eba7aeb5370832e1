"""The services of one open database, built once by the composition root (ui/main.py or a test).

Every read and write of the data goes through one of these: the window and the commands never
hold the database itself. Each area's service module is imported and its service created on
first use, so start-up only pays for what the first page shows.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.db.engine import Database
    from app.services.attendance_import import AttendanceImportService
    from app.services.audit import AuditService
    from app.services.backups import BackupService
    from app.services.community import CommunityService
    from app.services.economics import EconomicsService
    from app.services.exchange import ExchangeService
    from app.services.figures import FiguresService
    from app.services.mediation import MediationService
    from app.services.needs import NeedsService
    from app.services.networks import NetworkService
    from app.services.office import OfficeService
    from app.services.office_backups import OfficeBackupService
    from app.services.people import PeopleService
    from app.services.people_import import PeopleImportService
    from app.services.profile import ProfileService
    from app.services.programmes import ProgrammesService
    from app.services.purge import PurgeService
    from app.services.referrals import ReferralService
    from app.services.reports import ReportService
    from app.services.scans import ScanService
    from app.services.sessions import SessionsService
    from app.services.sheets import SheetService
    from app.services.sync import SyncService
    from app.services.texts import TextService
    from app.services.volunteers import VolunteerService


class Services:
    def __init__(self, db: Database) -> None:
        self.db = db

    def close(self) -> None:
        """Close the database (its services are not used after)."""
        self.db.close()

    @property
    def data_folder(self) -> Path:
        """The folder the database file is in."""
        return self.db.path.parent

    @property
    def shared(self) -> bool:
        """True when other computers write to the same data (an office database): what this
        window did not change may still have changed."""
        return not self.db.is_file

    @property
    def data_location(self) -> str:
        """Where the data is, for people: the data folder, or the office database's address."""
        return str(self.data_folder) if self.db.is_file else self.db.location

    @cached_property
    def profile(self) -> ProfileService:
        from app.services.profile import ProfileService

        return ProfileService(self.db)

    @cached_property
    def texts(self) -> TextService:
        """The other-language versions of the texts documents print."""
        from app.services.texts import TextService

        return TextService(self.db)

    @cached_property
    def figures(self) -> FiguresService:
        from app.services.figures import FiguresService

        return FiguresService(self.db)

    @cached_property
    def programmes(self) -> ProgrammesService:
        from app.services.programmes import ProgrammesService

        return ProgrammesService(self.db)

    @cached_property
    def sessions(self) -> SessionsService:
        from app.services.sessions import SessionsService

        return SessionsService(self.db)

    @cached_property
    def people(self) -> PeopleService:
        from app.services.people import PeopleService

        return PeopleService(self.db)

    @cached_property
    def networks(self) -> NetworkService:
        from app.services.networks import NetworkService

        return NetworkService(self.db)

    @cached_property
    def referrals(self) -> ReferralService:
        from app.services.referrals import ReferralService

        return ReferralService(self.db)

    @cached_property
    def reports(self) -> ReportService:
        from app.services.reports import ReportService

        return ReportService(self.db)

    @cached_property
    def scans(self) -> ScanService:
        from app.services.scans import ScanService

        return ScanService(self.db, self.sessions)

    @cached_property
    def sheets(self) -> SheetService:
        from app.services.sheets import SheetService

        return SheetService(self.db)

    @cached_property
    def office_backups(self) -> OfficeBackupService:
        from app.services.office_backups import OfficeBackupService

        return OfficeBackupService(self.db)

    @cached_property
    def office(self) -> OfficeService:
        from app.services.office import OfficeService

        return OfficeService(self.db)

    @cached_property
    def audit(self) -> AuditService:
        from app.services.audit import AuditService

        return AuditService(self.db)

    @cached_property
    def purge(self) -> PurgeService:
        from app.services.purge import PurgeService

        return PurgeService(self.db)

    @cached_property
    def backups(self) -> BackupService:
        from app import paths
        from app.services.backups import BackupService

        return BackupService(self.db.path, paths.backups_dir())

    @cached_property
    def exchange(self) -> ExchangeService:
        from app.services.exchange import ExchangeService

        return ExchangeService(self.db)

    @cached_property
    def people_import(self) -> PeopleImportService:
        from app.services.people_import import PeopleImportService

        return PeopleImportService(self.db)

    @cached_property
    def attendance_import(self) -> AttendanceImportService:
        from app.services.attendance_import import AttendanceImportService

        return AttendanceImportService(self.db)

    @cached_property
    def economics(self) -> EconomicsService:
        from app.services.economics import EconomicsService

        return EconomicsService(self.db)

    @cached_property
    def volunteers(self) -> VolunteerService:
        from app.services.volunteers import VolunteerService

        return VolunteerService(self.db)

    @cached_property
    def community(self) -> CommunityService:
        from app.services.community import CommunityService

        return CommunityService(self.db)

    @cached_property
    def mediation(self) -> MediationService:
        from app.services.mediation import MediationService

        return MediationService(self.db)

    @cached_property
    def needs(self) -> NeedsService:
        from app.services.needs import NeedsService

        return NeedsService(self.db)

    @cached_property
    def sync(self) -> SyncService:
        from app.services.sync import SyncService

        return SyncService(self.db)
