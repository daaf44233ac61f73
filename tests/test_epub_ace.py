"""DAISY Ace finds no accessibility violation in any good book's EPUB.

Ace runs the EPUB's pages in a headless Chromium, which is too heavy for every test run:
these tests run with `make ace` (`pytest -m ace`), not with `make test`. They need the npm
package `@daisy/ace-cli` and a Chromium (Debian's `chromium` will do).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import GOOD_BOOKS
from publish.build.pipeline import build_book

pytestmark = pytest.mark.ace

ACE = shutil.which("ace-cli") or shutil.which("ace")
CHROMIUM = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or next(
    filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
)


def ace_violations(epub: Path, report_dir: Path) -> list[str]:
    """Every violation Ace reports, as 'page: impact rule: what is wrong'."""
    if ACE is None or CHROMIUM is None:
        pytest.fail(
            "make ace needs DAISY Ace and Chromium: "
            "PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @daisy/ace-cli; apt-get install chromium"
        )
    environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
    command = [ACE, "--silent", "--force", "--outdir", str(report_dir), str(epub)]
    subprocess.run(command, env=environment, check=True, timeout=600)  # ace adds --no-sandbox
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    return [
        f"{subject['earl:testSubject']['url']}: {found['earl:test']['earl:impact']} "
        f"{found['earl:test']['dct:title']}: {found['earl:result'].get('dct:description', '')}"
        for subject in report["assertions"]
        for found in subject.get("assertions", [])
    ]


def test_ace_reports_no_violation(built, tmp_path: Path) -> None:
    assert ace_violations(built.epub, tmp_path / "ace") == []


def test_ace_reports_no_violation_with_the_typeface_embedded(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    shutil.copytree(GOOD_BOOKS["features"], folder)
    with (folder / "book.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[epub]\nembed-fonts = true\n")
    (output,) = build_book(folder, tmp_path / "out", ["epub"])
    assert ace_violations(output.path, tmp_path / "ace") == []
