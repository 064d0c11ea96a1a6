"""What a migration strategy costs: a model of the weeks after a relaunch.

The rules it follows are exact; the rates are assumptions, stated in
:class:`MigrationAssumptions` and shown next to every chart:

* A permanent redirect (301/308) to the matching page passes the old page's
  rankings and links on once Google has recrawled the old URL (Google Search Central,
  "Redirects and Google Search"; "Site moves with URL changes").
* A temporary redirect (302/303/307) keeps the old URL in the index: visitors still
  arrive.  Google says the old URL stays the one shown in results; *when* the new page
  gets the links' credit is this model's assumption, not Google's statement
  (``temporary_credit_weeks`` after the recrawl).
* Googlebot follows at most 10 hops ("HTTP status codes, network and DNS errors");
  a longer chain is a redirect error and the page drops out once recrawled.  Each
  hop also costs visitors time; some leave (``bounce_per_extra_hop``).
* Old pages sent to the homepage are treated as soft 404s and dropped once recrawled
  (Google Search Central, "Redirects and Google Search" and "Site moves with URL
  changes": redirects to an irrelevant page may be soft 404s).  404/410 pages drop out
  when recrawled.
* Before its recrawl an old URL keeps ranking, so visitors follow whatever the server
  does with it: the right page, the homepage, or an error.  Browsers give up after
  20 redirects (WHATWG Fetch), Googlebot after 10.
* Google recrawls popular pages sooner: the weekly chance of a recrawl grows with
  the page's share of traffic (``recrawl_base``, ``recrawl_popularity``).
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from kit.redirects.audit import GOOGLEBOT_MAX_HOPS, resolve_chains
from kit.redirects.maps import (
    PERMANENT_STATUSES,
    REDIRECT_STATUSES,
    TEMPORARY_STATUSES,
    load_redirects,
)
from kit.results import Result
from kit.sites import Redesign
from kit.tables import TableSource

__all__ = [
    "BROWSER_MAX_HOPS",
    "STRATEGIES",
    "MigrationAssumptions",
    "MigrationResult",
    "assumptions_table",
    "simulate_migration",
    "strategy_map",
]

BROWSER_MAX_HOPS = 20
STRATEGIES: dict[str, str] = {
    "one_to_one": "Every old page 301s to its matching new page; removed pages answer 410.",
    "homepage_dump": "Every old page 301s to the new homepage.",
    "partial_map": "Only the most visited pages are mapped; the rest answer 404.",
    "chains": "Pages are mapped, but through old redirects left from earlier relaunches.",
    "temporary_302": "Every old page is mapped to its matching page, with a 302.",
}


@dataclass(frozen=True)
class MigrationAssumptions:
    """The model's rates: assumptions, not facts; change them and watch the result move."""

    weeks: int = 26
    recrawl_base: float = 0.10
    recrawl_popularity: float = 25.0
    temporary_credit_weeks: int = 12
    bounce_per_extra_hop: float = 0.03
    partial_map_share: float = 0.2
    chain_hops: tuple[int, int] = (2, 14)
    seed: int = 0


@dataclass(frozen=True)
class MigrationResult(Result):
    """Weekly outcome of one strategy, and the totals a meeting asks for.

    ``weekly`` has ``week`` and the share of the old organic visits that reach the
    right page (``relevant``), land on the homepage (``homepage``), hit an error page
    (``error``) or no longer come at all (``lost``: the page fell out of search, or
    the visitor gave up on a chain), plus the share of inbound links credited to the right new page
    (``links``).  ``pages`` has one row per old page with its rule's outcome.
    """

    strategy: str
    weekly: pd.DataFrame
    pages: pd.DataFrame
    assumptions: MigrationAssumptions = field(repr=False)

    @property
    def summary(self) -> dict[str, float | int | str]:
        """Headline figures: after the model's last week, and counts of what went wrong."""
        last = self.weekly.iloc[-1]
        return {
            "strategy": self.strategy,
            "traffic_kept": round(float(last["relevant"]), 3),
            "links_kept": round(float(last["links"]), 3),
            "soft_404s": int(self.pages["soft_404"].sum()),
            "errors": int(self.pages["outcome"].isin(["error", "too_many_hops"]).sum()),
            "max_hops": int(self.pages["hops"].max()),
            "pages": len(self.pages),
        }

    def __repr__(self) -> str:
        fields = ", ".join(f"{key}={value}" for key, value in self.summary.items())
        return f"MigrationResult({fields})"

    def summary_caption(self) -> str:
        return f"Migration: {self.strategy}"


