"""Fast checks of the pieces: sandbox launcher, tasks, hints, feedback, report, cohort."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from _gradebook import synthetic_gradebook
from hypothesis import given
from hypothesis import strategies as st

from kit.course.cohort import answer_menu
from kit.course.feedback import feedback_html, hint_for
from kit.course.records import Outcome, Status, TaskResult
from kit.course.sandbox import LAUNCHER, kernel_environment, landlock_available
from kit.course.tasks import Task, hidden_fragments, load_tasks, reveals_hidden
from kit.course.widget import write_report_html

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
        ("retired_decided", 2.0, "auto"), ("reasons", 1.0, "auto"),
        ("chains_and_loops", 3.0, "auto"), ("request_rewritten", 3.0, "manual")]
    # c_intro, a 0-point task cell (the heading and rubric of Part C), is no task
    assert tasks.tasks[1].title.startswith("Part A2")
    assert tasks.tasks[1].answer_ids == (), "a form part: its answer is saved widget state"
    assert tasks.tasks[4].answer_ids == ("chains_answer",)
    assert tasks.max_score == 14


def test_hidden_fragments_are_secret_and_visible_text_is_not(tasks) -> None:
    fragments = tasks.hidden()
    assert any("302 is a weaker signal than 301" in f for f in fragments)
    assert not any("Exactly three of the six statements" in f for f in fragments)


def test_mark_schemes_are_secret_like_hidden_tests(tasks) -> None:
    """The sample answers graders read (nbgrader MARK SCHEME regions) never reach a learner."""
    fragments = tasks.hidden()
    assert "Sample answers at each score" in tasks.scheme_text
    assert "MARK SCHEME" not in tasks.visible_text
    assert "Sample answers at each score" not in tasks.visible_text
    sample = next(line for line in tasks.scheme_text.splitlines() if "3 points" in line)
    assert reveals_hidden(f"feedback quoting {sample} here", fragments)
    assert not reveals_hidden("Part C · Say it so it cannot be misread", fragments)


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
    _, hint = hint_for(TASK, TaskResult("n", "check", **result), fragments)
    assert expected in hint
    assert not reveals_hidden(hint, fragments)


def test_a_failed_submission_gets_a_page_that_says_what_to_do(tasks) -> None:
    page = feedback_html(Outcome("zoe", ASSIGNMENT, Status.REJECTED, reason="not JSON"),
                         tasks, name="Zoe")
    assert "could not be graded: rejected: not JSON" in page
    assert "Restart Kernel and Run All" in page


# --- report and cohort -----------------------------------------------------------------


def test_the_report_api_and_its_offline_html(tmp_path: Path) -> None:
    report = synthetic_gradebook(tmp_path / "course", learners=24, assignments=2, tasks=3)
    scores = report.scores()
    assert len(scores) == 24 * 2 * 4
    assert set(report.by_module_role()["role"]) <= {"marketing", "it", "other"}
    assert report.learning_gain()["change"].gt(0).all()
    missed = report.most_missed(3)
    assert list(missed["missed"]) == sorted(missed["missed"], reverse=True)
    assert missed["wrong_answers"].str.len().gt(0).all()
    queue = report.manual_queue()
    assert set(queue["assignment"]) <= {"01-module", "02-module"}
    page = write_report_html(report, tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count("plotly.js v") <= 1 and "<script src=" not in page
    assert "shared parts" in page and "Self-rating" in page
    assert len(report.to_csv(tmp_path / "r.csv").read_text().splitlines()) == len(scores) + 1
    assert "learner(s)" in repr(report) and "<table" in report._repr_html_()


# --- the report by what each person was asked (hand-made inputs, no gradebook) ----------

PARTS = {("m1", "mk"): ("Marketing part", "auto", "marketing"),
         ("m1", "tech"): ("IT part", "auto", "it"),
         ("m1", "both"): ("Shared part", "auto", "shared"),
         ("m1", "written"): ("Written", "manual", "shared")}


def _hand_report(tmp_path: Path, rows: list[tuple], roster: list[tuple], **more):
    import pandas as pd

    from kit.course.coursedir import Course
    from kit.course.report import CohortReport

    scores = pd.DataFrame(rows, columns=["learner", "assignment", "notebook", "task", "max_score",
                                         "cell_type", "score", "needs_manual_grade"])
    roster_frame = pd.DataFrame(roster, columns=["learner_id", "name", "role"], dtype=object)
    course = Course(root=tmp_path, db_url="sqlite://", course_id="c", source=tmp_path / "s",
                    assignments=("m1",))
    return CohortReport(course, scores=scores, roster=roster_frame, titles=PARTS,
                        records=more.pop("records", {"m1": []}),
                        rejections=more.pop("rejections", {}), ratings=more.pop("ratings", {}))


def _answers(learner: str, mk: float, tech: float, both: float, written: float | None):
    return [(learner, "m1", "m1", "mk", 2.0, "code", mk, False),
            (learner, "m1", "m1", "tech", 3.0, "code", tech, False),
            (learner, "m1", "m1", "both", 2.0, "code", both, False),
            (learner, "m1", "m1", "written", 3.0, "markdown", written, written is None)]


def test_a_marketer_right_on_their_parts_scores_100_percent_of_their_points(tmp_path: Path
                                                                           ) -> None:
    rows = (_answers("ana", 2, 0, 2, None) + _answers("ben", 0, 3, 0, 3.0)
            + _answers("cy", 2, 3, 2, 1.5))
    roster = [("ana", "Ana", "marketing"), ("ben", "Ben", "it"), ("cy", "Cy", "other")]
    table = _hand_report(tmp_path, rows, roster).by_learner().set_index("learner")
    assert table.loc["ana", "their_percent"] == 100.0  # IT part not hers; written waits
    assert table.loc["ana", "waiting"] == 1 and table.loc["ana", "their_max"] == 4.0
    assert table.loc["ben", "their_percent"] == 75.0  # 3 + 0 + 3 of 3 + 2 + 3
    assert table.loc["cy", "their_max"] == 10.0  # role "other": every part


def test_roles_are_compared_on_shared_parts_and_small_groups_are_not(tmp_path: Path) -> None:
    roster = [(f"m{i}", f"M {i}", "marketing") for i in range(3)] + [
        (f"t{i}", f"T {i}", "it") for i in range(2)]
    rows = [row for i in range(3) for row in _answers(f"m{i}", 2, 0, 1 if i else 2, 3.0)] + [
        row for i in range(2) for row in _answers(f"t{i}", 0, 3, 2, 3.0)]
    report = _hand_report(tmp_path, rows, roster)
    table = report.by_module_role().set_index("role")
    # shared points: "both" (2) + "written" (3); marketers 5/5, 4/5, 4/5
    assert table.loc["marketing", "shared_percent"] == round((100 + 80 + 80) / 3, 1)
    assert table.loc["it", "learners"] == 2 and pd_isna(table.loc["it", "shared_percent"])
    assert "small group" in table.loc["it", "note"]
    assert any("IT has 2 learner(s)" in note for note in report.warnings())
    by_task = report.by_task_role()
    assert set(by_task[by_task["task"] == "mk"]["role"]) == {"marketing"}
    assert set(by_task[by_task["task"] == "both"]["role"]) == {"marketing", "it"}


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_every_roster_learner_appears_with_why_there_is_no_score(tmp_path: Path) -> None:
    rows = _answers("ana", 2, 0, 2, 3.0)
    roster = [("ana", "Ana", "marketing"), ("ben", "Ben", "it"), ("cy", "Cy", "marketing"),
              ("dee", "Dee", "it")]
    records = {"m1": [Outcome("ben", "m1", Status.REJECTED, reason="m1.ipynb is not valid JSON")]}
    rejections = {"m1": [{"learner": "cy", "file": "cy.zip:m1.ipynb",
                          "reason": "not a readable notebook (NotJSONError); ask for it again"},
                         {"learner": None, "file": "zed.ipynb", "reason": "no learner"}]}
    report = _hand_report(tmp_path, rows, roster, records=records, rejections=rejections)
    status = dict(zip(report.submissions()["learner"], report.submissions()["status"],
                      strict=True))
    assert status == {"ana": "graded", "ben": "rejected: m1.ipynb is not valid JSON",
                      "cy": "rejected: not a readable notebook (NotJSONError); ask for it again",
                      "dee": "no submission"}
    assert set(report.by_learner()["learner"]) == {"ana", "ben", "cy", "dee"}
    assert len(report.failures()) == 2 and "1 missing" in report.summary()
    csv = report.to_csv(tmp_path / "r.csv").read_text(encoding="utf-8")
    assert "dee" in csv and "no submission" in csv


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1+2", "@SUM(A1)",
                                  "\tTab", "\rCR"])
def test_the_csv_never_carries_a_live_formula(tmp_path: Path, name: str) -> None:
    import csv

    report = _hand_report(tmp_path, _answers("ana", 2, 0, 2, 3.0), [("ana", name, "marketing")])
    path = report.to_csv(tmp_path / "r.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert f"'{name}" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))
                or (cell.startswith("-") and not cell.lstrip("-").replace(".", "").isdigit())]


def test_learning_gain_per_role_from_the_self_ratings(tmp_path: Path) -> None:
    roster = [(f"m{i}", "M", "marketing") for i in range(3)] + [("t0", "T", "it")]
    low, high = dict.fromkeys(["redirect", "seo"], 1), dict.fromkeys(["redirect", "seo"], 3)
    ratings = {learner: {"start": low, "end": high} for learner, _, _ in roster}
    report = _hand_report(tmp_path, _answers("m0", 2, 0, 2, 3.0), roster, ratings=ratings)
    gain = report.learning_gain().set_index("role")
    assert gain.loc["marketing", "change"] == 2.0 and gain.loc["marketing", "learners"] == 3
    assert pd_isna(gain.loc["it", "change"]) and "small group" in gain.loc["it", "note"]
    per = report.learning_gain(per_statement=True)
    assert set(per["statement"]) == {"redirect", "seo"}


def test_self_ratings_are_read_without_running_the_cell() -> None:
    from kit.course.tasks import self_ratings

    cell = nbformat.v4.new_code_cell(
        'rating_this_morning = {"seo": 1, "brief": 7}\nrating_now = {"seo": 3, "brief": 2}\n'
        'raise NotImplementedError()\nimport os; os.system("echo never")')
    cell.metadata["crosstalk"] = {"self_rating": True}
    notebook = nbformat.v4.new_notebook(cells=[cell])
    assert self_ratings(notebook) == {"start": {"seo": 1, "brief": None},
                                      "end": {"seo": 3, "brief": 2}}
    assert self_ratings(nbformat.v4.new_notebook()) == {}


def test_untagged_parts_count_as_shared_and_are_flagged(tmp_path: Path) -> None:
    folder = tmp_path / "source" / "a1"
    folder.mkdir(parents=True)
    tagged = nbformat.v4.new_code_cell("assert True")
    tagged.metadata = {"nbgrader": {"grade": True, "grade_id": "one", "points": 1,
                                    "solution": False, "locked": True, "schema_version": 3},
                       "crosstalk": {"role": "it"}}
    plain = nbformat.v4.new_code_cell("assert True")
    plain.metadata = {"nbgrader": {"grade": True, "grade_id": "two", "points": 1,
                                   "solution": False, "locked": True, "schema_version": 3}}
    nbformat.write(nbformat.v4.new_notebook(cells=[tagged, plain]), folder / "a1.ipynb")
    tasks = load_tasks(tmp_path / "source", "a1")
    assert [(t.grade_id, t.role, t.tagged) for t in tasks.tasks] == [
        ("one", "it", True), ("two", "shared", False)]
    assert tasks.untagged == ["two"]


def test_wrong_answers_change_only_values_and_still_parse(course_root: Path) -> None:
    notebook = nbformat.read(course_root / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    import ast

    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            for option in answer_menu(cell.source, ["/", "/sale/"]):
                ast.parse(option)
                assert "BEGIN SOLUTION" not in option


def _submitted(files: list[Path], name: str) -> dict[str, dict]:
    """``learner → notebook`` of a synthetic cohort's files (folders, loose files, a zip)."""
    import zipfile

    found: dict[str, dict] = {}
    for path in files:
        if path.is_dir():
            found[path.name] = json.loads((path / name).read_text(encoding="utf-8"))
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for entry in archive.namelist():
                    found[entry.split("/")[0]] = json.loads(archive.read(entry))
        else:
            found[path.stem.rsplit("_", 1)[-1]] = json.loads(path.read_text(encoding="utf-8"))
    return found


