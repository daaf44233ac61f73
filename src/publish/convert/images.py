"""Images in a chapter: each checked, its line found, its src made the manuscript-relative href."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from pathlib import Path

from lxml import html

from publish.convert.lines import mention_line, target_needles
from publish.errors import Problem, problem, warn
from publish.model import Asset, Chapter
from publish.read import (
    MAX_IMAGE_BYTES,
    NotInManuscriptError,
    check_epub_name,
    check_image,
    find_in_manuscript,
)


def reference_line(chapter: Chapter, written: str, occurrence: int = 0) -> int | None:
    """The line where the chapter refers to `written` (its `occurrence`-th mention, from 0): as
    a Markdown link target or an attribute value first, so that `/etc/passwd` is not found
    inside `file:///etc/passwd`."""
    return mention_line(chapter, target_needles(written), occurrence)


def reference_lines(chapter: Chapter, written: str) -> list[int]:
    """The line of each place the chapter refers to `written` as an image, in order: Markdown
    `](x.png`, a reference definition `[r]: x.png`, HTML `src="x.png"`, one entry for each."""
    quoted = re.escape(written)
    pattern = re.compile(
        rf"(?:\]\(\s*<?|^ {{0,3}}\[[^\]]+\]:\s*<?|\bsrc\s*=\s*[\"']?){quoted}(?=[\s)>\"']|$)",
        re.IGNORECASE | re.MULTILINE,
    )
    return [
        chapter.markdown.count("\n", 0, found.start()) + 1
        for found in pattern.finditer(chapter.markdown)
    ]


def collect_images(
    root: Path, chapter: Chapter, tree: html.HtmlElement, problems: list[Problem]
) -> list[Asset]:
    """Check every image the chapter shows and point its src at the manuscript-relative path.

    That path is also the image's href inside the EPUB, and the PDF resolves it against the
    manuscript folder, so both outputs find the same file.
    """
    source = root / chapter.source_path
    base = posixpath.dirname(chapter.source_path)
    assets = []
    seen: Counter[str] = Counter()  # each src's occurrences so far: the n-th is at its n-th line
    for image in tree.iter("img"):
        src = image.get("src")
        if src is None:
            continue  # the sanitizer reported it: no file, or a URL it removed
        lines = reference_lines(chapter, src)
        occurrence = seen[src]
        seen[src] += 1
        line = lines[occurrence] if occurrence < len(lines) else reference_line(chapter, src)
        try:
            found = find_in_manuscript(root, src, base=base, url=True, max_bytes=MAX_IMAGE_BYTES)
            check_epub_name(found.relative)
            data = found.path.read_bytes()
            media_type = check_image(data, found.relative)
        except NotInManuscriptError as refused:
            problems.append(problem(source, f"image '{src}' {refused}", line))
            continue
        if not image.get("alt"):
            message = f"image '{src}' has no alt text; describe it for readers who cannot see it"
            warn(problem(source, message, line))
            image.set("alt", "")
        image.set("src", found.relative)
        assets.append(Asset(found.relative, media_type, data))
    return assets
