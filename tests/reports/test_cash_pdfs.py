"""Bukti kas and berita acara kas opname: the data (exact figures) and the PDF text read back."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pypdf
import pytest

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import NotAllowed, NotFound
from app.queries.cash_documents import (
    CashCountReport,
    cash_count_report,
    cash_voucher,
    chart_rows,
    units_in_use,
)
from app.reports.pdf.cash_count import render_cash_count
from app.reports.pdf.cash_voucher import render_cash_voucher, render_cash_vouchers
from app.services import accounts, cash_count, cashbook
from app.services.cash_count import DENOMINATIONS
from app.services.settings import get_profile, save_profile

USER = "bendahara"
DAY = date(2025, 12, 5)
PRINTED = datetime(2025, 12, 5, 15, 30)


def _text(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


@pytest.fixture
def posted(book: Book, fixed_today: date) -> dict[str, int]:
    with unit_of_work(book.sessions) as session:
        profile = get_profile(session)
        save_profile(session, replace(profile, ketua_pengawas="H. Dadang Sudrajat"), by=USER)
        grant = cashbook.cash_in(
            session,
            on=date(2025, 12, 1),
            account="3-301",
            amount=5_000_000,
            memo="Hibah desa",
            by=USER,
        )
        power = cashbook.cash_out(
            session,
            on=DAY,
            account="5-305",
            amount=1_235_600,
            memo="Bayar listrik Desember",
            by=USER,
            unit="Gerai Sembako",
        )
        transfer = cashbook.journal(
            session,
            on=DAY,
            memo="Setor kas ke bank",
            lines=[
                cashbook.JournalInput("1-111", debit=1_000_000),
                cashbook.JournalInput("1-101", credit=1_000_000),
            ],
            by=USER,
        )
        depreciation = cashbook.journal(
            session,
            on=DAY,
            memo="Penyusutan peralatan",
            lines=[
                cashbook.JournalInput("5-307", debit=50_000),
                cashbook.JournalInput("1-3041", credit=50_000),
            ],
            by=USER,
        )
        cash_count.record_count(
            session,
            DAY,
            {100_000: 27, 50_000: 1, 10_000: 1, 2_000: 2, 100: 3},
            by=USER,
            note="uang receh terselip di laci",
        )
    return {
        "grant": grant.id,
        "power": power.id,
        "transfer": transfer.id,
        "depreciation": depreciation.id,
    }


def test_cash_voucher_data(book: Book, posted: dict[str, int]) -> None:
    with read_session(book.sessions) as session:
        voucher = cash_voucher(session, posted["power"])
        grant = cash_voucher(session, posted["grant"])
        transfer = cash_voucher(session, posted["transfer"])
        with pytest.raises(NotAllowed, match="tidak ada bukti kasnya"):
            cash_voucher(session, posted["depreciation"])
        with pytest.raises(NotFound):
            cash_voucher(session, 99_999)
    assert (voucher.title, voucher.number, voucher.amount) == (
        "BUKTI KAS KELUAR",
        "KK-2025-000001",
        1_235_600,
    )
    assert [(line.code, line.amount) for line in voucher.lines] == [("5-305", 1_235_600)]
    assert voucher.words == "satu juta dua ratus tiga puluh lima ribu enam ratus rupiah"
    assert voucher.unit == "Gerai Sembako"
    assert grant.incoming and grant.title == "BUKTI KAS MASUK"
    assert [(line.code, line.amount) for line in grant.lines] == [("3-301", 5_000_000)]
    # A general journal that moved cash has a bukti kas too (cash paid out to the bank).
    assert not transfer.incoming and [(line.code, line.amount) for line in transfer.lines] == [
        ("1-111", 1_000_000)
    ]


def test_cash_voucher_pdf(book: Book, posted: dict[str, int]) -> None:
    with read_session(book.sessions) as session:
        voucher = cash_voucher(session, posted["power"])
    pages, text = _text(render_cash_voucher(voucher, printed_at=PRINTED))
    assert pages == 1
    for expected in (
        "Koperasi Desa Merah Putih Lambangsari",
        "BUKTI KAS KELUAR",
        "KK-2025-000001",
        "05/12/2025",
        "5 Desember 2025",
        "5-305",
        "Beban Listrik, Air, Telepon",
        "Bayar listrik Desember",
        "Rp1.235.600",
        "Satu juta dua ratus tiga puluh lima ribu enam ratus rupiah",
        "Dibuat oleh",
        "Disetujui",
        "Ketua",
        "Diterima oleh",
        "Ida Farida",
        "Ahmad Suryana",
        "Lambangsari, 5 Desember 2025",
        "Halaman 1 dari 1",
    ):
        assert expected in text, expected


def test_several_vouchers_one_per_page(book: Book, posted: dict[str, int]) -> None:
    with read_session(book.sessions) as session:
        vouchers = [cash_voucher(session, posted[k]) for k in ("grant", "power")]
    pages, text = _text(render_cash_vouchers(vouchers, printed_at=PRINTED))
    assert pages == 2
    assert "BUKTI KAS MASUK" in text and "Dibayar oleh" in text and "Rp5.000.000" in text
    assert "Halaman 2 dari 2" in text


def test_cash_count_data(book: Book, posted: dict[str, int]) -> None:
    with read_session(book.sessions) as session:
        report = cash_count_report(session, DAY)
        with pytest.raises(NotFound, match="Belum ada kas opname"):
            cash_count_report(session, date(2025, 12, 6))
    # 5.000.000 - 1.235.600 - 1.000.000 = 2.764.400 in the book; 2.764.300 counted.
    assert (report.total, report.book_balance, report.difference) == (2_764_300, 2_764_400, -100)
    assert sum(r.value for r in report.rows) == report.total
    assert report.notes_total + report.coins_total == report.total
    assert [r.denomination for r in report.rows] == list(DENOMINATIONS)
    assert report.place_and_date == "Lambangsari, 5 Desember 2025"


def test_cash_count_pdf(book: Book, posted: dict[str, int]) -> None:
    with read_session(book.sessions) as session:
        report: CashCountReport = cash_count_report(session, DAY)
    pages, text = _text(render_cash_count(report, printed_at=PRINTED))
    assert pages == 1
    for expected in (
        "BERITA ACARA KAS OPNAME",
        "Jumat, tanggal 5 Desember 2025",
        "Rp100.000",
        "Rp100",
        "2.700.000",
        "Jumlah uang kas dihitung",
        "2.764.300",
        "Rp2.764.400",
        "Rp100 (uang kas kurang dari saldo buku)",
        "uang receh terselip di laci",
        "Dua juta tujuh ratus enam puluh empat ribu tiga ratus rupiah",
        "Bendahara",
        "Ketua",
        "Pengawas",
        "Ida Farida",
        "Ahmad Suryana",
        "H. Dadang Sudrajat",
        "Lambangsari, 5 Desember 2025",
        "Hari belum ditutup",
        "Halaman 1 dari 1",
    ):
        assert expected in text, expected


def test_screen_reads(book: Book, posted: dict[str, int]) -> None:
    with unit_of_work(book.sessions) as session:
        accounts.add_account(session, group="beban", code="5-312", name="Beban Sewa", by=USER)
        accounts.deactivate_account(session, "5-312", by=USER)
    with read_session(book.sessions) as session:
        rows = {r.code: r for r in chart_rows(session)}
        active = {r.code for r in chart_rows(session, include_inactive=False)}
        units = units_in_use(session)
    assert rows["1-101"].normal_balance == 2_764_400 and rows["1-101"].program
    assert rows["1-3041"].normal_balance == 50_000 and rows["1-3041"].is_contra
    assert rows["5-305"].lines == 1 and not rows["5-305"].program
    assert not rows["5-312"].active and "5-312" not in active
    assert units == ["Simpan Pinjam", "Gerai Sembako"]
