"""[pdf] options read back from the PDF: trims, variants, bleed and crop marks, standards."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import BOOKS, EPOCH
from publish.build.pipeline import build_book
from publish.errors import ConfigError
from publish.pdf.print_html import running_head
from publish.pdf.trims import binding_allowance, page_geometry, parse_trim
from publish.read.book import load_book

MM = 72 / 25.4
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # .ci/run installs it


def make_book(tmp_path: Path, pdf_table: str, source: str = "minimal") -> Path:
    """A copy of a fixture book with a [pdf] table added to its book.toml."""
    folder = tmp_path / source
    shutil.copytree(BOOKS / source, folder)
    with (folder / "book.toml").open("a", encoding="utf-8") as config:
        config.write(f"\n[pdf]\n{pdf_table}\n")
    return folder


def build(folder: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return {o.path.name: o.path for o in build_book(folder, out, ["pdf"], strict=True)}


@pytest.mark.parametrize(
    ("trim", "width", "height"),
    [
        ("5x8in", 5 * 72, 8 * 72),
        ("5.25x8in", 5.25 * 72, 8 * 72),
        ("5.5x8.5in", 5.5 * 72, 8.5 * 72),
        ("6x9in", 6 * 72, 9 * 72),
        ("a5", 148 * MM, 210 * MM),
        ("b-format", 129 * MM, 198 * MM),
        ("us-letter", 8.5 * 72, 11 * 72),
        ("140 x 216 mm", 140 * MM, 216 * MM),
    ],
)
def test_every_trim_gives_its_page_size(
    trim: str, width: float, height: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [pdf] = build(make_book(tmp_path, f'trim = "{trim}"'), tmp_path / "out", monkeypatch).values()
    reader = PdfReader(pdf)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.01)
    _assert_text_inside_text_block(pdf, page_geometry(trim, len(reader.pages)))


def _assert_text_inside_text_block(pdf: Path, page) -> None:
    """Every word, running heads and folios aside, stands inside the page's text block."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for number, page_xml in enumerate(bbox.split("<page ")[1:], start=1):
        inner_left = number % 2 == 1  # recto pages have the gutter on the left
        left = page.inner if inner_left else page.outer
        right = page.width - (page.outer if inner_left else page.inner)
        for x_min, y_min, x_max, y_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            page_xml,
        ):
            if float(y_min) < page.top or float(y_max) > page.height - page.bottom:
                continue  # the head and the folio stand in the margins by design
            assert float(x_min) >= left - 0.5, f"page {number}: {word!r} left of the text block"
            assert float(x_max) <= right + 0.5, f"page {number}: {word!r} right of the text block"


def test_margins_scale_with_the_trim_and_the_gutter_with_the_pages() -> None:
    trade, pocket = page_geometry("6x9in", 100), page_geometry("5x8in", 100)
    assert (trade.top, trade.outer, trade.inner) == (54, 45, 63)  # 0.75, 0.625, 0.875 in
    assert pocket.outer / pocket.width == pytest.approx(trade.outer / trade.width)
    assert pocket.top / pocket.height == pytest.approx(trade.top / trade.height)
    assert (trade.font_size, pocket.font_size, page_geometry("us-letter", 1).font_size) == (
        10.5,
        10,
        12,
    )
    thick = page_geometry("6x9in", 640)
    assert thick.inner - trade.inner == binding_allowance(640) - binding_allowance(100) == 13.5
    assert thick.outer == trade.outer


def test_a_long_book_is_laid_out_with_the_gutter_its_page_count_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Thresholds shrunk a hundredfold, so that a book of some thirty pages is a "thick" one.
    monkeypatch.setattr("publish.pdf.trims.BINDING_ALLOWANCE", ((2, 18.0), (5, 22.5)))
    folder = make_book(tmp_path, 'trim = "a5"')
    long = (BOOKS / "features" / "03-long.md").read_text(encoding="utf-8")
    (folder / "chapter.md").write_text(long, encoding="utf-8")
    [pdf] = build(folder, tmp_path / "out", monkeypatch).values()
    reader = PdfReader(pdf)
    thick = page_geometry("a5", len(reader.pages))
    assert thick.inner == pytest.approx(page_geometry("a5", 1).inner - 18 + 36)  # THICKEST
    _assert_text_inside_text_block(pdf, thick)
    lefts = _word_lefts(pdf, page=9)  # a full recto page of the chapter
    assert min(lefts) == pytest.approx(thick.inner, abs=0.5)


def _word_lefts(pdf: Path, page: int) -> list[float]:
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', bbox)]


@pytest.fixture(scope="module")
def both_variants(variants_book: Path) -> dict[str, Path]:
    """The features book as print (6 x 9 in, 3 mm bleed, crop marks, PDF/A-3b) and screen."""
    with pytest.MonkeyPatch.context() as patch:
        return build(variants_book, variants_book.parent / "out", patch)


@pytest.fixture(scope="module")
def variants_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_book(tmp_path_factory.mktemp("variants"), VARIANTS_TABLE, "features")


VARIANTS_TABLE = (
    'variant = ["print", "screen"]\nbleed = "3mm"\ncrop-marks = true\nstandard = "pdf/a-3b"'
)


