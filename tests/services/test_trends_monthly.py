"""Beranda's monthly trends equal, month end by month end, what the one-date queries give."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.book import Book
from app.db import read_session, unit_of_work
from app.ledger.balances import sums_on
from app.ledger.chart import (
    PINJAMAN_ANGGOTA,
    SIMPANAN_POKOK,
    SIMPANAN_SUKARELA,
    SIMPANAN_WAJIB,
    account_ids,
)
from app.ledger.posting import reverse
from app.models import Loan
from app.queries import statements
from app.queries.loans import portfolio, summarize
from app.queries.trends import MonthFigures, figures_at, month_points, monthly_trends
from app.reports.build_members import membership_movement
from app.reports.build_trends import build_trends
from app.services import loans, members, savings
from app.services.members import MemberInput
from tests.services.helpers import ASEP, DEDI, SITI, USER, register

pytestmark = pytest.mark.usefixtures("fixed_today")

EUIS = MemberInput(
    nik="3204016001920003", name="Euis Rohaeti", sex="P", birth_date=date(1992, 1, 20)
)
UJANG = MemberInput(
    nik="3204010909690004", name="Ujang Sutisna", sex="L", birth_date=date(1969, 9, 9)
)


def _loan(book: Book, member_id: int, principal: int, months: int, on: date) -> int:
    with unit_of_work(book.sessions) as s:
        loan_id = loans.apply(
            s,
            loans.LoanApplication(member_id, principal, Decimal("0.015"), months, "flat"),
            on=on,
            by=USER,
        )
        loans.approve(s, loan_id, on=on, by="ketua")
        loans.disburse(s, loan_id, on=on, by=USER)
    return loan_id


def _month(start: date, k: int) -> date:
    year, month = divmod(start.month - 1 + k, 12)
    return start.replace(year=start.year + year, month=month + 1)


def _one_date_figures(s: Session, points: list[date]) -> list[MonthFigures]:
    """Each point the slow way: sums_on, MemberInfo.member_on, summarize(portfolio(...))."""
    people = statements.all_members(s)
    ids = account_ids(s)
    wanted = {ids[c] for c in (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA)}
    wanted.add(ids[PINJAMAN_ANGGOTA])
    expected = []
    for on in points:
        sums = sums_on(s, on, account_ids=wanted)
        expected.append(
            MonthFigures(
                on=on,
                members=sum(1 for m in people if m.member_on(on)),
                pokok=-sums.get((ids[SIMPANAN_POKOK],), 0),
                wajib=-sums.get((ids[SIMPANAN_WAJIB],), 0),
                sukarela=-sums.get((ids[SIMPANAN_SUKARELA],), 0),
                loans_outstanding=sums.get((ids[PINJAMAN_ANGGOTA],), 0),
                npl_ratio=summarize(s, portfolio(s, on)).npl_ratio,
            )
        )
    return expected


@pytest.fixture
def busy_book(book: Book) -> Book:
    """Two years of a small cooperative: members come and go, savings move, and loans are
    repaid on time, fall behind and catch up, are reversed, judged and written off."""
    siti = register(book, SITI, on=date(2024, 3, 4))  # the first entry: March 2024
    asep = register(book, ASEP, on=date(2024, 3, 4))
    dedi = register(book, DEDI, on=date(2024, 6, 10))
    euis = register(book, EUIS, on=date(2024, 11, 30))
    ujang = register(book, UJANG, on=date(2025, 1, 31))
    with unit_of_work(book.sessions) as s:
        for k in range(21):
            day = _month(date(2024, 3, 15), k)
            savings.deposit(s, siti, {"wajib": 20_000, "sukarela": 50_000}, on=day, by=USER)
            if day >= date(2024, 6, 15):
                savings.deposit(s, dedi, {"wajib": 20_000}, on=day, by=USER)
        savings.deposit(s, asep, {"sukarela": 3_000_000}, on=date(2024, 4, 1), by=USER)
        savings.withdraw(s, asep, 1_250_000, on=date(2024, 9, 30), by=USER)
        savings.deposit(s, ujang, {"wajib": 40_000}, on=date(2025, 2, 1), by=USER)

    on_time = _loan(book, siti, 5_000_000, 10, date(2024, 4, 10))
    written_off = _loan(book, asep, 3_000_000, 12, date(2024, 5, 15))
    behind = _loan(book, dedi, 6_000_000, 12, date(2024, 8, 1))
    judged = _loan(book, euis, 2_000_000, 12, date(2025, 3, 1))
    recent = _loan(book, siti, 1_000_000, 6, date(2025, 11, 20))
    with unit_of_work(book.sessions) as s:
        for k in range(1, 11):
            loans.repay(s, on_time, 575_000, on=_month(date(2024, 4, 10), k), by=USER)
        # Asep pays twice, then nothing: Kurang Lancar, Diragukan, Macet, written off.
        loans.repay(s, written_off, 295_000, on=date(2024, 6, 15), by=USER)
        loans.repay(s, written_off, 295_000, on=date(2024, 7, 15), by=USER)
        loans.write_off(s, written_off, on=date(2025, 6, 30), reason="rapat pengurus", by=USER)
        loans.recover(s, written_off, 100_000, on=date(2025, 9, 1), by=USER)
        # Dedi pays once, falls 91+ days behind by 31/12/2024, catches up in January,
        # and a repayment of March is reversed in April (a bounced transfer).
        loans.repay(s, behind, 590_000, on=date(2024, 9, 1), by=USER)
        loans.repay(s, behind, 2_360_000, on=date(2025, 1, 20), by=USER)
        bounced = loans.repay(s, behind, 590_000, on=date(2025, 3, 1), by=USER)
        reverse(s, bounced.id, reason="transfer ditolak bank", on=date(2025, 4, 2), by=USER)
        for k in range(5, 9):
            loans.repay(s, behind, 590_000, on=_month(date(2024, 8, 1), k + 4), by=USER)
        loans.override_class(s, judged, "Diragukan", reason="usaha tutup", by=USER)
        loans.repay(s, judged, 196_667, on=date(2025, 4, 1), by=USER)
        loans.repay(s, recent, 181_667, on=date(2025, 12, 20), by=USER)
        # Ujang leaves in August 2025 (he has no loan); the day he leaves he no longer counts.
        members.exit_member(s, ujang, on=date(2025, 8, 15), reason="pindah", by=USER)
    with read_session(book.sessions) as s:
        statuses = {loan.id: loan.status for loan in s.scalars(select(Loan))}
    assert statuses[on_time] == "lunas" and statuses[written_off] == "dihapusbukukan"
    return book


def test_every_month_end_equals_the_one_date_queries(busy_book: Book, fixed_today: date) -> None:
    with read_session(busy_book.sessions) as s:
        figures = monthly_trends(s, fixed_today)
        people = statements.all_members(s)
        expected = _one_date_figures(s, [f.on for f in figures])
        years = build_trends(s, 2025, people)

    # March 2024 (the first entry) to today: the months before the book began are left out.
    assert [f.on for f in figures] == month_points(fixed_today)[2:]
    assert figures[0].on == date(2024, 3, 31) and figures[-1].on == fixed_today
    for got, want in zip(figures, expected, strict=True):
        assert got == want, got.on
    # The same as the RAT book's year ends, and as the membership movement of each year.
    by_day = {f.on: f for f in figures}
    for year in years:
        month = by_day[date(year.year, 12, 31)]
        assert (month.members, month.pokok, month.wajib, month.sukarela) == (
            year.members,
            year.pokok,
            year.wajib,
            year.sukarela,
        )
        assert (month.loans_outstanding, month.npl_ratio) == (
            year.loans_outstanding,
            year.npl_ratio,
        )
        assert month.members == membership_movement(people, year.year).end.total

    # The book does move: otherwise equal figures would prove little.
    npl = {f.on: f.npl_ratio for f in figures}
    assert npl[date(2024, 10, 31)] == 0  # Asep 77 days late: still Lancar
    assert npl[date(2024, 11, 30)] > 0  # 107 days: Kurang Lancar
    assert npl[date(2024, 12, 31)] == Decimal(8) / 9  # and Dedi 91 days behind
    assert npl[date(2025, 1, 31)] < npl[date(2024, 12, 31)]  # Dedi caught up
    # Written off on 30/06/2025: its principal leaves the outstanding and the NPL.
    assert by_day[date(2025, 6, 30)].loans_outstanding == 4_333_334
    # May: also Asep's 2.500.000 and the 500.000 principal Dedi repaid on 01/06.
    assert by_day[date(2025, 5, 31)].loans_outstanding == 4_333_334 + 2_500_000 + 500_000
    assert [f.members for f in figures][-6:] == [5, 4, 4, 4, 4, 4]  # Ujang left 15/08
    assert figures[-1].sukarela == 21 * 50_000 + 3_000_000 - 1_250_000


def test_year_ends_over_several_years_equal_the_one_date_queries(book: Book) -> None:
    """The RAT book's points (31 December): whole years come from the per-year totals.
    Five years of entries, with a repayment reversed in the next year, one reversed
    within a year, a member who leaves and settles her loan from her savings, and a
    loan written off; the first point is before the book began."""
    siti = register(book, SITI, on=date(2021, 2, 1))
    asep = register(book, ASEP, on=date(2021, 2, 1))
    dedi = register(book, DEDI, on=date(2022, 5, 10))
    euis = register(book, EUIS, on=date(2021, 7, 1))
    with unit_of_work(book.sessions) as s:
        for k in range(58):
            day = _month(date(2021, 2, 20), k)
            savings.deposit(s, siti, {"wajib": 20_000, "sukarela": 30_000}, on=day, by=USER)
            if day >= date(2022, 6, 1):
                savings.deposit(s, dedi, {"wajib": 20_000}, on=day, by=USER)
        savings.deposit(s, euis, {"sukarela": 3_000_000}, on=date(2021, 8, 2), by=USER)
        savings.withdraw(s, siti, 400_000, on=date(2023, 11, 30), by=USER)

    paid_off = _loan(book, siti, 1_200_000, 12, date(2021, 6, 1))
    bounced = _loan(book, asep, 2_400_000, 12, date(2022, 9, 1))
    steady = _loan(book, dedi, 4_800_000, 24, date(2023, 3, 1))
    settled = _loan(book, euis, 2_000_000, 10, date(2022, 12, 1))
    recent = _loan(book, siti, 600_000, 6, date(2025, 10, 1))
    with unit_of_work(book.sessions) as s:
        for k in range(1, 13):
            loans.repay(s, paid_off, 118_000, on=_month(date(2021, 6, 1), k), by=USER)
        # Asep pays three installments; the one of 20/12/2022 bounces on 05/01/2023 and
        # he pays nothing more: Lancar at the end of 2022, Macet a year later.
        for day in (date(2022, 10, 1), date(2022, 11, 1)):
            loans.repay(s, bounced, 236_000, on=day, by=USER)
        last = loans.repay(s, bounced, 236_000, on=date(2022, 12, 20), by=USER)
        reverse(s, last.id, reason="transfer ditolak bank", on=date(2023, 1, 5), by=USER)
        loans.write_off(s, bounced, on=date(2024, 6, 28), reason="rapat pengurus", by=USER)
        loans.recover(s, bounced, 150_000, on=date(2025, 2, 3), by=USER)
        # Dedi repays 19 installments, but the one of 01/06/2024 is reversed the same
        # year: by 31/12/2024 he is 91 days behind (Kurang Lancar), not 60 (Lancar).
        for k in range(1, 20):
            posted = loans.repay(s, steady, 272_000, on=_month(date(2023, 3, 1), k), by=USER)
            if k == 15:
                reverse(s, posted.id, reason="salah input", on=date(2024, 6, 10), by=USER)
        loans.repay(s, settled, 230_000, on=date(2023, 1, 1), by=USER)
        # Euis leaves in 2023: her savings settle what she still owes (an exit entry).
        members.exit_member(s, euis, on=date(2023, 8, 15), reason="pindah", by=USER)
        loans.repay(s, recent, 109_000, on=date(2025, 11, 1), by=USER)
    points = [date(year, 12, 31) for year in range(2020, 2026)]
    with read_session(book.sessions) as s:
        statuses = {loan.id: loan.status for loan in s.scalars(select(Loan))}
        figures = figures_at(s, points)
        expected = _one_date_figures(s, points)
        years = build_trends(s, 2025, statistics := statements.all_members(s))

    assert statuses[paid_off] == statuses[settled] == "lunas"
    assert statuses[bounced] == "dihapusbukukan"
    assert [f.on for f in figures] == points
    for got, want in zip(figures, expected, strict=True):
        assert got == want, got.on
    assert figures[0] == MonthFigures(date(2020, 12, 31), 0, 0, 0, 0, 0, Decimal(0))
    for year in years:  # the RAT book reads the same points
        got = figures[year.year - 2020]
        assert (got.pokok, got.sukarela, got.loans_outstanding, got.npl_ratio) == (
            year.pokok,
            year.sukarela,
            year.loans_outstanding,
            year.npl_ratio,
        )
        assert got.members == year.members == sum(1 for m in statistics if m.member_on(got.on))
    # The book does move: otherwise equal figures would prove little.
    npl = {f.on.year: f.npl_ratio for f in figures}
    assert npl[2022] == 0 and npl[2023] > 0 and npl[2024] == 1 and npl[2025] > 0
    assert len({f.loans_outstanding for f in figures}) == len(figures)


def test_the_last_point_is_the_day_itself_and_an_empty_book_has_none(book: Book) -> None:
    with read_session(book.sessions) as s:
        assert monthly_trends(s, date(2025, 12, 31)) == ()
    register(book, SITI, on=date(2025, 10, 6))
    with read_session(book.sessions) as s:
        figures = monthly_trends(s, date(2025, 12, 17))
        before = monthly_trends(s, date(2025, 9, 30))
    assert [f.on for f in figures] == [date(2025, 10, 31), date(2025, 11, 30), date(2025, 12, 17)]
    assert [(f.members, f.pokok, f.npl_ratio) for f in figures] == [(1, 50_000, 0)] * 3
    assert before == ()


def test_month_points() -> None:
    points = month_points(date(2026, 3, 10), 24)
    assert len(points) == 24
    assert points[0] == date(2024, 4, 30) and points[-2:] == [date(2026, 2, 28), date(2026, 3, 10)]
    assert month_points(date(2025, 12, 31), 1) == [date(2025, 12, 31)]


def test_schedules_kept_in_a_read_session_equal_fresh_ones(busy_book: Book) -> None:
    """read_schedules keeps what it read for the read session; the answers do not change."""
    from app.models import Loan
    from app.queries.loans import SCHEDULE_MEMO, read_schedules

    session = busy_book.sessions()
    try:
        ids = list(session.scalars(select(Loan.id)))
        fresh = {k: v for k, v in read_schedules(session, ids).items() if v}
        assert SCHEDULE_MEMO not in session.info  # a plain session keeps nothing
    finally:
        session.close()
    assert fresh
    with read_session(busy_book.sessions) as s:
        first = read_schedules(s, ids[:1])
        assert set(s.info[SCHEDULE_MEMO]) == set(ids[:1])
        assert read_schedules(s, ids) == fresh
        assert read_schedules(s, ids[:1]) == first == {ids[0]: fresh[ids[0]]}


def test_the_reading_reports_each_span_and_stops_when_told(
    busy_book: Book, fixed_today: date
) -> None:
    # Beranda passes its job's progress: a refresh cancels by raising from it.
    seen: list[tuple[int, int]] = []

    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 3:
            raise Stop

    with read_session(busy_book.sessions) as s, pytest.raises(Stop):
        monthly_trends(s, fixed_today, progress=progress)
    total = seen[0][1]
    assert seen == [(i, total) for i in range(4)] and total > 4
