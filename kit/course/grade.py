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
  answer in time is killed (its kernel dies with it) and the learner is reported as timed
  out (``crosstalk grade`` then exits 1 and names every learner not graded);
* the batch always completes; the result is a :class:`~kit.course.records.GradeRun`
  (graded, waiting for manual grading, failed, timed out or rejected, with the reason),
  whose records (no scores: the gradebook holds them) are saved as
  ``DIR/grading/<assignment>.json`` (:mod:`kit.course.results`).

The worker processes and their deadline are :mod:`kit.course.pool`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import nbformat

from kit.course.coursedir import Course, open_course, remove_tree
from kit.course.exercises import course_config, venv_on_path
from kit.course.limits import limits_of, submission_deadline
from kit.course.pool import Lost, WorkerPool, serve
from kit.course.ports import PORT_SLOT_VARIABLE
from kit.course.records import (
    FLAG_BLANK,
    FLAG_REFUSED,
    GradeRun,
    Outcome,
    Status,
    now,
)
from kit.course.results import (
    flag_blank,
    load_flags,
    load_results,
    load_run,
    observe,
    save_records,
    with_scores,
)
from kit.course.tasks import AssignmentTasks, load_tasks
from kit.errors import InputError

__all__ = ["FAILED", "FLAG_BLANK", "FLAG_REFUSED", "GRADED", "MANUAL", "GradeRun", "Outcome",
           "Status", "find_submissions", "grade_assignment", "load_flags", "load_results",
           "load_run", "refresh_scores"]

GRADED, MANUAL, FAILED = Status.GRADED, Status.MANUAL, Status.FAILED
"""Short names of the commonest statuses (:class:`~kit.course.records.Status`)."""


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


# Failures that say nothing about the submission: SQLite busy with another worker's write;
# a kernel that died before it answered its first message (before any learner code ran),
# e.g. because another program took one of its ports in the moment after it was chosen.
_TRANSIENT = ("database is locked", "Kernel died before replying to kernel_info",
              "Address already in use")


def grade_one(api: Any, course: Course, assignment: str, learner: str, force: bool,
              tasks: AssignmentTasks) -> Outcome:
    """Autograde one learner with nbgrader's API; what the autograded notebooks show."""
    start = time.perf_counter()
    result = api.autograde(assignment, learner, force=force, create=True)
    for _ in range(3):  # a passing hitch, not the learner's doing: try again
        if result.get("success") or not any(mark in str(result) for mark in _TRANSIENT):
            break
        time.sleep(0.5)
        result = api.autograde(assignment, learner, force=True, create=True)
    folder = course.folder("autograded") / learner / assignment
    if not result.get("success"):
        remove_tree(folder)  # a failure record never sits beside autograded notebooks
        outcome = Outcome(learner, assignment, Status.FAILED, recorded=now(),
                          reason=f"nbgrader could not grade it: {_log_tail(result)}")
    else:
        outcome = observe(folder, tasks, learner)
    outcome.seconds = time.perf_counter() - start
    return outcome


def _worker(connection: Connection, slot: int, slots: int, root: str, log_folder: str) -> None:
    """A grading process: answers each ``(assignment, learner, force)`` with an Outcome.

    Its kernels get their own share of the TCP ports (:mod:`kit.course.ports`); its output
    goes to ``grading/worker-<slot>.log``.
    """
    import logging

    os.environ[PORT_SLOT_VARIABLE] = f"{slot}/{slots}"
    from kit.course.sandbox import protect_process

    protect_process()

    log_path = os.path.join(log_folder, f"worker-{slot}.log")
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

        def handle(message: tuple[str, str, bool]) -> Outcome:
            assignment, learner, force = message
            try:
                if assignment not in tasks_cache:
                    tasks_cache[assignment] = load_tasks(course.source, assignment)
                return grade_one(api, course, assignment, learner, force,
                                 tasks_cache[assignment])
            except Exception as error:  # report it and keep the worker going
                return Outcome(learner, assignment, Status.FAILED, recorded=now(),
                               reason=f"grading crashed: {type(error).__name__}: "
                                      f"{error}"[:300])

        serve(connection, handle)


# --- the run ---------------------------------------------------------------------------


def _code_cells(course: Course, assignment: str) -> int:
    return sum(
        sum(cell.cell_type == "code" for cell in nbformat.read(path, as_version=4).cells)
        for path in (course.source / assignment).glob("*.ipynb")
    )


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
    progress: Callable[[int, int, Outcome], None] | None = None,
) -> GradeRun:
    """Autograde ``assignment`` for every submitted learner (or ``learners``) with ``jobs``.

    ``force`` regrades submissions that were graded before (as ``nbgrader autograde
    --force``); without it they are kept unless the submission is newer.  ``progress`` is
    called after each learner with ``(done, total, outcome)`` (the outcome before the
    gradebook's scores are put on).
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
    outcomes: list[Outcome] = []
    todo: list[tuple[str, str, bool]] = []
    for learner in chosen:
        reason = check_submission(course.folder("submitted") / learner / assignment, notebooks)
        if reason:
            remove_tree(course.folder("autograded") / learner / assignment)
            outcomes.append(Outcome(learner, assignment, Status.REJECTED, reason=reason,
                                    recorded=now()))
        else:
            todo.append((assignment, learner, force))
    done = len(outcomes)
    total = len(chosen)
    if progress:
        for outcome in outcomes:
            progress(done, total, outcome)
    grading = course.folder("grading")
    grading.mkdir(exist_ok=True)
    deadline = submission_deadline(limits_of(course.config()), _code_cells(course, assignment))
    if todo:
        pool: WorkerPool[tuple[str, str, bool]] = WorkerPool(
            min(jobs, len(todo)), _worker, (str(course.root), str(grading)))
        try:
            for (_, learner, _), answer in pool.run(todo, deadline):
                outcome = _lost(course, assignment, learner, answer) if isinstance(
                    answer, Lost) else answer
                outcomes.append(outcome)
                done += 1
                if progress:
                    progress(done, total, outcome)
        finally:
            pool.close()
    run = _finish(course, tasks, outcomes, time.perf_counter() - start, jobs)
    save_records(course, run)
    return run


def _lost(course: Course, assignment: str, learner: str, lost: Lost) -> Outcome:
    """The outcome of a submission whose worker was stopped or ended (nothing of it kept)."""
    remove_tree(course.folder("autograded") / learner / assignment)
    return Outcome(learner, assignment, Status.TIMED_OUT if lost.timed_out else Status.FAILED,
                   reason=lost.reason, recorded=now())


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


def refresh_scores(course: Course, run: GradeRun) -> GradeRun:
    """``run`` with the scores the gradebook holds now (after manual grading, say)."""
    return with_scores(course, run)


def _finish(course: Course, tasks: AssignmentTasks, outcomes: list[Outcome], seconds: float,
            jobs: int) -> GradeRun:
    for outcome in outcomes:
        outcome.max_score = tasks.max_score
    outcomes.sort(key=lambda o: o.learner)
    run = with_scores(course, GradeRun(tasks.assignment, outcomes, seconds, jobs))
    for outcome in run.outcomes:
        flag_blank(outcome, tasks)
    return run
