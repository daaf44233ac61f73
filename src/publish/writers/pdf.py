"""Write stage, print: the whole book as one HTML document -> a PDF laid out by WeasyPrint."""

from __future__ import annotations

import datetime
import hashlib
import logging
from typing import IO

from lxml import html
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from publish import __version__
from publish.convert import serialize
from publish.errors import problem, warn
from publish.fonts import book_faces
from publish.footnotes import footnotes_to_page_floats
from publish.model import Book, Chapter
from publish.sandbox import SandboxedFetcher
from publish.templates import render, styles_dir, stylesheet

log = logging.getLogger(__name__)


def make_print_html(book: Book, created: datetime.datetime) -> str:
    """The print edition as one HTML document: front matter, contents, every chapter."""
    chapter_ids = {chapter.href: chapter.anchor for chapter in book.chapters}
    return render(
        "print/book.html",
        meta=book.metadata,
        chapters=book.chapters,
        print_html=[print_fragment(chapter, chapter_ids) for chapter in book.chapters],
        generator=f"publish {__version__}",
        created=created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def print_fragment(chapter: Chapter, chapter_ids: dict[str, str]) -> str:
    """The chapter's shared XHTML, adapted for one document on paper.

    Links to other chapters become `#id` (ids are unique across the book), and each footnote
    moves to where it is cited, so that WeasyPrint can float it to the foot of that page.
    """
    tree = html.fragment_fromstring(chapter.html, create_parent="div")
    for anchor in tree.iter("a"):
        href = anchor.get("href", "")
        page, _, fragment = href.partition("#")
        if page in chapter_ids:
            anchor.set("href", f"#{fragment or chapter_ids[page]}")
    footnotes_to_page_floats(tree)
    return serialize(tree)


def layout_pdf(book: Book, document_html: str) -> Document:
    """Lay out the print edition's pages; nothing is written yet, so a build can still stop."""
    faces = book_faces()
    fetcher = SandboxedFetcher([book.source_dir, styles_dir()], [face.path for face in faces])
    font_config = FontConfiguration()
    css = [
        CSS(
            string=render("print/fonts.css", faces=faces),
            font_config=font_config,
            url_fetcher=fetcher,
        ),
        CSS(
            string=stylesheet("book.css") + stylesheet("print.css"),
            font_config=font_config,
            url_fetcher=fetcher,
        ),
    ]
    document: Document = HTML(
        string=document_html, base_url=book.source_dir.resolve().as_uri() + "/", url_fetcher=fetcher
    ).render(stylesheets=css, font_config=font_config)
    if fetcher.refused:
        warn(problem(book.source_dir, f"refused to read {', '.join(sorted(fetcher.refused))}"))
    return document


def write_pdf(book: Book, document: Document, target: IO[bytes]) -> None:
    """Write the laid-out pages as PDF bytes."""
    # A fixed identifier keeps the bytes the same from build to build.
    identifier = hashlib.sha256(book.metadata.identifier.encode()).hexdigest()[:32].encode()
    document.write_pdf(target, pdf_identifier=identifier)
