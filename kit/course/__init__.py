"""nbgrader integration: build the learners' exercises from the instructor's solutions.

``crosstalk exercises build`` regenerates ``exercises/`` from ``solutions/``;
``--check`` only reports what is stale.  :func:`nbgrader_env` and :func:`venv_on_path`
put the venv's ``bin/`` on PATH, which nbgrader needs (it runs ``alembic``).
"""

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

__all__ = [
    "ExerciseChange",
    "build_exercises",
    "check_sources",
    "course_config",
    "find_course_root",
    "nbgrader_env",
    "new_gradebook",
    "stale_exercises",
    "venv_on_path",
    "write_exercises",
]
