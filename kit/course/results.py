"""The one reader of grading results: the gradebook, the autograded notebooks and the kit's log.

:func:`load_results` gives the :class:`~kit.course.records.GradeRun` of an assignment that
``crosstalk feedback``, ``crosstalk report`` and a notebook all read, whichever way the
assignment was graded (``crosstalk grade``, ``nbgrader autograde``, the formgrader's
*Autograde* button):

1. every learner the **gradebook** has grades for is graded; their scores are the
   gradebook's (the source of truth, see :mod:`kit.course.records`);
2. what each check said comes from ``grading/<assignment>.json`` when ``crosstalk grade``
   wrote it after the last autograde, else it is read from the **autograded notebooks**
   (:func:`observe`), which every way of grading writes;
3. learners the kit refused or could not grade keep that record from the JSON, unless
   they were autograded since (their autograded notebooks are newer than the record).

:func:`save_records` writes the JSON (``grading/<assignment>.json``, no scores) and
``grading/<assignment>-flags.json``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from kit.course.coursedir import Course, open_course
from kit.course.gradebook import task_scores
from kit.course.records import (
    FLAG_BLANK,
    FLAG_REFUSED,
    Flag,
    GradeRun,
    Outcome,
    Status,
    Stop,
    TaskResult,
    now,
    read_run,
    write_run,
)
from kit.course.tasks import AssignmentTasks, load_tasks, outcome_of

__all__ = ["apply_scores", "flag_blank", "load_flags", "load_results", "load_run", "observe",
           "records_path", "save_records", "with_scores"]

_SLACK = dt.timedelta(seconds=1)
"""A notebook written this much after a record is newer than it (clock and file-time
granularity)."""


def records_path(course: Course, assignment: str) -> Path:
    """``DIR/grading/<assignment>.json``."""
    return course.folder("grading") / f"{assignment}.json"


def _course(course: Course | Path | str) -> Course:
    return course if isinstance(course, Course) else open_course(course)


# --- reading an autograded notebook ---------------------------------------------------


def _checked(result: dict[str, Any], notebook: Any) -> dict[str, Any]:
    """A task's result with what the judge recorded (not what the kernel printed).

    The test cells ran outside the learner's kernel (:mod:`kit.course.sandbox`), which
    wrote ``metadata.crosstalk.check`` on each: the error, whether its line is in the hidden
    part, and the visible test's own message text.  Only that text is kept as the message.
    """
    for cell in notebook.cells:
        meta = cell.get("metadata", {})
        if meta.get("nbgrader", {}).get("grade_id") != result.get("grade_id"):
            continue
        check = meta.get("crosstalk", {}).get("check")
        if isinstance(check, dict):
            if check.get("passed"):
                return result
            result.update(hidden_failure=bool(check.get("hidden", True)),
                          message=str(check.get("text", "") or ""),
                          error=str(check.get("error", result.get("error", ""))))
        elif result.get("error") and not result.get("stopped"):
            result.update(message="", hidden_failure=True)  # not run by the judge: no text
        return result
    return result


def observe(folder: Path, tasks: AssignmentTasks, learner: str) -> Outcome:
    """What the autograded notebooks in ``folder`` show for ``learner`` (no scores yet).

    Per task the check's result (:func:`kit.course.tasks.outcome_of`, with what the judge
    recorded), the limits that stopped cells, what the sandbox refused or could not
    enforce.  Status :attr:`~Status.GRADED` until the gradebook's scores are put on.
    """
    results: list[TaskResult] = []
    stopped: list[Stop] = []
    flags: list[Flag] = []
    missing: set[str] = set()
    paths = sorted(folder.glob("*.ipynb"))
    sandboxed = bool(paths)
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        marks = notebook.metadata.get("crosstalk", {})
        sandboxed = sandboxed and bool(marks.get("sandbox", False))
        stopped += [Stop(**{**_stop_fields(mark), "notebook": path.stem})
                    for mark in marks.get("stopped", []) if isinstance(mark, dict)]
        flags += [Flag(FLAG_REFUSED, f"{path.stem}: {mark.get('flag')}"
                       + (f" ({mark['detail']})" if mark.get("detail") else ""))
                  for mark in marks.get("refused", []) if isinstance(mark, dict)]
        missing.update(marks.get("not_enforced", []))
        results += [TaskResult.from_dict(_checked(o.as_dict(scores=False), notebook))
                    for o in outcome_of(notebook, tasks, path.stem)]
    outcome = Outcome(learner=learner, assignment=tasks.assignment, status=Status.GRADED,
                      sandboxed=sandboxed, stopped=stopped, tasks=results, flags=flags,
                      not_enforced=sorted(missing), max_score=tasks.max_score, recorded=now())
    if stopped:
        outcome.reason = "; ".join(f"{mark.label}: {mark.detail}" for mark in stopped)
    return outcome


def _stop_fields(mark: dict[str, Any]) -> dict[str, Any]:
    return {"index": int(mark.get("index", 0)), "limit": str(mark.get("limit", "")),
            "detail": str(mark.get("detail", "")), "grade_id": mark.get("grade_id")}


# --- scores from the gradebook ----------------------------------------------------------


def apply_scores(outcome: Outcome, rows: pd.DataFrame | None) -> None:
    """Put the gradebook's current scores (``rows`` of :func:`task_scores`) on ``outcome``;
    status :attr:`~Status.MANUAL` while a person has to grade a part."""
    if outcome.failed:
        return
    if rows is None:
        outcome.status, outcome.reason = Status.FAILED, "no grades for it in the gradebook"
        return
    points = {(row.notebook, row.task): row for row in rows.itertuples()}
    for task in outcome.tasks:
        row = points.get((task.notebook, task.grade_id))
        task.score = None if row is None or pd.isna(row.score) else float(row.score)
        task.max_score = None if row is None else float(row.max_score)
    outcome.max_score = float(rows["max_score"].sum())
    outcome.score = float(rows["score"].fillna(0).sum())
    outcome.status = Status.MANUAL if rows["needs_manual_grade"].any() else Status.GRADED


def flag_blank(outcome: Outcome, tasks: AssignmentTasks) -> None:
    """Flag full autograded marks on answers the learner never filled in."""
    auto = {(t.notebook, t.grade_id) for t in tasks.tasks if t.kind == "auto"}
    results = [t for t in outcome.tasks if (t.notebook, t.grade_id) in auto]
    if not results or any(t.score is None or t.max_score is None for t in results):
        return
    full = all(t.score >= t.max_score for t in results)  # type: ignore[operator]
    blank = [t.grade_id for t in results if t.blank]
    if full and blank and not any(f.flag == FLAG_BLANK for f in outcome.flags):
        outcome.flags.append(Flag(FLAG_BLANK, "every check passed although these answers "
                                              f"are still blank: {', '.join(blank)}"))


def _scores_by_learner(course: Course, assignment: str) -> dict[str, pd.DataFrame]:
    scores = task_scores(course.db_url, course.course_id, assignment)
    return {str(name): frame for name, frame in scores.groupby("learner")}


def with_scores(course: Course, run: GradeRun) -> GradeRun:
    """``run`` with the scores the gradebook holds now (after manual grading, say)."""
    by_learner = _scores_by_learner(course, run.assignment)
    for outcome in run.outcomes:
        apply_scores(outcome, by_learner.get(outcome.learner))
    return run


# --- the records ------------------------------------------------------------------------


def load_run(course: Course | Path | str, assignment: str) -> GradeRun:
    """The kit's own records of ``assignment`` (``grading/<assignment>.json``) as saved:
    no scores, no learner graded another way.  Most readers want :func:`load_results`."""
    course = _course(course)
    return read_run(records_path(course, assignment), assignment)


def _newest_notebook(folder: Path) -> dt.datetime | None:
    times = [path.stat().st_mtime for path in folder.glob("*.ipynb")]
    return dt.datetime.fromtimestamp(max(times), dt.UTC) if times else None


def _superseded(record: Outcome, folder: Path) -> bool:
    """True when ``folder``'s autograded notebooks were written after ``record`` (graded
    again another way); a record without a time (version 1) is never superseded."""
    if not record.recorded:
        return False
    newest = _newest_notebook(folder)
    if newest is None:
        return False
    try:
        made = dt.datetime.fromisoformat(record.recorded)
    except ValueError:
        return False
    return newest > made + _SLACK


def load_results(course: Course | Path | str, assignment: str, *,
                 tasks: AssignmentTasks | None = None) -> GradeRun:
    """Every learner graded, refused or not gradable for ``assignment``, with the
    gradebook's scores (see the module doc for where each part comes from)."""
    course = _course(course)
    saved = load_run(course, assignment)
    by_learner = _scores_by_learner(course, assignment)
    records = {outcome.learner: outcome for outcome in saved.outcomes}
    autograded = course.folder("autograded")
    tasks_of: list[AssignmentTasks] = [tasks] if tasks is not None else []

    def assignment_tasks() -> AssignmentTasks:
        if not tasks_of:
            tasks_of.append(load_tasks(course.source, assignment))
        return tasks_of[0]

    observed: set[str] = set()
    for learner in sorted(set(by_learner) | set(records)):
        folder = autograded / learner / assignment
        record = records.get(learner)
        if record is not None and not _superseded(record, folder):
            continue
        if learner not in by_learner:
            continue  # autograded notebooks without grades: nbgrader did not finish
        outcome = observe(folder, assignment_tasks(), learner)
        if record is not None:
            outcome.seconds = record.seconds
        records[learner] = outcome
        observed.add(learner)
    run = GradeRun(assignment, sorted(records.values(), key=lambda o: o.learner))
    for outcome in run.outcomes:
        apply_scores(outcome, by_learner.get(outcome.learner))
        if outcome.learner in observed:
            flag_blank(outcome, assignment_tasks())
    return run


