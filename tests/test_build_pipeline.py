"""Whole builds: the command line, reproducible bytes, and the output files."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EPOCH, GOOD_BOOKS
from publish.build.pipeline import build_book
from publish.cli import main


def _digests(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))  # not .publish/
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_same_source_date_epoch_gives_identical_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build_book(GOOD_BOOKS["features"], tmp_path / "first")
    build_book(GOOD_BOOKS["features"], tmp_path / "second")
    first, second = _digests(tmp_path / "first"), _digests(tmp_path / "second")
    assert sorted(first) == ["notes-figures-and-links.epub", "notes-figures-and-links.pdf"]
    assert first == second


def test_cli_builds_both_formats_and_prints_a_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(GOOD_BOOKS["minimal"]), "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{tmp_path / 'a-minimal-book.epub'}  (EPUB, ")
    assert lines[1].startswith(f"{tmp_path / 'a-minimal-book.pdf'}  (PDF, 7 pages, ")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".publish") == [
        "a-minimal-book.epub",
        "a-minimal-book.pdf",
    ]


def test_cli_builds_only_the_format_asked_for(tmp_path: Path) -> None:
    assert (
        main(
            ["build", str(GOOD_BOOKS["minimal"]), "--out", str(tmp_path), "--format", "epub", "-q"]
        )
        == 0
    )
    assert [p.name for p in tmp_path.iterdir() if p.name != ".publish"] == ["a-minimal-book.epub"]


@pytest.mark.parametrize(
    "argv",
    [[], ["bind"], ["build", "--format", "docx"], ["build", "--nope"]],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage: publish" in capsys.readouterr().err


def test_internal_errors_exit_3_with_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("publish.build.pipeline.build_book", broken)
    assert main(["build", str(GOOD_BOOKS["minimal"]), "--out", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "please report it" in err


def test_python_dash_m_publish_and_version(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "publish", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == "publish 0.1.0"


def test_outputs_are_named_after_the_title(built) -> None:
    assert built.epub.suffix == ".epub" and built.pdf.suffix == ".pdf"
    assert built.epub.stem == built.pdf.stem
    if built.name == "manuscript":
        assert built.epub.name == "chronic-pain-management-with-kratom.epub"
