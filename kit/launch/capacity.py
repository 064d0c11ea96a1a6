"""A social campaign's traffic, minute by minute, against the site that has to serve it.

:class:`Campaign` is Marketing's side: how many people the posts reach, how many click,
and the viral spike (when it starts, how many times the planned traffic it peaks at,
how fast it fades).  :class:`Site` is IT's side: servers, the requests per second each
serves, the share of requests the cache/CDN answers, and how long a visitor waits
before giving up.  :func:`capacity_table` puts them together with the exact M/M/c
model of :mod:`kit.launch.queueing`.

Assumptions (stated wherever the model is shown, see :data:`ASSUMPTIONS`):

* planned visits ``reach x click_through`` arrive evenly over the campaign window;
* the viral spike adds ``(spike - 1) x`` the planned rate at its start minute and halves
  every ``half_life`` minutes (so the peak is ``spike`` times the planned rate);
* a visit makes ``requests_per_visit`` requests; the cache answers the share
  ``cache_hit`` of them, only misses reach the servers;
* each minute is its own steady state of an M/M/c queue (arrivals Poisson, service
  exponential, ``servers`` = c, ``rps_per_server`` = service rate); no backlog carries
  over from one minute to the next, which flatters an overloaded site;
* a request that waits longer than ``timeout_s`` is an error, and its visitor is lost;
  in an overloaded minute (utilisation >= 1) the queue grows without bound and every
  visitor of that minute is lost.
"""

from __future__ import annotations

import html
import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd

from kit.display import key_value_table
from kit.errors import InputError
from kit.launch.queueing import wait_longer_than

__all__ = [
    "ASSUMPTIONS",
    "CAPACITY_COLUMNS",
    "PHASES",
    "Campaign",
    "CapacityReport",
    "Site",
    "capacity_table",
    "servers_needed",
    "settings_table",
    "traffic_curve",
]

ASSUMPTIONS = (
    "A model, not a measurement. Planned visits (reach × click-through) arrive evenly over the "
    "window; the viral spike peaks at the given multiple of the planned rate and halves every "
    "half-life. Each visit makes the given number of requests; the cache answers its hit share, "
    "only misses reach the servers. Each minute is an M/M/c queue in steady state (random "
    "arrivals, random service times, one request at a time per server; a machine with 8 worker "
    "processes counts as 8 servers); no backlog carries over between minutes, which flatters an "
    "overloaded site. A request that waits longer than the timeout is an error and its visitor "
    "is lost; at utilisation 100% or more every visitor of that minute is lost."
)
PHASES = ("before the spike", "spike", "after the spike")
CAPACITY_COLUMNS = (
    "minute", "phase", "visitors", "requests_per_s", "origin_rps", "capacity_rps",
    "utilisation", "p_wait", "response_s", "error_share", "visitors_lost", "overloaded",
)


