"""Convert stage, safety: raw HTML in a chapter is cut down to an allowlist of book markup."""

from __future__ import annotations

from pathlib import Path

import nh3
from lxml import html

from publish.errors import problem, warn
from publish.model import Chapter

# HTML5 elements a book's text uses; no scripts, frames, objects, forms or obsolete tags
# (EPUBCheck rejects <center>, <tt> and the like).
ALLOWED_TAGS = frozenset(
    {"a", "abbr", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code"}
    | {"col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol"}
    | {"p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strong"}
    | {"sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul"}
    | {"var", "wbr"}
)
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role", "epub:type"})
ATTRIBUTES: dict[str, set[str]] = {
    "*": set(GLOBAL_ATTRIBUTES),
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# Only links a reader can follow; data:, javascript: and the rest are dropped.
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(fragment: str, chapter: Chapter, source: Path) -> str:
    """The chapter HTML without anything that could run code or fetch content; warns of each."""
    if "<" in chapter.markdown:  # only raw HTML in the Markdown can bring such things in
        _warn_about_removals(fragment, chapter, source)
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes=ATTRIBUTES,
        generic_attribute_prefixes={"aria-"},
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        # Python-Markdown aligns table columns with `style="text-align: …"`; nothing else may pass.
        filter_style_properties={"text-align"},
    )


def _warn_about_removals(fragment: str, chapter: Chapter, source: Path) -> None:
    tree = html.fragment_fromstring(fragment, create_parent="div")
    removed: dict[str, int | None] = {}
    for element in tree.iter():
        if not isinstance(element.tag, str) or element is tree:
            continue
        if element.tag not in ALLOWED_TAGS:
            removed.setdefault(f"<{element.tag}>", chapter.line_of(f"<{element.tag}"))
        for name, value in element.attrib.items():
            if name.startswith("on"):
                removed.setdefault(f"{name}=", chapter.line_of(f"{name}="))
            elif name in {"href", "src"} and value.strip().lower().startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                removed.setdefault(f"{name}={value.split(':', 1)[0]}:", chapter.line_of(value[:20]))
    for what, line in removed.items():
        message = (
            f"removed {what} from raw HTML: a book keeps no scripts, frames, forms or active links"
        )
        warn(problem(source, message, line))
