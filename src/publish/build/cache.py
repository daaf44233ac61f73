"""Build state, cache: results of earlier builds on disk, found by a hash of all they depend on."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from publish.errors import Problem, collecting_warnings, warn

log = logging.getLogger(__name__)

T = TypeVar("T")
Key = str  # hex SHA-256 of everything a result depends on
ENTRY_FORMAT = b"publish-cache 1"  # first line of every entry; change it when entries change shape
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/publish/


class Cache:
    """A content-addressed store of JSON values in `root` (`dist/.publish/cache`), safe to delete.

    An entry's name is the hash of its inputs, so a changed input never finds an old result;
    each entry also carries the hash of its own bytes, and one that does not match (a torn
    write, a disk error, an edit by hand) is ignored and rebuilt, never trusted. New entries
    reach the disk only through `save()`, once the build has succeeded: a failed build writes
    nothing. With `read=False` (`--no-cache`) nothing is read, but new results are saved.
    """

    def __init__(self, root: Path, *, read: bool = True) -> None:
        self.root = root
        self.read = read
        self.used: dict[str, set[Key]] = {}  # namespace -> the entries this build used
        self.pending: dict[tuple[str, Key], bytes] = {}  # entries to save, encoded
        self.hits = self.misses = 0

    def key(self, namespace: str, parts: Iterable[str | bytes]) -> Key:
        """The key of a result of kind `namespace` computed from `parts` by this code."""
        digest = hashlib.sha256()
        for part in [namespace, code_fingerprint(), *parts]:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))  # lengths keep ("ab","c") != ("a","bc")
            digest.update(data)
        return digest.hexdigest()

    def get(self, namespace: str, key: Key) -> Any | None:
        self.used.setdefault(namespace, set()).add(key)
        if not self.read:
            return None
        path = self.root / namespace / key
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        header, _, rest = raw.partition(b"\n")
        digest, _, body = rest.partition(b"\n")
        if header != ENTRY_FORMAT or digest.decode("ascii", "replace") != _sha256(body):
            log.info("ignored a damaged cache entry %s; it is rebuilt", path)
            return None
        try:
            return json.loads(body)
        except ValueError:
            return None

    def put(self, namespace: str, key: Key, value: Any) -> None:
        self.used.setdefault(namespace, set()).add(key)
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.pending[namespace, key] = body

    def save(self) -> None:
        """Write the new entries, each whole or not at all, and drop the ones nothing used."""
        for (namespace, key), body in self.pending.items():
            folder = self.root / namespace
            try:
                folder.mkdir(parents=True, exist_ok=True)
                handle, name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
                with os.fdopen(handle, "wb") as stream:
                    stream.write(b"\n".join([ENTRY_FORMAT, _sha256(body).encode("ascii"), body]))
                Path(name).replace(folder / key)
            except OSError as error:  # an unwritable cache only makes the next build slower
                log.info("could not store a cache entry in %s: %s", folder, error)
        self.pending.clear()
        self._prune()

    def memo(self, namespace: str, parts: Iterable[str | bytes], compute: Callable[[], T]) -> T:
        """`compute()`'s result for these inputs: from the cache, else computed and stored.

        The warnings `compute()` gave are stored with its result and given again on a hit, so
        a cached build reports (and `--strict` judges) the same warnings as a cold one.
        """
        key = self.key(namespace, [str(Path.cwd()), *parts])  # warnings name paths from here
        entry = self.get(namespace, key)
        if isinstance(entry, dict) and "value" in entry and "warnings" in entry:
            self.hits += 1
            for path, line, column, message in entry["warnings"]:
                warn(Problem(path, line, column, message))
            value: T = entry["value"]
            return value
        self.misses += 1
        with collecting_warnings() as warnings:
            value = compute()
        found = [[p.path, p.line, p.column, p.message] for p in warnings]
        self.put(namespace, key, {"value": value, "warnings": found})
        return value

    def _prune(self) -> None:
        """Delete the entries of each kind this build used that this build did not use.

        Only the current results of each kind are kept, so the cache stays the size of the book.
        """
        for namespace, keep in self.used.items():
            try:
                entries = list((self.root / namespace).iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.name not in keep:
                    entry.unlink(missing_ok=True)


@functools.cache
def code_fingerprint() -> str:
    """A hash of publish's own code and of the installed libraries' versions.

    Any change to either makes every cached result and every up-to-date check miss.
    """
    from publish import __version__

    digest = hashlib.sha256(f"{__version__}\n{sys.version}\n".encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(_sha256(path.read_bytes()).encode())
    # Installed distributions are named with their versions: `weasyprint-70.0.dist-info`.
    for entry in sys.path:
        try:
            names = sorted(p.name for p in Path(entry).iterdir() if p.name.endswith(".dist-info"))
        except OSError:
            continue
        digest.update("\n".join(names).encode())
    return digest.hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
