"""lint_utm: one parametrised case per check, in the shared findings shape."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import InputError
from kit.findings import FINDING_COLUMNS
from kit.tracking import LINT_CHECKS, lint_utm

OK = "https://shop.example/sale?utm_source=google&utm_medium=cpc&utm_campaign=spring"


@pytest.mark.parametrize(("urls", "check", "severity"), [
    (["not a url"], "not_a_url", "error"),
    ([""], "not_a_url", "error"),
    (["https://shop.example/sale"], "untagged", "error"),
    (["https://shop.example/?utm_source=google&utm_medium=cpc"], "missing_parameter", "error"),
    (["https://shop.example/?utm_source=google&utm_medium=&utm_campaign=x"],
     "missing_parameter", "error"),
    ([OK + "&utm_camapign=x"], "unknown_parameter", "warning"),
    ([OK.replace("cpc", "Email"), OK.replace("cpc", "email"), OK.replace("cpc", "e-mail")],
     "inconsistent_value", "warning"),
    ([OK, OK.replace("spring", "Spring")], "inconsistent_value", "warning"),
    (["https://shop.example/?utm_source=news&utm_medium=newsletter&utm_campaign=x"],
     "unintended_channel", "warning"),
    (["https://shop.example/?utm_source=Bing%20Ads&utm_medium=cpc&utm_campaign=x"],
     "unintended_channel", "warning"),
    ([OK + "&gclid=abc"], "gclid_and_utm", "warning"),
    (["https://shop.example/?utm_source=news+letter&utm_medium=email&utm_campaign=x"],
     "spaces", "warning"),
    (["https://shop.example/?utm_source=news letter&utm_medium=email&utm_campaign=x"],
     "unencoded_characters", "warning"),
    (["https://shop.example/?utm_source=a%zz&utm_medium=email&utm_campaign=x"],
     "unencoded_characters", "warning"),
    (["https://shop.example/?utm_source=nü&utm_medium=email&utm_campaign=x"],
     "unencoded_characters", "warning"),
])
def test_each_check(urls, check, severity) -> None:
    findings = lint_utm(urls)
    assert list(findings.columns[:6]) == list(FINDING_COLUMNS)
    hits = findings[findings["check"] == check]
    assert len(hits), findings[["check", "technical"]].to_string()
    assert set(hits["severity"].astype(str)) == {severity}
    assert hits["business"].str.len().gt(20).all() and hits["source"].str.len().gt(5).all()


def test_internal_link_with_site_or_placement() -> None:
    assert "internal_link" in set(lint_utm([OK], site="www.shop.example")["check"])
    frame = pd.DataFrame({"url": [OK, OK], "placement": ["internal", "ads"]})
    hits = lint_utm(frame).query("check == 'internal_link'")
    assert list(hits["where"]) == ["tagging sheet row 0"]


def test_clean_sheet_has_no_findings() -> None:
    assert lint_utm([OK, OK.replace("google", "bing")]).empty


def test_intended_channel_compared(write_csv) -> None:
    path = write_csv("url,intended_channel\n"
                     "https://x.example/?utm_source=facebook&utm_medium=social&utm_campaign=s,"
                     "Paid Social\n"
                     "https://x.example/?utm_source=facebook&utm_medium=paid_social&"
                     "utm_campaign=s,Paid Social\n", name="sheet.csv")
    findings = lint_utm(path)
    hits = findings[findings["check"] == "unintended_channel"]
    assert list(hits["where"]) == ["sheet.csv line 2"]
    assert list(hits["channel"]) == ["Organic Social"]


def test_inconsistent_names_the_majority_spelling() -> None:
    findings = lint_utm([OK.replace("cpc", "email")] * 2 + [OK.replace("cpc", "Email")])
    hits = findings[findings["check"] == "inconsistent_value"]
    assert len(hits) == 1 and "utm_medium=email" in hits["technical"].iloc[0]


@pytest.mark.parametrize(("content", "message"), [
    ("title\nhttps://x.example/\n", "needs the column"),
    ("url,intended_channel\nhttps://x.example/,Paid Facebook\n", "not a GA4 channel"),
])
def test_bad_sheets(write_csv, content, message) -> None:
    with pytest.raises(InputError, match=message):
        lint_utm(write_csv(content, name="sheet.csv"))


def test_checks_are_listed() -> None:
    assert set(LINT_CHECKS) >= {"missing_parameter", "inconsistent_value", "unintended_channel",
                                "internal_link", "gclid_and_utm", "spaces",
                                "unencoded_characters"}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=60), st.builds(
    lambda q: "https://x.example/?" + q, st.text(max_size=60))), max_size=8))
def test_never_crashes_on_arbitrary_strings(urls) -> None:
    findings = lint_utm(urls)
    assert set(findings["check"]) <= set(LINT_CHECKS)


@pytest.mark.parametrize(("placement", "severity"), [("ads", "warning"), ("Paid", "warning"),
                                                     (None, "info")])
def test_a_paid_facebook_ad_tagged_social_is_flagged(placement, severity) -> None:
    url = ("https://www.example.com/sale/?utm_source=facebook&utm_medium=social"
           "&utm_campaign=spring_sale")
    sheet = pd.DataFrame({"url": [url]} | ({"placement": [placement]} if placement else {}))
    findings = lint_utm(sheet)
    assert findings["check"].tolist() == ["organic_medium_on_ad"]
    assert findings["severity"].astype(str).tolist() == [severity]
    assert "Organic Social" in findings["business"].iloc[0]
    assert "paid_social" in findings["technical"].iloc[0]


def test_an_organic_post_tagged_social_is_clean() -> None:
    url = ("https://www.example.com/sale/?utm_source=facebook&utm_medium=social"
           "&utm_campaign=spring_sale")
    assert lint_utm(pd.DataFrame({"url": [url], "placement": ["organic"]})).empty
    fixed = url.replace("medium=social", "medium=paid_social")
    assert lint_utm(pd.DataFrame({"url": [fixed], "placement": ["ads"]})).empty


def test_internal_link_matches_an_internationalised_site_in_either_spelling() -> None:
    """Hosts compared by kit.urls: the site given in Unicode, the link in punycode."""
    link = "https://www.xn--bcher-kva.example/?utm_source=a&utm_medium=b&utm_campaign=c"
    assert "internal_link" in set(lint_utm([link], site="Bücher.example")["check"])
    other = "https://www.example.com/?utm_source=a&utm_medium=b&utm_campaign=c"
    assert "internal_link" not in set(lint_utm([other], site="bücher.example")["check"])


def test_a_link_with_credentials_is_not_a_link() -> None:
    link = "https://user:pw@shop.example/?utm_source=a&utm_medium=b&utm_campaign=c"
    assert list(lint_utm([link])["check"]) == ["not_a_url"]
