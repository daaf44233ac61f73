"""The data model every stage passes along: frozen dataclasses, no I/O."""

from __future__ import annotations

import datetime
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol, TypeVar
from urllib.parse import unquote

FORMATS = ("epub", "pdf")  # the editions a book is built as
MAX_CONTENTS_DEPTH = 3  # chapters, their sections, and a sub-page's sections

# What a chapter may be: its epub:type (EPUB Structural Semantics Vocabulary) -> the matching
# DPUB-ARIA role, and the part of the book (EPUB partition) that kind of section belongs to.
SECTION_TYPES: dict[str, tuple[str, str]] = {
    "chapter": ("doc-chapter", "bodymatter"),
    "foreword": ("doc-foreword", "frontmatter"),
    "preface": ("doc-preface", "frontmatter"),
    "dedication": ("doc-dedication", "frontmatter"),
    "epigraph": ("doc-epigraph", "frontmatter"),
    "introduction": ("doc-introduction", "bodymatter"),
    "prologue": ("doc-prologue", "bodymatter"),
    "epilogue": ("doc-epilogue", "bodymatter"),
    "conclusion": ("doc-conclusion", "bodymatter"),
    "afterword": ("doc-afterword", "backmatter"),
    "appendix": ("doc-appendix", "backmatter"),
    "acknowledgments": ("doc-acknowledgments", "backmatter"),
    "bibliography": ("doc-bibliography", "backmatter"),
    "glossary": ("doc-glossary", "backmatter"),
    "colophon": ("doc-colophon", "backmatter"),
}

# Kinds set apart, without a visible heading; when they open the book, before the contents.
BEFORE_CONTENTS = frozenset({"dedication", "epigraph"})


@dataclass(frozen=True)
class Metadata:
    """What book.toml's [book] table says about the book."""

    title: str
    authors: tuple[str, ...]
    language: str
    identifier: str
    subtitle: str | None = None
    date: datetime.date | None = None
    publisher: str | None = None
    rights: str | None = None
    description: str | None = None
    notice: str | None = None
    cover: str | None = None  # relative to the manuscript folder, POSIX separators


@dataclass(frozen=True)
class EpubOptions:
    """What book.toml's [epub] table asks of the EPUB edition; every field has a default."""

    embed_fonts: bool = False  # carry the book's typeface, subset to the glyphs it uses
    identifier: str | None = None  # the EPUB's own id (its ISBN); default: [book] identifier


@dataclass(frozen=True)
class PdfOptions:
    """What book.toml's [pdf] table asks of the print edition; every field has a default."""

    trim: str = "6x9in"  # a preset name or "W x H unit"; parsed by publish.pdf.trims
    variant: str | tuple[str, ...] = "print"  # "print", "screen", or both as a list
    bleed: str = "0"  # a length such as "0.125in" or "3mm"; print variant only
    crop_marks: bool = False  # print variant only
    standard: str = "pdf/ua-1"  # "pdf/ua-1", "pdf/a-3b" or "pdf/x-4"
    color_profile: str | None = None  # the printer's CMYK ICC profile, for pdf/x-4
    isbn: str | None = None  # the print edition's own ISBN, on its copyright page
    hyphenate: bool = True  # hyphenate the text by the book's language, with a typesetter's limits
    # From [print]: the printer the print edition goes to, and its paper (the spine's width).
    printer: str = "generic"  # "kdp", "ingramspark", "lulu" or "generic" (no printer's rules)
    paper: str = "white"  # "white", "cream" or "color"
    caliper: float | None = None  # inches per page; None: the printer's own for the paper

    @property
    def variants(self) -> tuple[str, ...]:
        """The PDF editions to make, each once, in the order asked for."""
        asked = (self.variant,) if isinstance(self.variant, str) else self.variant
        return tuple(dict.fromkeys(asked))


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str  # unique across the whole book


@dataclass(frozen=True)
class Chapter:
    """One Markdown file; `html` and the headings are filled in by the convert stage."""

    source_path: str  # relative to the manuscript folder, POSIX separators
    markdown: str
    slug: str  # file-name safe, unique in the book
    title: str = ""
    html: str = ""  # XHTML fragment; links to other chapters in the EPUB form `file.xhtml#id`
    headings: tuple[Heading, ...] = ()
    section_type: str = "chapter"  # a key of SECTION_TYPES: its epub:type
    subpage: bool = False  # opens with a `##` heading: a section of the chapter before it
    given_title: str | None = None  # its title as book.toml's `chapters` gives it
    lead: bool = False  # text before its first heading, or no heading: listed by its title first

    @property
    def file_title(self) -> str:
        """A title made from the file name, for a chapter without one: `00-dedication.md` ->
        `Dedication`."""
        stem = PurePosixPath(self.source_path).stem
        words = " ".join(re.sub(r"^[\d\W_]+", "", stem).replace("_", " ").replace("-", " ").split())
        return words[:1].upper() + words[1:] if words else stem

    @property
    def role(self) -> str:
        """The DPUB-ARIA role that matches the section's epub:type."""
        return SECTION_TYPES[self.section_type][0]

    @property
    def division(self) -> str:
        """frontmatter, bodymatter or backmatter: the epub:type of the chapter's page."""
        return SECTION_TYPES[self.section_type][1]

    @property
    def set_apart(self) -> bool:
        """A dedication or an epigraph: alone on its page, centred, its heading not shown."""
        return self.section_type in BEFORE_CONTENTS

    def line_of(self, needle: str) -> int | None:
        """The first line of the Markdown that holds `needle`; Markdown keeps no positions."""
        for number, line in enumerate(self.markdown.splitlines(), start=1):
            if needle and needle in line:
                return number
        return None

    def resolve(self, url_path: str) -> str:
        """A path as written in this chapter (`a%20b.png`), made relative to the manuscript."""
        joined = posixpath.join(posixpath.dirname(self.source_path), unquote(url_path))
        return posixpath.normpath(joined)

    @property
    def href(self) -> str:
        """The chapter's file name inside the EPUB."""
        return f"{self.slug}.xhtml"

    @property
    def anchor(self) -> str:
        """The id of the chapter's own section, the target of a link to the whole chapter."""
        return f"chapter-{self.slug}"


