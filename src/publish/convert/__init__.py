"""Convert: each chapter's Markdown -> an XHTML fragment, cleaned, linked, ids unique book-wide.

Python-Markdown and its extensions, raw HTML cut to an allowlist and its nesting repaired, quotes
and dashes by language, notes, ids unique across the book, links between chapters and images
checked. Names load on first use (Markdown and lxml are not needed by `publish --help`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from publish.convert.code_lines import code_lines_as_blocks
    from publish.convert.fences import prepare_fences
    from publish.convert.footnotes import footnotes_to_page_floats
    from publish.convert.markdown import HEADINGS, convert_book, markdown_converter, serialize

_MODULES = {
    "code_lines_as_blocks": "code_lines",
    "HEADINGS": "markdown",
    "convert_book": "markdown",
    "markdown_converter": "markdown",
    "serialize": "markdown",
    "footnotes_to_page_floats": "footnotes",
    "prepare_fences": "fences",
}

__all__ = [
    "HEADINGS",
    "code_lines_as_blocks",
    "convert_book",
    "footnotes_to_page_floats",
    "markdown_converter",
    "prepare_fences",
    "serialize",
]


def __getattr__(name: str) -> object:
    # Each name's module loads on first use: a stage's heavy libraries only when needed.
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
