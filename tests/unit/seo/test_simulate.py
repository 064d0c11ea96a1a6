"""The seeded SEO site and the simulator: planted faults are found, the rules hold."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import kit.seo
from kit.seo import (
    ASSUMPTIONS,
    CHANGES,
    PLANS,
    assumptions_table,
    audit_pages,
    change_effects,
    compare_plans,
    page_last_changed,
    page_scores,
    simulate_seo,
)
from kit.seo.pages import url_key
from kit.sites import SeoSite, seo_site


@pytest.fixture(scope="module")
def site() -> SeoSite:
    return seo_site(300, seed=0)


@pytest.fixture(scope="module")
def plans(site: SeoSite) -> pd.DataFrame:
    return compare_plans(site).set_index("plan")


def test_the_site_is_seeded(site: SeoSite) -> None:
    again = seo_site(300, seed=0)
    assert again.pages["html"].tolist() == site.pages["html"].tolist()
    assert seo_site(300, seed=1).pages["html"].tolist() != site.pages["html"].tolist()
    assert len(site.spec) == 300 and site.spec["url"].is_unique
    assert "planted faults" in repr(site) and "<table>" in site._repr_html_()


@pytest.mark.parametrize("n_pages", [60, 120, 1000])
def test_sizes(n_pages: int) -> None:
    assert len(seo_site(n_pages, seed=3).spec) == n_pages


def test_too_small_a_site_is_refused() -> None:
    with pytest.raises(ValueError, match="n_pages >= 60"):
        seo_site(10)


# planted fault -> the check the audit must report on that very page
PLANTED = {
    "title_missing": "title_missing",
    "title_too_long": "title_too_long",
    "title_duplicate": "title_duplicate",
    "description_missing": "description_missing",
    "description_duplicate": "description_duplicate",
    "h1_missing": "h1_missing",
    "h1_multiple": "h1_multiple",
    "canonical_missing": "canonical_missing",
    "canonical_home": "canonical_elsewhere",
    "canonical_gone": "canonical_broken",
    "canonical_in_body": "canonical_missing",
    "noindex_staging": "noindex",
    "noindex_header": "noindex",
    "outlet_blocked": "robots_blocked",
    "orphan": "orphan",
    "legacy_keywords": "meta_keywords",
}


@pytest.mark.parametrize(("fault", "check"), list(PLANTED.items()))
def test_every_planted_fault_is_found(site: SeoSite, fault: str, check: str) -> None:
    findings = audit_pages(site.pages, robots_txt=site.robots_txt)
    found = set(findings.loc[findings["check"] == check, "page"])
    spec = site.spec
    planted = spec[spec["faults"].apply(lambda faults: fault in faults)]
    assert not planted.empty, f"the site plants no {fault}"
    if fault.endswith("_duplicate"):  # only indexable copies compete for the same words
        column = fault.removesuffix("_duplicate")
        candidates = spec[spec["status"].eq(200) & spec["robots_meta"].eq("")
                          & spec["x_robots"].eq("") & spec["canonical"].eq(spec["url"])]
        counts = candidates[column].str.lower().value_counts()
        planted = planted[planted["url"].isin(candidates["url"])
                          & planted[column].str.lower().map(counts).gt(1)]
        assert not planted.empty
    missed = {url_key(site.origin + url) for url in planted["url"]} - found
    assert not missed, f"{fault}: the audit missed {sorted(missed)[:3]}"


def test_broken_markup_changes_no_verdict(site: SeoSite) -> None:
    spec = site.spec.copy()
    broken = spec["broken_markup"].to_numpy(dtype=bool)
    assert broken.any()
    spec["broken_markup"] = False
    clean = SeoSite(spec=spec, robots_txt=site.robots_txt)
    before = page_scores(site.pages, robots_txt=site.robots_txt)
    after = page_scores(clean.pages, robots_txt=site.robots_txt)
    pd.testing.assert_frame_equal(before, after)


def test_meta_keywords_change_nothing(site: SeoSite, plans: pd.DataFrame) -> None:
    keywords = simulate_seo(site, ["meta_keywords"]).summary
    as_is = plans.loc["as_is"]
    assert keywords["meta_keywords_tags"] > as_is["meta_keywords_tags"]
    assert (keywords["indexable"], keywords["well_described"]) == (
        as_is["indexable"], as_is["well_described"])


def test_the_sitemap_only_helps_discovery(site: SeoSite, plans: pd.DataFrame) -> None:
    sitemap = simulate_seo(site, ["sitemap"])
    orphans = simulate_seo(site, ["orphans"])
    assert sitemap.summary["indexable"] == orphans.summary["indexable"]
    gained = set(sitemap.scores.loc[sitemap.scores["indexable"], "url"]) - set(
        simulate_seo(site).scores.query("indexable")["url"])
    planted_orphans = site.spec[site.spec["faults"].apply(lambda f: "orphan" in f)]
    assert gained and gained <= {url_key(site.origin + url) for url in planted_orphans["url"]}


def test_what_marketing_meant_reaches_every_page_meant_to_be_found(plans: pd.DataFrame) -> None:
    meant = plans.loc["marketing_meant"]
    assert meant["indexable"] == meant["well_described"] == meant["meant_to_be_found"]
    it = plans.loc["it_delivered"]
    assert plans.loc["as_is", "indexable"] < it["indexable"] < meant["indexable"]
    assert it["well_described"] < meant["well_described"]
    assert plans.loc["both", "indexable"] == meant["indexable"]


def test_change_effects(site: SeoSite) -> None:
    effects = change_effects(site).set_index("change")
    assert list(effects.index) == list(CHANGES)
    assert effects.loc["meta_keywords", ["indexable_gain", "well_described_gain"]].tolist() == [
        0, 0]
    assert effects.loc["titles", "indexable_gain"] == 0
    assert effects.loc["titles", "well_described_gain"] > 0
    assert effects.loc["noindex", "indexable_gain"] > 0


@pytest.mark.parametrize(
    ("plan", "name", "changes"),
    [
        ("as_is", "as_is", ()),
        ("titles", "titles", ("titles",)),
        (["sitemap", "meta_keywords"], "it_delivered", ("meta_keywords", "sitemap")),
        (["orphans", "titles", "orphans"], "titles + orphans", ("titles", "orphans")),
        ([], "as_is", ()),
    ],
)
def test_plan_names(site: SeoSite, plan: object, name: str, changes: tuple[str, ...]) -> None:
    result = simulate_seo(site, plan)  # type: ignore[arg-type]
    assert (result.plan, result.changes) == (name, changes)
    assert "SeoResult(plan=" in repr(result) and "<table>" in result._repr_html_()


@pytest.mark.parametrize("plan", ["seo everything", ["titles", "magic"]])
def test_unknown_plans(site: SeoSite, plan: object) -> None:
    with pytest.raises(ValueError, match="unknown"):
        simulate_seo(site, plan)  # type: ignore[arg-type]


def test_assumptions_are_stated() -> None:
    table = assumptions_table()
    assert list(table.columns) == ["assumption", "rule"] and len(table) == len(ASSUMPTIONS)
    assert any("2009" in rule for rule in table["rule"])
    assert set(PLANS["marketing_meant"]) | set(PLANS["it_delivered"]) == set(CHANGES)


def test_public_names() -> None:
    public = {name for name in dir(kit.seo) if not name.startswith("_")
              and not inspect.ismodule(getattr(kit.seo, name))}
    assert sorted(kit.seo.__all__) == sorted(public)
    for name in kit.seo.__all__:
        assert getattr(kit.seo, name) is not None


def test_page_last_changed_is_per_page_and_plausible() -> None:
    site = seo_site(300, seed=0)
    dates = page_last_changed(site)
    ok = site.spec[site.spec["status"].eq(200)]
    assert set(dates) == {site.origin + url for url in ok["url"]}
    assert len(set(dates.values())) > len(dates) // 3, "dates must differ per page"
    assert all("2016-01-01" <= day <= "2026-11-01" for day in dates.values())
    for url, day in dates.items():
        if "/blog/20" in url and url.split("/blog/")[1][:4] < "2026":
            assert day[:4] == url.split("/blog/")[1][:4]
    assert dates[site.origin + "/"] >= "2026-10-18"
    assert page_last_changed(site) == dates  # same on every run
