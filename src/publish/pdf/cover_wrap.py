"""The paperback's cover as one sheet: bleed, back, spine, front, bleed, for the chosen printer.

The spine's width comes from the print edition's final page count and the paper's caliper, so
the cover is made after the interior is laid out, in the same build. It is laid out by
WeasyPrint from styles/templates/print/cover-wrap.html, so its fonts are the book's, embedded
and subset; `bleed` in its @page gives the PDF its TrimBox (the cover as cut) and BleedBox.
Guides (trim, folds, safe zones) go in a separate preview file, never in the upload.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from PIL import Image, UnidentifiedImageError
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from publish import __version__
from publish.errors import problem, warn
from publish.model import Book
from publish.pdf.barcode import BAR_MM, GUARD_MM, MODULE_MM, Barcode, isbn_barcode
from publish.pdf.fetcher import SandboxedFetcher
from publish.pdf.fonts import book_faces
from publish.pdf.printers import Printer, printer_profile
from publish.pdf.templates import render, styles_dir
from publish.read import inside, parse_trim

log = logging.getLogger(__name__)

# The drawn front, in the colours of the EPUB's drawn cover (publish.epub.cover).
INK = "rgb(244, 237, 224)"
PAPER = "rgb(31, 58, 61)"
BARCODE_ZONE = (2.0, 1.2)  # inches, width x height: KDP's barcode area on the back cover
DESIGN_MARGIN = 0.5  # inches from the trim and the folds to the back's and front's text


@dataclass(frozen=True)
class CoverGeometry:
    """The wrap's sizes in inches, from the trim, the page count and the printer."""

    trim_width: float
    trim_height: float
    spine: float
    bleed: float
    pages: int
    spine_text: bool  # whether the spine is wide enough for its title and author
    spine_margin: float
    safe_zone: float

    @property
    def width(self) -> float:
        """The whole sheet, bleed included: bleed + back + spine + front + bleed."""
        return self.bleed + self.trim_width + self.spine + self.trim_width + self.bleed

    @property
    def height(self) -> float:
        return self.trim_height + 2 * self.bleed

    @property
    def front_left(self) -> float:
        """Where the front panel starts, from the trim's left edge (the back's outer edge)."""
        return self.trim_width + self.spine


def cover_geometry(book: Book, pages: int) -> CoverGeometry:
    """The wrap of a book of `pages` interior pages at book.toml's trim, printer and paper."""
    printer = printer_profile(book.pdf.printer)
    width, height = (length / 72 for length in parse_trim(book.pdf.trim))
    counted = pages + pages % 2 if printer.even_pages else pages  # it adds a blank leaf side
    return CoverGeometry(
        trim_width=width,
        trim_height=height,
        spine=printer.spine_width(counted, book.pdf.paper, book.pdf.caliper),
        bleed=printer.bleed,
        pages=counted,
        spine_text=counted > printer.spine_text_pages,
        spine_margin=printer.spine_margin,
        safe_zone=printer.safe_zone,
    )


def cover_file_name(book: Book, guides: bool = False) -> str:
    return f"{book.slug}-cover{'-guides' if guides else ''}.pdf"


