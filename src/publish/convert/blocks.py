"""Asides and task lists as a book shows them.

MkDocs' admonitions (`!!! note "Title"`, Python-Markdown's `admonition`) and GitHub's alerts
(`> [!NOTE]` ... `> [!CAUTION]`, a quotation to Markdown) become one thing: an `<aside>` with a
role a screen reader announces (`note`, or `doc-tip` for a tip), its title first. The check
boxes of task lists (`- [x]`, pymdown-extensions' `tasklist`) are form controls, which a book
holds none of: each becomes the character ☑ or ☐ (the book's typeface has both), named for a
screen reader.
"""

from __future__ import annotations

import re

from lxml import html

from publish.convert.nesting import fragment_markup

# GitHub's five alerts, with the title each shows.
ALERTS = {"NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "WARNING": "Warning"}
ALERTS |= {"CAUTION": "Caution"}
_ALERT = re.compile(r"^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*\n?", re.IGNORECASE)
TIPS = {"tip", "hint"}  # DPUB-ARIA's doc-tip; every other kind is a note
CHECKED, UNCHECKED = "\u2611", "\u2610"
# What is worth parsing the chapter for: most chapters have none of these.
_NEEDLES = ('class="admonition', "[!", 'type="checkbox"')


def book_blocks(fragment: str) -> str:
    """The chapter with admonitions and alerts as asides, check boxes as characters."""
    if not any(needle in fragment for needle in _NEEDLES):
        return fragment
    tree = html.fragment_fromstring(fragment, create_parent="div")
    changed = False
    for block in list(tree.iter("div")):
        classes = (block.get("class") or "").split()
        if "admonition" in classes:
            _as_aside(block, [c for c in classes if c != "admonition"][:1] or ["note"])
            changed = True
    for quotation in list(tree.iter("blockquote")):
        changed |= _alerts(quotation)
    for box in list(tree.xpath("//li//input[@type='checkbox']")):
        _as_character(box)
        changed = True
    return fragment_markup(tree) if changed else fragment


def _as_aside(block: html.HtmlElement, kinds: list[str]) -> None:
    kind = kinds[0].lower()
    block.tag = "aside"
    block.attrib.clear()
    block.set("class", f"admonition {kind}")
    block.set("role", "doc-tip" if kind in TIPS else "note")
    title = block.find("p")
    if title is not None and title.get("class") == "admonition-title":
        label = " ".join(title.text_content().split())
        if label:
            block.set("aria-label", label)


def _alerts(quotation: html.HtmlElement) -> bool:
    """Each alert in the quotation as an aside of its own: Python-Markdown merges quotations
    that only a blank line parts, and GitHub's alerts often come one after another."""
    children = list(quotation)
    starts = [
        index
        for index, child in enumerate(children)
        if child.tag == "p" and child.text and _ALERT.match(child.text)
    ]
    if not starts:
        return False
    anchor = quotation
    for start, end in zip(starts, [*starts[1:], len(children)], strict=True):
        aside = html.Element("aside")
        aside.text, aside.tail = "\n", "\n"
        first = children[start]
        found = _ALERT.match(first.text)
        assert found is not None  # as found above
        first.text = first.text[found.end() :]
        title = html.Element("p", {"class": "admonition-title"})
        title.text, title.tail = ALERTS[found[1].upper()], "\n"
        aside.append(title)
        for child in children[start:end]:
            if child is first and not first.text.strip() and not len(first):
                quotation.remove(child)
                continue
            aside.append(child)  # moves it out of the quotation
        _as_aside(aside, [found[1]])
        anchor.addnext(aside)
        anchor = aside
    if not starts[0]:  # nothing before the first alert: the quotation was only alerts
        aside = quotation.getnext()
        aside.tail, quotation.tail = quotation.tail, aside.tail
        quotation.getparent().remove(quotation)
    return True


def _as_character(box: html.HtmlElement) -> None:
    checked = box.get("checked") is not None
    mark = html.Element("span", {"class": "task", "role": "img"})
    mark.set("aria-label", "done" if checked else "not done")
    mark.text = CHECKED if checked else UNCHECKED
    mark.tail = box.tail
    parent = box.getparent()
    if parent.tag == "label":  # a custom check box: the label goes with it
        parent.getparent().replace(parent, mark)
    else:
        parent.replace(box, mark)
