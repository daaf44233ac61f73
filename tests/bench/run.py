"""Benchmark (`make bench`): synthetic books built cold, unchanged and after an edit, beside Pandoc.

    python tests/bench/run.py [--sizes 10k,100k,500k] [--runs 3] [--pdf-runs N] [--quick]

For each size, genbook.py writes a book (chapters, footnotes, tables, images, links between chapter
files) into a temporary folder. Every build then runs in a fresh process, so each memory figure is
that build's own peak; the figures printed are medians over the runs:

- cold builds (`--no-cache`): EPUB only, and both formats with each stage's wall and CPU time
  (from the PUBLISH_TIMINGS records that publish.timing writes) and peak memory;
- a rebuild with nothing changed, and rebuilds after editing one paragraph of one chapter;
- `publish --help`;
- when `pandoc` is installed, the same Markdown through `pandoc --toc -o book.epub` and
  `pandoc --toc --pdf-engine=weasyprint`, each run right after ours, and the median of our time
  divided by Pandoc's, run by run (a busy spell of a shared machine falls on both alike).

The slow measurements (builds with a PDF, Pandoc's PDF) run `--pdf-runs` times: by default as
often as the others below 200k words, once above.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GENBOOK = HERE / "genbook.py"
EPOCH = "1764000000"  # every build dates its outputs the same, so runs are comparable
TIMEOUT = 3600  # seconds for one build; a hung build fails the benchmark instead of stalling it
STAGES = (
    *("read", "convert", "epub template", "epub write", "pdf template", "pdf layout"),
    *("pdf layout report", "pdf page map", "collect garbage", "pdf write"),
)
BOOKKEEPING = ("up-to-date check", "save state")  # the cache's own cost
EPUB_STAGES = ("epub template", "epub write")
WORDS_PER_CHAPTER = 3333  # 30 chapters per 100k words, 150 for War and Peace's 500k


@dataclass
class Run:
    """One process: its wall time, CPU time (user + system) and peak resident memory."""

    wall: float
    cpu: float
    peak_mb: float
    stages: dict[str, dict[str, float]] = field(default_factory=dict)
    stdout: str = ""


def run(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> Run:
    """Run argv to completion in a fresh process and measure it (os.wait4 gives its own rusage)."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as scratch:
        timings = Path(scratch) / "timings.jsonl"
        out, err = Path(scratch) / "stdout", Path(scratch) / "stderr"
        child_env = {**env, "PUBLISH_TIMINGS": str(timings)}
        with out.open("wb") as stdout, err.open("wb") as stderr:
            started = time.perf_counter()
            process = subprocess.Popen(argv, env=child_env, cwd=cwd, stdout=stdout, stderr=stderr)
            timer = threading.Timer(TIMEOUT, process.kill)
            timer.start()
            try:
                _, status, usage = os.wait4(process.pid, 0)
            finally:
                timer.cancel()
            wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            sys.exit(
                f"bench: {' '.join(argv)} failed ({process.returncode}):\n"
                + err.read_text(errors="replace")[-3000:]
            )
        stages: dict[str, dict[str, float]] = {}
        if timings.exists():
            for line in timings.read_text().splitlines():
                record = json.loads(line)
                total = stages.setdefault(record["stage"], {"wall": 0.0, "cpu": 0.0, "peak_mb": 0})
                total["wall"] += record["wall"]
                total["cpu"] += record["cpu"]
                total["peak_mb"] = max(total["peak_mb"], record["peak_mb"])
        peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return Run(
            wall, usage.ru_utime + usage.ru_stime, peak, stages, out.read_text(errors="replace")
        )


def median_run(runs: list[Run]) -> Run:
    """Each figure's median over the runs (stage by stage)."""
    names = {name for r in runs for name in r.stages}
    stages = {
        name: {
            key: statistics.median(r.stages.get(name, {}).get(key, 0.0) for r in runs)
            for key in ("wall", "cpu", "peak_mb")
        }
        for name in names
    }
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(r.peak_mb for r in runs),
        stages,
        runs[-1].stdout,
    )


