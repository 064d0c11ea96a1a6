"""``crosstalk feedback``: one HTML page per learner that never shows the hidden tests.

nbgrader's own feedback renders the autograded notebook, whose restored test cells include
the hidden tests (nbgrader issue 917).  These pages are built from the grading records
instead (:func:`kit.course.results.load_results`: the gradebook's scores and what the
autograded notebooks show, whether ``crosstalk grade``, ``nbgrader autograde`` or the
formgrader's *Autograde* button graded them): per task the learner's score and, where
points were lost, a plain-language hint.

Nothing the learner's kernel printed reaches a page.  The test cells run outside the
kernel (:mod:`kit.course.sandbox`), which records for a failed check the error, whether
its line lies in the hidden part, and, for a failed ``assert`` of the visible part, the
assert's own message as the instructor wrote it (values it would insert shown as "…").
That text, or a hint chosen by the error's kind, is all a page says; every page is also
checked for hidden fragments before it is written (:func:`kit.course.tasks.reveals_hidden`).
"""

from __future__ import annotations

import builtins
import shutil
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

from kit.course.coursedir import Course, open_course
from kit.course.records import Outcome, TaskResult
from kit.course.results import load_results
from kit.course.tasks import AssignmentTasks, Task, load_tasks, reveals_hidden

