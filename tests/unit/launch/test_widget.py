"""The explorers and charts: build, change, render deterministically; data cite sources."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from kit.launch import (
    Site,
    blocked_at_work,
    capacity_table,
    social_media_forecast,
    social_policy_trend,
)
from kit.launch.widget import (
    PLAIN_TEXT,
    READINESS_TEXT,
    TRY_THIS,
    blocked_figure,
    capacity_figure,
    forecast_figure,
    gantt_figure,
    launch_explorer,
    policy_figure,
    readiness_explorer,
)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize(("change", "more_lost"), [
    ({"servers": 10}, False), ({"cache_hit": 0.95}, False), ({"spike": 80}, True),
    ({"reach": 3_000_000}, True), ({"rps_per_server": 60}, False),
])
def test_a_change_recomputes_and_redraws(change: dict, more_lost: bool) -> None:
    explorer = launch_explorer()
    before = explorer.report.summary["visitors_lost"]
    explorer.set(**change)
    after = explorer.report.summary["visitors_lost"]
    assert (after > before) if more_lost else (after < before)
    assert list(explorer.figure.data[2].y) == explorer.report.table["visitors_lost"].tolist()


def test_unknown_control_and_display() -> None:
    explorer = launch_explorer(site=Site(servers=6))
    assert explorer.report.summary == capacity_table(site=Site(servers=6)).summary
    with pytest.raises(ValueError, match="unknown control"):
        explorer.set(colour="red")
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == PLAIN_TEXT and WIDGET_VIEW in bundle
    assert TRY_THIS in explorer.hint.value and "A model, not a measurement" in bundle["text/html"]


def test_readiness_explorer_follows_the_buttons() -> None:
    explorer = readiness_explorer()
    assert explorer.plan.risk == "low"
    explorer.controls["it_joins"].value = "at launch"
    assert explorer.plan.risk == "high" and "not done" in explorer.summary.value
    assert list(explorer.figure.data[0].base) == explorer.plan.schedule["start"].tolist()
    assert explorer._repr_mimebundle_()["text/plain"] == READINESS_TEXT


@pytest.mark.parametrize("make", [capacity_figure, gantt_figure, blocked_figure, policy_figure,
                                  forecast_figure])
def test_figures_are_deterministic(make) -> None:
    assert isinstance(make(), go.Figure) and make().to_json() == make().to_json()


@pytest.mark.parametrize(("table", "column", "expected"), [
    (blocked_at_work, "share_blocking", [0.67, 0.60, 0.56, 0.49]),
    (social_policy_trend, "share", [0.54, 0.31, 0.19, 0.51]),
    (social_media_forecast, "usd_bn", [12.0, 34.0, 6.5, 18.0]),
])
def test_cited_figures(table, column: str, expected: list[float]) -> None:
    frame = table()
    assert frame[column].tolist() == expected and frame["source"].str.len().min() > 20


def test_source_named_in_every_chart() -> None:
    for figure in (blocked_figure(), policy_figure(), forecast_figure()):
        assert any("Source" in a.text for a in figure.layout.annotations)
