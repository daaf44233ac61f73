"""The code palettes are legible: every token colour has a contrast of at least 4.5:1 (WCAG AA)
against the code's background, in the EPUB's light and dark palettes, the print PDF's greys and
the screen PDF's colours; and the print palette has no colour at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tinycss2

STYLES = Path(__file__).resolve().parents[1] / "styles"
PALETTES = ["code-epub.css", "code-print.css", "code-screen.css"]


def contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def contexts(css: str) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Each context (the top level, or an @media's condition) and its rules' declarations."""
    found: dict[str, list[tuple[str, dict[str, str]]]] = {}

    def read(rules: list, context: str) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                selector = tinycss2.serialize(rule.prelude).strip()
                declarations = {
                    d.lower_name: tinycss2.serialize(d.value).strip()
                    for d in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True)
                    if d.type == "declaration"
                }
                found.setdefault(context, []).append((selector, declarations))
            elif rule.type == "at-rule" and rule.lower_at_keyword == "media":
                condition = tinycss2.serialize(rule.prelude).strip()
                read(tinycss2.parse_rule_list(rule.content, skip_whitespace=True), condition)

    read(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True), "")
    return found


@pytest.mark.parametrize("name", PALETTES)
def test_every_token_colour_is_legible_on_its_background(name: str) -> None:
    checked = 0
    for context, rules in contexts((STYLES / name).read_text(encoding="utf-8")).items():
        backgrounds = [d["background-color"] for s, d in rules if "background-color" in d]
        assert backgrounds, f"{name} {context}: the code sets its own background"
        for selector, declarations in rules:
            if "color" in declarations:
                for background in backgrounds:
                    ratio = contrast(declarations["color"], background)
                    assert ratio >= 4.5, f"{name} {context} {selector}: {ratio:.2f}"
                    checked += 1
    assert checked >= 4


def test_the_epub_palette_follows_a_dark_theme() -> None:
    assert "(prefers-color-scheme: dark)" in contexts(
        (STYLES / "code-epub.css").read_text(encoding="utf-8")
    )


def test_the_print_palette_is_greys_only() -> None:
    colours = re.findall(r"#[0-9a-fA-F]{6}", (STYLES / "code-print.css").read_text())
    assert colours
    assert all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours


def test_without_colour_keywords_are_bold_and_comments_italic() -> None:
    shared = contexts((STYLES / "code.css").read_text(encoding="utf-8"))[""]
    weights = {s: d for s, d in shared if d.get("font-weight") == "bold" or "font-style" in d}
    assert any(".highlight .k," in s and d.get("font-weight") == "bold" for s, d in weights.items())
    assert any(
        ".highlight .c," in s and d.get("font-style") == "italic" for s, d in weights.items()
    )
    assert all("color" not in d for _, d in shared)  # colours only in the palettes
