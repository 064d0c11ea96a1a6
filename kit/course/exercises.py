"""Build the learners' ``exercises/`` from the instructor's ``solutions/`` with nbgrader.

``solutions/<assignment>/`` holds nbgrader *source* notebooks: answers between
``### BEGIN SOLUTION`` / ``### END SOLUTION`` and hidden tests between
``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``.  ``exercises/<assignment>/`` is
what ``nbgrader generate_assignment`` makes of them, and is never edited by hand.

Building always happens in a throwaway course directory with a throwaway SQLite
gradebook, so it leaves no ``gradebook.db`` (or stray ``.nbgrader.log``) in the
repository, and the same sources always give byte-identical exercises: a test compares
a fresh build with the committed copy.

nbgrader runs the ``alembic`` executable when it creates a gradebook, so everything
here puts this interpreter's ``bin/`` first on ``PATH`` (:func:`nbgrader_env`,
:func:`venv_on_path`); reuse them wherever nbgrader runs.
"""

from __future__ import annotations

import ast
import filecmp
import fnmatch
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from functools import cache
from io import StringIO
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from kit.answers import strip_widget_state
from kit.course.markers import HIDDEN, MARKERS, SOLUTION
from kit.errors import InputError

__all__ = [
    "CONFIG_FILE",
    "IGNORED",
    "ClearSavedAnswers",
    "ExerciseChange",
    "assignment_ids",
    "build_exercises",
    "check_sources",
    "course_config",
    "find_course_root",
    "generate_preprocessors",
    "nbgrader_env",
    "new_gradebook",
    "stale_exercises",
    "venv_on_path",
    "write_exercises",
]

CONFIG_FILE = "nbgrader_config.py"
IGNORED = (".ipynb_checkpoints", "__pycache__", "*.pyc", ".nbgrader.log", "gradebook.db",
           "feedback", ".DS_Store")
"""Names never copied into, or compared in, a built exercise."""

_DELIMITERS = {kind: MARKERS[kind] for kind in (SOLUTION, HIDDEN)}
"""The markers whose balance is checked before nbgrader builds (:mod:`kit.course.markers`)."""


# --- where nbgrader runs ---------------------------------------------------------------


def _bin_dir() -> str:
    """The directory of the running interpreter: the venv's ``bin/`` (holds ``alembic``)."""
    return os.path.dirname(sys.executable)


def nbgrader_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``base`` (default ``os.environ``) with the venv's ``bin/`` first on PATH.

    Pass it as ``env=`` to any subprocess that runs ``nbgrader`` or ``jupyter``.
    """
    env = dict(os.environ if base is None else base)
    parts = [part for part in env.get("PATH", "").split(os.pathsep) if part]
    env["PATH"] = os.pathsep.join([_bin_dir(), *(p for p in parts if p != _bin_dir())])
    return env


@contextmanager
def venv_on_path() -> Iterator[None]:
    """Run nbgrader in this process with the venv's ``bin/`` first on PATH, then restore it."""
    before = os.environ.get("PATH")
    os.environ["PATH"] = nbgrader_env()["PATH"]
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = before


@cache
def _empty_gradebook(course_id: str) -> bytes:
    """An empty SQLite gradebook, made once per process (nbgrader runs ``alembic`` for it)."""
    from nbgrader.api import Gradebook

    with tempfile.TemporaryDirectory(prefix="crosstalk-gradebook-") as temp:
        path = Path(temp) / "gradebook.db"
        with venv_on_path(), Gradebook(f"sqlite:///{path}", course_id=course_id):
            pass
        return path.read_bytes()


def new_gradebook(folder: Path, course_id: str = "crosstalk") -> str:
    """Write an empty gradebook to ``folder/gradebook.db``; return its ``db_url``.

    Creating a gradebook costs seconds (nbgrader asks ``alembic`` for the schema
    version); this pays that once per process, which keeps builds and tests quick.
    """
    path = Path(folder) / "gradebook.db"
    path.write_bytes(_empty_gradebook(course_id))
    return f"sqlite:///{path}"


# --- the course directory --------------------------------------------------------------


