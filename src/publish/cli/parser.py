"""The command line's arguments: commands, options, help texts and examples."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from publish import __version__
from publish.model import FORMATS

STORES = ("kindle", "apple", "kobo", "google")  # as publish.epub.STORES, without loading it

if TYPE_CHECKING:
    pass


EXAMPLES = """\
examples:
  publish new my-book --title "My Book" --author "Jane Doe"
  publish build my-book            # dist/my-book.epub and dist/my-book.pdf
  publish check my-book            # everything that could be wrong, in one list
  publish serve my-book            # live preview at http://127.0.0.1:8000/
  publish stats my-book            # words, reading time, printed pages

exit status: 0 ok, 1 a problem in the book, 2 usage error, 3 a bug in publish
"""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publish",
        description="Turn a Markdown manuscript into an EPUB 3 and a print-ready PDF.",
        epilog=EXAMPLES,
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
    check.add_argument(
        "--printer",
        choices=["kdp", "ingramspark", "lulu", "generic"],
        help="check the print PDF and cover against this printer's rules (default: [print])",
    )
    check.add_argument(
        "--store",
        default=(),
        type=_stores,
        help="comma-separated e-book stores whose own rules to check: kindle, apple, kobo, google",
    )

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


def _stores(value: str) -> tuple[str, ...]:
    stores = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = [name for name in stores if name not in STORES]
    if unknown or not stores:
        raise argparse.ArgumentTypeError(
            f"unknown store {', '.join(unknown) or value!r}; choose from {', '.join(STORES)}"
        )
    return stores


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0 to 65535)")
    return int(value)


Parser = argparse.ArgumentParser
