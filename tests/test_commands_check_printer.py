"""`publish check --printer P --store S,...`: printers' and stores' rules as findings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import EPOCH, MANUSCRIPT, ROOT
from publish.build.pipeline import build_book
from publish.cli import main
from publish.cli.parser import STORES as CLI_STORES
from publish.commands.check import check_book
from publish.epub import STORES, check_stores
from publish.read.book import load_book

GENBOOK = ROOT / "tests" / "bench" / "genbook.py"


@pytest.fixture(autouse=True)
def _from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # findings name paths as typed from here


@pytest.fixture
def no_epubcheck(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("publish.commands.check.epubcheck", lambda epub, book: [])


def test_cli_stores_are_the_epub_stages_stores() -> None:
    assert CLI_STORES == STORES


def test_unknown_store_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "manuscript", "--store", "kindle,nook"]) == 2
    error = capsys.readouterr().err
    assert "unknown store 'nook'; choose from kindle, apple, kobo, google" in error


def test_manuscript_with_kdp_and_every_store(no_epubcheck: None) -> None:
    report = check_book(MANUSCRIPT, "kdp", STORES)
    found = [str(f) for f in report.findings if "KDP" in str(f) or "Kindle" in str(f)]
    assert found[0] == (
        "manuscript/book.toml: warning: KDP: the book has 18 pages: it binds books of 24 to 828 "
        "pages only (KDP, Set Trim Size, Bleed, and Margins "
        "(kdp.amazon.com/help/topic/G201834240)); a smaller trim or more text makes more pages"
    )
    assert re.fullmatch(
        r"manuscript/book.toml: note: Kindle: the EPUB is 0\.0\d MB; at the 70% royalty "
        r"Amazon.com keeps about \$0\.01 a copy for delivery \(\$0\.15 a MB, Amazon, Kindle "
        r"Publishing Guidelines\)",
        found[1],
    )
    assert len(found) == 2


def test_store_rules_read_from_the_built_epub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "book.toml").write_text(
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "tlh"\ncover = "cover.png"\n',
        encoding="utf-8",
    )
    (folder / "one.md").write_text(
        "# One\n\n## Two\n\n### Three\n\nLorem ipsum dolor.\n", encoding="utf-8"
    )
    Image.new("RGB", (500, 800), "navy").save(folder / "cover.png")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (epub,) = build_book(folder, tmp_path / "dist", ["epub"])
    found = [
        (kind, f"{Path(p.path).name}: {p.message}")
        for kind, p in check_stores(epub.path, load_book(folder), STORES)
    ]
    assert found == [
        (
            "warning",
            "book.toml: Kindle: the language 'tlh' is not one Kindle sells e-books in, so the "
            "book is refused (Amazon, Kindle Publishing Guidelines); set [book] language to the "
            "book's language",
        ),
        (
            "note",
            "book.toml: Kindle: the EPUB is 0.01 MB; at the 70% royalty Amazon.com keeps about "
            "$0.01 a copy for delivery ($0.15 a MB, Amazon, Kindle Publishing Guidelines)",
        ),
        (
            "warning",
            "one.md: Apple Books: placeholder text 'Lorem ipsum' is a reason for rejection "
            "(Apple Books Asset Guide); finish or remove it",
        ),
        (
            "warning",
            "book.toml: Google Play Books: the cover is 500 x 800 px; it takes covers of 640 to "
            "7,200 px a side (Google Play Books Partner Center help, Cover image requirements); "
            "resize the cover image",
        ),
    ]


def test_toc_depth_counts_the_nested_lists_of_the_toc_only() -> None:
    from publish.epub.stores import _toc_depth

    nav = (
        b'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        b'<body><nav epub:type="toc"><ol><li><ol><li><ol><li>x</li></ol></li></ol></li></ol>'
        b'</nav><nav epub:type="landmarks"><ol><li><ol><li><ol><li><ol><li/></ol></li></ol>'
        b"</li></ol></li></ol></nav></body></html>"
    )
    assert _toc_depth(nav) == 3


def test_a_book_made_to_pass_kdp_and_the_stores_has_no_findings(tmp_path: Path) -> None:
    """A generated 36-page story, with an ISBN, a description and no low-resolution images."""
    folder = tmp_path / "story"
    subprocess.run(
        [sys.executable, str(GENBOOK), "--words=8400", "--chapters=4", "--seed=1", str(folder)],
        check=True,
        capture_output=True,
    )
    for chapter in folder.glob("*.md"):  # its figures are 96 ppi: KDP wants 300
        lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
        chapter.write_text("".join(x for x in lines if not x.startswith("![")), encoding="utf-8")
    cover = Image.new("RGB", (1838, 2775), "navy")  # 300 ppi at 6.125 x 9.25 in, with bleed
    cover.save(folder / "cover.png")
    with (folder / "book.toml").open("a", encoding="utf-8") as config:
        config.write(
            'identifier = "urn:isbn:978-0-306-40615-7"\ndescription = "A generated story."\n'
            'date = 2025-01-01\nrights = "R"\ncover = "cover.png"\n\n'
            '[print]\nprinter = "kdp"\npaper = "cream"\n'
        )
    report = check_book(folder, stores=STORES)
    # The layout report's typesetting findings ("page 12: note 3 is printed on page 13…", which a
    # generated book's long notes can give) are about the pages, not the printer or the stores.
    printer_and_stores = [f for f in report.findings if not f.problem.message.startswith("page ")]
    assert [str(f) for f in printer_and_stores if f.severity != "note"] == []
    assert [f.problem.message for f in report.findings if "KDP" in f.problem.message] == []
