"""Which URLs are one page: clusters of exact, near-duplicate and URL-variant pages.

Two pages land in one cluster when

* their texts are the same token sequence (**exact** duplicates), or
* their word 3-shingle sets have a Jaccard resemblance of at least ``threshold``
  (**near** duplicates; Broder 1997), found at site scale by MinHash + LSH and
  verified exactly (:mod:`kit.duplicates.sketch`), or
* their URLs normalise to the same URL under the site's policy (**URL variants**:
  tracking parameters, session ids, ``http``/``https`` ...; :mod:`kit.duplicates.normalize`),

and clusters are joined through shared members.  Each cluster gets one recommended
**canonical** URL: prefer a page that answers 200, is indexable, has a clean URL (no
query, already normalised), is declared canonical by the others, has the most internal
links in, and the shortest URL (Google Search Central, "How to specify a canonical URL
with rel="canonical" and other methods": pick one URL and point every signal at it).

**Edited copies** (a page reworded in 5-15 % of its words keeps a resemblance of only
about 0.45-0.75) are a second, looser stage kept out of the clusters:
:func:`edited_copies` and :meth:`DuplicateReport.edited_copies` list the pairs whose
resemblance is at least ``low`` (default :data:`~kit.duplicates.sketch.EDITED_THRESHOLD`)
but below the near-duplicate threshold, with the share of words changed it suggests.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from kit.duplicates.canonical import canonical_key
from kit.duplicates.findings import report_findings
from kit.duplicates.normalize import NormalizationPolicy, normalize_urls, resolve_policy
from kit.duplicates.pages import Pages, PagesSource, load_pages
from kit.duplicates.sketch import (
    EDITED_THRESHOLD,
    TextSketch,
    candidate_pairs,
    edit_share,
    edited_pairs,
    exact_groups,
    jaccard,
    similar_pairs,
    sketch_texts,
)
from kit.errors import InputError
from kit.results import Result

__all__ = [
    "CLUSTER_COLUMNS",
    "EDITED_COLUMNS",
    "KINDS",
    "MAX_THRESHOLD",
    "MIN_THRESHOLD",
    "DuplicateReport",
    "duplicate_findings",
    "edited_copies",
    "find_duplicates",
    "near_duplicate_pairs",
    "near_duplicates",
]

MIN_THRESHOLD = 0.3
MAX_THRESHOLD = 1.0
CLUSTER_COLUMNS: tuple[str, ...] = (
    "url", "cluster", "canonical", "similarity", "kind", "size", "normalized", "status", "problem",
)
EDITED_COLUMNS: tuple[str, ...] = ("url_a", "url_b", "similarity", "words_changed")
KINDS: dict[str, str] = {
    "canonical": "the page recommended as the canonical of its cluster",
    "exact": "same text as the canonical (after case, spacing and punctuation)",
    "near": "text resembles the canonical's (or another member's) at or above the threshold",
    "url_variant": "its URL normalises to the canonical's URL under the site's policy",
    "unique": "no duplicate found: a page of its own",
}


def _check_threshold(threshold: object) -> float:
    try:
        value = float(threshold)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"threshold {threshold!r} is not a number.",
                         hint="Use a resemblance between 0.3 and 1, e.g. 0.8.") from None
    if not MIN_THRESHOLD <= value <= MAX_THRESHOLD:
        raise InputError(
            f"threshold {value} is outside {MIN_THRESHOLD}-{MAX_THRESHOLD}.",
            hint="0.8 is usual for near-duplicate pages; below 0.3 nearly every page of a "
                 "site resembles every other through its shared wording.",
        )
    return value


@dataclass(frozen=True)
class DuplicateReport(Result):
    """Everything :func:`find_duplicates` worked out, for tables, findings and charts.

    ``clusters`` is what :func:`near_duplicates` returns (one row per page, see
    :data:`CLUSTER_COLUMNS`); ``findings`` the same in the shared findings shape, with
    the fix in both languages; ``summary`` the headline numbers.
    """

    pages: Pages
    clusters: pd.DataFrame
    threshold: float
    policy: NormalizationPolicy
    sketch: TextSketch

    @property
    def summary(self) -> dict[str, int | float | str]:
        """URLs, real pages (clusters), duplicate URLs by kind, and their share."""
        frame = self.clusters
        urls = len(frame)
        real = int(frame["cluster"].nunique()) if urls else 0
        kinds = frame["kind"].value_counts()
        return {
            "urls": urls,
            "real_pages": real,
            "duplicate_urls": urls - real,
            "exact": int(kinds.get("exact", 0)),
            "near": int(kinds.get("near", 0)),
            "url_variant": int(kinds.get("url_variant", 0)),
            "duplicate_share": round((urls - real) / urls, 3) if urls else 0.0,
            "clusters_with_duplicates": int((frame.loc[frame["size"] > 1, "cluster"]).nunique()),
            "threshold": self.threshold,
            "policy": self.policy.name,
        }

    @cached_property
    def findings(self) -> pd.DataFrame:
        """The clusters as findings (see :func:`kit.duplicates.duplicate_findings`)."""
        return report_findings(self.clusters, self.pages, threshold=self.threshold)

    def edited_copies(self, low: float = EDITED_THRESHOLD) -> pd.DataFrame:
        """Pairs of pages that look like edited copies of each other: resemblance at least
        ``low`` but below the report's threshold (see :func:`edited_copies`)."""
        urls = self.pages.frame["url"].to_numpy(dtype=object)
        return _edited_frame(urls, self.sketch, _check_threshold(low), self.threshold)

    def duplicates(self) -> pd.DataFrame:
        """Only the pages in clusters of two or more, biggest clusters first."""
        return self.clusters[self.clusters["size"] > 1].reset_index(drop=True)

    def __repr__(self) -> str:
        s = self.summary
        return (f"DuplicateReport(urls={s['urls']}, real_pages={s['real_pages']}, "
                f"duplicate_urls={s['duplicate_urls']}, threshold={self.threshold}, "
                f"policy={self.policy.name!r})")

    def summary_rows(self) -> list[tuple[str, str]]:
        s = self.summary
        return [
            ("URLs", f"{s['urls']:,}"),
            ("real pages (clusters)", f"{s['real_pages']:,}"),
            ("duplicate URLs", f"{s['duplicate_urls']:,} ({s['duplicate_share']:.0%})"),
            ("… exact copies", f"{s['exact']:,}"),
            ("… near-duplicates", f"{s['near']:,}"),
            ("… URL variants", f"{s['url_variant']:,}"),
            ("clusters with duplicates", f"{s['clusters_with_duplicates']:,}"),
        ]

    def summary_caption(self) -> str:
        return (f"Duplicates at resemblance ≥ {self.threshold:g}, "
                f"policy {html.escape(self.policy.name)}")


