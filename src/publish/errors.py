"""Errors an author can cause, each pointing at a file and line they can open."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


def display_path(path: Path) -> str:
    """The path as the author typed it; an absolute one relative to the working folder when
    that is shorter (`book/01.md`, not `/home/ada/book/01.md`; `/srv/book/01.md`, not
    `../../../srv/book/01.md`)."""
    if not path.is_absolute():
        return path.as_posix()
    try:
        relative = Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return min(relative, path.as_posix(), key=len)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the manuscript: `PATH:LINE[:COL]: message`."""

    path: str
    line: int | None
    column: int | None
    message: str

    @property
    def where(self) -> str:
        """`PATH`, `PATH:LINE` or `PATH:LINE:COL`: what an editor opens."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def problem(
    path: Path, message: str, line: int | None = None, column: int | None = None
) -> Problem:
    return Problem(display_path(path), line, column, message)


class PublishError(Exception):
    """The manuscript cannot be built; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.column or 0))
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(PublishError):
    """book.toml is missing, malformed or holds a wrong key or value."""


class ManuscriptError(PublishError):
    """A chapter is missing, unreadable, or its links and images point nowhere."""


class StrictError(PublishError):
    """Warnings were found and the author asked for `--strict`: they count as errors."""


# One list per open `collecting_warnings()` block, innermost last.
_collected: ContextVar[tuple[list[Problem], ...]] = ContextVar("publish_warnings", default=())


def warn(found: Problem) -> None:
    """Report a problem that does not stop the build (an error under `--strict`)."""
    log.warning("%s", found)
    for collected in _collected.get():
        collected.append(found)


@contextmanager
def collecting_warnings() -> Iterator[list[Problem]]:
    """Gather every `warn()` made inside the block, so a build can judge them under `--strict`.

    Blocks nest: an outer block (`publish check` around a build) sees the inner one's warnings too.
    """
    collected: list[Problem] = []
    token = _collected.set((*_collected.get(), collected))
    try:
        yield collected
    finally:
        _collected.reset(token)
