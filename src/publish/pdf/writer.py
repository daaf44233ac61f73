"""The whole book as one HTML document -> a PDF laid out by WeasyPrint."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import IO, Any

import pydyf
from lxml import html
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from publish.errors import ManuscriptError, problem, warn
from publish.model import Book
from publish.pdf.artifacts import orphans_to_artifacts
from publish.pdf.fetcher import SandboxedFetcher
from publish.pdf.folios import page_labels
from publish.pdf.fonts import book_faces, fallback_faces
from publish.pdf.hyphenation import names_kept_whole
from publish.pdf.navigation import plain_edition, plain_options, remove_navigation
from publish.pdf.printers import GENERIC, printer_profile
from publish.pdf.relayout import mended_html
from publish.pdf.speedups import page_references_kept, page_styles_by_key
from publish.pdf.templates import render, styles_dir, stylesheet
from publish.pdf.trims import PageGeometry, page_geometry
from publish.read import inside

log = logging.getLogger(__name__)


# Layouts spent mending hyphens and notes the first layout got wrong (pdf/relayout.py).
MENDING_PASSES = 1


@dataclass(frozen=True)
class LaidOut:
    """One PDF edition's pages, laid out and not yet written."""

    variant: str
    document: Document
    page: PageGeometry
    labels: list[str]  # each page's folio


def layout_pdf(book: Book, document_html: str, variant: str = "print") -> LaidOut:
    """Lay out one edition's pages; nothing is written yet, so a build can still stop.

    The inner margin depends on the page count, which depends on the margins: the count
    is first estimated from the text, and the book is laid out again only when the real
    count calls for another binding allowance (a few hundred pages either way).
    """
    options = book.pdf
    two_sided = variant == "print"
    characters = sum(len(text) for text in html.fromstring(document_html).itertext())

    def geometry(pages: int) -> PageGeometry:
        return page_geometry(
            options.trim,
            pages,
            two_sided=two_sided,
            bleed=options.bleed,
            crop_marks=options.crop_marks,
            printer=printer_profile(book.pdf.printer) if two_sided else GENERIC,
        )

    pages = geometry(0).estimated_pages(characters, len(book.chapters))
    refits = mends = 0
    while True:
        page = geometry(pages)
        document = _render(book, document_html, page, variant)
        refit = geometry(len(document.pages)) != page and refits < 2
        mended = None
        if mends < MENDING_PASSES:
            mended = mended_html(document, variant, hyphenate=options.hyphenate)
        if not refit and mended is None:
            break
        if refit:
            log.info("%s: %d pages, not %d: laying out again", variant, len(document.pages), pages)
            refits, pages = refits + 1, len(document.pages)
        if mended is not None:
            document_html, mends = mended, mends + 1
        del document  # the next layout need not share memory with this one's boxes
    labels = page_labels(document.pages, book.body_anchor)
    return LaidOut(variant, document, page, labels)


def _render(book: Book, document_html: str, page: PageGeometry, variant: str) -> Document:
    faces = (*book_faces(), *fallback_faces())
    fetcher = SandboxedFetcher([book.source_dir, styles_dir()], [face.path for face in faces])
    font_config = FontConfiguration()
    page_css = render("print/page.css", page=page, pt=_points, color_profile=_color_profile(book))

    color_profiles: dict[str, Any] = {}  # filled by @color-profile rules as the CSS is read

    def css(text: str, base_url: str | None = None) -> CSS:
        return CSS(
            string=text,
            base_url=base_url,
            font_config=font_config,
            url_fetcher=fetcher,
            color_profiles=color_profiles,
        )

    stylesheets = [
        css(render("partials/font-faces.css", faces=[(f, f.path.as_uri()) for f in faces])),
        css(stylesheet("book.css") + stylesheet("print.css")),
        # Greys or colours; the print edition's marks for wrapped lines are a file beside it.
        css(
            stylesheet("code.css") + stylesheet(f"code-{variant}.css"), styles_dir().as_uri() + "/"
        ),
        css(stylesheet("blocks.css")),
        css(page_css),
    ]
    source = HTML(
        string=document_html, base_url=book.source_dir.resolve().as_uri() + "/", url_fetcher=fetcher
    )
    with page_styles_by_key(), names_kept_whole():
        document: Document = source.render(
            stylesheets=stylesheets,
            font_config=font_config,
            color_profiles=color_profiles,
            **_standard_options(book, plain_edition(book, variant)),
        )
    if fetcher.refused:
        warn(problem(book.source_dir, f"refused to read {', '.join(sorted(fetcher.refused))}"))
    return document


