"""Shared fixtures: books under tests/books/ and the author's manuscript, each built once."""

from __future__ import annotations

import contextlib
import logging
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from publish.build.pipeline import Output, build_book

ROOT = Path(__file__).resolve().parents[1]
BOOKS = Path(__file__).resolve().parent / "books"
MANUSCRIPT = ROOT / "manuscript"
GOOD_BOOKS = {
    "manuscript": MANUSCRIPT,
    "minimal": BOOKS / "minimal",
    "features": BOOKS / "features",
}
EPOCH = "1764000000"  # 2025-11-24T16:00:00Z


@pytest.fixture(scope="session")
def build_once(tmp_path_factory: pytest.TempPathFactory):
    """Builds a good book the first time it is asked for, with a fixed SOURCE_DATE_EPOCH."""
    cache: dict[str, Built] = {}

    def build(name: str) -> Built:
        if name not in cache:
            out = tmp_path_factory.mktemp(f"dist-{name}")
            with pytest.MonkeyPatch.context() as patch, _renderer_warnings() as warnings:
                patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
                outputs = build_book(GOOD_BOOKS[name], out)
            # A warning from a renderer is a defect: a missing glyph, image or CSS rule.
            assert warnings == [], f"{name}: {warnings}"
            cache[name] = Built(name, GOOD_BOOKS[name], {o.format: o for o in outputs})
        return cache[name]

    return build


@pytest.fixture(scope="session", params=sorted(GOOD_BOOKS))
def built(request: pytest.FixtureRequest, build_once) -> Built:
    """Each good book: the manuscript and every good fixture."""
    return build_once(request.param)


@pytest.fixture(scope="session")
def features(build_once) -> Built:
    """The fixture with footnotes, images, a given cover and links between chapters."""
    return build_once("features")


class Built:
    def __init__(self, name: str, source: Path, outputs: dict[str, Output]) -> None:
        self.name = name
        self.source = source
        self.outputs = outputs

    @property
    def epub(self) -> Path:
        return self.outputs["epub"].path

    @property
    def pdf(self) -> Path:
        return self.outputs["pdf"].path


@contextlib.contextmanager
def _renderer_warnings(*, named: bool = True) -> Iterator[list[str]]:
    """Collects every warning WeasyPrint, fontTools or publish logs while the block runs
    (each as `logger: message`, or the message alone when not `named`)."""
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            records.append(f"{record.name}: {message}" if named else message)

    handler = Collect(logging.WARNING)
    loggers = [logging.getLogger(name) for name in ("weasyprint", "fontTools", "publish")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@pytest.fixture
def book_copy(tmp_path: Path):
    """Copy a fixture book into tmp_path so a test may change it."""

    def copy(name: str) -> Path:
        source = GOOD_BOOKS.get(name, BOOKS / name)
        target = tmp_path / name
        shutil.copytree(source, target)
        return target

    return copy


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    """The CLI sets handlers on our loggers (on a stream pytest closes); undo it after each test."""
    names = ("publish", "weasyprint", "fontTools", "publish.progress", "weasyprint.progress")
    loggers = [logging.getLogger(name) for name in names]
    saved = [(lg, lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    yield
    for logger, handlers, level, propagate in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


def opf_claims(epub: Path) -> dict[str, list[str]]:
    """The package's `<meta property=…>` values, by property, in document order."""
    with zipfile.ZipFile(epub) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
    claims: dict[str, list[str]] = {}
    for meta in opf.findall(".//opf:meta[@property]", {"opf": "http://www.idpf.org/2007/opf"}):
        claims.setdefault(meta.get("property"), []).append(meta.text)
    return claims


def warnings_logged() -> contextlib.AbstractContextManager[list[str]]:
    """Every warning logged while the block runs, as its message alone (a layout report's too)."""
    return _renderer_warnings(named=False)
