"""Fast checks of the pieces: sandbox launcher, tasks, hints, feedback, report, cohort."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.course.cohort import answer_menu, synthetic_gradebook
from kit.course.feedback import feedback_html, hint_for
from kit.course.grade import FAILED, Outcome
from kit.course.sandbox import LAUNCHER, kernel_environment, landlock_available
from kit.course.tasks import Task, hidden_fragments, load_tasks, reveals_hidden

ASSIGNMENT = "01-redirects"


# --- the sandbox launcher, without a kernel ---------------------------------------------


def launch(tmp_path: Path, code: str, **settings: object) -> subprocess.CompletedProcess:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    payload = {"workdir": str(work), "read": ["/usr", "/lib", "/lib64", "/etc", "/proc",
                                               sys.prefix, sys.base_prefix],
               "env": {"PATH": "/usr/bin:/bin"}, **settings}
    return subprocess.run([sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(payload), "--",
                           sys.executable, "-I", "-S", "-c", code],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not landlock_available(), reason="Linux Landlock is not available")
def test_the_sandbox_reads_and_writes_only_where_allowed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("hidden tests", encoding="utf-8")
    code = f"""
import os
lines = []
for what, call in [("read", lambda: open({str(secret)!r}).read()),
                   ("write", lambda: open({str(tmp_path / 'out.txt')!r}, "w")),
                   ("own", lambda: open("mine.txt", "w").write("ok"))]:
    try:
        call(); lines.append(what + " ok")
    except OSError as error:
        lines.append(what + " " + type(error).__name__)
open("result.txt", "w").write("\\n".join(lines))
"""
    result = launch(tmp_path, code)
    printed = (tmp_path / "work" / "result.txt").read_text().split("\n")
    assert printed == ["read PermissionError", "write PermissionError", "own ok"], result.stderr
    assert (tmp_path / "work" / "mine.txt").read_text() == "ok"


def test_the_memory_limit_applies_without_the_sandbox(tmp_path: Path) -> None:
    code = "b = bytearray(3 * 1024 ** 3)\nprint('allocated')"
    result = launch(tmp_path, code, memory_mb=512, sandbox=False)
    assert "MemoryError" in result.stderr and "allocated" not in result.stdout


def test_kernels_inherit_no_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CROSSTALK_DB_URL", "postgresql://grader:secret@db/grades")
    env = kernel_environment(str(tmp_path))
    assert "CROSSTALK_DB_URL" not in env and env["HOME"] == str(tmp_path)


# --- tasks and hidden text -------------------------------------------------------------


@pytest.fixture(scope="module")
def tasks(course_root: Path):
    return load_tasks(course_root / "solutions", ASSIGNMENT)


def test_tasks_come_from_nbgrader_metadata(tasks) -> None:
    assert [(t.grade_id, t.points, t.kind) for t in tasks.tasks] == [
        ("map_completed", 3.0, "auto"), ("true_statements", 2.0, "auto"),
        ("chains_and_loops", 3.0, "auto"), ("request_rewritten", 3.0, "manual")]
    assert tasks.tasks[1].title.startswith("Part A2")
    assert tasks.tasks[1].answer_ids == ("statements_answer",)
    assert tasks.max_score == 11


def test_hidden_fragments_are_secret_and_visible_text_is_not(tasks) -> None:
    fragments = tasks.hidden()
    assert any("302 is a weaker signal than 301" in f for f in fragments)
    assert not any("Exactly three of the six statements" in f for f in fragments)


@given(st.text(max_size=40), st.text(max_size=40))
def test_any_text_around_a_hidden_fragment_is_caught(before: str, after: str) -> None:
    fragments = hidden_fragments(['assert answer == "the secret expected value"'], "visible")
    assert reveals_hidden(before + " the secret expected value " + after, fragments)


TASK = Task(notebook="n", grade_id="check", points=2.0, kind="auto", title="Part X",
            answer_ids=("answer",), solution=(), template=())
HINTS = [
    pytest.param({"score": 2.0, "max_score": 2.0}, "Done", id="passed"),
    pytest.param({"score": 0.0, "max_score": 2.0, "blank": True, "error": "NameError"},
                 "NotImplementedError", id="blank"),
    pytest.param({"score": 0.0, "max_score": 2.0, "error": "AssertionError",
                  "message": "Exactly three are true; you picked 2."},
                 "Exactly three are true", id="visible-message"),
    pytest.param({"score": 0.0, "max_score": 2.0, "error": "AssertionError",
                  "hidden_failure": True, "message": ""}, "extra checks", id="hidden"),
    pytest.param({"score": 0.0, "max_score": 2.0, "error": "AssertionError",
                  "message": "says the secret expected value"}, "extra checks",
                 id="message-with-hidden-text"),
    pytest.param({"score": 0.0, "max_score": 2.0, "error": "CellTimeoutError",
                  "stopped": "timeout"}, "ran too long", id="timeout"),
    pytest.param({"score": 0.0, "max_score": 2.0, "error": "OutputLimitExceeded",
                  "stopped": "output"}, "printed far too much", id="output"),
]


@pytest.mark.parametrize(("result", "expected"), HINTS)
def test_hints_are_plain_and_never_hidden(result: dict, expected: str) -> None:
    fragments = hidden_fragments(['assert x == "the secret expected value"'], "")
    _, hint = hint_for(TASK, result, fragments)
    assert expected in hint
    assert not reveals_hidden(hint, fragments)


def test_a_failed_submission_gets_a_page_that_says_what_to_do(tasks) -> None:
    page = feedback_html(Outcome("zoe", ASSIGNMENT, FAILED, reason="rejected: not JSON"),
                         tasks, name="Zoe")
    assert "could not be graded" in page and "Restart Kernel and Run All" in page


# --- report and cohort -----------------------------------------------------------------


def test_the_report_api_and_its_offline_html(tmp_path: Path) -> None:
    report = synthetic_gradebook(tmp_path / "course", learners=24, assignments=2, tasks=3)
    scores = report.scores()
    assert len(scores) == 24 * 2 * 4
    assert set(report.by_module_role()["role"]) <= {"marketing", "it", "other"}
    missed = report.most_missed(3)
    assert list(missed["missed"]) == sorted(missed["missed"], reverse=True)
    assert missed["wrong_answers"].str.len().gt(0).all()
    queue = report.manual_queue()
    assert set(queue["assignment"]) <= {"01-module", "02-module"}
    page = report.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count("plotly.js v") <= 1 and "<script src=" not in page
    assert len(report.to_csv(tmp_path / "r.csv").read_text().splitlines()) == len(scores) + 1
    assert "learner(s)" in repr(report) and "<table" in report._repr_html_()


def test_wrong_answers_change_only_values_and_still_parse(course_root: Path) -> None:
    notebook = nbformat.read(course_root / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    import ast

    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            for option in answer_menu(cell.source, ["/", "/sale/"]):
                ast.parse(option)
                assert "BEGIN SOLUTION" not in option
