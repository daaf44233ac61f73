"""Write stage, print: the whole book as one HTML document -> a PDF laid out by WeasyPrint."""

from __future__ import annotations

import datetime
import hashlib
import logging
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from lxml import etree, html
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from publish import __version__
from publish.convert import serialize
from publish.errors import problem, warn
from publish.fonts import book_faces
from publish.model import Book, Chapter
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
    _footnotes_to_page_floats(tree)
    return serialize(tree)


def _footnotes_to_page_floats(tree: html.HtmlElement) -> None:
    notes = {item.get("id"): item for item in tree.xpath("//div[@class='footnote']/ol/li")}
    placed: set[str] = set()
    for call in tree.xpath("//sup[a[@class='footnote-ref']]"):
        note_id = call[0].get("href", "").lstrip("#")
        note = notes.get(note_id)
        if note is None:
            continue
        if note_id in placed:  # cited again: point back at the note already on the page
            call[0].set("href", f"#{note_id}")
            continue
        placed.add(note_id)
        text = etree.Element("span", {"class": "footnote-text", "id": note_id})
        for backref in note.xpath(".//a[@class='footnote-backref']"):
            _drop_keeping_tail(backref)
        for paragraph in note:
            paragraph.tag = "span"
            paragraph.set("class", "footnote-para")
            text.append(paragraph)
        text.tail = call.tail
        call.getparent().replace(call, text)
    for block in tree.xpath("//div[@class='footnote']"):
        block.getparent().remove(block)


def _drop_keeping_tail(element: html.HtmlElement) -> None:
    parent = element.getparent()
    tail = (element.tail or "").rstrip("\u00a0 ")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "").rstrip("\u00a0 ") + tail
    else:
        parent.text = (parent.text or "").rstrip("\u00a0 ") + tail
    parent.remove(element)


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


class SandboxedFetcher(URLFetcher):  # type: ignore[misc]
    """Serves WeasyPrint only files inside the given folders, and the given font files.

    Every other URL (http:, data: documents, files elsewhere on disk) is refused, so a
    manuscript cannot pull a secret or a tracker into the PDF. Nothing here opens a socket.
    """

    def __init__(self, roots: list[Path], files: list[Path]) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self._roots = [root.resolve() for root in roots]
        self._files = {path.resolve() for path in files}
        self.refused: set[str] = set()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            allowed = path in self._files or any(path.is_relative_to(root) for root in self._roots)
            if allowed and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        self.refused.add(url)
        raise ValueError(f"publish does not fetch {url}")
