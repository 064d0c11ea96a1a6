"""nbgrader integration: build the exercises, and grade a cohort (team lead's tools).

``crosstalk exercises build`` regenerates ``exercises/`` from ``solutions/``;
``--check`` only reports what is stale.  :func:`nbgrader_env` and :func:`venv_on_path`
put the venv's ``bin/`` on PATH, which nbgrader needs (it runs ``alembic``).
"""

from typing import TYPE_CHECKING

from kit._lazy import lazy_exports

if TYPE_CHECKING:
    from kit.course.collect import CollectReport, collect
    from kit.course.coursedir import Course, GradingLimits, import_roster, init_course, open_course
    from kit.course.exercises import (
        ExerciseChange,
        build_exercises,
        check_sources,
        course_config,
        find_course_root,
        nbgrader_env,
        new_gradebook,
        stale_exercises,
        venv_on_path,
        write_exercises,
    )
    from kit.course.feedback import write_feedback
    from kit.course.grade import GradeRun, grade_assignment
    from kit.course.report import CohortReport, cohort_report

__all__ = [
    "CohortReport",
    "CollectReport",
    "Course",
    "ExerciseChange",
    "GradeRun",
    "GradingLimits",
    "build_exercises",
    "check_sources",
    "cohort_report",
    "collect",
    "course_config",
    "find_course_root",
    "grade_assignment",
    "import_roster",
    "init_course",
    "nbgrader_env",
    "new_gradebook",
    "open_course",
    "stale_exercises",
    "venv_on_path",
    "write_exercises",
    "write_feedback",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__, __all__)
