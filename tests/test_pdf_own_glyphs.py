"""No system font for our own styling (markers, keys, SVG labels); a pip fallback for the rest."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lxml import etree

from conftest import warnings_logged
from publish.build.pipeline import build_book
from publish.pdf.svg_fonts import book_family, with_book_fonts

BOOK = Path(__file__).resolve().parent / "books" / "own-glyphs"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The fixture's PDF, and every warning the build logged."""
    with warnings_logged() as records, pytest.MonkeyPatch.context() as patch:
        patch.chdir(BOOK.parents[2])
        patch.setenv("SOURCE_DATE_EPOCH", "1764000000")
        (output,) = build_book(BOOK, tmp_path_factory.mktemp("own-glyphs"), ["pdf"])
    return output.path, records


def test_only_the_books_fonts_and_the_pip_fallback_are_embedded(built) -> None:
    pdf, _ = built
    lines = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    names = {line.split()[0].split("+", 1)[1] for line in lines}
    # Before: DejaVu Sans for the nested lists' ◦ and ▪, DejaVu Sans Mono for <kbd> and <samp>,
    # Nimbus Sans and DejaVu for the SVG's labels.
    assert names == {"Source-Serif-Pro", "Source-Serif-Pro-Italic", "IBM-Plex-Mono", "Noto-Serif"}


def test_the_fallback_is_reported_once_per_character_with_its_line(built) -> None:
    _, warnings = built
    path = "tests/books/own-glyphs/01-glyphs.md"
    assert warnings == [
        f'{path}:19: page 2: "ɛ" set in the fallback font Noto Serif, not the book\'s',
        f'{path}:19: page 2: "\u026a" set in the fallback font Noto Serif, not the book\'s',
    ]


@pytest.mark.parametrize(
    ("named", "ours"),
    [
        ("Arial, Helvetica, sans-serif", "Source Serif Pro"),
        ("'Courier New', monospace", "IBM Plex Mono"),
        ("Consolas", "IBM Plex Mono"),
        ("serif", "Source Serif Pro"),
        ("Arial, 'IBM Plex Mono'", "IBM Plex Mono"),
    ],
)
def test_an_svg_family_becomes_one_of_the_books(named: str, ours: str) -> None:
    assert book_family(named) == ours


def test_svg_text_is_set_in_the_books_fonts() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><text font-family="Arial">a</text>'
        b'<text style="fill: red; font-family: Menlo">b</text><text>c</text></svg>'
    )
    root = etree.fromstring(with_book_fonts(svg))
    assert root.get("font-family") == "Source Serif Pro"  # what text naming no family inherits
    first, second, _ = root
    assert first.get("font-family") == "Source Serif Pro"
    assert second.get("style") == "fill: red;font-family: IBM Plex Mono"
    assert with_book_fonts(b"<svg broken") == b"<svg broken"
