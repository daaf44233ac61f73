"""Images: their type read from their bytes, refused when too large or when an SVG could act."""

from __future__ import annotations

import io
import re
import warnings

from lxml import etree
from PIL import Image, UnidentifiedImageError

from publish.read.files import NotInManuscriptError

# Pillow's format names -> the raster types every EPUB 3 reading system must show.
RASTER_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


IMAGE_TYPES = "a JPEG, PNG, GIF, WebP or SVG image"


MAX_IMAGE_BYTES = 50 * 1024 * 1024


# Pillow's own decompression-bomb threshold (89 megapixels, a 9,500 px square): an image larger
# than that would take gigabytes once decoded for the PDF.
MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485


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


# The file name extensions of each type: EPUBCheck refuses another (PKG-022), and so may readers.
EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "image/svg+xml": (".svg",),
}


def check_image(data: bytes, name: str | None = None) -> str:
    """The image's media type, or NotInManuscriptError saying why the book cannot show it.

    With `name`, the file's name must end in an extension of that type.
    """
    media_type = _checked_type(data)
    if name is not None and not name.lower().endswith(EXTENSIONS[media_type]):
        kind = media_type.removeprefix("image/").removesuffix("+xml").upper()
        stem, dot, extension = name.rpartition(".")
        better = f"{stem if dot else name}{EXTENSIONS[media_type][0]}"
        named = f"named .{extension}" if dot else "without an extension"
        article = "an" if kind[0] in "AEIOS" else "a"
        raise NotInManuscriptError(
            f"is {article} {kind} image {named}; rename it '{better}' (e-readers go by the name)"
        )
    return media_type


def _checked_type(data: bytes) -> str:
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
