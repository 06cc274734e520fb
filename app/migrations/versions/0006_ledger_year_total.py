"""ledger_year_total and ledger_year_cash: the journal summed per year, kept by triggers

A balance on 31/12 or the flows of a whole year were SUMs over every line of
the book (millions on a ten-year book). The lines of a year, summed per
account, member, loan, unit and kind, are a few thousand rows. The trigger adds
each inserted line to its row; lines are never updated or deleted, so nothing
else can change it. ``lumbung check`` proves the rows equal the SUM of the
lines. The existing lines are summed once here.

ledger_year_cash is the cash flow's reading (direct method): per year, the
lines on the other side of cash (every line not on a cash account, of an entry
that has a cash line), per account, side and whether the entry is a saldo awal
(or the reversal of one: correcting the cut-over is not a flow either).
A line cannot know when it is inserted whether a later line of its entry will
be cash, so the trigger adds a non-cash line when its entry already has a cash
line, and the entry's earlier non-cash lines when the first cash line arrives;
in whatever order the lines come, each counts once. (A row trigger sees the
rows inserted before its own, never the later ones of the same statement.)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The key of a line: its entry's year, and its kind (a reversal counts as the
# kind of the entry it reverses). Shared by the trigger and the backfill.
_LINE_KEY = """
    CAST(substr(e.date, 1, 4) AS INTEGER),
    {line}.account_id,
    coalesce({line}.member_id, 0),
    coalesce({line}.loan_id, 0),
    {line}.unit,
    coalesce(o.kind, e.kind)
"""
_ENTRY_JOIN = "journal_entry e LEFT JOIN journal_entry o ON o.id = e.reverses_id"
_COLUMNS = "year, account_id, member_id, loan_id, unit, kind, debit, credit, lines"

TRIGGER = f"""
CREATE TRIGGER journal_line_year_total AFTER INSERT ON journal_line
BEGIN
    INSERT INTO ledger_year_total ({_COLUMNS})
    SELECT {_LINE_KEY.format(line="NEW")}, max(NEW.amount, 0), min(NEW.amount, 0), 1
    FROM {_ENTRY_JOIN}
    WHERE e.id = NEW.entry_id
    ON CONFLICT (account_id, year, member_id, loan_id, unit, kind) DO UPDATE SET
        debit = debit + excluded.debit,
        credit = credit + excluded.credit,
        lines = lines + 1;
END
"""

BACKFILL = f"""
INSERT INTO ledger_year_total ({_COLUMNS})
SELECT {_LINE_KEY.format(line="l")},
       sum(max(l.amount, 0)), sum(min(l.amount, 0)), count(*)
FROM journal_line l
JOIN journal_entry e ON e.id = l.entry_id
LEFT JOIN journal_entry o ON o.id = e.reverses_id
GROUP BY 1, 2, 3, 4, 5, 6
"""


# Cash and cash equivalents of the cash flow statement (DOMAIN.md 6.4).
_CASH = "(SELECT id FROM account WHERE code IN ('1-101', '1-102', '1-111'))"
_CASH_COLUMNS = "year, account_id, debit, opening, amount, lines"
_CASH_CONFLICT = """
    ON CONFLICT (year, account_id, debit, opening) DO UPDATE SET
        amount = amount + excluded.amount,
        lines = lines + excluded.lines;
"""

CASH_TRIGGER = f"""
CREATE TRIGGER journal_line_year_cash AFTER INSERT ON journal_line
BEGIN
    INSERT INTO ledger_year_cash ({_CASH_COLUMNS})
    SELECT CAST(substr(e.date, 1, 4) AS INTEGER), NEW.account_id, NEW.amount > 0,
           coalesce(o.kind, e.kind) = 'SA', NEW.amount, 1
    FROM journal_entry e LEFT JOIN journal_entry o ON o.id = e.reverses_id
    WHERE e.id = NEW.entry_id
      AND NEW.account_id NOT IN {_CASH}
      AND EXISTS (SELECT 1 FROM journal_line c
                  WHERE c.entry_id = NEW.entry_id AND c.id <> NEW.id
                    AND c.account_id IN {_CASH})
    {_CASH_CONFLICT}
    INSERT INTO ledger_year_cash ({_CASH_COLUMNS})
    SELECT CAST(substr(e.date, 1, 4) AS INTEGER), l.account_id, l.amount > 0,
           coalesce(o.kind, e.kind) = 'SA', sum(l.amount), count(*)
    FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
    LEFT JOIN journal_entry o ON o.id = e.reverses_id
    WHERE l.entry_id = NEW.entry_id AND l.id <> NEW.id
      AND l.account_id NOT IN {_CASH}
      AND NEW.account_id IN {_CASH}
      AND NOT EXISTS (SELECT 1 FROM journal_line c
                      WHERE c.entry_id = NEW.entry_id AND c.id <> NEW.id
                        AND c.account_id IN {_CASH})
    GROUP BY 1, 2, 3, 4
    {_CASH_CONFLICT}
END
"""

CASH_BACKFILL = f"""
INSERT INTO ledger_year_cash ({_CASH_COLUMNS})
SELECT CAST(substr(e.date, 1, 4) AS INTEGER), l.account_id, l.amount > 0,
       coalesce(o.kind, e.kind) = 'SA', sum(l.amount), count(*)
FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
LEFT JOIN journal_entry o ON o.id = e.reverses_id
WHERE l.account_id NOT IN {_CASH}
  AND EXISTS (SELECT 1 FROM journal_line c
              WHERE c.entry_id = l.entry_id AND c.account_id IN {_CASH})
GROUP BY 1, 2, 3, 4
"""


def upgrade() -> None:
    op.create_table(
        "ledger_year_total",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        # The account first: reads ask for a few accounts over a span of years.
        sa.PrimaryKeyConstraint(
            "account_id",
            "year",
            "member_id",
            "loan_id",
            "unit",
            "kind",
            name=op.f("pk_ledger_year_total"),
        ),
        sqlite_with_rowid=False,
    )
    op.execute(BACKFILL)
    op.execute(TRIGGER)
    op.create_table(
        "ledger_year_cash",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("debit", sa.Boolean(), nullable=False),
        sa.Column("opening", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "year", "account_id", "debit", "opening", name=op.f("pk_ledger_year_cash")
        ),
        sqlite_with_rowid=False,
    )
    op.execute(CASH_BACKFILL)
    op.execute(CASH_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS journal_line_year_cash")
    op.drop_table("ledger_year_cash")
    op.execute("DROP TRIGGER IF EXISTS journal_line_year_total")
    op.drop_table("ledger_year_total")
