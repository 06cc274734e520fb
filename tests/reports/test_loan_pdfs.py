"""Kartu angsuran, ringkasan perjanjian and loan receipts: real text read back with pypdf."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal

import pypdf
import pytest

from app.book import Book
from app.db import read_session, unit_of_work
from app.queries.loan_documents import LoanDocument, loan_document
from app.queries.loans import disbursement, loan_detail
from app.queries.receipts import receipt
from app.reports.pdf.loan_agreement import render_loan_agreement
from app.reports.pdf.loan_card import render_loan_card
from app.reports.pdf.receipt import render_receipts
from app.services import loans
from tests.services.helpers import ASEP, SITI, USER, register

START = date(2025, 6, 25)
PRINTED = datetime(2025, 12, 31, 10, 0)


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def loan_id(book: Book, fixed_today: date) -> int:
    siti = register(book, SITI, on=date(2024, 6, 1))
    asep = register(book, ASEP, on=date(2024, 6, 1))
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
                collateral="BPKB motor Honda Beat 2019",
                collateral_value=8_000_000,
                guarantor_id=asep,
            ),
            on=START,
            by=USER,
        )
        loans.approve(s, loan, on=START, by="ketua")
        loans.disburse(s, loan, on=START, by=USER)
    for k in range(2):  # installments 1 and 2 paid on their due dates
        with unit_of_work(book.sessions) as s:
            due = loans.schedule_of(s, loan)[k].due
            loans.repay(s, loan, 575_000, on=due, by=USER)
    return loan


def _doc(book: Book, loan_id: int) -> LoanDocument:
    with read_session(book.sessions) as s:
        return loan_document(s, loan_id, date(2025, 12, 31))


def test_document_data(book: Book, loan_id: int) -> None:
    doc = _doc(book, loan_id)
    assert doc.number == "P-2025-0001" and doc.member.name == "Siti Aminah"
    assert doc.guarantor is not None and doc.guarantor.name == "Asep Saepudin"
    assert len(doc.rows) == 10 and doc.total_interest == 750_000 and doc.net_received == 4_950_000
    assert [r.paid_on for r in doc.rows[:3]] == [date(2025, 7, 25), date(2025, 8, 25), None]
    assert doc.rows[0].paid == 575_000 and doc.rows[2].paid == 0
    assert doc.effective_rate.quantize(Decimal("0.0001")) == Decimal("0.0263")


def test_loan_card_reads_back(book: Book, loan_id: int) -> None:
    doc = _doc(book, loan_id)
    pdf = render_loan_card(doc, printed_at=PRINTED)
    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) < float(box.height)  # A4 portrait
    text = _text(pdf)
    for needle in (
        "KARTU ANGSURAN PINJAMAN",
        "P-2025-0001",
        "Siti Aminah",
        "Asep Saepudin",
        "Koperasi Desa Merah Putih Lambangsari",
        "Rp5.000.000",
        "1,5% per bulan (Flat)",
        "Tgl bayar",
        "Jumlah dibayar",
        "Paraf",
        "5.750.000",
        "Halaman 1 dari 1",
    ):
        assert needle in text, needle
    # One schedule row per installment: its number, then its due date (pypdf: a cell a line).
    rows = re.findall(r"^(\d{1,3})\n(\d{2}/\d{2}/\d{4})$", text, flags=re.MULTILINE)
    assert [int(k) for k, _due in rows] == list(range(1, 11))
    assert "25/07/2025" in text and "25/04/2026" in text


def test_agreement_reads_back(book: Book, loan_id: int) -> None:
    pdf = render_loan_agreement(_doc(book, loan_id), printed_at=PRINTED)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1  # fits one sheet, signatures included
    text = _text(pdf)
    for needle in (
        "RINGKASAN PERJANJIAN PINJAMAN",
        "P-2025-0001",
        "Siti Aminah",
        "Asep Saepudin",
        "Rp5.000.000",
        "lima juta rupiah",
        "1,5% per bulan",
        "Flat",
        "2,63%",
        "Rp575.000",
        "Rp750.000",
        "Rp5.750.000",
        "Rp50.000",
        "Rp4.950.000",
        "BPKB motor Honda Beat 2019",
        "Rp8.000.000",
        "0,1% per hari",
        "Peminjam",
        "Penjamin",
        "Bendahara",
        "Ketua",
        "Ahmad Suryana",
        "Ida Farida",
    ):
        assert needle in text, needle


def test_loan_receipts(book: Book, loan_id: int) -> None:
    with read_session(book.sessions) as s:
        paid = disbursement(s, loan_id)
        assert paid is not None and (paid.principal, paid.fees, paid.net) == (
            5_000_000,
            50_000,
            4_950_000,
        )
        out = receipt(s, paid.entry_id)
        second = loan_detail(s, loan_id, date(2025, 12, 31)).payments[1]
        back = receipt(s, second.entry_id)
    assert out.title == "BUKTI PENCAIRAN PINJAMAN" and out.total == 4_950_000
    assert [(line.label, line.amount) for line in out.lines] == [
        ("Pokok pinjaman P-2025-0001", 5_000_000),
        ("Dikurangi provisi", -50_000),
    ]
    assert out.total_label == "DITERIMA BERSIH"
    assert back.title == "KWITANSI ANGSURAN PINJAMAN" and back.total == 575_000
    assert [(line.label, line.amount) for line in back.lines] == [
        ("Jasa/bunga pinjaman angsuran ke-2", 75_000),
        ("Pokok pinjaman angsuran ke-2", 500_000),
    ]
    assert back.side_total == 4_000_000 and "P-2025-0001" in back.side_title
    text = _text(render_receipts([out, back], printed_at=PRINTED))
    for needle in (
        "BUKTI PENCAIRAN PINJAMAN",
        "DITERIMA BERSIH",
        "Rp4.950.000",
        "KWITANSI ANGSURAN PINJAMAN",
        "angsuran ke-2",
        "Sisa pokok pinjaman",
        "Rp4.000.000",
    ):
        assert needle in text, needle
