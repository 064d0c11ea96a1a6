"""Google's source categories: the bundled excerpt, and the whole sheet read from CSV."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.errors import InputError
from kit.tracking import (
    SourceCategories,
    attribution_report,
    bundled_source_categories,
    classify_sessions,
    default_channel,
    lint_utm,
    source_category,
)

# As Google's sheet is laid out: a source and its category, upper-case with a prefix.
SHEET = ("source,source category\n"
         "Google,SOURCE_CATEGORY_SEARCH\n"
         "kagi.com,SOURCE_CATEGORY_SEARCH\n"
         "mastodon.social,SOURCE_CATEGORY_SOCIAL\n"
         "shop.example,SOURCE_CATEGORY_SHOPPING\n"
         "peertube.example,video\n")


@pytest.fixture
def sheet(write_csv) -> SourceCategories:
    return SourceCategories.from_csv(write_csv(SHEET, name="categories.csv"))


def test_reads_googles_layout(sheet) -> None:
    assert sheet.sites["search"] == {"google", "kagi.com"}
    assert sheet.category("Mastodon.Social") == "social"
    assert sheet.category("peertube.example") == "video"
    assert sheet.category("facebook") is None  # only what the sheet lists
    assert len(sheet) == 5 and sheet.origin == "categories.csv"


def test_underscore_header(write_csv) -> None:
    loaded = SourceCategories.from_csv(
        write_csv("source,source_category\nkagi.com,SOURCE_CATEGORY_SEARCH\n", name="c.csv"))
    assert loaded.category("kagi.com") == "search"


def test_the_sheet_changes_the_channel(sheet) -> None:
    assert default_channel("kagi.com", "cpc") == "Paid Other"  # not in the excerpt
    assert default_channel("kagi.com", "cpc", categories=sheet) == "Paid Search"
    assert default_channel("mastodon.social", "referral", categories=sheet) == "Organic Social"
    assert default_channel("facebook", "referral", categories=sheet) == "Referral"
    assert source_category("kagi.com", categories=sheet) == "search"


def test_classify_and_report_use_the_sheet(sheet) -> None:
    frame = pd.DataFrame({"source": ["kagi.com", "mastodon.social", "facebook"],
                          "medium": ["cpc", "referral", "referral"]})
    got = classify_sessions(frame, categories=sheet).astype(str).tolist()
    assert got == ["Paid Search", "Organic Social", "Referral"]
    assert got == [default_channel(s, m, categories=sheet)
                   for s, m in zip(frame["source"], frame["medium"], strict=True)]
    report = attribution_report(frame, categories=sheet)
    assert set(report.by_channel["channel"]) == {"Paid Search", "Organic Social", "Referral"}


def test_lint_uses_the_sheet(sheet) -> None:
    links = pd.DataFrame({"url": ["https://x.example/?utm_source=kagi.com&utm_medium=cpc"
                                  "&utm_campaign=spring"], "intended_channel": ["Paid Search"]})
    assert "unintended_channel" in set(lint_utm(links)["check"])
    assert "unintended_channel" not in set(lint_utm(links, categories=sheet)["check"])


@pytest.mark.parametrize(("content", "message", "where"), [
    ("source,source category\nkagi.com,SEARCH_ENGINE\n", "1 row(s)", "c.csv line 2"),
    ("source,source category\n,SOURCE_CATEGORY_SEARCH\nx,search\n", "the source is empty",
     "c.csv line 2"),
    ("source,kind\nkagi.com,search\n", "category", None),
    ("source,source category\n", "no rows", None),
])
def test_bad_sheets_name_the_row(write_csv, content, message, where) -> None:
    with pytest.raises(InputError) as error:
        SourceCategories.from_csv(write_csv(content, name="c.csv"))
    text = str(error.value)
    assert message in text
    if where:
        assert where in text


def test_bundled_excerpt() -> None:
    bundled = bundled_source_categories()
    assert bundled.category("google") == "search" and bundled.category("YouTube") == "video"
    assert len(bundled) > 100


def test_access_log_referrers_use_the_sheet(sheet) -> None:
    from kit.tracking import parse_access_log, traffic_source

    assert traffic_source("https://x.example/", "https://kagi.com/search?q=boots") == (
        "kagi.com", "referral", "(referral)")
    assert traffic_source("https://x.example/", "https://kagi.com/search?q=boots",
                          categories=sheet) == ("kagi.com", "organic", "(organic)")
    line = ('203.0.113.9 - - [10/Mar/2025:10:00:00 +0000] "GET /boots HTTP/1.1" 200 512 '
            '"https://kagi.com/search?q=boots" "Mozilla/5.0"\n')
    log = parse_access_log(line, site="x.example", categories=sheet)
    assert log.classified(sheet)["channel"].astype(str).tolist() == ["Organic Search"]


def test_report_derives_sources_with_the_sheet_too(sheet) -> None:
    """A log of landing pages and referrers: the sheet's search list makes the referrer
    organic search (campaign "(organic)"), not a referral, in the report too."""
    visits = pd.DataFrame({"landing_url": ["https://x.example/boots"],
                           "referrer": ["https://kagi.com/search?q=boots"]})
    assert attribution_report(visits).table["campaign"].tolist() == ["(referral)"]
    report = attribution_report(visits, categories=sheet)
    assert report.table[["channel", "campaign"]].values.tolist() == [
        ["Organic Search", "(organic)"]]


@pytest.mark.parametrize(("source", "medium", "channel"), [
    ("ig", "paid", "Paid Social"), ("fb", "cpc", "Paid Social"), ("ig", "social", "Organic Social"),
    ("IGShopping", "cpc", "Paid Shopping"), ("line", "referral", "Organic Social"),
    ("mail.google.com", "referral", "Referral"), ("docs.google.com", "referral", "Referral"),
    ("com.google.android.gm", "referral", "Referral"), ("mail.yahoo.com", "referral", "Referral"),
])
def test_short_social_codes_and_mail_hosts(source: str, medium: str, channel: str) -> None:
    """Google's list files the short codes under social; mail and docs hosts are on no list."""
    from kit.tracking import default_channel

    assert default_channel(source, medium) == channel
