"""Each hostile fixture book ends with its exact messages and exit status, and writes nothing bad.

`tests/books/hostile-*/expected.txt` holds the arguments after the folder (first line), the exit
status (second line) and then every line the build prints to stderr. Run with
`UPDATE_EXPECTED=1` to rewrite them after a reviewed change of wording.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from conftest import BOOKS, ROOT
from publish.cli import main

# Progress lines (plain on a pipe) say how far a build got, not what was wrong: not pinned here.
PROGRESS = re.compile(r"^publish: (converting|converted|laying out|laid out) ")

HOSTILE = sorted(path.name for path in BOOKS.glob("hostile-*") if path.is_dir())


@pytest.fixture(autouse=True)
def _from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # messages name paths as typed from here


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_book_ends_with_its_exact_messages(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected_file = BOOKS / name / "expected.txt"
    args_line, exit_line, *expected = expected_file.read_text(encoding="utf-8").splitlines()
    out = tmp_path / "dist"
    status = main(["build", f"tests/books/{name}", "--out", str(out), *shlex.split(args_line)])
    err = [line for line in capsys.readouterr().err.splitlines() if not PROGRESS.match(line)]
    if os.environ.get("UPDATE_EXPECTED"):
        lines = [args_line, f"exit {status}", *err]
        expected_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    assert err == expected
    assert f"exit {status}" == exit_line
    written = (
        sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []
    )
    if status == 0:
        assert len(written) == 2
    else:
        assert written == []
