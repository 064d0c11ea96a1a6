"""Charts of a cohort report (plotly) and the offline HTML page: the course's display layer.

Like every module's ``widget.py`` this is the thin layer over the pandas core
(:mod:`kit.course.report`): figures for a team lead's notebook and the self-contained page
``crosstalk report`` writes (plotly.js embedded once, no CDN, works offline).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from kit.display import readable_figure

if TYPE_CHECKING:
    from kit.course.report import CohortReport

__all__ = ["FeedbackPreview", "feedback_preview", "gain_chart", "missed_chart",
           "module_role_chart", "report_html", "task_role_chart", "write_report_html"]

COLORS = {"marketing": "#d9480f", "it": "#1971c2", "other": "#868e96"}
NAMES = {"marketing": "Marketing", "it": "IT", "other": "Other"}


PATTERNS = {"marketing": "", "it": "/", "other": "."}
"""Bar fill patterns per role, so the chart reads without colour."""


@readable_figure
def module_role_chart(report: CohortReport) -> go.Figure:
    """Mean % of the points of the **shared** parts per module, one bar per role.

    Small groups (fewer than :data:`~kit.course.report.MIN_GROUP` learners) get no bar;
    their label says so instead.
    """
    table = report.by_module_role()
    figure = go.Figure()
    for role in ("marketing", "it", "other"):
        part = table[table["role"] == role]
        if part.empty:
            continue
        labels = [f"{value:.0f}%" if note == "" else "small group"
                  for value, note in zip(part["shared_percent"], part["note"], strict=True)]
        figure.add_bar(x=part["assignment"], y=part["shared_percent"].fillna(0),
                       name=NAMES[role], marker_color=COLORS[role],
                       marker_pattern_shape=PATTERNS[role], text=labels,
                       textposition="outside", customdata=part["learners"],
                       hovertemplate="%{x}<br>%{text} (%{customdata} learners)<extra></extra>")
    figure.update_layout(title="Shared parts per module and role (mean % of their points)",
                         yaxis={"range": [0, 110], "title": "% of the shared points"},
                         barmode="group", height=380, margin={"t": 60, "b": 40})
    return figure


@readable_figure
def task_role_chart(report: CohortReport) -> go.Figure:
    """Heat map: mean % per part (rows) and role (columns), among the learners each part is
    meant for: shared parts compare the sides, a side's own parts show in its column only.
    Each cell is labelled with its figure, so it reads without colour."""
    table = report.by_task_role()
    if table.empty:
        return go.Figure()
    table = table.assign(label=table["assignment"] + " · " + table["task"] + " ("
                         + table["part_role"] + ")")
    grid = table.pivot_table(index="label", columns="role", values="percent", dropna=False)
    roles = [role for role in ("marketing", "it", "other") if role in grid.columns]
    grid = grid[roles].round(1)
    text = [["" if pd.isna(value) else f"{value:.0f}%" for value in row]
            for row in grid.to_numpy()]
    figure = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=[NAMES[r] for r in roles], y=list(grid.index), zmin=0, zmax=100,
        colorscale="RdYlGn", colorbar={"title": "%"}, text=text, texttemplate="%{text}",
        hovertemplate="%{y}<br>%{x}: %{z:.1f}%<extra></extra>"))
    figure.update_layout(title="Parts by role: mean % of the part's points (blank: not asked, "
                               "or a small group)",
                         height=max(300, 28 * len(grid) + 120), margin={"l": 320, "t": 60})
    return figure


@readable_figure
def gain_chart(report: CohortReport) -> go.Figure:
    """Self-rating (0–3) this morning and at the end of the day, per role (small groups
    left out): did the day work?"""
    table = report.learning_gain()
    figure = go.Figure()
    shown = table[table["note"] == ""] if not table.empty else table
    for column, symbol, name in (("start", "circle-open", "this morning"),
                                 ("end", "circle", "end of the day")):
        figure.add_scatter(x=shown[column] if not shown.empty else [],
                           y=[NAMES.get(r, r) for r in shown["role"]] if not shown.empty
                           else [], mode="markers+text", name=name,
                           marker={"symbol": symbol, "size": 14, "color": "#1f2933"},
                           text=[f"{v:.1f}" for v in shown[column]] if not shown.empty else [],
                           textposition="top center")
    figure.update_layout(title="Self-rating per role: this morning (○) and now (●), mean of 0–3",
                         xaxis={"range": [0, 3.2], "title": "0 no idea … 3 could explain it"},
                         height=260, margin={"t": 60, "l": 120})
    return figure


@readable_figure
def missed_chart(report: CohortReport, n: int = 10) -> go.Figure:
    """Share of learners who lost points on the most-missed parts, per role (among the
    learners each part is meant for)."""
    table = report.most_missed(n)
    figure = go.Figure()
    labels = table["assignment"] + " · " + table["task"]
    for role in ("marketing", "it"):
        figure.add_bar(y=labels, x=(table[role].astype(float) * 100).round(1),
                       name=NAMES[role], orientation="h", marker_color=COLORS[role],
                       marker_pattern_shape=PATTERNS[role])
    figure.update_layout(title="Most-missed tasks: % of learners who lost points",
                         barmode="group", xaxis={"range": [0, 100], "title": "% of learners"},
                         yaxis={"autorange": "reversed"},
                         height=max(300, 40 * len(table) + 120), margin={"l": 260, "t": 60})
    return figure


def _table(frame: pd.DataFrame, caption: str) -> str:
    if frame.empty:
        return f"<h2>{escape(caption)}</h2><p>None.</p>"
    return f"<h2>{escape(caption)}</h2>" + frame.to_html(index=False, na_rep="-",
                                                         classes="data", border=0)


_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:1.5rem auto;max-width:72rem;
padding:0 1rem;color:#1f2933}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table.data{border-collapse:collapse;font-size:.85rem}table.data th,table.data td{
border-bottom:1px solid #d9e2ec;padding:.25rem .5rem;text-align:left}
"""


