"""A cohort on a real JupyterHub (``deploy/jupyterhub/jupyterhub_config.py``) on loopback.

PostgreSQL holds the gradebook; the hub runs with its throwaway login, the simple spawner
and configurable-http-proxy.  Three learners and one grader: the grader releases
01-redirects through the formgrader service; each learner fetches it, answers it (all
right, half right, blank: the form parts as JupyterLab saves them, in the notebook's saved
widget state, the code and written parts in their answer cells) and submits it through
their own server's HTTP endpoints; the grader collects through formgrader, then runs
``crosstalk grade``, ``crosstalk feedback``, releases the feedback and runs ``crosstalk
report``; each learner fetches feedback and gets only their own.  Every server is stopped
at the end, also on failure (``tests/_servers.py``).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from _servers import REPO, Hub, jupyterhub, postgres_server

from kit.answers import saved_answers, with_saved_answers

pytestmark = [pytest.mark.system, pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

ASSIGNMENT = "01-redirects"
COURSE = "crosstalk"
GRADER = "lead"
ANSWERS = {  # learner -> forms (saved answers) and answer cells filled in from the solution
    "ann": {"redirect_map", "true_statements", "retired", "reasons", "chains_answer",
            "request_rewritten"},  # all right: the 11 autograded points (Part C waits)
    "ian": {"redirect_map", "true_statements"},  # the two shared forms: 3 + 2 points
    "mo": set(),  # blank
}
EXPECTED = {"ann": 11.0, "ian": 5.0, "mo": 0.0}
ROLES = {"ann": "marketing", "ian": "it", "mo": "marketing"}
BIN = Path(sys.executable).parent
SOLUTION = REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


@pytest.fixture(scope="module")
def hub(require_system) -> Iterator[Hub]:
    with postgres_server(require_system) as url, jupyterhub(
            require_system, gradebook_url=url, graders=[GRADER], startup_timeout=120) as hub:
        yield hub


def _answered(fetched: dict, chosen: set[str]) -> dict:
    """The fetched notebook with the ``chosen`` answers taken from the solution: forms as
    saved widget state (what JupyterLab writes on save), answer cells as typed text."""
    solution = nbformat.read(SOLUTION, as_version=4)
    answers = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in solution.cells
               if cell.metadata.get("nbgrader", {}).get("solution")}
    model = saved_answers(solution)
    assert not saved_answers(fetched), "the released notebook carries no answers"
    assert chosen <= set(answers) | set(model), chosen - set(answers) - set(model)
    notebook = nbformat.from_dict(fetched)
    with_saved_answers(notebook, {name: (model[name].kind, model[name].value)
                                  for name in chosen & set(model)})
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in chosen & set(answers):  # a form's name can be its check's grade id
            cell.source = "\n".join(line for line in answers[grade_id].splitlines()
                                    if "### BEGIN SOLUTION" not in line
                                    and "### END SOLUTION" not in line)
    return notebook


def _crosstalk(*args: str) -> str:
    done = subprocess.run([str(BIN / "crosstalk"), *args], capture_output=True, text=True,
                          timeout=300, env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": "/tmp"})
    assert done.returncode == 0, f"crosstalk {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _contents(hub: Hub, user: str, path: str, method: str = "GET", body=None):
    from _servers import _request

    status, answer = _request(method, f"{hub.url}/user/{user}/api/contents/{path}",
                              hub.user_token(user), body)
    assert status in (200, 201), f"{user}: {method} {path}: {status} {answer}"
    return answer


def test_a_cohort_takes_and_gets_graded_on_jupyterhub(hub: Hub, tmp_path: Path) -> None:
    learners = sorted(ANSWERS)
    hub.add_users(learners, f"nbgrader-{COURSE}")
    hub.add_users([GRADER], f"formgrade-{COURSE}")
    roster = tmp_path / "roster.csv"
    roster.write_text("learner_id,name,role\n" + "".join(
        f"{name},{name.title()} Learner,{ROLES[name]}\n" for name in learners), "utf-8")
    _crosstalk("course", "roster", str(roster), "--dir", str(hub.course_dir))

    # the grader releases the assignment through the formgrader service
    status, answer = hub.formgrader("POST", f"assignment/{ASSIGNMENT}/release", GRADER)
    assert status == 200 and answer.get("success"), answer
    # a learner cannot open the formgrader
    status, _ = hub.formgrader("GET", "assignments", "ann")
    assert status == 403

    hub.start_servers(learners)
    for learner in learners:
        home = hub.state / "home" / learner
        assert (home / "workshops" / f"{ASSIGNMENT}.ipynb").is_file()  # copied at first login
        listed = hub.user_action(learner, "fetch", ASSIGNMENT)
        assert listed["success"], listed
        fetched = _contents(hub, learner, f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
        notebook = _answered(fetched["content"], ANSWERS[learner])
        _contents(hub, learner, f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb", "PUT",
                  {"type": "notebook", "format": "json", "content": notebook})
        submitted = hub.user_action(learner, "submit", ASSIGNMENT)
        assert submitted["success"], submitted
    inbound = hub.state / "exchange" / COURSE / "inbound"
    assert sorted(path.name.split("+")[0] for path in inbound.iterdir()) == learners

    # the grader collects through formgrader, then grades with the kit
    status, answer = hub.formgrader("POST", f"assignment/{ASSIGNMENT}/collect", GRADER)
    assert status == 200 and answer.get("success"), answer
    for learner in learners:
        assert (hub.course_dir / "submitted" / learner / ASSIGNMENT / "timestamp.txt").is_file()
    graded = _crosstalk("grade", str(hub.course_dir), ASSIGNMENT, "--jobs", "2")
    assert re.search(r"3 submission\(s\).*, 0 failed", graded), graded
    _crosstalk("feedback", str(hub.course_dir), ASSIGNMENT)
    status, answer = hub.formgrader("POST", f"assignment/{ASSIGNMENT}/release_feedback", GRADER)
    assert status == 200 and answer.get("success"), answer
    _crosstalk("report", str(hub.course_dir))
    with open(hub.course_dir / "report.csv", encoding="utf-8-sig") as handle:  # Excel BOM
        rows = list(csv.DictReader(handle))
    scores = _scores(rows)
    assert scores == EXPECTED, rows[:5]
    assert {row["learner"]: row["role"] for row in rows} == ROLES

    # each learner fetches feedback and gets only their own page
    for learner in learners:
        listed = hub.user_action(learner, "fetch_feedback", ASSIGNMENT)
        assert listed["success"], listed
        pages = list((hub.state / "home" / learner / ASSIGNMENT / "feedback").rglob("*.html"))
        assert len(pages) == 1, pages
        text = pages[0].read_text("utf-8")
        assert f"feedback for {learner.title()} Learner" in text
        others = [other for other in learners if other != learner]
        assert not any(f"{other.title()} Learner" in text for other in others)
        assert f"<b>{EXPECTED[learner]:g} of" in text
        # nobody acts on another learner's server
        status, _ = _post_as(hub, learner, others[0])
        assert status == 403


def _post_as(hub: Hub, who: str, whose: str):
    from _servers import _request

    return _request("POST", f"{hub.url}/user/{whose}/assignments/fetch_feedback",
                    hub.user_token(who), form={"course_id": COURSE, "assignment_id": ASSIGNMENT})


def _scores(rows: list[dict]) -> dict[str, float]:
    """``learner → points`` of 01-redirects from ``report.csv`` (one row per learner and task;
    an empty score is a task waiting for a person)."""
    totals: dict[str, float] = {}
    for row in rows:
        if row["assignment"] == ASSIGNMENT:
            totals[row["learner"]] = totals.get(row["learner"], 0.0) + float(row["score"] or 0)
    return totals
