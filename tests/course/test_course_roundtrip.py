"""Whole grading rounds in a throwaway course: generate, hand in, autograde, read the scores.

For every assignment 01-05, five learners hand in:

* alice: the instructor's solution (its forms' model answers are in its saved widget state);
* bob: the blank exercise;
* mia, a marketer: the exercise played in a real kernel — every form filled in as the browser
  does it, the notebook saved the way JupyterLab saves it, Part C typed in — and no code;
* ian, IT: the solution's code cells typed into the exercise, no form touched;
* carol (01 only): mia's way, but wrong ticks in A2 that pass the visible check.  Her file has
  no hidden tests, so her lost A2 points prove that nbgrader restores them from the gradebook.

nbgrader autograde re-executes every notebook in a fresh kernel, so mia's points prove that a
form's answer survives re-execution; bob's zero proves that an empty form scores nothing.
The scores are checked per part and per role (``metadata.crosstalk.role``).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import nbformat
import pytest
from _learner import play
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI

from kit.answers import SavedAnswer, saved_answers
from kit.course import course_config, find_course_root, new_gradebook, venv_on_path

# nbgrader 0.9.6's autograde trips SQLAlchemy 2.x "not in session" warnings: its quirk.
pytestmark = [pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"), pytest.mark.slow]

ROOT = find_course_root(Path(__file__).parent)
ASSIGNMENTS = ["01-redirects", "02-seo", "03-duplicates", "04-tracking", "05-launch"]
ROLES = ("marketing", "shared", "it")


def grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def graded_cells(assignment: str) -> dict[str, tuple[str, float, bool]]:
    """``grade_id → (role, points, autograded)`` of the solution's graded cells."""
    notebook = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    found = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            found[meta["grade_id"]] = (cell.metadata.get("crosstalk", {}).get("role"),
                                       float(meta["points"]), not meta.get("solution"))
    return found


def model_answers(assignment: str) -> dict[str, SavedAnswer]:
    path = ROOT / "solutions" / assignment / f"{assignment}.ipynb"
    return saved_answers(json.loads(path.read_text(encoding="utf-8")))


def typed_cells(assignment: str, *, code: bool) -> dict[str, str]:
    """The solution's answer cells (code, or the written Part C) as a learner would type them."""
    notebook = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return {grade_id(cell): cell.source for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get("solution")
            and (cell.cell_type == "code") == code}


