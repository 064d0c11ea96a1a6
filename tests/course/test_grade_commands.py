"""``crosstalk grade``'s exit status names what was not graded, and ``crosstalk feedback``
works whichever way grading was done: here nbgrader's own API, as the formgrader's
*Autograde* button calls it (it writes autograded/ and the gradebook, none of the kit's
grading records)."""

from __future__ import annotations

from contextlib import redirect_stderr, redirect_stdout
from io import StringIO

import nbformat
import pytest

from kit.cli import main
from kit.course.coursedir import Course
from kit.course.exercises import venv_on_path
from kit.course.records import Status
from kit.course.report import cohort_report
from kit.course.results import load_results, records_path

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]
ASSIGNMENT = "01-redirects"


def _submit(course: Course, learner: str, text: str | None = None) -> None:
    source = course.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    target = course.folder("submitted") / learner / ASSIGNMENT / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text if text is not None else nbformat.writes(
        nbformat.read(source, as_version=4)), encoding="utf-8")


def _autograde_button(course: Course, learner: str) -> None:
    """What the formgrader's Autograde button does: nbgrader's API, in the course."""
    from nbgrader.apps import NbGraderAPI

    logs = StringIO()
    with venv_on_path(), redirect_stdout(logs), redirect_stderr(logs):
        result = NbGraderAPI(config=course.config()).autograde(ASSIGNMENT, learner, force=True,
                                                               create=True)
    assert result["success"], result.get("error")


def test_grade_names_what_failed_and_feedback_follows_the_formgrader(
        make_course, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import kit.course.grade as grade

    course = make_course()
    _submit(course, "alice")  # graded only with the formgrader's button
    _submit(course, "bob", text='{"cells": [')  # damaged: rejected
    _submit(course, "carol")  # stopped at crosstalk grade's deadline, then autograded

    monkeypatch.setattr(grade, "submission_deadline", lambda limits, cells: 0.5)
    code = main(["grade", str(course.root), ASSIGNMENT, "--learner", "bob", "--learner",
                 "carol", "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "not graded (2): bob (rejected), carol (timed out)" in out
    assert "did not finish within 0 s" in out and "not valid JSON" in out
    saved = {o.learner: o.status for o in load_results(course, ASSIGNMENT).outcomes}
    assert saved == {"bob": Status.REJECTED, "carol": Status.TIMED_OUT}

    for learner in ("alice", "carol"):
        _autograde_button(course, learner)
    code = main(["feedback", str(course.root), ASSIGNMENT])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "3 feedback page(s)" in out
    pages = {learner: (course.folder("feedback") / learner / ASSIGNMENT /
                       f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
             for learner in ("alice", "bob", "carol")}
    for learner in ("alice", "carol"):  # the solution: every autograded check passes
        assert "Score so far" in pages[learner] and "could not be graded" not in pages[learner]
        assert "Done: every check passes." in pages[learner]
        assert "A person will read and grade this answer." in pages[learner]
    assert "could not be graded: rejected: " in pages["bob"]

    results = {o.learner: o for o in load_results(course, ASSIGNMENT).outcomes}
    assert {k: o.status for k, o in results.items()} == {
        "alice": Status.MANUAL, "bob": Status.REJECTED, "carol": Status.MANUAL}
    assert results["alice"].score == results["carol"].score and results["alice"].score > 0
    assert all(t.error == "" for t in results["alice"].tasks if t.score == t.max_score)
    # the kit's log still holds only what crosstalk grade saw; scores are never copied there
    assert "score" not in records_path(course, ASSIGNMENT).read_text(encoding="utf-8")
    status = cohort_report(course, assignments=[ASSIGNMENT]).submissions().set_index(
        "learner")["status"]
    assert status["alice"] == status["carol"] == "needs manual grading"
    assert status["bob"].startswith("rejected: ")
