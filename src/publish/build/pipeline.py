"""The pipeline: read -> convert -> write each requested format."""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from publish.build.cache import Cache
from publish.build.output import StagedOutputs, build_time, staged_outputs, state_dir
from publish.build.uptodate import inputs_digest, remember, up_to_date, written
from publish.errors import StrictError, collecting_warnings
from publish.model import FORMATS, Book, Memo, computed
from publish.progress import LAYOUT, step
from publish.timing import stage

if TYPE_CHECKING:
    from publish.pdf import PageMap

log = logging.getLogger(__name__)

# The last build's editions, laid-out pages and all. Freeing a long book's pages takes seconds,
# which a process about to end need not spend (the `publish` command ends without freeing
# them); any other caller's next build lets them go.
_last_editions: list[Edition] = []


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
    use_cache: bool = True,
    printer: str | None = None,
) -> list[Output]:
    """Build the book in `manuscript_dir` into `out_dir` as each of `formats`.

    Every edition is made in memory first and written only when all of them succeeded, so
    an error (or a warning under `strict`) leaves the previous outputs as they were.
    Unless `use_cache` is false (`--no-cache`), a build whose inputs and outputs are as the last
    one left them does nothing, and unchanged chapters are not converted again.
    A `printer` (`publish check --printer`) stands for book.toml's [print] printer.
    """
    started = time.perf_counter()
    use_cache = use_cache and printer is None  # the last build's outputs were for another
    state = state_dir(out_dir)
    _last_editions.clear()
    with collecting_warnings() as warnings:
        with stage("up-to-date check"):
            digest = inputs_digest(manuscript_dir, out_dir, formats)
            last = up_to_date(state, out_dir, formats, digest) if use_cache else None
        if last is None:
            from publish.convert import convert_book  # Markdown and lxml: only when there is work
            from publish.read import load_book

            cache = Cache(state / "cache", read=use_cache)
            with stage("read"):
                book = load_book(manuscript_dir)
                if printer is not None:
                    book = replace(book, pdf=replace(book.pdf, printer=printer))
            with stage("convert"):
                book = convert_book(book, cache.memo)
            editions = make_editions(book, out_dir, formats, cache.memo)
    if strict and warnings:
        raise StrictError(warnings)
    if last is not None:
        seconds = time.perf_counter() - started
        return [Output(out_dir / w.name, w.format, w.size, w.pages, seconds) for w in last]
    with stage("save state"):
        cache.save()  # every edition is made: what the cache holds is good, and can leave memory
    outputs = write_editions(editions, out_dir)
    with stage("save state"):
        done = [written(out_dir, output.path, output.format, output.pages) for output in outputs]
        remember(state, formats, digest, done, warnings)
    return outputs


def make_editions(
    book: Book, out_dir: Path, formats: Collection[str], memo: Memo = computed
) -> list[Edition]:
    """Each requested edition, made in memory: the PDF first, since the EPUB lists its pages."""
    from publish.build.page_maps import load

    with fewer_collections():  # the EPUB too: made beside a long book's laid-out pages
        pdfs = []
        if "pdf" in formats:
            pdfs = [make_pdf_edition(book, out_dir, variant) for variant in pdf_variants(book)]
            pdfs += make_cover_editions(book, out_dir, pdfs)
        if "epub" not in formats:
            return pdfs
        # The print PDF's pages, or those of the last PDF built from the same content, if any.
        page_map = next((p.page_map for p in pdfs if p.page_map), None) or load(book, out_dir)
        return [make_epub_edition(book, out_dir / f"{book.slug}.epub", page_map, memo), *pdfs]


def pdf_variants(book: Book) -> tuple[str, ...]:
    """The PDF editions to make: a printer that takes no bookmarks nor links (KDP) gets a print
    file without them, so the screen edition is made too, to keep them for readers."""
    from publish.pdf import printer_profile

    variants = book.pdf.variants
    if "print" in variants and not printer_profile(book.pdf.printer).navigation:
        return tuple(dict.fromkeys([*variants, "screen"]))
    return variants


