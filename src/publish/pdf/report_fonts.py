"""Layout report, fonts: text set in a font that is not the book's, or with no glyph at all."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from fontTools.ttLib import TTFont
from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import ffi, pango

from publish.pdf.fonts import book_faces
from publish.pdf.report_finding import Finding, excerpt


class FontNames:
    """Pango's family name of each font a text run uses, asked once per font; and what the
    report already said, so that each character (or foreign family) is named once."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.reported: set[str] = set()

    def family(self, pango_font: Any) -> str:
        key = int(ffi.cast("uintptr_t", pango_font))
        if key not in self.names:
            description = pango.pango_font_describe_with_absolute_size(pango_font)
            try:
                family = pango.pango_font_description_get_family(description)
                self.names[key] = ffi.string(family).decode() if family != ffi.NULL else ""
            finally:
                pango.pango_font_description_free(description)
        return self.names[key]

    def first(self, key: str) -> bool:
        """Whether `key` is new to the report (and remember it)."""
        new = key not in self.reported
        self.reported.add(key)
        return new


def font_findings(
    page: int, box: boxes.Box, chapter_id: str | None, families: frozenset[str], fonts: FontNames
) -> list[Finding]:
    """Text drawn in a font that is not the book's, or with no glyph at all (tofu).

    Each character the book's fonts lack is reported once, where it first stands; text the
    book's fonts have but a style set in another family, once per family.
    """
    findings = []
    for text_box in box.descendants():
        if not isinstance(text_box, boxes.TextBox) or not text_box.text.strip():
            continue
        covered = _covered(text_box.style["font_family"][0])
        if set(text_box.text) <= covered:
            continue  # every face of the family has every character: nothing can fall back
        for family, characters, missing in _runs(text_box, fonts):
            if missing:
                for character in dict.fromkeys(missing):
                    if fonts.first(f"no glyph {character}"):
                        message = f'no glyph for "{character}" in "{excerpt(text_box.text)}"'
                        findings.append(Finding(page, message, chapter_id, text_box.text))
            elif family not in families:
                lacking = [c for c in dict.fromkeys(characters) if c not in covered]
                for key in lacking or [family]:
                    if fonts.first(f"{family} {key}"):
                        shown = key if lacking else characters
                        message = f'"{shown}" set in the fallback font {family}, not the book\'s'
                        findings.append(Finding(page, message, chapter_id, text_box.text))
    return findings


@functools.cache
def _covered(family: str) -> frozenset[str]:
    """The characters every face of one of the book's families has a glyph for."""
    cmaps = []
    for face in book_faces():
        if face.family == family:
            with TTFont(face.path, lazy=True) as font:
                cmaps.append(set(font.getBestCmap()))
    return frozenset(chr(code) for code in set.intersection(*cmaps)) if cmaps else frozenset()


def _runs(text_box: boxes.TextBox, fonts: FontNames) -> Iterator[tuple[str, str, str]]:
    """(font family, the run's text, characters with no glyph) for each run of the line."""
    layout = text_box.pango_layout
    layout.reactivate(text_box.style)  # laid-out text keeps no Pango layout; drawing remakes it
    try:
        line, _ = layout.get_first_line()
        yield from _line_runs(line, layout.text.encode(), fonts)
    finally:
        layout.deactivate()


def _line_runs(line: Any, encoded: bytes, fonts: FontNames) -> Iterator[tuple[str, str, str]]:
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        characters = encoded[item.offset : item.offset + item.length].decode(errors="replace")
        glyphs = glyph_item.glyphs
        missing = "".join(
            chr(info.glyph - pango.PANGO_GLYPH_UNKNOWN_FLAG)
            for info in glyphs.glyphs[0 : glyphs.num_glyphs]
            if info.glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG and info.glyph != pango.PANGO_GLYPH_EMPTY
        )
        if characters.strip():
            yield fonts.family(item.analysis.font), characters, missing
