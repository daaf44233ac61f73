"""Write stage, print: the laid-out pages inspected for what a typesetter would fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from publish.model import Book
    from publish.writers.pdf import LaidOut


def report_layout(book: Book, laid_out: LaidOut) -> None:
    """Warn, page by page, of widows, orphans, stranded headings and the like."""
