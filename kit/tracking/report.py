"""The acquisition report a marketer reads: sessions, conversions and cost per channel.

:func:`attribution_report` classifies every session into GA4's default channel group
(last click: each session counts for the source it arrived with) and adds up sessions,
conversions and cost per channel and campaign.  Cost comes from a ``cost`` column of the
sessions (what each click cost); conversions from a ``converted`` column or a separate
table of converting ``session_id``s.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kit.errors import InputError
from kit.tracking.categories import SourceCategories
from kit.tracking.channels import CHANNELS, classify_sessions
from kit.tracking.sessions import SessionLog, load_sessions

__all__ = ["REPORT_COLUMNS", "AttributionReport", "attribution_report"]

REPORT_COLUMNS = ("channel", "campaign", "sessions", "conversions", "cost",
                  "conversion_rate", "cost_per_conversion")


@dataclass(frozen=True)
class AttributionReport:
    """Per channel and campaign (``table``) and per channel (``by_channel``) totals."""

    table: pd.DataFrame
    by_channel: pd.DataFrame

    def share(self, channel: str) -> float:
        """The share of all sessions that landed in ``channel`` (0 to 1)."""
        total = self.by_channel["sessions"].sum()
        row = self.by_channel[self.by_channel["channel"] == channel]
        return float(row["sessions"].sum() / total) if total else 0.0

    def __repr__(self) -> str:
        top = ", ".join(f"{r.channel} {int(r.sessions)}"
                        for r in self.by_channel.head(4).itertuples(index=False))
        return f"AttributionReport({int(self.by_channel['sessions'].sum())} sessions: {top})"

    def _repr_html_(self) -> str:
        shown = self.by_channel.copy()
        shown["cost"] = shown["cost"].map(lambda v: f"{v:,.2f}")
        shown["conversion_rate"] = shown["conversion_rate"].map(lambda v: f"{v:.1%}")
        shown["cost_per_conversion"] = shown["cost_per_conversion"].map(
            lambda v: "—" if pd.isna(v) else f"{v:,.2f}")
        return ("<p>Sessions, conversions and cost per GA4 default channel "
                "(last click; GA4 help 9756891).</p>" + shown.to_html(index=False, escape=True))


def _totals(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = (frame.groupby(keys, observed=True, sort=False)
               .agg(sessions=("channel", "size"), conversions=("converted", "sum"),
                    cost=("cost", "sum")).reset_index())
    grouped["conversions"] = grouped["conversions"].astype(int)
    grouped["conversion_rate"] = grouped["conversions"] / grouped["sessions"]
    grouped["cost_per_conversion"] = (grouped["cost"] / grouped["conversions"]
                                      .replace(0, np.nan)).round(2)
    grouped["cost"] = grouped["cost"].round(2)
    order = {channel: i for i, channel in enumerate(CHANNELS)}
    grouped = grouped.sort_values(["sessions"], ascending=False, kind="stable")
    grouped = grouped.sort_values("channel", key=lambda s: s.astype(str).map(order),
                                  kind="stable") if "campaign" in keys else grouped
    grouped["channel"] = grouped["channel"].astype(str)
    return grouped.reset_index(drop=True)


def attribution_report(sessions: pd.DataFrame | SessionLog | str | Path,
                       conversions: pd.DataFrame | None = None, *,
                       categories: SourceCategories | None = None) -> AttributionReport:
    """Sessions, conversions and cost per channel and campaign (see module doc).

    ``conversions`` may be a DataFrame with a ``session_id`` column (each row one
    conversion of that session); without it a ``converted`` column of the sessions is
    used, and without that every conversion count is 0.  ``categories`` replaces the
    kit's excerpt of Google's site lists (:mod:`kit.tracking.categories`).
    """
    if not isinstance(sessions, SessionLog):
        sessions = load_sessions(sessions, categories=categories)
    frame = sessions.sessions.copy()
    frame["channel"] = classify_sessions(frame, categories=categories)
    if "campaign" not in frame.columns:
        frame["campaign"] = "(not set)"
    frame["campaign"] = frame["campaign"].astype(object).fillna("(not set)").astype(str)
    frame["cost"] = pd.to_numeric(frame["cost"], errors="coerce").fillna(0.0) \
        if "cost" in frame.columns else 0.0
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
    table = _totals(frame, ["channel", "campaign"])[list(REPORT_COLUMNS)]
    by_channel = _totals(frame, ["channel"])
    return AttributionReport(table, by_channel)
