"""Fixtures for the nbgrader course tests: where the course lives, and nbgrader helpers.

Everything that runs nbgrader here uses temporary course directories and gradebooks, and
puts the venv's ``bin/`` on PATH (nbgrader runs ``alembic``), so a test run leaves no
``gradebook.db`` behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kit.course import find_course_root

ASSIGNMENT = "01-redirects"


@pytest.fixture(scope="session")
def course_root() -> Path:
    """The repository root: holds nbgrader_config.py, solutions/ and exercises/."""
    return find_course_root(Path(__file__).parent)


@pytest.fixture(scope="session")
def solution_notebook(course_root: Path) -> Path:
    """The instructor's source notebook of module 01."""
    return course_root / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


@pytest.fixture(scope="session")
def exercise_notebook(course_root: Path) -> Path:
    """The committed learners' copy of module 01."""
    return course_root / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


# --- team lead's tools: one course template per session, copied per test ---------------

TEST_LIMITS = {"cell_timeout": 30, "max_output_mb": 1.0, "memory_mb": 1536, "cpu_seconds": 120}
ROSTER = "learner_id,name,role\n" + "\n".join(
    f"{learner},{learner.title()} Test,{role}" for learner, role in [
        ("alice", "marketing"), ("bob", "it"), ("carol", "marketing"), ("dave", "it"),
        ("erin", "other"), ("frank", "it"), ("grace", "marketing"), ("heidi", "it"),
        ("ivan", "marketing"), ("judy", "it"), ("mallory", "it"), ("oscar", "marketing"),
        ("peggy", "it"), ("trent", "marketing"), ("victor", "it"), ("walter", "marketing"),
    ]) + "\n"


@pytest.fixture(scope="session")
def course_template(tmp_path_factory: pytest.TempPathFactory, course_root: Path) -> Path:
    """A course folder made once (``course init`` + roster); copy it with ``make_course``."""
    from kit.course.coursedir import GradingLimits, import_roster, init_course

    folder = tmp_path_factory.mktemp("template") / "course"
    init_course(folder, solutions=course_root / "solutions", limits=GradingLimits(**TEST_LIMITS))
    roster = folder.parent / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    import_roster(folder, roster)
    return folder


@pytest.fixture
def make_course(course_template: Path, tmp_path: Path):
    """``make_course(name="course")``: a fresh copy of the template course; returns it."""
    from kit.course.coursedir import open_course

    def make(name: str = "course"):
        target = tmp_path / name
        shutil.copytree(course_template, target, symlinks=True)
        return open_course(target)

    return make
