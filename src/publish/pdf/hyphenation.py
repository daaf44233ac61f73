"""Hyphenation as a typesetter restrains it, for the print HTML only.

WeasyPrint hyphenates with pyphen's patterns for an element's `lang`. pyphen's bare `en` is
British (en_GB: "experien-cing", "optim-ize"), so a book in `en` is set with American patterns,
as `en-US`; `en-GB` (and `en-AU` and the other Englishes, through pyphen's fallback) keeps the
British ones, and every other language its own. The EPUB's `dc:language` is untouched.

CSS cannot keep a hyphen out of names or out of a paragraph's last word. A paragraph's last
word is wrapped in `<span class="nohyphen">` (`hyphens: manual` in print.css): a word the author
hyphenated with `&shy;` may still break there, nowhere else. Names are kept whole while laying
out (`names_kept_whole`): the patterns WeasyPrint asks for break no capitalised word. A span per
name would do the same, at half again the layout's time.
"""

from __future__ import annotations

import contextlib
import re
import types
from collections.abc import Iterator
from typing import Any

import pyphen  # type: ignore[import-untyped]
from lxml import html

# A bare "en" is American English, as most readers of an English book expect.
PATTERNS_FOR = {"en": "en-US"}
# Words shorter than this are never broken (print.css: hyphenate-limit-chars: 6 3 3).
SHORTEST_BROKEN = 6
# Text shown as written, or never broken anyway.
_KEEP = frozenset(
    {"code", "pre", "kbd", "samp", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_BLOCKS = frozenset({"p", "li", "dd", "dt", "td", "th", "figcaption", "blockquote", "caption"})
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|\u00ad)*", re.UNICODE)


def hyphenation_language(language: str) -> str | None:
    """The `lang` to set the print edition in, or None when pyphen has no patterns for it."""
    tag = PATTERNS_FOR.get(language.lower(), language)
    return tag if pyphen.language_fallback(tag.replace("-", "_")) else None


class _NamesKeptWhole(pyphen.Pyphen):  # type: ignore[misc]
    """pyphen's patterns, with no break in a word that starts with a capital."""

    def iterate(self, word: str) -> Iterator[tuple[str, str]]:
        if word[:1].isupper():
            return iter(())
        return super().iterate(word)  # type: ignore[no-any-return]


@contextlib.contextmanager
def names_kept_whole() -> Iterator[None]:
    """While WeasyPrint lays out, its hyphenation (pyphen, by name) breaks no capitalised word."""
    from weasyprint.text import line_break

    original: Any = line_break.pyphen
    line_break.pyphen = types.SimpleNamespace(
        Pyphen=_NamesKeptWhole, language_fallback=pyphen.language_fallback
    )
    try:
        yield
    finally:
        line_break.pyphen = original


def restrain_hyphens(tree: html.HtmlElement) -> None:
    """Keep hyphens out of each paragraph's last word.

    A block's first word is left as it is: it starts a line, so it breaks only when longer than
    a line, and WeasyPrint 70 sets an indented first line that opens with a span wrongly ("Name
    [gap] sud-"), breaking the word after the span far too early.
    """
    slots = [slot for slot in _slots(tree) if not _kept(_container(*slot), tree)]
    first_in_block: dict[int, tuple[html.HtmlElement, str]] = {}
    last_in_block: dict[int, tuple[html.HtmlElement, str]] = {}
    for node, attribute in slots:
        if _WORD.search(getattr(node, attribute) or ""):
            block = id(_block(_container(node, attribute), tree))
            first_in_block.setdefault(block, (node, attribute))
            last_in_block[block] = (node, attribute)
    first_slots = {(id(node), attribute) for node, attribute in first_in_block.values()}
    last_slots = {(id(node), attribute) for node, attribute in last_in_block.values()}
    for node, attribute in slots:
        words = list(_WORD.finditer(getattr(node, attribute) or ""))
        if not words:
            continue
        spans: list[tuple[int, int]] = []
        last = words[-1]
        if (id(node), attribute) in last_slots and _breakable(last[0]) and last.span() not in spans:
            spans.append(last.span())
        if (id(node), attribute) in first_slots:
            leading = (getattr(node, attribute) or "")[: words[0].start()]
            if not leading.strip() and _opens_block(node, attribute, tree):
                spans = [span for span in spans if span != words[0].span()]
        if spans:
            _wrap(node, attribute, spans)


def _opens_block(node: html.HtmlElement, attribute: str, root: html.HtmlElement) -> bool:
    """Whether the text is the first thing in its block, with no element before it."""
    if attribute == "tail":
        return False
    block = _block(node, root)
    element = node
    while element is not block:
        parent = element.getparent()
        if parent is None or (parent.text or "").strip() or parent.index(element) > 0:
            return False
        element = parent
    return True


def _slots(tree: html.HtmlElement) -> list[tuple[html.HtmlElement, str]]:
    """Every piece of text in document order: (element, "text") or (element, "tail")."""
    slots = []

    def walk(element: html.HtmlElement) -> None:
        if element.text:
            slots.append((element, "text"))
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                slots.append((child, "tail"))

    walk(tree)
    return slots


def _container(node: html.HtmlElement, attribute: str) -> html.HtmlElement:
    """The element whose content the text is."""
    parent = node.getparent() if attribute == "tail" else node
    return node if parent is None else parent


def _block(element: html.HtmlElement, root: html.HtmlElement) -> html.HtmlElement:
    """The nearest block of running text holding `element`: its paragraph, item, cell or note."""
    node: html.HtmlElement | None = element
    while node is not None and node is not root:
        if node.tag in _BLOCKS or "footnote-text" in (node.get("class") or "").split():
            return node
        node = node.getparent()
    return root


def _wrap(node: html.HtmlElement, attribute: str, spans: list[tuple[int, int]]) -> None:
    """Wrap each span of the slot's text in a `<span class="nohyphen">`."""
    text = getattr(node, attribute) or ""
    spans = sorted(spans)
    setattr(node, attribute, text[: spans[0][0]])
    if attribute == "text":
        parent, index = node, 0
    else:
        parent = node.getparent()
        index = parent.index(node) + 1
    for number, (start, end) in enumerate(spans):
        span = html.Element("span", {"class": "nohyphen"})
        span.text = text[start:end]
        following = spans[number + 1][0] if number + 1 < len(spans) else len(text)
        span.tail = text[end:following]
        parent.insert(index + number, span)


def _breakable(word: str) -> bool:
    return len(word.replace("\u00ad", "")) >= SHORTEST_BROKEN


def _kept(element: html.HtmlElement, root: html.HtmlElement) -> bool:
    """Whether `element` or one of its ancestors (up to `root`) is never hyphenated by us."""
    node: html.HtmlElement | None = element
    while node is not None:
        if node.tag in _KEEP or "nohyphen" in (node.get("class") or "").split():
            return True
        if node is root:
            return False
        node = node.getparent()
    return False
