"""Command line: arguments, logging, and errors -> messages and exit codes; no book logic."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from publish.cli.handlers import (
    EXIT_AUTHOR_ERROR,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    run_build,
    run_check,
    run_completion,
    run_new,
    run_serve,
    run_stats,
)
from publish.cli.parser import make_parser

if TYPE_CHECKING:
    from publish.progress import ProgressHandler


log = logging.getLogger("publish")


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)  # argparse exits 2 on usage errors, 0 for --help
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "new": run_new,
        "build": run_build,
        "check": run_check,
        "serve": run_serve,
        "stats": run_stats,
        "completion": lambda args: run_completion(parser, args),
    }
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    progress = _configure_logging(
        quiet,
        verbose,
        # `check` reports warnings as findings of its own: logging them as well says each twice.
        silent=args.command == "check",
        # The preview says a line per rebuild; plain progress lines as well would drown it.
        bar_only=args.command == "serve",
    )
    if argv is None and args.command == "build":  # the `publish` command itself
        _run_and_end_process(handlers["build"], args, progress)
    try:
        return _run(handlers[args.command], args)
    finally:
        if progress is not None:
            progress.clear()


def _run_and_end_process(
    handler: Callable[[argparse.Namespace], int],
    args: argparse.Namespace,
    progress: ProgressHandler | None,
) -> NoReturn:
    """Run, then end the process at once, without freeing what the build made.

    Freeing a long book's laid-out pages one object at a time takes seconds. What the libraries
    leave in the temporary folder (WeasyPrint's copies of the fonts) goes in a folder of our own,
    removed before the end.
    """
    temporary = tempfile.mkdtemp(prefix="publish-")
    tempfile.tempdir = temporary
    code = EXIT_INTERNAL
    try:
        code = _run(handler, args)
    finally:
        if progress is not None:
            progress.clear()
        sys.stdout.flush()
        sys.stderr.flush()
        shutil.rmtree(temporary, ignore_errors=True)
    os._exit(code)


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one command; an author's error is its message, a bug keeps its traceback."""
    from publish.errors import PublishError

    try:
        return handler(args)
    except PublishError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        consequence = "; nothing was written" if args.command in ("build", "new") else ""
        print(f"publish: {count} problem{'s' * (count != 1)}{consequence}", file=sys.stderr)
        return EXIT_AUTHOR_ERROR
    except KeyboardInterrupt:
        print("publish: interrupted; earlier outputs are untouched", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:
        # The traceback first, then the line that points up at it.
        log.error("%s", traceback.format_exc().rstrip())
        log.error("publish hit a bug; please report it with the traceback above")
        return EXIT_INTERNAL


def _configure_logging(
    quiet: bool, verbose: bool, *, silent: bool = False, bar_only: bool = False
) -> ProgressHandler | None:
    """Messages to stderr; progress as a bar on a terminal, plain lines otherwise, none with -q."""
    from publish.progress import WEASYPRINT_LOGGER, ProgressHandler

    level = logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING
    terminal = sys.stderr.isatty()
    shown = not quiet and (terminal or not bar_only)
    progress = ProgressHandler(sys.stderr, bar=terminal) if shown else None
    handler = _MessageHandler(progress)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    if silent:  # the loggers still pass warnings on, to whoever collects them
        handler.setLevel(logging.ERROR)
    for name in ("publish", "weasyprint", "fontTools"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    # fontTools narrates its font subsetting at INFO; that is not news for an author.
    logging.getLogger("fontTools").setLevel(max(level, logging.WARNING))
    for name in ("publish.progress", WEASYPRINT_LOGGER):
        logger = logging.getLogger(name)
        logger.handlers[:] = [progress] if progress else []
        logger.setLevel(logging.INFO if progress else logging.WARNING)
        logger.propagate = False
    return progress


class _MessageHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to stderr, wiping the progress bar first so the message is not drawn over it."""

    def __init__(self, progress: ProgressHandler | None) -> None:
        super().__init__(sys.stderr)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        if self.progress is not None:
            self.progress.clear()
        super().emit(record)