def test_synthetic_learners_answer_the_forms_by_role(course_root: Path, tmp_path: Path) -> None:
    """Form parts (saved widget state) are answered like answer cells: the star marketer
    saves the model answer of every marketing and shared form and none of the others."""
    from kit.answers import saved_answers
    from kit.course.cohort import form_parts, part_roles, synthetic_cohort

    source = course_root / "solutions"
    solution = nbformat.read(source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    model = {name: answer.value for name, answer in saved_answers(solution).items()}
    roles = part_roles(source, ASSIGNMENT)
    form_role = {name: roles[part] for name, part in form_parts(solution).items()}
    assert set(form_role) == set(model) and {"marketing", "shared"} <= set(form_role.values())
    cohort = synthetic_cohort(source, course_root / "exercises", tmp_path, learners=8, seed=1,
                              assignments=[ASSIGNMENT], broken=0, missing=0,
                              roles=["marketing", "it"] * 4)
    notebooks = _submitted(cohort.files[ASSIGNMENT], f"{ASSIGNMENT}.ipynb")
    assert len(notebooks) == 8
    answers = {name: answer.value for name, answer in saved_answers(
        notebooks[cohort.stars[0]]).items()}
    assert answers == {name: value for name, value in model.items()
                       if form_role[name] in ("marketing", "shared")}
    everyone = [saved_answers(notebook) for notebook in notebooks.values()]
    assert any(a[name].value != model[name] for a in everyone for name in a), "no slips"
