"""Build stages, timed: wall and CPU seconds and peak memory, logged and recorded for benchmarks."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

# When set, each finished stage appends one JSON line to this file (tests/bench/run.py reads it).
TIMINGS_ENV = "PUBLISH_TIMINGS"


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the block as the build stage `name`; a stage that fails is not recorded."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    record = {
        "stage": name,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "peak_mb": peak_memory_mb(),
    }
    log.info(
        "%s: %.2f s (CPU %.2f s), peak memory so far %.0f MB",
        name,
        record["wall"],
        record["cpu"],
        record["peak_mb"],
    )
    target = os.environ.get(TIMINGS_ENV)
    if target:
        with Path(target).open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(record) + "\n")


def peak_memory_mb() -> float:
    """The process's peak resident memory so far, in MB (0 where the platform cannot tell)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux counts kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
