"""Suggest an old→new redirect map from two page inventories, with a review queue.

Each page becomes two bags of features, weighted by TF-IDF over both sites: the words
of its URL path (the page name's words twice, folder words once: a move keeps the name
more often than the folder), title and H1 (lowercased, accents folded,
light stemming), and the character 3-grams of its path words (so ``onmouseout`` meets
``mouseout_event`` and ``VisualViewport`` meets ``visual-viewport``).  The score of a
pair is the mean of the two cosine similarities.  No word is a stop word: only the file
extension of the last path segment (``.html``, ``.php`` ...) and a directory-index file
name (``index.html``) are left out, so ``Glossary/Index`` and ``Glossary/HTML`` stay apart.

Matching runs in three passes:

1. **Unchanged URLs** (same URL on both sites) get status 200.
2. **Same page name**: when an old page's last path segment (``lob-apps-android``) is
   unique among the old pages and names exactly one new page, that page is its match:
   most real moves keep the name and change the folder.
3. **Best similarity** for the rest, from a shortlist found through each page's rarest
   words and character n-grams.  A candidate that is an ancestor of another shortlisted
   candidate, or a namesake in another section when a deeper match shares the section,
   is demoted below it (wrong redirects land on such pages).

A best match is accepted (301) when its score is at least ``min_score`` and it leads the
runner-up by ``margin`` (two near-equal candidates are for a person to decide), or when
its score is at least ``sure_score`` (and ``min_score``).  Many old pages may go to the
same new page (pages merged on a relaunch); only a match far weaker than the new page's
best old match (below ``claim_ratio`` times its score, and below ``sure_score``) is taken
for a removed page that merely resembles it.  The rest get 410 and no target: Google
Search Central's "Site moves with URL changes" asks for 404/410 where content is not
carried over, and sending leftovers to the homepage makes soft 404s, which is the
mistake module 01 teaches.  The site root is never a candidate (only an unchanged root
URL keeps it, with status 200).

Every row carries the **review queue**: ``reason`` (why this status) and the top three
candidates with their scores (``candidate_1, score_1 ... candidate_3, score_3``), so a
person can settle the 410s and the close calls quickly.
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
from kit.progress import progress
from kit.tables import TableSource, locate, read_table, rename_columns
from kit.urls import guess_origin, is_url, site_key

__all__ = [
    "DEFAULT_CLAIM_RATIO",
    "DEFAULT_MARGIN",
    "DEFAULT_MIN_SCORE",
    "DEFAULT_SURE_SCORE",
    "REASONS",
    "REVIEW_CANDIDATES",
    "load_inventory",
    "suggest_map",
]

DEFAULT_MIN_SCORE = 0.5
"""Lowest score accepted as a match (calibrated on labelled relaunches; see the benchmarks)."""
DEFAULT_MARGIN = 0.05
"""How far the best candidate must lead the runner-up, unless it scores ``sure_score``."""
DEFAULT_SURE_SCORE = 0.7
"""A score at which the best candidate is accepted whatever the runner-up scores."""
DEFAULT_CLAIM_RATIO = 0.6
"""Below ``claim_ratio`` times the score of the new page's best old match (and below
``sure_score``), a match is most likely a removed page that merely resembles it."""
REVIEW_CANDIDATES = 3
REASONS: dict[str, str] = {
    "unchanged": "the URL exists unchanged on the new site (200, no redirect)",
    "same name": "the only new page with the old page's last path segment",
    "best match": "the most similar new page, clearly ahead of the runner-up",
    "close call": "410: two candidates score almost the same; a person should choose",
    "claimed": "410: another old page matches this new page far better (probably removed)",
    "low score": "410: no new page is similar enough (below min_score)",
    "no candidate": "410: no new page shares a word with it",
}
_INVENTORY_ALIASES = {
    "url": ("address", "loc", "page", "page url"),
    "title": ("title 1", "page title"),
    "h1": ("h1-1", "h1 1", "heading"),
}
_WORD = re.compile(r"[a-z0-9]+")
_EXTENSION = re.compile(r"\.(?:html?|php\d?|aspx?|jsp|cfm|shtml|xhtml)$")
_INDEX_FILE = re.compile(r"(?:^|/)(?:index|default)\.[a-z0-9]+$")
_QUERY_TERMS = 3
_QUERY_GRAMS = 6
_QUERY_CHUNK = 4096
_DENSE_CHUNK = 512
_DISTINCTIVE_MIN = 5
_DISTINCTIVE_SHARE = 0.001
_CANDIDATES = 10
_GRAM = 3
_DEMOTE = 0.9


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


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def _words(text: str) -> list[str]:
    """Lowercased, accent-folded, lightly stemmed words; no stop words."""
    return [_stem(word) for word in _WORD.findall(_fold(text).lower())]


def _path(url: str) -> str:
    """The URL's path and query, without the file extension or a directory-index file name."""
    rest = url.split("://", 1)[1] if "://" in url else url
    if "://" in url:
        rest = rest.split("/", 1)[1] if "/" in rest else ""
    rest = rest.split("#", 1)[0].replace("%20", " ").lstrip("/")
    path, _, query = rest.partition("?")
    path = path.rstrip("/")
    lower = path.lower()
    if _INDEX_FILE.search(lower):
        path = path[: path.rfind("/")] if "/" in path else ""
    else:
        match = _EXTENSION.search(lower)
        path = path[: match.start()] if match else path
    return f"{path} {query}".strip() if query else path


