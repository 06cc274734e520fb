"""journal lines: covering index (loan_id, account_id, amount)

A loan's outstanding principal and repaid interest are SUMs of its lines on
one or two accounts. With the account in the index SQLite answers them from
the index alone, for every loan at once or for one, on any date.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("journal_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_journal_line_loan_account_amount", ["loan_id", "account_id", "amount"], unique=False
        )
        batch_op.drop_index("ix_journal_line_loan_amount")


def downgrade() -> None:
    with op.batch_alter_table("journal_line", schema=None) as batch_op:
        batch_op.create_index("ix_journal_line_loan_amount", ["loan_id", "amount"], unique=False)
        batch_op.drop_index("ix_journal_line_loan_account_amount")
