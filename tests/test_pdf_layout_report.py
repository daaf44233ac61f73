"""The layout QA report: each check against a page crafted to trigger it, and the whole build."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from publish.build.pipeline import build_book
from publish.errors import StrictError
from publish.pdf.fonts import book_faces
from publish.pdf.report import Finding, inspect_pages
from publish.pdf.templates import render

# A small page of exactly ten 20px lines, in the book's fonts, where the CSS of each case
# may switch off the rule that would otherwise prevent what it tests.
PAGE_CSS = """
@page { size: 300px 200px; margin: 0; }
html { font-family: "Source Serif Pro"; font-size: 12px; line-height: 20px; }
body { margin: 0; }
p { margin: 0; widows: 1; orphans: 1; }
.spacer { margin: 0; }
"""

WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor"


def findings_of(body: str, css: str = "", **options) -> list[Finding]:
    font_config = FontConfiguration()
    stylesheets = [
        CSS(
            string=render(
                "partials/font-faces.css", faces=[(f, f.path.as_uri()) for f in book_faces()]
            ),
            font_config=font_config,
        ),
        CSS(string=PAGE_CSS + css, font_config=font_config),
    ]
    document = HTML(string=f'<html lang="en"><body>{body}</body></html>').render(
        stylesheets=stylesheets, font_config=font_config
    )
    return inspect_pages(document.pages, **options)


def lines(count: int, words: str = WORDS) -> str:
    """A paragraph of about `count` lines on the 300px page."""
    return " ".join([words] * count * 1)


def ladder(compounds: int) -> str:
    words = " ".join(["blue-green"] * compounds)
    return f'<p style="width: 65px; text-align: left">x {words}</p>'


def chapter(body: str) -> str:
    return f'<section class="chapter" id="chapter-x">{body}</section>'


def spacer(pixels: int) -> str:
    return f'<div class="spacer" style="height: {pixels}px"></div>'


def messages(findings: list[Finding]) -> list[str]:
    return [f"{finding.page}: {finding.message}" for finding in findings]


def test_a_clean_page_has_no_findings() -> None:
    assert findings_of(chapter(f"<p>{lines(3)}</p>")) == []


def test_orphan_the_first_line_alone_at_the_foot() -> None:
    found = findings_of(chapter(spacer(180) + f"<p>{lines(4)}</p>"))
    assert messages(found) == ['0: orphan "lorem ipsum dolor sit amet consectetur…"']
    assert found[0].chapter_id == "chapter-x"


def test_widow_the_last_line_alone_at_the_top() -> None:
    found = findings_of(chapter(spacer(120) + f"<p>{lines(3)} closing words here.</p>"))
    assert [f.page for f in found] == [1]
    assert found[0].message.startswith('widow "…') and found[0].message.endswith('here."')


def test_heading_at_the_foot_of_a_page() -> None:
    body = spacer(180) + "<h2>Stranded</h2>" + f"<p>{lines(2)}</p>"
    css = "h2 { margin: 0; font-size: 12px; line-height: 20px; break-after: auto; }"
    found = findings_of(chapter(body), css)
    assert messages(found) == ['0: heading at the foot of the page: "Stranded"']


def test_overfull_line_a_word_wider_than_its_column() -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
    found = findings_of(chapter(f"<p>A {word} in the text.</p>"), "p { hyphens: none; }")
    assert len(found) == 1
    assert found[0].message.startswith("overfull line, ")
    assert word[:20] in found[0].message


def test_table_wider_than_the_text_block() -> None:
    row = "".join(f"<td>{'x' * 20}</td>" for _ in range(5))
    found = findings_of(chapter(f"<table><tr>{row}</tr></table>"))
    assert any("table" in f.message and "wider than the text block" in f.message for f in found)


def test_more_than_two_hyphenated_lines_in_a_row() -> None:
    # In this narrow column every line ends at the hard hyphen of a compound: x blue- / green blue-
    found = findings_of(chapter(ladder(8)))
    assert messages(found) == ['0: 8 hyphenated lines in a row from "x blue-"']
    found = findings_of(chapter(ladder(3)))
    assert messages(found) == ['0: 3 hyphenated lines in a row from "x blue-"']


def test_two_hyphenated_lines_are_allowed() -> None:
    assert findings_of(chapter(ladder(2))) == []


def test_page_less_than_a_third_full_inside_a_chapter() -> None:
    body = "<p>One short line.</p>" + f'<p style="break-before: page">{lines(2)}</p>'
    found = findings_of(chapter(body))
    assert messages(found) == ["0: page only 10% full inside its chapter"]  # one line in ten


def test_a_chapters_last_page_may_be_short() -> None:
    body = chapter(f"<p>{lines(12)} end.</p>") + chapter("<p>Next chapter.</p>").replace(
        "chapter-x", "chapter-y"
    )
    found = findings_of(body, ".chapter { break-before: page; } p { widows: 2; orphans: 2; }")
    assert found == []


def test_text_in_a_fallback_font_or_with_no_glyph() -> None:
    found = findings_of(chapter("<p>A snowman \u2603 in the text.</p>"))
    assert len(found) == 1
    assert "\u2603" in found[0].message
    assert "fallback font" in found[0].message or "no glyph" in found[0].message


def test_image_shrunk_below_its_own_size(tmp_path: Path) -> None:
    image = tmp_path / "wide.png"
    Image.new("RGB", (600, 100), "navy").save(image, dpi=(96, 96))
    body = chapter(f'<img src="{image.as_uri()}" style="width: 100%">')
    found = findings_of(
        body, intended_width=lambda src: 600.0 if src.endswith("wide.png") else None
    )
    assert len(found) == 1
    assert found[0].message.startswith(f"image {image.as_uri()} shrunk to 50% of its size")
    assert findings_of(body) == []  # an image that says nothing of its size is not judged


def _png(width: int, height: int, dpi: int) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(data, format="PNG", dpi=(dpi, dpi))
    return data.getvalue()


@pytest.fixture(scope="module")
def bad_layout_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A manuscript whose layout goes wrong twice: a too-large image and a stranded heading."""
    folder = tmp_path_factory.mktemp("bad-layout")
    (folder / "book.toml").write_text(
        '[book]\ntitle = "Bad Layout"\nauthors = ["Ada Writer"]\nlanguage = "en"\n',
        encoding="utf-8",
    )
    (folder / "diagram.png").write_bytes(_png(1800, 300, 150))  # 12 in wide, drawn 4.5 in
    (folder / "01-only.md").write_text(
        "# Only Chapter\n\nSome text before the figure.\n\n"
        '![A wide diagram](diagram.png "A diagram made too wide")\n\nSome text after it.\n',
        encoding="utf-8",
    )
    return folder