def find_course_root(start: Path | str | None = None) -> Path:
    """The course root: the nearest folder (from ``start``, default the cwd) with
    ``nbgrader_config.py``, falling back to the repository this package lives in."""
    here = Path(start or Path.cwd()).resolve()
    candidates = [here, *here.parents, Path(__file__).resolve().parents[2]]
    for folder in candidates:
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise InputError(
        f"No {CONFIG_FILE} in {here} or any folder above it.",
        hint="Run from the repository root, or pass --root PATH.",
    )


def course_config(root: Path, *, course_root: Path | None = None,
                  db_url: str | None = None) -> Config:
    """The course's nbgrader config (``root/nbgrader_config.py``), optionally re-rooted.

    ``course_root`` and ``db_url`` override ``CourseDirectory.root`` and ``.db_url`` so a
    build or a test can run in a temporary copy with a temporary gradebook.
    """
    path = Path(root) / CONFIG_FILE
    if not path.is_file():
        raise InputError(f"{path}: not found.", hint="Run from the repository root or pass --root.")
    try:
        config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    except Exception as error:  # the config file is user code: report any failure plainly
        raise InputError(f"{path}: cannot be loaded: {type(error).__name__}: {error}") from None
    config.CourseDirectory.root = str(course_root or root)
    if db_url is not None:
        config.CourseDirectory.db_url = db_url
    return config


def _directories(config: Config) -> tuple[str, str]:
    """``(source_directory, release_directory)`` as the config names them."""
    course = config.CourseDirectory
    source = course.source_directory if "source_directory" in course else "source"
    release = course.release_directory if "release_directory" in course else "release"
    return str(source), str(release)


def _ignored(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED)


def _ignore(_folder: str, names: list[str]) -> set[str]:
    return {name for name in names if _ignored(name)}


def assignment_ids(root: Path) -> list[str]:
    """The assignments: folders of the source directory that contain a notebook, sorted."""
    source, _ = _directories(course_config(root))
    base = Path(root) / source
    if not base.is_dir():
        raise InputError(f"{base}: no such folder; nothing to build.")
    return sorted(
        folder.name for folder in base.iterdir()
        if folder.is_dir() and not folder.name.startswith(".") and any(folder.glob("*.ipynb"))
    )


# --- checking the sources before nbgrader sees them ------------------------------------


def _syntax_problem(source: str) -> str | None:
    """A cell's syntax error as ``line N: message``, IPython magics allowed; else None."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError as error:
        return f"line {error.lineno}: {error.msg}"
    return None


def _delimiter_problems(source: str, kind: str) -> list[str]:
    """Unbalanced or nested ``### BEGIN …`` / ``### END …`` lines of one kind."""
    begin, end = _DELIMITERS[kind]
    problems: list[str] = []
    opened: int | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        if begin in line:
            if opened is not None:
                problems.append(f"line {number}: {begin} inside the {kind} region opened on "
                                f"line {opened}")
            opened = number
        elif end in line:
            if opened is None:
                problems.append(f"line {number}: {end} without a {begin} before it")
            opened = None
    if opened is not None:
        problems.append(f"line {opened}: {begin} is never closed by {end}")
    return problems