def write_cover(
    book: Book, pages: int, created: datetime.datetime, target: IO[bytes], guides: bool = False
) -> CoverGeometry:
    """Lay out and write the wrap for `pages` interior pages; with `guides`, the preview file."""
    printer = printer_profile(book.pdf.printer)
    geometry = cover_geometry(book, pages)
    barcode = _barcode(book, warn_bad=not guides)
    front = _front_image(book, geometry, printer, warn_low=not guides)
    html = render(
        "print/cover-wrap.html",
        meta=book.metadata,
        cover=geometry,
        front=front,
        barcode=barcode,
        barcode_sizes=(MODULE_MM, BAR_MM, GUARD_MM),
        zone=BARCODE_ZONE,
        margin=max(DESIGN_MARGIN, geometry.safe_zone),
        title_size=_title_size(book.metadata.title),
        guides=guides,
        ink=INK,
        paper=PAPER,
        generator=f"publish {__version__}",
        created=created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    faces = book_faces()
    fetcher = SandboxedFetcher([book.source_dir, styles_dir()], [face.path for face in faces])
    font_config = FontConfiguration()
    font_css = render("partials/font-faces.css", faces=[(f, f.path.as_uri()) for f in faces])
    document = HTML(
        string=html, base_url=book.source_dir.resolve().as_uri() + "/", url_fetcher=fetcher
    ).render(
        stylesheets=[CSS(string=font_css, font_config=font_config, url_fetcher=fetcher)],
        font_config=font_config,
    )
    if not guides:
        _warn_overflow(book, document.pages[0]._page_box)
    identifier = hashlib.sha256(f"{book.metadata.identifier} cover".encode()).hexdigest()[:32]
    document.write_pdf(target, pdf_identifier=identifier.encode())
    return geometry


def _title_size(title: str) -> int:
    """The front's title size in points: smaller for a longer title, to stay above the authors."""
    return 30 if len(title) <= 40 else 24 if len(title) <= 80 else 18


def _warn_overflow(book: Book, page_box: Any) -> None:
    """Warn when the description runs past the back's text area, or the title into the authors."""
    found = {_classes(box): box for box in _descendants(page_box) if _classes(box)}
    back, front, authors = (
        found.get("panel back"),
        found.get("panel front"),
        found.get("panel authors"),
    )
    config = book.source_dir / "book.toml"
    if back is not None:
        bottom = max((b.position_y + b.height for b in _descendants(back)), default=0)
        if bottom > back.position_y + back.height + 0.5:
            message = (
                "the description is too long for the back cover, which shows what fits above "
                "the barcode; shorten it"
            )
            warn(problem(config, message))
    if front is None or authors is None:
        return
    if front.position_y + front.margin_height() > authors.position_y:
        warn(problem(config, "the title runs into the authors on the front cover; shorten it"))


def _classes(box: Any) -> str:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", "") != "div":
        return ""
    return " ".join((element.get("class") or "").split())


def _descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _barcode(book: Book, warn_bad: bool) -> Barcode | None:
    """The print edition's ISBN ([pdf] isbn, else an urn:isbn: identifier) as EAN-13 bars."""
    isbn = book.isbn("pdf")
    if isbn is None:
        return None
    barcode = isbn_barcode(isbn)
    if barcode is None and warn_bad:
        message = (
            f"the ISBN {isbn} is no valid ISBN-13 (or ISBN-10), so the cover leaves a white "
            "zone for the barcode: check its digits"
        )
        warn(problem(book.source_dir / "book.toml", message))
    return barcode


def _front_image(
    book: Book, geometry: CoverGeometry, printer: Printer, warn_low: bool
) -> str | None:
    """The cover image's path for the front panel, warning when it prints under 300 ppi."""
    if not book.metadata.cover:
        return None
    path = inside(book.source_dir, book.metadata.cover)
    if path is None:
        return None
    try:
        with Image.open(io.BytesIO(path.read_bytes())) as image:
            pixels = image.size
    except (OSError, UnidentifiedImageError):
        return None
    panel = (geometry.trim_width + geometry.bleed, geometry.height)
    ppi = min(pixels[0] / panel[0], pixels[1] / panel[1])  # scaled to cover the panel
    least = printer.least_ppi or 300
    if warn_low and ppi < least - 0.5:
        wanted = (round(panel[0] * least), round(panel[1] * least))
        message = (
            f"the cover image is {pixels[0]} x {pixels[1]} px, {ppi:.0f} pixels per inch on "
            f"the printed front ({panel[0]:.3f} x {panel[1]:.3f} in with its bleed): "
            f"{printer.label} asks for {least}; use an image of at least "
            f"{wanted[0]} x {wanted[1]} px"
        )
        warn(problem(path, message))
    return path.relative_to(book.source_dir).as_posix()
