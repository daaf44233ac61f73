"""Ids that are XML names, whatever a heading or an attribute holds.

EPUB's XHTML wants every id to be an XML name without colons (an NCName): `## 123` makes the id
`123` and `## ...` or `{#a:b}` others no reader is bound to accept (EPUBCheck RSC-005).
"""

from __future__ import annotations

import re

from lxml import html
from markdown.extensions.toc import slugify

# XML 1.0 (fifth edition) NameStartChar and NameChar, without the colon.
_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME = _START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
_NCNAME = re.compile(f"[{_START}][{_NAME}]*")
_NOT_NAME = re.compile(f"[^{_NAME}]+")
PREFIX = "id-"  # before an id that cannot start a name: `123` -> `id-123`


def xml_id(value: str) -> str:
    """`value` if it is an XML name without colons; else the nearest one: characters a name
    cannot hold become `-`, and `id-` goes before a start a name cannot have."""
    if _NCNAME.fullmatch(value):
        return value
    value = _NOT_NAME.sub("-", value)
    return value if _NCNAME.fullmatch(value) else PREFIX + value


def name_headings(tree: html.HtmlElement) -> None:
    """Give each heading without an id (raw HTML, or one whose id was dropped) one from its
    text, as Markdown's own headings get: the contents and the navigation link to every one."""
    for heading in tree.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if not (heading.get("id") or "").strip():
            heading.set("id", slugify(heading.text_content(), "-") or "section")
