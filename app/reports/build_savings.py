"""Recap of savings per member (DOMAIN.md 7): opening, in, out, closing by type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.ledger.chart import SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.queries import statements as q
from app.reports.build_members import members_of_year


@dataclass(frozen=True)
class SavingsMovement:
    opening: int  # 31/12 of the year before
    deposits: int  # credits in the year
    withdrawals: int  # debits in the year (withdrawals, refunds on exit, reversals)

    @property
    def closing(self) -> int:
        return self.opening + self.deposits - self.withdrawals

    def __add__(self, other: SavingsMovement) -> SavingsMovement:
        return SavingsMovement(
            self.opening + other.opening,
            self.deposits + other.deposits,
            self.withdrawals + other.withdrawals,
        )


ZERO = SavingsMovement(0, 0, 0)


@dataclass(frozen=True)
class MemberSavings:
    member_id: int
    number: str
    name: str
    status: str  # on 31 December
    pokok: SavingsMovement
    wajib: SavingsMovement
    sukarela: SavingsMovement

    @property
    def total(self) -> SavingsMovement:
        return self.pokok + self.wajib + self.sukarela


@dataclass(frozen=True)
class SavingsRecap:
    """Every member who was a member at some time in the year (and anyone else whose
    savings moved or stood in it), by number."""

    year: int
    on: date
    rows: tuple[MemberSavings, ...]

    def _sum(self, kind: str) -> SavingsMovement:
        total = ZERO
        for row in self.rows:
            total = total + getattr(row, kind)
        return total

    @property
    def pokok(self) -> SavingsMovement:
        return self._sum("pokok")

    @property
    def wajib(self) -> SavingsMovement:
        return self._sum("wajib")

    @property
    def sukarela(self) -> SavingsMovement:
        return self._sum("sukarela")

    @property
    def total(self) -> SavingsMovement:
        return self.pokok + self.wajib + self.sukarela


def savings_recap(session: Session, year: int, members: Sequence[q.MemberInfo]) -> SavingsRecap:
    start, end = date(year, 1, 1), date(year, 12, 31)
    flows = q.savings_flows(session, start, end)
    # The opening balance is the closing one less the year's movement: the closing sums
    # are the ones the SHU's savings weights read too (kept for the read transaction).
    closing = q.savings_on(session, end)
    opening = dict(closing)
    for key, flow in flows.items():
        opening[key] = opening.get(key, 0) - flow.deposits + flow.withdrawals
    opening = {key: amount for key, amount in opening.items() if amount}
    wanted = {m.id for m in members_of_year(members, year)}
    wanted |= {mid for mid, _ in opening} | {mid for mid, _ in flows}
    rows = []
    for m in members:
        if m.id not in wanted:
            continue

        def movement(code: str, member_id: int = m.id) -> SavingsMovement:
            flow = flows.get((member_id, code))
            return SavingsMovement(
                opening.get((member_id, code), 0),
                flow.deposits if flow else 0,
                flow.withdrawals if flow else 0,
            )

        rows.append(
            MemberSavings(
                member_id=m.id,
                number=m.number,
                name=m.name,
                status=m.status_on(end),
                pokok=movement(SIMPANAN_POKOK),
                wajib=movement(SIMPANAN_WAJIB),
                sukarela=movement(SIMPANAN_SUKARELA),
            )
        )
    return SavingsRecap(year, end, tuple(rows))


def build_savings(session: Session, year: int) -> SavingsRecap:
    return savings_recap(session, year, q.all_members(session))
