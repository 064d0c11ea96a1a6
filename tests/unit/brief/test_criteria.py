"""Every ready-made criterion passes on the agreed data and fails on what IT delivered."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.brief import CRITERIA, VERSIONS, Criterion, case_data
from kit.brief import criteria as ready
from kit.findings import FINDING_COLUMNS
from kit.launch import Campaign, Site

CASES = [pytest.param(module, make, id=f"{module}:{make.__name__}")
         for module, makers in CRITERIA.items() for make in makers]


def test_every_ready_made_criterion_is_listed_by_module() -> None:
    listed = {make.__name__ for makers in CRITERIA.values() for make in makers}
    assert listed == {name for name in ready.__all__ if name not in {"CRITERIA", "catalogue"}}


@pytest.mark.parametrize(("module", "make"), CASES)
def test_passes_on_agreed_data(module: str, make) -> None:
    result = make().run(case_data(module, "agreed"))
    assert result.passed, result.it
    assert result.findings.empty and not result.error


# What IT delivered, and the data a criterion of another kind still accepts.
FAILS_ON = {
    "redirects_one_hop": case_data("01", "delivered"),
    "redirects_permanent": case_data("01", "delivered"),
    "old_urls_redirected": {**case_data("01", "agreed"),
                            "old_urls": ["/catalogue/road-shoes.php", "/gift-cards.html"]},
    "pages_answer_200": {**case_data("02", "agreed"),
                         "pages": [*case_data("02", "agreed")["pages"],
                                   {"url": "https://www.stride-shoes.com/gone", "status": 404,
                                    "html": ""}]},
    "ranking_pages_indexable": case_data("02", "delivered"),
    "pages_described": case_data("02", "delivered"),
    "duplicates_have_canonical": case_data("03", "delivered"),
    "paid_links_tagged": case_data("04", "delivered"),
    "site_copes_with_spike": case_data("05", "delivered"),
    "it_joins_in_time": case_data("05", "delivered"),
}


@pytest.mark.parametrize(("module", "make"), CASES)
def test_fails_on_bad_data_with_findings_in_both_languages(module: str, make) -> None:
    result = make().run(FAILS_ON[make.__name__])
    assert not result.passed and not result.error, result.it
    assert list(result.findings.columns[:6]) == list(FINDING_COLUMNS)
    assert len(result.findings) >= 1
    assert result.marketing.startswith("Not met") and result.it.startswith("Fails")


@pytest.mark.parametrize(("module", "make"), CASES)
def test_missing_data_is_a_failed_criterion_with_the_reason(module: str, make) -> None:
    result = make().run({"unrelated": 1})
    assert not result.passed and "the data has no" in result.error
    assert "unrelated" in result.error


@pytest.mark.parametrize(
    ("criterion", "data", "said"),
    [
        (ready.redirects_one_hop(), {"redirects": "no-such-file.csv"}, "does not exist"),
        (ready.redirects_one_hop(), {"redirects": pd.DataFrame({"from": ["/a"]})}, "InputError"),
        (ready.old_urls_redirected(), {"old_urls": "/a", "redirects": pd.DataFrame(
            {"source": ["/a"], "target": ["/b"]})}, "one string"),
        (ready.site_copes_with_spike(), {"campaign": 3, "site": Site()}, "kit.launch.Campaign"),
        (ready.it_joins_in_time(), {"it_joins": "next tuesday"}, "it_joins"),
        (ready.paid_links_tagged(), {"links": 42}, "TypeError"),
        (ready.pages_described(), {"pages": 3}, "Error"),
    ],
    ids=["missing-file", "wrong-columns", "string-not-list", "not-a-campaign", "unknown-join",
         "not-links", "not-pages"],
)
def test_bad_data_never_crashes(criterion: Criterion, data: dict, said: str) -> None:
    result = criterion.run(data)
    assert not result.passed
    assert said in result.error, result.error
    assert "could not run" in result.marketing


@pytest.mark.parametrize(
    ("servers", "passes"), [(5, False), (12, True)], ids=["five-servers", "twelve-servers"])
def test_spike_criterion_follows_the_capacity_model(servers: int, passes: bool) -> None:
    result = ready.site_copes_with_spike().run({"campaign": Campaign(spike=40),
                                                "site": Site(servers=servers)})
    assert result.passed is passes


@pytest.mark.parametrize(
    ("medium", "channels", "passes"),
    [("cpc", ("Paid Search",), True), ("cpc", ("Paid Social",), False),
     ("email", ("Paid Search", "Paid Social"), False), ("paid_social", ("Paid Social",), False)],
    ids=["cpc-search", "cpc-not-social", "email", "google-paid-social"],
)
def test_paid_links_land_in_the_named_channels(medium: str, channels: tuple[str, ...],
                                               passes: bool) -> None:
    url = f"https://shop.example/?utm_source=google&utm_medium={medium}&utm_campaign=s"
    result = ready.paid_links_tagged(channels=channels).run({"links": [url]})
    assert result.passed is passes, result.it


@pytest.mark.parametrize("version", VERSIONS)
def test_case_data_is_fresh_on_each_call(version: str) -> None:
    first = case_data("01-redirects", version)
    first["redirects"].loc[0, "target"] = "/changed"
    assert case_data("01", version)["redirects"].loc[0, "target"] != "/changed"


def test_catalogue_lists_every_criterion_with_both_sentences() -> None:
    from kit.brief import catalogue

    table = catalogue()
    assert len(table) == sum(len(makers) for makers in CRITERIA.values())
    assert table["Marketing reads"].str.len().min() > 20 and table["IT reads"].str.len().min() > 20
