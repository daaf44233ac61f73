"""The laid-out print edition checked against the chosen printer's rules (publish.pdf.printers).

Each broken rule is a finding that says what is wrong, the printer's reason in plain words, its
source, and what to do. Margins are measured from where the text and images stand on every
laid-out page (folios and running heads included), not from the CSS that asked for them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError
from weasyprint.formatting_structure import boxes

from publish.errors import problem, warn
from publish.pdf.printers import Printer, printer_profile
from publish.read import load_config, parse_length, parse_trim

if TYPE_CHECKING:
    from publish.model import Book
    from publish.pdf.writer import LaidOut

PX_PER_INCH = 96  # WeasyPrint lays out in CSS px
TOLERANCE = 0.005  # inches: rounding, not a margin too narrow


@dataclass(frozen=True)
class PrintFinding:
    """One printer's rule the interior breaks."""

    printer: str  # the printer's label
    what: str  # what is wrong, with the figures
    reason: str  # why the printer asks it, in plain words
    source: str  # where the printer says so
    fix: str  # what to do
    source_path: str = "book.toml"  # the manuscript file it comes from
    line: int | None = None
    key: tuple[str, str] = ("print", "printer")  # book.toml's key it comes from, for its line

    def __str__(self) -> str:
        return f"{self.printer}: {self.what}: {self.reason} ({self.source}); {self.fix}"


@dataclass(frozen=True)
class Extent:
    """How close a page's ink comes to each edge of the trim, in inches."""

    left: float
    right: float
    top: float
    bottom: float


def report_printer(book: Book, laid_out: LaidOut) -> list[PrintFinding]:
    """Warn of every rule of book.toml's printer that the laid-out print edition breaks."""
    printer = printer_profile(book.pdf.printer)
    if printer.name == "generic" or laid_out.variant != "print":
        return []
    findings = check_interior(book, laid_out, printer)
    config = load_config(book.source_dir)  # read again, for the lines of its keys
    for finding in findings:
        line = finding.line
        if finding.source_path == "book.toml":
            line = config.line_of(*finding.key) or config.line_of("print", "printer")
        warn(problem(book.source_dir / finding.source_path, str(finding), line))
    return findings


def check_interior(book: Book, laid_out: LaidOut, printer: Printer) -> list[PrintFinding]:
    """The rules of `printer` that the laid-out pages break, in the order of its guide."""
    pages = laid_out.document.pages
    count = len(pages)
    found: list[PrintFinding] = []

    def finding(
        what: str, reason: str, fix: str, source: str = printer.source, key: str = ""
    ) -> None:
        place = ("pdf", key) if key else ("print", "printer")
        found.append(PrintFinding(printer.label, what, reason, source, fix, key=place))

    width, height = (length / 72 for length in parse_trim(book.pdf.trim))
    if printer.trims and not any(
        abs(width - w) < 0.01 and abs(height - h) < 0.01 for w, h in printer.trims
    ):
        sizes = ", ".join(f"{w:g}x{h:g}in" for w, h in printer.trims[:6])
        finding(
            f"the trim {width:g} x {height:g} in is not one of its sizes",
            "it prints, binds and cuts only its own trim sizes",
            f"set [pdf] trim to one of {sizes}… (its guide lists them all)",
            key="trim",
        )
    if not printer.least_pages <= count <= printer.most_pages:
        finding(
            f"the book has {count} pages",
            f"it binds books of {printer.least_pages} to {printer.most_pages} pages only",
            "a smaller trim or more text makes more pages"
            if count < printer.least_pages
            else "a larger trim or a split into volumes makes fewer pages",
        )
    if printer.even_pages and count % 2:
        finding(
            f"the book has an odd number of pages ({count})",
            "every leaf has two sides, so it adds a blank page of its own at the end",
            "add a page (a colophon, notes) or let the printer add the blank one",
        )
    if not printer.crop_marks and book.pdf.crop_marks:
        finding(
            "the pages carry crop marks",
            "it trims by its own marks; yours would be printed inside the book",
            "set [pdf] crop-marks = false",
            printer.file_rules_source,
            key="crop-marks",
        )
    bleed = parse_length(book.pdf.bleed) / 72
    if bleed and abs(bleed - printer.bleed) > TOLERANCE:
        finding(
            f"the bleed is {bleed:.3f} in",
            f"it trims {printer.bleed} in off each bleeding edge",
            f'set [pdf] bleed = "{printer.bleed}in"',
            key="bleed",
        )
    blank = [index for index, page in enumerate(pages) if _extent(page) is None]
    for first, run in _runs(blank):
        if printer.most_blank_in_a_row is not None and run > printer.most_blank_in_a_row:
            finding(
                f"{run} blank pages in a row from page {first + 1} of the file",
                f"more than {printer.most_blank_in_a_row} look like a printing fault to readers "
                "and to its reviewers",
                "remove the empty chapters or page breaks there",
                printer.file_rules_source,
            )
    if printer.last_page_blank and count and (count - 1) not in blank:
        finding(
            "the last page is not blank",
            "it prints its own barcode and production line on the last page",
            "leave the last page empty (it adds one when there is none)",
        )
    found += _margin_findings(book, laid_out, printer, bleed)
    found += _image_findings(book, laid_out, printer)
    return found