def make_cover_editions(book: Book, out_dir: Path, pdfs: list[Edition]) -> list[Edition]:
    """The printer's wrap-around cover and its guides, sized by the print edition's pages."""
    printed = next((p for p in pdfs if p.path.name == f"{book.slug}.pdf"), None)
    if book.pdf.printer == "generic" or printed is None or printed.pages is None:
        return []
    from publish.pdf import cover_file_name, write_cover

    started = time.perf_counter()
    editions = []
    for guides in (False, True):
        with stage("pdf cover"):
            cover = io.BytesIO()
            write_cover(book, printed.pages, build_time(), cover, guides)
        path = out_dir / cover_file_name(book, guides)
        editions.append(Edition(path, "pdf", _writer(cover), 1, started))
    return editions


def _writer(made: io.BytesIO) -> Callable[[IO[bytes]], object]:
    return lambda stream: stream.write(made.getbuffer())


def write_editions(editions: list[Edition], out_dir: Path) -> list[Output]:
    """Write every edition; one build writes into out_dir at a time, all renamed in together."""
    with stage("collect garbage"):
        # Laying out leaves garbage that `fewer_collections` let pile up (a million objects at
        # 500,000 words); freed now, the PDF writer reuses its memory (200 MB less at its peak).
        gc.collect()
    with fewer_collections(), staged_outputs(out_dir) as staged:
        for edition in editions:
            edition.write(staged)
    _last_editions.extend(editions)
    return [edition.output() for edition in editions]


@dataclass
class Edition:
    """One output made in memory, timed, waiting to be written to `path`."""

    path: Path
    format: str
    write_to: Callable[[IO[bytes]], object]
    pages: int | None
    started: float
    page_map: PageMap | None = None  # where the print PDF's pages start in the text

    def write(self, staged: StagedOutputs) -> None:
        with stage(f"{self.format} write"), staged.open(self.path) as stream:
            self.write_to(stream)

    def output(self) -> Output:
        log.info("wrote %s", self.path)
        seconds = time.perf_counter() - self.started
        return Output(self.path, self.format, self.path.stat().st_size, self.pages, seconds)


def make_epub_edition(
    book: Book, path: Path, page_map: PageMap | None = None, memo: Memo = computed
) -> Edition:
    from publish.epub import make_epub, write_epub  # ebooklib loads only when needed

    started = time.perf_counter()
    with stage("epub template"):
        package = make_epub(book, page_map, memo)
    with stage("epub write"):  # zipped at once: the package need not wait beside the PDF's pages
        zipped = io.BytesIO()
        write_epub(package, zipped, build_time())
    return Edition(path, "epub", lambda stream: stream.write(zipped.getbuffer()), None, started)


def make_pdf_edition(book: Book, out_dir: Path, variant: str) -> Edition:
    from publish.build.page_maps import save
    from publish.pdf import (  # WeasyPrint: on demand
        from_layout,
        layout_pdf,
        make_print_html,
        pdf_file_name,
        report_layout,
        report_printer,
        write_pdf,
    )

    started = time.perf_counter()
    with stage("pdf template"):
        document_html = make_print_html(book, build_time(), variant)
    with stage("pdf layout"):
        step(LAYOUT, 0)
        laid_out = layout_pdf(book, document_html, variant)
        pages = len(laid_out.document.pages)
        step(LAYOUT, pages, pages)
    with stage("pdf layout report"):
        report_layout(book, laid_out)
        report_printer(book, laid_out)
    # The printed edition's pages are the ones the EPUB's page list names.
    with stage("pdf page map"):
        page_map = from_layout(book, laid_out.document) if variant == "print" else None

    def write_to(stream: IO[bytes]) -> None:
        write_pdf(book, laid_out, stream)
        if page_map:
            save(page_map, out_dir)  # for a later EPUB built alone

    return Edition(
        out_dir / pdf_file_name(book, variant), "pdf", write_to, pages, started, page_map
    )


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often while WeasyPrint lays out and writes the pages.

    Layout makes millions of objects that live to the end, and the collector would walk them
    again and again, for about a sixth of the layout's time; one full collection after a
    500,000-word book is laid out takes 3 s. Young garbage is still collected.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)  # Python's default: (700, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
