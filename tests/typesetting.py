"""A typesetter's measures of a PDF, read back from its text positions (issue 16).

    python tests/typesetting.py BOOK.pdf [...]

For each PDF: the word spaces of its justified lines (median, the share of lines with a space
of 1.5x the median or more, those of 2x or more, the widest), the hyphens at line ends and
the longest run of them, words split across a page turn, and footnotes printed on another page
than their call. Word boxes come from `pdftotext -bbox-layout` (poppler), the notes from the
PDF's links (pypdf): a call is a link to a named destination `fn-…`, the note's place.

A justified line is one that runs from the text block's left edge (give or take an indent)
to its right edge, on a page's commonest line height (body text, not notes or headings).
"""

from __future__ import annotations

import itertools
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdf

NS = "{http://www.w3.org/1999/xhtml}"
EDGE = 0.75  # pt: a line ending this close to the text block's right edge is full
INDENT = 24.0  # pt: the most a first line is indented
LEAST_SPACE = 0.5  # pt: a narrower gap between two word boxes is no space (a font change)
HYPHENS = ("-", "\u2010", "\u00ad")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float


@dataclass
class Measures:
    pages: int = 0
    justified_lines: int = 0
    spaces: list[float] = field(default_factory=list)
    widest_per_line: list[float] = field(default_factory=list)  # each justified line's widest
    hyphens: int = 0  # lines ending in a hyphen
    hyphens_in_a_row: int = 0  # the longest run
    page_turn_splits: list[str] = field(default_factory=list)  # "page N: word-"
    broken_words: list[tuple[str, str]] = field(default_factory=list)  # ("experi-", "encing")
    notes_off_page: list[str] = field(default_factory=list)  # "note fn-x: call p. 3, note p. 4"

    @property
    def median(self) -> float:
        return statistics.median(self.spaces) if self.spaces else 0.0

    def lines_at_least(self, ratio: float) -> int:
        return sum(1 for space in self.widest_per_line if space >= ratio * self.median - 1e-6)

    @property
    def loose_share(self) -> float:
        return self.lines_at_least(1.5) / self.justified_lines if self.justified_lines else 0.0

    def summary(self) -> str:
        return (
            f"{self.pages} pages, {self.justified_lines} justified lines: median space "
            f"{self.median:.2f} pt, {self.lines_at_least(1.5)} lines >=1.5x "
            f"({self.loose_share:.1%}), {self.lines_at_least(2)} lines >=2x, widest "
            f"{max(self.spaces, default=0):.2f} pt; {self.hyphens} line-end hyphens, at most "
            f"{self.hyphens_in_a_row} in a row, {len(self.page_turn_splits)} split at a page "
            f"turn; {len(self.notes_off_page)} notes off their call's page"
        )


def page_lines(pdf: Path) -> list[list[list[Word]]]:
    """Each page's lines, each a list of its words, from pdftotext's layout."""
    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary) / "bbox.html"
        subprocess.run(["pdftotext", "-bbox-layout", str(pdf), str(out)], check=True)
        text = out.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    pages = []
    for page in root.iter(f"{NS}page"):
        lines = []
        for line in page.iter(f"{NS}line"):
            words = [
                Word(
                    w.text or "",
                    float(w.get("xMin", 0)),
                    float(w.get("xMax", 0)),
                    float(w.get("yMin", 0)),
                    float(w.get("yMax", 0)),
                )
                for w in line.iter(f"{NS}word")
            ]
            if words:
                lines.append(words)
        pages.append(lines)
    return pages


def _commonest(values: list[float]) -> float | None:
    counts = Counter(round(value * 2) / 2 for value in values)
    return counts.most_common(1)[0][0] if counts else None


def measure(pdf: Path) -> Measures:
    measures = Measures()
    pages = page_lines(pdf)
    measures.pages = len(pages)
    run = 0
    last_line_hyphenated: str | None = None
    for number, lines in enumerate(pages, start=1):
        height = _commonest([line[0].y1 - line[0].y0 for line in lines if len(line) > 3])
        if height is None:
            continue
        body = [line for line in lines if abs((line[0].y1 - line[0].y0) - height) < 0.6]
        right = _commonest([line[-1].x1 for line in body if len(line) > 3])
        left = _commonest([line[0].x0 for line in body if len(line) > 3])
        if right is None or left is None:
            continue
        for index, line in enumerate(body):
            last = line[-1].text
            hyphenated = last.endswith(HYPHENS) and len(last.rstrip("".join(HYPHENS))) > 0
            if hyphenated:
                measures.hyphens += 1
                following = body[index + 1] if index + 1 < len(body) else None
                if following is None and number < len(pages) and pages[number]:
                    following = pages[number][0]  # across the page turn (a folio may intervene)
                measures.broken_words.append((last, following[0].text if following else ""))
                run += 1
                measures.hyphens_in_a_row = max(measures.hyphens_in_a_row, run)
            else:
                run = 0
            if index == len(body) - 1 and hyphenated:
                last_line_hyphenated = last
            full = abs(line[-1].x1 - right) <= EDGE and -EDGE <= line[0].x0 - left <= INDENT
            if not full or len(line) < 2:
                continue
            gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(line)]
            gaps = [gap for gap in gaps if gap >= LEAST_SPACE]
            if not gaps:
                continue
            measures.justified_lines += 1
            measures.spaces += gaps
            measures.widest_per_line.append(max(gaps))
        if last_line_hyphenated and number < len(pages):
            measures.page_turn_splits.append(f"page {number}: {last_line_hyphenated}")
        last_line_hyphenated = None
        run = 0  # a run of hyphens is counted within a page
    measures.notes_off_page = notes_off_page(pdf)
    return measures


def notes_off_page(pdf: Path) -> list[str]:
    """Each footnote printed on another page than its first call, by the PDF's links."""
    reader = pypdf.PdfReader(pdf)
    where = {}
    for name, destination in reader.named_destinations.items():
        if str(name).startswith("fn-") or "-fn-" in str(name):
            where[str(name)] = reader.get_destination_page_number(destination)
    first_call: dict[str, int] = {}
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []) or []:
            target = annotation.get_object().get("/Dest")
            if isinstance(target, str) and target in where:
                first_call.setdefault(target, number)
    return [
        f"note {note}: called on page {first_call[note] + 1}, printed on page {page + 1}"
        for note, page in where.items()
        if note in first_call and first_call[note] != page
    ]


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        result = measure(Path(argument))
        print(f"{argument}: {result.summary()}")
        for line in result.notes_off_page + result.page_turn_splits:
            print(f"  {line}")
