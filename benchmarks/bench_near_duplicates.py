"""near_duplicates on 100,000 pages of about 300 words, against datasketch MinHash + MinHashLSH.

The corpus is generated here, seeded: 100,000 texts of 250-350 words drawn from a
Zipf-distributed vocabulary of 20,000 words (so common words and phrases repeat across
pages, as in real text).  Planted in it: 10,000 source pages, each with 1 to 3 variants
made by 0 to 45 random word edits (substitutions, deletions, insertions), so the
variants' resemblance to their source and to each other spreads from 1.0 (exact copies)
to about 0.5.  **Truth**: every pair inside a planted group whose Jaccard resemblance of
word 3-shingles, computed here with Python sets, is >= 0.8.

Measured, each in a fresh process (peak RSS of that process, from the kernel):

* ``near_duplicates`` (kit) on all 100,000 pages: documents per second;
* ``near_duplicate_pairs`` (kit) on all pages: pair recall against the truth, and pair
  precision (a reported pair is right when its Python-computed resemblance is >= 0.8);
* datasketch ``MinHash(num_perm=128)`` over word 3-shingles + ``MinHashLSH(threshold=0.8)``,
  insert and query, on a 5,000-page subsample: documents per second (the baseline).

Each tool runs twice in its process and the faster run counts (these machines are shared
and noisy), for the kit and the baseline alike; CPU times are printed for information.

Targets: recall >= 0.95 and precision >= 0.95; kit docs/s >= 5x datasketch docs/s (same
run); peak RSS of the near_duplicates process < 4 GB.  For information: the same recall
and precision counted on clusters (pairs of pages put in one cluster).

    python benchmarks/bench_near_duplicates.py     # or: python -m benchmarks.bench_near_duplicates
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from benchmarks._common import Targets, child_report, print_table, run_child

N_DOCS = 100_000
N_SOURCES = 10_000
VOCABULARY = 20_000
BASELINE_SAMPLE = 5_000
THRESHOLD = 0.8
SEED = 20_240_611
MIN_RECALL = 0.95
MIN_PRECISION = 0.95
MIN_SPEEDUP = 5.0
MAX_RSS_GB = 4.0
EDITED_LOW = 0.35
EDIT_BUCKETS = ((0.0, 0.05), (0.05, 0.10), (0.10, 0.15), (0.15, 0.20))
MIN_EDITED_RECALL = 0.8
T = TypeVar("T")
REPEATS = 2  # each tool runs this many times in its process; the fastest run counts


def corpus(seed: int = SEED) -> tuple[list[str], list[list[int]]]:
    """The texts and the planted groups (lists of document indices)."""
    texts, groups, _ = corpus_with_edits(seed)
    return texts, groups


def corpus_with_edits(seed: int = SEED) -> tuple[list[str], list[list[int]], dict[int, float]]:
    """The texts, the planted groups, and each variant's share of words edited."""
    rng = np.random.default_rng(seed)
    words = np.array([_word(i) for i in range(VOCABULARY)], dtype=object)
    weights = 1.0 / np.arange(1, VOCABULARY + 1)
    weights /= weights.sum()
    lengths = rng.integers(250, 351, size=N_DOCS)
    ids = rng.choice(VOCABULARY, size=int(lengths.sum()), p=weights)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    docs = [ids[s:s + n].tolist() for s, n in zip(starts, lengths, strict=True)]
    # Planted groups: a source page and 1-3 variants placed at random positions.
    positions = rng.permutation(N_DOCS)
    groups: list[list[int]] = []
    edited: dict[int, float] = {}
    cursor = N_SOURCES
    for source in positions[:N_SOURCES].tolist():
        members = [source]
        for _ in range(int(rng.integers(1, 4))):
            target = int(positions[cursor])
            cursor += 1
            edits = int(rng.integers(0, 46))
            docs[target] = _edit(docs[source], edits, rng)
            edited[target] = edits / len(docs[source])
            members.append(target)
        groups.append(members)
    texts = [" ".join(words[doc]) for doc in docs]
    return texts, groups, edited


