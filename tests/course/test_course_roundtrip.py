"""A whole grading round in a throwaway course: generate, submit, autograde, read the scores.

alice hands in the solution, bob the blank exercise, and carol the learners' copy filled in
with the solution's answers except A2, where three wrong letters pass the visible checks.
Her file has no hidden tests, so her lost A2 points prove that nbgrader restores the hidden
tests from the gradebook, and that points and grade ids arrive as intended.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI

from kit.course import course_config, new_gradebook, venv_on_path

# nbgrader 0.9.6's autograde trips SQLAlchemy 2.x "not in session" warnings: its quirk.
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

ASSIGNMENT = "01-redirects"
NOTEBOOK = ASSIGNMENT
AUTOGRADED = {"map_completed": 3.0, "true_statements": 2.0, "chains_and_loops": 3.0}
MANUAL = {"request_rewritten": 3.0}


def grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def filled_exercise(release: Path, solution: Path, **answers: str) -> nbformat.NotebookNode:
    """The learners' copy with the solution's answer cells, except those in ``answers``."""
    notebook = nbformat.read(release, as_version=4)
    solved = {grade_id(cell): cell.source for cell in nbformat.read(solution, as_version=4).cells}
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = answers.get(grade_id(cell), solved[grade_id(cell)])
    assert "BEGIN HIDDEN TESTS" not in nbformat.writes(notebook)
    return notebook


@pytest.fixture(scope="module")
def gradebook(course_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gradebook]:
    """Generate, submit for alice, bob and carol, autograde; yield the gradebook."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(course_root / "solutions", course / "solutions")
    db_url = new_gradebook(course)
    api = NbGraderAPI(config=course_config(course_root, course_root=course, db_url=db_url))
    solution = course / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    release = course / "exercises" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    logs = StringIO()
    with venv_on_path(), redirect_stdout(logs), redirect_stderr(logs):
        result = api.generate_assignment(ASSIGNMENT)
        assert result["success"], result.get("error")
        submissions = {
            "alice": nbformat.read(solution, as_version=4),
            "bob": nbformat.read(release, as_version=4),
            "carol": filled_exercise(
                release, solution, statements_answer='true_statements = {"A", "B", "C"}'
            ),
        }
        for student, notebook in submissions.items():
            folder = course / "submitted" / student / ASSIGNMENT
            folder.mkdir(parents=True)
            nbformat.write(notebook, folder / f"{NOTEBOOK}.ipynb")
            result = api.autograde(ASSIGNMENT, student)
            assert result["success"], f"autograde {student}: {result.get('error')}"
    with Gradebook(db_url, course_id="crosstalk") as book:
        yield book


def scores(book: Gradebook, student: str) -> dict[str, tuple[float | None, float]]:
    """``grade_id → (auto_score, max_score)`` for one student's notebook."""
    notebook = book.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
    return {grade.name: (grade.auto_score, grade.max_score) for grade in notebook.grades}


def test_points_and_grade_ids(gradebook: Gradebook) -> None:
    maxima = {name: top for name, (_, top) in scores(gradebook, "alice").items()}
    assert maxima == {**AUTOGRADED, **MANUAL}


def test_the_solution_gets_every_autograded_point(gradebook: Gradebook) -> None:
    got = scores(gradebook, "alice")
    assert {name: got[name][0] for name in AUTOGRADED} == AUTOGRADED
    assert got["request_rewritten"][0] is None, "the rewritten request is graded by a person"
    assert gradebook.find_submission(ASSIGNMENT, "alice").needs_manual_grade


def test_a_blank_exercise_gets_nothing(gradebook: Gradebook) -> None:
    got = scores(gradebook, "bob")
    assert {name: got[name][0] for name in AUTOGRADED} == dict.fromkeys(AUTOGRADED, 0.0)
    assert gradebook.find_submission(ASSIGNMENT, "bob").score == 0


def test_hidden_tests_catch_what_visible_checks_let_through(gradebook: Gradebook) -> None:
    got = scores(gradebook, "carol")
    assert got["true_statements"][0] == 0.0
    assert got["map_completed"][0] == 3.0
    assert got["chains_and_loops"][0] == 3.0
