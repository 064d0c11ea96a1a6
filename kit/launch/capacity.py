"""A social campaign's traffic, minute by minute, against the site that has to serve it.

:class:`Campaign` is Marketing's side: how many people the posts reach, how many click,
and the viral spike (when it starts, how many times the planned traffic it peaks at,
how fast it fades).  :class:`Site` is IT's side: servers, the requests per second each
serves, the share of requests the cache/CDN answers, and how long a visitor waits
before giving up.  :func:`capacity_table` puts them together.

The model (its assumptions are stated wherever it is shown, see :data:`ASSUMPTIONS`):

* planned visits ``reach x click_through`` arrive evenly over the campaign window;
* the viral spike adds ``(spike - 1) x`` the planned rate at its start minute and halves
  every ``half_life`` minutes (so the peak is ``spike`` times the planned rate);
* a visit makes ``requests_per_visit`` requests; the cache answers the share
  ``cache_hit`` of them, only misses reach the servers (10 x 20 % = 2 by default);
* **the queue carries over**: time runs in steps of at most one second; what the servers
  cannot serve in a step waits for the next.  A request that would wait longer than
  ``timeout_s`` is abandoned (its visitor gives up), so the queue never holds more than
  ``servers x rps_per_server x timeout_s`` requests: a short overload only adds wait,
  a long one loses about the excess over capacity;
* while no queue is left over, the random ups and downs of arrivals are the exact M/M/c
  steady state of :mod:`kit.launch.queueing` (Erlang C): the share of requests that wait
  longer than the timeout is ``C exp(-(c mu - lambda) T)``; draining a left-over queue,
  while a queue is left over, it alone sets the wait (the fluid part of the model);
* **losses are counted per visit**: the requests of one visit reach the servers together
  and share its fate, so the visits lost are the requests lost divided by the requests a
  visit sends to the servers.

The steady-state columns (``p_wait``) are the exact Erlang C figures of each minute's
load; :func:`simulate_requests` replays every request one by one (a seeded discrete-event
simulation of the same queue) to check the model, as the tests do.
"""

from __future__ import annotations

import heapq
import html
import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd

from kit.errors import InputError
from kit.launch.queueing import wait_longer_than
from kit.results import Result

__all__ = [
    "ASSUMPTIONS",
    "CAPACITY_COLUMNS",
    "PHASES",
    "Campaign",
    "CapacityReport",
    "Site",
    "capacity_table",
    "requests_at_servers",
    "servers_needed",
    "settings_table",
    "simulate_requests",
    "traffic_curve",
]

