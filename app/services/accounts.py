"""Chart of accounts: add under a group, rename, deactivate (never delete); all audited.

Codes follow the default chart (DOMAIN.md 4.1): the group digit, a dash, three
digits (``5-312``), or four for a sub-account of a fixed asset (``1-3021``).
The accounts the program posts to (``chart.PROGRAM_ACCOUNTS``) can never be
deactivated; no account with a balance can be deactivated; no account is ever
deleted (its lines stay in the journal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import permissions
from app.errors import NotAllowed, NotFound, ValidationError
from app.ledger.chart import PROGRAM_ACCOUNTS, group_of
from app.models import Account, JournalLine
from app.money import format_rupiah
from app.services import audit

_CODE = re.compile(r"[1-5]-[0-9]{3,4}", re.ASCII)
_GROUP_DIGIT = {"aset": "1", "liabilitas": "2", "ekuitas": "3", "pendapatan": "4", "beban": "5"}
# The normal side of a group; a contra account (accumulated depreciation) is the other.
_NORMAL = {"aset": "D", "beban": "D", "liabilitas": "C", "ekuitas": "C", "pendapatan": "C"}


@dataclass(frozen=True)
class AccountInfo:
    id: int
    code: str
    name: str
    group: str
    normal: str
    is_contra: bool
    active: bool
    is_system: bool


def _info(account: Account) -> AccountInfo:
    return AccountInfo(
        account.id,
        account.code,
        account.name,
        account.grp,
        account.normal,
        account.is_contra,
        account.active,
        account.is_system,
    )


def get_account(session: Session, code: str) -> Account:
    account = session.scalar(select(Account).where(Account.code == code.strip()))
    if account is None:
        raise NotFound(f"Akun {code} tidak ada di bagan akun.")
    return account


def list_accounts(session: Session, *, include_inactive: bool = True) -> list[AccountInfo]:
    stmt = select(Account).order_by(Account.code)
    if not include_inactive:
        stmt = stmt.where(Account.active.is_(True))
    return [_info(a) for a in session.scalars(stmt)]


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("Nama akun wajib diisi.", field="name")
    if len(cleaned) > 120:
        raise ValidationError("Nama akun paling panjang 120 huruf.", field="name")
    return cleaned


def suggest_code(session: Session, near: str) -> str:
    """The first free code after ``near`` in the same series (``5-311`` -> ``5-312``)."""
    near = near.strip()
    if not _CODE.fullmatch(near):
        raise ValidationError(f'Kode akun "{near}" tidak sesuai pola, misalnya 5-311.')
    prefix, digits = near.split("-")
    used = set(session.scalars(select(Account.code)))
    number = int(digits)
    limit = 10 ** len(digits)
    while number + 1 < limit:
        number += 1
        code = f"{prefix}-{number:0{len(digits)}d}"
        if code not in used:
            return code
    raise ValidationError(f"Tidak ada kode bebas sesudah {near}; pilih kode lain.")


def add_account(
    session: Session,
    *,
    group: str,
    code: str,
    name: str,
    by: str,
    contra: bool = False,
) -> AccountInfo:
    """A new account under ``group`` (aset, liabilitas, ekuitas, pendapatan, beban)."""
    permissions.require(session, "akun.ubah")
    if group not in _GROUP_DIGIT:
        raise ValidationError(
            "Kelompok akun harus aset, liabilitas, ekuitas, pendapatan atau beban.",
            field="group",
        )
    code = code.strip()
    if not _CODE.fullmatch(code):
        raise ValidationError(
            f'Kode akun "{code}" tidak sesuai pola: angka kelompok, tanda minus, tiga angka '
            "(misalnya 5-312), atau empat angka untuk sub-akun (misalnya 1-3042).",
            field="code",
        )
    if group_of(code) != group:
        raise ValidationError(
            f"Kode akun {code} bukan kelompok {group}: akun {group} berkode "
            f"{_GROUP_DIGIT[group]}-xxx.",
            field="code",
        )
    existing = session.scalar(select(Account).where(Account.code == code))
    if existing is not None:
        raise ValidationError(
            f"Kode akun {code} sudah dipakai oleh {existing.name}; "
            f"kode bebas berikutnya: {suggest_code(session, code)}.",
            field="code",
        )
    cleaned = _clean_name(name)
    normal = _NORMAL[group]
    if contra:
        normal = "C" if normal == "D" else "D"
    account = Account(
        code=code,
        name=cleaned,
        normal=normal,
        grp=group,
        is_contra=contra,
        active=True,
        is_system=False,
    )
    session.add(account)
    session.flush()
    session.info.pop("account_ids", None)  # chart.account_ids cache
    audit.record(
        session,
        by=by,
        action="akun.tambah",
        entity="account",
        entity_id=account.id,
        after={"kode": code, "nama": cleaned, "kelompok": group, "normal": normal},
    )
    return _info(account)


def rename_account(session: Session, code: str, name: str, *, by: str) -> AccountInfo:
    permissions.require(session, "akun.ubah")
    account = get_account(session, code)
    cleaned = _clean_name(name)
    if cleaned != account.name:
        before = account.name
        account.name = cleaned
        audit.record(
            session,
            by=by,
            action="akun.ubah_nama",
            entity="account",
            entity_id=account.id,
            before={"nama": before},
            after={"nama": cleaned},
            note=account.code,
        )
        session.flush()
    return _info(account)


def account_balance(session: Session, account_id: int) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(JournalLine.amount), 0)).where(
            JournalLine.account_id == account_id
        )
    )
    return int(total or 0)


def deactivate_account(session: Session, code: str, *, by: str, reason: str = "") -> AccountInfo:
    """Hide an account from pickers; it keeps its history. Refused for program accounts
    and for an account that still has a balance."""
    permissions.require(session, "akun.ubah")
    account = get_account(session, code)
    if not account.active:
        return _info(account)
    if account.code in PROGRAM_ACCOUNTS:
        raise NotAllowed(
            f"Akun {account.code} {account.name} dipakai program dan tidak dapat dinonaktifkan."
        )
    remaining = account_balance(session, account.id)
    if remaining:
        raise NotAllowed(
            f"Akun {account.code} {account.name} masih bersaldo {format_rupiah(abs(remaining))}; "
            "pindahkan saldonya dengan jurnal umum sebelum menonaktifkan akun."
        )
    account.active = False
    audit.record(
        session,
        by=by,
        action="akun.nonaktif",
        entity="account",
        entity_id=account.id,
        before={"aktif": True},
        after={"aktif": False},
        note=f"{account.code}: {reason.strip()}".rstrip(": "),
    )
    session.flush()
    return _info(account)


def reactivate_account(session: Session, code: str, *, by: str) -> AccountInfo:
    permissions.require(session, "akun.ubah")
    account = get_account(session, code)
    if not account.active:
        account.active = True
        audit.record(
            session,
            by=by,
            action="akun.aktif",
            entity="account",
            entity_id=account.id,
            before={"aktif": False},
            after={"aktif": True},
            note=account.code,
        )
        session.flush()
    return _info(account)