def _wide(report: CohortReport) -> pd.DataFrame:
    """Per learner, one column per module: % of their points, or the status instead."""
    table = report.by_learner()
    cell = [f"{percent:.0f}%" + (f" ({waiting} waiting)" if waiting else "")
            if status in ("graded", "needs manual grading") and not pd.isna(percent) else status
            for percent, status, waiting in zip(table["their_percent"], table["status"],
                                                table["waiting"], strict=True)]
    wide = table.assign(cell=cell).pivot(index=["learner", "name", "role"],
                                         columns="assignment", values="cell").reset_index()
    wide.columns = [str(column) for column in wide.columns]
    return wide


_CHART_TEXT = {
    0: "Mean share of the points of the <b>shared</b> parts (the parts both sides answer), "
       "per module and role: the fair place to compare the sides. A role with fewer than 3 "
       "learners is marked <i>small group</i> and gets no bar.",
    1: "Each part, among the learners it is meant for. Shared parts have a figure per role; "
       "a Marketing or IT part only in its side's column.",
    2: "The self-rating of the welcome module, repeated at the end of the capstone: the mean "
       "per role of the six statements (0 no idea yet … 3 could explain it to the other side).",
}


_ROOM_TEXT = (
    "What the room chose in the decision widgets during the day (from the live room's "
    "database: counts per role, never who chose what). Where a decision was asked again "
    "after the pairs discussed it, the second table shows how each side's shares moved, in "
    "percentage points: a side that moved towards the right answer learned from the other.")


def _room_sections(room: Mapping[str, pd.DataFrame] | None) -> list[str]:
    """The room's record: choices per decision and round, and the shift after a revote."""
    if room is None:
        return []
    return ["<h2>What the room chose, before and after discussion</h2>",
            f"<p>{escape(_ROOM_TEXT)}</p>",
            _table(room["choices"], "Choices per decision and vote, by role"),
            _table(room["shifts"], "Shift between the last two votes, by role (points)")]


def report_html(report: CohortReport, *, room: Mapping[str, pd.DataFrame] | None = None) -> str:
    """The whole report as one HTML document; plotly.js is embedded in the first chart.

    ``room``: the live room's record (``{"choices": ..., "shifts": ...}``, the tables of
    :class:`kit.room.view.RoomFigures`), shown as its own section when given."""
    figures = [module_role_chart(report), task_role_chart(report), gain_chart(report),
               missed_chart(report)]
    charts = []
    for number, figure in enumerate(figures):
        charts.append(figure.to_html(full_html=False, include_plotlyjs=(number == 0),
                                     div_id=f"crosstalk-chart-{number}",
                                     config={"displaylogo": False}))
    notes = "".join(f"<li>{escape(note)}</li>" for note in report.warnings())
    sections = [
        f"<h1>Crosstalk cohort report</h1><p>{escape(report.summary())}</p>",
        f"<ul class='warnings'>{notes}</ul>" if notes else "",
        "<p>Each person is measured on what they were asked: their role's parts plus the "
        "shared parts (a learner of role <i>other</i> answers every part). Percentages count "
        "the points graded so far; written answers are graded by a person in the "
        "formgrader.</p>",
        _table(_wide(report), "Per learner: % of the points meant for them, or why there "
               "is none"),
        "<h2>Where does each side misunderstand? (shared parts)</h2>",
        f"<p>{_CHART_TEXT[0]}</p>", charts[0],
        _table(report.by_module_role(), "Per module and role"),
        f"<p>{_CHART_TEXT[1]}</p>", charts[1],
        "<h2>Did the day work? Self-rating this morning and now</h2>",
        f"<p>{_CHART_TEXT[2]}</p>", charts[2],
        _table(report.learning_gain(), "Self-rating per role (mean of 0–3)"),
        _table(report.learning_gain(per_statement=True), "Self-rating per role and statement"),
        "<h2>Most-missed parts</h2>", charts[3],
        _table(report.most_missed(), "Most-missed parts and the most common wrong answers"),
        _table(report.manual_queue(), "Waiting for manual grading"),
        _table(report.failures(), "Rejected or could not be graded"),
        *_room_sections(room),
    ]
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Crosstalk cohort report</title><style>{_STYLE}</style></head><body>"
            + "\n".join(sections) + "</body></html>")


def write_report_html(report: CohortReport, path: Path | str, *,
                      room: Mapping[str, pd.DataFrame] | None = None) -> Path:
    """Write :func:`report_html` to ``path``: one self-contained offline HTML file (plotly
    embedded once; no CDN).  ``crosstalk report`` and ``demo-cohort`` write it."""
    path = Path(path)
    path.write_text(report_html(report, room=room), encoding="utf-8")
    return path


class FeedbackPreview:
    """A learner's feedback page shown in a notebook, in a frame so its styles stay inside."""

    def __init__(self, page: str, height: int = 520) -> None:
        self.page = page
        self.height = height

    def __repr__(self) -> str:
        return "Feedback page (open it in a browser to see it as the learner does)."

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{escape(self.page, quote=True)}" '
                f'style="width:100%;height:{self.height}px;border:1px solid #d9e2ec"></iframe>')


def feedback_preview(path: str | object, height: int = 520) -> FeedbackPreview:
    """Show the feedback page at ``path`` (from ``crosstalk feedback``) in a notebook."""
    return FeedbackPreview(Path(str(path)).read_text(encoding="utf-8"), height)
