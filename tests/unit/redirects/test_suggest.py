"""suggest_map: best new page per old page, 410 below the bar, never a homepage fallback."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.errors import InputError
from kit.redirects import audit_map, load_inventory, suggest_map
from kit.sites import redesign

OLD = pd.DataFrame({
    "url": [
        "/products/boots/ridgeline-waterproof-hiking-boot-x200.html",
        "/products/boots/ridgeline-waterproof-hiking-boot-x200-red.html",
        "/blog/2019/how-to-wax-leather-boots.html",
        "/help/returns-policy.html",
        "/products/tents/summit-ultralight-tent-t10.html",
        "/about-us.html",
    ],
    "title": [
        "Ridgeline Waterproof Hiking Boot X200 | Shop",
        "Ridgeline Waterproof Hiking Boot X200 - Red | Shop",
        "How to wax leather boots | Blog",
        "Returns policy | Help",
        "Summit Ultralight Tent T10 | Shop",
        "About us",
    ],
})
NEW = pd.DataFrame({
    "url": [
        "/",
        "/shop/boots/ridgeline-hiking-boot-waterproof-x200",
        "/journal/waxing-leather-boots/",
        "/support/returns",
        "/about-us.html",
    ],
    "title": [
        "Example Outdoor",
        "Ridgeline Hiking Boot Waterproof X200",
        "Waxing leather boots",
        "Returns",
        "About us",
    ],
})
TRUTH = {
    "/products/boots/ridgeline-waterproof-hiking-boot-x200.html":
        "/shop/boots/ridgeline-hiking-boot-waterproof-x200",
    "/products/boots/ridgeline-waterproof-hiking-boot-x200-red.html":
        "/shop/boots/ridgeline-hiking-boot-waterproof-x200",
    "/blog/2019/how-to-wax-leather-boots.html": "/journal/waxing-leather-boots/",
    "/help/returns-policy.html": "/support/returns",
    "/products/tents/summit-ultralight-tent-t10.html": None,
    "/about-us.html": "/about-us.html",
}


def test_each_old_page_gets_its_match_and_removed_pages_get_410() -> None:
    result = suggest_map(OLD, NEW).set_index("source")
    assert list(result.columns) == ["target", "score", "status"]
    for source, expected in TRUTH.items():
        row = result.loc[source]
        if expected is None:
            assert row["status"] == 410 and row["target"] is None, source
        elif expected == source:
            assert row["status"] == 200 and row["target"] == source, source
        else:
            assert (row["target"], row["status"]) == (expected, 301), source


def test_never_falls_back_to_the_homepage() -> None:
    result = suggest_map(OLD, NEW, min_score=0.99)
    assert not (result["target"] == "/").any()
    assert set(result["status"]) <= {200, 410}


def test_merged_variants_both_point_at_the_merged_page() -> None:
    result = suggest_map(OLD, NEW).set_index("source")["target"]
    assert result.iloc[0] == result.iloc[1] == "/shop/boots/ridgeline-hiking-boot-waterproof-x200"


@pytest.mark.parametrize(
    ("columns", "renamed"),
    [
        ({"url": "Address", "title": "Title 1"}, "screaming frog"),
        ({"url": "URL"}, "upper case"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_inventory_column_aliases(columns: dict[str, str], renamed: str) -> None:
    pages = load_inventory(OLD.rename(columns=columns), what=renamed)
    assert list(pages.columns) == ["url", "title", "h1"]
    assert pages["url"].tolist() == OLD["url"].tolist()


def test_inventory_without_url_column_names_the_columns() -> None:
    with pytest.raises(InputError, match="needs the column"):
        suggest_map(pd.DataFrame({"page": ["/a"]}).rename(columns={"page": "path"}), NEW)


def test_inventory_with_a_bad_url_names_the_row(tmp_path) -> None:
    path = tmp_path / "old.csv"
    path.write_text("url,title\n/a,A\nnot a url,B\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"old.csv line 3"):
        suggest_map(path, NEW)


@pytest.mark.parametrize("min_score", [-0.1, 1.5])
def test_min_score_out_of_range(min_score: float) -> None:
    with pytest.raises(InputError, match="min_score"):
        suggest_map(OLD, NEW, min_score=min_score)


def test_new_site_smaller_than_the_candidate_count() -> None:
    result = suggest_map(OLD.head(2), NEW.head(2))
    assert len(result) == 2


def test_suggested_map_of_a_redesign_is_accurate_and_audits_clean() -> None:
    site = redesign(600, seed=5)
    result = suggest_map(site.old, site.new)
    truth = site.truth.set_index("source")["target"]
    predicted = result.set_index("source")["target"]
    correct = (predicted == truth) | (predicted.isna() & truth.isna())
    assert correct.mean() >= 0.95
    findings = audit_map(result, new_urls=site.new["url"])
    assert not findings["check"].isin(["homepage_dump", "broken_target", "chain", "loop"]).any()
