"""Command line: arguments, logging, and errors -> messages and exit codes; no book logic."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from publish import __version__
from publish.model import FORMATS

if TYPE_CHECKING:
    from publish.progress import ProgressHandler

EXIT_OK, EXIT_AUTHOR_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell's own code for Ctrl-C

log = logging.getLogger("publish")

_EXAMPLES = """\
examples:
  publish new my-book --title "My Book" --author "Jane Doe"
  publish build my-book            # dist/my-book.epub and dist/my-book.pdf
  publish check my-book            # everything that could be wrong, in one list
  publish serve my-book            # live preview at http://127.0.0.1:8000/
  publish stats my-book            # words, reading time, printed pages

exit status: 0 ok, 1 a problem in the book, 2 usage error, 3 a bug in publish
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publish",
        description="Turn a Markdown manuscript into an EPUB 3 and a print-ready PDF.",
        epilog=_EXAMPLES,
        formatter_class=lambda prog: argparse.RawDescriptionHelpFormatter(
            prog, max_help_position=26
        ),
    )
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", title="commands"
    )

    talk = argparse.ArgumentParser(add_help=False)  # options every long-running command takes
    quiet_or_verbose = talk.add_mutually_exclusive_group()
    quiet_or_verbose.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    quiet_or_verbose.add_argument(
        "-v", "--verbose", action="store_true", help="say what each stage does"
    )

    def command(name: str, summary: str, example: str, parents: bool = True) -> Parser:
        return commands.add_parser(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            epilog=f"example: {example}",
            parents=[talk] if parents else [],
        )

    new = command("new", "create a starter book in a new folder", "publish new my-book")
    new.add_argument("dir", type=Path, help="the folder to create; it must be new or empty")
    new.add_argument("--title", help="the book's title (default: from the folder's name)")
    new.add_argument("--author", help='the author\'s name (default: "Your Name")')
    new.add_argument("--language", default="en", help="a BCP 47 tag such as en, en-GB, fr")

    build = command("build", "build the EPUB and the PDF", "publish build manuscript --format epub")
    _manuscript_argument(build)
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

    check = command(
        "check",
        "find everything that could be wrong, without writing dist/",
        "publish check manuscript --strict",
    )
    _manuscript_argument(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")

    serve = command(
        "serve",
        "preview the book in a browser, rebuilt on every save",
        "publish serve manuscript --port 8001",
    )
    _manuscript_argument(serve)
    serve.add_argument(
        "--port", default=8000, type=_port, help="port on 127.0.0.1 (default: 8000; 0: any free)"
    )
    serve.add_argument(
        "--out", default="dist", type=Path, help="where the EPUB and PDF go (default: dist)"
    )

    stats = command(
        "stats",
        "count words, reading time, notes, images and printed pages",
        "publish stats manuscript",
    )
    _manuscript_argument(stats)

    completion = command(
        "completion",
        "print a shell completion script",
        'eval "$(publish completion bash)"  # or add it to ~/.bashrc',
        False,
    )
    completion.add_argument("shell", choices=["bash", "zsh", "fish"], help="your shell")
    return parser


Parser = argparse.ArgumentParser


def _manuscript_argument(parser: Parser) -> None:
    parser.add_argument(
        "dir",
        nargs="?",
        default="manuscript",
        type=Path,
        help="the manuscript folder (default: manuscript)",
    )


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [name for name in formats if name not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}"
        )
    return formats


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0 to 65535)")
    return int(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)  # argparse exits 2 on usage errors, 0 for --help
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "new": _new,
        "build": _build,
        "check": _check,
        "serve": _serve,
        "stats": _stats,
        "completion": lambda args: _completion(parser, args),
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
        log.exception("publish hit a bug; please report it with the traceback above")
        return EXIT_INTERNAL


def _new(args: argparse.Namespace) -> int:
    from publish.commands.new import create_book

    files = create_book(args.dir, args.title, args.author, args.language)
    if args.quiet:
        return EXIT_OK
    print(f"created {args.dir} with {len(files)} files:")
    for path in files:
        print(f"  {path.relative_to(args.dir).as_posix()}")
    print(f"next: publish build {args.dir}   (or: publish serve {args.dir})")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from publish.build.pipeline import build_book

    outputs = build_book(
        args.dir, args.out, args.format, strict=args.strict, use_cache=not args.no_cache
    )
    if not args.quiet:
        for output in outputs:
            pages = f", {output.pages} pages" if output.pages is not None else ""
            print(
                f"{output.path}  ({output.format.upper()}{pages}, {_size(output.size)}, "
                f"{output.seconds:.1f} s)"
            )
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from publish.commands.check import check_book

    report = check_book(args.dir)
    for finding in report.findings:
        print(finding)
    print(report.summary())
    failed = report.errors or (args.strict and report.warnings)
    return EXIT_AUTHOR_ERROR if failed else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from publish.commands.serve import serve

    serve(args.dir, args.out, args.port, quiet=args.quiet)
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    from publish.commands.stats import book_stats

    if not args.quiet:
        print(
            "publish: counting pages means laying out the PDF; this takes a moment", file=sys.stderr
        )
    for line in book_stats(args.dir).table():
        print(line)
    return EXIT_OK


def _completion(parser: Parser, args: argparse.Namespace) -> int:
    import shtab

    print(shtab.complete(parser, shell=args.shell))
    return EXIT_OK


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


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
