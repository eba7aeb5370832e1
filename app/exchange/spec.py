"""What the interchange file holds: one spec per array (JSON key, table, fields, codes, references).

The export, the validation and the import are all driven by these tables, so a new column is one
line here (and one line in docs/data-format.md). Field names and codes are a published contract:
add, never rename.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any, cast

from sqlalchemy import Table

from app.db.base import Entity
from app.db.models import (
    Activity,
    AgeBandSet,
    Agreement,
    Attendance,
    Budget,
    BudgetLine,
    CommunityGroup,
    Consent,
    Enrolment,
    EntityProfile,
    Evidence,
    Expense,
    ExpenseShare,
    Funder,
    GroupContact,
    GroupStage,
    HeadCount,
    Indicator,
    LocalDay,
    MediationCase,
    MediationParty,
    MediationSession,
    MediationStaff,
    MeetingAttendee,
    Need,
    NetworkMeeting,
    NetworkSpace,
    Organisation,
    Participant,
    Place,
    Programme,
    ProgrammeCategory,
    Referral,
    ReportNarrative,
    SafeguardingCertificate,
    Session,
    Staff,
    TextVariant,
    Volunteer,
    VolunteerHours,
    activity_facilitator,
    activity_partner,
    activity_programme,
    meeting_programme,
    programme_funder,
    session_facilitator,
    volunteer_activity,
    volunteer_programme,
)
from app.domain import community, networks
from app.domain.economics import EXPENSE_KINDS
from app.domain.figures import GENDER_CODES, INDICATOR_KINDS
from app.domain.networks import ATTENDEE_STATUSES, MEETING_STATUSES, SPACE_ROLES, status_for_date
from app.domain.people import CONSENT_KINDS, DOCUMENT_TYPES, SIGNED_BY
from app.domain.programmes import ACTIVITY_KINDS
from app.domain.report import NARRATIVE_KINDS
from app.domain.sessions import ATTENDANCE_STATUSES, SESSION_STATUSES
from app.domain.texts import TRANSLATABLE
from app.domain.volunteers import CERTIFICATE_RESULTS
from app.i18n import LANGUAGES

FORMAT = "teixit"
VERSION = 1

# Codes (DESIGN.md sections 3, 5 and 7): the domain's own lists, so a code has one definition.
GENDERS = GENDER_CODES
ID_DOCUMENT_TYPES = DOCUMENT_TYPES
NETWORK_ROLES = tuple(SPACE_ROLES)
MEETING_ATTENDEE_STATUSES = tuple(ATTENDEE_STATUSES)
NETWORK_MEETING_STATUSES = tuple(MEETING_STATUSES)
AGREEMENT_STATUSES = tuple(networks.AGREEMENT_STATUSES)
REFERRAL_STATUSES = tuple(networks.REFERRAL_STATUSES)
REGIONS = ("CT", "VC")
EVIDENCE_KINDS = ("signed_sheet",)
LOCAL_DAY_KINDS = ("holiday", "school_break")
GROUP_KINDS = tuple(community.GROUP_KINDS)
GROUP_STAGES = tuple(community.GROUP_STAGES)
CONFLICT_KINDS = tuple(community.CONFLICT_KINDS)
CASE_OUTCOMES = tuple(community.CASE_OUTCOMES)
NEED_RESPONSES = tuple(community.NEED_RESPONSES)
TRANSLATED_TABLES = tuple(TRANSLATABLE)
#: Stands for "the programme categories configured in the database or listed in the file".
CATEGORY_CODES = ("<programme category>",)


class Kind(Enum):
    ID = auto()  # the record's own UUID
    TEXT = auto()  # str; null reads as ""
    BOOL = auto()
    INT = auto()
    NUMBER = auto()  # int or float
    DATE = auto()  # "YYYY-MM-DD"
    TIME = auto()  # "HH:MM"
    DATETIME = auto()  # ISO 8601, UTC
    IMAGE = auto()  # base64 or null
    TEXTS = auto()  # list of str
    CODE = auto()  # str among Field.codes
    REF = auto()  # UUID of a record of Field.ref
    REFS = auto()  # list of UUIDs of Field.ref, kept in the link table Field.link


@dataclass(frozen=True)
class Link:
    """A many-to-many table: owner column -> target column."""

    table: Table
    owner: str
    target: str


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool = False
    nullable: bool = False
    codes: tuple[str, ...] = ()
    ref: str = ""
    link: Link | None = None
    minimum: int | None = None
    #: For a field added after files were written without it: the value a *new* record that
    #: leaves it out gets, from its other values and today's date (an existing row keeps its own).
    missing: Callable[[dict[str, Any], dt.date], Any] | None = None

    @property
    def attr(self) -> str:
        """The model attribute (same as the JSON name for every column)."""
        return self.name


@dataclass(frozen=True)
class Spec:
    key: str
    model: type[Entity]
    fields: tuple[Field, ...]
    #: The field that identifies a record when merging ("code" for categories, "id" otherwise).
    natural_key: str = "id"
    #: Sets of fields that must be unique across the file and the database together.
    unique: tuple[tuple[str, ...], ...] = ()
    #: A database row with this column set is left as it is (blocked people stay frozen).
    frozen_by: str = ""

    @property
    def table(self) -> Table:
        return cast(Table, self.model.__table__)

    @property
    def columns(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.link is None)


def _f(name: str, kind: Kind, **kw: object) -> Field:
    return Field(name, kind, **kw)  # type: ignore[arg-type]


ID = _f("id", Kind.ID, required=True)
DELETED = _f("deleted_at", Kind.DATETIME, nullable=True)


def text(name: str, required: bool = False) -> Field:
    return _f(name, Kind.TEXT, required=required)


def ref(name: str, target: str, required: bool = False) -> Field:
    return _f(name, Kind.REF, ref=target, required=required, nullable=not required)


def refs(name: str, target: str, link: Link) -> Field:
    return _f(name, Kind.REFS, ref=target, link=link)


def code(
    name: str, codes: tuple[str, ...], nullable: bool = False, required: bool = False
) -> Field:
    return _f(name, Kind.CODE, codes=codes, nullable=nullable, required=required)


def date(name: str, required: bool = False) -> Field:
    return _f(name, Kind.DATE, required=required, nullable=not required)


def time(name: str) -> Field:
    return _f(name, Kind.TIME, nullable=True)


PROFILE = Spec(
    "entity_profile",
    EntityProfile,
    (
        text("name", required=True),
        text("tax_id"),
        text("address"),
        code("default_lang", LANGUAGES),
        _f("logo", Kind.IMAGE, nullable=True),
        text("privacy_controller"),
        text("privacy_purpose"),
        text("privacy_legal_basis"),
        text("privacy_recipients"),
        text("privacy_rights_contact"),
        code("region", REGIONS),
    ),
)

#: Arrays in file order. Writing order does not matter (foreign keys are checked at commit).
SPECS: tuple[Spec, ...] = (
    Spec(
        "staff",
        Staff,
        (
            ID,
            text("name", required=True),
            text("role"),
            text("email"),
            _f("active", Kind.BOOL),
            DELETED,
            # Added with mediation cases: the staff member's office-database login.
            text("login"),
        ),
    ),
    Spec("places", Place, (ID, text("name", required=True), text("address"), DELETED)),
    Spec(
        "funders",
        Funder,
        (
            ID,
            text("name", required=True),
            text("support_text"),
            _f("logo", Kind.IMAGE, nullable=True),
            DELETED,
        ),
    ),
    Spec(
        "programmes",
        Programme,
        (
            ID,
            text("code", required=True),
            text("name", required=True),
            code("category", CATEGORY_CODES, required=True),
            text("description"),
            date("start"),
            date("end"),
            refs("funder_ids", "funders", Link(programme_funder, "programme_id", "funder_id")),
            ref("responsible_staff_id", "staff"),
            _f("objectives", Kind.TEXTS),
            _f("indirect_beneficiaries", Kind.INT, nullable=True, minimum=0),
            DELETED,
        ),
        unique=(("code",),),
    ),
    Spec(
        "indicators",
        Indicator,
        (
            ID,
            ref("programme_id", "programmes", required=True),
            text("name", required=True),
            code("kind", INDICATOR_KINDS),
            _f("target", Kind.NUMBER, nullable=True),
            _f("manual_value", Kind.NUMBER, nullable=True),
        ),
    ),
    Spec(
        "activities",
        Activity,
        (
            ID,
            ref("programme_id", "programmes", required=True),
            text("name", required=True),
            code("kind", ACTIVITY_KINDS),
            text("description"),
            ref("place_id", "places"),
            refs("facilitator_ids", "staff", Link(activity_facilitator, "activity_id", "staff_id")),
            time("start_time"),
            time("end_time"),
            DELETED,
            # Added with coproduction: the other programmes it also belongs to and the
            # organisations that organise it with the entity (a file without them keeps the
            # database's links).
            refs(
                "other_programme_ids",
                "programmes",
                Link(activity_programme, "activity_id", "programme_id"),
            ),
            refs(
                "partner_organisation_ids",
                "organisations",
                Link(activity_partner, "activity_id", "organisation_id"),
            ),
        ),
    ),
    Spec(
        "participants",
        Participant,
        (
            ID,
            text("given_name", required=True),
            text("family_names"),
            code("gender", GENDERS, nullable=True),
            date("birth_date"),
            _f("birth_year", Kind.INT, nullable=True, minimum=1900),
            code("id_document_type", ID_DOCUMENT_TYPES, nullable=True),
            text("id_document_number"),
            text("nationality"),
            text("neighbourhood"),
            text("phone"),
            text("email"),
            text("guardian_name"),
            text("guardian_phone"),
            text("notes"),
            _f("blocked_at", Kind.DATETIME, nullable=True),
            DELETED,
        ),
        frozen_by="blocked_at",
    ),
    Spec(
        "consents",
        Consent,
        (
            ID,
            ref("participant_id", "participants", required=True),
            code("kind", CONSENT_KINDS, required=True),
            _f("granted", Kind.BOOL),
            date("date"),
            code("signed_by", SIGNED_BY),
            date("revoked_at"),
        ),
        # One current consent per kind and person (saving a kind replaces its record).
        unique=(("participant_id", "kind"),),
    ),
    Spec(
        "enrolments",
        Enrolment,
        (
            ID,
            ref("participant_id", "participants", required=True),
            ref("activity_id", "activities", required=True),
            date("start"),
            date("end"),
        ),
    ),
    Spec(
        "sessions",
        Session,
        (
            ID,
            ref("activity_id", "activities", required=True),
            date("date", required=True),
            time("start_time"),
            time("end_time"),
            ref("place_id", "places"),
            refs("facilitator_ids", "staff", Link(session_facilitator, "session_id", "staff_id")),
            code("status", SESSION_STATUSES),
            text("notes"),
            _f("new_people", Kind.INT, nullable=True, minimum=0),
            DELETED,
        ),
    ),
    Spec(
        "attendance",
        Attendance,
        (
            ID,
            ref("session_id", "sessions", required=True),
            ref("participant_id", "participants", required=True),
            code("status", ATTENDANCE_STATUSES, required=True),
        ),
        unique=(("session_id", "participant_id"),),
    ),
    Spec(
        "head_counts",
        HeadCount,
        (
            ID,
            ref("session_id", "sessions", required=True),
            code("gender", GENDERS, required=True),
            text("age_band", required=True),
            _f("count", Kind.INT, minimum=0),
        ),
        unique=(("session_id", "gender", "age_band"),),
    ),
    Spec(
        "organisations",
        Organisation,
        (ID, text("name", required=True), text("kind"), text("contact"), DELETED),
    ),
    Spec(
        "network_spaces",
        NetworkSpace,
        (
            ID,
            text("name", required=True),
            ref("parent_id", "network_spaces"),
            text("territory"),
            code("role", NETWORK_ROLES),
            ref("representative_staff_id", "staff"),
            _f("active", Kind.BOOL),
            DELETED,
        ),
    ),
    Spec(
        "network_meetings",
        NetworkMeeting,
        (
            ID,
            ref("space_id", "network_spaces"),
            date("date", required=True),
            time("start_time"),
            time("end_time"),
            text("place"),
            _f("online", Kind.BOOL),
            refs(
                "programme_ids", "programmes", Link(meeting_programme, "meeting_id", "programme_id")
            ),
            _f("agenda", Kind.TEXTS),
            text("minutes"),
            # Added after version 1 was published: a new meeting of a file without it is held
            # when dated before today, planned otherwise (``status_for_date``).
            _f(
                "status",
                Kind.CODE,
                codes=NETWORK_MEETING_STATUSES,
                missing=lambda values, today: status_for_date(values["date"], today),
            ),
            text("cancellation_reason"),
            DELETED,
            # Added with community work: a meeting of an accompanied group has no space.
            ref("group_id", "community_groups"),
        ),
    ),
    Spec(
        "meeting_attendees",
        MeetingAttendee,
        (
            ID,
            ref("meeting_id", "network_meetings", required=True),
            ref("staff_id", "staff"),
            text("person_name"),
            ref("organisation_id", "organisations"),
            code("status", MEETING_ATTENDEE_STATUSES),
        ),
    ),
    Spec(
        "agreements",
        Agreement,
        (
            ID,
            ref("meeting_id", "network_meetings"),
            _f("number", Kind.INT, required=True, minimum=1),
            text("text", required=True),
            ref("owner_staff_id", "staff"),
            ref("owner_organisation_id", "organisations"),
            date("due_date"),
            code("status", AGREEMENT_STATUSES),
            ref("closed_in_meeting_id", "network_meetings"),
            # Added with community work: an agreement reached in a mediation case.
            ref("mediation_case_id", "mediation_cases"),
        ),
        # Numbered 1..n per meeting: the minutes cite them by number.
        unique=(("meeting_id", "number"), ("mediation_case_id", "number")),
    ),
    Spec(
        "referrals",
        Referral,
        (
            ID,
            ref("participant_id", "participants", required=True),
            ref("from_organisation_id", "organisations"),
            ref("to_organisation_id", "organisations"),
            date("date", required=True),
            text("reason"),
            code("status", REFERRAL_STATUSES),
            # Added with referrals followed: where it came from and its follow-up.
            ref("programme_id", "programmes"),
            ref("activity_id", "activities"),
            _f("reached", Kind.BOOL, nullable=True),
            date("followed_up_on"),
            text("follow_up"),
        ),
    ),
    # Added to the design's example: the configurable categories and the report texts.
    Spec(
        "programme_categories",
        ProgrammeCategory,
        (
            text("code", required=True),
            text("name_ca", required=True),
            text("name_es", required=True),
            _f("position", Kind.INT, minimum=0),
            _f("active", Kind.BOOL),
        ),
        natural_key="code",
    ),
    Spec(
        "report_narratives",
        ReportNarrative,
        (
            ID,
            ref("programme_id", "programmes"),
            date("period_from", required=True),
            date("period_to", required=True),
            code("kind", NARRATIVE_KINDS, required=True),
            text("text"),
        ),
    ),
    # The economic half of a justification: budgets by line and the expenses register (amounts
    # in cents, shares in hundredths of a percent). The invoices' files are not carried.
    Spec(
        "budgets",
        Budget,
        (
            ID,
            ref("programme_id", "programmes", required=True),
            ref("funder_id", "funders", required=True),
            _f("granted", Kind.INT, minimum=0),
            _f("own_funds", Kind.INT, minimum=0),
            _f("other_grants", Kind.INT, minimum=0),
            _f("fees", Kind.INT, minimum=0),
            _f("allowed_deviation", Kind.INT, minimum=0),
            date("period_from"),
            date("period_to"),
            text("notes"),
        ),
        unique=(("programme_id", "funder_id"),),
    ),
    Spec(
        "budget_lines",
        BudgetLine,
        (
            ID,
            ref("budget_id", "budgets", required=True),
            text("code", required=True),
            text("label"),
            _f("amount", Kind.INT, minimum=0),
            _f("position", Kind.INT, minimum=0),
            _f("allowed_deviation", Kind.INT, nullable=True, minimum=0),
        ),
        unique=(("budget_id", "code"),),
    ),
    Spec(
        "expenses",
        Expense,
        (
            ID,
            ref("programme_id", "programmes", required=True),
            code("kind", EXPENSE_KINDS),
            text("creditor"),
            text("creditor_tax_id"),
            text("document_number"),
            text("description"),
            date("issue_date", required=True),
            date("payment_date"),
            _f("amount", Kind.INT, minimum=0),
            _f("vat", Kind.INT, minimum=0),
            text("line", required=True),
            ref("staff_id", "staff"),
            text("outside_reason"),
            DELETED,
        ),
    ),
    Spec(
        "expense_shares",
        ExpenseShare,
        (
            ID,
            ref("expense_id", "expenses", required=True),
            ref("funder_id", "funders", required=True),
            _f("share", Kind.INT, required=True, minimum=0),
        ),
        unique=(("expense_id", "funder_id"),),
    ),
    # Added with signed sheets read back: the scanned pages kept with their session, so they
    # travel with the data (docs/signed-sheets.md).
    Spec(
        "evidence",
        Evidence,
        (
            ID,
            ref("session_id", "sessions", required=True),
            code("kind", EVIDENCE_KINDS, required=True),
            _f("page", Kind.INT, required=True, minimum=0),
            text("source"),
            text("media_type", required=True),
            _f("content", Kind.IMAGE, required=True),
            text("sha256"),
        ),
    ),
    Spec(
        "local_days",
        LocalDay,
        (
            ID,
            text("name", required=True),
            date("date_from", required=True),
            date("date_to", required=True),
            code("kind", LOCAL_DAY_KINDS),
        ),
    ),
    # Added with volunteers (docs/volunteers.md): the people who volunteer, the hours they gave
    # and the safeguarding certificates (issue date and result only).
    Spec(
        "volunteers",
        Volunteer,
        (
            ID,
            ref("participant_id", "participants", required=True),
            date("start", required=True),
            date("end"),
            refs(
                "programme_ids",
                "programmes",
                Link(volunteer_programme, "volunteer_id", "programme_id"),
            ),
            refs(
                "activity_ids",
                "activities",
                Link(volunteer_activity, "volunteer_id", "activity_id"),
            ),
            text("tasks"),
            text("schedule"),
            text("training"),
            _f("training_hours", Kind.NUMBER),
            date("agreement_signed_on"),
            text("insurer"),
            text("policy_number"),
            date("insurance_from"),
            date("insurance_to"),
            text("notes"),
            DELETED,
        ),
        unique=(("participant_id",),),
    ),
    Spec(
        "volunteer_hours",
        VolunteerHours,
        (
            ID,
            ref("volunteer_id", "volunteers", required=True),
            date("date", required=True),
            ref("session_id", "sessions"),
            ref("programme_id", "programmes"),
            _f("hours", Kind.NUMBER),
            text("notes"),
        ),
    ),
    Spec(
        "safeguarding_certificates",
        SafeguardingCertificate,
        (
            ID,
            ref("staff_id", "staff"),
            ref("participant_id", "participants"),
            date("issue_date", required=True),
            code("result", CERTIFICATE_RESULTS),
        ),
    ),
    # Community work: the groups' contact people and stages, the mediation cases' team,
    # parties and sessions, and the needs detected (docs/community.md).
    Spec(
        "community_groups",
        CommunityGroup,
        (
            ID,
            text("name", required=True),
            code("kind", GROUP_KINDS),
            text("neighbourhood"),
            ref("staff_id", "staff"),
            ref("programme_id", "programmes"),
            ref("organisation_id", "organisations"),
            text("notes"),
            DELETED,
        ),
    ),
    Spec(
        "mediation_cases",
        MediationCase,
        (
            ID,
            text("reference", required=True),
            code("conflict_kind", CONFLICT_KINDS),
            text("neighbourhood"),
            date("opened_on", required=True),
            date("closed_on"),
            code("outcome", CASE_OUTCOMES, nullable=True),
            text("summary"),
            DELETED,
        ),
    ),
    Spec(
        "group_contacts",
        GroupContact,
        (
            ID,
            ref("group_id", "community_groups", required=True),
            ref("participant_id", "participants"),
            text("person_name"),
            text("phone"),
            text("role"),
        ),
    ),
    Spec(
        "group_stages",
        GroupStage,
        (
            ID,
            ref("group_id", "community_groups", required=True),
            code("stage", GROUP_STAGES, required=True),
            date("date", required=True),
            text("notes"),
        ),
    ),
    Spec(
        "mediation_staff",
        MediationStaff,
        (
            ID,
            ref("case_id", "mediation_cases", required=True),
            ref("staff_id", "staff", required=True),
        ),
        unique=(("case_id", "staff_id"),),
    ),
    Spec(
        "mediation_parties",
        MediationParty,
        (
            ID,
            ref("case_id", "mediation_cases", required=True),
            ref("participant_id", "participants"),
            ref("group_id", "community_groups"),
            text("name"),
        ),
    ),
    Spec(
        "mediation_sessions",
        MediationSession,
        (
            ID,
            ref("case_id", "mediation_cases", required=True),
            ref("session_id", "sessions", required=True),
        ),
        unique=(("case_id", "session_id"),),
    ),
    Spec(
        "needs",
        Need,
        (
            ID,
            text("title", required=True),
            text("description"),
            text("place"),
            date("detected_on", required=True),
            ref("meeting_id", "network_meetings"),
            ref("activity_id", "activities"),
            ref("group_id", "community_groups"),
            code("response", NEED_RESPONSES),
            date("response_date"),
            ref("response_activity_id", "activities"),
            ref("response_agreement_id", "agreements"),
            ref("response_organisation_id", "organisations"),
            text("response_notes"),
            DELETED,
        ),
    ),
    # Added with both languages for real: the other-language versions of the printed texts
    # (docs/data-format.md), and the funders' age-band sets.
    Spec(
        "text_variants",
        TextVariant,
        (
            ID,
            code("table_name", TRANSLATED_TABLES, required=True),
            text("row_id"),
            text("field", required=True),
            code("lang", LANGUAGES, required=True),
            text("text"),
        ),
        unique=(("table_name", "row_id", "field", "lang"),),
    ),
    Spec(
        "age_band_sets",
        AgeBandSet,
        (
            ID,
            text("name", required=True),
            _f("bands", Kind.TEXTS),
            ref("funder_id", "funders"),
        ),
    ),
)

BY_KEY = {spec.key: spec for spec in SPECS}


def _write_order(specs: tuple[Spec, ...]) -> tuple[Spec, ...]:
    """The arrays in an order where each comes after the arrays it refers to (foreign keys are
    checked as each row is written), otherwise in file order: the file keeps the order it was
    published in, new arrays at the end, whatever they refer to."""
    done: list[Spec] = []
    waiting = list(specs)
    while waiting:
        keys = {spec.key for spec in done}
        ready = next(
            spec
            for spec in waiting
            if all(f.ref in keys or f.ref == spec.key for f in spec.fields if f.ref)
        )
        done.append(ready)
        waiting.remove(ready)
    return tuple(done)


#: The order an import writes the arrays in.
WRITE_ORDER = _write_order(SPECS)
