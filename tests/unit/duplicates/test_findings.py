"""duplicate_findings: every check, the fix in both languages, and the sources."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.duplicates import DUPLICATE_CHECKS, duplicate_findings, find_duplicates
from kit.findings import FINDING_COLUMNS

TEXT = ("our waterproof trail boot keeps feet dry on long wet hikes with a grippy rubber sole "
        "a padded collar and a breathable membrane that lasts for many seasons of use")
OTHER = "a completely different page about tents stoves and sleeping bags for winter camping"


def findings_for(*rows: dict, **options: object) -> pd.DataFrame:
    return duplicate_findings(pd.DataFrame(list(rows), dtype=object), **options)


def one(findings: pd.DataFrame, check: str) -> pd.Series:
    found = findings[findings["check"] == check]
    assert len(found) == 1, f"expected one {check} finding, got:\n{findings[['subject', 'check']]}"
    return found.iloc[0]


CASES = [
    pytest.param([{"url": "https://x.com/a", "text": TEXT},
                  {"url": "http://x.com/a/", "text": TEXT}],
                 {"policy": "aggressive"}, "url_variant", "warning", ["301-redirect"],
                 id="protocol-and-slash-redirect"),
    pytest.param([{"url": "https://x.com/a", "text": TEXT},
                  {"url": "https://x.com/a?utm_source=news", "text": TEXT}],
                 {}, "url_variant", "warning", ["never put them on internal links", "rel=canonical",
                                                 "URL Parameters tool was retired in 2022"],
                 id="tracking"),
    pytest.param([{"url": "https://x.com/a", "text": TEXT},
                  {"url": "https://x.com/a;jsessionid=ABC", "text": TEXT}],
                 {}, "url_variant", "warning", ["session ids in cookies"], id="session-id"),
    pytest.param([{"url": "https://x.com/a", "text": TEXT},
                  {"url": "https://x.com/a?sort=price", "text": TEXT + " sorted"}],
                 {"policy": "aggressive"}, "url_variant", "warning",
                 ['<link rel="canonical" href="https://x.com/a">'], id="sort-parameter"),
    pytest.param([{"url": "https://x.com/a", "text": TEXT},
                  {"url": "https://x.com/print/a", "text": TEXT}],
                 {}, "exact_duplicate", "warning", ["301-redirect", 'rel="canonical"'],
                 id="exact-copy"),
    pytest.param([{"url": "https://x.com/a", "text": TEXT},
                  {"url": "https://x.com/b", "text": TEXT.replace("grippy", "sticky")}],
                 {}, "near_duplicate", "warning", ["301-redirect", 'rel="canonical"'],
                 id="near-copy"),
    pytest.param([{"url": "https://x.com/a", "text": TEXT},
                  {"url": "https://x.com/b", "text": TEXT, "canonical": "https://x.com/a"}],
                 {}, "exact_duplicate", "info", ["Already handled"], id="already-canonicalised"),
    pytest.param([{"url": "https://x.com/a", "text": TEXT, "status": 200},
                  {"url": "http://x.com/a", "text": TEXT, "status": 301}],
                 {}, "url_variant", "info", ["it redirects (301)"], id="already-redirects"),
    pytest.param([{"url": "https://x.com/a", "text": TEXT},
                  {"url": "https://x.com/b", "text": TEXT, "canonical": "https://x.com/zzz"}],
                 {}, "canonical_conflict", "warning", ["not among the crawled pages"],
                 id="canonical-elsewhere"),
    pytest.param([{"url": "https://x.com/a", "text": ""}], {}, "empty_page", "warning",
                 ["the page is empty"], id="empty"),
    pytest.param([{"url": "a page", "text": TEXT}], {}, "invalid_url", "error",
                 ["Fix the cell"], id="invalid-url"),
    pytest.param([{"url": "https://x.com/a", "text": TEXT, "status": "OK"}], {}, "page_problem",
                 "info", ["status 'OK'"], id="bad-status"),
]


@pytest.mark.parametrize(("rows", "options", "check", "severity", "phrases"), CASES)
def test_checks(rows: list[dict], options: dict, check: str, severity: str,
                phrases: list[str]) -> None:
    findings = findings_for(*rows, {"url": "https://x.com/other", "text": OTHER}, **options)
    assert list(findings.columns[:6]) == list(FINDING_COLUMNS)
    assert set(findings["check"]) <= set(DUPLICATE_CHECKS)
    finding = one(findings, check)
    assert finding["severity"] == severity
    for phrase in phrases:
        assert phrase in finding["technical"]
    assert finding["business"] and finding["source"]


def test_fixes_cite_google_and_never_recommend_blocking() -> None:
    findings = findings_for({"url": "https://x.com/a", "text": TEXT},
                            {"url": "https://x.com/a?utm_source=x", "text": TEXT},
                            {"url": "https://x.com/b", "text": TEXT})
    for row in findings.itertuples():
        assert "What is URL canonicalization" in row.source
        assert "How to specify a canonical URL" in row.source
        assert "Do not use robots.txt or noindex" in row.technical
        assert "Disallow" not in row.technical and "add noindex" not in row.technical


def test_repeated_urls_are_reported() -> None:
    findings = findings_for({"url": "/a", "text": TEXT}, {"url": "/a", "text": OTHER})
    assert one(findings, "repeated_url")["technical"].startswith("pages row 1: repeats pages row 0")


def test_a_clean_site_has_no_findings() -> None:
    findings = findings_for({"url": "/a", "text": TEXT}, {"url": "/b", "text": OTHER})
    assert findings.empty and list(findings.columns[:6]) == list(FINDING_COLUMNS)


def test_report_and_function_agree() -> None:
    pages = pd.DataFrame({"url": ["/a", "/a?gclid=1"], "text": [TEXT, TEXT]})
    report = find_duplicates(pages)
    pd.testing.assert_frame_equal(duplicate_findings(report), duplicate_findings(pages))
