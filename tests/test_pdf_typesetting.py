"""Print typesetting (issue 16): hyphenation by locale and restrained, measured on real PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pyphen
import pytest
from lxml import html

from publish.pdf.hyphenation import hyphenation_language, restrain_hyphens
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


def test_names_and_last_words_are_kept_whole_and_the_text_is_unchanged() -> None:
    source = (
        "<p>The <em>Mitragyna</em> plant grows in Indonesia, <code>Thailand</code> and"
        '<span class="footnote-text" id="fn-1">A note on Borneo.</span> elsewhere.</p>'
        "<p>Not\u00adwith\u00adstanding.</p><h2>Headings Untouched</h2>"
    )
    tree = html.fragment_fromstring(source, create_parent="div")
    restrain_hyphens(tree)
    kept = [span.text for span in tree.iter("span") if span.get("class") == "nohyphen"]
    assert kept == ["Mitragyna", "Indonesia", "Borneo", "elsewhere", "Not\u00adwith\u00adstanding"]
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
