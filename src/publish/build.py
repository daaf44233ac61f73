"""The pipeline: read -> convert -> write each requested format."""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from publish.convert import convert_book
from publish.manuscript import load_book
from publish.model import FORMATS, Book
from publish.output import atomic_output, build_time

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Output:
    path: Path
    format: str
    size: int  # bytes
    pages: int | None  # the PDF's page count
    seconds: float


def build_book(
    manuscript_dir: Path, out_dir: Path, formats: Collection[str] = FORMATS
) -> list[Output]:
    """Build the book in `manuscript_dir` into `out_dir` as each of `formats`."""
    book = load_book(manuscript_dir)
    book = convert_book(book)
    outputs = []
    if "epub" in formats:
        outputs.append(build_epub(book, out_dir / f"{book.slug}.epub"))
    if "pdf" in formats:
        outputs.append(build_pdf(book, out_dir / f"{book.slug}.pdf"))
    return outputs


def build_epub(book: Book, path: Path) -> Output:
    from publish.writers.epub import make_epub, write_epub  # ebooklib loads only when needed

    started = time.perf_counter()
    package = make_epub(book)
    with atomic_output(path) as stream:
        write_epub(package, stream, build_time())
    return _finished(path, "epub", None, started)


def build_pdf(book: Book, path: Path) -> Output:
    from publish.writers.pdf import make_print_html, write_pdf  # WeasyPrint loads only when needed

    started = time.perf_counter()
    document = make_print_html(book, build_time())
    with atomic_output(path) as stream:
        pages = write_pdf(book, document, stream)
    return _finished(path, "pdf", pages, started)


def _finished(path: Path, format: str, pages: int | None, started: float) -> Output:
    output = Output(path, format, path.stat().st_size, pages, time.perf_counter() - started)
    log.info("wrote %s", path)
    return output
