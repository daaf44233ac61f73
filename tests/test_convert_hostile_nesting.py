"""Markup that parses but breaks EPUB's content models is repaired, keeping every word.

(`tests/books/hostile-active/05-broken-markup.md` shows the same through EPUBCheck: without these
repairs it reports twenty errors.)
"""

from __future__ import annotations

import pytest
from lxml import html

from publish.convert.markdown import serialize
from publish.convert.nesting import with_valid_nesting


def _as_converted(fragment: str) -> str:
    """The fragment as the convert stage reads it back (with lxml, as the repair did)."""
    return serialize(html.fragment_fromstring(fragment, create_parent="div"))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<b><div>block</div></b>", "<b>block</b>"),
        ("<p><a href='#x'><div>block</div></a></p>", '<p><a href="#x">block</a></p>'),
        (
            "<ul>loose<p>para</p><li>ok</li>tail</ul>",
            "<ul><li>loose<p>para</p></li><li>ok</li><li>tail</li></ul>",
        ),
        ("<dl>loose</dl>", "<dl><dt></dt><dd>loose</dd></dl>"),
        ("<dl><dd>d</dd><dt>t</dt></dl>", "<dl><dt></dt><dd>d</dd><dt>t</dt><dd></dd></dl>"),
        ("<div><li>orphan</li></div>", "<div>orphan</div>"),
        ('<a href="#x">a<a href="#y">b</a></a>', '<a href="#x">a</a><a href="#y">b</a>'),
        ("<div><figcaption>c</figcaption></div>", "<div>c</div>"),
        (
            "<ruby>漢<rt>kan</rt></ruby><span><rt>x</rt></span>",
            "<ruby>漢<rt>kan</rt></ruby><span>x</span>",
        ),
        ("<h2></h2><p>text</p>", "<p>text</p>"),
    ],
)
def test_misnested_markup_is_repaired(before: str, after: str) -> None:
    assert _as_converted(with_valid_nesting(before)[0]) == after


def test_valid_markup_is_returned_untouched() -> None:
    fragment = '<h1 id="t">T</h1>\n<dl>\n<dt>a</dt>\n<dd>b</dd>\n</dl>\n'
    fragment += '<figure><img src="x.png" alt=""/><figcaption>c</figcaption></figure>'
    assert with_valid_nesting(fragment) == (fragment, 0)
