"""`publish` with the convert stage's errors logged as warnings: a diagnostic, not a publish mode.

Most real books stop at their broken links or remote images ("nothing was written"), which hides
how the rest of the book renders. This runs today's `publish` command line with those errors
logged as warnings instead: a link that leads nowhere keeps its text and loses its href, an image
that cannot be used gives way to its alt text, and a chapter without a heading gets one made from
its file's name (`00-dedication.md` -> "Dedication"), as issue 15 asks. The books themselves are
not touched. It patches `publish.convert.markdown` by name: when that module moves, follow it here.

    python tests/realbooks/lenient.py build DIR --out OUT
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from lxml import html

from publish import cli
from publish.convert import markdown as convert
from publish.errors import Problem, warn

LINK_PROBLEM = re.compile(r"^link to '(.*?)'(?::| points)")


def _as_warnings(problems: list[Problem]) -> None:
    for found in problems:
        warn(found)


def _rewrite_links(original: Callable[..., list[Problem]]) -> Callable[..., list[Problem]]:
    def rewrite_links(book: Any, chapter: Any, tree: html.HtmlElement, ids: Any) -> list[Problem]:
        problems = original(book, chapter, tree, ids)
        broken = {match[1] for p in problems if (match := LINK_PROBLEM.match(p.message))}
        for anchor in tree.iter("a"):
            if anchor.get("href") in broken:
                del anchor.attrib["href"]
        _as_warnings(problems)
        return []

    return rewrite_links


def _collect_images(original: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    def collect_images(root: Any, chapter: Any, tree: html.HtmlElement, _: list[Problem]) -> Any:
        problems: list[Problem] = []
        assets = original(root, chapter, tree, problems)
        usable = {asset.source_path for asset in assets}
        for image in list(tree.iter("img")):
            if image.get("src") in usable:
                continue
            if image.get("alt"):
                _replace_by_alt(image)
            else:
                image.drop_tree()
        _as_warnings(problems)
        return assets

    return collect_images


def _replace_by_alt(image: html.HtmlElement) -> None:
    span = html.Element("span")
    span.text = f"[image: {image.get('alt')}]"
    span.tail = image.tail
    image.getparent().replace(image, span)


def _private_problems(original: Callable[..., Any]) -> Callable[..., Any]:
    """Calls `original` with a list of problems of its own (its third argument), then logs
    them as warnings."""

    def call(*args: Any) -> Any:
        problems: list[Problem] = []
        result = original(*args[:2], problems, *args[3:])
        _as_warnings(problems)
        return result

    return call


def _finish(original: Callable[..., Any]) -> Callable[..., Any]:
    def finish(book: Any, chapter: Any, tree: html.HtmlElement, _: list[Problem]) -> Any:
        if next(tree.iter(*convert.HEADINGS), None) is None:
            stem = chapter.source_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            heading = html.Element("h1", id=f"{chapter.slug}-title")
            heading.text = re.sub(r"^[\d_ -]+", "", stem).replace("_", " ").replace("-", " ")
            heading.text = heading.text.strip().capitalize() or stem
            tree.insert(0, heading)
        problems: list[Problem] = []
        result = original(book, chapter, tree, problems)
        _as_warnings(problems)
        return result

    return finish


def main() -> int:
    convert.rewrite_links = _rewrite_links(convert.rewrite_links)  # type: ignore[attr-defined]
    convert.collect_images = _collect_images(convert.collect_images)  # type: ignore[attr-defined]
    convert._finish = _finish(convert._finish)
    convert._markdown_to_tree = _private_problems(convert._markdown_to_tree)
    return int(cli.main(sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
