"""What a first layout got wrong that a second one can mend, marked in the laid-out tree.

Two faults are read back from the laid-out pages: hyphens a typesetter would take back
(pdf/hyphen_faults.py) and notes printed on a later page than their call (pdf/report_notes.py).
Their words are kept whole, and those notes get `footnote-policy: line` (print.css): the line
holding the call then moves to the next page with its note. The tree is serialised for one
more layout; what that layout still gets wrong, the layout report says.
"""

from __future__ import annotations

import logging
from typing import Any

from publish.pdf.hyphen_faults import hyphen_faults, keep_whole, laid_out_html
from publish.pdf.report_notes import notes_away

log = logging.getLogger(__name__)

NOTE_WITH_ITS_LINE = "with-its-line"  # print.css: .footnote-text.with-its-line


def mended_html(document: Any, variant: str, *, hyphenate: bool) -> str | None:
    """The laid-out document as HTML with its faults marked, or None when it has none."""
    faults = hyphen_faults(document.pages) if hyphenate else []
    away = {note.note_id for note in notes_away(document.pages)}
    if not faults and not away:
        return None
    keep_whole(faults)
    root = document.pages[0]._page_box.children[0].element  # WeasyPrint's <html> element
    for element in root.iter():
        if element.get("id") in away:
            element.set("class", f"{element.get('class') or ''} {NOTE_WITH_ITS_LINE}".strip())
    log.info(
        "%s: %d hyphens taken back, %d notes moved with their call: laying out again",
        variant,
        len(faults),
        len(away),
    )
    return laid_out_html(document)
