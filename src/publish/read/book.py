"""The manuscript folder -> a Book of metadata, ordered chapters and no HTML yet."""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from pathlib import Path, PurePosixPath

from publish.errors import ManuscriptError, Problem, problem, warn
from publish.model import Book, Chapter, slugify
from publish.read.config import Config, load_config
from publish.read.files import (
    NotInManuscriptError,
    UnreadableTextError,
    check_epub_name,
    decode_text,
    find_in_manuscript,
    text_position,
)
from publish.read.images import MAX_IMAGE_BYTES, check_image
from publish.read.limits import MAX_CHAPTER_BYTES, check_limits

log = logging.getLogger(__name__)


def load_book(manuscript_dir: Path) -> Book:
    """Read book.toml and every chapter it lists, in order; report all problems at once."""
    if not manuscript_dir.is_dir():
        raise ManuscriptError(
            [problem(manuscript_dir, "no such folder; pass the manuscript folder")]
        )
    config = load_config(manuscript_dir)
    problems: list[Problem] = []
    chapter_files = _chapter_files(manuscript_dir, config, problems)
    chapters = [
        chapter
        for name, title in chapter_files
        if (chapter := _read_chapter(manuscript_dir, name, title, problems))
    ]
    _check_cover(manuscript_dir, config, problems)
    _check_unique_slugs(config, chapters, problems)
    if problems:
        raise ManuscriptError(problems)
    log.info("read %d chapters from %s", len(chapters), manuscript_dir)
    return Book(
        source_dir=manuscript_dir,
        metadata=config.metadata,
        chapters=tuple(chapters),
        epub=config.epub,
        pdf=config.pdf,
    )


def _is_chapter_name(name: str) -> bool:
    """A `*.md` name that is not hidden (`.draft.md`, an editor's `.#x.md` lock) nor `#x.md`."""
    return name.endswith(".md") and not name.startswith((".", "#"))


def skipped_files(root: Path) -> list[str]:
    """Markdown-like files that are not chapters unless book.toml's `chapters` lists them:
    hidden ones, editors' leftovers (`#x.md#`, `x.md~`, `.x.md.swp`) and `*.md` in sub-folders."""
    skipped = []
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if name not in {".git", "dist"})
        here = Path(folder).relative_to(root).as_posix()
        for name in sorted(files):
            if ".md" not in name:
                continue
            if here != ".":
                if name.endswith(".md"):
                    skipped.append(f"{here}/{name}")
            elif not _is_chapter_name(name):
                skipped.append(name)
    return skipped