def test_findings_are_warnings_naming_chapter_line_and_page(
    bad_layout_book: Path, tmp_path
) -> None:
    with pytest.raises(StrictError) as raised:
        build_book(bad_layout_book, tmp_path, ["pdf"], strict=True)
    assert list(tmp_path.iterdir()) == []  # nothing written
    [found] = raised.value.problems
    assert found.path.endswith("01-only.md")
    assert found.line == 5
    assert found.message.startswith("page 1: image diagram.png shrunk to 38% of its size")


def test_a_code_block_that_wraps_at_a_space_is_not_overfull() -> None:
    # The space where a long code line wraps hangs past the column, as CSS has it: no finding.
    css = 'pre { white-space: pre-wrap; font-family: "IBM Plex Mono"; font-size: 10px; }'
    code = "int main(int argc) {     return do_it(argc, some_other_long_argument, and_another); }"
    assert findings_of(chapter(f"<pre>{code}</pre>"), css) == []


def test_a_code_line_that_cannot_wrap_is_still_overfull() -> None:
    css = 'pre { white-space: pre-wrap; font-family: "IBM Plex Mono"; font-size: 10px; }'
    found = findings_of(chapter(f"<pre>x = {'y' * 80}</pre>"), css)
    assert [f.message.split(",")[0] for f in found] == ["overfull line"]


def test_a_fallback_character_is_reported_once_where_it_first_stands() -> None:
    body = f"<p>A snowman \u2603 here.</p><p>{lines(12)}</p><p>Another \u2603\u2603 snowman.</p>"
    found = findings_of(chapter(body), "p { widows: 2; orphans: 2 }")
    fonts = [f for f in found if "\u2603" in f.message]
    assert [(f.page, f.text) for f in fonts] == [(0, "A snowman \u2603 here.")]


def test_image_resolution_as_drawn(tmp_path: Path) -> None:
    image = tmp_path / "coarse.png"
    Image.new("RGB", (600, 100), "navy").save(image)
    body = chapter(f'<img src="{image.as_uri()}" style="width: 288px">')  # 3 in: 200 ppi

    def pixels(src: str) -> int | None:
        return 600 if src.endswith("coarse.png") else None

    found = findings_of(body, pixel_width=pixels)
    assert messages(found) == [
        f"0: image {image.as_uri()} prints at 200 ppi (600 px across 3.00 in), under 300 ppi "
        "it looks soft or stepped on paper; use a file 900 px wide or more, or give it a "
        "resolution that draws it smaller"
    ]
    assert findings_of(body, pixel_width=pixels, least_ppi=150) == []  # fine on a screen
    wide = chapter(f'<img src="{image.as_uri()}" style="width: 576px">')  # 6 in: 100 ppi
    assert len(findings_of(wide, pixel_width=pixels, least_ppi=150)) == 1


def test_a_note_away_from_its_calls_page_is_found() -> None:
    from publish.pdf.report_notes import note_findings

    css = ".footnote-text { float: footnote; } ::footnote-call { content: none; }"
    note = " ".join(["A long note that cannot fit below its call."] * 6)
    body = chapter(
        f"<p>{lines(9)}</p><p>Cited here"
        '<a class="footnote-call" href="#fn-late">1</a>'
        f'<span class="footnote-text" id="fn-late">{note}</span> at the foot.</p>'
    )
    font_config = FontConfiguration()
    document = HTML(string=f'<html lang="en"><body>{body}</body></html>').render(
        stylesheets=[CSS(string=PAGE_CSS + css, font_config=font_config)], font_config=font_config
    )
    found = note_findings(document.pages, ["1", "2", "3", "4"])
    assert [(f.page, f.message, f.text) for f in found] == [
        (
            1,
            "note 1 is printed on page 3, away from its call on page 2: shorten the note or "
            "the paragraph before its call",
            "[^late]",
        )
    ]
