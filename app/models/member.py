"""Members (DOMAIN.md 1)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

ACTIVE = "aktif"
STATUSES = ("aktif", "keluar", "meninggal", "diberhentikan")
ROLES = ("anggota", "pengurus", "pengawas", "karyawan")


class Member(Base):
    __tablename__ = "member"
    __table_args__ = (
        CheckConstraint("sex IN ('L', 'P')", name="sex"),
        CheckConstraint(
            "status IN ('aktif', 'keluar', 'meninggal', 'diberhentikan')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    nik: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_place: Mapped[str] = mapped_column(String(80), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    address: Mapped[str] = mapped_column(Text, default="")
    rt: Mapped[str] = mapped_column(String(3), default="")
    rw: Mapped[str] = mapped_column(String(3), default="")
    dusun: Mapped[str] = mapped_column(String(80), default="")
    occupation: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(20), default="", index=True)
    joined_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    status_date: Mapped[date | None] = mapped_column(Date, default=None)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    heir_name: Mapped[str] = mapped_column(String(120), default="")
    heir_relation: Mapped[str] = mapped_column(String(40), default="")
    heir_phone: Mapped[str] = mapped_column(String(20), default="")
    role: Mapped[str] = mapped_column(String(16), default="anggota")
    position: Mapped[str] = mapped_column(String(60), default="")
