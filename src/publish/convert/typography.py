"""Quotation marks, dashes, ellipses and spaces by language.

docutils' SmartQuotes (the SmartyPants rules, with the quotation marks of some fifty languages, and
apostrophes told apart from closing single quotes) educates each chapter as a Python-Markdown tree
pass. It replaces Markdown's own `smarty` extension, which ran its dozen patterns over every run of
text and cost more than the rest of Markdown together. The text of a chapter is given to it as one
stream of tokens in reading order, so a quote before `*emphasis*` still knows what precedes it;
code is passed through as written and read only as context. French also wants a no-break space
inside guillemets and before : ; ! ?, added in the same pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element

from docutils.utils import normalize_language_tag
from docutils.utils.smartquotes import educate_tokens, smartchars
from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

NO_BREAK_SPACE = "\u00a0"
_LITERAL = ("code", "pre", "kbd", "samp")  # text shown as written
_EDUCATED_ATTRIBUTES = ("alt", "title")  # read by people: alt text, image captions, link titles
# SmartyPants' actions: "q" quotes, "D" -- en dash and --- em dash (as smarty did), "e" ellipses.
_ACTIONS = "qDe"
# What SmartQuotes can change with _ACTIONS: quotes, dashes, dots, and backslash escapes.
_EDUCABLE = re.compile(r"[-'\".\\]")
# Python-Markdown's tree passes by priority: after attr_list (8) and abbr (7) have taken their
# text, before toc (5) reads the headings; smarty's own place.
_PRIORITY = 6


def quotes_language(language: str) -> str:
    """The SmartQuotes language for a BCP 47 tag: the tag, a shorter form of it, or English."""
    known = smartchars.quotes
    return next((tag for tag in normalize_language_tag(language) if tag in known), "en")


class Typography(Extension):
    """Python-Markdown extension: curly quotes, dashes and ellipses for `language`."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"language": ["en", "BCP 47 tag of the text's language"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        language = str(self.getConfig("language"))
        md.treeprocessors.register(_Educate(md, language), "typography", _PRIORITY)


class _Educate(Treeprocessor):
    def __init__(self, md: Markdown, language: str) -> None:
        super().__init__(md)
        self.language = language

    def run(self, root: Element) -> None:
        educate(root, self.language)


def educate(root: Element, language: str) -> None:
    """Every run of text under `root` with the language's punctuation, in place."""
    quotes = quotes_language(language)
    segments = list(_text_segments(root, literal=False))
    # A run with nothing to educate is passed as "literal": SmartQuotes reads it as context just
    # the same, and skips the dozen passes it would make over it for nothing.
    tokens = [
        ("text" if not literal and _EDUCABLE.search(text) else "literal", text)
        for _, _, text, literal in segments
    ]
    texts = list(educate_tokens(tokens, attr=_ACTIONS, language=quotes))
    spaced = quotes.split("-")[0] == "fr"  # no-break spaces inside guillemets, before : ; ! ?
    for index, (element, slot, _, literal) in enumerate(segments):
        if spaced and not literal:
            before = texts[index - 1][-1:] if index else ""
            after = texts[index + 1][:1] if index + 1 < len(texts) else ""
            texts[index] = _french_spaces(before or " ", texts[index], after or " ")
        setattr(element, slot, texts[index])
    for element in root.iter():
        for name in _EDUCATED_ATTRIBUTES:
            value = element.get(name)
            if value:
                element.set(name, "".join(educate_tokens([("text", value)], _ACTIONS, quotes)))


def _text_segments(element: Element, literal: bool) -> Iterator[tuple[Element, str, str, bool]]:
    """Every run of text in reading order: (element, "text" or "tail", the text, inside code)."""
    literal = literal or element.tag in _LITERAL
    if element.text and isinstance(element.tag, str):  # not a comment's
        yield element, "text", element.text, literal
    for child in element:
        yield from _text_segments(child, literal)
        if child.tail:  # the tail is the parent's text
            yield child, "tail", child.tail, literal


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
