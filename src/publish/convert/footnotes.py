"""Footnotes as pop-up notes in the EPUB, and as page-foot floats in print.

Python-Markdown writes a call as `<sup><a class="footnote-ref">` and the notes as a list at the
chapter's end. Reading systems show a note as a pop-up when the call is an
`<a epub:type="noteref">` and the note an `<aside epub:type="footnote">` (Apple Books, Kobo,
KOReader, Thorium), so `make_notes` rewrites them that way. Notes are numbered in the order they
are first cited, from 1 in every chapter; their ids are made unique across the book later,
with every other id.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html

from publish.errors import problem, warn
from publish.model import Chapter

# A note call Python-Markdown left as it was written, because no note has that label.
_UNDEFINED_CALL = re.compile(r"\[\^([^\]\s]+)\]")
_SPACES = re.compile(r"[ \t\n\r\f]+")  # what CSS collapses (never a no-break space)
_LITERAL = ("code", "pre", "kbd", "samp")  # text shown as written: never a note call


def make_notes(tree: html.HtmlElement, chapter: Chapter, source: Path) -> None:
    """Calls become noteref links, notes become footnote asides at the chapter's end.

    A note cited twice has a link back to each citation; a call without a note and a note
    never cited are reported with their file and line.
    """
    listing = tree.find(".//div[@class='footnote']")
    # Items with an id are the notes; raw HTML inside a note may bring lists of its own.
    items = [] if listing is None else listing.iter("li")
    notes = {item.get("id"): item for item in items if item.get("id")}
    citations: dict[str, list[str]] = {}  # note id -> ids of its calls, in reading order
    for call in tree.xpath("//sup[a[@class='footnote-ref']]"):
        note_id = call[0].get("href", "").removeprefix("#")
        citations.setdefault(note_id, []).append(call.get("id", ""))
        link = html.Element(
            "a",
            {
                "id": call.get("id", ""),
                "href": f"#{note_id}",
                "class": "noteref",
                "epub:type": "noteref",
                "role": "doc-noteref",
            },
        )
        link.text = str(list(citations).index(note_id) + 1)
        link.tail = call.tail
        call.getparent().replace(call, link)
    if listing is not None:
        listing.getparent().remove(listing)
    for note_id in notes:
        if note_id not in citations:
            label = note_id.removeprefix("fn-")
            message = f"note '[^{label}]' is never cited; cite it with [^{label}] or delete it"
            warn(problem(source, message, chapter.line_of(f"[^{label}]:")))
    _report_undefined_calls(tree, chapter, source)
    cited = [note_id for note_id in citations if note_id in notes]
    if cited:
        block = html.Element("div", {"class": "footnotes"})
        block.text = block.tail = "\n"
        tree.append(block)
        for number, note_id in enumerate(cited, start=1):
            aside = _aside(notes[note_id], note_id, number, citations[note_id])
            aside.tail = "\n"
            block.append(aside)


def _aside(item: html.HtmlElement, note_id: str, number: int, calls: list[str]) -> html.HtmlElement:
    """The note as an aside that opens with its number, a link back to where it is cited."""
    for backref in item.xpath(".//a[@class='footnote-backref']"):
        _drop_keeping_tail(backref)
    aside = html.Element(
        "aside",
        {"id": note_id, "class": "footnote", "epub:type": "footnote", "role": "doc-footnote"},
    )
    aside.extend(list(item))
    first = aside[0] if len(aside) and aside[0].tag == "p" else None
    if first is None:
        first = html.Element("p")
        aside.insert(0, first)
    # The number links back to the citation. A note cited more than once has its number, then
    # at its end one ↩ per citation, each named for screen readers ("back to the second
    # citation"). Not "↩\ufe0e", the text-style request: MuPDF's readers draw U+FE0E as a box;
    # epub.css asks for the text style with font-variant-emoji instead.
    if len(calls) == 1:
        opening = _backlink(calls[0], f"{number}.")
    else:
        opening = html.Element("span", {"class": "footnote-number"})
        opening.text = f"{number}."
        last = aside[-1] if aside[-1].tag == "p" else first
        for index, call in enumerate(calls, start=1):
            if len(last):
                last[-1].tail = (last[-1].tail or "").rstrip() + " "
            else:
                last.text = (last.text or "").rstrip() + " "
            last.append(_backlink(call, "\u21a9", f"back to {_citation(index)}"))
    opening.tail = " " + (first.text or "").lstrip()
    first.text = None
    first.insert(0, opening)
    return aside


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def _citation(number: int) -> str:
    """How a screen reader names a citation: "the second citation", "citation 12"."""
    return (
        f"the {_ORDINALS[number - 1]} citation"
        if number <= len(_ORDINALS)
        else f"citation {number}"
    )


def _backlink(call_id: str, text: str, label: str | None = None) -> html.HtmlElement:
    link = html.Element("a", {"href": f"#{call_id}", "class": "backlink", "role": "doc-backlink"})
    if label:
        link.set("aria-label", label)
    link.text = text
    return link


def _report_undefined_calls(tree: html.HtmlElement, chapter: Chapter, source: Path) -> None:
    # Code's own text is shown as written: `[^1]` there is no call (highlighted code is spans
    # inside <code>, so an element's ancestors count too).
    literal = {e for code in tree.iter(*_LITERAL) for e in code.iter()}  # held: proxies stay
    for element in tree.iter():
        if not isinstance(element.tag, str) or element in literal:
            continue
        texts = [element.text or ""] + [(child.tail or "") for child in element]
        for text in texts:
            for match in _UNDEFINED_CALL.finditer(text):
                message = (
                    f"note call '{match[0]}' has no note; "
                    f"add a line '{match[0]}: The note.' or remove the call"
                )
                warn(problem(source, message, chapter.line_of(match[0])))


def footnotes_to_page_floats(tree: html.HtmlElement) -> None:
    """Move each note to its (first) call, for WeasyPrint's `float: footnote` in the PDF."""
    notes = {aside.get("id"): aside for aside in tree.xpath("//aside[@class='footnote']")}
    placed: set[str] = set()
    for call in tree.xpath("//a[@class='noteref']"):
        note_id = call.get("href", "").removeprefix("#")
        note = notes.get(note_id)
        if note is None or note_id in placed:
            continue  # cited again: the call keeps pointing at the note already on the page
        placed.add(note_id)
        text = html.Element("span", {"class": "footnote-text", "id": note_id})
        # On paper the note's number comes from ::footnote-marker, and no link leads back.
        for opening in note.xpath(".//*[@class='backlink' or @class='footnote-number']"):
            _drop_keeping_tail(opening)
        for paragraph in note:
            paragraph.tag = "span"
            paragraph.set("class", "footnote-para")
            paragraph.tail = None  # the paragraphs are blocks: nothing runs between them
            text.append(paragraph)
        for paragraph in text:
            _collapse_whitespace(paragraph, after_space=True)
        text.tail = call.tail
        call.getparent().replace(call, text)
    for block in tree.xpath("//div[@class='footnotes']"):
        block.getparent().remove(block)


