"""What a book's HTML may hold: elements, attributes, URL schemes, and what counts as a threat.

Read by the sanitizer (convert/sanitize.py), which cuts the HTML down to it, and by the report of
what was cut (convert/raw_html.py).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
    "*": set(GLOBAL_ATTRIBUTES)
    | {"aria-label", "aria-labelledby", "aria-describedby"}
    | {"aria-hidden"},
    "a": {"href"},
    "span": {"data-linenos"},  # a code line's number, shown by the style sheets
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# Only links a reader can follow; data:, javascript:, file: and the rest are dropped.
URL_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "data", "poster", "background"}
# Attributes whose removal an author should hear of: they run code, style or fetch things.
RISKY_ATTRIBUTES = {"style", "rel", "srcset", "xlink:href", "action", "formaction", "data"}
# Far beyond any table in a book; a column span of 100,000 takes WeasyPrint minutes.
MAX_SPANS = {"colspan": 100, "rowspan": 1000}
# Deeper than this, WeasyPrint's layout overflows Python's stack (it recurses per element).
MAX_DEPTH = 100
REASON = "a book keeps no scripts, frames, forms or active links"
# A URL's scheme as browsers read it (urlsplit raises on some malformed URLs; this cannot).
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


# Elements removed because they run code, fetch or embed content, or take input: the words
# "removed ... a book keeps no scripts, frames, forms or active links" are theirs. Any other
# element a book does not use (`<center>`, `<Listing>`, MathML) is unwrapped: its content stays.
THREATS = frozenset(
    {"script", "noscript", "template", "style", "link", "meta", "base", "iframe", "frame"}
    | {"frameset", "object", "embed", "applet", "param", "portal", "form", "input", "button"}
    | {"select", "option", "optgroup", "textarea", "datalist", "keygen", "output", "svg"}
    | {"audio", "video", "source", "track", "canvas", "dialog", "slot", "title", "head", "html"}
    | {"body"}
)


def parses(url: str) -> bool:
    """Whether the stages after this one can read the URL (urlsplit refuses `//[::1`)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def only_alignment(style: str) -> bool:
    declarations = [part for part in style.split(";") if part.strip()]
    return all(part.split(":")[0].strip().lower() == "text-align" for part in declarations)
