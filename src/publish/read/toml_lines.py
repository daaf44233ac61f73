"""Where each table and key of a TOML file stands: tomllib keeps no positions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from publish.errors import Problem, problem

KeyLines = dict[tuple[str, ...], int]  # a table or key by its path, ("book", "title") -> line


def syntax_problem(path: Path, error: tomllib.TOMLDecodeError) -> Problem:
    # Python 3.11's tomllib puts the position only in the message: "... (at line 4, column 7)".
    message = str(error)
    match = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    if match:
        message = message[: match.start()].rstrip()
        return problem(path, f"TOML syntax: {message}", int(match[1]), int(match[2]))
    return problem(path, f"TOML syntax: {message}")


def deepest_line(text: str, depth: int = 100) -> int | None:
    """The line where brackets and braces first open `depth` levels deep (strings not skipped:
    this only places a message about nesting no book needs)."""
    level = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for character in line:
            if character in "[{":
                level += 1
                if level >= depth:
                    return number
            elif character in "]}":
                level -= 1
    return None


# A key as TOML writes it: bare, "quoted" or 'literal', parts joined by dots.
_KEY_PART = r"""(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)"""


_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"


_TABLE_LINE = re.compile(rf"^\s*\[\[?\s*({_DOTTED_KEY})\s*\]\]?")


_KEY_LINE = re.compile(rf"^\s*({_DOTTED_KEY})\s*=\s*(\{{)?")


_INLINE_KEY = re.compile(rf"(?:\{{|,)\s*({_DOTTED_KEY})\s*=")


# tomllib's time and memory grow with the square of a dotted key's length (`a.b.c…` of 10,000
# parts takes 6 s and 400 MB); a book's keys have two or three parts.
MAX_KEY_PARTS = 64
_LONG_KEY = re.compile(rf"(?:{_KEY_PART}\s*\.\s*){{{MAX_KEY_PARTS},}}{_KEY_PART}")


def overlong_key(text: str) -> tuple[int, int] | None:
    """The line and part count of the first dotted key longer than tomllib reads in good time."""
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _LONG_KEY.search(line):
            return number, len(re.findall(_KEY_PART, match[0]))
    return None


def find_key_lines(text: str) -> KeyLines:
    """Where each table header and key stands, by its full path; tomllib keeps no positions.

    `[book]`, `[[book]]`, `book.title = …` and `book = { title = … }` all place ("book",) and
    ("book", "title"), so a message can name the line however the author wrote the key.
    """
    lines: KeyLines = {}

    def place(path: tuple[str, ...], number: int) -> None:
        for end in range(1, len(path) + 1):
            lines.setdefault(path[:end], number)

    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _TABLE_LINE.match(line):
            table = _key_path(match[1])
            place(table, number)
        elif match := _KEY_LINE.match(line):
            key = table + _key_path(match[1])
            place(key, number)
            if match[2]:  # an inline table: its keys stand on this line too
                for inner in _INLINE_KEY.finditer(line, match.start(2)):
                    place(key + _key_path(inner[1]), number)
    return lines


def _key_path(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_KEY_PART, dotted))
