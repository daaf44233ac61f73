"""The one URL fetcher WeasyPrint gets, serving only the book's own files."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

from publish.pdf.svg_fonts import is_svg, with_book_fonts
from publish.read import MAX_IMAGE_BYTES, NotInManuscriptError, find_in_manuscript


class SandboxedFetcher(URLFetcher):  # type: ignore[misc]
    """Serves WeasyPrint only files inside the given folders, and the given font files.

    An SVG is served with its text set in the book's fonts (svg_fonts.py).

    A path inside a folder goes through the same resolver as every other read of the build, so
    symlinks leading out, devices and oversized files are refused here too. Every other URL
    (http:, data: documents, files elsewhere on disk) is refused, so a manuscript cannot pull a
    secret or a tracker into the PDF. Nothing here opens a socket.
    """

    def __init__(self, roots: list[Path], files: list[Path]) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self._roots = [root.resolve() for root in roots]
        self._files = {path.resolve() for path in files}
        self.refused: set[str] = set()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path))
            if path.resolve() in self._files:
                return URLFetcherResponse(url, path.read_bytes())
            for root in self._roots:
                if (found := _inside(root, path)) is not None:
                    data = found.read_bytes()
                    if is_svg(data):  # its text in the book's fonts, not the system's
                        data = with_book_fonts(data)
                    return URLFetcherResponse(url, data)
        self.refused.add(url)
        raise ValueError(f"publish does not fetch {url}")


def _inside(root: Path, path: Path) -> Path | None:
    try:
        relative = path.relative_to(root).as_posix()
        return find_in_manuscript(root, relative, max_bytes=MAX_IMAGE_BYTES).path
    except (ValueError, NotInManuscriptError):
        return None
