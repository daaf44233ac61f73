"""What kind of section a chapter is (its epub:type and ARIA role).

An author names the kind on the chapter's title with Python-Markdown's attribute lists,
`# About the Author {: epub:type=appendix }`; a chapter without one is a `chapter`. A file with
no heading at all whose name (or title in book.toml) is "Dedication" or "Epigraph" is one.
"""

from __future__ import annotations

from lxml import html

from publish.errors import Problem, problem
from publish.model import BEFORE_CONTENTS, SECTION_TYPES, Book, Chapter

EPUB_TYPE = "epub:type"  # the attribute as Python-Markdown writes it and lxml.html reads it


def section_type(
    book: Book, chapter: Chapter, tree: html.HtmlElement, problems: list[Problem]
) -> str:
    """The kind of section the chapter's first heading asks for; the attribute moves off it."""
    title = next(tree.iter("h1", "h2", "h3", "h4", "h5", "h6"), None)
    if title is None:  # `00-dedication.md`, or { file = "…", title = "Dedication" }
        named = (chapter.given_title or chapter.file_title).strip().lower()
        return named if named in BEFORE_CONTENTS else "chapter"
    if title.get(EPUB_TYPE) is None:
        return "chapter"
    wanted = str(title.attrib.pop(EPUB_TYPE)).strip()
    if wanted in SECTION_TYPES:
        return wanted
    message = (
        f"'{EPUB_TYPE}={wanted}' is not a kind of chapter; "
        f"use one of: {', '.join(sorted(SECTION_TYPES))}"
    )
    problems.append(problem(book.source_dir / chapter.source_path, message, _line(chapter, wanted)))
    return "chapter"


def _line(chapter: Chapter, wanted: str) -> int | None:
    return chapter.line_of(f"{EPUB_TYPE}={wanted}") or chapter.line_of(EPUB_TYPE)
