"""[print] printer profiles: the interior checked and stripped, the wrap-around cover measured.

Every figure is read back from the PDFs (pypdf's boxes, pdftotext's word boxes, the barcode's
bars scanned from a rendering) and compared with the printers' formulas, in points.
"""

from __future__ import annotations

import datetime
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import EPOCH, MANUSCRIPT, ROOT
from publish.build.pipeline import build_book
from publish.errors import ConfigError
from publish.pdf.cover_wrap import cover_geometry, write_cover
from publish.pdf.printers import INGRAMSPARK, KDP, LULU
from publish.pdf.trims import page_geometry
from publish.read.book import load_book

PT = 72  # points per inch
ISBN = "978-0-306-40615-7"
CREATED = datetime.datetime(2025, 11, 24, 16, tzinfo=datetime.UTC)
GENBOOK = ROOT / "tests" / "bench" / "genbook.py"

# EAN-13, written out from the standard (GS1 General Specifications, 5.2.2), not python-barcode.
L_CODES = ["0001101", "0011001", "0010011", "0111101", "0100011",
           "0110001", "0101111", "0111011", "0110111", "0001011"]  # fmt: skip
PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
          "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]  # fmt: skip


def ean13_modules(digits: str) -> str:
    """The 95 modules of an EAN-13: guard, six digits in L/G, centre, six in R, guard."""
    r_codes = ["".join("1" if bit == "0" else "0" for bit in code) for code in L_CODES]
    g_codes = [code[::-1] for code in r_codes]
    left = "".join(
        (L_CODES if parity == "L" else g_codes)[int(digit)]
        for digit, parity in zip(digits[1:7], PARITY[int(digits[0])], strict=True)
    )
    right = "".join(r_codes[int(digit)] for digit in digits[7:])
    return "101" + left + "01010" + right + "101"


def printed_book(tmp_path: Path, printer: str, paper: str = "cream", source: Path = MANUSCRIPT):
    """A copy of `source` sent to `printer`, with an ISBN for its barcode."""
    folder = tmp_path / f"{source.name}-{printer}"
    shutil.copytree(source, folder)
    config = folder / "book.toml"
    text = config.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("identifier =")]
    lines.insert(lines.index("[book]") + 1, f'identifier = "urn:isbn:{ISBN}"')
    lines += ["", "[print]", f'printer = "{printer}"', f'paper = "{paper}"']
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def cover_pdf(folder: Path, pages: int, path: Path, guides: bool = False) -> Path:
    with path.open("wb") as stream:
        write_cover(load_book(folder), pages, CREATED, stream, guides)
    return path


def boxes(pdf: Path) -> dict[str, tuple[float, ...]]:
    page = PdfReader(pdf).pages[0]
    return {
        name: tuple(float(v) for v in getattr(page, name))
        for name in ("mediabox", "trimbox", "bleedbox")
    }


