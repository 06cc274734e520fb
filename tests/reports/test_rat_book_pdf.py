"""The RAT book PDF on the shared example, read back with pypdf (DOMAIN.md 7, 9).

The example is imported into a fresh book with "today" pinned to 31/12/2025, so
2025 is still open: every page must say "BELUM TUTUP BUKU".
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.book import create_book
from app.db import read_session, unit_of_work
from app.money import format_statement
from app.reports.build_rat import RatBook, build_rat_book
from app.reports.pdf import rat_book
from app.reports.pdf.rat_book import OPEN_MARK, SECTIONS, render_rat_book
from app.services import importer
from app.services.settings import Profile
from tests.conftest import SHARED, USER

EXAMPLE = SHARED / "examples" / "import_example.xlsx"
TODAY = date(2025, 12, 31)
PROFILE = Profile(
    name="Koperasi Desa Merah Putih Lambangsari",
    desa="Lambangsari",
    kecamatan="Tambun Selatan",
    kabupaten="Bekasi",
    provinsi="Jawa Barat",
    ketua="Ahmad Suryana",
    sekretaris="Rina Marlina",
    bendahara="Ida Farida",
    ketua_pengawas="Hendra Gunawan",
    anggota_pengawas_1="Nining Suryani",
    anggota_pengawas_2="Ujang Rahmat",
)


@pytest.fixture(scope="module")
def book_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RatBook]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("app.dates.today", lambda: TODAY)
        path: Path = tmp_path_factory.mktemp("ratpdf") / "buku.sqlite"
        book = create_book(path, PROFILE, by=USER)
        try:
            parsed = importer.read_workbook(EXAMPLE)
            with unit_of_work(book.sessions) as session:
                importer.import_workbook(session, parsed, by=USER)
            with read_session(book.sessions) as session:
                data = build_rat_book(session, 2025)
        finally:
            book.close()
        yield data


@pytest.fixture(scope="module")
def pdf(book_data: RatBook) -> bytes:
    return render_rat_book(book_data)


@pytest.fixture(scope="module")
def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_it_is_a_pdf_of_a4_pages(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert pdf.startswith(b"%PDF")
    for page in reader.pages:
        width, height = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert (round(width), round(height)) == (595, 842)
    assert "Buku RAT Tahun Buku 2025" in (reader.metadata.title or "")


def test_every_page_is_numbered_and_carries_the_name_year_and_open_mark(
    pages: list[str],
) -> None:
    total = len(pages)
    assert total >= 15
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {total}" in text
        assert PROFILE.name in text
        assert "Tahun Buku 2025" in text
        assert OPEN_MARK in text


def test_the_cover_says_what_the_book_is(pages: list[str]) -> None:
    cover = flat(pages[0])
    assert "LAPORAN PERTANGGUNGJAWABAN PENGURUS DAN PENGAWAS" in cover
    assert "RAPAT ANGGOTA TAHUNAN" in cover and "TAHUN BUKU 2025" in cover
    assert "KOPERASI DESA MERAH PUTIH LAMBANGSARI" in cover
    assert "Lambangsari, 31 Desember 2025" in cover


def test_the_sections_come_in_the_order_of_the_book(pages: list[str]) -> None:
    body = [flat(text) for text in pages[2:]]
    first_page: dict[str, int] = {}
    for section in SECTIONS:
        found = [
            index for index, text in enumerate(body) if section in text or section.upper() in text
        ]
        assert found, f"{section} not in the book"
        first_page[section] = found[0]
    order = [first_page[s] for s in SECTIONS]
    assert order == sorted(order), first_page


def test_the_contents_list_every_section_with_its_page(pdf: bytes, pages: list[str]) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    outline: dict[str, int] = {}

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline[item.title] = reader.get_destination_page_number(item) + 1  # type: ignore[attr-defined]

    walk(reader.outline)
    contents = flat(pages[1])
    assert "DAFTAR ISI" in contents
    for section in SECTIONS:
        page = outline[section]
        shown = flat(pages[page - 1])
        assert section in shown or section.upper() in shown, (section, page)
        assert re.search(
            rf"{re.escape(section)}[ .]*{page}\b|\b{page} {re.escape(section)}", contents
        ), (section, page)


def test_the_neraca_totals_are_printed_and_equal(book_data: RatBook, pages: list[str]) -> None:
    bs = book_data.statements.balance_sheet
    assert bs.balanced
    neraca = next(flat(t) for t in pages if "LAPORAN POSISI KEUANGAN (NERACA)" in t)
    assets = re.search(r"JUMLAH ASET ([\d.()-]+) ([\d.()-]+)", neraca)
    other = re.search(r"JUMLAH LIABILITAS DAN EKUITAS ([\d.()-]+) ([\d.()-]+)", neraca)
    assert assets and other
    assert assets.groups() == other.groups()
    assert assets.groups() == (
        format_statement(bs.total_assets.current),
        format_statement(bs.total_assets.previous),
    )
    assert "(dalam Rupiah)" in neraca


def test_the_shu_of_every_member_is_listed_with_the_total(
    book_data: RatBook, pages: list[str]
) -> None:
    text = " ".join(flat(t) for t in pages)
    shu = book_data.shu
    assert shu.members and shu.members_total > 0
    assert format_statement(shu.members_total) in text
    for member in shu.members:
        assert member.name in text


def test_the_officers_sign_the_statements_and_the_pengawas_their_page(
    pages: list[str],
) -> None:
    neraca = next(flat(t) for t in pages if "LAPORAN POSISI KEUANGAN (NERACA)" in t)
    for name in (PROFILE.ketua, PROFILE.sekretaris, PROFILE.bendahara):
        assert name in neraca
    assert "Lambangsari, 31 Desember 2025" in neraca
    last = flat(pages[-1])
    for name in (
        PROFILE.ketua_pengawas,
        PROFILE.anggota_pengawas_1,
        PROFILE.anggota_pengawas_2,
        PROFILE.ketua,
    ):
        assert name in last
    assert "Ketua Pengawas" in last


def test_a_closed_year_has_no_open_mark(book_data: RatBook) -> None:
    import dataclasses

    closed = dataclasses.replace(book_data, closed=True)
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(render_rat_book(closed))).pages]
    assert all(OPEN_MARK not in t for t in texts)


def test_progress_is_reported_and_may_cancel(book_data: RatBook) -> None:
    seen: list[tuple[int, int]] = []
    render_rat_book(book_data, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        if done >= 3:
            raise Stop

    with pytest.raises(Stop):
        render_rat_book(book_data, progress=stop)


def test_the_charts_are_drawn_when_the_book_gives_the_years(book_data: RatBook) -> None:
    from dataclasses import dataclass
    from decimal import Decimal

    @dataclass(frozen=True)
    class Year:
        year: int
        members: int
        pokok: int
        wajib: int
        sukarela: int
        loans_outstanding: int
        npl_ratio: Decimal

    trends = [
        Year(
            y,
            20 + 5 * i,
            1_000_000 * i,
            2_000_000 * i,
            500_000 * i,
            10_000_000 * i,
            Decimal("0.02") * i,
        )
        for i, y in enumerate(range(2021, 2026), start=1)
    ]

    class WithTrends:
        def __init__(self, book: RatBook) -> None:
            self._book = book
            self.trends = trends

        def __getattr__(self, name: str) -> object:
            return getattr(self._book, name)

    flowables = rat_book._charts(WithTrends(book_data), rat_book._make_styles())  # type: ignore[arg-type]
    assert flowables
    text = " ".join(
        flat(p.extract_text())
        for p in PdfReader(io.BytesIO(render_rat_book(WithTrends(book_data)))).pages  # type: ignore[arg-type]
    )
    assert "Perkembangan 2021-2025" in text


def test_the_command_line_writes_the_pdf(tmp_path: Path, pdf: bytes) -> None:
    from app import cli

    assert cli._pdf_renderer() is render_rat_book


def test_trends_cover_the_years_of_the_book_and_match_the_statements(
    book_data: RatBook, pages: list[str]
) -> None:
    """The five-year charts: only years the book has (2024's saldo awal, then 2025)."""
    assert [t.year for t in book_data.trends] == [2024, 2025]
    last = book_data.trends[-1]
    recap = book_data.savings
    assert (last.pokok, last.wajib, last.sukarela) == (
        sum(m.pokok.closing for m in recap.rows),
        sum(m.wajib.closing for m in recap.rows),
        sum(m.sukarela.closing for m in recap.rows),
    )
    assert last.members == book_data.membership.end.total
    assert last.loans_outstanding == book_data.loans.outstanding
    assert any("Jumlah anggota (31 Desember)" in page for page in pages)


def test_long_lists_run_over_pages_with_their_header_and_every_row_once(
    book_data: RatBook,
) -> None:
    """A 5.000-member book's lists span hundreds of pages: they are split page by page,
    laid out in a counting pass and drawn in the last one. Every row must be drawn
    exactly once, in order, with the header on each page and the total on the last."""
    from dataclasses import replace

    many = 260
    members = tuple(
        replace(row, number=f"X{index:04d}", name=f"Anggota Uji Nomor {index:04d}")
        for index in range(many)
        for row in book_data.members.rows[:1]
    )
    savings = tuple(
        replace(row, number=f"S{index:04d}")
        for index in range(many)
        for row in book_data.savings.rows[:1]
    )
    data = replace(
        book_data,
        members=replace(book_data.members, rows=members),
        savings=replace(book_data.savings, rows=savings),
    )
    pages = [
        flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(render_rat_book(data))).pages
    ]
    for prefix, section, header in (
        ("X", rat_book.S_ANGGOTA, "No. Anggota Nama L/P Alamat"),
        ("S", rat_book.S_SIMPANAN, "Simpanan Pokok Simpanan Wajib"),
    ):
        numbers = [
            int(found) for text in pages for found in re.findall(rf"\b{prefix}(\d{{4}})\b", text)
        ]
        assert numbers == list(range(many)), section
        holding = [text for text in pages if re.search(rf"\b{prefix}\d{{4}}\b", text)]
        assert len(holding) >= 4, section
        assert all(header in text for text in holding), section
    savings_pages = [text for text in pages if re.search(r"\bS\d{4}\b", text)]
    # "Jumlah" heads the last column on every page; the total row adds one, on the last.
    counts = [text.count("Jumlah") for text in savings_pages]
    assert counts[-1] == counts[0] + 1
    assert len(set(counts[:-1])) == 1
