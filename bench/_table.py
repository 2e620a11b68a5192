"""One result row and the plain-text table every benchmark prints (no dependencies beyond the stdlib)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One measured figure; ``baseline`` is the same workload on plain SQLite when there is one."""

    area: str
    measure: str
    value: float
    unit: str  # "ms", "s", "rows/s", "MB", ...
    baseline: float | None = None
    target: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        # for rates, higher is better, so the ratio is how many times slower we are either way
        return self.baseline / self.value if self.unit.endswith("/s") else self.value / self.baseline


def _num(x: float | None, unit: str) -> str:
    if x is None:
        return ""
    if unit.endswith("/s") or x >= 1000:
        return f"{x:,.0f} {unit}"
    return f"{x:,.1f} {unit}" if x >= 10 else f"{x:,.2f} {unit}"


def format_table(results: Sequence[Result]) -> str:
    header = ("area", "measure", "RM Desk (SQLCipher)", "plain SQLite", "ratio", "target")
    rows = [(r.area, r.measure, _num(r.value, r.unit), _num(r.baseline, r.unit),
             f"{r.ratio:.2f}x" if r.ratio is not None else "", r.target) for r in results]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    right = {2, 3, 4}

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths,
                                                                                                strict=True)))

    out = [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(s.rstrip() for s in out)
