"""The book's font files, from pip font packages, never the system's.

Source Serif Pro and IBM Plex Mono set the book. A character of the author's text they lack
(Greek, Cyrillic, much of extended Latin and Vietnamese) is set in Noto Serif, the fallback, also
SIL OFL and from pip; only what that lacks too falls to a font of the system, and the layout
report names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


@dataclass(frozen=True)
class FontFace:
    family: str  # the CSS family name our stylesheets use
    weight: int
    style: str  # "normal" or "italic"
    path: Path  # the TTF inside its installed package


def _package_dir(package: str) -> Path:
    return Path(str(files(package)))


def book_faces() -> tuple[FontFace, ...]:
    """Source Serif Pro for text and headings, IBM Plex Mono for code; both SIL OFL."""
    serif = _package_dir("font_source_serif_pro") / "files"
    mono = _package_dir("fontpkg_ibm_plex_mono")
    serif_faces = [
        (400, "normal", "SourceSerifPro-Regular.ttf"),
        (400, "italic", "SourceSerifPro-It.ttf"),
        (600, "normal", "SourceSerifPro-Semibold.ttf"),
        (600, "italic", "SourceSerifPro-SemiboldIt.ttf"),
        (700, "normal", "SourceSerifPro-Bold.ttf"),
        (700, "italic", "SourceSerifPro-BoldIt.ttf"),
    ]
    mono_faces = [
        (400, "normal", "IBMPlexMono-Regular.ttf"),
        (400, "italic", "IBMPlexMono-Italic.ttf"),
        (700, "normal", "IBMPlexMono-Bold.ttf"),
        (700, "italic", "IBMPlexMono-BoldItalic.ttf"),
    ]
    return tuple(
        [FontFace("Source Serif Pro", w, s, serif / name) for w, s, name in serif_faces]
        + [FontFace("IBM Plex Mono", w, s, mono / "files" / name) for w, s, name in mono_faces]
    )


FALLBACK_FAMILY = "Noto Serif"


def fallback_faces() -> tuple[FontFace, ...]:
    """Noto Serif, roman and italic (variable fonts: their default instance is the regular)."""
    files = _package_dir("fontpkg_noto_serif") / "files"
    return (
        FontFace(FALLBACK_FAMILY, 400, "normal", files / "NotoSerif[wdth,wght].ttf"),
        FontFace(FALLBACK_FAMILY, 400, "italic", files / "NotoSerif-Italic[wdth,wght].ttf"),
    )