def _word(index: int) -> str:
    letters = "etaoinshrdlucmfwypvbgkqjxz"
    out = []
    index += 27
    while index:
        index, rest = divmod(index, 26)
        out.append(letters[rest])
    return "".join(out)


def _edit(doc: list[int], edits: int, rng: np.random.Generator) -> list[int]:
    out = list(doc)
    for _ in range(edits):
        kind = rng.random()
        at = int(rng.integers(0, len(out)))
        if kind < 0.5:
            out[at] = int(rng.integers(0, VOCABULARY))
        elif kind < 0.75 and len(out) > 10:
            del out[at]
        else:
            out.insert(at, int(rng.integers(0, VOCABULARY)))
    return out


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def _jaccard(a: set, b: set) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def best_of(function: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, float, float]:
    """Run ``function`` REPEATS times; its result, the fastest wall time and that run's CPU time.

    The machines are shared and noisy; like ``timeit``, the fastest run is the one least
    disturbed by other processes.  Both tools are measured the same way.
    """
    best = (float("inf"), 0.0)
    result: Any = None
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args, **kwargs)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        best = min(best, (wall, cpu))
    return result, best[0], best[1]


def child(mode: str) -> dict[str, object]:
    """One measurement in this (fresh) process."""
    import pandas as pd

    texts, _ = corpus()
    urls = [f"https://shop.example/page/{i}" for i in range(N_DOCS)]
    pages = pd.DataFrame({"url": urls, "text": texts})
    if mode == "near_duplicates":
        from kit.duplicates import near_duplicates

        clusters, seconds, cpu = best_of(near_duplicates, pages, threshold=THRESHOLD,
                                         policy="strict")
        index = clusters["url"].str.rsplit("/", n=1).str[-1].astype(int).to_numpy()
        labels = np.empty(N_DOCS, dtype=np.int64)
        labels[index] = clusters["cluster"].to_numpy()
        return {"mode": mode, "seconds": seconds, "cpu": cpu, "docs": N_DOCS,
                "labels": labels.tolist()}
    if mode == "pairs":
        from kit.duplicates import near_duplicate_pairs

        pairs, seconds, cpu = best_of(near_duplicate_pairs, pages, threshold=THRESHOLD)
        a = pairs["url_a"].str.rsplit("/", n=1).str[-1].astype(int).tolist()
        b = pairs["url_b"].str.rsplit("/", n=1).str[-1].astype(int).tolist()
        return {"mode": mode, "seconds": seconds, "cpu": cpu, "docs": N_DOCS, "pairs": [a, b]}
    if mode == "edited":
        from kit.duplicates import find_duplicates
        from kit.duplicates.sketch import exact_groups

        def both_stages() -> tuple[Any, Any]:
            report = find_duplicates(pages, threshold=THRESHOLD, policy="strict")
            return report, report.edited_copies(EDITED_LOW)

        (report, edited), seconds, cpu = best_of(both_stages)
        a = edited["url_a"].str.rsplit("/", n=1).str[-1].astype(int).tolist()
        b = edited["url_b"].str.rsplit("/", n=1).str[-1].astype(int).tolist()
        return {"mode": mode, "seconds": seconds, "cpu": cpu, "docs": N_DOCS, "pairs": [a, b],
                "rep": exact_groups(report.sketch).tolist()}
    if mode == "datasketch":
        from datasketch import MinHash, MinHashLSH

        sample = np.random.default_rng(SEED).choice(N_DOCS, BASELINE_SAMPLE, replace=False)
        chosen = [texts[i] for i in sample]

        def run() -> set[tuple[int, int]]:
            lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
            sketches = []
            for key, text in enumerate(chosen):
                words = text.lower().split()
                grams = {" ".join(words[i:i + 3]).encode("utf-8")
                         for i in range(max(1, len(words) - 2))}
                sketch = MinHash(num_perm=128)
                sketch.update_batch(list(grams))
                lsh.insert(key, sketch)
                sketches.append(sketch)
            found = set()
            for key, sketch in enumerate(sketches):
                for other in lsh.query(sketch):
                    if other != key:
                        found.add((min(key, other), max(key, other)))
            return found

        found, seconds, cpu = best_of(run)
        return {"mode": mode, "seconds": seconds, "cpu": cpu, "docs": BASELINE_SAMPLE,
                "candidates": len(found)}
    raise SystemExit(f"unknown mode {mode!r}")