def _canonical_order(frame: pd.DataFrame, labels: np.ndarray, normalized: list[str | None],
                     origin: str | None) -> np.ndarray:
    """Index of the recommended canonical page of each component."""
    n = len(frame)
    status = frame["status"].to_numpy(dtype=object)
    status_rank = np.array([0 if s == 200 else (1 if s is None else 2) for s in status])
    not_indexable = ~frame["indexable"].to_numpy(dtype=bool)
    urls = frame["url"].tolist()
    valid = np.array([u is not None and v is not None for u, v in zip(urls, normalized,
                                                                      strict=True)])
    clean = np.array([v is not None and u == v and "?" not in v
                      for u, v in zip(urls, normalized, strict=True)])
    # Votes: how many pages of the same component declare this page canonical.
    votes = np.zeros(n, dtype=np.int64)
    declared = frame["canonical"].tolist()
    if any(d is not None for d in declared):
        key_of: dict[str, int] = {}
        for index, url in enumerate(urls):
            if url is not None:
                key_of.setdefault(canonical_key(url, origin), index)
        for index, target in enumerate(declared):
            if target is None:
                continue
            hit = key_of.get(canonical_key(target, origin))
            if hit is not None and hit != index and labels[hit] == labels[index]:
                votes[hit] += 1
    inlinks = frame["inlinks"].to_numpy(dtype=np.int64)
    length = np.array([len(u) if u is not None else 1 << 30 for u in urls])
    text_rank = pd.factorize(pd.Series(urls, dtype=object).fillna(""), sort=True)[0]
    order = np.lexsort((text_rank, length, -inlinks, -votes, ~clean, ~valid, not_indexable,
                        status_rank, labels))
    first = np.empty(labels.max() + 1 if n else 0, dtype=np.int64)
    ordered_labels = labels[order]
    head = np.ones(n, dtype=bool)
    head[1:] = ordered_labels[1:] != ordered_labels[:-1]
    first[ordered_labels[head]] = order[head]
    return first


