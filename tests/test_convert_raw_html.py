"""Raw HTML that is no threat is unwrapped, not thrown away; every message is at its lines.

mdBook's `<Listing>`, MDX's `<Note>` and the obsolete `<center>` lose their tags and keep their
content; scripts, frames, objects, forms, handlers and active URLs are removed as before. Each
kind is one warning per chapter, at its first line, with the count and every line when the
author wrote it more than once; markup inside fenced code is never taken for the place.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml.etree import fromstring

from publish.convert.markdown import convert_book
from publish.read.book import load_book

TOML = '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n'
REASON = "a book keeps no scripts, frames, forms or active links"
CHAPTER = """\
# Raw

<Listing number="1-1" file-name="src/main.rs">

```html
<script>in code, not raw HTML</script> <Listing>
```

</Listing>

<center>Centred</center> and <Note>a note</Note>, with Vec<T> and a < b.

<script>first()</script>

<Listing number="1-2">A second listing.</Listing> <b onclick="x()">b</b> <i onclick="y()">i</i>

<SCRIPT>second()</SCRIPT>
"""


@pytest.fixture
def converted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> tuple[str, list[str]]:
    book = tmp_path / "book"
    book.mkdir()
    (book / "book.toml").write_text(TOML, encoding="utf-8")
    (book / "01.md").write_text(CHAPTER, encoding="utf-8")
    with caplog.at_level("WARNING", logger="publish"):
        html = convert_book(load_book(book)).chapters[0].html
    return html, [r.getMessage().split("01.md:", 1)[1] for r in caplog.records]


def test_each_kind_once_at_its_first_line_with_the_count_and_every_line(converted) -> None:
    _, messages = converted
    assert messages == [
        f"13: removed <script> from raw HTML 2 times (lines 13, 17): {REASON}",
        f"15: removed onclick= from raw HTML 2 times (line 15): {REASON}",
        "3: unknown element <Listing> unwrapped 2 times (lines 3, 15); its content is kept",
        "11: unknown element <center> unwrapped; its content is kept",
        "11: unknown element <Note> unwrapped; its content is kept",
    ]


def test_unwrapped_elements_keep_their_content(converted) -> None:
    html, _ = converted
    assert "Centred" in html and "a note" in html and "A second listing." in html
    assert "<listing" not in html.lower() and "<note" not in html.lower()
    assert "<p></p>" not in html  # the paragraphs that held only a tag are gone
    code = "".join(fromstring(f"<div>{html}</div>").find(".//pre").itertext())
    assert code == "<script>in code, not raw HTML</script> <Listing>\n"


def test_angle_brackets_that_are_not_html_stay_text(converted) -> None:
    html, _ = converted
    assert "with Vec&lt;T&gt; and a &lt; b." in html


def test_headings_without_text_are_found_at_their_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "book.toml").write_text(TOML, encoding="utf-8")
    text = "# Title\n\n##\n\nText.\n\n<h3></h3>\n\n```\n##\n```\n"
    (book / "01.md").write_text(text, encoding="utf-8")
    with caplog.at_level("WARNING", logger="publish"):
        convert_book(load_book(book))
    assert [r.getMessage().split("01.md:", 1)[1] for r in caplog.records] == [
        "3: removed 2 headings without text (lines 3, 7); the contents need a few words for each"
    ]
