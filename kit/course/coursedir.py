"""A team lead's course folder: ``crosstalk course init`` and ``crosstalk course roster``.

A course folder is an ordinary nbgrader course directory::

    DIR/nbgrader_config.py   course id, gradebook URL, the grading limits
    DIR/source -> solutions/ the kit's instructor notebooks (a symbolic link)
    DIR/release/             the learners' copies nbgrader generated
    DIR/gradebook.db         the SQLite gradebook (unless --db names another database)
    DIR/roster.csv           learner_id, name, role (marketing, it or other)
    DIR/submitted/ autograded/ feedback/   nbgrader's usual folders
    DIR/grading/<assignment>.json          what crosstalk grade found per learner and task
                                           (no scores: the gradebook is their one store;
                                           see kit.course.records)

Its ``nbgrader_config.py`` swaps nbgrader's ``Execute`` for
:class:`kit.course.sandbox.SandboxedExecute`, so ``nbgrader autograde`` and the formgrader in
that folder grade with the same limits as ``crosstalk grade``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pandas as pd

from kit.course.exercises import (
    CONFIG_FILE,
    assignment_ids,
    course_config,
    find_course_root,
    new_gradebook,
    venv_on_path,
)
from kit.course.limits import GradingLimits
from kit.errors import InputError
from kit.tables import TableSource, locate, read_table, rename_columns

__all__ = [
    "ROLES",
    "Course",
    "GradingLimits",
    "import_roster",
    "init_course",
    "open_course",
    "read_roster",
]

ROLES = ("marketing", "it", "other")
COURSE_ID = "crosstalk"
ROSTER_FILE = "roster.csv"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Course:
    """An initialised course folder; see the module docstring for its layout."""

    root: Path
    db_url: str
    course_id: str
    source: Path
    assignments: tuple[str, ...] = field(default=())

    @property
    def roster_path(self) -> Path:
        return self.root / ROSTER_FILE

    def folder(self, name: str) -> Path:
        """``submitted``, ``autograded``, ``feedback``, ``release`` or ``grading`` folder."""
        return self.root / name

    def config(self):  # -> traitlets Config
        """The nbgrader config of this course, rooted at :attr:`root`."""
        return course_config(self.root, course_root=self.root)

    def roster(self) -> pd.DataFrame:
        """The imported roster (``learner_id, name, role``); empty when none was imported."""
        if not self.roster_path.is_file():
            return pd.DataFrame({"learner_id": [], "name": [], "role": []}, dtype=object)
        return pd.read_csv(self.roster_path, dtype=str, keep_default_na=False)

    def __repr__(self) -> str:
        return (f"Course({str(self.root)!r}, assignments={list(self.assignments)}, "
                f"db={_safe_url(self.db_url)!r})")


def _safe_url(url: str) -> str:
    """A database URL with its password hidden."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def _config_text(source: Path, db_url: str | None, limits: GradingLimits) -> str:
    db_line = f"c.CourseDirectory.db_url = {db_url!r}\n" if db_url else (
        "# SQLite gradebook: DIR/gradebook.db (nbgrader's default; the folder can move).\n")
    return f'''"""nbgrader configuration of a Crosstalk course (written by `crosstalk course init`).

Grading here (`crosstalk grade`, `nbgrader autograde`, the formgrader) runs each notebook with
kit.course.sandbox.SandboxedExecute: a per-cell timeout, an output limit, a memory limit and,
on Linux, a Landlock sandbox. Edit the limits below; they apply to every grading tool.
"""

import os
import sys

# nbgrader runs `alembic` when it creates a gradebook: this interpreter's bin/ goes first.
_bin = os.path.dirname(sys.executable)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

c = get_config()  # type: ignore[name-defined]  # noqa: F821

c.CourseDirectory.course_id = {COURSE_ID!r}
c.CourseDirectory.source_directory = "source"  # -> {source}
c.CourseDirectory.release_directory = "release"
{db_line}
# Deleted test cells are put back (and run) instead of being skipped.
c.OverwriteCells.add_missing_cells = True

c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "kit.course.sanitize.SafeOverwriteCells",  # nbgrader's, minus a crash on fake test cells
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.SafeOverwriteCells.add_missing_cells = True
# Releases never carry the answer forms' model answers (saved widget state, kit/answers.py).
from kit.course.exercises import generate_preprocessors  # noqa: E402

c.GenerateAssignment.preprocessors = generate_preprocessors()
c.Autograde.autograde_preprocessors = [
    "kit.course.sandbox.SandboxedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.SandboxedExecute.timeout = {limits.cell_timeout}  # seconds per cell
c.SandboxedExecute.max_output_mb = {limits.max_output_mb}  # output of the whole notebook
c.SandboxedExecute.memory_mb = {limits.memory_mb}  # address space of the kernel
c.SandboxedExecute.cpu_seconds = {limits.cpu_seconds}  # CPU time of the kernel
'''


