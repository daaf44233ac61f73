"""Convert stage, typography: quotation marks, apostrophes and spaces as the language sets them.

Python-Markdown's smarty extension makes the curly quotes, dashes and ellipses; it takes the
quotation marks to write as its `substitutions`. Smarty writes one character for both a closing
single quote and an apostrophe, which most languages tell apart (German closes a single quote
with U+2018 but writes "geht's" with U+2019; French quotes within guillemets but writes "l'homme"
with U+2019), so it writes a placeholder that `apply` resolves afterwards. French also wants a
no-break space inside guillemets and before : ; ! ?, added on the tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import html

APOSTROPHE = "\u2019"
NO_BREAK_SPACE = "\u00a0"
# Smarty's right single quote, until we know if it is an apostrophe (private use: never text).
_RIGHT_SINGLE = "\ue000"
_LITERAL = ("code", "pre", "kbd", "samp")  # text shown as written


@dataclass(frozen=True)
class QuoteStyle:
    double: tuple[str, str]  # opening, closing
    single: tuple[str, str]  # opening, closing: quotation marks within quotation marks
    spaced: bool = False  # French: no-break spaces inside guillemets and before : ; ! ?


ENGLISH = QuoteStyle(("\u201c", "\u201d"), ("\u2018", "\u2019"))
# Keys are BCP 47 tags in lower case: the whole tag is tried first, then its language.
STYLES: dict[str, QuoteStyle] = {
    "en": ENGLISH,
    "nl": ENGLISH,
    "fr": QuoteStyle(("\u00ab", "\u00bb"), ("\u201c", "\u201d"), spaced=True),
    "de": QuoteStyle(("\u201e", "\u201c"), ("\u201a", "\u2018")),
    "de-ch": QuoteStyle(("\u00ab", "\u00bb"), ("\u2039", "\u203a")),
    "es": QuoteStyle(("\u00ab", "\u00bb"), ("\u201c", "\u201d")),
    "it": QuoteStyle(("\u00ab", "\u00bb"), ("\u201c", "\u201d")),
}


def quote_style(language: str) -> QuoteStyle:
    """The quotation marks of a language tag (`fr`, `de-CH`); English ones when unknown."""
    tag = language.lower()
    return STYLES.get(tag) or STYLES.get(tag.split("-")[0], ENGLISH)


def smarty_config(language: str) -> dict[str, Any]:
    """Python-Markdown's smarty options for the language."""
    style = quote_style(language)
    return {
        "substitutions": {
            "left-double-quote": _entity(style.double[0]),
            "right-double-quote": _entity(style.double[1]),
            "left-single-quote": _entity(style.single[0]),
            "right-single-quote": _entity(_RIGHT_SINGLE),
        }
    }


def _entity(character: str) -> str:
    return f"&#x{ord(character):04X};"  # smarty inserts its substitutions as HTML


def apply(tree: html.HtmlElement, language: str) -> None:
    """Resolve apostrophes and closing single quotes; space French punctuation."""
    style = quote_style(language)
    segments = list(_text_segments(tree))
    texts = [text for _, _, text in segments]
    for index, (element, slot, text) in enumerate(segments):
        before = texts[index - 1][-1:] if index else ""
        after = texts[index + 1][:1] if index + 1 < len(texts) else ""
        new = _resolve_single_quotes(before or " ", text, after or " ", style.single[1])
        if style.spaced and not _is_literal(element, slot):
            new = _french_spaces(before or " ", new, after or " ")
        texts[index] = new
        setattr(element, slot, new)
    for element in tree.iter():
        for name, value in element.attrib.items():
            if _RIGHT_SINGLE in value:
                element.set(name, _resolve_single_quotes(" ", value, " ", style.single[1]))


def _text_segments(element: html.HtmlElement) -> Iterator[tuple[html.HtmlElement, str, str]]:
    """Every run of text in reading order: (element, "text" or "tail", the text)."""
    if element.text and isinstance(element.tag, str):  # not a comment's
        yield element, "text", element.text
    for child in element:
        yield from _text_segments(child)
        if child.tail:
            yield child, "tail", child.tail


def _is_literal(element: html.HtmlElement, slot: str) -> bool:
    """Text inside code: its tail is outside, its text (and that of its children) inside."""
    holder = element if slot == "text" else element.getparent()
    return any(ancestor.tag in _LITERAL for ancestor in holder.iterancestors()) or (
        holder.tag in _LITERAL
    )


# Between two letters or digits, or before a digit ('80s), it is an apostrophe.
_APOSTROPHE = re.compile(rf"(?<=\w){_RIGHT_SINGLE}(?=\w)|{_RIGHT_SINGLE}(?=\d)")


def _resolve_single_quotes(before: str, text: str, after: str, closing: str) -> str:
    if _RIGHT_SINGLE not in text:
        return text
    padded = _APOSTROPHE.sub(APOSTROPHE, before + text + after)
    return padded[1:-1].replace(_RIGHT_SINGLE, closing)


# French spacing. A mark takes the space only where it ends a phrase (followed by a space, the
# end, or closing punctuation), so times (10:30), links (https://) and queries (?q=) keep theirs.
_ENDS_PHRASE = r"(?=[\s\u00bb\u201d\u2019)\].,\u2026!?;:]|$)"
_BEFORE_MARK = re.compile(rf"(?<=[^\s(\[{{\u00ab/])[ \u00a0\u202f]?([!?;:]+){_ENDS_PHRASE}")
_AFTER_OPENING_GUILLEMET = re.compile(r"\u00ab[ \u00a0\u202f]?(?=\S)")
_BEFORE_CLOSING_GUILLEMET = re.compile(r"(?<=\S)[ \u00a0\u202f]?\u00bb")


def _french_spaces(before: str, text: str, after: str) -> str:
    # `before` and `after` are one character of the neighbouring runs, read but never changed.
    padded = before + text + after
    padded = _BEFORE_MARK.sub(lambda match: NO_BREAK_SPACE + match[1], padded)
    padded = _AFTER_OPENING_GUILLEMET.sub("\u00ab" + NO_BREAK_SPACE, padded)
    padded = _BEFORE_CLOSING_GUILLEMET.sub(NO_BREAK_SPACE + "\u00bb", padded)
    return padded[1:-1]
