"""The pipeline: read -> convert -> write each requested format."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from publish.convert import convert_book
from publish.errors import StrictError, collecting_warnings
from publish.manuscript import load_book
from publish.model import FORMATS, Book
from publish.output import StagedOutputs, build_time, staged_outputs
from publish.pagemap import PageMap, from_layout, load, save
from publish.progress import LAYOUT, step

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Output:
    path: Path
    format: str
    size: int  # bytes
    pages: int | None  # the PDF's page count
    seconds: float


def build_book(
    manuscript_dir: Path,
    out_dir: Path,
    formats: Collection[str] = FORMATS,
    *,
    strict: bool = False,
) -> list[Output]:
    """Build the book in `manuscript_dir` into `out_dir` as each of `formats`.

    Every edition is made in memory first and written only when all of them succeeded, so
    an error (or a warning under `strict`) leaves the previous outputs as they were.
    """
    with collecting_warnings() as warnings:
        book = load_book(manuscript_dir)
        book = convert_book(book)
        editions = []
        # The PDF is laid out first: the EPUB lists its pages (or those of the last PDF).
        pdfs = []
        if "pdf" in formats:
            pdfs = [make_pdf_edition(book, out_dir, variant) for variant in book.pdf.variants]
        if "epub" in formats:
            page_map = next((e.page_map for e in pdfs if e.page_map), None) or load(book, out_dir)
            editions.append(make_epub_edition(book, out_dir / f"{book.slug}.epub", page_map))
        editions += pdfs
    if strict and warnings:
        raise StrictError(warnings)
    # One build writes into out_dir at a time; all outputs are renamed into place together.
    with staged_outputs(out_dir) as staged:
        for edition in editions:
            edition.write(staged)
    return [edition.output() for edition in editions]


@dataclass
class Edition:
    """One output made in memory, timed, waiting to be written to `path`."""

    path: Path
    format: str
    write_to: Callable[[IO[bytes]], None]
    pages: int | None
    started: float
    page_map: PageMap | None = None  # where the PDF's pages start in the text

    def write(self, staged: StagedOutputs) -> None:
        with staged.open(self.path) as stream:
            self.write_to(stream)

    def output(self) -> Output:
        log.info("wrote %s", self.path)
        seconds = time.perf_counter() - self.started
        return Output(self.path, self.format, self.path.stat().st_size, self.pages, seconds)


def make_epub_edition(book: Book, path: Path, page_map: PageMap | None = None) -> Edition:
    from publish.writers.epub import make_epub, write_epub  # ebooklib loads only when needed

    started = time.perf_counter()
    package = make_epub(book, page_map)
    created = build_time()
    return Edition(path, "epub", lambda stream: write_epub(package, stream, created), None, started)


def make_pdf_edition(book: Book, out_dir: Path, variant: str) -> Edition:
    from publish.layout_report import report_layout  # WeasyPrint: on demand
    from publish.writers.pdf import layout_pdf, make_print_html, pdf_file_name, write_pdf

    started = time.perf_counter()
    step(LAYOUT, 0)
    laid_out = layout_pdf(book, make_print_html(book, build_time()), variant)
    pages = len(laid_out.document.pages)
    step(LAYOUT, pages, pages)
    report_layout(book, laid_out)
    # The printed edition's pages are the ones the EPUB's page list names.
    page_map = from_layout(book, laid_out.document) if variant == "print" else None

    def write_to(stream: IO[bytes]) -> None:
        write_pdf(book, laid_out, stream)
        if page_map:
            save(page_map, out_dir)  # for a later EPUB built alone

    return Edition(
        out_dir / pdf_file_name(book, variant), "pdf", write_to, pages, started, page_map
    )
