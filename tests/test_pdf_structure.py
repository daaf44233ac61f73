"""PDF/UA structure, as far as can be checked without veraPDF (issue 16).

Every marked-content sequence with an MCID on every page is owned by an element of the
structure tree (through a StructElem's /K, with /Pg inherited, or an MCR), and no text is drawn
outside marked content: what is not tagged is an /Artifact.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject


def owned_content(reader: PdfReader) -> set[tuple[int, int]]:
    """(page object number, MCID) of every piece of content the structure tree reaches."""
    found: set[tuple[int, int]] = set()

    def walk(node: object, page: int | None) -> None:
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, int) and not isinstance(node, bool):
            if page is not None:
                found.add((page, int(node)))
        elif isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, page)
        elif isinstance(node, DictionaryObject):
            if "/Pg" in node:
                page = node.raw_get("/Pg").idnum
            if node.get("/Type") == "/MCR":
                found.add((page or 0, int(node["/MCID"])))
            elif "/K" in node:
                walk(node.raw_get("/K"), page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"].raw_get("/K"), None)
    return found


def structure_problems(pdf: Path) -> list[str]:
    reader = PdfReader(pdf)
    owned = owned_content(reader)
    problems = []
    for number, page in enumerate(reader.pages, start=1):
        page_id = page.indirect_reference.idnum
        open_tags: list[str] = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"BDC":
                open_tags.append(str(operands[0]))
                properties = operands[1]
                mcid = properties.get("/MCID") if isinstance(properties, DictionaryObject) else None
                if mcid is not None and (page_id, int(mcid)) not in owned:
                    problems.append(f"page {number}: {operands[0]} MCID {mcid} owned by nothing")
            elif operator == b"BMC":
                open_tags.append(str(operands[0]))
            elif operator == b"EMC" and open_tags:
                open_tags.pop()
            elif operator in (b"Tj", b"TJ", b"'", b'"') and not open_tags:
                problems.append(f"page {number}: text drawn outside marked content")
    return problems


def test_every_tagged_piece_is_owned_and_nothing_else_is_untagged(built) -> None:
    assert structure_problems(built.pdf) == []
