"""Each line of a code block as a block of its own, for the PDF: a long line then wraps with a
hanging indent, so that its continuation reads as one, not as a new line of code.

Pygments closes its spans at each line's end, so a line is a run of siblings up to a newline.
The EPUB keeps the code as written (a reading system wraps or scrolls it as it likes); only the
PDF's copy of the tree is changed, and its newlines become the blocks' own line breaks.
"""

from __future__ import annotations

from lxml import html

# A line of code shorter than this cannot wrap on any page publish makes (the narrowest trim's
# text block holds about 50 characters of code, less a list's or quotation's indent); a longer
# one is marked `long`, and only those carry the continuation mark's picture in the PDF, which
# costs some 0.3 KB for each line that shows it.
MAY_WRAP = 36


def code_lines_as_blocks(tree: html.HtmlElement) -> None:
    """Each line of each highlighted block as `<span class="line">`, in place."""
    for code in tree.xpath("//div[contains(concat(' ', @class, ' '), ' highlight ')]//pre/code"):
        _split_lines(code)
        for line in code:
            if len(line.text_content()) >= MAY_WRAP:
                line.set("class", "line long")


def _split_lines(code: html.HtmlElement) -> None:
    pieces: list[html.HtmlElement | str] = [code.text or ""]
    for child in code:
        tail, child.tail = child.tail or "", None
        pieces += [child, tail]
    code.text = None
    for child in list(code):
        code.remove(child)
    line = _new_line()
    for piece in pieces:
        if not isinstance(piece, str):
            line.append(piece)
            # A line highlighted on request (hl_lines) is one span ending with its newline.
            if "\n" in piece.text_content() and _strip_final_newline(piece):
                code.append(line)
                line = _new_line()
            continue
        first, *rest = piece.split("\n")
        _append_text(line, first)
        for part in rest:
            code.append(line)
            line = _new_line()
            _append_text(line, part)
    if len(line) or line.text:
        code.append(line)


def _strip_final_newline(span: html.HtmlElement) -> bool:
    """Take the newline off the end of a span holding one line; whether it did."""
    last = span[-1] if len(span) else None
    text = (last.tail if last is not None else span.text) or ""
    if not text.endswith("\n") or "\n" in span.text_content()[:-1]:
        return False
    if last is not None:
        last.tail = text[:-1]
    else:
        span.text = text[:-1]
    return True


def _new_line() -> html.HtmlElement:
    return html.Element("span", {"class": "line"})


def _append_text(line: html.HtmlElement, text: str) -> None:
    if len(line):
        line[-1].tail = (line[-1].tail or "") + text
    else:
        line.text = (line.text or "") + text
