"""All tables, one module per area. Importing this package registers every table on Base."""

from app.db.models.core import (
    AuditEvent,
    EntityProfile,
    Funder,
    LocalDay,
    Organisation,
    Place,
    Setting,
    Staff,
    TextVariant,
)
from app.db.models.economics import (
    Budget,
    BudgetLine,
    Expense,
    ExpenseAttachment,
    ExpenseShare,
)
from app.db.models.networks import (
    Agreement,
    MeetingAttendee,
    NetworkMeeting,
    NetworkSpace,
    meeting_programme,
)
from app.db.models.people import Consent, Enrolment, Participant, Referral
from app.db.models.programmes import (
    Activity,
    AgeBandSet,
    Indicator,
    Programme,
    ProgrammeCategory,
    ReportNarrative,
    activity_facilitator,
    programme_funder,
)
from app.db.models.sessions import (
    Attendance,
    Evidence,
    HeadCount,
    Session,
    session_facilitator,
)
from app.db.models.sync import ChangeEntry, SyncConflict, SyncDevice

__all__ = [
    "Activity",
    "AgeBandSet",
    "Agreement",
    "Attendance",
    "ChangeEntry",
    "AuditEvent",
    "Budget",
    "BudgetLine",
    "Consent",
    "Enrolment",
    "Evidence",
    "Expense",
    "ExpenseAttachment",
    "ExpenseShare",
    "EntityProfile",
    "Funder",
    "HeadCount",
    "LocalDay",
    "Indicator",
    "MeetingAttendee",
    "NetworkMeeting",
    "NetworkSpace",
    "Organisation",
    "Participant",
    "Place",
    "Programme",
    "ProgrammeCategory",
    "Referral",
    "ReportNarrative",
    "Session",
    "Setting",
    "Staff",
    "SyncConflict",
    "SyncDevice",
    "TextVariant",
    "activity_facilitator",
    "meeting_programme",
    "programme_funder",
    "session_facilitator",
]
