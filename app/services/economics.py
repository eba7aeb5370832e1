"""The economic half of a justification: each funder's budget for a programme (lines, amount
granted, co-financing, allowed deviation), the expenses register with the share charged to each
funder and the invoices kept with their expense, and the economic part of a report.

Every write is one unit of work: an expense, its shares and its attachments are saved together
or not at all, after the checks of ``_check`` (translated messages)."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as OrmSession

from app.db.base import natural_id, utcnow
from app.db.engine import Database
from app.db.models import (
    Budget,
    BudgetLine,
    Expense,
    ExpenseAttachment,
    ExpenseShare,
    Funder,
    Programme,
    Staff,
    programme_funder,
)
from app.domain.audit import SHOWN_INVOICE
from app.domain.changes import Area, Changes
from app.domain.economics import (
    DEFAULT_DEVIATION,
    DEFAULT_LINES,
    EXPENSE_KINDS,
    FULL_SHARE,
    AttachmentInfo,
    BudgetDTO,
    BudgetLineDTO,
    ClassifiedRow,
    ExpenseDraft,
    ExpenseDTO,
    FunderEconomics,
    LineRow,
    charged,
    clean_tax_id,
    default_lines,
    percent,
    valid_tax_id,
)
from app.domain.profile import FunderDTO
from app.errors import UserError
from app.i18n import _, format_date
from app.services import audit

#: An attachment larger than this is refused (a phone photo or a scanned invoice is far less).
MAX_ATTACHMENT = 20 * 1024 * 1024
ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/tiff", "image/webp")


class OutsidePeriod(UserError):
    """The expense is dated outside a grant's period and no reason was given to keep it."""


class EconomicsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading --------------------------------------------------------------------------------

    def funders(self, programme_id: str) -> list[FunderDTO]:
        """The funders of a programme (those its expenses can be charged to)."""
        with self._db.read() as s:
            return [FunderDTO(f.id, f.name, f.support_text) for f in _funders(s, programme_id)]

    def budgets(self, programme_id: str) -> list[BudgetDTO]:
        """One budget per funder of the programme; a funder with none yet gets an unsaved one
        (``id`` "") with the common lines at zero."""
        with self._db.read() as s:
            saved = {b.funder_id: b for b in _budget_rows(s, [programme_id])}
            lines = _lines_of(s, [b.id for b in saved.values()])
            out = []
            for f in _funders(s, programme_id):
                b = saved.get(f.id)
                if b is None:
                    out.append(BudgetDTO("", programme_id, f.id, f.name, lines=default_lines()))
                else:
                    out.append(_budget_dto(b, f.name, lines.get(b.id, ())))
            return out

    def lines(self, programme_id: str) -> list[BudgetLineDTO]:
        """Every line an expense of the programme may go to: the common ones and any line of
        its budgets, in budget order."""
        with self._db.read() as s:
            return _programme_lines(s, programme_id)

    def expenses(self, programme_id: str) -> list[ExpenseDTO]:
        with self._db.read() as s:
            rows = list(
                s.scalars(
                    select(Expense)
                    .where(Expense.programme_id == programme_id, Expense.deleted_at.is_(None))
                    .order_by(Expense.issue_date, Expense.creditor, Expense.document_number)
                )
            )
            return _expense_dtos(s, rows)

    def expense(self, expense_id: str) -> ExpenseDTO:
        with self._db.read() as s:
            row = s.get(Expense, expense_id)
            if row is None or row.deleted_at is not None:
                raise UserError(_("This expense no longer exists."))
            return _expense_dtos(s, [row])[0]

    def staff(self) -> list[tuple[str, str]]:
        """(id, name) of the active staff: payroll is charged by staff member."""
        with self._db.read() as s:
            q = select(Staff.id, Staff.name).where(Staff.deleted_at.is_(None), Staff.active)
            return [(i, n) for i, n in s.execute(q.order_by(Staff.name))]

    def period_warnings(self, draft: ExpenseDraft) -> list[str]:
        """The grants whose period the expense's date is outside of (a warning: it may be kept
        with a reason)."""
        with self._db.read() as s:
            return _outside(s, draft)

    # -- budgets --------------------------------------------------------------------------------

    def save_budget(self, budget: BudgetDTO) -> tuple[BudgetDTO, Changes]:
        """Save a funder's budget for a programme with exactly these lines."""
        if min(budget.granted, budget.own_funds, budget.other_grants, budget.fees) < 0:
            raise UserError(_("Amounts of a budget cannot be negative."))
        if not 0 <= budget.allowed_deviation <= 100:
            raise UserError(_("The allowed deviation is a percentage from 0 to 100."))
        if budget.period_from and budget.period_to and budget.period_to < budget.period_from:
            raise UserError(_("The grant's period ends before it starts."))
        codes: set[str] = set()
        for line in budget.lines:
            if not line.code:
                raise UserError(_("Every budget line needs a name."))
            if line.code in codes:
                raise UserError(
                    _("The line “{line}” appears twice in the budget.").format(line=line.name)
                )
            codes.add(line.code)
            if line.amount < 0:
                raise UserError(_("Amounts of a budget cannot be negative."))
            if line.allowed_deviation is not None and not 0 <= line.allowed_deviation <= 100:
                raise UserError(_("The allowed deviation is a percentage from 0 to 100."))
        with self._db.begin() as s:
            if budget.funder_id not in {f.id for f in _funders(s, budget.programme_id)}:
                raise UserError(_("This funder does not fund the programme."))
            row = s.scalar(
                select(Budget).where(
                    Budget.programme_id == budget.programme_id,
                    Budget.funder_id == budget.funder_id,
                )
            )
            if row is None:
                # One id per programme and funder, the same on every device: a budget made
                # on two laptops at once is one budget when they sync.
                row = Budget(
                    id=natural_id("budget", budget.programme_id, budget.funder_id),
                    programme_id=budget.programme_id,
                    funder_id=budget.funder_id,
                )
                s.add(row)
            row.granted = budget.granted
            row.own_funds = budget.own_funds
            row.other_grants = budget.other_grants
            row.fees = budget.fees
            row.allowed_deviation = budget.allowed_deviation
            row.period_from = budget.period_from
            row.period_to = budget.period_to
            row.notes = budget.notes.strip()
            s.flush()
            s.execute(delete(BudgetLine).where(BudgetLine.budget_id == row.id))
            for position, line in enumerate(budget.lines):
                s.add(
                    BudgetLine(
                        id=natural_id("budget_line", row.id, line.code),
                        budget_id=row.id,
                        code=line.code,
                        label="" if line.code in DEFAULT_LINES else line.label.strip(),
                        amount=line.amount,
                        position=position,
                        allowed_deviation=line.allowed_deviation,
                    )
                )
            s.flush()
            funder = s.get(Funder, row.funder_id)
            saved = _budget_dto(row, funder.name if funder else "", _lines_of(s, [row.id])[row.id])
        return saved, Changes.of(Area.ECONOMICS)

    # -- expenses -------------------------------------------------------------------------------

    def save_expense(
        self, draft: ExpenseDraft, attachments: Sequence[Path] = ()
    ) -> tuple[ExpenseDTO, Changes]:
        """Check and save an expense with its shares and any files to attach, all together."""
        files = [_read_attachment(Path(p)) for p in attachments]
        with self._db.begin() as s:
            draft = _check(s, draft)
            row = s.get(Expense, draft.id) if draft.id else None
            if draft.id and (row is None or row.deleted_at is not None):
                raise UserError(_("This expense no longer exists."))
            if row is None:
                row = Expense(programme_id=draft.programme_id)
                s.add(row)
            for name in (
                "programme_id",
                "kind",
                "creditor",
                "creditor_tax_id",
                "document_number",
                "description",
                "issue_date",
                "payment_date",
                "amount",
                "vat",
                "line",
                "staff_id",
                "outside_reason",
            ):
                setattr(row, name, getattr(draft, name))
            s.flush()
            s.execute(delete(ExpenseShare).where(ExpenseShare.expense_id == row.id))
            for funder_id, share in draft.shares.items():
                if share > 0:
                    s.add(_share(row.id, funder_id, share))
            for name, media_type, content in files:
                _add_attachment(s, row, name, media_type, content)
            s.flush()
            dto = _expense_dtos(s, [row])[0]
        return dto, Changes.of(Area.ECONOMICS)

    def delete_expense(self, expense_id: str) -> Changes:
        with self._db.begin() as s:
            row = s.get(Expense, expense_id)
            if row is None or row.deleted_at is not None:
                raise UserError(_("This expense no longer exists."))
            row.deleted_at = utcnow()
            # The invoice's file goes with it: nothing is kept of an expense removed.
            s.execute(delete(ExpenseAttachment).where(ExpenseAttachment.expense_id == row.id))
        return Changes.of(Area.ECONOMICS)

    def attach(self, expense_id: str, path: Path) -> tuple[AttachmentInfo, Changes]:
        """Keep a file (the invoice's PDF or photo) with a saved expense."""
        name, media_type, content = _read_attachment(Path(path))
        with self._db.begin() as s:
            row = s.get(Expense, expense_id)
            if row is None or row.deleted_at is not None:
                raise UserError(_("This expense no longer exists."))
            att = _add_attachment(s, row, name, media_type, content)
            s.flush()
            info = AttachmentInfo(att.id, att.file_name, att.media_type, len(content))
        return info, Changes.of(Area.ECONOMICS)

    def remove_attachment(self, attachment_id: str) -> Changes:
        with self._db.begin() as s:
            att = s.get(ExpenseAttachment, attachment_id)
            if att is None:
                raise UserError(_("This file is no longer kept."))
            s.delete(att)
        return Changes.of(Area.ECONOMICS)

    def attachment(self, attachment_id: str) -> tuple[str, bytes]:
        """A kept file's name and bytes (to show it)."""
        with self._db.read() as s:
            att = s.get(ExpenseAttachment, attachment_id)
            if att is None:
                raise UserError(_("This file is no longer kept."))
            return att.file_name, bytes(att.content)

    def open_attachment(self, attachment_id: str) -> Path:
        """A kept file written to a private temporary file (0600, in the private data folder,
        deleted when Teixit closes) for the system's viewer; the viewing is in the audit log
        before the file appears."""
        from app import temp_files

        name, content = self.attachment(attachment_id)
        with self._db.begin() as s:
            audit.record(s, "export", SHOWN_INVOICE, name)
        suffix = Path(name).suffix.lower()
        if suffix not in (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"):
            suffix = ".pdf"  # the viewer goes by the extension: only the kinds kept
        return temp_files.write_private(content, suffix)

    def save_attachment_as(self, attachment_id: str, path: Path) -> Changes:
        """Write a kept file out: it appears only once its audit entry is committed (it leaves
        the database), private to the user like every document Teixit writes."""
        from app.private_files import private_output

        name, content = self.attachment(attachment_id)
        with private_output([(Path(path), content)]), self._db.begin() as s:
            audit.record(s, "export", str(path), _("invoice file {name}").format(name=name))
        return Changes.of()

    # -- the report -----------------------------------------------------------------------------

    def import_expenses(
        self, path: Path, programme_code: str | None = None, check_only: bool = False
    ) -> tuple[ExpenseImport, Changes]:
        """The expenses of a spreadsheet (CSV or XLSX), all or none; ``check_only``: read and
        check them, save nothing."""
        return import_expenses(self._db, Path(path), programme_code, check_only)

    def report_part(
        self, programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
    ) -> tuple[FunderEconomics, ...]:
        with self._db.read() as s:
            return economic_part(s, programme_ids, date_from, date_to)


# -- checks ---------------------------------------------------------------------------------------


def _check(s: OrmSession, d: ExpenseDraft) -> ExpenseDraft:
    """The draft as it will be saved (trimmed, the payroll's creditor filled in), or a
    UserError with what to correct."""
    from dataclasses import replace

    programme = s.get(Programme, d.programme_id)
    if programme is None or programme.deleted_at is not None:
        raise UserError(_("Choose the programme of the expense."))
    if d.kind not in EXPENSE_KINDS:
        raise UserError(_("Choose whether the expense is an invoice or payroll."))
    d = replace(
        d,
        creditor=d.creditor.strip(),
        creditor_tax_id=clean_tax_id(d.creditor_tax_id),
        document_number=d.document_number.strip(),
        description=d.description.strip(),
        outside_reason=d.outside_reason.strip(),
        staff_id=d.staff_id or None,
    )
    if d.amount <= 0:
        raise UserError(_("The amount of an expense must be more than zero."))
    if d.vat < 0:
        raise UserError(_("The VAT cannot be negative."))
    if d.kind == "payroll":
        staff = s.get(Staff, d.staff_id) if d.staff_id else None
        if staff is None:
            raise UserError(_("Choose the staff member of the payroll."))
        month = d.issue_date.replace(day=1)
        d = replace(
            d,
            creditor=staff.name,
            document_number=d.document_number
            or _("Payroll {month}").format(month=f"{month:%Y-%m}"),
        )
    else:
        if not d.creditor:
            raise UserError(_("Type the creditor of the expense."))
        if not d.creditor_tax_id:
            raise UserError(_("Type the creditor's tax ID (NIF, NIE or CIF)."))
        if not d.document_number:
            raise UserError(_("Type the document number of the invoice."))
    if d.creditor_tax_id and not valid_tax_id(d.creditor_tax_id):
        raise UserError(
            _("“{value}” is not a valid NIF, NIE or CIF.").format(value=d.creditor_tax_id)
        )
    if d.payment_date is not None and d.payment_date < d.issue_date:
        raise UserError(
            _("The payment date ({paid}) is before the issue date ({issued}).").format(
                paid=format_date(d.payment_date, fmt="short"),
                issued=format_date(d.issue_date, fmt="short"),
            )
        )
    codes = {x.code for x in _programme_lines(s, d.programme_id)}
    if d.line not in codes:
        raise UserError(_("Choose a budget line of the programme."))
    funders = {f.id: f.name for f in _funders(s, d.programme_id)}
    for funder_id, share in d.shares.items():
        if share < 0:
            raise UserError(_("A share charged cannot be negative."))
        if share and funder_id not in funders:
            raise UserError(_("An expense is charged only to the programme's funders."))
    total = sum(d.shares.values())
    if total > FULL_SHARE:
        raise UserError(
            _(
                "The shares charged to the funders add up to {total} %: an expense cannot be "
                "charged over 100 %."
            ).format(total=percent(total))
        )
    _check_duplicate(s, d)
    outside = _outside(s, d)
    if outside and not d.outside_reason:
        raise OutsidePeriod(
            " ".join(outside)
            + " "
            + _("Write the reason to keep it (Reason outside the period), or correct the date.")
        )
    return d


def _check_duplicate(s: OrmSession, d: ExpenseDraft) -> None:
    q = select(Expense.issue_date, Expense.document_number).where(
        Expense.deleted_at.is_(None),
        Expense.programme_id == d.programme_id,
        func.lower(Expense.document_number) == d.document_number.lower(),
    )
    if d.id:
        q = q.where(Expense.id != d.id)
    if d.kind == "payroll":
        month = d.issue_date.replace(day=1)
        nxt = (month + dt.timedelta(days=32)).replace(day=1)
        q2 = select(Expense.id).where(
            Expense.deleted_at.is_(None),
            Expense.kind == "payroll",
            Expense.staff_id == d.staff_id,
            Expense.programme_id == d.programme_id,
            Expense.issue_date >= month,
            Expense.issue_date < nxt,
        )
        if d.id:
            q2 = q2.where(Expense.id != d.id)
        if s.scalar(q2.limit(1)):
            raise UserError(
                _("{name} already has a payroll charged to this programme for {month}.").format(
                    name=d.creditor, month=f"{month:%m/%Y}"
                )
            )
        return
    if d.creditor_tax_id:
        q = q.where(Expense.creditor_tax_id == d.creditor_tax_id)
    else:
        q = q.where(func.lower(Expense.creditor) == d.creditor.lower())
    found = s.execute(q.limit(1)).first()
    if found is not None:
        raise UserError(
            _(
                "{creditor} already has an expense with the document number {number} (dated "
                "{date}): the same invoice cannot be charged twice."
            ).format(creditor=d.creditor, number=found[1], date=format_date(found[0], fmt="short"))
        )


def _outside(s: OrmSession, d: ExpenseDraft) -> list[str]:
    """A sentence for each funder charged whose grant period leaves the expense's date out."""
    programme = s.get(Programme, d.programme_id)
    if programme is None:
        return []
    budgets = {b.funder_id: b for b in _budget_rows(s, [d.programme_id])}
    names = {f.id: f.name for f in _funders(s, d.programme_id)}
    out = []
    for funder_id, share in d.shares.items():
        if share <= 0 or funder_id not in names:
            continue
        b = budgets.get(funder_id)
        start = (b.period_from if b else None) or programme.start
        end = (b.period_to if b else None) or programme.end
        if (start and d.issue_date < start) or (end and d.issue_date > end):
            out.append(
                _(
                    "The expense is dated {date}, outside the period of the grant ({funder}: "
                    "{start} – {end})."
                ).format(
                    date=format_date(d.issue_date, fmt="short"),
                    funder=names[funder_id],
                    start=format_date(start, fmt="short") if start else "…",
                    end=format_date(end, fmt="short") if end else "…",
                )
            )
    return out


# -- attachments ----------------------------------------------------------------------------------


def _read_attachment(path: Path) -> tuple[str, str, bytes]:
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT:
            raise UserError(
                _("{name} is larger than 20 MB: attach a smaller scan or photo.").format(
                    name=path.name
                )
            )
        content = path.read_bytes()
    except OSError as exc:
        raise UserError(
            _("Could not read {name}: {error}").format(name=path.name, error=exc.strerror or exc)
        ) from exc
    media_type = _media_type(path.name, content)
    if media_type not in ATTACHMENT_TYPES:
        raise UserError(
            _("{name} is not a PDF or a photo (JPEG, PNG, TIFF, WebP).").format(name=path.name)
        )
    return path.name[:300], media_type, content


def _media_type(name: str, content: bytes) -> str:
    if content.startswith(b"%PDF"):
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG"):
        return "image/png"
    if content[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _add_attachment(
    s: OrmSession, expense: Expense, name: str, media_type: str, content: bytes
) -> ExpenseAttachment:
    att = ExpenseAttachment(
        expense_id=expense.id,
        file_name=name,
        media_type=media_type,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    s.add(att)
    details = _("invoice file {name} kept with the expense {number} of {creditor}").format(
        name=name, number=expense.document_number, creditor=expense.creditor
    )
    audit.record(s, "import", name, details)
    return att


# -- rows -----------------------------------------------------------------------------------------


def _funders(s: OrmSession, programme_id: str) -> list[Funder]:
    q = (
        select(Funder)
        .join(programme_funder, programme_funder.c.funder_id == Funder.id)
        .where(programme_funder.c.programme_id == programme_id, Funder.deleted_at.is_(None))
        .order_by(Funder.name)
    )
    return list(s.scalars(q))


def _budget_rows(s: OrmSession, programme_ids: Sequence[str] | None) -> list[Budget]:
    q = select(Budget)
    if programme_ids is not None:
        q = q.where(Budget.programme_id.in_(list(programme_ids)))
    return list(s.scalars(q))


def _lines_of(s: OrmSession, budget_ids: Sequence[str]) -> dict[str, tuple[BudgetLineDTO, ...]]:
    out: dict[str, list[BudgetLineDTO]] = {b: [] for b in budget_ids}
    if not budget_ids:
        return {}
    q = (
        select(BudgetLine)
        .where(BudgetLine.budget_id.in_(list(budget_ids)))
        .order_by(BudgetLine.budget_id, BudgetLine.position)
    )
    for x in s.scalars(q):
        out[x.budget_id].append(BudgetLineDTO(x.code, x.label, x.amount, x.allowed_deviation))
    return {k: tuple(v) for k, v in out.items()}


def _budget_dto(b: Budget, funder_name: str, lines: tuple[BudgetLineDTO, ...]) -> BudgetDTO:
    return BudgetDTO(
        id=b.id,
        programme_id=b.programme_id,
        funder_id=b.funder_id,
        funder_name=funder_name,
        granted=b.granted,
        own_funds=b.own_funds,
        other_grants=b.other_grants,
        fees=b.fees,
        allowed_deviation=b.allowed_deviation,
        period_from=b.period_from,
        period_to=b.period_to,
        notes=b.notes,
        lines=lines,
    )


def _programme_lines(s: OrmSession, programme_id: str) -> list[BudgetLineDTO]:
    budgets = _budget_rows(s, [programme_id])
    seen: dict[str, BudgetLineDTO] = {}
    for lines in _lines_of(s, [b.id for b in budgets]).values():
        for x in lines:
            seen.setdefault(x.code, BudgetLineDTO(x.code, x.label))
    for code in DEFAULT_LINES:
        seen.setdefault(code, BudgetLineDTO(code))
    order = {c: i for i, c in enumerate(DEFAULT_LINES)}
    return sorted(seen.values(), key=lambda x: (order.get(x.code, len(order)), x.name.lower()))


def _expense_dtos(s: OrmSession, rows: Sequence[Expense]) -> list[ExpenseDTO]:
    ids = [r.id for r in rows]
    shares: dict[str, dict[str, int]] = defaultdict(dict)
    files: dict[str, list[AttachmentInfo]] = defaultdict(list)
    for chunk in _chunks(ids):
        q = select(ExpenseShare.expense_id, ExpenseShare.funder_id, ExpenseShare.share).where(
            ExpenseShare.expense_id.in_(chunk)
        )
        for eid, fid, share in s.execute(q):
            shares[eid][fid] = share
        qa = (
            select(
                ExpenseAttachment.expense_id,
                ExpenseAttachment.id,
                ExpenseAttachment.file_name,
                ExpenseAttachment.media_type,
                func.length(ExpenseAttachment.content),
            )
            .where(ExpenseAttachment.expense_id.in_(chunk))
            .order_by(ExpenseAttachment.created_at)
        )
        for eid, aid, name, media, size in s.execute(qa):
            files[eid].append(AttachmentInfo(aid, name, media, int(size or 0)))
    return [
        ExpenseDTO(
            id=r.id,
            programme_id=r.programme_id,
            kind=r.kind,
            creditor=r.creditor,
            creditor_tax_id=r.creditor_tax_id,
            document_number=r.document_number,
            description=r.description,
            issue_date=r.issue_date,
            payment_date=r.payment_date,
            amount=r.amount,
            vat=r.vat,
            line=r.line,
            staff_id=r.staff_id,
            outside_reason=r.outside_reason,
            shares=dict(shares.get(r.id, {})),
            attachments=tuple(files.get(r.id, ())),
        )
        for r in rows
    ]


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


# -- the report's economic part -------------------------------------------------------------------


def economic_part(
    s: OrmSession, programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> tuple[FunderEconomics, ...]:
    """For each programme of the report and each funder it has a budget with, or an expense of
    the period charged to: budget against spent by line, the co-financing and the classified
    list of the period's expenses (dated in the period) charged to that funder."""
    pq = select(Programme.id, Programme.code, Programme.name, Programme.start, Programme.end).where(
        Programme.deleted_at.is_(None)
    )
    if programme_ids is not None:
        pq = pq.where(Programme.id.in_(list(programme_ids)))
    programmes = {r[0]: r for r in s.execute(pq)}
    if not programmes:
        return ()
    ids = list(programmes)
    funders = {f.id: f.name for f in s.scalars(select(Funder).where(Funder.deleted_at.is_(None)))}
    budgets = {
        (b.programme_id, b.funder_id): b for b in _budget_rows(s, ids) if b.funder_id in funders
    }
    lines = _lines_of(s, [b.id for b in budgets.values()])
    attached = dict(
        s.execute(
            select(ExpenseAttachment.expense_id, func.count(ExpenseAttachment.id))
            .join(Expense, Expense.id == ExpenseAttachment.expense_id)
            .where(
                Expense.programme_id.in_(ids),
                Expense.issue_date >= date_from,
                Expense.issue_date <= date_to,
            )
            .group_by(ExpenseAttachment.expense_id)
        ).all()
    )
    q = (
        select(
            Expense.programme_id,
            ExpenseShare.funder_id,
            ExpenseShare.share,
            Expense.id,
            Expense.line,
            Expense.kind,
            Expense.creditor,
            Expense.creditor_tax_id,
            Expense.document_number,
            Expense.description,
            Expense.issue_date,
            Expense.payment_date,
            Expense.amount,
            Expense.vat,
            Expense.outside_reason,
        )
        .join(ExpenseShare, ExpenseShare.expense_id == Expense.id)
        .where(
            Expense.programme_id.in_(ids),
            Expense.deleted_at.is_(None),
            Expense.issue_date >= date_from,
            Expense.issue_date <= date_to,
            ExpenseShare.share > 0,
        )
    )
    # Label of each line as the report names it (a custom line keeps the entity's name).
    names: dict[tuple[str, str], str] = {}
    for (pid, _fid), budget in budgets.items():
        for x in lines.get(budget.id, ()):
            names.setdefault((pid, x.code), x.label)
    grouped: dict[tuple[str, str], list[ClassifiedRow]] = defaultdict(list)
    for row in s.execute(q):
        (pid, fid, share, eid, line, kind, cred, tax, num, desc, issued, paid, amount, vat, why) = (
            row
        )
        if fid not in funders:
            continue
        total = amount + vat
        grouped[(pid, fid)].append(
            ClassifiedRow(
                line=line,
                line_name=names.get((pid, line), ""),
                kind=kind,
                creditor=cred,
                creditor_tax_id=tax,
                document_number=num,
                description=desc,
                issue_date=issued,
                payment_date=paid,
                amount=amount,
                vat=vat,
                total=total,
                share=share,
                charged=charged(total, share),
                outside_reason=why,
                attachments=int(attached.get(eid, 0)),
            )
        )
    out = []
    for key in sorted(
        set(budgets) | set(grouped), key=lambda k: (programmes[k[0]][1], funders[k[1]])
    ):
        pid, fid = key
        _id, code, pname, pstart, pend = programmes[pid]
        b = budgets.get(key)
        blines = lines.get(b.id, ()) if b else ()
        default_dev = b.allowed_deviation if b else DEFAULT_DEVIATION
        order = {x.code: i for i, x in enumerate(blines)}
        rows = sorted(
            grouped.get(key, []),
            key=lambda r: (order.get(r.line, len(order)), r.line, r.issue_date, r.document_number),
        )
        spent: dict[str, int] = defaultdict(int)
        for r in rows:
            spent[r.line] += r.charged
        line_rows = [
            LineRow(
                x.code,
                x.label,
                x.amount,
                spent.get(x.code, 0),
                default_dev if x.allowed_deviation is None else x.allowed_deviation,
            )
            for x in blines
        ]
        # Spent on a line the budget does not have: shown, with nothing budgeted.
        for r in rows:
            if r.line not in order:
                order[r.line] = len(order)
                line_rows.append(LineRow(r.line, r.line_name, 0, spent[r.line], default_dev))
        out.append(
            FunderEconomics(
                programme_code=code,
                programme_name=pname,
                funder_id=fid,
                funder_name=funders[fid],
                period_from=(b.period_from if b else None) or pstart,
                period_to=(b.period_to if b else None) or pend,
                granted=b.granted if b else 0,
                own_funds=b.own_funds if b else 0,
                other_grants=b.other_grants if b else 0,
                fees=b.fees if b else 0,
                allowed_deviation=default_dev,
                lines=tuple(line_rows),
                expenses=tuple(rows),
            )
        )
    return tuple(out)


def invoice_files(
    db: Database, programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> list[tuple[str, bytes]]:
    """The files kept with the period's expenses, named for the evidence pack:
    ``factures/20260302-autocars-sants-sl-f-001.pdf`` (in the current language)."""
    from app.services.report_output import slug

    q = (
        select(
            Expense.issue_date,
            Expense.creditor,
            Expense.document_number,
            ExpenseAttachment.file_name,
            ExpenseAttachment.content,
        )
        .join(Expense, Expense.id == ExpenseAttachment.expense_id)
        .where(
            Expense.deleted_at.is_(None),
            Expense.issue_date >= date_from,
            Expense.issue_date <= date_to,
        )
        .order_by(Expense.issue_date, Expense.creditor, ExpenseAttachment.created_at)
    )
    if programme_ids is not None:
        q = q.where(Expense.programme_id.in_(list(programme_ids)))
    folder = slug(_("invoices"))
    out: list[tuple[str, bytes]] = []
    used: set[str] = set()
    with db.read() as s:
        for issued, creditor, number, file_name, content in s.execute(q):
            suffix = Path(file_name).suffix.lower()[:6]
            stem = f"{folder}/{issued:%Y%m%d}-{slug(creditor, 30)}-{slug(number, 20)}"
            name, n = f"{stem}{suffix}", 1
            while name in used:
                n += 1
                name = f"{stem}-{n}{suffix}"
            used.add(name)
            out.append((name, bytes(content)))
    return out


# -- importing a register -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpenseImport:
    """What an import read (and, unless only checked, saved)."""

    expenses: int
    total: int
    charged: dict[str, int]
    saved: bool


class _Checked(Exception):
    def __init__(self, result: ExpenseImport) -> None:
        self.result = result


MAX_ERRORS_SHOWN = 10


def import_expenses(
    db: Database, path: Path, programme_code: str | None = None, check_only: bool = False
) -> tuple[ExpenseImport, Changes]:
    """Every row of the spreadsheet as an expense, checked like one typed in the window; all
    saved or, at the first row with a problem (all of them are listed), none."""
    from app.exchange.expense_import import read_expense_sheet

    sheet = read_expense_sheet(Path(path))
    if programme_code is None and "programme" not in sheet.columns:
        raise UserError(
            _("Name the programme (--programme CODE) or add a Programme column to the file.")
        )
    try:
        with db.begin() as s:
            result = _import_rows(s, sheet, programme_code, Path(path).name)
            if check_only:
                raise _Checked(result)
    except _Checked as checked:
        return checked.result, Changes.of()
    return result, Changes.of(Area.ECONOMICS)


def _import_rows(
    s: OrmSession, sheet: object, programme_code: str | None, file_name: str
) -> ExpenseImport:
    from app.exchange.expense_import import ExpenseSheet
    from app.exchange.spreadsheet_read import normalise

    assert isinstance(sheet, ExpenseSheet)
    programmes = {
        p.code.lower(): p
        for p in s.scalars(select(Programme).where(Programme.deleted_at.is_(None)))
    }
    staff = {
        normalise(name): sid
        for sid, name in s.execute(select(Staff.id, Staff.name).where(Staff.deleted_at.is_(None)))
    }
    errors: list[str] = []
    total = 0
    charged_by: dict[str, int] = defaultdict(int)
    count = 0
    cache: dict[str, tuple[dict[str, str], dict[str, str], dict[str, str]]] = {}
    for number, cells in sheet.rows:
        try:
            code = programme_code or _text(sheet.value(cells, "programme"))
            programme = programmes.get(code.lower())
            if programme is None:
                raise UserError(_("There is no programme with the code {code}.").format(code=code))
            if programme.id not in cache:
                lines: dict[str, str] = {}
                for x in _programme_lines(s, programme.id):
                    for name in _line_names(x):
                        lines.setdefault(normalise(name), x.code)
                funders = {normalise(f.name): f.id for f in _funders(s, programme.id)}
                names = {f.id: f.name for f in _funders(s, programme.id)}
                cache[programme.id] = (lines, funders, names)
            lines, funders, names = cache[programme.id]
            draft = _row_draft(sheet, cells, programme.id, lines, funders, staff)
            draft = _check(s, draft)
            row = Expense(**{k: getattr(draft, k) for k in _EXPENSE_FIELDS})
            s.add(row)
            s.flush()
            for funder_id, share in draft.shares.items():
                if share > 0:
                    s.add(_share(row.id, funder_id, share))
                    charged_by[names[funder_id]] += charged(draft.total, share)
            s.flush()
            total += draft.total
            count += 1
        except UserError as e:
            errors.append(_("Row {number}: {problem}").format(number=number, problem=e))
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(
                _("…and {count} more rows with problems.").format(
                    count=len(errors) - MAX_ERRORS_SHOWN
                )
            )
        raise UserError(
            _("Nothing was imported: correct these rows and try again.") + "\n" + "\n".join(shown)
        )
    if count == 0:
        raise UserError(
            _("{name} holds no expenses below its column names.").format(name=file_name)
        )
    audit.record(
        s, "import", file_name, _("{count} expenses from a spreadsheet").format(count=count)
    )
    return ExpenseImport(count, total, dict(charged_by), True)


_EXPENSE_FIELDS = (
    "programme_id",
    "kind",
    "creditor",
    "creditor_tax_id",
    "document_number",
    "description",
    "issue_date",
    "payment_date",
    "amount",
    "vat",
    "line",
    "staff_id",
    "outside_reason",
)


def _line_names(x: BudgetLineDTO) -> list[str]:
    from app.domain.economics import LINE_LABELS
    from app.i18n import translator

    names = [x.code, x.label]
    if x.code in LINE_LABELS:
        names.append(LINE_LABELS[x.code])
        names += [translator(lang).gettext(LINE_LABELS[x.code]) for lang in ("ca", "es")]
    return [n for n in names if n]


def _text(value: object) -> str:
    from app.exchange.spreadsheet_read import cell_text

    return cell_text(value)


def _cents(value: object, what: str) -> int:
    from app.domain.economics import parse_amount

    if value is None or value == "":
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value) * 100)
    try:
        return parse_amount(str(value))
    except UserError as e:
        raise UserError(f"{what}: {e}") from e


def _share_value(value: object) -> int:
    from app.domain.economics import parse_share

    if value is None or value == "":
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A cell formatted as a percentage holds a fraction: 0,6 is 60 %.
        number = float(value) * 100 if 0 <= float(value) <= 1 else float(value)
        return round(number * 100)
    return parse_share(str(value))


def _row_draft(
    sheet: object,
    cells: tuple[object, ...],
    programme_id: str,
    lines: dict[str, str],
    funders: dict[str, str],
    staff: dict[str, str],
) -> ExpenseDraft:
    from app.exchange.expense_import import ExpenseSheet
    from app.exchange.spreadsheet_read import normalise, parse_date

    assert isinstance(sheet, ExpenseSheet)

    def date(field: str, label: str) -> dt.date | None:
        raw = sheet.value(cells, field)
        try:
            value = parse_date(raw)
        except ValueError:
            value = -1
        if isinstance(value, int):
            raise UserError(
                _("{column}: “{value}” is not a date.").format(column=label, value=_text(raw))
            )
        return value

    issued = date("issue_date", _("Issue date"))
    if issued is None:
        raise UserError(_("The issue date is empty."))
    kind_text = normalise(sheet.value(cells, "kind"))
    kind = "payroll" if kind_text in ("nomina", "payroll", "nomines", "nominas") else "invoice"
    line_text = _text(sheet.value(cells, "line"))
    line = (
        lines.get(normalise(line_text), "") if line_text else ("staff" if kind == "payroll" else "")
    )
    if line_text and not line:
        raise UserError(_("“{line}” is not a budget line of the programme.").format(line=line_text))
    staff_id = None
    if kind == "payroll":
        name = _text(sheet.value(cells, "staff")) or _text(sheet.value(cells, "creditor"))
        staff_id = staff.get(normalise(name))
        if staff_id is None:
            raise UserError(_("“{name}” is not a member of the team.").format(name=name))
    shares: dict[str, int] = {}
    for column, funder_name in sheet.shares.items():
        funder_id = funders.get(normalise(funder_name))
        if funder_id is None:
            raise UserError(
                _("The column “% {funder}” names a funder the programme does not have.").format(
                    funder=funder_name
                )
            )
        value = _share_value(cells[column] if column < len(cells) else None)
        if value:
            shares[funder_id] = shares.get(funder_id, 0) + value
    if not sheet.shares and len(funders) == 1:
        shares = {next(iter(funders.values())): FULL_SHARE}
    return ExpenseDraft(
        programme_id=programme_id,
        kind=kind,
        issue_date=issued,
        payment_date=date("payment_date", _("Payment date")),
        amount=_cents(sheet.value(cells, "amount"), _("Base (€)")),
        vat=_cents(sheet.value(cells, "vat"), _("VAT (€)")),
        line=line,
        creditor=_text(sheet.value(cells, "creditor")),
        creditor_tax_id=_text(sheet.value(cells, "tax_id")),
        document_number=_text(sheet.value(cells, "document_number")),
        description=_text(sheet.value(cells, "description")),
        staff_id=staff_id,
        outside_reason=_text(sheet.value(cells, "reason")),
        shares=shares,
    )


def _share(expense_id: str, funder_id: str, share: int) -> ExpenseShare:
    """A funder's share of an expense, under an id made from the two (the same on every
    device: shares set on two devices at once are one share per funder when they sync)."""
    return ExpenseShare(
        id=natural_id("expense_share", expense_id, funder_id),
        expense_id=expense_id,
        funder_id=funder_id,
        share=share,
    )
