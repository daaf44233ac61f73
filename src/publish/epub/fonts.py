"""The book's typeface, subset to the characters the book uses.

Only on request (`[epub] embed-fonts = true`): most readers choose their own font, and the
EPUB reads well in it. The faces are SIL OFL fonts whose names are reserved ("Source",
"Plex"): a subset is a modified version, which the licence asks to carry another name, so
the subsets are renamed "Publish Serif" and "Publish Mono" and travel with the licence text.
"""

from __future__ import annotations

import io
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from publish.pdf import FontFace, book_faces

FONTS_DIR = "fonts"  # inside the EPUB's content folder
# The subsets' names, and the names of the faces they are made from (OFL Reserved Font Names).
RENAMED = {
    "Source Serif Pro": "Publish Serif",
    "SourceSerifPro": "PublishSerif",
    "IBM Plex Mono": "Publish Mono",
    "IBMPlexMono": "PublishMono",
}
NAME_IDS = (1, 3, 4, 6, 16, 18, 21)  # family, unique id, full, PostScript, typographic names
# Characters a reading system may draw beyond the text: list numbers, hyphens at line ends.
ALWAYS = string.printable.strip() + "\u00a0\u00ad\u2010\u2013\u2014\u2026"


@dataclass(frozen=True)
class EmbeddedFont:
    href: str  # inside the EPUB's content folder
    family: str  # the CSS family name: the subset's own name
    weight: int
    style: str
    data: bytes


@dataclass(frozen=True)
class Licence:
    href: str
    text: bytes


def embed(text: str, code: str) -> tuple[list[EmbeddedFont], list[Licence]]:
    """Subsets of the text faces for `text`, of the code faces for `code` (if there is any)."""
    fonts: list[EmbeddedFont] = []
    licences: dict[str, Licence] = {}
    for face in book_faces():
        monospaced = "Mono" in face.family
        # Code is set in the regular mono face; a reader slants or bolds it when it must.
        if monospaced and (not code.strip() or (face.weight, face.style) != (400, "normal")):
            continue
        family = RENAMED[face.family]
        characters = set(code if monospaced else text) | set(ALWAYS)
        slug = family.lower().replace(" ", "-")
        style = "-italic" if face.style == "italic" else ""
        href = f"{FONTS_DIR}/{slug}-{face.weight}{style}.ttf"
        fonts.append(EmbeddedFont(href, family, face.weight, face.style, _subset(face, characters)))
        licence = _licence_file(face.path)
        licences.setdefault(slug, Licence(f"{FONTS_DIR}/{slug}-OFL.txt", licence.read_bytes()))
    return fonts, list(licences.values())


def _subset(face: FontFace, characters: Iterable[str]) -> bytes:
    # recalcTimestamp=False: the font keeps its own dates, so equal inputs give equal bytes.
    font = TTFont(face.path, recalcTimestamp=False)
    options = subset.Options()
    # fontTools' defaults (kerning, ligatures, marks…) and what our styles ask for.
    options.layout_features += ["smcp", "c2sc", "onum", "lnum", "pnum", "tnum"]
    options.drop_tables += ["meta"]  # which fontTools cannot subset: dropped, and said so
    options.name_IDs = ["*"]  # the copyright and licence records stay with the font
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in characters}))
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in NAME_IDS:
            name = record.toUnicode()
            for reserved, renamed in RENAMED.items():
                name = name.replace(reserved, renamed)
            record.string = name
    stream = io.BytesIO()
    font.save(stream)
    return stream.getvalue()


def _licence_file(font_path: Path) -> Path:
    """The licence that comes with the font's package: beside the font file or one folder up."""
    for folder in (font_path.parent, font_path.parent.parent):
        for name in ("OFL.txt", "LICENSE.txt", "LICENSE"):
            if (folder / name).is_file():
                return folder / name
    raise FileNotFoundError(f"no licence file beside {font_path}")
