"""The print edition as one HTML document: front matter, contents, each chapter set for paper."""

from __future__ import annotations

import datetime
import re

from lxml import etree, html

from publish import __version__
from publish.convert import code_lines_as_blocks, footnotes_to_page_floats, serialize
from publish.model import Book, Chapter, contents
from publish.pdf.fonts import book_faces
from publish.pdf.hyphenation import hyphenation_language, restrain_hyphens
from publish.pdf.longwords import break_long_words
from publish.pdf.paper import links_on_paper, mark_for_paper
from publish.pdf.tables import fit_tables, wbr_as_characters
from publish.pdf.templates import render

# Each variant's file name, from the book's slug.
FILE_NAMES = {"print": "{slug}.pdf", "screen": "{slug}-screen.pdf"}


def pdf_file_name(book: Book, variant: str) -> str:
    return FILE_NAMES[variant].format(slug=book.slug)


def make_print_html(book: Book, created: datetime.datetime, variant: str = "print") -> str:
    """One PDF edition as one HTML document: front matter, contents, every chapter."""
    chapter_ids = {chapter.href: chapter.anchor for chapter in book.chapters}
    hyphenate = book.pdf.hyphenate
    fragments = [
        print_fragment(chapter, chapter_ids, hyphenate, on_paper=variant == "print")
        for chapter in book.chapters
    ]
    return render(
        "print/book.html",
        meta=book.metadata,
        opening=book.opening,  # a dedication, an epigraph: before the contents
        chapters=book.after_contents,
        contents=contents(book.after_contents),
        print_html=fragments,
        hyphenate=hyphenate,
        hyphenation_language=hyphenation_language(book.metadata.language),
        generator=f"publish {__version__}",
        typeface=book_faces()[0].family,  # the colophon's: the PDF carries it
        isbn=book.isbn("pdf"),
        created=created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def print_fragment(
    chapter: Chapter, chapter_ids: dict[str, str], hyphenate: bool = True, *, on_paper: bool = True
) -> str:
    """The chapter's shared XHTML, adapted for one document on paper.

    Links to other chapters become `#id` (ids are unique across the book), and each footnote
    moves to where it is cited, so that WeasyPrint can float it to the foot of that page.
    Names and each paragraph's last word are kept whole (pdf/hyphenation.py); code, reading
    lists and URLs are marked for the page (pdf/paper.py); `on_paper` (the print variant, not
    the screen one), links also say their URL in a note or their page.
    """
    tree = html.fragment_fromstring(chapter.html, create_parent="div")
    for anchor in tree.iter("a"):
        href = anchor.get("href", "")
        page, _, fragment = href.partition("#")
        if page in chapter_ids:
            anchor.set("href", f"#{fragment or chapter_ids[page]}")
    footnotes_to_page_floats(tree)
    code_lines_as_blocks(tree)  # long lines of code wrap with a hanging indent
    fit_tables(tree)
    if on_paper:
        links_on_paper(tree, chapter.anchor)
    # WeasyPrint's own call (::footnote-call) links nowhere; ours, numbered as its counter
    # numbers the notes (from 1 in each chapter), leads to the note.
    for number, note in enumerate(tree.xpath("//span[@class='footnote-text']"), start=1):
        kind = "footnote-call url-call" if note.get("data-url") is not None else "footnote-call"
        call = etree.Element("a", {"class": kind, "href": f"#{note.get('id')}"})
        call.text = str(number)
        note.addprevious(call)
    # Each level-1 heading heads the recto pages after it (a file may hold several); a chapter
    # that opens with text, by its title.
    if chapter.lead:
        mark = etree.Element("span", {"class": "running-head"})
        mark.set("data-running-head", running_head(chapter.title))
        mark.set("data-title", chapter.title)
        tree.insert(0, mark)
    for heading in tree.iter("h1"):
        heading.set("data-running-head", running_head(" ".join(heading.text_content().split())))
    mark_for_paper(tree)
    if hyphenate:
        restrain_hyphens(tree)
    break_long_words(tree)
    wbr_as_characters(tree)  # last: every <wbr> put in above becomes a break WeasyPrint takes
    return serialize(tree)


def running_head(title: str, characters: int = 48) -> str:
    """The chapter title as the head of its recto pages, shortened at a word when too long.

    A title with a subtitle ("Pain: A Guide") is headed by the part before the colon; a
    still longer one is cut after its last whole word that fits, with an ellipsis.
    """
    head = re.split(r"[:—]\s", title, maxsplit=1)[0].strip()
    if len(head) <= characters:
        return head
    cut = head[: characters - 1].rsplit(" ", 1)[0].rstrip(" ,;\u2013-")
    return f"{cut}…"


# The longest running head, in characters of the text block's width in points: small capitals
# at 8.5 pt, letter-spaced, run about 5.5 pt a character; keep the head to three quarters.
RUNNING_HEAD_POINTS_PER_CHARACTER = 5.5 / 0.75