def find_duplicates(
    pages: PagesSource | Pages,
    *,
    threshold: float = 0.8,
    policy: str | NormalizationPolicy = "typical",
    origin: str | None = None,
) -> DuplicateReport:
    """Cluster ``pages`` into real pages and recommend a canonical URL for each.

    ``pages``: a DataFrame (``url`` and ``text`` or ``html``; optional ``status``,
    ``canonical``, ``inlinks``, ``indexable``), a crawl CSV, a folder of HTML files or a
    list of dicts (see :func:`kit.duplicates.load_pages`).  ``threshold``: the lowest
    Jaccard resemblance of word 3-shingles that counts as a near-duplicate.  ``policy``:
    ``strict``, ``typical``, ``aggressive`` or a :class:`NormalizationPolicy`.
    """
    level = _check_threshold(threshold)
    rules = resolve_policy(policy)
    loaded = pages if isinstance(pages, Pages) else load_pages(pages, origin=origin)
    frame = loaded.frame
    n = len(frame)
    sketch = sketch_texts(frame["text"].tolist())
    rep = exact_groups(sketch)
    reps = np.flatnonzero(rep == np.arange(n))
    a, b = candidate_pairs(sketch, level, among=reps)
    sim = jaccard(sketch, a, b)
    near = sim >= level
    a, b = a[near], b[near]
    members = np.flatnonzero((rep >= 0) & (rep != np.arange(n)))
    normalized = normalize_urls(frame["url"].tolist(), policy=rules,
                                origin=origin or loaded.origin)
    codes, _ = pd.factorize(pd.Series(normalized, dtype=object), use_na_sentinel=True)
    has_code = np.flatnonzero(codes >= 0)
    first_of = np.full(codes.max() + 1 if has_code.size else 0, -1, dtype=np.int64)
    # The first page with each normalised URL: assign in reverse so the lowest index wins.
    first_of[codes[has_code][::-1]] = has_code[::-1]
    variant = has_code[first_of[codes[has_code]] != has_code]
    src = np.concatenate([a, members, variant])
    dst = np.concatenate([b, rep[members], first_of[codes[variant]]])
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
    _, labels = connected_components(graph, directed=False) if n else (0, np.zeros(0, int))
    labels = np.asarray(labels, dtype=np.int64)
    canonical_of = _canonical_order(frame, labels, normalized, origin or loaded.origin) \
        if n else np.zeros(0, dtype=np.int64)
    canon = canonical_of[labels] if n else np.zeros(0, dtype=np.int64)
    sizes = np.bincount(labels, minlength=labels.max() + 1 if n else 0)
    size = sizes[labels] if n else np.zeros(0, dtype=np.int64)

    similarity = np.ones(n)
    others = np.flatnonzero(canon != np.arange(n))
    if others.size:
        similarity[others] = jaccard(sketch, others, canon[others])
    empty = sketch.tokens == 0
    similarity[empty] = np.nan
    similarity[empty & (canon == np.arange(n))] = np.nan

    normal = np.array(normalized, dtype=object)
    kind = np.full(n, "unique", dtype=object)
    kind[size > 1] = "near"
    same_url = np.array([x is not None and x == y for x, y in zip(normal, normal[canon],
                                                                  strict=True)])
    kind[(size > 1) & (rep >= 0) & (rep == rep[canon])] = "exact"
    kind[(size > 1) & same_url] = "url_variant"
    kind[(size > 1) & (canon == np.arange(n))] = "canonical"

    # Cluster numbers: biggest clusters first, then by canonical URL.
    urls = frame["url"].to_numpy(dtype=object)
    roots = np.unique(canon)
    root_table = pd.DataFrame({"root": roots, "size": sizes[labels[roots]],
                               "url": pd.Series(urls[roots], dtype=object).fillna("")})
    root_table = root_table.sort_values(["size", "url"], ascending=[False, True],
                                        kind="stable")
    number = pd.Series(np.arange(1, len(roots) + 1), index=root_table["root"].to_numpy())
    cluster = number.reindex(canon).to_numpy() if n else np.zeros(0, dtype=np.int64)

    clusters = pd.DataFrame({
        "url": pd.Series(urls, dtype=object),
        "cluster": cluster.astype(np.int64),
        "canonical": pd.Series(urls[canon], dtype=object),
        "similarity": np.round(similarity, 3),
        "kind": pd.Series(kind, dtype=object),
        "size": size.astype(np.int64),
        "normalized": pd.Series(normal, dtype=object),
        "status": frame["status"].astype(object),
        "problem": frame["problem"].astype(object),
    })
    kind_rank = clusters["kind"].map({"canonical": 0, "unique": 0, "url_variant": 1,
                                      "exact": 2, "near": 3})
    clusters = clusters.assign(_rank=kind_rank, _sim=-clusters["similarity"].fillna(-1.0))
    clusters = clusters.sort_values(["cluster", "_rank", "_sim", "url"], kind="stable")
    clusters = clusters.drop(columns=["_rank", "_sim"]).reset_index(drop=True)
    return DuplicateReport(pages=loaded, clusters=clusters, threshold=level, policy=rules,
                           sketch=sketch)


