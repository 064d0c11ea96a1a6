"""The acquisition report a marketer reads: sessions, conversions and cost per channel.

:func:`attribution_report` classifies every session into GA4's default channel group
(each session counts for the source it arrived with) and adds up sessions, conversions
and cost per channel and campaign.  Cost comes from a ``cost`` column of the sessions
(what each click cost); conversions from a ``converted`` column or a separate table of
converting ``session_id``s.

Key events (conversions) are credited as GA4 credits them, by last click: when the
sessions carry ``key_event_source`` / ``key_event_medium`` / ``key_event_campaign`` (the
last campaign the visitor clicked before converting, e.g. a tagged banner on the site's
own home page), a conversion counts for that channel and campaign, while the session
stays with the source it arrived with.  GA4 starts no new session when the campaign
changes mid-session (Universal Analytics did); the harm of a tagged internal link is
that the sale is credited to the internal campaign.

Data without conversions (an access log records requests, not purchases) or without cost
report them as missing (``NaN``, shown "not in the data"), never as 0.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kit.errors import InputError
from kit.results import Result
from kit.tracking.categories import SourceCategories
from kit.tracking.channels import CHANNELS, classify_sessions
from kit.tracking.sessions import SessionLog, load_sessions

__all__ = ["NO_CONVERSIONS", "NO_COST", "REPORT_COLUMNS", "AttributionReport",
           "attribution_report"]

REPORT_COLUMNS = ("channel", "campaign", "sessions", "conversions", "cost",
                  "conversion_rate", "cost_per_conversion")


NO_CONVERSIONS = ("Conversions: not in this data (an access log records requests, not "
                  "purchases). Match the shop's orders to the sessions first: a converted "
                  "column, or orders by session_id.")
NO_COST = "Cost: not in this data (import it from the ad platforms, or a cost column)."


@dataclass(frozen=True)
class AttributionReport(Result):
    """Per channel and campaign (``table``) and per channel (``by_channel``) totals.

    ``has_conversions`` / ``has_cost`` say whether the data held them; when not, those
    columns are ``NaN`` and :meth:`notes` says why.
    """

    table: pd.DataFrame
    by_channel: pd.DataFrame
    has_conversions: bool = True
    has_cost: bool = True

    @property
    def summary(self) -> dict[str, int | float | str | bool]:
        """Sessions, the biggest channel, conversions and cost (when the data held them)."""
        by = self.by_channel
        figures: dict[str, int | float | str | bool] = {
            "sessions": int(by["sessions"].sum()),
            "channels": int((by["sessions"] > 0).sum()),
            "top_channel": str(by.iloc[0]["channel"]) if len(by) else "",
            "has_conversions": self.has_conversions,
            "has_cost": self.has_cost,
        }
        if self.has_conversions:
            figures["conversions"] = int(by["conversions"].sum())
        if self.has_cost:
            figures["cost"] = round(float(by["cost"].sum()), 2)
        return figures

    def notes(self) -> list[str]:
        """What the data could not say, in plain words (empty when it had everything)."""
        return ([] if self.has_conversions else [NO_CONVERSIONS]) + (
            [] if self.has_cost else [NO_COST])

    def readable(self) -> pd.DataFrame:
        """``by_channel`` as a person reads it: rates as %, money with 2 decimals, and
        "not in the data" where the data had no conversions or cost."""
        shown = self.by_channel.copy()
        missing = "not in the data"
        shown["sessions"] = shown["sessions"].astype(int)
        if self.has_conversions:
            shown["conversions"] = shown["conversions"].astype(int)
            shown["conversion_rate"] = shown["conversion_rate"].map(
                lambda v: "—" if pd.isna(v) else f"{v:.1%}")
        else:
            for column in ("conversions", "conversion_rate", "cost_per_conversion"):
                shown[column] = missing
        shown["cost"] = (shown["cost"].map(lambda v: f"{v:,.2f}") if self.has_cost
                         else missing)
        if self.has_conversions and self.has_cost:
            shown["cost_per_conversion"] = shown["cost_per_conversion"].map(
                lambda v: "—" if pd.isna(v) else f"{v:,.2f}")
        elif self.has_conversions:
            shown["cost_per_conversion"] = missing
        return shown

    def share(self, channel: str) -> float:
        """The share of all sessions that landed in ``channel`` (0 to 1)."""
        total = self.by_channel["sessions"].sum()
        row = self.by_channel[self.by_channel["channel"] == channel]
        return float(row["sessions"].sum() / total) if total else 0.0

    def __repr__(self) -> str:
        top = ", ".join(f"{r.channel} {int(r.sessions)}"
                        for r in self.by_channel.head(4).itertuples(index=False))
        return f"AttributionReport({int(self.by_channel['sessions'].sum())} sessions: {top})"

    def summary_html(self) -> str:
        return ("<p>Sessions per GA4 default channel of the session; conversions credited by "
                "last click (GA4 help 9756891).</p>"
                + str(self.readable().to_html(index=False, escape=True)))

    def detail_html(self) -> str:
        return "".join(f"<p><i>{html.escape(note)}</i></p>" for note in self.notes())


def _totals(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sessions and cost by the session's ``keys``; conversions by the credited ones."""
    grouped = (frame.groupby(keys, observed=True, sort=False)
               .agg(sessions=("channel", "size"), cost=("cost", "sum")).reset_index())
    credit = {key: f"credit_{key}" for key in keys}
    won = (frame.groupby([credit[k] for k in keys], observed=True, sort=False)["converted"]
           .sum().reset_index().rename(columns={v: k for k, v in credit.items()}))
    won = won.rename(columns={"converted": "conversions"})
    for key in keys:
        grouped[key] = grouped[key].astype(str)
        won[key] = won[key].astype(str)
    grouped = grouped.merge(won, on=keys, how="outer", sort=False)
    grouped["sessions"] = grouped["sessions"].fillna(0).astype(int)
    grouped["cost"] = grouped["cost"].fillna(0.0)
    grouped["conversions"] = grouped["conversions"].fillna(0).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        grouped["conversion_rate"] = (grouped["conversions"]
                                      / grouped["sessions"].replace(0, np.nan)).round(4)
    grouped["cost_per_conversion"] = (grouped["cost"] / grouped["conversions"]
                                      .replace(0, np.nan)).round(2)
    grouped["cost"] = grouped["cost"].round(2)
    order = {channel: i for i, channel in enumerate(CHANNELS)}
    grouped = grouped.sort_values(["sessions", "conversions"], ascending=False, kind="stable")
    grouped = grouped.sort_values("channel", key=lambda s: s.astype(str).map(order),
                                  kind="stable") if "campaign" in keys else grouped
    grouped["channel"] = grouped["channel"].astype(str)
    return grouped[[*keys, "sessions", "conversions", "cost", "conversion_rate",
                    "cost_per_conversion"]].reset_index(drop=True)


