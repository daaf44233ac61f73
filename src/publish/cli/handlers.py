"""What each command prints: outputs, findings, tables; the work itself is in publish.commands."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from publish.cli.parser import Parser

# What the process exits with; README's table explains each.
EXIT_OK, EXIT_AUTHOR_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell's own code for Ctrl-C


if TYPE_CHECKING:
    pass


def run_new(args: argparse.Namespace) -> int:
    from publish.commands import create_book

    files = create_book(args.dir, args.title, args.author, args.language)
    if args.quiet:
        return EXIT_OK
    print(f"created {args.dir} with {len(files)} files:")
    for path in files:
        print(f"  {path.relative_to(args.dir).as_posix()}")
    print(f"next: publish build {args.dir}   (or: publish serve {args.dir})")
    return EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    from publish.build import build_book

    outputs = build_book(
        args.dir, args.out, args.format, strict=args.strict, use_cache=not args.no_cache
    )
    if not args.quiet:
        for output in outputs:
            pages = f", {output.pages} pages" if output.pages is not None else ""
            print(
                f"{output.path}  ({output.format.upper()}{pages}, {size_text(output.size)}, "
                f"{output.seconds:.1f} s)"
            )
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    from publish.commands import check_book

    report = check_book(args.dir, args.printer, args.store)
    for finding in report.findings:
        print(finding)
    print(report.summary())
    failed = report.errors or (args.strict and report.warnings)
    return EXIT_AUTHOR_ERROR if failed else EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from publish.commands import serve

    serve(args.dir, args.out, args.port, quiet=args.quiet)
    return EXIT_OK


def run_stats(args: argparse.Namespace) -> int:
    from publish.commands import book_stats

    if not args.quiet:
        print(
            "publish: counting pages means laying out the PDF; this takes a moment", file=sys.stderr
        )
    for line in book_stats(args.dir).table():
        print(line)
    return EXIT_OK


def run_completion(parser: Parser, args: argparse.Namespace) -> int:
    import shtab

    print(shtab.complete(parser, shell=args.shell))
    return EXIT_OK


def size_text(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
