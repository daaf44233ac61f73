"""The cover image the author gave, or one drawn from the title and authors."""

from __future__ import annotations

import base64
import io
import itertools
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from publish.model import Asset, Book, Memo, computed
from publish.pdf import book_faces
from publish.read import inside, sniff_media_type

# Stores ask for covers of at least 1600 px on the long side, at about 1:1.6.
COVER_SIZE = (1600, 2560)
INK = (244, 237, 224)
PAPER = (31, 58, 61)


def book_cover(book: Book, memo: Memo = computed) -> Asset:
    """The author's cover if book.toml names one, else a generated one.

    The author's cover keeps its own path, so a chapter that shows it too shares the one file;
    a drawn cover takes a name no image of the book uses.
    """
    if book.metadata.cover:
        path = inside(book.source_dir, book.metadata.cover)
        assert path is not None, "the read stage checked the cover path"
        data = path.read_bytes()
        relative = path.relative_to(book.source_dir).as_posix()
        return Asset(relative, sniff_media_type(data) or "image/jpeg", data)
    taken = {asset.source_path for asset in book.assets}
    names = itertools.chain(
        ["images/cover.png"], (f"images/cover-{n}.png" for n in itertools.count(2))
    )
    href = next(name for name in names if name not in taken)
    # Drawing and compressing 4 megapixels takes a while: an unchanged cover is not redrawn.
    # The memo keeps JSON, so the PNG travels as base64.
    drawn = memo(
        "cover", [repr(book.metadata)], lambda: base64.b64encode(_draw_cover(book)).decode()
    )
    return Asset(href, "image/png", base64.b64decode(drawn))


def _draw_cover(book: Book) -> bytes:
    width, height = COVER_SIZE
    # Drawn as the ink's coverage of each pixel (0 paper, 255 ink), then coloured by a palette
    # running from paper to ink: what drawing in colour gives, at a third of the pixels to draw
    # and compress.
    image = Image.new("L", COVER_SIZE, 0)
    draw = ImageDraw.Draw(image)
    margin = 170
    serif = book_faces()[0].family
    faces = {(f.weight, f.style): f.path for f in book_faces() if f.family == serif}

    title_font, title_lines = _fit(book.metadata.title, faces[(600, "normal")], width - 2 * margin)
    y = 620
    for line in title_lines:
        draw.text((width / 2, y), line, font=title_font, fill=255, anchor="ma")
        y += int(title_font.size * 1.18)
    if book.metadata.subtitle:
        subtitle_font, lines = _fit(
            book.metadata.subtitle, faces[(400, "italic")], width - 2 * margin, 80
        )
        y += 40
        for line in lines:
            draw.text((width / 2, y), line, font=subtitle_font, fill=255, anchor="ma")
            y += int(subtitle_font.size * 1.25)
    rule_y = y + 90
    draw.line([(width / 2 - 160, rule_y), (width / 2 + 160, rule_y)], fill=255, width=4)

    author_font = ImageFont.truetype(str(faces[(400, "normal")]), 84)
    y = height - 520
    for author in book.metadata.authors:
        draw.text((width / 2, y), author, font=author_font, fill=255, anchor="ma")
        y += 110
    shades = [
        round(paper + (ink - paper) * coverage / 255)
        for coverage in range(256)
        for paper, ink in zip(PAPER, INK, strict=True)
    ]
    image.putpalette(shades)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _fit(
    text: str, font_path: Path, max_width: int, start_size: int = 150
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (down to a third of `start_size`) at which `text` wraps in five lines."""
    size = start_size
    while True:
        font = ImageFont.truetype(str(font_path), size)
        lines = _wrap(text, font, max_width)
        if len(lines) <= 5 or size <= start_size // 3:
            return font, lines
        size -= 8


def _wrap(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _drawn_as_text(book: Book) -> Callable[[], str]:
    return lambda: base64.b64encode(_draw_cover(book)).decode("ascii")
