"""PDF: the converted book as one print HTML document, laid out by WeasyPrint, written as a PDF.

Also what the EPUB takes from the print edition: the page map (where each printed page starts
in the text), and the one Jinja2 environment and the font files both editions use. Names load
on first use, so that an EPUB-only build never imports WeasyPrint.
"""

from __future__ import annotations

import contextlib
import io
from typing import TYPE_CHECKING

from publish import lazy_names

if TYPE_CHECKING:
    from publish.pdf.cover_wrap import cover_file_name, write_cover
    from publish.pdf.fonts import FontFace, book_faces
    from publish.pdf.pagemap import (
        FLOW_PARENTS,
        OWN_PLACE,
        PageMap,
        PageStart,
        blocks,
        content_key,
        documents,
        from_layout,
        localname,
        run_text,
        segments,
    )
    from publish.pdf.preflight import report_printer
    from publish.pdf.print_html import make_print_html, pdf_file_name
    from publish.pdf.printers import printer_profile
    from publish.pdf.report import report_layout
    from publish.pdf.templates import render, styles_dir, stylesheet
    from publish.pdf.writer import LaidOut, layout_pdf, write_pdf

_MODULES = {
    "cover_file_name": "cover_wrap",
    "write_cover": "cover_wrap",
    "report_printer": "preflight",
    "printer_profile": "printers",
    "FontFace": "fonts",
    "book_faces": "fonts",
    "PageMap": "pagemap",
    "PageStart": "pagemap",
    "blocks": "pagemap",
    "content_key": "pagemap",
    "documents": "pagemap",
    "from_layout": "pagemap",
    "localname": "pagemap",
    "run_text": "pagemap",
    "segments": "pagemap",
    "FLOW_PARENTS": "pagemap",
    "OWN_PLACE": "pagemap",
    "report_layout": "report",
    "render": "templates",
    "styles_dir": "templates",
    "stylesheet": "templates",
    "LaidOut": "writer",
    "layout_pdf": "writer",
    "make_print_html": "print_html",
    "pdf_file_name": "print_html",
    "write_pdf": "writer",
}

__all__ = [
    "FLOW_PARENTS",
    "OWN_PLACE",
    "FontFace",
    "LaidOut",
    "PageMap",
    "PageStart",
    "blocks",
    "book_faces",
    "content_key",
    "cover_file_name",
    "documents",
    "from_layout",
    "layout_pdf",
    "localname",
    "make_print_html",
    "pdf_file_name",
    "printer_profile",
    "render",
    "report_layout",
    "report_printer",
    "run_text",
    "segments",
    "styles_dir",
    "stylesheet",
    "write_cover",
    "write_pdf",
]


_load = lazy_names(__name__, _MODULES)


def __getattr__(name: str) -> object:
    try:  # WeasyPrint's import loads Pango, HarfBuzz and GObject, and prints a banner if it fails
        with contextlib.redirect_stdout(io.StringIO()):
            return _load(name)
    except OSError as error:
        from publish.pdf.libraries import missing_library

        raise missing_library(error) from None
