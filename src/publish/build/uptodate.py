"""Build state, up-to-date check: skip a build when inputs and outputs are as the last one left."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Collection, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from publish.build.cache import code_fingerprint
from publish.build.output import page_map_path
from publish.errors import Problem, warn

log = logging.getLogger(__name__)

CHUNK = 1 << 20  # bytes hashed at a time, so a large image never sits whole in memory


@dataclass(frozen=True)
class Written:
    """One output as the last successful build left it."""

    name: str  # file name inside the output folder
    format: str
    size: int
    pages: int | None
    sha256: str


def inputs_digest(manuscript_dir: Path, out_dir: Path, formats: Collection[str]) -> str:
    """A hash of everything a build reads or is asked for.

    Every file in the manuscript folder (but `.git` and the output folder, if it lies inside),
    the styles, publish's code and libraries, the formats, SOURCE_DATE_EPOCH and the working
    folder (messages name paths from it).
    """
    from publish.pdf import styles_dir

    digest = hashlib.sha256()
    for part in [
        code_fingerprint(),
        ",".join(sorted(formats)),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
        str(Path.cwd()),
        str(manuscript_dir),
    ]:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    if "epub" in formats and "pdf" not in formats:  # an EPUB alone lists the last PDF's pages
        page_map = page_map_path(out_dir)
        digest.update(_file_sha256(page_map).encode() if page_map.is_file() else b"no page map")
    skip = {out_dir.resolve()}
    for label, root in [("manuscript", manuscript_dir), ("styles", styles_dir())]:
        digest.update(label.encode() + b"\0")
        for relative, path in _files(root, skip):
            digest.update(relative.encode("utf-8", "surrogatepass") + b"\0")
            if path.is_symlink():
                digest.update(str(path.readlink()).encode("utf-8", "surrogatepass") + b"\0")
            if path.is_file():
                digest.update(_file_sha256(path).encode() + b"\0")
    return digest.hexdigest()


def _files(root: Path, skip: set[Path]) -> Iterator[tuple[str, Path]]:
    """Every entry under root, sorted, as (path relative to root with `/`, path)."""
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        folders[:] = sorted(
            name for name in folders if name != ".git" and (here / name).resolve() not in skip
        )
        links = [name for name in folders if (here / name).is_symlink()]  # not walked into
        for name in sorted(files + links):
            path = here / name
            yield path.relative_to(root).as_posix(), path


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
    except OSError:
        return "unreadable"
    return digest.hexdigest()


def _record_path(state_dir: Path, formats: Collection[str]) -> Path:
    return state_dir / f"last-build-{'-'.join(sorted(formats))}.json"


def up_to_date(
    state_dir: Path, out_dir: Path, formats: Collection[str], digest: str
) -> list[Written] | None:
    """The outputs of the last build of these formats, if its inputs hashed to `digest` and
    its outputs are still on disk as it wrote them; else None.

    The warnings that build gave are given again, so `--strict` judges them the same.
    """
    try:
        record = json.loads(_record_path(state_dir, formats).read_text(encoding="utf-8"))
        if record["inputs"] != digest:
            return None
        written = [Written(**output) for output in record["outputs"]]
        warnings = [Problem(*found) for found in record["warnings"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for output in written:
        path = out_dir / output.name
        try:
            if path.stat().st_size != output.size or _file_sha256(path) != output.sha256:
                return None
        except OSError:
            return None
    for found in warnings:
        warn(found)
    log.info("outputs are up to date with the manuscript; nothing to do")
    return written


def remember(
    state_dir: Path,
    formats: Collection[str],
    digest: str,
    written: list[Written],
    warnings: list[Problem],
) -> None:
    """Record a successful build, for the next one's up-to-date check."""
    record = {
        "inputs": digest,
        "outputs": [asdict(output) for output in written],
        "warnings": [[p.path, p.line, p.column, p.message] for p in warnings],
    }
    path = _record_path(state_dir, formats)
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(json.dumps(record, indent=1), encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        log.info("could not record the build in %s: %s", state_dir, error)


def written(out_dir: Path, path: Path, format: str, pages: int | None) -> Written:
    """What the build just wrote at `path`, to be remembered."""
    return Written(
        path.relative_to(out_dir).as_posix(),
        format,
        path.stat().st_size,
        pages,
        _file_sha256(path),
    )
