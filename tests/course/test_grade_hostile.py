"""Hostile and broken submissions: each ends graded or rejected with a clear reason.

One batch of fabricated submissions of module 01 is graded once (``--jobs 2``); each test
then checks one learner.  Whatever happens, the batch completes, no score exceeds the
maximum, and no hidden-test text reaches a feedback page.
"""

from __future__ import annotations

import copy
import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from kit.course.coursedir import Course, open_course
from kit.course.feedback import write_feedback
from kit.course.grade import GRADED, MANUAL, GradeRun, Status, grade_assignment
from kit.course.gradebook import task_scores
from kit.course.sandbox import landlock_available
from kit.course.tasks import load_tasks, reveals_hidden
from kit.errors import InputError

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

ASSIGNMENT = "01-redirects"
AUTO = {"map_completed": 3.0, "true_statements": 2.0, "retired_decided": 2.0, "reasons": 1.0,
        "chains_and_loops": 3.0}
MANUAL_POINTS = {"request_rewritten": 3.0}
MAX_SCORE = sum(AUTO.values()) + sum(MANUAL_POINTS.values())
ANSWER = "chains_answer"  # module 01's one code answer cell (the other parts are forms)
_CONFTEST = importlib.util.spec_from_file_location("_course_conftest",
                                                   Path(__file__).with_name("conftest.py"))
_conftest = importlib.util.module_from_spec(_CONFTEST)
_CONFTEST.loader.exec_module(_conftest)
CELL_TIMEOUT = _conftest.TEST_LIMITS["cell_timeout"]  # the course template's per-cell limit
SANDBOX = pytest.mark.skipif(not landlock_available(),
                             reason="Linux Landlock is not available on this kernel")


def grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def set_answer(notebook: nbformat.NotebookNode, cell_id: str, source: str
               ) -> nbformat.NotebookNode:
    for cell in notebook.cells:
        if grade_id(cell) == cell_id:
            cell.source = source
    return notebook


def prepend_answer(notebook: nbformat.NotebookNode, cell_id: str, code: str
                   ) -> nbformat.NotebookNode:
    """``code`` put before the answer already in ``cell_id`` (the answer stays correct)."""
    for cell in notebook.cells:
        if grade_id(cell) == cell_id:
            cell.source = code + "\n" + cell.source
    return notebook