def strategy_map(site: Redesign, strategy: str, assumptions: MigrationAssumptions | None = None
                 ) -> pd.DataFrame:
    """The redirect map (``source, target, status``) that a named strategy puts live."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    model = assumptions or MigrationAssumptions()
    truth = site.truth
    sources = truth["source"].to_numpy(dtype=object)
    targets = truth["target"].to_numpy(dtype=object)
    present = pd.notna(targets)
    status = np.where(present, 301, 410)
    if strategy == "homepage_dump":
        targets = np.where(sources == "/", "/", "/").astype(object)
        status = np.full(len(sources), 301)
        keep = sources != "/"
        return pd.DataFrame({"source": sources[keep], "target": targets[keep],
                             "status": status[keep]})
    if strategy == "temporary_302":
        status = np.where(present, 302, 410)
    if strategy == "partial_map":
        visits = site.old.set_index("url")["visits"].reindex(sources).to_numpy()
        cutoff = np.quantile(visits, 1 - model.partial_map_share)
        mapped = present & (visits >= cutoff)
        return pd.DataFrame({"source": sources[mapped], "target": targets[mapped],
                             "status": status[mapped]})
    frame = pd.DataFrame({"source": sources, "target": np.where(present, targets, None),
                          "status": status})
    frame = frame[frame["source"] != frame["target"]]
    if strategy == "chains":
        frame = _with_legacy_chains(frame, model)
    return frame.reset_index(drop=True)


def _with_legacy_chains(frame: pd.DataFrame, model: MigrationAssumptions) -> pd.DataFrame:
    """Route each redirect through hops left by earlier relaunches (``/v1/...``, ``/v2/...``)."""
    rng = np.random.default_rng(model.seed)
    low, high = model.chain_hops
    rows: list[tuple[str, str | None, int]] = []
    for source, target, status in frame.itertuples(index=False):
        if target is None or status not in REDIRECT_STATUSES:
            rows.append((source, target, status))
            continue
        hops = int(min(high, low + rng.geometric(0.35) - 1))
        chain = [source] + [f"/v{step}{source}" for step in range(1, hops)] + [target]
        rows += [(a, b, 301) for a, b in itertools.pairwise(chain)]
    return pd.DataFrame(rows, columns=["source", "target", "status"])


def _page_outcomes(site: Redesign, redirects: pd.DataFrame) -> pd.DataFrame:
    """Follow each old page's rules to the end: hops, final URL and what that means."""
    old = site.old[["url", "visits", "links"]].reset_index(drop=True)
    rmap = load_redirects(redirects, origin=site.origin) if len(redirects) else None
    truth = site.truth.set_index("source")["target"]
    hops = np.zeros(len(old), dtype=int)
    outcome = np.full(len(old), "error", dtype=object)
    first_status = np.zeros(len(old), dtype=int)
    lands_on_match = np.zeros(len(old), dtype=bool)
    if rmap is not None:
        frame = rmap.frame
        keys = pd.concat([frame["source_key"], frame["target_key"]], ignore_index=True)
        codes, uniques = pd.factorize(keys)
        src, tgt = codes[: len(frame)], codes[len(frame):]
        nxt = np.full(len(uniques), -1, dtype=np.int64)
        redirect = frame["status"].isin(REDIRECT_STATUSES).to_numpy()
        nxt[src[redirect]] = tgt[redirect]
        final, n_hops, looped = resolve_chains(nxt)
        index = pd.Index(uniques)
        old_keys = [rmap.key(url) for url in old["url"]]
        old_codes = index.get_indexer(old_keys)
        first = frame.drop_duplicates("source_key").set_index("source_key")["status"]
        for position, (url, key, code) in enumerate(
            zip(old["url"], old_keys, old_codes, strict=True)
        ):
            if code < 0 or nxt[code] < 0:
                continue
            first_status[position] = first.get(key, 0)
            hops[position] = n_hops[code]
            if looped[code]:
                continue
            end = uniques[final[code]]
            expected = truth.get(url)
            lands_on_match[position] = isinstance(expected, str) and end == rmap.key(expected)
            if n_hops[code] > GOOGLEBOT_MAX_HOPS:
                outcome[position] = "too_many_hops"
            elif lands_on_match[position]:
                outcome[position] = "relevant"
            elif end == "/":
                outcome[position] = "homepage"
            else:
                outcome[position] = "elsewhere"
    homepage_rows = old["url"].eq("/").to_numpy()
    outcome[homepage_rows] = "relevant"
    lands_on_match[homepage_rows] = True
    old["outcome"] = outcome
    old["lands_on_match"] = lands_on_match
    old["hops"] = hops
    old["status"] = first_status
    old["soft_404"] = (outcome == "homepage") | (outcome == "elsewhere")
    return old


