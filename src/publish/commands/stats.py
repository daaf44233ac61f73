"""`publish stats`: words, characters, reading time, notes, images and printed pages per chapter."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import html

from publish.build import build_time
from publish.convert import convert_book
from publish.model import Book, Chapter
from publish.progress import LAYOUT, step
from publish.read import load_book

# Silent reading of non-fiction in English: 238 words a minute (Brysbaert, 2019, a meta-analysis
# of 190 studies).
WORDS_PER_MINUTE = 238
# A word: letters or digits, joined by apostrophes or hyphens ("it's", "well-known").
_WORD = re.compile(r"\w+(?:['\u2019\u2010-]\w+)*")  # ' or \u2019, - or \u2010


@dataclass(frozen=True)
class ChapterStats:
    name: str  # the chapter's file, relative to the manuscript folder
    words: int
    characters: int  # spaces included, runs of white space counted as one
    footnotes: int
    images: int
    pages: int  # of the print edition, from the chapter's first page to the next one's

    @property
    def minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE


@dataclass(frozen=True)
class BookStats:
    chapters: tuple[ChapterStats, ...]
    front_pages: int  # half-title, title, copyright and contents pages before chapter one
    total_pages: int

    def table(self) -> list[str]:
        """The figures as an aligned table, with totals and what the figures mean."""
        header = ("chapter", "words", "characters", "reading", "notes", "images", "pages")
        rows = [
            (
                c.name,
                f"{c.words:,}",
                f"{c.characters:,}",
                _duration(c.minutes),
                str(c.footnotes),
                str(c.images),
                str(c.pages),
            )
            for c in self.chapters
        ]
        rows.append(("front matter", "", "", "", "", "", str(self.front_pages)))
        words = sum(c.words for c in self.chapters)
        rows.append(
            (
                "total",
                f"{words:,}",
                f"{sum(c.characters for c in self.chapters):,}",
                _duration(words / WORDS_PER_MINUTE),
                str(sum(c.footnotes for c in self.chapters)),
                str(sum(c.images for c in self.chapters)),
                str(self.total_pages),
            )
        )
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        lines = [
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
            for row in [header, *rows]
        ]
        lines.insert(1, "-" * len(lines[0]))
        lines.insert(len(lines) - 1, "-" * len(lines[0]))
        lines.append(
            f"Reading time at {WORDS_PER_MINUTE} words a minute; words include the notes. "
            "Pages are the print edition's."
        )
        return lines


def book_stats(manuscript_dir: Path) -> BookStats:
    """Count the book; the page counts come from laying out the print edition (a few seconds)."""
    book = convert_book(load_book(manuscript_dir))
    starts, contents, total = _chapter_pages(book)
    ends = [*starts[1:], total]
    front = starts[0] if starts else total
    opening = len(book.opening)  # a dedication, an epigraph: they end where the contents start
    if 0 < opening < len(starts):
        ends[opening - 1] = min(ends[opening - 1], contents)
        front += starts[opening] - ends[opening - 1]  # the contents are front matter too
    chapters = tuple(
        _chapter_stats(chapter, end - start)
        for chapter, start, end in zip(book.chapters, starts, ends, strict=True)
    )
    return BookStats(chapters, front_pages=front, total_pages=total)


def _chapter_stats(chapter: Chapter, pages: int) -> ChapterStats:
    tree = html.fragment_fromstring(chapter.html, create_parent="div")
    for label in tree.xpath(".//*[@class='backlink' or @class='footnote-number']"):
        label.drop_tree()  # a note's number and its links back to the text are no words
    text = " ".join(tree.text_content().split())
    return ChapterStats(
        name=chapter.source_path,
        words=len(_WORD.findall(text)),
        characters=len(text),
        footnotes=len(tree.xpath(".//aside[@class='footnote']")),
        images=len(tree.xpath(".//img")),
        pages=pages,
    )


CONTENTS_ID = "publish:contents"  # the print contents' id (print/book.html): no heading's slug


def _chapter_pages(book: Book) -> tuple[list[int], int, int]:
    """The index of each chapter's first page in the print edition, of the contents' first
    page, and the number of pages."""
    from publish.pdf import layout_pdf, make_print_html  # WeasyPrint: only here

    step(LAYOUT, 0)
    laid_out = layout_pdf(book, make_print_html(book, build_time()))
    document = laid_out.document
    total = len(document.pages)
    step(LAYOUT, total, total)
    first_page: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
    starts = [first_page.get(chapter.anchor, total) for chapter in book.chapters]
    return starts, first_page.get(CONTENTS_ID, total), total


def _duration(minutes: float) -> str:
    whole = max(1, math.ceil(minutes)) if minutes else 0
    return f"{whole} min" if whole < 60 else f"{whole // 60} h {whole % 60:02d} min"
