"""Read stage: the manuscript folder -> a Book of metadata, ordered chapters and no HTML yet."""

from __future__ import annotations

import logging
from pathlib import Path, PurePosixPath

from publish.assets import inside
from publish.config import Config, load_config
from publish.errors import ManuscriptError, Problem, problem
from publish.model import Book, Chapter, slugify

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
        for name in chapter_files
        if (chapter := _read_chapter(manuscript_dir, name, problems))
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


def _chapter_files(root: Path, config: Config, problems: list[Problem]) -> list[str]:
    """The chapter files in reading order, each checked to lie inside the manuscript folder."""
    present = sorted(path.name for path in root.glob("*.md") if path.is_file())
    listed = config.chapter_files if config.chapter_files is not None else present
    line = config.line_of("book", "chapters")
    if not listed:
        problems.append(problem(config.path, f"no chapters: {root.name}/ holds no *.md files"))
    found: list[str] = []
    for name in listed:
        path = inside(root, name)
        if path is None and config.chapter_files is None:
            # A symlink leading out: a build reads nothing outside the manuscript.
            message = "links to a file outside the manuscript folder; copy the file in instead"
            problems.append(problem(root / name, message))
        elif path is None:
            message = f"chapter '{name}' is outside the manuscript folder"
            problems.append(problem(config.path, message, line))
        elif not path.is_file():
            hint = (
                f"files there: {', '.join(present)}"
                if present
                else "the folder holds no *.md files"
            )
            problems.append(problem(config.path, f"chapter file '{name}' not found ({hint})", line))
        elif name in found:
            problems.append(problem(config.path, f"chapter '{name}' is listed twice", line))
        else:
            found.append(name)
    return found


def _read_chapter(root: Path, name: str, problems: list[Problem]) -> Chapter | None:
    path = root / name
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # tolerate a byte-order mark
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(problem(path, "is not UTF-8 text; save it as UTF-8", line))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.append(
            problem(path, "is empty; write a heading and some text, or leave it out", 1)
        )
        return None
    source_path = PurePosixPath(name.replace("\\", "/")).as_posix()
    return Chapter(source_path=source_path, markdown=text, slug=_chapter_slug(source_path))


def _chapter_slug(source_path: str) -> str:
    return slugify(PurePosixPath(source_path).with_suffix("").as_posix()) or "chapter"


def _check_unique_slugs(config: Config, chapters: list[Chapter], problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for chapter in chapters:
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
    path = inside(root, cover)
    if path is None:
        problems.append(
            problem(config.path, f"cover '{cover}' is outside the manuscript folder", line)
        )
    elif not path.is_file():
        problems.append(problem(config.path, f"cover image '{cover}' not found", line))
