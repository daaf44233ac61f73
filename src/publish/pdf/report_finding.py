"""One finding of the layout report, and the excerpt of text that names its place."""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint.formatting_structure import boxes


@dataclass(frozen=True)
class Finding:
    """One thing wrong on one laid-out page."""

    page: int  # index into the document's pages
    message: str  # what is wrong, e.g. 'widow "…last words."'
    chapter_id: str | None  # the id of the chapter's section it stands in
    text: str = ""  # words of the text concerned, to find its line in the Markdown


def excerpt(text: str, words: int = 6, *, from_end: bool = False) -> str:
    parts = text.split()
    if len(parts) <= words:
        return text
    return "…" + " ".join(parts[-words:]) if from_end else " ".join(parts[:words]) + "…"


def text_of(box: boxes.Box) -> str:
    """The words a box shows, white space folded."""
    if isinstance(box, boxes.TextBox):
        return " ".join(box.text.split())
    return " ".join(
        " ".join(d.text.split()) for d in box.descendants() if isinstance(d, boxes.TextBox)
    ).strip()


def lines_of(block: boxes.Box) -> list[boxes.LineBox]:
    return [child for child in block.children if isinstance(child, boxes.LineBox)]
