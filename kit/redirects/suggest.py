"""Suggest an old→new redirect map from two page inventories.

Each page becomes a bag of words from its URL path, title and H1 (lowercased,
accents folded, light stemming), weighted by TF-IDF over both sites, and each old page
is matched to the new page with the highest cosine similarity.  Below ``min_score``
an old page gets status 410 and no target: Google Search Central's "Site moves with
URL changes" asks for 404/410 where content is not carried over, and sending the
leftovers to the homepage would make them soft 404s, which is the mistake module 01
teaches.  URLs that exist unchanged on the new site get status 200 (no redirect).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from kit.errors import InputError
from kit.tables import TableSource, locate, read_table, rename_columns
from kit.urls import guess_origin, is_url, site_key

__all__ = ["DEFAULT_MIN_SCORE", "load_inventory", "suggest_map"]

DEFAULT_MIN_SCORE = 0.3
_INVENTORY_ALIASES = {
    "url": ("address", "loc", "page", "page url"),
    "title": ("title 1", "page title"),
    "h1": ("h1-1", "h1 1", "heading"),
}
_WORD = re.compile(r"[a-z0-9]+")
_NOISE = frozenset({"html", "htm", "php", "aspx", "asp", "jsp", "cfm", "www", "http", "https",
                    "com", "index"})
_QUERY_TERMS = 3
_QUERY_CHUNK = 4096
_DENSE_CHUNK = 512
_DISTINCTIVE_MIN = 5
_DISTINCTIVE_SHARE = 0.001
_CANDIDATES = 10
DEFAULT_CLAIM_RATIO = 0.8


def load_inventory(pages: TableSource, *, what: str) -> pd.DataFrame:
    """A page inventory as ``url, title, h1`` (Screaming Frog's ``Address, Title 1, H1-1`` too).

    Rows whose URL is not a URL raise an InputError naming them; missing titles are fine.
    """
    table = read_table(pages, what=what)
    rename_columns(table, _INVENTORY_ALIASES, required=("url",), what=what)
    frame = table.frame
    urls = [str(value).strip() if isinstance(value, str) else "" for value in frame["url"]]
    bad = [position for position, url in enumerate(urls) if not is_url(url)]
    if bad:
        raise InputError(
            f"{table.name}: {len(bad)} row(s) of the {what} have no usable URL.",
            locate(table, bad, "not a URL; write /path or https://host/path"),
            hint="Fix or remove these rows; no row was skipped.",
        )
    text = {
        column: [str(v) if isinstance(v, str) else "" for v in frame[column]]
        if column in frame.columns else [""] * len(frame)
        for column in ("title", "h1")
    }
    return pd.DataFrame({"url": urls, "title": text["title"], "h1": text["h1"]})


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A deliberately light stemmer: plural and common verb endings only."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [_stem(word) for word in _WORD.findall(folded) if word not in _NOISE]


def _path_words(url: str) -> list[str]:
    path = url.split("://", 1)[-1]
    path = path.split("/", 1)[1] if "://" in url and "/" in path else path
    return _words(path.replace("%20", " "))


def _documents(pages: pd.DataFrame) -> list[list[str]]:
    """Each page's words: the URL path twice (slugs are specific), title and H1 once."""
    return [
        path + path + _words(title) + _words(h1)
        for path, title, h1 in zip(
            map(_path_words, pages["url"]), pages["title"], pages["h1"], strict=True
        )
    ]


def _rarest_terms(matrix: sparse.csr_matrix, idf: np.ndarray, keep: int) -> sparse.csr_matrix:
    """Each row reduced to its ``keep`` rarest terms: the words that say which page it is."""
    coo = matrix.tocoo()
    order = np.lexsort((-idf[coo.col], coo.row))
    rows, cols, vals = coo.row[order], coo.col[order], coo.data[order]
    starts = np.searchsorted(rows, rows, side="left")
    chosen = (np.arange(len(rows)) - starts) < keep
    return sparse.csr_matrix((vals[chosen], (rows[chosen], cols[chosen])), shape=matrix.shape)


def _top_per_row(matrix: sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(row, column)`` of the ``k`` largest entries of every row of a sparse matrix.

    Entries under half their row's maximum cannot be among the best few and are
    dropped before sorting, which keeps the sort small on dense candidate rows.
    """
    row_max = np.zeros(matrix.shape[0])
    lengths = np.diff(matrix.indptr)
    filled = lengths > 0
    if filled.any():
        row_max[filled] = np.maximum.reduceat(matrix.data, matrix.indptr[:-1][filled])
    coo = matrix.tocoo()
    strong = coo.data >= 0.5 * row_max[coo.row]
    coo = sparse.coo_matrix((coo.data[strong], (coo.row[strong], coo.col[strong])),
                            shape=matrix.shape)
    order = np.lexsort((-coo.data, coo.row))
    rows, cols = coo.row[order], coo.col[order]
    starts = np.searchsorted(rows, rows, side="left")
    chosen = (np.arange(len(rows)) - starts) < k
    return rows[chosen], cols[chosen]


def _top_dense(block: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` largest values of each row of a dense block."""
    k = min(k, block.shape[1])
    return np.argpartition(-block, k - 1, axis=1)[:, :k]


def _pair_scores(
    old: sparse.csr_matrix, new: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Exact cosine of the given (old row, new row) pairs (vectors are L2-normalised)."""
    scores = np.empty(len(rows))
    for start in range(0, len(rows), 200_000):
        part = slice(start, start + 200_000)
        scores[part] = np.asarray(old[rows[part]].multiply(new[cols[part]]).sum(axis=1)).ravel()
    return scores


def _best_matches(
    old: sparse.csr_matrix, new: sparse.csr_matrix, idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Index and cosine of the best new page for every old page.

    Comparing every pair costs old x new.  A page with a distinctive word (a model
    number, a rare slug word) proposes candidates through its rarest words only, and
    those are scored exactly; pages made only of common words, or whose rare words
    find nothing, are compared with every new page.
    """
    n_docs = old.shape[0] + new.shape[0]
    doc_freq = (1 + n_docs) / np.exp(idf - 1) - 1  # inverts sklearn's smoothed idf
    rarest = np.full(old.shape[0], np.inf)
    coo = old.tocoo()
    np.minimum.at(rarest, coo.row, doc_freq[coo.col])
    distinctive = np.flatnonzero(rarest <= max(_DISTINCTIVE_MIN, _DISTINCTIVE_SHARE * n_docs))
    generic = np.setdiff1d(np.arange(old.shape[0]), distinctive)
    new_t = new.T.tocsr()
    query = _rarest_terms(old, idf, _QUERY_TERMS)
    found_rows: list[np.ndarray] = []
    found_cols: list[np.ndarray] = []
    for start in range(0, len(distinctive), _QUERY_CHUNK):
        chunk = distinctive[start : start + _QUERY_CHUNK]
        chunk_rows, chunk_cols = _top_per_row((query[chunk] @ new_t).tocsr(), _CANDIDATES)
        found_rows.append(chunk[chunk_rows])
        found_cols.append(chunk_cols)
    found = np.zeros(old.shape[0], dtype=bool)
    for chunk_rows in found_rows:
        found[chunk_rows] = True
    generic = np.union1d(generic, distinctive[~found[distinctive]])
    for start in range(0, len(generic), _DENSE_CHUNK):
        chunk = generic[start : start + _DENSE_CHUNK]
        top = _top_dense((old[chunk] @ new_t).toarray(), _CANDIDATES)
        found_rows.append(np.repeat(chunk, top.shape[1]))
        found_cols.append(top.ravel())
    rows = np.concatenate(found_rows) if found_rows else np.empty(0, dtype=np.int64)
    cols = np.concatenate(found_cols) if found_cols else np.empty(0, dtype=np.int64)
    scores = _pair_scores(old, new, rows, cols)
    order = np.lexsort((-scores, rows))
    rows, cols, scores = rows[order], cols[order], scores[order]
    first = np.r_[True, rows[1:] != rows[:-1]]
    best = np.full(old.shape[0], -1, dtype=np.int64)
    score = np.zeros(old.shape[0])
    best[rows[first]] = cols[first]
    score[rows[first]] = scores[first]
    best[score <= 0] = -1
    return best, score


def _accept(
    best: np.ndarray, score: np.ndarray, *, min_score: float, claim_ratio: float
) -> np.ndarray:
    """Keep a match when it is good enough and not far behind the page's best claimant.

    A removed old page still resembles some new page (same brand, same category), but
    that new page's true predecessor resembles it much more.  Merged pages (colour
    variants folded into one) score alike, so they all keep their match.
    """
    matched = best >= 0
    top = pd.Series(score[matched]).groupby(best[matched]).transform("max").to_numpy()
    accepted = np.zeros(len(best), dtype=bool)
    accepted[matched] = (score[matched] >= min_score) & (score[matched] >= claim_ratio * top)
    return accepted


def suggest_map(
    old: TableSource,
    new: TableSource,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    claim_ratio: float = DEFAULT_CLAIM_RATIO,
) -> pd.DataFrame:
    """Map each old page to its best new page; ``source, target, score, status``.

    ``old`` and ``new`` are inventories (DataFrame or CSV) with ``url`` and optionally
    ``title`` and ``h1`` (Screaming Frog's ``Address``, ``Title 1``, ``H1-1`` work too).
    Matches scoring at least ``min_score`` (cosine similarity, 0-1) get status 301,
    unless another old page matches the same new page much better (its score times
    ``claim_ratio`` is above this one's): then this page was most likely removed.
    The rest get 410 and no target, never the homepage as a fallback.
    """
    if not 0 <= min_score <= 1:
        raise InputError(f"min_score must be between 0 and 1, got {min_score}.")
    old_pages = load_inventory(old, what="old inventory")
    new_pages = load_inventory(new, what="new inventory")
    vectorizer = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True, min_df=1)
    vectors = vectorizer.fit_transform(_documents(old_pages) + _documents(new_pages)).tocsr()
    old_vectors, new_vectors = vectors[: len(old_pages)], vectors[len(old_pages) :]
    best, score = _best_matches(old_vectors, new_vectors, vectorizer.idf_)
    accepted = _accept(best, score, min_score=min_score, claim_ratio=claim_ratio)

    origin = guess_origin(old_pages["url"], fallback=guess_origin(new_pages["url"]))
    new_keys = {site_key(url, origin): url for url in new_pages["url"]}
    new_urls = new_pages["url"].to_numpy(dtype=object)
    targets: list[str | None] = []
    statuses: list[int] = []
    scores: list[float] = []
    for url, index, value, ok in zip(old_pages["url"], best, score, accepted, strict=True):
        same = new_keys.get(site_key(url, origin))
        if same is not None:
            targets.append(same)
            statuses.append(200)
            scores.append(1.0)
        elif ok:
            targets.append(new_urls[index])
            statuses.append(301)
            scores.append(round(float(value), 4))
        else:
            targets.append(None)
            statuses.append(410)
            scores.append(round(float(value), 4))
    return pd.DataFrame({
        "source": old_pages["url"],
        "target": pd.Series(targets, dtype=object),
        "score": scores,
        "status": statuses,
    })