def _quiet_api(course: Course):
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(config=course.config())


def init_course(
    folder: Path | str,
    *,
    db_url: str | None = None,
    solutions: Path | None = None,
    limits: GradingLimits | None = None,
) -> Course:
    """Create (or bring up to date) a course folder wired to the kit's ``solutions/``.

    Every assignment of ``solutions/`` is generated into ``release/`` and recorded in the
    gradebook; running it again adds assignments that appeared since.  ``db_url`` is any
    SQLAlchemy URL (``postgresql+psycopg://user:pw@host/db``); default SQLite in ``folder``.
    """
    root = Path(folder).resolve()
    solutions = Path(solutions).resolve() if solutions else find_course_root() / "solutions"
    if not solutions.is_dir():
        raise InputError(f"{solutions}: no solutions folder to build the course from.")
    if root.exists() and not root.is_dir():
        raise InputError(f"{root}: exists and is not a folder.", hint="Choose another DIR.")
    root.mkdir(parents=True, exist_ok=True)
    config_path = root / CONFIG_FILE
    if config_path.exists() and "crosstalk course init" not in config_path.read_text("utf-8"):
        raise InputError(f"{config_path}: an nbgrader config that crosstalk did not write.",
                         hint="Use an empty folder for the course.")
    source = root / "source"
    if source.is_symlink() or source.exists():
        if source.resolve() != solutions:
            raise InputError(f"{source}: already points to {source.resolve()}, not {solutions}.",
                             hint="Use another folder, or remove DIR/source first.")
    else:
        os.symlink(solutions, source, target_is_directory=True)
    if not config_path.exists() or db_url:
        config_path.write_text(_config_text(solutions, db_url, limits or GradingLimits()),
                               encoding="utf-8")
    course = open_course(root)
    _ensure_gradebook(course)
    _generate_missing(course)
    return open_course(root)


def _ensure_gradebook(course: Course) -> None:
    from nbgrader.api import Gradebook

    if course.db_url.startswith("sqlite:///"):
        path = Path(course.db_url.removeprefix("sqlite:///"))
        if not path.exists():
            new_gradebook(path.parent, course.course_id)
        import sqlite3

        with sqlite3.connect(path) as connection:  # readers never wait for a grading writer
            connection.execute("PRAGMA journal_mode=WAL")
        return
    try:
        with venv_on_path(), Gradebook(course.db_url, course_id=course.course_id):
            pass
    except Exception as error:  # driver missing, server down, bad credentials
        raise InputError(f"cannot open the gradebook {_safe_url(course.db_url)}: "
                         f"{type(error).__name__}: {str(error).splitlines()[0]}",
                         hint="Check the URL, that the server runs, and that its driver "
                              "(e.g. psycopg) is installed.") from None


def _generate_missing(course: Course) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course_id=course.course_id) as book:
        known = {assignment.name for assignment in book.assignments}
    missing = [name for name in assignment_ids(course.root) if name not in known
               or not (course.folder("release") / name).is_dir()]
    if not missing:
        return
    logs = StringIO()
    with venv_on_path(), redirect_stdout(logs), redirect_stderr(logs):
        api = _quiet_api(course)
        for assignment in missing:
            result = api.generate_assignment(assignment, force=True, create=True)
            if not result.get("success"):
                error = str(result.get("error", "")).strip().splitlines()
                raise InputError(f"nbgrader could not generate {assignment!r}: "
                                 f"{error[-1] if error else 'unknown error'}",
                                 hint="Run `crosstalk exercises build` to see which cell.")


