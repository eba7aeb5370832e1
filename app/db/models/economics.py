"""The economic half of a justification (memòria econòmica): each funder's approved budget for a
programme, by line, and the register of expenses charged to it.

Amounts are whole cents (integers: sums never drift); shares are hundredths of a percent
(10 000 = 100 %)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Entity, SoftDeleted


class Budget(Entity):
    """A funder's grant to a programme: the amount granted, the co-financing and the period."""

    __tablename__ = "budget"
    __table_args__ = (UniqueConstraint("programme_id", "funder_id"),)

    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    funder_id: Mapped[str] = mapped_column(ForeignKey("funder.id", ondelete="CASCADE"))
    granted: Mapped[int] = mapped_column(Integer, default=0)
    own_funds: Mapped[int] = mapped_column(Integer, default=0)
    other_grants: Mapped[int] = mapped_column(Integer, default=0)
    fees: Mapped[int] = mapped_column(Integer, default=0)
    #: The deviation the funder allows on each line, in percent (a line may set its own).
    allowed_deviation: Mapped[int] = mapped_column(Integer, default=20)
    #: The grant's period; empty: the programme's dates.
    period_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    period_to: Mapped[dt.date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


class BudgetLine(Entity):
    """A line of the approved budget: a concept (staff, travel… or one of the entity's own)."""

    __tablename__ = "budget_line"
    __table_args__ = (UniqueConstraint("budget_id", "code"),)

    budget_id: Mapped[str] = mapped_column(ForeignKey("budget.id", ondelete="CASCADE"), index=True)
    #: staff, activities, services, travel, indirect, or the code of a line the entity named.
    code: Mapped[str] = mapped_column(String(40))
    #: The name of a line the entity added ("" for the common lines: their name is translated).
    label: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: This line's allowed deviation in percent; empty: the budget's.
    allowed_deviation: Mapped[int | None] = mapped_column(Integer, default=None)


class Expense(Entity, SoftDeleted):
    """An invoice (or receipt) or a month of a staff member's payroll, charged to a programme."""

    __tablename__ = "expense"

    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    #: invoice, payroll
    kind: Mapped[str] = mapped_column(String(20), default="invoice")
    creditor: Mapped[str] = mapped_column(String(200), default="")
    creditor_tax_id: Mapped[str] = mapped_column(String(30), default="")
    document_number: Mapped[str] = mapped_column(String(60), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    issue_date: Mapped[dt.date] = mapped_column(Date, index=True)
    payment_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    #: The taxable base and the VAT, in cents; the cost is their sum.
    amount: Mapped[int] = mapped_column(Integer, default=0)
    vat: Mapped[int] = mapped_column(Integer, default=0)
    #: The code of a budget line.
    line: Mapped[str] = mapped_column(String(40))
    #: Payroll: the staff member (the month is the issue date's).
    staff_id: Mapped[str | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), default=None
    )
    #: Why an expense dated outside a grant's period is kept.
    outside_reason: Mapped[str] = mapped_column(Text, default="")


class ExpenseShare(Entity):
    """The part of an expense charged to one funder (hundredths of a percent)."""

    __tablename__ = "expense_share"
    __table_args__ = (UniqueConstraint("expense_id", "funder_id"),)

    expense_id: Mapped[str] = mapped_column(
        ForeignKey("expense.id", ondelete="CASCADE"), index=True
    )
    funder_id: Mapped[str] = mapped_column(ForeignKey("funder.id", ondelete="CASCADE"))
    share: Mapped[int] = mapped_column(Integer)


class ExpenseAttachment(Entity):
    """The invoice's PDF or photo, kept with its expense inside the database file: as private
    as the rest of the data (the file is 0600), in every backup, gone with its expense."""

    __tablename__ = "expense_attachment"

    expense_id: Mapped[str] = mapped_column(
        ForeignKey("expense.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(80))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
