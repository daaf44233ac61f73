"""EPUB: the converted book as an EPUB 3 package (ebooklib), with its cover, navigation, page list,
accessibility metadata, store checks and, on request, its embedded typeface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from publish import lazy_names

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


__getattr__ = lazy_names(__name__, _MODULES)
