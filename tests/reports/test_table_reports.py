"""The smaller reports as TableReports: the builders' totals to the rupiah, the PDF and the
workbook read back.

The books are those of test_report_builders (members, savings, two loans, cash
entries, 2024 closed, 2025 open) and test_confirmations (the arrears list).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pypdf
import pytest

from app.book import Book
from app.db import read_session
from app.queries.ledger import cash_book
from app.reports import build_tables as bt
from app.reports.build_confirmations import build_arrears
from app.reports.build_loans import build_loans
from app.reports.build_members import build_member_list
from app.reports.build_savings import build_savings
from app.reports.build_tables import (
    ARREARS,
    CASH_BOOK,
    LOANS,
    MEMBERS,
    MONEY,
    SAVINGS,
    Column,
    TableReport,
    TableRequest,
    build_table,
    format_cell,
)
from app.reports.pdf.table_report import choose_layout, render_table_report
from app.reports.xlsx.table_workbook import number_format, render_table_workbook
from tests.reports.test_confirmations import small_book as arrears_book
from tests.reports.test_report_builders import build_small_book

pytestmark = pytest.mark.usefixtures("fixed_today")

COOP = "Koperasi Desa Merah Putih Lambangsari"


@pytest.fixture
def small(book: Book) -> Book:
    build_small_book(book)
    return book


def table(book: Book, request: TableRequest) -> TableReport:
    with read_session(book.sessions) as s:
        return build_table(s, request)


def pdf_text(content: bytes) -> list[str]:
    """Each page's text, whitespace folded (a header cell may wrap onto two lines)."""
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return [" ".join(page.extract_text().split()) for page in pages]


def pdf_pages(content: bytes) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(content)).pages)


def column_values(report: TableReport, title: str) -> list[object]:
    index = report.column(title)
    return [row[index] for row in report.rows]


# -- the builders' data as tables ---------------------------------------------------------------


def test_member_list(small: Book) -> None:
    report = table(small, TableRequest(MEMBERS, year=2025))
    with read_session(small.sessions) as s:
        data = build_member_list(s, 2025)
    assert report.title == "Daftar Anggota" and report.organisation == COOP
    assert report.period == "Tahun Buku 2025, keadaan 31 Desember 2025"
    assert len(report.rows) == len(data.rows) == 3
    assert column_values(report, "No") == [1, 2, 3]
    assert column_values(report, "Nama") == ["Asep Saepudin", "Siti Aminah", "Dedi Kurnia"]
    assert column_values(report, "Tgl Masuk") == [
        date(2024, 3, 1),
        date(2025, 1, 6),
        date(2025, 1, 6),
    ]
    assert column_values(report, "Status 31/12") == ["aktif", "aktif", "keluar 01/08/2025"]
    assert report.totals == () and not report.provisional
    assert "3 orang menjadi anggota" in report.summary[0]
    assert "2 anggota aktif" in report.summary[0]
    assert (report.file_base, report.file_period) == ("Daftar_Anggota", "2025")


@pytest.mark.parametrize("year", [2024, 2025])
def test_savings_recap_totals_are_the_builders(small: Book, year: int) -> None:
    report = table(small, TableRequest(SAVINGS, year=year))
    with read_session(small.sessions) as s:
        recap = build_savings(s, year)
    assert report.provisional is (year == 2025)  # 2024 is closed, 2025 is not
    assert len(report.rows) == len(recap.rows)
    for label, key in (("Pokok", "pokok"), ("Wajib", "wajib"), ("Sukarela", "sukarela")):
        total = getattr(recap, key)
        group = f"Simpanan {label}"
        assert report.total(f"{group} Awal") == total.opening
        assert report.total(f"{group} Setor") == total.deposits
        assert report.total(f"{group} Tarik") == total.withdrawals
        assert report.total(f"{group} Akhir") == total.closing
        for row, member in zip(report.rows, recap.rows, strict=True):
            assert row[report.column(f"{group} Akhir")] == getattr(member, key).closing
    assert report.total("Jumlah Akhir") == recap.total.closing
    money = [i for i, c in enumerate(report.columns) if c.kind == MONEY]
    for index in money:  # every total is the sum of its column, in int rupiah
        total = report.totals[0][index]
        assert isinstance(total, int)
        assert total == sum(int(row[index] or 0) for row in report.rows)


