"""A seeded synthetic cohort, made from any assignment's nbgrader metadata, and the demo run.

:func:`synthetic_cohort` writes a roster and one submission per learner and assignment.
Nothing is specific to an assignment: each answer cell (``solution: true``) is answered

* right: the model answer (the solution region of the source notebook);
* wrong: the model answer with one typical slip, chosen from a small menu made by
  mutating its string literals: a value swapped for another value of the same shape from
  the notebook (``"/trail/"`` → ``"/"``: the homepage dump), two values swapped
  (``"chain"`` ↔ ``"loop"``), a letter moved on (``"D"`` → ``"E"``);
* blank: left as handed out (``raise NotImplementedError()``).

A *form* part (ticked boxes, picks from lists: :mod:`kit.forms`) has no answer cell: its
answer is the notebook's saved widget state (:mod:`kit.answers`).  It is answered the same
way: right is the model answer saved in the source notebook, wrong one of its
:func:`kit.answers.slips`, blank no saved answer at all.  A form belongs to the first graded
cell after the cell that creates it.

Each answer cell belongs to a graded part, and each part is tagged with the role it is meant
for (``marketing``, ``it`` or ``shared``, see :mod:`kit.course.tasks`); answers follow the
tags, never a hard-coded cell id:

* on the parts of their own role learners are mostly right;
* on the **shared** parts each role has its typical misconceptions: marketing learners more
  often leave code answers blank or broken, IT learners more often slip on the "which
  statement is true" style of literal answers, and each role has its own favourite wrong
  answer per part;
* the other side's parts are mostly left blank (they were not asked);
* the first marketer and the first IT learner of the roster answer every part meant for
  them right (and leave the rest blank): the report must give them 100 % of *their* points.

A cell tagged ``metadata["crosstalk"]["self_rating"]`` (the capstone's Part D) gets a rating
this morning and a higher one now, so the report shows a learning gain.  A few notebooks are
broken on purpose (invalid JSON, a deleted check cell, a typo that raises ``NameError``),
and one learner hands in nothing for the last assignment.

:func:`run_demo` is ``crosstalk demo-cohort``: course init → roster → collect → grade →
feedback → report in one call.
"""

from __future__ import annotations

import ast
import io
import json
import random
import re
import tokenize
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from kit.course.markers import SOLUTION, STUB_LINES, is_marker, split_regions

__all__ = ["DemoResult", "SyntheticCohort", "answer_menu", "run_demo", "synthetic_cohort"]

_FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas",
          "Kira", "Liam", "Mei", "Nils", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tess"]
_LAST = ["Alves", "Berg", "Costa", "Dahl", "Evans", "Fischer", "Garcia", "Haas", "Ito", "Jovic",
         "Kaur", "Lund", "Moreau", "Nagy", "Okafor", "Petit", "Quist", "Rossi", "Sato", "Tan"]

# P(right, wrong, blank) per role and kind of answer: code (a function or several
# statements), literal (a value to type), written (a person grades it)
_TENDENCIES = {
    "marketing": {"code": (0.35, 0.25, 0.40), "literal": (0.70, 0.25, 0.05),
                  "written": (0.85, 0.0, 0.15)},
    "it": {"code": (0.80, 0.15, 0.05), "literal": (0.45, 0.50, 0.05),
           "written": (0.55, 0.0, 0.45)},
    "other": {"code": (0.55, 0.25, 0.20), "literal": (0.60, 0.35, 0.05),
              "written": (0.70, 0.0, 0.30)},
}
# P(right, wrong, blank) on the parts of one's own role, and on the other side's parts
_OWN = {"code": (0.85, 0.10, 0.05), "literal": (0.85, 0.10, 0.05), "written": (0.9, 0.0, 0.1)}
_NOT_ASKED = (0.2, 0.1, 0.7)
BROKEN_KINDS = ("invalid-json", "deleted-check", "name-error")


def _meta(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}) or {})


def _solution_text(source: str) -> str:
    """The answer as a learner who got it right would type it: markers dropped."""
    lines = [line for line in source.splitlines() if not is_marker(line, (SOLUTION,))]
    return "\n".join(lines)


def _first_region(source: str) -> tuple[int, int] | None:
    """``(begin marker line, lines inside)`` of the first solution region, 1-based."""
    regions = split_regions(source, (SOLUTION,))
    if not regions.markers:
        return None
    begin = regions.markers[0][0]
    close = next((number for number, _ in regions.markers[1:]), None)
    inside = [n for n in regions.numbers(SOLUTION) if n > begin and (close is None or n < close)]
    return begin, len(inside)


