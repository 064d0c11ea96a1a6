"""A seeded shop running a paid campaign, for module 04 (tracking).

:func:`tracking_site` gives a :class:`TrackingSite`: the campaign's placements (Google and
Bing search ads, Facebook ads, a display banner, a newsletter), each with its clicks, price
per click, conversion rate and the channel Marketing expects it in, plus everyday traffic
that has nothing to do with the campaign (organic search, direct, referrals, social).
:meth:`TrackingSite.visits` lists every visit with its referrer and whether it converted.

How a visit's landing address is tagged depends on the scenario (:data:`SCENARIOS`:
untagged, tagged, tagged with mistakes): :meth:`TrackingSite.landings` gives each visit's
landing address in a scenario, and :meth:`TrackingSite.access_log` the web server access
log it would leave behind, with a few malformed lines as real ones have.
:func:`kit.tracking.simulate.scenario_sessions` reads the sessions from the landings as
GA4 would (source, medium, campaign), :func:`kit.tracking.simulate_campaign` reports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

__all__ = ["INTERNAL_BANNER", "PLACEMENTS", "SCENARIOS", "TrackingSite", "tracking_site"]

# placement, what it is, referrer the browser sends, share of clicks, price per click,
# conversion rate, channel Marketing expects
PLACEMENTS = pd.DataFrame(
    [
        ("google_ads", "Google search ads", "https://www.google.com/", 0.45, 0.90, 0.040,
         "Paid Search"),
        ("bing_ads", "Microsoft (Bing) search ads", "https://www.bing.com/", 0.10, 0.60, 0.035,
         "Paid Search"),
        ("facebook_ads", "Facebook ads", "https://m.facebook.com/", 0.20, 0.50, 0.020,
         "Paid Social"),
        ("display_banner", "banner on a hiking news site", "https://www.trailnews.example/",
         0.15, 0.30, 0.010, "Display"),
        ("newsletter", "the shop's own newsletter", "", 0.10, 0.00, 0.060, "Email"),
    ],
    columns=["placement", "description", "referrer", "share", "cost_per_click",
             "conversion_rate", "intended_channel"],
)
# scenario -> (label, explanation, {placement: query string added to the landing URL})
SCENARIOS: dict[str, tuple[str, str, dict[str, str]]] = {
    "untagged": (
        "Untagged (IT's answer: a login)",
        "No link carries tags and Google Ads auto-tagging is off: the analytics tool only "
        "sees each click's referrer, or none.",
        {},
    ),
    "tagged": (
        "Tagged correctly",
        "Google Ads auto-tagging (gclid) on; every other link carries utm_source, utm_medium "
        "and utm_campaign with values GA4 recognises.",
        {
            "google_ads": "gclid=EAIaIQobChMI{n}",
            "bing_ads": "utm_source=bing&utm_medium=cpc&utm_campaign=spring_sale",
            "facebook_ads": "utm_source=facebook&utm_medium=paid_social&utm_campaign=spring_sale",
            "display_banner": "utm_source=trailnews&utm_medium=display&utm_campaign=spring_sale",
            "newsletter": "utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale",
        },
    ),
    "mistakes": (
        "Tagged, with common mistakes",
        "A redirect drops the gclid of Google ads; Bing links say 'Bing Ads' / 'CPC'; Facebook "
        "ads say medium 'social'; the banner says 'banner_ad'; the newsletter says medium "
        "'newsletter'; and a tagged banner on the home page takes the credit for the sales "
        "of visitors who click it.",
        {
            "google_ads": "",  # gclid lost in an http -> https redirect that drops the query
            "bing_ads": "utm_source=Bing%20Ads&utm_medium=CPC&utm_campaign=Spring_Sale",
            "facebook_ads": "utm_source=facebook&utm_medium=social&utm_campaign=spring_sale",
            "display_banner": "utm_source=trailnews&utm_medium=banner_ad&utm_campaign=spring_sale",
            "newsletter": "utm_source=newsletter&utm_medium=newsletter&utm_campaign=spring-sale",
        },
    ),
}
INTERNAL_BANNER = "utm_source=homepage&utm_medium=banner&utm_campaign=spring_sale"
# everyday traffic: kind, referrer, landing path, share, conversion rate
_BACKGROUND = (
    ("organic_google", "https://www.google.com/", "/boots/", 0.45, 0.020),
    ("organic_duckduckgo", "https://duckduckgo.com/", "/tents/", 0.05, 0.020),
    ("direct", "", "/", 0.25, 0.030),
    ("referral_blog", "https://www.hikingblog.example/best-boots", "/boots/trail-pro/", 0.15,
     0.015),
    ("social_organic", "https://l.instagram.com/", "/jackets/", 0.10, 0.010),
)
_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
)
_MALFORMED = (
    "this line was cut off by a log rotation [12/Mar/2025:10:0",
    '203.0.113.9 - - [31/Feb/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/8.0"',
    "\x00\x00\x17\x03binary junk from a crashed writer\x00",
    '198.51.100.4 - - [12/Mar/2025:10:00:00 +0000] "\\x16\\x03\\x01\\x02" 400 0 "-" "-"',
    '192.0.2.1 - - [12/Mar/2025:10:00:00 +0000] "GET /a b c HTTP/1.1" 200 1 "-"',
)


@dataclass(frozen=True)
class TrackingSite:
    """The shop, its campaign and its traffic; see the module doc."""

    seed: int
    host: str
    campaign: str
    landing_path: str
    clicks: int
    background: int
    start: pd.Timestamp = field(default_factory=lambda: pd.Timestamp("2025-03-10", tz="UTC"))

    @property
    def placements(self) -> pd.DataFrame:
        """The campaign's placements with their expected clicks and cost."""
        frame = PLACEMENTS.copy()
        frame["clicks"] = (frame["share"] * self.clicks).round().astype(int)
        frame["cost"] = (frame["clicks"] * frame["cost_per_click"]).round(2)
        return frame

    @cached_property
    def _visits(self) -> pd.DataFrame:
        rng = np.random.default_rng(self.seed)
        rows: list[pd.DataFrame] = []
        for p in self.placements.itertuples(index=False):
            rows.append(pd.DataFrame({
                "kind": p.placement, "paid": True, "referrer": p.referrer,
                "path": self.landing_path, "cost": p.cost_per_click,
                "converted": (rng.random(p.clicks) < p.conversion_rate).astype(int)}))
        for kind, referrer, path, share, rate in _BACKGROUND:
            n = round(share * self.background)
            rows.append(pd.DataFrame({
                "kind": kind, "paid": False, "referrer": referrer, "path": path, "cost": 0.0,
                "converted": (rng.random(n) < rate).astype(int)}))
        visits = pd.concat(rows, ignore_index=True)
        n = len(visits)
        seconds = np.sort(rng.integers(0, 14 * 86400, n))
        visits = visits.iloc[rng.permutation(n)].reset_index(drop=True)
        visits.insert(0, "timestamp", self.start + pd.to_timedelta(seconds, unit="s"))
        visits.insert(0, "session_id", [f"s{i:06d}" for i in range(1, n + 1)])
        visits["ip"] = [f"10.{a}.{b}.{c}" for a, b, c in rng.integers(0, 255, (n, 3))]
        visits["user_agent"] = [_AGENTS[i] for i in rng.integers(0, len(_AGENTS), n)]
        visits["browses_banner"] = rng.random(n) < 0.15
        for column in ("kind", "referrer", "path", "ip", "user_agent"):
            visits[column] = visits[column].astype(object)
        return visits

    def visits(self) -> pd.DataFrame:
        """Every visit: ``session_id, timestamp, kind, paid, referrer, path, cost, converted,
        ip, user_agent, browses_banner`` (the visitor also clicks the home page banner)."""
        return self._visits.copy()

    def landings(self, scenario: str) -> pd.DataFrame:
        """:meth:`visits` with the ``landing_url`` each one arrives at under ``scenario``
        (one of :data:`SCENARIOS`: only the tags added to the landing address differ)."""
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; use one of {sorted(SCENARIOS)}")
        tags = SCENARIOS[scenario][2]
        visits = self.visits()
        base = f"https://{self.host}"
        urls = []
        for n, (kind, path) in enumerate(zip(visits["kind"], visits["path"], strict=True)):
            query = tags.get(kind, "").replace("{n}", f"{n:07d}")
            urls.append(f"{base}{path}" + (f"?{query}" if query else ""))
        visits["landing_url"] = pd.Series(urls, dtype=object)
        return visits

    def access_log(self, scenario: str, *, malformed: int = 5) -> str:
        """The web server's access log (combined format) for a scenario: each session's
        landing request, its page views and files, and ``malformed`` broken lines."""
        sessions = self.landings(scenario)
        rng = np.random.default_rng(self.seed + 1)
        lines: list[str] = []
        for row in sessions.itertuples(index=False):
            when = row.timestamp.strftime("%d/%b/%Y:%H:%M:%S %z")
            target = row.landing_url.split(self.host, 1)[1] or "/"
            ref = row.referrer or "-"
            lines.append(f'{row.ip} - - [{when}] "GET {target} HTTP/1.1" 200 5120 "{ref}" '
                         f'"{row.user_agent}"')
            own = f"https://{self.host}{target}"
            lines.append(f'{row.ip} - - [{when}] "GET /static/site.css HTTP/1.1" 200 900 '
                         f'"{own}" "{row.user_agent}"')
            if rng.random() < 0.3:
                lines.append(f'{row.ip} - - [{when}] "GET /basket/ HTTP/1.1" 200 2048 "{own}" '
                             f'"{row.user_agent}"')
        for i in range(malformed):
            lines.insert(int(rng.integers(0, len(lines) + 1)), _MALFORMED[i % len(_MALFORMED)])
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        return (f"TrackingSite(seed={self.seed}, host={self.host!r}, campaign={self.campaign!r}, "
                f"{self.clicks} paid clicks, {self.background} other visits)")

    def _repr_html_(self) -> str:
        shown = self.placements[["placement", "description", "clicks", "cost_per_click",
                                 "cost", "intended_channel"]]
        return (f"<p><b>{self.host}</b>: campaign <code>{self.campaign}</code>, "
                f"{self.clicks:,} paid clicks over two weeks, {self.background:,} other "
                "visits.</p>" + str(shown.to_html(index=False)))


def tracking_site(seed: int = 4, *, clicks: int = 2000, background: int = 3000) -> TrackingSite:
    """The module 04 shop (Northpeak Outdoor) with its spring sale campaign."""
    return TrackingSite(seed=seed, host="www.northpeak-outdoor.example",
                        campaign="spring_sale", landing_path="/spring-sale/", clicks=clicks,
                        background=background)
