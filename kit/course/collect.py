"""``crosstalk collect``: file returned notebooks under ``submitted/<learner>/<assignment>/``.

Submissions come back in whatever shape a session or an LMS produces:

* a folder per learner (``alice/01-redirects.ipynb``), or a folder of such folders;
* loose notebooks named with the learner id (``alice.ipynb``, ``01-redirects_alice.ipynb``);
* zip files, one per learner (``alice.zip``) or one for everybody, holding either shape.

Nothing is guessed: a file whose learner is not on the roster, a learner with two files for
the same notebook, a file that is not a readable notebook, a notebook from another
assignment, and an existing submission (without ``replace``) are all *reported* and not filed.

What was refused is also kept in ``DIR/collect/<assignment>.json`` (learner where it can be
told, file, reason), so ``crosstalk report`` can say "rejected: <reason>" for a learner whose
file never reached ``submitted/``; a learner's entries go when a file of theirs is filed.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath

import nbformat
import pandas as pd

from kit.course.coursedir import Course, open_course
from kit.course.exercises import venv_on_path
from kit.errors import InputError

__all__ = ["CollectReport", "collect", "load_rejections"]

REJECTIONS_FOLDER = "collect"


@dataclass
class CollectReport:
    """What ``collect`` filed and what it refused, each with the file it came from."""

    assignment: str
    filed: list[tuple[str, str, str]] = field(default_factory=list)
    """``(learner, where it came from, where it went)``."""
    problems: list[str] = field(default_factory=list)
    rejected: list[dict[str, str | None]] = field(default_factory=list)
    """``{learner (None when no roster learner matches), file, reason}`` per refused file."""

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.filed, columns=["learner", "from", "to"])

    def summary(self) -> str:
        return (f"{self.assignment}: {len(self.filed)} submission(s) filed, "
                f"{len(self.problems)} problem(s).")

    def __repr__(self) -> str:
        return f"CollectReport({self.summary()})"

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{escape(p)}</li>" for p in self.problems)
        return (f"<p>{escape(self.summary())}</p>" + self.frame().to_html(index=False)
                + (f"<ul>{items}</ul>" if items else ""))


@dataclass(frozen=True)
class _Item:
    label: str
    """Where the file came from, for messages: ``alice.zip:work/01-redirects.ipynb``."""
    name: str
    data: bytes
    learner_hint: str | None = None
    """A learner id fixed by the enclosing folder or zip."""


def _known_learners(course: Course) -> set[str]:
    from nbgrader.api import Gradebook

    names = set(course.roster()["learner_id"])
    with venv_on_path(), Gradebook(course.db_url, course_id=course.course_id) as book:
        names |= {student.id for student in book.students}
    return names


def _match(text: str, learners: set[str]) -> list[str]:
    """Learner ids that appear in ``text`` as a whole word (longest match wins ties)."""
    found = [learner for learner in learners if re.search(
        rf"(?<![A-Za-z0-9]){re.escape(learner)}(?![A-Za-z0-9])", text, flags=re.IGNORECASE)]
    return [a for a in found if not any(a != b and a.lower() in b.lower() for b in found)]


def _from_zip(path: Path, hint: str | None, learners: set[str]) -> Iterator[_Item]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        yield _Item(str(path), path.name, b"", hint)  # reported as "not a notebook"
        return
    with archive:
        for info in archive.infolist():
            inner = PurePosixPath(info.filename)
            if info.is_dir() or any(p.startswith((".", "__MACOSX")) for p in inner.parts):
                continue
            folder_hint = next((m[0] for part in inner.parts[:-1]
                                for m in [_match(part, learners)] if len(m) == 1), None)
            yield _Item(f"{path.name}:{info.filename}", inner.name,
                        archive.read(info)[: 200 * 1024 * 1024], hint or folder_hint)


def _expand(path: Path, learners: set[str], hint: str | None = None) -> Iterator[_Item]:
    if path.is_dir():
        matches = _match(path.name, learners)
        folder_hint = hint or (matches[0] if len(matches) == 1 else None)
        for child in sorted(path.iterdir()):
            if not child.name.startswith("."):
                yield from _expand(child, learners, folder_hint)
    elif path.suffix.lower() == ".zip":
        matches = _match(path.stem, learners)
        yield from _from_zip(path, hint or (matches[0] if len(matches) == 1 else None),
                             learners)
    elif path.is_file():
        yield _Item(str(path), path.name, path.read_bytes(), hint)
    else:
        yield _Item(str(path), path.name, b"", hint)


def _grade_ids(notebook: nbformat.NotebookNode) -> set[str]:
    return {str(cell.metadata["nbgrader"]["grade_id"]) for cell in notebook.cells
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")}


def _assignment_ids(course: Course, assignment: str) -> dict[str, set[str]]:
    """``notebook name → grade ids`` of every notebook of ``assignment`` (source folder)."""
    return {path.stem: _grade_ids(nbformat.read(path, as_version=4))
            for path in sorted((course.source / assignment).glob("*.ipynb"))}


def collect(course: Course | Path | str, assignment: str, files: Sequence[Path | str], *,
            replace: bool = False) -> CollectReport:
    """File ``files`` (notebooks, folders, zips) as submissions of ``assignment``."""
    course = course if isinstance(course, Course) else open_course(course)
    if assignment not in course.assignments:
        raise InputError(f"assignment {assignment!r} does not exist in this course.",
                         hint="Known assignments: " + (", ".join(course.assignments) or "none"))
    report = CollectReport(assignment)
    learners = _known_learners(course)
    if not learners:
        raise InputError("the course has no learners yet.",
                         hint="Import a roster first: `crosstalk course roster DIR FILE`.")
    expected = _assignment_ids(course, assignment)
    others = {name: _assignment_ids(course, name) for name in course.assignments
              if name != assignment}
    chosen: dict[tuple[str, str], list[_Item]] = defaultdict(list)
    for raw in files:
        path = Path(raw)
        if not path.exists():
            report.problems.append(f"{path}: no such file or folder")
            continue
        prefix = str(path.parent.resolve()) + "/"
        for found in _expand(path.resolve(), learners):
            item = _Item(found.label.removeprefix(prefix), found.name, found.data,
                         found.learner_hint)  # labels relative to where the files were given
            problem, key = _classify(item, learners, expected, others)
            if problem:
                report.problems.append(f"{item.label}: {problem}")
                report.rejected.append({"learner": _learner_of(item, learners),
                                        "file": item.label, "reason": problem})
            else:
                chosen[key].append(item)
    for (learner, notebook), items in sorted(chosen.items()):
        if len(items) > 1:
            report.problems.append(
                f"{learner}: {len(items)} files for {notebook}.ipynb "
                f"({', '.join(i.label for i in items)}); none filed. Keep one and collect again.")
            report.rejected.append({"learner": learner, "file": items[0].label,
                                    "reason": f"{len(items)} files for {notebook}.ipynb"})
            continue
        target = course.folder("submitted") / learner / assignment / f"{notebook}.ipynb"
        if target.exists() and not replace:
            report.problems.append(f"{items[0].label}: {learner} already has a submission "
                                   f"({target.relative_to(course.root)}); use --replace to "
                                   "overwrite it")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(items[0].data)
        report.filed.append((learner, items[0].label, str(target.relative_to(course.root))))
    _keep_rejections(course, report)
    return report


def _learner_of(item: _Item, learners: set[str]) -> str | None:
    """The roster learner a file belongs to, when its folder or name says (else None)."""
    if item.learner_hint:
        return item.learner_hint
    matches = _match(item.name.rsplit(".", 1)[0], learners)
    return matches[0] if len(matches) == 1 else None


def _rejections_path(course: Course, assignment: str) -> Path:
    return course.folder(REJECTIONS_FOLDER) / f"{assignment}.json"


def load_rejections(course: Course | Path | str, assignment: str) -> list[dict[str, str | None]]:
    """The files ``collect`` refused for ``assignment`` and not replaced since (maybe none)."""
    course = course if isinstance(course, Course) else open_course(course)
    path = _rejections_path(course, assignment)
    if not path.is_file():
        return []
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return []
    return [item for item in payload.get("rejected", []) if isinstance(item, dict)]


def _keep_rejections(course: Course, report: CollectReport) -> None:
    """Update ``DIR/collect/<assignment>.json``: this run's refusals replace older ones for
    the same file; a learner who got a file filed loses their older refusals."""
    filed = {learner for learner, _, _ in report.filed}
    this_run = {item["file"] for item in report.rejected}
    kept = [item for item in load_rejections(course, report.assignment)
            if item.get("learner") not in filed and item.get("file") not in this_run]
    merged = kept + report.rejected
    path = _rejections_path(course, report.assignment)
    if not merged and not path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps({"assignment": report.assignment, "rejected": merged},
                                    indent=1), encoding="utf-8")
    temporary.replace(path)


def _classify(item: _Item, learners: set[str], expected: dict[str, set[str]],
              others: dict[str, dict[str, set[str]]]) -> tuple[str, tuple[str, str]]:
    """``(problem, (learner, notebook))``: a problem message, or where the item belongs."""
    none = ("", "")
    if not item.name.lower().endswith(".ipynb"):
        return "not a notebook (.ipynb); skipped", none
    try:
        notebook = nbformat.reads(item.data.decode("utf-8"), as_version=4)
    except (UnicodeDecodeError, json.JSONDecodeError, nbformat.reader.NotJSONError) as error:
        return f"not a readable notebook ({type(error).__name__}); ask for it again", none
    except Exception as error:  # a JSON file that is not a notebook
        return f"not a readable notebook ({type(error).__name__}); ask for it again", none
    stem = item.name[: -len(".ipynb")]
    if item.learner_hint:
        learner = item.learner_hint
    else:
        matches = _match(stem, learners)
        if not matches:
            return ("no learner on the roster matches this file name; name it with the "
                    "learner id or add the learner with `crosstalk course roster`"), none
        if len(matches) > 1:
            return f"the name matches several learners ({', '.join(sorted(matches))})", none
        learner = matches[0]
    ids = _grade_ids(notebook)
    if len(expected) == 1:
        name = next(iter(expected))
    else:
        named = [name for name in expected if name.lower() in stem.lower()]
        best = max(expected, key=lambda name: len(ids & expected[name]))
        name = named[0] if len(named) == 1 else best
    if ids and not ids & expected[name]:
        owner = [other for other, notebooks in others.items()
                 if any(ids & grade_ids for grade_ids in notebooks.values())]
        where = f"it belongs to assignment {owner[0]}" if owner else "it has none of its cells"
        return f"not a notebook of this assignment: {where}", none
    return "", (learner, name)
