"""Generated code blocks at random depths come out character for character.

Hypothesis writes code with what Markdown, HTML and templates treat specially (`<`, `>`, `&`, `#`,
backticks, quotes, `{{ }}`, tabs) and puts each block in quotations and list items nested at
random. What is compared: each `<pre>`'s text in the chapter XHTML with the code as written, its
tabs expanded to stops of four columns from the code's own left edge (a line holding only spaces
is left empty, as Markdown leaves it; blank lines at a block's start and end are not kept).
A few examples go through the PDF too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree

from publish.build.pipeline import build_book
from publish.convert.markdown import convert_book
from publish.read.book import load_book

TOML = '[book]\ntitle = "Generated"\nauthors = ["Hypothesis"]\nlanguage = "en"\n'
PIECES = ["<", ">", "&", "#", "`", "```", "~~~", '"', "'", "{{ x }}", "\t", "  ", " ", "-", "*"]
PIECES += ["<T>", "</p>", "&amp;", "# h", "> q", "- i", "1. n", "x", "é", "中", "\\", "$@", "[^1]"]
LINE = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
# Blank lines at the start and end of a block are not kept (Pygments drops them, as most
# renderers do): the generated code starts and ends with a line of text.
CODE = st.lists(LINE, min_size=1, max_size=5).filter(lambda c: c[0].strip() and c[-1].strip())
LANGUAGE = st.sampled_from(
    ["", "python", "rust,ignore", "{.c .numberLines}", "nosuch", "html", ' js title="a.js"']
)
BLOCK = st.tuples(CODE, LANGUAGE, st.integers(0, 2), st.integers(0, 2), st.sampled_from("~`"))
SETTINGS = dict(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def chapter(blocks: list[tuple[list[str], str, int, int, str]]) -> tuple[str, list[str]]:
    """The chapter's Markdown and each block's expected text."""
    parts, expected = ["# Code\n"], []
    for code, language, quotes, lists, mark in blocks:
        quote = "> " * quotes
        lines = [quote.rstrip() if quotes else ""]
        for depth in range(lists):
            lines += [f"{quote}{'    ' * depth}- item", quote.rstrip()]
        indent = quote + "    " * lists
        longest = max((len(run) for run in re.findall(f"{mark}+", "".join(code))), default=0)
        fence = mark * max(3, longest + 1)  # longer than any run of its kind in the code
        lines.append(f"{indent}{fence}{language}")
        lines += [indent + line for line in code]
        lines += [f"{indent}{fence}", "", "Text.", ""]
        parts.append("\n".join(lines))
        expected.append(
            "".join(
                ("" if not line.expandtabs(4).strip(" ") else line.expandtabs(4)) + "\n"
                for line in code
            )
        )
    return "\n".join(parts), expected


def pre_texts(fragment: str) -> list[str]:
    root = etree.fromstring(f"<div>{fragment}</div>".encode())
    return ["".join(pre.itertext()) for pre in root.iter("pre")]


def write_book(folder: Path, text: str) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "book.toml").write_text(TOML, encoding="utf-8")
    (folder / "01.md").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("code")


@settings(max_examples=30, **SETTINGS)
@given(blocks=st.lists(BLOCK, min_size=1, max_size=4))
def test_generated_code_is_kept_exactly(scratch: Path, blocks) -> None:
    text, expected = chapter(blocks)
    book = convert_book(load_book(write_book(scratch / "book", text)))
    assert pre_texts(book.chapters[0].html) == expected


@settings(max_examples=2, phases=[Phase.generate], **SETTINGS)
@given(blocks=st.lists(BLOCK, min_size=1, max_size=3))
def test_generated_code_is_kept_in_both_editions(scratch: Path, blocks) -> None:
    text, expected = chapter(blocks)
    folder = write_book(scratch / "both", text)
    outputs = {o.format: o.path for o in build_book(folder, scratch / "both-dist")}
    with zipfile.ZipFile(outputs["epub"]) as archive:
        page = archive.read("EPUB/01.xhtml").decode()
    body = page[page.index("<body") : page.rindex("</body>")]
    xhtml = re.sub(r'xmlns(:\w+)?="[^"]*"', "", body[body.index(">") + 1 :])
    assert pre_texts(re.sub(r"\s(epub:type)=", " data-t=", xhtml)) == expected
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", str(outputs["pdf"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # pdftotext drops indentation and breaks lines where the PDF wraps them: compare the code
    # with all white space taken out, in order.
    squeezed, pattern = re.sub(r"\s+", "", pdf_text), []
    for block, (_, language, *_) in zip(expected, blocks, strict=True):
        lines = block.splitlines()
        if "numberLines" in language:  # the numbers the style sheet shows before each line
            lines = [f"{number}{line}" for number, line in enumerate(lines, start=1)]
        pattern.append(re.escape(re.sub(r"\s+", "", "".join(lines))))
    assert re.search(".*?".join(pattern), squeezed, re.DOTALL), expected
