"""The generated shop and the crawl model: exact counts, planted truth, stated assumptions."""

from __future__ import annotations

import pytest

from kit.duplicates import PRESETS, near_duplicates
from kit.duplicates.simulate import (
    CAUSES,
    FIXES,
    RECOMMENDED_FIXES,
    CrawlAssumptions,
    assumptions_table,
    score_against_truth,
    simulate_crawl,
)
from kit.errors import InputError
from kit.sites import SiteShape, duplicate_site

SHAPES = [
    pytest.param({}, id="default"),
    pytest.param({"facets": 3, "values_per_facet": 2, "max_filters": 3,
                  "any_parameter_order": True, "session_ids": True}, id="every-order-sessions"),
    pytest.param({"facets": 0, "sort_orders": 0, "print_versions": False, "http_variants": False,
                  "tracked_share": 0.0, "copied_share": 0.0}, id="clean-shop"),
    pytest.param({"categories": 2, "products_per_category": 7, "tracked_share": 0.5,
                  "tracking_variants": 3, "copied_share": 0.3}, id="small-many-tags"),
    pytest.param({"facets": 2, "values_per_facet": 3, "max_filters": 5},
                 id="more-filters-than-facets"),
]


@pytest.mark.parametrize("knobs", SHAPES)
def test_generated_urls_match_the_exact_count(knobs: dict) -> None:
    site = duplicate_site(**knobs, seed=3)
    counted = {cause: n for cause, n in site.shape.url_counts().items() if n}
    assert site.pages["cause"].value_counts().to_dict() == counted
    assert site.pages["url"].is_unique
    assert site.real_pages == site.shape.real_pages
    result = simulate_crawl(site.shape)
    assert result.summary["urls"] == len(site.pages)


def test_same_seed_same_site() -> None:
    assert duplicate_site(seed=4).pages.equals(duplicate_site(seed=4).pages)
    assert not duplicate_site(seed=4).pages.equals(duplicate_site(seed=5).pages)


def test_the_tool_recovers_the_planted_truth_with_the_shops_policy() -> None:
    site = duplicate_site(categories=3, products_per_category=8, seed=1)
    shop = PRESETS["aggressive"].with_changes(
        name="shop", drop_parameters=PRESETS["aggressive"].drop_parameters | set(
            site.shape.facet_names))
    score = score_against_truth(near_duplicates(site.crawl_export(), policy=shop), site)
    assert score["clusters"] == score["real_pages"] == site.real_pages
    assert score["pair_precision"] == score["pair_recall"] == 1.0
    typical = score_against_truth(near_duplicates(site.crawl_export()), site)
    assert typical["pair_precision"] == 1.0
    assert typical["clusters"] > site.real_pages  # filters are pages unless the shop says not


def test_crawl_model_arithmetic() -> None:
    result = simulate_crawl(assumptions=CrawlAssumptions(crawl_per_day=100), facets=2,
                            values_per_facet=3, max_filters=2, sort_orders=1)
    s = result.summary
    shape = result.shape
    assert s["urls"] == sum(shape.url_counts().values())
    assert s["real_pages"] == shape.real_pages
    assert s["days_per_crawl_cycle"] == round(s["urls"] / 100, 1)
    assert s["wasted_crawl_share"] == round(1 - s["real_pages"] / s["urls"], 3)
    assert list(result.by_cause["cause"]) == list(CAUSES)
    assert "assumed" in result._repr_html_()
    kept = result.by_cause.loc[result.by_cause["fix"].isin(["none", "canonical"]), "urls"].sum()
    assert s["urls_crawled_after_fixes"] == kept
    assert s["days_after_fixes"] == round(kept / 100, 1)
    assert repr(result).startswith("CrawlResult(urls=")


def test_large_shops_are_counted_not_generated() -> None:
    big = SiteShape(categories=12, products_per_category=200, facets=6, values_per_facet=10,
                    max_filters=3, sort_orders=5)
    assert simulate_crawl(big).summary["urls"] > 1_000_000
    with pytest.raises(InputError, match="simulate_crawl counts any size"):
        duplicate_site(big)


@pytest.mark.parametrize("knobs", [{"facets": 9}, {"categories": 0}, {"tracked_share": 2.0},
                                   {"values_per_facet": "many"}])
def test_out_of_range_knobs(knobs: dict) -> None:
    with pytest.raises(InputError, match="out of range"):
        SiteShape(**knobs)


def test_crawl_assumptions_validated_and_tabled() -> None:
    with pytest.raises(InputError, match="crawl_per_day"):
        CrawlAssumptions(crawl_per_day=0)
    table = assumptions_table()
    assert "crawl_per_day" in set(table["setting"]) and "facets" in set(table["setting"])


def test_score_needs_every_url() -> None:
    site = duplicate_site(categories=1, products_per_category=3, facets=0, seed=0)
    clusters = near_duplicates(site.crawl_export().head(3))
    with pytest.raises(InputError, match="not in the clusters"):
        score_against_truth(clusters, site)


def test_a_canonical_saves_no_crawling_and_blocking_does() -> None:
    # Google must fetch a page to read its rel=canonical; robots.txt keeps the crawler off.
    shape = SiteShape(facets=4, values_per_facet=6, session_ids=True)
    causes = [c for c in CAUSES if c != "real"]
    canonical_only = simulate_crawl(shape, fixes=dict.fromkeys(causes, "canonical")).summary
    assert canonical_only["days_after_fixes"] == canonical_only["days_per_crawl_cycle"]
    recommended = simulate_crawl(shape).summary
    assert recommended["days_after_fixes"] < recommended["days_per_crawl_cycle"] / 5
    blocked = simulate_crawl(shape, fixes={"filter": "robots"}).by_cause.set_index("cause")
    assert blocked.loc["filter", "crawled_after_fix"] == 0
    kept = simulate_crawl(shape, fixes={"filter": "canonical"}).by_cause.set_index("cause")
    assert kept.loc["filter", "crawled_after_fix"] == kept.loc["filter", "urls"] > 0
    assert set(RECOMMENDED_FIXES) == set(CAUSES) and set(RECOMMENDED_FIXES.values()) <= set(FIXES)
    with pytest.raises(InputError, match="unknown"):
        simulate_crawl(fixes={"filter": "noindex"})
