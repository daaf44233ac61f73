"""No network and no reads outside: proven by an audit hook, and at the PDF's URL fetcher."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import BOOKS
from publish.pdf.fetcher import SandboxedFetcher

# Runs in a child, since an audit hook stays for the life of the process it is added to.
CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    NETWORK = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
               "socket.gethostbyaddr", "socket.sendto", "socket.bind", "urllib.Request",
               "http.client.connect", "ftplib.connect", "smtplib.connect"}
    seen = []
    def watch(event, args):
        if event in NETWORK:
            seen.append([event, repr(args)[:200]])
    sys.addaudithook(watch)
    from publish.cli import main
    out, folders = sys.argv[1], sys.argv[2:]
    statuses = [main(["build", f, "--out", f"{out}/{n}", "-q"]) for n, f in enumerate(folders)]
    network = list(seen)
    import socket
    socket.getaddrinfo("localhost", None)  # the hook must see this one: it is watching
    hook_works = len(seen) > len(network)
    print(json.dumps({"statuses": statuses, "network": network, "hook_works": hook_works}))
    """
)


def test_a_book_full_of_urls_opens_no_connection(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "book.toml").write_text(
        '[book]\ntitle = "Web"\nauthors = ["A"]\nlanguage = "en"\n', encoding="utf-8"
    )
    links = "".join(
        f"[link {n}](https://tracker{n}.example/page?id={n}) and <http://plain{n}.example/>\n\n"
        for n in range(20)
    )
    (web / "01-links.md").write_text(f"# Links\n\n{links}", encoding="utf-8")
    images = web / "images.md"
    images.write_text(
        "# Images\n\n![remote](https://tracker.example/pixel.png)\n\n"
        '<img src="http://tracker.example/a.png" alt="a"> '
        '<img src="//tracker.example/b.png" alt="b">\n\n'
        '<link rel="stylesheet" href="https://tracker.example/x.css">\n'
        '<span style="background: url(https://tracker.example/c.png)">c</span>\n',
        encoding="utf-8",
    )
    links_only = tmp_path / "links-only"
    links_only.mkdir()
    (links_only / "book.toml").write_text((web / "book.toml").read_text(), encoding="utf-8")
    (links_only / "01-links.md").write_text((web / "01-links.md").read_text(), encoding="utf-8")
    folders = [str(links_only), str(web), str(BOOKS / "hostile-active")]
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "dist"), *folders],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads(child.stdout.splitlines()[-1])
    # Links are kept and built; remote images refused; the hostile book built: all offline.
    assert report == {"statuses": [0, 1, 0], "network": [], "hook_works": True}
    assert "image 'https://tracker.example/pixel.png' is a URL" in child.stderr
    assert "image '//tracker.example/b.png' is a URL" in child.stderr


@pytest.fixture
def fetcher(tmp_path: Path) -> SandboxedFetcher:
    book = tmp_path / "book"
    (book / "images").mkdir(parents=True)
    (book / "images" / "ok.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (book / "images" / "out.png").symlink_to(tmp_path / "secret.txt")
    (book / "images" / "zero.png").symlink_to("/dev/zero")
    os.mkfifo(book / "images" / "pipe.png")  # reading it would block for ever
    return SandboxedFetcher([book], [])


@pytest.mark.parametrize(
    "url",
    [
        "https://tracker.example/pixel.png",
        "http://127.0.0.1:9/x.css",
        "ftp://tracker.example/x",
        "data:text/html,<script>x</script>",
        "file:///etc/passwd",
        "file:///proc/self/environ",
        "file:///dev/zero",
        "BOOK/../secret.txt",
        "BOOK/%2e%2e/secret.txt",
        "BOOK/images/out.png",
        "BOOK/images/zero.png",
        "BOOK/images/pipe.png",
        "BOOK/images",
    ],
)
def test_the_pdf_fetcher_refuses_everything_but_the_books_files(
    fetcher: SandboxedFetcher, tmp_path: Path, url: str
) -> None:
    url = url.replace("BOOK", (tmp_path / "book").as_uri())
    with pytest.raises(ValueError, match="publish does not fetch"):
        fetcher.fetch(url)
    assert fetcher.refused == {url}


def test_the_pdf_fetcher_serves_the_books_own_files(
    fetcher: SandboxedFetcher, tmp_path: Path
) -> None:
    response = fetcher.fetch((tmp_path / "book" / "images" / "ok.png").as_uri())
    assert response.read() == b"\x89PNG fake"
