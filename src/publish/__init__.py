"""publish: a Markdown manuscript -> a valid EPUB 3 and a print-ready PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from publish.build import build_book
    from publish.read import load_book

__all__ = ["__version__", "build_book", "load_book"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so that `publish --help` does not pay for Markdown and lxml.
    if name == "build_book":
        from publish.build import build_book

        return build_book
    if name == "load_book":
        from publish.read import load_book

        return load_book
    raise AttributeError(name)
