"""near_duplicates: clusters, kinds, similarity and the canonical recommendation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.duplicates import (
    CLUSTER_COLUMNS,
    duplicate_findings,
    find_duplicates,
    near_duplicate_pairs,
    near_duplicates,
)
from kit.errors import InputError

BASE = ("our waterproof trail boot keeps feet dry on long wet hikes with a grippy rubber sole "
        "a padded collar and a breathable membrane that lasts for many seasons of use")
OTHER = ("a light down jacket for cold mornings packs into its own pocket and weighs less than "
         "a bottle of water while keeping you warm on the summit")


def rows(*specs: tuple) -> pd.DataFrame:
    return pd.DataFrame(specs, columns=["url", "text", "status", "inlinks"][: len(specs[0])],
                        dtype=object)


def by_url(frame: pd.DataFrame) -> dict[str, dict]:
    return {row["url"]: row for row in frame.to_dict("records")}


def test_columns_and_kinds(reference_jaccard) -> None:
    frame = near_duplicates(rows(
        ("https://x.com/boot", BASE, 200, 9),
        ("https://x.com/boot?utm_source=mail", BASE, 200, 0),
        ("http://x.com/boot", BASE, 200, 0),
        ("https://x.com/boot-copy", BASE.upper() + "!", 200, 0),
        ("https://x.com/boot/print", BASE.replace("grippy", "sticky"), 200, 1),
        ("https://x.com/jacket", OTHER, 200, 4),
    ))
    assert list(frame.columns) == list(CLUSTER_COLUMNS)
    got = by_url(frame)
    assert {url: row["kind"] for url, row in got.items()} == {
        "https://x.com/boot": "canonical",
        "https://x.com/boot?utm_source=mail": "url_variant",
        "http://x.com/boot": "url_variant",
        "https://x.com/boot-copy": "exact",
        "https://x.com/boot/print": "near",
        "https://x.com/jacket": "unique",
    }
    assert {row["canonical"] for url, row in got.items() if "boot" in url} == {"https://x.com/boot"}
    expected = reference_jaccard(BASE, BASE.replace("grippy", "sticky"))
    assert got["https://x.com/boot/print"]["similarity"] == pytest.approx(expected, abs=0.001)
    assert got["https://x.com/boot"]["cluster"] == 1 and got["https://x.com/boot"]["size"] == 5
    assert got["https://x.com/jacket"]["cluster"] == 2


CANONICAL_CASES = [
    pytest.param([("/b-long-url", 200, 0), ("/a", 301, 50)], "/b-long-url",
                 id="200-beats-redirect"),
    pytest.param([("/a?x=1", 200, 0), ("/a-clean-but-long", 200, 0)], "/a-clean-but-long",
                 id="clean-beats-parameters"),
    pytest.param([("/aa", 200, 1), ("/bbbbbb", 200, 7)], "/bbbbbb", id="more-inlinks"),
    pytest.param([("/bbbb", 200, 2), ("/aa", 200, 2)], "/aa", id="shorter"),
    pytest.param([("/b", 200, 2), ("/a", 200, 2)], "/a", id="alphabetical"),
    pytest.param([("/a", None, 0), ("/b", 500, 9)], "/a", id="unknown-beats-error"),
]


@pytest.mark.parametrize(("pages", "expected"), CANONICAL_CASES)
def test_canonical_preference(pages: list[tuple], expected: str) -> None:
    frame = near_duplicates(rows(*[(url, BASE, status, links) for url, status, links in pages]))
    assert set(frame["canonical"]) == {expected}


def test_indexable_and_declared_canonicals_count() -> None:
    pages = pd.DataFrame({
        "url": ["/a", "/b", "/c", "/d"], "text": [BASE] * 4,
        "indexable": [False, True, True, True],
        "canonical": [None, None, "/d", "/d"],
    })
    frame = near_duplicates(pages)
    assert set(frame["canonical"]) == {"/d"}  # /a is noindex; /c and /d vote for /d


def test_url_variants_without_text_still_cluster() -> None:
    frame = near_duplicates(pd.DataFrame({
        "url": ["https://x.com/a", "https://x.com/a?gclid=1", "https://x.com/b"],
        "text": ["", "", ""],
    }))
    got = by_url(frame)
    assert got["https://x.com/a?gclid=1"]["kind"] == "url_variant"
    assert got["https://x.com/b"]["kind"] == "unique"
    assert np.isnan(got["https://x.com/b"]["similarity"])


@pytest.mark.parametrize(("policy", "clusters"), [("strict", 4), ("typical", 2),
                                                   ("aggressive", 1)])
def test_policy_decides_url_variants(policy: str, clusters: int) -> None:
    urls = ["https://www.x.com/A/", "https://www.x.com/A/?utm_source=x", "http://www.x.com/A/",
            "https://x.com/a?sort=price"]
    texts = ["one two three", "four five six", "seven eight nine", "ten eleven twelve"]
    frame = near_duplicates(pd.DataFrame({"url": urls, "text": texts}), policy=policy)
    assert frame["cluster"].nunique() == clusters


@pytest.mark.parametrize(("threshold", "together"), [(0.95, False), (0.8, True), (0.5, True)])
def test_threshold(threshold: float, together: bool) -> None:
    frame = near_duplicates(rows(("/a", BASE), ("/b", BASE.replace("grippy", "sticky"))),
                            threshold=threshold)
    assert (frame["cluster"].nunique() == 1) is together


@pytest.mark.parametrize("threshold", [0.0, 0.29, 1.5, "high", None])
def test_bad_threshold(threshold: object) -> None:
    with pytest.raises(InputError, match="threshold"):
        near_duplicates(rows(("/a", BASE)), threshold=threshold)  # type: ignore[arg-type]


def test_hostile_rows_never_crash() -> None:
    frame = near_duplicates(pd.DataFrame({
        "url": ["/ok", "javascript:alert(1)", "/" + "x" * 50_000, None, "/dup-of-big"],
        "html": ["<p>fine page here</p>", "<p>x</p>", "<p>" + "big " * 2_500_000 + "</p>",
                 b"\xff\xfe\xfa", "<p>" + "big " * 2_500_000 + "</p>"],
    }))
    assert len(frame) == 5
    got = {str(row["url"])[:20]: row for row in frame.to_dict("records")}
    assert "not a URL" in got["javascript:alert(1)"]["problem"]
    assert got["/dup-of-big"]["kind"] in ("canonical", "exact")


def test_empty_pages_are_not_duplicates_of_each_other() -> None:
    frame = near_duplicates(rows(("/a", ""), ("/b", "   "), ("/c", None)))
    assert frame["cluster"].nunique() == 3


def test_report_summary_and_rendering() -> None:
    report = find_duplicates(rows(("/a", BASE), ("/a?utm_source=x", BASE), ("/b", OTHER)))
    assert report.summary["urls"] == 3 and report.summary["real_pages"] == 2
    assert report.summary["url_variant"] == 1
    assert "real pages" in report._repr_html_()
    assert repr(report).startswith("DuplicateReport(urls=3, real_pages=2")
    assert len(report.duplicates()) == 2


def test_pairs() -> None:
    pairs = near_duplicate_pairs(rows(("/a", BASE), ("/b", BASE), ("/c", OTHER),
                                      ("/d", BASE.replace("grippy", "sticky"))))
    assert list(pairs.columns) == ["url_a", "url_b", "similarity"]
    assert pairs.iloc[0].to_dict() == {"url_a": "/a", "url_b": "/b", "similarity": 1.0}
    assert len(pairs) == 3


def test_same_input_same_output() -> None:
    pages = rows(*[(f"/p{i}", BASE if i % 3 else OTHER) for i in range(30)])
    pd.testing.assert_frame_equal(near_duplicates(pages), near_duplicates(pages))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.text(max_size=40), st.text(max_size=80)), min_size=1,
                     max_size=12),
       policy=st.sampled_from(["strict", "typical", "aggressive"]))
def test_arbitrary_strings_never_crash(rows: list[tuple[str, str]], policy: str) -> None:
    pages = pd.DataFrame(rows, columns=["url", "text"], dtype=object)
    try:
        frame = near_duplicates(pages, policy=policy)
        findings = duplicate_findings(pages, policy=policy)
    except InputError:
        return
    assert set(frame["url"].dropna()) <= {url.strip() for url in pages["url"]}
    assert set(findings["severity"].dropna()) <= {"error", "warning", "info"}


def test_edited_copies_are_listed_apart_from_the_clusters() -> None:
    from kit.duplicates import EDITED_COLUMNS, edited_copies

    words = BASE.split()
    reworded = list(words)
    for at in (3, 12, 21):  # 3 of 30 words changed: 10 %
        reworded[at] = "changed"
    pages = rows(("/a", BASE), ("/b", " ".join(reworded)), ("/c", OTHER), ("/d", BASE))
    report = find_duplicates(pages)
    assert by_url(report.clusters)["/b"]["kind"] == "unique"  # not a near-duplicate at 0.8
    pairs = report.edited_copies()
    assert tuple(pairs.columns) == EDITED_COLUMNS
    assert len(pairs) == 1 and {pairs.iloc[0]["url_a"], pairs.iloc[0]["url_b"]} == {"/a", "/b"}
    assert 0.35 <= pairs.iloc[0]["similarity"] < 0.8
    assert 0.05 <= pairs.iloc[0]["words_changed"] <= 0.2
    assert edited_copies(pages).equals(pairs)
    assert edited_copies(pages, low=0.9).empty
    with pytest.raises(InputError):
        edited_copies(pages, low=0.1)
