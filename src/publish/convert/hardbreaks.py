"""A backslash at the end of a line is a line break, as CommonMark and Pandoc have it.

Python-Markdown knows only two trailing spaces; verse and letters are often written with a
backslash instead (`The woods are lovely, dark and deep,\\`), and the backslash was printed and
the lines ran together. A backslash at the very end of a paragraph stays as written (CommonMark).
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

# After the escapes (180), which take `\\` as an escaped backslash; a backslash before a
# line end is no escape (their `.` stops at the line end), so it is left for this pattern.
PRIORITY = 175


class _BackslashBreak(InlineProcessor):
    def handleMatch(  # type: ignore[override]  # noqa: N802 (as the stubs declare it)
        self, m: re.Match[str], data: str
    ) -> tuple[Element | str | None, int | None, int | None]:
        return Element("br"), m.start(0), m.end(0)


class HardBreaks(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.inlinePatterns.register(_BackslashBreak(r"\\\n", md), "backslash-break", PRIORITY)


def makeExtension(**kwargs: Any) -> HardBreaks:  # noqa: N802 (how Python-Markdown finds it)
    return HardBreaks(**kwargs)
