"""The book's font files, from pip font packages, never the system's."""

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
