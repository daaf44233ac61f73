"""HTML that parses but breaks EPUB's content models, repaired.

HTML parsing (html5ever in nh3, libxml2 in lxml) accepts a `<div>` inside `<b>`, text loose in a
`<ul>` or a `<dd>` without its `<dt>`; EPUBCheck does not. Each is repaired here, keeping every
word: the misplaced element is unwrapped, loose content wrapped in an item of its own.
"""

from __future__ import annotations

from html import escape

from lxml import etree, html

# Content models, as far as the allowed tags go: what HTML parsing leaves (a <div> in a <b>,
# text loose in a <ul>) is safe but fails EPUBCheck, so it is repaired, keeping every word.
PHRASING = {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img"}
PHRASING |= {"ins", "kbd", "mark", "q", "ruby", "s", "samp", "small", "span", "strong", "sub"}
PHRASING |= {"sup", "time", "u", "var", "wbr"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TRANSPARENT = {"a", "ins", "del"}  # their content model is their parent's
PHRASING_ONLY = (PHRASING - TRANSPARENT) | {"p", "pre", "dt"} | HEADINGS
ITEMS = {"ul": "li", "ol": "li", "dl": "dd"}  # a list, and what wraps what stands loose in it
PARENTS = {"li": {"ul", "ol"}, "dt": {"dl"}, "dd": {"dl"}, "rt": {"ruby"}, "rp": {"ruby"}}
PARENTS |= {"figcaption": {"figure"}}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}


def with_valid_nesting(fragment: str) -> tuple[str, int]:
    """The fragment with each element moved out of a parent that may not hold it, and the
    number of headings without text it unwrapped (an empty entry in the contents is invalid)."""
    tree = html.fragment_fromstring(fragment, create_parent="div")
    changed = False
    empty_headings = 0
    for element in list(tree.iter()):
        if element is tree or not isinstance(element.tag, str):
            continue
        if _misplaced(element, tree):
            element.drop_tag()  # keeps its text and children, in place
            changed = True
        elif element.tag in HEADINGS and not element.text_content().strip():
            element.drop_tag()
            empty_headings += 1
            changed = True
    for element in list(tree.iter(*ITEMS)):
        changed |= _wrap_loose_content(element, ITEMS[element.tag])
    for definitions in list(tree.iter("dl")):
        changed |= _complete_groups(definitions)
    if not changed:
        return fragment, 0
    return fragment_markup(tree), empty_headings


def fragment_markup(tree: html.HtmlElement) -> str:
    """The content of a wrapper element as markup that HTML and XML parsers read alike.

    XML syntax, so that nothing is rewritten (lxml's HTML output percent-encodes link targets),
    but every element other than a void one closed explicitly: `<p></p>`, never `<p/>`.
    """
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag not in VOID and not len(element):
            element.text = element.text or ""
    parts = [escape(tree.text or "", quote=False)]
    parts += [etree.tostring(child, encoding="unicode", method="xml") for child in tree]
    return "".join(parts)


def _misplaced(element: html.HtmlElement, root: html.HtmlElement) -> bool:
    parent = element.getparent()
    if element.tag in PARENTS:
        if parent.tag not in PARENTS[element.tag]:
            return True
        if element.tag == "figcaption":  # first or last in its figure
            return element not in (parent[0], parent[-1])
        return False
    if element.tag == "a" and any(a.tag == "a" for a in element.iterancestors()):
        return True
    context = parent
    while context is not root and context.tag in TRANSPARENT:
        context = context.getparent()
    return context.tag in PHRASING_ONLY and element.tag not in PHRASING


def _wrap_loose_content(container: html.HtmlElement, item: str) -> bool:
    """Wrap text and elements standing loose in a list in an item of their own."""
    allowed = {"li"} if item == "li" else {"dt", "dd", "div"}
    loose = [child for child in container if child.tag not in allowed]
    text = (container.text or "").strip()
    tails = [child for child in container if (child.tail or "").strip()]
    if not loose and not text and not tails:
        return False
    items: list[html.HtmlElement] = []
    pending: list[html.HtmlElement | str] = [container.text or ""]
    container.text = None
    for child in list(container):
        container.remove(child)
        tail, child.tail = child.tail or "", None
        if child.tag in allowed:
            items += _as_item(pending, item)
            items.append(child)
            pending = [tail]
        else:
            pending += [child, tail]
    items += _as_item(pending, item)
    container.extend(items)
    return True


def _complete_groups(definitions: html.HtmlElement) -> bool:
    """A definition list as groups of terms then definitions: an empty term before a definition
    that has none, an empty definition after a last term."""
    changed = False
    previous = None
    for child in list(definitions):
        if child.tag == "dd" and previous not in {"dt", "dd"}:
            child.addprevious(html.Element("dt"))
            changed = True
        previous = child.tag
    if previous == "dt":
        definitions.append(html.Element("dd"))
        changed = True
    return changed


def _as_item(pending: list[html.HtmlElement | str], item: str) -> list[html.HtmlElement]:
    """A new list item holding `pending`, unless that is only whitespace."""
    if all(isinstance(part, str) and not part.strip() for part in pending):
        return []
    wrapper = html.Element(item)
    for part in pending:
        if isinstance(part, str):
            if len(wrapper):
                wrapper[-1].tail = (wrapper[-1].tail or "") + part
            else:
                wrapper.text = (wrapper.text or "") + part
        else:
            wrapper.append(part)
    return [wrapper]
