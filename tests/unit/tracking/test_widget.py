"""Module 04's widgets: a click does what the core says; displays are deterministic."""

from __future__ import annotations

import pytest

from kit.sites import tracking_site
from kit.tracking.widget import campaign_explorer, link_builder, scenario_figure


@pytest.fixture(scope="module")
def explorer():
    return campaign_explorer(tracking_site(clicks=500, background=500))


@pytest.mark.parametrize(("scenario", "top"), [("untagged", "Organic Search"),
                                                ("tagged", "Paid Search"),
                                                ("mistakes", "Organic Search")])
def test_click_shows_scenario(explorer, scenario, top) -> None:
    explorer.show_scenario(scenario)
    bar = explorer.figure.data[0]
    assert bar.x[0] == top and sum(bar.y) == explorer.simulation.site.clicks
    assert scenario in repr(explorer)


def test_mimebundle_is_stable(explorer) -> None:
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == explorer.PLAIN_TEXT
    assert "Assumptions" in bundle["text/html"]


def test_scenario_figure(explorer) -> None:
    figure = scenario_figure(explorer.simulation)
    assert figure.layout.barmode == "stack"
    assert sum(sum(trace.y) for trace in figure.data) == 3 * explorer.simulation.site.clicks


def test_link_builder_updates() -> None:
    builder = link_builder()
    assert builder.result()["channel"] == "Organic Social"
    builder.medium.value = "paid_social"
    assert builder.result()["channel"] == "Paid Social"
    assert "Paid Social" in builder.output.value
    builder.url.value = "not a url"
    assert builder.result()["link"] is None and "not a full web address" in builder.output.value
    assert builder._repr_mimebundle_()["text/plain"] == builder.PLAIN_TEXT
