"""Surat konfirmasi saldo and the arrears list: exact figures on a small book, read back."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime
from decimal import Decimal

import pypdf
import pytest

from app.book import Book
from app.db import read_session, unit_of_work
from app.reports.build_confirmations import (
    ArrearsList,
    Confirmation,
    build_arrears,
    build_confirmations,
)
from app.reports.pdf.confirmations import render_confirmations
from app.services import loans, savings, settings
from tests.services.helpers import ASEP, DEDI, SITI, USER, register

ON = date(2025, 12, 31)
START = date(2025, 6, 25)


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@dataclasses.dataclass(frozen=True)
class Small:
    siti: int
    asep: int
    dedi: int
    loan: int


@pytest.fixture
def small(book: Book, fixed_today: date) -> Small:
    return small_book(book)


def small_book(book: Book) -> Small:
    """Siti: paid up, a late loan; Asep: wajib paid to September; Dedi: paid up, no loan."""
    siti = register(
        book,
        dataclasses.replace(SITI, phone="081211112222", address="Jl. Melati 3"),
        on=date(2025, 1, 6),
    )
    asep = register(book, dataclasses.replace(ASEP, phone="081233334444"), on=date(2025, 1, 6))
    dedi = register(book, DEDI, on=date(2025, 1, 6))
    with unit_of_work(book.sessions) as s:
        day = date(2025, 1, 6)
        savings.deposit(s, siti, {"wajib": 240_000, "sukarela": 100_000}, on=day, by=USER)
        savings.deposit(s, asep, {"wajib": 180_000}, on=day, by=USER)
        savings.deposit(s, dedi, {"wajib": 240_000}, on=day, by=USER)
        profile = settings.get_profile(s)
        settings.save_profile(s, dataclasses.replace(profile, bendahara="Rina Marlina"), by=USER)
    with unit_of_work(book.sessions) as s:
        loan = loans.apply(
            s,
            loans.LoanApplication(
                member_id=siti,
                principal=5_000_000,
                monthly_rate=Decimal("0.015"),
                months=10,
                method="flat",
                purpose="Modal warung",
            ),
            on=START,
            by=USER,
        )
        loans.approve(s, loan, on=START, by="ketua")
        loans.disburse(s, loan, on=START, by=USER)
    for k in range(2):  # installments 1 and 2 paid; 3 to 6 (Sep-Dec) are late on 31/12
        with unit_of_work(book.sessions) as s:
            due = loans.schedule_of(s, loan)[k].due
            loans.repay(s, loan, 575_000, on=due, by=USER)
    return Small(siti, asep, dedi, loan)


def _confirmations(book: Book) -> tuple[Confirmation, ...]:
    with read_session(book.sessions) as s:
        return build_confirmations(s, ON)


def _arrears(book: Book) -> ArrearsList:
    with read_session(book.sessions) as s:
        return build_arrears(s, ON)


def test_confirmation_figures(book: Book, small: Small) -> None:
    slips = {c.member_id: c for c in _confirmations(book)}
    assert set(slips) == {small.siti, small.asep, small.dedi}
    siti = slips[small.siti]
    assert (siti.pokok, siti.wajib, siti.sukarela, siti.savings) == (
        50_000,
        240_000,
        100_000,
        390_000,
    )
    assert siti.address == "Jl. Melati 3"
    assert len(siti.loans) == 1
    loan = siti.loans[0]
    assert loan.number == "P-2025-0001"
    assert (loan.outstanding, loan.arrears, loan.overdue_installments) == (4_000_000, 2_300_000, 4)
    asep = slips[small.asep]
    assert (asep.pokok, asep.wajib, asep.sukarela, asep.loans) == (50_000, 180_000, 0, ())


def test_arrears_list(book: Book, small: Small) -> None:
    arrears = _arrears(book)
    assert [r.member_id for r in arrears.rows] == [small.siti, small.asep]  # largest first
    siti, asep = arrears.rows
    assert (siti.wajib, siti.loan_arrears, siti.total, siti.phone) == (
        0,
        2_300_000,
        2_300_000,
        "+6281211112222",
    )
    assert siti.loans[0].dpd == (ON - date(2025, 9, 25)).days
    assert asep.wajib_months == ((2025, 10), (2025, 11), (2025, 12))
    assert (asep.wajib, asep.total) == (60_000, 60_000)
    assert arrears.total == 2_360_000


def test_reminder_text(book: Book, small: Small) -> None:
    siti, asep = _arrears(book).rows
    text = siti.reminder_text
    assert "Siti Aminah" in text
    assert "P-2025-0001" in text and "Rp2.300.000" in text
    assert "Rina Marlina" in text and "Koperasi Desa Merah Putih Lambangsari" in text
    assert "Rp60.000" in asep.reminder_text and "3 bulan" in asep.reminder_text
    assert "Oktober 2025 s.d. Desember 2025" in asep.reminder_text


def test_pdf_one_page_per_member(book: Book, small: Small) -> None:
    slips = _confirmations(book)
    with read_session(book.sessions) as s:
        profile = settings.get_profile(s)
    pdf = render_confirmations(slips, profile, printed_at=datetime(2025, 12, 31, 9, 0))
    pages = _text(pdf)
    assert len(pages) == len(slips) == 3
    by_name = {
        name: next(t for t in pages if name in t)
        for name in ("Siti Aminah", "Asep Saepudin", "Dedi Kurnia")
    }
    siti = by_name["Siti Aminah"]
    assert "SURAT KONFIRMASI SALDO" in siti and "31 Desember 2025" in siti
    for amount in ("50.000", "240.000", "100.000", "390.000", "4.000.000", "2.300.000"):
        assert amount in siti
    assert "P-2025-0001" in siti and "Rina Marlina" in siti
    assert "BENAR" in siti and "TIDAK BENAR" in siti
    assert "180.000" in by_name["Asep Saepudin"]
    assert "Tidak ada pinjaman" in by_name["Dedi Kurnia"]


def test_an_empty_book(book: Book, fixed_today: date) -> None:
    assert _confirmations(book) == ()
    assert _arrears(book).rows == ()
