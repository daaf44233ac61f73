"""Without Pango, `publish` says which library is missing and how to install it; EPUBs still build.

The library is hidden for real: in a mount namespace of its own, /dev/null is bound over the
shared object, so WeasyPrint's dlopen fails exactly as on a machine that lacks it.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EPOCH, MANUSCRIPT


def _library_file(name: str) -> Path | None:
    found = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in found.splitlines():  # "\tlibpango-1.0.so.0 (libc6,x86-64) => /lib/…"
        if line.split()[:1] == [name]:
            return Path(line.rsplit("=>", 1)[1].strip())
    return None


def _without(library: str, command: str) -> subprocess.CompletedProcess[str]:
    file = _library_file(library)
    if file is None or shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root, unshare and the library installed (CI has all three)")
    hide = f"mount --bind /dev/null {file} && exec {command}"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run(
        ["unshare", "--mount", "sh", "-c", hide], capture_output=True, text=True, env=env
    )
    # In a chroot (fresh-machine.sh), / is no mount point: unshare cannot make the namespace
    # private, and a mount that could reach the outer system is not made. The host's run tests it.
    if done.stderr.startswith(("mount:", "unshare:")):
        pytest.skip(f"cannot make a private mount namespace here: {done.stderr.strip()}")
    return done


@pytest.mark.parametrize("library", ["libpango-1.0.so.0", "libgobject-2.0.so.0"])
def test_a_missing_library_is_one_line_naming_it_and_exit_1(library: str, tmp_path: Path) -> None:
    publish = f"{sys.executable} -m publish build {MANUSCRIPT} --out {tmp_path} -q"
    done = _without(library, publish)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    first, summary = done.stderr.splitlines()
    name = library.split(".so")[0]
    assert first.startswith(f"publish: the PDF needs the system library {name}")
    assert "sudo apt-get install libpango-1.0-0" in first or "libglib2.0-0" in first
    assert "'--format epub' builds the EPUB without it" in first
    assert summary == "publish: 1 problem; nothing was written"
    assert list(tmp_path.iterdir()) == []


def test_the_epub_builds_without_pango(tmp_path: Path) -> None:
    publish = f"{sys.executable} -m publish build {MANUSCRIPT} --out {tmp_path} --format epub"
    done = _without("libpango-1.0.so.0", publish)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "chronic-pain-management-with-kratom.epub"
    ]


def test_ctypes_finds_what_the_test_hides() -> None:
    # The test hides a file ld.so would load; make sure it is the one WeasyPrint asks for.
    assert ctypes.util.find_library("pango-1.0")