def _cell_problems(cell: Any) -> list[str]:
    """What nbgrader would reject in one cell (its metadata and delimiters)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    source = cell.get("source", "")
    problems: list[str] = []
    has_solution = any(_DELIMITERS["solution"][0] in line for line in source.splitlines())
    if has_solution and not meta.get("solution"):
        problems.append("has ### BEGIN SOLUTION but is not marked as a solution cell")
    for kind in _DELIMITERS:
        problems += _delimiter_problems(source, kind)
    if meta:
        if meta.get("schema_version") != 3:
            problems.append(f"nbgrader schema_version is {meta.get('schema_version')!r}, "
                            "expected 3 (run `nbgrader update`)")
        marked = any(meta.get(flag) for flag in ("grade", "solution", "locked", "task"))
        if marked and not meta.get("grade_id"):
            problems.append("nbgrader cell without a grade_id")
        if meta.get("grade") or meta.get("task"):
            points = meta.get("points")
            if isinstance(points, bool) or not isinstance(points, int | float) or points < 0:
                problems.append(f"graded cell needs points >= 0, has {points!r}")
        if cell.cell_type == "markdown" and meta.get("grade") and not meta.get("solution"):
            problems.append("a graded markdown cell must also be a solution (answer) cell")
    if cell.cell_type == "code":
        syntax = _syntax_problem(source)
        if syntax:
            problems.append(f"Python syntax error, {syntax}")
    return problems


def _notebook_problems(path: Path, label: str) -> list[str]:
    """Located problems of one source notebook: ``label cell 4 (grade_id): …``."""
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # NotJSONError, ValidationError, UnicodeDecodeError, …
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return [f"{label}: not a readable notebook: {type(error).__name__}: {first_line}"]
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, cell in enumerate(notebook.cells, start=1):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        where = f"{label} cell {number}" + (f" ({grade_id})" if grade_id else "")
        if grade_id and grade_id in seen:
            problems.append(f"{where}: grade_id {grade_id!r} is already used by cell "
                            f"{seen[grade_id]}")
        elif grade_id:
            seen[grade_id] = number
        problems += [f"{where}: {problem}" for problem in _cell_problems(cell)]
    return problems


def check_sources(root: Path, ids: list[str] | None = None) -> None:
    """Raise one :class:`InputError` listing every broken cell of the source notebooks."""
    source, _ = _directories(course_config(root))
    problems: list[str] = []
    for assignment in ids if ids is not None else assignment_ids(root):
        for path in sorted((Path(root) / source / assignment).glob("*.ipynb")):
            problems += _notebook_problems(path, f"{source}/{assignment}/{path.name}")
    if problems:
        raise InputError(
            f"{len(problems)} problem(s) in the notebooks of {source}/; nothing was built.",
            problems,
            hint="Fix the cells named above, then run `crosstalk exercises build` again.",
        )


# --- building --------------------------------------------------------------------------


def _generation_error(assignment: str, result: Mapping[str, Any]) -> InputError:
    """nbgrader's failure as a short located message instead of its traceback."""
    log_lines = [line for line in str(result.get("log", "")).splitlines()
                 if line.startswith(("[ERROR]", "[CRITICAL]"))]
    trace = str(result.get("error", "")).strip().splitlines()
    last = trace[-1] if trace else "unknown error"
    return InputError(
        f"nbgrader could not generate the exercise for assignment {assignment!r}: {last}",
        [line.removeprefix("[ERROR] ").removeprefix("[CRITICAL] ") for line in log_lines],
        hint="Check the cells of that assignment's notebooks, then build again.",
    )


def _generate(course: Path, root: Path, ids: list[str]) -> None:
    """Run nbgrader's generate_assignment for ``ids`` in the temporary ``course`` dir."""
    from nbgrader.apps import NbGraderAPI

    course_id = str(course_config(root).CourseDirectory.get("course_id", ""))
    config = course_config(root, course_root=course, db_url=new_gradebook(course, course_id))
    quiet = StringIO()
    with venv_on_path(), redirect_stdout(quiet), redirect_stderr(quiet):
        api = NbGraderAPI(config=config)
        for assignment in ids:
            result = api.generate_assignment(assignment, force=True, create=True)
            if not result.get("success"):
                raise _generation_error(assignment, result)


class ClearSavedAnswers(Preprocessor):
    """nbgrader preprocessor: drop saved widget state (the forms' model answers).

    The course config appends it to ``GenerateAssignment.preprocessors``, so a release made
    by ``nbgrader generate_assignment`` or the formgrader never carries the instructor's
    model answers either.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        strip_widget_state(nb)
        return nb, resources


def generate_preprocessors() -> list[Any]:
    """nbgrader's default ``GenerateAssignment.preprocessors`` plus :class:`ClearSavedAnswers`."""
    from nbgrader.converters import GenerateAssignment

    default = list(GenerateAssignment.class_traits()["preprocessors"].default())
    return [*default, ClearSavedAnswers]


def _drop_saved_answers(folder: Path) -> None:
    """Remove saved widget state (the model answers of the forms) from the source notebooks.

    The instructor's notebooks carry their forms' model answers as JupyterLab saves them
    (:mod:`kit.answers`); nbgrader would copy that notebook metadata into the
    learners' copy, so it goes before nbgrader sees the notebooks.
    """
    for path in sorted(folder.rglob("*.ipynb")):
        notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if strip_widget_state(notebook):
            nbformat.write(notebook, path)


