"""The cooperative's logo on a PDF page: read once per document, drawn with its aspect kept.

``reader(book.logo)`` turns the PNG bytes kept in Pengaturan into one reportlab
``ImageReader``; every page that draws that reader refers to the same image in
the PDF file, so a logo in the header of a hundred pages is stored once.
"""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable


def reader(data: bytes | None) -> ImageReader | None:
    """One reader for the whole document; None without a logo."""
    return ImageReader(io.BytesIO(data)) if data else None


def fit(logo: ImageReader, max_w: float, max_h: float) -> tuple[float, float]:
    """The largest (width, height) inside ``max_w`` x ``max_h`` with the logo's aspect ratio."""
    px_w, px_h = logo.getSize()
    scale = min(max_w / px_w, max_h / px_h)
    return px_w * scale, px_h * scale


def draw(canvas: Canvas, logo: ImageReader, x: float, y: float, w: float, h: float) -> None:
    """Draw at (x, y), its bottom left, the transparent parts left unprinted."""
    canvas.drawImage(logo, x, y, width=w, height=h, mask="auto")


class LogoFlowable(Flowable):  # type: ignore[misc]
    """The logo as large as fits ``max_w`` x ``max_h``, centred in the frame's width."""

    def __init__(self, logo: ImageReader, max_w: float, max_h: float) -> None:
        super().__init__()
        self.logo = logo
        self.draw_w, self.draw_h = fit(logo, max_w, max_h)
        self.hAlign = "CENTER"

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        return self.draw_w, self.draw_h

    def draw(self) -> None:
        draw(self.canv, self.logo, 0, 0, self.draw_w, self.draw_h)
