"""The pengawas' checklist (issue 6): counts, chain, a reproducible sample, arrears, reversals.

And that reading it writes nothing: a pengawas changes nothing, not even by looking.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.actor import Actor
from app.book import Book, open_book
from app.db import read_session, unit_of_work
from app.errors import ValidationError
from app.ledger.balances import balance, member_savings
from app.ledger.chart import KAS
from app.models import AuditRecord, JournalEntry, Setting
from app.queries.supervision import (
    KAS_OPNAME,
    PEMBALIKAN,
    RANTAI,
    SAMPEL,
    TUNGGAKAN_PINJAMAN,
    TUNGGAKAN_WAJIB,
    Supervision,
    draw_sample,
    supervision_checklist,
)
from app.services import cash_count, cashbook, members, savings
from app.services.demo import create_demo_book
from app.services.members import MemberInput

USER = "bendahara"
PENGAWAS = Actor("pengawas", "pengawas")
JOINED = date(2025, 1, 6)
NAMES = (
    ("Asep", "L"),
    ("Siti", "P"),
    ("Dedi", "L"),
    ("Euis", "P"),
    ("Ujang", "L"),
    ("Neneng", "P"),
    ("Cecep", "L"),
    ("Imas", "P"),
    ("Dadang", "L"),
    ("Yati", "P"),
    ("Ujang", "L"),
    ("Lilis", "P"),
)


def nik(sex: str, seq: int) -> str:
    day = 12 + (40 if sex == "P" else 0)
    return f"327305{day:02d}0385{seq:04d}"


def pieces_for(amount: int) -> dict[int, int]:
    """Rp100.000 notes and the rest in Rp100 coins (amounts here are multiples of 100)."""
    return {100_000: amount // 100_000, 100: (amount % 100_000) // 100}


@pytest.fixture
def small_book(book: Book, fixed_today: date) -> dict[str, object]:
    """12 members; wajib paid by some; two kas opname; one reversed kas masuk."""
    ids = []
    with unit_of_work(book.sessions) as session:
        for seq, (name, sex) in enumerate(NAMES, start=1):
            data = MemberInput(
                nik=nik(sex, seq),
                name=f"{name} {seq:02d}",
                sex=sex,
                birth_date=date(1985, 3, 12),
                phone=f"08120000{seq:04d}",
            )
            ids.append(members.register(session, data, joined_on=JOINED, by=USER).member_id)
        # Members 1-4 pay the whole year of wajib; member 5 pays six months; the rest nothing.
        for member_id in ids[:4]:
            savings.deposit(session, member_id, {"wajib": 240_000}, on=date(2025, 2, 3), by=USER)
        savings.deposit(session, ids[4], {"wajib": 120_000}, on=date(2025, 3, 3), by=USER)
    with unit_of_work(book.sessions) as session:
        wrong = cashbook.cash_in(
            session, on=date(2025, 5, 2), account="3-301", amount=700_000, memo="Hibah", by=USER
        )
        reversal = cashbook.reverse_entry(
            session,
            wrong.id,
            reason="Salah catat: hibah belum diterima",
            on=date(2025, 5, 3),
            by=USER,
        )
    with unit_of_work(book.sessions) as session:
        june = balance(session, KAS, on=date(2025, 6, 30))
        cash_count.record_count(
            session, date(2025, 6, 30), pieces_for(june - 1_000), by=USER, note="kurang seribu"
        )
        december = balance(session, KAS, on=date(2025, 12, 31))
        cash_count.record_count(session, date(2025, 12, 31), pieces_for(december), by=USER)
    return {"ids": ids, "wrong": wrong, "reversal": reversal}


def rows(book: Book) -> tuple[int, int, int]:
    with read_session(book.sessions) as session:
        return (
            int(session.scalar(select(func.count(JournalEntry.id))) or 0),
            int(session.scalar(select(func.count(AuditRecord.id))) or 0),
            int(session.scalar(select(func.count()).select_from(Setting)) or 0),
        )


def checklist(book: Book, year: int = 2025, on: date = date(2025, 12, 31)) -> Supervision:
    with read_session(book.sessions, actor=PENGAWAS) as session:
        return supervision_checklist(session, year, on)


def test_the_checklist_of_a_small_year(book: Book, small_book: dict[str, object]) -> None:
    before = rows(book)
    report = checklist(book)
    assert rows(book) == before  # reading, even the chain check, writes nothing

    assert [item.key for item in report.items] == [
        KAS_OPNAME,
        RANTAI,
        SAMPEL,
        TUNGGAKAN_WAJIB,
        TUNGGAKAN_PINJAMAN,
        PEMBALIKAN,
    ]
    assert (report.start, report.end) == (date(2025, 1, 1), date(2025, 12, 31))

    cash = report.cash
    assert cash.days_counted == 2
    assert cash.last_date == date(2025, 12, 31)
    assert cash.last_difference == 0
    assert cash.days_with_difference == 1
    assert cash.month_end == date(2025, 12, 31)
    assert cash.month_end_counted
    items = {item.key: item for item in report.items}
    assert items[KAS_OPNAME].status == "baik"
    assert "2 hari dihitung di tahun 2025" in items[KAS_OPNAME].finding
    assert "Kas opname Desember 2025: ada (31/12/2025)" in items[KAS_OPNAME].finding

    assert report.chain.clean and report.chain.full  # no checkpoint stored yet: the whole chain
    assert "seluruh rantai dihitung ulang" in items[RANTAI].finding

    # Wajib: 12 months x Rp20.000 due; members 1-4 paid all, member 5 half, 7 paid nothing.
    assert report.wajib_arrears_count == 8
    assert report.wajib_arrears_total == 7 * 240_000 + 120_000
    assert report.wajib_arrears[0].amount == 240_000
    assert report.wajib_arrears[-1].amount == 120_000  # largest first
    assert report.wajib_arrears[0].phone.startswith("+62")
    assert items[TUNGGAKAN_WAJIB].status == "perhatian"

    assert report.loan_arrears_count == 0 and report.figures.loans == 0
    assert report.figures.active_members == 12
    assert report.figures.pokok == 12 * 50_000
    assert report.figures.wajib == 4 * 240_000 + 120_000
    assert report.figures.cash == report.cash.last_book


def test_the_reversals_of_the_year_are_listed(book: Book, small_book: dict[str, object]) -> None:
    report = checklist(book)
    wrong = small_book["wrong"]
    reversal = small_book["reversal"]
    assert report.reversals_count == 1
    (row,) = report.reversals
    assert row.number == reversal.number  # type: ignore[attr-defined]
    assert row.reverses == wrong.number  # type: ignore[attr-defined]
    assert row.date == date(2025, 5, 3)
    assert "Salah catat" in row.memo
    assert row.posted_by == USER
    assert row.amount == 700_000
    assert "1 jurnal pembalik di tahun 2025" in report.items[-1].finding


def test_the_sample_is_the_same_every_time_and_matches_the_book(
    book: Book, small_book: dict[str, object]
) -> None:
    ids: list[int] = small_book["ids"]  # type: ignore[assignment]
    first = checklist(book)
    again = checklist(book)
    assert first.sample == again.sample
    assert len(first.sample) == 10 and first.sample_from == 12
    assert [s.member_id for s in first.sample] == draw_sample(ids, 2025)
    assert draw_sample(ids, 2025) != draw_sample(ids, 2024)  # the year is the seed
    assert draw_sample(list(reversed(ids)), 2025) == draw_sample(ids, 2025)  # order-free
    with read_session(book.sessions) as session:
        for member in first.sample:
            own = member_savings(session, member.member_id, on=date(2025, 12, 31))
            assert (member.pokok, member.wajib, member.sukarela) == (
                own.get("3-101", 0),
                own.get("3-102", 0),
                own.get("2-101", 0),
            )
            assert member.loan_outstanding == 0


def test_a_running_year_checks_the_last_finished_month(
    book: Book, small_book: dict[str, object]
) -> None:
    report = checklist(book, 2025, date(2025, 7, 15))
    assert report.end == date(2025, 7, 15)
    assert report.cash.month_end == date(2025, 6, 30)
    assert report.cash.month_end_counted
    assert report.cash.days_counted == 1
    assert report.cash.last_difference == -1_000
    assert report.items[0].status == "perhatian"
    assert "selisih Rp1.000 (kurang)" in report.items[0].finding
    # Wajib due January to July: 7 x Rp20.000 for those who paid nothing.
    assert max(a.amount for a in report.wajib_arrears) == 140_000

    before_count = checklist(book, 2025, date(2025, 6, 29))
    assert not before_count.cash.month_end_counted  # May was never counted
    assert "Kas opname Mei 2025: TIDAK ADA" in before_count.items[0].finding


def test_a_year_not_begun_is_refused(book: Book, small_book: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match="belum dimulai"):
        checklist(book, 2026, date(2025, 12, 31))


def test_a_demo_book_lists_loan_arrears_largest_first(tmp_path: Path, fixed_today: date) -> None:
    path = tmp_path / "demo.sqlite"
    create_demo_book(path, members=60, years=2, seed=3)
    demo = open_book(path)
    try:
        before = rows(demo)
        report = checklist(demo, 2025, fixed_today)
        assert rows(demo) == before
    finally:
        demo.close()
    assert report.chain.clean
    amounts = [a.arrears for a in report.loan_arrears]
    assert amounts == sorted(amounts, reverse=True)
    assert report.loan_arrears_count >= len(report.loan_arrears)
    assert report.loan_arrears_total >= sum(amounts)
    assert len(report.sample) == min(10, report.sample_from)
    assert all(a.arrears > 0 and a.outstanding > 0 for a in report.loan_arrears)
