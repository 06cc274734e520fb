"""Read side for members: search as you type, detail, history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from app import dates
from app.ledger.balances import SAVINGS_CODES, member_savings
from app.ledger.chart import SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.models import Account, JournalEntry, JournalLine, Member
from app.services import savings


@dataclass(frozen=True)
class MemberRow:
    id: int
    number: str
    name: str
    nik: str
    sex: str
    phone: str
    dusun: str
    status: str
    joined_on: date


@dataclass(frozen=True)
class MemberDetail:
    id: int
    number: str
    nik: str
    name: str
    sex: str
    birth_place: str
    birth_date: date | None
    address: str
    rt: str
    rw: str
    dusun: str
    occupation: str
    phone: str
    joined_on: date
    status: str
    status_date: date | None
    status_reason: str
    heir_name: str
    heir_relation: str
    heir_phone: str
    role: str
    position: str
    pokok: int
    wajib: int
    sukarela: int
    wajib_arrears: int
    wajib_unpaid_months: int
    wajib_advance: int

    @property
    def total_savings(self) -> int:
        return self.pokok + self.wajib + self.sukarela


@dataclass(frozen=True)
class HistoryRow:
    entry_id: int
    number: str
    date: date
    kind: str
    memo: str
    pokok: int
    wajib: int
    sukarela: int
    sukarela_balance: int


SORTS = {
    "number": Member.number,
    "name": Member.name,
    "joined_on": Member.joined_on,
    "dusun": Member.dusun,
    "status": Member.status,
}


def _filtered(stmt: Select, text: str, status: str | None) -> Select:  # type: ignore[type-arg]
    text = text.strip()
    if status:
        stmt = stmt.where(Member.status == status)
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        clauses: list[ColumnElement[bool]] = [Member.name.ilike(like), Member.dusun.ilike(like)]
        digits = "".join(ch for ch in text if ch.isdigit())
        only_digits = bool(digits) and len(digits) == len(
            text.replace(" ", "").replace(".", "").replace("-", "").replace("+", "")
        )
        if only_digits:
            clauses += [Member.number.like(f"%{digits}"), Member.number == digits.zfill(4)]
            # A NIK starts with the province code, so short prefixes match half the village.
            if len(digits) >= 4:
                clauses.append(Member.nik.like(f"{digits}%"))
            # Phones are stored as +628...: "0812..." and "62812..." both mean "812...".
            national = digits
            for prefix in ("62", "0"):
                if national.startswith(prefix) and text.lstrip().startswith(("0", "+62", "62")):
                    national = national[len(prefix) :]
                    break
            if len(national) >= 4:
                clauses.append(Member.phone.like(f"%{national}%"))
        stmt = stmt.where(or_(*clauses))
    return stmt


def search_members(
    session: Session,
    text: str = "",
    *,
    status: str | None = None,
    order: str = "number",
    descending: bool = False,
    limit: int = 200,
    offset: int = 0,
) -> list[MemberRow]:
    """Members matching a number, name, NIK (Nomor Induk Kependudukan), phone or dusun."""
    column = SORTS.get(order, Member.number)
    stmt = _filtered(
        select(
            Member.id,
            Member.number,
            Member.name,
            Member.nik,
            Member.sex,
            Member.phone,
            Member.dusun,
            Member.status,
            Member.joined_on,
        ),
        text,
        status,
    )
    stmt = stmt.order_by(column.desc() if descending else column, Member.number)
    rows = session.execute(stmt.limit(limit).offset(offset))
    return [MemberRow(*row) for row in rows]


def count_members(session: Session, text: str = "", *, status: str | None = None) -> int:
    return int(session.scalar(_filtered(select(func.count(Member.id)), text, status)) or 0)


def member_detail(session: Session, member_id: int, on: date | None = None) -> MemberDetail:
    member = session.get(Member, member_id)
    if member is None:
        from app.errors import NotFound

        raise NotFound("Anggota tidak ditemukan.")
    on = on or dates.today()
    balances = member_savings(session, member_id)
    status = savings.wajib_status(session, member_id, on.year, on.month)
    return MemberDetail(
        id=member.id,
        number=member.number,
        nik=member.nik,
        name=member.name,
        sex=member.sex,
        birth_place=member.birth_place,
        birth_date=member.birth_date,
        address=member.address,
        rt=member.rt,
        rw=member.rw,
        dusun=member.dusun,
        occupation=member.occupation,
        phone=member.phone,
        joined_on=member.joined_on,
        status=member.status,
        status_date=member.status_date,
        status_reason=member.status_reason,
        heir_name=member.heir_name,
        heir_relation=member.heir_relation,
        heir_phone=member.heir_phone,
        role=member.role,
        position=member.position,
        pokok=balances[SIMPANAN_POKOK],
        wajib=balances[SIMPANAN_WAJIB],
        sukarela=balances[SIMPANAN_SUKARELA],
        wajib_arrears=status.arrears if member.status == "aktif" else 0,
        wajib_unpaid_months=len(status.unpaid_months) if member.status == "aktif" else 0,
        wajib_advance=status.advance,
    )


def member_history(session: Session, member_id: int) -> list[HistoryRow]:
    """Every savings movement of a member, oldest first, with the running sukarela balance."""
    rows = session.execute(
        select(
            JournalEntry.id,
            JournalEntry.number,
            JournalEntry.date,
            JournalEntry.kind,
            JournalEntry.memo,
            Account.code,
            func.sum(JournalLine.amount),
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalLine.member_id == member_id, Account.code.in_(SAVINGS_CODES))
        .group_by(JournalEntry.id, Account.code)
        .order_by(JournalEntry.date, JournalEntry.id)
    )
    by_entry: dict[int, dict[str, object]] = {}
    for entry_id, number, on, kind, memo, code, total in rows:
        item = by_entry.setdefault(
            entry_id,
            {
                "number": number,
                "date": on,
                "kind": kind,
                "memo": memo,
                **dict.fromkeys(SAVINGS_CODES, 0),
            },
        )
        item[code] = -int(total)
    result = []
    running = 0
    for entry_id, item in by_entry.items():
        running += int(item[SIMPANAN_SUKARELA])  # type: ignore[call-overload]
        result.append(
            HistoryRow(
                entry_id=entry_id,
                number=str(item["number"]),
                date=item["date"],  # type: ignore[arg-type]
                kind=str(item["kind"]),
                memo=str(item["memo"]),
                pokok=int(item[SIMPANAN_POKOK]),  # type: ignore[call-overload]
                wajib=int(item[SIMPANAN_WAJIB]),  # type: ignore[call-overload]
                sukarela=int(item[SIMPANAN_SUKARELA]),  # type: ignore[call-overload]
                sukarela_balance=running,
            )
        )
    return result
