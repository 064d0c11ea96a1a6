"""nbgrader configuration for the Crosstalk course (read from the repository root).

``solutions/`` holds the instructor's source assignments (answers and hidden tests);
``exercises/`` holds the learners' copies that ``crosstalk exercises build`` generates
from them. Start JupyterLab (and so the formgrader) from the repository root.
"""

import os
import sys

# nbgrader runs the ``alembic`` executable when it creates a gradebook. Put this
# interpreter's bin directory first on PATH so that works however Jupyter was started.
_bin = os.path.dirname(sys.executable)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

c = get_config()  # type: ignore[name-defined]  # noqa: F821 (provided by traitlets)

c.CourseDirectory.course_id = "crosstalk"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# The instructor's notebooks carry their answer forms' model answers as saved widget state
# (kit/answers.py): every release made from them drops it, whoever generates it.
from kit.course.exercises import generate_preprocessors  # noqa: E402

c.GenerateAssignment.preprocessors = generate_preprocessors()
