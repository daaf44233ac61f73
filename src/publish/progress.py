"""Progress of long work: stages report steps as log records; a handler shows them to the author.

Stages call `track()` or `step()`; nothing is shown unless the command line installs a
`ProgressHandler`. WeasyPrint reports each page it lays out on its own `weasyprint.progress`
logger, which the handler reads too: it has no other hook into its layout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO, TypeVar

log = logging.getLogger("publish.progress")
WEASYPRINT_LOGGER = "weasyprint.progress"
_WEASYPRINT_PAGE = "Step 5 - Creating layout - Page"

CONVERT = "convert"  # chapters converted from Markdown
LAYOUT = "layout"  # pages of the print edition laid out
EPUBCHECK = "epubcheck"  # the EPUB validated by EPUBCheck (Java: slow to start)

# What each stage says when it starts and when it is done, in plain-line mode.
_WORDS = {
    CONVERT: ("converting {total} chapter{total_s}", "converted {done} chapter{done_s}"),
    LAYOUT: ("laying out the print edition", "laid out {done} page{done_s}"),
    EPUBCHECK: ("checking the EPUB with EPUBCheck", "EPUBCheck done"),
}
_BAR_LABELS = {
    CONVERT: "converting chapters",
    LAYOUT: "laying out pages",
    EPUBCHECK: "checking the EPUB with EPUBCheck",
}

T = TypeVar("T")


@dataclass(frozen=True)
class Step:
    stage: str
    done: int
    total: int | None  # None while the end is not known (pages being laid out)


def step(stage: str, done: int, total: int | None = None) -> None:
    log.info("%s %d/%s", stage, done, total, extra={"step": Step(stage, done, total)})


def track(items: Sequence[T], stage: str) -> Iterator[T]:
    """Yield each item, reporting one step done as the next one is asked for."""
    step(stage, 0, len(items))
    for done, item in enumerate(items, start=1):
        yield item
        step(stage, done, len(items))


def _as_step(record: logging.LogRecord) -> Step | None:
    found = getattr(record, "step", None)
    if isinstance(found, Step):
        return found
    # WeasyPrint: 'Step 5 - Creating layout - Page %d', once per page and per layout pass.
    if record.name == WEASYPRINT_LOGGER and str(record.msg).startswith(_WEASYPRINT_PAGE):
        args = record.args if isinstance(record.args, tuple) else ()
        if args and isinstance(args[0], int):
            return Step(LAYOUT, args[0], None)
    return None


class ProgressHandler(logging.Handler):
    """Draws steps as one bar redrawn in place on a terminal, or as plain lines (for CI logs).

    Plain lines are for long work: a stage says it started only once it has run for
    `quiet_for` seconds, and then that it is done, so a short build prints its results alone.
    """

    WIDTH = 24  # characters of the bar

    QUIET_FOR = 3.0  # seconds a stage runs before plain lines mention it

    def __init__(self, stream: TextIO, *, bar: bool, quiet_for: float | None = None) -> None:
        super().__init__(logging.INFO)
        self.stream = stream
        self.bar = bar
        self.quiet_for = self.QUIET_FOR if quiet_for is None else quiet_for
        self._started: dict[str, tuple[float, str]] = {}  # stage -> (when, its start line)
        self._announced: set[str] = set()
        self._drawn = False
        self._last_draw = 0.0
        self._passes: dict[str, int] = {}
        self._last_done: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        current = _as_step(record)
        if current is None:
            return
        try:
            if self.bar:
                self._draw(current)
            else:
                self._line(current)
        except Exception:  # a closed stream must not stop a build
            self.handleError(record)

    def clear(self) -> None:
        """Wipe the bar, so a message or a result line starts on a clean line."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def _line(self, current: Step) -> None:
        start, end = _WORDS.get(current.stage, ("{stage}", "{stage} done"))
        words = {
            "stage": current.stage,
            "done": current.done,
            "total": current.total,
            "done_s": "s" * (current.done != 1),
            "total_s": "s" * (current.total != 1),
        }
        now = time.monotonic()
        if current.done == 0 and current.stage not in self._started:
            self._started[current.stage] = (now, f"publish: {start.format(**words)}\n")
        since, start_line = self._started.get(current.stage, (now, ""))
        if current.stage not in self._announced and now - since >= self.quiet_for:
            self._announced.add(current.stage)
            self.stream.write(start_line)
        if current.total is not None and current.done >= current.total:
            self._started.pop(current.stage, None)
            if current.stage in self._announced:
                self._announced.discard(current.stage)
                self.stream.write(f"publish: {end.format(**words)}\n")
        self.stream.flush()

    def _draw(self, current: Step) -> None:
        finished = current.total is not None and current.done >= current.total > 0
        if finished:
            self._passes.pop(current.stage, None)
            self._last_done.pop(current.stage, None)
            self.clear()
            return
        # A page number that falls back means WeasyPrint started another layout pass.
        if current.done < self._last_done.get(current.stage, 0):
            self._passes[current.stage] = self._passes.get(current.stage, 1) + 1
        self._last_done[current.stage] = current.done
        now = time.monotonic()
        if self._drawn and now - self._last_draw < 0.05:
            return  # redrawing faster than the eye reads only costs time
        self._last_draw = now
        label = _BAR_LABELS.get(current.stage, current.stage)
        if current.total:
            filled = self.WIDTH * current.done // current.total
            bar = "=" * filled + " " * (self.WIDTH - filled)
            text = f"{label} [{bar}] {current.done}/{current.total}"
        elif current.done == 0:
            text = f"{label}…"
        else:
            passes = self._passes.get(current.stage, 1)
            text = f"{label}: page {current.done}" + (f" (pass {passes})" if passes > 1 else "")
        self.stream.write(f"\r\x1b[K{text}")
        self.stream.flush()
        self._drawn = True
