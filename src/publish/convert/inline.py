"""Two inline rules of the Markdown authors write that Python-Markdown lacks.

- Inline notes, as Pandoc writes them: `text^[the note's own text]` is a footnote like `[^1]`
  with `[^1]: the note's own text`, numbered with the others.
- Angle brackets that are not HTML stay text. Python-Markdown takes any `<word ...>` for raw
  HTML, so `Vec<T>` or `HashMap<K, V>` in prose lost its `<T>` to the sanitizer. A tag is raw
  HTML when HTML knows its name, or when the chapter closes it somewhere (`<Listing ...>` ...
  `</Listing>`, which the sanitizer then unwraps, keeping its content); otherwise it is text.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.preprocessors import Preprocessor

# Every element name HTML defines, with the obsolete ones, SVG's and MathML's roots.
_ELEMENT_NAMES = (
    "a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big "
    "blink blockquote body br button canvas caption center cite code col colgroup data datalist "
    "dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form "
    "frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins "
    "isindex kbd keygen label legend li link listing main map mark marquee math menu menuitem meta "
    "meter multicol nav nextid nobr noembed noframes noscript object ol optgroup option output p "
    "param picture plaintext portal pre progress q rb rp rt rtc ruby s samp script search section "
    "select slot small source spacer span strike strong style sub summary sup svg table tbody td "
    "template textarea tfoot th thead time title tr track tt u ul var video wbr xmp"
)
HTML_ELEMENTS = frozenset(_ELEMENT_NAMES.split())
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
_CLOSING = re.compile(r"</([A-Za-z][^\s/>]*)\s*>")
# A note's text may hold brackets one deep (a link); code spans are passed over as they are.
_NOTE_OR_CODE = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`))"
    r"|\^\[(?P<note>(?:[^\[\]]|\[[^\[\]]*\])+)\]"
)


class InlineExtras(Extension):
    """Python-Markdown extension: inline notes, and `<T>` kept as text."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        closed: set[str] = set()
        md.preprocessors.register(_ClosedTags(md, closed), "closed_tags", 40)
        md.inlinePatterns.register(_HtmlOrText(HTML_RE, md, closed), "html", 90)
        if "footnote" in md.inlinePatterns:  # after fences (25) and HTML blocks (20) are set aside
            md.preprocessors.register(_InlineNotes(md), "inline_notes", 15)


class _ClosedTags(Preprocessor):
    """Collects the names of the elements the chapter closes (`</Listing>` -> listing)."""

    def __init__(self, md: Markdown, closed: set[str]) -> None:
        super().__init__(md)
        self.closed = closed

    def run(self, lines: list[str]) -> list[str]:
        self.closed.clear()
        for line in lines:
            if "</" in line:
                self.closed.update(name.lower() for name in _CLOSING.findall(line))
        return lines


class _HtmlOrText(HtmlInlineProcessor):
    def __init__(self, pattern: str, md: Markdown, closed: set[str]) -> None:
        super().__init__(pattern, md)
        self.closed = closed

    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's name)
        self, m: re.Match[str], data: str
    ) -> tuple[str | Element | None, int | None, int | None]:
        name = _TAG_NAME.match(m.group(1))
        if name:
            tag = name[1].lower()
            if tag not in HTML_ELEMENTS and tag not in self.closed:
                return m.group(1), m.start(0), m.end(0)  # text, escaped as text is
        return super().handleMatch(m, data)


class _InlineNotes(Preprocessor):
    """`^[text]` -> `[^inline-N]`, and its definition after the chapter's last line (so that
    no line moves). Runs once fenced code and HTML blocks are set aside, and skips code spans."""

    def run(self, lines: list[str]) -> list[str]:
        notes: list[str] = []

        def call(match: re.Match[str]) -> str:
            if match["code"]:
                return match["code"]
            notes.append(match["note"])
            return f"[^inline-{len(notes)}]"

        lines = [_NOTE_OR_CODE.sub(call, line) if "^[" in line else line for line in lines]
        for number, note in enumerate(notes, start=1):
            lines += ["", f"[^inline-{number}]: {note}"]
        return lines
