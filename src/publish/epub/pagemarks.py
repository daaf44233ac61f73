"""Page-break markers in the EPUB's XHTML where the print edition's pages start (its page list)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lxml import etree

from publish.pdf import FLOW_PARENTS, OWN_PLACE, PageStart, blocks, localname, run_text, segments

log = logging.getLogger(__name__)

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"

if TYPE_CHECKING:
    pass


def mark_pages(
    section: etree._Element, starts: Sequence[PageStart], ids: set[str | None]
) -> list[str | None]:
    """Place a page-break marker where each page starts; returns the markers' ids.

    `ids` holds the ids the document has; each marker takes a new one. A start that is not in
    the document (a stale map) gets no marker: None.
    """
    made: list[str | None] = []
    found = blocks(section)  # markers are no blocks: the indexes hold as they are placed
    for start in starts:
        if start.block >= len(found):
            log.info("page %s starts past the end of %s", start.label, start.document)
            made.append(None)
            continue
        marker_id = _new_id(f"page-{start.label}", ids)
        marker = etree.Element(
            f"{{{XHTML}}}span",
            {
                "id": marker_id,
                f"{{{OPS}}}type": "pagebreak",
                "role": "doc-pagebreak",
                "aria-label": start.label,
            },
        )
        marker.text = ""  # <span></span>: a reader that parses the page as HTML reads it right
        _place(found[start.block], start.offset, marker)
        made.append(marker_id)
    return made


def _new_id(wanted: str, ids: set[str | None]) -> str:
    candidate, suffix = wanted, 2
    while candidate in ids:
        candidate, suffix = f"{wanted}-{suffix}", suffix + 1
    ids.add(candidate)
    return candidate


def _place(block: etree._Element, offset: int, marker: etree._Element) -> None:
    """Put the marker before the word the page starts with (after a word it splits)."""
    runs = segments(block)
    texts = [run_text(run) for run in runs]
    whole = "".join(texts)
    position = _position(whole, offset)
    parent = block.getparent()
    stands_alone = (
        parent is not None
        and localname(parent) in FLOW_PARENTS
        and localname(block) not in OWN_PLACE
    )
    if stands_alone and (position is None or localname(block) == "figure"):
        # The page starts with the block (a figure split across pages starts where it does).
        # Before a heading, not inside its accessible name; styled as a block that keeps
        # with the next one, so a paginated reader shows it on the page that block starts.
        marker.set("class", "page-break-block")
        marker.tail = None
        block.addprevious(marker)
        return
    if stands_alone and position == len(whole):
        # Past all of the block's text (say, an image after it): the page starts after it.
        marker.set("class", "page-break-block")
        marker.tail = None
        block.addnext(marker)
        return
    if position is None:
        position = 0
    # The run the position falls in; at the boundary of two runs, the later one.
    run_start, chosen = 0, len(runs) - 1
    for index, text in enumerate(texts):
        if run_start <= position < run_start + len(text):
            chosen = index
            break
        run_start += len(text)
    else:
        run_start = len(whole) - len(texts[chosen])
    (node, slot), text = runs[chosen], texts[chosen]
    cut = position - run_start
    marker.tail = text[cut:]
    if slot == "text":
        node.text = text[:cut]
        node.insert(0, marker)
    else:
        node.tail = text[:cut]
        node.addnext(marker)


def _position(whole: str, offset: int) -> int | None:
    """Index in `whole` of the first word on the page, or None when it is the block's first."""
    seen = 0
    for index, character in enumerate(whole):
        if character.isspace():
            continue
        if seen == offset:
            if offset == 0:
                return None
            if not whole[index - 1].isspace():  # the page starts inside a word: skip it
                while index < len(whole) and not whole[index].isspace():
                    index += 1
            while index < len(whole) and whole[index].isspace():
                index += 1
            return index
        seen += 1
    return len(whole)
