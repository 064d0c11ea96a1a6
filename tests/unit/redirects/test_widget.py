"""The migration explorer and the static chart: build, switch, render deterministically."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import pytest

from kit.redirects import STRATEGIES, MigrationAssumptions, simulate_migration
from kit.redirects.widget import (
    PLAIN_TEXT,
    MigrationExplorer,
    assumptions_caption,
    migration_explorer,
    strategy_comparison_figure,
    strategy_comparison_words,
)
from kit.sites import redesign

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def site():
    return redesign(200, seed=3)


@pytest.fixture
def explorer(site) -> MigrationExplorer:
    return migration_explorer(site)


def _chart(explorer: MigrationExplorer) -> list[tuple[float, ...]]:
    return [tuple(trace.y) for trace in explorer.figure.data]


def test_builds_with_every_strategy_precomputed(explorer: MigrationExplorer) -> None:
    assert list(explorer.results) == list(STRATEGIES)
    assert [value for _, value in explorer.buttons.options] == list(STRATEGIES)
    assert explorer.buttons.value == explorer.strategy == "homepage_dump"
    assert len(explorer.figure.data) == 5
    weeks = explorer.assumptions.weeks + 1
    assert all(len(trace.y) == weeks for trace in explorer.figure.data)
    assert list(explorer.widget.children) == [
        explorer.buttons, explorer.explanation, explorer.figure, explorer.words, explorer.summary,
        explorer.caption,
    ]


def test_default_site_is_the_seeded_redesign() -> None:
    small = migration_explorer(n_pages=120, seed=5)
    assert small.site.old.equals(redesign(120, seed=5).old)


@pytest.mark.parametrize("name", [name for name in STRATEGIES if name != "homepage_dump"])
def test_switching_strategy_changes_chart_and_summary(explorer: MigrationExplorer, name) -> None:
    before_chart, before_summary = _chart(explorer), explorer.summary.value
    explorer.show_strategy(name)
    assert explorer.strategy == explorer.buttons.value == name
    assert _chart(explorer) != before_chart
    assert explorer.summary.value != before_summary
    assert STRATEGIES[name] in explorer.explanation.value
    weekly = explorer.results[name].weekly
    np.testing.assert_allclose(explorer.figure.data[0].y, weekly["relevant"], atol=1e-4)
    np.testing.assert_allclose(explorer.figure.data[4].y, weekly["links"], atol=1e-4)


def test_a_click_does_what_show_strategy_does(explorer: MigrationExplorer) -> None:
    explorer.buttons.value = "one_to_one"  # what the front end sets on a click
    clicked = (_chart(explorer), explorer.summary.value, explorer.figure.layout.title.text)
    explorer.show_strategy("chains")
    explorer.show_strategy("one_to_one")
    assert (_chart(explorer), explorer.summary.value,
            explorer.figure.layout.title.text) == clicked


def test_showing_the_current_strategy_again_is_harmless(explorer: MigrationExplorer) -> None:
    before = _chart(explorer)
    explorer.show_strategy(explorer.strategy)
    assert _chart(explorer) == before


def test_unknown_strategy_is_refused(explorer: MigrationExplorer, site) -> None:
    with pytest.raises(ValueError, match="one_to_one"):
        explorer.show_strategy("everything_to_the_blog")
    with pytest.raises(ValueError, match="unknown strategy"):
        migration_explorer(site, strategy="nope")


def test_chart_shares_stay_between_zero_and_one(explorer: MigrationExplorer) -> None:
    for name in STRATEGIES:
        explorer.show_strategy(name)
        visits = np.array([trace.y for trace in explorer.figure.data[:4]])
        assert np.all(visits >= 0) and np.all(visits <= 1.0001)
        np.testing.assert_allclose(visits.sum(axis=0), 1.0, atol=1e-3)


def test_mimebundle_is_stable_and_holds_the_real_widget(explorer: MigrationExplorer, site) -> None:
    first = explorer._repr_mimebundle_()
    assert first["text/plain"] == PLAIN_TEXT
    assert first[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    other = migration_explorer(site)
    second = other._repr_mimebundle_()
    assert second["text/plain"] == first["text/plain"]
    assert second["text/html"] == first["text/html"]
    random_id = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
    assert not random_id.search(first["text/html"] + first["text/plain"])
    assert explorer._repr_mimebundle_(include=["text/plain"]) == {"text/plain": PLAIN_TEXT}
    assert WIDGET_VIEW not in explorer._repr_mimebundle_(exclude=[WIDGET_VIEW])


def test_caption_states_assumptions_and_sources() -> None:
    caption = assumptions_caption(MigrationAssumptions(temporary_credit_weeks=7))
    assert "7 weeks" in caption
    assert "10 redirect hops" in caption
    assert "Google Search Central" in caption
    assert "Mueller" not in caption and "secondary" not in caption  # Google's own pages say it
    assert "Redirects and Google Search" in caption and "Site moves with URL changes" in caption
    assert "model's assumption" in caption and "at least a year" in caption


def test_comparison_figure_is_a_static_figure(site) -> None:
    results = {name: simulate_migration(site, name) for name in STRATEGIES}
    figure = strategy_comparison_figure(results)
    assert type(figure) is go.Figure
    assert len(figure.data) == 2
    assert list(figure.data[0].y) == [results[name].summary["traffic_kept"] for name in STRATEGIES]
    assert strategy_comparison_figure(list(results.values())).to_json() == figure.to_json()
    assert all(trace.uid is None for trace in figure.data)
    with pytest.raises(ValueError):
        strategy_comparison_figure({})


def test_core_modules_import_no_widgets_or_plotly() -> None:
    code = (
        "import kit.redirects, kit.redirects.audit, kit.redirects.export, kit.redirects.maps, "
        "kit.redirects.simulate, kit.redirects.suggest, kit.redirects.commands, sys; "
        "assert 'ipywidgets' not in sys.modules and 'plotly' not in sys.modules, "
        "sorted(m for m in sys.modules if m.startswith(('ipywidgets', 'plotly')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr


def test_lines_read_without_colour(explorer: MigrationExplorer) -> None:
    dashes = [trace.line.dash for trace in explorer.figure.data]
    assert len(set(dashes)) == len(dashes), "each line needs its own dash pattern"
    labels = {a.text for a in explorer.figure.layout.annotations}
    assert labels == {"right page", "homepage", "error page", "lost", "links"}
    ys = sorted(a.y for a in explorer.figure.layout.annotations)
    assert all(b - a >= 0.049 for a, b in itertools.pairwise(ys)), "labels overlap"
    assert ys[0] >= 0, "a label below the axis"


def test_chart_in_words_follows_the_strategy(explorer: MigrationExplorer) -> None:
    explorer.show_strategy("one_to_one")
    words = explorer.words.value
    assert "The chart in words" in words and "1:1 map" in words
    right = explorer.results["one_to_one"].weekly["relevant"].iloc[-1]
    assert f"{right:.0%} visitors reach the right page" in words
    explorer.show_strategy("homepage_dump")
    assert explorer.words.value != words
    assert "The chart in words" in explorer._repr_html_()


def test_comparison_has_patterns_and_words(explorer: MigrationExplorer) -> None:
    figure = strategy_comparison_figure(explorer.results)
    assert {bar.marker.pattern.shape for bar in figure.data} == {"", "/"}
    words = strategy_comparison_words(explorer.results)
    assert words.count("\n- ") == len(explorer.results)
    summary = explorer.results["one_to_one"].summary
    assert f"1:1 map: {summary['traffic_kept']:.0%}" in words
    with pytest.raises(ValueError, match="no results"):
        strategy_comparison_words({})


# --- the review queue of a suggested map ------------------------------------------------------


@pytest.fixture(scope="module")
def suggested():
    from kit.redirects import suggest_map

    site = redesign(300, seed=1)
    return suggest_map(site.old, site.new)


@pytest.mark.parametrize(
    ("view", "statuses"),
    [("to decide", {410}), ("redirected", {301}), ("all", {200, 301, 410})],
)
def test_review_queue_views_list_their_pages(suggested, view: str, statuses: set[int]) -> None:
    from kit.redirects.widget import review_queue

    queue = review_queue(suggested, view=view, limit=1000)
    shown = re.findall(r"<tr><td style='text-align:left'>([^<]+)</td><td>(\d+)</td>",
                       queue.table.value)
    assert {int(status) for _, status in shown} <= statuses
    assert len(shown) == int(suggested["status"].isin(statuses).sum())


def test_review_queue_click_does_what_show_does(suggested) -> None:
    from kit.redirects.widget import review_queue

    queue = review_queue(suggested)
    first = queue.table.value
    queue.buttons.value = "all"
    clicked = queue.table.value
    queue.show("to decide")
    assert queue.table.value == first and clicked != first and queue.view == "to decide"
    gone = suggested[suggested["status"] == 410].iloc[0]
    assert gone["candidate_1"] in first  # the candidates a person decides with
    bundle = queue._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and "Review queue" in bundle["text/plain"]
    with pytest.raises(ValueError, match="unknown view"):
        queue.show("nope")
    with pytest.raises(ValueError, match="suggest_map"):
        review_queue(suggested[["source", "target", "status"]])
