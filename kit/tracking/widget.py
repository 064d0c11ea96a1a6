"""Module 04's widgets and charts: the only place where ipywidgets and plotly come in.

* :func:`campaign_explorer`: buttons for the three tagging scenarios, a bar chart of where
  the campaign's paid clicks land in GA4's channels, the report a marketer would read, and
  the model's assumptions.  Every scenario is simulated once, up front.
* :func:`link_builder`: type source, medium and campaign; see the tagged link, the channel
  GA4 will put it in, and the lint findings, as you type.
* :func:`scenario_figure`: the static chart of all scenarios side by side.

All the numbers come from :mod:`kit.tracking`; this module only draws them.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from kit.display import ExplorerDisplay, readable_figure
from kit.sites import TrackingSite
from kit.tracking.channels import CHANNELS, SOURCE_CHANNELS, default_channel
from kit.tracking.lint import lint_utm
from kit.tracking.simulate import (
    SCENARIOS,
    SIMULATION_ASSUMPTIONS,
    CampaignSimulation,
    simulate_campaign,
)
from kit.tracking.utm import build_utm

__all__ = ["CampaignExplorer", "LinkBuilder", "campaign_explorer", "link_builder",
           "scenario_alt_text", "scenario_figure"]

_COLOURS = {
    "Paid Search": "#1f77b4", "Paid Social": "#9467bd", "Display": "#17becf", "Email": "#2ca02c",
    "Organic Search": "#ff7f0e", "Organic Social": "#e377c2", "Referral": "#8c564b",
    "Direct": "#7f7f7f", "Unassigned": "#d62728", "Paid Other": "#bcbd22",
}


def assumptions_caption() -> str:
    """The simulator's assumptions and sources as an HTML caption."""
    items = "".join(f"<li>{html.escape(text)}</li>" for text in SIMULATION_ASSUMPTIONS)
    return (f"<details><summary>Assumptions and sources</summary><ul>{items}</ul>"
            f"<p>Channels: {html.escape(SOURCE_CHANNELS)}. UTM parameters: GA4 help 10917952."
            "</p></details>")


def _bars(simulation: CampaignSimulation, scenario: str) -> tuple[list[str], list[int]]:
    where = simulation.where(scenario)
    return [str(c) for c in where["channel"]], [int(v) for v in where["clicks"]]


def _summary(simulation: CampaignSimulation, scenario: str) -> str:
    where = simulation.where(scenario)
    total = int(where["clicks"].sum())
    paid = where[where["channel"].astype(str).str.startswith(("Paid", "Display", "Email"))]
    intended = int(paid["clicks"].sum())
    report = simulation.reports[scenario].by_channel
    return (f"<p><b>{intended:,} of {total:,}</b> paid clicks are reported in a paid or "
            "campaign channel; the rest look like free traffic. Sessions count for the source "
            "they arrived with; conversions for the campaign GA4 credits them to (last "
            "click).</p>"
            + str(report[["channel", "sessions", "conversions", "cost"]].to_html(index=False)))


