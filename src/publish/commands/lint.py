"""What Markdown lets through but a careful editor would not.

Broken links, anchors and images, and notes no text cites, are errors of the convert stage
itself; `publish check` reports those from the build. This module looks for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from lxml import html

from publish.commands.findings import SEVERITIES, Finding
from publish.commands.lint_structure import (
    book_title_headings,
    has_heading,
    heading_levels,
    links_for_other_tools,
    untitled,
)
from publish.convert import HEADINGS, markdown_converter, opens_with_text, prepare_fences
from publish.errors import problem
from publish.model import Book, Chapter
from publish.read import Config

__all__ = ["SEVERITIES", "Finding", "lint_book", "lint_chapter"]


# Text inside these is shown as written, so straight quotes and runs of spaces are meant.
_VERBATIM = frozenset({"code", "pre", "kbd", "samp", "var", "script", "style"})
_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_STRAIGHT_QUOTE = re.compile(r"[\"']")
_STRAIGHTENED = str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''")  # as typed, one for one


def lint_book(book: Book, config: Config) -> list[Finding]:
    """Every finding in the manuscript's text and settings, before anything is built."""
    findings = _unlisted_chapters(book, config)
    for index, chapter in enumerate(book.chapters):
        findings += lint_chapter(book, chapter, first=index == 0)
    findings += _store_readiness(book, config)
    return findings


def lint_chapter(book: Book, chapter: Chapter, first: bool = True) -> list[Finding]:
    source = book.source_dir / chapter.source_path
    tree = _tree(chapter.markdown, book.metadata.language)
    locate = _Locator(chapter.markdown)
    lead = opens_with_text(tree)
    # A chapter's title is level 1: a heading of its own, or the title of a chapter that opens
    # with text; a later file opening with `##` is a section of the chapter before it.
    top = 1 if lead or not first else 0
    findings = heading_levels(source, tree, locate.lines, top)
    findings += book_title_headings(book, source, tree, locate.lines)
    if lead:
        findings.append(untitled(source, chapter, has_heading=has_heading(tree)))
    findings += links_for_other_tools(book, chapter, source, tree)
    if _is_empty(tree):
        message = "has a title but no text yet (write some, or leave the chapter out)"
        findings.append(Finding("warning", problem(source, message, 1)))
    for text in _prose(tree):
        for match in _DOUBLE_SPACE.finditer(text):
            line, column = locate(_contexts(text, match.start(), match.end()))
            message = "two or more spaces in a row (one is enough; the layout sets the spacing)"
            findings.append(Finding("warning", problem(source, message, line, column)))
        for match in _STRAIGHT_QUOTE.finditer(text):
            line, column = locate(_contexts(text, match.start(), match.end()))
            message = (
                f"straight quote {match[0]} left in the text (it is in raw HTML or its direction "
                "is unclear: type the curly one, \u201c \u201d \u2018 \u2019, yourself)"
            )
            findings.append(Finding("warning", problem(source, message, line, column)))
    return findings


def _tree(text: str, language: str) -> html.HtmlElement:
    # The same Markdown as the convert stage, before raw HTML is cut down: text as written.
    converter = markdown_converter(language, text)
    converted = converter.convert(prepare_fences(text).text)
    return html.fragment_fromstring(converted, create_parent="div")


_NOT_PROSE = {"backlink", "footnote-number"}  # a note's number and its links back to the text


def _prose(tree: html.HtmlElement) -> Iterator[str]:
    """Every run of text a reader sees as prose, without code or the footnotes' back-links."""

    def walk(element: html.HtmlElement, verbatim: bool) -> Iterator[str]:
        verbatim = verbatim or element.tag in _VERBATIM
        if element.text and not verbatim:
            yield element.text
        for child in element:
            if isinstance(child.tag, str) and child.get("class") not in _NOT_PROSE:
                yield from walk(child, verbatim)
            if child.tail and not verbatim:
                yield child.tail

    yield from walk(tree, False)


def _contexts(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """Needles for finding text[start:end] in the Markdown, each with the finding's offset in it:
    with context first, then with less (Markdown's own markup may stand in the way)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    needles = []
    for width in (12, 4, 1):
        left = max(line_start, start - width)
        needles.append((text[left : min(line_end, end + width)], start - left))
    return needles


class _Locator:
    """Finds where a piece of converted text stands in the Markdown, which keeps no positions.

    Searches go on from the last place found, so repeated text is found in reading order.
    """

    def __init__(self, markdown_text: str) -> None:
        self.lines = markdown_text.splitlines()
        self.cursor = 0

    def __call__(self, needles: list[tuple[str, int]]) -> tuple[int | None, int | None]:
        """The line and column (from 1) of the first needle found, or (None, None)."""
        order = [*range(self.cursor, len(self.lines)), *range(self.cursor)]
        # The text has curly quotes where the Markdown has straight ones: look for both.
        straight = [(needle.translate(_STRAIGHTENED), offset) for needle, offset in needles]
        for needle, offset in [*needles, *straight]:
            for index in order:
                column = self.lines[index].find(needle) if needle else -1
                if column != -1:
                    self.cursor = index
                    return index + 1, column + offset + 1
        return None, None


def _is_empty(tree: html.HtmlElement) -> bool:
    """True when the chapter holds headings and nothing else a reader could see."""
    for element in tree:
        if not isinstance(element.tag, str) or element.tag in HEADINGS:
            continue  # a comment, or a heading
        if element.text_content().strip() or element.xpath(".//img"):
            return False
    return True


def _unlisted_chapters(book: Book, config: Config) -> list[Finding]:
    if config.chapter_files is None:
        return []  # every *.md file is a chapter then
    listed = {chapter.source_path for chapter in book.chapters}
    folders = {str(PurePosixPath(name).parent) for name in listed} | {"."}
    line = config.line_of("book", "chapters")
    findings = []
    for folder in sorted(folders):
        for path in sorted((book.source_dir / folder).glob("*.md")):
            name = PurePosixPath(folder, path.name).as_posix().removeprefix("./")
            if name not in listed and path.is_file():
                message = (
                    f"'{name}' is not in chapters, so it is not in the book "
                    "(add it to the list, or move it out of the folder)"
                )
                findings.append(Finding("warning", problem(config.path, message, line)))
    return findings


def _store_readiness(book: Book, config: Config) -> list[Finding]:
    """What stores ask for beyond a valid file: notes, never failures."""
    meta = book.metadata
    wanted = [
        ("description", meta.description, "stores and reading systems show it beside the cover"),
        ("date", meta.date, "stores list the publication date"),
        ("rights", meta.rights, "the copyright page states who holds the rights"),
        ("cover", meta.cover, "a plain cover is drawn from the title; stores want your own art"),
    ]
    book_line = config.line_of("book", "")
    return [
        Finding("note", problem(config.path, f"no '{key}' in [book] ({why})", book_line))
        for key, value, why in wanted
        if not value
    ]
