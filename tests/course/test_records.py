"""The typed grading records, their JSON (today's and version 1), the grading limits defined
once, nbgrader's markers read in one place, and the worker pool's deadline (no nbgrader run)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from traitlets.config import Config

from kit.course.limits import DEFAULT_LIMITS, GradingLimits, limits_of, submission_deadline
from kit.course.markers import HIDDEN, SCHEME, SOLUTION, is_marker, split_regions
from kit.course.pool import Lost, WorkerPool, serve
from kit.course.records import (
    RECORDS_VERSION,
    GradeRun,
    Outcome,
    Status,
    TaskResult,
    read_run,
    run_from_json,
    run_to_json,
    write_run,
)
from kit.errors import InputError

# A grading/<assignment>.json as `crosstalk grade` wrote it before the records had a version:
# statuses as plain strings, rejections and the deadline as "failed", scores copied in.
VERSION_1 = {
    "assignment": "01-redirects",
    "outcomes": [
        {"learner": "alice", "assignment": "01-redirects", "status": "needs manual grading",
         "reason": "", "score": 11.0, "max_score": 14.0, "seconds": 20.5, "sandboxed": True,
         "stopped": [], "flags": [], "not_enforced": [],
         "tasks": [{"notebook": "01-redirects", "grade_id": "map_check", "ran": True,
                    "error": "", "message": "", "hidden_failure": False, "answer": [],
                    "blank": False, "stopped": "", "score": 2.0, "max_score": 2.0}]},
        {"learner": "bob", "assignment": "01-redirects", "status": "failed",
         "reason": "rejected: 01-redirects.ipynb is not valid JSON (line 1, column 2)",
         "score": None, "max_score": 14.0, "seconds": 0.0, "sandboxed": False, "stopped": [],
         "tasks": [], "flags": [], "not_enforced": []},
        {"learner": "carol", "assignment": "01-redirects", "status": "failed",
         "reason": "did not finish within 900 s and was stopped (a cell that ignores "
                   "interrupts?)", "score": None, "max_score": 14.0, "seconds": 0.0,
         "sandboxed": False, "stopped": [], "tasks": [], "flags": [], "not_enforced": []},
        {"learner": "dave", "assignment": "01-redirects", "status": "graded", "reason":
         "chains_and_loops: stopped after the 30 s limit for one cell", "score": 3.0,
         "max_score": 14.0, "seconds": 41.0, "sandboxed": True,
         "stopped": [{"index": 12, "grade_id": "chains_and_loops", "limit": "timeout",
                      "detail": "stopped after the 30 s limit for one cell",
                      "notebook": "01-redirects"}],
         "tasks": [], "flags": [{"flag": "tried something the sandbox refused",
                                 "detail": "01-redirects: socket"}],
         "not_enforced": ["cgroup"], "something_newer": 1},
        {"learner": "erin", "assignment": "01-redirects", "status": "failed",
         "reason": "nbgrader could not grade it: boom", "score": None, "max_score": 14.0},
    ],
}


def test_a_version_1_file_is_read_with_a_status_for_each_kind(tmp_path: Path) -> None:
    path = tmp_path / "01-redirects.json"
    path.write_text(json.dumps(VERSION_1), encoding="utf-8")
    run = read_run(path, "01-redirects")
    status = {o.learner: o.status for o in run.outcomes}
    assert status == {"alice": Status.MANUAL, "bob": Status.REJECTED, "carol": Status.TIMED_OUT,
                      "dave": Status.GRADED, "erin": Status.FAILED}
    bob = run.outcomes[1]
    assert bob.reason == "01-redirects.ipynb is not valid JSON (line 1, column 2)"
    assert bob.explanation.startswith("rejected: 01-redirects.ipynb")
    dave = run.outcomes[3]
    assert dave.stopped[0].label == "chains_and_loops" and dave.stopped[0].limit == "timeout"
    assert dave.flags[0].detail == "01-redirects: socket" and dave.not_enforced == ["cgroup"]
    alice = run.outcomes[0]
    assert isinstance(alice.tasks[0], TaskResult)
    # scores are the gradebook's: a copy in the file is never trusted
    assert alice.score is None and alice.tasks[0].score is None
    assert [o.failed for o in run.outcomes] == [False, True, True, False, True]


def test_records_round_trip_without_scores_and_with_a_version() -> None:
    outcome = Outcome("ann", "m1", "graded", score=3.0, max_score=4.0,
                      recorded="2026-12-07T10:00:00+00:00",
                      tasks=[{"notebook": "m1", "grade_id": "t1", "answer": ["x = 1"],
                              "score": 3.0, "max_score": 4.0}],
                      flags=[{"flag": "f", "detail": "d"}],
                      stopped=[{"index": 0, "limit": "output", "detail": "too much"}])
    run = GradeRun("m1", [outcome, Outcome("ben", "m1", Status.TIMED_OUT, reason="late")])
    payload = run_to_json(run)
    assert payload["version"] == RECORDS_VERSION
    assert "score" not in json.dumps(payload), "scores live in the gradebook only"
    back = run_from_json(json.loads(json.dumps(payload)))
    assert back.outcomes[0].status is Status.GRADED
    assert back.outcomes[0].tasks[0].answer == ("x = 1",)
    assert back.outcomes[0].recorded == outcome.recorded
    assert back.outcomes[1].status is Status.TIMED_OUT
    assert run_to_json(back) == payload


def test_a_newer_or_damaged_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "m1.json"
    path.write_text(json.dumps({"version": RECORDS_VERSION + 1, "outcomes": []}), "utf-8")
    with pytest.raises(InputError, match=r"m1\.json"):
        read_run(path, "m1")
    path.write_text("{not json", "utf-8")
    with pytest.raises(InputError, match=r"m1\.json"):
        read_run(path, "m1")
    assert read_run(tmp_path / "none.json", "m1").outcomes == []
    write_run(path, GradeRun("m1", [Outcome("ann", "m1", Status.FAILED, reason="x")]))
    assert read_run(path, "m1").outcomes[0].reason == "x"


def test_the_grade_table_and_summary_name_each_status() -> None:
    run = GradeRun("m1", [Outcome("ann", "m1", Status.GRADED, score=2.0, max_score=2.0),
                          Outcome("bo", "m1", Status.TIMED_OUT, reason="did not finish"),
                          Outcome("cy", "m1", Status.REJECTED, reason="not a notebook"),
                          Outcome("di", "m1", Status.FAILED, reason="crashed")])
    summary = run.summary()
    assert "1 graded, 0 waiting for manual grading, 3 failed (1 timed out, 1 rejected)" in summary
    table = run.table().splitlines()
    assert [line.split()[0] for line in table[1:]] == ["ann", "di", "bo", "cy"]
    assert "timed out" in table[3] and "rejected" in table[4]
    assert [o.learner for o in run.failed()] == ["bo", "cy", "di"]
    assert list(run.frame()["status"]) == ["graded", "timed out", "rejected", "failed"]


def test_unknown_statuses_are_refused() -> None:
    with pytest.raises(ValueError):
        Outcome("ann", "m1", "ok")


# --- limits -----------------------------------------------------------------------------


def test_the_limits_come_from_one_place() -> None:
    from kit.course.coursedir import _config_text
    from kit.course.sandbox import SandboxedExecute

    execute = SandboxedExecute()
    for name, trait in (("cell_timeout", "timeout"), ("max_output_mb", "max_output_mb"),
                        ("memory_mb", "memory_mb"), ("cpu_seconds", "cpu_seconds"),
                        ("file_mb", "file_mb"), ("kernel_grace", "kernel_grace"),
                        ("max_processes", "max_processes"), ("cpus", "cpus"),
                        ("disk_mb", "disk_mb")):
        assert getattr(execute, trait) == getattr(DEFAULT_LIMITS, name), name
    limits = GradingLimits(cell_timeout=7, max_output_mb=0.5, memory_mb=512, cpu_seconds=9)
    text = _config_text(Path("/x"), None, limits)
    config = Config()
    namespace = {"get_config": lambda: config}
    exec(compile(text, "nbgrader_config.py", "exec"), namespace)
    read = limits_of(config)
    assert (read.cell_timeout, read.max_output_mb, read.memory_mb, read.cpu_seconds) == (
        7, 0.5, 512, 9)
    assert read.kernel_grace == DEFAULT_LIMITS.kernel_grace
    assert limits_of(Config()) == DEFAULT_LIMITS
    assert submission_deadline(read, 10) == 120 + 10 * (7 + 5 + 5)


# --- markers ----------------------------------------------------------------------------


def test_regions_are_split_in_one_way() -> None:
    source = ("x = 1\n### BEGIN SOLUTION\nx = 2\n### END SOLUTION\n"
              "### BEGIN HIDDEN TESTS\nassert x == 2\n### END HIDDEN TESTS\n"
              "# BEGIN MARK SCHEME\nthree points\n# END MARK SCHEME\ntail")
    regions = split_regions(source)
    assert regions.lines(SOLUTION) == ["x = 2"]
    assert regions.lines(HIDDEN) == ["assert x == 2"]
    assert regions.numbers(HIDDEN) == [6]
    assert regions.numbers(HIDDEN, with_markers=True) == [5, 6, 7]
    assert regions.lines(SCHEME) == ["three points"]
    assert regions.visible == ["x = 1", "tail"]
    only_hidden = split_regions(source, (HIDDEN,))
    assert "### BEGIN SOLUTION" in only_hidden.visible and "x = 2" in only_hidden.visible
    assert is_marker("    ### END SOLUTION") and not is_marker("# the end")


def test_a_region_never_closed_runs_to_the_end_and_nothing_nests() -> None:
    regions = split_regions("a\n### BEGIN HIDDEN TESTS\nb\n### BEGIN SOLUTION\nc")
    assert regions.lines(HIDDEN) == ["b", "### BEGIN SOLUTION", "c"]
    assert regions.lines(SOLUTION) == [] and regions.visible == ["a"]


# --- the worker pool --------------------------------------------------------------------


def _echo_worker(connection, slot: int, slots: int, pause: float) -> None:
    def handle(item: int) -> tuple[int, int, int]:
        time.sleep(pause if item < 0 else 0)
        return item, slot, slots

    serve(connection, handle)


def test_the_pool_answers_and_stops_a_worker_past_the_deadline() -> None:
    pool: WorkerPool[int] = WorkerPool(2, _echo_worker, (600.0,))
    try:  # the deadline leaves a loaded machine time to start the workers
        answers = dict(pool.run([1, -1, 2], deadline=40.0))
    finally:
        pool.close()
    assert answers[1][0] == 1 and answers[2][0] == 2 and answers[1][2] == 2
    assert isinstance(answers[-1], Lost) and answers[-1].timed_out
    assert "did not finish within 40 s" in answers[-1].reason


# --- who imports whom -------------------------------------------------------------------


def _imports(module: str) -> set[str]:
    """Every ``kit.…`` module ``module``'s source imports (any block, any depth)."""
    import ast
    import importlib.util

    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("kit.")}


@pytest.mark.parametrize("module", ["kit.course.report", "kit.course.records",
                                    "kit.course.results", "kit.course.feedback",
                                    "kit.course.grade", "kit.course.pool"])
def test_the_course_core_never_imports_its_display_layer(module: str) -> None:
    assert "kit.course.widget" not in _imports(module)


def test_records_and_pool_stand_alone() -> None:
    assert _imports("kit.course.records") <= {"kit.errors"}
    assert _imports("kit.course.pool") == set()
    assert _imports("kit.course.limits") == set() and _imports("kit.course.markers") == set()
