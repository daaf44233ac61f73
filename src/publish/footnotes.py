"""Convert stage, notes: the chapter's footnote markup, and its print form as page-foot floats."""

from __future__ import annotations

from lxml import etree, html


def footnotes_to_page_floats(tree: html.HtmlElement) -> None:
    """Move each note to its (first) call, for WeasyPrint's `float: footnote` in the PDF."""
    notes = {item.get("id"): item for item in tree.xpath("//div[@class='footnote']/ol/li")}
    placed: set[str] = set()
    for call in tree.xpath("//sup[a[@class='footnote-ref']]"):
        note_id = call[0].get("href", "").lstrip("#")
        note = notes.get(note_id)
        if note is None:
            continue
        if note_id in placed:  # cited again: point back at the note already on the page
            call[0].set("href", f"#{note_id}")
            continue
        placed.add(note_id)
        text = etree.Element("span", {"class": "footnote-text", "id": note_id})
        for backref in note.xpath(".//a[@class='footnote-backref']"):
            _drop_keeping_tail(backref)
        for paragraph in note:
            paragraph.tag = "span"
            paragraph.set("class", "footnote-para")
            text.append(paragraph)
        text.tail = call.tail
        call.getparent().replace(call, text)
    for block in tree.xpath("//div[@class='footnote']"):
        block.getparent().remove(block)


def _drop_keeping_tail(element: html.HtmlElement) -> None:
    parent = element.getparent()
    tail = (element.tail or "").rstrip("\u00a0 ")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "").rstrip("\u00a0 ") + tail
    else:
        parent.text = (parent.text or "").rstrip("\u00a0 ") + tail
    parent.remove(element)
