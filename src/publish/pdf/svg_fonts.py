"""SVG images' text in the book's fonts, not in fonts we do not ship.

An SVG names its fonts (`font-family="Arial"`, or none: WeasyPrint then asks for sans-serif),
and the system would draw them with whatever it has: DejaVu, Nimbus. Before WeasyPrint reads an
SVG for the PDF, each family it names becomes one of the book's: IBM Plex Mono for a monospaced
family, Source Serif Pro for any other; text that names none gets Source Serif Pro. The file on
disk and the EPUB's copy are untouched.
"""

from __future__ import annotations

from lxml import etree

SERIF = "Source Serif Pro"
MONO = "IBM Plex Mono"
OURS = frozenset({SERIF, MONO})
_MONOSPACED = ("mono", "courier", "consolas", "menlo", "monaco", "code", "typewriter")


def is_svg(data: bytes) -> bool:
    return b"<svg" in data[:2048]


def with_book_fonts(data: bytes) -> bytes:
    """The SVG with every font family it names replaced by one of the book's."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return data  # WeasyPrint will say what is wrong with it
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if (family := element.get("font-family")) is not None:
            element.set("font-family", book_family(family))
        if "font-family" in (style := element.get("style") or ""):
            element.set("style", _restyled(style))
    if root.get("font-family") is None:
        root.set("font-family", SERIF)  # inherited by text that names no family
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def book_family(families: str) -> str:
    """The book's family for a CSS list of families: ours if it names one, else by kind."""
    names = [name.strip().strip("\"'") for name in families.split(",")]
    for name in names:
        if name in OURS:
            return name
    monospaced = any(hint in name.lower() for name in names for hint in _MONOSPACED)
    return MONO if monospaced else SERIF


def _restyled(style: str) -> str:
    declarations = []
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        if colon and name.strip().lower() == "font-family":
            declaration = f"font-family: {book_family(value)}"
        declarations.append(declaration)
    return ";".join(declarations)