def near_duplicates(
    pages: PagesSource | Pages,
    *,
    threshold: float = 0.8,
    policy: str | NormalizationPolicy = "typical",
    origin: str | None = None,
) -> pd.DataFrame:
    """One row per page: ``url, cluster, canonical, similarity`` (+ ``kind, size,
    normalized, status, problem``).

    ``cluster`` numbers the real pages (biggest clusters first); ``canonical`` is the
    URL recommended for the cluster; ``similarity`` is the Jaccard resemblance of the
    page's word 3-shingles to the canonical's (1.0 for the canonical, empty when a page
    has no text); ``kind`` says how the page joined: see :data:`KINDS`.  Arguments as
    for :func:`find_duplicates`.
    """
    return find_duplicates(pages, threshold=threshold, policy=policy, origin=origin).clusters


def near_duplicate_pairs(
    pages: PagesSource | Pages, *, threshold: float = 0.8, origin: str | None = None
) -> pd.DataFrame:
    """Every pair of pages whose texts resemble at or above ``threshold``:
    ``url_a, url_b, similarity`` (exact copies have 1.0), most similar first."""
    level = _check_threshold(threshold)
    loaded = pages if isinstance(pages, Pages) else load_pages(pages, origin=origin)
    a, b, sim = similar_pairs(loaded.frame["text"].tolist(), threshold=level)
    urls = loaded.frame["url"].to_numpy(dtype=object)
    pairs = pd.DataFrame({"url_a": pd.Series(urls[a], dtype=object),
                          "url_b": pd.Series(urls[b], dtype=object),
                          "similarity": np.round(sim, 3)})
    return pairs.sort_values(["similarity", "url_a", "url_b"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)


def _edited_frame(urls: np.ndarray, sketch: TextSketch, low: float, high: float) -> pd.DataFrame:
    rep = exact_groups(sketch)
    reps = np.flatnonzero(rep == np.arange(len(sketch)))
    if low >= high:
        a = b = np.zeros(0, dtype=np.int64)
        sim = np.zeros(0)
    else:
        a, b, sim = edited_pairs(sketch, low=low, high=high, among=reps)
    pairs = pd.DataFrame({"url_a": pd.Series(urls[a], dtype=object),
                          "url_b": pd.Series(urls[b], dtype=object),
                          "similarity": np.round(sim, 3),
                          "words_changed": np.round(edit_share(sim), 2)})
    return pairs.sort_values(["similarity", "url_a", "url_b"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)


def edited_copies(
    pages: PagesSource | Pages,
    *,
    low: float = EDITED_THRESHOLD,
    threshold: float = 0.8,
    origin: str | None = None,
) -> pd.DataFrame:
    """Pairs of pages that look like edited copies: ``url_a, url_b, similarity, words_changed``.

    The looser second stage beside :func:`near_duplicates`: word 3-shingle resemblance
    at least ``low`` (0.35 by default, what about 20 % of words changed at random
    leaves) and below ``threshold`` (pairs at or above it are near-duplicates already).
    ``words_changed`` estimates the share of words changed (see
    :func:`kit.duplicates.sketch.edit_share`): a reworded product description or a
    page with one paragraph changed.  One page per exact-duplicate group is compared.
    """
    level = _check_threshold(threshold)
    low = _check_threshold(low)
    loaded = pages if isinstance(pages, Pages) else load_pages(pages, origin=origin)
    sketch = sketch_texts(loaded.frame["text"].tolist())
    return _edited_frame(loaded.frame["url"].to_numpy(dtype=object), sketch, low, level)


def duplicate_findings(
    pages: PagesSource | DuplicateReport,
    *,
    threshold: float = 0.8,
    policy: str | NormalizationPolicy = "typical",
    origin: str | None = None,
) -> pd.DataFrame:
    """Findings (``subject, check, severity, business, technical, source`` + ``cluster,
    canonical, similarity, where``) for every duplicate URL and every unreadable row.

    ``pages`` as for :func:`~kit.duplicates.find_duplicates`, or its report.  Checks:
    :data:`~kit.duplicates.findings.DUPLICATE_CHECKS`.
    """
    if isinstance(pages, DuplicateReport):
        return pages.findings
    return find_duplicates(pages, threshold=threshold, policy=policy, origin=origin).findings
