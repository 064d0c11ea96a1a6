"""``crosstalk report``: the cohort at a glance, as DataFrames, a CSV and one offline HTML file.

:class:`CohortReport` reads the gradebook (one SQL query), the roster (roles) and the
grading records (answers, failures) and offers the figures a team lead asks for:

* :meth:`~CohortReport.scores`: one row per learner and task (also the CSV);
* :meth:`~CohortReport.by_learner`: per learner and assignment (module);
* :meth:`~CohortReport.by_module_role` and :meth:`~CohortReport.by_task_role`: where does
  each side (marketing, IT) misunderstand?
* :meth:`~CohortReport.most_missed`: the tasks most learners lost points on, with the most
  common wrong answers (the learner's lines that differ from the exercise and the model
  answer);
* :meth:`~CohortReport.manual_queue`: who still needs a person to grade what;
* :meth:`~CohortReport.failures`: submissions that could not be graded, with the reason.

Charts and the HTML page are made by :mod:`kit.course.widget` (plotly, embedded once, no
CDN), so this module stays plain pandas.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from kit.course.coursedir import ROLES, Course, open_course
from kit.course.grade import FAILED, load_run
from kit.course.gradebook import learners as gradebook_learners
from kit.course.gradebook import task_scores
from kit.course.tasks import load_tasks

__all__ = ["CohortReport", "cohort_report"]

ROLE_NAMES = {"marketing": "Marketing", "it": "IT", "other": "Other"}


def _percent(score: pd.Series, top: pd.Series) -> pd.Series:
    return (100.0 * score / top.where(top > 0)).round(1)


class CohortReport:
    """The figures of one course; build with :func:`cohort_report` (see the module doc)."""

    def __init__(self, course: Course, *, scores: pd.DataFrame | None = None,
                 roster: pd.DataFrame | None = None,
                 records: dict[str, list[Any]] | None = None,
                 titles: dict[tuple[str, str], tuple[str, str]] | None = None) -> None:
        self.course = course
        self._scores = scores
        self._roster = roster
        self._records = records
        self._titles = titles

    # --- inputs ------------------------------------------------------------------------

    @cached_property
    def roster(self) -> pd.DataFrame:
        """learner, name, role: the roster, plus gradebook learners it does not list."""
        roster = self._roster if self._roster is not None else self.course.roster()
        roster = roster.rename(columns={"learner_id": "learner"})
        known = gradebook_learners(self.course.db_url) if self._scores is None else (
            pd.DataFrame({"learner": sorted(set(self._scores["learner"]))}))
        extra = known[~known["learner"].isin(roster["learner"])]
        names = (extra.get("first_name", pd.Series("", index=extra.index)).fillna("") + " " +
                 extra.get("last_name", pd.Series("", index=extra.index)).fillna("")).str.strip()
        more = pd.DataFrame({"learner": extra["learner"], "name": names, "role": "other"},
                            dtype=object)
        frame = pd.concat([roster[["learner", "name", "role"]], more], ignore_index=True)
        return frame.astype(object)

    @cached_property
    def records(self) -> dict[str, list[Any]]:
        """``assignment → outcomes`` saved by ``crosstalk grade``."""
        if self._records is not None:
            return self._records
        return {name: load_run(self.course, name).outcomes for name in self.course.assignments}

    @cached_property
    def titles(self) -> dict[tuple[str, str], tuple[str, str]]:
        """``(assignment, task) → (title, kind)`` from the source notebooks."""
        if self._titles is not None:
            return self._titles
        found: dict[tuple[str, str], tuple[str, str]] = {}
        for name in self.course.assignments:
            for task in load_tasks(self.course.source, name).tasks:
                found[(name, task.grade_id)] = (task.title, task.kind)
        return found

    # --- figures -----------------------------------------------------------------------

    @cached_property
    def _long(self) -> pd.DataFrame:
        scores = self._scores if self._scores is not None else task_scores(
            self.course.db_url, self.course.course_id)
        frame = scores.merge(self.roster, on="learner", how="left")
        frame["role"] = frame["role"].fillna("other")
        frame["name"] = frame["name"].fillna("")
        keys = list(zip(frame["assignment"], frame["task"], strict=True))
        frame["title"] = [self.titles.get(key, (key[1], ""))[0] for key in keys]
        kinds = [self.titles.get(key, ("", ""))[1] for key in keys]
        frame["kind"] = [kind or ("manual" if cell == "markdown" else "auto")
                         for kind, cell in zip(kinds, frame["cell_type"], strict=True)]
        frame["percent"] = _percent(frame["score"], frame["max_score"])
        return frame

    def scores(self) -> pd.DataFrame:
        """One row per learner and task: learner, name, role, assignment, task, title,
        kind (auto/manual), score (None while waiting for a person), max_score, percent."""
        columns = ["learner", "name", "role", "assignment", "notebook", "task", "title", "kind",
                   "score", "max_score", "percent", "needs_manual_grade"]
        return self._long[columns].reset_index(drop=True)

    def by_learner(self) -> pd.DataFrame:
        """Per learner and assignment: score, max_score, percent, tasks waiting for a person."""
        frame = self._long
        grouped = frame.groupby(["learner", "name", "role", "assignment"], sort=True)
        table = grouped.agg(score=("score", lambda s: s.fillna(0).sum()),
                            max_score=("max_score", "sum"),
                            waiting=("needs_manual_grade", "sum")).reset_index()
        table["percent"] = _percent(table["score"], table["max_score"])
        table["waiting"] = table["waiting"].astype(int)
        return table

    def by_module_role(self) -> pd.DataFrame:
        """Per assignment and role: learners, mean percent of the autograded points."""
        auto = self._long[self._long["kind"] == "auto"]
        per = auto.groupby(["assignment", "role", "learner"]).agg(
            score=("score", lambda s: s.fillna(0).sum()), max_score=("max_score", "sum"))
        per["percent"] = _percent(per["score"], per["max_score"])
        table = per.reset_index().groupby(["assignment", "role"]).agg(
            learners=("learner", "nunique"), percent=("percent", "mean")).reset_index()
        table["percent"] = table["percent"].round(1)
        return table

    def by_task_role(self) -> pd.DataFrame:
        """Per autograded task and role: learners and mean percent of the task's points."""
        auto = self._long[self._long["kind"] == "auto"]
        table = auto.groupby(["assignment", "task", "title", "role"]).agg(
            learners=("learner", "nunique"), percent=("percent", "mean")).reset_index()
        table["percent"] = table["percent"].round(1)
        return table

    def _answers(self) -> dict[tuple[str, str], Counter]:
        counts: dict[tuple[str, str], Counter] = {}
        for assignment, outcomes in self.records.items():
            for outcome in outcomes:
                for task in getattr(outcome, "tasks", []) or []:
                    score, top = task.get("score"), task.get("max_score")
                    if score is None or top is None or score >= top:
                        continue
                    if task.get("blank"):
                        answer = "(not answered)"
                    elif task.get("stopped"):
                        answer = f"(stopped: {task['stopped']})"
                    elif task.get("answer"):
                        answer = " | ".join(line[:80] for line in task["answer"][:3])
                    else:
                        answer = "(exercise lines left as given)"
                    key = (assignment, task["grade_id"])
                    counts.setdefault(key, Counter())[answer] += 1
        return counts

    def most_missed(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` autograded tasks most learners lost points on, with wrong answers.

        ``missed`` is the share of learners (0–1) who lost points; ``marketing`` and ``it``
        the same share within each role; ``wrong_answers`` the three most common answers
        among them as ``answer (count)``.
        """
        auto = self._long[(self._long["kind"] == "auto") & self._long["score"].notna()]
        lost = auto.assign(lost=auto["score"] < auto["max_score"])
        table = lost.groupby(["assignment", "task", "title"]).agg(
            learners=("learner", "nunique"), missed=("lost", "mean")).reset_index()
        for role in ("marketing", "it"):
            share = lost[lost["role"] == role].groupby(["assignment", "task"])["lost"].mean()
            table[role] = [share.get((a, t)) for a, t in
                           zip(table["assignment"], table["task"], strict=True)]
        answers = self._answers()
        table["wrong_answers"] = [
            "; ".join(f"{answer} ({count})" for answer, count in
                      answers.get((a, t), Counter()).most_common(3))
            for a, t in zip(table["assignment"], table["task"], strict=True)]
        table = table[table["missed"] > 0].sort_values(["missed", "assignment", "task"],
                                                       ascending=[False, True, True])
        table["missed"] = table["missed"].round(3)
        return table.head(n).reset_index(drop=True)

    def manual_queue(self) -> pd.DataFrame:
        """learner, name, role, assignment, tasks: answers a person still has to grade."""
        waiting = self._long[self._long["needs_manual_grade"]]
        table = waiting.groupby(["learner", "name", "role", "assignment"]).agg(
            tasks=("task", lambda s: ", ".join(sorted(s)))).reset_index()
        return table

    def failures(self) -> pd.DataFrame:
        """learner, assignment, reason: submissions that could not be graded."""
        rows = [{"learner": o.learner, "assignment": assignment, "reason": o.reason}
                for assignment, outcomes in self.records.items() for o in outcomes
                if getattr(o, "status", "") == FAILED]
        return pd.DataFrame(rows, columns=["learner", "assignment", "reason"])

    def summary(self) -> str:
        frame = self._long
        learners = frame["learner"].nunique()
        assignments = frame["assignment"].nunique()
        waiting = self.manual_queue()["learner"].nunique()
        failed = len(self.failures())
        return (f"{learners} learner(s), {assignments} assignment(s); {waiting} learner(s) "
                f"waiting for manual grading; {failed} submission(s) could not be graded.")

    # --- output ------------------------------------------------------------------------

    def to_csv(self, path: Path | str) -> Path:
        """The per learner and task table (:meth:`scores`) as CSV."""
        path = Path(path)
        self.scores().to_csv(path, index=False)
        return path

    def to_html(self, path: Path | str) -> Path:
        """One self-contained offline HTML file (plotly embedded once; no CDN)."""
        from kit.course.widget import report_html

        path = Path(path)
        path.write_text(report_html(self), encoding="utf-8")
        return path

    def __repr__(self) -> str:
        return f"CohortReport({self.summary()})"

    def _repr_html_(self) -> str:
        parts = [f"<p>{escape(self.summary())}</p>",
                 "<h4>Per module and role (autograded points, mean %)</h4>",
                 self.by_module_role().pivot(index="assignment", columns="role",
                                             values="percent").to_html(),
                 "<h4>Most-missed tasks</h4>", self.most_missed(5).to_html(index=False)]
        return "".join(parts)


def cohort_report(course: Course | Path | str) -> CohortReport:
    """The :class:`CohortReport` of the course in ``course`` (a folder or a Course)."""
    return CohortReport(course if isinstance(course, Course) else open_course(course))


def role_order(roles: list[str]) -> list[str]:
    """Roles in the house order (marketing, it, other), unknown ones after."""
    return [r for r in ROLES if r in roles] + sorted(r for r in roles if r not in ROLES)
