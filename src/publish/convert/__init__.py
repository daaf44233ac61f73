"""Convert: each chapter's Markdown -> an XHTML fragment, cleaned, linked, ids unique book-wide.

Python-Markdown and its extensions, raw HTML cut to an allowlist and its nesting repaired, quotes
and dashes by language, notes, ids unique across the book, links between chapters and images
checked. Names load on first use (Markdown and lxml are not needed by `publish --help`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from publish import lazy_names

if TYPE_CHECKING:
    from publish.convert.code_lines import code_lines_as_blocks
    from publish.convert.fences import prepare_fences
    from publish.convert.footnotes import footnotes_to_page_floats
    from publish.convert.links import link_line
    from publish.convert.markdown import (
        HEADINGS,
        convert_book,
        markdown_converter,
        opens_with_text,
        serialize,
    )
    from publish.convert.targets import as_written_from, find_chapter

_MODULES = {
    "code_lines_as_blocks": "code_lines",
    "HEADINGS": "markdown",
    "as_written_from": "targets",
    "find_chapter": "targets",
    "link_line": "links",
    "convert_book": "markdown",
    "markdown_converter": "markdown",
    "opens_with_text": "markdown",
    "serialize": "markdown",
    "footnotes_to_page_floats": "footnotes",
    "prepare_fences": "fences",
}

__all__ = [
    "HEADINGS",
    "as_written_from",
    "code_lines_as_blocks",
    "convert_book",
    "find_chapter",
    "footnotes_to_page_floats",
    "link_line",
    "markdown_converter",
    "opens_with_text",
    "prepare_fences",
    "serialize",
]


__getattr__ = lazy_names(__name__, _MODULES)
