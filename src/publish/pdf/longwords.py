"""Words too long for any line get break opportunities in print, so layout stays linear.

WeasyPrint breaks an over-long word by laying out the rest of it again for every line (and for
a table cell's narrowest width, at every break opportunity), and hyphenates it afresh each time:
a word of 10,000 letters (a pasted hash, a key held down, a URL without a slash) took minutes,
growing with the square of its length. A run of more than LONG_WORD characters without a space
is cut, in the print HTML only, into pieces of BREAK_EVERY characters with an invisible break
opportunity between them: a zero-width space in running text, and in a table cell a `<wbr>`,
which makes each piece a box of its own (WeasyPrint measures a cell's narrowest width by
laying out its text again from every break). The word then breaks at the margin, unhyphenated,
in time that grows with its length. Ordinary long words and URLs are far below the threshold
and lay out as before; the EPUB keeps the text as written.
"""

from __future__ import annotations

import re

from lxml import etree, html

LONG_WORD = 200  # characters without a space: no language's words, few URLs come near
BREAK_EVERY = 8  # a line ending inside such a word falls at most this short of the margin
ZERO_WIDTH_SPACE = "\u200b"
# Only spaces, tabs and line ends count: a no-break space or a thin one offers no break.
_LONG = re.compile(rf"[^ \t\n\r]{{{LONG_WORD},}}")


def break_long_words(tree: html.HtmlElement) -> None:
    """Put a break opportunity every BREAK_EVERY characters into each run of more than
    LONG_WORD characters without a space."""
    for element in list(tree.iter()):
        if isinstance(element.tag, str) and element.text and _LONG.search(element.text):
            element.text, *pieces = _pieces(element.text)
            if _in_cell(element):
                for index, piece in enumerate(pieces):
                    element.insert(index, _wbr(piece))
            else:
                element.text = ZERO_WIDTH_SPACE.join([element.text, *pieces])
        parent = element.getparent()
        if element.tail and parent is not None and _LONG.search(element.tail):
            element.tail, *pieces = _pieces(element.tail)
            if _in_cell(parent):
                at = parent.index(element)
                for offset, piece in enumerate(pieces, start=1):
                    parent.insert(at + offset, _wbr(piece))
            else:
                element.tail = ZERO_WIDTH_SPACE.join([element.tail, *pieces])


def _in_cell(element: html.HtmlElement) -> bool:
    return any(e.tag in {"td", "th"} for e in element.iterancestors()) or element.tag in {
        "td",
        "th",
    }


def _pieces(text: str) -> list[str]:
    """The text cut inside its long runs: the part before the first cut, then each piece."""
    cuts = [
        position
        for match in _LONG.finditer(text)
        for position in range(match.start() + BREAK_EVERY, match.end(), BREAK_EVERY)
    ]
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def _wbr(tail: str) -> etree._Element:
    element = etree.Element("wbr")
    element.tail = tail
    return element
