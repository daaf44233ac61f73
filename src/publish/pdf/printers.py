"""Each print-on-demand printer's rules for the interior and the cover, as data with sources.

Lengths here are in inches, as the printers quote them; `POINTS_PER_INCH` turns them into the
points the page geometry uses. Where printers' own pages disagree, the note beside the value
says which we chose and why; README.md's "Sending the book to a printer" cites each source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

POINTS_PER_INCH = 72

KDP_GUIDELINES = "KDP, Paperback Submission Guidelines (kdp.amazon.com/help/topic/G201857950)"
KDP_MARGINS = "KDP, Set Trim Size, Bleed, and Margins (kdp.amazon.com/help/topic/G201834240)"
KDP_COVER = f"{KDP_GUIDELINES} and its cover calculator"
INGRAM_GUIDE = (
    "IngramSpark, File Requirements for Print Books "
    "(ingramspark.com/blog/file-requirements-for-print-books) and its File Creation Guide"
)
LULU_GUIDE = (
    "Lulu, Book Creation Guide and Tips for Formatting Documents "
    "(help.lulu.com/en/support/solutions/articles/64000255583)"
)

# KDP's paperback trims, in inches (the Set Trim Size page's table).
KDP_TRIMS: tuple[tuple[float, float], ...] = (
    (5, 8),
    (5.06, 7.81),
    (5.25, 8),
    (5.5, 8.5),
    (6, 9),
    (6.14, 9.21),
    (6.69, 9.61),
    (7, 10),
    (7.44, 9.69),
    (7.5, 9.25),
    (8, 10),
    (8.25, 6),
    (8.25, 8.25),
    (8.5, 8.5),
    (8.5, 11),
    (8.27, 11.69),
    (8.25, 11),
)
# IngramSpark's common paperback trims (its File Creation Guide lists more for colour).
INGRAM_TRIMS: tuple[tuple[float, float], ...] = (
    (4, 6),
    (4.25, 7),
    (4.37, 7),
    (5, 8),
    (5.06, 7.81),
    (5.25, 8),
    (5.5, 8.25),
    (5.5, 8.5),
    (5.83, 8.27),
    (6, 9),
    (6.14, 9.21),
    (6.69, 9.61),
    (7, 10),
    (7.5, 9.25),
    (8, 10),
    (8.25, 11),
    (8.5, 8.5),
    (8.5, 11),
    (8.27, 11.69),
)


@dataclass(frozen=True)
class Printer:
    """What one printer demands of the interior PDF and the cover, and where it says so."""

    name: str  # as written in book.toml's [print] printer
    label: str  # as named in messages
    source: str  # where the interior's trim, margins and page counts are written
    cover_source: str  # where the cover's rules are written
    files_source: str = ""  # where the file's rules (marks, images, blank pages) are written
    trims: tuple[tuple[float, float], ...] = ()  # (width, height) in inches; () takes any
    # (up to this many pages, least inside margin), then the least for any thicker book
    least_inside: tuple[tuple[int, float], ...] = ()
    thickest_inside: float = 0.0
    least_outside: float = 0.0  # outside, top and bottom, without bleed
    least_outside_bleed: float = 0.0  # the same when the pages bleed
    least_pages: int = 0
    most_pages: int = 10_000
    even_pages: bool = False
    most_blank_in_a_row: int | None = None
    last_page_blank: bool = False
    least_ppi: int = 0
    bleed: float = 0.125  # the bleed it asks for, on bleeding pages and on the cover
    crop_marks: bool = True  # whether it takes printer's marks
    navigation: bool = True  # whether it takes bookmarks and link annotations
    calipers: dict[str, float] = field(default_factory=dict)  # paper -> inches per page
    spine_allowance: float = 0.0  # inches added to pages x caliper (Lulu: the cover's fold)
    spine_text_pages: int = 0  # spine text only on books of more pages than this
    spine_margin: float = 0.0625  # text kept this far inside each of the spine's folds
    safe_zone: float = 0.125  # the cover's text kept this far inside the trim

    @property
    def file_rules_source(self) -> str:
        return self.files_source or self.source

    def least_inside_margin(self, pages: int) -> float:
        """The narrowest inside (gutter) margin for a book of `pages` pages, in inches."""
        for most, margin in self.least_inside:
            if pages <= most:
                return margin
        return self.thickest_inside

    def caliper(self, paper: str, given: float | None = None) -> float:
        """The thickness of one page (a leaf's side) in inches on `paper`."""
        return given if given is not None else self.calipers[paper]

    def spine_width(self, pages: int, paper: str, given: float | None = None) -> float:
        """The spine's width in inches for `pages` pages on `paper`."""
        return pages * self.caliper(paper, given) + self.spine_allowance


GENERIC = Printer(name="generic", label="generic", source="", cover_source="")

KDP = Printer(
    name="kdp",
    label="KDP",
    source=KDP_MARGINS,
    cover_source=KDP_COVER,
    files_source=KDP_GUIDELINES,
    trims=KDP_TRIMS,
    least_inside=((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75)),
    thickest_inside=0.875,
    least_outside=0.25,
    least_outside_bleed=0.375,
    least_pages=24,
    most_pages=828,
    even_pages=True,
    most_blank_in_a_row=2,
    least_ppi=300,
    crop_marks=False,
    navigation=False,
    # KDP quotes white 0.002252 and cream 0.0025 in per page; for colour it
    # quotes 0.002347 (premium colour) while its standard colour paper is quoted at 0.002252.
    # We take the thicker, premium colour's: a spine a little wide shows less than one too
    # narrow, and [print] caliper sets the other.
    calipers={"white": 0.002252, "cream": 0.0025, "color": 0.002347},
    spine_text_pages=79,
    spine_margin=0.0625,
    safe_zone=0.125,
)

INGRAMSPARK = Printer(
    name="ingramspark",
    label="IngramSpark",
    source=INGRAM_GUIDE,
    cover_source=INGRAM_GUIDE,
    trims=INGRAM_TRIMS,
    least_inside=(),
    thickest_inside=0.5,
    least_outside=0.5,
    least_outside_bleed=0.5,
    least_pages=18,
    # The most pages depend on trim and paper (its File Creation Guide's tables); 1,200 is the
    # most any black-and-white paperback takes, so the limit here is a bound, not a promise.
    most_pages=1200,
    even_pages=True,
    last_page_blank=True,
    least_ppi=300,
    crop_marks=False,
    # IngramSpark's cover template generator gives the exact spine from its paper's PPI; these
    # are the usual 50 lb white (444 PPI), creme (400 PPI) and 70 lb colour thicknesses.
    calipers={"white": 1 / 444, "cream": 1 / 400, "color": 0.0025},
    spine_text_pages=48,
    safe_zone=0.25,
)

LULU = Printer(
    name="lulu",
    label="Lulu",
    source=LULU_GUIDE,
    cover_source=LULU_GUIDE,
    least_inside=(),
    thickest_inside=0.5,
    least_outside=0.5,
    least_outside_bleed=0.5,
    least_pages=32,
    most_pages=800,
    even_pages=True,
    least_ppi=300,
    crop_marks=False,
    # Lulu's paperback spine: pages / 444 + 0.06 in, the same on every paper.
    calipers={"white": 1 / 444, "cream": 1 / 444, "color": 1 / 444},
    spine_allowance=0.06,
    spine_text_pages=80,
    safe_zone=0.25,
)

PRINTERS: dict[str, Printer] = {p.name: p for p in (GENERIC, KDP, INGRAMSPARK, LULU)}


def printer_profile(name: str) -> Printer:
    return PRINTERS[name]
