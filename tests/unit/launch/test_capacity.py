"""The traffic curve and the per-minute capacity table: exact figures, properties, bad input."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import InputError
from kit.launch import (
    CAPACITY_COLUMNS,
    PHASES,
    Campaign,
    Site,
    capacity_table,
    mmc,
    servers_needed,
    settings_table,
    traffic_curve,
)


def test_curve_is_planned_traffic_plus_a_halving_spike() -> None:
    campaign = Campaign(reach=600_000, ctr=0.01, minutes=100, spike=11, spike_at=40, half_life=10)
    curve = traffic_curve(campaign)
    assert len(curve) == 100 and curve["visitors"].iloc[0] == pytest.approx(60.0)
    assert curve["visitors"].iloc[39] == pytest.approx(60.0)
    assert curve["visitors"].iloc[40] == pytest.approx(660.0)            # peak = 11 x planned
    assert curve["visitors"].iloc[50] == pytest.approx(60 + 300.0)       # one half-life later
    assert curve["requests_per_s"].iloc[40] == pytest.approx(660 * 10 / 60)
    assert list(curve["phase"].unique()) == list(PHASES)
    assert (curve.loc[curve["minute"] < 40, "phase"] == PHASES[0]).all()
    assert curve.loc[curve["minute"] == 69, "phase"].item() == PHASES[1]   # 3 half-lives
    assert curve.loc[curve["minute"] == 70, "phase"].item() == PHASES[2]


def test_no_spike_is_flat() -> None:
    curve = traffic_curve(Campaign(spike=1))
    assert curve["visitors"].nunique() == 1


def test_each_minute_is_the_mmc_state() -> None:
    campaign, site = Campaign(), Site(servers=5)
    report = capacity_table(campaign, site)
    assert list(report.table.columns) == list(CAPACITY_COLUMNS)
    row = report.table.iloc[campaign.spike_at]
    state = mmc(row["origin_rps"], site.rps_per_server, site.servers)
    assert row["origin_rps"] == pytest.approx(row["requests_per_s"] * (1 - site.cache_hit))
    assert row["p_wait"] == pytest.approx(state.p_wait)
    assert row["response_s"] == pytest.approx(state.response_s)
    assert row["error_share"] == pytest.approx(state.p_wait_longer(site.timeout_s))
    assert row["visitors_lost"] == pytest.approx(row["visitors"] * row["error_share"])


def test_default_site_falls_over_in_the_spike_and_five_servers_cope() -> None:
    report = capacity_table()
    s = report.summary
    assert s["overloaded_minutes"] > 0 and s["first_overloaded_minute"] == Campaign().spike_at
    assert not report.ok and s["worst_response_s"] == Site().timeout_s
    over = report.table[report.table["overloaded"]]
    assert (over["error_share"] == 1.0).all() and (over["response_s"] == Site().timeout_s).all()
    assert servers_needed(Campaign(), Site()) == 5
    assert capacity_table(site=Site(servers=5)).ok


@pytest.mark.parametrize(("campaign", "site"), [
    (Campaign(), Site()),
    (Campaign(reach=5_000_000, spike=80), Site(servers=10, cache_hit=0.9)),
    (Campaign(spike=1, ctr=0.05), Site(servers=1, rps_per_server=100)),
    (Campaign(reach=20_000_000, ctr=0.05), Site(servers=50, cache_hit=0.5, timeout_s=3)),
])
def test_servers_needed_is_the_smallest_that_copes(campaign: Campaign, site: Site) -> None:
    needed = servers_needed(campaign, site)
    assert capacity_table(campaign, replace(site, servers=needed)).ok
    if needed > 1:
        assert not capacity_table(campaign, replace(site, servers=needed - 1)).ok


def test_by_phase_adds_up_and_report_renders() -> None:
    report = capacity_table()
    phases = report.by_phase()
    assert phases["minutes"].sum() == Campaign().minutes
    assert phases["visitors"].sum() == pytest.approx(report.table["visitors"].sum(), abs=2)
    assert "visitors_lost=" in repr(report) and "A model, not a measurement" in report._repr_html_()
    assert set(settings_table(Campaign(), Site())["who"]) == {"Marketing", "IT"}


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Campaign(ctr=1.5), r"Campaign\.ctr"),
    (lambda: Campaign(reach=-1), r"Campaign\.reach"),
    (lambda: Campaign(reach=10.5), "whole number"),
    (lambda: Campaign(spike=0.5), r"Campaign\.spike"),
    (lambda: Campaign(spike_at=240), "inside the window"),
    (lambda: Campaign(half_life=0), r"Campaign\.half_life"),
    (lambda: Campaign(minutes="240"), "expected a number"),
    (lambda: Site(servers=0), r"Site\.servers"),
    (lambda: Site(servers=2.5), "whole number"),
    (lambda: Site(cache_hit=-0.1), r"Site\.cache_hit"),
    (lambda: Site(rps_per_server=0), r"Site\.rps_per_server"),
    (lambda: Site(timeout_s=float("nan")), r"Site\.timeout_s"),
    (lambda: servers_needed(Campaign(), Site(), max_lost_share=2), "max_lost_share"),
])
def test_bad_figures_are_input_errors(make, message: str) -> None:
    with pytest.raises(InputError, match=message):
        make()



@settings(max_examples=40, deadline=None)
@given(reach=st.integers(0, 5_000_000), ctr=st.floats(0, 0.2), spike=st.floats(1, 200),
       servers=st.integers(1, 60), cache=st.floats(0, 1), rps=st.floats(1, 500))
def test_table_is_sane_for_any_figures(reach: int, ctr: float, spike: float, servers: int,
                                       cache: float, rps: float) -> None:
    campaign = Campaign(reach=reach, ctr=ctr, spike=spike)
    site = Site(servers=servers, cache_hit=cache, rps_per_server=rps)
    t = capacity_table(campaign, site).table
    assert t["error_share"].between(0, 1).all() and t["p_wait"].between(0, 1).all()
    assert (t["visitors_lost"] <= t["visitors"] + 1e-9).all()
    assert (t["response_s"] <= site.timeout_s).all() and t.notna().all().all()
    more = capacity_table(campaign, replace(site, servers=servers + 1)).table
    assert (more["visitors_lost"] <= t["visitors_lost"] + 1e-9).all()
    cached = capacity_table(campaign, replace(site, cache_hit=min(1.0, cache + 0.1))).table
    assert (cached["visitors_lost"] <= t["visitors_lost"] + 1e-9).all()
