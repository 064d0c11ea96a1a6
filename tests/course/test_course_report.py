"""The report on the demo cohort measures what each person was asked (issue 12).

One demo run (collect → grade → report) over module 01 and the capstone, with the role tags
of the sources.  Where module 01 carries no role tags yet, a copy is tagged here (first
autograded part Marketing, last IT, the rest shared), so the test does not depend on which
cells another change adds; once the sources are tagged, their own tags are used.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kit.course.cohort import run_demo
from kit.course.tasks import load_tasks, meant_for

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

ASSIGNMENTS = ["01-redirects", "06-capstone"]
ROLES = ["marketing", "it", "marketing", "it", "marketing", "it", "it", "other"]


def tagged_copy(solutions: Path, target: Path) -> Path:
    """``solutions`` (the assignments above) copied, untagged graded cells tagged."""
    for assignment in ASSIGNMENTS:
        shutil.copytree(solutions / assignment, target / assignment)
        for path in (target / assignment).glob("*.ipynb"):
            notebook = nbformat.read(path, as_version=4)
            graded = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
            auto = [c for c in graded if not c.metadata["nbgrader"].get("solution")]
            for cell in graded:
                if "role" not in cell.metadata.get("crosstalk", {}):
                    role = ("marketing" if cell is auto[0] else "it" if cell is auto[-1]
                            else "shared")
                    cell.metadata.setdefault("crosstalk", {})["role"] = role
            nbformat.write(notebook, path)
    return target


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, course_root: Path):
    folder = tmp_path_factory.mktemp("demo")
    solutions = tagged_copy(course_root / "solutions", folder / "solutions")
    return run_demo(folder / "course", learners=len(ROLES), seed=3, solutions=solutions,
                    assignments=ASSIGNMENTS, roles=ROLES, say=lambda message: None)


def test_a_marketer_right_on_marketing_and_shared_parts_scores_100_percent(demo) -> None:
    report = demo.report
    roles = dict(zip(report.roster["learner"], report.roster["role"], strict=True))
    star = next(learner for learner in demo.cohort.stars if roles[learner] == "marketing")
    table = report.by_learner().set_index(["learner", "assignment"])
    for assignment in ASSIGNMENTS:
        row = table.loc[(star, assignment)]
        assert row["their_percent"] == 100.0, row
        parts = load_tasks(demo.course.source, assignment).tasks
        graded = sum(t.points for t in parts if meant_for(t.role, "marketing")
                     and t.kind == "auto")
        assert row["their_max"] >= graded  # every autograded part meant for her counts
    assert table.loc[(star, "01-redirects"), "percent"] < 100.0  # the IT part is not hers


def test_the_role_comparison_uses_shared_parts_only(demo) -> None:
    report = demo.report
    scores = report.scores()
    shared = scores[(scores["part_role"] == "shared") & scores["score"].notna()]
    per = shared.groupby(["assignment", "role", "learner"])[["score", "max_score"]].sum()
    expected = (100 * per["score"] / per["max_score"]).groupby(["assignment", "role"]).mean()
    table = report.by_module_role()
    compared = table[table["note"] == ""]
    assert not compared.empty
    for row in compared.itertuples():
        assert row.shared_percent == pytest.approx(expected[(row.assignment, row.role)], abs=0.05)
    assert set(scores["part_role"]) >= {"marketing", "it", "shared"}
    other = table[table["role"] == "other"]
    assert other["shared_percent"].isna().all() and other["note"].str.contains("small").all()
    assert any("Other has 1 learner" in note for note in report.warnings())


def test_every_roster_learner_is_listed_with_missing_and_rejected(demo) -> None:
    report = demo.report
    status = report.submissions()
    assert len(status) == len(ROLES) * len(ASSIGNMENTS)
    assert set(status["learner"]) == set(demo.cohort.roster["learner_id"])
    lookup = {(row.learner, row.assignment): row.status for row in status.itertuples()}
    for key in demo.cohort.missing:
        learner, assignment = key.split("/")
        assert lookup[(learner, assignment)] == "no submission"
    for key in demo.cohort.broken:
        learner, assignment = key.split("/")
        assert lookup[(learner, assignment)].startswith(("rejected:", "graded",
                                                         "needs manual", "could not"))
    assert status["status"].str.startswith("rejected: ").any()
    with demo.csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["learner"] for row in rows} == set(status["learner"])
    assert any(row["status"] == "no submission" for row in rows)
    page = demo.html.read_text(encoding="utf-8")
    assert "no submission" in page and "rejected: " in page and "small group" in page


def test_the_demo_shows_a_learning_gain(demo) -> None:
    gain = demo.report.learning_gain()
    shown = gain[gain["note"] == ""]
    assert set(shown["role"]) >= {"marketing", "it"}
    assert (shown["change"] > 0).all()
    assert "Self-rating" in demo.html.read_text(encoding="utf-8")
    assert isinstance(demo.report.learning_gain(per_statement=True), pd.DataFrame)
