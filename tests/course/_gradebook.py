"""A synthetic nbgrader gradebook for the report's tests and benchmark (a test fixture).

:func:`synthetic_gradebook` writes ``learners × assignments`` graded submissions with bulk
SQL into nbgrader's own schema (no notebook is run) and returns a
:class:`~kit.course.report.CohortReport` over it.  It used to ship in ``kit.course.cohort``;
nothing in the kit needs it at run time.  ``benchmarks/bench_report.py`` imports it as
``tests.course._gradebook``.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any
from uuid import uuid4

import pandas as pd
from sqlalchemy import create_engine, text

from kit.course.coursedir import Course
from kit.course.exercises import new_gradebook
from kit.course.records import Outcome, Status
from kit.course.report import CohortReport

__all__ = ["synthetic_gradebook"]

_RIGHT = {
    "marketing": {"code": 0.35, "literal": 0.70, "written": 0.85},
    "it": {"code": 0.80, "literal": 0.45, "written": 0.55},
    "other": {"code": 0.55, "literal": 0.60, "written": 0.70},
}
"""P(right answer) per role and kind of answer (as the synthetic cohort of kit.sites)."""


def synthetic_gradebook(folder: Path, *, learners: int = 500, assignments: int = 6,
                        tasks: int = 5, seed: int = 0) -> CohortReport:
    """An nbgrader SQLite gradebook with ``learners × assignments`` graded submissions.

    Written with bulk SQL into nbgrader's schema (no notebooks are run); each assignment has
    ``tasks`` autograded tasks and one written answer; marketing learners miss code-like
    tasks more often, IT learners literal ones; a tenth of the written answers still wait
    for a person.  Returns a :class:`~kit.course.report.CohortReport` over it, with
    roster, grading records (wrong answers) and task titles made up to match.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    db_url = new_gradebook(folder, "crosstalk")
    rng = random.Random(seed)
    roles = [("marketing", "it", "other")[i % 3 if i % 10 == 9 else i % 2] for i in
             range(learners)]
    ids = [f"learner{i:04d}" for i in range(learners)]
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in (
        "assignment", "notebook", "base_cell", "grade_cells", "student",
        "submitted_assignment", "submitted_notebook", "grade")}
    rows["student"] = [{"id": i, "first_name": i.title(), "last_name": "Synthetic"}
                       for i in ids]
    titles: dict[tuple[str, str], tuple[str, str]] = {}
    records: dict[str, list[Any]] = {}
    for a in range(assignments):
        name = f"{a + 1:02d}-module"
        aid, nid = uuid4().hex, uuid4().hex
        rows["assignment"].append({"id": aid, "name": name, "course_id": "crosstalk"})
        rows["notebook"].append({"id": nid, "name": name, "assignment_id": aid})
        cells = []
        for t in range(tasks + 1):
            manual = t == tasks
            grade_id = "written_answer" if manual else f"task_{t + 1}"
            cid = uuid4().hex
            points = 3.0 if manual else float(1 + t % 3)
            kind = "code" if t % 2 else "literal"
            cells.append((cid, grade_id, points, manual, kind))
            rows["base_cell"].append({"id": cid, "name": grade_id, "notebook_id": nid,
                                      "type": "GradeCell"})
            rows["grade_cells"].append({"id": cid, "max_score": points,
                                        "cell_type": "markdown" if manual else "code"})
            titles[(name, grade_id)] = (f"Part {t + 1} of module {a + 1}",
                                        "manual" if manual else "auto",
                                        "shared" if manual or t % 3 == 0 else
                                        ("marketing", "it")[t % 2])
        outcomes = []
        for learner, role in zip(ids, roles, strict=True):
            sid, snid = uuid4().hex, uuid4().hex
            rows["submitted_assignment"].append({"id": sid, "assignment_id": aid,
                                                 "student_id": learner})
            rows["submitted_notebook"].append({"id": snid, "assignment_id": sid,
                                               "notebook_id": nid, "flagged": False})
            task_records, pending = [], False
            for cid, grade_id, points, manual, kind in cells:
                right = _RIGHT.get(role, _RIGHT["other"])["written" if manual else kind]
                if manual:
                    waiting = rng.random() < 0.1
                    pending = pending or waiting
                    auto, manual_score = None, (None if waiting else float(
                        rng.choice([1.5, 2.0, 3.0])))
                else:
                    auto, manual_score = (points if rng.random() < right else 0.0), None
                    task_records.append({
                        "notebook": name, "grade_id": grade_id, "score": auto,
                        "max_score": points, "blank": auto == 0.0 and rng.random() < 0.3,
                        "answer": [f'answer = "{rng.choice(["A", "B", "/", "/sale"])}"'],
                        "error": "" if auto else "AssertionError"})
                rows["grade"].append({"id": uuid4().hex, "notebook_id": snid, "cell_id": cid,
                                      "auto_score": auto, "manual_score": manual_score,
                                      "extra_credit": None,
                                      "needs_manual_grade": manual and manual_score is None})
            outcomes.append(Outcome(learner=learner, assignment=name,
                                    status=Status.MANUAL if pending else Status.GRADED,
                                    tasks=task_records))
        records[name] = outcomes
    engine = create_engine(db_url)
    with engine.begin() as connection:
        for table, values in rows.items():
            if values:
                columns = list(values[0])
                connection.execute(text(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                    f"({', '.join(':' + c for c in columns)})"), values)
    engine.dispose()
    roster = pd.DataFrame({"learner_id": ids, "name": [i.title() for i in ids], "role": roles},
                          dtype=object)
    course = Course(root=folder, db_url=db_url, course_id="crosstalk", source=folder / "source",
                    assignments=tuple(records))
    statements = ("redirect", "seo", "duplicates", "tracking", "launch", "brief")
    ratings = {}
    for learner in ids:
        start = {key: rng.randint(0, 2) for key in statements}
        ratings[learner] = {"start": start, "end": {key: min(3, value + rng.randint(0, 2))
                                                    for key, value in start.items()}}
    return CohortReport(course, roster=roster, records=records, titles=titles, rejections={},
                        ratings=ratings)
