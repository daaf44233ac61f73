"""What the sanitizer takes out of raw HTML, said at the lines it was written on.

Two kinds, two wordings. What could run code, fetch or take input (scripts, frames, objects,
forms, handlers, active URLs) is removed: "removed <script> from raw HTML: a book keeps no
scripts, ...". An element a book simply does not use (`<center>`, mdBook's
`<Listing number="1-1">`, MDX's `<Note>`, MathML) is unwrapped here, before the sanitizer sees it:
the tags go, the content stays, and the warning says so. Each kind is reported once per chapter,
at its first line, with the count and every line when there are several. Fenced code is never
searched for those lines: markup there is text.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html

from publish.convert.allowlist import (
    ALLOWED_TAGS,
    ATTRIBUTES,
    GLOBAL_ATTRIBUTES,
    REASON,
    RISKY_ATTRIBUTES,
    SCHEME,
    THREATS,
    URL_ATTRIBUTES,
    URL_SCHEMES,
    only_alignment,
    parses,
)
from publish.errors import problem, warn
from publish.model import Chapter

_VALUE = re.compile(r"""=\s*("[^"]*"|'[^']*')""")


@dataclass
class _Found:
    needle: re.Pattern[str]  # what finds it in the Markdown
    count: int = 0
    spelled: str = field(default="")  # an element's name as the author wrote it
    in_values: bool = True  # whether it may be found inside an attribute's quoted value
    fallback: re.Pattern[str] | None = None  # what finds it when `needle` finds nothing


def unwrap_and_report(
    tree: html.HtmlElement, chapter: Chapter, source: Path, code_lines: Collection[int]
) -> bool:
    """Unwrap the elements a book does not use, warn of those and of every removal to come;
    whether the tree changed."""
    removed: dict[str, _Found] = {}
    unwrapped: dict[str, _Found] = {}
    threats = {e for t in tree.iter(*THREATS) for e in t.iterdescendants()}  # held: stable
    for element in tree.iter():
        tag = element.tag
        if tag not in ALLOWED_TAGS and isinstance(tag, str) and element is not tree:
            if tag in THREATS:
                _count(removed, f"<{tag}>", _tag_needle(tag))
            elif element not in threats:
                _count(unwrapped, f"<{tag}>", _tag_needle(tag))
        for name, value in element.attrib.items():
            if name in GLOBAL_ATTRIBUTES:  # never removed: the loop's fast way on
                continue
            what = _removed_attribute(name, value, ATTRIBUTES.get(tag, set()))
            if what:
                _count(removed, what, _attribute_needle(name, value, what))
                # Entities may spell a URL otherwise than its value: then found by its start.
                removed[what].fallback = re.compile(re.escape(value.strip()[:20]), re.IGNORECASE)
    for tag in unwrapped:
        for element in list(tree.iter(tag[1:-1])):
            element.drop_tag()  # keeps its text and children, in place
    if unwrapped:  # `<p><Listing ...></p>` leaves a paragraph with nothing to say
        for paragraph in list(tree.iter("p")):
            if not len(paragraph) and not (paragraph.text or "").strip():
                paragraph.drop_tag()
    if not removed and not unwrapped:
        return False
    lines = _Lines(chapter.markdown, code_lines)
    for what, found in removed.items():
        where, times = lines.find(found)
        warn(problem(source, f"removed {what} from raw HTML{times}: {REASON}", where))
    for found in unwrapped.values():
        where, times = lines.find(found)
        message = f"unknown element <{found.spelled}> unwrapped{times}; its content is kept"
        warn(problem(source, message, where))
    return bool(unwrapped)


def _removed_attribute(name: str, value: str, allowed: set[str]) -> str | None:
    """How the warning names a removed attribute, or None if it stays."""
    if name.startswith("on"):
        return f"{name}="
    if name in URL_ATTRIBUTES and not parses(value.strip()):
        return f"{name}= (a malformed URL)"
    if name in URL_ATTRIBUTES and (found := SCHEME.match(value.strip())):
        scheme = found[1].lower()
        return f"{name}={scheme}:" if scheme not in URL_SCHEMES and len(scheme) > 1 else None
    if name in RISKY_ATTRIBUTES and (
        name not in allowed or (name == "style" and not only_alignment(value))
    ):
        return f"{name}="
    return None


def _count(found: dict[str, _Found], key: str, needle: re.Pattern[str]) -> None:
    entry = found.setdefault(
        key, _Found(needle, spelled=key.strip("<>"), in_values=not key.startswith("<"))
    )
    entry.count += 1


def _tag_needle(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<({re.escape(tag)})(?=[\s/>]|$)", re.IGNORECASE)


def _attribute_needle(name: str, value: str, what: str) -> re.Pattern[str]:
    attribute = rf"(?<![\w:-]){re.escape(name)}\s*="
    if what.startswith(f"{name}=") and what != f"{name}=":  # a URL: found by its start
        start = re.escape(value.strip()[:20])
        return re.compile(rf"{attribute}\s*[\"']?\s*{start}", re.IGNORECASE)
    return re.compile(attribute, re.IGNORECASE)


class _Lines:
    """The chapter's lines outside fenced code, searched for what a warning is about."""

    def __init__(self, markdown: str, code_lines: Collection[int]) -> None:
        self.lines = [
            (number, line)
            for number, line in enumerate(markdown.splitlines(), start=1)
            if number not in code_lines
        ]

    def find(self, found: _Found) -> tuple[int | None, str]:
        """The first line, and " N times (lines a, b, c)" when the author wrote it several
        times (counted in the Markdown; in the HTML when it cannot be found there)."""
        numbers: list[int] = []
        count = 0
        for needle in (found.needle, found.fallback):
            if needle is None or numbers:
                continue
            for number, line in self.lines:
                if not found.in_values:  # a tag, never in an attribute's value
                    line = _VALUE.sub("=", line)
                matches = list(needle.finditer(line))
                if matches:
                    if not numbers and matches[0].groups():
                        found.spelled = matches[0][1]  # `<Listing>` as written, not `listing`
                    numbers.append(number)
                    count += len(matches)
        count = count or found.count
        first = numbers[0] if numbers else None
        if count < 2:
            return first, ""
        listed = ", ".join(map(str, numbers))
        lines = f" ({'lines' if len(numbers) > 1 else 'line'} {listed})" if numbers else ""
        return first, f" {count} times{lines}"
