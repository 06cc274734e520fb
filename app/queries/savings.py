"""Read side for savings: wajib collection list and the member balances list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import dates
from app.ledger.balances import member_savings, savings_by_member
from app.ledger.chart import SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.models import Member
from app.models.member import ACTIVE
from app.services import settings
from app.services.members import get_member
from app.services.savings import WajibCalendar, expected_wajib, sukarela_available


@dataclass(frozen=True)
class WajibDue:
    """One active member who still owes wajib up to the month being collected."""

    member_id: int
    number: str
    name: str
    phone: str
    dusun: str
    unpaid_months: tuple[tuple[int, int], ...]
    arrears: int
    monthly: int

    @property
    def months_owed(self) -> int:
        return len(self.unpaid_months)


@dataclass(frozen=True)
class SavingsRow:
    member_id: int
    number: str
    name: str
    status: str
    pokok: int
    wajib: int
    sukarela: int

    @property
    def total(self) -> int:
        return self.pokok + self.wajib + self.sukarela


def wajib_due(session: Session, year: int, month: int) -> list[WajibDue]:
    """Active members whose wajib paid so far does not cover the months up to (year, month).

    One grouped query for all balances, so 5.000 members cost one pass over
    the index, not 5.000 queries.
    """
    rate_list = settings.rates(session, settings.WAJIB)
    monthly = settings.rate_on(rate_list, date(year, month, 1))
    balances = savings_by_member(session)
    members = session.execute(
        select(Member.id, Member.number, Member.name, Member.phone, Member.dusun, Member.joined_on)
        .where(Member.status == ACTIVE, Member.joined_on <= dates.month_end(date(year, month, 1)))
        .order_by(Member.number)
    ).all()
    if not members:
        return []
    calendar = WajibCalendar(rate_list, min(row.joined_on for row in members), year, month)
    result = []
    for member_id, number, name, phone, dusun, joined_on in members:
        paid = balances.get(member_id, {}).get(SIMPANAN_WAJIB, 0)
        status = calendar.status(joined_on, paid)
        if status.arrears > 0:
            result.append(
                WajibDue(
                    member_id,
                    number,
                    name,
                    phone,
                    dusun,
                    status.unpaid_months,
                    status.arrears,
                    monthly,
                )
            )
    return result


def savings_list(session: Session, *, status: str | None = ACTIVE) -> list[SavingsRow]:
    balances = savings_by_member(session)
    stmt = select(Member.id, Member.number, Member.name, Member.status).order_by(Member.number)
    if status:
        stmt = stmt.where(Member.status == status)
    rows = []
    for member_id, number, name, member_status in session.execute(stmt):
        own = balances.get(member_id, {})
        rows.append(
            SavingsRow(
                member_id,
                number,
                name,
                member_status,
                own.get(SIMPANAN_POKOK, 0),
                own.get(SIMPANAN_WAJIB, 0),
                own.get(SIMPANAN_SUKARELA, 0),
            )
        )
    return rows


@dataclass(frozen=True)
class WajibMonth:
    year: int
    month: int
    amount: int  # what is still owed for this month (less than the rate if partly paid)


@dataclass(frozen=True)
class CounterInfo:
    """What the deposit and withdrawal dialogs show about one member on one date."""

    member_id: int
    number: str
    name: str
    dusun: str
    pokok: int
    wajib: int
    sukarela: int
    sukarela_available: int  # withdrawable on the date without overdrawing later
    pokok_due: int  # the pokok amount when it is still unpaid, else 0
    monthly_wajib: int  # the wajib rate in force in the month of the date
    owed: tuple[WajibMonth, ...]  # unpaid months up to the date's month, oldest first
    schedule: tuple[WajibMonth, ...]  # owed months, then the next months still to pay

    @property
    def total(self) -> int:
        return self.pokok + self.wajib + self.sukarela

    @property
    def arrears(self) -> int:
        return sum(m.amount for m in self.owed)

    @property
    def months_owed(self) -> int:
        return len(self.owed)

    @property
    def paid_through(self) -> tuple[int, int] | None:
        """The last month fully covered when nothing is owed (paid up or in advance)."""
        if self.owed or not self.schedule:
            return None
        first = self.schedule[0]
        return (first.year, first.month - 1) if first.month > 1 else (first.year - 1, 12)

    def wajib_plan(self, months: int) -> tuple[int, WajibMonth | None, WajibMonth | None]:
        """Paying ``months`` months from the oldest unpaid: (amount, first month, last month)."""
        chosen = self.schedule[: max(months, 0)]
        if not chosen:
            return 0, None, None
        return sum(m.amount for m in chosen), chosen[0], chosen[-1]


FUTURE_MONTHS = 36


def counter_info(session: Session, member_id: int, on: date) -> CounterInfo:
    """Balances and the wajib position of one member for a deposit or withdrawal on ``on``."""
    member = get_member(session, member_id)
    balances = member_savings(session, member_id)
    wajib_rates = settings.rates(session, settings.WAJIB)
    remaining = balances[SIMPANAN_WAJIB]
    owed: list[WajibMonth] = []
    for (year, month), amount in expected_wajib(wajib_rates, member.joined_on, on.year, on.month):
        if remaining >= amount:
            remaining -= amount
        else:
            owed.append(WajibMonth(year, month, amount - remaining))
            remaining = 0
    schedule = list(owed)
    year, month = on.year, on.month
    for _ in range(FUTURE_MONTHS * 12):  # bounded even if wajib is set to Rp0 for good
        if len(schedule) >= len(owed) + FUTURE_MONTHS:
            break
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        amount = settings.rate_on(wajib_rates, date(year, month, 1))
        if amount <= 0:
            continue
        if remaining >= amount:  # paid in advance
            remaining -= amount
            continue
        schedule.append(WajibMonth(year, month, amount - remaining))
        remaining = 0
    pokok_rate = settings.rate_on(settings.rates(session, settings.POKOK), on)
    return CounterInfo(
        member_id=member.id,
        number=member.number,
        name=member.name,
        dusun=member.dusun,
        pokok=balances[SIMPANAN_POKOK],
        wajib=balances[SIMPANAN_WAJIB],
        sukarela=balances[SIMPANAN_SUKARELA],
        sukarela_available=max(sukarela_available(session, member_id, on), 0),
        pokok_due=pokok_rate if balances[SIMPANAN_POKOK] <= 0 else 0,
        monthly_wajib=settings.rate_on(wajib_rates, on),
        owed=tuple(owed),
        schedule=tuple(schedule),
    )
