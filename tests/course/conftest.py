"""Fixtures for the nbgrader course tests: where the course lives, and nbgrader helpers.

Everything that runs nbgrader here uses temporary course directories and gradebooks, and
puts the venv's ``bin/`` on PATH (nbgrader runs ``alembic``), so a test run leaves no
``gradebook.db`` behind.
"""

from __future__ import annotations

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
