"""Outputs appear whole or not at all, and dates come from SOURCE_DATE_EPOCH.

A build writes every output to a temporary file beside it and renames them into place only when
all are written, holding a lock on the output folder meanwhile: an error, Ctrl-C or a kill
leaves the previous files as they were, and a second build in the same folder waits its turn.
Temporaries a killed build left behind are swept by the next one.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import logging
import os
import re
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from publish.errors import PublishError, problem
from publish.model import FORMATS

log = logging.getLogger(__name__)

# A test names a fault point here to have the build kill itself with SIGKILL when it gets there.
FAULT_POINT_VARIABLE = "PUBLISH_FAULT_POINT"
LOCK_WAIT_SECONDS = 120.0
# `.name.epub.k3j_x9a2.tmp`: what `_temporary` makes, and all the sweep removes.
_TEMPORARY = re.compile(rf"^\..+\.(?:{'|'.join(FORMATS)})\.[A-Za-z0-9_]+\.tmp$")


def build_time() -> datetime.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; in UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    return datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)


def fault_point(name: str) -> None:
    """A named moment in writing the outputs, where tests interrupt a build.

    In-process tests replace this function to raise; a test running publish as a child process
    sets PUBLISH_FAULT_POINT to the name, and the build kills itself there as `kill -9` would.
    """
    if os.environ.get(FAULT_POINT_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def state_dir(out_dir: Path) -> Path:
    """Where builds keep what a later build can reuse (cache, page maps); safe to delete."""
    return out_dir / ".publish"


def page_map_path(out_dir: Path) -> Path:
    """Where the last print PDF's page starts are kept, for an EPUB built alone."""
    return state_dir(out_dir) / "page-map.json"


class StagedOutputs:
    """Outputs written beside their final paths, waiting to be renamed into place together."""

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []  # (temporary, final path)

    @contextlib.contextmanager
    def open(self, path: Path) -> Iterator[IO[bytes]]:
        """A stream for `path`'s new contents; `path` itself changes only at the end."""
        kind = path.suffix.lstrip(".")
        handle, temporary = _temporary(path)
        self._staged.append((temporary, path))
        fault_point(f"{kind}-temporary-created")
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o644)
        fault_point(f"{kind}-written-before-rename")

    def _publish(self) -> None:
        for temporary, path in self._staged:
            temporary.replace(path)
            fault_point(f"{path.suffix.lstrip('.')}-renamed")

    def _discard(self) -> None:
        for temporary, _ in self._staged:
            temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def staged_outputs(out_dir: Path) -> Iterator[StagedOutputs]:
    """Lock `out_dir`, sweep a killed build's leftovers, and stage the outputs written inside.

    When the block ends without error every staged output is renamed into place, one after
    the other; on an error or Ctrl-C none is, and their temporaries are removed. A folder that
    cannot be written (a file, a full disk) is a PublishError, not a traceback.
    """
    try:
        with output_lock(out_dir):
            sweep_temporaries(out_dir)
            staged = StagedOutputs()
            try:
                yield staged
                staged._publish()
            except BaseException:
                staged._discard()
                raise
    except OSError as error:
        reason = error.strerror or str(error)
        message = f"cannot write the book here ({reason}); choose another --out folder"
        raise PublishError([problem(out_dir, message)]) from error


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside `path`, then rename it over `path` in one step.

    If writing fails or is interrupted, `path` keeps its previous contents.
    """
    handle, temporary = _temporary(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o644)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary(path: Path) -> tuple[int, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    return handle, Path(name)


def sweep_temporaries(out_dir: Path) -> list[Path]:
    """Remove what killed builds left half-written in `out_dir`; call it holding the lock."""
    swept = [path for path in out_dir.glob(".*.tmp") if _TEMPORARY.match(path.name)]
    for path in swept:
        path.unlink(missing_ok=True)
        log.info("removed %s, left by an interrupted build", path)
    return swept


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold `out_dir` for one build: another build waits, then gives up with a clear message.

    The lock is the kernel's (flock), so a killed build releases it by dying.
    """
    state = state_dir(out_dir)
    state.mkdir(parents=True, exist_ok=True)
    lock_path = state / "lock"
    with lock_path.open("a+") as lock:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        waiting = False
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = lock_path.read_text(encoding="utf-8").strip() or "?"
                if time.monotonic() >= deadline:
                    message = (
                        f"another publish build (process {holder}) is writing here; "
                        "wait for it to finish, then build again"
                    )
                    raise PublishError([problem(out_dir, message)]) from None
                if not waiting:
                    log.warning("waiting for another build (process %s) to finish", holder)
                    waiting = True
                time.sleep(0.1)
        try:
            lock.truncate(0)
            lock.write(f"{os.getpid()}\n")
            lock.flush()
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