def save_records(course: Course, run: GradeRun) -> Path:
    """Write ``grading/<assignment>.json`` (no scores) and ``<assignment>-flags.json``,
    keeping the records of learners ``run`` did not touch."""
    path = records_path(course, run.assignment)
    path.parent.mkdir(exist_ok=True)
    previous = load_run(course, run.assignment)
    touched = {outcome.learner for outcome in run.outcomes}
    kept = [o for o in previous.outcomes if o.learner not in touched]
    merged = GradeRun(run.assignment, sorted(kept + run.outcomes, key=lambda o: o.learner))
    write_run(path, merged)
    flags = course.folder("grading") / f"{run.assignment}-flags.json"
    flagged = {o.learner: [flag.as_dict() for flag in o.flags] for o in merged.outcomes
               if o.flags}
    temporary = flags.with_suffix(".json.tmp")
    temporary.write_text(json.dumps({"assignment": run.assignment, "flags": flagged},
                                    indent=1), encoding="utf-8")
    temporary.replace(flags)
    return path


def load_flags(course: Course | Path | str, assignment: str) -> dict[str, list[dict[str, str]]]:
    """``learner → [{"flag", "detail"}]`` from ``grading/<assignment>-flags.json`` (for reports).

    Flags: :data:`~kit.course.records.FLAG_BLANK` (every autograded check passed on blank
    answers) and :data:`~kit.course.records.FLAG_REFUSED` (the notebook tried something the
    sandbox refused: another kind of socket, another process's environment, the terminal,
    raw system calls, too many processes, too much memory, processes left running).
    """
    course = _course(course)
    path = course.folder("grading") / f"{assignment}-flags.json"
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get("flags", {}))