def _kind(cell: Any) -> str:
    if cell.cell_type == "markdown":
        return "written"
    first = _first_region(cell.source)
    lines = cell.source.splitlines()
    region = "\n".join(lines[first[0]:] if first else lines)
    return "code" if re.search(r"\bdef \b|\bfor \b|\breturn\b", region) else "literal"


def _strings(source: str) -> list[tokenize.TokenInfo]:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    return [t for t in tokens if t.type == tokenize.STRING and not t.string.startswith(
        ('"""', "'''", 'f"', "f'"))]


def _shape(value: str) -> str:
    if len(value) == 1 and value.isalpha():
        return "letter"
    if value.startswith("/"):
        return "path"
    if re.fullmatch(r"[a-z_]+", value):
        return "word"
    return "other"


def _answer_values(text: str, first: int, last: int) -> list[tuple[ast.Constant, ast.AST]]:
    """String constants on lines ``first..last`` that are *values* of the answer.

    Elements of a set, list or tuple (except a tuple's first element: a key, like an old
    address) and the right side of a comparison; not column names passed as keywords,
    not subscripts, not messages.
    """
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    found: list[tuple[ast.Constant, ast.AST]] = []
    keyword_values = {id(k.value) for k in ast.walk(tree) if isinstance(k, ast.keyword)}
    slices = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}
    for parent in ast.walk(tree):
        if id(parent) in keyword_values or id(parent) in slices:
            continue
        if isinstance(parent, ast.Set | ast.List | ast.Tuple):
            elements = parent.elts[1:] if isinstance(parent, ast.Tuple) else parent.elts
        elif isinstance(parent, ast.Compare):
            elements = parent.comparators
        else:
            continue
        for node in elements:
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and first <= node.lineno <= last):
                found.append((node, parent))
    return sorted(found, key=lambda pair: (pair[0].lineno, pair[0].col_offset))


def _with(text: str, node: ast.Constant, value: str) -> str:
    lines = text.splitlines(keepends=True)
    line = lines[node.lineno - 1]
    start, end = _byte_to_char(line, node.col_offset), _byte_to_char(line, node.end_col_offset)
    lines[node.lineno - 1] = line[:start] + json.dumps(value) + line[end:]
    return "".join(lines)


def _byte_to_char(line: str, offset: int | None) -> int:
    return len(line.encode("utf-8")[: offset or 0].decode("utf-8", errors="ignore"))


def answer_menu(source: str, pool: list[str], size: int = 3) -> list[str]:
    """Up to ``size`` plausible wrong versions of the solution cell ``source``.

    Only values inside the solution region change (see :func:`_answer_values`), so the
    answer still runs; ``pool`` holds the notebook's other string values, from which a
    replacement of the same shape is taken (a path for a path, a word for a word).
    """
    text = _solution_text(source)
    region = _first_region(source)
    if region is None:
        first, last = 1, 1 + max(len(source.splitlines()) - 2, 0)
    else:
        first, last = region[0], region[0] + max(region[1] - 1, 0)
    values = _answer_values(text, first, last)
    menu: list[str] = []
    for node, parent in reversed(values):  # later values first: earlier ones are examples
        value = str(node.value)
        shape = _shape(value)
        siblings = {n.value for n in getattr(parent, "elts", []) if isinstance(n, ast.Constant)}
        if shape == "letter":
            letter = chr(ord(value) - 1) if value not in "Aa" else chr(ord(value) + 1)
            if letter not in siblings:
                menu.append(_with(text, node, letter))
        others = [p for p in pool if _shape(p) == shape and p != value and p not in siblings]
        if shape == "path" and "/" in pool and value != "/":
            others = ["/", *others]
        if others and shape not in ("letter", "word"):
            menu.append(_with(text, node, others[0]))
        partners = [n for n, _ in values if n.value != value and _shape(str(n.value)) == shape
                    and n.lineno != node.lineno]
        if shape == "word" and partners:
            menu.append(_with(_with(text, node, str(partners[0].value)), partners[0], value)
                        if partners[0].lineno != node.lineno else text)
    unique: list[str] = []
    for option in menu:
        if option != text and option not in unique:
            unique.append(option)
    return unique[:size]