def test_savings_recap_2025_figures(small: Book) -> None:
    report = table(small, TableRequest(SAVINGS, year=2025))
    assert report.total("Simpanan Sukarela Akhir") == 1_200_000
    assert report.total("Simpanan Wajib Akhir") == 440_000
    assert report.total("Simpanan Pokok Akhir") == 100_000  # Dedi's pokok went back
    names = column_values(report, "Nama")
    assert "Dedi Kurnia (keluar)" in names


def test_loans_recap_totals_and_quality(small: Book) -> None:
    report = table(small, TableRequest(LOANS, year=2025))
    with read_session(small.sessions) as s:
        recap, quality = build_loans(s, 2025)
    assert report.provisional
    assert report.total("Sisa Pokok 31/12") == recap.outstanding == 800_000
    assert report.total("Tunggakan") == recap.arrears
    assert report.total("Dicairkan") == recap.lent == 1_800_000
    assert report.total("Angsuran Pokok") == recap.repaid
    assert report.total("Jasa Dibayar") == recap.interest_paid
    assert report.total("Pokok Pinjaman") == sum(r.principal for r in recap.rows)
    by_number = {row[report.column("No. Pinjaman")]: row for row in report.rows}
    for loan in recap.rows:
        row = by_number[loan.number]
        assert row[report.column("Hari Tunggak")] == loan.dpd
        assert row[report.column("Kolektibilitas")] == loan.klass
        assert row[report.column("Jasa /bln")] == loan.monthly_rate
    assert sorted(column_values(report, "Kolektibilitas")) == ["Kurang Lancar", "Lancar"]
    assert "NPL" in report.summary[0]
    assert f"Rp{quality.current.allowance_required:,}".replace(",", ".") in report.summary[0]
    with pytest.raises(KeyError):
        report.column("Hapus Buku")  # no write-off in this book: no column for it


def test_arrears_list_with_phone_and_address(book: Book) -> None:
    arrears_book(book)
    on = date(2025, 12, 31)
    report = table(book, TableRequest(ARREARS, on=on))
    with read_session(book.sessions) as s:
        data = build_arrears(s, on)
    assert report.title == "Daftar Tunggakan" and report.period == "Per 31 Desember 2025"
    assert column_values(report, "Nama") == ["Siti Aminah", "Asep Saepudin"]
    assert column_values(report, "No. HP") == ["+6281211112222", "+6281233334444"]
    assert column_values(report, "Alamat")[0] == "Jl. Melati 3"
    assert column_values(report, "Bulan Wajib") == [0, 3]
    assert column_values(report, "Hari Terlambat") == [data.rows[0].loans[0].dpd, 0]
    assert report.total("Tunggakan Wajib") == data.wajib == 60_000
    assert report.total("Tunggakan Angsuran") == data.loan_arrears == 2_300_000
    assert report.total("Jumlah") == data.total == 2_360_000
    assert not report.provisional
    assert report.file_period == "31-12-2025"


def test_cash_book_with_opening_and_closing_rows(small: Book) -> None:
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    report = table(small, TableRequest(CASH_BOOK, start=start, end=end))
    with read_session(small.sessions) as s:
        ledger = cash_book(s, start, end)
    assert len(report.rows) == len(ledger.lines)
    saldo = report.column("Saldo")
    assert report.opening == ((start, None, "Saldo awal per 01/01/2025", None, None, 790_000),)
    assert report.total("Masuk (Debit)") == ledger.total_debit
    assert report.total("Keluar (Kredit)") == ledger.total_credit
    assert report.totals[1][saldo] == ledger.closing == 1_110_000
    assert 790_000 + ledger.total_debit - ledger.total_credit == ledger.closing
    assert report.rows[-1][saldo] == ledger.closing  # the running balance ends there
    assert report.provisional  # 2025 is not closed
    assert report.file_period == "01-01-2025_sd_31-12-2025"
    december = table(small, TableRequest(CASH_BOOK, start=date(2024, 1, 1), end=date(2024, 12, 31)))
    assert not december.provisional and december.totals[1][saldo] == 790_000


def test_a_period_backwards_or_a_future_year_is_refused(small: Book) -> None:
    from app.errors import ValidationError

    with pytest.raises(ValidationError, match="Tanggal awal"):
        table(small, TableRequest(CASH_BOOK, start=date(2025, 2, 1), end=date(2025, 1, 1)))
    with pytest.raises(ValidationError, match="2027"):
        table(small, TableRequest(SAVINGS, year=2027))


