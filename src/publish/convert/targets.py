"""What a link's path and fragment lead to, however the author's other tool wrote them.

mdBook and MkDocs books link chapters by the pages those tools make (`ch02.html`, `../setup/`),
and GitHub and mdBook make heading ids by rules of their own (`with--or-format` keeps a run of
dashes where ours makes one). Each form leads to the chapter and heading it was meant for.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterator, Mapping
from urllib.parse import unquote

from publish.model import Chapter

OTHER_TOOLS_SUFFIXES = (".html", ".htm", ".xhtml")  # what mdBook, MkDocs and others turn .md into
INDEX_PAGES = ("index.md", "README.md")  # the chapter a folder's address leads to (mdBook, MkDocs)
MOST_SUGGESTIONS = 3


def find_chapter(
    chapters: Mapping[str, Chapter], chapter: Chapter, path: str
) -> tuple[Chapter | None, bool]:
    """The chapter `path` (as written in `chapter`) names, and whether it was written another
    tool's way (`ch02.html`, `../setup/`, `setup`) rather than as the Markdown file."""
    resolved = chapter.resolve(path)
    if resolved in chapters:
        return chapters[resolved], False
    for candidate in _other_forms(chapter, path):
        if candidate in chapters:
            return chapters[candidate], True
    return None, False


def _other_forms(chapter: Chapter, path: str) -> Iterator[str]:
    stem, suffix = posixpath.splitext(chapter.resolve(path))
    if suffix.lower() in OTHER_TOOLS_SUFFIXES:
        yield f"{stem}.md"
        if posixpath.basename(stem) == "index":  # mdBook makes a README.md into index.html
            yield posixpath.join(posixpath.dirname(stem), "README.md")
    elif not suffix or path.endswith("/"):
        # A page's address without its suffix: from the chapter's folder, and as MkDocs reads
        # it, from the folder it makes for the chapter's own page (`page/`).
        own_page = posixpath.splitext(chapter.source_path)[0]
        for base in (posixpath.dirname(chapter.source_path), own_page):
            folder = posixpath.normpath(posixpath.join(base, unquote(path)))
            yield f"{folder}.md"
            yield from (posixpath.join(folder, index) for index in INDEX_PAGES)


def leads_outside(chapter: Chapter, path: str) -> bool:
    """True for a path that cannot be a chapter of this book: above the manuscript folder,
    absolute, or not a Markdown file."""
    resolved = chapter.resolve(path)
    above = resolved == ".." or resolved.startswith("../")
    return above or path.startswith("/") or not resolved.lower().endswith(".md")


def find_id(ids: Mapping[str, str], fragment: str) -> str | None:
    """The book's id for `fragment`, also when another tool's slug rule made it: mdBook and
    GitHub keep runs of dashes and some punctuation our ids drop; case never matters."""
    if fragment in ids:
        return ids[fragment]
    wanted = loose(fragment)
    matches = {ids[written] for written in ids if loose(written) == wanted}
    return matches.pop() if wanted and len(matches) == 1 else None


def loose(text: str) -> str:
    """What survives every tool's slug rule: letters and digits, in lower case."""
    return "".join(character for character in text.casefold() if character.isalnum())


def did_you_mean(wanted: str, choices: list[str], prefix: str = "") -> str:
    """`did you mean 'a' or 'b'?` for the closest few choices; empty when none is close."""
    close = difflib.get_close_matches(wanted, choices, n=MOST_SUGGESTIONS, cutoff=0.5)
    if not close:
        return ""
    quoted = [f"'{prefix}{choice}'" for choice in close]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"did you mean {listed}?"


def as_written_from(chapter: Chapter, other: Chapter) -> str:
    """The path of `other` as a link in `chapter` would write it."""
    return posixpath.relpath(other.source_path, posixpath.dirname(chapter.source_path) or ".")
