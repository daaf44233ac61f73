"""`publish check`: every finding on one sorted line, exit status by severity, no dist/ written."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import BOOKS, GOOD_BOOKS, ROOT
from publish.build.pipeline import build_book
from publish.cli import main
from publish.commands.check import check_book, epubcheck
from publish.convert.markdown import convert_book
from publish.read.book import load_book

FINDINGS = BOOKS / "check-findings"
QUOTE_HINT = (
    "(it is in raw HTML or its direction is unclear: type the curly one, \u201c \u201d \u2018 "
    "\u2019, yourself)"
)


@pytest.fixture(autouse=True)
def _from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # findings name paths as typed from here


@pytest.fixture
def no_epubcheck(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests about the manuscript's findings: skip EPUBCheck's ten seconds of Java."""
    monkeypatch.setattr("publish.commands.check.epubcheck", lambda epub, book: [])


def _write_book(folder: Path, chapters: dict[str, str], extra: str = "") -> Path:
    folder.mkdir(parents=True)
    (folder / "book.toml").write_text(
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\ndate = 2025-01-01\n'
        'rights = "R"\ndescription = "D"\n' + extra,
        encoding="utf-8",
    )
    for name, text in chapters.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_every_kind_of_finding_on_one_sorted_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "tests/books/check-findings"]) == 0  # warnings only
    out = capsys.readouterr().out.splitlines()
    where = "tests/books/check-findings"
    assert out == [
        # WeasyPrint's PDF/UA tagging says it too: the print edition's figure has no /Alt.
        f'{where}: warning: print edition: Image "images/dot.png" has no required alt description',
        f"{where}/01-text.md:3:20: warning: two or more spaces in a row "
        "(one is enough; the layout sets the spacing)",
        f'{where}/01-text.md:5:28: warning: straight quote " left in the text {QUOTE_HINT}',
        f'{where}/01-text.md:5:44: warning: straight quote " left in the text {QUOTE_HINT}',
        f"{where}/01-text.md:7: warning: note call '[^missing]' has no note; "
        "add a line '[^missing]: The note.' or remove the call",
        f"{where}/01-text.md:9: warning: image 'images/dot.png' has no alt text; "
        "describe it for readers who cannot see it",
        f"{where}/01-text.md:9: warning: page 1: image images/dot.png prints at 96 ppi (8 px "
        "across 0.08 in), under 300 ppi it looks soft or stepped on paper; use a file 25 px "
        "wide or more, or give it a resolution that draws it smaller",
        f"{where}/01-text.md:11:1: warning: heading 'Too Deep' skips from level 1 to 4 "
        "(write '## Too Deep', or add the level between)",
        f"{where}/02-empty.md:1: warning: has a title but no text yet "
        "(write some, or leave the chapter out)",
        f"{where}/book.toml:2: note: no 'cover' in [book] "
        "(a plain cover is drawn from the title; stores want your own art)",
        f"{where}/book.toml:9: warning: '03-draft.md' is not in chapters, so it is not in the "
        "book (add it to the list, or move it out of the folder)",
        "publish check: 10 warnings, 1 note",
    ]


def test_build_errors_are_findings_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "tests/books/broken-link", "-q"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "tests/books/broken-link/01-start.md:3: error: link to '09-missing.md' points to no "
        "chapter (did you mean '02-end.md' or '01-start.md'?)",
        "tests/books/broken-link/01-start.md:5: error: link to '02-end.md#nowhere': no heading or "
        "anchor '#nowhere' in 02-end.md (ids there: end)",
        "tests/books/broken-link/01-start.md:7: error: image 'images/none.png' not found",
    ]
    assert out[-1].startswith("publish check: 3 errors")


def test_config_errors_stop_the_check_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "tests/books/broken-unknown-key"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "tests/books/broken-unknown-key/book.toml:5: error: unknown key 'autor' in [book] "
        "(did you mean 'authors'?)",
        "publish check: 1 error",
    ]


def test_warnings_fail_only_under_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_epubcheck: None
) -> None:
    book = _write_book(tmp_path / "b", {"01.md": "# One\n\nTwo  spaces.\n"})
    assert main(["check", str(book)]) == 0
    first = capsys.readouterr().out.splitlines()
    assert main(["check", str(book), "--strict"]) == 1
    assert capsys.readouterr().out.splitlines() == first
    assert first[-1] == "publish check: 1 warning, 1 note"


def test_warnings_a_build_makes_become_findings(tmp_path: Path, no_epubcheck: None) -> None:
    # sanitize.py warns through warn() inside build_book: the check's collector sees it.
    book = _write_book(tmp_path / "b", {"01.md": '# One\n\n<span onclick="x()">Text.</span>\n'})
    findings = [str(f) for f in check_book(book).findings if f.severity != "note"]
    assert len(findings) == 1
    assert findings[0].endswith(
        "01.md:3: warning: removed onclick= from raw HTML: "
        "a book keeps no scripts, frames, forms or active links"
    )


def test_unused_note_is_one_clear_warning(tmp_path: Path) -> None:
    book = _write_book(tmp_path / "b", {"01.md": "# One\n\nText.\n\n[^spare]: Never cited.\n"})
    findings = [str(f).rsplit("/", 1)[-1] for f in check_book(book).findings]
    assert findings == [
        "01.md:5: warning: note '[^spare]' is never cited; cite it with [^spare] or delete it",
        "book.toml:1: note: no 'cover' in [book] "
        "(a plain cover is drawn from the title; stores want your own art)",
    ]