def test_cells_read_as_the_treasurer_writes_them() -> None:
    assert format_cell(MONEY, 1_234_567) == "1.234.567"
    assert format_cell(MONEY, 0) == "-"
    assert format_cell(MONEY, None) == ""
    assert format_cell(bt.NUMBER, 1200) == "1.200"
    assert format_cell(bt.PERCENT, Decimal("0.015")) == "1,5%"
    assert format_cell(bt.DATE, date(2025, 3, 1)) == "01/03/2025"
    assert format_cell(bt.TEXT, "Siti") == "Siti"


# -- the PDF ---------------------------------------------------------------------------------


def long_list(rows: int = 150) -> TableReport:
    """A member list long enough for several pages."""
    return TableReport(
        key=MEMBERS,
        title="Daftar Anggota",
        period="Tahun Buku 2025, keadaan 31 Desember 2025",
        organisation=COOP,
        columns=(
            Column("No", bt.NUMBER),
            Column("No. Anggota"),
            Column("Nama", wrap=True),
            Column("Tgl Masuk", bt.DATE),
            Column("Simpanan", MONEY),
        ),
        rows=tuple(
            (n, f"{n:04d}", f"Anggota Nomor {n}", date(2025, 1, 6), n * 1_000)
            for n in range(1, rows + 1)
        ),
        totals=((None, None, "Jumlah", None, sum(n * 1_000 for n in range(1, rows + 1))),),
        provisional=True,
        generated_on=date(2025, 12, 31),
    )


def test_pdf_of_a_long_list_repeats_the_header_and_the_title_on_every_page() -> None:
    content = render_table_report(long_list())
    pages = pdf_text(content)
    assert len(pages) >= 3
    assert "Daftar Anggota" in pages[0] and COOP in pages[0]
    assert "BELUM TUTUP BUKU" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert COOP in text and "Daftar Anggota" in text
        assert "Tahun Buku 2025, keadaan 31 Desember 2025" in text
        assert "No. Anggota" in text and "Tgl Masuk" in text  # the header row, again
        assert f"Halaman {number} dari {len(pages)}" in text
        assert "BELUM TUTUP BUKU" in text
    assert "Anggota Nomor 150" in pages[-1]
    assert "11.325.000" in pages[-1]  # the total, with Indonesian separators
    page = pdf_pages(content)[0]
    assert float(page.mediabox.width) < float(page.mediabox.height)  # five columns: portrait


