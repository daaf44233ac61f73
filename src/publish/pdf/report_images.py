"""The layout report's image checks: shrunk below their own size, too coarse for their size.

An image's effective resolution is its pixels over the inches it is drawn across. Print wants
300 ppi; under that an image looks soft or stepped on paper. At 150 ppi or under it looks
stepped even on a screen, so the screen edition warns of it too. An image whose file declares
no resolution is drawn at 96 ppi (one pixel a CSS px), which is what most such warnings find.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PIL import Image, UnidentifiedImageError
from weasyprint.formatting_structure import boxes

from publish.pdf.report_finding import Finding

if TYPE_CHECKING:
    from publish.model import Book

LEAST_IMAGE_SCALE = 0.9  # an image drawn at under 90% of its own size counts as shrunk
PX_PER_INCH = 96
LEAST_PPI = {"print": 300, "screen": 150}  # under 300 for print; 150 or under for screen


@dataclass(frozen=True)
class ImageSizes:
    """Each raster image's own width in CSS px (when its file says) and in pixels, by src."""

    intended: dict[str, float] = field(default_factory=dict)
    pixels: dict[str, int] = field(default_factory=dict)


def image_sizes(book: Book) -> ImageSizes:
    sizes = ImageSizes()
    for asset in book.assets:
        if not asset.media_type.startswith("image/") or asset.media_type == "image/svg+xml":
            continue
        try:
            with Image.open(io.BytesIO(asset.data)) as image:
                sizes.pixels[asset.source_path] = image.width
                dpi = image.info.get("dpi")
                if dpi and float(dpi[0]) > 1:
                    own = image.width / float(dpi[0]) * PX_PER_INCH
                    sizes.intended[asset.source_path] = own
        except (OSError, UnidentifiedImageError):
            continue
    return sizes


def image_findings(
    page: int,
    image: boxes.ReplacedBox,
    chapter_id: str | None,
    intended_width: Callable[[str], float | None],
    pixel_width: Callable[[str], int | None],
    least_ppi: float,
) -> list[Finding]:
    src = image.element.get("src") or ""
    findings = []
    own = intended_width(src)
    if own is not None and image.width < own * LEAST_IMAGE_SCALE:
        message = (
            f"image {src} shrunk to {image.width / own:.0%} of its size "
            f"({own / PX_PER_INCH:.2f} in wide, drawn {image.width / PX_PER_INCH:.2f} in): "
            "small text or detail in it may not read; make it narrower or give it a page"
        )
        findings.append(Finding(page, message, chapter_id, src))
    pixels = pixel_width(src)
    inches = image.width / PX_PER_INCH
    if pixels and inches > 0:
        ppi = pixels / inches
        coarse = ppi <= least_ppi if least_ppi < LEAST_PPI["print"] else ppi < least_ppi
        if coarse:
            wanted = math.ceil(inches * LEAST_PPI["print"])
            message = (
                f"image {src} prints at {ppi:.0f} ppi ({pixels} px across {inches:.2f} in), "
                f"under {LEAST_PPI['print']} ppi it looks soft or stepped on paper; use a file "
                f"{wanted} px wide or more, or give it a resolution that draws it smaller"
            )
            findings.append(Finding(page, message, chapter_id, src))
    return findings
