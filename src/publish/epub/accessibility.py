"""The EPUB Accessibility 1.1 metadata, claimed from the content.

Nothing is boilerplate: a claim is made only when the book in hand bears it out. Alternative
text is claimed (and, with it, conformance to WCAG 2.1 AA) only when every image has some;
print page numbers only when the page list of the print edition is there; hazards are ruled out
only when no image moves.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from lxml import html
from PIL import Image, UnidentifiedImageError

from publish.model import Book

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


@dataclass(frozen=True)
class Content:
    """What the book holds, as far as its accessibility claims go."""

    images: int  # in the chapters; the cover page always has one more, with its alt text
    images_without_alt: int
    moving_images: int  # animated GIF, PNG or WebP; SVG with animation
    page_list: bool  # page-break markers and a page list from the print edition
    tables: int
    tables_without_headers: int  # no <th>: a screen reader cannot name a cell's row or column

    @property
    def described(self) -> bool:
        """Every image has alternative text."""
        return self.images_without_alt == 0

    @property
    def conforms(self) -> bool:
        """What WCAG asks of content we cannot write ourselves is there: image and table text."""
        return self.described and self.tables_without_headers == 0


def survey(book: Book, *, page_list: bool) -> Content:
    images = without_alt = tables = headless = 0
    for chapter in book.chapters:
        tree = html.fragment_fromstring(chapter.html, create_parent="div")
        for image in tree.iter("img"):
            images += 1
            without_alt += not (image.get("alt") or "").strip()
        for table in tree.iter("table"):
            tables += 1
            headless += next(table.iter("th"), None) is None
    moving = sum(1 for asset in book.assets if _moves(asset.data, asset.media_type))
    return Content(images, without_alt, moving, page_list, tables, headless)


def _moves(data: bytes, media_type: str) -> bool:
    if media_type == "image/svg+xml":
        return any(word in data for word in (b"<animate", b"<set", b"@keyframes", b"<script"))
    try:
        with Image.open(io.BytesIO(data)) as image:
            return bool(getattr(image, "is_animated", False))
    except (UnidentifiedImageError, OSError):
        return False


def metadata(content: Content, page_source: str) -> list[tuple[str, str]]:
    """The package's accessibility metadata as (property, value) pairs, in a stable order."""
    described = content.described
    features = ["tableOfContents", "readingOrder", "structuralNavigation", "ARIA"]
    if described:
        features.append("alternativeText")
    if content.page_list:
        features += ["printPageNumbers", "pageNavigation"]
    if content.moving_images:
        hazards = ["unknownFlashingHazard", "noMotionSimulationHazard", "noSoundHazard"]
    else:
        hazards = ["none"]
    # Text and images (the cover at least); text alone suffices when every image is described.
    sufficient = ["textual,visual", *(["textual"] if described else [])]
    pairs = [("schema:accessMode", "textual"), ("schema:accessMode", "visual")]
    pairs += [("schema:accessModeSufficient", value) for value in sufficient]
    pairs += [("schema:accessibilityFeature", value) for value in features]
    pairs += [("schema:accessibilityHazard", value) for value in hazards]
    pairs.append(("schema:accessibilitySummary", summary(content)))
    if content.conforms:
        pairs.append(("dcterms:conformsTo", CONFORMANCE))
    if content.page_list:
        pairs.append(("pageBreakSource", page_source))
    return pairs


def summary(content: Content) -> str:
    """The claims in plain words, for a reader deciding whether the book will work for them."""
    sentences = [
        "This e-book has a table of contents, a heading for every chapter and section, "
        "and one reading order.",
    ]
    if content.images and content.described:
        sentences.append("Every image has a text description.")
    elif content.images:
        sentences.append(
            f"{content.images_without_alt} of its {content.images} images have no text description."
        )
    if content.tables and not content.tables_without_headers:
        sentences.append("Every table has header cells.")
    elif content.tables:
        sentences.append(f"{content.tables_without_headers} tables have no header cells.")
    if content.page_list:
        sentences.append("It marks where each page of the print edition begins and lists them.")
    if content.conforms:
        sentences.append(f"It meets {CONFORMANCE}.")
    else:
        sentences.append("So it does not claim to meet WCAG.")
    if content.moving_images:
        sentences.append("Some images move; whether they flash has not been checked.")
    else:
        sentences.append("Nothing in it flashes, moves or makes a sound.")
    return " ".join(sentences)
