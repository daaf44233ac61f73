"""The EPUB's zip: mimetype first and stored, every entry dated from SOURCE_DATE_EPOCH."""

from __future__ import annotations

import datetime
import zipfile
from typing import IO, Any

from ebooklib import epub
from lxml import etree


def write_epub(package: epub.EpubBook, target: IO[bytes], modified: datetime.datetime) -> None:
    """Write the EPUB with every date taken from `modified`, so equal inputs give equal bytes."""
    options = {
        "mtime": modified,
        "raise_exceptions": True,
        # Our navigation document carries the landmarks and the page list itself.
        "epub3_landmark": False,
        "epub3_pages": False,
    }
    writer = _DeterministicWriter(target, package, options)
    writer.process()
    writer.write()


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one timestamp instead of the clock's."""

    date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(
        self,
        name: Any,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(name, str):
            info = zipfile.ZipInfo(name, date_time=self.date_time)
            info.compress_type = self.compression if compress_type is None else compress_type
            info.external_attr = 0o644 << 16
            name = info
        super().writestr(name, data, compress_type=compress_type, compresslevel=compresslevel)


class _DeterministicWriter(epub.EpubWriter):  # type: ignore[misc]
    def _get_nav(self, item: epub.EpubNav) -> bytes:
        content: bytes = item.content
        return content

    def _write_opf_file(self, root: etree._Element) -> None:
        # The package's own language, for its metadata (Ace asks for it).
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        super()._write_opf_file(root)

    def write(self) -> None:
        modified: datetime.datetime = self.options["mtime"]
        zip_file = _FixedTimeZip(self.file_name, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
        # The zip format cannot store dates before 1980.
        zip_file.date_time = max(modified.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
        self.out = zip_file
        with zip_file:
            # EPUB requires `mimetype` first and stored uncompressed, so readers can sniff it.
            zip_file.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            self._write_container()
            self._write_opf()
            self._write_items()
