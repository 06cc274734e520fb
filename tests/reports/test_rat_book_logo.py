"""The cooperative's logo in the RAT book: large on the cover, small in every page's header.

Read back with pypdfium2: the image objects on each page, their pixel size (which
picture it is) and where they sit; and where the header's texts are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.units import mm

from app.book import create_book
from app.db import read_session, unit_of_work
from app.reports.build_rat import RatBook, build_rat_book
from app.reports.pdf import logo as logos
from app.reports.pdf import rat_book
from app.reports.pdf.rat_book import (
    COVER_LOGO_H,
    COVER_LOGO_W,
    HEADER_LOGO_H,
    HEADER_LOGO_W,
    OPEN_MARK,
    render_rat_book,
)
from app.reports.pdf.style import MARGIN
from app.services import settings
from app.services.settings import Profile
from tests.conftest import USER
from tests.logo_pictures import picture, size_of

TODAY = date(2025, 12, 31)
LOGO_PX = (480, 240)  # wide, 2:1, and no other picture in the book has this size
# The Koperasi Desa Merah Putih names run long: with a logo in front the header is full.
PROFILE = Profile(
    name="Koperasi Desa Merah Putih Lambangsari",
    desa="Lambangsari",
    kabupaten="Bekasi",
    ketua="Ahmad Suryana",
    sekretaris="Rina Marlina",
    bendahara="Ida Farida",
)

Box = tuple[float, float, float, float]  # left, bottom, right, top in points


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RatBook, RatBook]]:
    """The 2025 RAT book of a new cooperative: without a logo, then with one."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("app.dates.today", lambda: TODAY)
        path: Path = tmp_path_factory.mktemp("ratlogo") / "buku.sqlite"
        book = create_book(path, PROFILE, by=USER)
        try:
            with read_session(book.sessions) as session:
                without = build_rat_book(session, 2025)
            with unit_of_work(book.sessions) as session:
                settings.set_logo(session, picture(LOGO_PX), by=USER)
            with read_session(book.sessions) as session:
                with_logo = build_rat_book(session, 2025)
        finally:
            book.close()
        yield without, with_logo


@pytest.fixture(scope="module")
def plain_pdf(books: tuple[RatBook, RatBook]) -> bytes:
    return render_rat_book(books[0])


@pytest.fixture(scope="module")
def logo_pdf(books: tuple[RatBook, RatBook]) -> bytes:
    return render_rat_book(books[1])


