"""The print edition's page map kept in the output folder, for an EPUB built alone later."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from publish.build.output import atomic_output, page_map_path
from publish.model import Book
from publish.pdf import PageMap, PageStart, content_key

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    pass


def save(page_map: PageMap, out_dir: Path) -> None:
    """Keep the map for later EPUB-only builds of the same content."""
    data = {"key": page_map.key, "pages": [asdict(page) for page in page_map.pages]}
    with atomic_output(page_map_path(out_dir)) as stream:
        stream.write(json.dumps(data, indent=1).encode("utf-8"))


def load(book: Book, out_dir: Path) -> PageMap | None:
    """The map of the last PDF built into `out_dir`, if it was laid out from this content."""
    path = page_map_path(out_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        page_map = PageMap(data["key"], tuple(PageStart(**page) for page in data["pages"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.info("ignoring %s: %s", path, error)
        return None
    if page_map.key != content_key(book):
        log.info("no page list: the last PDF in %s was made from other content", out_dir)
        return None
    return page_map