@dataclass
class SyntheticCohort:
    """The roster and the notebooks :func:`synthetic_cohort` wrote."""

    roster: pd.DataFrame
    files: dict[str, list[Path]] = field(default_factory=dict)
    """``assignment → files`` to hand to ``collect`` (folders, notebooks, a zip)."""
    broken: dict[str, str] = field(default_factory=dict)
    """``learner/assignment → kind`` of the notebooks broken on purpose."""
    missing: list[str] = field(default_factory=list)
    """``learner/assignment`` of the submissions never handed in."""
    stars: list[str] = field(default_factory=list)
    """Learners who answer every part meant for them right (one per role)."""

    def __repr__(self) -> str:
        roles = self.roster["role"].value_counts().to_dict()
        return (f"SyntheticCohort({len(self.roster)} learners {roles}, "
                f"{len(self.broken)} broken notebook(s), {len(self.missing)} missing)")


def part_roles(source_folder: Path, assignment: str) -> dict[str, str]:
    """``answer cell grade id → role of the part it answers`` (from the role tags)."""
    from kit.course.tasks import load_tasks

    roles: dict[str, str] = {}
    for task in load_tasks(source_folder, assignment).tasks:
        for answer in (*task.answer_ids, task.grade_id):
            roles.setdefault(answer, task.role)
    return roles


def _odds(role: str, part: str, kind: str, star: bool) -> tuple[float, float, float]:
    from kit.course.tasks import meant_for

    if not meant_for(part, role):
        return (0.0, 0.0, 1.0) if star else _NOT_ASKED
    if star:
        return (1.0, 0.0, 0.0)
    if part == role:
        return _OWN[kind]
    return _TENDENCIES.get(role, _TENDENCIES["other"])[kind]


def form_parts(source: Any) -> dict[str, str]:
    """``saved answer name → grade id of the graded cell that checks it`` in ``source``.

    The form is the first cell that passes the name as a quoted argument
    (``pick("redirect_map", ...)``); its part is the first graded cell after it.
    """
    from kit.answers import saved_answers

    parts: dict[str, str] = {}
    for name in saved_answers(source):
        call = re.compile(r"\(\s*[\"']" + re.escape(name) + r"[\"']")
        start = next((index for index, cell in enumerate(source.cells)
                      if cell.cell_type == "code" and call.search(cell.source)), None)
        if start is None:
            continue
        graded = next((_meta(cell).get("grade_id") for cell in source.cells[start:]
                       if _meta(cell).get("grade") and _meta(cell).get("grade_id")), None)
        if graded:
            parts[name] = str(graded)
    return parts


def _forms_answered(source: Any, notebook: Any, role: str, rng: random.Random,
                    favourite: int, roles: dict[str, str] | None, star: bool) -> None:
    """Save ``notebook``'s form answers: right, a slip or none, by role as for answer cells."""
    from kit.answers import saved_answers, slips, with_saved_answers

    model = saved_answers(source)
    parts = form_parts(source)
    answers: dict[str, tuple[str, Any]] = {}
    for name, answer in sorted(model.items()):
        part = (roles or {}).get(parts.get(name, ""), "shared")
        right, wrong, _ = _odds(role, part, "literal", star)
        draw = rng.random()
        if draw < right:
            answers[name] = (answer.kind, answer.value)
        elif draw < right + wrong:
            menu = slips(answer)
            if menu:
                pick = favourite if rng.random() < 0.7 else rng.randrange(len(menu))
                answers[name] = (answer.kind, menu[pick % len(menu)])
    if answers:
        with_saved_answers(notebook, answers)


def _rated(cell: Any, rng: random.Random, role: str) -> str:
    """The self-rating cell filled in: lower this morning, higher now (a learning gain)."""
    from kit.brief.welcome import SELF_CHECK
    from kit.course.tasks import RATING_NAMES

    tag = cell.metadata.get("crosstalk", {}).get("self_rating")
    names = {**RATING_NAMES, **(tag if isinstance(tag, dict) else {})}
    start = {key: rng.choice((0, 1, 1, 2) if role == "marketing" or key == "brief" else
                             (1, 1, 2, 2)) for key in SELF_CHECK}
    end = {key: min(3, value + rng.choice((0, 1, 1, 2))) for key, value in start.items()}
    lines = []
    for line in cell.source.splitlines():
        if line.strip() in STUB_LINES:
            continue
        for when, values in (("start", start), ("end", end)):
            if line.startswith(f"{names[when]} ="):
                line = f"{names[when]} = {json.dumps(values)}"
        lines.append(line)
    return "\n".join(lines)