def exercise_with(release: Path, cells: dict[str, str]) -> nbformat.NotebookNode:
    notebook = nbformat.read(release, as_version=4)
    for cell in notebook.cells:
        if grade_id(cell) in cells:
            cell.source = cells[grade_id(cell)]
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Gradebook]]:
    """Generate 01-05, hand in for alice, bob, mia, ian (and carol in 01), autograde."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "solutions", course / "solutions")
    db_url = new_gradebook(course)
    api = NbGraderAPI(config=course_config(ROOT, course_root=course, db_url=db_url))
    logs = StringIO()
    with venv_on_path(), redirect_stdout(logs), redirect_stderr(logs):
        for assignment in ASSIGNMENTS:
            result = api.generate_assignment(assignment)
            assert result["success"], result.get("error")
            solution = course / "solutions" / assignment / f"{assignment}.ipynb"
            release = course / "exercises" / assignment / f"{assignment}.ipynb"
            forms = model_answers(assignment)
            written = typed_cells(assignment, code=False)
            submissions = {
                "alice": nbformat.read(solution, as_version=4),
                "bob": nbformat.read(release, as_version=4),
                "mia": play(release, tmp_path_factory.mktemp("mia"), forms, cells=written),
                "ian": exercise_with(release, typed_cells(assignment, code=True)),
            }
            if assignment == "01-redirects":
                wrong = {**forms, "true_statements": SavedAnswer(
                    "true_statements", "letters", {"A", "B", "C"}, 1)}
                submissions["carol"] = play(release, tmp_path_factory.mktemp("carol"), wrong)
            for student, notebook in submissions.items():
                assert "BEGIN HIDDEN TESTS" not in nbformat.writes(notebook) or student == "alice"
                folder = course / "submitted" / student / assignment
                folder.mkdir(parents=True)
                nbformat.write(notebook, folder / f"{assignment}.ipynb")
                result = api.autograde(assignment, student)
                assert result["success"], f"autograde {assignment} {student}: {result.get('error')}"
    with Gradebook(db_url, course_id="crosstalk") as book:
        yield course, book


def scores(book: Gradebook, assignment: str, student: str) -> dict[str, float | None]:
    notebook = book.find_submission_notebook(assignment, assignment, student)
    return {grade.name: grade.auto_score for grade in notebook.grades}


def by_role(assignment: str, got: dict[str, float | None]) -> dict[str, tuple[float, float]]:
    """``role → (autograded points scored, autograded points possible)``."""
    totals = {role: [0.0, 0.0] for role in ROLES}
    for name, (role, points, auto) in graded_cells(assignment).items():
        if auto:
            totals[role][0] += got.get(name) or 0.0
            totals[role][1] += points
    return {role: (score, top) for role, (score, top) in totals.items()}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_cell_has_a_role_and_each_role_has_points(assignment: str) -> None:
    cells = graded_cells(assignment)
    untagged = [name for name, (role, _, _) in cells.items() if role not in ROLES]
    assert not untagged, f"graded cells without metadata.crosstalk.role: {untagged}"
    for role in ROLES:
        autograded = [name for name, (r, _, auto) in cells.items() if r == role and auto]
        assert autograded, f"no autograded {role} part"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_points_and_grade_ids_arrive_as_written(graded: tuple[Path, Gradebook],
                                                assignment: str) -> None:
    _, book = graded
    notebook = book.find_submission_notebook(assignment, assignment, "alice")
    maxima = {grade.name: grade.max_score for grade in notebook.grades if grade.max_score}
    assert maxima == {name: points for name, (_, points, _) in graded_cells(assignment).items()}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_solution_gets_every_point_and_a_blank_exercise_none(
        graded: tuple[Path, Gradebook], assignment: str) -> None:
    _, book = graded
    cells = graded_cells(assignment)
    alice, bob = scores(book, assignment, "alice"), scores(book, assignment, "bob")
    for name, (_, points, auto) in cells.items():
        if auto:
            assert alice[name] == points, f"solution: {name} {alice[name]} of {points}"
            assert bob[name] == 0.0, f"blank: {name} scored {bob[name]}"
        else:
            assert alice[name] is None, f"{name} is graded by a person"
    assert all(score == top for score, top in by_role(assignment, alice).values())
    assert all(score == 0 for score, _ in by_role(assignment, bob).values())
    assert book.find_submission(assignment, "bob").score == 0


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_marketer_reaches_every_marketing_and_shared_point_without_code(
        graded: tuple[Path, Gradebook], assignment: str) -> None:
    _, book = graded
    roles = by_role(assignment, scores(book, assignment, "mia"))
    assert roles["marketing"][0] == roles["marketing"][1] > 0, roles
    assert roles["shared"][0] == roles["shared"][1] > 0, roles
    assert roles["it"][0] == 0.0, roles


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_code_alone_gets_the_it_points_and_no_form_points(
        graded: tuple[Path, Gradebook], assignment: str) -> None:
    _, book = graded
    roles = by_role(assignment, scores(book, assignment, "ian"))
    assert roles["it"][0] == roles["it"][1] > 0, roles
    assert roles["marketing"][0] == 0.0 and roles["shared"][0] == 0.0, roles


def test_hidden_tests_catch_what_visible_checks_let_through(
        graded: tuple[Path, Gradebook]) -> None:
    _, book = graded
    got = scores(book, "01-redirects", "carol")
    assert got["true_statements"] == 0.0
    assert got["map_completed"] == 3.0 and got["retired_decided"] == 2.0
    assert got["chains_and_loops"] == 0.0, "carol wrote no code"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_grader_sees_the_rubric_samples_that_learners_do_not(
        graded: tuple[Path, Gradebook], assignment: str) -> None:
    course, _ = graded
    autograded = (course / "autograded" / "mia" / assignment / f"{assignment}.ipynb").read_text()
    release = (course / "exercises" / assignment / f"{assignment}.ipynb").read_text()
    assert "Sample answers at each score" in autograded, "formgrader shows the mark scheme"
    assert "Sample answers at each score" not in release
    assert "How it is graded" in release, "learners see the criteria"


def test_crosstalk_grade_reads_the_forms_in_its_sandbox(tmp_path: Path) -> None:
    """``crosstalk grade`` runs the notebook in a work folder without the notebook file."""
    from kit.course.coursedir import init_course
    from kit.course.grade import grade_assignment
    from kit.course.gradebook import task_scores

    course = init_course(tmp_path / "course", solutions=ROOT / "solutions")  # default limits
    assignment = "01-redirects"
    release = course.folder("release") / assignment / f"{assignment}.ipynb"
    assert not saved_answers(json.loads(release.read_text())), "the release has no answers"
    forms = model_answers(assignment)
    played = play(release, tmp_path, forms, cells=typed_cells(assignment, code=False))
    for learner, notebook in (("mia", played), ("bob", nbformat.read(release, as_version=4))):
        target = course.folder("submitted") / learner / assignment / release.name
        target.parent.mkdir(parents=True)
        nbformat.write(notebook, target)
    grade_assignment(course, assignment, jobs=1)
    table = task_scores(course.db_url, course.course_id, assignment)
    got = {learner: {row.task: row.auto_score for row in frame.itertuples()}
           for learner, frame in table.groupby("learner")}
    mia = by_role(assignment, got["mia"])
    assert mia["marketing"][0] == mia["marketing"][1] and mia["shared"][0] == mia["shared"][1]
    assert all(score == 0 for score, _ in by_role(assignment, got["bob"]).values())
