"""EPUB: the converted book as an EPUB 3 package (ebooklib), with its cover, navigation, page list,
accessibility metadata, store checks and, on request, its embedded typeface.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from publish.epub.package import make_epub
    from publish.epub.stores import STORES, check_stores
    from publish.epub.zipped import write_epub

_MODULES = {
    "STORES": "stores",
    "check_stores": "stores",
    "make_epub": "package",
    "write_epub": "zipped",
}

__all__ = [
    "STORES",
    "check_stores",
    "make_epub",
    "write_epub",
]


def __getattr__(name: str) -> object:
    # Each name's module loads on first use: a stage's heavy libraries only when needed.
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
