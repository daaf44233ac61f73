"""Each chapter's Markdown -> an XHTML fragment, with ids unique across the book."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import markdown
from lxml import etree, html

from publish.convert import typography
from publish.convert.attributes import Report, ValuelessAttributes
from publish.convert.blocks import book_blocks
from publish.convert.breaks import mark_joints
from publish.convert.fences import UNCLOSED_FENCE, prepare_fences
from publish.convert.footnotes import make_notes
from publish.convert.images import collect_images
from publish.convert.inline import InlineExtras
from publish.convert.links import IdRegistry, rewrite_links
from publish.convert.sanitize import sanitize
from publish.convert.semantics import section_type
from publish.convert.xmlids import name_headings
from publish.errors import ManuscriptError, Problem, problem, warn
from publish.model import Book, Chapter, Heading, Memo, computed
from publish.progress import CONVERT, track

log = logging.getLogger(__name__)

# The Markdown an author may write: Python-Markdown's "extra" set and heading ids, fenced code
# at any depth with Pygments' highlighting (pymdown-extensions); the smart punctuation by
# language is our typography extension's.
EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "sane_lists",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.tilde",  # ~~strikeout~~, H~2~O
    "pymdownx.caret",  # ^^inserted^^, x^2^
    "pymdownx.mark",  # ==marked==
    "pymdownx.keys",  # ++ctrl+alt+del++
    "pymdownx.tasklist",  # - [x] done (blocks.py makes the boxes characters)
    "publish.convert.hardbreaks",  # a backslash at a line's end breaks the line (CommonMark)
]
# What an extension needs to find in a chapter to have anything to do (a necessary condition,
# tested with string operations: a chapter's text is searched once per extension).
ON_DEMAND: dict[str, Callable[[str], bool]] = {
    # Code: a fence, or a line indented by four columns (four spaces or a tab somewhere).
    "pymdownx.superfences": lambda t: "```" in t or "~~~" in t or "    " in t or "\t" in t,
    "pymdownx.highlight": lambda t: "```" in t or "~~~" in t or "    " in t or "\t" in t,
    "admonition": lambda t: "!!!" in t,
    "pymdownx.tilde": lambda t: "~" in t,
    "pymdownx.caret": lambda t: "^" in t.replace("[^", "").replace("^[", ""),  # not notes
    "pymdownx.mark": lambda t: "==" in t,
    "pymdownx.keys": lambda t: "++" in t,
    "pymdownx.tasklist": lambda t: "[ ]" in t or "[x]" in t or "[X]" in t,
    "publish.convert.hardbreaks": lambda t: "\\\n" in t,  # a backslash at a line's end
}
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    # Colons in ids ("fn:1") are legal but trip some reading systems' fragment handling.
    "footnotes": {"SEPARATOR": "-"},  # the notes pass (footnotes.py) writes its own back links
    # Any info string opens a fence: its first word is the language, the rest is ignored.
    "pymdownx.superfences": {"relaxed_headers": True},
    "pymdownx.highlight": {
        "use_pygments": True,
        "noclasses": False,  # classes, styled by styles/code.css: some readers strip style=""
        "guess_lang": False,  # an unknown or missing language is plain text, never a guess
        "css_class": "highlight",
        "pygments_lang_class": True,  # the language as a class: `language-rust`
        # Numbers (`linenums="1"`) as a data attribute the style sheets show: not in the text.
        "linenums_style": "pymdownx-inline",
    },
}

# Elements HTML allows to be empty and written as <x/>; any other must have an end tag,
# or an HTML parser (WeasyPrint's) reads `<a id="x"/>` as an unclosed start tag.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr"}
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def convert_book(book: Book, memo: Memo = computed) -> Book:
    """Markdown -> XHTML for every chapter; report every broken link or image at once.

    A chapter converted before from the same inputs comes from `memo` (the build's cache).
    """
    problems: list[Problem] = []
    trees = [
        _markdown_to_tree(book, chapter, problems, memo)
        for chapter in track(book.chapters, CONVERT)
    ]

    for tree in trees:
        name_headings(tree)
    registry = IdRegistry(chapter.anchor for chapter in book.chapters)
    id_maps = {
        chapter.source_path: registry.claim_ids(tree)
        for chapter, tree in zip(book.chapters, trees, strict=True)
    }
    assets = {}
    chapters: list[Chapter] = []
    for index, (chapter, tree) in enumerate(zip(book.chapters, trees, strict=True)):
        problems += rewrite_links(book, chapter, tree, id_maps)
        for asset in collect_images(book.source_dir, chapter, tree, problems):
            assets[asset.source_path] = asset
        _make_figures(tree)
        finished = _finish(book, chapter, tree, problems)
        # A later file opening with `##` is a section of the chapter before it (mdBook's
        # sub-pages).
        subpage = index > 0 and not finished.lead and finished.headings[0].level > 1
        chapters.append(replace(finished, subpage=subpage))
    if problems:
        raise ManuscriptError(problems)
    log.info("converted %d chapters", len(chapters))
    return replace(book, chapters=tuple(chapters), assets=tuple(assets.values()))


def _markdown_to_tree(
    book: Book, chapter: Chapter, problems: list[Problem], memo: Memo
) -> html.HtmlElement:
    # An unchanged chapter is not converted again: the cache key is all the fragment depends on.
    settings = [repr(x) for x in (EXTENSIONS, EXTENSION_CONFIGS, book.source_dir)]
    settings += [repr(x) for x in (book.metadata, book.epub, book.pdf)]  # language and all
    inputs = [*settings, chapter.source_path, chapter.markdown]
    fragment, errors = memo("chapter", inputs, lambda: _markdown_to_fragment(book, chapter))
    problems += [Problem(*error) for error in errors]
    return html.fragment_fromstring(fragment, create_parent="div")


def _markdown_to_fragment(book: Book, chapter: Chapter) -> tuple[str, list[list[Any]]]:
    """The chapter as sanitized XHTML, and the errors found on the way (cached with it)."""
    # A fresh Markdown per chapter: its footnotes, abbreviations and ids leak between documents.
    source = book.source_dir / chapter.source_path
    errors: list[Problem] = []

    def dropped_id(text: str) -> None:
        line = _attribute_list_line(chapter, text)
        message = "an id in an attribute list needs a value without spaces: {#my-id}; "
        warn(problem(source, message + "it was left out", line))

    converter = markdown_converter(book.metadata.language, chapter.markdown, dropped_id)
    fences = prepare_fences(chapter.markdown)
    for line in fences.unclosed:
        warn(problem(source, UNCLOSED_FENCE, line))
    converted = book_blocks(converter.convert(fences.text))
    fragment = sanitize(converted, chapter, source, errors, fences.code_lines)
    tree = html.fragment_fromstring(fragment, create_parent="div")
    make_notes(tree, chapter, source)
    mark_joints(tree)
    return serialize(tree), [[p.path, p.line, p.column, p.message] for p in errors]


def markdown_converter(
    language: str, text: str | None = None, dropped_id: Report | None = None
) -> markdown.Markdown:
    """The Markdown an author may write, with the punctuation of `language`; `dropped_id` hears
    of each id an attribute list gave no usable value.

    Given the `text` to convert, an extension whose marks it does not hold is left out: each
    adds patterns tried on every run of text, and most chapters use none of them.
    """
    extensions = [
        name
        for name in EXTENSIONS
        if text is None or name not in ON_DEMAND or ON_DEMAND[name](text)
    ]
    return markdown.Markdown(
        extensions=[
            *extensions,
            InlineExtras(),
            ValuelessAttributes(dropped_id),
            typography.Typography(language=language),
        ],
        extension_configs=EXTENSION_CONFIGS,
        output_format="xhtml",
    )


def _attribute_list_line(chapter: Chapter, text: str) -> int | None:
    """The first line with an attribute list beside the element's first words."""
    words = text.split()[:3]
    for number, line in enumerate(chapter.markdown.splitlines(), start=1):
        if "{" in line and all(word in line for word in words):
            return number
    return None


def _finish(
    book: Book, chapter: Chapter, tree: html.HtmlElement, problems: list[Problem]
) -> Chapter:
    headings = tuple(
        Heading(int(element.tag[1]), _text_of(element), element.get("id", ""))
        for element in tree.iter(*HEADINGS)
    )
    lead = opens_with_text(tree)  # or no heading at all
    kind = section_type(book, chapter, tree, problems)  # before serializing: it edits the tree
    return replace(
        chapter,
        title=chapter.given_title or (headings[0].text if not lead else chapter.file_title),
        headings=headings,
        lead=lead,
        section_type=kind,
        html=serialize(tree),
    )


def opens_with_text(tree: html.HtmlElement) -> bool:
    """True when something a reader sees comes before the chapter's first heading, or it has
    no heading at all (a dedication, an epigraph)."""
    for element in tree:
        if not isinstance(element.tag, str):
            continue  # a comment
        if element.tag in HEADINGS or element.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"):
            return False
        if element.text_content().strip() or element.xpath(".//img"):
            return True
    return True


def _make_figures(tree: html.HtmlElement) -> None:
    """A paragraph holding only an image becomes a figure; the image's title is its caption."""
    for paragraph in tree.xpath(".//p[count(*) = 1][img]"):
        if len(paragraph) != 1:  # a comment beside the image
            continue
        image = paragraph[0]
        if (paragraph.text or "").strip() or (image.tail or "").strip():
            continue
        paragraph.tag = "figure"
        image.tail = None
        caption = image.attrib.pop("title", None)
        if caption:
            figcaption = etree.SubElement(paragraph, "figcaption")
            figcaption.text = caption


def _text_of(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def serialize(tree: html.HtmlElement) -> str:
    """The wrapper's content as XHTML that an HTML parser reads the same way."""
    for element in tree.xpath("descendant-or-self::*[not(node())]"):  # empty elements
        if element.tag not in VOID_ELEMENTS:
            element.text = ""  # lxml then writes <x></x>, not <x/>
    # One call for the whole tree, then the wrapper's own tags cut off: the fastest way.
    text = etree.tostring(tree, encoding="unicode", method="xml", with_tail=False)
    return text[text.index(">") + 1 : text.rindex("<")].strip()