def test_pdf_of_the_savings_recap_is_landscape_with_the_totals(small: Book) -> None:
    report = table(small, TableRequest(SAVINGS, year=2025))
    assert choose_layout(report).landscape
    content = render_table_report(report)
    page = pdf_pages(content)[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = "\n".join(pdf_text(content))
    assert "Rekapitulasi Simpanan Anggota" in text and COOP in text
    assert "Simpanan Sukarela" in text and "Jumlah Akhir" in text
    assert "1.200.000" in text and "1.740.000" in text  # sukarela and everything on 31/12
    assert report.total("Jumlah Akhir") == 1_740_000
    assert "BELUM TUTUP BUKU" in text
    assert "Halaman 1 dari 1" in text


def test_pdf_of_the_cash_book_shows_opening_and_closing(small: Book) -> None:
    report = table(small, TableRequest(CASH_BOOK, start=date(2025, 1, 1), end=date(2025, 12, 31)))
    assert not choose_layout(report).landscape
    text = "\n".join(pdf_text(render_table_report(report)))
    assert "Buku Kas" in text
    assert "Saldo awal per 01/01/2025" in text and "790.000" in text
    assert "Saldo akhir per 31/12/2025" in text and "1.110.000" in text
    assert "Listrik" in text


def test_pdf_progress_is_reported_and_a_cancel_stops_it() -> None:
    seen: list[tuple[int, int]] = []
    render_table_report(long_list(), progress=lambda done, total: seen.append((done, total)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert all(done <= total for done, total in seen)

    class Stop(Exception):
        pass

    def cancel(done: int, _total: int) -> None:
        if done >= 2:
            raise Stop

    with pytest.raises(Stop):
        render_table_report(long_list(), progress=cancel)


def test_an_empty_list_still_renders() -> None:
    empty = TableReport(
        key=ARREARS,
        title="Daftar Tunggakan",
        period="Per 31 Desember 2025",
        organisation=COOP,
        columns=bt.ARREARS_COLUMNS,
        rows=(),
    )
    assert "Tidak ada data." in pdf_text(render_table_report(empty))[0]
    assert openpyxl.load_workbook(io.BytesIO(render_table_workbook(empty))).active is not None


# -- the workbook ---------------------------------------------------------------------------------


def _header_row(ws: openpyxl.worksheet.worksheet.Worksheet, first: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first and row[0].font.bold:
            return int(row[0].row)
    raise AssertionError(f"no header row starting with {first!r}")


def _read(value: object) -> object:
    return value.date() if isinstance(value, datetime) else value


def _written(value: object) -> object:
    """What Excel keeps of a cell: no empty strings, rates as floats."""
    if value == "":
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


@pytest.mark.parametrize(
    "request_",
    [
        TableRequest(MEMBERS, year=2025),
        TableRequest(SAVINGS, year=2025),
        TableRequest(LOANS, year=2025),
        TableRequest(CASH_BOOK, start=date(2025, 1, 1), end=date(2025, 12, 31)),
    ],
    ids=["anggota", "simpanan", "pinjaman", "kas"],
)
def test_workbook_reads_back_as_the_report(small: Book, request_: TableRequest) -> None:
    report = table(small, request_)
    wb = openpyxl.load_workbook(io.BytesIO(render_table_workbook(report)))
    assert len(wb.sheetnames) == 1
    ws = wb.active
    assert ws["A1"].value == COOP and ws["A2"].value == report.title
    assert ws["A3"].value == report.period
    assert (ws["A4"].value == bt.OPEN_YEAR_MARK) is report.provisional
    header = _header_row(ws, report.columns[0].title)
    assert [c.value for c in ws[header]][: len(report.columns)] == [c.title for c in report.columns]
    assert ws.freeze_panes == f"A{header + 1}"
    first_header = header - 1 if report.has_groups else header
    assert ws.print_title_rows == f"${first_header}:${header}"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.orientation == ("landscape" if len(report.columns) > 8 else "portrait")
    all_rows = [*report.opening, *report.rows, *report.totals]
    read = [
        [_read(c.value) for c in row][: len(report.columns)]
        for row in ws.iter_rows(min_row=header + 1, max_row=header + len(all_rows))
    ]
    assert read == [[_written(v) for v in row] for row in all_rows]
    for row in ws.iter_rows(min_row=header + 1, max_row=header + len(all_rows)):
        for cell, column in zip(row, report.columns, strict=False):
            assert cell.number_format == number_format(column)
            if column.kind == MONEY and cell.value is not None:
                assert isinstance(cell.value, int)
    body_end = header + len(report.opening) + len(report.rows)
    assert ws.auto_filter.ref.endswith(f"{body_end}")
    assert ws.auto_filter.ref.startswith(f"A{header}:")
    for letter, dimension in ws.column_dimensions.items():
        assert dimension.width and dimension.width >= 6, letter


def test_workbook_formats_and_groups(small: Book) -> None:
    report = table(small, TableRequest(SAVINGS, year=2025))
    ws = openpyxl.load_workbook(io.BytesIO(render_table_workbook(report))).active
    header = _header_row(ws, "No")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {f"D{header - 1}:G{header - 1}", f"H{header - 1}:K{header - 1}"} <= merged
    assert ws.cell(header - 1, 4).value == "Simpanan Pokok"
    money = ws.cell(header + 1, report.column("Simpanan Wajib Akhir") + 1)
    assert money.number_format == "#,##0"
    loans = table(small, TableRequest(LOANS, year=2025))
    ws = openpyxl.load_workbook(io.BytesIO(render_table_workbook(loans))).active
    header = _header_row(ws, "No")
    assert ws.cell(header + 1, loans.column("Tgl Cair") + 1).number_format == "DD/MM/YYYY"
    assert ws.cell(header + 1, loans.column("Jasa /bln") + 1).number_format == "0.00%"
    rate = ws.cell(header + 1, loans.column("Jasa /bln") + 1).value
    assert Decimal(str(rate)) in (Decimal("0.01"), Decimal("0.02"))
