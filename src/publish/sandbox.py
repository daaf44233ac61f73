"""Write stage, safety: the one URL fetcher WeasyPrint gets, serving only the book's own files."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse


class SandboxedFetcher(URLFetcher):  # type: ignore[misc]
    """Serves WeasyPrint only files inside the given folders, and the given font files.

    Every other URL (http:, data: documents, files elsewhere on disk) is refused, so a
    manuscript cannot pull a secret or a tracker into the PDF. Nothing here opens a socket.
    """

    def __init__(self, roots: list[Path], files: list[Path]) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self._roots = [root.resolve() for root in roots]
        self._files = {path.resolve() for path in files}
        self.refused: set[str] = set()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            allowed = path in self._files or any(path.is_relative_to(root) for root in self._roots)
            if allowed and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        self.refused.add(url)
        raise ValueError(f"publish does not fetch {url}")
