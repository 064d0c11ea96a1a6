"""The explorers and charts: build, change, render deterministically; data cite sources."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from kit.launch import (
    Campaign,
    Site,
    blocked_at_work,
    capacity_table,
    plan_launch,
    social_media_forecast,
    social_policy_trend,
)
from kit.launch.widget import (
    PLAIN_TEXT,
    READINESS_TEXT,
    TRY_THIS,
    blocked_figure,
    capacity_alt_text,
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
    explorer = launch_explorer(Campaign(reach=2_000_000, spike=60))     # loses visitors
    before = explorer.report.summary["visitors_lost"]
    explorer.set(**change)
    after = explorer.report.summary["visitors_lost"]
    assert (after > before) if more_lost else (after < before)
    t = explorer.report.table
    assert list(explorer.figure.data[2].y) == t["visitors_lost"].round(1).tolist()
    assert list(explorer.figure.data[3].y) == t["wait_s"].round(3).tolist()
    assert f"{after:,} of" in explorer.alt.value


def test_chart_is_readable_without_colour_and_described() -> None:
    figure = capacity_figure()
    dashes = {trace.name: trace.line.dash for trace in figure.data if trace.type == "scatter"}
    assert dashes["capacity (dashed)"] == "dash" and dashes["timeout (dotted)"] == "dot"
    assert {a.text for a in figure.layout.annotations} >= {"capacity", "timeout 10 s"}
    for trace in figure.data:                      # short numbers only, never long floats
        assert all(len(repr(float(v)).replace("0.", "").lstrip("0")) <= 8 for v in trace.y)
    text = capacity_alt_text(capacity_table())
    assert text.startswith("Chart:") and "2 minute(s) from minute 60" in text
    assert "0 of 90,807 visitors are lost" in text
    assert "NOT DONE" in gantt_figure(plan_launch(it_joins="at launch")).data[0].text


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
