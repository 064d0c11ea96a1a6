"""How long ``crosstalk`` takes to start, as a ratio to the interpreter starting at all.

Each figure is the median wall time of RUNS fresh processes (bytecode compiled first, as
an installed package has it).  Baseline, same run: ``python -c pass`` with the same
interpreter.  ``python -c "import pandas"`` is shown for information: it is the floor of
any command that reads a table.

Targets: ``crosstalk --help`` at most 5x the bare interpreter (it imports no pandas,
scikit-learn or nbformat: argparse and the kit's command modules only);
``crosstalk launch capacity`` and ``crosstalk utm build`` at most 1.5x the pandas import
measured in the same run (they import what they use, nothing more: capacity needs pandas,
utm build does not).
Before issue 14 every command imported pandas, scikit-learn, nbformat and jsonschema through
eager package ``__init__``s: about 3 s on these machines, ~12x the interpreter.

    python benchmarks/bench_cli_start.py        # or: python -m benchmarks.bench_cli_start
"""

from __future__ import annotations

import compileall
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import REPO_ROOT, Targets, median_time, print_table

RUNS = 9
CLI = "from kit.cli import main; raise SystemExit(main({argv!r}))"
COMMANDS = {
    "crosstalk --help": ["--help"],
    "crosstalk utm build": ["utm", "build", "https://shop.example/boots", "--source", "google",
                            "--medium", "cpc", "--campaign", "spring_sale"],
    "crosstalk launch capacity": ["launch", "capacity", "--reach", "200000"],
}


def _process(code: str) -> float:
    def run() -> None:
        subprocess.run([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False, cwd=REPO_ROOT)

    run()  # warm the file cache
    median, _ = median_time([run] * RUNS)
    return median


def main() -> int:
    compileall.compile_dir(REPO_ROOT / "kit", quiet=1)
    bare = _process("pass")
    pandas = _process("import pandas")
    figures = {label: _process(CLI.format(argv=argv)) for label, argv in COMMANDS.items()}

    print(f"{RUNS} fresh processes each; baseline: python -c pass")
    print_table(
        ["what", "median ms", "ratio to python -c pass"],
        [["python -c pass (baseline)", bare * 1e3, 1.0],
         ["(info) python -c 'import pandas'", pandas * 1e3, pandas / bare],
         *[[label, seconds * 1e3, seconds / bare] for label, seconds in figures.items()]],
    )
    targets = Targets("bench_cli_start")
    help_ratio = figures["crosstalk --help"] / bare
    targets.check("crosstalk --help", help_ratio <= 5.0,
                  f"{help_ratio:.2f}x python -c pass (target <= 5x)")
    for label in ("crosstalk utm build", "crosstalk launch capacity"):
        ratio = figures[label] / pandas
        targets.check(label, ratio <= 1.5,
                      f"{ratio:.2f}x python -c 'import pandas' (target <= 1.5x), "
                      f"{figures[label] / bare:.1f}x python -c pass")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