def _learner_notebook(source: Any, release: Any, role: str, rng: random.Random,
                      pool: list[str], favourite: int, roles: dict[str, str] | None = None,
                      star: bool = False) -> Any:
    solutions = {_meta(c).get("grade_id"): c for c in source.cells}
    notebook = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in notebook.cells:
        meta = _meta(cell)
        if cell.get("metadata", {}).get("crosstalk", {}).get("self_rating"):
            cell.source = _rated(cell, rng, role)  # everybody who hands in rates the day
            continue
        if not meta.get("solution"):
            continue
        model = solutions.get(meta.get("grade_id"))
        if model is None:
            continue
        kind = _kind(model)
        part = (roles or {}).get(str(meta.get("grade_id")), "shared")
        right, wrong, _ = _odds(role, part, kind, star)
        draw = rng.random()
        if draw < right:
            cell.source = _solution_text(model.source).strip() if kind != "written" else (
                _solution_text(model.source).strip().split("\n\n")[0])
        elif draw < right + wrong:
            menu = answer_menu(model.source, pool)
            if menu:
                pick = favourite if rng.random() < 0.7 else rng.randrange(len(menu))
                cell.source = menu[pick % len(menu)].strip()
    _forms_answered(source, notebook, role, rng, favourite, roles, star)
    return notebook


def _pool(source: Any) -> list[str]:
    """Every string value in the notebook's code cells, in order of appearance."""
    found: list[str] = []
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        for token in _strings(_solution_text(cell.source)):
            try:
                value = ast.literal_eval(token.string)
            except (ValueError, SyntaxError):
                continue
            if isinstance(value, str) and value not in found:
                found.append(value)
    return found


