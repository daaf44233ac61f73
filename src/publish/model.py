"""The data model every stage passes along: frozen dataclasses, no I/O."""

from __future__ import annotations

import datetime
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar
from urllib.parse import unquote

FORMATS = ("epub", "pdf")  # the editions a book is built as

# What a chapter may be: its epub:type (EPUB Structural Semantics Vocabulary) -> the matching
# DPUB-ARIA role, and the part of the book (EPUB partition) that kind of section belongs to.
SECTION_TYPES: dict[str, tuple[str, str]] = {
    "chapter": ("doc-chapter", "bodymatter"),
    "foreword": ("doc-foreword", "frontmatter"),
    "preface": ("doc-preface", "frontmatter"),
    "dedication": ("doc-dedication", "frontmatter"),
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


@dataclass(frozen=True)
class PdfOptions:
    """What book.toml's [pdf] table asks of the print edition; every field has a default."""

    trim: str = "6x9in"  # a preset name or "W x H unit"; parsed by publish.pdf.trims
    variant: str | tuple[str, ...] = "print"  # "print", "screen", or both as a list
    bleed: str = "0"  # a length such as "0.125in" or "3mm"; print variant only
    crop_marks: bool = False  # print variant only
    standard: str = "pdf/ua-1"  # "pdf/ua-1", "pdf/a-3b" or "pdf/x-4"
    color_profile: str | None = None  # the printer's CMYK ICC profile, for pdf/x-4

    @property
    def variants(self) -> tuple[str, ...]:
        """The PDF editions to make, each once, in the order asked for."""
        asked = (self.variant,) if isinstance(self.variant, str) else self.variant
        return tuple(dict.fromkeys(asked))


@dataclass(frozen=True)
class PrintOptions:
    """What book.toml's [print] table says of the printer; every field has a default."""

    printer: str = "generic"  # "kdp", "ingramspark", "lulu" or "generic" (no printer's rules)
    paper: str = "white"  # "white", "cream" or "color": the spine's width per page
    caliper: float | None = None  # inches per page; None: the printer's own for the paper


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

    @property
    def role(self) -> str:
        """The DPUB-ARIA role that matches the section's epub:type."""
        return SECTION_TYPES[self.section_type][0]

    @property
    def division(self) -> str:
        """frontmatter, bodymatter or backmatter: the epub:type of the chapter's page."""
        return SECTION_TYPES[self.section_type][1]

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
    print: PrintOptions = PrintOptions()

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
