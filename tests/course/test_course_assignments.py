"""Every assignment in solutions/ (beyond 01, which has its own tests): validate, invert, grade.

For each assignment and each of its notebooks:

* ``nbgrader validate`` passes the solution, and ``--invert`` passes the committed exercise
  (a blank exercise scores nothing);
* the source notebook is stored without outputs and has a manually graded cell;
* a grading round in a throwaway course gives the solution every autograded point and the
  blank exercise none, and leaves the manually graded cells to a person.

Module 01's specific tests (tests/course/test_course_exercises.py, test_course_roundtrip.py)
stay as they are; this file picks up every other assignment by itself.
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
from nbgrader.validator import Validator

from kit.course import course_config, find_course_root, new_gradebook, venv_on_path
from kit.course.exercises import assignment_ids

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

ROOT = find_course_root(Path(__file__).parent)
COVERED_ELSEWHERE = {"01-redirects"}
NOTEBOOKS = [
    pytest.param(assignment, path.stem, id=f"{assignment}/{path.name}")
    for assignment in assignment_ids(ROOT) if assignment not in COVERED_ELSEWHERE
    for path in sorted((ROOT / "solutions" / assignment).glob("*.ipynb"))
]


def _report(results: dict[str, list[dict[str, str]]]) -> str:
    return "\n\n".join(f"[{kind}] {cell['source'][:300]}\n{cell.get('raw_error', '')[-1500:]}"
                       for kind, cells in results.items() for cell in cells)


@pytest.mark.parametrize(("assignment", "notebook"), NOTEBOOKS)
def test_solution_passes_and_blank_exercise_fails(assignment: str, notebook: str) -> None:
    solution = ROOT / "solutions" / assignment / f"{notebook}.ipynb"
    exercise = ROOT / "exercises" / assignment / f"{notebook}.ipynb"
    assert exercise.is_file(), f"{exercise} missing: run `crosstalk exercises build`"
    with venv_on_path():
        solved = Validator().validate(str(solution))
        blank = Validator(invert=True).validate(str(exercise))
    assert solved == {}, "the solution fails its own tests:\n" + _report(solved)
    assert blank == {}, "a blank exercise passes some tests:\n" + _report(blank)


@pytest.mark.parametrize(("assignment", "notebook"), NOTEBOOKS)
def test_source_is_stored_clean_with_a_manual_part(assignment: str, notebook: str) -> None:
    source = nbformat.read(ROOT / "solutions" / assignment / f"{notebook}.ipynb", as_version=4)
    with_output = [cell.id for cell in source.cells
                   if cell.cell_type == "code" and (cell.outputs or cell.execution_count)]
    assert not with_output, f"clear the outputs of cells {with_output}"
    manual = [cell for cell in source.cells if cell.cell_type == "markdown"
              and cell.metadata.get("nbgrader", {}).get("grade")]
    assert manual, "each assignment has an 'explain it to the other side' cell graded by a person"
    hidden = [cell for cell in source.cells if "### BEGIN HIDDEN TESTS" in cell.source]
    assert hidden, "each assignment has hidden tests"


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Gradebook]]:
    """One grading round per course copy: alice hands in the solutions, bob the blank copies."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "solutions", course / "solutions")
    db_url = new_gradebook(course)
    api = NbGraderAPI(config=course_config(ROOT, course_root=course, db_url=db_url))
    assignments = sorted({param.values[0] for param in NOTEBOOKS})
    logs = StringIO()
    with venv_on_path(), redirect_stdout(logs), redirect_stderr(logs):
        for assignment in assignments:
            result = api.generate_assignment(assignment)
            assert result["success"], result.get("error")
            for student, folder in (("alice", "solutions"), ("bob", "exercises")):
                target = course / "submitted" / student / assignment
                target.mkdir(parents=True)
                for path in (course / folder / assignment).glob("*.ipynb"):
                    shutil.copy(path, target / path.name)
                result = api.autograde(assignment, student)
                assert result["success"], f"autograde {assignment} {student}: {result.get('error')}"
    with Gradebook(db_url, course_id="crosstalk") as book:
        yield db_url, book


@pytest.mark.parametrize(("assignment", "notebook"), NOTEBOOKS)
def test_grading_round(graded: tuple[str, Gradebook], assignment: str, notebook: str) -> None:
    _, book = graded
    alice = book.find_submission_notebook(notebook, assignment, "alice")
    bob = book.find_submission_notebook(notebook, assignment, "bob")
    auto = {grade.name: (grade.auto_score, grade.max_score) for grade in alice.grades
            if grade.auto_score is not None}
    manual = [grade.name for grade in alice.grades if grade.auto_score is None]
    assert auto and all(score == top for score, top in auto.values()), auto
    assert manual, "a manually graded cell"
    assert book.find_submission(assignment, "alice").needs_manual_grade
    blank = {grade.name: grade.auto_score for grade in bob.grades if grade.name in auto}
    assert blank == dict.fromkeys(auto, 0.0), blank
