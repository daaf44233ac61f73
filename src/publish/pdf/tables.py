"""Tables wider than the text block, set smaller so that they fit it; joints WeasyPrint can use.

A table's columns can be no narrower than their longest unbreakable word (a word breaks at
spaces, hyphens, after a slash and at the joints convert marked with `<wbr>`). Where the columns'
narrowest widths, added up, pass the text block's, the table is set in smaller type with
tighter cells (`wide`, then `wider`); where even that is too wide, words may break anywhere
(`tightest`) rather than run past the margin. The measure is in characters: a line of the text
block holds about 65 at every trim, because type scales with the page.
"""

from __future__ import annotations

import re

from lxml import html

LINE_CHARACTERS = 62  # characters of text in a line of the text block, at the body's size
CHARACTER_WIDTH = {"": 1.0, "code": 1.15}  # a code character is wider than an average one
# Each step: the class, the table's type size against the body's, a cell's padding in characters.
STEPS = (("", 0.9, 2.7), ("wide", 0.8, 1.6), ("wider", 0.7, 1.1))
_BREAKS = re.compile(r"[\s\u200b]+|(?<=[/-])(?=.)")  # spaces, joints, after / and -


def fit_tables(tree: html.HtmlElement) -> None:
    """Give each table too wide for the text block the class that sets it small enough."""
    for table in tree.iter("table"):
        columns = narrowest_columns(table)
        if not columns:
            continue
        fits = (
            name
            for name, size, pad in STEPS
            if sum(columns) * size + pad * len(columns) * size <= LINE_CHARACTERS
        )
        name = next(fits, "wider tightest")
        if name:
            table.set("class", " ".join(filter(None, [table.get("class"), name])))


def wbr_as_characters(tree: html.HtmlElement) -> None:
    """Each `<wbr>` as the zero-width space it stands for (U+200B), in the text around it.

    WeasyPrint breaks at a `<wbr>` only when it is a direct child of the block being laid out:
    one inside `<code>` or any other inline element, in a table cell, was no break at all, and
    the cell's words broke anywhere instead. The character breaks wherever it stands.
    """
    for wbr in list(tree.iter("wbr")):
        parent, previous = wbr.getparent(), wbr.getprevious()
        joined = "\u200b" + (wbr.tail or "")
        if previous is None:
            parent.text = (parent.text or "") + joined
        else:
            previous.tail = (previous.tail or "") + joined
        parent.remove(wbr)


def narrowest_columns(table: html.HtmlElement) -> list[float]:
    """Each column's narrowest width in characters: its longest word that cannot break."""
    widths: list[float] = []
    for row in table.iter("tr"):
        column = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            span = _span(cell)
            longest = max((_width(word) for word in _words(cell)), default=0.0) / span
            for index in range(column, column + span):
                if index == len(widths):
                    widths.append(0.0)
                widths[index] = max(widths[index], longest)
            column += span
    return widths


def _span(cell: html.HtmlElement) -> int:
    try:
        return max(1, min(int(cell.get("colspan", "1")), 100))
    except ValueError:
        return 1


def _words(cell: html.HtmlElement) -> list[tuple[str, str]]:
    """(word, "code" or "") for each unbreakable word of the cell."""
    words: list[tuple[str, str]] = []

    def visit(element: html.HtmlElement, kind: str) -> None:
        kind = "code" if element.tag in ("code", "kbd", "samp", "pre") else kind
        if element.tag != "wbr":  # a joint: the words on either side are measured apart
            words.extend((word, kind) for word in _BREAKS.split(element.text or ""))

        for child in element:
            if isinstance(child.tag, str):
                visit(child, kind)
            words.extend((word, kind) for word in _BREAKS.split(child.tail or ""))

    visit(cell, "")
    return words


def _width(word: tuple[str, str]) -> float:
    text, kind = word
    return len(text) * CHARACTER_WIDTH[kind]