@dataclass(frozen=True)
class Entry:
    """One line of the book's contents: a heading, and the lines nested under it."""

    title: str
    chapter: Chapter
    id: str  # the heading's id; a chapter's first entry leads to the chapter's own anchor
    opens_chapter: bool  # the first entry of its chapter
    children: tuple[Entry, ...] = ()

    @property
    def target(self) -> str:
        """The id the entry leads to, in the whole-book print document."""
        return self.chapter.anchor if self.opens_chapter else self.id

    @property
    def href(self) -> str:
        """Where the entry leads inside the EPUB."""
        return self.chapter.href if self.opens_chapter else f"{self.chapter.href}#{self.id}"


def contents(chapters: Iterable[Chapter]) -> tuple[Entry, ...]:
    """The book's contents: every level-1 heading with its level-2 sections under it.

    A sub-page (a chapter opening with `##`) nests under the level-1 heading before it, and its
    `###` sections under its own title. A chapter without a heading is listed by its title.
    """
    roots: list[_Node] = []
    open_nodes: list[_Node] = []  # the heading in force at each level, outermost first
    for chapter in chapters:
        headings = chapter.headings
        if chapter.lead:  # text before the first heading: the chapter by its title first
            headings = (Heading(1, chapter.title, chapter.anchor), *headings)
        top = headings[0].level
        if not (chapter.subpage and open_nodes):
            open_nodes.clear()
        shift = 0 if chapter.subpage and open_nodes else top - 1  # the first chapter's `##`: top
        for index, heading in enumerate(headings):
            level = max(1, heading.level - shift)
            if heading.level > top + 1 or level > MAX_CONTENTS_DEPTH:
                continue  # deeper than the chapter's sections: not in the contents
            title = chapter.title if index == 0 else heading.text  # book.toml may name it
            node = _Node(level, title, chapter, heading.id, opens=index == 0)
            while open_nodes and open_nodes[-1].level >= level:
                open_nodes.pop()
            (open_nodes[-1].children if open_nodes else roots).append(node)
            open_nodes.append(node)
    return tuple(node.entry() for node in roots)


@dataclass
class _Node:
    level: int
    title: str
    chapter: Chapter
    id: str
    opens: bool
    children: list[_Node] = field(default_factory=list)

    def entry(self) -> Entry:
        children = tuple(child.entry() for child in self.children)
        return Entry(self.title, self.chapter, self.id, self.opens, children)


@dataclass(frozen=True)
class Asset:
    """A file the book carries, such as an image."""

    source_path: str  # relative to the manuscript folder; also its href inside the EPUB
    media_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Book:
    source_dir: Path  # the manuscript folder on disk
    metadata: Metadata
    chapters: tuple[Chapter, ...]
    assets: tuple[Asset, ...] = ()
    epub: EpubOptions = EpubOptions()
    pdf: PdfOptions = PdfOptions()

    @property
    def opening(self) -> tuple[Chapter, ...]:
        """The dedications and epigraphs the book opens with: they stand before the contents."""
        first = next((n for n, c in enumerate(self.chapters) if not c.set_apart), None)
        return self.chapters[:first]

    @property
    def after_contents(self) -> tuple[Chapter, ...]:
        """The chapters the contents list: every one after the opening."""
        return self.chapters[len(self.opening) :]

    @property
    def body_anchor(self) -> str:
        """The id on the page the body's arabic folios start from: the first listed chapter's."""
        return (self.after_contents or self.chapters)[0].anchor

    def isbn(self, edition: str) -> str | None:
        """The ISBN on the copyright page of the "epub" or "pdf" edition: its own ([epub]
        identifier, [pdf] isbn), else the book's identifier when it is an ISBN."""
        own = self.epub.identifier if edition == "epub" else self.pdf.isbn
        if own is not None:
            if own.startswith("urn:isbn:"):
                return own.removeprefix("urn:isbn:")
            return own if edition == "pdf" else None  # [pdf] isbn may be written bare
        book = self.metadata.identifier
        return book.removeprefix("urn:isbn:") if book.startswith("urn:isbn:") else None

    @property
    def slug(self) -> str:
        """File name stem for the outputs, from the title: `Chronic Pain…` -> `chronic-pain…`."""
        # Cut short: file systems refuse names over 255 bytes, and a temporary adds some.
        return slugify(self.metadata.title)[:100].rstrip("-") or "book"


def slugify(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


T = TypeVar("T")


class Memo(Protocol):
    """`compute()`'s result for these inputs, perhaps kept from an earlier build.

    The build passes its cache down as one of these (`Cache.memo`); `parts` must name all the
    result depends on but publish's code and libraries. The result must be JSON.
    """

    def __call__(
        self, namespace: str, parts: Iterable[str | bytes], compute: Callable[[], T]
    ) -> T: ...


def computed(namespace: str, parts: Iterable[str | bytes], compute: Callable[[], T]) -> T:
    """The `Memo` that keeps nothing: for callers without a build's cache (stats, serve)."""
    return compute()
