"""GA4 default channel group: a table of cases for every rule and the order edge cases,
and the vectorised classifier equal to the reference row by row."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import InputError
from kit.tracking import (
    CHANNEL_RULES,
    CHANNELS,
    channel_rules_frame,
    classify_sessions,
    default_channel,
    source_category,
)

# (source, medium, campaign, expected channel) — GA4 help 9756891
CASES = [
    # Direct
    ("(direct)", "(none)", None, "Direct"),
    ("(direct)", "(not set)", None, "Direct"),
    ("(DIRECT)", "(None)", None, "Direct"),
    ("(direct)", "referral", None, "Referral"),  # direct needs the medium too
    # Cross-network comes before everything paid
    ("google", "cpc", "pmax cross-network q1", "Cross-network"),
    ("facebook", "cpc", "Cross-Network test", "Cross-network"),
    ("(direct)", "(none)", "cross-network", "Direct"),  # Direct is first
    # Paid Shopping: shopping site or shop campaign, paid medium
    ("amazon", "cpc", None, "Paid Shopping"),
    ("google", "cpc", "shopping_feed", "Paid Shopping"),  # before Paid Search
    ("facebook", "paid", "summer-shop", "Paid Shopping"),  # before Paid Social
    ("google", "cpc", "workshop_signup", "Paid Search"),  # "workshop": k before shop is a-df-z
    ("google", "cpc", "eshop", "Paid Shopping"),  # "e" is not in [a-df-z]: e-shops count
    # Paid Search
    ("google", "cpc", None, "Paid Search"),
    ("Google", "CPC", "spring", "Paid Search"),
    ("bing", "ppc", None, "Paid Search"),
    ("duckduckgo", "paidsearch", None, "Paid Search"),
    ("yahoo", "retargeting", None, "Paid Search"),
    ("google", "cpv", None, "Paid Search"),  # anything containing "cp"
    # Paid Social
    ("facebook", "cpc", None, "Paid Social"),  # cpc on a social source
    ("fb", "paid_social", None, "Paid Social"),
    ("linkedin", "paid", None, "Paid Social"),
    ("t.co", "cpm", None, "Paid Social"),  # cpm contains cp: paid before Display
    # Paid Video
    ("youtube", "cpv", None, "Paid Video"),
    ("vimeo", "paid-video", None, "Paid Video"),
    # Display
    ("trailnews", "display", None, "Display"),
    ("news.example", "banner", None, "Display"),
    ("x", "expandable", None, "Display"),
    ("x", "interstitial", None, "Display"),
    ("x", "cpm", None, "Display"),  # cpm matches the paid pattern too, but Display comes first
    # Paid Other
    ("newsletter", "cpc", None, "Paid Other"),
    ("Bing Ads", "CPC", None, "Paid Other"),  # unknown source
    ("adwords", "ppc", None, "Paid Other"),
    # Organic Shopping
    ("ebay", "referral", None, "Organic Shopping"),
    ("partner", "referral", "shop_launch", "Organic Shopping"),  # before Referral
    # Organic Social
    ("facebook", "social", None, "Organic Social"),
    ("m.facebook.com", "referral", None, "Organic Social"),  # before Referral
    ("anything", "social-network", None, "Organic Social"),
    ("anything", "SM", None, "Organic Social"),
    ("anything", "social media", None, "Organic Social"),
    ("instagram", "email", None, "Organic Social"),  # before Email
    # Organic Video
    ("youtube", "referral", None, "Organic Video"),
    ("anything", "product-video", None, "Organic Video"),
    # Organic Search
    ("google", "organic", None, "Organic Search"),
    ("ecosia.org", "referral", None, "Organic Search"),  # search source beats referral
    ("mysite", "organic", None, "Organic Search"),
    ("google", "email", None, "Organic Search"),  # search source before Email
    # Referral
    ("hikingblog.example", "referral", None, "Referral"),
    ("partner", "app", None, "Referral"),
    ("partner", "link", None, "Referral"),
    ("email", "referral", None, "Referral"),  # Referral before Email
    # Email
    ("newsletter", "email", None, "Email"),
    ("newsletter", "E-Mail", None, "Email"),
    ("e_mail", "whatever", None, "Email"),
    ("crm", "e mail", None, "Email"),
    # Affiliates, Audio, SMS
    ("partner", "affiliate", None, "Affiliates"),
    ("partner", "affiliates", None, "Unassigned"),  # exact value only
    ("spotify", "audio", None, "Audio"),
    ("sms", "text", None, "SMS"),
    ("provider", "SMS", None, "SMS"),
    # Mobile Push Notifications
    ("app", "web-push", None, "Mobile Push Notifications"),
    ("app", "mobile", None, "Mobile Push Notifications"),
    ("app", "in-app-notification", None, "Mobile Push Notifications"),
    ("firebase", "x", None, "Mobile Push Notifications"),
    # Unassigned
    ("newsletter", "newsletter", None, "Unassigned"),
    ("trailnews", "banner_ad", None, "Unassigned"),
    (None, None, None, "Unassigned"),
    ("", "", "", "Unassigned"),
]


@pytest.mark.parametrize(("source", "medium", "campaign", "expected"), CASES)
def test_default_channel(source, medium, campaign, expected) -> None:
    assert default_channel(source, medium, campaign) == expected


def test_every_channel_is_covered_by_the_table() -> None:
    covered = {case[3] for case in CASES}
    assert covered == set(CHANNELS)


def test_rules_are_in_ga4_order() -> None:
    assert [rule.channel for rule in CHANNEL_RULES] + ["Unassigned"] == list(CHANNELS)
    table = channel_rules_frame()
    assert list(table["channel"]) == list(CHANNELS) and table["order"].is_monotonic_increasing


@pytest.mark.parametrize(("source", "category"), [
    ("google", "search"), ("Facebook", "social"), ("amazon", "shopping"), ("youtube", "video"),
    ("hikingblog.example", None)])
def test_source_category(source, category) -> None:
    assert source_category(source) == category


def test_classify_sessions_matches_the_table() -> None:
    frame = pd.DataFrame([case[:3] for case in CASES], columns=["source", "medium", "campaign"],
                         dtype=object)
    got = classify_sessions(frame)
    expected = [default_channel(*case[:3]) for case in CASES]
    assert list(got.astype(str)) == expected
    assert list(got.cat.categories) == list(CHANNELS)


def test_classify_sessions_without_campaign_and_keeps_index() -> None:
    frame = pd.DataFrame({"source": ["google", "amazon"], "medium": ["cpc", "referral"]},
                         index=[10, 20])
    got = classify_sessions(frame)
    assert list(got.index) == [10, 20]
    assert list(got.astype(str)) == ["Paid Search", "Organic Shopping"]


def test_classify_sessions_needs_source_and_medium() -> None:
    with pytest.raises(InputError, match="medium"):
        classify_sessions(pd.DataFrame({"source": ["google"]}))


def test_classify_empty_frame() -> None:
    frame = pd.DataFrame({"source": pd.Series([], dtype=object),
                          "medium": pd.Series([], dtype=object)})
    assert classify_sessions(frame).empty


_words = st.sampled_from(["google", "Google", "facebook", "fb", "amazon", "youtube", "(direct)",
                          "(none)", "cpc", "CPC", "paid", "social", "email", "e-mail", "organic",
                          "referral", "display", "cpm", "sms", "firebase", "web-push", "video",
                          "shop", "cross-network", "audio", "affiliate", "link", ""])
_values = st.one_of(st.none(), _words, st.text(max_size=12),
                    st.builds(lambda a, b: a + b, _words, _words))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_values, _values, _values), min_size=1, max_size=30))
def test_classify_sessions_equals_default_channel(rows) -> None:
    frame = pd.DataFrame(rows, columns=["source", "medium", "campaign"], dtype=object)
    got = list(classify_sessions(frame).astype(str))
    assert got == [default_channel(*row) for row in rows]


@settings(max_examples=100, deadline=None)
@given(st.text(), st.text(), st.text())
def test_default_channel_never_crashes(source, medium, campaign) -> None:
    assert default_channel(source, medium, campaign) in CHANNELS


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_values, _values, _values), min_size=1, max_size=30),
       st.sampled_from(["category", "str", "mixed"]))
def test_classify_sessions_any_column_type(rows, kind) -> None:
    """Categorical columns (as load_sessions gives them) classify as text columns do."""
    frame = pd.DataFrame(rows, columns=["source", "medium", "campaign"], dtype=object)
    if kind == "category":
        frame = frame.astype("category")
    elif kind == "str":
        frame = frame.astype(object).where(frame.notna(), None).astype(str)
    else:
        frame["medium"] = frame["medium"].astype("category")
    got = list(classify_sessions(frame).astype(str))
    assert got == [default_channel(*row) for row in frame.itertuples(index=False)]


def test_classify_sessions_categories_with_case_variants_and_unused_values() -> None:
    source = pd.Categorical(["Google", "google", None],
                            categories=["Google", "google", "facebook", "never-used"])
    frame = pd.DataFrame({"source": source, "medium": pd.Categorical(["CPC", "cpc", "(none)"])})
    assert list(classify_sessions(frame).astype(str)) == ["Paid Search", "Paid Search",
                                                          "Unassigned"]


def test_classify_sessions_many_distinct_values() -> None:
    """Thousands of distinct values (typos, campaign ids) still classify row by row."""
    rows = [(f"site{i}.example" if i % 3 else "google", ["cpc", "referral", "Email"][i % 3],
             f"campaign {i}" + (" shop" if i % 7 == 0 else "")) for i in range(5000)]
    frame = pd.DataFrame(rows, columns=["source", "medium", "campaign"])
    expected = [default_channel(*row) for row in rows]
    assert list(classify_sessions(frame).astype(str)) == expected
    assert list(classify_sessions(frame.astype("category")).astype(str)) == expected
