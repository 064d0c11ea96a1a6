"""attribution_report, the seeded shop and the tagging simulator."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.errors import InputError
from kit.sites import tracking_site
from kit.tracking import REPORT_COLUMNS, attribution_report, simulate_campaign


def test_report_counts_sessions_conversions_cost() -> None:
    frame = pd.DataFrame({"source": ["google", "google", "facebook", "(direct)"],
                          "medium": ["cpc", "cpc", "social", "(none)"],
                          "campaign": ["s", "s", "s", "(direct)"],
                          "cost": [1.0, 0.5, 0.0, 0.0], "converted": [1, 0, 1, 0]})
    report = attribution_report(frame)
    assert list(report.table.columns) == list(REPORT_COLUMNS)
    paid = report.table[report.table["channel"] == "Paid Search"].iloc[0]
    assert (paid["sessions"], paid["conversions"], paid["cost"]) == (2, 1, 1.5)
    assert paid["cost_per_conversion"] == 1.5 and paid["conversion_rate"] == 0.5
    assert report.share("Paid Search") == 0.5 and report.share("Email") == 0.0
    assert "Paid Search 2" in repr(report) and "<table" in report._repr_html_()


def test_report_with_conversion_table() -> None:
    frame = pd.DataFrame({"session_id": ["a", "b"], "source": ["google", "bing"],
                          "medium": ["organic", "organic"]})
    report = attribution_report(frame, pd.DataFrame({"session_id": ["a", "a", "b"]}))
    assert int(report.by_channel["conversions"].sum()) == 3


def test_report_conversions_need_session_ids() -> None:
    with pytest.raises(InputError, match="session_id"):
        attribution_report(pd.DataFrame({"source": ["g"], "medium": ["m"]}),
                           pd.DataFrame({"order": [1]}))


def test_site_is_seeded() -> None:
    a, b = tracking_site(seed=1), tracking_site(seed=1)
    pd.testing.assert_frame_equal(a.visits(), b.visits())
    assert not a.visits().equals(tracking_site(seed=2).visits())
    assert len(a.visits()) == a.clicks + a.background
    assert "spring_sale" in repr(a) and "<table" in a._repr_html_()


def test_landings_differ_only_in_the_tags() -> None:
    """The site lands the same visits in every scenario; only the query string changes."""
    site = tracking_site(clicks=100, background=100)
    untagged, tagged = site.landings("untagged"), site.landings("tagged")
    assert untagged.drop(columns="landing_url").equals(tagged.drop(columns="landing_url"))
    assert not untagged["landing_url"].str.contains("?", regex=False).any()
    paid = tagged["paid"].to_numpy()
    assert tagged.loc[paid, "landing_url"].str.contains("?", regex=False).all()
    with pytest.raises(ValueError, match="unknown scenario"):
        site.landings("nonsense")


@pytest.fixture(scope="module")
def simulation():
    return simulate_campaign(tracking_site(clicks=1000, background=1000))


@pytest.mark.parametrize(("scenario", "placement_channels"), [
    ("untagged", {"Organic Search", "Organic Social", "Referral", "Direct"}),
    ("tagged", {"Paid Search", "Paid Social", "Display", "Email"}),
    ("mistakes", {"Organic Search", "Organic Social", "Paid Other", "Unassigned"}),
])
def test_where_the_paid_clicks_land(simulation, scenario, placement_channels) -> None:
    where = simulation.where(scenario)
    assert set(where.loc[where["clicks"] > 0, "channel"].astype(str)) == placement_channels
    assert where["clicks"].sum() == simulation.site.clicks  # no click lost or doubled


def test_tagged_matches_intent(simulation) -> None:
    sessions = simulation.sessions["tagged"]
    paid = sessions[sessions["paid"]]
    intended = simulation.site.placements.set_index("placement")["intended_channel"]
    assert (paid["channel"].astype(str) == paid["kind"].map(intended)).all()


def test_internal_banner_takes_the_conversions_not_the_sessions(simulation) -> None:
    # GA4 starts no new session when the campaign changes mid-session (Universal Analytics
    # did): the tagged home page banner adds no session, it takes the sales' credit.
    mistakes = simulation.reports["mistakes"].by_channel.set_index("channel")
    tagged = simulation.reports["tagged"].by_channel.set_index("channel")
    assert mistakes["sessions"].sum() == tagged["sessions"].sum() == len(simulation.site.visits())
    assert mistakes.loc["Display", "sessions"] == 0            # no paid display click lands there
    banner = simulation.sessions["mistakes"]
    moved = banner[(banner["key_event_source"] == "homepage") & (banner["converted"] > 0)]
    assert len(moved) > 0
    assert mistakes.loc["Display", "conversions"] == moved["converted"].sum()
    assert mistakes["conversions"].sum() == tagged["conversions"].sum()
    where = simulation.where("mistakes").set_index("channel")
    assert where.loc["Display", "clicks"] == 0 and where.loc["Display", "conversions"] > 0
    assert where["conversions"].sum() == simulation.where("tagged")["conversions"].sum()


def test_data_without_conversions_or_cost_says_so_instead_of_zero(simulation) -> None:
    from kit.tracking import parse_access_log

    site = simulation.site
    report = attribution_report(parse_access_log(site.access_log("tagged"), site=site.host))
    assert not report.has_conversions and not report.has_cost
    assert report.by_channel["conversions"].isna().all() and report.table["cost"].isna().all()
    assert (report.readable()["conversions"] == "not in the data").all()
    assert "not in this data" in report._repr_html_() and len(report.notes()) == 2
    orders = pd.DataFrame({"session_id": ["x"]})
    with pytest.raises(InputError, match="session_id"):
        attribution_report(parse_access_log(site.access_log("tagged"), site=site.host), orders)


def test_access_log_round_trip(simulation) -> None:
    site = simulation.site
    log = site.access_log("untagged")
    from kit.tracking import parse_access_log

    parsed = parse_access_log(log, site=site.host)
    assert len(parsed.malformed) == 5
    assert len(parsed.sessions) == len(site.visits())
    counts = parsed.classified()["channel"].astype(str).value_counts()
    expected = simulation.sessions["untagged"]["channel"].astype(str).value_counts()
    pd.testing.assert_series_equal(counts.sort_index(), expected.sort_index())


def test_simulation_display(simulation) -> None:
    assert "untagged: most paid clicks in Organic Search" in repr(simulation)
    assert "Assumptions" in simulation._repr_html_()
