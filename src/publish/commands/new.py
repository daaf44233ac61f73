"""`publish new`: a starter book that shows every feature and builds cleanly at once."""

from __future__ import annotations

import dataclasses
import datetime
import json
import shutil
import textwrap
import uuid
from pathlib import Path
from typing import Any

from publish.errors import PublishError, problem
from publish.model import EpubOptions, PdfOptions
from publish.read import CONFIG_NAME, TABLES

STARTER_DIR = Path(__file__).resolve().parent / "starter"  # chapters and images, copied as they are
CHAPTERS = ("01-welcome.md", "02-next-steps.md")

# The options dataclass behind each table, whose defaults show what a left-out key means.
_DEFAULTS: dict[str, Any] = {"epub": EpubOptions, "pdf": PdfOptions, "print": PdfOptions}


def create_book(
    folder: Path, title: str | None = None, author: str | None = None, language: str = "en"
) -> list[Path]:
    """Write the starter book into `folder`, which must be new or empty; return the files made."""
    if folder.exists() and not folder.is_dir():
        raise PublishError([problem(folder, "is a file; choose a name for a new folder")])
    if folder.is_dir() and any(folder.iterdir()):
        message = "is not empty; choose a new folder (publish new never overwrites files)"
        raise PublishError([problem(folder, message)])
    title = (title or "").strip() or _title_from(folder)
    author = (author or "").strip() or "Your Name"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STARTER_DIR, folder, dirs_exist_ok=True)
    config = folder / CONFIG_NAME
    config.write_text(book_toml(title, author, language), encoding="utf-8")
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _title_from(folder: Path) -> str:
    words = folder.resolve().name.replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Untitled"


def book_toml(title: str, author: str, language: str) -> str:
    """book.toml with every key of every table, each under its description from config.TABLES.

    The keys the starter sets are live; the rest are commented out with a sample value, so
    that removing the `#` is all an author does to use one.
    """
    today = datetime.date.today()
    live = {
        "title": _toml(title),
        "authors": _toml([author]),
        "language": _toml(language),
        # Written once, so the book keeps its identity when its title or authors change.
        "identifier": _toml(f"urn:uuid:{uuid.uuid4()}"),
        "date": today.isoformat(),
        "rights": _toml(f"Copyright © {today.year} {author}. All rights reserved."),
        "chapters": "[\n" + "".join(f"    {_toml(name)},\n" for name in CHAPTERS) + "]",
    }
    samples = {
        "subtitle": _toml("A Subtitle"),
        "publisher": _toml("Your Press"),
        "description": _toml("One or two sentences about the book, for stores and e-readers."),
        "notice": _toml("A notice for the copyright page, such as a disclaimer."),
        "cover": _toml("images/cover.jpg"),
        "caliper": _toml(0.0025),
    }
    lines = [
        "# The book's settings. Lines starting with # are comments: remove the # to use a key.",
        "# Every key is described in publish's README; `publish check` reports any mistake.",
    ]
    for table, options in TABLES.items():
        if not options:
            continue
        lines += ["", f"[{table}]"]
        for key, option in options.items():
            lines += [""] if key != next(iter(options)) else []
            lines += textwrap.wrap(option.doc, 98, initial_indent="# ", subsequent_indent="# ")
            if table == "book" and key in live:  # [epub] identifier is the EPUB's own
                lines.append(f"{key} = {live[key]}")
                continue
            value = (samples.get(key) if table == "book" else None) or _default(table, key)
            lines.append(f"# {key} = {value}" if value else f"# {key} =")
    return "\n".join(lines) + "\n"


def _default(table: str, key: str) -> str | None:
    """The model's default for an [epub] or [pdf] key, written as TOML."""
    options = _DEFAULTS.get(table)
    if options is None:
        return None
    for field in dataclasses.fields(options):
        if field.name == key.replace("-", "_") and field.default is not dataclasses.MISSING:
            return _toml(field.default)
    return None


def _toml(value: Any) -> str | None:
    """A TOML literal for a string, number, true/false or list of those; None for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a valid TOML basic string: the same quotes and escapes.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        items = [_toml(item) for item in value]
        if all(item is not None for item in items):
            return "[" + ", ".join(item for item in items if item is not None) + "]"
    return None
