"""`publish serve`: a real HTTP client on a free loopback port sees pages, reloads and errors."""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT
from publish.commands.server import PreviewServer, running

WAIT = 60  # seconds: the most any step may take on a busy machine


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class _Events:
    """Reads the server's event stream in a thread: (event, data) pairs in a queue."""

    def __init__(self, url: str) -> None:
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        self.response = urllib.request.urlopen(url + "__events", timeout=WAIT)
        assert self.response.headers["Content-Type"] == "text/event-stream"
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        event, data = "message", []
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    data.append(line.removeprefix("data: "))
                elif not line and data:
                    self.events.put((event, "\n".join(data)))
                    event, data = "message", []
        except (OSError, ValueError, http.client.HTTPException):
            return  # the server closed the stream

    def next_reload(self, after: int) -> int:
        """The first `reload` version above `after`."""
        deadline = time.monotonic() + WAIT
        while True:
            event, data = self.events.get(timeout=max(0.1, deadline - time.monotonic()))
            if event == "reload" and int(data) > after:
                return int(data)


@pytest.fixture
def book(book_copy) -> Path:
    return book_copy("features")


def test_preview_serves_pages_reloads_on_save_and_survives_a_broken_save(
    book: Path, tmp_path: Path
) -> None:
    said: list[str] = []
    out = tmp_path / "out"
    with running(book, out, 0, say=said.append, interval=0.1) as server:
        assert server.server_address[0] == "127.0.0.1"  # loopback only
        url = server.url
        _until(lambda: "EPUB and PDF written" in " ".join(said), "the first build")

        status, kind, body = _get(url)
        index = body.decode()
        assert (status, kind) == (200, "text/html; charset=utf-8")
        assert "Notes, Figures and Links" in index
        assert '<a href="01-footnotes.html">Footnotes and Links</a>' in index
        assert '<a href="/notes-figures-and-links.epub">EPUB</a>' in index

        status, _, body = _get(url + "01-footnotes.html")
        page = body.decode()
        assert status == 200
        assert 'href="02-figures.html#a-table-of-values"' in page  # links between preview pages
        assert '<link rel="stylesheet" href="/style.css"/>' in page
        assert 'new EventSource("/__events")' in page

        css = _get(url + "style.css")
        assert css[:2] == (200, "text/css; charset=utf-8")
        assert b".chapter h1" in css[2] and b'url("/fonts/SourceSerifPro-Regular.ttf")' in css[2]
        assert _get(url + "fonts/SourceSerifPro-Regular.ttf")[:2] == (200, "font/ttf")
        image = _get(url + "images/square.png")
        assert image[:2] == (200, "image/png") and image[2].startswith(b"\x89PNG")
        epub = _get(url + "notes-figures-and-links.epub")
        assert epub[:2] == (200, "application/epub+zip") and epub[2].startswith(b"PK")
        assert _get(url + "notes-figures-and-links.pdf")[2].startswith(b"%PDF")
        assert _get(url + "book.toml")[0] == 404  # only the book's pages and files are served
        assert _get(url + "../book.toml")[0] == 404

        events = _Events(url)
        shown = events.next_reload(after=0)
        chapter = book / "01-footnotes.md"
        chapter.write_text(
            chapter.read_text(encoding="utf-8").replace(
                "This chapter cites", "Freshly saved, cites"
            ),
            encoding="utf-8",
        )
        shown = events.next_reload(after=shown)
        assert "Freshly saved, cites" in _get(url + "01-footnotes.html")[2].decode()

        # A broken save: the error is in the page, the last good text stays, the server goes on.
        chapter.write_text("# Footnotes and Links\n\n[gone](09-nowhere.md)\n", encoding="utf-8")
        shown = events.next_reload(after=shown)
        page = _get(url + "01-footnotes.html")[2].decode()
        assert "The last save has problems" in page
        assert "link to &#39;09-nowhere.md&#39; points to no chapter" in page
        assert "Freshly saved, cites" in page

        # (the second chapter links to this one's section: it must stay)
        chapter.write_text("# Footnotes and Links\n\nMended.\n\n## A Section\n", encoding="utf-8")
        events.next_reload(after=shown)
        page = _get(url + "01-footnotes.html")[2].decode()
        assert "Mended." in page and "problems" not in page

    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)  # stopped: nothing listens any more
    assert any(line.endswith("2 problems; shown in the page") for line in said)


def test_the_reload_script_stays_out_of_the_editions(book: Path, tmp_path: Path) -> None:
    said: list[str] = []
    with running(book, tmp_path, 0, say=said.append, interval=0.1):
        _until(lambda: "EPUB and PDF written" in " ".join(said), "the build")
    with zipfile.ZipFile(tmp_path / "notes-figures-and-links.epub") as epub:
        for name in epub.namelist():
            assert b"EventSource" not in epub.read(name) and b"<script" not in epub.read(name)
    assert b"EventSource" not in (tmp_path / "notes-figures-and-links.pdf").read_bytes()


def test_a_busy_port_is_a_clear_error(book: Path, tmp_path: Path) -> None:
    from publish.commands.preview import Preview
    from publish.errors import PublishError

    taken = PreviewServer(Preview(book, tmp_path), 0)
    try:
        with (
            pytest.raises(PublishError, match=r"^127\.0\.0\.1:\d+: cannot listen there .*--port 0"),
            running(book, tmp_path, taken.server_address[1]),
        ):
            pass
    finally:
        taken.server_close()


def test_serve_in_process_reports_a_busy_port_and_exits_1(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from publish.cli import main
    from publish.commands.preview import Preview

    taken = PreviewServer(Preview(book, tmp_path), 0)
    port = taken.server_address[1]
    try:
        assert main(["serve", str(book), "--port", str(port), "--out", str(tmp_path)]) == 1
    finally:
        taken.server_close()
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"127.0.0.1:{port}: cannot listen there (")
    assert err[0].endswith("choose another port with --port, or --port 0 for any free one")
    assert err[1] == "publish: 1 problem"


def test_serve_as_a_subprocess_stops_cleanly_on_ctrl_c(book: Path, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "publish", "serve", str(book), "--port", "0", "--out", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert process.stdout is not None
        said = [process.stdout.readline() for _ in range(2)]  # "pages rebuilt", then the address
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", said[1])
        assert found, said
        status, _, body = _get(found[1] + "02-figures.html")
        assert (
            status == 200 and "<figcaption>A square, with a caption</figcaption>" in body.decode()
        )
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out.splitlines()[-1] == "Stopped."
    assert "Traceback" not in err
