"""Audit a redirect map the way a crawler will meet it: hop by hop.

Rules and their sources:

* RFC 9110 §15.4: 301 and 308 are permanent, 302, 303 and 307 temporary.
* Google Search Central, "Redirects and Google Search": permanent server-side
  redirects are the strongest signal that the target is the new canonical URL.
* Google Search Central, "HTTP status codes, network and DNS errors": Googlebot
  follows up to 10 redirect hops; after that the URL reports a redirect error.
* Google Search Central, "Site moves with URL changes": map each old URL to its
  new equivalent, one to one; keep the redirects for at least a year.  Google's own
  pages ("Redirects and Google Search", "Site moves with URL changes") say that
  redirecting many URLs to an irrelevant page such as the homepage may be treated as
  a soft 404 (primary sources, checked on 2026-12-07).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kit.errors import InputError
from kit.findings import findings_frame
from kit.redirects.maps import (
    GONE_STATUSES,
    REDIRECT_STATUSES,
    TEMPORARY_STATUSES,
    RedirectMap,
    load_redirects,
)
from kit.redirects.rules import AUDIT_RULES
from kit.tables import TableSource, read_table, rename_columns
from kit.urls import is_url, path_of, site_relative_key

__all__ = ["AUDIT_CHECKS", "GOOGLEBOT_MAX_HOPS", "audit_map", "resolve_chains"]

GOOGLEBOT_MAX_HOPS = 10
AUDIT_CHECKS: tuple[str, ...] = AUDIT_RULES.checks
"""Every check of :func:`audit_map`; the rules are :data:`kit.redirects.rules.AUDIT_RULES`."""
_EXTRA = ("target", "final_target", "hops", "status", "where")
_HOME_LIKE = frozenset(
    {"/", "/index.html", "/index.htm", "/index.php", "/default.aspx", "/default.asp", "/home",
     "/home.html"}
)


class _Rows:
    """Column-wise accumulator: cheaper than a dict per finding on million-row maps."""

    def __init__(self) -> None:
        self.columns: dict[str, list[object]] = {
            name: [] for name in ("subject", "check", "severity", "business", "technical",
                                  "source", *_EXTRA)
        }

    def add(self, **values: object) -> None:
        for name, column in self.columns.items():
            column.append(values.get(name))

    def add_rule(self, check: str, common: dict[str, object], *, hops: int | None,
                 **facts: object) -> None:
        """One finding from the rule ``check`` of the table, its templates filled from
        ``common`` (subject, target, status, where) and ``facts``."""
        facts.update((k, v) for k, v in common.items() if k != "subject")
        found = AUDIT_RULES(check).finding(common["subject"], hops=hops, **facts)
        self.add(**{**common, **found, "hops": hops})

    def frame(self) -> pd.DataFrame:
        return findings_frame(pd.DataFrame(self.columns), extra=_EXTRA)


def _url_keys(urls: object, origin: str) -> set[str]:
    """Keys of the new site's URLs: a list, Series, DataFrame with ``url`` or a CSV path."""
    if isinstance(urls, pd.DataFrame | str | Path):
        table = read_table(urls, what="new URL list")
        rename_columns(table, {"url": ("address", "new_url", "loc")}, required=("url",),
                       what="new URL list")
        values: list[object] = table.frame["url"].tolist()
        where = table.where
    else:
        values = list(urls)  # type: ignore[call-overload]
        where = "new_urls item {}".format
    texts = [value.strip() if isinstance(value, str) else "" for value in values]
    bad = [position for position, text in enumerate(texts) if not is_url(text)]
    if bad:
        raise InputError(
            f"new_urls: {len(bad)} entr(ies) are not URLs.",
            [f"{where(position)}: {values[position]!r} is not a URL" for position in bad],
            hint="Give the new site's URLs as /path or https://host/path.",
        )
    return {site_relative_key(text, origin) for text in texts}