__all__ = ["FeedbackFiles", "feedback_html", "hint_for", "write_feedback"]

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:52rem;margin:2rem auto;
padding:0 1rem;color:#1f2933;line-height:1.5}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #d9e2ec;padding:.5rem;text-align:left;vertical-align:top}
.ok{color:#116149}.lost{color:#9b1c1c}.wait{color:#7c5e10}.score{white-space:nowrap}
.total{font-size:1.1rem}blockquote{margin:.3rem 0;padding-left:.7rem;border-left:3px solid #bcccdc}
"""


_KNOWN_ERRORS = {name for name, value in vars(builtins).items()
                 if isinstance(value, type) and issubclass(value, BaseException)}
"""Error names a page may show: Python's own (a learner can name a class anything)."""


def _points(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def hint_for(task: Task, result: TaskResult | None, fragments: set[str]) -> tuple[str, str]:
    """``(css class, plain-language hint)`` for one task of one learner; never hidden text."""
    if result is None:
        return "wait", "Not graded: this task was not found in your notebook."
    score, top = result.score, result.max_score or task.points
    if task.kind == "manual":
        if score is None:
            return "wait", "A person will read and grade this answer."
        return ("ok" if score >= top else "lost",
                f"Graded by a person: {score:g} of {top:g} points.")
    if score is not None and score >= top:
        return "ok", "Done: every check passes."
    error = result.error
    if result.stopped or error in ("CellTimeoutError", "OutputLimitExceeded",
                                   "KernelDied", "MemoryError"):
        kind = result.stopped or error
        texts = {
            "timeout": "The check was stopped because it ran too long. Does your answer loop "
                       "forever or wait for something? Run it in Jupyter: it should finish in "
                       "a few seconds.",
            "output": "Your notebook printed far too much, so the check was stopped. Remove "
                      "large print() calls or loops that print.",
            "memory": "Your answer used more memory than grading allows. Work on smaller "
                      "data, or avoid building huge lists.",
            "kernel": "Python stopped (out of memory, or a crash) before this check could "
                      "finish. Restart the kernel, run all cells and make sure they finish.",
        }
        key = {"CellTimeoutError": "timeout", "OutputLimitExceeded": "output",
               "KernelDied": "kernel", "MemoryError": "memory"}.get(kind, kind)
        return "lost", texts.get(key, texts["kernel"])
    if result.blank:
        return "lost", ("Not answered yet: your answer cell still has "
                        "<code>raise NotImplementedError()</code>. Replace those lines with "
                        "your answer, then run the check cell below it.")
    if error == "Missing":
        return "lost", "The check for this task was missing from your notebook."
    hidden = (f"Your answer passes the checks you can see, but not the extra checks used "
              f"for grading. Re-read “{escape(task.title)}” and compare your answer with "
              "exactly what the task asks for.")
    message = result.message.strip()
    if result.hidden_failure or (message and reveals_hidden(message, fragments)):
        return "lost", hidden
    if error == "AssertionError":
        if message:
            return "lost", (f"The check says:<blockquote>{escape(message)}</blockquote>"
                            "Fix your answer and run the check cell again.")
        return "lost", ("A check failed. Run the check cell in Jupyter to see which line, "
                        "and compare with the task.")
    if error == "NameError":
        return "lost", ("The check could not find something it needs. Run your answer cell "
                        "first, and keep the names the task uses.")
    if error == "NotPlainData":
        return "lost", ("The check could not read your answer: answers must be plain data "
                        "(text, numbers, True/False, None, lists, tuples, sets, dicts or "
                        "tables), like the example in the task. Keep that shape and run the "
                        "check cell again.")
    if error == "AnswerError":
        return "lost", ("Your function stopped with an error when the check called it. Run "
                        "the check cell in Jupyter to see where, then fix your function.")
    if error == "NotImplementedError":
        return "lost", ("Not answered yet: part of your answer still raises "
                        "NotImplementedError. Finish it and run the check cell.")
    shown = f": {escape(message)}" if message else ""
    name = error if error in _KNOWN_ERRORS else "an error"
    return "lost", (f"Your answer stopped with {escape(name)}{shown}. Run the "
                    "check cell in Jupyter to see where, then fix your answer.")


def feedback_html(outcome: Outcome, tasks: AssignmentTasks, *, name: str = "",
                  fragments: set[str] | None = None) -> str:
    """The feedback page of one learner for one assignment (a complete HTML document)."""
    fragments = tasks.hidden() if fragments is None else fragments
    who = escape(name or outcome.learner)
    head = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(tasks.assignment)}: feedback for {who}</title>"
            f"<style>{_STYLE}</style></head><body>"
            f"<h1>{escape(tasks.assignment)}: feedback for {who}</h1>")
    if outcome.failed:
        reason = outcome.explanation
        if reveals_hidden(reason, fragments):
            reason = "the notebook could not be run"
        body = (f"<p class='lost'>Your submission could not be graded: {escape(reason)}.</p>"
                "<p>Open your notebook in Jupyter, choose <b>Kernel → Restart Kernel and Run "
                "All Cells</b>, check that it finishes, save it and hand it in again.</p>")
        return head + body + "</body></html>"
    rows = []
    for task in tasks.tasks:
        result = outcome.task(task.notebook, task.grade_id)
        css, hint = hint_for(task, result, fragments)
        score = None if result is None else result.score
        rows.append(f"<tr><td>{escape(task.title)}</td><td class='score {css}'>"
                    f"{_points(score)} / {task.points:g}</td><td>{hint}</td></tr>")
    pending = any(t.kind == "manual" and getattr(outcome.task(t.notebook, t.grade_id), "score",
                                                 None) is None for t in tasks.tasks)
    total = f"{_points(outcome.score)} of {outcome.max_score:g} points"
    note = " (written answers are not graded yet)" if pending else ""
    body = (f"<p class='total'>Score so far: <b>{total}</b>{note}.</p>"
            "<table><thead><tr><th>Task</th><th>Points</th><th>What to do</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            "<p>Hints come from the checks you can see in your notebook. The extra checks "
            "used for grading stay private, so everyone is graded on the same footing.</p>")
    page = head + body + "</body></html>"
    if reveals_hidden(page, fragments):  # last line of defence: drop every quoted message
        safe = [replace(t, message="", hidden_failure=bool(t.error)) for t in outcome.tasks]
        clean = replace(outcome, tasks=safe, reason="")
        return feedback_html(clean, tasks, name=name, fragments=set())
    return page


@dataclass
class FeedbackFiles:
    """The pages ``write_feedback`` wrote: ``learner → path``."""

    assignment: str
    paths: dict[str, Path]

    def __repr__(self) -> str:
        return f"FeedbackFiles({self.assignment!r}: {len(self.paths)} page(s))"


def write_feedback(course: Course | Path | str, assignment: str) -> FeedbackFiles:
    """Write ``feedback/<learner>/<assignment>/<assignment>.html`` for every learner graded
    (however it was graded: see :func:`kit.course.results.load_results`) or not gradable."""
    course = course if isinstance(course, Course) else open_course(course)
    tasks = load_tasks(course.source, assignment)
    run = load_results(course, assignment, tasks=tasks)
    fragments = tasks.hidden()
    roster = course.roster()
    names = dict(zip(roster["learner_id"], roster["name"], strict=True))
    paths: dict[str, Path] = {}
    for outcome in run.outcomes:
        page = feedback_html(outcome, tasks, name=names.get(outcome.learner, ""),
                             fragments=fragments)
        folder = course.folder("feedback") / outcome.learner / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{assignment}.html"
        path.write_text(page, encoding="utf-8")
        # nbgrader's release_feedback (formgrader, JupyterHub) files the page under a hash of
        # the submission's timestamp and secret: keep them beside the page, as nbgrader's own
        # generate_feedback does, so learners can fetch it through the exchange.
        for name in ("timestamp.txt", "submission_secret.txt"):
            record = course.folder("submitted") / outcome.learner / assignment / name
            if record.is_file():
                shutil.copyfile(record, folder / name)
        paths[outcome.learner] = path
    return FeedbackFiles(assignment, paths)
