"""book.toml -> Metadata and the chapter list, strictly checked."""

from __future__ import annotations

import datetime
import difflib
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.errors import ConfigError, Problem, problem
from publish.model import EpubOptions, Metadata, PdfOptions
from publish.read.files import (
    NotInManuscriptError,
    UnreadableTextError,
    decode_text,
    find_in_manuscript,
)
from publish.read.options import CONTROL_CHARACTERS, MAX_VALUE_CHARS, TABLES, Option
from publish.read.toml_lines import (
    KeyLines,
    deepest_line,
    find_key_lines,
    overlong_key,
    syntax_problem,
)

CONFIG_NAME = "book.toml"
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Config:
    """Everything book.toml says, plus where each key stands for messages later."""

    path: Path  # the book.toml file on disk
    metadata: Metadata
    chapter_files: tuple[str, ...] | None  # as written, relative to the manuscript folder
    chapter_titles: dict[str, str]  # a chapter file, as written -> its title given in `chapters`
    key_lines: KeyLines
    epub: EpubOptions
    pdf: PdfOptions

    def line_of(self, table: str, key: str) -> int | None:
        return self.key_lines.get((table, key) if key else (table,))


def load_config(manuscript_dir: Path) -> Config:
    """Parse and validate book.toml, reporting every problem at once."""
    path = manuscript_dir / CONFIG_NAME
    try:
        find_in_manuscript(manuscript_dir, CONFIG_NAME, max_bytes=MAX_CONFIG_BYTES)
    except NotInManuscriptError as refused:
        message = (
            "no book.toml here; create one with at least title, authors and language"
            if str(refused) == "not found"
            else str(refused)
        )
        raise ConfigError([problem(path, message)]) from None
    try:
        text = decode_text(path.read_bytes())
    except UnreadableTextError as error:
        raise ConfigError([problem(path, error.message, error.line, error.column)]) from None
    if found := overlong_key(text):
        line, parts = found
        message = f"a key of {parts} dotted parts; a book's keys have two or three (book.title)"
        raise ConfigError([problem(path, message, line)])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([syntax_problem(path, error)]) from error
    except RecursionError:  # tomllib recurses once per level of nested lists and inline tables
        message = (
            "lists or inline tables nested hundreds of levels deep, more than TOML can be "
            "read with; a book's settings nest two levels at most"
        )
        raise ConfigError([problem(path, message, deepest_line(text))]) from None

    key_lines = find_key_lines(text)
    problems = _validate(path, data, key_lines)
    if problems:
        raise ConfigError(problems)

    book = data["book"]
    metadata = Metadata(
        title=book["title"].strip(),
        subtitle=_optional(book, "subtitle"),
        authors=tuple(name.strip() for name in book["authors"]),
        language=book["language"],
        identifier=_optional(book, "identifier") or _derived_identifier(book),
        date=_as_date(book.get("date")),
        publisher=_optional(book, "publisher"),
        rights=_optional(book, "rights"),
        description=_optional(book, "description"),
        notice=_optional(book, "notice"),
        cover=_optional(book, "cover"),
    )
    chapters = book.get("chapters") or []
    names = [item if isinstance(item, str) else item["file"] for item in chapters]
    titles = {
        item["file"]: " ".join(item["title"].split())
        for item in chapters
        if isinstance(item, dict) and "title" in item
    }
    return Config(
        path,
        metadata,
        tuple(names) if names else None,
        titles,
        key_lines,
        epub=EpubOptions(**_fields(data.get("epub", {}))),
        # [print] names the printer of the print edition: its keys are PdfOptions' too.
        pdf=PdfOptions(**_fields(data.get("pdf", {})), **_fields(data.get("print", {}))),
    )


def _fields(table: dict[str, Any]) -> dict[str, Any]:
    """A checked table's keys as the options dataclass's field names (kebab -> snake case)."""
    return {
        key.replace("-", "_"): tuple(value) if isinstance(value, list) else value
        for key, value in table.items()
    }


def _validate(path: Path, data: dict[str, Any], key_lines: KeyLines) -> list[Problem]:
    problems: list[Problem] = []
    for table, value in data.items():
        where = key_lines.get((table,))
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            message = f"[[{table}]] makes a list of tables; write [{table}] once"
            problems.append(problem(path, message, where))
        elif not isinstance(value, dict):
            problems.append(
                problem(path, f"'{table}' stands outside any table; move it under [book]", where)
            )
        elif table not in TABLES:
            problems.append(
                problem(path, f"unknown table [{table}]{_suggest(table, TABLES)}", where)
            )
    if "book" not in data:
        problems.append(problem(path, "missing the [book] table with title, authors and language"))
    for table, options in TABLES.items():
        values = data.get(table)
        if isinstance(values, dict):
            problems += _validate_table(path, table, values, options, key_lines)
    problems += _validate_pdf_together(path, data.get("pdf"), key_lines)
    return problems


def _validate_pdf_together(
    path: Path, pdf: Any, key_lines: dict[tuple[str, ...], int]
) -> list[Problem]:
    """[pdf] keys that only make sense together."""
    if isinstance(pdf, dict) and pdf.get("standard") == "pdf/x-4" and "color-profile" not in pdf:
        message = (
            "pdf/x-4 needs the printer's CMYK ICC profile; add a line such as: "
            'color-profile = "press/coated.icc" (ask your printer which one)'
        )
        return [problem(path, message, key_lines.get(("pdf", "standard")))]
    return []


def _validate_table(
    path: Path,
    table: str,
    values: dict[str, Any],
    options: dict[str, Option],
    key_lines: KeyLines,
) -> list[Problem]:
    problems: list[Problem] = []
    for key, value in values.items():
        line = key_lines.get((table, key))
        option = options.get(key)
        if option is None:
            message = f"unknown key '{key}' in [{table}]{_suggest(key, options)}"
            problems.append(problem(path, message, line))
        elif (wrong := option.check(value)) is not None:
            problems.append(problem(path, f"'{key}' {wrong}", line))
        elif (control := _control_character(value)) is not None:
            message = f"'{key}' holds the control character U+{ord(control):04X}; remove it"
            problems.append(problem(path, message, line))
        elif (longest := _longest_string(value)) > MAX_VALUE_CHARS:
            message = f"'{key}' is {longest:,} characters long; at most {MAX_VALUE_CHARS:,}"
            problems.append(problem(path, message, line))
    for key, option in options.items():
        if option.required and key not in values:
            message = (
                f"[{table}] is missing the required key '{key}'; add a line such as: "
                f"{option.example}"
            )
            problems.append(problem(path, message, key_lines.get((table,))))
    return problems


def _control_character(value: Any) -> str | None:
    """The first character of a string (or of a list's strings) that XML cannot hold."""
    strings = value if isinstance(value, list) else [value]
    for text in strings:
        if isinstance(text, str) and (found := CONTROL_CHARACTERS.search(text)):
            return found[0]
    return None


def _longest_string(value: Any) -> int:
    strings = value if isinstance(value, list) else [value]
    return max((len(text) for text in strings if isinstance(text, str)), default=0)


def _suggest(word: str, choices: dict[str, Any]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (valid: {', '.join(choices)})" if choices else " (this table takes no keys yet)"


def _optional(book: dict[str, Any], key: str) -> str | None:
    value = book.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return None


def _derived_identifier(book: dict[str, Any]) -> str:
    # uuid5 is a hash: the same title and authors always give the same identifier.
    name = "\n".join([book["title"].strip(), *(a.strip() for a in book["authors"])])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'publish:' + name)}"
