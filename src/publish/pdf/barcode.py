"""An ISBN as the EAN-13 bars a bookshop scans, drawn on the back cover.

python-barcode encodes the digits into the 95 modules of EAN-13 (guards, left digits in
sets L and G chosen by the first digit, right digits in set R); we draw the bars ourselves as
rectangles and set the digits in the book's own typeface, so no font of the system (python-
barcode's writers name DejaVu Sans Mono) ends up in the cover.
"""

from __future__ import annotations

from dataclasses import dataclass

from barcode import EAN13

# One module at 91% magnification (GS1 allows 80% to 200% of 0.33 mm), bars a little
# shortened, so that bars, ISBN line and digits fit KDP's 2 x 1.2 in barcode area.
MODULE_MM = 0.30
BAR_MM = 18.3
GUARD_MM = 19.8  # the guard bars reach lower, between the digits
QUIET_LEFT, QUIET_RIGHT = 11, 7  # modules of white either side, where a scanner starts
GUARDS = (range(0, 3), range(45, 50), range(92, 95))


@dataclass(frozen=True)
class Bar:
    start: int  # in modules from the left guard's first module
    width: int  # in modules
    guard: bool  # guard bars are drawn longer


@dataclass(frozen=True)
class Barcode:
    digits: str  # the 13 digits of the ISBN-13
    pattern: str  # 95 modules, "1" for a bar

    @property
    def bars(self) -> list[Bar]:
        """Each run of dark modules as one bar."""
        found: list[Bar] = []
        start = None
        for index, module in enumerate(self.pattern + "0"):
            if module == "1" and start is None:
                start = index
            elif module != "1" and start is not None:
                guard = any(start in guard for guard in GUARDS)
                found.append(Bar(start, index - start, guard))
                start = None
        return found

    @property
    def isbn(self) -> str:
        """The line above the bars; unhyphenated, since hyphens need the ISBN agency's ranges."""
        return f"ISBN {self.digits}"

    @property
    def groups(self) -> tuple[str, str, str]:
        """The human-readable line under the bars: 9 780306 406157."""
        return self.digits[0], self.digits[1:7], self.digits[7:]


def isbn_barcode(isbn: str) -> Barcode | None:
    """The EAN-13 of an ISBN-13 or ISBN-10 (hyphens and spaces allowed); None if it is no ISBN."""
    text = "".join(c for c in isbn if c not in "- ").upper()
    if len(text) == 10 and text[:9].isdigit() and (text[9].isdigit() or text[9] == "X"):
        if _isbn10_check(text[:9]) != text[9]:
            return None
        text = "978" + text[:9]
        text += _ean_check(text)
    if len(text) != 13 or not text.isdigit() or not text.startswith(("978", "979")):
        return None
    if _ean_check(text[:12]) != text[12]:
        return None
    pattern = EAN13(text[:12]).build()[0]
    return Barcode(text, pattern)


def _ean_check(twelve: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(twelve))
    return str(-total % 10)


def _isbn10_check(nine: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    check = -total % 11
    return "X" if check == 10 else str(check)
