"""Draw the application icon: resources/icons/lumbung.png (256x256) and lumbung.ico.

A lumbung padi (the village rice barn) in the sidebar's colours: a gold barn
with its tall bonnet roof, raised on stilts, on a green rounded square.
Drawn with Qt's QPainter (PySide6 is already a dependency; no Pillow needed):

    QT_QPA_PLATFORM=offscreen python installer/make_icon.py

The .ico holds 16, 24, 32, 48 and 64 pixel images as 32-bit bitmaps (every
Windows and Inno Setup reads those) and the 256 pixel image as PNG.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

GREEN = QColor("#1f4d3a")
GREEN_DARK = QColor("#163a2b")
GOLD = QColor("#f2c14e")
GOLD_DARK = QColor("#c9962a")

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 256)


def draw(size: int) -> QImage:
    """The icon at ``size`` pixels, drawn on a 256 unit canvas."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)
    p.setPen(Qt.PenStyle.NoPen)

    # The tile.
    p.setBrush(GREEN)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)

    # Stilts, each with its round rat guard (jelepeng) under the floor.
    p.setBrush(GOLD_DARK)
    for x in (88, 128, 168):
        p.drawRect(QRectF(x - 7, 166, 14, 52))
    p.setBrush(GOLD)
    for x in (88, 128, 168):
        p.drawEllipse(QPointF(x, 178), 17, 7)
    # The floor beam.
    p.drawRoundedRect(QRectF(62, 152, 132, 16), 4, 4)
    # The ground.
    p.drawRoundedRect(QRectF(44, 214, 168, 12), 6, 6)

    # The bonnet roof: wide eaves, tall curved sides meeting at a ridge.
    roof = QPainterPath()
    roof.moveTo(36, 150)
    roof.cubicTo(58, 140, 64, 110, 74, 84)
    roof.cubicTo(88, 50, 112, 34, 128, 18)
    roof.cubicTo(144, 34, 168, 50, 182, 84)
    roof.cubicTo(192, 110, 198, 140, 220, 150)
    roof.closeSubpath()
    p.setBrush(GOLD)
    p.drawPath(roof)

    # Thatch lines and the store's small door (where the padi goes in).
    p.setPen(QPen(GOLD_DARK, 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.setBrush(Qt.BrushStyle.NoBrush)
    for left, right in ((54, 202), (66, 190)):
        line = QPainterPath()
        y = 132 if left == 54 else 108
        line.moveTo(left, y)
        line.quadTo(128, y - 10, right, y)
        p.drawPath(line)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(GREEN_DARK))
    p.drawRoundedRect(QRectF(114, 60, 28, 36), 6, 6)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def bmp_entry(image: QImage) -> bytes:
    """One icon image as a 32-bit DIB: header, BGRA rows bottom-up, then the AND mask."""
    size = image.width()
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    rows = []
    for y in range(size):
        line = argb.constScanLine(y)
        rows.append(bytes(line)[: size * 4])  # ARGB32 in memory is B, G, R, A
    pixels = b"".join(reversed(rows))
    mask_stride = ((size + 31) // 32) * 4
    mask = b"\x00" * (mask_stride * size)  # alpha decides; the mask is all "opaque"
    header = struct.pack(
        "<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(pixels) + len(mask), 0, 0, 0, 0
    )
    return header + pixels + mask


def ico_bytes(images: dict[int, QImage]) -> bytes:
    entries = [(s, png_bytes(img) if s >= 256 else bmp_entry(img)) for s, img in images.items()]
    out = struct.pack("<HHH", 0, 1, len(entries))
    offset = 6 + 16 * len(entries)
    directory = b""
    for size, data in entries:
        edge = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        directory += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + directory + b"".join(data for _size, data in entries)


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    images = {size: draw(size) for size in ICO_SIZES}
    (ICONS / "lumbung.png").write_bytes(png_bytes(images[256]))
    (ICONS / "lumbung.ico").write_bytes(ico_bytes(images))
    print(f"{ICONS / 'lumbung.png'}\n{ICONS / 'lumbung.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