def _chapter_files(
    root: Path, config: Config, problems: list[Problem]
) -> list[tuple[str, str | None]]:
    """The chapter files in reading order, each checked to lie inside the manuscript folder,
    with the title book.toml gives it, if any."""
    # Devices and dangling symlinks too, so that they are reported rather than skipped.
    present = sorted(
        path.name for path in root.glob("*.md") if _is_chapter_name(path.name) and not path.is_dir()
    )
    listed = config.chapter_files if config.chapter_files is not None else present
    line = config.line_of("book", "chapters")
    if not listed:
        problems.append(problem(config.path, f"no chapters: {root.name}/ holds no *.md files"))
    found: list[str] = []
    titles: dict[str, str] = {}
    for name in listed:
        try:
            chapter = find_in_manuscript(root, name, max_bytes=MAX_CHAPTER_BYTES)
        except NotInManuscriptError as refused:
            if config.chapter_files is None:
                # Found by its name in the folder: a symlink leading out, a device, a huge file.
                reason = str(refused)
                if reason == "is outside the manuscript folder":
                    reason = (
                        "links to a file outside the manuscript folder; copy the file in instead"
                    )
                problems.append(problem(root / name, reason))
            elif str(refused) == "not found":
                hint = (
                    f"files there: {', '.join(present)}"
                    if present
                    else "the folder holds no *.md files"
                )
                message = f"chapter file '{name}' not found ({hint})"
                problems.append(problem(config.path, message, line))
            else:
                problems.append(problem(config.path, f"chapter '{name}' {refused}", line))
            continue
        if chapter.relative in found:
            problems.append(problem(config.path, f"chapter '{name}' is listed twice", line))
        else:
            found.append(chapter.relative)
            if name in config.chapter_titles:
                titles[chapter.relative] = config.chapter_titles[name]
    _check_names_apart(root, found, problems)
    return [(relative, titles.get(relative)) for relative in found]


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _accents_shown(name: str) -> str:
    """The name with each combining accent written as its code (`cafe\\u0301.md`)."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.combining(c) else c for c in name)


def _check_names_apart(root: Path, names: list[str], problems: list[Problem]) -> None:
    """Names that differ only in Unicode normalisation (NFC `café` and NFD `café`) or in case
    are one file on macOS and Windows, and look the same to an author: an error naming both."""
    seen: dict[str, str] = {}
    for name in names:
        key = _name_key(name)
        if key not in seen:
            seen[key] = name
            continue
        first = where = seen[key]
        how = "only in case"
        if unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", name):
            how = "only in how their accents are encoded (NFC and NFD)"
            first, name = (_accents_shown(n) for n in (first, name))
        message = (
            f"chapter files '{first}' and '{name}' differ {how}: one file on macOS and "
            "Windows; rename or merge one"
        )
        problems.append(problem(root / where, message))


def _read_chapter(
    root: Path, name: str, title: str | None, problems: list[Problem]
) -> Chapter | None:
    path = root / name
    try:
        text = decode_text(path.read_bytes())
    except UnreadableTextError as error:
        problems.append(problem(path, error.message, error.line, error.column))
        return None
    text = _without_control_characters(path, text)
    if not text.strip():
        problems.append(problem(path, "is empty; write some text, or leave it out", 1))
        return None
    overruns = check_limits(text)
    problems += [problem(path, overrun.message, overrun.line) for overrun in overruns]
    if overruns:
        return None
    return Chapter(source_path=name, markdown=text, slug=_chapter_slug(name), given_title=title)


# Characters XML 1.0 forbids (an EPUB holding them is broken), DEL and the C1 controls, which are
# only ever mis-decoded bytes, and the noncharacters no font draws. Tab and line feed are text.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def _without_control_characters(path: Path, text: str) -> str:
    first = _CONTROL.search(text)
    if first is None:
        return text
    count = len(_CONTROL.findall(text))
    line, column = text_position(text[: first.start()])
    plural = "s" if count > 1 else ""
    message = (
        f"removed {count} invisible control character{plural} (first U+{ord(first[0]):04X}); "
        "a book's text cannot hold them"
    )
    warn(problem(path, message, line, column))
    return _CONTROL.sub("", text)


def _chapter_slug(source_path: str) -> str:
    return slugify(PurePosixPath(source_path).with_suffix("").as_posix()) or "chapter"


def _check_unique_slugs(config: Config, chapters: list[Chapter], problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for chapter in chapters:
        if chapter.slug in seen and _name_key(seen[chapter.slug]) == _name_key(chapter.source_path):
            continue  # reported as names that differ only in case or accents
        if chapter.slug in seen:
            message = (
                f"chapter files '{seen[chapter.slug]}' and '{chapter.source_path}' give the same "
            )
            problems.append(problem(config.path, message + "output name; rename one"))
        seen[chapter.slug] = chapter.source_path


def _check_cover(root: Path, config: Config, problems: list[Problem]) -> None:
    cover = config.metadata.cover
    if cover is None:
        return
    line = config.line_of("book", "cover")
    try:
        found = find_in_manuscript(root, cover, max_bytes=MAX_IMAGE_BYTES)
        check_epub_name(found.relative)
        check_image(found.path.read_bytes(), found.relative)
    except NotInManuscriptError as refused:
        what = "cover image" if str(refused) == "not found" else "cover"
        problems.append(problem(config.path, f"{what} '{cover}' {refused}", line))
