"""The economic half of a justification (memòria econòmica): budgets by line, the expenses
register and the economic part of a report, as the services hand them out; and the checks and
number formats they share.

Money is in whole cents (``int``), shares in hundredths of a percent (10 000 = 100 %)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from app.errors import UserError
from app.i18n import N_, _

#: The common budget lines, in order (an entity may add its own to a budget).
DEFAULT_LINES: tuple[str, ...] = ("staff", "activities", "services", "travel", "indirect")
LINE_LABELS = {
    "staff": N_("Staff"),
    "activities": N_("Activities and materials"),
    "services": N_("Services"),
    "travel": N_("Travel"),
    "indirect": N_("Indirect costs"),
}
EXPENSE_KINDS: tuple[str, ...] = ("invoice", "payroll")
EXPENSE_KIND_LABELS = {"invoice": N_("Invoice"), "payroll": N_("Payroll")}
DEFAULT_DEVIATION = 20
FULL_SHARE = 10_000  # 100 %
#: Co-financing kinds, the budget's columns.
COFINANCING: tuple[str, ...] = ("own_funds", "other_grants", "fees")
COFINANCING_LABELS = {
    "own_funds": N_("Own funds"),
    "other_grants": N_("Other grants"),
    "fees": N_("Fees"),
}


def line_label(code: str, label: str = "") -> str:
    """The name of a line in the current language: a common line's translated name, or the
    name the entity gave its own line."""
    if label:
        return label
    return _(LINE_LABELS[code]) if code in LINE_LABELS else code


def line_code(label: str) -> str:
    """The code of a line the entity names: "Lloguer de sala" -> "lloguer-de-sala"."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40]


# -- numbers --------------------------------------------------------------------------------


def parse_amount(text: str) -> int:
    """Euros as people type them ("1.234,56", "1234,5", "1234.56", "12 €") -> cents. A dot
    followed by exactly three digits is a thousands separator (as in Catalan and Spanish)."""
    raw = text.strip().replace("€", "").replace("\u00a0", "").replace(" ", "")
    if not raw:
        raise UserError(_("Type an amount."))
    if "," in raw and "." in raw:
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        raw = raw.replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", raw):
        raise UserError(_("“{text}” is not an amount in euros.").format(text=text.strip()))
    negative = raw.startswith("-")
    whole, _sep, frac = raw.lstrip("-").partition(".")
    cents = int(whole) * 100 + int((frac + "00")[:2])
    return -cents if negative else cents


def parse_share(text: str) -> int:
    """A percentage as typed ("60", "33,33", "12.5 %") -> hundredths of a percent."""
    raw = text.strip().replace("%", "").replace(" ", "").replace(",", ".")
    if not raw:
        return 0
    if not re.fullmatch(r"\d+(\.\d{1,2})?", raw):
        raise UserError(_("“{text}” is not a percentage.").format(text=text.strip()))
    whole, _sep, frac = raw.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def euros(cents: int, lang: str | None = None) -> str:
    """123456 -> "1.234,56": Catalan and Spanish accounts group every thousand (no currency
    sign: the columns say €). Plain string work: a year's register has thousands of them."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{frac:02d}"


def percent(hundredths: int, lang: str | None = None) -> str:
    """6000 -> "60", 3333 -> "33,33", 1250 -> "12,50" (Catalan and Spanish decimal comma)."""
    whole, frac = divmod(abs(hundredths), 100)
    sign = "-" if hundredths < 0 else ""
    return f"{sign}{whole}" + (f",{frac:02d}" if frac else "")


# -- tax ids ----------------------------------------------------------------------------------


def clean_tax_id(value: str) -> str:
    return re.sub(r"[\s.\-/]", "", value).upper()


def valid_tax_id(value: str) -> bool:
    """A Spanish NIF (DNI, NIE or CIF) or, with its country prefix, an EU VAT number."""
    from stdnum.es import nif

    v = clean_tax_id(value)
    if nif.is_valid(v):
        return True
    if len(v) > 2 and v[:2].isalpha() and v[:2] not in ("ES", "XX"):
        from stdnum.eu import vat

        return bool(vat.is_valid(v))
    return False


# -- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLineDTO:
    code: str
    label: str = ""
    amount: int = 0
    allowed_deviation: int | None = None

    @property
    def name(self) -> str:
        return line_label(self.code, self.label)


@dataclass(frozen=True)
class BudgetDTO:
    """``id`` "" for a budget not saved yet."""

    id: str
    programme_id: str
    funder_id: str
    funder_name: str = ""
    granted: int = 0
    own_funds: int = 0
    other_grants: int = 0
    fees: int = 0
    allowed_deviation: int = DEFAULT_DEVIATION
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    notes: str = ""
    lines: tuple[BudgetLineDTO, ...] = ()

    @property
    def total_budget(self) -> int:
        return sum(x.amount for x in self.lines)

    @property
    def cofinancing(self) -> int:
        return self.own_funds + self.other_grants + self.fees


def default_lines() -> tuple[BudgetLineDTO, ...]:
    return tuple(BudgetLineDTO(code) for code in DEFAULT_LINES)


@dataclass(frozen=True)
class ExpenseDraft:
    """What a person typed for an expense (``id`` "" for a new one). ``shares``: funder id ->
    hundredths of a percent."""

    programme_id: str
    issue_date: dt.date
    amount: int
    line: str
    id: str = ""
    kind: str = "invoice"
    creditor: str = ""
    creditor_tax_id: str = ""
    document_number: str = ""
    description: str = ""
    payment_date: dt.date | None = None
    vat: int = 0
    staff_id: str | None = None
    outside_reason: str = ""
    shares: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.amount + self.vat


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    file_name: str
    media_type: str
    size: int


@dataclass(frozen=True)
class ExpenseDTO:
    id: str
    programme_id: str
    kind: str
    creditor: str
    creditor_tax_id: str
    document_number: str
    description: str
    issue_date: dt.date
    payment_date: dt.date | None
    amount: int
    vat: int
    line: str
    staff_id: str | None
    outside_reason: str
    shares: dict[str, int]
    attachments: tuple[AttachmentInfo, ...] = ()

    @property
    def total(self) -> int:
        return self.amount + self.vat

    def draft(self) -> ExpenseDraft:
        return ExpenseDraft(
            programme_id=self.programme_id,
            issue_date=self.issue_date,
            amount=self.amount,
            line=self.line,
            id=self.id,
            kind=self.kind,
            creditor=self.creditor,
            creditor_tax_id=self.creditor_tax_id,
            document_number=self.document_number,
            description=self.description,
            payment_date=self.payment_date,
            vat=self.vat,
            staff_id=self.staff_id,
            outside_reason=self.outside_reason,
            shares=dict(self.shares),
        )


def charged(total: int, share: int) -> int:
    """The cents of ``total`` charged at ``share`` (hundredths of a percent), rounded half up."""
    return (total * share + FULL_SHARE // 2) // FULL_SHARE


# -- the report's economic part ---------------------------------------------------------------


@dataclass(frozen=True)
class ClassifiedRow:
    """One expense in a funder's classified list (relació classificada de despeses)."""

    line: str
    #: The entity's name of a line of its own ("" for a common line).
    line_name: str
    kind: str
    creditor: str
    creditor_tax_id: str
    document_number: str
    description: str
    issue_date: dt.date
    payment_date: dt.date | None
    amount: int
    vat: int
    total: int
    share: int
    charged: int
    outside_reason: str = ""
    attachments: int = 0


