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


def test_each_edition_prints_its_own_isbn(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(BOOKS / "minimal", book)
    toml = book / "book.toml"
    toml.write_text(
        toml.read_text().replace("[book]\n", '[book]\nidentifier = "urn:isbn:9780000000002"\n')
        + '\n[epub]\nidentifier = "urn:isbn:9780000000019"\n\n[pdf]\nisbn = "978-0-00-000002-6"\n'
    )
    epub, pdf = build_book(book, tmp_path / "out", ["epub", "pdf"])
    copyright_page = _copyright(epub.path)
    assert "ISBN 9780000000019" in copyright_page and "9780000000002" not in copyright_page
    with zipfile.ZipFile(epub.path) as archive:
        assert b">urn:isbn:9780000000019</dc:identifier>" in archive.read("EPUB/content.opf")
    front = subprocess.run(
        ["pdftotext", "-l", "4", str(pdf.path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "ISBN 978-0-00-000002-6" in front and "9780000000019" not in front
