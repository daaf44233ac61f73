"""Ids unique across the book, links between chapters rewritten."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from lxml import html

from publish.convert.xmlids import xml_id
from publish.errors import Problem, problem
from publish.model import Book, Chapter

IdMap = dict[str, str]  # an id as the author's chapter defines it -> its id in the book


class IdRegistry:
    """Hands out ids so that no two elements in the whole book share one."""

    def __init__(self, reserved: Iterable[str]) -> None:
        self._taken = set(reserved)

    def claim_ids(self, tree: html.HtmlElement) -> IdMap:
        """Rename every id in the tree that is already taken (`intro` -> `intro-2`) or is not an
        XML name (`123` -> `id-123`)."""
        renamed: IdMap = {}
        for element in tree.xpath("descendant-or-self::*[@id]"):  # in document order
            old = element.get("id")
            new = base = xml_id(old)
            suffix = 2
            while new in self._taken:
                new = f"{base}-{suffix}"
                suffix += 1
            self._taken.add(new)
            renamed.setdefault(old, new)
            if new != old:
                element.set("id", new)
        return renamed


def rewrite_links(
    book: Book, chapter: Chapter, tree: html.HtmlElement, id_maps: dict[str, IdMap]
) -> list[Problem]:
    """Point every internal link at the EPUB's `file.xhtml#id`; report the ones that lead nowhere.

    Links within the chapter stay `#id`; the PDF writer turns the rest into `#id` too,
    since every id is unique across the book.
    """
    problems: list[Problem] = []
    chapters = {c.source_path: c for c in book.chapters}
    source = book.source_dir / chapter.source_path
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if href is None:
            continue
        url = urlsplit(href)
        if url.scheme or url.netloc:
            continue  # an external link: http, https, mailto
        if url.path:
            target = chapters.get(chapter.resolve(url.path))
            if target is None:
                message = (
                    f"link to '{href}' points to no chapter (chapters are: {', '.join(chapters)})"
                )
                problems.append(problem(source, message, chapter.line_of(href)))
                continue
        else:
            target = chapter
        fragment = unquote(url.fragment)
        if not fragment:
            anchor.set("href", _href(chapter, target, target.anchor))
            continue
        target_id = id_maps[target.source_path].get(fragment)
        if target_id is None and fragment == target.anchor:
            target_id = fragment
        if target_id is None:
            known = ", ".join(sorted(id_maps[target.source_path])[:12]) or "none"
            message = (
                f"link to '{href}': no heading or anchor '#{fragment}' in {target.source_path} "
            )
            problems.append(
                problem(source, message + f"(ids there: {known})", chapter.line_of(href))
            )
            continue
        anchor.set("href", _href(chapter, target, target_id))
    return problems


def _href(chapter: Chapter, target: Chapter, target_id: str) -> str:
    if target is chapter:
        return f"#{target_id}"
    return f"{target.href}#{target_id}"
