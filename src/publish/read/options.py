"""book.toml's schema: every table and key, its default, its check and its documentation."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from publish.read.lengths import parse_length, parse_trim

MAX_VALUE_CHARS = 10_000  # a description of a few pages; a title far shorter
MAX_TITLE_CHARS = 500  # a chapter's title in book.toml

# What XML 1.0 cannot hold (TOML's \\u escapes can write them): an EPUB with one is broken.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


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


CHAPTER_KEYS = {"file": "the chapter's Markdown file", "title": "its name in the contents"}
_CHAPTERS_EXAMPLE = (
    'e.g. chapters = [{ file = "00-dedication.md", title = "Dedication" }, "01-one.md"]'
)


def _chapters(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"must be a list of file names, {_CHAPTERS_EXAMPLE}"
    if not value:
        return "must name at least one chapter (or leave the key out to use every *.md file)"
    for item in value:
        wrong = _chapter(item)
        if wrong is not None:
            return wrong
    return None


def _chapter(item: Any) -> str | None:
    """One entry of `chapters`: a file name, or a table with the file and its title."""
    if isinstance(item, str):
        return None
    if not isinstance(item, dict):
        return f"must hold file names in quotes or tables, not {_kind(item)}: {_CHAPTERS_EXAMPLE}"
    for key in item:
        if key not in CHAPTER_KEYS:
            close = difflib.get_close_matches(key, list(CHAPTER_KEYS), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use file and title"
            return f"has an unknown key '{key}' in {{ … }} ({hint})"
    if "file" not in item:
        return f"has a {{ … }} without its file: {_CHAPTERS_EXAMPLE}"
    for key, wanted in CHAPTER_KEYS.items():
        if key in item and (wrong := _text(item[key])) is not None:
            return f"has a {key} ({wanted}) that {wrong}"
        if key in item and (found := CONTROL_CHARACTERS.search(item[key])):
            return f"has a {key} holding the control character U+{ord(found[0]):04X}; remove it"
    if len(item.get("title", "")) > MAX_TITLE_CHARS:
        return f"has a title of over {MAX_TITLE_CHARS:,} characters"
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
    "chapters": Option(
        False,
        _chapters,
        "Chapter files in reading order, each a name or { file = …, title = … }; "
        "default: every *.md.",
    ),
}


# [epub]: options of the EPUB edition, fields of model.EpubOptions.
EPUB_OPTIONS: dict[str, Option] = {
    "embed-fonts": Option(
        False,
        _flag,
        "Carry the book's typeface in the EPUB, subset to the characters the book uses "
        "(default false: the reader's fonts).",
    ),
    "identifier": Option(
        False,
        _text,
        "The EPUB's own identifier, e.g. its ISBN 'urn:isbn:978…', printed on its copyright "
        "page (default: [book] identifier).",
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
_bleed = _parsed_by(parse_length, 'a length in quotes such as "0.125in" or "3mm"')


def _variant(value: Any) -> str | None:
    asked = [value] if isinstance(value, str) else value
    if not isinstance(asked, list) or not asked or not all(v in PDF_VARIANTS for v in asked):
        return f'must be "print", "screen" or both as a list ["print", "screen"], not {value!r}'
    return None


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
    "isbn": Option(
        False,
        _text,
        "The print edition's ISBN, printed on its copyright page (default: [book] identifier "
        "when it is an ISBN).",
    ),
    "hyphenate": Option(
        False,
        _flag,
        "Hyphenate the text by the book's language (default true); false: only the author's "
        "soft hyphens (&shy;) break words.",
    ),
}


PRINTERS = ("generic", "kdp", "ingramspark", "lulu")
PAPERS = ("white", "cream", "color")


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value not in choices:
            return f"must be one of {', '.join(repr(c) for c in choices)}, not {value!r}"
        return None

    return check


def _caliper(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.001 < value < 0.01:
        return f"must be a sheet's thickness in inches per page such as 0.0025, not {value!r}"
    return None


# [print]: the printer the print edition is sent to, fields of model.PdfOptions too.
PRINT_OPTIONS: dict[str, Option] = {
    "printer": Option(
        False,
        _one_of(PRINTERS),
        '"kdp", "ingramspark" or "lulu": check the print PDF against that printer\'s rules and '
        'make the wrap-around cover; "generic" (default): no printer\'s rules, no cover.',
    ),
    "paper": Option(
        False,
        _one_of(PAPERS),
        '"white" (default), "cream" or "color": the paper, which sets the spine\'s width.',
    ),
    "caliper": Option(
        False,
        _caliper,
        "The paper's thickness in inches per page, when the printer quotes another than ours.",
    ),
}


TABLES: dict[str, dict[str, Option]] = {
    "book": BOOK_OPTIONS,
    "epub": EPUB_OPTIONS,
    "pdf": PDF_OPTIONS,
    "print": PRINT_OPTIONS,
}


def _kind(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)
