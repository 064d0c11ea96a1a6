"""classify_sessions on 10,000,000 sessions, against the per-row reference of the same rules.

The session log is generated here, seeded: source, medium and campaign drawn (Zipf-like)
from realistic values — search, social, shopping and video sites, referrers, typos and
case variants ("Email", "e-mail", "CPC"), empty values — about 6,000 distinct
combinations, as a real property has.  It then goes through :func:`load_sessions`, as a
file would: blank values become "(not set)" and source, medium and campaign become
categorical columns (a small integer per row), which is how the kit holds a session log.

Measured:

* ``classify_sessions`` (kit) on the loaded 10,000,000 rows, in a fresh process: rows per
  second and that process's peak RSS.  For information, the same process also times
  ``load_sessions`` (text → categorical labels, once per file) and ``classify_sessions``
  on the loaded values as plain text columns (what a caller who skips ``load_sessions``
  pays), and checks both classifications agree;
* the baseline: :func:`kit.tracking.default_channel` called row by row in Python (the same
  rules, one session at a time) on the first 1,000,000 rows of the same data, in this
  process, its values taken out of pandas into lists beforehand: rows per second; the
  kit's output on that sample must be identical;
* a stricter per-row baseline: the same loop remembering each combination already seen
  (the issue's "about 1 million rows/s" per-row implementation).

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
    """The seeded session log as text columns (see module doc)."""
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


def _best(call, repeats: int) -> tuple[object, float]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return result, best


def child() -> dict[str, float]:
    from kit.tracking import classify_sessions, load_sessions

    text = sessions(ROWS)
    start = time.perf_counter()
    loaded = load_sessions(text).sessions
    load_seconds = time.perf_counter() - start
    del text
    result, seconds = _best(lambda: classify_sessions(loaded), 3)
    # The same values as plain text columns (str dtype), as a caller might pass them.
    text = pd.DataFrame({name: loaded[name].astype(str) for name in ("source", "medium",
                                                                      "campaign")})
    from_text, text_seconds = _best(lambda: classify_sessions(text), 2)
    return {"seconds": seconds, "rows": len(result), "load_seconds": load_seconds,
            "text_seconds": text_seconds,
            "agree": bool(np.array_equal(result.cat.codes, from_text.cat.codes))}


def main() -> int:
    from kit.tracking import classify_sessions, default_channel, load_sessions

    sample = load_sessions(sessions(ROWS).head(SAMPLE)).sessions
    columns = [sample[name].tolist() for name in ("source", "medium", "campaign")]
    start = time.perf_counter()
    expected = [default_channel(s, m, c) for s, m, c in zip(*columns, strict=True)]
    base_seconds = time.perf_counter() - start
    # The stricter per-row baseline: the same rules, one row at a time, but remembering
    # each (source, medium, campaign) already seen, as a careful Python loop would.
    start = time.perf_counter()
    memo: dict[tuple[str, str, str], str] = {}
    remembered = []
    for row in zip(*columns, strict=True):
        channel = memo.get(row)
        if channel is None:
            channel = memo[row] = default_channel(*row)
        remembered.append(channel)
    memo_seconds = time.perf_counter() - start
    got = classify_sessions(sample).astype(str).tolist()
    identical = got == expected == remembered
    run = run_child("benchmarks.bench_classify", "--child")
    rows = run.result["rows"]
    kit_rate = rows / run.result["seconds"]
    text_rate = rows / run.result["text_seconds"]
    base_rate = SAMPLE / base_seconds
    memo_rate = SAMPLE / memo_seconds
    print_table(["implementation", "rows", "seconds", "rows/s", "ratio"], [
        ("per-row default_channel (baseline)", SAMPLE, base_seconds, base_rate, 1.0),
        ("per-row, memoised per combination", SAMPLE, memo_seconds, memo_rate,
         memo_rate / base_rate),
        ("classify_sessions (kit), loaded log", rows, run.result["seconds"], kit_rate,
         kit_rate / base_rate),
        ("  for information: on plain text columns", rows, run.result["text_seconds"],
         text_rate, text_rate / base_rate),
        ("  for information: load_sessions (text -> labels)", rows,
         run.result["load_seconds"], rows / run.result["load_seconds"], "-")])
    targets = Targets("bench_classify")
    targets.check("speed", kit_rate >= 10 * base_rate,
                  f"{kit_rate / base_rate:.1f}x the per-row baseline's rows/s (target >= 10x)")
    targets.check("speed vs memoised", kit_rate >= 10 * memo_rate,
                  f"{kit_rate / memo_rate:.1f}x the memoised per-row loop's rows/s "
                  f"(target >= 10x; on plain text columns {text_rate / memo_rate:.1f}x)")
    targets.check("identical", identical and run.result["agree"],
                  f"{SAMPLE:,}-row sample: kit == per-row reference; 10,000,000 rows: loaded "
                  "log == plain text columns")
    targets.check("memory", run.peak_rss_bytes < 4 * 1024**3,
                  f"peak RSS {run.peak_rss_mb:,.0f} MB (target < 4,096 MB)")
    return targets.finish()


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        child_report(child())
    else:
        raise SystemExit(main())
