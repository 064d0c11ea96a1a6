"""Shared helpers for the benchmarks: timing, peak memory, tables, targets.

Every benchmark prints its figures as a ratio against a baseline measured in the same
run (these machines are noisy; absolute times vary), with the absolute numbers next to
them for information, and exits non-zero when a target is missed.

Peak memory is the peak resident set size (RSS) of a fresh child process, read from the
kernel's accounting for that one child (``os.wait4``), so numpy/scipy/pandas buffers
count too (``tracemalloc`` sees only allocations made through Python's allocator).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "REPO_ROOT",
    "ChildRun",
    "Targets",
    "child_report",
    "median_time",
    "print_table",
    "run_child",
    "timed",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def timed(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Call ``function`` once; return its result and the wall time in seconds."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def median_time(calls: Iterable[Callable[[], Any]]) -> tuple[float, list[float]]:
    """Median wall time (seconds) of a sequence of zero-argument calls, and all the times."""
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


@dataclass(frozen=True)
class ChildRun:
    """What a child process reported (its JSON on stdout), its wall time and peak RSS."""

    result: dict[str, Any]
    wall_seconds: float
    peak_rss_bytes: int

    @property
    def peak_rss_mb(self) -> float:
        return self.peak_rss_bytes / MB


def run_child(module: str, *args: str, timeout: float = 900) -> ChildRun:
    """Run ``python -m module args...`` in a fresh interpreter from the repository root.

    The child must print one JSON object as the last line of its stdout.  Peak RSS is
    the child's own ``ru_maxrss`` (from ``os.wait4``, so earlier children and this
    process do not blur it; Linux reports kilobytes).
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args], cwd=REPO_ROOT, stdout=out, stderr=err, env=env
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(
            f"child {module} {' '.join(args)} exited with {process.returncode}:\n{stderr[-3000:]}"
        )
    lines = [line for line in stdout.splitlines() if line.strip()]
    result = json.loads(lines[-1]) if lines else {}
    return ChildRun(result=result, wall_seconds=wall, peak_rss_bytes=usage.ru_maxrss * 1024)


def child_report(result: dict[str, Any]) -> None:
    """In a child: print the JSON line :func:`run_child` reads."""
    sys.stdout.flush()
    print(json.dumps(result), flush=True)


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A plain-text table: numbers right-aligned, text left-aligned."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    numeric = [all(_is_number(r[i]) for r in cells) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric, strict=True)).rstrip()

    print(line(list(headers)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row))


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return f"{value:.3f}" if abs(value) < 10 else (
            f"{value:.1f}" if abs(value) < 1000 else f"{value:,.0f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "-" if value is None else str(value)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return text == "-"
    return True


@dataclass
class Targets:
    """The benchmark's targets: record each, print a verdict, exit 1 if any missed."""

    name: str
    results: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, label: str, passed: bool, detail: str) -> bool:
        self.results.append((label, bool(passed), detail))
        return passed

    def finish(self) -> int:
        print()
        for label, passed, detail in self.results:
            print(f"[{'PASS' if passed else 'FAIL'}] {label}: {detail}")
        failed = [label for label, passed, _ in self.results if not passed]
        print(f"{self.name}: {'all targets met' if not failed else 'missed ' + ', '.join(failed)}")
        return 1 if failed else 0
