"""Membership of the year (DOMAIN.md 7): movement with L/P, and the member list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.models.member import ACTIVE, STATUSES
from app.queries import statements as q

MALE, FEMALE = "L", "P"


@dataclass(frozen=True)
class HeadCount:
    male: int
    female: int

    @property
    def total(self) -> int:
        return self.male + self.female

    def __add__(self, other: HeadCount) -> HeadCount:
        return HeadCount(self.male + other.male, self.female + other.female)

    def __sub__(self, other: HeadCount) -> HeadCount:
        return HeadCount(self.male - other.male, self.female - other.female)


def _count(people: Sequence[q.MemberInfo]) -> HeadCount:
    male = sum(1 for m in people if m.sex == MALE)
    return HeadCount(male, len(people) - male)


@dataclass(frozen=True)
class MembershipMovement:
    """Start of year, joined, left, end of year; each split by sex (L/P)."""

    year: int
    start_on: date  # 31/12 of the year before
    end_on: date
    start: HeadCount
    joined: HeadCount
    left: HeadCount
    end: HeadCount  # counted on its own, not computed: ``adds_up`` checks the movement
    left_by_status: tuple[tuple[str, HeadCount], ...]  # keluar, meninggal, diberhentikan

    @property
    def adds_up(self) -> bool:
        return self.start + self.joined - self.left == self.end


def membership_movement(members: Sequence[q.MemberInfo], year: int) -> MembershipMovement:
    start_on, end_on = date(year - 1, 12, 31), date(year, 12, 31)
    first = date(year, 1, 1)
    joined = [m for m in members if first <= m.joined_on <= end_on]
    left = [m for m in members if (d := m.left_on()) is not None and first <= d <= end_on]
    by_status = tuple(
        (status, _count([m for m in left if m.status == status]))
        for status in STATUSES
        if status != ACTIVE
    )
    return MembershipMovement(
        year=year,
        start_on=start_on,
        end_on=end_on,
        start=_count([m for m in members if m.member_on(start_on)]),
        joined=_count(joined),
        left=_count(left),
        end=_count([m for m in members if m.member_on(end_on)]),
        left_by_status=by_status,
    )


def build_membership(session: Session, year: int) -> MembershipMovement:
    return membership_movement(q.all_members(session), year)


@dataclass(frozen=True)
class MemberListRow:
    member_id: int
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
    status: str  # on 31 December of the year (aktif, keluar, meninggal, diberhentikan)
    left_on: date | None  # when the membership ended, if it did by 31 December
    role: str
    position: str


@dataclass(frozen=True)
class MemberList:
    """Everyone who was a member at some time in the year, by number."""

    year: int
    on: date
    rows: tuple[MemberListRow, ...]

    @property
    def active(self) -> tuple[MemberListRow, ...]:
        return tuple(r for r in self.rows if r.status == ACTIVE)


def members_of_year(members: Sequence[q.MemberInfo], year: int) -> list[q.MemberInfo]:
    return [m for m in members if m.member_during(date(year, 1, 1), date(year, 12, 31))]


def member_list(members: Sequence[q.MemberInfo], year: int) -> MemberList:
    on = date(year, 12, 31)
    rows = []
    for m in members_of_year(members, year):
        status = m.status_on(on)
        rows.append(
            MemberListRow(
                member_id=m.id,
                number=m.number,
                nik=m.nik,
                name=m.name,
                sex=m.sex,
                birth_place=m.birth_place,
                birth_date=m.birth_date,
                address=m.address,
                rt=m.rt,
                rw=m.rw,
                dusun=m.dusun,
                occupation=m.occupation,
                phone=m.phone,
                joined_on=m.joined_on,
                status=status,
                left_on=m.left_on() if status != ACTIVE else None,
                role=m.role,
                position=m.position,
            )
        )
    return MemberList(year, on, tuple(rows))


def build_member_list(session: Session, year: int) -> MemberList:
    return member_list(q.all_members(session), year)