@dataclass(frozen=True)
class LineRow:
    """Budget against spent for one line of a funder's budget (``name``: the entity's name of
    a line of its own, "" for a common line, named in the document's language)."""

    code: str
    name: str
    budget: int
    spent: int
    allowed_deviation: int

    @property
    def deviation(self) -> int:
        return self.spent - self.budget

    @property
    def deviation_share(self) -> float | None:
        """The deviation as a percentage of the line's budget (None: nothing budgeted)."""
        return None if self.budget == 0 else 100 * self.deviation / self.budget

    @property
    def over(self) -> bool:
        """Spent more than the budget plus the deviation the funder allows (a line budgeted at
        0 and spent is). Spending less is shown as a negative deviation, not flagged."""
        if self.budget == 0:
            return self.spent > 0
        return self.deviation * 100 > self.allowed_deviation * self.budget


@dataclass(frozen=True)
class FunderEconomics:
    """The economic part of a report for one programme and one funder."""

    programme_code: str
    programme_name: str
    funder_id: str
    funder_name: str
    period_from: dt.date | None
    period_to: dt.date | None
    granted: int
    own_funds: int
    other_grants: int
    fees: int
    allowed_deviation: int
    lines: tuple[LineRow, ...]
    expenses: tuple[ClassifiedRow, ...]

    @property
    def budget_total(self) -> int:
        return sum(x.budget for x in self.lines)

    @property
    def spent_total(self) -> int:
        return sum(x.spent for x in self.lines)

    @property
    def cofinancing(self) -> int:
        return self.own_funds + self.other_grants + self.fees

    @property
    def income_total(self) -> int:
        return self.granted + self.cofinancing

    def json_dict(self) -> dict[str, Any]:
        def money(cents: int) -> float:
            return round(cents / 100, 2)

        return {
            "programme": self.programme_code,
            "funder": self.funder_name,
            "funder_id": self.funder_id,
            "grant_period": {
                "from": self.period_from.isoformat() if self.period_from else None,
                "to": self.period_to.isoformat() if self.period_to else None,
            },
            "granted": money(self.granted),
            "cofinancing": {
                "own_funds": money(self.own_funds),
                "other_grants": money(self.other_grants),
                "fees": money(self.fees),
                "total": money(self.cofinancing),
            },
            "income_total": money(self.income_total),
            "allowed_deviation": self.allowed_deviation,
            "lines": [
                {
                    "line": x.code,
                    "name": x.name or None,
                    "budget": money(x.budget),
                    "spent": money(x.spent),
                    "deviation": money(x.deviation),
                    "deviation_percent": (
                        None if x.deviation_share is None else round(x.deviation_share, 2)
                    ),
                    "allowed_deviation": x.allowed_deviation,
                    "over": x.over,
                }
                for x in self.lines
            ],
            "budget_total": money(self.budget_total),
            "spent_total": money(self.spent_total),
            "expenses": [
                {
                    "line": e.line,
                    "kind": e.kind,
                    "creditor": e.creditor,
                    "creditor_tax_id": e.creditor_tax_id,
                    "document_number": e.document_number,
                    "description": e.description,
                    "issue_date": e.issue_date.isoformat(),
                    "payment_date": e.payment_date.isoformat() if e.payment_date else None,
                    "amount": money(e.amount),
                    "vat": money(e.vat),
                    "total": money(e.total),
                    "share_percent": e.share / 100,
                    "charged": money(e.charged),
                    "outside_period_reason": e.outside_reason,
                    "attachments": e.attachments,
                }
                for e in self.expenses
            ],
        }
