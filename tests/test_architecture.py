"""The folder listing is the pipeline: imports flow one way, stages meet only at their front door.

Layers, highest first: cli -> commands -> build -> epub -> pdf -> convert -> read, over the modules
every stage may use (model, errors, progress, timing, and the package's `__version__`). A module
may import from its own stage freely, and from a lower stage only the names that stage's
`__init__.py` offers; never from a higher stage.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "publish"
STAGES = ["read", "convert", "pdf", "epub", "build", "commands", "cli"]  # lowest first
COMMON = {"model", "errors", "progress", "timing"}  # below every stage
MOST_LINES = 300


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _level(module: str) -> int | None:
    """A module's layer: -1 for the common ones, the stage's index, None for the package root."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    if parts[1] in COMMON:
        return -1
    return STAGES.index(parts[1]) if parts[1] in STAGES else None


def _imports(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "publish"]


def layer_violations(importer: str, source: str) -> list[str]:
    """Every import in module `importer` (its `source`) that goes up a layer or into another
    stage's internals."""
    own = _level(importer)
    problems = []
    for line, imported in _imports(source):
        target = _level(imported)
        where = f"{importer}:{line}: imports {imported}"
        if imported == "publish" or target == -1 or own is None:
            continue  # __version__, the common modules; the root's lazy public API
        if target is None:
            problems.append(f"{where}: not a stage or a common module")
        elif own == -1 or target > own:
            problems.append(f"{where}: a higher layer")
        elif target < own and imported.count(".") > 1:
            problems.append(f"{where}: another stage's internals (import from its __init__)")
    return problems


def test_imports_flow_down_and_through_each_stages_front_door() -> None:
    problems = [
        problem
        for path in sorted(SOURCE.rglob("*.py"))
        for problem in layer_violations(_module_name(path), path.read_text(encoding="utf-8"))
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from publish.build import build_book", "a higher layer"),
        ("from publish.read.files import inside", "another stage's internals"),
        ("from publish.model import Book\nfrom publish.read import inside", None),
        ("from publish.pdf.fonts import book_faces", None),  # its own stage
    ],
)
def test_the_check_catches_upward_and_sideways_imports(source: str, expected: str | None) -> None:
    problems = layer_violations("publish.pdf.probe", source)
    assert [expected in p for p in problems] == ([True] if expected else [])


def test_only_the_common_modules_stand_at_the_top() -> None:
    top = {path.stem for path in SOURCE.glob("*.py")}
    assert top == {"__init__", "__main__", *COMMON}
    assert {path.name for path in SOURCE.iterdir() if path.is_dir()} >= set(STAGES)


@pytest.mark.parametrize(
    "path", sorted(SOURCE.rglob("*.py")), ids=lambda p: p.relative_to(SOURCE).as_posix()
)
def test_no_module_is_over_300_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MOST_LINES, f"{path.relative_to(SOURCE)}: {lines} lines; split it on a seam"


@pytest.mark.parametrize("stage", STAGES[:-1])
def test_no_public_name_is_also_a_module_of_its_stage(stage: str) -> None:
    # Importing publish.commands.serve would replace the package's lazy `serve` with the module.
    package = importlib.import_module(f"publish.{stage}")
    modules = {path.stem for path in (SOURCE / stage).glob("*.py")}
    assert set(package.__all__) & modules == set()
