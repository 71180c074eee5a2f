"""What every benchmark shares: figures, timing, the table and results.json."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_PATH = BENCH_DIR / "results.json"


@dataclass
class Figure:
    """One measured figure and the baseline it is divided by (measured in the same run)."""

    benchmark: str
    name: str
    value: float
    unit: str
    baseline: str
    baseline_value: float
    target: str = ""
    max_ratio: float | None = None
    min_ratio: float | None = None
    exact: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """The figure divided by its baseline (1 when both are zero)."""
        if not self.baseline_value:
            return 1.0 if not self.value else float("inf")
        return self.value / self.baseline_value

    @property
    def holds(self) -> bool | None:
        """Whether the target holds; None when the figure has no target."""
        if self.exact is not None:
            return self.value == self.exact
        if self.max_ratio is None and self.min_ratio is None:
            return None
        low = self.min_ratio is None or self.ratio >= self.min_ratio
        high = self.max_ratio is None or self.ratio <= self.max_ratio
        return low and high

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy with the ratio and verdict."""
        return {**asdict(self), "ratio": self.ratio, "holds": self.holds}


@dataclass
class Skipped:
    """A benchmark that could not run here, and why."""

    benchmark: str
    reason: str


def per_item_seconds(run: Callable[[], Any], items: int, *, passes: int = 3) -> float:
    """The best of `passes` runs of `run()`, divided by the `items` it handles.

    The best run is the least disturbed by whatever else the machine does; a
    baseline measured the same way in the same run shares the machine's state.
    """
    timings = []
    for _ in range(passes):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return min(timings) / items


def each(items: Iterable[Any], action: Callable[[Any], Any]) -> Callable[[], None]:
    """A callable that applies `action` to every item, for `per_item_seconds`."""
    frozen = list(items)

    def run() -> None:
        for item in frozen:
            action(item)

    return run


class QueryCounter:
    """Counts the SQL statements run on the default connection while it is active."""

    def __init__(self) -> None:
        self.count = 0
        self._wrapped: Any = None

    def _count(self, execute: Callable[..., Any], *args: Any) -> Any:
        self.count += 1
        return execute(*args)

    def __enter__(self) -> QueryCounter:
        from django.db import connection

        self._wrapped = connection.execute_wrapper(self._count)
        self._wrapped.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapped.__exit__(*exc)


def _cell(value: Any) -> str:
    """Format one table cell."""
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if value is None:
        return ""
    return str(value)


def table(figures: list[Figure], skipped: list[Skipped]) -> str:
    """The figures as a plain-text table, then the skipped benchmarks."""
    header = ["benchmark", "figure", "value", "unit", "baseline", "baseline value", "ratio"]
    header += ["target", "holds"]
    rows = [header]
    for item in figures:
        verdict = {True: "yes", False: "NO", None: ""}[item.holds]
        rows.append(
            [
                item.benchmark,
                item.name,
                _cell(item.value),
                item.unit,
                item.baseline,
                _cell(item.baseline_value),
                _cell(item.ratio),
                item.target,
                verdict,
            ]
        )
    widths = [max(len(row[col]) for row in rows) for col in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines += [f"skipped {item.benchmark}: {item.reason}" for item in skipped]
    return "\n".join(lines)


def write_results(figures: list[Figure], skipped: list[Skipped], seconds: float) -> Path:
    """Write bench/results.json: every figure with its baseline, ratio and verdict."""
    payload = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "seconds": round(seconds, 1),
        "figures": [item.as_dict() for item in figures],
        "skipped": [asdict(item) for item in skipped],
    }
    RESULTS_PATH.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return RESULTS_PATH
