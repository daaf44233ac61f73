"""book.toml however it is written: dotted keys, inline tables, arrays of tables, odd values."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.errors import ConfigError
from publish.read.config import load_config


def _config_problems(folder: Path, toml: str | bytes) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    data = toml.encode("utf-8") if isinstance(toml, str) else toml
    (folder / "book.toml").write_bytes(data)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            'book = { title = 3, authors = ["A"], language = "en", autor = "B" }\n',
            [
                "1: 'title' must be a string in quotes, not a number",
                "1: unknown key 'autor' in [book] (did you mean 'authors'?)",
            ],
        ),
        (
            'book.title = "T"\nbook.authors = ["A"]\nbook.language = "en"\n'
            "book.date = 2025-13-01\n",
            ["4: TOML syntax: Expected newline or end of document after a statement"],
        ),
        (
            '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\ndate = "2025-02-30"\n',
            ["5: 'date' must be a date written as 2026-11-24, not '2025-02-30'"],
        ),
        (
            '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n\n[book.extra]\nx = 1\n',
            [
                "6: unknown key 'extra' in [book] (valid: title, subtitle, authors, language, "
                "identifier, date, publisher, rights, description, notice, cover, chapters)"
            ],
        ),
        (
            '[[book]]\ntitle = "T"\n',
            ["1: [[book]] makes a list of tables; write [book] once"],
        ),
        (
            '[book]\ntitle = "The \\u0000 Book"\nauthors = ["A\\u001b"]\nlanguage = "en"\n',
            [
                "2: 'title' holds the control character U+0000; remove it",
                "3: 'authors' holds the control character U+001B; remove it",
            ],
        ),
        (
            '[book]\n"title" = 1\n\'authors\' = []\nlanguage = ""\n',
            [
                "2: 'title' must be a string in quotes, not a number",
                "3: 'authors' must be a list of one or more names, e.g. authors = [\"Jane Doe\"]",
                "4: 'language' must be a BCP 47 language tag such as 'en' or 'en-GB', not ''",
            ],
        ),
    ],
)
def test_every_problem_names_its_key_and_line(
    tmp_path: Path, toml: str, expected: list[str]
) -> None:
    assert _config_problems(tmp_path / "book", toml) == expected


def test_a_value_too_long_to_lay_out_is_refused(tmp_path: Path) -> None:
    toml = f'[book]\ntitle = "{"x" * 10_001}"\nauthors = ["A", "{"y" * 20_000}"]\nlanguage = "en"\n'
    assert _config_problems(tmp_path / "book", toml) == [
        "2: 'title' is 10,001 characters long; at most 10,000",
        "3: 'authors' is 20,000 characters long; at most 10,000",
    ]


def test_book_toml_in_utf16_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    toml = '[book]\ntitle = "Ünïcode"\nauthors = ["A"]\nlanguage = "en"\n'
    (folder / "book.toml").write_bytes(toml.encode("utf-16"))
    assert load_config(folder).metadata.title == "Ünïcode"


def test_book_toml_symlinked_from_outside_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_text('[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n', encoding="utf-8")
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.toml").symlink_to(secret)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert [p.message for p in caught.value.problems] == ["is outside the manuscript folder"]


def test_huge_book_toml_is_refused_unread(tmp_path: Path) -> None:
    problems = _config_problems(tmp_path / "book", b"# " + b"x" * (2 * 1024 * 1024))
    assert problems == ["None: is 2.0 MB; publish reads files of at most 1.0 MB here"]


def test_a_title_too_long_for_a_file_name_still_names_the_outputs(tmp_path: Path) -> None:
    from publish.build.pipeline import build_book

    folder = tmp_path / "book"
    folder.mkdir()
    title = "A Very Long Title " * 40  # 720 characters: a file name may have at most 255 bytes
    toml = f'[book]\ntitle = "{title}"\nauthors = ["A"]\nlanguage = "en"\n'
    (folder / "book.toml").write_text(toml, encoding="utf-8")
    (folder / "01.md").write_text("# One\n\nText.\n", encoding="utf-8")
    (output,) = build_book(folder, tmp_path / "dist", ["epub"])
    assert output.path.name == ("a-very-long-title-" * 6)[:100].rstrip("-") + ".epub"
