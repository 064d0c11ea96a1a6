"""What an assignment asks, read generically from nbgrader's metadata, and what a learner did.

A *task* is one graded cell (``grade: true``): an autograded test cell (code) or an answer a
person grades (a cell that is both ``solution`` and ``grade``).  Its *answer cells* are the
solution cells between the previous graded cell and it; its *title* is the last Markdown
heading above it.  Nothing here knows any particular assignment.

Each task is meant for a *role*: ``metadata["crosstalk"]["role"]`` of its graded cell,
``marketing``, ``it`` or ``shared`` (:data:`PART_ROLES`).  A graded cell without a valid tag
counts as ``shared`` and its assignment is flagged (:attr:`AssignmentTasks.untagged`), so a
report never silently compares roles on parts nobody labelled.  :func:`meant_for` says
whether a part is meant for a learner of a given role.

:func:`self_ratings` reads the self-rating a learner recorded in a submission (a cell tagged
``metadata["crosstalk"]["self_rating"]``), without running any of the learner's code.

:func:`outcome_of` reads one autograded notebook: per task, whether it ran, the error a
test raised, whether that error came from the hidden part of the test, and the learner's
answer as the lines that differ from the exercise template.  :func:`hidden_fragments` and
:func:`reveals_hidden` keep hidden test text, and the graders' mark schemes (nbgrader's
``BEGIN MARK SCHEME`` regions, with sample answers), out of anything a learner sees.

A graded cell worth 0 points (a task cell that only introduces a part, like a rubric's
heading cell) is not a task: it would show as a part nobody can score on.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from kit.course.markers import HIDDEN, SCHEME, SOLUTION, is_marker, split_regions
from kit.course.records import TaskResult

__all__ = [
    "PART_ROLES",
    "AssignmentTasks",
    "Task",
    "TaskOutcome",
    "hidden_fragments",
    "load_tasks",
    "meant_for",
    "outcome_of",
    "part_role",
    "reveals_hidden",
    "self_ratings",
]

PART_ROLES = ("marketing", "it", "shared")
"""Who a graded part is meant for: one side, or both (``shared``)."""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_STRING = re.compile(r"""(?:[rbfuRBFU]{0,2})("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")
LIMIT_ERRORS = {"CellTimeoutError": "timeout", "OutputLimitExceeded": "output",
                "KernelDied": "kernel", "MemoryError": "memory"}
"""Errors the grader's limits raise (see :mod:`kit.course.sandbox`), and their limit."""
MIN_FRAGMENT = 12
"""Hidden-test lines or string literals shorter than this are too common to be secret."""


def _meta(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}) or {})


def part_role(cell: Any) -> str | None:
    """The role tag of a graded cell (``metadata["crosstalk"]["role"]``), or None if it has
    no valid one (absent, or not one of :data:`PART_ROLES`)."""
    tags = cell.get("metadata", {}).get("crosstalk", {}) or {}
    role = tags.get("role") if isinstance(tags, dict) else None
    role = role.strip().lower() if isinstance(role, str) else None
    return role if role in PART_ROLES else None


def meant_for(part: str, learner_role: str) -> bool:
    """True when a part tagged ``part`` is meant for a learner of ``learner_role``.

    Shared parts are meant for everybody; a marketing or IT part for that side only; a
    learner whose role is neither (``other``) is asked every part.
    """
    if part == "shared" or learner_role not in ("marketing", "it"):
        return True
    return part == learner_role


def _strip_regions(source: str) -> str:
    """``source`` without its hidden-test and mark-scheme regions (what a learner sees)."""
    return "\n".join(split_regions(source, (HIDDEN, SCHEME)).visible)


def _norm(line: str) -> str:
    return " ".join(line.split())


def _code_lines(source: str) -> list[str]:
    """Meaningful lines: whitespace collapsed, comments and blank lines left out."""
    lines = []
    for line in source.splitlines():
        text = _norm(line)
        if text and not text.startswith("#"):
            lines.append(text)
    return lines


@dataclass(frozen=True)
class Task:
    """One graded cell of an assignment notebook."""

    notebook: str
    grade_id: str
    points: float
    kind: str
    """``auto`` (a test cell the autograder runs) or ``manual`` (a person grades it)."""
    title: str
    answer_ids: tuple[str, ...]
    solution: tuple[str, ...]
    """Meaningful lines of the model answer (solution regions of the answer cells)."""
    template: tuple[str, ...]
    """Meaningful lines of the answer cells as learners receive them (answers removed)."""
    hidden_lines: tuple[int, ...] = ()
    """Line numbers (1-based) of the test cell's hidden region."""
    hidden_text: str = ""
    role: str = "shared"
    """Who the part is meant for: ``marketing``, ``it`` or ``shared`` (see :data:`PART_ROLES`)."""
    tagged: bool = True
    """False when the graded cell carries no valid role tag (``role`` is then ``shared``)."""


