"""nbgrader integration: build the exercises, and grade a cohort (team lead's tools).

``crosstalk exercises build`` regenerates ``exercises/`` from ``solutions/``;
``--check`` only reports what is stale.  :func:`nbgrader_env` and :func:`venv_on_path`
put the venv's ``bin/`` on PATH, which nbgrader needs (it runs ``alembic``).

Grading results are typed records (:mod:`kit.course.records`: :class:`Status`,
:class:`Outcome`, :class:`GradeRun`) read through one reader,
:func:`~kit.course.results.load_results` (scores from the gradebook, checks from the
autograded notebooks); the grading limits are :mod:`kit.course.limits`, nbgrader's cell
markers :mod:`kit.course.markers`.
"""

from typing import TYPE_CHECKING

from kit._lazy import lazy_exports

if TYPE_CHECKING:
    from kit.course.collect import CollectReport, collect
    from kit.course.coursedir import Course, import_roster, init_course, open_course
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
    from kit.course.grade import grade_assignment
    from kit.course.limits import GradingLimits
    from kit.course.records import GradeRun, Outcome, Status
    from kit.course.report import CohortReport, cohort_report
    from kit.course.results import load_results

__all__ = [
    "CohortReport",
    "CollectReport",
    "Course",
    "ExerciseChange",
    "GradeRun",
    "GradingLimits",
    "Outcome",
    "Status",
    "build_exercises",
    "check_sources",
    "cohort_report",
    "collect",
    "course_config",
    "find_course_root",
    "grade_assignment",
    "import_roster",
    "init_course",
    "load_results",
    "nbgrader_env",
    "new_gradebook",
    "open_course",
    "stale_exercises",
    "venv_on_path",
    "write_exercises",
    "write_feedback",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__, __all__)
