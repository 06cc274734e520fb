"""Savings: deposits of pokok, wajib and sukarela; sukarela withdrawals; wajib collection.

Balances are never stored: they are SUMs over the member's journal lines.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import dates
from app.errors import InsufficientBalance, NotAllowed, ValidationError
from app.ledger import Entry, Line, Posted, post, post_many
from app.ledger.balances import member_savings
from app.ledger.chart import KAS, SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.models import Account, JournalEntry, JournalLine, Member
from app.money import format_rupiah, require_amount
from app.services import settings
from app.services.members import get_member, require_active

POKOK, WAJIB, SUKARELA = "pokok", "wajib", "sukarela"
ACCOUNT_OF = {POKOK: SIMPANAN_POKOK, WAJIB: SIMPANAN_WAJIB, SUKARELA: SIMPANAN_SUKARELA}
LABEL = {POKOK: "Simpanan pokok", WAJIB: "Simpanan wajib", SUKARELA: "Simpanan sukarela"}


@dataclass(frozen=True)
class WajibStatus:
    """Wajib of one member up to a month (DOMAIN.md 2: arrears)."""

    months_due: int
    expected: int
    paid: int
    unpaid_months: tuple[tuple[int, int], ...]

    @property
    def arrears(self) -> int:
        return max(self.expected - self.paid, 0)

    @property
    def advance(self) -> int:
        return max(self.paid - self.expected, 0)


def _deposit_entry(
    session: Session, member: Member, parts: Mapping[str, int], on: date, memo: str
) -> Entry:
    require_active(member, on)
    cleaned = {kind: amount for kind, amount in parts.items() if amount}
    if not cleaned:
        raise ValidationError("Isi jumlah setoran, paling sedikit untuk satu jenis simpanan.")
    lines: list[Line] = []
    total = 0
    for kind, amount in cleaned.items():
        if kind not in ACCOUNT_OF:
            raise ValidationError(f'Jenis simpanan "{kind}" tidak dikenal.')
        require_amount(amount, f"Setoran {LABEL[kind].lower()}")
        if kind == POKOK:
            _check_pokok(session, member, amount, on)
        lines.append(Line(ACCOUNT_OF[kind], -amount, member_id=member.id))
        total += amount
    require_amount(total, "Jumlah setoran")
    described = ", ".join(f"{LABEL[k].lower()} {format_rupiah(v)}" for k, v in cleaned.items())
    return Entry(
        date=on,
        kind="ST",
        memo=memo or f"Setoran {member.number} {member.name}: {described}",
        member_id=member.id,
        lines=[Line(KAS, total), *lines],
    )


def _check_pokok(session: Session, member: Member, amount: int, on: date) -> None:
    paid = member_savings(session, member.id)[SIMPANAN_POKOK]
    if paid > 0:
        raise NotAllowed(
            f"Simpanan pokok {member.name} sudah dibayar ({format_rupiah(paid)}); "
            "simpanan pokok hanya dibayar sekali."
        )
    due = settings.rate_on(settings.rates(session, settings.POKOK), on)
    if amount != due:
        raise ValidationError(
            f"Simpanan pokok sama untuk semua anggota: {format_rupiah(due)}, bukan "
            f"{format_rupiah(amount)}."
        )


def deposit(
    session: Session,
    member_id: int,
    parts: Mapping[str, int],
    *,
    on: date,
    by: str,
    memo: str = "",
) -> Posted:
    """One receipt for one visit: any mix of pokok, wajib and sukarela in one entry."""
    member = get_member(session, member_id)
    return post(session, _deposit_entry(session, member, parts, on, memo), by=by)


def sukarela_available(session: Session, member_id: int, on: date) -> int:
    """What can be withdrawn on ``on`` without any later balance going below zero.

    A back-dated withdrawal must not make a later withdrawal overdraw, so the
    answer is the lowest end-of-day balance from ``on`` onwards.
    """
    rows = session.execute(
        select(JournalEntry.date, func.sum(JournalLine.amount))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalLine.member_id == member_id, Account.code == SIMPANAN_SUKARELA)
        .group_by(JournalEntry.date)
        .order_by(JournalEntry.date)
    )
    balance = 0
    at_on = 0
    later_ends: list[int] = []
    for day, day_total in rows:
        balance -= int(day_total)  # credit-normal: a deposit is a negative line
        if day <= on:
            at_on = balance
        else:
            later_ends.append(balance)
    return min([at_on, *later_ends])


def withdraw(
    session: Session, member_id: int, amount: int, *, on: date, by: str, memo: str = ""
) -> Posted:
    """Withdraw sukarela in cash; never below zero (DOMAIN.md 2)."""
    member = get_member(session, member_id)
    require_active(member, on)
    require_amount(amount, "Jumlah penarikan")
    available = sukarela_available(session, member_id, on)
    if amount > available:
        raise InsufficientBalance(
            f"Saldo simpanan sukarela {member.name} hanya {format_rupiah(available)}; "
            f"penarikan {format_rupiah(amount)} ditolak."
        )
    return post(
        session,
        Entry(
            date=on,
            kind="TR",
            memo=memo or f"Penarikan simpanan sukarela {member.number} {member.name}",
            member_id=member_id,
            lines=[Line(SIMPANAN_SUKARELA, amount, member_id=member_id), Line(KAS, -amount)],
        ),
        by=by,
    )


# -- wajib -------------------------------------------------------------------


def expected_wajib(
    rate_list: list[settings.Rate], joined_on: date, year: int, month: int
) -> list[tuple[tuple[int, int], int]]:
    """Each month due from the month of joining to (year, month), with its amount."""
    end = date(year, month, 1)
    return [
        ((y, m), settings.rate_on(rate_list, date(y, m, 1)))
        for y, m in dates.iter_months(dates.month_start(joined_on), end)
    ]


def status_from(months: list[tuple[tuple[int, int], int]], paid: int) -> WajibStatus:
    """Payments cover the oldest months first; what is left uncovered is owed."""
    remaining = paid
    unpaid: list[tuple[int, int]] = []
    for ym, amount in months:
        if remaining >= amount:
            remaining -= amount
        else:
            remaining = 0
            unpaid.append(ym)
    return WajibStatus(
        months_due=len(months),
        expected=sum(amount for _, amount in months),
        paid=paid,
        unpaid_months=tuple(unpaid),
    )


class WajibCalendar:
    """Wajib due month by month up to (year, month), summed once for many members.

    Cumulative sums make each member's status two bisections instead of a walk
    over every month since he joined: the arrears list of 5.000 members over ten
    years stays well under a second.
    """

    def __init__(self, rate_list: list[settings.Rate], first: date, year: int, month: int) -> None:
        self.months = list(dates.iter_months(dates.month_start(first), date(year, month, 1)))
        self._index = {ym: i for i, ym in enumerate(self.months)}
        self._amounts = [settings.rate_on(rate_list, date(y, m, 1)) for y, m in self.months]
        self._cumulative = [0]
        for amount in self._amounts:
            self._cumulative.append(self._cumulative[-1] + amount)

    def status(self, joined_on: date, paid: int) -> WajibStatus:
        end = len(self.months)
        start = self._index.get((joined_on.year, joined_on.month), end)
        expected = self._cumulative[end] - self._cumulative[start]
        # Months start..covered-1 are fully paid; the rest (from the first partly
        # paid one) are owed, as in status_from.
        covered = bisect_right(self._cumulative, self._cumulative[start] + paid) - 1
        covered = min(max(covered, start), end)
        return WajibStatus(
            months_due=end - start,
            expected=expected,
            paid=paid,
            # A month with no wajib due (amount 0) is never owed.
            unpaid_months=tuple(
                ym
                for ym, amount in zip(
                    self.months[covered:end], self._amounts[covered:end], strict=True
                )
                if amount
            ),
        )


def wajib_status(
    session: Session, member_id: int, year: int, month: int, *, paid_until: date | None = None
) -> WajibStatus:
    member = get_member(session, member_id)
    calendar = WajibCalendar(settings.rates(session, settings.WAJIB), member.joined_on, year, month)
    paid = member_savings(session, member_id, paid_until)[SIMPANAN_WAJIB]
    return calendar.status(member.joined_on, paid)


def collect_wajib(
    session: Session,
    payments: Sequence[tuple[int, int]],
    *,
    on: date,
    by: str,
    month_label: str = "",
) -> list[Posted]:
    """Post many wajib payments at once: one entry (one receipt) per member, all or none."""
    if not payments:
        raise ValidationError("Centang paling sedikit satu anggota yang membayar.")
    seen: set[int] = set()
    entries = []
    for member_id, amount in payments:
        if member_id in seen:
            raise ValidationError("Seorang anggota tercantum dua kali dalam penagihan ini.")
        seen.add(member_id)
        member = get_member(session, member_id)
        memo = f"Simpanan wajib {month_label} {member.number} {member.name}".replace("  ", " ")
        entries.append(_deposit_entry(session, member, {WAJIB: amount}, on, memo))
    return post_many(session, entries, by=by)
