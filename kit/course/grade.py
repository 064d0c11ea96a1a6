"""``crosstalk grade``: autograde every submission of an assignment in parallel.

Each worker process runs nbgrader's own ``Autograde`` for one learner at a time (the same
converter ``nbgrader autograde`` runs, with the course's :class:`SandboxedExecute`), so the
gradebook ends up as a sequential ``nbgrader autograde ASSIGNMENT`` leaves it; learners'
rows are independent, which is what makes the parallel run safe.

Around it:

* a check before nbgrader sees a submission: a file that is not a readable notebook, or a
  folder with none of the assignment's notebooks, is *rejected* with the reason and left
  out of the gradebook (nbgrader would record an empty submission);
* a hard deadline per submission on top of the per-cell limits: a worker that does not
  answer in time is killed (its kernel dies with it) and the learner is reported as failed;
* the batch always completes; the result is a :class:`GradeRun` (table of graded, failed
  with the reason, and waiting for manual grading), also saved as
  ``DIR/grading/<assignment>.json`` for ``crosstalk feedback`` and ``crosstalk report``.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from html import escape
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from kit.course.coursedir import Course, open_course, remove_tree
from kit.course.exercises import course_config, venv_on_path
from kit.course.gradebook import task_scores
from kit.course.ports import PORT_SLOT_VARIABLE
from kit.course.tasks import AssignmentTasks, load_tasks, outcome_of
from kit.errors import InputError

__all__ = ["FLAG_BLANK", "FLAG_REFUSED", "GradeRun", "Outcome", "find_submissions",
           "grade_assignment", "load_flags", "load_run", "refresh_scores"]

GRADED, MANUAL, FAILED = "graded", "needs manual grading", "failed"
STATUSES = (GRADED, MANUAL, FAILED)
FLAG_BLANK = "full marks with blank answers"
FLAG_REFUSED = "tried something the sandbox refused"


@dataclass
class Outcome:
    """What grading did with one learner's submission."""

    learner: str
    assignment: str
    status: str
    """``graded``, ``needs manual grading`` or ``failed``."""
    reason: str = ""
    """Why it failed, or which limit stopped part of it."""
    score: float | None = None
    max_score: float = 0.0
    seconds: float = 0.0
    sandboxed: bool = False
    stopped: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, str]] = field(default_factory=list)
    """For the team lead: ``{"flag", "detail"}``, e.g. full marks with blank answers, or
    something the sandbox refused (see :data:`FLAG_BLANK`, :mod:`kit.course.sandbox`)."""
    not_enforced: list[str] = field(default_factory=list)
    """Sandbox mechanisms this machine could not apply while grading it."""