class CampaignExplorer(ExplorerDisplay):
    """Pick a tagging scenario; watch where the paid clicks end up (see module doc)."""

    PLAIN_TEXT = ("Campaign explorer: pick how the campaign's links are tagged and see which "
                  "report rows its paid clicks land in (run the notebook in JupyterLab to use "
                  "it).")

    def __init__(self, simulation: CampaignSimulation, *, scenario: str = "untagged") -> None:
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; choose one of {list(SCENARIOS)}")
        self.simulation = simulation
        self.scenario = scenario
        x, y = _bars(simulation, scenario)
        self.buttons = widgets.ToggleButtons(
            options=[(label, name) for name, (label, _, _) in SCENARIOS.items()],
            value=scenario, description="Links:", style={"button_width": "auto"})
        self.explanation = widgets.HTML(self._explanation(scenario))
        self.figure = go.FigureWidget(
            data=[go.Bar(x=x, y=y, marker_color=[_COLOURS.get(c, "#999") for c in x],
                         texttemplate="%{y}", textposition="outside",
                         hovertemplate="%{x}: %{y} paid clicks<extra></extra>")],
            layout={"title": {"text": self._title(scenario)}, "height": 420,
                    "yaxis": {"title": {"text": "paid clicks"},
                              "range": [0, simulation.site.clicks * 0.7]},
                    "xaxis": {"title": {"text": "GA4 default channel (session)"}},
                    "margin": {"t": 50, "b": 40, "l": 60, "r": 20},
                    "template": "plotly_white"})
        self.summary = widgets.HTML(_summary(simulation, scenario))
        self.caption = widgets.HTML(assumptions_caption())
        self.widget = widgets.VBox([self.buttons, self.explanation, self.figure, self.summary,
                                    self.caption])
        self.buttons.observe(self._on_pick, names="value")

    @staticmethod
    def _title(scenario: str) -> str:
        return f"{SCENARIOS[scenario][0]}: where the paid clicks are reported"

    @staticmethod
    def _explanation(scenario: str) -> str:
        label, text, _ = SCENARIOS[scenario]
        return f"<p><b>{html.escape(label)}</b>: {html.escape(text)}</p>"

    def _on_pick(self, change: Mapping[str, Any]) -> None:
        self._render(change["new"])

    def _render(self, scenario: str) -> None:
        x, y = _bars(self.simulation, scenario)
        with self.figure.batch_update():
            self.figure.data[0].x = x
            self.figure.data[0].y = y
            self.figure.data[0].marker.color = [_COLOURS.get(c, "#999") for c in x]
            self.figure.layout.title.text = self._title(scenario)
        self.explanation.value = self._explanation(scenario)
        self.summary.value = _summary(self.simulation, scenario)
        self.scenario = scenario

    def set(self, *, scenario: str) -> None:
        """Switch to ``scenario``: exactly the work of one click on its button."""
        self.show_scenario(scenario)

    def show_scenario(self, scenario: str) -> None:
        """Switch to ``scenario`` (the older spelling of ``set(scenario=...)``)."""
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; choose one of {list(SCENARIOS)}")
        if self.buttons.value == scenario:
            self._render(scenario)
        else:
            self.buttons.value = scenario

    def __repr__(self) -> str:
        return f"CampaignExplorer(scenario={self.scenario!r}, scenarios={len(SCENARIOS)})"

    def _repr_html_(self) -> str:
        return (f"<p>{html.escape(self.PLAIN_TEXT)}</p>{self._explanation(self.scenario)}"
                f"{_summary(self.simulation, self.scenario)}{assumptions_caption()}")


def campaign_explorer(site: TrackingSite | None = None, *,
                      scenario: str = "untagged") -> CampaignExplorer:
    """The explorer for ``site`` (default: the seeded module 04 shop)."""
    return CampaignExplorer(simulate_campaign(site), scenario=scenario)


def scenario_alt_text(simulation: CampaignSimulation) -> str:
    """One sentence per scenario saying what :func:`scenario_figure` shows."""
    parts = []
    for name in simulation.sessions:
        where = simulation.where(name)
        where = where[where["clicks"] > 0]
        top = ", ".join(f"{c} {int(v):,}" for c, v in zip(where["channel"].astype(str),
                                                            where["clicks"], strict=True))
        parts.append(f"{SCENARIOS[name][0]}: {top}")
    return ("Chart: the same paid clicks in three bars, one per way of tagging, split by the "
            "channel GA4 reports them in. " + "; ".join(parts) + ".")


@readable_figure
def scenario_figure(simulation: CampaignSimulation) -> go.Figure:
    """Stacked bars: for each scenario, the paid clicks per reported channel; each segment
    is labelled with its channel, so the chart reads without colour."""
    table = simulation.paid_clicks
    labels = [SCENARIOS[name][0] for name in simulation.sessions]
    present = [c for c in CHANNELS if c in set(table["channel"].astype(str))]
    data = []
    for channel in present:
        rows = table[table["channel"].astype(str) == channel].set_index("scenario")["clicks"]
        values = [int(rows.get(name, 0)) for name in simulation.sessions]
        data.append(go.Bar(x=labels, y=values, name=channel,
                           marker_color=_COLOURS.get(channel, "#999"),
                           marker_line={"color": "#ffffff", "width": 1},
                           text=[channel if v else "" for v in values],
                           texttemplate="%{text} %{y}", textposition="inside",
                           insidetextanchor="middle",
                           hovertemplate="%{x}<br>" + channel + ": %{y}<extra></extra>"))
    return go.Figure(data=data, layout={
        "title": {"text": "The same paid clicks, three ways of tagging the links"},
        "barmode": "stack", "height": 440, "yaxis": {"title": {"text": "paid clicks"}},
        "legend": {"orientation": "h", "y": -0.15}, "template": "plotly_white",
        "margin": {"t": 50, "b": 40, "l": 60, "r": 20}})