def _break(notebook: Any, kind: str) -> bytes:
    text = nbformat.writes(notebook)
    if kind == "invalid-json":
        return text[: len(text) // 2].encode("utf-8")
    if kind == "deleted-check":
        notebook.cells = [c for c in notebook.cells if not (
            _meta(c).get("grade") and not _meta(c).get("solution"))][:]
        return nbformat.writes(notebook).encode("utf-8")
    for cell in notebook.cells:  # name-error: a typo in the first answer
        if _meta(cell).get("solution") and cell.cell_type == "code":
            cell.source = cell.source + "\nprint(undefined_nam)\n"
            break
    return nbformat.writes(notebook).encode("utf-8")


def synthetic_cohort(source_folder: Path, release_folder: Path, out: Path, *,
                     learners: int = 12, seed: int = 0, broken: float = 0.08,
                     assignments: list[str] | None = None, missing: int = 1,
                     roles: list[str] | None = None) -> SyntheticCohort:
    """Write a roster (``out/roster.csv``) and submissions under ``out/<assignment>/``.

    Submissions come in the three shapes ``collect`` accepts: a folder per learner for
    the first third, loose ``<assignment>_<learner>.ipynb`` files for the second, and one
    zip of ``<learner>/<notebook>.ipynb`` for the rest.  ``missing`` learners (not the
    first marketer or IT learner) hand in nothing for the last assignment.  ``roles``
    fixes the roles in roster order (default: alternating, one ``other``, shuffled).
    """
    rng = random.Random(seed)
    if roles is None:
        roles = ["marketing", "it"] * (learners // 2 + 1)
        roles = roles[:learners]
        if learners >= 5:
            roles[-1] = "other"
        rng.shuffle(roles)
    elif len(roles) != learners:
        raise ValueError(f"roles: {len(roles)} roles for {learners} learners")
    ids = [f"{_FIRST[i % len(_FIRST)].lower()}{'' if i < len(_FIRST) else i}"
           for i in range(learners)]
    names = [f"{_FIRST[i % len(_FIRST)]} {_LAST[(i * 7) % len(_LAST)]}" for i in range(learners)]
    roster = pd.DataFrame({"learner_id": ids, "name": names, "role": roles}, dtype=object)
    out.mkdir(parents=True, exist_ok=True)
    roster.to_csv(out / "roster.csv", index=False)
    cohort = SyntheticCohort(roster)
    names_ = assignments or sorted(p.name for p in source_folder.iterdir()
                                   if p.is_dir() and any(p.glob("*.ipynb")))
    favourites = {role: index for index, role in enumerate(("marketing", "it", "other"))}
    stars = {next(i for i, r in enumerate(roles) if r == role) for role in ("marketing", "it")
             if role in roles}
    cohort.stars = [ids[i] for i in sorted(stars)]
    absent = [i for i in range(learners) if i not in stars][-missing - 1:-1] if missing else []
    for assignment in names_:
        roles_of_parts = part_roles(source_folder, assignment)
        folder = out / assignment
        folder.mkdir(parents=True, exist_ok=True)
        files: list[Path] = []
        zipped = io.BytesIO()
        with zipfile.ZipFile(zipped, "w") as archive:
            for position, (learner, role) in enumerate(zip(ids, roles, strict=True)):
                shape = position * 3 // max(learners, 1)
                kind = BROKEN_KINDS[position % len(BROKEN_KINDS)] if (
                    rng.random() < broken and position not in stars) else ""
                if broken and learners >= 4 and position == learners - 1 and not cohort.broken:
                    kind = "invalid-json"  # every cohort shows at least one broken notebook
                if position in absent and assignment == names_[-1]:
                    cohort.missing.append(f"{learner}/{assignment}")
                    continue
                for path in sorted((source_folder / assignment).glob("*.ipynb")):
                    source = nbformat.read(path, as_version=4)
                    release = nbformat.read(release_folder / assignment / path.name,
                                            as_version=4)
                    notebook = _learner_notebook(source, release, role, rng, _pool(source),
                                                 favourites[role], roles_of_parts,
                                                 star=position in stars)
                    data = _break(notebook, kind) if kind else nbformat.writes(
                        notebook).encode("utf-8")
                    if kind:
                        cohort.broken[f"{learner}/{assignment}"] = kind
                    if shape == 0:
                        target = folder / learner / path.name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(data)
                        if target.parent not in files:
                            files.append(target.parent)
                    elif shape == 1:
                        target = folder / f"{path.stem}_{learner}.ipynb"
                        target.write_bytes(data)
                        files.append(target)
                    else:
                        archive.writestr(f"{learner}/{path.name}", data)
        if learners > 0 and any(p * 3 // learners == 2 for p in range(learners)):
            bundle = folder / "lms-download.zip"
            bundle.write_bytes(zipped.getvalue())
            files.append(bundle)
        cohort.files[assignment] = files
    return cohort


@dataclass
class DemoResult:
    """Everything ``crosstalk demo-cohort`` made, for the command and for a notebook."""

    course: Any
    cohort: SyntheticCohort
    collected: dict[str, Any]
    graded: dict[str, Any]
    feedback: dict[str, Any]
    report: Any
    html: Path
    csv: Path

    def __repr__(self) -> str:
        return f"DemoResult({self.course.root}, report={self.html})"


def run_demo(folder: Path | str, *, learners: int = 12, seed: int = 0, jobs: int = 2,
             solutions: Path | None = None, say: Callable[[str], None] = print,
             progress: bool = False, assignments: list[str] | None = None,
             roles: list[str] | None = None, missing: int = 1) -> DemoResult:
    """Init a course in ``folder`` and run collect → grade → feedback → report on a cohort.

    ``assignments`` limits the run to some assignments (default: all of ``solutions/``);
    ``roles`` and ``missing`` go to :func:`synthetic_cohort`.
    """
    from kit.course.collect import collect
    from kit.course.coursedir import GradingLimits, import_roster, init_course
    from kit.course.feedback import write_feedback
    from kit.course.grade import grade_assignment
    from kit.course.report import cohort_report
    from kit.course.widget import write_report_html

    root = Path(folder)
    course = init_course(root, solutions=solutions,
                         limits=GradingLimits(cell_timeout=15, max_output_mb=5))
    say(f"course: {course.root} ({', '.join(course.assignments)})")
    cohort = synthetic_cohort(course.source, course.folder("release"), root / "incoming",
                              learners=learners, seed=seed, assignments=assignments,
                              roles=roles, missing=missing)
    import_roster(course, root / "incoming" / "roster.csv")
    say(f"roster: {cohort}")
    collected, graded, feedback = {}, {}, {}
    for assignment in assignments or course.assignments:
        # The whole hand-in folder, as a team lead passes it: labels relative to it.
        files = [root / "incoming" / assignment] if cohort.files.get(assignment) else []
        collected[assignment] = collect(course, assignment, files, replace=True)
        say(f"collect {collected[assignment].summary()}")
        for problem in collected[assignment].problems:
            say(f"  - {problem}")
        with _progress_bar(learners, assignment, progress) as bar:
            run = grade_assignment(course, assignment, jobs=jobs, force=True,
                                   progress=(lambda done, total, outcome, b=bar: b.update(1)))
        graded[assignment] = run
        say(run.summary())
        feedback[assignment] = write_feedback(course, assignment)
    report = cohort_report(course, assignments=assignments)
    html = write_report_html(report, root / "report.html")
    csv = report.to_csv(root / "report.csv")
    say(f"report: {html} and {csv}")
    return DemoResult(course, cohort, collected, graded, feedback, report, html, csv)


@contextmanager
def _progress_bar(total: int, label: str, shown: bool) -> Iterator[Any]:
    """A :func:`kit.progress.progress` bar (only on a terminal), none at all unless ``shown``."""
    from kit.progress import progress, quiet

    with quiet(not shown), progress(total=total, desc=f"grading {label}", unit="learner") as bar:
        yield bar
