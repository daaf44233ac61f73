"""The cover, chapters and images as book.toml or a chapter names them: nothing outside is read."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import BOOKS
from publish.errors import PublishError
from publish.read.book import load_book

TOML = '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n'


def _book(tmp_path: Path, extra: str = "") -> Path:
    folder = tmp_path / "book"
    (folder / "images").mkdir(parents=True)
    (folder / "book.toml").write_text(TOML + extra, encoding="utf-8")
    (folder / "01.md").write_text("# One\n\nText.\n", encoding="utf-8")
    return folder


def _read_problems(folder: Path) -> list[str]:
    with pytest.raises(PublishError) as caught:
        load_book(folder)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize(
    ("cover", "reason"),
    [
        ("file:///etc/passwd", "is a URL, not a file in the manuscript; save the file there"),
        (
            "https://tracker.example/cover.jpg",
            "is a URL, not a file in the manuscript; save the file there",
        ),
        ("/etc/passwd", "is outside the manuscript folder"),
        ("../../../../etc/passwd", "is outside the manuscript folder"),
        ("..\\\\..\\\\..\\\\etc\\\\passwd", "is outside the manuscript folder"),
        ("/dev/zero", "is outside the manuscript folder"),
        ("/proc/self/environ", "is outside the manuscript folder"),
        ("images/out.jpg", "is outside the manuscript folder"),
        ("images/zero.jpg", "is outside the manuscript folder"),
        ("images", "is a folder, not a file"),
        ("images/pipe.jpg", "is not a regular file (a device or a pipe)"),
        ("01.md", "is not a JPEG, PNG, GIF, WebP or SVG image"),
        (
            "images/bomb.png",
            "is over 178 megapixels; an image may have at most 89 megapixels "
            "(a decompression bomb?); scale it down",
        ),
    ],
)
def test_a_cover_outside_or_unusable_is_refused_at_its_line(
    tmp_path: Path, cover: str, reason: str
) -> None:
    folder = _book(tmp_path, f'cover = "{cover}"\n')
    (folder / "images" / "out.jpg").symlink_to("/etc/passwd")
    (folder / "images" / "zero.jpg").symlink_to("/dev/zero")
    os.mkfifo(folder / "images" / "pipe.jpg")
    shutil.copy(BOOKS / "hostile-images/images/bomb-400-megapixels.png", folder / "images/bomb.png")
    shown = cover.replace("\\\\", "\\")  # TOML's escaped backslashes, as the author means them
    assert _read_problems(folder) == [f"5: cover '{shown}' {reason}"]


def test_a_pipe_or_a_device_named_like_a_chapter_is_refused_unread(tmp_path: Path) -> None:
    folder = _book(tmp_path)
    os.mkfifo(folder / "02-pipe.md")  # reading it would block for ever
    (folder / "03-zero.md").symlink_to("/dev/zero")  # reading it would never end
    assert _read_problems(folder) == [
        "None: is not a regular file (a device or a pipe)",
        "None: links to a file outside the manuscript folder; copy the file in instead",
    ]


def test_a_pipe_as_an_image_is_refused_unread(tmp_path: Path) -> None:
    from publish.convert.markdown import convert_book

    folder = _book(tmp_path)
    (folder / "01.md").write_text("# One\n\n![pipe](images/pipe.png)\n", encoding="utf-8")
    os.mkfifo(folder / "images" / "pipe.png")
    with pytest.raises(PublishError) as caught:
        convert_book(load_book(folder))
    assert [f"{p.line}: {p.message}" for p in caught.value.problems] == [
        "3: image 'images/pipe.png' is not a regular file (a device or a pipe)"
    ]
