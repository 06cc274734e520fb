"""The SHU allocation plan and SHU per member (DOMAIN.md 5, 7) from ``services.shu``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app.queries import statements as q
from app.reports.build_members import members_of_year
from app.services import shu as shu_service
from app.services.closing import distribution_entry


@dataclass(frozen=True)
class ShuComponentRow:
    key: str
    label: str
    account: str
    percent: Decimal  # 30 = 30%
    amount: int


@dataclass(frozen=True)
class ShuMemberRow:
    member_id: int
    number: str
    name: str
    savings: int  # S: pokok + wajib (+ sukarela when set) on 31/12 (Simpanan)
    interest: int  # T: loan interest paid in the year (Jasa Pinjaman)
    jasa_modal: int
    jasa_anggota: int

    @property
    def total(self) -> int:
        return self.jasa_modal + self.jasa_anggota


@dataclass(frozen=True)
class ShuReport:
    year: int
    shu: int  # income - expense of the year (DOMAIN.md 5.2)
    closed: bool  # from the closing entry (True) or simulated on an open year
    components: tuple[ShuComponentRow, ...]  # in AD/ART order; Cadangan first
    to_cadangan: int  # member pools without weights, moved to Cadangan
    savings_base: int  # sum of S
    interest_base: int  # sum of T
    includes_sukarela: bool  # S includes sukarela (setting)
    members: tuple[ShuMemberRow, ...]  # every member of the year, zero rows included
    distributed_number: str  # the distribution entry after the RAT, "" if not yet
    distributed_on: date | None  # its date (the RAT date)

    @property
    def distributable(self) -> bool:
        return self.shu > 0

    @property
    def cadangan_total(self) -> int:
        return (self.components[0].amount if self.components else 0) + self.to_cadangan

    def component(self, key: str) -> ShuComponentRow | None:
        return next((c for c in self.components if c.key == key), None)

    @property
    def jasa_modal_pool(self) -> int:
        found = self.component(shu_service.JASA_MODAL)
        return found.amount if found else 0

    @property
    def jasa_anggota_pool(self) -> int:
        found = self.component(shu_service.JASA_ANGGOTA)
        return found.amount if found else 0

    @property
    def members_total(self) -> int:
        return sum(m.total for m in self.members)


def shu_report(session: Session, year: int, members: Sequence[q.MemberInfo]) -> ShuReport:
    plan = shu_service.calculate(session, year)
    planned = {m.member_id: m for m in plan.members}
    wanted = {m.id for m in members_of_year(members, year)} | set(planned)
    rows = []
    for m in members:
        if m.id not in wanted:
            continue
        p = planned.get(m.id)
        rows.append(
            ShuMemberRow(
                member_id=m.id,
                number=m.number,
                name=m.name,
                savings=p.savings if p else 0,
                interest=p.interest if p else 0,
                jasa_modal=p.jasa_modal if p else 0,
                jasa_anggota=p.jasa_anggota if p else 0,
            )
        )
    shared = distribution_entry(session, year)
    return ShuReport(
        year=year,
        shu=plan.shu,
        closed=plan.closed,
        components=tuple(
            ShuComponentRow(c.key, c.label, c.account, c.percent, c.amount) for c in plan.components
        ),
        to_cadangan=plan.to_cadangan,
        savings_base=plan.savings_base,
        interest_base=plan.interest_base,
        includes_sukarela=shu_service.jasa_modal_includes_sukarela(session, year),
        members=tuple(rows),
        distributed_number=plan.distributed,
        distributed_on=shared.date if shared is not None else None,
    )


def build_shu(session: Session, year: int) -> ShuReport:
    return shu_report(session, year, q.all_members(session))
