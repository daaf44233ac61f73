"""Lengths and trims as book.toml writes them ('6x9in', 'a5', '3mm'), in points."""

from __future__ import annotations

import re

POINTS = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}


# Named trims (width, height); "5x8in"-style names are read as custom sizes.
PRESETS: dict[str, tuple[float, float]] = {
    "a5": (148 * POINTS["mm"], 210 * POINTS["mm"]),
    "b-format": (129 * POINTS["mm"], 198 * POINTS["mm"]),
    "us-letter": (8.5 * 72, 11 * 72),
}


COMMON_TRIMS = ("5x8in", "5.25x8in", "5.5x8.5in", "6x9in", "a5", "b-format", "us-letter")


_NUMBER = r"(\d+(?:\.\d+)?)"


_UNIT = r"\s*(mm|cm|in|pt)"


_SIZE = re.compile(rf"^\s*{_NUMBER}(?:{_UNIT})?\s*[x\u00d7]\s*{_NUMBER}{_UNIT}\s*$", re.IGNORECASE)


_LENGTH = re.compile(rf"^\s*{_NUMBER}(?:{_UNIT})?\s*$", re.IGNORECASE)


SMALLEST = (3 * 72, 4 * 72)  # a trim below this, or above LARGEST, is a typing mistake


LARGEST = (12 * 72, 15 * 72)


MAX_BLEED = 0.5 * 72


def parse_trim(value: str) -> tuple[float, float]:
    """'6x9in', 'a5' or '140 x 216 mm' -> (width, height) in points; ValueError if not."""
    name = value.strip().lower()
    if name in PRESETS:
        return PRESETS[name]
    match = _SIZE.match(name)
    if match is None:
        raise ValueError(
            f"must be one of {', '.join(COMMON_TRIMS)} or a size such as '140 x 216 mm'"
            f", not {value!r}"
        )
    width_unit = match[2] or match[4]  # "6x9in": the one unit serves both numbers
    width, height = float(match[1]) * POINTS[width_unit], float(match[3]) * POINTS[match[4]]
    if not (SMALLEST[0] <= width <= LARGEST[0] and SMALLEST[1] <= height <= LARGEST[1]):
        raise ValueError(f"{value!r} is not a book trim (3 x 4 in up to 12 x 15 in)")
    return width, height


def parse_length(value: str) -> float:
    """'0.125in', '3mm' or '0' -> points; ValueError if not a length up to half an inch."""
    match = _LENGTH.match(value)
    if match is None or (match[2] is None and float(match[1]) != 0):
        raise ValueError(f"must be a length such as '0.125in' or '3mm', not {value!r}")
    points = float(match[1]) * POINTS[(match[2] or "pt").lower()]
    if points > MAX_BLEED:
        raise ValueError(f"{value!r} is more bleed than a printer asks for (0.125in or 3mm)")
    return points