def images(pdf: bytes) -> list[list[tuple[tuple[int, int], Box]]]:
    """Per page: (pixel size, box on the page) of every image drawn on it."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            found = [
                (tuple(obj.get_px_size()), tuple(obj.get_bounds()))
                for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])
            ]
            pages.append(found)
        return pages  # type: ignore[return-value]
    finally:
        document.close()


def text_box(pdf: bytes, page_index: int, text: str) -> Box:
    """Where ``text`` first stands on the page."""
    document = pdfium.PdfDocument(pdf)
    try:
        textpage = document[page_index].get_textpage()
        found = textpage.search(text, match_case=True).get_next()
        assert found is not None, text
        start, count = found
        boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
    finally:
        document.close()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [tuple(page.get_size()) for page in document]  # type: ignore[misc]
    finally:
        document.close()


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_book_data_carries_the_logo(books: tuple[RatBook, RatBook]) -> None:
    without, with_logo = books
    assert without.logo is None
    assert with_logo.logo is not None and size_of(with_logo.logo) == LOGO_PX
    assert "logo" not in repr(with_logo)  # the bytes stay out of logs and tracebacks


def test_without_a_logo_no_page_after_the_cover_has_a_picture(plain_pdf: bytes) -> None:
    pages = images(plain_pdf)
    assert len(pages) > 5
    assert all(found == [] for found in pages[1:])
    # The cover keeps Lumbung's own picture, as before there were logos.
    assert all(px != LOGO_PX for px, _box in pages[0])
    assert len(pages[0]) == (1 if rat_book.LOGO.exists() else 0)


def test_the_logo_is_on_the_cover_large_and_on_every_page_small(logo_pdf: bytes) -> None:
    pages = images(logo_pdf)
    sizes = page_sizes(logo_pdf)
    assert len(pages) > 5
    assert any(w > h for w, h in sizes)  # landscape pages (savings, loans) too
    for number, (found, (_w, height)) in enumerate(zip(pages, sizes, strict=True), start=1):
        headers = [box for px, box in found if px == LOGO_PX and box[1] > height - MARGIN - 12 * mm]
        assert len(headers) == 1, f"page {number}"
        left, bottom, right, top = headers[0]
        assert left == pytest.approx(MARGIN, abs=0.5)
        assert right - left == pytest.approx(2 * (top - bottom), abs=0.5)  # 2:1 as the picture
        assert right - left <= HEADER_LOGO_W + 0.5 and top - bottom <= HEADER_LOGO_H + 0.5
        assert top <= height - MARGIN + 2 * mm  # inside the header, not over the page edge
    # The cover: Lumbung's picture gives way to the cooperative's, large and 2:1.
    large = [box for px, box in pages[0] if px == LOGO_PX and box[3] - box[1] > 20 * mm]
    assert len(large) == 1 and len(pages[0]) == 2
    left, bottom, right, top = large[0]
    assert (right - left) / (top - bottom) == pytest.approx(2, rel=0.01)
    assert right - left <= COVER_LOGO_W + 0.5 and top - bottom <= COVER_LOGO_H + 0.5
    assert (left + right) / 2 == pytest.approx(sizes[0][0] / 2, abs=1)  # centred
    name = text_box(logo_pdf, 0, PROFILE.name.upper())
    assert bottom > name[3]  # above the cooperative's name


def test_the_picture_is_stored_once_and_read_once(
    books: tuple[RatBook, RatBook], monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[object] = []
    real = logos.ImageReader

    def counting(source: object) -> object:
        made.append(source)
        return real(source)

    monkeypatch.setattr(logos, "ImageReader", counting)
    pdf = render_rat_book(books[1])
    assert len(made) == 1
    # One image (and its transparency mask) in the file, however many pages show it.
    assert pdf.count(b"/Subtype /Image") <= 2


def test_the_header_name_moves_right_of_the_logo(plain_pdf: bytes, logo_pdf: bytes) -> None:
    plain = text_box(plain_pdf, 2, PROFILE.name)
    with_logo = text_box(logo_pdf, 2, PROFILE.name)
    assert plain[0] == pytest.approx(MARGIN, abs=1)
    logo_right = next(box for px, box in images(logo_pdf)[2] if px == LOGO_PX)[2]
    assert with_logo[0] == pytest.approx(logo_right + 2 * mm, abs=1)


@pytest.mark.parametrize("which", ["plain", "logo"])
def test_the_open_year_mark_stays_clear_of_the_header_and_footer_texts(
    which: str, plain_pdf: bytes, logo_pdf: bytes, books: tuple[RatBook, RatBook]
) -> None:
    pdf = plain_pdf if which == "plain" else logo_pdf
    for page in (1, 2):
        mark = text_box(pdf, page, OPEN_MARK)
        others = [
            text_box(pdf, page, PROFILE.name),
            text_box(pdf, page, "Rapat Anggota Tahunan · Tahun Buku 2025"),
            text_box(pdf, page, "Buku RAT 2025 · dibuat"),
            text_box(pdf, page, f"Halaman {page + 1} dari"),
        ]
        padded = (mark[0] - 2 * mm, mark[1] - 1.6 * mm, mark[2] + 2 * mm, mark[3] + 1.6 * mm)
        for other in others:
            assert not overlap(padded, other), (which, page, other)


def test_a_very_wide_or_tall_logo_keeps_its_shape(books: tuple[RatBook, RatBook]) -> None:
    for px in ((600, 60), (120, 600)):
        pdf = render_rat_book(replace(books[1], logo=picture(px)))
        pages = images(pdf)
        for found in (pages[0], pages[3]):
            for size, (left, bottom, right, top) in found:
                assert size == px
                assert (right - left) / (top - bottom) == pytest.approx(px[0] / px[1], rel=0.02)
