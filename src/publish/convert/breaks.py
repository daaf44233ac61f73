"""Break opportunities inside long identifiers and addresses, as `<wbr>` elements.

A line may break only at spaces and hyphens, and after a slash; `socket.SO_REUSEADDR`,
`std::net::TcpListener` or `getAddrInfoFromHostName` have none, so in a narrow table column or at
the end of a justified line they run past the text block. Book typography breaks them at their
joints (The Chicago Manual of Style, 6.17 and 14.18): before an underscore or a dot, after a double
colon, between the words of camelCase. A `<wbr>` marks such a point; it carries no character, so
the text a reader copies or searches is unchanged. An address's scheme stays with its host, so no
line ends with a bare `https://`.
"""

from __future__ import annotations

import re
from typing import TypeAlias

from lxml import html

# A run of characters without a space, long enough to need a break inside it.
_LONG_TOKEN = re.compile(r"\S{12,}")
# Where a joint is: the position between the two characters around it.
_JOINTS = re.compile(
    r"(?<=[^\W_])(?=_[^\W_])"  # before an underscore between letters: SO|_REUSEADDR
    r"|(?<=\w)(?=\.[^\W\d_])"  # before a dot before a letter: socket|.SO (not 3.14)
    r"|(?<=\w::)(?=\w)"  # after a double colon: std::|net
    r"|(?<=[a-z])(?=[A-Z])"  # camelCase: get|Addr
    r"|(?<=[A-Z])(?=[A-Z][a-z])"  # an acronym before a word: HTTP|Server
)
# An address's scheme with its host: https://www.example.org, kept on one line.
_SCHEME_AND_HOST = re.compile(r"(?<![\w.+-])[A-Za-z][A-Za-z0-9+.-]*://[^/\s]*")
# Shown exactly as written, or not text at all: no break is added inside.
_LITERAL = frozenset({"pre", "kbd", "script", "style", "title", "svg", "math", "textarea"})
NO_WRAP = "nowrap"  # the class that keeps an address's scheme with its host

Piece: TypeAlias = str | html.HtmlElement


def mark_joints(tree: html.HtmlElement) -> None:
    """Add a `<wbr>` at every joint of each long word of `tree`'s text, in place."""
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or _literal(element):
            continue
        if element.text and (pieces := _pieces(element.text)):
            _place(element, "text", pieces)
        for child in list(element):
            if child.tail and (pieces := _pieces(child.tail)):
                _place(child, "tail", pieces)


def _literal(element: html.HtmlElement) -> bool:
    return any(
        not isinstance(node.tag, str) or node.tag in _LITERAL
        for node in (element, *element.iterancestors())
    )


def _pieces(text: str) -> list[Piece]:
    """`text` cut at the joints of its long words, or [] when it has none."""
    pieces: list[Piece] = []
    done = 0
    for token in _LONG_TOKEN.finditer(text):
        address = _SCHEME_AND_HOST.search(token[0])
        if address is None:
            spans = [(token.start(), token.end(), False)]
        else:
            at = token.start()
            spans = [
                (token.start(), at + address.start(), False),
                (at + address.start(), at + address.end(), True),
                (at + address.end(), token.end(), False),
            ]
        for start, end, keep in spans:
            if keep:
                pieces.append(text[done:start])
                span = html.Element("span", {"class": NO_WRAP})
                span.text = text[start:end]
                pieces.append(span)
                done = end
                continue
            for joint in _JOINTS.finditer(text, start, end):
                if joint.start() > done:
                    pieces += [text[done : joint.start()], html.Element("wbr")]
                    done = joint.start()
    if not pieces:
        return []
    return [*pieces, text[done:]]


def _place(owner: html.HtmlElement, slot: str, pieces: list[Piece]) -> None:
    """Write the first string into the slot, and hang the rest after it: elements and tails."""
    first = pieces[0]
    assert isinstance(first, str)
    setattr(owner, slot, first or None)
    if slot == "text":
        parent, index = owner, 0
    else:
        parent = owner.getparent()
        index = parent.index(owner) + 1
    for piece in pieces[1:]:
        if isinstance(piece, str):
            previous = parent[index - 1]
            previous.tail = ((previous.tail or "") + piece) or None
        else:
            parent.insert(index, piece)
            index += 1
