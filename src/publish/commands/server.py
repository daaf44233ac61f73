"""`publish serve`: the book as web pages on 127.0.0.1, rebuilt and reloaded on every save.

Each save converts the chapters again (the page reloads as soon as that is done), then builds
the EPUB and the PDF into the output folder, which the page links to. A save that breaks the
book shows its problems on the page; the server keeps the last good version and goes on.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from publish.commands.preview import POLL_SECONDS, Preview
from publish.errors import PublishError, problem

log = logging.getLogger(__name__)

HOST = "127.0.0.1"  # loopback only: the preview is for the author at this machine
KEEPALIVE_SECONDS = 15  # an event stream says something this often, so proxies keep it open


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not hold up the exit

    def __init__(self, preview: Preview, port: int) -> None:
        self.preview = preview
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # the name http.server calls
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/__events" and with_body:
            self._events()
            return
        found = self.server.preview.page(path)
        if found is None:
            body = f"<!DOCTYPE html><title>Not found</title><p>No page {escape(path)}."
            found = (404, "text/html; charset=utf-8", body.encode())
        status, kind, data = found
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # every reload shows the latest build
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-Sent Events: `reload` with the book's version, `editions` with the bar's links."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        sent: tuple[int, str] | None = None
        try:
            while True:
                with preview.changed:
                    if preview.closing:
                        return
                    state = preview.state
                    if sent == (state.version, state.editions):
                        preview.changed.wait(KEEPALIVE_SECONDS)
                        state = preview.state
                    if preview.closing:
                        return
                message = ""
                if sent is None or sent[0] != state.version:
                    message += "event: reload\n" + _data(str(state.version))
                if sent is None or sent[1] != state.editions:
                    message += "event: editions\n" + _data(state.editions)
                self.wfile.write((message or ": still here\n\n").encode())
                self.wfile.flush()
                sent = (state.version, state.editions)
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)


def _data(text: str) -> str:
    """An event's data: one `data:` line per line of text, then the blank line that ends it."""
    return "".join(f"data: {line}\n" for line in text.splitlines() or [""]) + "\n"


@contextlib.contextmanager
def running(
    manuscript_dir: Path,
    out_dir: Path,
    port: int,
    say: Callable[[str], None] = print,
    interval: float = POLL_SECONDS,
) -> Iterator[PreviewServer]:
    """The preview server and its watcher, running in threads until the block ends."""
    preview = Preview(manuscript_dir, out_dir, say)
    try:
        server = PreviewServer(preview, port)
    except OSError as error:
        message = (
            f"cannot listen there ({error.strerror}); "
            "choose another port with --port, or --port 0 for any free one"
        )
        raise PublishError([problem(Path(f"{HOST}:{port}"), message)]) from error
    seen = preview.files()
    preview.convert()  # the pages are there before the address is given; the editions follow
    stop = threading.Event()
    threads = [
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}),
        threading.Thread(target=preview.watch, args=(stop, interval, seen)),
    ]
    for thread in threads:
        thread.daemon = True
        thread.start()
    try:
        yield server
    finally:
        stop.set()
        preview.close()
        server.shutdown()
        server.server_close()
        threads[1].join(timeout=5)  # a PDF being laid out is left: nothing is written until then


def serve(manuscript_dir: Path, out_dir: Path, port: int, *, quiet: bool = False) -> None:
    """Serve the preview until Ctrl-C."""

    def say(line: str) -> None:
        if not quiet:
            print(line, flush=True)

    with running(manuscript_dir, out_dir, port, say) as server:
        say(
            f"Previewing {manuscript_dir} at {server.url}\n"
            f"Pages reload on every save; the EPUB and PDF are rebuilt into {out_dir}/. "
            "Press Ctrl-C to stop."
        )
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    say("Stopped.")
