"""Module 04's widgets: a click does what the core says; displays are deterministic."""

from __future__ import annotations

import pytest

from kit.sites import tracking_site
from kit.tracking.widget import (
    campaign_explorer,
    link_builder,
    scenario_alt_text,
    scenario_figure,
)


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


def test_scenario_figure_reads_without_colour(explorer) -> None:
    figure = scenario_figure(explorer.simulation)
    labelled = {text for trace in figure.data for text in trace.text if text}
    assert labelled == {trace.name for trace in figure.data}
    text = scenario_alt_text(explorer.simulation)
    assert text.startswith("Chart:") and "Tagged correctly: Paid Search" in text


def test_link_builder_flags_the_paid_facebook_ad_tagged_social() -> None:
    builder = link_builder()                         # the module's headline mistake
    assert builder.result()["channel"] == "Organic Social"
    findings = builder.result()["findings"]
    assert findings["check"].tolist() == ["organic_medium_on_ad"]
    assert findings["severity"].astype(str).tolist() == ["warning"]
    assert "No tagging problems" not in builder.output.value
    assert "organic_medium_on_ad" in builder.output.value
    builder.paid.value = False                       # an organic post: social is right
    assert "No tagging problems found for a organic" not in builder.output.value
    assert "No tagging problems found for an organic post" in builder.output.value
    builder.paid.value = True
    builder.medium.value = "paid_social"
    assert builder.result()["channel"] == "Paid Social"
    assert "Paid Social" in builder.output.value
    assert "No tagging problems found for a paid ad" in builder.output.value
    builder.url.value = "not a url"
    assert builder.result()["link"] is None and "not a full web address" in builder.output.value
    assert builder._repr_mimebundle_()["text/plain"] == builder.PLAIN_TEXT
