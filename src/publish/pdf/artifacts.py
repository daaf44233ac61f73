"""PDF/UA: marked content that no structure element owns becomes an artifact.

WeasyPrint 70 tags the running heads and folios of some pages (those set from `string()` and
`counter()` in the margin boxes) as `/Span` marked content whose `NonStruct` parent is never
added to the structure tree: tagged content nothing owns, which a PDF/UA validator rejects.
Running heads and folios are pagination artifacts; after WeasyPrint has built the tree and
before the PDF is written, each marked-content sequence whose MCID the tree does not reach is
rewritten as `/Artifact BMC … EMC`.
"""

from __future__ import annotations

from typing import Any

import pydyf


def orphans_to_artifacts(pdf: pydyf.PDF) -> int:
    """Rewrite unowned marked content as artifacts; the number rewritten."""
    root = pdf.catalog.get("StructTreeRoot")
    if root is None:
        return 0
    owned: set[tuple[int, int]] = set()  # (page object number, MCID)
    _walk(pdf, _object(pdf, root), None, owned, set())
    kids = pdf.pages["Kids"]
    rewritten = 0
    for number in kids[::3]:  # [n, 0, "R", …]
        page = pdf.objects[number]
        contents = page.get("Contents")
        if contents is None:
            continue
        stream = _object(pdf, contents)
        items = stream.stream
        fixed: list[Any] = []
        index = 0
        while index < len(items):
            item = items[index]
            following = items[index + 1] if index + 1 < len(items) else None
            if (
                isinstance(item, pydyf.Dictionary)
                and "MCID" in item
                and following == b"BDC"
                and fixed
                and (number, int(item["MCID"])) not in owned
            ):
                fixed[-1] = "/Artifact"
                fixed.append(b"BMC")
                index += 2
                rewritten += 1
                continue
            fixed.append(item)
            index += 1
        stream.stream = fixed
    return rewritten


def _object(pdf: pydyf.PDF, reference: Any) -> Any:
    if isinstance(reference, bytes | str):
        return pdf.objects[
            int(str(reference if isinstance(reference, str) else reference.decode()).split()[0])
        ]
    return reference


def _walk(
    pdf: pydyf.PDF, node: Any, page: int | None, owned: set[tuple[int, int]], seen: set[int]
) -> None:
    if isinstance(node, int):
        if page is not None:
            owned.add((page, node))
        return
    if isinstance(node, list):
        for kid in node:
            _walk(pdf, _object(pdf, kid), page, owned, seen)
        return
    if not isinstance(node, dict) or id(node) in seen:
        return
    seen.add(id(node))
    if "Pg" in node:
        page = int(_object_number(node["Pg"]))
    if node.get("Type") == "/MCR" and "MCID" in node:
        if page is not None:
            owned.add((page, int(node["MCID"])))
        return
    if "K" in node:
        _walk(pdf, _object(pdf, node["K"]), page, owned, seen)


def _object_number(reference: Any) -> int:
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])
