"""loans: products, loans and their fixed schedules

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loan_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("monthly_rate", sa.String(length=16), nullable=False),
        sa.Column("min_months", sa.Integer(), nullable=False),
        sa.Column("max_months", sa.Integer(), nullable=False),
        sa.Column("provisi_rate", sa.String(length=16), nullable=False),
        sa.Column("admin_fee", sa.BigInteger(), nullable=False),
        sa.Column("ceiling_multiple", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_product")),
        sa.UniqueConstraint("name", name=op.f("uq_loan_product_name")),
    )
    op.create_table(
        "loan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("principal", sa.BigInteger(), nullable=False),
        sa.Column("monthly_rate", sa.String(length=16), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("round_to", sa.Integer(), nullable=False),
        sa.Column("provisi", sa.BigInteger(), nullable=False),
        sa.Column("admin_fee", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("collateral", sa.Text(), nullable=False),
        sa.Column("collateral_value", sa.BigInteger(), nullable=False),
        sa.Column("guarantor_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("disbursed_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("paid_before_cutover", sa.Integer(), nullable=False),
        sa.Column("class_override", sa.String(length=16), nullable=False),
        sa.Column("class_override_reason", sa.Text(), nullable=False),
        sa.CheckConstraint("method IN ('flat', 'menurun', 'anuitas')", name=op.f("ck_loan_method")),
        sa.CheckConstraint(
            "status IN ('pengajuan', 'disetujui', 'ditolak', 'dicairkan', 'lunas', "
            "'dihapusbukukan')",
            name=op.f("ck_loan_status"),
        ),
        sa.CheckConstraint("months > 0", name=op.f("ck_loan_months")),
        sa.CheckConstraint("principal > 0", name=op.f("ck_loan_principal")),
        sa.ForeignKeyConstraint(
            ["guarantor_id"], ["member.id"], name=op.f("fk_loan_guarantor_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_loan_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["loan_product.id"], name=op.f("fk_loan_product_id_loan_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan")),
        sa.UniqueConstraint("number", name=op.f("uq_loan_number")),
    )
    with op.batch_alter_table("loan", schema=None) as batch_op:
        batch_op.create_index("ix_loan_member", ["member_id"], unique=False)
        batch_op.create_index("ix_loan_status", ["status"], unique=False)

    op.create_table(
        "loan_installment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("principal", sa.BigInteger(), nullable=False),
        sa.Column("interest", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loan.id"], name=op.f("fk_loan_installment_loan_id_loan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_installment")),
        sa.UniqueConstraint("loan_id", "k", name=op.f("uq_loan_installment_loan_id_k")),
    )


def downgrade() -> None:
    op.drop_table("loan_installment")
    with op.batch_alter_table("loan", schema=None) as batch_op:
        batch_op.drop_index("ix_loan_status")
        batch_op.drop_index("ix_loan_member")

    op.drop_table("loan")
    op.drop_table("loan_product")
