"""The build cache and the up-to-date check: nothing is reused once what it depends on changed."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import publish
from conftest import EPOCH
from publish.build.cache import code_fingerprint
from publish.build.output import state_dir
from publish.build.pipeline import build_book
from publish.cli import main
from publish.convert import markdown as convert
from publish.errors import StrictError
from publish.pdf import templates

FEATURES_CHAPTERS = ["01-footnotes.md", "02-figures.md", "03-long.md"]


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The chapters whose Markdown the build converts (rather than takes from the cache)."""
    chapters: list[str] = []
    real = convert._markdown_to_fragment

    def counting(book: object, chapter: convert.Chapter) -> str:
        chapters.append(chapter.source_path)
        return real(book, chapter)  # type: ignore[arg-type]

    monkeypatch.setattr(convert, "_markdown_to_fragment", counting)
    return chapters


@pytest.fixture
def styles_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of styles/ that the build uses instead of the package's, for a test to change."""
    copy = tmp_path / "styles"
    shutil.copytree(templates.styles_dir(), copy)
    monkeypatch.setattr(templates, "styles_dir", lambda: copy)
    templates.environment.cache_clear()
    yield copy
    templates.environment.cache_clear()


def epub_text(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as epub:
        return epub.read(name).decode("utf-8")


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every output in the folder (the build's own state in .publish left out)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_converts_exactly_the_edited_chapter_again(
    book_copy, tmp_path: Path, converted: list[str]
) -> None:
    book, out = book_copy("features"), tmp_path / "out"
    build_book(book, out, ["epub"])
    assert sorted(converted) == FEATURES_CHAPTERS
    converted.clear()

    edit(book / "02-figures.md", "# ", "# Revised: ")
    (epub,) = build_book(book, out, ["epub"])
    assert converted == ["02-figures.md"]
    assert "Revised: " in epub_text(epub.path, "EPUB/02-figures.xhtml")
    # The untouched chapters come from the cache and still link into the edited one.
    assert 'href="02-figures.xhtml#a-table-of-values"' in epub_text(
        epub.path, "EPUB/01-footnotes.xhtml"
    )


def test_nothing_changed_means_nothing_is_redone(
    book_copy, tmp_path: Path, converted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    book, out = book_copy("features"), tmp_path / "out"
    first = build_book(book, out)
    written = {o.path: o.path.stat().st_mtime_ns for o in first}
    converted.clear()

    def no_reading(path: Path) -> None:
        raise AssertionError("an up-to-date build read the manuscript")

    with monkeypatch.context() as patch:
        patch.setattr("publish.read.load_book", no_reading)
        second = build_book(book, out)
    assert converted == []
    assert [(o.path, o.size, o.pages) for o in second] == [(o.path, o.size, o.pages) for o in first]
    assert {path: path.stat().st_mtime_ns for path in written} == written  # not rewritten
    assert (out / ".publish").is_dir()


@pytest.mark.parametrize("change", ["delete", "alter"])
def test_an_output_changed_on_disk_is_built_again(
    book_copy, tmp_path: Path, converted: list[str], change: str
) -> None:
    book, out = book_copy("minimal"), tmp_path / "out"
    (epub,) = build_book(book, out, ["epub"])
    good = epub.path.read_bytes()
    converted.clear()
    if change == "delete":
        epub.path.unlink()
    else:
        epub.path.write_bytes(good[:-1] + b"x")
    build_book(book, out, ["epub"])
    assert epub.path.read_bytes() == good
    assert converted == []  # the chapter itself came from the cache


def test_language_and_other_config_changes_show_up(
    book_copy, tmp_path: Path, converted: list[str]
) -> None:
    book, out = book_copy("features"), tmp_path / "out"
    build_book(book, out, ["epub"])
    converted.clear()
    edit(book / "book.toml", 'language = "en-GB"', 'language = "fr"')
    edit(book / "book.toml", 'publisher = "Fixture Press"', 'publisher = "Maison Fixture"')
    (epub,) = build_book(book, out, ["epub"])
    assert sorted(converted) == FEATURES_CHAPTERS  # the language may change how text is set
    opf = epub_text(epub.path, "EPUB/content.opf")
    assert "<dc:language>fr</dc:language>" in opf
    assert "Maison Fixture" in opf
    assert 'xml:lang="fr"' in epub_text(epub.path, "EPUB/02-figures.xhtml")


def test_an_image_replaced_shows_up(book_copy, tmp_path: Path) -> None:
    book, out = book_copy("features"), tmp_path / "out"
    build_book(book, out, ["epub"])
    image = book / "images" / "square.png"
    from PIL import Image

    Image.new("RGB", (7, 5), (200, 10, 10)).save(image)
    (epub,) = build_book(book, out, ["epub"])
    with zipfile.ZipFile(epub.path) as package:
        assert package.read("EPUB/images/square.png") == image.read_bytes()


def test_css_and_template_changes_show_up(
    book_copy, tmp_path: Path, styles_copy: Path, converted: list[str]
) -> None:
    book, out = book_copy("minimal"), tmp_path / "out"
    build_book(book, out, ["epub"])
    with (styles_copy / "epub.css").open("a", encoding="utf-8") as css:
        css.write("\n.cache-test { color: teal; }\n")
    (epub,) = build_book(book, out, ["epub"])
    assert ".cache-test { color: teal; }" in epub_text(epub.path, "EPUB/css/book.css")

    edit(
        styles_copy / "templates/partials/chapter.html",
        "{{ html|safe }}",
        "{{ html|safe }}\n<p>Template marker</p>",
    )
    (epub,) = build_book(book, out, ["epub"])
    assert "<p>Template marker</p>" in epub_text(epub.path, "EPUB/chapter.xhtml")
    assert converted == ["chapter.md"]  # the chapter's own Markdown was converted only once


def test_a_new_version_of_publish_reuses_nothing(
    book_copy, tmp_path: Path, converted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    book, out = book_copy("minimal"), tmp_path / "out"
    build_book(book, out)
    converted.clear()
    monkeypatch.setattr(publish, "__version__", "99.0.0")
    monkeypatch.setattr("publish.pdf.print_html.__version__", "99.0.0")
    code_fingerprint.cache_clear()
    try:
        outputs = build_book(book, out)
    finally:
        code_fingerprint.cache_clear()
    assert converted == ["chapter.md"]
    pdf = next(o.path for o in outputs if o.format == "pdf")
    import pypdf

    assert "publish 99.0.0" in str(pypdf.PdfReader(pdf).metadata)


def test_no_cache_and_a_deleted_cache_give_the_same_bytes_as_a_cached_build(
    book_copy, tmp_path: Path
) -> None:
    book = book_copy("features")
    build_book(book, tmp_path / "cached")
    edit(book / "03-long.md", "\n\n", "\n\nA paragraph added after the first build.\n\n")
    build_book(book, tmp_path / "cached")  # the other two chapters come from the cache

    assert main(["build", str(book), "--out", str(tmp_path / "cold"), "--no-cache", "-q"]) == 0
    shutil.copytree(tmp_path / "cached", tmp_path / "deleted")
    shutil.rmtree(state_dir(tmp_path / "deleted"))
    build_book(book, tmp_path / "deleted")

    cached = digests(tmp_path / "cached")
    assert len(cached) == 2
    assert digests(tmp_path / "cold") == cached
    assert digests(tmp_path / "deleted") == cached


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage"])
def test_a_damaged_cache_entry_is_rebuilt_never_trusted(
    book_copy, tmp_path: Path, converted: list[str], damage: str
) -> None:
    book, out = book_copy("features"), tmp_path / "out"
    (epub,) = build_book(book, out, ["epub"])
    good = epub.path.read_bytes()
    entries = sorted((state_dir(out) / "cache" / "chapter").iterdir())
    assert len(entries) == 3
    for entry in entries:
        data = entry.read_bytes()
        if damage == "flip":  # the same length, one letter of the HTML changed
            position = data.index(b"<p>") + 1
            entry.write_bytes(data[:position] + b"q" + data[position + 1 :])
        elif damage == "truncate":
            entry.write_bytes(data[: len(data) // 2])
        else:
            entry.write_bytes(b"\x00garbage")
    converted.clear()
    (epub,) = build_book(book, out, ["epub"], use_cache=True)  # up to date: outputs unchanged
    assert converted == []
    epub.path.unlink()  # now the chapters must be made again
    (epub,) = build_book(book, out, ["epub"])
    assert sorted(converted) == FEATURES_CHAPTERS
    assert epub.path.read_bytes() == good


def test_warnings_of_cached_chapters_and_skipped_builds_still_count(
    book_copy, tmp_path: Path
) -> None:
    book, out = book_copy("minimal"), tmp_path / "out"
    edit(
        book / "chapter.md", "one chapter of text.", "one chapter of text.\n\n<script>x()</script>"
    )
    build_book(book, out, ["epub"])
    with pytest.raises(StrictError, match="removed <script>"):  # the build was up to date
        build_book(book, out, ["epub"], strict=True)
    (book / "later.md").write_text("# A Later Chapter\n\nMore text.\n", encoding="utf-8")
    with pytest.raises(StrictError, match="removed <script>"):  # the chapter came from the cache
        build_book(book, out, ["epub"], strict=True)