def simulate_migration(
    site: Redesign,
    strategy: str | TableSource,
    *,
    assumptions: MigrationAssumptions | None = None,
) -> MigrationResult:
    """Simulate the weeks after launch for a named strategy or for your own redirect map.

    ``site`` comes from :func:`kit.sites.redesign`; ``strategy`` is a key of
    :data:`STRATEGIES` or a redirect map (DataFrame or CSV path).
    """
    model = assumptions or MigrationAssumptions()
    if isinstance(strategy, str) and strategy in STRATEGIES:
        name, redirects = strategy, strategy_map(site, strategy, model)
    else:
        name, redirects = "your map", load_redirects(strategy).frame[["source", "target", "status"]]
    pages = _page_outcomes(site, redirects)
    weekly = _weekly(pages, model)
    return MigrationResult(strategy=name, weekly=weekly, pages=pages, assumptions=model)


def _weekly(pages: pd.DataFrame, model: MigrationAssumptions) -> pd.DataFrame:
    """Expected shares per week, from each page's chance of having been recrawled."""
    visits = pages["visits"].to_numpy(dtype=float)
    links = pages["links"].to_numpy(dtype=float)
    share = visits / visits.sum()
    weekly_chance = np.clip(model.recrawl_base + model.recrawl_popularity * share, 0, 1)
    weeks = np.arange(model.weeks + 1)
    recrawled = 1 - (1 - weekly_chance[None, :]) ** weeks[:, None]  # weeks x pages
    outcome = pages["outcome"].to_numpy()
    hops = pages["hops"].to_numpy()
    status = pages["status"].to_numpy()
    stays = 1 - model.bounce_per_extra_hop * np.maximum(hops - 1, 0)
    relevant = outcome == "relevant"
    temporary = np.isin(status, list(TEMPORARY_STATUSES))
    permanent = np.isin(status, list(PERMANENT_STATUSES)) | (status == 0)
    # Visitors: until the recrawl the old URL ranks and they follow the server;
    # after it, only pages whose signals passed on (or still rank, for 302s) keep them.
    # Browsers follow up to 20 redirects (WHATWG Fetch), so before the recrawl even
    # an 11-hop chain brings visitors to the page; Googlebot stops after 10.
    arrives = pages["lands_on_match"].to_numpy() & (hops <= BROWSER_MAX_HOPS)
    reach_relevant = np.where(arrives, stays, 0.0)
    reach_home = (outcome == "homepage").astype(float)
    reach_error = (~arrives & (outcome != "homepage")).astype(float)
    before, after = 1 - recrawled, recrawled
    relevant_share = (before * reach_relevant + after * np.where(relevant, stays, 0.0)) @ share
    home_share = (before * reach_home) @ share
    error_share = (before * reach_error) @ share
    credited_now = relevant & permanent
    delayed = np.clip(weeks[:, None] - model.temporary_credit_weeks, 0, None)
    late = 1 - (1 - weekly_chance[None, :]) ** delayed
    credit = np.where(credited_now, recrawled, 0.0) + np.where(relevant & temporary, late, 0.0)
    link_share = links / links.sum()
    link_credit = credit @ link_share
    link_credit[0] = 0.0
    return pd.DataFrame({
        "week": weeks,
        "relevant": relevant_share,
        "homepage": home_share,
        "error": error_share,
        "lost": np.clip(1 - relevant_share - home_share - error_share, 0, 1),
        "links": link_credit,
    })


def assumptions_table(assumptions: MigrationAssumptions | None = None) -> pd.DataFrame:
    """The model's assumptions as a two-column table for notebooks."""
    values = asdict(assumptions or MigrationAssumptions())
    return pd.DataFrame({"assumption": list(values), "value": list(values.values())})
