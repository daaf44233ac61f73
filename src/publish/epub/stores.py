"""What e-book stores turn away even when EPUBCheck passes.

Each finding is a warning (an error under --strict) naming the file and what to do. Alt text
is checked where images are read (assets.py), the form of the language tag in book.toml.
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from publish.errors import problem, warn
from publish.model import Asset, Book

COVER_LONG_SIDE = 1600  # px: the least Apple Books, Kobo and Kindle ask of a cover
MAX_IMAGE_PIXELS = 4_000_000  # Apple Books' limit for an image in a book
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # Kindle's limit for one image file


def check(book: Book, cover: Asset) -> None:
    """Warn of a cover too small, and of images too large, for the stores."""
    size = _size(cover.data)
    if book.metadata.cover and size and max(size) < COVER_LONG_SIDE:
        warn(
            problem(
                book.source_dir / cover.source_path,
                f"the cover is {size[0]} x {size[1]} px; stores ask for at least "
                f"{COVER_LONG_SIDE} px on the long side (1600 x 2560 is ideal): use a larger image",
            )
        )
    for asset in book.assets:
        size = _size(asset.data)
        if size and size[0] * size[1] > MAX_IMAGE_PIXELS:
            warn(
                problem(
                    book.source_dir / asset.source_path,
                    f"is {size[0]} x {size[1]} px, more than Apple Books takes "
                    f"({MAX_IMAGE_PIXELS // 1_000_000} million pixels): scale it down",
                )
            )
        if len(asset.data) > MAX_IMAGE_BYTES:
            warn(
                problem(
                    book.source_dir / asset.source_path,
                    f"is {len(asset.data) / 1024 / 1024:.1f} MB, more than Kindle takes for an "
                    f"image ({MAX_IMAGE_BYTES // 1024 // 1024} MB): compress it or scale it down",
                )
            )


def _size(data: bytes) -> tuple[int, int] | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            return width, height
    except (UnidentifiedImageError, OSError):  # SVG: no pixels to count
        return None
