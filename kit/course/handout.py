"""The learners' copy: what a learner needs on a laptop, and nothing a facilitator keeps.

``make lab`` serves the repository, where ``solutions/`` (model answers, hidden tests) and
the formgrader are one click away: it is the facilitator's.  :func:`write_handout` writes a
folder to give learners instead::

    HANDOUT/
      README.md            how to start, in plain words
      Makefile             `make lab`: a venv with the kit, then JupyterLab on this folder
      workshops/           00-welcome … 06-capstone, GLOSSARY.md (no facilitator guide,
                           no team-lead notebook)
      exercises/           built now from solutions/ with nbgrader (answers and hidden
                           tests removed), never copied from a possibly stale folder
      wheels/              the kit as a wheel (its code only: no solutions, no tests)

:func:`handout_leaks` lists every line of a solution block, hidden test or rubric sample
of ``solutions/`` found in a handout's notebooks and texts; the tests and ``crosstalk handout``
itself refuse a handout that has any.  The wheel is checked by its file list (only ``kit/``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from kit.course.exercises import build_exercises, find_course_root
from kit.course.markers import HIDDEN, MARKERS, SOLUTION, split_regions
from kit.errors import InputError

__all__ = ["HANDOUT_WORKSHOPS", "Leak", "answer_lines", "handout_leaks", "write_handout"]

HANDOUT_WORKSHOPS = re.compile(r"^\d\d-[\w-]+\.ipynb$")
"""The numbered workshop notebooks; ``team-lead-review.ipynb`` is the team lead's."""
LEARNER_FILES = ("GLOSSARY.md",)
"""Other files of ``workshops/`` that learners get (not ``FACILITATOR.md``)."""
MIN_LINE = 16
"""Answer lines shorter than this (``pass``, ``return x``) are too common to be a leak."""

_README = """\
# Crosstalk: the learners' copy

Workshops for Marketing and IT, side by side. You need Python 3.11 or newer.

1. Open a terminal in this folder and run `make lab` (on Windows without make:
   `python -m venv .venv`, then `.venv\\Scripts\\pip install "{wheel}[workshop]"`,
   then `.venv\\Scripts\\jupyter lab`).
2. Open the address it prints (with `?token=...`) in your browser.
3. Start with `workshops/00-welcome.ipynb`. After each module, do its exercise in
   `exercises/`; its check cells tell you whether your answers pass.

Hand in your own exercise notebooks (one per person, even when you worked in a pair):
your facilitator says where. Keep `workshops/GLOSSARY.md` open for the other side's words.
"""

_MAKEFILE = """\
# The learners' copy: `make lab` sets up a virtual environment with the kit and starts
# JupyterLab on this folder (stop it with Ctrl+C).
PYTHON ?= python3
PORT ?= 8888
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: .venv/.installed
\t.venv/bin/jupyter lab --no-browser --port=$(PORT) $(ALLOW_ROOT) \\
\t\t--ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/workshops

.venv/.installed:
\t$(PYTHON) -m venv .venv
\t.venv/bin/python -m pip install --disable-pip-version-check --quiet "{wheel}[workshop]"
\ttouch $@

.PHONY: lab
"""


@dataclass(frozen=True)
class Leak:
    """One answer line of ``solutions/`` found in a handout file."""

    file: str
    line: str
    origin: str

    def __str__(self) -> str:
        return f"{self.file}: {self.line.strip()!r} (from {self.origin})"