@dataclass
class AssignmentTasks:
    """The tasks of every notebook of one assignment, in notebook order."""

    assignment: str
    tasks: list[Task] = field(default_factory=list)
    visible_text: str = ""
    """Everything a learner receives (the exercise with hidden tests removed)."""
    scheme_text: str = ""
    """The mark-scheme regions of every cell (sample answers for graders): secret too."""

    @property
    def max_score(self) -> float:
        return float(sum(task.points for task in self.tasks))

    def task(self, notebook: str, grade_id: str) -> Task | None:
        for task in self.tasks:
            if task.notebook == notebook and task.grade_id == grade_id:
                return task
        return None

    @property
    def untagged(self) -> list[str]:
        """Grade ids of the tasks whose graded cell has no valid role tag."""
        return [task.grade_id for task in self.tasks if not task.tagged]

    def hidden(self) -> set[str]:
        """Secret fragments of this assignment's hidden tests and mark schemes
        (see :func:`hidden_fragments`)."""
        return hidden_fragments((*(task.hidden_text for task in self.tasks), self.scheme_text),
                                self.visible_text)


def _title(cell: Any) -> str | None:
    if cell.cell_type != "markdown" or _meta(cell).get("solution"):
        return None  # an answer cell's headings are the learner's, not the task's
    for line in cell.source.splitlines():
        if line.startswith("#") and not is_marker(line):
            return line.lstrip("#").strip()
    return None


def _template(source: str) -> list[str]:
    """The answer cell as learners receive it: solution regions replaced by the stub."""
    return _code_lines("\n".join(split_regions(source, (SOLUTION,)).visible))


