"""Read stage, config: manuscript/book.toml -> Metadata and the chapter list, strictly checked."""

from __future__ import annotations

import datetime
import difflib
import re
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.errors import ConfigError, Problem, problem
from publish.model import EpubOptions, Metadata, PdfOptions
from publish.pdf.trims import parse_length, parse_trim
from publish.read.files import (
    NotInManuscriptError,
    UnreadableTextError,
    decode_text,
    find_in_manuscript,
)

CONFIG_NAME = "book.toml"
MAX_CONFIG_BYTES = 1024 * 1024
MAX_VALUE_CHARS = 10_000  # a description of a few pages; a title far shorter

# What XML 1.0 cannot hold (TOML's \\u escapes can write them): an EPUB with one is broken.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# BCP 47 in its common shape: a 2-3 letter language, then subtags (script, region, variant).
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Option:
    """One key of a book.toml table: whether it must be there, its check, and what it means.

    An optional key left out takes the default of the matching field (kebab-case key,
    snake_case field) of that table's options dataclass in the model.
    """

    required: bool
    check: Callable[[Any], str | None]  # returns what is wrong, or None
    doc: str
    example: str = ""  # a line to add, for the message when a required key is missing


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a string in quotes, not {_kind(value)}"
    return None if value.strip() else "must not be empty"


