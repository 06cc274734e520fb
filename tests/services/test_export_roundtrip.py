"""Issue 7's round trip: a book exported into the import workbook and imported again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import dates
from app.book import Book, create_book, open_book
from app.db import read_session, unit_of_work
from app.ledger.balances import account_totals, savings_by_member
from app.models import Loan, Member
from app.services import importer, loans
from app.services.demo import create_demo_book
from app.services.export_template import export_book, export_plan
from app.services.import_template import ANGGOTA, SALDO_AWAL, TRANSAKSI
from app.services.settings import Profile

USER = "bendahara"


def _savings(session: Session) -> dict[str, dict[str, int]]:
    numbers = {mid: number for mid, number in session.execute(select(Member.id, Member.number))}
    return {numbers[mid]: saved for mid, saved in savings_by_member(session).items()}


def _outstanding(session: Session) -> dict[str, int]:
    return {
        number: loans.outstanding_principal(session, loan_id)
        for loan_id, number in session.execute(select(Loan.id, Loan.number))
    }


@pytest.fixture(
    params=[(date(2025, 9, 30), 2), (date(2026, 6, 30), 3), (date(2025, 12, 31), 3)],
    ids=["cutover-april", "cutover-march", "cutover-today"],
)
def demo(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Book:
    today, seed = request.param
    monkeypatch.setattr("app.dates.today", lambda: today)
    path = tmp_path / "demo.sqlite"
    create_demo_book(path, members=40, years=2, seed=seed)
    book = open_book(path)
    yield book
    book.close()


def _round_trip(source: Book, tmp_path: Path) -> tuple[Book, importer.ImportSummary]:
    with read_session(source.sessions) as session:
        data = export_book(session)
    workbook = tmp_path / "ekspor.xlsx"
    workbook.write_bytes(data)
    target = create_book(tmp_path / "baru.sqlite", Profile(name="Koperasi Baru"), by=USER)
    parsed = importer.read_workbook(workbook)
    assert parsed.problems == ()
    with unit_of_work(target.sessions) as session:
        summary = importer.import_workbook(session, parsed, by=USER)
    return target, summary


def test_demo_book_round_trips(demo: Book, tmp_path: Path) -> None:
    target, summary = _round_trip(demo, tmp_path)
    try:
        with read_session(demo.sessions) as a, read_session(target.sessions) as b:
            assert {k: v for k, v in account_totals(b).items() if v} == {
                k: v for k, v in account_totals(a).items() if v
            }
            savings_a, savings_b = _savings(a), _savings(b)
            for number, saved in savings_a.items():
                assert savings_b.get(number, dict.fromkeys(saved, 0)) == saved, number
            assert set(savings_b) <= set(savings_a)
            out_a, out_b = _outstanding(a), _outstanding(b)
            for number, left in out_a.items():
                # Loans the workbook cannot carry (written off) owe nothing any more.
                assert out_b.get(number, 0) == left, number
            assert set(out_b) <= set(out_a)
            plan = export_plan(a)
        assert summary.reconciliation.ok
        assert summary.members == plan.members
        assert len(summary.loans) == plan.loans
        # The demo writes loans off and books PPAP, so it starts from a Saldo Awal;
        # everything after it is replayed as transactions.
        assert plan.cutover is not None
        assert summary.reconciliation.cutover == plan.cutover
        assert plan.transactions > 0
        assert plan.notes
        if plan.cutover < dates.today():  # on 31/12 the PPAP of the day is the cut-over
            assert summary.last_date is not None and summary.last_date > plan.cutover
    finally:
        target.close()


def test_a_book_without_write_offs_exports_its_whole_history(
    book: Book, tmp_path: Path, fixed_today: date
) -> None:
    from app.services import members, savings
    from app.services.members import MemberInput

    with unit_of_work(book.sessions) as session:
        registered = members.register(
            session,
            MemberInput(nik="3273052003800001", name="Asep Saepudin", sex="L", dusun="Krajan"),
            joined_on=date(2025, 1, 6),
            by=USER,
        )
        member_id = registered.member_id
        savings.deposit(
            session,
            member_id,
            {savings.WAJIB: 20_000, savings.SUKARELA: 100_000},
            on=date(2025, 2, 1),
            by=USER,
        )
    with read_session(book.sessions) as session:
        plan = export_plan(session)
    assert plan.cutover is None
    assert plan.notes == ()
    path = tmp_path / "x.xlsx"
    path.write_bytes(plan.data)
    wb = load_workbook(path)
    assert wb[SALDO_AWAL].max_row == 1
    assert wb[ANGGOTA]["A2"].value == "0001"
    kinds = [row[1].value for row in wb[TRANSAKSI].iter_rows(min_row=2)]
    assert kinds == ["SETOR_POKOK", "SETOR_WAJIB", "SETOR_SUKARELA"]
    target, _summary = _round_trip(book, tmp_path)
    try:
        with read_session(book.sessions) as a, read_session(target.sessions) as b:
            assert account_totals(a) == account_totals(b)
            assert _savings(a) == _savings(b)
    finally:
        target.close()