def _number(owner: str, name: str, value: object, *, low: float = 0.0,
            high: float = math.inf, positive: bool = False, whole: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(f"{owner}.{name} = {value!r}: expected a number.")
    number = float(value)
    if math.isnan(number) or number < low or number > high or (positive and number <= 0):
        span = f"between {low:g} and {high:g}" if math.isfinite(high) else (
            f"greater than {low:g}" if positive else f"{low:g} or more")
        raise InputError(f"{owner}.{name} = {value!r}: expected a number {span}.")
    if whole and not float(number).is_integer():
        raise InputError(f"{owner}.{name} = {value!r}: expected a whole number.")


@dataclass(frozen=True)
class Campaign:
    """Marketing's figures: reach, click-through, the window and the viral spike.

    ``spike`` is the peak as a multiple of the planned visits per minute (1 = no spike),
    ``spike_at`` the minute it starts, ``half_life`` the minutes it takes to halve.
    """

    reach: int = 1_000_000
    ctr: float = 0.02
    minutes: int = 240
    spike: float = 30.0
    spike_at: int = 60
    half_life: float = 20.0
    requests_per_visit: float = 10.0

    def __post_init__(self) -> None:
        name = "Campaign"
        _number(name, "reach", self.reach, whole=True)
        _number(name, "ctr", self.ctr, high=1.0)
        _number(name, "minutes", self.minutes, low=1, high=7 * 24 * 60, whole=True)
        _number(name, "spike", self.spike, low=1.0, high=1e6)
        _number(name, "spike_at", self.spike_at, whole=True)
        _number(name, "half_life", self.half_life, positive=True)
        _number(name, "requests_per_visit", self.requests_per_visit, positive=True)
        if self.spike_at >= self.minutes:
            raise InputError(f"Campaign.spike_at = {self.spike_at}: the spike must start inside "
                             f"the window of {self.minutes} minutes (0 to {self.minutes - 1}).")

    @property
    def planned_per_minute(self) -> float:
        """Planned visits per minute without the spike."""
        return self.reach * self.ctr / self.minutes


@dataclass(frozen=True)
class Site:
    """IT's figures: servers, requests per second each, cache hit share, visitors' patience."""

    servers: int = 4
    rps_per_server: float = 20.0
    cache_hit: float = 0.8
    timeout_s: float = 10.0

    def __post_init__(self) -> None:
        name = "Site"
        _number(name, "servers", self.servers, low=1, high=100_000, whole=True)
        _number(name, "rps_per_server", self.rps_per_server, positive=True)
        _number(name, "cache_hit", self.cache_hit, high=1.0)
        _number(name, "timeout_s", self.timeout_s, positive=True)

    @property
    def capacity_rps(self) -> float:
        """Requests per second the servers can serve at 100% utilisation."""
        return self.servers * self.rps_per_server


def traffic_curve(campaign: Campaign) -> pd.DataFrame:
    """Visitors and requests per second for every minute of the window, with its phase.

    The spike phase runs from ``spike_at`` for three half-lives (the extra traffic has
    fallen to an eighth of its peak by then).
    """
    minute = np.arange(campaign.minutes)
    base = campaign.planned_per_minute
    since = minute - campaign.spike_at
    extra = np.where(since >= 0, base * (campaign.spike - 1.0)
                     * np.exp2(-np.maximum(since, 0) / campaign.half_life), 0.0)
    visitors = base + extra
    spike_end = campaign.spike_at + 3 * campaign.half_life
    phase = np.where(since < 0, PHASES[0], np.where(minute < spike_end, PHASES[1], PHASES[2]))
    return pd.DataFrame({
        "minute": minute,
        "phase": pd.Series(phase, dtype=object),
        "visitors": visitors,
        "requests_per_s": visitors * campaign.requests_per_visit / 60.0,
    })


@dataclass(frozen=True)
class CapacityReport:
    """The per-minute table for one campaign on one site, with its headline figures."""

    campaign: Campaign
    site: Site
    table: pd.DataFrame = field(repr=False)

    @property
    def summary(self) -> dict[str, float | int | bool]:
        t = self.table
        visitors = float(t["visitors"].sum())
        lost = float(t["visitors_lost"].sum())
        overloaded = int(t["overloaded"].sum())
        finite = t.loc[~t["overloaded"], "response_s"]
        return {
            "visitors": round(visitors),
            "visitors_lost": round(lost),
            "lost_share": round(lost / visitors, 4) if visitors else 0.0,
            "peak_origin_rps": round(float(t["origin_rps"].max()), 1),
            "capacity_rps": round(self.site.capacity_rps, 1),
            "peak_utilisation": round(float(t["utilisation"].max()), 3),
            "overloaded_minutes": overloaded,
            "worst_response_s": (round(float(finite.max()), 3) if overloaded == 0 and len(finite)
                                 else self.site.timeout_s),
            "first_overloaded_minute": (int(t.loc[t["overloaded"], "minute"].iloc[0])
                                        if overloaded else -1),
        }

    @property
    def ok(self) -> bool:
        """No overloaded minute and at most 1 visitor in 1,000 lost."""
        s = self.summary
        return s["overloaded_minutes"] == 0 and s["lost_share"] <= 0.001

    def by_phase(self) -> pd.DataFrame:
        """One row per phase: minutes, visitors, lost, peak load, worst response."""
        t = self.table
        groups = t.groupby("phase", sort=False)
        frame = pd.DataFrame({
            "minutes": groups.size(),
            "visitors": groups["visitors"].sum().round(0),
            "visitors_lost": groups["visitors_lost"].sum().round(0),
            "peak_origin_rps": groups["origin_rps"].max().round(1),
            "peak_utilisation": groups["utilisation"].max().round(3),
            "worst_response_s": groups["response_s"].max().round(3),
            "overloaded_minutes": groups["overloaded"].sum().astype(int),
        })
        frame["lost_share"] = (frame["visitors_lost"] / frame["visitors"]).fillna(0.0).round(4)
        order = [p for p in PHASES if p in frame.index]
        return frame.loc[order].rename_axis("phase").reset_index()

    def __repr__(self) -> str:
        s = self.summary
        return (f"CapacityReport(visitors={s['visitors']}, visitors_lost={s['visitors_lost']}, "
                f"peak_utilisation={s['peak_utilisation']}, "
                f"overloaded_minutes={s['overloaded_minutes']})")

    def _repr_html_(self) -> str:
        s = self.summary
        rows = [
            ("visitors in the window", f"{s['visitors']:,}"),
            ("visitors lost (timeouts, errors)", f"{s['visitors_lost']:,} ({s['lost_share']:.1%})"),
            ("peak requests/s reaching the servers", f"{s['peak_origin_rps']:,}"),
            ("what the servers can serve", f"{s['capacity_rps']:,} requests/s"),
            ("peak utilisation", f"{s['peak_utilisation']:.0%}"),
            ("minutes overloaded", f"{s['overloaded_minutes']:,}"),
        ]
        return (key_value_table(rows, caption="Campaign vs capacity")
                + f"<p style='font-size:90%'>{html.escape(ASSUMPTIONS)}</p>")


def capacity_table(campaign: Campaign | None = None, site: Site | None = None) -> CapacityReport:
    """Every minute of ``campaign`` on ``site``: load, wait, response, errors, lost visitors."""
    campaign = campaign or Campaign()
    site = site or Site()
    table = traffic_curve(campaign)
    origin = table["requests_per_s"].to_numpy() * (1.0 - site.cache_hit)
    p_wait, wait, longer = wait_longer_than(origin, site.rps_per_server, site.servers,
                                            site.timeout_s)
    overloaded = origin >= site.capacity_rps
    response = np.where(overloaded, site.timeout_s,
                        np.minimum(1.0 / site.rps_per_server + wait, site.timeout_s))
    table["origin_rps"] = origin
    table["capacity_rps"] = site.capacity_rps
    table["utilisation"] = origin / site.capacity_rps
    table["p_wait"] = p_wait
    table["response_s"] = response
    table["error_share"] = longer
    table["visitors_lost"] = table["visitors"] * longer
    table["overloaded"] = overloaded
    return CapacityReport(campaign=campaign, site=site, table=table[list(CAPACITY_COLUMNS)])


def servers_needed(campaign: Campaign, site: Site, *, max_lost_share: float = 0.001,
                   limit: int = 100_000) -> int:
    """The fewest servers (other figures unchanged) with no overloaded minute and at most
    ``max_lost_share`` of the visitors lost.  Exact: losses only fall as servers are added."""
    _number("servers_needed", "max_lost_share", max_lost_share, high=1.0)

    def fine(servers: int) -> bool:
        report = capacity_table(campaign, replace(site, servers=servers))
        lost = float(report.table["visitors_lost"].sum())
        total = float(report.table["visitors"].sum())
        return not report.table["overloaded"].any() and lost <= max_lost_share * total

    peak = float(traffic_curve(campaign)["requests_per_s"].max()) * (1.0 - site.cache_hit)
    low = max(1, math.floor(peak / site.rps_per_server))  # fewer cannot even keep up
    if fine(low):
        return low
    high = low
    while not fine(high):
        if high >= limit:
            raise InputError(f"more than {limit:,} servers would be needed; check the figures "
                             "(requests per server, cache hit share).")
        high = min(limit, high * 2)
    while high - low > 1:
        middle = (low + high) // 2
        if fine(middle):
            high = middle
        else:
            low = middle
    return high


def settings_table(campaign: Campaign, site: Site) -> pd.DataFrame:
    """The model's inputs as a two-column table (who sets it, setting, value)."""
    rows = [("Marketing", k, v) for k, v in asdict(campaign).items()]
    rows += [("IT", k, v) for k, v in asdict(site).items()]
    return pd.DataFrame(rows, columns=["who", "setting", "value"]).astype({"value": object})
