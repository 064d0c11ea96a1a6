"""20 learners fetching and submitting at once on the loopback JupyterHub.

The hub is ``deploy/jupyterhub/jupyterhub_config.py`` (demo login, simple spawner, the
configurable-http-proxy, a PostgreSQL gradebook), started by ``tests/_servers.py`` as in the
system test.  The 20 servers are started in batches of 5 (on 2 cores, 20 spawns at once take
~45 s and 1.7 GB; batches keep the machine responsive), then all 20 learners fetch 01-redirects
and submit it at the same moment, each from its own thread, through their servers' HTTP
endpoints.  Reported: the time to the last submission and every failure.

Baseline (same run): one learner's fetch + submit alone.  Targets: no failure, 20
submissions in the exchange, and the concurrent round under 20× the baseline (no worse than
doing them one after the other).
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _servers import jupyterhub, postgres_server

from benchmarks._common import Targets, print_table

LEARNERS = 20
BATCH = 5
ASSIGNMENT = "01-redirects"


def _missing(component: str, reason: str) -> NoReturn:
    print(f"bench_hub: {component} unavailable: {reason}")
    raise SystemExit(1)


def _round(hub, name: str) -> float:
    start = time.perf_counter()
    for action in ("fetch", "submit"):
        answer = hub.user_action(name, action, ASSIGNMENT)
        if not answer.get("success"):
            raise RuntimeError(f"{name}: {action}: {str(answer)[-300:]}")
    return time.perf_counter() - start


def main() -> int:
    targets = Targets("bench_hub")
    names = [f"learner{i:02d}" for i in range(LEARNERS)]
    with postgres_server(_missing) as url, jupyterhub(
            _missing, gradebook_url=url, graders=["lead"], startup_timeout=180) as hub:
        hub.add_users([*names, "solo"], "nbgrader-crosstalk")
        hub.add_users(["lead"], "formgrade-crosstalk")
        status, answer = hub.formgrader("POST", f"assignment/{ASSIGNMENT}/release", "lead")
        if status != 200 or not answer.get("success"):
            print(f"release failed: {status} {str(answer)[-500:]}")
            return 1
        start = time.perf_counter()
        for first in range(0, LEARNERS, BATCH):
            hub.start_servers(names[first:first + BATCH], timeout=180)
        hub.start_servers(["solo"])
        spawned = time.perf_counter() - start
        for name in [*names, "solo"]:
            hub.user_token(name)
        baseline = _round(hub, "solo")

        failures: list[str] = []

        def one(name: str) -> float:
            try:
                return _round(hub, name)
            except Exception as error:  # every failure is reported, none stops the others
                failures.append(f"{name}: {type(error).__name__}: {error}")
                return float("nan")

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
            times = list(pool.map(one, names))
        last = time.perf_counter() - start
        inbound = hub.state / "exchange" / "crosstalk" / "inbound"
        submitted = {p.name.split("+")[0] for p in inbound.iterdir()} & set(names)
    print(f"{LEARNERS} learners; servers started in batches of {BATCH} in {spawned:.1f} s")
    ok = sorted(t for t in times if t == t)
    print_table(["what", "seconds", "ratio to baseline"], [
        ("one learner fetch + submit alone (baseline)", baseline, 1.0),
        (f"{LEARNERS} at once: time to the last submission", last, last / baseline),
        ("  median learner's own fetch + submit", ok[len(ok) // 2] if ok else float("nan"),
         (ok[len(ok) // 2] / baseline) if ok else float("nan")),
    ])
    for failure in failures:
        print(f"FAILURE {failure}")
    targets.check("no failures", not failures, f"{len(failures)} failure(s)")
    targets.check(f"{LEARNERS} submissions in the exchange", len(submitted) == LEARNERS,
                  f"{len(submitted)}")
    targets.check(f"under {LEARNERS}x the baseline", last < LEARNERS * baseline,
                  f"{last / baseline:.1f}x ({last:.2f} s)")
    return targets.finish()


if __name__ == "__main__":
    raise SystemExit(main())