def _authors(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return 'must be a list of one or more names, e.g. authors = ["Jane Doe"]'
    if not all(isinstance(name, str) and name.strip() for name in value):
        return "must hold names in quotes, none of them empty"
    return None


def _language(value: Any) -> str | None:
    if not isinstance(value, str) or not _LANGUAGE_TAG.match(value):
        return f"must be a BCP 47 language tag such as 'en' or 'en-GB', not {value!r}"
    return None


def _date(value: Any) -> str | None:
    if isinstance(value, datetime.date):
        return None
    if isinstance(value, str):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return None
    shown = repr(value) if isinstance(value, str) else str(value)
    return f"must be a date written as 2026-11-24, not {shown}"


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, not {value!r}"


def _chapters(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        return 'must be a list of file names, e.g. chapters = ["01-intro.md", "02-next.md"]'
    if not value:
        return "must name at least one chapter (or leave the key out to use every *.md file)"
    return None


BOOK_OPTIONS: dict[str, Option] = {
    "title": Option(True, _text, "The book's title.", 'title = "My Book"'),
    "subtitle": Option(False, _text, "A subtitle, shown under the title."),
    "authors": Option(
        True, _authors, "One or more author names, in display order.", 'authors = ["Jane Doe"]'
    ),
    "language": Option(
        True, _language, "The book's language as a BCP 47 tag (en, en-GB, fr).", 'language = "en"'
    ),
    "identifier": Option(
        False,
        _text,
        "A stable unique id (urn:uuid:… or urn:isbn:…); derived from title and authors.",
    ),
    "date": Option(False, _date, "Publication date, 2026-11-24."),
    "publisher": Option(False, _text, "Publisher's name, on the title and copyright pages."),
    "rights": Option(False, _text, "Copyright statement, on the copyright page."),
    "description": Option(False, _text, "A short description for stores and reading systems."),
    "notice": Option(False, _text, "A notice for the copyright page (e.g. a disclaimer)."),
    "cover": Option(False, _text, "A JPEG or PNG cover image, relative to the manuscript folder."),
    "chapters": Option(False, _chapters, "Chapter files in reading order; default: every *.md."),
}

# [epub]: options of the EPUB edition, fields of model.EpubOptions.
EPUB_OPTIONS: dict[str, Option] = {
    "embed-fonts": Option(
        False,
        _flag,
        "Carry the book's typeface in the EPUB, subset to the characters the book uses "
        "(default false: the reader's fonts).",
    ),
}


def _parsed_by(parse: Callable[[str], object], wanted: str) -> Callable[[Any], str | None]:
    """A check for a string `parse` reads; its ValueError says what is wrong."""

    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"must be {wanted}, not {_kind(value)}"
        try:
            parse(value)
        except ValueError as error:
            return str(error)
        return None

    return check


_trim = _parsed_by(parse_trim, "a trim name or size in quotes")


def _variant(value: Any) -> str | None:
    asked = [value] if isinstance(value, str) else value
    if not isinstance(asked, list) or not asked or not all(v in PDF_VARIANTS for v in asked):
        return f'must be "print", "screen" or both as a list ["print", "screen"], not {value!r}'
    return None


_bleed = _parsed_by(parse_length, 'a length in quotes such as "0.125in" or "3mm"')


def _standard(value: Any) -> str | None:
    if value not in PDF_STANDARDS:
        return f"must be one of {', '.join(repr(s) for s in PDF_STANDARDS)}, not {value!r}"
    return None


PDF_VARIANTS = ("print", "screen")
PDF_STANDARDS = ("pdf/ua-1", "pdf/a-3b", "pdf/x-4")

# [pdf]: options of the print edition, fields of model.PdfOptions.
PDF_OPTIONS: dict[str, Option] = {
    "trim": Option(
        False,
        _trim,
        "Page size: 5x8in, 5.25x8in, 5.5x8.5in, 6x9in (default), a5, b-format, us-letter, "
        "or your own such as '140 x 216 mm'.",
    ),
    "variant": Option(
        False,
        _variant,
        '"print" (default: mirrored margins, chapters on right-hand pages), "screen" '
        '(single-sided, no blank pages, coloured links) or both: ["print", "screen"].',
    ),
    "bleed": Option(False, _bleed, "Bleed beyond the trim for the printer, e.g. '0.125in'."),
    "crop-marks": Option(False, _flag, "Crop marks at the trim corners (print variant)."),
    "standard": Option(
        False,
        _standard,
        "pdf/ua-1 (default, tagged and accessible), pdf/a-3b (archive) or pdf/x-4 (press).",
    ),
    "color-profile": Option(
        False,
        _text,
        "The printer's CMYK ICC profile, relative to the manuscript folder; needed by pdf/x-4.",
    ),
}

TABLES: dict[str, dict[str, Option]] = {
    "book": BOOK_OPTIONS,
    "epub": EPUB_OPTIONS,
    "pdf": PDF_OPTIONS,
}


KeyLines = dict[tuple[str, ...], int]  # a table or key by its path, ("book", "title") -> line


@dataclass(frozen=True)
class Config:
    """Everything book.toml says, plus where each key stands for messages later."""

    path: Path  # the book.toml file on disk
    metadata: Metadata
    chapter_files: tuple[str, ...] | None  # as written, relative to the manuscript folder
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
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([_syntax_problem(path, error)]) from error

    key_lines = _key_lines(text)
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
    chapters = book.get("chapters")
    return Config(
        path,
        metadata,
        tuple(chapters) if chapters else None,
        key_lines,
        epub=EpubOptions(**_fields(data.get("epub", {}))),
        pdf=PdfOptions(**_fields(data.get("pdf", {}))),
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
        if isinstance(text, str) and (found := _CONTROL.search(text)):
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


def _kind(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


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


def _syntax_problem(path: Path, error: tomllib.TOMLDecodeError) -> Problem:
    # Python 3.11's tomllib puts the position only in the message: "... (at line 4, column 7)".
    message = str(error)
    match = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    if match:
        message = message[: match.start()].rstrip()
        return problem(path, f"TOML syntax: {message}", int(match[1]), int(match[2]))
    return problem(path, f"TOML syntax: {message}")


# A key as TOML writes it: bare, "quoted" or 'literal', parts joined by dots.
_KEY_PART = r"""(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_TABLE_LINE = re.compile(rf"^\s*\[\[?\s*({_DOTTED_KEY})\s*\]\]?")
_KEY_LINE = re.compile(rf"^\s*({_DOTTED_KEY})\s*=\s*(\{{)?")
_INLINE_KEY = re.compile(rf"(?:\{{|,)\s*({_DOTTED_KEY})\s*=")


def _key_lines(text: str) -> KeyLines:
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