def _last_segment(path: str) -> str:
    """The page name: the last path segment, lowercased, separators folded to ``-``."""
    name = path.split(" ", 1)[0].rsplit("/", 1)[-1]
    return "-".join(_WORD.findall(_fold(name).lower()))


@lru_cache(maxsize=400_000)
def _token_features(token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Words (with camelCase parts) and character 3-grams of one raw path token."""
    lower = token.lower()
    words = [lower]
    parts = _CAMEL.findall(token)
    if len(parts) > 1:
        words += [part.lower() for part in parts]
    padded = f"#{lower}#"
    grams = tuple(padded[i : i + _GRAM] for i in range(max(1, len(padded) - _GRAM + 1)))
    return tuple(_stem(word) for word in words), grams


_RAW_TOKEN = re.compile(r"[A-Za-z0-9]+")


def _path_features(path: str) -> tuple[list[str], list[str]]:
    words: list[str] = []
    grams: list[str] = []
    for token in _RAW_TOKEN.findall(_fold(path)):
        token_words, token_grams = _token_features(token)
        words += token_words
        grams += token_grams
    return words, grams


def _documents(paths: list[str], pages: pd.DataFrame) -> tuple[list[list[str]], list[list[str]]]:
    """Each page's words (path, page name again, title and H1) and its path's character 3-grams."""
    words: list[list[str]] = []
    grams: list[list[str]] = []
    for path, title, h1 in zip(paths, pages["title"], pages["h1"], strict=True):
        path_words, path_grams = _path_features(path)
        name_words, _ = _path_features(path.split(" ", 1)[0].rsplit("/", 1)[-1])
        words.append(path_words + name_words + _words(title) + _words(h1))
        grams.append(path_grams)
    return words, grams


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


def _doc_freq(idf: np.ndarray, n_docs: int) -> np.ndarray:
    return (1 + n_docs) / np.exp(idf - 1) - 1  # inverts sklearn's smoothed idf


def _query_candidates(
    query: sparse.csr_matrix, new_t: sparse.csr_matrix, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Top candidates of the given old rows through a reduced query matrix."""
    found_rows: list[np.ndarray] = []
    found_cols: list[np.ndarray] = []
    for start in range(0, len(rows), _QUERY_CHUNK):
        chunk = rows[start : start + _QUERY_CHUNK]
        chunk_rows, chunk_cols = _top_per_row((query[chunk] @ new_t).tocsr(), _CANDIDATES)
        found_rows.append(chunk[chunk_rows])
        found_cols.append(chunk_cols)
    if not found_rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(found_rows), np.concatenate(found_cols)


def _shortlist(
    words: tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray],
    grams: tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray],
    both: tuple[sparse.csr_matrix, sparse.csr_matrix],
    same_name: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate ``(old row, new row)`` pairs for every old page.

    Comparing every pair costs old x new.  Each old page proposes candidates through
    its rarest words and its rarest character 3-grams, and pages with the same name
    are always candidates; pages made only of common words, or whose rare features
    find nothing, are compared with every new page.
    """
    old_w, new_w, idf_w = words
    old_c, new_c, idf_c = grams
    old_x, new_x = both
    n_old = old_w.shape[0]
    n_docs = n_old + new_w.shape[0]
    rarest = np.full(n_old, np.inf)
    coo = old_w.tocoo()
    np.minimum.at(rarest, coo.row, _doc_freq(idf_w, n_docs)[coo.col])
    distinctive = np.flatnonzero(rarest <= max(_DISTINCTIVE_MIN, _DISTINCTIVE_SHARE * n_docs))
    every = np.arange(n_old)
    rows_w, cols_w = _query_candidates(_rarest_terms(old_w, idf_w, _QUERY_TERMS),
                                       new_w.T.tocsr(), distinctive)
    rows_c, cols_c = _query_candidates(_rarest_terms(old_c, idf_c, _QUERY_GRAMS),
                                       new_c.T.tocsr(), every)
    found = np.zeros(n_old, dtype=bool)
    found[rows_w] = True
    generic = np.union1d(np.setdiff1d(every, distinctive), every[~found])
    rows = [rows_w, rows_c, same_name[0]]
    cols = [cols_w, cols_c, same_name[1]]
    new_t = new_x.T.tocsr()
    for start in range(0, len(generic), _DENSE_CHUNK):
        chunk = generic[start : start + _DENSE_CHUNK]
        top = _top_dense((old_x[chunk] @ new_t).toarray(), _CANDIDATES)
        rows.append(np.repeat(chunk, top.shape[1]))
        cols.append(top.ravel())
    n_new = new_w.shape[0]
    codes = np.unique(np.concatenate(rows).astype(np.int64) * n_new
                      + np.concatenate(cols).astype(np.int64))
    return codes // n_new, codes % n_new


def _is_below(deeper: str, page: str) -> bool:
    """True when ``deeper`` is ``page``'s descendant, or its namesake one level deeper."""
    if page and deeper.startswith(page + "/"):
        return True
    name = page.rsplit("/", 1)[-1]
    return bool(name) and deeper.rsplit("/", 1)[-1] == name and deeper.count("/") > page.count("/")


