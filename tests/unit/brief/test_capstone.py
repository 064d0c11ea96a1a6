"""The capstone (06) is graded on judgement: the rules its checks state, and only those.

The model answers are read from the nbgrader source (solutions/06-capstone), so what the
graders compare against is itself tested; the generated exercise's blank cells must fail.
Every rule has a case that passes and one that fails, and criteria are the learner's choice.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from kit.brief import REQUESTS, case_data
from kit.brief.capstone import (
    DATA_FORMATS,
    EXAMPLE_ANSWER,
    audience_problem,
    brief_problems,
    copied_problems,
    metric_problem,
    misread_problems,
    own_request_problems,
    rating_change,
    rating_problems,
    scope_problems,
)

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "solutions" / "06-capstone" / "06-capstone.ipynb"
EXERCISE = ROOT / "exercises" / "06-capstone" / "06-capstone.ipynb"
MODULES = list(REQUESTS)
WORDS = {"goal": "Each old page passes its visitors on to the page that replaced it.",
         "metric": "Organic sessions per week on the moved pages, within 10% of before.",
         "audience": "Shoppers following old bookmarks and links"}


def _namespace(path: Path) -> dict[str, object]:
    """The answer cells' plain values (no kernel): what the checks read."""
    notebook = nbformat.read(path, as_version=4)
    namespace: dict[str, object] = {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.cell_type == "code" and (grade_id.endswith("_answer") or grade_id in (
                "self_rating", "example")):
            body = [line for line in cell.source.split("example_brief =")[0].splitlines()
                    if not line.startswith(("brief_from_answer", "rating_change", "raise Not"))]
            source = "\n".join(body)
            exec(compile(source, f"{path.name}:{grade_id}", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def solved() -> dict[str, object]:
    return _namespace(SOURCE)


@pytest.mark.parametrize("module", MODULES)
def test_model_briefs_meet_every_rule(solved: dict, module: str) -> None:
    assert brief_problems(solved[f"answer_{module[:2]}"], module) == []


def test_model_own_request_meets_every_rule(solved: dict) -> None:
    assert own_request_problems(solved["my_request"], solved["my_good_data"],
                                solved["my_misread_data"]) == []


@pytest.mark.parametrize(("module", "criteria", "good"), [
    ("01-redirects", ["redirects_one_hop"], True),
    ("01-redirects", ["redirects_permanent"], True),
    ("01-redirects", ["old_urls_redirected", "redirects_permanent"], True),
    ("01-redirects", ["old_urls_redirected"], False),  # passes on the delivery too
    ("01-redirects", ["pages_answer_200"], False),  # cannot run on this case's data
    ("02-seo", ["pages_described"], True),
    ("02-seo", ["ranking_pages_indexable"], True),
    ("02-seo", ["pages_answer_200"], False),
    ("04-tracking", ["paid_links_tagged"], True),
    ("05-launch", ["it_joins_in_time"], True),
    ("05-launch", ["site_copes_with_spike", "it_joins_in_time"], True),
])
def test_criteria_are_the_learners_choice(module: str, criteria: list, good: bool) -> None:
    problems = brief_problems({**WORDS, "criteria": criteria}, module)
    assert (problems == []) is good, problems


@pytest.mark.parametrize(("metric", "good"), [
    ("More traffic.", False), ("Better SEO", False), ("Organic visits", False),
    ("Organic traffic up 10% in four weeks", True), ("Sales per week from the page", True),
    ("One indexed URL per product", True), ("Visitors lost at the peak: at most 1 in 1,000", True),
    ("Click-through rate of the category pages, compared with the month before", True),
])
def test_a_metric_names_a_measurable_outcome(metric: str, good: bool) -> None:
    assert (metric_problem(metric) == "") is good


@pytest.mark.parametrize(("audience", "good"), [
    ("Everyone", False), ("our trainers", False), ("the website", False), ("", False),
    ("Trail runners in the UK", True), ("The IT team", True), ("People who click the ad", True),
    ("Returning customers", True), ("Hikers", True),
])
def test_an_audience_names_people_or_a_role(audience: str, good: bool) -> None:
    assert (audience_problem(audience) == "") is good


def test_vague_words_and_the_worked_example_lose_the_points() -> None:
    vague = brief_problems({"goal": "Better SEO.", "metric": "More traffic.",
                            "audience": "Everyone", "criteria": ["pages_described"]}, "02-seo")
    assert len(vague) == 3
    copied = brief_problems({**EXAMPLE_ANSWER, "criteria": ["pages_described"]}, "02-seo")
    assert any("worked example" in problem for problem in copied)
    repeated = brief_problems({**WORDS, "goal": "The website needs SEO",
                               "criteria": ["pages_described"]}, "02-seo")
    assert any("repeats the request" in problem for problem in repeated)


def test_the_notebooks_worked_example_is_the_one_the_rules_know(solved: dict) -> None:
    assert solved["example"] == EXAMPLE_ANSWER


def test_copying_the_workshops_worked_brief_does_not_count() -> None:
    """Workshop 06 shows a brief for case 01 (one criterion, so it is no answer); its
    sentences are the facilitator's, and the rules know them as they stand in the notebook."""
    from pathlib import Path

    import nbformat

    from kit.brief.capstone import WORKSHOP_EXAMPLE

    notebook = Path(__file__).resolve().parents[3] / "workshops" / "06-capstone.ipynb"
    sources = "\n".join(cell.source for cell in nbformat.read(notebook, as_version=4).cells)
    for key, sentence in WORKSHOP_EXAMPLE.items():
        assert f'{key}="{sentence}"' in sources, key
    copied = brief_problems({**WORKSHOP_EXAMPLE, "criteria": ["old_urls_redirected"]},
                            "01-redirects")
    assert sum("worked example" in problem for problem in copied) == 3


OWN = {"request": "Put up the page for our autumn Instagram ads by Friday.",
       "goal": "Trail runners who tap an ad land on a page made for them.",
       "metric": "Orders per 100 euros of ad spend in the first two weeks.",
       "audience": "Trail runners who follow us on Instagram",
       "criteria": ["paid_links_tagged", "pages_described"]}
PAGE = {"url": "https://shop.example.org/autumn/", "status": 200,
        "html": "<html><head><title>Autumn trail | Stride</title><meta name='description' "
                "content='Trail shoes for wet runs.'></head><body><h1>Autumn</h1></body></html>"}
TAGGED = ["https://shop.example.org/autumn/?utm_source=instagram&utm_medium=paid_social"
          "&utm_campaign=autumn"]


def test_own_request_passes_on_own_data_and_fails_on_a_misread_version() -> None:
    good = {"links": TAGGED, "pages": [PAGE]}
    assert own_request_problems(OWN, good, {"links": ["https://shop.example.org/autumn/"],
                                            "pages": [PAGE]}) == []
    same = own_request_problems(OWN, good, good)
    assert any("same as the good data" in p for p in same)
    other_keys = own_request_problems(OWN, good, {"links": TAGGED})
    assert any("same entries" in p for p in other_keys)


def test_the_old_hint_copied_does_not_pass() -> None:
    good = {**case_data("04", "agreed"), **case_data("05", "agreed")}
    bad = {**case_data("04", "agreed"), **case_data("05", "delivered")}
    answer = {**OWN, "criteria": ["paid_links_tagged", "site_copes_with_spike"]}
    problems = own_request_problems(answer, good, bad)
    assert any("copied from one of the five cases" in p for p in problems)
    assert copied_problems({"links": DATA_FORMATS["links"]}) != []
    assert own_request_problems({**OWN, "request": REQUESTS["02-seo"]}, {"links": TAGGED},
                                {"links": []}) != []


@pytest.mark.parametrize(("data", "small"), [
    ({"links": TAGGED, "pages": [PAGE]}, True),
    ({"pages": [PAGE, {**PAGE, "url": "https://shop.example.org/winter/"}]}, False),
    ({"links": [*TAGGED, TAGGED[0].replace("campaign=autumn", "campaign=winter")]}, False),
    ({"links": TAGGED * 11}, False),
    ({"redirects": [{"source": "/a", "target": "/new/", "status": 301},
                    {"source": "/b", "target": "/new/", "status": 301}]}, True),
    ({"redirects": [{"source": "/a", "target": "/new/", "status": 301},
                    {"source": "/b", "target": "/other/", "status": 301}]}, False),
    # one page written two ways (kit.urls identity): still one page
    ({"redirects": [{"source": "/a", "target": "/neu-café/", "status": 301},
                    {"source": "/b", "target": "https://shop.example.org/neu-caf%c3%a9/",
                     "status": 301}]}, True),
])
def test_a_small_request_is_one_page_or_one_campaign(data: dict, small: bool) -> None:
    assert (scope_problems(data) == []) is small


def test_misread_data_keeps_the_entries() -> None:
    assert misread_problems({"a": [1]}, {"a": [2]}) == []
    assert misread_problems({"a": [1]}, {"a": [1]}) != []
    assert misread_problems({"a": [1]}, {"b": [1]}) != []


def test_self_rating_change_and_problems() -> None:
    start = dict.fromkeys(["redirect", "seo", "duplicates", "tracking", "launch", "brief"], 1)
    now = {**start, "seo": 3}
    table = rating_change(start, now)
    assert table.loc[table["module"] == "02-seo", "change"].item() == 2
    assert rating_problems(start, "x") == []
    assert rating_problems({**start, "seo": None, "web": 2}, "x") == [
        "x: unknown statement 'web'", "x: 'seo' is not rated yet"]


@pytest.mark.skipif(not EXERCISE.is_file(), reason="run `crosstalk exercises build` first")
def test_blank_exercise_meets_no_rule() -> None:
    blank = _namespace(EXERCISE)
    for module in MODULES:
        assert brief_problems(blank[f"answer_{module[:2]}"], module) != []
    assert own_request_problems(blank["my_request"], blank["my_good_data"],
                                blank["my_misread_data"]) != []


def test_every_graded_part_is_tagged_and_checks_read_plain_answers() -> None:
    notebook = nbformat.read(SOURCE, as_version=4)
    graded = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert graded and all(c.metadata["crosstalk"]["role"] in ("marketing", "it", "shared")
                          for c in graded)
    for cell in graded:
        if cell.cell_type == "code":
            names = {n.id for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Name)}
            assert not names & {"brief_01", "my_brief", "example_brief"}, cell.source
