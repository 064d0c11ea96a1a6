"""``crosstalk handout``: the learners' copy holds what a learner needs and no answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from kit.cli import main
from kit.course.handout import answer_lines, handout_leaks, write_handout
from kit.errors import InputError


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory, course_root: Path) -> Path:
    """One handout, written through the command as a facilitator runs it."""
    target = tmp_path_factory.mktemp("handout") / "crosstalk-handout"
    assert main(["handout", str(target)]) == 0
    return target


def test_the_handout_holds_what_a_learner_needs(handout: Path, course_root: Path) -> None:
    numbered = sorted(p.name for p in (course_root / "workshops").glob("0*.ipynb"))
    assert sorted(p.name for p in (handout / "workshops").iterdir()) == [*numbered, "GLOSSARY.md"]
    assert sorted(p.name for p in (handout / "exercises").iterdir()) == \
        sorted(p.name for p in (course_root / "solutions").iterdir() if p.is_dir())
    assert {p.name for p in handout.iterdir()} == {"README.md", "Makefile", "workshops",
                                                   "exercises", "wheels"}
    wheel = next((handout / "wheels").glob("crosstalk_kit-*.whl"))
    assert wheel.name in (handout / "Makefile").read_text(encoding="utf-8")
    assert wheel.name in (handout / "README.md").read_text(encoding="utf-8")


def test_the_handout_holds_nothing_a_facilitator_keeps(handout: Path) -> None:
    names = {p.relative_to(handout).as_posix() for p in handout.rglob("*")}
    assert not {n for n in names if n.startswith(("solutions", "tests"))}
    assert not {n for n in names if Path(n).name in {"FACILITATOR.md", "team-lead-review.ipynb",
                                                      "gradebook.db", "nbgrader_config.py"}}
    with zipfile.ZipFile(next((handout / "wheels").glob("*.whl"))) as wheel:
        members = wheel.namelist()
    tops = {member.split("/")[0] for member in members}
    assert tops == {"kit", *{t for t in tops if t.endswith((".dist-info", ".data"))}}
    data = [m for m in members if m.split("/")[0].endswith(".data")]
    assert all("/data/share/jupyter/lab/settings/" in m for m in data), data  # Lab's setting


def test_no_answer_line_is_in_the_handout(handout: Path, course_root: Path) -> None:
    """No line of a solution block, hidden test or sample answer in the notebooks and texts
    (the wheel is checked by its file list above)."""
    assert handout_leaks(handout, course_root / "solutions") == []


def test_exercises_have_their_answers_removed(handout: Path) -> None:
    for path in (handout / "exercises").glob("*/*.ipynb"):
        text = path.read_text(encoding="utf-8")
        assert "### BEGIN SOLUTION" not in text and "### BEGIN HIDDEN TESTS" not in text, path


def test_the_kit_runs_from_the_handout_wheel(handout: Path, tmp_path: Path) -> None:
    """The wheel alone (on sys.path, as a pure-Python wheel can be) gives the command."""
    wheel = next((handout / "wheels").glob("*.whl"))
    env = {**os.environ, "PYTHONPATH": str(wheel)}
    result = subprocess.run(
        [sys.executable, "-c", "import kit.cli, sys; print(kit.cli.__file__); "
         "sys.exit(kit.cli.main(['utm', 'build', 'https://shop.example/', '--source', 'news',"
         " '--medium', 'email', '--campaign', 'may']))"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    where, link = result.stdout.splitlines()[:2]
    assert ".whl" in where
    assert link == "https://shop.example/?utm_source=news&utm_medium=email&utm_campaign=may"


def test_a_planted_answer_is_found(tmp_path: Path, course_root: Path) -> None:
    """The leak check is not empty talk: an answer line copied into a notebook is named."""
    answers = answer_lines(course_root / "solutions")
    assert len(answers) > 20
    line, origin = next(iter(answers.items()))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x = 1\n    {line}")])
    nbformat.write(notebook, tmp_path / "planted.ipynb")
    leaks = handout_leaks(tmp_path, course_root / "solutions")
    assert [(leak.file, leak.origin) for leak in leaks] == [("planted.ipynb", origin)]


def test_a_written_answer_in_markdown_counts(tmp_path: Path) -> None:
    """A person-graded Markdown answer has no markers: the whole cell is the answer."""
    solutions = tmp_path / "solutions" / "99-x"
    solutions.mkdir(parents=True)
    answer = "Marketing loses the old pages' visitors when they land on the homepage."
    cell = nbformat.v4.new_markdown_cell(answer)
    cell.metadata["nbgrader"] = {"solution": True, "grade": True, "grade_id": "why",
                                 "points": 2, "locked": False, "schema_version": 3}
    template = nbformat.v4.new_code_cell('x = ""\n### BEGIN SOLUTION\nx = "/men/running/"\n'
                                         '### END SOLUTION')
    nbformat.write(nbformat.v4.new_notebook(cells=[cell, template]), solutions / "99-x.ipynb")
    shown = tmp_path / "shown"
    shown.mkdir()
    (shown / "notes.md").write_text(f"# Notes\n{answer}\nx = \"/men/running/\"\n")
    assert [leak.line for leak in handout_leaks(shown, tmp_path / "solutions")] == \
        [answer, 'x = "/men/running/"']


def test_a_non_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("keep me")
    with pytest.raises(InputError, match="not an empty folder"):
        write_handout(tmp_path, wheel=False)
    assert (tmp_path / "old.txt").read_text() == "keep me"


def test_the_handout_notebooks_are_valid(handout: Path) -> None:
    for path in handout.rglob("*.ipynb"):
        nbformat.validate(nbformat.read(path, as_version=4))
        assert json.loads(path.read_text(encoding="utf-8"))["nbformat"] == 4
