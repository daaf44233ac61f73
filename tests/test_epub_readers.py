"""The EPUB in every reader: MuPDF's engine too; the colophon names only a typeface it carries."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from publish.build.pipeline import build_book

BOOKS = Path(__file__).resolve().parent / "books"


def _epub(tmp_path: Path, book: Path) -> Path:
    (output,) = build_book(book, tmp_path / "out", ["epub"])
    return output.path


def _page_texts(epub: Path, folder: Path) -> list[str]:
    """Each page of the EPUB as MuPDF lays it out, as text."""
    subprocess.run(
        ["mutool", "draw", "-q", "-F", "txt", "-o", str(folder / "page-%d.txt"), str(epub)],
        capture_output=True,
        check=True,
    )
    count = len(list(folder.glob("page-*.txt")))
    return [(folder / f"page-{n}.txt").read_text() for n in range(1, count + 1)]


@pytest.mark.skipif(shutil.which("mutool") is None, reason="needs mutool (mupdf-tools)")
def test_mupdf_shows_what_epub_js_shows(tmp_path: Path) -> None:
    pages = _page_texts(_epub(tmp_path, BOOKS / "features"), tmp_path)
    contents = next(page for page in pages if "Contents" in page)
    # Before: the hidden landmarks and page list stood under the contents.
    assert "Landmarks" not in contents and "Begin Reading" not in contents
    figures = next(page for page in pages if "A square, with a caption" in page)
    # Before: the figure was set inline, above its chapter's heading, its caption at the right.
    assert figures.index("Figures and Tables") < figures.index("A square, with a caption")


def _copyright(epub: Path) -> str:
    with zipfile.ZipFile(epub) as archive:
        return archive.read("EPUB/copyright.xhtml").decode()


def test_the_colophon_names_the_typeface_only_when_the_epub_carries_it(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(BOOKS / "minimal", book)
    assert "Set in" not in _copyright(_epub(tmp_path / "plain", book))
    toml = book / "book.toml"
    toml.write_text(toml.read_text() + "\n[epub]\nembed-fonts = true\n")
    assert "Set in Source Serif Pro." in _copyright(_epub(tmp_path / "embedded", book))
