"""Export the public Markdown books of books.toml, as their authors hand them over.

Each book is read from a bare git mirror (`<mirror>/<owner>+<name>/repo`) at the commit pinned
in books.toml. Its chapters, in the book's own order, and the images they name are copied
unchanged into `<cache>/<name>/`, beside a generated `book.toml`. A book whose mirror or commit
is absent is skipped with a note (CI has no network). Nothing here edits a book's Markdown.

    python tests/realbooks/prepare.py [--mirror /work/.mirror] [--cache DIR] [NAME ...]
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

# A Markdown link's target ending in .md: `[Text](ch01.md)`, `[Text](../preface.md#top)`.
MD_LINK = re.compile(r"\]\(\s*<?([^()\s<>#]+\.md)(?:#[^)\s]*)?>?(?:\s+\"[^\"]*\")?\s*\)")
# An entry of an mkdocs.yml `nav:`: `- 'index.md'` or `- Title: 'path/page.md'`.
NAV_ENTRY = re.compile(r"""^\s*-\s*(?:[^:\n]+:\s*)?['"]?([^'"\s:]+\.md)['"]?\s*$""")
# Anything that looks like a path to an image, however the chapter names it (Markdown, HTML,
# Pandoc or LaTeX macros such as \aosafigure{path}).
IMAGE_PATH = re.compile(r"[\w./%-]+\.(?:png|jpe?g|gif|svg|webp)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Spec:
    """One [[book]] of books.toml."""

    name: str
    repository: str
    commit: str
    folder: str
    order: str
    order_file: str
    chapters: tuple[str, ...]
    skip: frozenset[str]
    title: str
    authors: tuple[str, ...]
    language: str
    licence: str

    @classmethod
    def from_toml(cls, table: dict[str, object]) -> Spec:
        where = f"books.toml: [[book]] {table.get('name')!r}"

        def text(key: str, default: str | None = None) -> str:
            value = table.get(key, default)
            if not isinstance(value, str):
                raise SystemExit(f"{where}: '{key}' must be text")
            return value

        def texts(key: str) -> tuple[str, ...]:
            value = table.get(key, [])
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise SystemExit(f"{where}: '{key}' must be a list of text")
            return tuple(value)

        order = text("order")
        if order not in ("summary", "mkdocs", "list"):
            raise SystemExit(f"books.toml: order must be summary, mkdocs or list, not {order!r}")
        return cls(
            name=text("name"),
            repository=text("repository"),
            commit=text("commit"),
            folder=text("folder", "").strip("/"),
            order=order,
            order_file=text("order-file", ""),
            chapters=texts("chapters"),
            skip=frozenset(texts("skip")),
            title=text("title"),
            authors=texts("authors"),
            language=text("language"),
            licence=text("licence"),
        )

    def in_repo(self, path: str) -> str:
        """A path relative to the book's folder, as a path in the repository."""
        return posixpath.join(self.folder, path) if self.folder else path

    def in_book(self, repo_path: str) -> str | None:
        """A repository path relative to the book's folder, or None when it lies outside it."""
        if not self.folder:
            return repo_path
        prefix = self.folder + "/"
        return repo_path[len(prefix) :] if repo_path.startswith(prefix) else None


class Mirror:
    """A bare git repository read at one commit."""

    def __init__(self, git_dir: Path, commit: str) -> None:
        self.git_dir = git_dir
        self.commit = commit
        listing = self._git("ls-tree", "-r", "-z", "--name-only", commit).decode()
        self.files = frozenset(name for name in listing.split("\0") if name)

    def read(self, path: str) -> bytes:
        return self._git("show", f"{self.commit}:{path}")

    def _git(self, *args: str) -> bytes:
        command = ["git", f"--git-dir={self.git_dir}", *args]
        return subprocess.run(command, check=True, capture_output=True).stdout


def chapter_order(spec: Spec, mirror: Mirror) -> list[str]:
    """The chapters, relative to the book's folder, in the order the book itself gives."""
    if spec.order == "list":
        return list(spec.chapters)
    text = mirror.read(spec.order_file).decode()
    if spec.order == "mkdocs":
        entries = [match[1] for line in _nav_block(text) if (match := NAV_ENTRY.match(line))]
        candidates = [spec.in_repo(entry) for entry in entries]
    else:
        base = posixpath.dirname(spec.order_file)
        candidates = [posixpath.normpath(posixpath.join(base, m)) for m in MD_LINK.findall(text)]
    chapters: list[str] = []
    for repo_path in candidates:
        path = spec.in_book(repo_path)
        if path is None or repo_path not in mirror.files or repo_path == spec.order_file:
            continue
        if path not in spec.skip and path not in chapters:
            chapters.append(path)
    return chapters


