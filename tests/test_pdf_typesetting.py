"""Print typesetting (issue 16): hyphenation by locale and restrained, measured on real PDFs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pyphen
import pytest
from lxml import html

from publish.pdf.hyphenation import hyphenation_language, restrain_hyphens
from publish.pdf.paper import links_on_paper, mark_for_paper
from typesetting import measure


@pytest.mark.parametrize(
    ("language", "patterns"),
    [
        ("en", "en-US"),
        ("en-US", "en-US"),
        ("en-GB", "en-GB"),
        ("fr", "fr"),
        ("pt-BR", "pt-BR"),
        ("ja", None),  # pyphen has no patterns: the text is not hyphenated
        ("tr", None),
    ],
)
def test_hyphenation_language(language: str, patterns: str | None) -> None:
    assert hyphenation_language(language) == patterns


def test_last_words_are_kept_whole_and_the_text_is_unchanged() -> None:
    source = (
        "<p>The <em>Mitragyna</em> plant grows in Indonesia, <code>Thailand</code> and"
        '<span class="footnote-text" id="fn-1">A note on Borneo.</span> elsewhere.</p>'
        "<p>It was not\u00adwith\u00adstanding.</p><h2>Headings Untouched</h2>"
        "<p>Halvard ran.</p>"  # a block's first word: see restrain_hyphens
    )
    tree = html.fragment_fromstring(source, create_parent="div")
    restrain_hyphens(tree)
    kept = [span.text for span in tree.iter("span") if span.get("class") == "nohyphen"]
    assert kept == ["Borneo", "elsewhere", "not\u00adwith\u00adstanding"]
    original = html.fragment_fromstring(source, create_parent="div")
    assert tree.text_content() == original.text_content()


def test_hyphenate_false_leaves_the_print_html_alone(tmp_path: Path) -> None:
    from publish.build.pipeline import build_time
    from publish.convert import convert_book
    from publish.pdf import make_print_html
    from publish.read import load_book

    book_dir = tmp_path / "book"
    book_dir.mkdir()
    (book_dir / "book.toml").write_text(
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n[pdf]\nhyphenate = false\n'
    )
    (book_dir / "01.md").write_text("# One\n\nWords of Indonesia here.\n")
    book = convert_book(load_book(book_dir))
    document = make_print_html(book, build_time())
    assert "nohyphen" not in document
    assert '<body class="unhyphenated">' in document


def test_names_are_never_broken_while_laying_out() -> None:
    from weasyprint import HTML

    from publish.pdf.hyphenation import names_kept_whole

    def first_line(word: str) -> str:
        page = f'<p lang="en-US" style="width: 9em; hyphens: auto">Some words {word} end</p>'
        with names_kept_whole():
            document = HTML(string=page).render()
        line = document.pages[0]._page_box.descendants()
        return next(box for box in line if type(box).__name__ == "LineBox").children[0].text

    assert first_line("extraordinarily").endswith("\u2010")  # broken: extraor-dinarily
    assert first_line("Extraordinarily") == "Some words"  # a name moves to the next line whole


def _breaks(pdf: Path, source: str) -> list[tuple[str, str]]:
    """Each word WeasyPrint hyphenated at a line's end: (first part, whole word)."""
    result = measure(pdf)
    words = []
    for part, rest in result.broken_words:
        head = part.rstrip("-")
        whole = head + re.match(r"[^\W\d_]*", rest)[0]  # type: ignore[index]
        if not head.isalpha() or f"{head}-{rest}" in source or not whole.isalpha():
            continue  # a hard hyphen: "pain-relieving"
        words.append((head, whole))
    return words


def test_the_manuscript_is_hyphenated_the_american_way_and_with_restraint(build_once) -> None:
    built = build_once("manuscript")
    pdf = built.pdf
    source = "\n".join(path.read_text() for path in sorted(built.source.glob("*.md")))
    american = pyphen.Pyphen(lang="en_US", left=3, right=3)
    breaks = _breaks(pdf, source)
    assert len(breaks) > 10
    for head, whole in breaks:
        assert not whole[0].isupper(), f"a capitalised word broken: {head}-"
        assert len(head) in american.positions(whole), f"not an American break: {head}-"
    result = measure(pdf)
    assert result.hyphens_in_a_row <= 2
    assert result.page_turn_splits == []


