"""How long each workshop notebook takes top to bottom in a fresh kernel, as a live session runs it.

Each ``workshops/*.ipynb`` (found at run time, so new modules are timed as they land) is
executed with nbclient in a fresh ``python3`` kernel from the notebook's folder, as
``crosstalk notebooks refresh`` does; the figure is the wall time from kernel start to
the last cell.  Baseline, same run: a fresh kernel running a notebook with one empty
cell (the kernel start-up and shut-down every notebook pays; median of 3).  The ratio
says how many "empty notebooks" each workshop costs; the absolute time is printed too.

Target: every workshop notebook under 60 s top to bottom, so a live session never
waits.  (The target is on absolute seconds because a room of people waits in seconds;
the baseline shows how much of it is just the kernel.)

    python benchmarks/bench_notebooks.py             # every workshop notebook
    python benchmarks/bench_notebooks.py 06-capstone # only notebooks whose name contains it
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import REPO_ROOT, Targets, print_table

TARGET_S = 60.0
BASELINE_RUNS = 3


def run_notebook(notebook: object, folder: Path) -> float:
    """Execute ``notebook`` (an nbformat node) in a fresh kernel; return the wall seconds."""
    from nbclient import NotebookClient

    client = NotebookClient(notebook, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(folder)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    import nbformat

    folder = REPO_ROOT / "workshops"
    pattern = argv[0] if argv else ""
    paths = sorted(p for p in folder.glob("*.ipynb") if pattern in p.stem)
    if not paths:
        print(f"no workshop notebook matches {pattern!r}")
        return 1
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    baseline = statistics.median(run_notebook(empty, folder) for _ in range(BASELINE_RUNS))
    rows, targets = [], Targets("bench_notebooks")
    for path in paths:
        seconds = run_notebook(nbformat.read(path, as_version=4), folder)
        rows.append((path.name, seconds, seconds / baseline))
        targets.check(path.stem, seconds < TARGET_S,
                      f"{seconds:.1f} s top to bottom ({seconds / baseline:.1f}x an empty "
                      f"notebook's {baseline:.2f} s; target < {TARGET_S:.0f} s)")
    print(f"baseline: a fresh kernel running an empty notebook, {baseline:.2f} s "
          f"(median of {BASELINE_RUNS})\n")
    print_table(["notebook", "seconds", "x empty notebook"], rows)
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
