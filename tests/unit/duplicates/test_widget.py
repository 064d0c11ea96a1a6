"""The crawl explorer and the charts: build, change, render deterministically."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from kit.duplicates import find_duplicates
from kit.duplicates.simulate import simulate_crawl
from kit.duplicates.widget import (
    PLAIN_TEXT,
    TRY_THIS,
    clusters_figure,
    crawl_alt_text,
    crawl_explorer,
    crawl_figure,
)
from kit.sites import SiteShape

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_explorer_starts_on_the_given_shop() -> None:
    explorer = crawl_explorer(SiteShape(facets=2))
    assert explorer.result.summary == simulate_crawl(SiteShape(facets=2)).summary
    assert explorer.controls["facets"].value == 2
    assert TRY_THIS in explorer.hint.value


@pytest.mark.parametrize(("change", "grows"), [
    ({"facets": 5}, True), ({"values_per_facet": 8}, True), ({"session_ids": True}, True),
    ({"print_versions": False}, False), ({"tracking": False}, False),
    ({"http_variants": False}, False), ({"any_parameter_order": True}, True),
])
def test_a_change_recounts_and_redraws(change: dict, grows: bool) -> None:
    explorer = crawl_explorer()
    before = explorer.result.summary["urls"]
    summary_before = explorer.summary.value
    explorer.set(**change)
    after = explorer.result.summary["urls"]
    assert (after > before) is grows and after != before
    assert explorer.summary.value != summary_before
    total = sum(trace.y[0] for trace in explorer.figure.data[:-1])
    assert total == after
    days = explorer.figure.data[-1].y
    s = explorer.result.summary
    assert list(days) == [s["days_per_crawl_cycle"], s["days_after_fixes"],
                          s["days_if_only_real_pages"]]
    assert f"{s['urls']:,} URLs" in explorer.alt.value


def test_charts_read_without_colour() -> None:
    figure = crawl_figure()
    stacked = figure.data[:-1]
    assert len({trace.marker.pattern.shape for trace in stacked}) >= 8
    assert all(trace.text[0] == trace.name for trace in stacked)
    assert crawl_alt_text(simulate_crawl()).startswith("Chart: a crawler finds 1,904 URLs")


def test_front_end_change_is_the_same_as_set() -> None:
    clicked, called = crawl_explorer(), crawl_explorer()
    clicked.controls["crawl_per_day"].value = 1000  # what the front end does
    called.set(crawl_per_day=1000)
    assert clicked.result.summary == called.result.summary
    assert "1,000" in clicked.caption.value


def test_unknown_control() -> None:
    with pytest.raises(ValueError, match="unknown control"):
        crawl_explorer().set(colour=3)


def test_mimebundle_is_stable() -> None:
    explorer = crawl_explorer()
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == PLAIN_TEXT
    assert WIDGET_VIEW in bundle and "assumed" in bundle["text/html"].lower()
    assert set(explorer._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert repr(explorer).startswith("CrawlExplorer(urls=")


def test_static_figures() -> None:
    figure = crawl_figure()
    assert isinstance(figure, go.Figure) and len(figure.data) == 10
    pages = pd.DataFrame({"url": ["/a", "/a?gclid=1", "/b"], "text": ["x y z", "x y z", "q"]})
    chart = clusters_figure({"typical": find_duplicates(pages)})
    assert chart.data[0].y[0] == 2
    with pytest.raises(ValueError):
        clusters_figure({})