def test_urls_break_after_punctuation_never_in_the_scheme() -> None:
    tree = html.fragment_fromstring(
        '<p><a href="https://www.example.org/a-b?x=1&amp;y=2">'
        "https://www.example.org/a-b?x=1&amp;y=2</a> <a href='https://x.org/'>words</a></p>",
        create_parent="div",
    )
    mark_for_paper(tree)
    url, words = tree.iter("a")
    pieces = [url.text] + [wbr.tail for wbr in url]
    assert pieces == ["https://www.", "example.", "org/", "a-", "b?", "x=", "1&", "y=", "2"]
    assert len(words) == 0  # a link's words are not a URL: no break added


def test_short_inline_code_is_not_stretched_and_reading_lists_are_ragged() -> None:
    tree = html.fragment_fromstring(
        "<p>Use <code>x + 1</code> or <code>print()</code>.</p><pre><code>a b</code></pre>"
        '<ul><li><a href="https://a.org/">A</a></li><li>B <a href="http://b.org/">b</a></li>'
        "<li>C</li></ul><ul><li>one</li><li>two</li></ul>",
        create_parent="div",
    )
    mark_for_paper(tree)
    assert [code.get("class") for code in tree.iter("code")] == ["unstretched", None, None]
    assert [ul.get("class") for ul in tree.iter("ul")] == ["link-list", None]


def test_reading_list_urls_read_back_whole(build_once) -> None:
    built = build_once("manuscript")
    text = subprocess.run(
        ["pdftotext", "-raw", str(built.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    joined = re.sub(r"\n", "", text)
    for url in ["https://www.drugabuse.gov/", "https://www.medicalnewstoday.com/"]:
        assert url in joined
    assert "https://\n" not in text  # never broken right after the scheme


def test_links_on_paper_say_their_url_or_their_page() -> None:
    tree = html.fragment_fromstring(
        '<p>See <a href="https://example.org/guide">the guide</a>, <a href="#ch2">Chapter 2</a>'
        ' and <a href="https://example.org/">https://example.org/</a>.'
        '<span class="footnote-text" id="fn-1">A <a href="https://a.org/x">source</a>.</span>'
        '<a class="noteref" href="#fn-1">1</a></p><h2><a href="https://b.org/">Title</a></h2>',
        create_parent="div",
    )
    links_on_paper(tree, "chapter-01")
    notes = [note for note in tree.iter("span") if note.get("class") == "footnote-text"]
    assert [(note.get("id"), note.text_content()) for note in notes] == [
        ("chapter-01-url-1", "https://example.org/guide"),
        ("fn-1", "A source (https://a.org/x)."),  # a note has no notes: in parentheses
    ]
    assert notes[0].getprevious().text == "the guide"
    assert notes[0].tail == ", "
    assert [a.get("class") for a in tree.iter("a") if a.get("href", "").startswith("#")] == [
        "xref",
        "noteref",
    ]


def test_the_screen_edition_keeps_links_only(build_once) -> None:
    from publish.build.pipeline import build_time
    from publish.convert import convert_book
    from publish.pdf import make_print_html
    from publish.read import load_book

    book = convert_book(load_book(build_once("features").source))
    on_paper = make_print_html(book, build_time(), "print")
    on_screen = make_print_html(book, build_time(), "screen")
    assert 'class="xref"' in on_paper and "url-shown" in on_paper
    assert 'class="xref"' not in on_screen and "url-shown" not in on_screen


def test_cross_references_print_their_page(build_once) -> None:
    text = subprocess.run(
        ["pdftotext", "-raw", str(build_once("features").pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "a table (page 4)" in " ".join(text.split())
    assert "(https://example.org/)" in text
