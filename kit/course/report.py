"""``crosstalk report``: the cohort at a glance, as DataFrames, a CSV and one offline HTML file.

:class:`CohortReport` reads the gradebook (one SQL query), the roster (roles), the parts of
each assignment with their role tags (:mod:`kit.course.tasks`), the grading and collecting
records (answers, rejections) and the self-ratings, and measures each person by **what they
were asked**:

* :meth:`~CohortReport.submissions`: every roster learner and assignment, with its status
  (graded, waiting for a person, ``no submission``, ``rejected: <reason>``);
* :meth:`~CohortReport.by_learner`: per learner and module, the share of the points of the
  parts meant for them (their role's parts plus the shared parts; a learner of role
  ``other`` is asked every part), next to the share of all points;
* :meth:`~CohortReport.by_module_role` and :meth:`~CohortReport.by_task_role`: where does
  each side misunderstand?  Roles are compared on **shared parts only**, and a role with
  fewer than :data:`MIN_GROUP` learners is shown as a small group, not as a percentage;
* :meth:`~CohortReport.most_missed`: the parts most learners lost points on, among those
  they were meant for, with the most common wrong answers;
* :meth:`~CohortReport.learning_gain`: the self-rating of the welcome module and the same
  statements at the end of the capstone, start → end per role;
* :meth:`~CohortReport.manual_queue` and :meth:`~CohortReport.failures`;
* :meth:`~CohortReport.warnings`: small groups and assignments whose parts carry no role tag.

Percentages count the points graded so far: a written answer still waiting for a person is
left out of both the score and the maximum (and counted in ``waiting``).  The CSV is safe
to open in a spreadsheet: text from learners or files that starts with ``= + - @`` (or a tab
or carriage return) is prefixed with ``'`` so it is never run as a formula.

Charts and the HTML page are made by :mod:`kit.course.widget` (plotly, embedded once, no
CDN; :func:`kit.course.widget.write_report_html`), so this module stays plain pandas and
never imports it.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from html import escape
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from kit.course.coursedir import ROLES, Course, open_course
from kit.course.gradebook import learners as gradebook_learners
from kit.course.gradebook import task_scores
from kit.course.records import Outcome, Status
from kit.course.results import load_results
from kit.course.tasks import load_tasks, meant_for, self_ratings

__all__ = ["MIN_GROUP", "CohortReport", "cohort_report", "excel_safe"]

ROLE_NAMES = {"marketing": "Marketing", "it": "IT", "other": "Other"}
MIN_GROUP = 3
"""A role with fewer learners than this is shown as a small group, never compared in %."""
NO_SUBMISSION = Status.MISSING.value
GRADED, WAITING = Status.GRADED.value, Status.MANUAL.value
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _percent(score: pd.Series, top: pd.Series) -> pd.Series:
    return (100.0 * score / top.where(top > 0)).round(1)


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that a spreadsheet would run as a formula neutralised.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'`` (OWASP's advice for CSV injection); numbers stay numbers.
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = [f"'{value}" if isinstance(value, str) and value.startswith(
                _FORMULA_START) else value for value in safe[column]]
    safe.columns = [f"'{c}" if isinstance(c, str) and c.startswith(_FORMULA_START) else c
                    for c in safe.columns]
    return safe


def _small(learners: int) -> str:
    return (f"small group ({learners} learner{'s' if learners != 1 else ''}): not compared"
            if 0 < learners < MIN_GROUP else "")


class CohortReport:
    """The figures of one course; build with :func:`cohort_report` (see the module doc).

    Every input can be given instead of read from the course (tests, the synthetic
    gradebook): ``scores`` (as :func:`~kit.course.gradebook.task_scores`), ``roster``
    (``learner_id, name, role``), ``records`` (``assignment → grading outcomes``),
    ``titles`` (``(assignment, task) → (title, kind[, role])``), ``rejections``
    (``assignment → [{learner, file, reason}]``) and ``ratings``
    (``learner → {"start": {...}, "end": {...}}``).  ``assignments`` limits the report to
    some assignments; by default it covers those anybody handed in (or tried to), so
    modules not collected yet do not list everyone as missing.
    """

    def __init__(self, course: Course, *, scores: pd.DataFrame | None = None,
                 roster: pd.DataFrame | None = None,
                 records: dict[str, list[Outcome]] | None = None,
                 titles: dict[tuple[str, str], tuple[str, ...]] | None = None,
                 rejections: dict[str, list[dict[str, Any]]] | None = None,
                 ratings: dict[str, dict[str, dict[str, Any]]] | None = None,
                 assignments: list[str] | None = None) -> None:
        self.course = course
        self._assignments = list(assignments) if assignments is not None else None
        self._scores = scores
        self._roster = roster
        self._records = records
        self._titles = titles
        self._rejections = rejections
        self._ratings = ratings

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
        frame["role"] = frame["role"].where(frame["role"].isin(ROLES), "other")
        return frame.astype(object).sort_values("learner", kind="stable", ignore_index=True)

    @cached_property
    def records(self) -> dict[str, list[Outcome]]:
        """``assignment → outcomes`` (:func:`kit.course.results.load_results`: whoever
        graded them; refused and failed submissions with the reason)."""
        if self._records is not None:
            return self._records
        return {name: load_results(self.course, name).outcomes for name in self._candidates}

    @cached_property
    def rejections(self) -> dict[str, list[dict[str, Any]]]:
        """``assignment → [{learner, file, reason}]``: files ``crosstalk collect`` refused."""
        if self._rejections is not None:
            return self._rejections
        from kit.course.collect import load_rejections

        return {name: load_rejections(self.course, name) for name in self._candidates}

    @property
    def _candidates(self) -> list[str]:
        return self._assignments if self._assignments is not None else list(
            self.course.assignments)

    @cached_property
    def _part_info(self) -> tuple[dict[tuple[str, str], tuple[str, str, str]], dict[str, list]]:
        if self._titles is not None:
            parts = {key: (value[0], value[1], value[2] if len(value) > 2 else "shared")
                     for key, value in self._titles.items()}
            untagged: dict[str, list[str]] = {}
            for (assignment, grade_id), value in self._titles.items():
                if len(value) < 3:
                    untagged.setdefault(assignment, []).append(grade_id)
            return parts, untagged
        parts, untagged = {}, {}
        for name in self._candidates:
            tasks = load_tasks(self.course.source, name)
            for task in tasks.tasks:
                parts[(name, task.grade_id)] = (task.title, task.kind, task.role)
            if tasks.untagged:
                untagged[name] = tasks.untagged
        return parts, untagged

    @property
    def titles(self) -> dict[tuple[str, str], tuple[str, str, str]]:
        """``(assignment, task) → (title, kind, role the part is meant for)``."""
        return self._part_info[0]

    @property
    def untagged(self) -> dict[str, list[str]]:
        """``assignment → grade ids`` of graded parts without a role tag (counted as shared)."""
        return self._part_info[1]

    @cached_property
    def ratings(self) -> dict[str, dict[str, dict[str, Any]]]:
        """``learner → {"start": ratings, "end": ratings}`` from the submitted notebooks."""
        if self._ratings is not None:
            return self._ratings
        found: dict[str, dict[str, dict[str, Any]]] = {}
        submitted = self.course.folder("submitted")
        for name in self.assignments:
            for path in sorted(submitted.glob(f"*/{name}/*.ipynb")):
                try:
                    notebook = nbformat.read(path, as_version=4)
                except Exception:  # an unreadable submission has no ratings to read
                    continue
                rated = self_ratings(notebook)
                if rated:
                    found[path.parent.parent.name] = rated
        return found

    @cached_property
    def _scores_all(self) -> pd.DataFrame:
        return self._scores if self._scores is not None else task_scores(
            self.course.db_url, self.course.course_id)

    @cached_property
    def assignments(self) -> list[str]:
        """The assignments reported: those given, else those anybody handed in (scores,
        grading records, refused files), else every assignment of the course."""
        if self._assignments is not None:
            return sorted(self._assignments)
        seen = set(self._scores_all["assignment"])
        seen |= {name for name, outcomes in self.records.items() if outcomes}
        seen |= {name for name, items in self.rejections.items() if items}
        submitted = self.course.folder("submitted")
        seen |= {name for name in self.course.assignments
                 if any(submitted.glob(f"*/{name}"))}
        return sorted(seen) or sorted(self.course.assignments)

    # --- figures -----------------------------------------------------------------------

    @cached_property
    def _long(self) -> pd.DataFrame:
        scores = self._scores_all
        scores = scores[scores["assignment"].isin(self.assignments)]
        frame = scores.merge(self.roster, on="learner", how="left")
        frame["role"] = frame["role"].fillna("other")
        frame["name"] = frame["name"].fillna("")
        keys = list(zip(frame["assignment"], frame["task"], strict=True))
        info = [self.titles.get(key) for key in keys]
        frame["title"] = [i[0] if i else key[1] for i, key in zip(info, keys, strict=True)]
        frame["kind"] = [i[1] if i and i[1] else ("manual" if cell == "markdown" else "auto")
                         for i, cell in zip(info, frame["cell_type"], strict=True)]
        frame["part_role"] = [i[2] if i else "shared" for i in info]
        # bool dtype even when nothing is graded yet: an empty object column used as a
        # mask would select columns instead of rows (frame[mask] with no "score").
        frame["meant"] = pd.Series([meant_for(part, role) for part, role in
                                    zip(frame["part_role"], frame["role"], strict=True)],
                                   index=frame.index, dtype=bool)
        frame["percent"] = _percent(frame["score"], frame["max_score"])
        return frame

    def scores(self) -> pd.DataFrame:
        """One row per learner and task: learner, name, role, assignment, task, title,
        kind (auto/manual), part_role (who the part is for), meant (for this learner),
        score (None while waiting for a person), max_score, percent."""
        columns = ["learner", "name", "role", "assignment", "notebook", "task", "title", "kind",
                   "part_role", "meant", "score", "max_score", "percent", "needs_manual_grade"]
        return self._long[columns].reset_index(drop=True)

    def submissions(self) -> pd.DataFrame:
        """Every roster learner and assignment: learner, name, role, assignment, status.

        ``graded``; ``needs manual grading``; ``rejected: <reason>`` (collect or grade
        refused the file); ``could not be graded: <reason>``; ``not graded yet`` (filed,
        waiting for ``crosstalk grade``); ``no submission``.
        """
        graded: dict[tuple[str, str], str] = {}
        for (learner, assignment), rows in self._long.groupby(["learner", "assignment"]):
            graded[(learner, assignment)] = WAITING if rows["needs_manual_grade"].any() \
                else GRADED
        failed = {(o.learner, assignment): o.explanation for assignment, outcomes in
                  self.records.items() for o in outcomes if o.failed}
        refused: dict[tuple[str, str], str] = {}
        for assignment, items in self.rejections.items():
            for item in items:
                if item.get("learner"):
                    refused[(item["learner"], assignment)] = str(item.get("reason", ""))
        submitted = self.course.folder("submitted")
        rows = []
        for learner, name, role in self.roster[["learner", "name", "role"]].itertuples(
                index=False):
            for assignment in self.assignments:
                key = (learner, assignment)
                if key in graded:
                    status = graded[key]
                elif key in failed:
                    reason = failed[key]
                    status = reason if reason.startswith("rejected:") else (
                        f"could not be graded: {reason}")
                elif key in refused:
                    status = f"rejected: {refused[key]}"
                elif (submitted / learner / assignment).is_dir():
                    status = Status.NOT_GRADED.value
                else:
                    status = NO_SUBMISSION
                rows.append({"learner": learner, "name": name, "role": role,
                             "assignment": assignment, "status": status})
        return pd.DataFrame(rows, columns=["learner", "name", "role", "assignment", "status"])

    def _per_learner(self, frame: pd.DataFrame) -> pd.DataFrame:
        graded = frame[frame["score"].notna()]
        table = graded.groupby(["learner", "assignment"]).agg(
            score=("score", "sum"), max_score=("max_score", "sum"))
        return table

    def by_learner(self) -> pd.DataFrame:
        """Every roster learner and assignment: status, points of the parts meant for them
        (``their_score / their_max``, ``their_percent``), all points (``score / max_score``,
        ``percent``) and ``waiting`` (parts a person still has to grade)."""
        frame = self._long
        mine = self._per_learner(frame[frame["meant"]]).rename(
            columns={"score": "their_score", "max_score": "their_max"})
        every = self._per_learner(frame)
        waiting = frame.groupby(["learner", "assignment"])["needs_manual_grade"].sum()
        table = self.submissions().set_index(["learner", "assignment"])
        table = table.join(mine).join(every).join(waiting.rename("waiting"))
        table["their_percent"] = _percent(table["their_score"], table["their_max"])
        table["percent"] = _percent(table["score"], table["max_score"])
        table["waiting"] = table["waiting"].fillna(0).astype(int)
        columns = ["name", "role", "status", "their_score", "their_max", "their_percent",
                   "score", "max_score", "percent", "waiting"]
        return table.reset_index()[["learner", "assignment", *columns]]

    def by_module_role(self) -> pd.DataFrame:
        """Per assignment and role: learners graded, the mean share of the points of the
        parts meant for them (``their_percent``) and of the **shared** parts
        (``shared_percent``, the one to compare sides on); a role with fewer than
        :data:`MIN_GROUP` learners gets no percentages and a ``note`` saying so."""
        frame = self._long
        mine = self._per_learner(frame[frame["meant"]])
        mine["their_percent"] = _percent(mine["score"], mine["max_score"])
        shared = self._per_learner(frame[frame["part_role"] == "shared"])
        shared["shared_percent"] = _percent(shared["score"], shared["max_score"])
        roles = frame.drop_duplicates(["learner", "assignment"]).set_index(
            ["learner", "assignment"])["role"]
        per = pd.concat([roles, mine["their_percent"], shared["shared_percent"]], axis=1)
        per = per.reset_index()
        table = per.groupby(["assignment", "role"]).agg(
            learners=("learner", "nunique"), their_percent=("their_percent", "mean"),
            shared_percent=("shared_percent", "mean")).reset_index()
        table["note"] = [_small(n) for n in table["learners"]]
        small = table["note"] != ""
        table.loc[small, ["their_percent", "shared_percent"]] = float("nan")
        for column in ("their_percent", "shared_percent"):
            table[column] = table[column].astype(float).round(1)
        order = {role: i for i, role in enumerate(ROLES)}
        return table.sort_values(["assignment", "role"], key=lambda s: s.map(order).fillna(9)
                                 if s.name == "role" else s, ignore_index=True)

    def by_task_role(self) -> pd.DataFrame:
        """Per graded part and role, among the learners the part is meant for: learners and
        mean % of the part's points.  Shared parts have a row per role (the comparison);
        a marketing or IT part only for that role (and ``other``).  Small groups: no %."""
        graded = self._long[self._long["meant"] & self._long["score"].notna()]
        table = graded.groupby(["assignment", "task", "title", "part_role", "role"]).agg(
            learners=("learner", "nunique"), percent=("percent", "mean")).reset_index()
        table["note"] = [_small(n) for n in table["learners"]]
        table.loc[table["note"] != "", "percent"] = float("nan")
        table["percent"] = table["percent"].astype(float).round(1)
        return table

    def _answers(self) -> dict[tuple[str, str], Counter]:
        counts: dict[tuple[str, str], Counter] = {}
        for assignment, outcomes in self.records.items():
            if assignment not in self.assignments:
                continue
            for outcome in outcomes:
                for task in outcome.tasks:
                    score, top = task.score, task.max_score
                    if score is None or top is None or score >= top:
                        continue
                    if task.blank:
                        answer = "(not answered)"
                    elif task.stopped:
                        answer = f"(stopped: {task.stopped})"
                    elif task.answer:
                        answer = " | ".join(line[:80] for line in task.answer[:3])
                    else:
                        answer = "(exercise lines left as given)"
                    key = (assignment, task.grade_id)
                    counts.setdefault(key, Counter())[answer] += 1
        return counts

    def most_missed(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` autograded parts most learners lost points on, with wrong answers.

        Only learners the part is meant for count.  ``missed`` is the share of them (0–1)
        who lost points; ``marketing`` and ``it`` the same share within each role (blank
        where the part is not meant for that role or the role is a small group);
        ``wrong_answers`` the three most common answers as ``answer (count)``.
        """
        frame = self._long
        auto = frame[(frame["kind"] == "auto") & frame["score"].notna() & frame["meant"]]
        lost = auto.assign(lost=auto["score"] < auto["max_score"])
        table = lost.groupby(["assignment", "task", "title", "part_role"]).agg(
            learners=("learner", "nunique"), missed=("lost", "mean")).reset_index()
        for role in ("marketing", "it"):
            part = lost[lost["role"] == role].groupby(["assignment", "task"])
            share, count = part["lost"].mean(), part["learner"].nunique()
            table[role] = [share.get((a, t)) if count.get((a, t), 0) >= MIN_GROUP else None
                           for a, t in zip(table["assignment"], table["task"], strict=True)]
        answers = self._answers()
        table["wrong_answers"] = [
            "; ".join(f"{answer} ({count})" for answer, count in
                      answers.get((a, t), Counter()).most_common(3))
            for a, t in zip(table["assignment"], table["task"], strict=True)]
        table = table[table["missed"] > 0].sort_values(["missed", "assignment", "task"],
                                                       ascending=[False, True, True])
        table["missed"] = table["missed"].round(3)
        for role in ("marketing", "it"):
            table[role] = pd.to_numeric(table[role], errors="coerce").round(3)
        return table.head(n).reset_index(drop=True)

    def learning_gain(self, *, per_statement: bool = False) -> pd.DataFrame:
        """Self-rating (0–3) this morning and at the end of the day, per role.

        Per role (and per statement with ``per_statement``): ``learners`` who rated both
        times, mean ``start``, mean ``end`` and the ``change``; small groups get no figures
        and a ``note``.  Ratings are read from the capstone submission (Part D).
        """
        rows = []
        roles = dict(zip(self.roster["learner"], self.roster["role"], strict=True))
        for learner, rated in self.ratings.items():
            start, end = rated.get("start") or {}, rated.get("end") or {}
            for key in sorted(set(start) & set(end)):
                if start[key] is None or end[key] is None:
                    continue
                rows.append({"learner": learner, "role": roles.get(learner, "other"),
                             "statement": key, "start": float(start[key]),
                             "end": float(end[key])})
        columns = ["role", *(["statement"] if per_statement else []), "learners", "start", "end",
                   "change", "note"]
        if not rows:
            return pd.DataFrame(columns=columns)
        frame = pd.DataFrame(rows)
        keys = ["role", "statement"] if per_statement else ["role"]
        if not per_statement:  # one mean per learner first, so each learner counts once
            frame = frame.groupby(["learner", "role"])[["start", "end"]].mean().reset_index()
        table = frame.groupby(keys).agg(learners=("learner", "nunique"), start=("start", "mean"),
                                        end=("end", "mean")).reset_index()
        table["change"] = table["end"] - table["start"]
        table["note"] = [_small(n) for n in table["learners"]]
        table.loc[table["note"] != "", ["start", "end", "change"]] = float("nan")
        for column in ("start", "end", "change"):
            table[column] = table[column].astype(float).round(2)
        order = {role: i for i, role in enumerate(ROLES)}
        table = table.sort_values(keys, key=lambda s: s.map(order).fillna(9)
                                  if s.name == "role" else s, ignore_index=True)
        return table[columns]

    def manual_queue(self) -> pd.DataFrame:
        """learner, name, role, assignment, tasks: answers a person still has to grade."""
        waiting = self._long[self._long["needs_manual_grade"]]
        table = waiting.groupby(["learner", "name", "role", "assignment"]).agg(
            tasks=("task", lambda s: ", ".join(sorted(s)))).reset_index()
        return table

    def failures(self) -> pd.DataFrame:
        """learner, assignment, reason: submissions refused by collect or grade, and
        submissions grading could not finish."""
        table = self.submissions()
        bad = table[table["status"].str.startswith(("rejected:", "could not be graded:"))]
        return bad.rename(columns={"status": "reason"})[["learner", "assignment", "reason"]
                                                        ].reset_index(drop=True)

    def warnings(self) -> list[str]:
        """What the team lead should know before comparing figures."""
        notes = []
        sizes = self.roster["role"].value_counts()
        for role in ROLES:
            count = int(sizes.get(role, 0))
            if 0 < count < MIN_GROUP:
                notes.append(f"{ROLE_NAMES[role]} has {count} learner(s) on the roster: shown "
                             f"as a small group, not compared in % (fewer than {MIN_GROUP}).")
        for assignment, tasks in sorted(self.untagged.items()):
            if assignment not in self.assignments:
                continue
            notes.append(f"{assignment}: {len(tasks)} graded part(s) carry no role tag "
                         f"({', '.join(tasks)}); counted as shared for everyone.")
        return notes

    def summary(self) -> str:
        status = self.submissions()["status"]
        roles = self.roster["role"].value_counts()
        who = ", ".join(f"{int(roles[r])} {ROLE_NAMES[r]}" for r in ROLES if r in roles)
        graded = int(status.isin([GRADED, WAITING]).sum())
        waiting = int((status == WAITING).sum())
        rejected = int(status.str.startswith(("rejected:", "could not be graded:")).sum())
        missing = int((status == NO_SUBMISSION).sum())
        return (f"{len(self.roster)} learner(s) ({who}), {len(self.assignments)} "
                f"assignment(s): {graded} submission(s) graded ({waiting} waiting for a "
                f"person), {rejected} rejected or not gradable, {missing} missing.")

    # --- output ------------------------------------------------------------------------

    def table(self) -> pd.DataFrame:
        """The CSV's rows: one per learner and part graded (as :meth:`scores`, with the
        submission ``status``), plus one row per learner and assignment without a graded
        submission (``task`` empty, ``status`` says why)."""
        status = self.submissions()
        rows = self.scores().merge(status[["learner", "assignment", "status"]],
                                   on=["learner", "assignment"], how="left")
        have = set(zip(rows["learner"], rows["assignment"], strict=True))
        extra = status[[(a, b) not in have for a, b in
                        zip(status["learner"], status["assignment"], strict=True)]]
        return pd.concat([rows, extra], ignore_index=True)[[*rows.columns]]

    def to_csv(self, path: Path | str) -> Path:
        """:meth:`table` as CSV, safe to open in a spreadsheet (see :func:`excel_safe`)."""
        path = Path(path)
        # CRLF as spreadsheets expect; a cell holding a CR or LF is then always quoted
        excel_safe(self.table()).to_csv(path, index=False, lineterminator="\r\n")
        return path

    def __repr__(self) -> str:
        return f"CohortReport({self.summary()})"

    def _repr_html_(self) -> str:
        compare = self.by_module_role()
        parts = [f"<p>{escape(self.summary())}</p>",
                 *(f"<p>⚠ {escape(note)}</p>" for note in self.warnings()),
                 "<h4>Shared parts per module and role (mean %)</h4>",
                 compare.to_html(index=False, na_rep="-"),
                 "<h4>Most-missed parts</h4>", self.most_missed(5).to_html(index=False,
                                                                          na_rep="-")]
        return "".join(parts)


def cohort_report(course: Course | Path | str, *,
                  assignments: list[str] | None = None) -> CohortReport:
    """The :class:`CohortReport` of the course in ``course`` (a folder or a Course);
    ``assignments`` limits it (default: the assignments anybody handed in)."""
    return CohortReport(course if isinstance(course, Course) else open_course(course),
                        assignments=assignments)


def role_order(roles: list[str]) -> list[str]:
    """Roles in the house order (marketing, it, other), unknown ones after."""
    return [r for r in ROLES if r in roles] + sorted(r for r in roles if r not in ROLES)
