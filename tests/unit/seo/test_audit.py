"""audit_pages: one parametrised table of cases per check, edge cases, and never a crash."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.findings import FINDING_COLUMNS
from kit.seo import CHECKS, Page, audit_pages, page_scores

SITE = "https://shop.example"


def html(*, title: str | None = "Page A | Shop", description: str | None = "All about page A.",
         h1: tuple[str, ...] = ("Page A",), canonical: str | None = None, head: str = "",
         body: str = "", links: tuple[str, ...] = ()) -> str:
    """A clean page, with whatever the case changes."""
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'>"]
    if title is not None:
        parts.append(f"<title>{title}</title>")
    if description is not None:
        parts.append(f'<meta name="description" content="{description}">')
    parts.append(head)
    if canonical is not None:
        parts.append(f'<link rel="canonical" href="{canonical}">')
    parts.append("</head><body>")
    parts += [f"<h1>{text}</h1>" for text in h1]
    parts += [f'<a href="{link}">x</a>' for link in links]
    parts.append(body + "</body></html>")
    return "".join(parts)


def site(a: dict[str, Any] | None = None, *, b: dict[str, Any] | None = None,
         extra: list[dict[str, Any]] | None = None, home_links: tuple[str, ...] = ("/a", "/b")
         ) -> list[dict[str, Any]]:
    """Home linking to /a and /b, all clean; ``a`` and ``b`` override page fields."""
    def page(path: str, overrides: dict[str, Any] | None, **defaults: Any) -> dict[str, Any]:
        fields = {**defaults, **(overrides or {})}
        status = fields.pop("status", 200)
        headers = fields.pop("headers", None)
        body = fields.pop("html", None)
        if body is None:
            if fields.setdefault("canonical", "SELF") == "SELF":
                fields["canonical"] = SITE + path
            body = html(**fields)
        return {"url": SITE + path, "status": status, "html": body, "headers": headers}

    return [
        page("/", None, title="Home | Shop", description="The shop.", h1=("Shop",),
             links=home_links),
        page("/a", a),
        page("/b", b, title="Page B | Shop", description="All about page B.", h1=("Page B",)),
        *(extra or []),
    ]


def checks_on(findings: pd.DataFrame, path: str) -> dict[str, str]:
    mine = findings[findings["page"] == SITE + path]
    return dict(zip(mine["check"], mine["severity"].astype(str), strict=False))


def test_clean_site_has_no_findings() -> None:
    findings = audit_pages(site())
    assert findings.empty
    assert list(findings.columns[:6]) == list(FINDING_COLUMNS)
    scores = page_scores(site())
    assert scores["indexable"].all() and scores["well_described"].all()


COMPLETE = (f"<title>Größe | Shop</title><meta name=description content='Größen.'>"
            f"<link rel=canonical href={SITE}/a><h1>x</h1>")
CASES = [
    # (id, overrides for /a, kwargs for audit_pages, expected {check: severity} on /a)
    ("title-missing", {"title": None}, {}, {"title_missing": "error"}),
    ("title-empty", {"title": "   "}, {}, {"title_missing": "error"}),
    ("title-61", {"title": "x" * 61}, {}, {"title_too_long": "warning"}),
    ("title-60", {"title": "x" * 60}, {}, {}),
    ("title-duplicate", {"title": " page B | SHOP "}, {}, {"title_duplicate": "warning"}),
    ("description-missing", {"description": None}, {}, {"description_missing": "warning"}),
    ("description-empty", {"description": " "}, {}, {"description_missing": "warning"}),
    ("description-duplicate", {"description": "All about page B."}, {},
     {"description_duplicate": "warning"}),
    ("h1-missing", {"h1": ()}, {}, {"h1_missing": "warning"}),
    ("h1-empty", {"h1": ("  ",)}, {}, {"h1_missing": "warning"}),
    ("h1-multiple", {"h1": ("Logo", "Page A")}, {}, {"h1_multiple": "info"}),
    ("canonical-missing", {"canonical": None}, {}, {"canonical_missing": "warning"}),
    ("canonical-in-body", {"head": "<div>cookie banner</div>"}, {},
     {"canonical_missing": "warning"}),
    ("canonical-relative-self", {"canonical": "/a"}, {}, {}),
    ("canonical-elsewhere", {"canonical": SITE + "/b"}, {}, {"canonical_elsewhere": "warning"}),
    ("canonical-to-404", {"canonical": SITE + "/gone"}, {}, {"canonical_broken": "error"}),
    ("canonical-not-a-url", {"canonical": "javascript:void(0)"}, {},
     {"canonical_broken": "error"}),
    ("canonical-conflict", {"head": f'<link rel="canonical" href="{SITE}/b">'}, {},
     {"canonical_conflict": "warning"}),
    ("noindex-meta", {"head": '<meta name="robots" content="noindex, follow">'}, {},
     {"noindex": "warning"}),
    ("noindex-none", {"head": '<meta name="ROBOTS" content="NONE">'}, {},
     {"noindex": "warning"}),
    ("noindex-googlebot", {"head": '<meta name="googlebot" content="noindex">'}, {},
     {"noindex": "warning"}),
    ("noindex-other-bot", {"head": '<meta name="bingbot" content="noindex">'}, {}, {}),
    ("noindex-header", {"headers": {"X-Robots-Tag": "noindex"}}, {}, {"noindex": "warning"}),
    ("noindex-header-googlebot", {"headers": "x-robots-tag: googlebot: noindex, nofollow"}, {},
     {"noindex": "warning"}),
    ("noindex-header-other-bot", {"headers": {"X-Robots-Tag": "otherbot: noindex"}}, {}, {}),
    ("robots-blocked", {}, {"robots_txt": "User-agent: *\nDisallow: /a\n"},
     {"robots_blocked": "warning"}),
    ("robots-allowed-longer", {}, {"robots_txt": "User-agent: *\nDisallow: /\nAllow: /a\n"}, {}),
    ("robots-blocked-noindex", {"head": '<meta name="robots" content="noindex">'},
     {"robots_txt": "User-agent: *\nDisallow: /a\n"},
     {"robots_blocked": "error", "noindex": "warning"}),
    ("meta-keywords", {"head": '<meta name="keywords" content="boots, cheap boots">'}, {},
     {"meta_keywords": "info"}),
    ("status-404", {"status": 404}, {}, {"status": "error"}),
    ("status-500", {"status": 500}, {}, {"status": "error"}),
    ("status-301", {"status": 301}, {}, {"status": "warning"}),
    ("status-0", {"status": 0}, {}, {"status": "error"}),
    ("status-text", {"status": "301"}, {}, {"status": "warning"}),
    ("empty-page", {"html": ""}, {}, {"empty_page": "error"}),
    ("whitespace-page", {"html": " \n "}, {}, {"empty_page": "error"}),
    ("invalid-utf8", {"html": COMPLETE.replace("Größe", "Gr\xf6\xdfe").encode("latin-1")}, {},
     {"encoding": "warning"}),
    ("latin1-declared", {"html": ("<meta charset='iso-8859-1'>" + COMPLETE).encode("latin-1")},
     {}, {}),
    ("unknown-charset", {"html": ("<meta charset='klingon'>" + COMPLETE).encode()}, {},
     {"encoding": "warning"}),
    ("sitemap-lists-noindex", {"head": '<meta name="robots" content="noindex">'},
     {"sitemap_urls": [SITE + "/a"]}, {"noindex": "warning", "sitemap_not_indexable": "warning"}),
]


@pytest.mark.parametrize(("overrides", "options", "expected"),
                         [pytest.param(o, k, e, id=i) for i, o, k, e in CASES])
def test_each_check(overrides: dict[str, Any], options: dict[str, Any],
                    expected: dict[str, str]) -> None:
    pages = site(overrides, extra=[{"url": SITE + "/gone", "status": 404, "html": ""}],
                 home_links=("/a", "/b", "/gone"))
    findings = audit_pages(pages, **options)
    assert checks_on(findings, "/a") == expected
    assert set(findings["check"]) <= set(CHECKS)


def test_duplicate_title_is_reported_on_both_pages() -> None:
    findings = audit_pages(site({"title": "Page B | Shop"}))
    assert set(findings.loc[findings["check"] == "title_duplicate", "page"]) == {
        SITE + "/a", SITE + "/b"}


def test_duplicates_ignore_noindex_and_canonicalised_pages() -> None:
    pages = site({"title": "Page B | Shop", "description": "All about page B.",
                  "canonical": SITE + "/b"})
    findings = audit_pages(pages)
    assert "title_duplicate" not in set(findings["check"])
    assert "description_duplicate" not in set(findings["check"])


@pytest.mark.parametrize(
    ("home_links", "sitemap", "expected"),
    [
        pytest.param(("/a", "/b"), None, {}, id="linked"),
        pytest.param(("/b",), None, {"orphan": "warning"}, id="not-linked"),
        pytest.param(("/b",), [SITE + "/a"], {"orphan": "info"}, id="orphan-in-sitemap"),
        pytest.param(("/b", "/a#top"), None, {}, id="fragment-link-counts"),
        pytest.param(("/b", "https://SHOP.example:443/a"), None, {}, id="normalised-link"),
        pytest.param(("/b", "https://other.example/a"), None, {"orphan": "warning"},
                     id="other-site-link"),
    ],
)
def test_orphans(home_links: tuple[str, ...], sitemap: list[str] | None,
                 expected: dict[str, str]) -> None:
    findings = audit_pages(site(home_links=home_links), sitemap_urls=sitemap)
    assert {k: v for k, v in checks_on(findings, "/a").items() if k == "orphan"} == expected
    assert "orphan" not in checks_on(findings, "/")  # the home page is the entry point


def test_a_self_link_or_a_link_from_an_error_page_is_no_inlink() -> None:
    pages = site({"links": ("/a",)}, home_links=("/b",),
                 extra=[{"url": SITE + "/old", "status": 404, "html": html(links=("/a",))}])
    assert checks_on(audit_pages(pages), "/a")["orphan"] == "warning"


def test_meta_keywords_says_it_changes_nothing_for_google() -> None:
    pages = site({"head": '<meta name="keywords" content="boots">'})
    row = audit_pages(pages).query("check == 'meta_keywords'").iloc[0]
    assert row["severity"] == "info"
    assert "changes nothing for google ranking" in row["business"].lower()
    assert "21 Sep 2009" in row["source"]
    assert page_scores(pages)["well_described"].all()


@pytest.mark.parametrize(
    ("pages", "check"),
    [
        pytest.param([{"url": "not a url", "status": 200, "html": ""}], "unreadable",
                     id="no-url"),
        pytest.param([{"url": "ftp://x.example/a", "status": 200, "html": ""}], "unreadable",
                     id="ftp"),
        pytest.param([{"url": SITE + "/a", "status": "abc", "html": ""}], "unreadable",
                     id="bad-status"),
        pytest.param([{"url": SITE + "/a", "status": 200, "html": 42}], "unreadable",
                     id="html-not-text"),
        pytest.param([{"url": None, "status": 200, "html": ""}], "unreadable", id="url-none"),
        pytest.param(["https://shop.example/a"], "unreadable", id="bare-string"),
        pytest.param([{"url": SITE + "/a", "html": html()}, {"url": SITE + "/a#x", "html": ""}],
                     "duplicate_url", id="duplicate"),
        pytest.param([{"url": "https://x.example/" + "a" * 200_000, "status": 200,
                       "html": html()}], "orphan", id="absurdly-long-url"),
        pytest.param([{"url": "https://x.example/%zz", "status": 200, "html": ""}],
                     "empty_page", id="bad-percent"),
        pytest.param([{"url": "https://[::1/", "status": 200, "html": ""}], "unreadable",
                     id="broken-ipv6"),
        pytest.param([{"url": "https://x.example:99999/", "status": 200, "html": ""}],
                     "unreadable", id="bad-port"),
    ],
)
def test_bad_rows_become_findings_and_the_batch_goes_on(pages: list[Any], check: str) -> None:
    findings = audit_pages([*pages, {"url": SITE + "/", "status": 200, "html": html()}])
    assert check in set(findings["check"])
    row = findings[findings["check"] == check].iloc[0]
    assert row["where"].startswith("pages item")
    assert len(row["subject"]) <= 200


def test_too_large_pages_are_cut_where_googlebot_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kit.pages.extract.GOOGLEBOT_MAX_BYTES", 2_000)
    body = html(body="<p>" + "text " * 1000 + "</p>", links=("/late",))
    findings = audit_pages([{"url": SITE + "/", "status": 200, "html": body}])
    assert checks_on(findings, "/")["too_large"] == "warning"


def test_a_10_mb_page_is_audited() -> None:
    body = html(body="<p>" + "word " * 2_000_000 + "</p>", canonical=SITE + "/")
    assert len(body) > 10_000_000
    findings = audit_pages([Page(SITE + "/", 200, body)])
    assert findings.empty


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("<html><head><title>A | Shop<body><h1>x", id="unclosed"),
        pytest.param("<TITLE>A</TITLE><H1>x</H1></div></div></span>", id="stray-closers"),
        pytest.param("<title>a</title><title>b</title>", id="two-titles"),
        pytest.param("\x00\x01\x02<<<>>>&&&", id="garbage"),
        pytest.param("<?xml version='1.0' encoding='UTF-8'?><html><title>x</title></html>",
                     id="xml-declaration"),
        pytest.param("<!-- only a comment -->", id="comment-only"),
        pytest.param("<" * 100_000, id="many-brackets"),
        pytest.param("<div>" * 20_000, id="deep-nesting"),
        pytest.param(b"\xff\xfe<\x00t\x00", id="utf16-ish-bytes"),
        pytest.param(b"\xef\xbb\xbf<title>bom</title>", id="utf8-bom"),
        pytest.param('<a href="http://[::1">x</a><a href="javascript:alert(1)">y</a>'
                     '<a href="mailto:a@b">z</a><a href="//cdn.example/x">w</a>', id="odd-links"),
    ],
)
def test_malformed_html_never_crashes(body: str | bytes) -> None:
    findings = audit_pages([{"url": SITE + "/", "status": 200, "html": body}])
    assert set(findings["check"]) <= set(CHECKS)


def test_input_shapes_give_the_same_findings() -> None:
    pages = site({"title": None})
    frame = pd.DataFrame(pages)
    objects = [Page(p["url"], p["status"], p["html"], p["headers"] or {}) for p in pages]
    expected = audit_pages(pages)[["subject", "check"]]
    for shape in (frame, objects):
        pd.testing.assert_frame_equal(audit_pages(shape)[["subject", "check"]], expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(st.text(max_size=400), st.binary(max_size=400)),
       url=st.text(max_size=80), status=st.one_of(st.integers(-5, 1200), st.text(max_size=5)),
       robots=st.one_of(st.none(), st.text(max_size=80)))
def test_audit_never_crashes_on_arbitrary_input(body: str | bytes, url: str, status: object,
                                                robots: str | None) -> None:
    pages = [{"url": url, "status": status, "html": body},
             {"url": SITE + "/x", "status": 200, "html": body}]
    findings = audit_pages(pages, robots_txt=robots)
    assert list(findings.columns[:6]) == list(FINDING_COLUMNS)
    assert set(findings["check"]) <= set(CHECKS)


@settings(max_examples=100, deadline=None)
@given(href=st.text(max_size=60), title=st.text(max_size=60))
def test_audit_never_crashes_on_arbitrary_links_and_titles(href: str, title: str) -> None:
    body = f'<title>{title}</title><link rel="canonical" href="{href}"><a href="{href}">x</a>'
    findings = audit_pages([{"url": SITE + "/", "status": 200, "html": body}])
    assert set(findings["check"]) <= set(CHECKS)
