"""The folio (printed page number) of every laid-out page of the PDF.

One rule, used by the PDF's page labels and by the EPUB's page list, so that both always
agree with the numbers printed on the pages: front matter counts in lower-case roman from the
first page (the half-title is i), the body counts in arabic from 1 on the first chapter's page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class LaidOutPage(Protocol):
    anchors: dict[str, object]  # ids of the elements that start on this page


def page_labels(pages: Sequence[LaidOutPage], body_anchor: str) -> list[str]:
    """Each page's folio; `body_anchor` is the id on the first page of the body."""
    body_start = next(
        (index for index, page in enumerate(pages) if body_anchor in page.anchors), len(pages)
    )
    return [roman(index + 1) for index in range(body_start)] + [
        str(index - body_start + 1) for index in range(body_start, len(pages))
    ]


def roman(number: int) -> str:
    """1 -> 'i', 14 -> 'xiv': front-matter folios."""
    digits = []
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        digits.append(letters * count)
    return "".join(digits)