def attribution_report(sessions: pd.DataFrame | SessionLog | str | Path,
                       conversions: pd.DataFrame | None = None, *,
                       categories: SourceCategories | None = None) -> AttributionReport:
    """Sessions, conversions and cost per channel and campaign (see module doc).

    ``conversions`` may be a DataFrame with a ``session_id`` column (each row one
    conversion of that session); without it a ``converted`` column of the sessions is
    used, and without that the report says conversions are not in the data (``NaN``,
    never 0).  ``categories`` replaces the kit's excerpt of Google's site lists
    (:mod:`kit.tracking.categories`).
    """
    if not isinstance(sessions, SessionLog):
        sessions = load_sessions(sessions, categories=categories)
    frame = sessions.sessions.copy()
    frame["channel"] = classify_sessions(frame, categories=categories)
    if "campaign" not in frame.columns:
        frame["campaign"] = "(not set)"
    frame["campaign"] = frame["campaign"].astype(object).fillna("(not set)").astype(str)
    has_cost = "cost" in frame.columns
    frame["cost"] = pd.to_numeric(frame["cost"], errors="coerce").fillna(0.0) \
        if has_cost else 0.0
    has_conversions = True
    if conversions is not None:
        if "session_id" not in conversions.columns or "session_id" not in frame.columns:
            raise InputError(
                "conversions: both the sessions and the conversions need a session_id column.",
                hint="Or give the sessions a converted column (1 for a converting session).")
        counts = conversions["session_id"].astype(str).value_counts()
        frame["converted"] = frame["session_id"].astype(str).map(counts).fillna(0).astype(int)
    elif "converted" in frame.columns:
        frame["converted"] = pd.to_numeric(frame["converted"], errors="coerce").fillna(0)
    else:
        frame["converted"] = 0
        has_conversions = False
    credited = [f"key_event_{k}" for k in ("source", "medium", "campaign")]
    if all(column in frame.columns for column in credited):
        touch = pd.DataFrame({k: frame[f"key_event_{k}"] for k in ("source", "medium",
                                                                     "campaign")})
        frame["credit_channel"] = classify_sessions(touch, categories=categories)
        frame["credit_campaign"] = (touch["campaign"].astype(object).fillna("(not set)")
                                    .astype(str))
    else:
        frame["credit_channel"] = frame["channel"]
        frame["credit_campaign"] = frame["campaign"]
    table = _totals(frame, ["channel", "campaign"])[list(REPORT_COLUMNS)]
    by_channel = _totals(frame, ["channel"])
    for part in (table, by_channel):
        if not has_conversions:
            part[["conversions", "conversion_rate", "cost_per_conversion"]] = np.nan
        if not has_cost:
            part[["cost", "cost_per_conversion"]] = np.nan
    return AttributionReport(table, by_channel, has_conversions, has_cost)