def main() -> int:
    print(f"near_duplicates vs datasketch: {N_DOCS:,} pages of 250-350 words, "
          f"{N_SOURCES:,} planted groups; threshold {THRESHOLD}")
    runs = {}
    for mode in ("datasketch", "near_duplicates", "pairs", "edited"):
        run = run_child("benchmarks.bench_near_duplicates", "--child", mode, timeout=1800)
        runs[mode] = run
        print(f"  {mode:<16} {run.result['seconds']:8.2f} s (CPU {run.result['cpu']:.2f} s) on "
              f"{run.result['docs']:,} docs, fastest of {REPEATS}  peak RSS "
              f"{run.peak_rss_mb:,.0f} MB", flush=True)

    texts, groups, edit_rate = corpus_with_edits()
    shingles: dict[int, set] = {}

    def sh(i: int) -> set:
        if i not in shingles:
            shingles[i] = _shingles(texts[i])
        return shingles[i]

    truth: set[tuple[int, int]] = set()
    planted_low = 0
    for group in groups:
        for x in range(len(group)):
            for y in range(x + 1, len(group)):
                a, b = sorted((group[x], group[y]))
                if _jaccard(sh(a), sh(b)) >= THRESHOLD:
                    truth.add((a, b))
                else:
                    planted_low += 1
    a_list, b_list = runs["pairs"].result["pairs"]
    reported = set(zip(a_list, b_list, strict=True))
    correct = sum(1 for a, b in reported
                  if (a, b) in truth or _jaccard(sh(a), sh(b)) >= THRESHOLD)
    unplanted = sum(1 for pair in reported if pair not in truth)
    recall = len(truth & reported) / len(truth)
    precision = correct / len(reported) if reported else 0.0

    labels = np.asarray(runs["near_duplicates"].result["labels"])
    cluster_recall = sum(labels[a] == labels[b] for a, b in truth) / len(truth)
    together = [(a, b) for group in groups for a in group for b in group
                if a < b and labels[a] == labels[b]]
    sizes = np.bincount(labels)
    cluster_pairs = int((sizes * (sizes - 1) // 2).sum())
    cluster_correct = sum(1 for a, b in together if _jaccard(sh(a), sh(b)) >= THRESHOLD)
    cluster_precision = cluster_correct / cluster_pairs if cluster_pairs else 0.0

    base = runs["datasketch"].result
    base_rate = base["docs"] / base["seconds"]
    kit = runs["near_duplicates"].result
    kit_rate = kit["docs"] / kit["seconds"]
    pairs_rate = runs["pairs"].result["docs"] / runs["pairs"].result["seconds"]
    rss_gb = runs["near_duplicates"].peak_rss_bytes / 1024**3

    print()
    print(f"truth: {len(truth):,} planted pairs with resemblance >= {THRESHOLD} "
          f"({planted_low:,} planted pairs fall below it and must not be reported)")
    print_table(
        ["tool", "docs", "seconds", "docs/s", "ratio", "pair recall", "pair precision",
         "peak RSS MB"],
        [
            ["datasketch MinHash128 + LSH *", base["docs"], base["seconds"], base_rate, 1.0,
             None, None, runs["datasketch"].peak_rss_mb],
            ["kit near_duplicates", kit["docs"], kit["seconds"], kit_rate, kit_rate / base_rate,
             cluster_recall, cluster_precision, runs["near_duplicates"].peak_rss_mb],
            ["kit near_duplicate_pairs", kit["docs"], runs["pairs"].result["seconds"],
             pairs_rate, pairs_rate / base_rate, recall, precision,
             runs["pairs"].peak_rss_mb],
        ],
    )
    cpu_ratio = (kit["docs"] / kit["cpu"]) / (base["docs"] / base["cpu"])
    print("* baseline on a random 5,000-page subsample (same corpus); ratio = docs/s over the "
          f"baseline's docs/s, same run, fastest of {REPEATS} runs each (wall clock). "
          f"On CPU time the near_duplicates ratio is {cpu_ratio:.1f}x.")
    print(f"near_duplicates row: recall/precision over pairs put in one cluster (information: "
          f"clusters join chains of near-duplicates, {len(together):,} planted pairs together).")
    print(f"near_duplicate_pairs: {len(reported):,} pairs reported, {unplanted:,} outside the "
          "planted truth (checked with Python sets).")
    # Edited copies: each planted (source, variant) pair, by the share of words edited.
    rep = np.asarray(runs["edited"].result["rep"])
    ea, eb = runs["edited"].result["pairs"]
    edited_found = set(zip(ea, eb, strict=True))
    group_of = {doc: number for number, group in enumerate(groups) for doc in group}
    edited_right = sum(1 for a, b in edited_found if group_of.get(a, -1) == group_of.get(b, -2))
    edited_precision = edited_right / len(edited_found) if edited_found else 0.0

    def found_pair(a: int, b: int) -> bool:
        ra, rb = int(rep[a]), int(rep[b])
        return (ra == rb >= 0) or (min(a, b), max(a, b)) in reported \
            or (min(ra, rb), max(ra, rb)) in edited_found
    bucket_rows, bucket_recall = [], {}
    for low, high in EDIT_BUCKETS:
        planted = [(group[0], variant) for group in groups for variant in group[1:]
                   if low <= edit_rate[variant] < high]
        hit = sum(found_pair(a, b) for a, b in planted)
        bucket_recall[low, high] = hit / len(planted) if planted else float("nan")
        bucket_rows.append([f"{low:.0%}-{high:.0%}", len(planted), bucket_recall[low, high]])
    edited_run = runs["edited"].result
    edited_rate = edited_run["docs"] / edited_run["seconds"]
    print()
    print(f"Edited copies (second stage, resemblance >= {EDITED_LOW} and < {THRESHOLD}): "
          f"{len(edited_found):,} pairs, precision {edited_precision:.4f} (a pair is right when "
          f"both pages are in one planted group); both stages {edited_rate:,.0f} docs/s = "
          f"{edited_rate / base_rate:.1f}x datasketch.  Recall of planted (source, variant) "
          "pairs found by either stage, by share of words edited:")
    print_table(["words edited", "planted pairs", "recall"], bucket_rows)
    targets = Targets("bench_near_duplicates")
    for (low, high), value in bucket_recall.items():
        if high <= 0.15 + 1e-9:
            targets.check(f"edited-copy recall {low:.0%}-{high:.0%}", value >= MIN_EDITED_RECALL,
                          f"{value:.4f} (target >= {MIN_EDITED_RECALL})")
    targets.check("edited-copy precision", edited_precision >= MIN_PRECISION,
                  f"{edited_precision:.4f} (target >= {MIN_PRECISION})")
    targets.check("speed of both stages vs datasketch", edited_rate >= MIN_SPEEDUP * base_rate,
                  f"{edited_rate:,.0f} docs/s = {edited_rate / base_rate:.1f}x "
                  f"(target >= {MIN_SPEEDUP}x)")
    targets.check("pair recall", recall >= MIN_RECALL, f"{recall:.4f} (target >= {MIN_RECALL})")
    targets.check("pair precision", precision >= MIN_PRECISION,
                  f"{precision:.4f} (target >= {MIN_PRECISION})")
    targets.check("speed vs datasketch", kit_rate >= MIN_SPEEDUP * base_rate,
                  f"{kit_rate:,.0f} docs/s vs {base_rate:,.0f} docs/s = "
                  f"{kit_rate / base_rate:.1f}x (target >= {MIN_SPEEDUP}x)")
    targets.check("peak memory", rss_gb < MAX_RSS_GB,
                  f"{rss_gb:.2f} GB peak RSS of the near_duplicates process "
                  f"(target < {MAX_RSS_GB} GB)")
    return targets.finish()


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        child_report(child(sys.argv[2]))
    else:
        sys.exit(main())
