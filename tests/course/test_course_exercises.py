"""solutions/ validates, exercises/ is generated from it and current, broken sources are named."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.validator import Validator

from kit.cli import main
from kit.course import build_exercises, nbgrader_env, stale_exercises, venv_on_path
from kit.course.exercises import CONFIG_FILE
from kit.errors import InputError

REBUILD = "run `crosstalk exercises build` and commit exercises/"


def validate(path: Path, *, invert: bool = False) -> dict[str, list[dict[str, str]]]:
    """``nbgrader validate [--invert] path``: an empty dict means it passes."""
    with venv_on_path():
        return Validator(invert=invert).validate(str(path))


def cell_report(results: dict[str, list[dict[str, str]]]) -> str:
    """The failing cells, readable in a pytest failure."""
    return "\n\n".join(
        f"[{kind}] {cell['source'][:300]}\n{cell.get('raw_error', '')[-1500:]}"
        for kind, cells in results.items() for cell in cells
    )


def test_solution_passes_nbgrader_validate(solution_notebook: Path) -> None:
    results = validate(solution_notebook)
    assert results == {}, "the solution notebook fails its own tests:\n" + cell_report(results)


def test_blank_exercise_scores_nothing(exercise_notebook: Path) -> None:
    results = validate(exercise_notebook, invert=True)
    assert results == {}, "a blank exercise passes some tests:\n" + cell_report(results)


def test_solution_is_stored_without_outputs(solution_notebook: Path) -> None:
    notebook = nbformat.read(solution_notebook, as_version=4)
    with_output = [cell.id for cell in notebook.cells
                   if cell.cell_type == "code" and (cell.outputs or cell.execution_count)]
    assert not with_output, f"clear the outputs of cells {with_output} in {solution_notebook}"


def test_exercises_are_current(course_root: Path) -> None:
    stale = stale_exercises(course_root)
    assert not stale, (
        "exercises/ is stale; " + REBUILD + ":\n" + "\n".join(f"  - {change}" for change in stale)
    )


def copy_course(course_root: Path, into: Path) -> Path:
    """A throwaway copy of the course: config, solutions/ and exercises/."""
    shutil.copy(course_root / CONFIG_FILE, into / CONFIG_FILE)
    for folder in ("solutions", "exercises"):
        shutil.copytree(course_root / folder, into / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return into


def test_check_reports_stale_files_then_build_fixes_them(
    course_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = copy_course(course_root, tmp_path)
    exercise = course / "exercises" / "01-redirects" / "01-redirects.ipynb"
    exercise.write_text(exercise.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (course / "exercises" / "99-removed").mkdir()
    (course / "exercises" / "99-removed" / "old.ipynb").write_text("{}", encoding="utf-8")

    assert main(["exercises", "build", "--check", "--root", str(course)]) == 1
    out = capsys.readouterr().out
    assert "exercises/01-redirects/01-redirects.ipynb: differs from a fresh build" in out
    assert "exercises/99-removed/old.ipynb: not generated from the sources" in out
    assert "crosstalk exercises build" in out

    assert main(["exercises", "build", "--root", str(course)]) == 0
    assert exercise.read_bytes() == (course_root / exercise.relative_to(course)).read_bytes()
    assert not (course / "exercises" / "99-removed").exists()
    leftovers = [p.name for p in course.rglob("*") if p.name in {"gradebook.db", ".nbgrader.log"}]
    assert not leftovers, f"building left {leftovers} in the course directory"


def test_nbgrader_env_puts_the_venv_first() -> None:
    env = nbgrader_env({"PATH": "/usr/bin:/bin"})
    first = Path(env["PATH"].split(":")[0])
    assert (first / "alembic").exists(), f"alembic is not in {first}"
    assert env["PATH"].endswith("/usr/bin:/bin")


# --- broken sources: one clear message naming notebook and cell, no traceback ----------

GOOD = {"grade": False, "locked": False, "schema_version": 3, "solution": True, "task": False}
TESTS = {"grade": True, "locked": True, "points": 1, "schema_version": 3, "solution": False,
         "task": False}


def code_cell(source: str, **nbgrader: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = dict(nbgrader)
    return cell


BROKEN = [
    pytest.param(
        [code_cell("### BEGIN SOLUTION\nx = 1\n", **GOOD, grade_id="answer")],
        "cell 1 (answer): line 1: BEGIN SOLUTION is never closed by END SOLUTION",
        id="unclosed-solution",
    ),
    pytest.param(
        [code_cell("x = = 1", **GOOD, grade_id="answer")],
        "cell 1 (answer): Python syntax error, line 1: invalid syntax",
        id="syntax-error",
    ),
    pytest.param(
        [code_cell("x = 1", **GOOD, grade_id="answer"),
         code_cell("assert x == 1", **TESTS, grade_id="answer")],
        "cell 2 (answer): grade_id 'answer' is already used by cell 1",
        id="duplicate-grade-id",
    ),
    pytest.param(
        [code_cell("assert True", **{**TESTS, "points": None}, grade_id="check")],
        "cell 1 (check): graded cell needs points >= 0, has None",
        id="no-points",
    ),
    pytest.param(
        [code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", **TESTS, grade_id="check")],
        "cell 1 (check): has ### BEGIN SOLUTION but is not marked as a solution cell",
        id="solution-in-test-cell",
    ),
]


def broken_course(tmp_path: Path, course_root: Path) -> Path:
    shutil.copy(course_root / CONFIG_FILE, tmp_path / CONFIG_FILE)
    (tmp_path / "solutions" / "99-broken").mkdir(parents=True)
    return tmp_path / "solutions" / "99-broken" / "broken.ipynb"


@pytest.mark.parametrize(("cells", "message"), BROKEN)
def test_broken_source_cell_is_named(
    cells: list[nbformat.NotebookNode], message: str, tmp_path: Path, course_root: Path
) -> None:
    path = broken_course(tmp_path, course_root)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    with pytest.raises(InputError) as caught:
        build_exercises(tmp_path, tmp_path / "out")
    assert f"solutions/99-broken/broken.ipynb {message}" in str(caught.value)
    assert "Traceback" not in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_unreadable_notebook_is_named_by_the_cli(
    tmp_path: Path, course_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_course(tmp_path, course_root).write_text('{"cells": [', encoding="utf-8")
    assert main(["exercises", "build", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "solutions/99-broken/broken.ipynb: not a readable notebook" in err
    assert "Traceback" not in err
