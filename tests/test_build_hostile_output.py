"""Nothing is lost: an error, Ctrl-C or kill -9 while writing leaves the previous outputs whole.

Each named fault point in `publish.build.output` is where a test stops a build: in-process by making
`fault_point` raise, in a child process by PUBLISH_FAULT_POINT, which makes it kill itself.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import EPOCH, GOOD_BOOKS
from publish.build import output
from publish.build.pipeline import build_book
from publish.cli import main
from publish.errors import PublishError, display_path

POINTS = [
    f"{kind}-{moment}"
    for kind in ("epub", "pdf")
    for moment in ("temporary-created", "written-before-rename", "renamed")
]
OUTPUTS = ["a-minimal-book.epub", "a-minimal-book.pdf"]


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The outputs of a first build, which an interrupted second build must leave alone."""
    out = tmp_path_factory.mktemp("previous")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build_book(GOOD_BOOKS["minimal"], out)
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture
def changed_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal book with one more paragraph, so a new build differs from the previous."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    book = tmp_path / "book"
    shutil.copytree(GOOD_BOOKS["minimal"], book)
    with (book / "chapter.md").open("a", encoding="utf-8") as chapter:
        chapter.write("\nA paragraph the previous build did not have.\n")
    return book


def _dist_with(previous: dict[str, bytes], folder: Path) -> Path:
    folder.mkdir()
    for name, data in previous.items():
        (folder / name).write_bytes(data)
    return folder


def _visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


class Interrupted(BaseException):
    pass


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_an_interrupted_build_leaves_the_previous_outputs_and_no_temporaries(
    point: str,
    failure: type[BaseException],
    previous: dict[str, bytes],
    changed_book: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dist = _dist_with(previous, tmp_path / "dist")
    reached: list[str] = []

    def stop_at(name: str) -> None:
        reached.append(name)
        if name == point:
            raise failure("stopped at " + name)

    monkeypatch.setattr(output, "fault_point", stop_at)
    # A failing write is told to the author as a PublishError; Ctrl-C stays KeyboardInterrupt.
    with pytest.raises(PublishError if failure is OSError else failure):
        build_book(changed_book, dist)
    assert reached[-1] == point
    if point == "epub-renamed":
        # Past the first rename: the EPUB is the new one, whole; the PDF is the previous one.
        assert _visible(dist)[OUTPUTS[1]] == previous[OUTPUTS[1]]
        assert _visible(dist)[OUTPUTS[0]] != previous[OUTPUTS[0]]
        assert zipfile.ZipFile(dist / OUTPUTS[0]).testzip() is None
    elif point != "pdf-renamed":
        assert _visible(dist) == previous
    assert _temporaries(dist) == []


def test_ctrl_c_halfway_through_writing_the_epub_leaves_nothing_half_written(
    previous: dict[str, bytes], changed_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = _dist_with(previous, tmp_path / "dist")

    def half_written(package: object, stream: object, modified: object) -> None:
        stream.write(b"PK\x03\x04 half an EPUB")  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    monkeypatch.setattr("publish.epub.zipped.write_epub", half_written)
    with pytest.raises(KeyboardInterrupt):
        build_book(changed_book, dist)
    assert _visible(dist) == previous
    assert _temporaries(dist) == []


def _publish(book: Path, dist: Path, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    if fault:
        env[output.FAULT_POINT_VARIABLE] = fault
    command = [sys.executable, "-m", "publish", "build", str(book), "--out", str(dist), "-q"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    "point", ["epub-written-before-rename", "pdf-temporary-created", "pdf-written-before-rename"]
)
def test_kill_9_while_writing_leaves_the_previous_outputs_and_the_next_build_sweeps(
    point: str, previous: dict[str, bytes], changed_book: Path, tmp_path: Path
) -> None:
    dist = _dist_with(previous, tmp_path / "dist")
    killed = _publish(changed_book, dist, fault=point)
    assert killed.returncode == -signal.SIGKILL
    assert _visible(dist) == previous
    left = _temporaries(dist)
    assert left and all(
        name.startswith((".a-minimal-book.epub.", ".a-minimal-book.pdf.")) for name in left
    )

    again = _publish(changed_book, dist)
    assert again.returncode == 0, again.stderr
    assert _temporaries(dist) == []
    assert sorted(_visible(dist)) == OUTPUTS
    assert all(_visible(dist)[name] != previous[name] for name in OUTPUTS)


def test_a_second_build_in_the_same_folder_waits_then_says_why_it_gave_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dist = tmp_path / "dist"
    monkeypatch.setattr(output, "LOCK_WAIT_SECONDS", 0.3)
    with output.output_lock(dist):  # another build, busy writing
        status = main(["build", str(GOOD_BOOKS["minimal"]), "--out", str(dist), "-q"])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err == [
        f"{display_path(dist)}: another publish build (process {os.getpid()}) is writing "
        "here; wait for it to finish, then build again",
        "publish: 1 problem; nothing was written",
    ]
    assert [p.name for p in dist.iterdir()] == [".publish"]


def test_a_second_build_waits_for_the_first_and_then_writes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dist = tmp_path / "dist"
    held = threading.Event()

    def first_build_writing() -> None:
        with output.output_lock(dist):
            held.set()
            time.sleep(1.0)

    first = threading.Thread(target=first_build_writing)
    first.start()
    held.wait()
    with caplog.at_level(logging.WARNING, logger="publish"):
        outputs = build_book(GOOD_BOOKS["minimal"], dist, ["epub"])
    first.join()
    assert [o.path.name for o in outputs] == [OUTPUTS[0]]
    assert [r.getMessage() for r in caplog.records] == [
        f"waiting for another build (process {os.getpid()}) to finish"
    ]


def test_the_sweep_removes_only_what_a_build_leaves(tmp_path: Path) -> None:
    ours = [".my-book.epub.k3j_x9a2.tmp", ".my-book.pdf.abcdefgh.tmp"]
    theirs = [".notes.txt.k3j_x9a2.tmp", "my-book.epub", ".my-book.epub", "draft.epub.tmp"]
    for name in ours + theirs:
        (tmp_path / name).write_bytes(b"x")
    assert sorted(p.name for p in output.sweep_temporaries(tmp_path)) == sorted(ours)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(theirs)


def test_an_output_folder_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "dist"
    not_a_folder.write_text("a file where the folder should be", encoding="utf-8")
    status = main(["build", str(GOOD_BOOKS["minimal"]), "--out", str(not_a_folder), "-q"])
    assert status == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{display_path(not_a_folder)}: cannot write the book here (Not a directory); "
        "choose another --out folder",
        "publish: 1 problem; nothing was written",
    ]
