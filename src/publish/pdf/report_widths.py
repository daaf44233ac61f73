"""Layout report, widths: lines, tables, images and code blocks wider than their room."""

from __future__ import annotations

from collections.abc import Iterator

from weasyprint.formatting_structure import boxes

from publish.pdf.report_finding import Finding, excerpt, lines_of, text_of

TOLERANCE = 0.5  # CSS px: rounding in the layout, not a line running out
PT_PER_PX = 0.75
HANGING = frozenset({"pre-wrap"})  # white-space values whose spaces at a line's end hang


def line_findings(page: int, block: boxes.Box, chapter_id: str | None) -> list[Finding]:
    """Lines whose text runs past either side of their column."""
    # A hanging indent (a negative text-indent into the padding, as each line of code has in
    # styles/code.css) is inside the block: only text past its padding is out.
    left = block.padding_box_x()
    right = block.content_box_x() + block.width
    findings = []
    for line in lines_of(block):
        leaves = [d for d in line.descendants() if isinstance(d, boxes.TextBox) and d.text.strip()]
        if not leaves:
            continue
        start = min(leaf.position_x for leaf in leaves)
        end = max(leaf.position_x + leaf.margin_width() - _hanging(leaf) for leaf in leaves)
        over = max(end - right, left - start)
        if over > TOLERANCE:
            text = text_of(line)
            message = f'overfull line, {over * PT_PER_PX:.1f} pt too wide: "{excerpt(text)}"'
            findings.append(Finding(page, message, chapter_id, text))
    return findings


def _hanging(leaf: boxes.TextBox) -> float:
    """The width of the spaces that end a line of a code block: they hang, as CSS has it.

    A code block wraps its long lines (`white-space: pre-wrap`), and the space at the wrap
    stays at the line's end, past the column: no overflow. Code is set in a monospaced face,
    so a space is as wide as any of the line's characters.
    """
    text = leaf.text
    spaces = len(text) - len(text.rstrip(" "))
    if not spaces or leaf.style["white_space"] not in HANGING:
        return 0.0
    return float(leaf.width) * spaces / len(text)


def width_findings(page: int, area: boxes.Box, page_box: boxes.PageBox) -> list[Finding]:
    """Tables, images and code blocks wider than the text block."""
    right = page_box.content_box_x() + page_box.width
    findings = []
    for box, chapter_id in _blocks(area, None):
        over = box.border_box_x() + box.border_width() - right
        if over > TOLERANCE:
            text = text_of(box)
            message = f"{box.element_tag} {over * PT_PER_PX:.1f} pt wider than the text block"
            findings.append(Finding(page, f'{message}: "{excerpt(text)}"', chapter_id, text))
    return findings


def _blocks(box: boxes.Box, chapter_id: str | None) -> Iterator[tuple[boxes.Box, str | None]]:
    """The outermost table, figure and preformatted blocks."""
    if box.element_tag == "section" and "chapter" in (box.element.get("class") or "").split():
        chapter_id = box.element.get("id")
    if isinstance(box, boxes.TableBox | boxes.ReplacedBox) or box.element_tag in {"pre", "figure"}:
        yield box, chapter_id
        return
    for child in getattr(box, "children", ()):
        if not isinstance(child, boxes.LineBox):
            yield from _blocks(child, chapter_id)