def words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """Each word with its box in points from the sheet's top-left corner (bleed included)."""
    from lxml import etree

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True)
    tree = etree.fromstring(out.stdout, etree.XMLParser(recover=True))
    found = []
    for word in tree.iter("{*}word"):
        box = [float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
        found.append((word.text or "", *box))
    return found


def test_unknown_printer_and_paper_are_config_errors(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    shutil.copytree(MANUSCRIPT, folder)
    with (folder / "book.toml").open("a", encoding="utf-8") as config:
        config.write('\n[print]\nprinter = "amazon"\npaper = "blue"\ncaliper = 2\n')
    with pytest.raises(ConfigError) as error:
        load_book(folder)
    where = folder / "book.toml"
    assert [p.message for p in error.value.problems] == [
        "'printer' must be one of 'generic', 'kdp', 'ingramspark', 'lulu', not 'amazon'",
        "'paper' must be one of 'white', 'cream', 'color', not 'blue'",
        "'caliper' must be a sheet's thickness in inches per page such as 0.0025, not 2",
    ]
    assert {p.path for p in error.value.problems} == {str(where)} or all(
        p.path.endswith("book.toml") for p in error.value.problems
    )


@pytest.mark.parametrize(
    ("pages", "least"), [(100, 0.375), (151, 0.5), (300, 0.5), (301, 0.625), (701, 0.875)]
)
def test_kdp_gutter_meets_its_least_inside_margin_for_any_trim(pages: int, least: float) -> None:
    for trim in ("5x8in", "6x9in", "a5", "8.5x11in"):
        page = page_geometry(trim, pages, printer=KDP)
        assert page.inner >= least * PT
        assert min(page.outer, page.top, page.bottom) >= 0.25 * PT
        generic = page_geometry(trim, pages)
        assert page.inner >= generic.inner and page.outer == generic.outer


def test_ingramspark_margins_leave_room_for_heads_and_folios() -> None:
    page = page_geometry("6x9in", 200, printer=INGRAMSPARK)
    assert page.top >= 0.9 * PT and page.bottom >= 0.9 * PT  # 0.5 in + the head's 0.4 in


@pytest.mark.parametrize(
    ("printer", "paper", "spine"),
    [
        (KDP, "cream", 300 * 0.0025),
        (KDP, "white", 300 * 0.002252),
        (KDP, "color", 300 * 0.002347),
        (INGRAMSPARK, "white", 300 / 444),
        (LULU, "white", 300 / 444 + 0.06),
    ],
)
def test_cover_of_300_pages_at_6x9_has_the_printers_size(
    tmp_path: Path, printer, paper: str, spine: float
) -> None:
    folder = printed_book(tmp_path, printer.name, paper)
    geometry = cover_geometry(load_book(folder), 300)
    assert abs(geometry.spine - spine) < 1e-9
    found = boxes(cover_pdf(folder, 300, tmp_path / "cover.pdf"))
    width, height = 6 + spine + 6, 9.0  # the cover as cut
    bleed = 0.125
    media = found["mediabox"]
    assert abs((media[2] - media[0]) - (width + 2 * bleed) * PT) < 0.001 * PT
    assert abs((media[3] - media[1]) - (height + 2 * bleed) * PT) < 0.001 * PT
    trim = found["trimbox"]
    assert abs((trim[2] - trim[0]) - width * PT) < 0.001 * PT
    assert abs((trim[3] - trim[1]) - height * PT) < 0.001 * PT
    assert abs(trim[0] - media[0] - bleed * PT) < 0.001 * PT  # bleed on every side
    assert abs(trim[1] - media[1] - bleed * PT) < 0.001 * PT
    assert found["bleedbox"] == media


def test_kdp_cover_of_300_cream_pages_is_13_by_9_25_in(tmp_path: Path) -> None:
    """KDP's formula: 0.125 + 6 + 300 x 0.0025 + 6 + 0.125 = 13.0 in, 9 + 0.25 = 9.25 in."""
    media = boxes(cover_pdf(printed_book(tmp_path, "kdp"), 300, tmp_path / "c.pdf"))["mediabox"]
    assert (round(media[2] - media[0], 3), round(media[3] - media[1], 3)) == (936.0, 666.0)


def test_spine_text_stands_inside_the_spine_top_to_bottom(tmp_path: Path) -> None:
    folder = printed_book(tmp_path, "kdp")
    pdf = cover_pdf(folder, 300, tmp_path / "cover.pdf")
    left = (0.125 + 6) * PT  # the back's bleed and panel
    right = left + 300 * 0.0025 * PT
    margin = KDP.spine_margin * PT
    title_words = ["Chronic", "Pain", "Management", "with", "Kratom", "Dr.", "Emily", "Parker"]
    spine = sorted((w for w in words(pdf) if left < w[1] < right), key=lambda w: w[2])
    assert [w[0] for w in spine] == title_words  # title, then author, from the top down
    for _, x_min, y_min, x_max, y_max in spine:
        assert left + margin <= x_min and x_max <= right - margin
        assert y_min >= (0.125 + 0.5) * PT - 0.1 and y_max <= (0.125 + 9 - 0.5) * PT + 0.1


def test_thin_spine_carries_no_text(tmp_path: Path) -> None:
    folder = printed_book(tmp_path, "kdp")
    pdf = cover_pdf(folder, 78, tmp_path / "cover.pdf")  # KDP: spine text over 79 pages only
    left, right = (0.125 + 6) * PT, (0.125 + 6 + 78 * 0.0025) * PT
    assert [w for w in words(pdf) if left - 1 < w[1] < right] == []


def test_barcode_bars_are_the_isbns_ean13(tmp_path: Path) -> None:
    folder = printed_book(tmp_path, "kdp")
    pdf = cover_pdf(folder, 300, tmp_path / "cover.pdf")
    dpi = 1200
    # The barcode's white zone: 2 x 1.2 in, 0.5 in inside the back's bottom-right corner.
    x, y = (0.125 + 6 - 0.5 - 2) * dpi, (0.125 + 9 - 0.5 - 1.2) * dpi
    row = round(y + 0.5 * dpi)  # through the bars, above the digits
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-x", str(round(x)), "-y", str(row),
         "-W", str(2 * dpi), "-H", "1", str(pdf), str(tmp_path / "row")],
        check=True,
    )  # fmt: skip
    with Image.open(next(tmp_path.glob("row*.png"))) as image:
        gray = image.convert("L")
        dark = [gray.getpixel((i, 0)) < 128 for i in range(gray.width)]  # type: ignore[operator]
    first, last = dark.index(True), len(dark) - 1 - dark[::-1].index(True)
    module = (last + 1 - first) / 95
    runs, start = [], first
    for i in range(first + 1, last + 2):
        if i == last + 1 or dark[i] != dark[start]:
            runs.append(("1" if dark[start] else "0") * round((i - start) / module))
            start = i
    assert abs(module - 0.30 / 25.4 * dpi) < 1  # 0.30 mm modules
    assert "".join(runs) == ean13_modules("9780306406157")
    text = [w[0] for w in words(pdf)]
    assert "9780306406157" in text and [w for w in text if w in {"9", "780306", "406157"}] == [
        "9",
        "780306",
        "406157",
    ]