def _answer_split(cell: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """``([(region kind, line) inside answer regions], [lines outside])`` of a cell
    (:func:`kit.course.markers.split_regions`); a solution cell without solution markers
    (a written answer in Markdown) is an answer as a whole: nbgrader gives learners an
    empty one."""
    meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
    if meta.get("solution") and MARKERS[SOLUTION][0] not in cell.source:
        return [(SOLUTION, line) for line in cell.source.splitlines()], []
    regions = split_regions(cell.source)
    inside = sorted((number, kind, line) for kind, lines in regions.inside.items()
                    for number, line in lines)
    return [(kind, line) for _, kind, line in inside], regions.visible


def _key(line: str) -> str:
    return " ".join(line.split())


def _telling(key: str) -> bool:
    """Long enough to be an answer, and not a comment or an import."""
    return len(key) >= MIN_LINE and not key.startswith(("#", "import ", "from "))


def answer_lines(solutions: Path) -> dict[str, str]:
    """``{normalised line: "assignment/notebook cell N"}`` for every answer line of
    ``solutions/`` long enough to be telling (see :data:`MIN_LINE`).

    A solution line that the same cell also shows outside its regions (the template a
    solution repeats, such as ``columns=["source", "target"],``) is not an answer; nor is
    a hidden-test line that the notebook shows anywhere outside its regions (a test
    reusing visible code).  A solution line shown in *another* cell, for instance as the
    data of a later part, is a leak and is reported."""
    lines: dict[str, str] = {}
    for path in sorted(solutions.glob("*/*.ipynb")):
        cells = [_answer_split(cell) for cell in nbformat.read(path, as_version=4).cells]
        visible = {_key(line) for _, outside in cells for line in outside}
        for index, (inside, outside) in enumerate(cells):
            template = {_key(line) for line in outside}
            for begin, line in inside:
                key = _key(line)
                shown = visible if begin == HIDDEN else template
                if _telling(key) and key not in shown:
                    lines.setdefault(key, f"{path.parent.name}/{path.name} cell {index}")
    return lines


def _strings(value: Any) -> Iterator[str]:
    """Every string inside parsed JSON: a notebook's sources, outputs and metadata."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _text(name: str, data: bytes) -> str:
    """A file's text as a person would read it: a notebook's JSON strings decoded."""
    text = data.decode("utf-8", "replace")
    if name.endswith(".ipynb"):
        try:
            return "\n".join(_strings(json.loads(text)))
        except ValueError:
            return text
    return text


def _texts(folder: Path) -> Iterator[tuple[str, str]]:
    """``(relative name, text)`` of every course file in ``folder``.

    The kit's wheel is not read line by line: it is the package every learner runs (on a
    laptop or the hub alike), so it cannot be cut to suit one exercise; what it may hold is
    checked by its file list instead (only ``kit/`` and its metadata: no ``solutions/``)."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or ".venv" in path.parts or path.suffix == ".whl":
            continue
        name = path.relative_to(folder).as_posix()
        yield name, _text(name, path.read_bytes())


def handout_leaks(folder: Path, solutions: Path) -> list[Leak]:
    """Every answer line of ``solutions/`` that appears in a file of ``folder``."""
    answers = answer_lines(solutions)
    leaks = []
    for name, text in _texts(folder):
        for line in text.splitlines():
            key = _key(line)
            if key in answers:
                leaks.append(Leak(name, line.strip(), answers[key]))
    return leaks


def _build_wheel(root: Path, into: Path) -> Path:
    """A wheel of the kit built from ``root`` into ``into`` (pip, as any package is built)."""
    into.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="crosstalk-wheel-") as scratch:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
             "--quiet", "--wheel-dir", scratch, str(root)],
            capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
        wheels = sorted(Path(scratch).glob("crosstalk_kit-*.whl"))
        if result.returncode != 0 or not wheels:
            raise InputError(f"building the kit's wheel from {root} failed:\n"
                             f"{(result.stderr or result.stdout).strip()[-2000:]}",
                             hint="Check that pip can reach its package index (it fetches "
                                  "setuptools to build), or build a wheel yourself.")
        target = into / wheels[-1].name
        shutil.copy2(wheels[-1], target)
        return target


def write_handout(into: Path | str, *, root: Path | None = None, wheel: bool = True) -> Path:
    """Write the learners' copy into ``into`` (which must not exist or be empty).

    ``wheel=False`` leaves out the kit's wheel (the README then names the package to
    install).  Raises :class:`~kit.errors.InputError` when the target is not empty, and
    when the copy would contain any answer line (it is then removed again).
    """
    root = (root or find_course_root()).resolve()
    target = Path(into).resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(f"{into}: exists and is not an empty folder.",
                         hint="Name a new folder; a handout is always written fresh.")
    if target == root or target in root.parents:
        raise InputError(f"{into}: would hold the kit's repository {root}.",
                         hint="Name a new folder, e.g. build/handout.")
    target.mkdir(parents=True, exist_ok=True)
    try:
        workshops = target / "workshops"
        workshops.mkdir()
        for path in sorted((root / "workshops").iterdir()):
            if HANDOUT_WORKSHOPS.match(path.name) or path.name in LEARNER_FILES:
                shutil.copy2(path, workshops / path.name)
        build_exercises(root, target / "exercises")
        package = "crosstalk-kit"
        if wheel:
            package = f"wheels/{_build_wheel(root, target / 'wheels').name}"
        (target / "README.md").write_text(_README.format(wheel=package), encoding="utf-8")
        (target / "Makefile").write_text(_MAKEFILE.format(wheel=package), encoding="utf-8")
        leaks = handout_leaks(target, root / "solutions")
        if leaks:
            raise InputError(f"the handout would contain {len(leaks)} answer line(s), e.g. "
                             + "; ".join(map(str, leaks[:3])),
                             hint="Remove the answer from the workshop or exercise named.")
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target
