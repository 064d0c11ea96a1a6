"""No answer from solutions/ reaches learners: workshops, exercises, visible check messages.

What counts as an answer, from every notebook of ``solutions/`` (06-capstone included):

* each line of a solution region (``### BEGIN SOLUTION`` … ``### END SOLUTION``), a hidden
  test region and a mark scheme region (the rubric's sample answers);
* each text a form's model answer holds (saved widget state, :mod:`kit.answers`).

Lines are compared with whitespace collapsed.  Trivially common lines are ignored: short
ones, imports, openers such as ``x = f(``, and lines that learners are given anyway (they
appear outside those regions in the solutions, e.g. a stub or a setup line a hidden test
repeats).  Two looser checks catch a retold answer: a text sharing many three-word phrases
(stop words left out) with a model or sample answer, and a text that names most of the
functions a solution calls (two or more, e.g. the criteria of a capstone brief) and few
others of the kind.

Where they must not appear:

* ``workshops/*.ipynb``: cell sources and outputs;
* ``exercises/``: every file (sources, outputs, metadata), nbgrader's template lines aside;
  and no exercise carries saved form answers at all;
* the visible part of every check cell (what a learner reads when a check fails); a visible
  check also never spells out a form's model answer (its set of letters, an item and its
  choice on one line, the number).
"""

from __future__ import annotations

import builtins
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from kit.answers import saved_answers
from kit.course import find_course_root
from kit.course.markers import HIDDEN, SCHEME, SOLUTION, STUB_LINES, split_regions

ROOT = find_course_root(Path(__file__).parent)
MIN_LENGTH = 24
"""Lines shorter than this (whitespace collapsed) are too common to be an answer."""
REGIONS = {SOLUTION: "solution", HIDDEN: "hidden test", SCHEME: "sample answer"}
"""How this test names each kind of answer region (:mod:`kit.course.markers`)."""


def _flat(text: str) -> str:
    return " ".join(text.split())


def _notebooks(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in path.parts)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")).get("cells", [])


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _split(source: str) -> tuple[dict[str, list[str]], list[str]]:
    """Lines inside each kind of region (named as in :data:`REGIONS`), and the lines outside
    every region: :func:`kit.course.markers.split_regions`."""
    regions = split_regions(source)
    return {REGIONS[kind]: regions.lines(kind) for kind in REGIONS}, regions.visible


def _trivial(line: str) -> bool:
    text = _flat(line).strip("#*> ")
    return (len(text) < MIN_LENGTH or text in STUB_LINES or text.endswith(("(", "[", "{"))
            or re.match(r"^(from \S+ )?import \S", text) is not None)


_STOP = ("the a an and or of to in on for with by is are be it its their this that as at from "
         "not no such than then so if each every one all our we you your them they will can may")
STOP_WORDS = frozenset(_STOP.split(" "))
SHARED_PHRASES = (6, 0.2)
"""A text retells an answer when it shares at least 6 phrases and a fifth of the answer's."""
BUILTINS = frozenset(dir(builtins))


def _phrases(text: str) -> set[tuple[str, ...]]:
    words = [word for word in re.findall(r"[a-z0-9_]+", text.lower())
             if word not in STOP_WORDS and len(word) > 1]
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


@cache
def regions() -> list[tuple[str, str, str]]:
    """``(where, kind, text)`` of every answer region of solutions/."""
    found = []
    for path in _notebooks(ROOT / "solutions"):
        label = path.relative_to(ROOT).as_posix()
        for cell in _cells(path):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
            inside, _ = _split(_source(cell))
            found += [(f"{label} cell {grade_id} ({kind})", kind, "\n".join(lines))
                      for kind, lines in inside.items() if lines]
    return found


@cache
def _answer_calls() -> dict[str, frozenset[str]]:
    """Per solution region: the functions it calls that learners must choose (two or more)."""
    calls = {}
    for where, kind, text in regions():
        names = frozenset(re.findall(r"(?<![.\w])([A-Za-z_][A-Za-z0-9_]*)\(", text)) - BUILTINS
        if kind == "solution" and len(names) >= 2:
            calls[where] = names
    return calls


def _retold(text: str) -> list[str]:
    """Answers a text retells in other words (see the module docstring)."""
    found = []
    mine = _phrases(text)
    for where, kind, answer in regions():
        if kind in ("solution", "sample answer"):
            theirs = _phrases(answer)
            shared = mine & theirs
            if len(shared) >= SHARED_PHRASES[0] and len(shared) >= SHARED_PHRASES[1] * len(theirs):
                found.append(f"{where}: retold ({len(shared)} of {len(theirs)} phrases, e.g. "
                             f"{' '.join(sorted(shared)[0])!r})")
    named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    family = frozenset().union(*_answer_calls().values()) if _answer_calls() else frozenset()
    mentioned = named & family
    for where, names in _answer_calls().items():
        hits = named & names
        if len(hits) >= 2 and len(hits) >= len(names) / 2 and len(hits) >= len(mentioned) / 2:
            found.append(f"{where}: names its choices {sorted(hits)}")
    return found


