"""The PDF of every good book, read back: trim, bookmarks, metadata, folios, fonts, text."""

from __future__ import annotations

import re
import subprocess
import tomllib

import pytest
from lxml import html
from pypdf import PdfReader

from publish.convert.markdown import convert_book
from publish.pdf.folios import roman
from publish.pdf.trims import page_geometry
from publish.read.book import load_book

POINTS_PER_INCH = 72


def _chapter_titles(built) -> list[str]:
    return [chapter.title for chapter in convert_book(load_book(built.source)).chapters]


def _normalised(text: str) -> str:
    """Page text with line-end hyphens rejoined and white space folded."""
    return " ".join(re.sub(r"-\n", "", text).split())


def _lines_top_down(page) -> list[str]:
    """The page's text runs from the top of the page down, whatever order the PDF draws them in."""
    runs: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            runs.append((-round(y), x, text.strip()))

    page.extract_text(visitor_text=visit)
    lines: dict[float, list[tuple[float, str]]] = {}
    for y, x, text in runs:
        lines.setdefault(y, []).append((x, text))
    return [" ".join(t for _, t in sorted(parts)) for _, parts in sorted(lines.items())]


@pytest.fixture(scope="module")
def reader(built) -> PdfReader:
    return PdfReader(built.pdf)


def test_every_page_is_six_by_nine_inches(reader: PdfReader) -> None:
    sizes = {(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages}
    assert sizes == {(6 * POINTS_PER_INCH, 9 * POINTS_PER_INCH)}


def test_bookmarks_are_the_chapter_titles_in_order(built, reader: PdfReader) -> None:
    top_level = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top_level == _chapter_titles(built)


def test_sections_are_bookmarked_under_their_chapter(features) -> None:
    outline = PdfReader(features.pdf).outline
    assert [item.title for item in outline[1]] == ["A Section"]
    assert [item.title for item in outline[3]] == ["A Table of Values", "A Section"]


def test_metadata_names_title_authors_language_and_dates(built, reader: PdfReader) -> None:
    config = tomllib.loads((built.source / "book.toml").read_text(encoding="utf-8"))["book"]
    assert reader.metadata.title == config["title"]
    assert reader.metadata.author == ", ".join(config["authors"])
    assert reader.trailer["/Root"]["/Lang"] == config["language"]
    assert reader.metadata["/CreationDate"] == "D:20251124160000Z"


def test_chapters_open_on_right_hand_pages_without_head_or_folio(built, reader: PdfReader) -> None:
    titles = _chapter_titles(built)
    openings = [
        reader.get_destination_page_number(i) for i in reader.outline if not isinstance(i, list)
    ]
    for title, index in zip(titles, openings, strict=True):
        assert (index + 1) % 2 == 1, f"{title!r} opens on page {index + 1}, a left-hand page"
        text = _normalised(reader.pages[index].extract_text())
        assert text.startswith(" ".join(title.split())), text[:80]
        assert not re.search(r"\b\d+$", text), f"a folio on the opening of {title!r}"


def test_body_is_numbered_from_one_with_running_heads(built, reader: PdfReader) -> None:
    config = tomllib.loads((built.source / "book.toml").read_text(encoding="utf-8"))["book"]
    first_chapter = reader.get_destination_page_number(reader.outline[0])
    for index in range(first_chapter + 1, len(reader.pages)):
        text = reader.pages[index].extract_text().strip()
        if not text or index in {
            reader.get_destination_page_number(i) for i in reader.outline if not isinstance(i, list)
        }:
            continue  # blank pages and chapter openings carry neither
        folio = index - first_chapter + 1
        lines = _lines_top_down(reader.pages[index])
        assert lines[-1] == str(folio), f"page {index + 1}: {lines[-1]!r}"
        chapter = _chapter_of(reader, index)
        head = config["title"] if folio % 2 == 0 else chapter  # verso: book; recto: chapter
        assert lines[0] == head, f"page {index + 1}"


def _chapter_of(reader: PdfReader, index: int) -> str:
    """The title of the chapter that page `index` belongs to."""
    title = ""
    for item in reader.outline:
        if not isinstance(item, list) and reader.get_destination_page_number(item) <= index:
            title = item.title
    return title


def test_every_chapter_text_is_in_the_pdf(built, reader: PdfReader) -> None:
    text = _normalised("\n".join(page.extract_text() for page in reader.pages))
    for chapter in convert_book(load_book(built.source)).chapters:
        tree = html.fragment_fromstring(chapter.html, create_parent="div")
        for paragraph in tree.iter("p"):
            # The words before the paragraph's first inline element: no footnote call in between.
            words = (paragraph.text or "").split()[:6]
            if len(words) >= 3:
                assert " ".join(words) in text, chapter.source_path
                break
        else:
            pytest.fail(f"{chapter.source_path}: no paragraph to look for")


def test_every_font_is_embedded_and_comes_from_the_book_packages(reader: PdfReader) -> None:
    seen = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            seen.add(name)
            descendants = font.get("/DescendantFonts") or [font]
            descriptor = descendants[0].get_object()["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name
    assert seen
    assert all(name.startswith(("Source-Serif-Pro", "IBM-Plex-Mono")) for name in seen), seen


def test_hyphens_in_italic_text_are_the_italic_faces_own(tmp_path) -> None:
    from publish.build.pipeline import build_book

    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.toml").write_text(
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n', encoding="utf-8"
    )
    words = "*notwithstanding extraordinarily incomprehensible characteristically* " * 60
    (folder / "01.md").write_text(f"# One\n\n{words}\n", encoding="utf-8")
    (output,) = build_book(folder, tmp_path / "out", ["pdf"])
    reader = PdfReader(output.path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert re.search(r"\w[-\u2010]\n", text)  # hyphenated: a line ends in a hyphen it added
    names = {
        str(ref.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for ref in page.get("/Resources", {}).get("/Font", {}).values()
    }
    # Not "Source-Serif-Pro-Oblique": the roman face slanted to draw a glyph the italic lacks.
    assert names == {"Source-Serif-Pro", "Source-Serif-Pro-Italic"}


def test_footnotes_sit_on_the_page_that_cites_them(features) -> None:
    reader = PdfReader(features.pdf)
    index = reader.get_destination_page_number(reader.outline[0])
    text = _normalised(reader.pages[index].extract_text())
    assert "cites a note" in text
    assert "1. The first note, with a link (https://example.org/)." in text  # its URL, on paper
    assert "2. The second note." in text


def test_front_matter_prints_title_authors_rights_and_notice(built, reader: PdfReader) -> None:
    config = tomllib.loads((built.source / "book.toml").read_text(encoding="utf-8"))["book"]
    first_chapter = reader.get_destination_page_number(reader.outline[0])
    front = _normalised("\n".join(p.extract_text() for p in reader.pages[:first_chapter]))
    for key in ("title", "rights", "notice", "publisher"):
        if key in config:
            assert " ".join(config[key].split()) in front, key
    for author in config["authors"]:
        assert author in front
    assert "Contents" in front
    lines = [
        line.strip() for p in reader.pages[:first_chapter] for line in p.extract_text().splitlines()
    ]
    assert "Copyright" not in lines  # the EPUB's screen-reader heading is not printed


def test_page_labels_match_the_printed_folios(built, reader: PdfReader) -> None:
    labels = reader.page_labels
    first_chapter = reader.get_destination_page_number(reader.outline[0])
    assert labels[:first_chapter] == [roman(n) for n in range(1, first_chapter + 1)]
    assert labels[first_chapter:] == [str(n) for n in range(1, len(labels) - first_chapter + 1)]
    for index, page in enumerate(reader.pages):
        lines = _lines_top_down(page)
        if lines and re.fullmatch(r"[0-9ivxlc]+", lines[-1]):
            assert lines[-1] == labels[index], f"page {index + 1}"


def test_pdf_is_tagged_with_language_title_shown_and_fonts_subset(built, reader) -> None:
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    fonts = subprocess.run(
        ["pdffonts", str(built.pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        name, emb, sub = line.split()[0], *line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), line
        assert re.match(r"[A-Z]{6}\+", name), line


def test_footnote_calls_link_to_their_notes(features) -> None:
    reader = PdfReader(features.pdf)
    index = reader.get_destination_page_number(reader.outline[0])
    links = [a.get_object() for a in reader.pages[index]["/Annots"]]
    targets = {str(link["/Dest"]) for link in links if "/Dest" in link}
    assert {"fn-first", "fn-second"} <= targets
    for name in ("fn-first", "fn-second"):
        assert reader.get_destination_page_number(reader.named_destinations[name]) == index


def test_no_text_stands_outside_the_text_block(built, reader: PdfReader) -> None:
    page = page_geometry("6x9in", len(reader.pages))
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(built.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for number, page_xml in enumerate(bbox.split("<page ")[1:], start=1):
        left = page.inner if number % 2 else page.outer
        right = page.width - (page.outer if number % 2 else page.inner)
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', page_xml
        ):
            assert left - 0.5 <= float(x_min) and float(x_max) <= right + 0.5, (number, word)
