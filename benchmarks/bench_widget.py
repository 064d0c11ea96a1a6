"""One change of strategy in module 01's migration explorer, at the default site size.

``migration_explorer()`` builds the widget for the default ``redesign()``;
``show_strategy(name)`` does exactly the work of one click on a strategy button.  The
figure is the median wall time of 20 changes cycling through the strategies (each
call switches to a different strategy than the one shown), after one warm-up cycle.
Baseline, same run: ``simulate_migration`` for one strategy computed from scratch on
the same site (median over the strategies), i.e. what a click would cost if the widget
recomputed instead of swapping precomputed data.

Target: median < 50 ms of Python work per change.  If the widget module cannot be
imported (not written yet, or ipywidgets/plotly missing), prints
"widget not available yet" and exits 0.

    python benchmarks/bench_widget.py        # or: python -m benchmarks.bench_widget
"""

from __future__ import annotations

import sys
from itertools import cycle, islice
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import Targets, median_time, print_table, timed

CHANGES = 20
BASELINE_RUNS = 10
TARGET_MS = 50.0


def main() -> int:
    try:
        from kit.redirects.widget import migration_explorer
    except ImportError as error:
        print(f"widget not available yet ({error})")
        return 0
    from kit.redirects.simulate import STRATEGIES, simulate_migration

    try:
        explorer, build_seconds = timed(migration_explorer)
    except ImportError as error:  # e.g. plotly's FigureWidget without anywidget
        print(f"widget not available yet ({error})")
        return 0
    site = explorer.site
    names = list(STRATEGIES)
    start = names.index(explorer.strategy) + 1 if explorer.strategy in names else 0
    order = list(islice(cycle(names), start, start + len(names) + CHANGES))
    warmup, measured = order[: len(names)], order[len(names):]
    for name in warmup:
        explorer.show_strategy(name)
    change, change_times = median_time(
        [lambda name=name: explorer.show_strategy(name) for name in measured])
    if explorer.strategy != measured[-1]:
        print(f"show_strategy({measured[-1]!r}) left the explorer on {explorer.strategy!r}: "
              "the benchmark would time a no-op")
        return 1
    baseline, _ = median_time(
        [lambda name=name: simulate_migration(site, name)
         for name in islice(cycle(names), BASELINE_RUNS)])

    print(f"migration explorer, default site ({len(site.old):,} old pages, "
          f"{len(names)} strategies); {CHANGES} changes, {BASELINE_RUNS} baseline runs")
    print_table(
        ["what", "median ms", "ratio to baseline"],
        [["show_strategy (one click)", change * 1e3, change / baseline],
         ["baseline: simulate_migration, one strategy", baseline * 1e3, 1.0],
         ["(info) migration_explorer() build", build_seconds * 1e3, build_seconds / baseline]],
    )
    print(f"show_strategy / simulate_migration = {change / baseline:.3f}; "
          f"slowest change {max(change_times) * 1e3:.1f} ms")
    targets = Targets("bench_widget")
    targets.check("one change of strategy", change * 1e3 < TARGET_MS,
                  f"median {change * 1e3:.1f} ms (target < {TARGET_MS:g} ms), "
                  f"{change / baseline:.3f} x simulate_migration")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