def test_both_variants_have_the_same_bytes_when_built_again(
    variants_book: Path,
    both_variants: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    again = build(variants_book, tmp_path / "again", monkeypatch)
    assert sorted(again) == sorted(both_variants)
    for name, path in again.items():
        assert path.read_bytes() == both_variants[name].read_bytes(), name


def test_both_variants_in_one_run(both_variants: dict[str, Path]) -> None:
    assert sorted(both_variants) == [
        "notes-figures-and-links-screen.pdf",
        "notes-figures-and-links.pdf",
    ]


def test_print_variant_has_bleed_and_crop_marks_around_the_trim(
    both_variants: dict[str, Path],
) -> None:
    page = PdfReader(both_variants["notes-figures-and-links.pdf"]).pages[0]
    bleed = 3 * MM
    assert [float(v) for v in page.trimbox] == pytest.approx([0, 0, 432, 648], abs=0.01)
    assert [float(v) for v in page.mediabox] == pytest.approx(
        [-bleed, -bleed, 432 + bleed, 648 + bleed], abs=0.01
    )
    # Crop marks: lines drawn in the bleed, outside the trim, on an otherwise blank page 2.
    pixels = _rendered_page(both_variants["notes-figures-and-links.pdf"], 2)
    edge = round(bleed) - 1  # px at 72 dpi: the band between the media's edge and the trim
    band = [pixels.getpixel((x, y)) for x in range(pixels.width) for y in range(edge)]
    inside = pixels.crop((edge + 2, edge + 2, pixels.width - edge - 2, pixels.height - edge - 2))
    assert min(band) < 128 and inside.getextrema() == (255, 255)


def _rendered_page(pdf: Path, number: int) -> Image.Image:
    png = subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", "-png", "-f", str(number), "-l", str(number), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def test_screen_variant_is_single_sided_with_no_blank_pages_and_coloured_links(
    both_variants: dict[str, Path],
) -> None:
    printed = PdfReader(both_variants["notes-figures-and-links.pdf"])
    screen = PdfReader(both_variants["notes-figures-and-links-screen.pdf"])
    assert len(screen.pages) < len(printed.pages)
    assert all(page.extract_text().strip() for page in screen.pages)
    assert [float(v) for v in screen.pages[0].mediabox] == [0, 0, 432, 648]  # no bleed
    link_colour = b"0.113725 0.309804 0.568627 rg"  # #1d4f91
    assert any(link_colour in page.get_contents().get_data() for page in screen.pages)
    assert not any(link_colour in page.get_contents().get_data() for page in printed.pages)
    # Half-title, title, copyright and contents follow each other with no blank between.
    assert screen.page_labels[:5] == ["i", "ii", "iii", "iv", "1"]


def test_pdf_a_3b_declares_itself_and_stays_tagged(both_variants: dict[str, Path]) -> None:
    reader = PdfReader(both_variants["notes-figures-and-links.pdf"])
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp or b"<pdfaid:part>3</pdfaid:part>" in xmp
    assert b'pdfaid:conformance="B"' in xmp or b"<pdfaid:conformance>B" in xmp
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


@pytest.mark.skipif(not CMYK_PROFILE.is_file(), reason="no CMYK ICC profile (apt libgs-common)")
def test_pdf_x_4_uses_the_printers_profile_and_same_bytes_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_book(tmp_path, 'standard = "pdf/x-4"\ncolor-profile = "press/coated.icc"')
    (folder / "press").mkdir()
    shutil.copy(CMYK_PROFILE, folder / "press" / "coated.icc")
    [first] = build(folder, tmp_path / "first", monkeypatch).values()
    [second] = build(folder, tmp_path / "second", monkeypatch).values()
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(first)
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/DestOutputProfile"].get_object().get_data() == CMYK_PROFILE.read_bytes()
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4<" in root["/Metadata"].get_object().get_data()
    assert reader.pdf_header == "%PDF-1.6"
    assert reader.page_labels[-1] == "1"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('trim = "7x"', "'trim' must be one of 5x8in, 5.25x8in, 5.5x8.5in, 6x9in, a5, b-format"),
        ('trim = "20x30in"', "'trim' '20x30in' is not a book trim (3 x 4 in up to 12 x 15 in)"),
        ('variant = "web"', '\'variant\' must be "print", "screen" or both as a list'),
        ('bleed = "3"', "'bleed' must be a length such as '0.125in' or '3mm', not '3'"),
        ("crop-marks = 1", "'crop-marks' must be true or false, not 1"),
        ('standard = "pdf/a-1b"', "'standard' must be one of 'pdf/ua-1', 'pdf/a-3b', 'pdf/x-4'"),
        ('standard = "pdf/x-4"', "pdf/x-4 needs the printer's CMYK ICC profile; add a line"),
        ('trimm = "a5"', "unknown key 'trimm' in [pdf] (did you mean 'trim'?)"),
    ],
)
def test_wrong_pdf_options_are_config_errors_at_their_line(
    table: str, message: str, tmp_path: Path
) -> None:
    folder = make_book(tmp_path, table)
    with pytest.raises(ConfigError) as raised:
        load_book(folder)
    [found] = raised.value.problems
    assert found.line == 7  # minimal's book.toml: four lines, a blank, [pdf], the key
    assert found.message.startswith(message), found.message


def test_trims_accept_the_multiplication_sign_and_mixed_case() -> None:
    assert parse_trim("6 \u00d7 9 IN") == parse_trim("6x9in") == (432, 648)


def test_running_heads_are_shortened_at_a_word() -> None:
    assert running_head("Pain: A Guide for Patients") == "Pain"
    assert running_head("Short Title") == "Short Title"
    long = "Managing the Side Effects of Kratom and Its Hyperpigmentation, Naturally and Safely"
    assert running_head(long) == "Managing the Side Effects of Kratom and Its…"
