"""Module 02's widget: clicks change the chart and the table; display is stable."""

from __future__ import annotations

import pytest

from kit.seo import CHANGES, PLANS, change_effects, compare_plans, simulate_seo
from kit.seo.widget import (
    PLAIN_TEXT,
    SeoExplorer,
    assumptions_caption,
    change_effects_figure,
    plan_comparison_figure,
    seo_explorer,
)
from kit.sites import seo_site


@pytest.fixture(scope="module")
def explorer() -> SeoExplorer:
    return seo_explorer(seo_site(120, seed=4))


@pytest.mark.parametrize("plan", list(PLANS))
def test_plan_buttons_tick_the_plan_and_redraw(explorer: SeoExplorer, plan: str) -> None:
    explorer.plans.value = plan  # what a click does
    assert {name for name, box in explorer.boxes.items() if box.value} == set(PLANS[plan])
    expected = simulate_seo(explorer.site, plan).summary
    assert list(explorer.figure.data[1].y) == [expected["indexable"], expected["well_described"]]
    assert f"<b>{expected['indexable']}</b>" in explorer.summary.value


def test_ticking_one_box(explorer: SeoExplorer) -> None:
    explorer.select([])
    explorer.boxes["titles"].value = True
    assert explorer.changes == ("titles",)
    assert explorer.plans.value is None
    base = explorer.base.summary
    assert explorer.figure.data[1].y[0] == base["indexable"]
    assert explorer.figure.data[1].y[1] > base["well_described"]


def test_meta_keywords_alone_says_it_changed_nothing(explorer: SeoExplorer) -> None:
    explorer.select(["meta_keywords"])
    assert list(explorer.figure.data[1].y) == list(explorer.figure.data[0].y)
    assert "changed neither number" in explorer.summary.value


def test_bad_names(explorer: SeoExplorer) -> None:
    with pytest.raises(ValueError, match="unknown change"):
        explorer.select(["magic"])
    with pytest.raises(ValueError, match="unknown plan"):
        explorer.show_plan("magic")
    with pytest.raises(ValueError, match="unknown plan"):
        SeoExplorer(explorer.site, plan="magic")


def test_display(explorer: SeoExplorer) -> None:
    explorer.show_plan("it_delivered")
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == PLAIN_TEXT
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert set(explorer._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert "SeoExplorer(changes=['meta_keywords', 'sitemap']" in repr(explorer)
    assert "2009" in assumptions_caption() and "<ul>" in explorer._repr_html_()


def test_static_figures() -> None:
    site = seo_site(120, seed=4)
    effects = change_effects_figure(change_effects(site))
    assert len(effects.data) == 2 and len(effects.data[0].y) == len(CHANGES)
    plans = plan_comparison_figure(compare_plans(site))
    assert len(plans.data[0].x) == len(PLANS)
    with pytest.raises(ValueError):
        change_effects_figure(change_effects(site).iloc[:0])
    with pytest.raises(ValueError):
        plan_comparison_figure(compare_plans(site).iloc[:0])
