"""Commands: what `publish new`, `check`, `serve` and `stats` do, each in its own module."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from publish.commands.check import check_book
    from publish.commands.new import create_book
    from publish.commands.server import serve
    from publish.commands.stats import book_stats

_MODULES = {
    "create_book": "new",
    "check_book": "check",
    "serve": "server",
    "book_stats": "stats",
}

__all__ = [
    "book_stats",
    "check_book",
    "create_book",
    "serve",
]


def __getattr__(name: str) -> object:
    # Each name's module loads on first use: a stage's heavy libraries only when needed.
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
