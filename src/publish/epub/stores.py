"""What e-book stores turn away even when EPUBCheck passes.

Each finding is a warning (an error under --strict) naming the file and what to do. Alt text
is checked where images are read (assets.py), the form of the language tag in book.toml.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree
from PIL import Image, UnidentifiedImageError

from publish.errors import Problem, problem, warn
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


# `publish check --store`: what each store's own ingestion refuses, read from the built EPUB.
STORES = ("kindle", "apple", "kobo", "google")
KINDLE_GUIDE = "Amazon, Kindle Publishing Guidelines"
APPLE_GUIDE = "Apple Books Asset Guide"
KOBO_GUIDE = "Kobo Writing Life, Content Conversion Guidelines"
GOOGLE_GUIDE = "Google Play Books Partner Center help, Cover image requirements"
# KDP's e-book languages (its "Supported languages" page), as BCP 47 primary subtags.
KINDLE_LANGUAGES = frozenset(
    ["af", "ar", "br", "ca", "co", "cy", "da", "de", "en", "es", "eu", "fi", "fr", "frr",
     "frs", "fy", "ga", "gd", "gl", "gsw", "gu", "gv", "hi", "is", "it", "ja", "kw", "lb",
     "ml", "mr", "nb", "nl", "nn", "no", "oc", "pt", "rm", "sco", "sv", "ta", "zh"]
)  # fmt: skip
KINDLE_TOC_DEPTH = 2  # levels the Kindle "Go To" menu shows
KINDLE_DELIVERY_USD_PER_MB = 0.15  # amazon.com's delivery cost at the 70% royalty
KOBO_MAX_XHTML_BYTES = 10 * 1024 * 1024
GOOGLE_COVER_PX = (640, 7200)  # each side at least, and at most
PLACEHOLDERS = re.compile(r"\b(lorem ipsum|TODO|XXX)\b|\[\s*(insert|tbd)\b", re.I)
CUSTOM_PROPERTY = re.compile(r"(^|[;{\s])--[A-Za-z_][\w-]*\s*:|var\(\s*--")
COMMENT = re.compile(rb"<!--(.*?)-->", re.S)

StoreFinding = tuple[str, Problem]  # (severity, problem)


@dataclass(frozen=True)
class _Built:
    """The built EPUB's files, and where each comes from in the manuscript."""

    book: Book
    path: Path
    files: dict[str, bytes]

    def where(self, name: str) -> Path:
        for chapter in self.book.chapters:
            if chapter.href == PurePosixPath(name).name:
                return self.book.source_dir / chapter.source_path
        return self.book.source_dir / "[EPUB]" / name

    def named(self, *endings: str) -> list[tuple[str, bytes]]:
        return sorted((n, d) for n, d in self.files.items() if n.lower().endswith(endings))

    @property
    def config(self) -> Path:
        return self.book.source_dir / "book.toml"


def check_stores(epub_path: Path, book: Book, stores: Sequence[str]) -> list[StoreFinding]:
    """Each rule of the `stores` asked for that the built EPUB breaks.

    EPUBCheck passes all of these; each store's own ingestion does not. The cover's least
    size and images' pixels and bytes are checked on every build (`check` above).
    """
    with zipfile.ZipFile(epub_path) as archive:
        built = _Built(book, epub_path, {n: archive.read(n) for n in archive.namelist()})
    checks = {"kindle": _kindle, "apple": _apple, "kobo": _kobo, "google": _google}
    return [finding for store in STORES if store in stores for finding in checks[store](built)]


