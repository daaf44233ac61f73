"""Read and convert stages, files: the one resolver of manuscript paths; text; images.

Every file a build reads on the author's behalf (book.toml, chapters, images, the cover) is found
through `find_in_manuscript`, which refuses URLs, absolute paths, `..` escapes (also
percent-encoded or written with backslashes), symlinks leading out, device files and files too
large to be a book's. WeasyPrint's own reads go through `sandbox.SandboxedFetcher`.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree, html
from PIL import Image, UnidentifiedImageError

from publish.errors import Problem, problem, warn
from publish.model import Asset, Chapter

# Pillow's format names -> the raster types every EPUB 3 reading system must show.
RASTER_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
IMAGE_TYPES = "a JPEG, PNG, GIF, WebP or SVG image"

MAX_IMAGE_BYTES = 50 * 1024 * 1024
# Pillow's own decompression-bomb threshold (89 megapixels, a 9,500 px square): an image larger
# than that would take gigabytes once decoded for the PDF.
MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485

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
    except OSError:  # a symlink loop
        raise NotInManuscriptError("cannot be read (a symlink loop?)") from None
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
            f"is {_megabytes(status.st_size)}; publish reads files of at most "
            f"{_megabytes(max_bytes)} here"
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


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _is_svg(data: bytes) -> bool:
    head = data[:1024].lstrip()
    return head.startswith((b"<svg", b"<!--")) or (head.startswith(b"<?xml") and b"<svg" in data)


def sniff_media_type(data: bytes) -> str | None:
    """The image's media type from its bytes, never from its file name."""
    if _is_svg(data):
        return "image/svg+xml"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                return RASTER_TYPES.get(image.format or "")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None


def check_image(data: bytes) -> str:
    """The image's media type, or NotInManuscriptError saying why the book cannot show it."""
    if _is_svg(data):
        _check_svg(data)
        return "image/svg+xml"
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, past its threshold; we refuse with a message instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                media_type = RASTER_TYPES.get(image.format or "")
                width, height = image.size
    except Image.DecompressionBombError:
        over = 2 * MAX_IMAGE_PIXELS // 1_000_000
        raise NotInManuscriptError(f"is over {over} megapixels; " + _too_many_pixels()) from None
    except (UnidentifiedImageError, OSError):
        media_type = None
    if media_type is None:
        raise NotInManuscriptError(f"is not {IMAGE_TYPES}")
    if width * height > MAX_IMAGE_PIXELS:
        raise NotInManuscriptError(f"is {width} x {height} pixels; " + _too_many_pixels())
    return media_type


def _too_many_pixels() -> str:
    return (
        f"an image may have at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels "
        "(a decompression bomb?); scale it down"
    )


# SVG may draw, but not run code, pull in other files, or define entities.
_SVG_ACTIVE = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "handler"}
_SVG_ANIMATIONS = {"set", "animate"}
_SVG_NS = "{http://www.w3.org/2000/svg}"
_EXTERNAL_CSS = re.compile(r"url\(\s*['\"]?\s*(?!['\"]?#)|@import", re.IGNORECASE)
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_EMBEDDED_RASTER = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)


def _check_svg(data: bytes) -> None:
    """Refuse an SVG that could run code, read other files or expand entities."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise NotInManuscriptError(f"is not well-formed SVG ({error.msg})") from None
    if _INTERNAL_SUBSET.search(data):  # entities, or attribute defaults the parser would add
        raise NotInManuscriptError("is an SVG that declares entities; remove its <!DOCTYPE [...]>")
    if root.tag != f"{_SVG_NS}svg":
        raise NotInManuscriptError("is not an SVG image (no <svg> in the SVG namespace)")
    if b"<?xml-stylesheet" in data:
        raise NotInManuscriptError("is an SVG that loads a stylesheet; put the styles inside it")
    for element in root.iter():
        if not isinstance(element.tag, str):
            if isinstance(element, etree._Entity):
                raise NotInManuscriptError("is an SVG that uses entities; write the text out")
            continue
        name = etree.QName(element).localname
        if name in _SVG_ACTIVE:
            raise NotInManuscriptError(f"is an SVG holding <{name}>; a book's images run no code")
        if name in _SVG_ANIMATIONS and element.get("attributeName", "").lower().endswith("href"):
            raise NotInManuscriptError(f"is an SVG whose <{name}> changes a link; remove it")
        if name == "style" and _EXTERNAL_CSS.search(element.text or ""):
            raise NotInManuscriptError("is an SVG whose styles load other files; embed them")
        for attribute, raw_value in element.attrib.items():
            local = etree.QName(attribute).localname
            value = str(raw_value)
            if local.lower().startswith("on"):
                raise NotInManuscriptError(
                    f"is an SVG with an {local}= handler; a book runs no code"
                )
            if local == "href" and not (value.startswith("#") or _EMBEDDED_RASTER.match(value)):
                raise NotInManuscriptError(
                    f"is an SVG that refers to '{value[:60]}'; draw it inside instead"
                )
            if _EXTERNAL_CSS.search(value):
                raise NotInManuscriptError("is an SVG whose styles load other files; embed them")


def reference_line(chapter: Chapter, written: str) -> int | None:
    """The line where the chapter refers to `written`: as a Markdown link target or an attribute
    value first, so that `/etc/passwd` is not found inside `file:///etc/passwd`."""
    needles = [f"]({written})", f"]({written} ", f'="{written}"', f"='{written}'", written]
    return next(filter(None, map(chapter.line_of, needles)), None)


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
    for image in tree.iter("img"):
        src = image.get("src")
        if src is None:
            continue  # the sanitizer reported it: no file, or a URL it removed
        line = reference_line(chapter, src)
        try:
            found = find_in_manuscript(root, src, base=base, url=True, max_bytes=MAX_IMAGE_BYTES)
            check_epub_name(found.relative)
            data = found.path.read_bytes()
            media_type = check_image(data)
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
