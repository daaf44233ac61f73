"""Write stage, print: pydyf's list of page references, made once per PDF instead of per use."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pydyf

# pydyf 0.13 rebuilds `PDF.page_references` (one bytes object per page) on every read, and
# WeasyPrint's PDF/UA tagging reads it once for each tagged box: pages x boxes, which is about
# a tenth of a 360-page book's PDF writing and grows with the square of the length. The list
# only changes when a page is added, so it is kept until the number of pages changes.
_REBUILT_EACH_TIME = pydyf.PDF.__dict__.get("page_references")


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    kept: tuple[int, tuple[bytes, ...]] | None = pdf.__dict__.get("_publish_page_references")
    if kept is None or kept[0] != len(kids):
        assert isinstance(_REBUILT_EACH_TIME, property) and _REBUILT_EACH_TIME.fget
        kept = (len(kids), _REBUILT_EACH_TIME.fget(pdf))
        pdf.__dict__["_publish_page_references"] = kept
    return kept[1]


@contextlib.contextmanager
def page_references_kept() -> Iterator[None]:
    """While writing a PDF, build pydyf's page references once per page count.

    Only while the block runs, and only if pydyf still computes them as a property (a later
    pydyf that fixed it differently is left alone). The bytes written are the same.
    """
    if not isinstance(_REBUILT_EACH_TIME, property):
        yield
        return
    kept: Any = property(_page_references)
    pydyf.PDF.page_references = kept
    try:
        yield
    finally:
        pydyf.PDF.page_references = _REBUILT_EACH_TIME
