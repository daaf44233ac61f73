"""Ids unique across the book, links between chapters rewritten."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from lxml import html

from publish.convert.lines import mention_line, target_needles
from publish.convert.targets import (
    as_written_from,
    did_you_mean,
    find_chapter,
    find_id,
    leads_outside,
)
from publish.convert.xmlids import xml_id
from publish.errors import Problem, problem, warn
from publish.model import Book, Chapter

MOST_IDS_LISTED = 5  # a chapter with more ids is not listed whole in a message
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
    since every id is unique across the book. A link out of the book keeps its text only.
    """
    problems: list[Problem] = []
    chapters = {c.source_path: c for c in book.chapters}
    source = book.source_dir / chapter.source_path
    seen: Counter[str] = Counter()  # each href's mentions so far: the n-th is on its own line
    for anchor in list(tree.iter("a")):
        href = anchor.get("href")
        if href is None:
            continue
        try:
            url = urlsplit(href)
        except ValueError:  # `https://[::1`: the sanitizer removes such links before
            continue
        if url.scheme or url.netloc:
            continue  # an external link: http, https, mailto
        seen[href] += 1
        line = functools.partial(link_line, chapter, anchor, seen[href] - 1)
        if url.path:
            target, _ = find_chapter(chapters, chapter, url.path)
            if target is None and leads_outside(chapter, url.path):
                message = (
                    f"link to '{href}' leads outside the book, where neither edition can follow: "
                    "its text stays, without the link (write a full https:// address to keep it)"
                )
                warn(problem(source, message, line()))
                _unlink(anchor)
                continue
            if target is None:
                names = [as_written_from(chapter, other) for other in book.chapters]
                hint = did_you_mean(url.path, names) or "no chapter has a name like it"
                message = f"link to '{href}' points to no chapter ({hint})"
                problems.append(problem(source, message, line()))
                continue
        else:
            target = chapter
        fragment = unquote(url.fragment)
        if not fragment:
            anchor.set("href", _href(chapter, target, target.anchor))
            continue
        ids = id_maps[target.source_path]
        target_id = find_id(ids, fragment) or (fragment if fragment == target.anchor else None)
        if target_id is None and not url.path:
            # `#id` alone, written for a tool that makes one page of the whole book (Pandoc):
            # the chapter that holds the id.
            target, target_id = _anywhere(book, id_maps, fragment) or (target, None)
        if target_id is None:
            hint = did_you_mean(fragment, sorted(ids), "#") or _ids_there(ids)
            message = (
                f"link to '{href}': no heading or anchor '#{fragment}' in {target.source_path} "
                f"({hint})"
            )
            problems.append(problem(source, message, line()))
            continue
        anchor.set("href", _href(chapter, target, target_id))
    return problems


def _anywhere(book: Book, id_maps: dict[str, IdMap], fragment: str) -> tuple[Chapter, str] | None:
    """The first chapter that holds the id, and its id in the book."""
    for other in book.chapters:
        if (found := find_id(id_maps[other.source_path], fragment)) is not None:
            return other, found
    return None


def link_line(chapter: Chapter, anchor: html.HtmlElement, occurrence: int) -> int | None:
    """The line of the link: the `occurrence`-th mention of its href in the chapter."""
    needles = [*target_needles(anchor.get("href", "")), f"[{anchor.text_content()}]"]
    return mention_line(chapter, needles, occurrence)


def _ids_there(ids: IdMap) -> str:
    if not ids:
        return "it has no headings or anchors"
    if len(ids) <= MOST_IDS_LISTED:
        return f"ids there: {', '.join(sorted(ids))}"
    return f"none of its {len(ids)} ids is like it"


def _unlink(anchor: html.HtmlElement) -> None:
    """The link's text stays where it was, without the link (an anchor with an id keeps it)."""
    if anchor.get("id") is not None:
        del anchor.attrib["href"]
    else:
        anchor.drop_tag()


def _href(chapter: Chapter, target: Chapter, target_id: str) -> str:
    if target is chapter:
        return f"#{target_id}"
    return f"{target.href}#{target_id}"
