"""Small pictures for the logo tests, made with Pillow in memory."""

from __future__ import annotations

import io
import os

from PIL import Image, ImageDraw


def picture(
    size: tuple[int, int] = (300, 200), fmt: str = "PNG", mode: str = "RGBA", **save: object
) -> bytes:
    """A green disc with a white bar on a transparent (or white) ground, as ``fmt`` bytes."""
    ground = (0, 0, 0, 0) if mode in ("RGBA", "LA", "P") else "white"
    img = Image.new("RGBA", size, ground)
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.ellipse((w * 0.05, h * 0.05, w * 0.95, h * 0.95), fill=(46, 125, 50, 255))
    draw.rectangle((w * 0.3, h * 0.45, w * 0.7, h * 0.55), fill=(255, 255, 255, 255))
    if mode == "P":
        converted = img.convert("P", palette=Image.Palette.ADAPTIVE)
    elif mode != "RGBA":
        converted = img.convert(mode)
    else:
        converted = img
    out = io.BytesIO()
    converted.save(out, format=fmt, **save)
    return out.getvalue()


def noise_png(side: int) -> bytes:
    """A PNG that does not compress: side x side RGB noise, about 3 * side**2 bytes."""
    img = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=0)
    return out.getvalue()


def size_of(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as img:
        return img.size


def mode_and_format(png: bytes) -> tuple[str, str]:
    with Image.open(io.BytesIO(png)) as img:
        return img.mode, str(img.format)