def load_tasks(source_folder: Path, assignment: str) -> AssignmentTasks:
    """The tasks of ``source_folder/<assignment>/*.ipynb`` (nbgrader source notebooks)."""
    result = AssignmentTasks(assignment)
    visible: list[str] = []
    schemes: list[str] = []
    for path in sorted((Path(source_folder) / assignment).glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        title = path.stem
        answers: list[Any] = []
        for cell in notebook.cells:
            meta = _meta(cell)
            visible.append(_strip_regions(cell.source))
            schemes += split_regions(cell.source, (SCHEME,)).lines(SCHEME)
            title = _title(cell) or title
            if meta.get("solution") and not meta.get("grade"):
                answers.append(cell)
                continue
            if not (meta.get("grade") or meta.get("task")) or not meta.get("grade_id"):
                continue
            if not float(meta.get("points") or 0) > 0:
                continue  # a 0-point task cell (a part's heading, a rubric): nothing to score
            manual = bool(meta.get("solution")) or cell.cell_type == "markdown" or bool(
                meta.get("task"))
            cells = [cell] if manual and meta.get("solution") else answers
            solution = [line for c in cells for line in _code_lines(
                "\n".join(split_regions(c.source, (SOLUTION,)).lines(SOLUTION)))]
            template = [line for c in cells for line in _template(c.source)]
            tests = split_regions(cell.source, (HIDDEN,))
            hidden, numbers = tests.lines(HIDDEN), tests.numbers(HIDDEN)
            role = part_role(cell)
            result.tasks.append(Task(
                notebook=path.stem, grade_id=str(meta["grade_id"]),
                points=float(meta.get("points") or 0), kind="manual" if manual else "auto",
                title=title, answer_ids=tuple(str(_meta(c).get("grade_id")) for c in cells),
                solution=tuple(solution), template=tuple(template),
                hidden_lines=tuple(numbers), hidden_text="\n".join(hidden),
                role=role or "shared", tagged=role is not None,
            ))
            answers = []
    result.visible_text = "\n".join(visible)
    result.scheme_text = "\n".join(schemes)
    return result


def hidden_fragments(hidden_texts: Iterable[str], visible_text: str) -> set[str]:
    """Pieces of hidden tests that a learner must never see.

    Each hidden line (whitespace collapsed) and each string literal in it, at least
    :data:`MIN_FRAGMENT` characters long, unless it also appears in what learners receive.
    """
    visible = _norm(visible_text)
    fragments: set[str] = set()
    for text in hidden_texts:
        for line in text.splitlines():
            candidates = [_norm(line)]
            candidates += [_norm(match.group(1)[1:-1]) for match in _STRING.finditer(line)]
            for candidate in candidates:
                candidate = candidate.strip("{} ")
                if len(candidate) >= MIN_FRAGMENT and candidate not in visible:
                    fragments.add(candidate)
    return fragments


def reveals_hidden(text: str, fragments: set[str]) -> bool:
    """True when ``text`` contains any hidden fragment (whitespace-insensitive)."""
    flat = _norm(text)
    return any(fragment in flat for fragment in fragments)


TaskOutcome = TaskResult
"""What happened to one task in one learner's autograded notebook: the grading record's
:class:`~kit.course.records.TaskResult` (its scores are put on from the gradebook later)."""


def _error_line(output: Any, execution_count: int | None) -> int | None:
    """The line of the test cell where its error was raised, from the IPython traceback."""
    frames = [_ANSI.sub("", line) for line in output.get("traceback", [])]
    marker = f"In[{execution_count}]" if execution_count is not None else "In["
    for frame in frames:
        if marker in frame:
            found = re.search(r"In\[\d+\], line (\d+)", frame)
            if found:
                return int(found.group(1))
            for line in frame.splitlines():  # older IPython: "----> 17 assert ..."
                arrow = re.match(r"\s*-+>\s*(\d+)", line)
                if arrow:
                    return int(arrow.group(1))
    return None


def _answer_lines(cells: list[Any], task: Task) -> tuple[tuple[str, ...], bool]:
    lines = [line for cell in cells for line in _code_lines(cell.source)]
    blank = any("raise NotImplementedError" in line for line in lines) or (
        bool(cells) and all(cell.cell_type == "markdown" and
                            cell.source.strip() in ("", "YOUR ANSWER HERE") for cell in cells))
    keep = set(task.template) | set(task.solution)
    changed = tuple(line for line in lines if line not in keep)
    return changed, blank


def outcome_of(notebook: Any, tasks: AssignmentTasks, notebook_name: str
               ) -> list[TaskResult]:
    """Per task of ``notebook_name``, what the autograded ``notebook`` shows."""
    by_id: dict[str, Any] = {}
    for cell in notebook.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id and grade_id not in by_id:
            by_id[str(grade_id)] = cell
    stopped = {mark.get("index"): mark.get("limit", "") for mark in
               notebook.metadata.get("crosstalk", {}).get("stopped", [])}
    index_of = {id(cell): index for index, cell in enumerate(notebook.cells)}
    outcomes = []
    for task in tasks.tasks:
        if task.notebook != notebook_name:
            continue
        cell = by_id.get(task.grade_id)
        answer_cells = [by_id[a] for a in task.answer_ids if a in by_id]
        answer, blank = _answer_lines(answer_cells, task)
        if cell is None:
            outcomes.append(TaskResult(notebook_name, task.grade_id, ran=False,
                                        error="Missing", answer=answer, blank=blank))
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        ran = cell.cell_type != "code" or cell.get("execution_count") is not None or bool(errors)
        limit = stopped.get(index_of.get(id(cell)), "")
        if not errors:
            outcomes.append(TaskResult(notebook_name, task.grade_id, ran=ran, answer=answer,
                                        blank=blank, stopped=limit))
            continue
        error = errors[-1]
        if error.get("ename") in LIMIT_ERRORS:
            outcomes.append(TaskResult(
                notebook_name, task.grade_id, ran=ran, error=str(error.get("ename")),
                message=str(error.get("evalue", ""))[:300], answer=answer, blank=blank,
                stopped=limit or LIMIT_ERRORS[str(error.get("ename"))]))
            continue
        line = _error_line(error, cell.get("execution_count"))
        hidden = line is None or line in task.hidden_lines
        message = "" if hidden else _ANSI.sub("", str(error.get("evalue", "")))[:500]
        outcomes.append(TaskResult(
            notebook_name, task.grade_id, ran=ran, error=str(error.get("ename", "Error")),
            message=message, hidden_failure=hidden and task.kind == "auto", answer=answer,
            blank=blank, stopped=limit,
        ))
    return outcomes


RATING_NAMES = {"start": "rating_this_morning", "end": "rating_now"}
"""The variables a self-rating cell assigns (``metadata["crosstalk"]["self_rating"]`` may
name others: ``{"start": "...", "end": "..."}``)."""


def _literal_assignments(source: str) -> dict[str, Any]:
    """``name → value`` of the plain ``name = {...}`` assignments in ``source`` (last wins)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                found[node.targets[0].id] = None
    return found


def self_ratings(notebook: Any) -> dict[str, dict[str, int | None]]:
    """``{"start": {statement: 0–3 or None}, "end": {...}}`` from a submitted notebook.

    Read from the source of the cells tagged ``metadata["crosstalk"]["self_rating"]``
    (literal dicts only, nothing is executed); a value that is not a whole number 0–3 is
    None.  Empty when the notebook has no such cell or no rating in it.
    """
    result: dict[str, dict[str, int | None]] = {}
    for cell in notebook.cells:
        tag = (cell.get("metadata", {}).get("crosstalk", {}) or {}).get("self_rating")
        if not tag or cell.cell_type != "code":
            continue
        names = {**RATING_NAMES, **(tag if isinstance(tag, dict) else {})}
        values = _literal_assignments(cell.source)
        for when, name in names.items():
            ratings = values.get(name)
            if isinstance(ratings, dict):
                result[when] = {str(key): (value if isinstance(value, int) and not isinstance(
                    value, bool) and 0 <= value <= 3 else None) for key, value in ratings.items()}
    if not any(value is not None for ratings in result.values() for value in ratings.values()):
        return {}
    return result
