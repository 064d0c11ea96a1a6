"""Charts of a cohort report (plotly) and the offline HTML page: the course's display layer.

Like every module's ``widget.py`` this is the thin layer over the pandas core
(:mod:`kit.course.report`): figures for a team lead's notebook and the self-contained page
``crosstalk report`` writes (plotly.js embedded once, no CDN, works offline).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

if TYPE_CHECKING:
    from kit.course.report import CohortReport

__all__ = ["FeedbackPreview", "feedback_preview", "missed_chart", "module_role_chart",
           "report_html", "task_role_chart"]

COLORS = {"marketing": "#d9480f", "it": "#1971c2", "other": "#868e96"}
NAMES = {"marketing": "Marketing", "it": "IT", "other": "Other"}


def module_role_chart(report: CohortReport) -> go.Figure:
    """Mean % of the autograded points per module, one bar per role."""
    table = report.by_module_role()
    figure = go.Figure()
    for role in ("marketing", "it", "other"):
        part = table[table["role"] == role]
        if part.empty:
            continue
        figure.add_bar(x=part["assignment"], y=part["percent"], name=NAMES[role],
                       marker_color=COLORS[role],
                       customdata=part["learners"],
                       hovertemplate="%{x}<br>%{y:.1f}% (%{customdata} learners)<extra></extra>")
    figure.update_layout(title="Autograded points per module and role (mean %)",
                         yaxis={"range": [0, 100], "title": "% of points"}, barmode="group",
                         height=380, margin={"t": 60, "b": 40})
    return figure


def task_role_chart(report: CohortReport) -> go.Figure:
    """Heat map: mean % per task (rows) and role (columns): where each side goes wrong."""
    table = report.by_task_role()
    if table.empty:
        return go.Figure()
    table = table.assign(label=table["assignment"] + " · " + table["task"])
    grid = table.pivot_table(index="label", columns="role", values="percent")
    roles = [role for role in ("marketing", "it", "other") if role in grid.columns]
    grid = grid[roles]
    figure = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=[NAMES[r] for r in roles], y=list(grid.index), zmin=0, zmax=100,
        colorscale="RdYlGn", colorbar={"title": "%"},
        hovertemplate="%{y}<br>%{x}: %{z:.1f}%<extra></extra>"))
    figure.update_layout(title="Autograded tasks by role (mean % of the task's points)",
                         height=max(300, 28 * len(grid) + 120), margin={"l": 260, "t": 60})
    return figure


def missed_chart(report: CohortReport, n: int = 10) -> go.Figure:
    """Share of learners who lost points on the most-missed tasks, per role."""
    table = report.most_missed(n)
    figure = go.Figure()
    labels = table["assignment"] + " · " + table["task"]
    for role in ("marketing", "it"):
        figure.add_bar(y=labels, x=(table[role].astype(float) * 100).round(1),
                       name=NAMES[role], orientation="h", marker_color=COLORS[role])
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


def report_html(report: CohortReport) -> str:
    """The whole report as one HTML document; plotly.js is embedded in the first chart."""
    figures = [module_role_chart(report), task_role_chart(report), missed_chart(report)]
    charts = []
    for number, figure in enumerate(figures):
        charts.append(figure.to_html(full_html=False, include_plotlyjs=(number == 0),
                                     div_id=f"crosstalk-chart-{number}",
                                     config={"displaylogo": False}))
    per_learner = report.by_learner()
    wide = per_learner.pivot_table(index=["learner", "name", "role"], columns="assignment",
                                   values="percent").reset_index()
    wide.columns = [str(column) for column in wide.columns]
    sections = [
        f"<h1>Crosstalk cohort report</h1><p>{escape(report.summary())}</p>",
        "<p>Percentages count the points graded so far. Marketing and IT are compared on "
        "the autograded tasks; written answers are graded by a person in the formgrader.</p>",
        charts[0], charts[1],
        "<h2>Most-missed tasks</h2>", charts[2],
        _table(report.most_missed(), "Most-missed tasks and the most common wrong answers"),
        _table(report.manual_queue(), "Waiting for manual grading"),
        _table(report.failures(), "Could not be graded"),
        _table(report.by_module_role(), "Per module and role"),
        _table(wide, "Per learner (% of points per module)"),
    ]
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Crosstalk cohort report</title><style>{_STYLE}</style></head><body>"
            + "\n".join(sections) + "</body></html>")


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
    from pathlib import Path

    return FeedbackPreview(Path(str(path)).read_text(encoding="utf-8"), height)