def test_code_keeps_its_quotes_and_spaces(tmp_path: Path, no_epubcheck: None) -> None:
    chapter = (
        '# One\n\nSay `"x"  y` and "z".\n\n```\nprint("a"  )\n```\n\n'
        "    indented  'code'\n\n| a  | b |\n|----|---|\n| 1  | 2 |\n"
    )
    book = _write_book(tmp_path / "b", {"01.md": chapter})
    assert [f.severity for f in check_book(book).findings] == ["note"]


def test_heading_that_opens_below_level_one(tmp_path: Path, no_epubcheck: None) -> None:
    book = _write_book(tmp_path / "b", {"01.md": "## Section\n\nText.\n"})
    findings = [str(f).rsplit("/", 1)[-1] for f in check_book(book).findings]
    assert "01.md:1:1: warning: the chapter opens with a level-2 heading (write '# Section')" in (
        findings
    )


def test_text_before_a_level_two_heading_is_titled_by_the_file(
    tmp_path: Path, no_epubcheck: None
) -> None:
    # The text opens the chapter, titled "Intro" in the contents: `##` is its section.
    book = _write_book(tmp_path / "b", {"01-intro.md": "Intro text.\n\n## Section\n\nText.\n"})
    findings = [str(f).rsplit("/", 1)[-1] for f in check_book(book).findings]
    assert findings[0] == (
        "01-intro.md:1: note: text comes before the first heading, so the contents list the "
        "chapter as 'Intro' (from its file name; to name it otherwise, write in book.toml: "
        'chapters = [{ file = "01-intro.md", title = "…" }, …])'
    )
    assert not any("level-2" in finding for finding in findings)


def test_starter_book_is_clean_under_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_epubcheck: None
) -> None:
    # (tests/test_cli.py runs EPUBCheck on a new book: 0 errors, 0 warnings)
    assert main(["new", str(tmp_path / "fresh")]) == 0
    capsys.readouterr()
    assert main(["check", str(tmp_path / "fresh"), "--strict"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert all(": note: " in line for line in out[:-1])  # cover and description: to do
    assert out[-1] == "publish check: 2 notes"


def test_check_writes_no_dist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_epubcheck: None
) -> None:
    monkeypatch.chdir(tmp_path)
    before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("publish-check-*"))
    assert main(["check", str(GOOD_BOOKS["minimal"]), "-q"]) == 0
    assert list(tmp_path.iterdir()) == []
    assert not (GOOD_BOOKS["minimal"] / "dist").exists()
    after = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("publish-check-*"))
    assert after <= before  # its temporary build folder is gone too


def test_epubcheck_findings_are_filed_under_the_chapter(tmp_path: Path) -> None:
    book = convert_book(load_book(GOOD_BOOKS["features"]))
    epub = next(o.path for o in build_book(book.source_dir, tmp_path) if o.format == "epub")
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "EPUB/02-figures.xhtml":
                data = data.replace(b"</section>", b'<a href="nowhere.xhtml">x</a></section>')
            target.writestr(item, data)
    findings = [str(f) for f in epubcheck(broken, book)]
    assert findings, "EPUBCheck found nothing in a broken EPUB"
    assert all(
        f.startswith("tests/books/features/02-figures.md: error: EPUBCheck RSC-007")
        for f in findings
    ), findings
    assert "(in the EPUB's EPUB/02-figures.xhtml:" in findings[0]


def test_missing_java_is_a_clear_warning(monkeypatch: pytest.MonkeyPatch, features) -> None:
    monkeypatch.setattr("publish.commands.check.shutil.which", lambda name: None)
    book = load_book(GOOD_BOOKS["features"])
    assert [str(f) for f in epubcheck(features.epub, book)] == [
        "tests/books/features/book.toml: warning: EPUBCheck skipped: it needs Java, which is not "
        "installed (install Java 11 or newer: apt-get install default-jre-headless, or brew "
        "install openjdk)"
    ]


def test_check_as_a_subprocess_on_the_manuscript() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "publish", "check", "manuscript", "--strict"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout and "warning:" not in result.stdout
    assert result.stdout.splitlines()[-1].startswith("publish check: ")
    # Only progress on stderr (a line once a stage has run for seconds), never a finding.
    assert all(line.startswith("publish: ") for line in result.stderr.splitlines())


def test_html_comments_before_the_text_do_not_crash_the_check(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A comment before the first text, in a list, in a heading: `check` survives what `build` does.
    assert main(["check", "tests/books/check-comments", "-q"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "tests/books/check-comments/02-only-comments.md:1: warning: has a title but no text yet "
        "(write some, or leave the chapter out)",
        "tests/books/check-comments/book.toml:1: note: no 'cover' in [book] "
        "(a plain cover is drawn from the title; stores want your own art)",
        "publish check: 1 warning, 1 note",
    ]


@pytest.mark.parametrize("name", sorted(path.name for path in BOOKS.iterdir() if path.is_dir()))
def test_check_survives_every_fixture(
    name: str, capsys: pytest.CaptureFixture[str], no_epubcheck: None
) -> None:
    # `check` survives what `build` survives: findings and exit 0 or 1, never a traceback (3).
    assert main(["check", f"tests/books/{name}", "-q"]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err
