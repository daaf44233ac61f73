"""Commands: what `publish new`, `check`, `serve` and `stats` do, each in its own module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from publish import lazy_names

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


__getattr__ = lazy_names(__name__, _MODULES)
