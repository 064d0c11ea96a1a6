"""Where the paid clicks end up: one campaign, untagged, tagged, and tagged with mistakes.

The same visits (:mod:`kit.sites.tracking_site`) arrive at the site in each scenario;
only the landing addresses differ.  Each visit's source, medium and campaign are derived
exactly as :func:`kit.tracking.sessions.traffic_source` does for a real log, then
classified with GA4's default channel rules, so the simulator's rules are the tool's rules.

Assumptions (shown with the results): see :data:`SIMULATION_ASSUMPTIONS`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from kit.results import Result
from kit.sites.tracking_site import INTERNAL_BANNER, SCENARIOS, TrackingSite, tracking_site
from kit.tracking.channels import CHANNELS, classify_sessions
from kit.tracking.report import AttributionReport, attribution_report
from kit.tracking.sessions import ASSUMPTIONS, SessionLog, traffic_source

__all__ = [
    "SCENARIOS",
    "SIMULATION_ASSUMPTIONS",
    "CampaignSimulation",
    "scenario_sessions",
    "simulate_campaign",
]

SIMULATION_ASSUMPTIONS: tuple[str, ...] = (
    "The same visits arrive in every scenario (seeded); only the landing addresses change.",
    "Browsers send the page they came from as referrer; e-mail apps send none.",
    "In the 'mistakes' scenario 15% of visitors also click a tagged banner on the home page "
    "before they buy. GA4 starts no new session for it (Universal Analytics did): the session "
    "keeps the source it arrived with, but its purchase, a key event, is credited in GA4's "
    "key-event attribution (last click) to the banner's campaign (homepage / banner, which "
    "GA4 files under Display). The "
    "same visitor's next direct visit would also inherit the banner as its source (not "
    "simulated here).",
    "Cost is the true price of each paid click, shown in whichever channel the click lands in "
    "(GA4 itself shows cost only for linked Google Ads or imported cost data).",
    *ASSUMPTIONS,
)


def scenario_sessions(site: TrackingSite, scenario: str) -> pd.DataFrame:
    """The session log of ``site``'s visits under ``scenario`` (with source/medium/campaign)."""
    visits = site.landings(scenario)
    base = f"https://{site.host}"
    derived = [traffic_source(url, ref, site=site.host)
               for url, ref in zip(visits["landing_url"], visits["referrer"], strict=True)]
    visits[["source", "medium", "campaign"]] = pd.DataFrame(derived, dtype=object,
                                                              index=visits.index)
    # The campaign a key event is credited to (last click): the session's own, unless the
    # visitor clicked the tagged banner on the home page before buying ('mistakes').
    for part in ("source", "medium", "campaign"):
        visits[f"key_event_{part}"] = visits[part]
    if scenario == "mistakes":
        banner = traffic_source(f"{base}{site.landing_path}?{INTERNAL_BANNER}", f"{base}/",
                                site=site.host)
        clicked = visits["browses_banner"].to_numpy()
        for part, value in zip(("source", "medium", "campaign"), banner, strict=True):
            visits.loc[clicked, f"key_event_{part}"] = value
    columns = ["session_id", "timestamp", "kind", "paid", "landing_url", "referrer", "source",
               "medium", "campaign", "key_event_source", "key_event_medium",
               "key_event_campaign", "cost", "converted", "ip", "user_agent"]
    return visits[columns]


@dataclass(frozen=True)
class CampaignSimulation(Result):
    """Per scenario: the sessions, the report, and where the paid clicks landed."""

    site: TrackingSite
    sessions: dict[str, pd.DataFrame]
    reports: dict[str, AttributionReport]
    paid_clicks: pd.DataFrame  # scenario, channel, clicks, cost, conversions (credited)

    def where(self, scenario: str) -> pd.DataFrame:
        """Where the campaign's paid clicks landed in ``scenario``, biggest first; the
        ``conversions`` column is where their sales are credited (a row may have sales and
        no clicks: the tagged home page banner of the 'mistakes' scenario)."""
        frame = self.paid_clicks[self.paid_clicks["scenario"] == scenario]
        return frame.drop(columns="scenario").reset_index(drop=True)

    @property
    def summary(self) -> dict[str, int | str]:
        """Per scenario, the channel that got most paid clicks; and the paid clicks."""
        figures: dict[str, int | str] = {"scenarios": len(self.sessions)}
        for scenario in self.sessions:
            figures[f"most_paid_clicks_{scenario}"] = str(self.where(scenario).iloc[0]["channel"])
        figures["paid_clicks"] = int(self.paid_clicks["clicks"].sum())
        return figures

    def __repr__(self) -> str:
        parts = []
        for scenario in self.sessions:
            top = self.where(scenario).iloc[0]
            parts.append(f"{scenario}: most paid clicks in {top['channel']}")
        return f"CampaignSimulation({'; '.join(parts)})"

    def summary_html(self) -> str:
        table = self.paid_clicks.pivot_table(index="channel", columns="scenario",
                                             values="clicks", fill_value=0, observed=True)
        return ("<p>Where the campaign's paid clicks land in GA4's default channels "
                "(GA4 help 9756891):</p>" + str(table.to_html()))

    def detail_html(self) -> str:
        items = "".join(f"<li>{html.escape(a)}</li>" for a in SIMULATION_ASSUMPTIONS)
        return f"<details><summary>Assumptions</summary><ul>{items}</ul></details>"


def simulate_campaign(site: TrackingSite | None = None, *,
                      scenarios: tuple[str, ...] = tuple(SCENARIOS)) -> CampaignSimulation:
    """Run ``scenarios`` on ``site`` (default: :func:`kit.sites.tracking_site`)."""
    site = site or tracking_site()
    sessions: dict[str, pd.DataFrame] = {}
    reports: dict[str, AttributionReport] = {}
    paid: list[pd.DataFrame] = []
    for scenario in scenarios:
        frame = scenario_sessions(site, scenario)
        frame["channel"] = classify_sessions(frame)
        touch = frame[["key_event_source", "key_event_medium", "key_event_campaign"]]
        frame["key_event_channel"] = classify_sessions(touch.set_axis(
            ["source", "medium", "campaign"], axis=1))
        sessions[scenario] = frame
        reports[scenario] = attribution_report(SessionLog(scenario, frame, len(frame)))
        clicks = frame[frame["paid"]]
        grouped = (clicks.groupby("channel", observed=True)
                   .agg(clicks=("session_id", "size"), cost=("cost", "sum")).reset_index())
        won = (clicks.groupby("key_event_channel", observed=True)["converted"].sum()
               .rename("conversions").rename_axis("channel").reset_index())
        grouped["channel"] = grouped["channel"].astype(str)
        won["channel"] = won["channel"].astype(str)
        grouped = grouped.merge(won, on="channel", how="outer")
        grouped["clicks"] = grouped["clicks"].fillna(0).astype(int)
        grouped["cost"] = grouped["cost"].fillna(0.0)
        grouped["conversions"] = grouped["conversions"].fillna(0).astype(int)
        grouped.insert(0, "scenario", scenario)
        grouped["cost"] = grouped["cost"].round(2)
        paid.append(grouped.sort_values(["clicks", "channel"], ascending=[False, True]))
    table = pd.concat(paid, ignore_index=True)
    table["channel"] = pd.Categorical(table["channel"], categories=list(CHANNELS))
    return CampaignSimulation(site, sessions, reports, table)
