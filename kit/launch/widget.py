"""Module 05's widgets and charts: the only place where ipywidgets and plotly come in.

:func:`launch_explorer` builds a :class:`LaunchExplorer`: Marketing's sliders (reach,
click-through, spike size, start and half-life) and IT's (servers, requests per second
each, cache hit share), over one shared chart of requests reaching the servers against
their capacity, and of response time and visitors lost per minute.
:func:`readiness_explorer` shows the launch Gantt for the moment IT joins.
:func:`blocked_figure`, :func:`policy_figure` and :func:`forecast_figure` chart the cited
survey and forecast figures.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kit.display import ExplorerDisplay, NamedControls, key_value_table, readable_figure
from kit.launch.capacity import ASSUMPTIONS, Campaign, CapacityReport, Site, capacity_table
from kit.launch.data import (
    SOURCES,
    blocked_at_work,
    social_media_forecast,
    social_policy_trend,
)
from kit.launch.readiness import IT_JOINS, TASKS, ReadinessPlan, plan_launch

__all__ = [
    "PLAIN_TEXT",
    "READINESS_TEXT",
    "TRY_THIS",
    "TRY_THIS_READINESS",
    "LaunchExplorer",
    "ReadinessExplorer",
    "blocked_figure",
    "capacity_figure",
    "forecast_figure",
    "gantt_figure",
    "launch_explorer",
    "policy_figure",
    "readiness_explorer",
]

PLAIN_TEXT = (
    "Launch explorer: Marketing moves reach and virality, IT moves servers and caching, and both "
    "watch requests against capacity, response time and visitors lost (run the notebook in "
    "JupyterLab to use it)."
)
TRY_THIS = (
    "Try this: Marketing, raise the spike to 60x and the reach to 2 million. IT, watch the red "
    "line: when the requests reaching the servers cross it, response time hits the timeout and "
    "visitors are lost. Then find two fixes: more servers, or a higher cache hit share. Which is "
    "cheaper?"
)
READINESS_TEXT = (
    "Readiness explorer: pick when IT joins the campaign and see the launch plan, what slips and "
    "what is skipped (run the notebook in JupyterLab to use it)."
)
TRY_THIS_READINESS = (
    "Try this: switch between 'at inception', 'two weeks before launch' and 'at launch'. Watch "
    "the IT bars move right, the launch line they cross, and which tasks turn orange (squeezed) "
    "or red (not done)."
)
_STATUS_COLOURS = {"done": "#2ca02c", "compressed": "#ff7f0e", "skipped": "#d62728"}


def _caption() -> str:
    return f"<p style='font-size:90%'>{html.escape(ASSUMPTIONS)}</p>"


def _summary_html(report: CapacityReport) -> str:
    s = report.summary
    rows = (
        ("visitors in the window", f"{s['visitors']:,}"),
        ("visitors lost", f"{s['visitors_lost']:,} ({s['lost_share']:.1%})"),
        ("peak requests/s at the servers", f"{s['peak_origin_rps']:,}"),
        ("capacity, requests/s", f"{s['capacity_rps']:,}"),
        ("peak utilisation", f"{s['peak_utilisation']:.0%}"),
        ("minutes overloaded", f"{s['overloaded_minutes']}"),
    )
    return key_value_table(rows, css_class="crosstalk-summary", label_tag="td")


@readable_figure
def capacity_figure(report: CapacityReport | None = None) -> go.Figure:
    """Requests at the servers vs capacity (top); response time and visitors lost (bottom)."""
    report = report or capacity_table()
    t = report.table
    figure = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
        specs=[[{}], [{"secondary_y": True}]],
        subplot_titles=("Requests per second reaching the servers vs what they can serve",
                        "Visitors lost per minute and mean response time"),
    )
    minutes = t["minute"].tolist()
    figure.add_trace(go.Scatter(x=minutes, y=t["origin_rps"].tolist(), name="requests/s at servers",
                                line={"color": "#1f77b4"}, fill="tozeroy"), row=1, col=1)
    figure.add_trace(go.Scatter(x=minutes, y=t["capacity_rps"].tolist(), name="capacity",
                                line={"color": "#d62728", "dash": "dash"}), row=1, col=1)
    figure.add_trace(go.Bar(x=minutes, y=t["visitors_lost"].tolist(), name="visitors lost",
                            marker_color="#d62728"), row=2, col=1)
    figure.add_trace(go.Scatter(x=minutes, y=t["response_s"].tolist(), name="response time (s)",
                                line={"color": "#2ca02c"}), row=2, col=1, secondary_y=True)
    figure.update_layout(height=560, template="plotly_white",
                         margin={"t": 60, "b": 40, "l": 60, "r": 60},
                         legend={"orientation": "h", "x": 0, "y": -0.1, "yanchor": "top"})
    figure.update_yaxes(title_text="requests/s", row=1, col=1)
    figure.update_yaxes(title_text="visitors lost", row=2, col=1)
    figure.update_yaxes(title_text="seconds", row=2, col=1, secondary_y=True, rangemode="tozero")
    figure.update_xaxes(title_text="minute of the campaign", row=2, col=1)
    return figure


class LaunchExplorer(NamedControls, ExplorerDisplay):
    """Marketing's and IT's sliders over one chart; :meth:`set` moves them by name."""

    PLAIN_TEXT = PLAIN_TEXT

    def __init__(self, campaign: Campaign | None = None, site: Site | None = None) -> None:
        self.campaign = campaign or Campaign()
        self.site = site or Site()
        self.report = capacity_table(self.campaign, self.site)
        c, s = self.campaign, self.site
        style = {"description_width": "170px"}
        layout = widgets.Layout(width="420px")

        def slider(kind: type, value: float, low: float, high: float, step: float,
                   label: str, **extra: Any) -> widgets.Widget:
            return kind(value=value, min=low, max=high, step=step, description=label,
                        style=style, layout=layout, continuous_update=False, **extra)

        self.controls: dict[str, widgets.Widget] = {
            "reach": slider(widgets.IntSlider, c.reach, 100_000, 5_000_000, 100_000,
                            "reach (people)"),
            "ctr": slider(widgets.FloatSlider, c.ctr, 0.005, 0.1, 0.005, "click-through",
                          readout_format=".1%"),
            "spike": slider(widgets.FloatSlider, c.spike, 1, 100, 1, "viral peak (x planned)"),
            "spike_at": slider(widgets.IntSlider, c.spike_at, 0, c.minutes - 1, 5,
                               "spike starts (minute)"),
            "half_life": slider(widgets.FloatSlider, c.half_life, 5, 120, 5,
                                "spike halves every (min)"),
            "servers": slider(widgets.IntSlider, s.servers, 1, 40, 1, "servers"),
            "rps_per_server": slider(widgets.FloatSlider, s.rps_per_server, 5, 200, 5,
                                     "requests/s per server"),
            "cache_hit": slider(widgets.FloatSlider, s.cache_hit, 0, 0.99, 0.01,
                                "cache hit share", readout_format=".0%"),
        }
        self.figure = go.FigureWidget(capacity_figure(self.report))
        self.summary = widgets.HTML(_summary_html(self.report))
        self.caption = widgets.HTML(_caption())
        self.hint = widgets.HTML(f"<p><b>{html.escape(TRY_THIS)}</b></p>")
        marketing = widgets.VBox([widgets.HTML("<b>Marketing</b>")] + [
            self.controls[n] for n in ("reach", "ctr", "spike", "spike_at", "half_life")])
        it = widgets.VBox([widgets.HTML("<b>IT</b>")] + [
            self.controls[n] for n in ("servers", "rps_per_server", "cache_hit")])
        self.widget = widgets.VBox([self.hint, widgets.HBox([marketing, it]), self.figure,
                                    self.summary, self.caption])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    def _on_change(self, change: Mapping[str, Any]) -> None:
        self._render()

    def _render(self) -> None:
        v = {name: control.value for name, control in self.controls.items()}
        self.campaign = replace(self.campaign, reach=int(v["reach"]), ctr=float(v["ctr"]),
                                spike=float(v["spike"]), spike_at=int(v["spike_at"]),
                                half_life=float(v["half_life"]))
        self.site = replace(self.site, servers=int(v["servers"]),
                            rps_per_server=float(v["rps_per_server"]),
                            cache_hit=float(v["cache_hit"]))
        self.report = capacity_table(self.campaign, self.site)
        t = self.report.table
        with self.figure.batch_update():
            self.figure.data[0].y = t["origin_rps"].tolist()
            self.figure.data[1].y = t["capacity_rps"].tolist()
            self.figure.data[2].y = t["visitors_lost"].tolist()
            self.figure.data[3].y = t["response_s"].tolist()
        self.summary.value = _summary_html(self.report)

    def __repr__(self) -> str:
        s = self.report.summary
        return (f"LaunchExplorer(visitors_lost={s['visitors_lost']}, "
                f"peak_utilisation={s['peak_utilisation']}, "
                f"overloaded_minutes={s['overloaded_minutes']})")

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(PLAIN_TEXT)}</p>{_summary_html(self.report)}{_caption()}"


def launch_explorer(campaign: Campaign | None = None, site: Site | None = None) -> LaunchExplorer:
    """The capacity explorer, starting from ``campaign`` and ``site`` (defaults: a 1-million
    reach campaign that peaks at 30x, on 4 servers at 20 requests/s with 80% cache hits)."""
    return LaunchExplorer(campaign, site)


def _gantt_traces(plan: ReadinessPlan) -> list[dict[str, Any]]:
    s = plan.schedule
    labels = [f"{name} ({owner})" for name, owner in zip(s["name"], s["owner"], strict=True)]
    return [{
        "y": labels, "x": s["days"].tolist(), "base": s["start"].tolist(),
        "marker_color": [_STATUS_COLOURS[x] for x in s["status"]],
        "marker_line_color": ["#000" if c else "rgba(0,0,0,0)" for c in s["critical"]],
        "customdata": list(zip(s["status"], s["critical"], strict=True)),
    }]


@readable_figure
def gantt_figure(plan: ReadinessPlan | None = None) -> go.Figure:
    """The launch plan at full length, coloured by what happens if the date is held
    (green done, orange squeezed, red not done); black outline: critical path."""
    plan = plan or plan_launch()
    (trace,) = _gantt_traces(plan)
    figure = go.Figure(go.Bar(
        orientation="h", y=trace["y"], x=trace["x"], base=trace["base"],
        marker={"color": trace["marker_color"], "line": {"color": trace["marker_line_color"],
                                                           "width": 2}},
        customdata=trace["customdata"], showlegend=False,
        hovertemplate="%{y}: day %{base} to %{x}<br>status: %{customdata[0]}<extra></extra>",
    ))
    figure.add_vline(x=plan.launch_day, line_dash="dash", line_color="#d62728",
                     annotation_text=f"planned launch (day {plan.launch_day})",
                     annotation_position="top left")
    figure.add_vline(x=plan.it_day, line_dash="dot", line_color="#1f77b4",
                     annotation_text=f"IT joins (day {plan.it_day})",
                     annotation_position="bottom right")
    figure.update_layout(
        title={"text": f"Launch plan when IT joins {plan.label}<br><sup>{plan.delay_days} "
                       f"day(s) late at full scope, risk {plan.risk} on the planned day</sup>"},
        height=420, template="plotly_white", margin={"t": 60, "b": 40, "l": 20, "r": 20},
        xaxis={"title": {"text": "day of the campaign"},
               "range": [0, max(plan.full_scope_launch, plan.launch_day) + 3]},
        yaxis={"autorange": "reversed"},
    )
    return figure


class ReadinessExplorer(ExplorerDisplay):
    """Buttons for when IT joins, over the launch Gantt and its risks."""

    PLAIN_TEXT = READINESS_TEXT

    def __init__(self, it_joins: str = "at inception", launch_day: int = 42) -> None:
        self.launch_day = launch_day
        self.plan = plan_launch(TASKS, launch_day=launch_day, it_joins=it_joins)
        self.controls = {"it_joins": widgets.ToggleButtons(options=list(IT_JOINS),
                                                           value=it_joins,
                                                           description="IT joins")}
        self.figure = go.FigureWidget(gantt_figure(self.plan))
        self.summary = widgets.HTML(self._summary())
        self.hint = widgets.HTML(f"<p><b>{html.escape(TRY_THIS_READINESS)}</b></p>")
        self.widget = widgets.VBox([self.hint, self.controls["it_joins"], self.figure,
                                    self.summary])
        self.controls["it_joins"].observe(self._on_change, names="value")

    def _summary(self) -> str:
        s = self.plan.summary
        return (f"<p>Everything done properly: day {s['full_scope_launch_day']} "
                f"({s['delay_days']} day(s) late). Launching on day {self.launch_day} anyway: "
                f"{s['tasks_compressed']} task(s) squeezed, {s['tasks_skipped']} not done, risk "
                f"<b>{s['risk']}</b>.</p>")

    def _on_change(self, change: Mapping[str, Any]) -> None:
        self.set(it_joins=change["new"])

    def set(self, *, it_joins: str) -> None:
        """Pick when IT joins, as the buttons do."""
        if self.controls["it_joins"].value != it_joins:
            self.controls["it_joins"].value = it_joins  # calls back into set()
            return
        self.plan = plan_launch(TASKS, launch_day=self.launch_day, it_joins=it_joins)
        fresh = gantt_figure(self.plan)
        with self.figure.batch_update():
            bar = self.figure.data[0]
            bar.base = fresh.data[0].base
            bar.marker = fresh.data[0].marker
            bar.customdata = fresh.data[0].customdata
            self.figure.layout = fresh.layout
        self.summary.value = self._summary()

    def __repr__(self) -> str:
        return f"ReadinessExplorer({self.plan!r})"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(READINESS_TEXT)}</p>{self._summary()}"


def readiness_explorer(it_joins: str = "at inception", *,
                       launch_day: int = 42) -> ReadinessExplorer:
    """The readiness explorer, starting with IT joining ``it_joins``."""
    return ReadinessExplorer(it_joins, launch_day)


def _source_note(text: str) -> dict[str, Any]:
    return {"text": "Source: " + text, "xref": "paper", "yref": "paper", "x": 0, "y": -0.28,
            "showarrow": False, "align": "left", "font": {"size": 10}}


@readable_figure
def blocked_figure() -> go.Figure:
    """Share of European CIOs/IT managers blocking each service (Easynet/Ipanema, 2012)."""
    data = blocked_at_work()
    figure = go.Figure(go.Bar(x=data["service"].tolist(), y=data["share_blocking"].tolist(),
                              marker_color="#d62728", texttemplate="%{y:.0%}",
                              textposition="outside"))
    figure.update_layout(
        title={"text": "European CIOs and IT managers who block it at work (550 asked, 2012)"},
        yaxis={"tickformat": ".0%", "range": [0, 1]}, height=380, template="plotly_white",
        margin={"t": 60, "b": 110}, annotations=[_source_note("Easynet / Ipanema, \"Killer "
                                                              "Apps\" survey, 2012")])
    return figure


@readable_figure
def policy_figure() -> go.Figure:
    """US CIOs' social media policy at work, 2009 vs 2011 (Robert Half Technology)."""
    data = social_policy_trend()
    figure = go.Figure([
        go.Bar(x=group["policy"].tolist(), y=group["share"].tolist(), name=str(year),
               texttemplate="%{y:.0%}", textposition="outside")
        for year, group in data.groupby("year")])
    figure.update_layout(
        title={"text": "US CIOs: social sites at work, 2009 vs 2011"}, barmode="group",
        yaxis={"tickformat": ".0%", "range": [0, 0.7]}, height=380, template="plotly_white",
        margin={"t": 60, "b": 110}, annotations=[_source_note(SOURCES["robert_half"])])
    return figure


@readable_figure
def forecast_figure() -> go.Figure:
    """Worldwide social media revenue, 2011 vs 2016 forecast, total and advertising (Gartner)."""
    data = social_media_forecast()
    figure = go.Figure([
        go.Bar(x=[str(y) for y in group["year"]], y=group["usd_bn"].tolist(), name=segment,
               texttemplate="$%{y}bn", textposition="outside")
        for segment, group in data.groupby("segment", sort=False)])
    figure.update_layout(
        title={"text": "Social media revenue worldwide, US$ bn (2016: forecast)"},
        barmode="group", yaxis={"range": [0, 40]}, height=380, template="plotly_white",
        margin={"t": 60, "b": 110},
        annotations=[_source_note('Gartner, "Forecast: Social Media Revenue, Worldwide, '
                                  '2011-2016" (2012)')])
    return figure