def resolve_chains(next_code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Follow every redirect to its end: final code, hop count, and whether it loops.

    ``next_code[c]`` is where URL ``c`` redirects, or -1 if it answers without a redirect.
    Each URL is walked once (memoised), so the cost is linear in the number of rules.
    """
    size = len(next_code)
    nxt = next_code.tolist()
    final = [-1] * size
    hops = [-1] * size
    looped = [False] * size
    for start in range(size):
        if hops[start] >= 0 or nxt[start] < 0:
            continue
        path: list[int] = []
        on_path: dict[int, int] = {}
        node = start
        while nxt[node] >= 0 and hops[node] < 0 and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            node = nxt[node]
        if node in on_path:
            cycle = path[on_path[node]:]
            for member in cycle:
                final[member], hops[member], looped[member] = -1, len(cycle), True
            path = path[: on_path[node]]
            end_final, end_hops, end_loop = -1, len(cycle), True
        elif hops[node] >= 0:
            end_final, end_hops, end_loop = final[node], hops[node], looped[node]
        else:
            end_final, end_hops, end_loop = node, 0, False
        for member in reversed(path):
            end_hops += 1
            final[member], hops[member], looped[member] = end_final, end_hops, end_loop
    return np.array(final), np.array(hops), np.array(looped, dtype=bool)


def audit_map(
    redirects: TableSource | RedirectMap,
    *,
    new_urls: object = None,
    homepage: str = "/",
    homepage_dump_min: int = 3,
    origin: str | None = None,
) -> pd.DataFrame:
    """Find the problems in a redirect map; one finding row per problem.

    ``redirects`` is a DataFrame or CSV path with ``source, target`` and optional
    ``status`` (default 301).  ``new_urls`` (a list, Series, DataFrame or CSV with a
    ``url`` column) lets the audit spot targets that do not exist on the new site.
    ``homepage`` is the new site's homepage; when ``homepage_dump_min`` or more distinct
    old pages end there, each is reported as a ``homepage_dump``.  Relative and absolute
    URLs of the same site compare equal; ``origin`` names the site when the map alone
    cannot tell (default: the most common host in the map).

    Returns the shared findings columns (``subject, check, severity, business,
    technical, source``) plus ``target, final_target, hops, status, where``; a clean map
    gives an empty frame with those columns.
    """
    if not is_url(homepage):
        raise InputError(f"homepage {homepage!r} is not a URL; write / or https://host/.")
    home_origin = None if homepage.startswith("/") else "/".join(homepage.split("/", 3)[:3])
    rmap = (
        redirects
        if isinstance(redirects, RedirectMap)
        else load_redirects(redirects, origin=origin, fallback_origin=home_origin)
    )
    frame = rmap.frame
    home_key = rmap.key(homepage)

    source_keys = frame["source_key"].to_numpy(dtype=object)
    target_keys = frame["target_key"].to_numpy(dtype=object)
    statuses = frame["status"].to_numpy()
    codes, uniques = pd.factorize(np.concatenate([source_keys, target_keys]), use_na_sentinel=True)
    src_codes, tgt_codes = codes[: len(frame)], codes[len(frame):]
    is_redirect = np.isin(statuses, list(REDIRECT_STATUSES))

    # The first rule for a source wins, as in an nginx map or Apache's first matching rule.
    first_row = pd.Series(np.arange(len(frame))).groupby(src_codes).transform("min").to_numpy()
    is_first = first_row == np.arange(len(frame))
    next_code = np.full(len(uniques), -1, dtype=np.int64)
    active = is_first & is_redirect
    next_code[src_codes[active]] = tgt_codes[active]
    gone = np.zeros(len(uniques), dtype=bool)
    gone[src_codes[is_first & np.isin(statuses, list(GONE_STATUSES))]] = True
    final, hops, looped = resolve_chains(next_code)
    known_new = _url_keys(new_urls, rmap.origin) if new_urls is not None else None

    rows = _Rows()
    _duplicate_sources(rows, rmap, src_codes, tgt_codes)
    home_code = int(pd.Index(uniques).get_indexer([home_key])[0])
    active_rows = np.flatnonzero(active)
    src_active = src_codes[active_rows]
    end_codes = final[src_active]
    ends_home = (end_codes == home_code) & (home_code >= 0)
    dumped = active_rows[ends_home]
    dumped = dumped[[path_of(source_keys[row]) not in _HOME_LIKE for row in dumped]]
    dumped_set = set(dumped.tolist()) if len(dumped) >= homepage_dump_min else set()
    missing = np.zeros(len(uniques), dtype=bool)
    if known_new is not None:
        missing = ~pd.Index(uniques).isin(list(known_new))
    valid_end = end_codes >= 0
    ends_badly = np.zeros(len(active_rows), dtype=bool)
    ends_badly[valid_end] = gone[end_codes[valid_end]] | missing[end_codes[valid_end]]
    # Only rules that produce a finding are visited one by one: on a big, mostly clean
    # map that is a small share, and it keeps time and memory linear and low.
    reported = (
        (tgt_codes[active_rows] == src_active)
        | looped[src_active]
        | (hops[src_active] > 1)
        | ends_badly
        | (ends_home & bool(dumped_set))
        | np.isin(statuses[active_rows], list(TEMPORARY_STATUSES))
    )
    sources = frame["source"].to_numpy(dtype=object)
    targets = frame["target"].to_numpy(dtype=object)
    for row in active_rows[reported]:
        code = src_codes[row]
        common = {
            "subject": sources[row],
            "target": targets[row],
            "status": int(statuses[row]),
            "where": rmap.where(int(row)),
        }
        if tgt_codes[row] == code:
            rows.add_rule("self_redirect", common, hops=1)
            continue
        if looped[code]:
            rows.add_rule("loop", common, hops=int(hops[code]))
            continue
        end = uniques[final[code]]
        n_hops = int(hops[code])
        common["final_target"] = end
        if n_hops > 1:
            rows.add_rule("chain", common, hops=n_hops, end=end)
        if n_hops > GOOGLEBOT_MAX_HOPS:
            rows.add_rule("too_many_hops", common, hops=n_hops, end=end,
                          limit=GOOGLEBOT_MAX_HOPS)
        if gone[final[code]] or missing[final[code]]:
            reason = ("answers 404/410 in this same map" if gone[final[code]]
                      else "is not a page of the new site")
            rows.add_rule("broken_target", common, hops=n_hops, end=end, reason=reason)
        if row in dumped_set:
            rows.add_rule("homepage_dump", common, hops=n_hops, end=end, dumped=len(dumped))
        if statuses[row] in TEMPORARY_STATUSES:
            rows.add_rule("temporary", common, hops=n_hops)
    return rows.frame()


def _duplicate_sources(
    rows: _Rows,
    rmap: RedirectMap,
    src_codes: np.ndarray,
    tgt_codes: np.ndarray,
) -> None:
    """One finding per source that has rules with different targets (or statuses)."""
    frame = rmap.frame
    outcome = tgt_codes.astype(np.int64) * 1000 + frame["status"].to_numpy(dtype=np.int64)
    groups = pd.DataFrame({"src": src_codes, "outcome": outcome})
    counts = groups.groupby("src")["outcome"].nunique()
    conflicting = counts[counts > 1].index
    if conflicting.empty:
        return
    clashes = groups[groups["src"].isin(conflicting)]
    for positions in clashes.groupby("src", sort=False).indices.values():
        positions = clashes.index.to_numpy()[positions]
        first = positions[0]
        listing = "; ".join(
            f"{frame['target'].iat[p] or frame['status'].iat[p]} ({rmap.where(int(p))})"
            for p in positions
        )
        common = {"subject": frame["source"].iat[first], "target": frame["target"].iat[first],
                  "status": int(frame["status"].iat[first]), "where": rmap.where(int(first))}
        rows.add_rule("duplicate_source", common, hops=None, rules=len(positions),
                      listing=listing)
