"""Brief, Criterion and their results: rendering, validation, and checks that never crash."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.brief import Brief, BriefResult, Criterion, case_data, redirects_one_hop
from kit.errors import InputError
from kit.findings import findings_frame


def _criterion(name: str = "always", outcome: object = True) -> Criterion:
    return Criterion(name=name, marketing="Marketing sentence.", it="IT sentence.",
                     check=lambda data: outcome, needs=())


def _brief(*criteria: Criterion) -> Brief:
    return Brief(goal="Keep visitors.", metric="Visits within 10%.", audience="Shoppers",
                 criteria=criteria or (_criterion(),), request="301 the pages", title="Move")


PROBLEM = findings_frame([{"subject": "/a", "check": "x", "severity": "error",
                           "business": "It costs visitors.", "technical": "Change the rule.",
                           "source": "test"}])


@pytest.mark.parametrize(
    ("outcome", "passed", "error"),
    [(True, True, ""), (False, False, ""), (findings_frame([]), True, ""),
     (PROBLEM, False, ""), ("yes", False, "returned str"), (None, False, "returned NoneType"),
     (pd.DataFrame({"subject": ["/a"], "severity": ["fatal"]}), False, "cannot read")],
    ids=["true", "false", "empty-findings", "findings", "string", "none", "bad-severity"],
)
def test_check_outcomes(outcome: object, passed: bool, error: str) -> None:
    result = _criterion(outcome=outcome).run({})
    assert result.passed is passed
    assert error in result.error if error else not result.error


def test_failed_criterion_speaks_both_languages() -> None:
    result = _criterion(outcome=PROBLEM).run({})
    assert "It costs visitors" in result.marketing and "/a" in result.marketing
    assert "Change the rule" in result.it


def test_a_check_that_raises_is_a_failure_with_the_reason() -> None:
    def boom(data: object) -> bool:
        raise ZeroDivisionError("division by zero")

    brief = _brief(Criterion(name="boom", marketing="m.", it="i.", check=boom), _criterion())
    result = brief.check({})
    assert not result.passed and result.failed == ["boom"]
    assert "ZeroDivisionError: division by zero" in result["boom"].it
    assert result["always"].passed


@pytest.mark.parametrize(
    ("kwargs", "said"),
    [({"goal": ""}, "goal"), ({"metric": None}, "metric"), ({"criteria": []}, "no acceptance"),
     ({"criteria": [redirects_one_hop]}, "not Criterion"),
     ({"criteria": [_criterion(), _criterion()]}, "named twice"), ({"criteria": 3}, "not a list")],
    ids=["empty-goal", "no-metric", "no-criteria", "uncalled-maker", "duplicate-names", "number"],
)
def test_brief_validation_names_the_problem(kwargs: dict, said: str) -> None:
    values = {"goal": "g", "metric": "m", "audience": "a", "criteria": [_criterion()]} | kwargs
    with pytest.raises(InputError, match=said):
        Brief(**values)


def test_brief_renders_for_both_sides() -> None:
    brief = _brief(redirects_one_hop())
    assert "Marketing reads" in brief._repr_html_() and "IT reads" in brief._repr_html_()
    assert "Visits within 10%" in repr(brief) and "301 the pages" in repr(brief)
    table = brief.table()
    assert list(table.columns) == ["criterion", "Marketing reads", "IT reads", "checked with",
                                   "source"]


def test_result_renders_and_collects_findings() -> None:
    brief = _brief(redirects_one_hop(), _criterion())
    bad = brief.check(case_data("01", "delivered"))
    good = brief.check(case_data("01", "agreed"))
    assert isinstance(bad, BriefResult) and not bad.passed and good.passed
    assert "FAIL" in bad._repr_html_() and "1 of 2 criteria fail" in repr(bad)
    assert "every criterion passes" in repr(good)
    assert set(bad.findings()["criterion"]) == {"redirects_one_hop"}
    assert good.findings().empty
    assert list(bad.table()["result"]) == ["fail", "pass"]
    with pytest.raises(KeyError, match="no criterion"):
        bad["nope"]


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["redirects", "new_urls", "pages", "links", "campaign",
                                        "site", "it_joins", "old_urls", "duplicate_pages"]),
                       st.one_of(st.none(), st.integers(), st.text(max_size=20),
                                 st.lists(st.text(max_size=10), max_size=3))))
def test_checks_never_crash_on_arbitrary_data(data: dict) -> None:
    from kit.brief import CRITERIA

    brief = Brief(goal="g", metric="m", audience="a",
                  criteria=[make() for makers in CRITERIA.values() for make in makers])
    result = brief.check(data)
    assert len(result.results) == len(brief.criteria)
    assert isinstance(result.passed, bool)


@pytest.mark.parametrize(
    ("ratings", "first"),
    [({"redirect": 3, "seo": 0}, "not rated"), ({k: 2 for k in ("redirect", "seo", "duplicates",
      "tracking", "launch")} | {"brief": 0}, "0 · no idea yet")],
    ids=["partial", "all-rated"],
)
def test_self_check_puts_the_weakest_first(ratings: dict, first: str) -> None:
    from kit.brief import SELF_CHECK, self_check

    table = self_check(ratings, name="Ana")
    assert len(table) == len(SELF_CHECK) and table.loc[0, "Ana"] == first


@pytest.mark.parametrize("ratings", [{"redirect": 4}, {"redirects": 1}, {"seo": True}, [1, 2]],
                         ids=["too-high", "unknown-key", "bool", "not-a-dict"])
def test_self_check_rejects_unreadable_ratings(ratings: object) -> None:
    from kit.brief import self_check

    with pytest.raises(InputError, match="self_check"):
        self_check(ratings)


@pytest.mark.parametrize("key", ["pages", "duplicate_pages"])
@pytest.mark.parametrize("value", ["", ".", "site"])
def test_a_path_where_pages_belong_is_refused_not_read(key: str, value: str) -> None:
    """A brief is checked against the case's data: a text is never read as a folder (""
    once made the criteria crawl the current directory, minutes on a repository)."""
    from kit.brief import CRITERIA

    brief = Brief(goal="g", metric="m", audience="a",
                  criteria=[make() for makers in CRITERIA.values() for make in makers])
    result = brief.check({key: value})
    refused = [r.error for r in result.results if f"{key!r} is the text" in r.error]
    assert refused and all("not a path" in error for error in refused)
    assert not result.passed
