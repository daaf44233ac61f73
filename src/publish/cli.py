"""Command line: arguments, logging, and errors -> messages and exit codes; no book logic."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from publish import __version__
from publish.model import FORMATS

EXIT_OK, EXIT_AUTHOR_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

log = logging.getLogger("publish")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publish",
        description="Turn a Markdown manuscript into an EPUB 3 and a print-ready PDF.",
        epilog="example: publish build manuscript --out dist --format epub,pdf",
    )
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser(
        "build",
        help="build the EPUB and the PDF",
        description="Build the book in DIR into OUT.",
        epilog="example: publish build manuscript --format epub",
    )
    build.add_argument(
        "dir",
        nargs="?",
        default="manuscript",
        type=Path,
        help="the manuscript folder (default: manuscript)",
    )
    build.add_argument("--out", default="dist", type=Path, help="output folder (default: dist)")
    build.add_argument(
        "--format",
        default="epub,pdf",
        type=_formats,
        help="comma-separated formats: epub, pdf (default: both)",
    )
    build.add_argument(
        "--strict", action="store_true", help="treat warnings as errors; write nothing then"
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="rebuild everything, reusing nothing from earlier builds (kept in OUT/.publish)",
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    build.add_argument("-v", "--verbose", action="store_true", help="say what each stage does")
    return parser


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [name for name in formats if name not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}"
        )
    return formats


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)  # argparse exits 2 on usage errors, 0 for --help
    _configure_logging(args.quiet, args.verbose)
    if argv is None:  # the `publish` command itself, not a caller in Python
        _build_and_end_process(args)
    return _build(args)


def _build_and_end_process(args: argparse.Namespace) -> NoReturn:
    """Build, then end the process at once, without freeing what the build made.

    Freeing a long book's laid-out pages one object at a time takes seconds. What the libraries
    leave in the temporary folder (WeasyPrint's copies of the fonts) goes in a folder of our own,
    removed before the end.
    """
    temporary = tempfile.mkdtemp(prefix="publish-")
    tempfile.tempdir = temporary
    try:
        code = _build(args)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    os._exit(code)


def _build(args: argparse.Namespace) -> int:
    from publish.build import build_book
    from publish.errors import PublishError

    try:
        outputs = build_book(
            args.dir, args.out, args.format, strict=args.strict, use_cache=not args.no_cache
        )
    except PublishError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"publish: {count} problem{'s' * (count != 1)}; nothing was written", file=sys.stderr)
        return EXIT_AUTHOR_ERROR
    except KeyboardInterrupt:
        print("publish: interrupted; earlier outputs are untouched", file=sys.stderr)
        return 130
    except Exception:
        log.exception("publish hit a bug; please report it with the traceback above")
        return EXIT_INTERNAL
    if not args.quiet:
        for output in outputs:
            pages = f", {output.pages} pages" if output.pages is not None else ""
            print(
                f"{output.path}  ({output.format.upper()}{pages}, {_size(output.size)}, "
                f"{output.seconds:.1f} s)"
            )
    return EXIT_OK


def _configure_logging(quiet: bool, verbose: bool) -> None:
    level = logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    for name in ("publish", "weasyprint", "fontTools"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    # fontTools narrates its font subsetting at INFO; that is not news for an author.
    logging.getLogger("fontTools").setLevel(max(level, logging.WARNING))


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