ASSUMPTIONS = (
    "A model, not a measurement; its assumptions: planned visits (reach × click-through) arrive "
    "evenly over the window; the viral spike peaks at the given multiple of the planned rate and "
    "halves every half-life. Each visit makes the given number of requests; the cache answers "
    "its hit share and only misses reach the servers (by default 10 × 20% = 2 requests per "
    "visit). The queue carries over from second to second: what the servers cannot serve now "
    "waits, so a short overload adds a few seconds of wait rather than losing visitors. A "
    "request that would wait longer than the timeout is abandoned, and the visit it belongs to "
    "is lost: a visit's requests arrive together and share its fate, so losses are counted per "
    "visit, not per request. Without a left-over queue, the random ups and downs are the exact "
    "M/M/c queue (Erlang C: random arrivals, random service times, one request at a time per "
    "server; a machine with 8 worker processes counts as 8 servers)."
)
PHASES = ("before the spike", "spike", "after the spike")
CAPACITY_COLUMNS = (
    "minute", "phase", "visitors", "requests_per_s", "origin_rps", "capacity_rps",
    "utilisation", "p_wait", "queued", "wait_s", "response_s", "requests_served",
    "requests_lost", "error_share", "visitors_lost", "overloaded",
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


def requests_at_servers(campaign: Campaign, site: Site) -> float:
    """Requests one visit sends to the servers: the misses of the cache (10 x 20% = 2 by default).

    The model's assumption: a visit's requests reach the servers together and share its
    fate, so this is also the number that turns requests lost into visits lost.
    """
    return campaign.requests_per_visit * (1.0 - site.cache_hit)


def _steps_per_minute(timeout_s: float) -> int:
    """Time steps of at most a second, and at most a fifth of the timeout (up to 600 a minute)."""
    return int(min(600, max(60, math.ceil(300.0 / timeout_s))))


def _carry_over(origin_rps: np.ndarray, site: Site) -> dict[str, np.ndarray]:
    """The queue minute by minute, carried over in short steps; per-minute sums.

    Returns per minute: requests arrived, served, lost (abandoned at the timeout), queued at
    the minute's end, and the mean wait of the requests served.
    """
    mu, c, limit_s = site.rps_per_server, site.servers, site.timeout_s
    capacity = c * mu
    queue_limit = capacity * limit_s            # more than this cannot be served within T
    p_wait, mean_wait, tail = wait_longer_than(origin_rps, mu, c, limit_s)
    steps = _steps_per_minute(limit_s)
    dt = 60.0 / steps
    n = len(origin_rps)
    arrived = origin_rps * 60.0
    served, lost, queued, wait = (np.zeros(n) for _ in range(4))
    backlog = 0.0
    for m in range(n):
        lam = float(origin_rps[m])
        if backlog == 0.0 and lam < capacity:       # no queue left over: Erlang C steady state
            lost[m] = arrived[m] * tail[m]
            served[m] = arrived[m] - lost[m]
            wait[m] = min(float(mean_wait[m]), limit_s)
            continue
        step_lost = step_served = wait_sum = 0.0
        for _ in range(steps):
            come = lam * dt
            gone = 0.0
            if backlog == 0.0 and lam < capacity:  # the queue has drained: Erlang C again
                gone = come * float(tail[m])
            join = come - gone
            after = backlog + join - capacity * dt
            done = capacity * dt if after >= 0.0 else backlog + join
            after = max(after, 0.0)
            over = max(0.0, after - queue_limit)     # would wait past the timeout: abandoned
            after -= over
            step_lost += gone + over
            step_served += done
            wait_sum += (join - over) * min((backlog + after) / 2.0 / capacity, limit_s)
            backlog = after
        lost[m], served[m], queued[m] = step_lost, step_served, backlog
        kept = arrived[m] - step_lost
        wait[m] = wait_sum / kept if kept > 0 else 0.0
    return {"arrived": arrived, "served": served, "lost": lost, "queued": queued,
            "wait": wait, "p_wait": p_wait}


@dataclass(frozen=True)
class CapacityReport(Result):
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
        return {
            "visitors": round(visitors),
            "visitors_lost": round(lost),
            "lost_share": round(lost / visitors, 4) if visitors else 0.0,
            "requests_per_visit_at_servers": round(
                requests_at_servers(self.campaign, self.site), 3),
            "peak_origin_rps": round(float(t["origin_rps"].max()), 1),
            "capacity_rps": round(self.site.capacity_rps, 1),
            "peak_utilisation": round(float(t["utilisation"].max()), 3),
            "overloaded_minutes": overloaded,
            "longest_queue": round(float(t["queued"].max())),
            "worst_wait_s": round(float(t["wait_s"].max()), 2),
            "worst_response_s": round(float(t["response_s"].max()), 3),
            "first_overloaded_minute": (int(t.loc[t["overloaded"], "minute"].iloc[0])
                                        if overloaded else -1),
        }

    @property
    def ok(self) -> bool:
        """No overloaded minute and at most 1 visitor in 1,000 lost."""
        s = self.summary
        return s["overloaded_minutes"] == 0 and s["lost_share"] <= 0.001

    def by_phase(self) -> pd.DataFrame:
        """One row per phase: minutes, visitors, lost, peak load, worst wait and response."""
        t = self.table
        groups = t.groupby("phase", sort=False)
        frame = pd.DataFrame({
            "minutes": groups.size(),
            "visitors": groups["visitors"].sum().round(0),
            "visitors_lost": groups["visitors_lost"].sum().round(0),
            "peak_origin_rps": groups["origin_rps"].max().round(1),
            "peak_utilisation": groups["utilisation"].max().round(3),
            "worst_wait_s": groups["wait_s"].max().round(2),
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
                f"overloaded_minutes={s['overloaded_minutes']}, "
                f"worst_wait_s={s['worst_wait_s']})")

    def summary_rows(self) -> list[tuple[str, str]]:
        s = self.summary
        return [
            ("visitors in the window", f"{s['visitors']:,}"),
            ("visitors lost (gave up at the timeout)",
             f"{s['visitors_lost']:,} ({s['lost_share']:.1%})"),
            ("peak requests/s reaching the servers", f"{s['peak_origin_rps']:,}"),
            ("what the servers can serve", f"{s['capacity_rps']:,} requests/s"),
            ("peak utilisation", f"{s['peak_utilisation']:.0%}"),
            ("minutes overloaded", f"{s['overloaded_minutes']:,}"),
            ("worst mean wait in a minute", f"{s['worst_wait_s']:,} s"),
        ]

    def summary_caption(self) -> str:
        return "Campaign vs capacity"

    def detail_html(self) -> str:
        return f"<p style='font-size:90%'>{html.escape(ASSUMPTIONS)}</p>"


def capacity_table(campaign: Campaign | None = None, site: Site | None = None) -> CapacityReport:
    """Every minute of ``campaign`` on ``site``: load, queue, wait, lost visitors.

    The queue carries over between minutes; a request that would wait longer than the
    timeout is abandoned and its visit is lost (see the module's assumptions).
    """
    campaign = campaign or Campaign()
    site = site or Site()
    table = traffic_curve(campaign)
    origin = table["requests_per_s"].to_numpy() * (1.0 - site.cache_hit)
    run = _carry_over(origin, site)
    per_visit = requests_at_servers(campaign, site)
    visitors = table["visitors"].to_numpy()
    lost_visits = (np.minimum(run["lost"] / per_visit, visitors) if per_visit > 0
                   else np.zeros(len(visitors)))
    table["origin_rps"] = origin
    table["capacity_rps"] = site.capacity_rps
    table["utilisation"] = origin / site.capacity_rps
    table["p_wait"] = run["p_wait"]
    table["queued"] = run["queued"]
    table["wait_s"] = run["wait"]
    table["response_s"] = 1.0 / site.rps_per_server + run["wait"]
    table["requests_served"] = run["served"]
    table["requests_lost"] = run["lost"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["error_share"] = np.where(visitors > 0, lost_visits / np.where(visitors > 0,
                                                                              visitors, 1.0), 0.0)
    table["visitors_lost"] = lost_visits
    table["overloaded"] = origin >= site.capacity_rps
    return CapacityReport(campaign=campaign, site=site, table=table[list(CAPACITY_COLUMNS)])


def simulate_requests(campaign: Campaign | None = None, site: Site | None = None, *,
                      seed: int = 0, max_requests: int = 3_000_000) -> pd.DataFrame:
    """Replay every request one by one (a seeded discrete-event simulation) to check the model.

    Visits arrive at random (Poisson) at each minute's rate; each sends
    :func:`requests_at_servers` requests to the servers at the same instant (a fractional
    part becomes one more request with that probability); the servers take them first come,
    first served, each in a random (exponential) time.  A visit whose first request would
    wait longer than the timeout is abandoned with all its requests (they share its fate, as
    in the model) and never takes a server.  Returns per minute: visitors, visitors_lost,
    requests, requests_lost.
    """
    campaign = campaign or Campaign()
    site = site or Site()
    rng = np.random.default_rng(seed)
    curve = traffic_curve(campaign)
    per_visit = requests_at_servers(campaign, site)
    visits = rng.poisson(curve["visitors"].to_numpy())
    whole, part = math.floor(per_visit), per_visit - math.floor(per_visit)
    counts = whole + (rng.random(int(visits.sum())) < part)
    if int(counts.sum()) > max_requests:
        raise InputError(f"{int(counts.sum()):,} requests to simulate, more than "
                         f"max_requests = {max_requests:,}; use capacity_table for this size.")
    minute_of = np.repeat(np.arange(len(visits)), visits)
    times = np.sort(minute_of * 60.0 + rng.random(len(minute_of)) * 60.0)
    services = rng.exponential(1.0 / site.rps_per_server, int(counts.sum()))
    free = [0.0] * site.servers                  # when each server is next free (a heap)
    limit = site.timeout_s
    lost_visit = np.zeros(len(times), dtype=bool)
    lost_requests = np.zeros(len(times), dtype=np.int64)
    k = 0
    for i, (arrive, many) in enumerate(zip(times.tolist(), counts.tolist(), strict=True)):
        if many and free[0] - arrive > limit:    # its first request would wait too long
            lost_requests[i] = many              # the visit gives up: all its requests go
            lost_visit[i] = True
            k += many
            continue
        for _ in range(many):
            start = max(free[0], arrive)
            heapq.heapreplace(free, start + services[k])
            k += 1
    minute = (times // 60).astype(int)
    frame = pd.DataFrame({"minute": minute, "visit_lost": lost_visit, "requests": counts,
                          "requests_lost": lost_requests})
    sums = frame.groupby("minute").agg(visitors=("visit_lost", "size"),
                                       visitors_lost=("visit_lost", "sum"),
                                       requests=("requests", "sum"),
                                       requests_lost=("requests_lost", "sum"))
    return (sums.reindex(range(campaign.minutes), fill_value=0).rename_axis("minute")
            .reset_index())


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