def _kindle(built: _Built) -> list[StoreFinding]:
    found: list[StoreFinding] = []
    language = built.book.metadata.language
    if language.split("-")[0].lower() not in KINDLE_LANGUAGES:
        message = (
            f"Kindle: the language '{language}' is not one Kindle sells e-books in, so the "
            f"book is refused ({KINDLE_GUIDE}); set [book] language to the book's language"
        )
        found.append(("warning", problem(built.config, message)))
    for name, data in built.named(".css"):
        if CUSTOM_PROPERTY.search(data.decode("utf-8", "replace")):
            message = (
                "Kindle: CSS custom properties (--name, var()) are lost on older Kindles, which "
                f"drop the whole rule ({KINDLE_GUIDE}); use plain values"
            )
            found.append(("warning", problem(built.where(name), message)))
    for name, data in built.named(".xhtml", ".css", ".opf", ".ncx"):
        if any(b"--" in comment for comment in COMMENT.findall(data)):
            message = (
                "Kindle: '--' inside a comment is not XML, and Kindle's converter stops there "
                f"({KINDLE_GUIDE}); remove the dashes from the comment"
            )
            found.append(("warning", problem(built.where(name), message)))
    nav = next((data for name, data in built.named("nav.xhtml")), None)
    depth = _toc_depth(nav) if nav else 0
    if depth > KINDLE_TOC_DEPTH:
        message = (
            f"Kindle: the table of contents is {depth} levels deep; the Kindle 'Go To' menu "
            f"shows {KINDLE_TOC_DEPTH} ({KINDLE_GUIDE}); the deeper headings stay in the text"
        )
        found.append(("note", problem(built.config, message)))
    megabytes = built.path.stat().st_size / 1024 / 1024
    fee = max(0.01, megabytes * KINDLE_DELIVERY_USD_PER_MB)
    message = (
        f"Kindle: the EPUB is {megabytes:.2f} MB; at the 70% royalty Amazon.com keeps about "
        f"${fee:.2f} a copy for delivery (${KINDLE_DELIVERY_USD_PER_MB:.2f} a MB, {KINDLE_GUIDE})"
    )
    found.append(("note", problem(built.config, message)))
    return found


def _apple(built: _Built) -> list[StoreFinding]:
    found: list[StoreFinding] = []
    for name, data in built.named(".xhtml"):
        text = " ".join(str(part) for part in etree.fromstring(data).itertext())
        if match := PLACEHOLDERS.search(text):
            message = (
                f"Apple Books: placeholder text '{match[0]}' is a reason for rejection "
                f"({APPLE_GUIDE}); finish or remove it"
            )
            found.append(("warning", problem(built.where(name), message)))
    for name, data in built.named(".jpg", ".jpeg", ".png"):
        if _mode(data) == "CMYK":
            message = (
                f"Apple Books: the image {name} is CMYK; it takes RGB images only "
                f"({APPLE_GUIDE}); save it as RGB (sRGB)"
            )
            found.append(("warning", problem(built.where(name), message)))
    return found


def _kobo(built: _Built) -> list[StoreFinding]:
    found: list[StoreFinding] = []
    for name, data in built.named(".xhtml"):
        if len(data) > KOBO_MAX_XHTML_BYTES:
            message = (
                f"Kobo: this chapter is {len(data) / 1024 / 1024:.1f} MB of XHTML; Kobo takes "
                f"at most 10 MB a file ({KOBO_GUIDE}); split the chapter"
            )
            found.append(("warning", problem(built.where(name), message)))
    covers = [data for name, data in built.named("cover.xhtml")]
    if covers and b"<img" not in covers[0]:
        message = f"Kobo: the cover page shows no <img> ({KOBO_GUIDE}); give the book a cover"
        found.append(("warning", problem(built.config, message)))
    return found


def _google(built: _Built) -> list[StoreFinding]:
    opf = next((data for name, data in built.named(".opf")), b"")
    items = etree.fromstring(opf).iter("{http://www.idpf.org/2007/opf}item") if opf else []
    cover = next((i.get("href", "") for i in items if "cover-image" in i.get("properties", "")), "")
    data = next((d for name, d in built.files.items() if cover and name.endswith(cover)), None)
    size = _size(data) if data else None
    low, high = GOOGLE_COVER_PX
    if size is None or (low <= min(size) and max(size) <= high):
        return []
    message = (
        f"Google Play Books: the cover is {size[0]} x {size[1]} px; it takes covers of {low} to "
        f"{high:,} px a side ({GOOGLE_GUIDE}); resize the cover image"
    )
    return [("warning", problem(built.config, message))]


def _toc_depth(nav: bytes) -> int:
    """How deep the nav's table of contents nests its lists."""
    tree = etree.fromstring(nav)
    xhtml = "{http://www.w3.org/1999/xhtml}"
    tocs = [n for n in tree.iter(f"{xhtml}nav") if "toc" in n.get(EPUB_TYPE, "")]
    lists = [o for toc in tocs for o in toc.iter(f"{xhtml}ol")]
    return max((sum(1 for a in o.iterancestors(f"{xhtml}ol")) + 1 for o in lists), default=0)


EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _mode(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.mode
    except (UnidentifiedImageError, OSError):
        return None
