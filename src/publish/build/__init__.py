"""Build: the pipeline (`build_book`), its cache, the up-to-date check and the staged outputs."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from publish.build.output import build_time
    from publish.build.pipeline import Output, build_book

_MODULES = {
    "Output": "pipeline",
    "build_book": "pipeline",
    "build_time": "output",
}

__all__ = [
    "Output",
    "build_book",
    "build_time",
]


def __getattr__(name: str) -> object:
    # Each name's module loads on first use: a stage's heavy libraries only when needed.
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