@cache
def secrets() -> dict[str, str]:
    """``flattened answer line → where it comes from`` for every notebook of solutions/."""
    given: set[str] = set()
    found: dict[str, str] = {}
    for path in _notebooks(ROOT / "solutions"):
        label = path.relative_to(ROOT).as_posix()
        for cell in _cells(path):
            inside, outside = _split(_source(cell))
            given.update(_flat(line) for line in outside)
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
            for kind, lines in inside.items():
                for line in lines:
                    if not _trivial(line):
                        found.setdefault(_flat(line), f"{label} cell {grade_id} ({kind})")
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for name, answer in saved_answers(notebook).items():
            if answer.kind == "texts":
                for text in answer.value.values():
                    if text and not _trivial(text):
                        found.setdefault(_flat(text), f"{label} form {name!r} (model answer)")
    return {line: where for line, where in found.items() if line not in given}


def _leaks(text: str, *, retold: bool = True) -> list[str]:
    flat = _flat(text)
    found = [f"{where}: {line[:90]}" for line, where in secrets().items() if line in flat]
    return sorted(found + (_retold(text) if retold else []))


def _outputs(cell: dict) -> Iterator[str]:
    for output in cell.get("outputs", []):
        if "text" in output:
            yield _source({"source": output["text"]})
        for value in (output.get("data") or {}).values():
            yield value if isinstance(value, str) else (
                "".join(value) if isinstance(value, list) and all(isinstance(v, str) for v in value)
                else json.dumps(value))
        if "traceback" in output:
            yield "\n".join(output["traceback"])


def test_the_answers_are_found() -> None:
    kinds = {where.rsplit("(", 1)[-1] for where in secrets().values()}
    assert {"solution)", "hidden test)", "sample answer)", "model answer)"} <= kinds, kinds


@pytest.mark.parametrize("path", _notebooks(ROOT / "workshops"),
                         ids=lambda path: path.name)
def test_no_answer_in_a_workshop(path: Path) -> None:
    leaks = []
    for number, cell in enumerate(_cells(path), start=1):
        for text in (_source(cell), *_outputs(cell)):
            leaks += [f"cell {number}: {leak}" for leak in _leaks(text)]
    assert not leaks, (f"{path.name} shows answers from solutions/:\n"
                       + "\n".join(sorted(set(leaks))))


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "exercises").rglob("*") if p.is_file()),
                         ids=lambda path: path.relative_to(ROOT / "exercises").as_posix())
def test_no_answer_in_an_exercise(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        text = json.dumps(json.loads(text), ensure_ascii=False)
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert not saved_answers(notebook), f"{path.name} carries saved form answers"
        assert "widgets" not in notebook.get("metadata", {}), f"{path.name} carries widget state"
        text = "\n".join([*(_source(cell) for cell in notebook["cells"]),
                          *(out for cell in notebook["cells"] for out in _outputs(cell)), text])
    leaks = _leaks(text)
    assert not leaks, f"{path.name} holds answers:\n" + "\n".join(leaks)


def _visible_checks() -> Iterator[tuple[str, str, str]]:
    for path in _notebooks(ROOT / "solutions"):
        for cell in _cells(path):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and cell.get("cell_type") == "code":
                _, outside = _split(_source(cell))
                yield path.stem, str(meta.get("grade_id")), "\n".join(outside)


def _spelled_out(path_stem: str, visible: str) -> list[str]:
    """A form's model answer written out in a visible check."""
    path = next((ROOT / "solutions").glob(f"*/{path_stem}.ipynb"))
    found = []
    lines = [_flat(line) for line in visible.splitlines()]
    for name, answer in saved_answers(json.loads(path.read_text(encoding="utf-8"))).items():
        if answer.kind == "letters" and answer.value:
            letter = r"['\"][A-Z]['\"]"
            pattern = r"\{\s*" + r"\s*,\s*".join([letter] * len(answer.value)) + r"\s*\}"
            for match in re.finditer(pattern, visible):
                if set(re.findall(r"[A-Z]", match.group(0))) == answer.value:
                    found.append(f"{name}: {match.group(0)}")
        elif answer.kind in ("choices", "texts"):
            for key, choice in answer.value.items():
                found += [f"{name}: {line[:90]}" for line in lines
                          if choice and key and len(key) > 1 and key in line and choice in line]
        elif answer.kind == "number" and answer.value is not None:
            number = re.escape(str(answer.value))
            compared = rf"(==|!=|>=|<=|>|<)\s*{number}\b|\b{number}\s*(==|!=|>=|<=|>|<)"
            found += [f"{name}: {line[:90]}" for line in lines if re.search(compared, line)]
    return found


@pytest.mark.parametrize(("notebook", "grade_id", "visible"), list(_visible_checks()),
                         ids=lambda value: value if len(value) < 40 else "")
def test_no_answer_in_a_visible_check(notebook: str, grade_id: str, visible: str) -> None:
    leaks = _leaks(visible, retold=False) + _spelled_out(notebook, visible)
    assert not leaks, f"the visible check {notebook} {grade_id} gives away:\n" + "\n".join(leaks)
