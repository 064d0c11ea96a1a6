"""classify_sessions on 10,000,000 sessions, against the per-row reference of the same rules.

The session log is generated here, seeded: source, medium and campaign drawn (Zipf-like)
from realistic values — search, social, shopping and video sites, referrers, typos and
case variants ("Email", "e-mail", "CPC"), empty values — about 6,000 distinct
combinations, as a real property has.

Measured:

* ``classify_sessions`` (kit) on all 10,000,000 rows, in a fresh process: rows per second
  and that process's peak RSS;
* the baseline: :func:`kit.tracking.default_channel` called row by row in Python (the same
  rules, one session at a time) on a 1,000,000-row sample of the same data, in this process:
  rows per second; and the kit's output on that sample, which must be identical;
* a stricter per-row baseline: the same loop remembering each combination already seen.

Targets: kit rows/s >= 10x each baseline's rows/s (same run); identical output on the
sample; peak RSS of the kit process < 4 GB.

    python benchmarks/bench_classify.py     # or: python -m benchmarks.bench_classify
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd

from benchmarks._common import Targets, child_report, print_table, run_child

ROWS = 10_000_000
SAMPLE = 1_000_000
SEED = 4
_SOURCES = ["google", "Google", "bing", "duckduckgo", "facebook", "m.facebook.com", "fb",
            "instagram", "l.instagram.com", "linkedin", "t.co", "youtube", "amazon", "ebay",
            "newsletter", "Newsletter", "(direct)", "hikingblog.example", "partner", "sms",
            "firebase", "Bing Ads", "adwords", "trailnews", "email", "", None]
_MEDIUMS = ["organic", "cpc", "CPC", "ppc", "paid_social", "social", "Social", "referral",
            "(none)", "(not set)", "email", "Email", "e-mail", "display", "banner", "cpm",
            "affiliate", "audio", "sms", "web-push", "video", "newsletter", "banner_ad", "link",
            "", None]


def sessions(rows: int, seed: int = SEED) -> pd.DataFrame:
    """The seeded session log (see module doc)."""
    rng = np.random.default_rng(seed)
    campaigns = ["(direct)", "(organic)", "(referral)", "(not set)", "spring_sale",
                 "Spring_Sale", "shop_launch", "pmax cross-network", "brand", "workshop"]
    campaigns += [f"campaign_{i}" for i in range(20)]

    def draw(values: list[str | None]) -> np.ndarray:
        weights = 1.0 / np.arange(1, len(values) + 1)
        picks = rng.choice(len(values), size=rows, p=weights / weights.sum())
        return np.asarray(values, dtype=object)[picks]

    return pd.DataFrame({"source": draw(_SOURCES), "medium": draw(_MEDIUMS),
                         "campaign": draw(campaigns)})


def child() -> dict[str, float]:
    from kit.tracking import classify_sessions

    frame = sessions(ROWS)
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        result = classify_sessions(frame)
        best = min(best, time.perf_counter() - start)
    return {"seconds": best, "rows": len(result)}


def main() -> int:
    from kit.tracking import classify_sessions, default_channel

    sample = sessions(SAMPLE)
    start = time.perf_counter()
    expected = [default_channel(s, m, c) for s, m, c in
                zip(sample["source"], sample["medium"], sample["campaign"], strict=True)]
    base_seconds = time.perf_counter() - start
    # The stricter per-row baseline: the same rules, one row at a time, but remembering
    # each (source, medium, campaign) already seen, as a careful Python loop would.
    start = time.perf_counter()
    memo: dict[tuple[object, object, object], str] = {}
    remembered = []
    for row in zip(sample["source"], sample["medium"], sample["campaign"], strict=True):
        channel = memo.get(row)
        if channel is None:
            channel = memo[row] = default_channel(*row)
        remembered.append(channel)
    memo_seconds = time.perf_counter() - start
    got = classify_sessions(sample).astype(str).tolist()
    identical = got == expected == remembered
    run = run_child("benchmarks.bench_classify", "--child")
    kit_rate = run.result["rows"] / run.result["seconds"]
    base_rate = SAMPLE / base_seconds
    memo_rate = SAMPLE / memo_seconds
    print_table(["implementation", "rows", "seconds", "rows/s", "ratio"], [
        ("per-row default_channel (baseline)", SAMPLE, base_seconds, base_rate, 1.0),
        ("per-row, memoised per combination", SAMPLE, memo_seconds, memo_rate,
         memo_rate / base_rate),
        ("classify_sessions (kit)", run.result["rows"], run.result["seconds"], kit_rate,
         kit_rate / base_rate)])
    targets = Targets("bench_classify")
    targets.check("speed", kit_rate >= 10 * base_rate,
                  f"{kit_rate / base_rate:.1f}x the per-row baseline's rows/s (target >= 10x)")
    targets.check("speed vs memoised", kit_rate >= 10 * memo_rate,
                  f"{kit_rate / memo_rate:.1f}x the memoised per-row loop's rows/s "
                  "(target >= 10x)")
    targets.check("identical", identical, f"{SAMPLE:,}-row sample: kit == per-row reference")
    targets.check("memory", run.peak_rss_bytes < 4 * 1024**3,
                  f"peak RSS {run.peak_rss_mb:,.0f} MB (target < 4,096 MB)")
    return targets.finish()


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        child_report(child())
    else:
        raise SystemExit(main())
