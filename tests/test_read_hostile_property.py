"""Generated whole inputs: file trees, book.toml, attribute lists and raw HTML (issue 17).

Whatever hypothesis makes, reading and converting end in a `PublishError` whose problems each
print as one `PATH:LINE: message`, or in chapters whose XHTML an XML parser accepts and whose
ids are unique XML names: never another exception, never a hang. `make test` runs a few dozen
examples of each; a long run sets PUBLISH_FUZZ_EXAMPLES (e.g. 5000) and nothing else.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from publish.convert.markdown import convert_book
from publish.errors import PublishError
from publish.read.book import load_book, skipped_files
from publish.read.config import load_config

EXAMPLES = int(os.environ.get("PUBLISH_FUZZ_EXAMPLES", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TOML = '[book]\ntitle = "Generated"\nauthors = ["Hypothesis"]\nlanguage = "en"\n'


def _is_ncname(name: str) -> bool:
    """An XML name without colons, as libxml2 (XML 1.0, fifth edition) reads one."""
    try:
        etree.Element(name)
    except ValueError:
        return False
    return ":" not in name


def _ends_well(folder: Path) -> list[str]:
    """Read and convert the book: the problems it ends with (none when it converts)."""
    try:
        book = convert_book(load_book(folder))
    except PublishError as error:
        assert error.problems
        lines = [str(found) for found in error.problems]
        for line in lines:
            line.encode("utf-8", "backslashreplace")  # what the CLI prints to stderr
            assert "\n" not in line.rstrip("\n")
        return lines
    ids: list[str] = []
    for chapter in book.chapters:
        root = etree.fromstring(
            '<div xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
            f"{chapter.html}</div>".encode()
        )
        ids += [element.get("id") for element in root.iter() if element.get("id") is not None]
    assert [i for i in ids if not _is_ncname(i)] == []
    assert len(ids) == len(set(ids))
    return []


# File trees ---------------------------------------------------------------------------------

NAMES = [
    "01.md",
    "02-two.md",
    ".draft.md",
    "#01.md#",
    "01.md~",
    ".01.md.swp",
    ".#01.md",
    "sub/03.md",
    "sub/deeper/04.md",
    unicodedata.normalize("NFC", "café.md"),
    unicodedata.normalize("NFD", "café.md"),
    "CAFÉ.md",
    "01.MD",
    "a b.md",
    "x#y.md",
    "%2e%2e.md",
    ".md",
    "..md",
    "\u202eevil.md",
    "\u200b.md",
    "-.md",
    "x" * 200 + ".md",
    "\udcff.md",  # a name that is not UTF-8 (bytes 0xff), as os.fsdecode gives it
    "images/pic.png",
    "images/pic.jpg",
]
KINDS = [
    "text",
    "empty",
    "blank",
    "huge",
    "binary",
    "utf16",
    "self-link",
    "sibling-link",
    "outside-link",
    "parent-link",
    "dangling-link",
    "folder",
    "fifo",
]
TEXTS = st.sampled_from(
    [
        "# Title\n\nText.\n",
        "# Title {#1 bad id}\n\n## 123\n",
        "# ...\n\n![a](images/pic.jpg)\n",
        "# T\n\n[x](sub/03.md) [y](café.md)\n",
        "no heading at all\n",
    ]
)


def _make(folder: Path, name: str, kind: str, text: str) -> None:
    path = folder / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            return
        if kind == "text":
            path.write_text(text, encoding="utf-8", errors="surrogateescape")
        elif kind == "empty":
            path.write_bytes(b"")
        elif kind == "blank":
            path.write_bytes(b" \n\t\n")
        elif kind == "huge":
            with path.open("wb") as stream:
                stream.truncate(60 * 1024 * 1024)  # sparse: larger than any limit, no disk
        elif kind == "binary":
            path.write_bytes(bytes(range(256)) * 4)
        elif kind == "utf16":
            path.write_bytes(text.encode("utf-16-le"))
        elif kind == "self-link":
            path.symlink_to(path.name)
        elif kind == "sibling-link":
            path.symlink_to("01.md")
        elif kind == "outside-link":
            path.symlink_to("/etc/passwd")
        elif kind == "parent-link":
            path.symlink_to("..")
        elif kind == "dangling-link":
            path.symlink_to("nowhere.md")
        elif kind == "folder":
            path.mkdir()
        elif kind == "fifo":
            os.mkfifo(path)
    except (OSError, UnicodeEncodeError):
        pass  # a name this file system refuses


TREE = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(KINDS), TEXTS), min_size=1, max_size=8
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(
    tree=TREE,
    listed=st.one_of(st.none(), st.lists(st.sampled_from(NAMES), max_size=4)),
)
def test_any_file_tree_ends_in_chapters_or_messages(
    scratch: Path, tree: list[tuple[str, str, str]], listed: list[str] | None
) -> None:
    folder = scratch / "tree"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    toml = TOML
    if listed is not None:
        names = ", ".join(_toml_string(name) for name in listed)
        toml = toml + f"chapters = [{names}]\n"
    (folder / "book.toml").write_text(toml, encoding="utf-8", errors="surrogateescape")
    for name, kind, text in tree:
        _make(folder, name, kind, text)
    _ends_well(folder)
    skipped_files(folder)


# book.toml ----------------------------------------------------------------------------------

KEYS = ["title", "subtitle", "authors", "language", "identifier", "date", "publisher", "rights"]
KEYS += ["description", "notice", "cover", "chapters", "trim", "variant", "bleed", "crop-marks"]
KEYS += ["standard", "color-profile", "embed-fonts", "x", "title ", "", "é", "a.b"]
TABLES = ["book", "pdf", "epub", "pdff", "book.sub", "", "[book]"]
STRINGS = st.one_of(
    st.sampled_from(["en", "", " ", "6x9in", "a5", "print", "screen", "pdf/x-4", "01.md"]),
    st.text(max_size=20),
    st.text(min_size=1, max_size=3).map(lambda t: t * 20_000),  # huge
)
SCALARS = st.one_of(
    STRINGS,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, datetime.UTC])),
    st.times(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=8,
)


def _toml_string(text: str) -> str:
    escaped = "".join(
        c
        if c.isprintable() and c not in '"\\' and not 0xD800 <= ord(c) <= 0xDFFF
        else f"\\u{ord(c):04x}"
        if ord(c) <= 0xFFFF
        else f"\\U{ord(c):08x}"
        for c in text
    )
    return f'"{escaped}"'


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    if isinstance(value, dict):
        pairs = (f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return str(value)


BOOK_TOML = st.lists(
    st.tuples(
        st.sampled_from(TABLES),
        st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=5),
    ),
    max_size=4,
).map(
    lambda tables: "".join(
        (f"[{table}]\n" if table else "")
        + "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in pairs)
        for table, pairs in tables
    )
)
NESTED = st.tuples(
    st.sampled_from(["[", "{a = ", "[{a = "]), st.integers(min_value=1, max_value=5000)
).map(lambda shape: "x = " + shape[0] * shape[1] + "1" + "]" * shape[1])


@FUZZ
@given(
    toml=st.one_of(BOOK_TOML, BOOK_TOML.map(lambda t: TOML + t), NESTED.map(lambda t: TOML + t)),
    garbage=st.one_of(st.just(b""), st.binary(max_size=20)),
)
def test_any_book_toml_ends_in_a_config_or_messages(
    scratch: Path, toml: str, garbage: bytes
) -> None:
    folder = scratch / "toml"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "book.toml").write_bytes(toml.encode("utf-8", "surrogatepass") + garbage)
    (folder / "01.md").write_text("# One\n\nText.\n", encoding="utf-8")
    try:
        load_config(folder)
    except PublishError as error:
        assert error.problems
        for found in error.problems:
            str(found).encode("utf-8", "backslashreplace")
        return
    _ends_well(folder)


# Attribute lists and raw HTML ------------------------------------------------------------------

TOKENS = ["#1", "#a", "#", "#a:b", "#é", ".c", ".", "id", "id=", 'id="a b"', "id=''", "bad"]
TOKENS += ["=x", 'title="t"', "title", "lang=!!", "onclick=x", "{", "}", ":", '"', "'", "#123"]
ATTRIBUTE_TOKENS = st.sampled_from(TOKENS)
ATTRIBUTE_LIST = st.lists(ATTRIBUTE_TOKENS, max_size=5).map(lambda t: "{" + " ".join(t) + "}")
TAGS = st.sampled_from(["h2", "h3", "p", "span", "a", "div", "img", "section", "li", "td"])
ID_VALUES = st.one_of(
    st.sampled_from(["", " ", "1", "a b", "a:b", "é", "-", "x", "x", "chapter-01"]),
    st.text(max_size=6),
)
RAW = st.tuples(TAGS, ID_VALUES, st.text(max_size=8)).map(
    lambda t: f'<{t[0]} id="{t[1].replace(chr(34), "")}">{t[2]}</{t[0]}>'
)
LINE = st.one_of(
    st.tuples(st.sampled_from(["## ", "# ", "### ", ""]), st.text(max_size=8), ATTRIBUTE_LIST).map(
        "".join
    ),
    st.tuples(st.text(max_size=8), ATTRIBUTE_LIST).map(lambda t: f"{t[0]}\n{t[1]}"),
    RAW,
    st.sampled_from(["## 123", "## ...", "## -", "[x](#123)", "[y](#a:b)", "## Title {#1 bad id}"]),
)


@FUZZ
@given(lines=st.lists(LINE, max_size=8), second=st.lists(LINE, max_size=4))
def test_any_attribute_list_or_raw_id_gives_unique_xml_ids(
    scratch: Path, lines: list[str], second: list[str]
) -> None:
    folder = scratch / "attrs"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "book.toml").write_text(TOML, encoding="utf-8")
    for name, body in [("01.md", lines), ("02.md", second)]:
        text = "# Start\n\n" + "\n\n".join(body) + "\n"
        (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    _ends_well(folder)