def stage_total(result: Run, names: tuple[str, ...], key: str = "wall") -> float:
    """Seconds spent in stages whose name is one of `names` or ends with one of them."""
    return sum(
        figures[key]
        for name, figures in result.stages.items()
        if name in names or any(name.endswith(f" {n}") for n in names)
    )


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([km]?)", text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"size {text!r}: write it as 10k, 100k or 500000")
    return int(float(match[1]) * {"": 1, "k": 1000, "m": 1_000_000}[match[2]])


def label(words: int) -> str:
    return f"{words // 1000}k" if words % 1000 == 0 else str(words)


def generate(folder: Path, words: int, links: str) -> dict[str, Any]:
    chapters = max(3, round(words / WORDS_PER_CHAPTER))
    argv = [sys.executable, str(GENBOOK), "--words", str(words), "--chapters", str(chapters)]
    result = subprocess.run(
        [*argv, "--links", links, str(folder)], capture_output=True, text=True, check=True
    )
    info: dict[str, Any] = json.loads(result.stdout)
    return info


def chapter_files(book: Path) -> list[Path]:
    return sorted(book.glob("0*.md"))


class Editor:
    """Edits one paragraph in the middle chapter, differently each time; restores it after."""

    def __init__(self, book: Path) -> None:
        files = chapter_files(book)
        self.path = files[len(files) // 2]
        self.original = self.path.read_text(encoding="utf-8")
        lines = self.original.split("\n")
        self.line = next(
            number
            for number, line in enumerate(lines)
            if len(line) > 80 and line[0].isalpha() and not line.startswith("[^")
        )
        self.count = 0

    def edit(self) -> None:
        self.count += 1
        lines = self.original.split("\n")
        lines[self.line] += f" The clerk corrected the ledger {self.count} times."
        self.path.write_text("\n".join(lines), encoding="utf-8")

    def restore(self) -> None:
        self.path.write_text(self.original, encoding="utf-8")


def pdf_pages(path: Path) -> int | None:
    try:
        import pypdf
    except ImportError:
        return None
    return len(pypdf.PdfReader(path).pages)


def printed_pages(stdout: str) -> int | None:
    match = re.search(r"\(PDF, (\d+) pages", stdout)
    return int(match[1]) if match else None


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        bin_dir = Path(sys.executable).parent
        self.env = {
            **os.environ,
            "SOURCE_DATE_EPOCH": EPOCH,
            # Pandoc's --pdf-engine=weasyprint runs the `weasyprint` command of this environment.
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        if args.src:
            self.env["PYTHONPATH"] = str(Path(args.src).resolve())
        self.publish = [sys.executable, "-m", "publish"]
        script = bin_dir / "publish"
        self.help_command = [str(script)] if script.exists() and not args.src else self.publish
        help_text = subprocess.run(
            [*self.publish, "build", "--help"], env=self.env, capture_output=True, text=True
        ).stdout
        self.has_cache = "--no-cache" in help_text  # the state before the cache had none
        self.pandoc = None if args.no_pandoc else shutil.which("pandoc")

    def build(self, book: Path, out: Path, formats: str, cold: bool) -> Run:
        argv = [*self.publish, "build", str(book), "--out", str(out), "--format", formats]
        if cold and self.has_cache:
            argv.append("--no-cache")
        return run(argv, self.env)

    def repeat(self, times: int, action: Any) -> list[Run]:
        return [action() for _ in range(times)]

    def in_turn(self, times: int, ours: Any, theirs: Any) -> tuple[list[Run], list[Run]]:
        """Our runs and Pandoc's (if any) taken in turn, so a busy spell falls on both alike."""
        pairs = [(ours(), theirs() if theirs else None) for _ in range(times)]
        return [a for a, _ in pairs], [b for _, b in pairs if b is not None]

    def size(self, words: int) -> dict[str, Any]:
        runs = self.args.runs
        pdf_runs = self.args.pdf_runs or (runs if words < 200_000 else 1)
        folder = self.work / label(words)
        book, pandoc_book = folder / "book", folder / "pandoc"
        info = generate(book, words, "files")
        result: dict[str, Any] = {"words": info["words"], "chapters": info["chapters"]}
        result["md_mb"] = info["md_bytes"] / 1e6
        progress(f"{label(words)}: {info['words']:,} words, {info['chapters']} chapters")

        out_epub, out_full = folder / "out-epub", folder / "out-full"
        pandoc_epub = pandoc_pdf = None
        if self.pandoc:
            generate(pandoc_book, words, "pandoc")
            sources = ["metadata.yaml", *(p.name for p in chapter_files(pandoc_book))]
            epub_argv = [self.pandoc, "--toc", "-o", str(folder / "pandoc.epub"), *sources]
            pdf_argv = [self.pandoc, "--toc", "--pdf-engine=weasyprint", "-o", "pandoc.pdf"]
            pdf_argv += sources
            pandoc_epub = functools.partial(run, epub_argv, self.env, cwd=pandoc_book)
            pandoc_pdf = functools.partial(run, pdf_argv, self.env, cwd=pandoc_book)
        beside = " (each beside Pandoc's)" if self.pandoc else ""
        progress(f"  cold EPUB builds{beside}")
        ours, theirs = self.in_turn(
            runs, lambda: self.build(book, out_epub, "epub", cold=True), pandoc_epub
        )
        result["epub_cold"] = median_run(ours)
        if theirs:
            result["pandoc_epub"] = median_run(theirs)
            result["epub_ratio"] = statistics.median(
                a.wall / b.wall for a, b in zip(ours, theirs, strict=True)
            )
        progress(f"  cold builds of both formats{beside}")
        full, theirs = self.in_turn(
            pdf_runs, lambda: self.build(book, out_full, "epub,pdf", cold=True), pandoc_pdf
        )
        result["full_cold"] = median_run(full)
        result["pages"] = printed_pages(full[-1].stdout)
        if theirs:
            result["pandoc_pdf"] = median_run(theirs)
            result["pandoc_pages"] = pandoc_pages = pdf_pages(pandoc_book / "pandoc.pdf")
            if pandoc_pages and result["pages"]:
                result["pdf_page_ratio"] = statistics.median(
                    (pdf_seconds(a) / result["pages"]) / (b.wall / pandoc_pages)
                    for a, b in zip(full, theirs, strict=True)
                )

        progress("  rebuilds with nothing changed")
        self.build(book, out_full, "epub,pdf", cold=False)  # the state a no-change build finds
        result["noop"] = median_run(
            self.repeat(runs, lambda: self.build(book, out_full, "epub,pdf", cold=False))
        )
        editor = Editor(book)
        try:
            progress(f"  rebuilds after a one-paragraph edit of {editor.path.name}")
            self.build(book, out_epub, "epub", cold=False)
            result["edit_epub"] = median_run(
                self.repeat(
                    runs, lambda: (editor.edit(), self.build(book, out_epub, "epub", False))[1]
                )
            )
            result["edit_full"] = median_run(
                self.repeat(
                    pdf_runs,
                    lambda: (editor.edit(), self.build(book, out_full, "epub,pdf", False))[1],
                )
            )
        finally:
            editor.restore()

        return result

    def help_time(self) -> Run:
        return median_run(
            self.repeat(
                max(5, self.args.runs), lambda: run([*self.help_command, "--help"], self.env)
            )
        )


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- report -----------------------------------------------------------------------------------


def pdf_seconds(full: Run, key: str = "wall") -> float:
    """The PDF's share of a build of both formats: all of it but the EPUB's own stages."""
    total = full.wall if key == "wall" else full.cpu
    return total - stage_total(full, EPUB_STAGES, key)


def ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "-"


def paired(r: dict[str, Any], key: str, ours: float, theirs: float | None) -> str:
    """The median of the run-by-run ratios (runs taken in turn), else the ratio of the medians."""
    return f"{r[key]:.2f}x" if key in r else ratio(ours, theirs)


def report_size(words: int, r: dict[str, Any]) -> list[str]:
    full: Run = r["full_cold"]
    lines = [
        "",
        f"== {label(words)}: {r['words']:,} words, {r['chapters']} chapters, "
        f"{r['md_mb']:.2f} MB of Markdown, {r['pages']} PDF pages ==",
        "",
        "cold build of both formats (--no-cache), per stage:",
        f"  {'stage':<30}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}",
    ]
    accounted_wall = accounted_cpu = 0.0
    for name in STAGES + BOOKKEEPING:
        wall = stage_total(full, (name,))
        cpu = stage_total(full, (name,), "cpu")
        peaks = [f["peak_mb"] for n, f in full.stages.items() if n == name or n.endswith(name)]
        accounted_wall += wall
        accounted_cpu += cpu
        lines.append(f"  {name:<30}{wall:>9.2f}{cpu:>9.2f}{max(peaks, default=0):>9.0f}")
    lines.append(
        f"  {'start-up, imports, exit':<30}{full.wall - accounted_wall:>9.2f}"
        f"{full.cpu - accounted_cpu:>9.2f}"
    )
    lines.append(f"  {'whole build':<30}{full.wall:>9.2f}{full.cpu:>9.2f}{full.peak_mb:>9.0f}")
    lines.append("")
    epub: Run = r["epub_cold"]
    pandoc_epub: Run | None = r.get("pandoc_epub")
    pandoc_pdf: Run | None = r.get("pandoc_pdf")
    lines.append(
        f"  EPUB cold              {epub.wall:6.2f} s (CPU {epub.cpu:.2f} s), "
        f"peak {epub.peak_mb:.0f} MB"
        + (
            f"; pandoc {pandoc_epub.wall:.2f} s (CPU {pandoc_epub.cpu:.2f} s): "
            f"ours / pandoc, run by run = {paired(r, 'epub_ratio', epub.wall, pandoc_epub.wall)} "
            f"(CPU {ratio(epub.cpu, pandoc_epub.cpu)})"
            if pandoc_epub
            else ""
        )
    )
    pdf_wall, pdf_cpu = pdf_seconds(full), pdf_seconds(full, "cpu")
    pages = r["pages"] or 1
    line = (
        f"  PDF cold               {pdf_wall:6.2f} s (CPU {pdf_cpu:.2f} s), "
        f"{1000 * pdf_wall / pages:.0f} ms/page (CPU {1000 * pdf_cpu / pages:.0f})"
    )
    if pandoc_pdf and r.get("pandoc_pages"):
        theirs = pandoc_pdf.wall / r["pandoc_pages"]
        theirs_cpu = pandoc_pdf.cpu / r["pandoc_pages"]
        line += (
            f"; pandoc {pandoc_pdf.wall:.2f} s for {r['pandoc_pages']} pages, "
            f"{1000 * theirs:.0f} ms/page (CPU {1000 * theirs_cpu:.0f}): "
            f"per page ours / pandoc, run by run = "
            f"{paired(r, 'pdf_page_ratio', pdf_wall / pages, theirs)} "
            f"(CPU {ratio(pdf_cpu / pages, theirs_cpu)})"
        )
    lines.append(line)
    ours = stage_total(
        full, ("read", "convert", "pdf template", "pdf layout report", "pdf page map")
    )
    weasy = stage_total(full, ("pdf layout", "pdf write"))
    garbage = stage_total(full, ("collect garbage",))
    rest = pdf_wall - ours - weasy - garbage
    lines.append(
        f"    of the PDF build: ours (read, convert, template, layout report, page map) "
        f"{100 * ours / pdf_wall:.1f} %, "
        f"WeasyPrint layout+write {100 * weasy / pdf_wall:.1f} %, "
        f"collecting the layout's garbage {100 * garbage / pdf_wall:.1f} %, "
        f"start-up/imports/exit {100 * rest / pdf_wall:.1f} %"
    )
    lines.append(f"  full build peak memory {full.peak_mb:6.0f} MB")
    noop: Run = r["noop"]
    lines.append(f"  no-change rebuild      {noop.wall:6.2f} s (CPU {noop.cpu:.2f} s)")
    edit_epub: Run = r["edit_epub"]
    edit_full: Run = r["edit_full"]
    lines.append(
        f"  one-paragraph edit     EPUB {edit_epub.wall:.2f} s (CPU {edit_epub.cpu:.2f} s); "
        f"both formats {edit_full.wall:.2f} s (CPU {edit_full.cpu:.2f} s)"
    )
    return lines


def growth(results: dict[int, dict[str, Any]]) -> list[str]:
    """Per-100k-words time of the largest book against the 100k book's."""
    if 100_000 not in results or max(results) <= 100_000:
        return []
    big = max(results)
    lines = ["", f"growth: per 100k words at {label(big)} vs at 100k"]
    for name, pick in [
        ("EPUB cold", lambda r: r["epub_cold"].wall),
        ("PDF cold", lambda r: pdf_seconds(r["full_cold"])),
        ("both formats cold", lambda r: r["full_cold"].wall),
    ]:
        small_rate = pick(results[100_000])
        big_rate = pick(results[big]) * 100_000 / big
        lines.append(
            f"  {name:<20}{small_rate:7.2f} s -> {big_rate:7.2f} s per 100k words "
            f"({100 * (big_rate / small_rate - 1):+.0f} %)"
        )
    return lines


def markdown_table(results: dict[int, dict[str, Any]], help_run: Run) -> list[str]:
    lines = [
        "",
        "| book | EPUB cold | vs pandoc | PDF cold | ms/page (pandoc) | no change | edit: EPUB | "
        "edit: both | peak EPUB | peak both |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for words, r in sorted(results.items()):
        full, pages = r["full_cold"], r["pages"] or 1
        pandoc_epub, pandoc_pdf = r.get("pandoc_epub"), r.get("pandoc_pdf")
        theirs = (
            f" ({1000 * pandoc_pdf.wall / r['pandoc_pages']:.0f})"
            if pandoc_pdf and r.get("pandoc_pages")
            else ""
        )
        lines.append(
            f"| {label(words)} | {r['epub_cold'].wall:.2f} s | "
            f"{paired(r, 'epub_ratio', r['epub_cold'].wall, pandoc_epub and pandoc_epub.wall)} | "
            f"{pdf_seconds(full):.1f} s | {1000 * pdf_seconds(full) / pages:.0f}{theirs} | "
            f"{r['noop'].wall:.2f} s | {r['edit_epub'].wall:.2f} s | {r['edit_full'].wall:.1f} s | "
            f"{r['epub_cold'].peak_mb:.0f} MB | {full.peak_mb:.0f} MB |"
        )
    lines.append(f"\n`publish --help`: {help_run.wall:.3f} s")
    return lines


def machine() -> str:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found[1].strip() if found else model
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average {load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", default="10k,100k,500k", help="book sizes in words (default 10k,100k,500k)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (median)")
    parser.add_argument(
        "--pdf-runs", type=int, default=0, help="runs of builds with a PDF (default: see above)"
    )
    parser.add_argument("--quick", action="store_true", help="10k and 100k, one run each")
    parser.add_argument("--no-pandoc", action="store_true", help="skip Pandoc even if installed")
    parser.add_argument("--work", type=Path, help="keep the books and outputs in this folder")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--src", help="benchmark the publish package in this src/ folder instead")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.pdf_runs = "10k,100k", 1, 1
    sizes = [parse_size(part) for part in args.sizes.split(",") if part.strip()]

    work = args.work or Path(tempfile.mkdtemp(prefix="publish-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    before = machine()
    try:
        bench = Bench(args, work)
        if not bench.pandoc:
            progress("bench: pandoc not found (apt-get install pandoc); our figures only")
        results = {words: bench.size(words) for words in sizes}
        help_run = bench.help_time()
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)

    print(f"machine: {before}")
    pandoc_version = "none"
    if bench.pandoc:
        pandoc_version = subprocess.run(
            [bench.pandoc, "--version"], capture_output=True, text=True
        ).stdout.splitlines()[0]
    pdf_runs = args.pdf_runs or "auto"
    print(f"pandoc: {pandoc_version}; medians of {args.runs} runs ({pdf_runs} with a PDF)")
    for words, result in results.items():
        print("\n".join(report_size(words, result)))
    print("\n".join(growth(results)))
    print(f"\npublish --help: {help_run.wall:.3f} s (CPU {help_run.cpu:.3f} s)")
    print("\n".join(markdown_table(results, help_run)))
    print(f"\nbenchmark took {time.perf_counter() - started:.0f} s; at the end: {machine()}")
    if args.json:
        args.json.write_text(json.dumps(jsonable(results), indent=1))
    return 0


def jsonable(value: Any) -> Any:
    if isinstance(value, Run):
        return {
            "wall": value.wall,
            "cpu": value.cpu,
            "peak_mb": value.peak_mb,
            "stages": value.stages,
        }
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


if __name__ == "__main__":
    sys.exit(main())
