"""The preview's pages: the book converted again on each save, rendered as web pages."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from lxml import html

from publish.build import build_book
from publish.convert import convert_book, serialize
from publish.errors import Problem, PublishError, collecting_warnings
from publish.model import Book, Chapter, Metadata
from publish.pdf import book_faces, render, stylesheet
from publish.read import load_book

POLL_SECONDS = 0.5  # how often the manuscript's files are looked at for changes


@dataclass
class _State:
    """What the pages show; replaced whole under the lock, read as a snapshot."""

    version: int = 0
    book: Book | None = None  # the last book that converted
    problems: list[Problem] = field(default_factory=list)  # of the last save, if it failed
    warnings: list[Problem] = field(default_factory=list)
    editions: str = "building the EPUB and the PDF…"  # HTML for the bar
    downloads: dict[str, Path] = field(default_factory=dict)  # URL path -> built file


class Preview:
    """The manuscript in `manuscript_dir`, rebuilt on demand; editions go to `out_dir`."""

    def __init__(
        self, manuscript_dir: Path, out_dir: Path, say: Callable[[str], None] = print
    ) -> None:
        self.manuscript_dir = manuscript_dir
        self.out_dir = out_dir
        self.say = say
        self.changed = threading.Condition()
        self.closing = False
        self.state = _State()

    def snapshot(self) -> _State:
        with self.changed:
            return self.state

    def _publish(self, **changes: object) -> None:
        with self.changed:
            self.state = dataclasses.replace(self.state, **changes)  # type: ignore[arg-type]
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()

    def convert(self) -> bool:
        """Convert the book for the pages and tell them to reload; False when it has problems."""
        now = datetime.datetime.now().strftime("%H:%M:%S")
        with collecting_warnings() as warnings:
            try:
                book = convert_book(load_book(self.manuscript_dir))
            except PublishError as error:
                self._publish(
                    version=self.state.version + 1,
                    problems=error.problems,
                    warnings=list(warnings),
                    editions="EPUB and PDF not rebuilt: the book has problems",
                )
                count = len(error.problems)
                self.say(f"{now}  {count} problem{'s' * (count != 1)}; shown in the page")
                return False
        self._publish(
            version=self.state.version + 1,
            book=book,
            problems=[],
            warnings=list(warnings),
            editions="building the EPUB and the PDF…",
        )
        self.say(f"{now}  pages rebuilt ({len(book.chapters)} chapters)")
        return True

    def build_editions(self) -> None:
        """Build the EPUB and the PDF into the output folder and link them from the pages."""
        try:
            outputs = build_book(self.manuscript_dir, self.out_dir)
        except PublishError as error:  # the manuscript changed again in between
            self._publish(editions=f"EPUB and PDF not rebuilt: {escape(str(error))}")
            return
        downloads = {f"/{output.path.name}": output.path for output in outputs}
        links = " · ".join(
            f'<a href="{escape(url)}">{output.format.upper()}</a>'
            + (f" ({output.pages} pages)" if output.pages else "")
            for url, output in zip(downloads, outputs, strict=True)
        )
        done = datetime.datetime.now().strftime("%H:%M:%S")
        self._publish(editions=f"{links} · built {done} in {self.out_dir}/", downloads=downloads)
        self.say(f"{done}  EPUB and PDF written to {self.out_dir}/")

    def watch(
        self,
        stop: threading.Event,
        interval: float = POLL_SECONDS,
        seen: dict[Path, tuple[int, int]] | None = None,
    ) -> None:
        """Build the editions, then rebuild whenever a file in the manuscript folder is saved,
        until `stop` is set. `seen`: the files as they were when the pages were converted."""
        if seen is None:
            seen = self.files()
            self.convert()
        if self.snapshot().book is not None:
            self.build_editions()
        while not stop.wait(interval):
            now = self.files()
            if now != seen:
                seen = now
                if self.convert():
                    self.build_editions()

    def files(self) -> dict[Path, tuple[int, int]]:
        """Every file of the manuscript with its modification time and size."""
        files = {}
        out = self.out_dir.resolve()
        for path in self.manuscript_dir.rglob("*"):
            if any(part.startswith(".") for part in path.relative_to(self.manuscript_dir).parts):
                continue  # editors' swap files, .git
            with contextlib.suppress(OSError):  # deleted while we looked
                if path.is_file() and out not in path.resolve().parents:
                    info = path.stat()
                    files[path] = (info.st_mtime_ns, info.st_size)
        return files

    # The pages -------------------------------------------------------------------------

    def page(self, url_path: str) -> tuple[int, str, bytes] | None:
        """Status, content type and body for a URL path, or None when there is no such page."""
        state = self.snapshot()
        if url_path == "/style.css":
            return 200, "text/css; charset=utf-8", preview_stylesheet().encode()
        if url_path.startswith("/fonts/"):
            face = book_fonts().get(url_path.removeprefix("/fonts/"))
            return (200, "font/ttf", face.read_bytes()) if face else None
        if url_path in state.downloads:
            path = state.downloads[url_path]
            kind = "application/epub+zip" if path.suffix == ".epub" else "application/pdf"
            return 200, kind, path.read_bytes()
        book = state.book
        if url_path in ("/", "/index.html"):
            return 200, "text/html; charset=utf-8", self._render("preview/index.html", state)
        if book is None:
            return None
        for index, chapter in enumerate(book.chapters):
            if url_path == f"/{chapter.slug}.html":
                body = self._render(
                    "preview/chapter.html",
                    state,
                    page_title=f"{chapter.title} · {book.metadata.title}",
                    chapter=chapter,
                    html=_preview_fragment(book, chapter),
                    previous=book.chapters[index - 1] if index else None,
                    next=book.chapters[index + 1] if index + 1 < len(book.chapters) else None,
                )
                return 200, "text/html; charset=utf-8", body
        for asset in book.assets:
            if url_path == f"/{asset.source_path}":
                return 200, asset.media_type, asset.data
        return None

    def _render(self, template: str, state: _State, **context: object) -> bytes:
        book = state.book
        meta = book.metadata if book else Metadata(self.manuscript_dir.name, (), "en", "")
        values: dict[str, object] = {
            "meta": meta,
            "page_title": meta.title,
            "chapters": book.chapters if book else (),
            "book_shown": book is not None,
            "version": state.version,
            "problems": state.problems,
            "warnings": state.warnings,
            "editions": state.editions,
            "previous": None,
            "next": None,
        }
        values.update(context)
        return render(template, **values).encode()


def _preview_fragment(book: Book, chapter: Chapter) -> str:
    """The chapter's XHTML with links to other chapters pointing at their preview pages."""
    pages = {other.href: f"{other.slug}.html" for other in book.chapters}
    tree = html.fragment_fromstring(chapter.html, create_parent="div")
    for anchor in tree.iter("a"):
        page, hash_, fragment = anchor.get("href", "").partition("#")
        if page in pages:
            anchor.set("href", pages[page] + hash_ + fragment)
    return serialize(tree)


def book_fonts() -> dict[str, Path]:
    return {face.path.name: face.path for face in book_faces()}


def preview_stylesheet() -> str:
    # The EPUB's look (book.css + epub.css) with the book's own fonts, and the preview's frame.
    urls = [(face, f"/fonts/{face.path.name}") for face in book_faces()]
    faces = render("partials/font-faces.css", faces=urls)
    code = stylesheet("code.css") + stylesheet("code-epub.css") + stylesheet("blocks.css")
    return (
        faces + stylesheet("book.css") + stylesheet("epub.css") + code + stylesheet("preview.css")
    )