def build_exercises(root: Path, into: Path) -> list[str]:
    """Generate every assignment of ``root``'s source directory into ``into/<assignment>/``.

    Works in a temporary course directory (temporary gradebook, no log files left
    behind); ``into`` receives only the generated assignment folders.  Returns the
    assignment ids built.  Broken source notebooks raise :class:`InputError`.
    """
    root = Path(root).resolve()
    ids = assignment_ids(root)
    check_sources(root, ids)
    source, release = _directories(course_config(root))
    with tempfile.TemporaryDirectory(prefix="crosstalk-build-") as temp:
        course = Path(temp)
        shutil.copytree(root / source, course / source, ignore=_ignore)
        _drop_saved_answers(course / source)
        _generate(course, root, ids)
        Path(into).mkdir(parents=True, exist_ok=True)
        for assignment in ids:
            target = Path(into) / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(course / release / assignment, target, ignore=_ignore)
    return ids


# --- comparing and writing -------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseChange:
    """One file of ``exercises/`` that differs from a fresh build."""

    path: str
    """Relative to the course root, e.g. ``exercises/01-redirects/01-redirects.ipynb``."""
    change: str
    """``"differs"``, ``"missing"`` (would be added) or ``"extra"`` (would be removed)."""

    def __str__(self) -> str:
        words = {"differs": "differs from a fresh build", "missing": "missing",
                 "extra": "not generated from the sources"}
        return f"{self.path}: {words.get(self.change, self.change)}"


def _files(folder: Path) -> set[str]:
    """Relative paths of the files under the assignment folders of ``folder``."""
    found: set[str] = set()
    if not folder.is_dir():
        return found
    for assignment in folder.iterdir():
        if not assignment.is_dir() or _ignored(assignment.name):
            continue
        for dirpath, dirnames, filenames in os.walk(assignment):
            dirnames[:] = [name for name in dirnames if not _ignored(name)]
            for name in filenames:
                if not _ignored(name):
                    found.add((Path(dirpath) / name).relative_to(folder).as_posix())
    return found


def _compare(built: Path, committed: Path, label: str) -> list[ExerciseChange]:
    """Differences between a fresh build and the committed release folder."""
    new, old = _files(built), _files(committed)
    changes = [ExerciseChange(f"{label}/{path}", "missing") for path in new - old]
    changes += [ExerciseChange(f"{label}/{path}", "extra") for path in old - new]
    changes += [
        ExerciseChange(f"{label}/{path}", "differs") for path in new & old
        if not filecmp.cmp(built / path, committed / path, shallow=False)
    ]
    return sorted(changes, key=lambda change: change.path)


def stale_exercises(root: Path | None = None) -> list[ExerciseChange]:
    """What a fresh build would change in the committed ``exercises/``; empty when current."""
    root = find_course_root() if root is None else Path(root).resolve()
    _, release = _directories(course_config(root))
    with tempfile.TemporaryDirectory(prefix="crosstalk-check-") as temp:
        build_exercises(root, Path(temp))
        return _compare(Path(temp), root / release, release)


def write_exercises(root: Path | None = None) -> list[ExerciseChange]:
    """Regenerate ``exercises/`` in place; returns what changed (empty when it was current).

    Assignment folders with no source any more are removed; files directly in
    ``exercises/`` (not in an assignment folder) are left alone.
    """
    root = find_course_root() if root is None else Path(root).resolve()
    _, release = _directories(course_config(root))
    committed = root / release
    with tempfile.TemporaryDirectory(prefix="crosstalk-build-") as temp:
        built = Path(temp)
        ids = build_exercises(root, built)
        changes = _compare(built, committed, release)
        committed.mkdir(parents=True, exist_ok=True)
        for folder in committed.iterdir():
            if folder.is_dir() and not _ignored(folder.name) and folder.name not in ids:
                shutil.rmtree(folder)
        for assignment in ids:
            shutil.rmtree(committed / assignment, ignore_errors=True)
            shutil.copytree(built / assignment, committed / assignment)
    return changes