def is_test(cell: nbformat.NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


# Each maker gets (solution, release, course) and returns a notebook or raw bytes.
Maker = Callable[[nbformat.NotebookNode, nbformat.NotebookNode, Course], object]


def _solution(sol, rel, course):
    return sol


def _invalid_json(sol, rel, course):
    return nbformat.writes(sol)[:5000].encode()


def _tests_deleted(sol, rel, course):
    blank = copy.deepcopy(rel)
    blank.cells = [cell for cell in blank.cells if not is_test(cell)]
    return blank


def _duplicated_reordered(sol, rel, course):
    notebook = copy.deepcopy(sol)
    tests = [cell for cell in notebook.cells if is_test(cell)]
    notebook.cells += [copy.deepcopy(cell) for cell in tests]  # every test twice
    notebook.cells = notebook.cells[:2] + list(reversed(notebook.cells[2:]))
    return notebook


def _infinite_loop(sol, rel, course):
    return set_answer(copy.deepcopy(sol), ANSWER, "while True:\n    pass\n")


def _stubborn_loop(sol, rel, course):
    code = ("import time\nwhile True:\n    try:\n        time.sleep(0.2)\n"
            "    except KeyboardInterrupt:\n        pass\n")
    return set_answer(copy.deepcopy(sol), ANSWER, code)


def _huge_output(sol, rel, course):
    return prepend_answer(copy.deepcopy(sol), ANSWER, 'print("x" * 100_000_000)\n')


def _edits_tests(sol, rel, course):
    notebook = set_answer(copy.deepcopy(sol), ANSWER,
                          "def find_chains_and_loops(redirects):\n    return set(), set()\n")
    for cell in notebook.cells:
        if grade_id(cell) == "chains_and_loops":
            cell.source = "pass  # tests removed"
            cell.metadata["nbgrader"]["points"] = 100
    bonus = nbformat.v4.new_code_cell("print('free points')")
    bonus.metadata["nbgrader"] = {"grade": True, "grade_id": "bonus", "points": 1000,
                                  "locked": True, "solution": False, "task": False,
                                  "schema_version": 3}
    notebook.cells.append(bonus)
    return notebook


def _touches_course(sol, rel, course):
    source = course.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    gradebook = course.root / "gradebook.db"
    code = f'''
import glob, os
results = {{}}
for name, path in [("source", {str(source)!r}), ("gradebook", {str(gradebook)!r})]:
    try:
        with open(path, "a") as handle:
            handle.write("tampered")
        results["write " + name] = "WROTE"
    except OSError as error:
        results["write " + name] = type(error).__name__
    try:
        with open(path, "rb") as handle:
            results["read " + name] = handle.read().decode("latin-1")
    except OSError as error:
        results["read " + name] = type(error).__name__
results["notebooks here"] = glob.glob("**/*.ipynb", recursive=True)
for target in ["../escape.txt", "/tmp/crosstalk-escape.txt",
               os.path.join({str(course.root)!r}, "escape.txt")]:
    try:
        with open(target, "w") as handle:
            handle.write("out")
        results["escape " + target] = "WROTE"
    except OSError as error:
        results["escape " + target] = type(error).__name__
print(results)
'''
    return prepend_answer(copy.deepcopy(sol), ANSWER, code)


def _memory_hog(sol, rel, course):
    return set_answer(copy.deepcopy(sol), ANSWER, "hog = bytearray(4 * 1024 ** 3)\n")


SUBMISSIONS: dict[str, Maker] = {
    "alice": _solution,
    "bob": _invalid_json,
    "carol": _tests_deleted,
    "dave": _duplicated_reordered,
    "erin": _infinite_loop,
    "frank": _huge_output,
    "grace": _edits_tests,
    "heidi": _touches_course,
    "ivan": _memory_hog,
    "judy": _stubborn_loop,
}


@pytest.fixture(scope="module")
def graded(course_template: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Course, GradeRun]:
    folder = tmp_path_factory.mktemp("hostile") / "course"
    shutil.copytree(course_template, folder, symlinks=True)
    course = open_course(folder)
    sol = nbformat.read(course.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    rel = nbformat.read(course.folder("release") / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                        as_version=4)
    for learner, make in SUBMISSIONS.items():
        target = course.folder("submitted") / learner / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        target.parent.mkdir(parents=True)
        made = make(copy.deepcopy(sol), copy.deepcopy(rel), course)
        if isinstance(made, bytes):
            target.write_bytes(made)
        else:
            nbformat.write(made, target)
    (course.folder("submitted") / "mallory" / "99-nope").mkdir(parents=True)
    nbformat.write(sol, course.folder("submitted") / "mallory" / "99-nope" / "x.ipynb")
    run = grade_assignment(course, ASSIGNMENT, jobs=2)
    write_feedback(course, ASSIGNMENT)
    return course, run


def outcome(run: GradeRun, learner: str):
    found = [o for o in run.outcomes if o.learner == learner]
    assert found, f"{learner} has no outcome: the batch did not complete"
    return found[0]


def auto_scores(course: Course, learner: str) -> dict[str, float]:
    scores = task_scores(course.db_url, course.course_id, ASSIGNMENT)
    rows = scores[scores["learner"] == learner]
    return {row.task: row.auto_score for row in rows.itertuples() if row.task in AUTO}


def test_the_batch_completes_with_one_outcome_per_submission(graded) -> None:
    _, run = graded
    assert sorted(o.learner for o in run.outcomes) == sorted(SUBMISSIONS)


def test_no_score_exceeds_the_maximum(graded) -> None:
    course, run = graded
    scores = task_scores(course.db_url, course.course_id)
    assert (scores["score"].fillna(0) <= scores["max_score"]).all()
    assert set(scores["task"]) == {*AUTO, *MANUAL_POINTS}, "a fabricated grade cell counted"
    assert scores.groupby("learner")["max_score"].sum().eq(MAX_SCORE).all()
    for o in run.outcomes:
        assert o.score is None or o.score <= o.max_score == MAX_SCORE


def test_no_hidden_test_text_in_any_feedback_file(graded) -> None:
    course, _ = graded
    fragments = load_tasks(course.source, ASSIGNMENT).hidden()
    assert fragments, "the assignment should have hidden tests to protect"
    pages = sorted(course.folder("feedback").rglob("*.html"))
    assert len(pages) == len(SUBMISSIONS)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not reveals_hidden(text, fragments), f"{page} shows hidden test text"
        assert "BEGIN HIDDEN" not in text


def test_the_solution_gets_every_autograded_point(graded) -> None:
    course, run = graded
    assert outcome(run, "alice").status == MANUAL
    assert auto_scores(course, "alice") == AUTO


def test_invalid_json_is_rejected_with_the_reason(graded) -> None:
    course, run = graded
    bob = outcome(run, "bob")
    assert bob.status == Status.REJECTED and bob.failed
    assert "01-redirects.ipynb is not valid JSON" in bob.reason
    assert bob.explanation.startswith("rejected: 01-redirects.ipynb is not valid JSON")
    assert "bob" not in set(task_scores(course.db_url, course.course_id)["learner"])
    page = (course.folder("feedback") / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "could not be graded" in page


def test_deleted_tests_are_put_back_and_run(graded) -> None:
    course, run = graded
    assert outcome(run, "carol").status == GRADED
    assert auto_scores(course, "carol") == dict.fromkeys(AUTO, 0.0), "deleted tests gave points"


def test_duplicated_and_reordered_cells_are_graded_once(graded) -> None:
    course, run = graded
    dave = outcome(run, "dave")
    assert dave.status in (GRADED, MANUAL)
    scores = auto_scores(course, "dave")
    assert set(scores) == set(AUTO)
    assert all(scores[task] in (0.0, AUTO[task]) for task in AUTO)


def test_an_infinite_loop_is_stopped_and_the_rest_graded(graded) -> None:
    course, run = graded
    erin = outcome(run, "erin")
    assert erin.status == MANUAL
    assert ANSWER in erin.reason and f"{CELL_TIMEOUT} s limit" in erin.reason
    scores = auto_scores(course, "erin")
    assert scores["chains_and_loops"] == 0.0
    assert scores == {**AUTO, "chains_and_loops": 0.0}, "the parts around the loop were not graded"


def test_a_loop_that_ignores_interrupts_fails_the_rest_not_the_batch(graded) -> None:
    course, run = graded
    judy = outcome(run, "judy")
    assert judy.status == MANUAL
    assert "did not answer the interrupt" in judy.reason
    scores = auto_scores(course, "judy")
    assert scores == {**AUTO, "chains_and_loops": 0.0}


def test_100_mb_of_output_is_cut(graded) -> None:
    course, run = graded
    frank = outcome(run, "frank")
    assert "more than 1 MB of output" in frank.reason
    autograded = course.folder("autograded") / "frank" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert autograded.stat().st_size < 3 * 1024 * 1024
    assert frank.score is not None and frank.score <= MAX_SCORE


def test_a_memory_hog_is_stopped(graded) -> None:
    course, run = graded
    ivan = outcome(run, "ivan")
    assert ivan.status in (GRADED, MANUAL)
    assert "memory" in ivan.reason or auto_scores(course, "ivan")["chains_and_loops"] == 0.0
    assert auto_scores(course, "ivan")["map_completed"] == 3.0


def test_edited_tests_and_points_are_restored(graded) -> None:
    course, run = graded
    grace = outcome(run, "grace")
    assert auto_scores(course, "grace")["chains_and_loops"] == 0.0, "edited test gave points"
    assert grace.max_score == MAX_SCORE


@SANDBOX
def test_a_cell_cannot_read_the_hidden_tests_or_write_outside(graded) -> None:
    course, _ = graded
    source = course.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert "tampered" not in source.read_text(encoding="utf-8")
    assert not (course.root / "escape.txt").exists()
    assert not Path("/tmp/crosstalk-escape.txt").exists()
    autograded = nbformat.read(
        course.folder("autograded") / "heidi" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    answer = next(c for c in autograded.cells if grade_id(c) == ANSWER)
    printed = "".join(o.get("text", "") for o in answer.outputs)
    assert "'write source': 'PermissionError'" in printed
    assert "'read source': 'PermissionError'" in printed
    assert "'read gradebook': 'PermissionError'" in printed
    assert "'notebooks here': []" in printed
    assert "WROTE" not in printed
    assert not reveals_hidden(printed, load_tasks(course.source, ASSIGNMENT).hidden())
    assert auto_scores(course, "heidi") == AUTO


def test_a_submission_for_an_unknown_assignment_is_refused(graded) -> None:
    course, run = graded
    assert "mallory" not in {o.learner for o in run.outcomes}
    with pytest.raises(InputError, match="'99-nope' is not in this course's gradebook"):
        grade_assignment(course, "99-nope")


def test_the_results_table_names_each_reason(graded) -> None:
    _, run = graded
    table = run.table()
    bob = next(line for line in table.splitlines() if line.startswith("bob "))
    assert "rejected" in bob and "not valid JSON" in bob
    assert "needs manual grading" in table
    assert "(1 rejected)" in run.summary()
    counts = run.counts()
    assert sum(counts.values()) == len(SUBMISSIONS)
    assert "10 submission(s)" in run.summary()