class LinkBuilder(ExplorerDisplay):
    """Text boxes for the UTM values; the tagged link, its channel and findings update live."""

    PLAIN_TEXT = ("Link builder: type source, medium and campaign and see the tagged link, the "
                  "GA4 channel it lands in and any mistakes (run the notebook to use it).")

    def __init__(self, url: str, *, source: str = "", medium: str = "",
                 campaign: str = "", paid: bool = True) -> None:
        self.url = widgets.Text(value=url, description="Landing page:",
                                layout={"width": "600px"})
        self.source = widgets.Text(value=source, description="utm_source:")
        self.medium = widgets.Text(value=medium, description="utm_medium:")
        self.campaign = widgets.Text(value=campaign, description="utm_campaign:")
        self.paid = widgets.Checkbox(value=paid, description="this link is in a paid ad",
                                     indent=False)
        self.output = widgets.HTML(self._render_html())
        self.widget = widgets.VBox([self.url, self.source, self.medium, self.campaign,
                                    self.paid, self.output])
        for box in (self.url, self.source, self.medium, self.campaign, self.paid):
            box.observe(self._update, names="value")

    def result(self) -> dict[str, Any]:
        """The tagged link, its channel and findings for the current values."""
        try:
            link = build_utm(self.url.value, source=self.source.value,
                             medium=self.medium.value, campaign=self.campaign.value)
        except ValueError as error:
            return {"link": None, "channel": None, "problem": str(error).split("\n")[0],
                    "findings": None}
        channel = default_channel(self.source.value, self.medium.value, self.campaign.value)
        sheet = pd.DataFrame({"url": [link], "placement": ["ads" if self.paid.value
                                                           else "organic"]})
        return {"link": link, "channel": channel, "problem": None,
                "findings": lint_utm(sheet)}

    def _render_html(self) -> str:
        result = self.result()
        if result["link"] is None:
            return f"<p style='color:#b00'>{html.escape(str(result['problem']))}</p>"
        findings = result["findings"]
        notes = "".join(f"<li><b>{html.escape(str(r.check))}</b>: {html.escape(r.business)}</li>"
                        for r in findings.itertuples(index=False))
        kind = "a paid ad" if self.paid.value else "an organic post or e-mail"
        return (f"<p><code>{html.escape(str(result['link']))}</code></p>"
                f"<p>GA4 default channel: <b>{html.escape(str(result['channel']))}</b></p>"
                + (f"<ul>{notes}</ul>" if notes else
                   f"<p>No tagging problems found for {kind}.</p>"))

    def _update(self, change: Mapping[str, Any]) -> None:
        self.output.value = self._render_html()

    def set(self, **controls: str | bool) -> None:
        """Type into the boxes by name (``url``, ``source``, ``medium``, ``campaign``,
        ``paid``), as a person does; unknown names raise ``ValueError``."""
        boxes = {"url": self.url, "source": self.source, "medium": self.medium,
                 "campaign": self.campaign, "paid": self.paid}
        unknown = set(controls) - set(boxes)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; use {sorted(boxes)}")
        for name, value in controls.items():
            boxes[name].value = value

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **kwargs: Any) -> dict[str, Any]:
        return {"text/plain": self.PLAIN_TEXT, "text/html": self._repr_html_(),
                "application/vnd.jupyter.widget-view+json": {
                    "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id}}

    def __repr__(self) -> str:
        return (f"LinkBuilder(source={self.source.value!r}, medium={self.medium.value!r}, "
                f"campaign={self.campaign.value!r}, paid={self.paid.value!r})")

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.PLAIN_TEXT)}</p>{self._render_html()}"


def link_builder(url: str = "https://www.northpeak-outdoor.example/spring-sale/", *,
                 source: str = "facebook", medium: str = "social",
                 campaign: str = "spring_sale", paid: bool = True) -> LinkBuilder:
    """A :class:`LinkBuilder` preset with a classic mistake (paid ads tagged as 'social')."""
    return LinkBuilder(url, source=source, medium=medium, campaign=campaign, paid=paid)
