"""Fenced code as authors write it for mdBook, MkDocs and Pandoc, made ready for SuperFences.

pymdown-extensions' SuperFences finds fences at any depth (in quotations, list items and
admonitions), but reads an info string's first word only up to a space: mdBook's `rust,ignore`
would lose its language. Before Markdown runs, this pass walks the chapter the way SuperFences
does, line for line (the line numbers of the text stay those of the file):

- an opening fence's info string keeps its first word as the language (`rust,ignore` -> `rust`);
- a tab inside code is expanded to the next multiple of four columns counted from the code's own
  left edge, not from the start of the line in the file (Markdown would count the `> ` or the
  list indentation in front of it, so the same code would line up differently in a quotation);
  a line of only spaces and tabs is left empty, in a quotation as elsewhere;
- a fence that is never closed is reported by its line: SuperFences then leaves its text as
  ordinary paragraphs, so nothing after it is swallowed, but the author must hear of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TAB = 4  # Python-Markdown's tab length, which SuperFences uses too
# What may stand before a fence: indentation and quotation marks (SuperFences' PREFIX_CHARS).
_PREFIX = re.compile(r"[> \t]*")
_OPENING = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
UNCLOSED_FENCE = (
    "code fence never closed: its text is set as ordinary paragraphs; end the code with a line "
    "of the same backticks or tildes, as indented as the opening one"
)
# mdBook's attributes after the language: `rust,ignore`, `rust, no_run`, `text,editable`.
_COMMA_INFO = re.compile(r"^(?P<space>[ \t]*)\.?(?P<lang>[\w#+.-]+)[ \t]*,[^{}]*$")

_NUMBER_LINES = re.compile(r"[ \t]*\.number-?lines\b", re.IGNORECASE)
_START_FROM = re.compile(r"[ \t]*startFrom=[\"']?(\d+)[\"']?", re.IGNORECASE)


@dataclass
class Fences:
    """The chapter's text ready for SuperFences, and what the walk found."""

    text: str
    unclosed: list[int] = field(default_factory=list)  # line numbers of fences never closed
    code_lines: set[int] = field(default_factory=set)  # line numbers of code (and its fences)


@dataclass
class _Open:
    line: int  # 1-based
    fence: str
    width: int  # columns of the prefix, tabs expanded
    quotes: int  # quotation level of the opening line
    blank: bool = False  # a blank line since the last line of code


def prepare_fences(text: str) -> Fences:
    """`text` with info strings and tabs in code normalized, line for line."""
    lines = text.split("\n")
    found = Fences(text="")
    current: _Open | None = None
    for index, line in enumerate(lines):
        number = index + 1
        prefix = _PREFIX.match(line)[0]  # type: ignore[index]  # always matches
        width = len(prefix.expandtabs(TAB))
        rest = line[len(prefix) :]
        if current is None:
            opening = _OPENING.match(rest)
            if opening:
                current = _Open(number, opening["fence"], width, prefix.count(">"))
                found.code_lines.add(number)
                lines[index] = prefix + opening["fence"] + _info(opening["info"])
            continue
        state = _follow(current, line)
        if state == "closed":
            found.code_lines.add(number)
            current = None
        elif state == "abandoned":
            found.unclosed.append(current.line)
            current = None
        else:
            found.code_lines.add(number)
            lines[index] = _code_line(line, current.width)
    if current is not None:
        found.unclosed.append(current.line)
    found.text = "\n".join(lines)
    return found


def _info(info: str) -> str:
    """The info string with only its first word before a comma kept as the language, and
    Pandoc's `{.numberLines startFrom="5"}` as SuperFences' `linenums="5"`."""
    comma = _COMMA_INFO.match(info)
    if comma:
        return f"{comma['space']}{comma['lang']}"
    if "{" in info and _NUMBER_LINES.search(info):
        start = _START_FROM.search(info)
        info = _START_FROM.sub("", _NUMBER_LINES.sub("", info))
        return info.replace("}", f' linenums="{start[1] if start else 1}"}}', 1)
    return info


def _follow(fence: _Open, line: str) -> str:
    """Whether `line` is "code", closes the fence ("closed"), or ends it unclosed ("abandoned"),
    as SuperFences decides (`eval_fence` and `eval_quoted`)."""
    prefix, content = _split(line, fence.width)
    quotes = prefix.count(">")
    if not (prefix + content).strip() or (fence.quotes and not content):
        fence.blank = True
        return "code"
    if fence.quotes:
        if quotes > fence.quotes or len(prefix.expandtabs(TAB)) < fence.width:
            return "abandoned"
        if fence.blank and quotes < fence.quotes:
            return "abandoned"
    elif quotes or len(prefix.expandtabs(TAB)) != fence.width:
        return "abandoned"
    fence.blank = False
    if re.match(re.escape(fence.fence) + r"[ \t]*$", content) and not content[:1].isspace():
        return "closed"
    return "code"


def _split(line: str, width: int) -> tuple[str, str]:
    """The line's prefix up to `width` columns (as SuperFences reads a line of code), the rest."""
    columns = 0
    for position, char in enumerate(line):
        if columns >= width or char not in "> \t":
            return line[:position], line[position:]
        columns += TAB - columns % TAB if char == "\t" else 1
    return line, ""


def _code_line(line: str, width: int) -> str:
    """A line of code with its tabs expanded from the code's own edge; a line of only white
    space is left empty, in a quotation as elsewhere (Markdown empties it outside one)."""
    prefix, content = _split(line, width)
    if not content.strip(" \t"):
        return prefix.rstrip(" \t")
    return prefix + content.expandtabs(TAB) if "\t" in content else line