@dataclass
class GradeRun:
    """The outcome of one ``grade`` run: one :class:`Outcome` per learner."""

    assignment: str
    outcomes: list[Outcome]
    seconds: float = 0.0
    jobs: int = 1

    def frame(self) -> pd.DataFrame:
        """learner, status, score, max_score, reason, seconds: one row per learner."""
        rows = [{"learner": o.learner, "status": o.status, "score": o.score,
                 "max_score": o.max_score, "reason": o.reason, "seconds": round(o.seconds, 1)}
                for o in self.outcomes]
        return pd.DataFrame(rows, columns=["learner", "status", "score", "max_score", "reason",
                                           "seconds"])

    def counts(self) -> dict[str, int]:
        return {status: sum(o.status == status for o in self.outcomes) for status in STATUSES}

    def summary(self) -> str:
        counts = self.counts()
        stopped = sum(bool(o.stopped) for o in self.outcomes if o.status != FAILED)
        text = (f"{self.assignment}: {len(self.outcomes)} submission(s) in {self.seconds:.0f} s "
                f"with {self.jobs} job(s): {counts[GRADED]} graded, {counts[MANUAL]} waiting "
                f"for manual grading, {counts[FAILED]} failed")
        text += (f"; {stopped} stopped by a limit (see reason)" if stopped else "") + "."
        flagged = sum(bool(o.flags) for o in self.outcomes)
        if flagged:
            text += f" {flagged} flagged for a look (see grading/{self.assignment}-flags.json)."
        missing = sorted({item for o in self.outcomes for item in o.not_enforced})
        if missing:
            text += " Not enforced on this machine: " + "; ".join(missing) + "."
        return text

    def table(self) -> str:
        """The plain-text table ``crosstalk grade`` prints."""
        frame = self.frame()
        if frame.empty:
            return "no submissions"
        lines = []
        width = max(len("learner"), *(len(o.learner) for o in self.outcomes))
        lines.append(f"{'learner':<{width}}  {'status':<20}  {'score':>11}  reason")
        for o in sorted(self.outcomes, key=lambda o: (STATUSES.index(o.status), o.learner)):
            score = "-" if o.score is None else f"{o.score:g} / {o.max_score:g}"
            lines.append(f"{o.learner:<{width}}  {o.status:<20}  {score:>11}  {o.reason}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"GradeRun({self.summary()})"

    def _repr_html_(self) -> str:
        return f"<p>{escape(self.summary())}</p>" + self.frame().to_html(index=False)


# --- finding and checking submissions --------------------------------------------------


def find_submissions(course: Course, assignment: str) -> list[str]:
    """Learners with a folder ``submitted/<learner>/<assignment>/``, sorted.

    A learner folder or assignment folder that is a symbolic link is listed too, so that
    :func:`check_submission` rejects it with the reason.
    """
    base = course.folder("submitted")
    if not base.is_dir():
        return []
    return sorted(folder.name for folder in base.iterdir()
                  if ((folder / assignment).is_dir() or (folder / assignment).is_symlink())
                  and not folder.name.startswith("."))


def symlinks_in(folder: Path) -> list[str]:
    """Paths (relative to ``folder``) that are symbolic links, ``folder`` itself included."""
    if folder.is_symlink():
        return ["."]
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(root) / name
            if path.is_symlink():
                found.append(str(path.relative_to(folder)))
    return sorted(found)


def check_submission(folder: Path, notebooks: Sequence[str]) -> str:
    """Why nbgrader cannot grade ``folder`` ('' when it can): links, unreadable or missing
    notebooks."""
    links = symlinks_in(folder) + (["(the learner's folder)"] if folder.parent.is_symlink()
                                   else [])
    if links:
        return ("the submission holds symbolic links, which grading never follows ("
                + ", ".join(links[:5]) + "); ask for the notebook itself")
    found = sorted(folder.glob("*.ipynb"))
    problems = []
    for path in found:
        try:
            text = path.read_text(encoding="utf-8")
            json.loads(text)
            nbformat.reads(text, as_version=4)
        except json.JSONDecodeError as error:
            problems.append(f"{path.name} is not valid JSON (line {error.lineno}, column "
                            f"{error.colno}): the file is damaged or not a notebook; ask for "
                            "it again (in Jupyter: File > Download)")
        except Exception as error:  # UnicodeDecodeError, ValidationError, …
            first = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
            problems.append(f"{path.name} is not a readable notebook ({type(error).__name__}: "
                            f"{first})")
    if problems:
        return "; ".join(problems)
    names = {path.stem for path in found}
    if not names & set(notebooks):
        expected = ", ".join(f"{name}.ipynb" for name in notebooks)
        return (f"none of the assignment's notebooks ({expected}) is in the submission"
                + (f"; found {', '.join(p.name for p in found)}" if found else ""))
    return ""


# --- the worker ------------------------------------------------------------------------


def _log_tail(result: dict[str, Any]) -> str:
    """The last error nbgrader logged, as one line."""
    lines = [line for line in str(result.get("log", "")).splitlines()
             if line.startswith(("[ERROR]", "[CRITICAL]"))]
    trace = [line for line in str(result.get("error", "")).splitlines() if line.strip()]
    useful = [line for line in lines if "There was an error processing" not in line]
    if trace:
        return trace[-1].strip()[:300]
    return (useful or lines or ["nbgrader reported an error"])[-1].split("] ", 1)[-1][:300]


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


# Failures that say nothing about the submission: SQLite busy with another worker's write;
# a kernel that died before it answered its first message (before any learner code ran),
# e.g. because another program took one of its ports in the moment after it was chosen.
_TRANSIENT = ("database is locked", "Kernel died before replying to kernel_info",
              "Address already in use")


def grade_one(api: Any, course: Course, assignment: str, learner: str, force: bool,
              tasks: AssignmentTasks) -> dict[str, Any]:
    """Autograde one learner with nbgrader's API; what the autograded notebooks show."""
    start = time.perf_counter()
    result = api.autograde(assignment, learner, force=force, create=True)
    for _ in range(3):  # a passing hitch, not the learner's doing: try again
        if result.get("success") or not any(mark in str(result) for mark in _TRANSIENT):
            break
        time.sleep(0.5)
        result = api.autograde(assignment, learner, force=True, create=True)
    record: dict[str, Any] = {"learner": learner, "assignment": assignment}
    if not result.get("success"):
        record.update(status=FAILED, reason=f"nbgrader could not grade it: {_log_tail(result)}")
    else:
        folder = course.folder("autograded") / learner / assignment
        outcomes, stopped, sandboxed = [], [], True
        refused: list[dict[str, str]] = []
        missing: set[str] = set()
        for path in sorted(folder.glob("*.ipynb")):
            notebook = nbformat.read(path, as_version=4)
            marks = notebook.metadata.get("crosstalk", {})
            sandboxed = sandboxed and bool(marks.get("sandbox", False))
            stopped += [{**mark, "notebook": path.stem} for mark in marks.get("stopped", [])]
            refused += [{"flag": FLAG_REFUSED, "detail": f"{path.stem}: {mark.get('flag')}"
                         + (f" ({mark['detail']})" if mark.get("detail") else "")}
                        for mark in marks.get("refused", [])]
            missing.update(marks.get("not_enforced", []))
            outcomes += [_checked(o.as_dict(), notebook)
                         for o in outcome_of(notebook, tasks, path.stem)]
        record.update(status="ok", tasks=outcomes, stopped=stopped, sandboxed=sandboxed,
                      flags=refused, not_enforced=sorted(missing))
    record["seconds"] = time.perf_counter() - start
    return record


def _worker(connection: Connection, root: str, log_path: str, port_slot: str) -> None:
    """A grading process: reads ``(assignment, learner, force)``, answers with a record.

    ``port_slot`` ("slot/slots") gives its kernels their own share of the TCP ports
    (:mod:`kit.course.ports`).
    """
    import logging

    os.environ[PORT_SLOT_VARIABLE] = port_slot
    from kit.course.sandbox import protect_process

    protect_process()

    descriptor = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(descriptor, 1)
    os.dup2(descriptor, 2)
    logging.basicConfig(level=logging.WARNING)
    import warnings

    warnings.filterwarnings("ignore")
    from nbgrader.apps import NbGraderAPI

    course = open_course(root)
    tasks_cache: dict[str, AssignmentTasks] = {}
    with venv_on_path():
        api = NbGraderAPI(config=course_config(course.root, course_root=course.root))
        while True:
            message = connection.recv()
            if message is None:
                break
            assignment, learner, force = message
            if assignment not in tasks_cache:
                tasks_cache[assignment] = load_tasks(course.source, assignment)
            try:
                record = grade_one(api, course, assignment, learner, force,
                                   tasks_cache[assignment])
            except Exception as error:  # report it and keep the worker going
                record = {"learner": learner, "assignment": assignment, "status": FAILED,
                          "reason": f"grading crashed: {type(error).__name__}: {error}"[:300],
                          "seconds": 0.0}
            connection.send(record)


class _Pool:
    """``jobs`` worker processes with a deadline per submission; a stuck one is replaced."""

    def __init__(self, course: Course, jobs: int, log_folder: Path) -> None:
        self.course = course
        self.context = multiprocessing.get_context("spawn")
        self.log_folder = log_folder
        self.workers: list[tuple[Any, Connection] | None] = [None] * jobs
        self.started = 0

    def _start(self, slot: int) -> tuple[Any, Connection]:
        parent, child = self.context.Pipe()
        log = self.log_folder / f"worker-{slot}.log"
        process = self.context.Process(
            target=_worker, args=(child, str(self.course.root), str(log),
                                  f"{slot}/{len(self.workers)}"), daemon=True)
        process.start()
        child.close()
        self.workers[slot] = (process, parent)
        return process, parent

    def run(self, items: Sequence[tuple[str, str, bool]], deadline: float
            ) -> Iterator[dict[str, Any]]:
        queue = list(items)
        busy: dict[int, tuple[tuple[str, str, bool], float]] = {}
        while queue or busy:
            for slot in range(len(self.workers)):
                if slot not in busy and queue:
                    worker = self.workers[slot] or self._start(slot)
                    item = queue.pop(0)
                    worker[1].send(item)
                    busy[slot] = (item, time.monotonic())
            for slot, (item, since) in list(busy.items()):
                process, connection = self.workers[slot]  # type: ignore[misc]
                if connection.poll(0.05):
                    try:
                        record = connection.recv()
                    except (EOFError, OSError):
                        record = self._lost(slot, item, "the grading process ended unexpectedly")
                    del busy[slot]
                    yield record
                elif not process.is_alive():
                    del busy[slot]
                    yield self._lost(slot, item, "the grading process ended unexpectedly "
                                     f"(exit code {process.exitcode})")
                elif time.monotonic() - since > deadline:
                    del busy[slot]
                    yield self._lost(slot, item, f"did not finish within {deadline:.0f} s and "
                                     "was stopped (a cell that ignores interrupts?)")

    def _lost(self, slot: int, item: tuple[str, str, bool], reason: str) -> dict[str, Any]:
        process, connection = self.workers[slot]  # type: ignore[misc]
        process.kill()
        process.join(5)
        connection.close()
        self.workers[slot] = None
        assignment, learner, _ = item
        remove_tree(self.course.folder("autograded") / learner / assignment)
        return {"learner": learner, "assignment": assignment, "status": FAILED,
                "reason": reason, "seconds": 0.0}

    def close(self) -> None:
        for worker in self.workers:
            if worker is None:
                continue
            process, connection = worker
            with contextlib.suppress(BrokenPipeError, OSError):
                connection.send(None)
            process.join(10)
            if process.is_alive():
                process.kill()


# --- the run ---------------------------------------------------------------------------


def _code_cells(course: Course, assignment: str) -> int:
    return sum(
        sum(cell.cell_type == "code" for cell in nbformat.read(path, as_version=4).cells)
        for path in (course.source / assignment).glob("*.ipynb")
    )


def _limits(course: Course) -> tuple[float, float]:
    section = course.config().SandboxedExecute
    timeout = float(section.timeout) if "timeout" in section else 30.0
    grace = float(section.kernel_grace) if "kernel_grace" in section else 5.0
    return timeout, grace


def known_assignments(course: Course) -> list[str]:
    """Assignments recorded in the gradebook (``course init`` generates them)."""
    from nbgrader.api import Gradebook

    with venv_on_path(), Gradebook(course.db_url, course_id=course.course_id) as book:
        return sorted(assignment.name for assignment in book.assignments)


def grade_assignment(
    course: Course | Path | str,
    assignment: str,
    *,
    jobs: int = 2,
    force: bool = False,
    learners: Sequence[str] | None = None,
    progress: Callable[[int, int, dict[str, Any]], None] | None = None,
) -> GradeRun:
    """Autograde ``assignment`` for every submitted learner (or ``learners``) with ``jobs``.

    ``force`` regrades submissions that were graded before (as ``nbgrader autograde
    --force``); without it they are kept unless the submission is newer.  ``progress`` is
    called after each learner with ``(done, total, record)``.
    """
    course = course if isinstance(course, Course) else open_course(course)
    known = known_assignments(course)
    if assignment not in known:
        raise InputError(f"assignment {assignment!r} is not in this course's gradebook.",
                         hint=f"Known assignments: {', '.join(known) or 'none'}. New ones in "
                              "solutions/ are added by `crosstalk course init DIR` again.")
    _refuse_exposed(course)
    tasks = load_tasks(course.source, assignment)
    notebooks = sorted({task.notebook for task in tasks.tasks}) or sorted(
        path.stem for path in (course.source / assignment).glob("*.ipynb"))
    everyone = find_submissions(course, assignment)
    chosen = [name for name in everyone if learners is None or name in set(learners)]
    start = time.perf_counter()
    records: list[dict[str, Any]] = []
    todo: list[tuple[str, str, bool]] = []
    for learner in chosen:
        reason = check_submission(course.folder("submitted") / learner / assignment, notebooks)
        if reason:
            remove_tree(course.folder("autograded") / learner / assignment)
            records.append({"learner": learner, "assignment": assignment, "status": FAILED,
                            "reason": f"rejected: {reason}", "seconds": 0.0})
        else:
            todo.append((assignment, learner, force))
    done = len(records)
    total = len(chosen)
    if progress:
        for record in records:
            progress(done, total, record)
    grading = course.folder("grading")
    grading.mkdir(exist_ok=True)
    timeout, grace = _limits(course)
    deadline = 120.0 + _code_cells(course, assignment) * (timeout + grace + 5)
    if todo:
        pool = _Pool(course, max(1, min(jobs, len(todo))), grading)
        try:
            for record in pool.run(todo, deadline):
                records.append(record)
                done += 1
                if progress:
                    progress(done, total, record)
        finally:
            pool.close()
    run = _finish(course, assignment, tasks, records, time.perf_counter() - start, jobs)
    _save(course, run)
    return run


def _refuse_exposed(course: Course) -> None:
    """Stop when a grading kernel could read the course (hidden tests, gradebook, work)."""
    from kit.course.sandbox import exposed, landlock_available

    if not landlock_available():
        return  # nothing restricts reads: `grade` reports the sandbox as not enforced
    paths = [course.source, course.folder("submitted"), course.folder("autograded")]
    if course.db_url.startswith("sqlite:///"):
        paths.append(Path(course.db_url.removeprefix("sqlite:///")))
    found = exposed(paths)
    if found:
        raise InputError(
            "grading refused: a learner's notebook could read " + ", ".join(found) + " (the "
            "folder lies under the system or Python folders grading kernels may read).",
            hint="Keep the course folder elsewhere, e.g. /srv/crosstalk-course or your home "
                 "folder, not under /usr, /etc or the Python installation.")


def _apply_scores(outcome: Outcome, rows: pd.DataFrame | None) -> None:
    """Put the gradebook's current scores (``rows`` of :func:`task_scores`) on ``outcome``."""
    if outcome.status == FAILED:
        return
    if rows is None:
        outcome.status, outcome.reason = FAILED, "no grades for it in the gradebook"
        return
    points = {(row.notebook, row.task): row for row in rows.itertuples()}
    for task in outcome.tasks:
        row = points.get((task["notebook"], task["grade_id"]))
        task["score"] = None if row is None or pd.isna(row.score) else float(row.score)
        task["max_score"] = None if row is None else float(row.max_score)
    outcome.max_score = float(rows["max_score"].sum())
    outcome.score = float(rows["score"].fillna(0).sum())
    outcome.status = MANUAL if rows["needs_manual_grade"].any() else GRADED


def refresh_scores(course: Course, run: GradeRun) -> GradeRun:
    """``run`` with the scores the gradebook holds now (after manual grading, say)."""
    scores = task_scores(course.db_url, course.course_id, run.assignment)
    by_learner = {name: frame for name, frame in scores.groupby("learner")}
    for outcome in run.outcomes:
        _apply_scores(outcome, by_learner.get(outcome.learner))
    return run


def _finish(course: Course, assignment: str, tasks: AssignmentTasks,
            records: list[dict[str, Any]], seconds: float, jobs: int) -> GradeRun:
    outcomes = []
    for record in records:
        outcome = Outcome(learner=record["learner"], assignment=assignment,
                          status=record["status"], reason=record.get("reason", ""),
                          max_score=tasks.max_score, seconds=float(record.get("seconds", 0)),
                          sandboxed=bool(record.get("sandboxed", False)),
                          stopped=list(record.get("stopped", [])),
                          tasks=[dict(task) for task in record.get("tasks", [])],
                          flags=list(record.get("flags", [])),
                          not_enforced=list(record.get("not_enforced", [])))
        if outcome.stopped:
            outcome.reason = "; ".join(
                f"{mark.get('grade_id') or 'cell ' + str(mark['index'] + 1)}: "
                f"{mark['detail']}" for mark in outcome.stopped)
        outcomes.append(outcome)
    outcomes.sort(key=lambda o: o.learner)
    run = refresh_scores(course, GradeRun(assignment, outcomes, seconds, jobs))
    for outcome in run.outcomes:
        _flag_blank(outcome, tasks)
    return run


def _flag_blank(outcome: Outcome, tasks: AssignmentTasks) -> None:
    """Flag full autograded marks on answers the learner never filled in."""
    auto = {(t.notebook, t.grade_id) for t in tasks.tasks if t.kind == "auto"}
    results = [t for t in outcome.tasks if (t.get("notebook"), t.get("grade_id")) in auto]
    if not results or any(t.get("score") is None or t.get("max_score") is None for t in results):
        return
    full = all(t["score"] >= t["max_score"] for t in results)
    blank = [t["grade_id"] for t in results if t.get("blank")]
    if full and blank and not any(f["flag"] == FLAG_BLANK for f in outcome.flags):
        outcome.flags.append({"flag": FLAG_BLANK, "detail": "every check passed although "
                              f"these answers are still blank: {', '.join(blank)}"})


def _save(course: Course, run: GradeRun) -> Path:
    """Write ``grading/<assignment>.json``, keeping learners this run did not touch."""
    path = course.folder("grading") / f"{run.assignment}.json"
    previous = load_run(course, run.assignment)
    kept = [o for o in previous.outcomes if o.learner not in {n.learner for n in run.outcomes}]
    merged = sorted(kept + run.outcomes, key=lambda o: o.learner)
    payload = {"assignment": run.assignment, "outcomes": [asdict(o) for o in merged]}
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    temporary.replace(path)
    flags = course.folder("grading") / f"{run.assignment}-flags.json"
    flagged = {o.learner: o.flags for o in merged if o.flags}
    temporary = flags.with_suffix(".json.tmp")
    temporary.write_text(json.dumps({"assignment": run.assignment, "flags": flagged},
                                    indent=1), encoding="utf-8")
    temporary.replace(flags)
    return path


def load_flags(course: Course | Path | str, assignment: str) -> dict[str, list[dict[str, str]]]:
    """``learner → [{"flag", "detail"}]`` from ``grading/<assignment>-flags.json`` (for reports).

    Flags: :data:`FLAG_BLANK` (every autograded check passed on blank answers) and
    :data:`FLAG_REFUSED` (the notebook tried something the sandbox refused: another kind of
    socket, another process's environment, the terminal, raw system calls, too many
    processes, too much memory, processes left running).
    """
    course = course if isinstance(course, Course) else open_course(course)
    path = course.folder("grading") / f"{assignment}-flags.json"
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get("flags", {}))


def load_run(course: Course | Path | str, assignment: str) -> GradeRun:
    """The saved outcomes of every learner graded so far for ``assignment`` (maybe none)."""
    course = course if isinstance(course, Course) else open_course(course)
    path = course.folder("grading") / f"{assignment}.json"
    if not path.is_file():
        return GradeRun(assignment, [])
    payload = json.loads(path.read_text(encoding="utf-8"))
    return GradeRun(assignment, [Outcome(**item) for item in payload.get("outcomes", [])])
