"""publish: a Markdown manuscript -> a valid EPUB 3 and a print-ready PDF."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from publish.build import build_book
    from publish.read import load_book

__all__ = ["__version__", "build_book", "lazy_names", "load_book"]


def lazy_names(package: str, modules: Mapping[str, str]) -> Callable[[str], object]:
    """A package's module-level `__getattr__` that loads each public name's module on first use.

    `modules` maps a name to the module under `package` that defines it. Every stage offers its
    names this way, so a stage's heavy libraries (Markdown, WeasyPrint, ebooklib) load only when
    used, and `publish --help` pays for none of them.
    """

    def load(name: str) -> object:
        if name not in modules:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{modules[name]}"), name)

    return load


__getattr__ = lazy_names(__name__, {"build_book": "build", "load_book": "read"})
