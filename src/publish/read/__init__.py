"""Read: the manuscript folder (book.toml, chapter files, images) -> a `Book`, no HTML yet.

Every path goes through one resolver (`find_in_manuscript`) that refuses anything outside the
manuscript folder; limits refuse text that would make later stages run away.
"""

from publish.read.book import load_book, skipped_files
from publish.read.config import CONFIG_NAME, Config, load_config
from publish.read.files import (
    NotInManuscriptError,
    check_epub_name,
    find_in_manuscript,
    inside,
)
from publish.read.images import MAX_IMAGE_BYTES, check_image, sniff_media_type
from publish.read.lengths import POINTS, parse_length, parse_trim
from publish.read.options import TABLES

__all__ = [
    "CONFIG_NAME",
    "MAX_IMAGE_BYTES",
    "POINTS",
    "TABLES",
    "Config",
    "NotInManuscriptError",
    "check_epub_name",
    "check_image",
    "find_in_manuscript",
    "inside",
    "load_book",
    "load_config",
    "parse_length",
    "parse_trim",
    "skipped_files",
    "sniff_media_type",
]