def _collapse_whitespace(element: html.HtmlElement, after_space: bool) -> bool:
    """CSS `white-space: normal` done here, as WeasyPrint (70) skips it for a footnote float.

    Runs of spaces, tabs and line ends become one space, and none follows another space or a
    line break, as in the text: without this the note kept the Markdown's line breaks, and a
    source line ending in a space stopped the layout ("Got ' \\n' between two lines").
    Returns whether the element's text ends in a space (or a line break).
    """
    if element.tag == "pre":
        return False
    element.text, after_space = _squeezed(element.text, after_space)
    for child in element:
        after_space = child.tag == "br" or _collapse_whitespace(child, after_space)
        child.tail, after_space = _squeezed(child.tail, after_space)
    return after_space


def _squeezed(text: str | None, after_space: bool) -> tuple[str | None, bool]:
    if not text:
        return text, after_space
    text = _SPACES.sub(" ", text)
    if after_space:
        text = text.removeprefix(" ")
    return text, (text.endswith(" ") if text else after_space)


def _drop_keeping_tail(element: html.HtmlElement) -> None:
    """Remove the element, and the spaces that set it apart, keeping the text around it."""
    parent = element.getparent()
    previous = element.getprevious()
    before = ((parent.text if previous is None else previous.tail) or "").rstrip("\u00a0 ")
    after = (element.tail or "").lstrip("\u00a0 ")
    joined = f"{before} {after}" if before and after else before + after
    if previous is None:
        parent.text = joined
    else:
        previous.tail = joined
    parent.remove(element)