def _rank(candidates: list[tuple[int, float]], paths: np.ndarray) -> list[tuple[int, float]]:
    """Candidates best first, an ancestor or shallower namesake demoted below a deeper
    candidate that scores at least ``_DEMOTE`` times as much."""
    ordered = sorted(candidates, key=lambda item: -item[1])
    head = ordered[:5]
    for position in range(len(head)):
        page, score = head[position]
        for other in range(position + 1, len(head)):
            candidate, other_score = head[other]
            if other_score >= _DEMOTE * score and _is_below(paths[candidate], paths[page]):
                head.insert(other, head.pop(position))
                break
    return head + ordered[5:]


def _match(
    old_pages: pd.DataFrame, new_pages: pd.DataFrame
) -> tuple[list[list[tuple[int, float]]], np.ndarray]:
    """Each old page's ranked candidates ``[(new row, score), ...]`` and the same-name match
    (new row, or -1)."""
    old_paths = [_path(url) for url in old_pages["url"]]
    new_paths = [_path(url) for url in new_pages["url"]]
    old_words, old_grams = _documents(old_paths, old_pages)
    new_words, new_grams = _documents(new_paths, new_pages)
    options = {"analyzer": lambda features: features, "sublinear_tf": True, "min_df": 1}
    vec_w = TfidfVectorizer(**options)
    vec_c = TfidfVectorizer(**options)
    words = vec_w.fit_transform(old_words + new_words).tocsr()
    grams = vec_c.fit_transform(old_grams + new_grams).tocsr()
    both = sparse.hstack([words, grams]).tocsr() * np.sqrt(0.5)
    n_old = len(old_pages)
    names_old = [_last_segment(path) for path in old_paths]
    names_new = [_last_segment(path) for path in new_paths]
    root = np.array([path == "" for path in new_paths])
    same = _same_name(names_old, names_new, root)
    pairs = np.flatnonzero(same >= 0)
    rows, cols = _shortlist(
        (words[:n_old], words[n_old:], vec_w.idf_),
        (grams[:n_old], grams[n_old:], vec_c.idf_),
        (both[:n_old], both[n_old:]),
        (pairs, same[pairs]),
    )
    keep = ~root[cols]  # the site root is never a candidate
    rows, cols = rows[keep], cols[keep]
    scores = _pair_scores(both[:n_old], both[n_old:], rows, cols)
    useful = scores > 0
    rows, cols, scores = rows[useful], cols[useful], scores[useful]
    order = np.lexsort((-scores, rows))
    rows, cols, scores = rows[order], cols[order], scores[order]
    bounds = np.searchsorted(rows, np.arange(n_old + 1))
    paths = np.array([path.split(" ", 1)[0].lower() for path in new_paths], dtype=object)
    ranked = [
        _rank(list(zip(cols[bounds[i] : bounds[i + 1]].tolist(),
                       scores[bounds[i] : bounds[i + 1]].tolist(), strict=True))[:_CANDIDATES],
              paths)
        for i in range(n_old)
    ]
    return ranked, same


def _same_name(names_old: list[str], names_new: list[str], root: np.ndarray) -> np.ndarray:
    """For each old page, the one new page with its (unique, specific) name, else -1."""
    old_count = pd.Series(names_old).value_counts()
    new_rows: dict[str, int] = {}
    new_count: dict[str, int] = {}
    for row, name in enumerate(names_new):
        if not root[row]:
            new_count[name] = new_count.get(name, 0) + 1
            new_rows[name] = row
    match = np.full(len(names_old), -1, dtype=np.int64)
    for row, name in enumerate(names_old):
        if (len(name) >= 3 and not name.isdigit() and old_count[name] == 1
                and new_count.get(name) == 1):
            match[row] = new_rows[name]
    return match


