"""The one resolver of manuscript paths, and chapter text decoded with its positions.

Every file a build reads on the author's behalf (book.toml, chapters, images, the cover) is found
through `find_in_manuscript`, which refuses URLs, absolute paths, `..` escapes (also
percent-encoded or written with backslashes), symlinks leading out, device files and files too
large to be a book's. WeasyPrint's own reads go through `publish.pdf.fetcher.SandboxedFetcher`.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# `scheme:/…` at the start of a path from book.toml: a URL, where a file name was expected.
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")


class NotInManuscriptError(ValueError):
    """A path that names no readable file inside the manuscript; the message says why."""


@dataclass(frozen=True)
class ManuscriptFile:
    relative: str  # relative to the manuscript folder, POSIX separators; also the EPUB href
    path: Path  # on disk, inside the manuscript folder


def find_in_manuscript(
    root: Path, written: str, *, base: str = "", url: bool = False, max_bytes: int | None = None
) -> ManuscriptFile:
    """The regular file that `written` names inside `root`, or NotInManuscriptError saying why not.

    `base` is the manuscript-relative folder the path is relative to (a chapter's folder);
    `url` says the path was written as a URL in Markdown or HTML, so it is percent-decoded.
    """
    if url:
        try:
            parts = urlsplit(written)
        except ValueError:  # a malformed URL, such as `https://[::1`
            raise NotInManuscriptError("is a malformed URL, not a file in the manuscript") from None
        if parts.netloc or (parts.scheme and len(parts.scheme) > 1):
            raise NotInManuscriptError(
                "is a URL, not a file in the manuscript; save the file there"
            )
        written = unquote(parts.path) if not parts.scheme else written
    elif _URL_LIKE.match(written):
        raise NotInManuscriptError("is a URL, not a file in the manuscript; save the file there")
    if "\x00" in written:
        raise NotInManuscriptError("is not a usable file name (it holds a NUL character)")
    posix = written.strip().replace("\\", "/")
    if PurePosixPath(posix).is_absolute() or re.match(r"^[A-Za-z]:", posix):
        raise NotInManuscriptError("is outside the manuscript folder")
    relative = posixpath.normpath(posixpath.join(base, posix)) if posix else ""
    if relative in {"", "."}:
        raise NotInManuscriptError("names no file")
    if relative == ".." or relative.startswith("../"):
        raise NotInManuscriptError("is outside the manuscript folder")
    path = root / relative
    try:
        target = path.resolve()
        target.relative_to(root.resolve())
    except ValueError:  # a symlink leading out
        raise NotInManuscriptError("is outside the manuscript folder") from None
    except (OSError, RuntimeError):  # a symlink loop: Python 3.11 and 3.12 raise RuntimeError
        raise NotInManuscriptError(
            "is a symbolic link that goes round in a circle; replace it with the file"
        ) from None
    try:
        status = target.stat()
    except OSError:
        raise NotInManuscriptError("not found") from None
    if stat.S_ISDIR(status.st_mode):
        raise NotInManuscriptError("is a folder, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise NotInManuscriptError("is not a regular file (a device or a pipe)")
    if max_bytes is not None and status.st_size > max_bytes:
        raise NotInManuscriptError(
            f"is {megabytes(status.st_size)}; publish reads files of at most "
            f"{megabytes(max_bytes)} here"
        )
    return ManuscriptFile(relative, path)


# A file's path inside the manuscript is also its name inside the EPUB, where spaces, `#`,
# `%` and other URL syntax break the links to it (EPUBCheck PKG-009/-010, RSC-020).
_EPUB_SAFE_NAME = re.compile(r"^[\w.\-]+(/[\w.\-]+)*$")


def check_epub_name(relative: str) -> None:
    """NotInManuscriptError unless `relative` can name the file inside the EPUB as it is."""
    if not _EPUB_SAFE_NAME.match(relative):
        raise NotInManuscriptError(
            "has a file name e-readers stumble on (a space, '#', '%' or the like); "
            "rename it using letters, digits, '-', '_' and '.'"
        )


def inside(root: Path, relative: str) -> Path | None:
    """`root/relative` if it names a regular file inside root, else None."""
    try:
        return find_in_manuscript(root, relative).path
    except NotInManuscriptError:
        return None


class UnreadableTextError(ValueError):
    """A file that is not text publish can read, and where it stops being so."""

    def __init__(self, message: str, line: int, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# Byte-order marks, longest first: a UTF-32 LE mark begins like a UTF-16 LE one.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def decode_text(raw: bytes) -> str:
    """A text file's characters, with line ends made `\\n`; UTF-8, or UTF-16/32 with a BOM."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raw, encoding = raw[len(bom) :], name
            break
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode(encoding, errors="replace")
        label = encoding.upper().removesuffix("-LE").removesuffix("-BE")
        raise UnreadableTextError(
            f"is not {label} text; save it as UTF-8", *text_position(before)
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        hint = (
            "it looks like UTF-16 without a byte-order mark"
            if text.count("\x00") * 4 > len(text)
            else "is it a text file?"
        )
        raise UnreadableTextError(
            f"holds a NUL character ({hint}); save it as UTF-8 text",
            *text_position(text[: text.index("\x00")]),
        )
    return text


def text_position(before: str) -> tuple[int, int]:
    """The 1-based line and column of the character after `before`."""
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
