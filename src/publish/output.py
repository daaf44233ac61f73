"""Write stage, files: outputs appear whole or not at all, and dates come from SOURCE_DATE_EPOCH."""

from __future__ import annotations

import contextlib
import datetime
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def build_time() -> datetime.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; in UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    return datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside `path`, then rename it over `path` in one step.

    If writing fails or is interrupted, `path` keeps its previous contents.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
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


def state_dir(out_dir: Path) -> Path:
    """Where builds keep what a later build can reuse (cache, page maps); safe to delete."""
    return out_dir / ".publish"
