"""A printer's file without bookmarks or link annotations, as KDP asks of a paperback's interior.

KDP's Paperback Submission Guidelines list "bookmarks, comments, annotations" among what a
print file must not contain: paper has nothing to click, and its preflight rejects them. The
screen edition keeps both, for readers and for PDF/UA.

WeasyPrint makes the outline from `bookmark-level` and a link annotation for every `<a href>`;
the contents page needs its links' targets for its page numbers, so they are removed from the
PDF as it is written (WeasyPrint's `finisher`), not from the HTML. The objects stay numbered
as WeasyPrint wrote them, emptied: no page and no catalog entry points at them any more.
"""

from __future__ import annotations

from typing import Any

import pydyf

from publish.model import Book
from publish.pdf.printers import printer_profile


def plain_edition(book: Book, variant: str) -> bool:
    """Whether this edition is a printer's file that must carry no bookmarks nor links (KDP)."""
    return variant == "print" and not printer_profile(book.pdf.printer).navigation


def plain_options(book: Book) -> dict[str, Any]:
    """WeasyPrint's options for a plain file: untagged, since its links go and tags would point
    at them; so it claims no PDF/UA (pdf/a-3b and pdf/x-4 stay). The screen edition keeps it."""
    standard = None if book.pdf.standard == "pdf/ua-1" else book.pdf.standard
    return {"pdf_variant": standard, "pdf_tags": False}


def remove_navigation(pdf: pydyf.PDF) -> None:
    """Drop the outline (bookmarks) and every annotation from `pdf` before it is written."""
    pdf.catalog.pop("Outlines", None)
    if pdf.catalog.get("PageMode") == "/UseOutlines":
        del pdf.catalog["PageMode"]
    for item in pdf.objects:
        if not isinstance(item, pydyf.Dictionary):
            continue
        kind = item.get("Type")
        if kind == "/Page":
            item.pop("Annots", None)
        elif kind in {"/Annot", "/Outlines"} or {"Title", "Parent"} <= item.keys():
            item.clear()
