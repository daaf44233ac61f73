"""The chapter's shape: heading levels, titles that repeat the book's or are missing, links
written for another tool."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html

from publish.commands.findings import Finding
from publish.convert import HEADINGS, as_written_from, find_chapter, link_line
from publish.errors import problem
from publish.model import Book, Chapter

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:\s|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def heading_levels(
    source: Path, tree: html.HtmlElement, lines: list[str], top: int
) -> list[Finding]:
    findings = []
    previous, line = top, 0
    for element in tree.iter(*HEADINGS):
        level = int(element.tag[1])
        line = _heading_line(lines, element, after=line) or line
        if level > previous + 1:
            text = " ".join(element.text_content().split())
            wanted = "#" * (previous + 1)
            if previous == 0:
                message = f"the chapter opens with a level-{level} heading "
                message += f"(write '{wanted} {text}')"
            else:
                message = (
                    f"heading '{text}' skips from level {previous} to {level} "
                    f"(write '{wanted} {text}', or add the level between)"
                )
            findings.append(Finding("warning", problem(source, message, line or None, 1)))
        previous = level
    return findings


def untitled(source: Path, chapter: Chapter, has_heading: bool) -> Finding:
    """A note: the chapter opens with text, so the contents name it by a title of our making."""
    what = "text comes before the first heading" if has_heading else "no heading"
    if chapter.given_title:
        why = "its title in book.toml"
    else:
        name = chapter.source_path
        why = (
            "from its file name; to name it otherwise, write in book.toml: "
            f'chapters = [{{ file = "{name}", title = "…" }}, …]'
        )
    title = chapter.given_title or chapter.file_title
    message = f"{what}, so the contents list the chapter as '{title}' ({why})"
    return Finding("note", problem(source, message, 1))


def links_for_other_tools(
    book: Book, chapter: Chapter, source: Path, tree: html.HtmlElement
) -> list[Finding]:
    """One note per file for links that name chapters by another tool's page (`ch02.html`)."""
    chapters = {other.source_path: other for other in book.chapters}
    seen: Counter[str] = Counter()
    found = []
    for anchor in tree.iter("a"):
        href = anchor.get("href") or ""
        try:
            url = urlsplit(href)
        except ValueError:  # `https://[::1`: the build removes it, with a message of its own
            continue
        if url.scheme or url.netloc or not url.path:
            continue
        seen[href] += 1
        target, other_form = find_chapter(chapters, chapter, url.path)
        if target is not None and other_form:
            written = as_written_from(chapter, target) + (
                f"#{url.fragment}" if url.fragment else ""
            )
            found.append((link_line(chapter, anchor, seen[href] - 1), href, written))
    if not found:
        return []
    line, href, written = found[0]
    more = f"; {len(found) - 1} more links here are written so" if len(found) > 1 else ""
    message = (
        f"link to '{href}' names a chapter by the page another tool makes of it: it leads to "
        f"the chapter, but '{written}' is what every tool reads{more}"
    )
    return [Finding("note", problem(source, message, line))]


def has_heading(tree: html.HtmlElement) -> bool:
    return next(tree.iter(*HEADINGS), None) is not None


def book_title_headings(
    book: Book, source: Path, tree: html.HtmlElement, lines: list[str]
) -> list[Finding]:
    """A `#` heading that repeats the book's title: the contents would list it as a chapter."""
    title = comparable(book.metadata.title)
    findings, line = [], 0
    for element in tree.iter("h1"):
        line = _heading_line(lines, element, after=line) or line
        text = " ".join(element.text_content().split())
        if _repeats(comparable(text), title):
            message = (
                f"heading '{text}' repeats the book's title, so the contents list it as a chapter "
                "(remove it: the title page shows the title)"
            )
            findings.append(Finding("warning", problem(source, message, line or None, 1)))
    return findings


def _repeats(heading: str, title: str) -> bool:
    """The heading is the title, perhaps with more after it ("… 2nd Edition"), or the title's
    first half or more (a series name)."""
    if not heading or not title:
        return False
    return heading.startswith(title) or (
        title.startswith(heading) and 2 * len(heading) >= len(title)
    )


def comparable(text: str) -> str:
    """Text without case, punctuation or spacing: 'You Don't Know JS' ~ 'YOU DONT KNOW JS'."""
    return "".join(character for character in text.casefold() if character.isalnum())


def _heading_line(lines: list[str], element: html.HtmlElement, after: int) -> int | None:
    """The line, past `after`, of a `#` heading with this text outside code blocks; else the
    first line past `after` that holds its text (a heading underlined with === or ---)."""
    text = " ".join(element.text_content().split())
    wanted = comparable(text)[:40]
    fence = None
    for number, line in enumerate(lines, start=1):
        if match := _FENCE.match(line):
            marker = match[1][0]
            fence = None if fence == marker else fence or marker
            continue
        if number <= after or fence is not None or not (heading := _ATX_HEADING.match(line)):
            continue
        plain = " ".join(re.sub(r"[*_`\\]", "", line[heading.end() :]).strip(" #").split())
        # Compared without punctuation: the text has curly quotes where the Markdown has straight.
        if len(heading[1]) == int(element.tag[1]) and comparable(plain).startswith(wanted):
            return number
    for number, line in enumerate(lines[after:], start=after + 1):
        if text and text in line:
            return number
    return None
