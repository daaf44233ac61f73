"""Two costs that grow with the square of a book's length, made linear.

Each is a scoped stand-in for one function of WeasyPrint 70 or pydyf 0.13, put in place only while
we lay out or write and only for the version it was checked against (any other version runs its
own code, just slower), and each gives the same bytes: tests/test_pdf_speedups.py compares them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pydyf
import weasyprint
from weasyprint.css import PAGE_MARGIN_BOXES
from weasyprint.layout import page as page_layout

# pydyf 0.13 rebuilds `PDF.page_references` (one bytes object per page) on every read, and
# WeasyPrint's PDF/UA tagging reads it once for each tagged box: pages x boxes, which is about
# a tenth of a 360-page book's PDF writing. The list only changes when a page is added, so it is
# kept until the number of pages changes.
_REBUILT_EACH_TIME = pydyf.PDF.__dict__.get("page_references")


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    kept: tuple[int, tuple[bytes, ...]] | None = pdf.__dict__.get("_publish_page_references")
    if kept is None or kept[0] != len(kids):
        assert isinstance(_REBUILT_EACH_TIME, property) and _REBUILT_EACH_TIME.fget
        kept = (len(kids), _REBUILT_EACH_TIME.fget(pdf))
        pdf.__dict__["_publish_page_references"] = kept
    return kept[1]


def page_references_kept() -> contextlib.AbstractContextManager[None]:
    """While writing a PDF, build pydyf's page references once per page count."""
    if not isinstance(_REBUILT_EACH_TIME, property):  # a pydyf that does it otherwise
        return contextlib.nullcontext()
    return _standing_in(pydyf.PDF, "page_references", property(_page_references))


# WeasyPrint 70 gives each new page the styles of its margin boxes by walking the cascaded styles
# of every element of the document, looking for the few that belong to the page: elements x
# pages, 12 % of a 500,000-word book's layout. The page's margin boxes can only be the CSS ones,
# so they are looked up by key instead.
_CHECKED_WEASYPRINT = "70."
_MARGIN_BOXES = tuple(f"@{name}" for name in sorted(PAGE_MARGIN_BOXES))


def _set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
    """WeasyPrint's function of the same name, finding the page's margin boxes by key."""
    style_for.add_page_declarations(page_type)
    root = html.etree_element
    # @page inherits from the root element; its margin boxes from the page.
    style_for.set_computed_styles(page_type, root=root, parent=root, base_url=html.base_url)
    cascaded = style_for.get_cascaded_styles()
    for pseudo_type in _MARGIN_BOXES:
        if (page_type, pseudo_type) in cascaded:
            style_for.set_computed_styles(
                page_type,
                pseudo_type=pseudo_type,
                root=root,
                parent=page_type,
                base_url=html.base_url,
            )


def page_styles_by_key() -> contextlib.AbstractContextManager[None]:
    """While laying out, give each page its margin boxes' styles without a walk of the book."""
    if not weasyprint.__version__.startswith(_CHECKED_WEASYPRINT):
        return contextlib.nullcontext()
    name = "set_page_type_computed_styles"
    return _standing_in(page_layout, name, _set_page_type_computed_styles)


@contextlib.contextmanager
def _standing_in(owner: Any, name: str, stand_in: Any) -> Iterator[None]:
    """`owner.name` is `stand_in` while the block runs, and what it was afterwards."""
    original = getattr(owner, name)  # on a class, a property itself
    setattr(owner, name, stand_in)
    try:
        yield
    finally:
        setattr(owner, name, original)