def suggest_map(
    old: TableSource,
    new: TableSource,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    margin: float = DEFAULT_MARGIN,
    sure_score: float = DEFAULT_SURE_SCORE,
    claim_ratio: float = DEFAULT_CLAIM_RATIO,
) -> pd.DataFrame:
    """Map each old page to its best new page, with a review queue.

    ``old`` and ``new`` are inventories (DataFrame or CSV) with ``url`` and optionally
    ``title`` and ``h1`` (Screaming Frog's ``Address``, ``Title 1``, ``H1-1`` work too);
    either side may lack titles.  Returns one row per old page: ``source, target,
    score, status, reason`` and ``candidate_1, score_1 ... candidate_3, score_3``.

    Status 200: the URL exists unchanged.  301: the only new page with the same name,
    or a best match scoring at least ``min_score`` (cosine similarity, 0-1) that leads
    the runner-up by ``margin`` or scores ``sure_score``.  410 (no target) for the rest,
    never the homepage as a fallback; their candidates are there for a person to decide.
    """
    for name, value in (("min_score", min_score), ("margin", margin), ("sure_score", sure_score),
                        ("claim_ratio", claim_ratio)):
        if not 0 <= value <= 1:
            raise InputError(f"{name} must be between 0 and 1, got {value}.")
    with progress(desc="suggesting redirects", total=4, unit="step") as bar:
        old_pages = load_inventory(old, what="old inventory")
        bar.update()
        new_pages = load_inventory(new, what="new inventory")
        bar.update()
        ranked, same = _match(old_pages, new_pages)
        bar.update()
        return _decide(old_pages, new_pages, ranked, same, min_score=min_score, margin=margin,
                       sure_score=sure_score, claim_ratio=claim_ratio)


def _decide(
    old_pages: pd.DataFrame,
    new_pages: pd.DataFrame,
    ranked: list[list[tuple[int, float]]],
    same: np.ndarray,
    *,
    min_score: float,
    margin: float,
    sure_score: float,
    claim_ratio: float,
) -> pd.DataFrame:
    """The map and review queue from the ranked candidates (see :func:`suggest_map`)."""
    sure_score = max(sure_score, min_score)
    origin = guess_origin(old_pages["url"], fallback=guess_origin(new_pages["url"]))
    new_keys = {site_key(url, origin): url for url in new_pages["url"]}
    new_urls = new_pages["url"].to_numpy(dtype=object)
    claim = np.zeros(len(new_urls))
    for candidates, named in zip(ranked, same, strict=True):
        if candidates:
            best_row = int(named) if named >= 0 else candidates[0][0]
            best_score = next((v for r, v in candidates if r == best_row), 0.0)
            claim[best_row] = max(claim[best_row], best_score)
    rows: list[list[object]] = []
    for url, candidates, named in zip(old_pages["url"], ranked, same, strict=True):
        if named >= 0:
            score = next((value for row, value in candidates if row == named), 0.0)
            candidates = [(int(named), score)] + [c for c in candidates if c[0] != named]
        shown: list[object] = []
        for row, value in candidates[:REVIEW_CANDIDATES]:
            shown += [new_urls[row], round(float(value), 4)]
        shown += [None, None] * (REVIEW_CANDIDATES - len(candidates[:REVIEW_CANDIDATES]))
        best = candidates[0][1] if candidates else 0.0
        runner_up = candidates[1][1] if len(candidates) > 1 else 0.0
        same_url = new_keys.get(site_key(url, origin))
        if same_url is not None:
            head: list[object] = [same_url, 1.0, 200, "unchanged"]
            others = [(shown[i], shown[i + 1]) for i in range(0, len(shown), 2)
                      if shown[i] is not None and shown[i] != same_url]
            shown = [same_url, 1.0]
            for pair in others[: REVIEW_CANDIDATES - 1]:
                shown += list(pair)
            shown += [None] * (2 * REVIEW_CANDIDATES - len(shown))
        elif named >= 0:
            head = [new_urls[named], round(float(best), 4), 301, "same name"]
        elif not candidates:
            head = [None, 0.0, 410, "no candidate"]
        elif best < min_score:
            head = [None, round(float(best), 4), 410, "low score"]
        elif best - runner_up < margin and best < sure_score:
            head = [None, round(float(best), 4), 410, "close call"]
        elif best < claim_ratio * claim[candidates[0][0]] and best < sure_score:
            head = [None, round(float(best), 4), 410, "claimed"]
        else:
            head = [new_urls[candidates[0][0]], round(float(best), 4), 301, "best match"]
        rows.append([url, *head, *shown])
    columns = ["source", "target", "score", "status", "reason"]
    for rank in range(1, REVIEW_CANDIDATES + 1):
        columns += [f"candidate_{rank}", f"score_{rank}"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ["target"] + [f"candidate_{rank}" for rank in range(1, REVIEW_CANDIDATES + 1)]:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame
