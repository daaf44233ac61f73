"""After layout: the hyphens a typesetter would take back, kept whole in one more layout.

CSS has no `hyphenate-limit-lines` in WeasyPrint and cannot see a page turn, so the laid-out
lines are read back: a word hyphenated on the last line of a page (its halves would sit on two
pages) and the third hyphenated line in a row of a paragraph are faults. Each faulty word is
wrapped in `<span class="nohyphen">` in the laid-out document's own tree, which is serialised
for the next layout. Only words WeasyPrint hyphenated are taken back: a hard hyphen ("blue-green")
and an author's soft hyphen stay where they are.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from weasyprint.formatting_structure import boxes

HYPHEN = "-"  # print.css: hyphenate-character
MOST_IN_A_ROW = 2
_LETTERS = re.compile(r"^[^\W\d_]+")


@dataclass(frozen=True)
class Fault:
    element: ET.Element  # the element whose own text holds the word
    word: str  # the whole word, as written


def hyphen_faults(pages: Sequence[Any]) -> list[Fault]:
    """The hyphenated words at a page's foot or third in a row, in reading order."""
    lines = list(_body_lines(pages))
    faults: list[Fault] = []
    run: list[Fault | None] = []  # the paragraph's lines ending in a hyphen so far, in a row
    for index, (page, block, line) in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        previous = lines[index - 1] if index else None
        if previous is None or previous[1] is not block or not _ends_in_hyphen(line):
            run = []
        if not _ends_in_hyphen(line):
            continue
        fault = _hyphenated(line, following[2] if following else None)
        run.append(fault)
        page_turn = following is not None and following[0] != page and following[1] is block
        if page_turn and fault is not None:
            faults.append(fault)
            run = []
        elif len(run) > MOST_IN_A_ROW:
            # A hard hyphen cannot be taken back: the last word broken by WeasyPrint can.
            taken = next((f for f in reversed(run) if f is not None), None)
            if taken is not None:
                faults.append(taken)
                run = []
    return faults


def _ends_in_hyphen(line: boxes.LineBox) -> bool:
    texts = _texts(line)
    return bool(texts) and texts[-1].text.rstrip().endswith(HYPHEN)


def keep_whole(faults: list[Fault]) -> None:
    """Wrap each faulty word in its element's own text in a span WeasyPrint will not break."""
    for fault in faults:
        pattern = re.compile(rf"(?<![^\W\d_]){re.escape(fault.word)}(?![^\W\d_])")
        element = fault.element
        if element.text and pattern.search(element.text):
            element.text = _wrapped(element, 0, element.text, pattern)
            continue
        for index, child in enumerate(list(element)):
            if child.tail and pattern.search(child.tail):
                child.tail = _wrapped(element, index + 1, child.tail, pattern)
                break


def laid_out_html(document: Any) -> str:
    """The document WeasyPrint laid out, as HTML again, with the words kept whole since."""
    root = document.pages[0]._page_box.children[0].element  # the <html> element
    return "<!DOCTYPE html>\n" + ET.tostring(root, encoding="unicode", method="html")


def _wrapped(parent: ET.Element, at: int, text: str, pattern: re.Pattern[str]) -> str:
    """Insert a span for the first match at `at` in `parent`; return the text before it."""
    match = pattern.search(text)
    assert match is not None
    span = ET.Element("span", {"class": "nohyphen"})
    span.text = match[0]
    span.tail = text[match.end() :]
    parent.insert(at, span)
    return text[: match.start()]


def _hyphenated(line: boxes.LineBox, following: boxes.LineBox | None) -> Fault | None:
    """The word WeasyPrint broke at the end of `line`, or None."""
    texts = _texts(line)
    if not texts or following is None or not texts[-1].text.endswith(HYPHEN):
        return None
    end = texts[-1]
    head = end.text[: -len(HYPHEN)].split()[-1:] or [""]
    start = _texts(following)
    tail = _LETTERS.match(start[0].text) if start else None
    if tail is None or not _LETTERS.fullmatch(head[0]) or start[0].element is not end.element:
        return None  # a hard hyphen, a soft one, or a word across two elements
    word = head[0] + tail[0]
    element = end.element
    own = [element.text or ""] + [child.tail or "" for child in element]
    if not any(re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text) for text in own):
        return None
    return Fault(element, word)


def _texts(line: boxes.Box) -> list[boxes.TextBox]:
    return [box for box in line.descendants() if isinstance(box, boxes.TextBox) and box.text]


def _body_lines(pages: Sequence[Any]) -> Iterator[tuple[int, Any, boxes.LineBox]]:
    """(page, paragraph, line) for every line of the text flow, notes and margins left out.

    A paragraph split over two pages is two boxes: its element names it on both.
    """
    for index, page in enumerate(pages):
        for area in page._page_box.children:  # WeasyPrint keeps the laid-out boxes here
            if not isinstance(area, boxes.MarginBox | boxes.FootnoteAreaBox):
                yield from ((index, block.element, line) for block, line in _lines(area))


def _lines(box: boxes.Box) -> Iterator[tuple[boxes.Box, boxes.LineBox]]:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            yield box, child
        else:
            yield from _lines(child)
