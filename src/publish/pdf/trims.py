"""Page geometry from the [pdf] options: trim, margins, gutter, type size.

Every length here is in points (1/72 in). Margins are proportions of the trim, so a 5 x 8 in
pocket book and a US Letter workbook keep the look of the 6 x 9 in trade book they derive from;
the inner margin adds a binding allowance that grows with the page count, as printers ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from publish.pdf.printers import GENERIC, POINTS_PER_INCH, Printer
from publish.read import parse_length, parse_trim

# (up to this many pages, binding allowance added to the inner margin), after KDP and
# IngramSpark's gutter tables: a thicker book curls more of each page into the spine.
BINDING_ALLOWANCE: tuple[tuple[int, float], ...] = (
    (150, 0.25 * 72),
    (300, 0.3125 * 72),
    (500, 0.375 * 72),
    (700, 0.4375 * 72),
)
THICKEST_ALLOWANCE = 0.5 * 72
# The running head and the folio stand in the top and bottom margins, within this of the text
# block (print.css: 0.2 in of padding and a line of 8.5-9 pt type); printers count them as text.
HEAD_ROOM = 0.4 * 72


def binding_allowance(pages: int) -> float:
    """The extra inner margin a book of `pages` pages needs for its binding."""
    for most_pages, allowance in BINDING_ALLOWANCE:
        if pages <= most_pages:
            return allowance
    return THICKEST_ALLOWANCE


@dataclass(frozen=True)
class PageGeometry:
    """One edition's page: trim, margins, type size; what the page CSS template needs."""

    width: float
    height: float
    top: float
    bottom: float
    inner: float  # the gutter side: left on recto pages, right on verso pages
    outer: float
    font_size: float
    bleed: float = 0.0
    crop_marks: bool = False
    two_sided: bool = True  # print: mirrored margins, chapters on recto; screen: neither

    @property
    def text_width(self) -> float:
        return self.width - self.inner - self.outer

    @property
    def text_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def line_height(self) -> float:
        return self.font_size * LINE_HEIGHT

    def estimated_pages(self, characters: int, chapters: int) -> int:
        """Roughly how many pages `characters` of text fill, front matter and openings included.

        Good to a few percent on prose, which is all the binding allowance needs: the layout
        is checked against the real count afterwards.
        """
        per_line = self.text_width / (self.font_size * AVERAGE_CHARACTER_WIDTH)
        per_page = per_line * (self.text_height / self.line_height) * PAGE_FILL
        return FRONT_MATTER_PAGES + round(characters / per_page) + chapters * 2


LINE_HEIGHT = 1.45  # as in print.css
AVERAGE_CHARACTER_WIDTH = 0.46  # Source Serif at text sizes, in ems, spaces included
PAGE_FILL = 0.85  # paragraph ends, headings, chapter openings set lower
FRONT_MATTER_PAGES = 6


def page_geometry(
    trim: str,
    pages: int,
    *,
    two_sided: bool = True,
    bleed: str = "0",
    crop_marks: bool = False,
    printer: Printer = GENERIC,
) -> PageGeometry:
    """The page of a book of about `pages` pages at `trim`, scaled from the 6 x 9 in design.

    The 6 x 9 in design: top 0.75 in, foot 0.8 in (the folio stands in it), outer 0.625 in,
    and the inner margin the outer one plus the binding allowance; 10.5 pt type, which grows
    with the page's width (10 pt on a 5 in page, 12 pt on US Letter) to keep a line of about
    65 characters. A printer's least margins for the page count widen any that fall short.
    """
    width, height = parse_trim(trim)
    outer = width * 0.625 / 6
    allowance = binding_allowance(pages)
    inner, outer = (outer + allowance, outer) if two_sided else (outer + allowance / 2,) * 2
    width_inches = width / 72
    font_size = min(12.0, max(10.0, round((9.5 + (width_inches - 5)) * 4) / 4))
    bleed_points = parse_length(bleed) if two_sided else 0.0
    least_inside = printer.least_inside_margin(pages) * POINTS_PER_INCH
    least = (printer.least_outside_bleed if bleed_points else printer.least_outside) * 72
    return PageGeometry(
        width=width,
        height=height,
        top=max(height * 0.75 / 9, least + HEAD_ROOM if least else 0),
        bottom=max(height * 0.8 / 9, least + HEAD_ROOM if least else 0),
        inner=max(inner, least_inside),
        outer=max(outer, least),
        font_size=font_size,
        bleed=bleed_points,
        crop_marks=crop_marks and two_sided,
        two_sided=two_sided,
    )
