"""Files of the demo marketplace (`offers.demo`): a one-page PDF leaflet and a PNG poster per lot or message,
drawn with Pillow in a few milliseconds, and passed through the same upload checks a browser's upload goes
through (`portal.uploads.check_files`), so the demo's files are stored and served like anyone's."""

from __future__ import annotations

import io
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from offers.attachments import LOT_ATTACHMENTS
from portal.uploads import CheckedUpload, check_files

# DejaVu has Cyrillic and comes with most Linux systems; elsewhere Pillow's own font draws the Latin part.
FONT_FILES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
COLOURS = ("#3b2f5c", "#1f5f5b", "#7a3b2e", "#2e4a7a", "#5c4a1f")


@cache
def _font(size: int):
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _page(title: str, lines: tuple[str, ...], *, size: tuple[int, int], colour: str) -> Image.Image:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    margin = size[0] // 12
    draw.text((margin, margin), title, fill="white", font=_font(size[0] // 16))
    y = margin + size[0] // 8
    for line in lines:
        draw.text((margin, y), line, fill="#f0f0f0", font=_font(size[0] // 30))
        y += size[0] // 20
    return image


def _upload(name: str, content: bytes, content_type: str) -> CheckedUpload:
    return check_files([SimpleUploadedFile(name, content, content_type=content_type)], LOT_ATTACHMENTS)[0]


def leaflet(name: str, title: str, *lines: str) -> CheckedUpload:
    """A one-page A5 PDF called `name`: a coloured band, the title and the lines in dark text on white."""
    page = Image.new("RGB", (874, 1240), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 874, 60), fill=COLOURS[len(title) % len(COLOURS)])
    for index, line in enumerate((title, *lines)):
        draw.text((72, 110 + index * 48), line, fill="#222222", font=_font(40 if index == 0 else 26))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    return _upload(name, buffer.getvalue(), "application/pdf")


def poster(name: str, title: str, *lines: str) -> CheckedUpload:
    """A PNG poster called `name`."""
    buffer = io.BytesIO()
    _page(title, lines, size=(800, 1000), colour=COLOURS[len(title) % len(COLOURS)]).save(buffer, "PNG")
    return _upload(name, buffer.getvalue(), "image/png")
