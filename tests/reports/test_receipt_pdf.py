"""Kwitansi PDF: real text (pypdf reads it back), two receipts per A4 sheet."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest

from app.book import Book
from app.db import read_session, unit_of_work
from app.queries.receipts import Receipt, receipt
from app.reports.pdf.receipt import render_receipts
from app.services import members, savings

USER = "bendahara"


def _register(book: Book, name: str, nik: str, sex: str, joined: date) -> int:
    with unit_of_work(book.sessions) as session:
        data = members.MemberInput(
            nik=nik, name=name, sex=sex, address="Kp. Lambangsari", rt="1", rw="3", dusun="Kaum"
        )
        return members.register(session, data, joined_on=joined, by=USER).member_id


@pytest.fixture
def receipts(book: Book, fixed_today: date) -> list[Receipt]:
    asep = _register(book, "Asep Sunarya", "3216011205800001", "L", date(2025, 6, 3))
    siti = _register(book, "Siti Aminah", "3216015208850002", "P", date(2025, 7, 10))
    with unit_of_work(book.sessions) as session:
        first = savings.deposit(
            session, asep, {"wajib": 40_000, "sukarela": 2_910_000}, on=date(2025, 12, 1), by=USER
        )
        second = savings.deposit(
            session, siti, {"sukarela": 300_000}, on=date(2025, 12, 2), by=USER
        )
        third = savings.withdraw(session, siti, 125_000, on=date(2025, 12, 3), by=USER)
    with read_session(book.sessions) as session:
        return [receipt(session, p.id) for p in (first, second, third)]


def _text(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_deposit_receipt_says_who_what_and_how_much_in_words(receipts: list[Receipt]) -> None:
    pages, text = _text(render_receipts(receipts[:1]))
    assert pages == 1
    assert "KWITANSI SETORAN SIMPANAN" in text
    assert receipts[0].number in text
    assert "01/12/2025" in text
    assert "Asep Sunarya" in text
    assert "Telah terima dari" in text
    assert "Rp40.000" in text and "Rp2.910.000" in text
    assert "Rp2.950.000" in text  # the total
    assert "dua juta sembilan ratus lima puluh ribu rupiah" in text.lower()
    assert "Koperasi Desa Merah Putih Lambangsari" in text
    assert "Ida Farida" in text  # the bendahara signs
    assert "Saldo setelah transaksi" in text


def test_withdrawal_receipt_is_a_payment_to_the_member(receipts: list[Receipt]) -> None:
    _pages, text = _text(render_receipts(receipts[2:]))
    assert "BUKTI PENARIKAN SIMPANAN" in text
    assert "Dibayarkan kepada" in text
    assert "Siti Aminah" in text
    assert "Rp125.000" in text
    assert "seratus dua puluh lima ribu rupiah" in text.lower()
    assert "Rp175.000" in text  # sukarela left after the withdrawal


def test_two_receipts_share_one_a4_sheet(receipts: list[Receipt]) -> None:
    pages, text = _text(render_receipts(receipts[:2]))
    assert pages == 1
    assert receipts[0].number in text and receipts[1].number in text
    pages, text = _text(render_receipts(receipts))
    assert pages == 2
    assert all(r.number in text for r in receipts)
    page_size = pypdf.PdfReader(io.BytesIO(render_receipts(receipts))).pages[0].mediabox
    assert round(float(page_size.width)) == 595 and round(float(page_size.height)) == 842  # A4


def test_nothing_to_render_is_a_bug_not_an_empty_pdf() -> None:
    with pytest.raises(ValueError):
        render_receipts([])
