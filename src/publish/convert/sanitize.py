"""A chapter's HTML is cut down to an allowlist of book markup.

Raw HTML and Markdown attribute lists (`{: onclick=… }`) both end up in the HTML Python-Markdown
makes, so everything is checked there: each removal is a warning with file and line, an image
that is not a file in the manuscript is an error, and so is nesting deeper than layout can take.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from pathlib import Path
from urllib.parse import quote

import nh3
from lxml import html

from publish.convert.allowlist import (
    ALLOWED_TAGS,
    ATTRIBUTES,
    MAX_DEPTH,
    MAX_SPANS,
    SCHEME,
    URL_SCHEMES,
    parses,
)
from publish.convert.images import reference_line
from publish.convert.nesting import fragment_markup, with_valid_nesting
from publish.convert.raw_html import unwrap_and_report
from publish.errors import Problem, problem, warn
from publish.model import Chapter

# A heading with no words: `##` alone on its line, or `<h2></h2>` in raw HTML.
_EMPTY_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]*#*[ \t]*$|<h[1-6][^>]*>\s*</h[1-6]\s*>", re.I)
# ASCII that a URL may not hold as written; letters beyond ASCII may stand (an IRI).
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\"<>\\^`{|}]")


def sanitize(
    fragment: str,
    chapter: Chapter,
    source: Path,
    problems: list[Problem],
    code_lines: Collection[int] = (),
) -> str:
    """The chapter HTML without anything that could run code or fetch content.

    Each removal is a warning; an image that is no file in the manuscript, and nesting too
    deep to lay out, are added to `problems`. Messages never point into `code_lines` (fenced
    code shows markup as text: it is never what was removed).
    """
    tree = html.fragment_fromstring(fragment, create_parent="div")
    refused = _refuse_images(tree, chapter, source, problems)
    if unwrap_and_report(tree, chapter, source, code_lines) or refused:
        fragment = fragment_markup(tree)
    _check_depth(tree, chapter, source, problems)
    cleaned = nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes=ATTRIBUTES,
        attribute_filter=_valid_value,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        # Python-Markdown aligns table columns with `style="text-align: …"`; nothing else may pass.
        filter_style_properties={"text-align"},
    )
    valid, empty_headings = with_valid_nesting(cleaned)
    if empty_headings:
        lines = [
            number
            for number, line in enumerate(chapter.markdown.splitlines(), start=1)
            if number not in code_lines and _EMPTY_HEADING.search(line)
        ]
        where = f" ({'lines' if len(lines) > 1 else 'line'} {', '.join(map(str, lines))})"
        message = (
            f"removed {empty_headings} heading{'s' * (empty_headings > 1)} without text"
            f"{where if len(lines) > 1 else ''}; the contents need a few words for each"
        )
        warn(problem(source, message, lines[0] if lines else None))
    return valid


def _refuse_images(
    tree: html.HtmlElement, chapter: Chapter, source: Path, problems: list[Problem]
) -> bool:
    """Report and drop each image that shows no file (a URL, or no src at all)."""
    refused = []
    for image in tree.iter("img"):
        src = (image.get("src") or "").strip()
        if not src:
            message = "image without a source: give it a file in the manuscript, e.g. ![Alt](x.png)"
            alt = image.get("alt")
            line = (alt and _line_of(chapter, f'alt="{alt}"')) or _line_of(chapter, "<img")
        elif src.startswith("//") or ((found := SCHEME.match(src)) and len(found[1]) > 1):
            shown = src if len(src) <= 60 else src[:57] + "..."
            message = f"image '{shown}' is a URL, not a file in the manuscript; save the file there"
            line = reference_line(chapter, src)
        else:
            continue
        problems.append(problem(source, message, line))
        refused.append(image)
    for image in refused:
        image.drop_tree()
    return bool(refused)


def _valid_value(tag: str, attribute: str, value: str) -> str | None:
    """The attribute's value if EPUB's XHTML schema accepts it (spans kept to what a book
    needs), else None, which drops the attribute."""
    value = value.strip()
    if attribute in MAX_SPANS:
        if not value.isdigit():
            return None
        lowest = 1 if attribute == "colspan" else 0
        return str(max(lowest, min(int(value), MAX_SPANS[attribute])))
    if attribute in {"href", "cite"}:
        return _well_formed_url(value)
    check = _VALUE_CHECKS.get(attribute)
    return value if check is None or check(value) else None


def _well_formed_url(url: str) -> str | None:
    """The URL with what URL syntax forbids percent-encoded, as a browser would send it:
    spaces, backslashes, a `%` that starts no escape (EPUBCheck rejects them as written)."""
    url = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url)
    url = _URL_FORBIDDEN.sub(lambda match: quote(match[0]), url)
    return url if parses(url) else None


_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$|^$")
_DATETIME = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
# ARIA and DPUB-ARIA roles a book's markup may carry; EPUBCheck refuses unknown ones.
ROLES = {"note", "presentation", "none", "img", "figure", "region", "group", "list"}
ROLES |= {"listitem", "separator", "heading", "paragraph", "term", "definition", "table"}
_DPUB_ROLES = {"abstract", "acknowledgments", "afterword", "appendix", "backlink", "biblioentry"}
_DPUB_ROLES |= {"bibliography", "biblioref", "chapter", "colophon", "conclusion", "cover"}
_DPUB_ROLES |= {"credit", "credits", "dedication", "endnote", "endnotes", "epigraph", "epilogue"}
_DPUB_ROLES |= {"errata", "example", "footnote", "foreword", "glossary", "glossref", "index"}
_DPUB_ROLES |= {"introduction", "noteref", "notice", "pagebreak", "pagelist", "part", "preface"}
_DPUB_ROLES |= {"prologue", "pullquote", "qna", "subtitle", "tip", "toc"}
ROLES |= {f"doc-{name}" for name in _DPUB_ROLES}
_VALUE_CHECKS: dict[str, Callable[[str], bool]] = {
    "id": lambda v: bool(v) and not any(c.isspace() for c in v),
    "lang": lambda v: bool(_BCP47.match(v)),
    "dir": lambda v: v in {"ltr", "rtl", "auto"},
    "start": lambda v: bool(re.fullmatch(r"-?\d{1,9}", v)),
    "type": lambda v: v in {"1", "a", "A", "i", "I"},
    "reversed": lambda v: v in {"", "reversed"},
    "width": lambda v: v.isdigit() and len(v) <= 6,
    "height": lambda v: v.isdigit() and len(v) <= 6,
    "datetime": lambda v: bool(_DATETIME.match(v)),
    "scope": lambda v: v in {"row", "col", "rowgroup", "colgroup"},
    "role": lambda v: bool(v) and all(token in ROLES for token in v.split()),
    "aria-hidden": lambda v: v in {"true", "false"},
}


def _check_depth(
    tree: html.HtmlElement, chapter: Chapter, source: Path, problems: list[Problem]
) -> None:
    deepest = max((_depth(element) for element in tree.iter() if len(element) == 0), default=0)
    if deepest > MAX_DEPTH:
        message = (
            f"elements nested {deepest} levels deep (lists, quotations or HTML inside each "
            f"other); layout allows {MAX_DEPTH}: flatten them"
        )
        problems.append(problem(source, message))


def _depth(element: html.HtmlElement) -> int:
    return sum(1 for _ in element.iterancestors())


def _line_of(chapter: Chapter, needle: str) -> int | None:
    """The first line holding `needle`, ignoring case (HTML tag and attribute names have none)."""
    needle = needle.lower()
    for number, line in enumerate(chapter.markdown.splitlines(), start=1):
        if needle and needle in line.lower():
            return number
    return None
