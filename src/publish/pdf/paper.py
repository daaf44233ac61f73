"""What the printed page needs that a screen does not, marked in the print HTML only.

- Inline code keeps its spaces as set: WeasyPrint's justification stretches every space of a
  line, those inside `code` too, so a short code span is made one unbreakable box.
- A list whose items are mostly links (a reading list) is set ragged-right on purpose.
- A URL shown as a link's text may break after `/ . - ? & =` (a `<wbr>`, no hyphen added), never
  inside its scheme (`https://`) nor before its host's first dot
  (`https://www.` stays whole).
"""

from __future__ import annotations

import re

from lxml import html

LONGEST_UNSTRETCHED_CODE = 40  # characters: a longer span may need to break at its spaces
_URL_TEXT = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$", re.IGNORECASE)
_BREAK_AFTER = frozenset("/.-?&=")


def mark_for_paper(tree: html.HtmlElement) -> None:
    for code in tree.iter("code"):
        text = code.text_content()
        inside_pre = any(parent.tag == "pre" for parent in code.iterancestors())
        if not inside_pre and " " in text.strip() and len(text) <= LONGEST_UNSTRETCHED_CODE:
            _add_class(code, "unstretched")
    for listing in tree.iter("ul", "ol"):
        items = [item for item in listing if item.tag == "li"]
        linked = [item for item in items if item.xpath(".//a[starts-with(@href, 'http')]")]
        if items and len(linked) * 2 > len(items):
            _add_class(listing, "link-list")
    for anchor in tree.iter("a"):
        if len(anchor) == 0 and _URL_TEXT.match(anchor.text or ""):
            break_url(anchor)


def break_url(anchor: html.HtmlElement) -> None:
    """Put a `<wbr>` after each of `/ . - ? & =` in the link's URL text, past its host's start."""
    text = anchor.text or ""
    scheme = re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE)
    start = scheme.end() if scheme else 0
    host_dot = text.find(".", start)
    first = host_dot if host_dot >= 0 else len(text)  # https://www.|example.org: no earlier break
    pieces: list[str] = []
    last = 0
    for index in range(first, len(text) - 1):  # never after the last character
        if text[index] in _BREAK_AFTER and text[index + 1] not in _BREAK_AFTER:
            pieces.append(text[last : index + 1])
            last = index + 1
    pieces.append(text[last:])
    anchor.text = pieces[0]
    for piece in pieces[1:]:
        wbr = html.Element("wbr")
        wbr.tail = piece
        anchor.append(wbr)


def _add_class(element: html.HtmlElement, name: str) -> None:
    classes = (element.get("class") or "").split()
    element.set("class", " ".join([*classes, name]))


_NO_NOTES = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "pre", "code"})
_NOT_XREFS = frozenset({"noteref", "footnote-call", "backlink"})


def links_on_paper(tree: html.HtmlElement, prefix: str) -> None:
    """The print edition's links, which paper cannot follow.

    An external link whose text is not its URL gets the URL as a page-foot note (a note of the
    book's own series, numbered with them), and a link to another place in the book says
    "(page N)" after it (class `xref`; print.css takes N from the layout, `target-counter`).
    """
    count = 0
    for anchor in list(tree.iter("a")):
        href = anchor.get("href", "")
        classes = set((anchor.get("class") or "").split())
        ancestors = {parent.tag for parent in anchor.iterancestors()}
        if ancestors & _NO_NOTES:
            continue
        if href.startswith("#"):
            if not classes & _NOT_XREFS:
                _add_class(anchor, "xref")
            continue
        in_note = any(
            "footnote-text" in (parent.get("class") or "").split()
            for parent in anchor.iterancestors()
        )
        if not href.startswith(("http://", "https://")) or _same_url(anchor.text_content(), href):
            continue
        url = html.Element("a", {"href": href})
        url.text = href
        break_url(url)
        if in_note:  # a note has no notes: the URL follows the link, in parentheses
            note = html.Element("span", {"class": "url-shown"})
            note.text = " ("
            url.tail = ")"
        else:
            count += 1
            note = html.Element("span", {"class": "footnote-text", "id": f"{prefix}-url-{count}"})
            note.set("data-url", "")  # writer.py: its call is left out of the page map's count
        note.append(url)
        note.tail, anchor.tail = anchor.tail, None
        anchor.addnext(note)


def _same_url(text: str, href: str) -> bool:
    """Whether a link's text shows its URL already (give or take the scheme and a last /)."""

    def bare(url: str) -> str:
        return re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE).rstrip("/")

    return bare(text) == bare(href) or (not text.strip())
