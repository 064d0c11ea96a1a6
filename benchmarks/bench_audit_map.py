"""audit_map at 100,000 and 1,000,000 rules: linear time, and under 1 GB at a million.

The map is what a large relaunch hands over: mostly clean 1:1 rules (301 from
``/products/<category>/<slug>-<n>.html`` to ``/shop/<category>/<slug>-<n>``, some
written as absolute URLs), with about 3% chains (a rule whose target is another
rule's source), 0.5% loops (pairs of rules pointing at each other), 2% homepage dumps,
1% 302s, 2% 410s, 0.1% duplicate sources with a different target, and 0.5% targets
missing from the new site's URL list (passed as ``new_urls``).  It is generated with
numpy and pandas string operations, so a million rows take a few seconds.

Each size runs in two fresh processes: one that only imports kit and builds the map
(the baseline), one that also runs ``audit_map``.  Reported: wall time of the audit
call, and peak RSS of each process, total and incremental (audit minus baseline).

Targets: at 1,000,000 rules the audit process's TOTAL peak RSS is under 1 GB, and
time(1M) / time(100k) <= 12 (linear scaling with some slack).

    python benchmarks/bench_audit_map.py      # or: python -m benchmarks.bench_audit_map
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd

from benchmarks._common import Targets, child_report, print_table, run_child, timed

SIZES = (100_000, 1_000_000)
MAX_RSS_MB = 1024
MAX_SCALING = 12.0
ORIGIN = "https://www.example-outdoor.com"
SHARES = {"chain": 0.03, "loop": 0.005, "homepage": 0.02, "temporary": 0.01, "gone": 0.02,
          "missing_target": 0.005, "absolute": 0.05, "duplicate": 0.001}
_CATEGORIES = np.array(["boots", "shoes", "sandals", "jackets", "trousers", "tents", "backpacks",
                        "socks", "gloves", "hats", "fleeces", "sleeping-bags", "stoves",
                        "headlamps", "poles", "bottles"], dtype=object)
_WORDS = np.array(["waterproof", "lightweight", "insulated", "breathable", "trail", "hiking",
                   "alpine", "merino", "leather", "softshell", "expedition", "thermal"],
                  dtype=object)


def build_map(n_rules: int, seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    """A realistic redirect map of ``n_rules`` rows and the new site's URL list."""
    rng = np.random.default_rng(seed)
    n_dup = int(n_rules * SHARES["duplicate"])
    n = n_rules - n_dup
    ids = pd.Series(np.arange(n)).astype(str)
    category = pd.Series(_CATEGORIES[rng.integers(0, len(_CATEGORIES), n)])
    word = pd.Series(_WORDS[rng.integers(0, len(_WORDS), n)])
    slug = category + "/" + word + "-item-" + ids
    source = ("/products/" + slug + ".html").to_numpy(dtype=object)
    target = ("/shop/" + slug).to_numpy(dtype=object)
    status = np.full(n, 301, dtype=np.int64)
    new_urls = target.copy()

    # Disjoint groups of rows get each defect, so their counts are what SHARES say.
    order = rng.permutation(n)
    cuts = np.cumsum([int(n * SHARES[k]) for k in
                      ("chain", "loop", "homepage", "temporary", "gone", "missing_target")])
    chain, loop, home, temp, gone, missing, clean = np.split(order, cuts)
    loop = loop[: len(loop) // 2 * 2]
    # Chains: point at the source of a clean rule, which then redirects on (2+ hops).
    target[chain] = source[rng.choice(clean, len(chain))]
    # Loops: pairs of rules that point at each other.
    first, second = loop[0::2], loop[1::2]
    target[first], target[second] = source[second], source[first]
    target[home] = "/"
    status[temp] = 302
    status[gone] = 410
    target[gone] = ""
    keep = np.ones(n, dtype=bool)
    keep[missing] = False  # their targets are not pages of the new site: broken_target
    new_urls = [*new_urls[keep].tolist(), "/"]
    absolute = rng.random(n) < SHARES["absolute"]
    source[absolute] = ORIGIN + source[absolute]

    # Duplicate sources: a second rule for an existing source, with another target.
    dup_of = rng.choice(clean, n_dup, replace=False)
    frame = pd.DataFrame({
        "source": np.concatenate([source, source[dup_of]]),
        "target": np.concatenate([target, target[rng.choice(clean, n_dup)]]),
        "status": np.concatenate([status, np.full(n_dup, 301)]),
    })
    return frame, new_urls


def child(n_rules: int, mode: str) -> dict[str, object]:
    """In a fresh process: import kit, build the map, and (``audit``) audit it."""
    import kit.redirects  # noqa: F401  (the baseline includes kit's imports)

    redirects, build_seconds = timed(build_map, n_rules)
    frame, new_urls = redirects
    report: dict[str, object] = {"rules": len(frame), "build_seconds": build_seconds}
    if mode == "audit":
        from kit.redirects import audit_map

        findings, seconds = timed(audit_map, frame, new_urls=new_urls)
        report["audit_seconds"] = seconds
        report["findings"] = {str(k): int(v) for k, v in findings["check"].value_counts().items()}
    return report


def main() -> int:
    print("audit_map scaling and memory; each figure from a fresh process")
    rows = []
    runs = {}
    for n_rules in SIZES:
        base = run_child("benchmarks.bench_audit_map", "--child", str(n_rules), "baseline")
        audit = run_child("benchmarks.bench_audit_map", "--child", str(n_rules), "audit")
        runs[n_rules] = (base, audit)
        print(f"  {n_rules:>9,} rules: audit {audit.result['audit_seconds']:.2f} s, "
              f"peak RSS {audit.peak_rss_mb:,.0f} MB (baseline {base.peak_rss_mb:,.0f} MB); "
              f"findings {audit.result['findings']}", flush=True)
        rows.append([n_rules, audit.result["build_seconds"], audit.result["audit_seconds"],
                     audit.result["audit_seconds"] / n_rules * 1e6, base.peak_rss_mb,
                     audit.peak_rss_mb, audit.peak_rss_mb - base.peak_rss_mb,
                     sum(audit.result["findings"].values())])
    print()
    print_table(["rules", "build s", "audit s", "µs/rule", "baseline RSS MB",
                 "audit RSS MB (total)", "incremental MB", "findings"], rows)

    small, large = SIZES
    scaling = runs[large][1].result["audit_seconds"] / runs[small][1].result["audit_seconds"]
    base_large, audit_large = runs[large]
    print(f"\ntime({large:,}) / time({small:,}) = {scaling:.2f} "
          f"(linear would be {large / small:.0f})")
    targets = Targets("bench_audit_map")
    targets.check("memory at 1M rules", audit_large.peak_rss_mb < MAX_RSS_MB,
                  f"total peak RSS of the audit process {audit_large.peak_rss_mb:,.0f} MB "
                  f"(target < {MAX_RSS_MB} MB); incremental over import+build "
                  f"{audit_large.peak_rss_mb - base_large.peak_rss_mb:,.0f} MB")
    targets.check("linear scaling", scaling <= MAX_SCALING,
                  f"time(1M) / time(100k) = {scaling:.2f} (target <= {MAX_SCALING:g})")
    return targets.finish()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child_report(child(int(sys.argv[2]), sys.argv[3]))
    else:
        sys.exit(main())
