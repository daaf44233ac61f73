"""The layout report's note check: every footnote printed on the page of its call.

WeasyPrint floats a note to the foot of the page of its call when it fits there; when it does
not, the note moves to a later page and the call stays behind, which a reader cannot follow.
The laid-out pages are read back, calls (`a.footnote-call`, linking to their note) and notes
(`.footnote-text` in the footnote area), and a note off its call's page is reported with both
pages. With `--strict`, as every finding, it fails the build.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from weasyprint.formatting_structure import boxes

from publish.pdf.report_finding import Finding


@dataclass(frozen=True)
class NoteAway:
    note_id: str
    number: str  # as printed at the call
    call_page: int  # page indexes
    note_page: int
    chapter_id: str | None


def notes_away(pages: Sequence[Any]) -> list[NoteAway]:
    """Each note printed on another page than its call, in the order of the calls."""
    calls: dict[str, tuple[int, str, str | None]] = {}  # note id -> (page, number, chapter)
    notes: dict[str, int] = {}  # note id -> page
    for index, page in enumerate(pages):
        for area in page._page_box.children:  # WeasyPrint keeps the laid-out boxes here
            in_notes = isinstance(area, boxes.FootnoteAreaBox)
            for box, chapter_id in _elements(area, None):
                classes = (box.element.get("class") or "").split()
                if in_notes and "footnote-text" in classes:
                    notes.setdefault(box.element.get("id") or "", index)
                elif not in_notes and "footnote-call" in classes:
                    note_id = (box.element.get("href") or "").removeprefix("#")
                    number = "".join(
                        d.text for d in box.descendants() if isinstance(d, boxes.TextBox)
                    )
                    calls.setdefault(note_id, (index, number, chapter_id))
    return [
        NoteAway(note_id, number, call_page, notes[note_id], chapter_id)
        for note_id, (call_page, number, chapter_id) in calls.items()
        if notes.get(note_id, call_page) != call_page
    ]


def note_findings(pages: Sequence[Any], labels: Sequence[str]) -> list[Finding]:
    findings = []
    for away in notes_away(pages):
        message = (
            f"note {away.number} is printed on page {labels[away.note_page]}, away from its "
            f"call on page {labels[away.call_page]}: shorten the note or the paragraph before "
            "its call"
        )
        label = away.note_id.removeprefix("fn-")  # the id Python-Markdown made from [^label]
        findings.append(Finding(away.call_page, message, away.chapter_id, f"[^{label}]"))
    return findings


def _elements(box: boxes.Box, chapter_id: str | None) -> Iterator[tuple[boxes.Box, str | None]]:
    """Every box made for an element, with the chapter it stands in."""
    element = box.element
    section = element is not None and box.element_tag == "section"
    if section and "chapter" in (element.get("class") or "").split():
        chapter_id = element.get("id")
    if element is not None and not isinstance(box, boxes.MarginBox):
        yield box, chapter_id
    if isinstance(box, boxes.MarginBox):
        return
    for child in getattr(box, "children", ()):
        yield from _elements(child, chapter_id)