def test_no_isbn_leaves_a_white_zone_and_a_low_cover_image_is_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "b"
    shutil.copytree(MANUSCRIPT, folder)
    Image.new("RGB", (600, 900), "navy").save(folder / "cover.png")
    with (folder / "book.toml").open("a", encoding="utf-8") as config:
        config.write('\n[print]\nprinter = "kdp"\n')
    text = (folder / "book.toml").read_text(encoding="utf-8")
    (folder / "book.toml").write_text(
        text.replace("[book]\n", '[book]\ncover = "cover.png"\n'), encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING, logger="publish"):
        pdf = cover_pdf(folder, 300, tmp_path / "cover.pdf")
    assert [r.getMessage().split(": ", 1)[1] for r in caplog.records] == [
        "the cover image is 600 x 900 px, 97 pixels per inch on the printed front "
        "(6.125 x 9.250 in with its bleed): KDP asks for 300; use an image of at least "
        "1838 x 2775 px"
    ]
    assert not [w for w in words(pdf) if w[0].isdigit() and len(w[0]) == 13]
    rendered = tmp_path / "c"
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(rendered)], check=True)
    with Image.open(next(tmp_path.glob("c*.png"))) as image:
        zone_centre = (round((0.125 + 6 - 0.5 - 1) * 20), round((0.125 + 9 - 0.5 - 0.6) * 20))
        rgb = image.convert("RGB")
        assert rgb.getpixel(zone_centre) == (255, 255, 255)

        # The front image reaches into the bleed on its three outer edges, and stops at the fold.
        def navy(pixel: tuple[int, ...]) -> bool:
            return max(abs(a - b) for a, b in zip(pixel, (0, 0, 128), strict=True)) <= 2

        for corner in ((rgb.width - 2, 1), (rgb.width - 2, rgb.height - 2)):  # in the bleed
            assert navy(rgb.getpixel(corner))  # type: ignore[arg-type]
        fold = round((0.125 + 6 + 300 * 0.002252) * 20)  # white paper
        assert navy(rgb.getpixel((fold + 1, rgb.height // 2)))  # type: ignore[arg-type]
        assert not navy(rgb.getpixel((fold - 2, rgb.height // 2)))  # type: ignore[arg-type]


def test_cover_is_the_same_bytes_twice(tmp_path: Path) -> None:
    folder = printed_book(tmp_path, "kdp")
    one = cover_pdf(folder, 300, tmp_path / "one.pdf").read_bytes()
    two = cover_pdf(folder, 300, tmp_path / "two.pdf").read_bytes()
    assert one == two


def test_300_page_generated_book_cover(tmp_path: Path) -> None:
    """A generated novel's metadata on the cover of 300 KDP cream pages (its text not laid out)."""
    source = tmp_path / "novel"
    subprocess.run(
        [sys.executable, str(GENBOOK), "--words", "2000", "--chapters", "3", str(source)],
        check=True,
        capture_output=True,
    )
    with (source / "book.toml").open("a", encoding="utf-8") as config:
        config.write('description = "A generated novel, to measure a real-sized cover."\n')
    folder = printed_book(tmp_path, "kdp", source=source)
    pdf = cover_pdf(folder, 300, tmp_path / "cover.pdf")
    assert boxes(pdf)["trimbox"][2] - boxes(pdf)["trimbox"][0] == pytest.approx(12.75 * PT)
    title = load_book(folder).metadata.title.split()
    left, right = (0.125 + 6) * PT, (0.125 + 6.75) * PT
    assert [w[0] for w in words(pdf) if left < w[1] < right][: len(title)] == title
    assert "generated" in [w[0] for w in words(pdf) if w[3] < left]  # the back's description


@pytest.fixture(scope="module")
def kdp_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], list[str]]:
    tmp = tmp_path_factory.mktemp("kdp")
    folder = printed_book(tmp, "kdp")
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logging.getLogger("publish").addHandler(handler)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
            outputs = build_book(folder, tmp / "dist", ["pdf"])
    finally:
        logging.getLogger("publish").removeHandler(handler)
    return {o.path.name: o.path for o in outputs}, records


def test_kdp_build_makes_interior_screen_edition_cover_and_guides(kdp_build) -> None:
    outputs, _ = kdp_build
    slug = "chronic-pain-management-with-kratom"
    assert sorted(outputs) == sorted(
        f"{slug}{end}.pdf" for end in ("", "-screen", "-cover", "-cover-guides")
    )
    for path in outputs.values():
        subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    pages = len(PdfReader(outputs[f"{slug}.pdf"]).pages)
    media = boxes(outputs[f"{slug}-cover.pdf"])["mediabox"]
    spine = (pages + pages % 2) * 0.0025
    assert abs((media[2] - media[0]) - (12.25 + spine) * PT) < 0.001 * PT


def test_kdp_interior_has_no_bookmarks_nor_annotations_the_screen_edition_keeps_them(
    kdp_build,
) -> None:
    outputs, _ = kdp_build
    interior = PdfReader(outputs["chronic-pain-management-with-kratom.pdf"])
    assert "/Outlines" not in interior.trailer["/Root"]
    assert not any("/Annots" in page for page in interior.pages)
    raw = outputs["chronic-pain-management-with-kratom.pdf"].read_bytes()
    assert b"/Annot" not in raw and b"/Link" not in raw
    screen = PdfReader(outputs["chronic-pain-management-with-kratom-screen.pdf"])
    assert screen.outline and any("/Annots" in page for page in screen.pages)
    assert "/StructTreeRoot" in screen.trailer["/Root"]


def test_kdp_findings_give_reason_source_and_what_to_do(kdp_build) -> None:
    _, records = kdp_build
    assert [r.split(":", 2)[1] for r in records] == ["21"]  # [print] printer's line
    assert [r.split(": ", 1)[1] for r in records] == [
        "KDP: the book has 18 pages: it binds books of 24 to 828 pages only "
        "(KDP, Set Trim Size, Bleed, and Margins (kdp.amazon.com/help/topic/G201834240)); "
        "a smaller trim or more text makes more pages"
    ]


def test_ingramspark_margins_measured_on_every_page_are_half_an_inch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = printed_book(tmp_path, "ingramspark")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    with caplog.at_level(logging.WARNING, logger="publish"):
        outputs = build_book(folder, tmp_path / "dist", ["pdf"])
    messages = [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "margin is" in m]
    assert [m.split(": ", 1)[1].split(":")[0:2] for m in messages] == [
        ["IngramSpark", " the last page is not blank"]
    ]
    # The words' boxes, from pdftotext, against the trim: 0.5 in on every side of every page.
    interior = next(o.path for o in outputs if o.path.name.endswith("kratom.pdf"))
    for _, x_min, y_min, x_max, y_max in words(interior):
        assert x_min >= 0.5 * PT - 0.5 and x_max <= 5.5 * PT + 0.5
        assert y_min >= 0.5 * PT - 0.5 and y_max <= 8.5 * PT + 0.5


def test_a_wrong_isbn_a_long_description_and_title_are_warned_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = printed_book(tmp_path, "kdp")
    config = folder / "book.toml"
    text = config.read_text(encoding="utf-8").replace(ISBN, "978-0-306-40615-8")
    lines = [
        'description = "' + "Word " * 1900 + '"' if line.startswith("description =") else line
        for line in text.splitlines()
    ]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="publish"):
        pdf = cover_pdf(folder, 300, tmp_path / "cover.pdf")
        cover_pdf(folder, 300, tmp_path / "guides.pdf", guides=True)  # says nothing again
    assert [r.getMessage().split(": ", 1)[1] for r in caplog.records] == [
        "the ISBN 978-0-306-40615-8 is no valid ISBN-13 (or ISBN-10), so the cover leaves a "
        "white zone for the barcode: check its digits",
        "the description is too long for the back cover, which shows what fits above the "
        "barcode; shorten it",
    ]
    assert not [w for w in words(pdf) if w[0].isdigit()]


def test_cover_follows_the_page_count_when_the_text_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = printed_book(tmp_path, "lulu", "white")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    slug = "chronic-pain-management-with-kratom"

    def built() -> tuple[int, float]:
        outputs = {o.path.name: o for o in build_book(folder, tmp_path / "dist", ["pdf"])}
        media = boxes(outputs[f"{slug}-cover.pdf"].path)["mediabox"]
        return outputs[f"{slug}.pdf"].pages or 0, (media[2] - media[0]) / PT

    pages, width = built()
    chapter = folder / "05-about-the-author.md"
    paragraph = "\n\nA paragraph added to make the book longer, sentence after sentence. " * 200
    chapter.write_text(chapter.read_text(encoding="utf-8") + paragraph, encoding="utf-8")
    more_pages, wider = built()
    assert more_pages > pages
    for count, cover_width in ((pages, width), (more_pages, wider)):
        counted = count + count % 2
        assert cover_width == pytest.approx(0.25 + 12 + counted / 444 + 0.06, abs=0.001)