def _points(length: float) -> str:
    return f"{length:.2f}pt"


def _color_profile(book: Book) -> str | None:
    """The printer's ICC profile as a URL for @color-profile, for pdf/x-4 only."""
    if book.pdf.standard != "pdf/x-4" or book.pdf.color_profile is None:
        return None
    path = inside(book.source_dir, book.pdf.color_profile)  # the one resolver for every read
    if path is None:
        config = book.source_dir / "book.toml"
        raise ManuscriptError(
            [
                problem(
                    config,
                    f"color-profile '{book.pdf.color_profile}' is not a file in the manuscript "
                    "folder; put the printer's .icc file there and name it relative to book.toml",
                )
            ]
        )
    return path.resolve().as_uri()


def _standard_options(book: Book, plain: bool = False) -> dict[str, Any]:
    """WeasyPrint's options for the chosen standard; every standard is tagged (but `plain`)."""
    if plain:
        return plain_options(book)
    options: dict[str, Any] = {"pdf_variant": book.pdf.standard, "pdf_tags": True}
    if book.pdf.standard.startswith("pdf/a"):
        # WeasyPrint 70 leaves its sRGB profile's file open; _add_srgb_intent() does its work.
        options["output_intent"] = ""
    return options


def _add_srgb_intent(pdf: pydyf.PDF) -> None:
    """PDF/A's output intent: colours are sRGB, with WeasyPrint's own sRGB profile embedded."""
    profile = pydyf.Stream(
        [(files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()],
        pydyf.Dictionary({"N": 3}),
        compress=True,
    )
    pdf.add_object(profile)
    intent = pydyf.Dictionary(
        {
            "Type": "/OutputIntent",
            "S": "/GTS_PDFA1",
            "OutputConditionIdentifier": pydyf.String("sRGB IEC61966-2.1"),
            "Info": pydyf.String("sRGB IEC61966-2.1"),
            "DestOutputProfile": profile.reference,
        }
    )
    pdf.catalog["OutputIntents"] = pydyf.Array([intent])


def write_pdf(book: Book, laid_out: LaidOut, target: IO[bytes]) -> None:
    """Write the laid-out pages as PDF bytes, with page labels matching the folios."""
    # A fixed identifier keeps the bytes the same from build to build.
    identifier = hashlib.sha256(book.metadata.identifier.encode()).hexdigest()[:32]

    plain = plain_edition(book, laid_out.variant)

    def finish(document: Document, pdf: pydyf.PDF) -> None:
        orphans_to_artifacts(pdf)  # PDF/UA: running heads and folios nothing owns
        add_page_labels(pdf, laid_out.labels)
        if book.pdf.standard.startswith("pdf/a"):
            _add_srgb_intent(pdf)
        _fix_random_document_id(pdf, identifier)
        if plain:
            remove_navigation(pdf)

    with page_references_kept():
        laid_out.document.write_pdf(
            target,
            pdf_identifier=identifier.encode(),
            finisher=finish,
            **_standard_options(book, plain),
        )


def add_page_labels(pdf: pydyf.PDF, labels: list[str]) -> None:
    """/PageLabels, so a viewer's page box shows the printed folio: i, ii, … then 1, 2, …"""
    ranges = pydyf.Array()
    front = sum(1 for label in labels if not label.isdigit())
    if front:
        ranges.extend([0, pydyf.Dictionary({"S": "/r"})])
    if front < len(labels):
        ranges.extend([front, pydyf.Dictionary({"S": "/D", "St": int(labels[front])})])
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": ranges})


def _fix_random_document_id(pdf: pydyf.PDF, identifier: str) -> None:
    """WeasyPrint's PDF/X metadata names the document by a random UUID; use ours instead."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    stream = pdf.objects[int(reference.split()[0])]
    fixed = f"xmp.did:{identifier[:8]}-{identifier[8:12]}-{identifier[12:16]}-"
    fixed += f"{identifier[16:20]}-{identifier[20:32]}"
    stream.stream = [
        re.sub(rb"xmp\.did:[0-9a-f-]{36}", fixed.encode(), part) for part in stream.stream
    ]
