"""Build: the pipeline (`build_book`), its cache, the up-to-date check and the staged outputs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from publish import lazy_names

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


__getattr__ = lazy_names(__name__, _MODULES)
