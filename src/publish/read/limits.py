"""Chapter text that would make Markdown or layout run away is refused early.

Python-Markdown and WeasyPrint are recursive and, on some inputs, quadratic: a thousand nested
quotations overflow the stack, ten thousand unclosed `[` take minutes. Each limit here is far
beyond what a book needs and keeps the worst case of a build within a couple of minutes; each
refusal names the line and what to do.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

MAX_CHAPTER_BYTES = 4 * 1024 * 1024  # about 650,000 words
MAX_PARAGRAPH_CHARS = 100_000  # about 16,000 words, some 30 printed pages
# Python-Markdown scans from each `[` to its `]` (or the paragraph's end), one character at
# a time: the sum of those distances bounds its time (two million is about a second).
MAX_BRACKET_SCAN = 2_000_000
# Each inline match rebuilds the rest of the paragraph: markup characters x paragraph length.
MAX_MARKUP_WORK = 1_000_000_000
CHAPTER_FACTOR = 4  # a chapter may do four times a paragraph's worst in all
MAX_NESTING = 40  # quotations and lists inside each other: Python-Markdown recurses per level
MAX_HTML_DEPTH = 200  # Python-Markdown's md_in_html recurses per level
MAX_CALLS_PER_NOTE = 100
MAX_FOOTNOTES = 2_000
MAX_HEADINGS = 2_000
MAX_ABBREVIATIONS = 500

_MARKUP = "[]<>'\"\\*_`&!\n"  # newlines too: each hard line break is an inline match
_BRACKET = re.compile(r"\\.|\]\(|[\[\]()]")
# A quotation or list marker opening a line (after the ones before it): `> - 1. text`.
_CONTAINER = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))[ \t]?")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_VOID |= {"track", "wbr", "param", "keygen"}
# Character classes exclude `[` and line ends, so that a run of `[^[^[^` fails fast.
_NOTE_CALL = re.compile(r"\[\^([^\[\]\s]+)\](?!:)")
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^[^\[\]\n]+\]:", re.MULTILINE)
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)
_ABBREVIATION = re.compile(r"^ {0,3}\*\[[^\[\]\n]+\]:", re.MULTILINE)


@dataclass(frozen=True)
class Overrun:
    """Where a chapter goes past a limit, and what to do about it."""

    line: int
    message: str


def check_limits(text: str) -> list[Overrun]:
    """Every limit the chapter's Markdown goes past, at the line where it does."""
    found = list(_paragraph_overruns(text))
    found += _nesting_overruns(text)
    found += _count_overruns(text)
    return found


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Each run of non-blank lines with its first line number."""
    line = 1
    for block in re.split(r"(\n[ \t]*\n)", text):
        if block.strip() and not block.startswith("\n"):
            yield line, block
        line += block.count("\n")


def _paragraph_overruns(text: str) -> Iterator[Overrun]:
    chapter_scan = chapter_work = 0
    for line, block in _paragraphs(text):
        if len(block) > MAX_PARAGRAPH_CHARS:
            yield Overrun(
                line,
                f"paragraph of {len(block):,} characters; publish lays out paragraphs of at most "
                f"{MAX_PARAGRAPH_CHARS:,}: split it with blank lines",
            )
            return
        scan = _bracket_scan(block)
        work = sum(map(block.count, _MARKUP)) * len(block)
        chapter_scan, chapter_work = chapter_scan + scan, chapter_work + work
        if scan > MAX_BRACKET_SCAN or chapter_scan > CHAPTER_FACTOR * MAX_BRACKET_SCAN:
            yield Overrun(
                line,
                "too many '[' left open or nested to read in reasonable time; close each "
                "'[' with ']' and each '](' with ')', or write them as '\\[' and '\\('",
            )
            return
        if work > MAX_MARKUP_WORK or chapter_work > CHAPTER_FACTOR * MAX_MARKUP_WORK:
            yield Overrun(
                line,
                "paragraph too dense with markup characters ([ ] < > * _ ` ' \") for its length "
                "to read in reasonable time; split it with blank lines",
            )
            return


def _bracket_scan(block: str) -> int:
    """How many characters Python-Markdown scans matching the paragraph's brackets.

    From each `[` it looks for the matching `]`, and from each `](` for the matching `)`, one
    character at a time, to the end of the paragraph when there is none.
    """
    scanned = 0
    brackets: list[int] = []
    parentheses: list[tuple[int, bool]] = []  # (where, whether a link target opens there)
    for match in _BRACKET.finditer(block):
        mark, start = match[0], match.start()
        if mark == "[":
            brackets.append(start)
        elif mark == "]" and brackets:
            scanned += start - brackets.pop()
        elif mark in {"](", "("}:
            if mark == "](" and brackets:
                scanned += start - brackets.pop()
            parentheses.append((start, mark == "]("))
        elif mark == ")" and parentheses:
            opened, is_link = parentheses.pop()
            scanned += start - opened if is_link else 0
    scanned += sum(len(block) - start for start in brackets)
    return scanned + sum(len(block) - start for start, is_link in parentheses if is_link)


def _nesting_overruns(text: str) -> Iterator[Overrun]:
    html_depth = 0
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        depth = _container_depth(line)
        if depth > MAX_NESTING:
            yield _too_deep(number, "quotations or lists", MAX_NESTING)
            return
        for tag in _TAG.finditer(line):
            if tag[2].lower() in _VOID or tag[3]:
                continue
            html_depth = max(0, html_depth - 1) if tag[1] else html_depth + 1
            if html_depth > MAX_HTML_DEPTH:
                yield _too_deep(number, "HTML elements", MAX_HTML_DEPTH)
                return


def _container_depth(line: str) -> int:
    """How many quotations and lists a line stands in: its markers, and its indentation."""
    depth = position = 0
    while match := _CONTAINER.match(line, position):
        depth += 1
        position = match.end()
    if depth == 0:
        return 0  # indentation alone makes a code block or a continued paragraph, no new level
    indentation = len(line) - len(line.lstrip(" \t"))
    return depth + len(line[:indentation].expandtabs(4)) // 4


def _too_deep(line: int, what: str, limit: int) -> Overrun:
    return Overrun(
        line, f"{what} nested more than {limit} levels deep; no book needs that many: flatten them"
    )


def _count_overruns(text: str) -> Iterator[Overrun]:
    calls = Counter(match[1] for match in _NOTE_CALL.finditer(text))
    for label, count in calls.items():
        if count > MAX_CALLS_PER_NOTE:
            yield Overrun(
                _line_of(text, f"[^{label}]"),
                f"footnote '[^{label}]' is cited {count:,} times; cite one note at most "
                f"{MAX_CALLS_PER_NOTE} times (give the others notes of their own)",
            )
    for pattern, what, limit in [
        (_NOTE_DEFINITION, "footnotes", MAX_FOOTNOTES),
        (_HEADING, "headings", MAX_HEADINGS),
        (_ABBREVIATION, "abbreviation definitions", MAX_ABBREVIATIONS),
    ]:
        matches = pattern.finditer(text)
        for count, match in enumerate(matches, start=1):
            if count > limit:
                yield Overrun(
                    text.count("\n", 0, match.start()) + 1,
                    f"more than {limit:,} {what} in one chapter; split the chapter",
                )
                break


def _line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, max(text.find(needle), 0)) + 1
