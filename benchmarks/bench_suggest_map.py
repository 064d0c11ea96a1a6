"""suggest_map against PolyFuzz (TF-IDF) and a rapidfuzz loop on 20,000-page relaunches.

Accuracy is top-1 against the generator's true map: a prediction is right when it is
the true new URL, or when both say "no target" (410 / removed page).  PolyFuzz and
rapidfuzz always return a match, so their accuracy among pages that do have a target
is reported too.  Each tool runs in a fresh process per seed, so its peak memory is
its own.  Seeds 101 and 202 are not the ones the matcher was tuned on (0, 1, 7).

Targets: suggest_map top-1 accuracy >= 0.95 on every seed, and suggest_map faster
than PolyFuzz (same run; printed as ``suggest_map / polyfuzz``).  For information, the
same tools on a second generator written apart and never tuned on
(``benchmarks/redesign_docs.py``, a documentation site relaunch), seed 303.

    python benchmarks/bench_suggest_map.py     # or: python -m benchmarks.bench_suggest_map
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd

from benchmarks._common import Targets, child_report, print_table, run_child, timed

SEEDS = (101, 202)
DOCS_SEED = 303  # benchmarks/redesign_docs.py: a second generator, never tuned on
N_PAGES = 20_000
RAPIDFUZZ_SAMPLE = 300
MIN_ACCURACY = 0.95
TOOLS = ("suggest_map", "polyfuzz_url", "polyfuzz_url_title", "rapidfuzz")
LABELS = {
    "suggest_map": "kit suggest_map",
    "polyfuzz_url": "PolyFuzz TF-IDF 3-gram, URL",
    "polyfuzz_url_title": "PolyFuzz TF-IDF 3-gram, URL+title",
    "rapidfuzz": f"rapidfuzz extractOne ratio ({RAPIDFUZZ_SAMPLE} sampled)",
}


def _scores(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float | int]:
    """Top-1 accuracy overall, among pages with a true target, and on removed pages."""
    no_pred = pd.isna(predicted)
    no_truth = pd.isna(truth)
    right = (no_pred & no_truth) | (~no_pred & ~no_truth & (predicted == truth))
    return {
        "pages": len(truth),
        "accuracy": float(right.mean()),
        "accuracy_with_target": float(right[~no_truth].mean()),
        "removed_right": float(right[no_truth].mean()) if no_truth.any() else float("nan"),
    }


def _polyfuzz(old: list[str], new: list[str]) -> list[str | None]:
    import warnings

    warnings.filterwarnings("ignore")
    from polyfuzz import PolyFuzz
    from polyfuzz.models import TFIDF

    model = PolyFuzz(TFIDF(n_gram_range=(3, 3), min_similarity=0, top_n=1)).match(old, new)
    matches = model.get_matches()
    return matches["To"].tolist()


def child(tool: str, seed: int, generator: str = "shop") -> dict[str, object]:
    """One tool on one seed of one generator, in this (fresh) process."""
    from kit.sites import redesign

    if generator == "docs":
        from benchmarks.redesign_docs import docs_redesign

        site = docs_redesign(N_PAGES, seed=seed)
    else:
        site = redesign(N_PAGES, seed=seed)
    truth = site.truth["target"].to_numpy(dtype=object)
    old_urls = site.old["url"].tolist()
    new_urls = site.new["url"].tolist()
    info: dict[str, object] = {"new_pages": len(new_urls), "removed": int(pd.isna(truth).sum())}
    if tool == "suggest_map":
        from kit.redirects import suggest_map

        result, seconds = timed(suggest_map, site.old, site.new)
        result = result.set_index("source").reindex(old_urls)
        predicted = np.where(result["status"].isin([200, 301]), result["target"], None)
        info["status_counts"] = {str(k): int(v) for k, v in result["status"].value_counts().items()}
    elif tool == "polyfuzz_url":
        to, seconds = timed(_polyfuzz, old_urls, new_urls)
        predicted = np.array(to, dtype=object)
    elif tool == "polyfuzz_url_title":
        old_text = (site.old["url"] + " " + site.old["title"]).tolist()
        new_text = (site.new["url"] + " " + site.new["title"]).tolist()
        url_of = dict(zip(new_text, new_urls, strict=True))
        to, seconds = timed(_polyfuzz, old_text, new_text)
        predicted = np.array([url_of.get(text) if isinstance(text, str) else None for text in to],
                             dtype=object)
    elif tool == "rapidfuzz":
        from rapidfuzz import fuzz, process

        sample = np.random.default_rng(seed).choice(len(old_urls), RAPIDFUZZ_SAMPLE, replace=False)

        def loop() -> list[str]:
            return [process.extractOne(old_urls[i], new_urls, scorer=fuzz.ratio)[0] for i in sample]

        found, seconds = timed(loop)
        predicted = np.array(found, dtype=object)
        truth = truth[sample]
        info["sample_seconds"] = seconds
        seconds = seconds * len(old_urls) / len(sample)  # extrapolated to every old page
        info["extrapolated"] = True
    else:
        raise SystemExit(f"unknown tool {tool!r}")
    return {"tool": tool, "seed": seed, "generator": generator, "seconds": seconds,
            **_scores(predicted, truth), **info}


def main() -> int:
    print(f"suggest_map vs PolyFuzz vs rapidfuzz: redesign({N_PAGES:,}) seeds {SEEDS}; "
          "each tool in a fresh process")
    runs: dict[tuple[str, int], dict] = {}
    for seed in SEEDS:
        for tool in TOOLS:
            run = run_child("benchmarks.bench_suggest_map", "--child", tool, str(seed))
            runs[tool, seed] = {**run.result, "rss_mb": run.peak_rss_mb}
            print(f"  seed {seed} {tool:<19} {run.result['seconds']:7.2f} s  "
                  f"accuracy {run.result['accuracy']:.4f}  peak RSS {run.peak_rss_mb:,.0f} MB",
                  flush=True)

    def total(tool: str, key: str) -> float:
        return sum(runs[tool, seed][key] for seed in SEEDS)

    def mean(tool: str, key: str) -> float:
        return total(tool, key) / len(SEEDS)

    accuracy = {tool: mean(tool, "accuracy") for tool in TOOLS}
    best_pf = max(("polyfuzz_url", "polyfuzz_url_title"), key=lambda tool: accuracy[tool])
    base_seconds = total(best_pf, "seconds")

    print()
    print(f"Mean over seeds; time summed over seeds; ratio = time / {best_pf} time "
          "(the more accurate PolyFuzz), same run.")
    print_table(
        ["tool", "top-1 acc", "acc (has target)", "removed→410", "seconds", "ratio",
         "pages/s", "peak RSS MB"],
        [
            [LABELS[tool] + (" *" if tool == best_pf else ""),
             accuracy[tool], mean(tool, "accuracy_with_target"),
             mean(tool, "removed_right") if tool == "suggest_map" else None,
             total(tool, "seconds"), total(tool, "seconds") / base_seconds,
             N_PAGES * len(SEEDS) / total(tool, "seconds"),
             max(runs[tool, seed]["rss_mb"] for seed in SEEDS)]
            for tool in TOOLS
        ],
    )
    print("rapidfuzz: accuracy on the sample, seconds extrapolated to all pages. "
          "Peak RSS is the whole child process (interpreter, libraries, site, tool).")
    print()
    print_table(
        ["seed", "new pages", "removed", "suggest_map acc", "polyfuzz URL acc",
         "polyfuzz URL+title acc", "suggest_map s", "polyfuzz URL s"],
        [[seed, runs["suggest_map", seed]["new_pages"], runs["suggest_map", seed]["removed"],
          runs["suggest_map", seed]["accuracy"], runs["polyfuzz_url", seed]["accuracy"],
          runs["polyfuzz_url_title", seed]["accuracy"], runs["suggest_map", seed]["seconds"],
          runs["polyfuzz_url", seed]["seconds"]] for seed in SEEDS],
    )

    print()
    print(f"Second generator (benchmarks/redesign_docs.py, a documentation site; never tuned "
          f"on), docs_redesign({N_PAGES:,}, seed={DOCS_SEED}):")
    docs_rows = []
    for tool in TOOLS:
        run = run_child("benchmarks.bench_suggest_map", "--child", tool, str(DOCS_SEED), "docs")
        docs_rows.append([LABELS[tool], run.result["accuracy"], run.result["accuracy_with_target"],
                          run.result["removed_right"] if tool == "suggest_map" else None,
                          run.result["seconds"], run.peak_rss_mb])
    print_table(["tool", "top-1 acc", "acc (has target)", "removed→410", "seconds",
                 "peak RSS MB"], docs_rows)
    print("(information, no target: the issue's point is that a second generator scores "
          "lower than the one a matcher was developed on)")

    targets = Targets("bench_suggest_map")
    worst = min(runs["suggest_map", seed]["accuracy"] for seed in SEEDS)
    targets.check("suggest_map accuracy", worst >= MIN_ACCURACY,
                  f"lowest top-1 accuracy over seeds {SEEDS} = {worst:.4f} "
                  f"(target >= {MIN_ACCURACY})")
    ratio = total("suggest_map", "seconds") / base_seconds
    for tool in ("polyfuzz_url", "polyfuzz_url_title"):
        print(f"suggest_map / {tool} = "
              f"{total('suggest_map', 'seconds') / total(tool, 'seconds'):.2f}")
    targets.check("suggest_map faster than PolyFuzz", ratio < 1,
                  f"suggest_map / polyfuzz = {ratio:.2f} "
                  f"({total('suggest_map', 'seconds'):.1f} s vs {base_seconds:.1f} s, {best_pf})")
    return targets.finish()


if __name__ == "__main__":
    if len(sys.argv) in (4, 5) and sys.argv[1] == "--child":
        child_report(child(sys.argv[2], int(sys.argv[3]), *sys.argv[4:]))
    else:
        sys.exit(main())