def open_course(folder: Path | str) -> Course:
    """The course in ``folder`` (made by :func:`init_course`), or a clear InputError."""
    root = Path(folder).resolve()
    if not (root / CONFIG_FILE).is_file():
        raise InputError(f"{root}: not a course folder (no {CONFIG_FILE}).",
                         hint=f"Create it with `crosstalk course init {folder}`.")
    config = course_config(root, course_root=root)
    section = config.CourseDirectory
    db_url = str(section.db_url) if "db_url" in section else f"sqlite:///{root / 'gradebook.db'}"
    course_id = str(section.course_id) if "course_id" in section else COURSE_ID
    source_name = str(section.source_directory) if "source_directory" in section else "source"
    source = root / source_name
    names = tuple(assignment_ids(root)) if source.is_dir() else ()
    return Course(root=root, db_url=db_url, course_id=course_id, source=source,
                  assignments=names)


# --- roster ----------------------------------------------------------------------------

_ALIASES = {
    "learner_id": ("learner", "student_id", "student", "id", "username", "user"),
    "name": ("full_name", "learner_name", "student_name"),
    "role": ("department", "team", "side"),
}


def read_roster(source: TableSource) -> pd.DataFrame:
    """A roster (``learner_id, name, role``) checked row by row; raises a located InputError.

    Learner ids are what nbgrader uses as folder names: letters, digits, ``_ . -``, up to
    64 characters.  Roles are ``marketing``, ``it`` or ``other`` (case-insensitive; "IT"
    and "Marketing" are fine).
    """
    table = read_table(source, what="roster")
    rename_columns(table, _ALIASES, required=["learner_id", "name", "role"], what="roster")
    frame = table.frame
    ids = frame["learner_id"].fillna("").astype(str).str.strip()
    names = frame["name"].fillna("").astype(str).str.strip()
    roles = frame["role"].fillna("").astype(str).str.strip().str.lower()
    problems: list[str] = []
    bad_ids = [i for i, value in enumerate(ids) if not _ID.match(value)]
    problems += locate(table, [i for i in bad_ids if not ids.iloc[i]], "learner_id is empty")
    problems += [
        f"{table.where(i)}: learner_id {ids.iloc[i]!r} is not usable as a folder name "
        "(letters, digits, _ . - only, up to 64 characters)"
        for i in bad_ids if ids.iloc[i]
    ]
    first_seen: dict[str, int] = {}
    for i, value in enumerate(ids):
        if value in first_seen and i not in bad_ids:
            problems.append(f"{table.where(i)}: learner_id {value!r} is already on "
                            f"{table.where(first_seen[value])}")
        first_seen.setdefault(value, i)
    problems += [
        f"{table.where(i)}: role {frame['role'].iloc[i]!r} is not one of "
        f"{', '.join(ROLES)}"
        for i, role in enumerate(roles) if role not in ROLES
    ]
    if problems:
        raise InputError(f"{table.name}: {len(problems)} problem(s) in the roster; "
                         "nothing was imported.", problems,
                         hint="Fix those rows and import the roster again.")
    return pd.DataFrame({"learner_id": ids, "name": names, "role": roles},
                        dtype=object).reset_index(drop=True)


def _split_name(name: str) -> tuple[str, str]:
    parts = name.rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (name, "")


def import_roster(course: Course | Path | str, source: TableSource) -> pd.DataFrame:
    """Add or update the roster's learners in the gradebook and in ``DIR/roster.csv``.

    Learners already in ``roster.csv`` but not in this file are kept.  Returns the
    complete roster.
    """
    from nbgrader.api import Gradebook

    course = course if isinstance(course, Course) else open_course(course)
    new = read_roster(source)
    old = course.roster()
    merged = pd.concat([old[~old["learner_id"].isin(new["learner_id"])], new],
                       ignore_index=True).sort_values("learner_id", kind="stable")
    with venv_on_path(), Gradebook(course.db_url, course_id=course.course_id) as book:
        for row in new.itertuples():
            first, last = _split_name(row.name)
            book.update_or_create_student(row.learner_id, first_name=first, last_name=last)
    merged.to_csv(course.roster_path, index=False)
    return merged.reset_index(drop=True)


def roster_roles(course: Course, learners: Sequence[str]) -> dict[str, str]:
    """``learner → role`` for ``learners`` (``other`` where the roster does not say)."""
    roster = course.roster()
    roles = dict(zip(roster["learner_id"], roster["role"], strict=True))
    return {learner: roles.get(learner, "other") for learner in learners}


def remove_tree(path: Path) -> None:
    """Delete a folder if it exists (helper for re-grading and collecting)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
