"""The laid-out pages inspected for what a typesetter would fix.

After WeasyPrint has laid the book out and before anything is written, every page's boxes
are read back: widows and orphans, headings left at the foot of a page, lines wider than
their column, images shrunk below the size they were made for, ladders of hyphens, pages
left mostly empty inside a chapter, text set in a font that is not the book's, and notes
printed away from their call's page. Each is
reported as a warning naming the page by its folio and the chapter's Markdown line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from weasyprint.formatting_structure import boxes

from publish.errors import problem, warn
from publish.pdf.report_finding import Finding, excerpt
from publish.pdf.report_finding import lines_of as _lines
from publish.pdf.report_finding import text_of as _text
from publish.pdf.report_fonts import FontNames, font_findings
from publish.pdf.report_images import LEAST_PPI, image_findings, image_sizes
from publish.pdf.report_notes import note_findings
from publish.pdf.report_widths import line_findings, width_findings

if TYPE_CHECKING:
    from publish.model import Book
    from publish.pdf.writer import LaidOut

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TABLE_CELLS = {"th", "td"}  # a repeated header row is no widow; cells are too short to judge
BOOK_FAMILIES = frozenset({"Source Serif Pro", "IBM Plex Mono"})
HYPHENS = ("\u2010", "-", "\u00ad")  # WeasyPrint's hyphenate-character, a hard hyphen, a soft one
MOST_HYPHENS_IN_A_ROW = 2  # a typesetter allows two hyphenated lines in a row, not three
LEAST_PAGE_FILL = 1 / 3


@dataclass
class _Paragraph:
    """A block of lines, possibly split over pages, gathered in reading order."""

    chapter_id: str | None
    lines: list[tuple[int, boxes.LineBox]] = field(default_factory=list)  # (page, line)


def inspect_pages(
    pages: Sequence[Any],
    families: frozenset[str] = BOOK_FAMILIES,
    intended_width: Callable[[str], float | None] = lambda src: None,
    pixel_width: Callable[[str], int | None] = lambda src: None,
    least_ppi: float = LEAST_PPI["print"],
) -> list[Finding]:
    """Every finding on the laid-out `pages` (WeasyPrint Page objects), in page order.

    `intended_width` gives an image's own width in CSS px from its `src`, or None when the
    image does not say how large it is meant to be (no resolution in the file); `pixel_width`
    its width in pixels, for its resolution as drawn, judged against `least_ppi`.
    """
    findings: list[Finding] = []
    paragraphs: dict[int, _Paragraph] = {}  # id(element) -> its lines over all pages
    fonts = FontNames()
    for index, page in enumerate(pages):
        page_box = page._page_box  # WeasyPrint keeps the laid-out boxes here
        chapters: list[str] = []
        last_leaf: tuple[str, boxes.Box, str | None] | None = None
        bottom = page_box.content_box_y()
        footnotes_height = 0.0
        for area in page_box.children:
            if isinstance(area, boxes.MarginBox):
                findings += font_findings(index, area, None, families, fonts)
                continue
            in_notes = isinstance(area, boxes.FootnoteAreaBox)
            if in_notes:
                footnotes_height = area.margin_height()
            for leaf, chapter_id in _leaves(area, None):
                if chapter_id is not None and chapter_id not in chapters:
                    chapters.append(chapter_id)
                if isinstance(leaf, boxes.ReplacedBox):
                    findings += image_findings(
                        index, leaf, chapter_id, intended_width, pixel_width, least_ppi
                    )
                else:
                    findings += line_findings(index, leaf, chapter_id)
                    findings += font_findings(index, leaf, chapter_id, families, fonts)
                    if not in_notes and leaf.element_tag not in TABLE_CELLS:
                        key = id(leaf.element)
                        paragraph = paragraphs.setdefault(key, _Paragraph(chapter_id))
                        paragraph.lines += [(index, line) for line in _lines(leaf)]
                if not in_notes and leaf.element_tag not in {"html", "body"}:
                    last_leaf = (leaf.element_tag, leaf, chapter_id)
                    bottom = max(bottom, leaf.position_y + leaf.margin_height())
            if not in_notes:
                findings += width_findings(index, area, page_box)
        if last_leaf is not None and last_leaf[0] in HEADINGS and index + 1 < len(pages):
            text = _text(last_leaf[1])
            findings.append(
                Finding(index, f'heading at the foot of the page: "{text}"', last_leaf[2], text)
            )
        if chapters:
            fill = (bottom - page_box.content_box_y() + footnotes_height) / page_box.height
            continues = index + 1 < len(pages) and chapters[-1] in _chapters_on(pages[index + 1])
            if fill < LEAST_PAGE_FILL and continues:
                findings.append(
                    Finding(index, f"page only {fill:.0%} full inside its chapter", chapters[-1])
                )
    for paragraph in paragraphs.values():
        findings += _paragraph_findings(paragraph)
    return sorted(findings, key=lambda finding: finding.page)


def _chapters_on(page: Any) -> list[str]:
    """The chapters with text on `page`."""
    return [chapter for _, chapter in _leaves(page._page_box, None) if chapter]


def _leaves(box: boxes.Box, chapter_id: str | None) -> Iterator[tuple[boxes.Box, str | None]]:
    """Blocks of lines and images in reading order, each with the chapter it stands in."""
    if box.element_tag == "section" and "chapter" in (box.element.get("class") or "").split():
        chapter_id = box.element.get("id")
    if isinstance(box, boxes.MarginBox):
        return
    if isinstance(box, boxes.ReplacedBox):
        yield box, chapter_id
        return
    children = getattr(box, "children", ())
    if any(isinstance(child, boxes.LineBox) for child in children):
        yield box, chapter_id
        for line in children:  # images and inline blocks inside the lines
            for inner in line.descendants():
                if isinstance(inner, boxes.ReplacedBox):
                    yield inner, chapter_id
        return
    for child in children:
        yield from _leaves(child, chapter_id)


def _paragraph_findings(paragraph: _Paragraph) -> list[Finding]:
    findings: list[Finding] = []
    lines = [(page, line) for page, line in paragraph.lines if _text(line)]
    pages = [page for page, _ in lines]
    if len(set(pages)) > 1:
        first, last = pages[0], pages[-1]
        if pages.count(first) == 1:
            text = _text(lines[0][1])
            findings.append(Finding(first, f'orphan "{excerpt(text)}"', paragraph.chapter_id, text))
        if pages.count(last) == 1:
            text = _text(lines[-1][1])
            findings.append(
                Finding(last, f'widow "{excerpt(text, from_end=True)}"', paragraph.chapter_id, text)
            )
    run: list[tuple[int, boxes.LineBox]] = []
    for page, line in [*lines, (-1, None)]:
        if line is not None and _text(line).endswith(HYPHENS):
            run.append((page, line))
            continue
        if len(run) > MOST_HYPHENS_IN_A_ROW:
            text = _text(run[0][1])
            message = f'{len(run)} hyphenated lines in a row from "{excerpt(text)}"'
            findings.append(Finding(run[0][0], message, paragraph.chapter_id, text))
        run = []
    return findings


def report_layout(book: Book, laid_out: LaidOut) -> None:
    """Warn, page by page, of widows, orphans, stranded headings and the like."""
    chapters = {chapter.anchor: chapter for chapter in book.chapters}
    sizes = image_sizes(book)
    edition = "" if laid_out.variant == "print" else f" of the {laid_out.variant} PDF"
    findings = inspect_pages(
        laid_out.document.pages,
        intended_width=sizes.intended.get,
        pixel_width=sizes.pixels.get,
        least_ppi=LEAST_PPI[laid_out.variant],
    )
    findings += note_findings(laid_out.document.pages, laid_out.labels)
    for finding in findings:
        where = f"page {laid_out.labels[finding.page]}{edition}"
        chapter = chapters.get(finding.chapter_id or "")
        if chapter is None:
            warn(problem(book.source_dir / "book.toml", f"{where}: {finding.message}"))
            continue
        if finding.text.startswith("[^"):  # a note's call, as written
            line = chapter.line_of(finding.text)
        else:
            line = _line_in_markdown(chapter.line_of, finding.text)
        path = book.source_dir / chapter.source_path
        warn(problem(path, f"{where}: {finding.message}", line))


def _line_in_markdown(line_of: Callable[[str], int | None], text: str) -> int | None:
    """The Markdown line of laid-out `text`: Markdown keeps no positions, so look for its words.

    Typeset text differs from its source by markup and typography (curly quotes, dashes, a
    hyphen at a line's end), so runs of three, then two words are tried, then single long words.
    """
    words = re.findall(r"\w+", text.rstrip("".join(HYPHENS)))
    for size in (3, 2):
        for start in range(len(words) - size + 1):
            if (line := line_of(" ".join(words[start : start + size]))) is not None:
                return line
    for word in sorted(words, key=len, reverse=True):
        if len(word) >= 5 and (line := line_of(word)) is not None:
            return line
    return None
