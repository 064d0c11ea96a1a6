"""simulate_migration: the rules are exact, the ranking of strategies is the lesson."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.redirects import (
    GOOGLEBOT_MAX_HOPS,
    STRATEGIES,
    MigrationAssumptions,
    simulate_migration,
    strategy_map,
)
from kit.redirects.simulate import BROWSER_MAX_HOPS
from kit.sites import redesign


@pytest.fixture(scope="module")
def site():
    return redesign(400, seed=3)


@pytest.fixture(scope="module")
def results(site):
    return {name: simulate_migration(site, name) for name in STRATEGIES}


def test_weekly_shares_are_shares(results) -> None:
    for result in results.values():
        weekly = result.weekly
        assert list(weekly.columns) == ["week", "relevant", "homepage", "error", "lost", "links"]
        parts = weekly[["relevant", "homepage", "error", "lost"]].sum(axis=1)
        assert ((parts - 1).abs() < 1e-9).all(), result.strategy
        assert weekly[["relevant", "links"]].ge(0).all().all()
        assert weekly[["relevant", "links"]].le(1 + 1e-9).all().all()


def test_one_to_one_keeps_the_most_and_homepage_dump_the_least(results) -> None:
    kept = {name: result.summary["traffic_kept"] for name, result in results.items()}
    links = {name: result.summary["links_kept"] for name, result in results.items()}
    assert kept["one_to_one"] == max(kept.values())
    assert kept["homepage_dump"] == min(kept.values())
    assert links["one_to_one"] == max(links.values())
    assert links["temporary_302"] < links["one_to_one"]


def test_homepage_dump_makes_every_old_page_but_the_home_a_soft_404(results, site) -> None:
    assert results["homepage_dump"].summary["soft_404s"] == len(site.old) - 1
    assert results["one_to_one"].summary["soft_404s"] == 0


def test_homepage_visitors_fade_as_google_recrawls(results) -> None:
    homepage = results["homepage_dump"].weekly["homepage"]
    assert homepage.iloc[0] > 0.5
    assert homepage.is_monotonic_decreasing
    assert homepage.iloc[-1] < homepage.iloc[0] / 10


def test_chains_over_googlebots_limit_are_lost_after_the_recrawl(site) -> None:
    model = MigrationAssumptions(chain_hops=(11, 11))
    result = simulate_migration(site, "chains", assumptions=model)
    pages = result.pages[result.pages["url"] != "/"]
    redirected = pages[pages["hops"] > 0]
    assert (redirected["hops"] == 11).all()
    assert (redirected["outcome"] == "too_many_hops").all()
    assert GOOGLEBOT_MAX_HOPS < 11 and BROWSER_MAX_HOPS >= 11
    weekly = result.weekly
    assert weekly["relevant"].iloc[0] > 0.5  # browsers still follow 11 hops
    assert weekly["relevant"].iloc[-1] < 0.5  # Google dropped them


def test_a_temporary_redirect_credits_links_only_later(results) -> None:
    weeks = MigrationAssumptions().temporary_credit_weeks
    links = results["temporary_302"].weekly["links"]
    assert links.iloc[weeks] == pytest.approx(links.iloc[1])
    assert links.iloc[-1] > links.iloc[weeks]


def test_strategy_maps_follow_their_description(site) -> None:
    dump = strategy_map(site, "homepage_dump")
    assert set(dump["target"]) == {"/"}
    partial = strategy_map(site, "partial_map")
    assert 0 < len(partial) < len(site.old) / 2
    assert set(strategy_map(site, "temporary_302")["status"]) == {302, 410}


def test_your_own_map_is_simulated_too(site, results) -> None:
    own = strategy_map(site, "one_to_one")
    result = simulate_migration(site, own)
    assert result.strategy == "your map"
    assert result.summary["traffic_kept"] == results["one_to_one"].summary["traffic_kept"]


def test_unknown_strategy_is_a_clear_error(site) -> None:
    with pytest.raises(ValueError, match="choose one of"):
        strategy_map(site, "everything_to_home")


def test_result_renders_itself(results) -> None:
    result = results["one_to_one"]
    assert "traffic_kept=" in repr(result)
    assert "<table>" in result._repr_html_()
    assert isinstance(result.pages, pd.DataFrame)
