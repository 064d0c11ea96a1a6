"""Run every benchmark, each in its own process: ``python -m benchmarks [name ...]``.

``make bench`` calls this.  Every ``benchmarks/bench_*.py`` runs even when an earlier
one misses its target; the exit code is 1 if any missed, 0 otherwise.  Names filter
the set: ``python -m benchmarks audit`` runs ``bench_audit_map.py`` only.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    benches = sorted(p.stem for p in (ROOT / "benchmarks").glob("bench_*.py"))
    if argv:
        benches = [b for b in benches if any(name in b for name in argv)]
    if not benches:
        print("no benchmarks/bench_*.py matched")
        return 1
    outcomes = []
    for bench in benches:
        print(f"== benchmarks/{bench}.py", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{bench}"], cwd=ROOT)
        outcomes.append((bench, code, time.perf_counter() - start))
        print(flush=True)
    print("== summary")
    for bench, code, seconds in outcomes:
        verdict = "ok" if code == 0 else f"MISSED TARGET (exit {code})"
        print(f"  {bench:<22} {seconds:7.1f} s  {verdict}")
    return 1 if any(code for _, code, _ in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
