"""Where a chapter mentions a link or image target: Markdown keeps no positions, so we search."""

from __future__ import annotations

from collections.abc import Iterable

from publish.model import Chapter


def target_needles(written: str) -> list[str]:
    """How Markdown and HTML write a target, most telling first, so that `/etc/passwd` is not
    found inside `file:///etc/passwd`; the bare text last."""
    return [
        f"]({written})",
        f"]({written} ",
        f"](<{written}>)",
        f'="{written}"',
        f"='{written}'",
        f"]: {written}",
        written,
    ]


def mention_line(chapter: Chapter, needles: Iterable[str], occurrence: int = 0) -> int | None:
    """The line of the `occurrence`-th mention (from 0) of the first needle the chapter holds.

    Five links to one place on five lines are found on five lines; a needle found fewer times
    (one reference definition used five times) gives its last line.
    """
    lines = chapter.markdown.splitlines()
    for needle in needles:
        if not needle:
            continue
        found = [number for number, line in enumerate(lines, 1) for _ in range(line.count(needle))]
        if found:
            return found[min(occurrence, len(found) - 1)]
    return None