def _margin_findings(
    book: Book, laid_out: LaidOut, printer: Printer, bleed: float
) -> list[PrintFinding]:
    """The narrowest margin on each side over the whole book, against the printer's least."""
    pages = laid_out.document.pages
    least_inside = printer.least_inside_margin(len(pages))
    least_outside = printer.least_outside_bleed if bleed else printer.least_outside
    narrowest: dict[str, tuple[float, int]] = {}
    for index, page in enumerate(pages):
        extent = _extent(page)
        if extent is None:
            continue
        recto = index % 2 == 0  # the first page is a right-hand page: its gutter is on the left
        inside, outside = (extent.left, extent.right) if recto else (extent.right, extent.left)
        for side, margin in (
            ("inside", inside),
            ("outside", outside),
            ("top", extent.top),
            ("bottom", extent.bottom),
        ):
            if side not in narrowest or margin < narrowest[side][0]:
                narrowest[side] = (margin, index)
    found = []
    for side, (margin, index) in narrowest.items():
        least = least_inside if side == "inside" else least_outside
        if margin + TOLERANCE >= least:
            continue
        label = laid_out.labels[index] or f"{index + 1} of the file"
        reason = (
            f"it asks for {least:g} in on a book of {len(pages)} pages, so that no text "
            "disappears into the binding"
            if side == "inside"
            else f"it asks for {least:g} in, since its cutting can stray by up to 1/8 in"
        )
        found.append(
            PrintFinding(
                printer.label,
                f"the {side} margin is {margin:.3f} in on page {label}",
                reason,
                printer.source,
                "widen that margin (a folio or running head counts as text)",
            )
        )
    return found


def _image_findings(book: Book, laid_out: LaidOut, printer: Printer) -> list[PrintFinding]:
    """Images drawn at fewer pixels per inch than the printer asks for."""
    if not printer.least_ppi:
        return []
    pixels = _pixel_widths(book)
    worst: dict[str, float] = {}
    for page in laid_out.document.pages:
        for box in _descendants(page._page_box):
            if not isinstance(box, boxes.ReplacedBox) or box.width <= 0:
                continue
            src = box.element.get("src") or ""
            if src in pixels:
                ppi = pixels[src] / (box.width / PX_PER_INCH)
                worst[src] = min(ppi, worst.get(src, ppi))
    found = []
    for src, ppi in sorted(worst.items()):
        if ppi >= printer.least_ppi - 0.5:
            continue
        chapter = next((c for c in book.chapters if c.line_of(src) is not None), None)
        found.append(
            PrintFinding(
                printer.label,
                f"the image {src} prints at {ppi:.0f} pixels per inch",
                f"under {printer.least_ppi} ppi it prints soft or jagged",
                printer.file_rules_source,
                "use a larger image, or draw it smaller",
                chapter.source_path if chapter else "book.toml",
                chapter.line_of(src) if chapter else None,
            )
        )
    return found


def _pixel_widths(book: Book) -> dict[str, int]:
    widths = {}
    for asset in book.assets:
        try:
            with Image.open(io.BytesIO(asset.data)) as image:
                widths[asset.source_path] = image.width
        except (OSError, UnidentifiedImageError):  # SVG: drawn sharp at any size
            continue
    return widths


def _extent(page: Any) -> Extent | None:
    """The distance from each trim edge to the nearest text or image; None: a blank page."""
    page_box = page._page_box
    inked = [
        (box.position_x, box.position_y, box.width, box.height)
        for box in _descendants(page_box)
        if (isinstance(box, boxes.TextBox) and box.text.strip())
        or isinstance(box, boxes.ReplacedBox)
    ]
    if not inked:
        return None
    width, height = page_box.margin_width(), page_box.margin_height()
    return Extent(
        left=min(x for x, _, _, _ in inked) / PX_PER_INCH,
        right=(width - max(x + w for x, _, w, _ in inked)) / PX_PER_INCH,
        top=min(y for _, y, _, _ in inked) / PX_PER_INCH,
        bottom=(height - max(y + h for _, y, _, h in inked)) / PX_PER_INCH,
    )


def _descendants(box: boxes.Box) -> Iterator[boxes.Box]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _runs(indexes: list[int]) -> Iterator[tuple[int, int]]:
    """(first, length) of each run of consecutive numbers."""
    start = previous = None
    for index in [*indexes, None]:
        if index is not None and previous is not None and index == previous + 1:
            previous = index
            continue
        if start is not None and previous is not None:
            yield start, previous - start + 1
        start = previous = index
