"""Convert stage, files: the images chapters show, their media types, paths kept in the book."""

from __future__ import annotations

import io
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from lxml import html
from PIL import Image, UnidentifiedImageError

from publish.errors import Problem, problem, warn
from publish.model import Asset, Chapter

# Pillow's format names -> the raster types every EPUB 3 reading system must show.
RASTER_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


def inside(root: Path, relative: str) -> Path | None:
    """`root/relative` if it names something that stays inside root, else None."""
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        return None
    path = root / pure
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:  # a symlink leading out
        return None
    return path


def sniff_media_type(data: bytes) -> str | None:
    """The image's media type from its bytes, never from its file name."""
    head = data[:1024].lstrip()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "image/svg+xml"
    try:
        with Image.open(io.BytesIO(data)) as image:
            return RASTER_TYPES.get(image.format or "")
    except (UnidentifiedImageError, OSError):
        return None


def collect_images(
    root: Path, chapter: Chapter, tree: html.HtmlElement, problems: list[Problem]
) -> list[Asset]:
    """Check every image the chapter shows and point its src at the manuscript-relative path.

    That path is also the image's href inside the EPUB, and the PDF resolves it against the
    manuscript folder, so both outputs find the same file.
    """
    source = root / chapter.source_path
    assets = []
    for image in tree.iter("img"):
        src = image.get("src", "")
        line = chapter.line_of(src)
        url = urlsplit(src)
        if url.scheme or url.netloc:
            message = f"image '{src}' is not a file in the manuscript; save it there and link to it"
            problems.append(problem(source, message, line))
            continue
        relative = chapter.resolve(url.path)
        path = inside(root, relative)
        if path is None:
            problems.append(
                problem(source, f"image '{src}' is outside the manuscript folder", line)
            )
            continue
        if not path.is_file():
            problems.append(problem(source, f"image '{src}' not found", line))
            continue
        data = path.read_bytes()
        media_type = sniff_media_type(data)
        if media_type is None:
            message = f"image '{src}' is not a JPEG, PNG, GIF, WebP or SVG image"
            problems.append(problem(source, message, line))
            continue
        if not image.get("alt"):
            message = f"image '{src}' has no alt text; describe it for readers who cannot see it"
            warn(problem(source, message, line))
            image.set("alt", "")
        image.set("src", relative)
        assets.append(Asset(relative, media_type, data))
    return assets
