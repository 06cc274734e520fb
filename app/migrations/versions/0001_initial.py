"""initial schema: accounts, journal, members, settings, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("normal", sa.String(length=1), nullable=False),
        sa.Column("grp", sa.String(length=16), nullable=False),
        sa.Column("is_contra", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_system", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "grp IN ('aset', 'liabilitas', 'ekuitas', 'pendapatan', 'beban')",
            name=op.f("ck_account_group"),
        ),
        sa.CheckConstraint("normal IN ('D', 'C')", name=op.f("ck_account_normal_side")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("code", name=op.f("uq_account_code")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_log_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "closed_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("start_date <= end_date", name=op.f("ck_closed_period_ordered")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closed_period")),
    )
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_place", sa.String(length=80), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("rt", sa.String(length=3), nullable=False),
        sa.Column("rw", sa.String(length=3), nullable=False),
        sa.Column("dusun", sa.String(length=80), nullable=False),
        sa.Column("occupation", sa.String(length=80), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("heir_name", sa.String(length=120), nullable=False),
        sa.Column("heir_relation", sa.String(length=40), nullable=False),
        sa.Column("heir_phone", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("position", sa.String(length=60), nullable=False),
        sa.CheckConstraint("sex IN ('L', 'P')", name=op.f("ck_member_sex")),
        sa.CheckConstraint(
            "status IN ('aktif', 'keluar', 'meninggal', 'diberhentikan')",
            name=op.f("ck_member_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
        sa.UniqueConstraint("nik", name=op.f("uq_member_nik")),
        sa.UniqueConstraint("number", name=op.f("uq_member_number")),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_phone"), ["phone"], unique=False)

    op.create_table(
        "number_sequence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_sequence")),
        sa.UniqueConstraint("series", "year", name=op.f("uq_number_sequence_series_year")),
    )
    op.create_table(
        "savings_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.CheckConstraint("kind IN ('pokok', 'wajib')", name=op.f("ck_savings_rate_kind")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_savings_rate_amount")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_savings_rate")),
        sa.UniqueConstraint(
            "kind", "effective_from", name=op.f("uq_savings_rate_kind_effective_from")
        ),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "journal_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("posted_by", sa.String(length=64), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_journal_entry_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["journal_entry.id"],
            name=op.f("fk_journal_entry_reverses_id_journal_entry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entry")),
        sa.UniqueConstraint("number", name=op.f("uq_journal_entry_number")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_journal_entry_reverses_id")),
    )
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.create_index("ix_journal_entry_date", ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_journal_entry_member_id"), ["member_id"], unique=False)

    op.create_table(
        "journal_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("loan_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_journal_line_nonzero")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_journal_line_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entry.id"], name=op.f("fk_journal_line_entry_id_journal_entry")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_journal_line_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_line")),
    )
    with op.batch_alter_table("journal_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_journal_line_account_member_amount",
            ["account_id", "member_id", "amount"],
            unique=False,
        )
        batch_op.create_index("ix_journal_line_entry", ["entry_id"], unique=False)
        batch_op.create_index("ix_journal_line_loan_amount", ["loan_id", "amount"], unique=False)
        batch_op.create_index(
            "ix_journal_line_member_entry", ["member_id", "entry_id"], unique=False
        )

    # Posted rows are never changed: corrections are reversing entries. The
    # triggers stop honest mistakes; the hash chain (`lumbung check`) catches
    # anyone who drops them to edit the file behind the program's back.
    for table in ("journal_entry", "journal_line"):
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'Jurnal yang sudah diposting tidak dapat diubah "
                f"atau dihapus; buat jurnal pembalik.'); END"
            )


def downgrade() -> None:
    for table in ("journal_entry", "journal_line"):
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    with op.batch_alter_table("journal_line", schema=None) as batch_op:
        batch_op.drop_index("ix_journal_line_member_entry")
        batch_op.drop_index("ix_journal_line_loan_amount")
        batch_op.drop_index("ix_journal_line_entry")
        batch_op.drop_index("ix_journal_line_account_member_amount")

    op.drop_table("journal_line")
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_entry_member_id"))
        batch_op.drop_index("ix_journal_entry_date")

    op.drop_table("journal_entry")
    op.drop_table("setting")
    op.drop_table("savings_rate")
    op.drop_table("number_sequence")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_phone"))
        batch_op.drop_index(batch_op.f("ix_member_name"))

    op.drop_table("member")
    op.drop_table("closed_period")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    op.drop_table("account")
