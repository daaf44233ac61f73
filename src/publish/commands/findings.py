"""One line of `publish check`, and how much it weighs."""

from __future__ import annotations

from dataclasses import dataclass

from publish.errors import Problem

SEVERITIES = ("error", "warning", "note")  # a note never fails a check, even under --strict


@dataclass(frozen=True)
class Finding:
    """One line of `publish check`: `PATH:LINE:COL: severity: message (hint)`."""

    severity: str  # one of SEVERITIES
    problem: Problem

    @property
    def sort_key(self) -> tuple[str, int, int, int, str]:
        found = self.problem
        rank = SEVERITIES.index(self.severity)
        return (found.path, found.line or 0, found.column or 0, rank, found.message)

    def __str__(self) -> str:
        return f"{self.problem.where}: {self.severity}: {self.problem.message}"
