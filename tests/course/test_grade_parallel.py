"""``crosstalk grade --jobs 2`` leaves the gradebook as sequential nbgrader does (solution and
a wrong answer), and grades every assignment in solutions/ generically (solution, blank)."""

from __future__ import annotations

import copy
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import nbformat
import pytest

from kit.course.cohort import answer_menu
from kit.course.coursedir import Course
from kit.course.exercises import venv_on_path
from kit.course.grade import grade_assignment
from kit.course.gradebook import fingerprint, task_scores
from kit.course.tasks import load_tasks

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")


def assignments(course_root: Path) -> list[str]:
    """Every assignment but 01 (its solution, blank and hostile cases: test_grade_hostile)."""
    return sorted(p.name for p in (course_root / "solutions").iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb")) and p.name != "01-redirects")


def submit(course: Course, assignment: str, learners: tuple[str, ...] = ("alice", "bob", "carol")
           ) -> None:
    """alice: the solution; bob: the blank exercise; carol: one wrong answer (generic)."""
    for path in sorted((course.source / assignment).glob("*.ipynb")):
        solution = nbformat.read(path, as_version=4)
        release = nbformat.read(course.folder("release") / assignment / path.name, 4)
        wrong = copy.deepcopy(solution)
        for cell in wrong.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and cell.cell_type == "code":
                menu = answer_menu(cell.source, [])
                if menu:
                    cell.source = menu[0]
                    break
        notebooks = {"alice": solution, "bob": release, "carol": wrong}
        for learner in learners:
            target = course.folder("submitted") / learner / assignment / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebooks[learner], target)


def nbgrader_sequential(course: Course, assignment: str) -> None:
    """What a team lead would run by hand: ``nbgrader autograde ASSIGNMENT`` in the course."""
    from nbgrader.apps import NbGraderAPI

    logs = StringIO()
    with venv_on_path(), redirect_stdout(logs), redirect_stderr(logs):
        api = NbGraderAPI(config=course.config())
        for learner in ("alice", "carol"):
            result = api.autograde(assignment, learner)
            assert result["success"], result.get("error")


def test_parallel_grading_matches_sequential_nbgrader(make_course) -> None:
    ours, theirs = make_course("parallel"), make_course("sequential")
    submit(ours, "01-redirects", ("alice", "carol"))
    submit(theirs, "01-redirects", ("alice", "carol"))
    run = grade_assignment(ours, "01-redirects", jobs=2)
    assert not run.failed(), run.table()
    nbgrader_sequential(theirs, "01-redirects")
    mine = fingerprint(ours.db_url, ours.course_id, "01-redirects")
    reference = fingerprint(theirs.db_url, theirs.course_id, "01-redirects")
    assert set(mine["learner"]) == {"alice", "carol"}
    assert len(mine) >= 2 * len(load_tasks(ours.source, "01-redirects").tasks)
    assert mine.equals(reference), mine.compare(reference)


@pytest.mark.parametrize("assignment", assignments(Path(__file__).resolve().parents[2]))
def test_every_assignment_grades_generically(make_course, assignment: str) -> None:
    course = make_course()
    submit(course, assignment, ("alice", "bob"))
    run = grade_assignment(course, assignment, jobs=2)
    assert {o.learner: not o.failed for o in run.outcomes} == dict.fromkeys(
        ["alice", "bob"], True), run.table()
    tasks = load_tasks(course.source, assignment)
    auto = {t.grade_id: t.points for t in tasks.tasks if t.kind == "auto"}
    scores = task_scores(course.db_url, course.course_id, assignment)
    got = {learner: {row.task: row.auto_score for row in frame.itertuples() if row.task in auto}
           for learner, frame in scores.groupby("learner")}
    assert got["alice"] == auto, "the solution should get every autograded point"
    assert got["bob"] == dict.fromkeys(auto, 0.0), "a blank exercise should score nothing"
    assert (scores["score"].fillna(0) <= scores["max_score"]).all()
