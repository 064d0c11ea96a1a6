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
    requests_at_servers,
    servers_needed,
    settings_table,
    simulate_requests,
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
    assert row["queued"] == 0 and row["wait_s"] == pytest.approx(state.mean_wait_s)


def test_a_short_mild_overload_queues_and_loses_about_nothing() -> None:
    # The default spike is 4% over capacity for 2 minutes: about 200 requests queue up,
    # a few seconds of wait against a 10 s timeout; nobody gives up.
    report = capacity_table()
    s = report.summary
    assert s["overloaded_minutes"] == 2 and s["first_overloaded_minute"] == Campaign().spike_at
    assert s["visitors_lost"] <= 0.0001 * s["visitors"]
    assert 1.0 < s["worst_wait_s"] < Site().timeout_s / 2
    assert s["longest_queue"] > 100
    assert not report.ok                      # no headroom: overloaded minutes never count as ok
    assert servers_needed(Campaign(), Site()) == 5
    assert capacity_table(site=Site(servers=5)).ok


def _long_overload(over: float, minutes: int = 120) -> tuple[Campaign, Site]:
    """A flat campaign whose requests at the servers are ``over`` times their capacity."""
    campaign = Campaign(reach=600_000, ctr=0.01, minutes=minutes, spike=1, spike_at=0)
    rps = campaign.planned_per_minute * 10 * 0.2 / 60       # 10 requests/visit, 20% to servers
    return campaign, Site(servers=2, rps_per_server=rps / over / 2)


@pytest.mark.parametrize("over", [1.2, 1.5, 3.0])
def test_a_long_overload_loses_about_the_excess(over: float) -> None:
    campaign, site = _long_overload(over)
    t = capacity_table(campaign, site).table
    arrived = float((t["origin_rps"] * 60).sum())
    excess = arrived - site.capacity_rps * 60 * campaign.minutes
    lost_requests = float(t["requests_lost"].sum())
    # all of the excess is lost but the queue still held at the end (capacity x timeout)
    assert lost_requests == pytest.approx(excess - site.capacity_rps * site.timeout_s, rel=1e-6)
    lost_share = float(t["visitors_lost"].sum() / t["visitors"].sum())
    assert lost_share == pytest.approx(1 - 1 / over, rel=0.01)
    assert t["wait_s"].iloc[-1] == pytest.approx(site.timeout_s, rel=0.01)


def test_losses_are_counted_per_visit() -> None:
    campaign, site = _long_overload(1.5)
    report = capacity_table(campaign, site)
    t = report.table
    assert requests_at_servers(campaign, site) == pytest.approx(2.0)
    assert report.summary["requests_per_visit_at_servers"] == 2.0
    assert t["visitors_lost"].to_numpy() == pytest.approx(t["requests_lost"].to_numpy() / 2)
    # the same requests at the servers, sent by half as many visits of twice the requests:
    heavy = capacity_table(replace(campaign, reach=300_000, requests_per_visit=20), site).table
    assert heavy["requests_lost"].to_numpy() == pytest.approx(t["requests_lost"].to_numpy())
    assert heavy["visitors_lost"].sum() == pytest.approx(t["visitors_lost"].sum() / 2)


@pytest.mark.parametrize(("campaign", "site"), [
    (Campaign(), Site()),
    (Campaign(spike=40), Site(servers=5)),
    (Campaign(reach=2_000_000, spike=60), Site()),
    (Campaign(spike=80, spike_at=239), Site()),                # ends with a queue
    (Campaign(), Site(servers=1, timeout_s=0.5)),
])
def test_every_request_is_served_lost_or_still_queued(campaign: Campaign, site: Site) -> None:
    t = capacity_table(campaign, site).table
    arrived = float((t["origin_rps"] * 60).sum())
    accounted = float(t["requests_served"].sum() + t["requests_lost"].sum() + t["queued"].iloc[-1])
    assert accounted == pytest.approx(arrived, rel=1e-9)
    assert (t["queued"] <= site.capacity_rps * site.timeout_s * (1 + 1e-9)).all()
    minute_by_minute = (t["origin_rps"] * 60 - t["requests_served"] - t["requests_lost"]).cumsum()
    assert minute_by_minute.to_numpy() == pytest.approx(t["queued"].to_numpy(), abs=1e-6)


@pytest.mark.parametrize(("campaign", "site", "tolerance"), [
    (Campaign(reach=300_000), Site(servers=1), 0.15),                    # 7 minutes over
    (Campaign(reach=300_000, spike=60), Site(servers=1, cache_hit=0.9), 0.15),
    (Campaign(reach=500_000, spike=50), Site(servers=3, rps_per_server=15), 0.15),
])
def test_the_model_agrees_with_a_simulation_of_every_request(campaign: Campaign, site: Site,
                                                             tolerance: float) -> None:
    model = capacity_table(campaign, site).summary
    runs = [simulate_requests(campaign, site, seed=seed) for seed in range(3)]
    simulated = sum(float(r["visitors_lost"].sum()) for r in runs) / len(runs)
    visitors = sum(float(r["visitors"].sum()) for r in runs) / len(runs)
    assert model["visitors_lost"] > 0
    assert model["lost_share"] == pytest.approx(simulated / visitors, rel=tolerance)


def test_the_simulation_refuses_a_size_it_cannot_replay_quickly() -> None:
    with pytest.raises(InputError, match="max_requests"):
        simulate_requests(Campaign(), Site(), max_requests=1000)


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



@settings(max_examples=30, deadline=None)
@given(reach=st.integers(0, 5_000_000), ctr=st.floats(0, 0.2), spike=st.floats(1, 200),
       servers=st.integers(1, 60), cache=st.floats(0, 1), rps=st.floats(1, 500))
def test_table_is_sane_for_any_figures(reach: int, ctr: float, spike: float, servers: int,
                                       cache: float, rps: float) -> None:
    campaign = Campaign(reach=reach, ctr=ctr, spike=spike)
    site = Site(servers=servers, cache_hit=cache, rps_per_server=rps)
    t = capacity_table(campaign, site).table
    assert t["error_share"].between(0, 1).all() and t["p_wait"].between(0, 1).all()
    assert (t["visitors_lost"] <= t["visitors"] + 1e-9).all()
    assert (t["response_s"] <= site.timeout_s + 1 / site.rps_per_server + 1e-9).all()
    assert t.notna().all().all()
    # more servers or more caching never lose more visitors over the window (minute by
    # minute they can: a queue left over hides the tiny Erlang C losses of a free minute)
    lost = float(t["visitors_lost"].sum())
    slack = 1e-6 * float(t["visitors"].sum()) + 1e-9
    more = capacity_table(campaign, replace(site, servers=servers + 1)).table
    assert float(more["visitors_lost"].sum()) <= lost + slack
    cached = capacity_table(campaign, replace(site, cache_hit=min(1.0, cache + 0.1))).table
    assert float(cached["visitors_lost"].sum()) <= lost + slack
