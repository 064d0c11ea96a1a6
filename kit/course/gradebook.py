"""Read an nbgrader gradebook (SQLite, PostgreSQL, any SQLAlchemy URL) as pandas tables.

One SQL query per table instead of nbgrader's object-by-object ORM, so a 500-learner
gradebook reads in well under a second.  :func:`fingerprint` is the gradebook's content
without nbgrader's random row ids: two gradebooks that grade the same way compare equal.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import create_engine, text

__all__ = ["assignment_tasks", "fingerprint", "learners", "task_scores"]

_SCORES = """
SELECT s.id AS learner, a.name AS assignment, n.name AS notebook, bc.name AS task,
       gc.max_score AS max_score, gc.cell_type AS cell_type, g.auto_score AS auto_score,
       g.manual_score AS manual_score, g.extra_credit AS extra_credit,
       g.needs_manual_grade AS needs_manual_grade, sa.timestamp AS timestamp
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN student s ON sa.student_id = s.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN notebook n ON sn.notebook_id = n.id
JOIN grade_cells gc ON g.cell_id = gc.id
JOIN base_cell bc ON gc.id = bc.id
WHERE a.course_id = :course
"""

_TASKS = """
SELECT a.name AS assignment, n.name AS notebook, bc.name AS task, gc.max_score AS max_score,
       gc.cell_type AS cell_type
FROM grade_cells gc
JOIN base_cell bc ON gc.id = bc.id
JOIN notebook n ON bc.notebook_id = n.id
JOIN assignment a ON n.assignment_id = a.id
WHERE a.course_id = :course
"""

_COMMENTS = """
SELECT s.id AS learner, a.name AS assignment, n.name AS notebook, bc.name AS cell,
       c.auto_comment AS auto_comment, c.manual_comment AS manual_comment
FROM comment c
JOIN submitted_notebook sn ON c.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN student s ON sa.student_id = s.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN notebook n ON sn.notebook_id = n.id
JOIN base_cell bc ON c.cell_id = bc.id
WHERE a.course_id = :course
"""


def _query(db_url: str, sql: str, **params: object) -> pd.DataFrame:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return pd.read_sql(text(sql), connection, params=params)
    finally:
        engine.dispose()


def task_scores(db_url: str, course_id: str, assignment: str | None = None) -> pd.DataFrame:
    """One row per learner × graded cell: max, auto and manual score, ``score``, manual flag.

    ``score`` is what nbgrader counts: the manual score where a person gave one, else the
    autograder's, plus extra credit; ``None`` while a person still has to grade it.
    """
    sql = _SCORES + (" AND a.name = :assignment" if assignment else "")
    frame = _query(db_url, sql, course=course_id, assignment=assignment)
    for column in ("max_score", "auto_score", "manual_score", "extra_credit"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["needs_manual_grade"] = frame["needs_manual_grade"].astype(bool)
    base = frame["manual_score"].where(frame["manual_score"].notna(), frame["auto_score"])
    frame["score"] = base + frame["extra_credit"].fillna(0.0)
    return frame.sort_values(["assignment", "learner", "notebook", "task"],
                             ignore_index=True)


def assignment_tasks(db_url: str, course_id: str) -> pd.DataFrame:
    """Every graded cell the gradebook knows: assignment, notebook, task, max_score."""
    frame = _query(db_url, _TASKS, course=course_id)
    frame["max_score"] = frame["max_score"].astype(float)
    return frame.sort_values(["assignment", "notebook", "task"], ignore_index=True)


def learners(db_url: str) -> pd.DataFrame:
    """The learners in the gradebook: learner, first_name, last_name, email."""
    frame = _query(db_url, "SELECT id AS learner, first_name, last_name, email FROM student")
    return frame.sort_values("learner", ignore_index=True)


def fingerprint(db_url: str, course_id: str, assignment: str | None = None) -> pd.DataFrame:
    """The gradebook's grading results with nbgrader's random ids left out.

    Scores, manual-grading flags and automatic comments per learner and cell, plus the
    submissions' timestamps; sorted, so ``a.equals(b)`` compares two gradebooks.
    """
    scores = task_scores(db_url, course_id, assignment)[
        ["learner", "assignment", "notebook", "task", "max_score", "auto_score",
         "manual_score", "extra_credit", "needs_manual_grade", "timestamp"]]
    sql = _COMMENTS + (" AND a.name = :assignment" if assignment else "")
    comments = _query(db_url, sql, course=course_id, assignment=assignment)
    comments = comments.rename(columns={"cell": "task"})
    merged = scores.merge(comments, how="outer", on=["learner", "assignment", "notebook", "task"])
    merged["timestamp"] = merged["timestamp"].astype(str)
    return merged.sort_values(["assignment", "learner", "notebook", "task"],
                              ignore_index=True).astype(object).where(merged.notna(), None)