def _nav_block(mkdocs_yml: str) -> list[str]:
    """The lines of the top-level `nav:` key of an mkdocs.yml."""
    lines = mkdocs_yml.splitlines()
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "nav:"), len(lines))
    block: list[str] = []
    for line in lines[start + 1 :]:
        if line.strip() and not line[0].isspace() and not line.startswith("-"):
            break
        block.append(line)
    return block


def images_named(spec: Spec, mirror: Mirror, chapter: str, text: str) -> set[str]:
    """The images in the book's folder that a chapter names, relative to the book's folder."""
    chapter_dir = posixpath.dirname(spec.in_repo(chapter))
    found: set[str] = set()
    for token in IMAGE_PATH.findall(text):
        if token.startswith("/"):  # MkDocs and mdBook: from the site's root
            candidates = [spec.in_repo(token.lstrip("/"))]
        else:
            candidates = [posixpath.join(chapter_dir, token), spec.in_repo(token)]
        for candidate in candidates:
            repo_path = posixpath.normpath(candidate)
            path = spec.in_book(repo_path)
            if path is not None and repo_path in mirror.files:
                found.add(path)
                break
    return found


def book_toml(spec: Spec, chapters: list[str]) -> str:
    def value(item: str | list[str]) -> str:
        return json.dumps(item, ensure_ascii=False)  # a JSON string or list is valid TOML

    listed = "".join(f"    {value(chapter)},\n" for chapter in chapters)
    return (
        f"# Written by tests/realbooks/prepare.py: {spec.repository} at {spec.commit}\n"
        f"# ({spec.licence}). The chapters are the book's own, unchanged.\n"
        "[book]\n"
        f"title = {value(spec.title)}\n"
        f"authors = {value(list(spec.authors))}\n"
        f"language = {value(spec.language)}\n"
        f"chapters = [\n{listed}]\n"
    )


def prepare(spec: Spec, mirror_root: Path, cache: Path) -> bool:
    """Export one book; False when its mirror or commit is not on this machine."""
    git_dir = mirror_root / spec.repository.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        print(f"{spec.name}: skipped, no mirror of {spec.repository} at {git_dir}")
        return False
    try:
        mirror = Mirror(git_dir, spec.commit)
    except subprocess.CalledProcessError:
        print(f"{spec.name}: skipped, the mirror at {git_dir} lacks commit {spec.commit}")
        return False
    chapters = chapter_order(spec, mirror)
    missing = [path for path in chapters if spec.in_repo(path) not in mirror.files]
    if missing or not chapters:
        print(f"{spec.name}: skipped, chapters not in the commit: {missing or 'none listed'}")
        return False
    target = cache / spec.name
    shutil.rmtree(target, ignore_errors=True)
    words = 0
    images: set[str] = set()
    for chapter in chapters:
        data = mirror.read(spec.in_repo(chapter))
        text = data.decode(errors="replace")
        words += len(text.split())
        images |= images_named(spec, mirror, chapter, text)
        _write(target / chapter, data)
    for image in sorted(images):
        _write(target / image, mirror.read(spec.in_repo(image)))
    (target / "book.toml").write_text(book_toml(spec, chapters), encoding="utf-8")
    print(
        f"{spec.name}: {len(chapters)} chapters, {len(images)} images, {words:,} words"
        f" ({spec.repository} {spec.commit[:12]}) -> {target}"
    )
    return True


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("names", nargs="*", help="books to prepare (default: all)")
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--books", type=Path, default=HERE / "books.toml")
    args = parser.parse_args(argv)
    with args.books.open("rb") as file:
        specs = [Spec.from_toml(table) for table in tomllib.load(file)["book"]]
    unknown = set(args.names) - {spec.name for spec in specs}
    if unknown:
        parser.error(f"no such book: {', '.join(sorted(unknown))}")
    chosen = [spec for spec in specs if not args.names or spec.name in args.names]
    prepared = sum(prepare(spec, args.mirror, args.cache) for spec in chosen)
    print(f"prepared {prepared} of {len(chosen)} books in {args.cache}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
