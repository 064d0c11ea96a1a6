"""``crosstalk collect``: file returned notebooks under ``submitted/<learner>/<assignment>/``.

Submissions come back in whatever shape a session or an LMS produces:

* a folder per learner (``alice/01-redirects.ipynb``), or a folder of such folders;
* loose notebooks named with the learner id (``alice.ipynb``, ``01-redirects_alice.ipynb``);
* zip files, one per learner (``alice.zip``) or one for everybody, holding either shape.

Nothing is guessed, and every file is judged on its own: a file whose learner is not on
the roster, a learner with two files for the same notebook, a file that is not a readable
notebook, a notebook of another assignment, a symbolic link, a broken, encrypted or
oversized zip or zip member, a member whose path leaves the zip (``../``), and an existing
submission (without ``replace``) are all *reported* and not filed, and never cost the other
files of the batch.

Which assignment a notebook belongs to is read from its *content*: the sources of the
cells the kit handed out (instructions, given code, visible tests) are fingerprinted per
assignment, keeping only the fingerprints no other assignment shares; grade ids alone say
nothing (the assignments share many of them).

Every run is recorded in ``DIR/collect-log.json`` (see :func:`write_log`), so the cohort
report can list each learner's rejected files with the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import stat
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any

import nbformat
import pandas as pd

from kit.course.coursedir import Course, open_course
from kit.course.exercises import venv_on_path
from kit.errors import InputError

__all__ = [
    "LOG_FILE",
    "MAX_MEMBERS",
    "MAX_NOTEBOOK_BYTES",
    "MAX_ZIP_BYTES",
    "CollectReport",
    "collect",
    "load_rejections",
    "read_log",
]

LOG_FILE = "collect-log.json"
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
"""A notebook larger than this (file or zip member, uncompressed) is refused."""
MAX_ZIP_BYTES = 500 * 1024 * 1024
"""Uncompressed bytes read from one zip at most; the members past it are refused."""
MAX_MEMBERS = 5_000
"""Members of one zip looked at at most."""


@dataclass
class CollectReport:
    """What ``collect`` filed and what it refused, each with the file it came from."""

    assignment: str
    filed: list[tuple[str, str, str]] = field(default_factory=list)
    """``(learner, where it came from, where it went)``."""
    problems: list[str] = field(default_factory=list)
    """One line per refused file: ``<file>: <reason>``."""
    rejected: list[tuple[str | None, str, str]] = field(default_factory=list)
    """``(learner or None, file, reason)`` for every refused file (same order as problems)."""

    def reject(self, learner: str | None, label: str, reason: str, *,
               line: str | None = None) -> None:
        self.rejected.append((learner, label, reason))
        self.problems.append(line or f"{label}: {reason}")

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
    problem: str = ""
    """Why the file cannot be used at all (read before the learner is known)."""


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


def _one(text: str, learners: set[str]) -> str | None:
    matches = _match(text, learners)
    return matches[0] if len(matches) == 1 else None


def _member_problem(info: zipfile.ZipInfo) -> str:
    """Why a zip member must not be read ('' when it may)."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        return "its path leaves the zip (absolute or '../'); refused"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link inside the zip; refused"
    if info.flag_bits & 0x1:
        return "encrypted (password-protected); send it without a password"
    if info.file_size > MAX_NOTEBOOK_BYTES:
        return (f"{info.file_size / 1e6:,.0f} MB uncompressed, over the "
                f"{MAX_NOTEBOOK_BYTES / 1e6:,.0f} MB limit for a notebook")
    return ""


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes, str]:
    """``(data, problem)``: the member's bytes, read with a cap whatever its header says."""
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_NOTEBOOK_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        return b"", f"damaged inside the zip ({error}); ask for the file again"
    except (RuntimeError, NotImplementedError) as error:  # encryption, unknown compression
        return b"", f"cannot be unpacked ({error}); send a plain zip"
    if len(data) > MAX_NOTEBOOK_BYTES:
        return b"", f"over the {MAX_NOTEBOOK_BYTES / 1e6:,.0f} MB limit for a notebook"
    return data, ""


def _from_zip(path: Path, label: str, hint: str | None, learners: set[str]) -> Iterator[_Item]:
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        yield _Item(label, path.name, b"", hint,
                    f"not a readable zip file ({error}); it may be truncated: ask for it again")
        return
    with archive:
        if len(infos) > MAX_MEMBERS:
            yield _Item(label, path.name, b"", hint,
                        f"{len(infos):,} files inside, over the limit of {MAX_MEMBERS:,}")
            return
        budget = MAX_ZIP_BYTES
        for info in infos:
            inner = PurePosixPath(info.filename.replace("\\", "/"))
            if info.is_dir() or any(p.startswith((".", "__MACOSX")) and p != ".."
                                    for p in inner.parts):
                continue  # folders, hidden files, macOS resource forks
            folder_hint = next((m for part in inner.parts[:-1]
                                for m in [_one(part, learners)] if m), None)
            where = f"{label}:{info.filename}"
            item_hint = hint or folder_hint
            problem = _member_problem(info)
            if not problem and not inner.name.lower().endswith(".ipynb"):
                problem = "not a notebook (.ipynb); skipped"
            if not problem and info.file_size > budget:
                problem = (f"the zip holds more than {MAX_ZIP_BYTES / 1e6:,.0f} MB; "
                           "split it into smaller zips")
            data = b""
            if not problem:
                data, problem = _read_member(archive, info)
                budget -= len(data)
            yield _Item(where, inner.name, data, item_hint, problem)


def _expand(path: Path, label: str, learners: set[str],
            hint: str | None = None, *, top: bool = False) -> Iterator[_Item]:
    if path.is_symlink():
        yield _Item(label, path.name, b"", hint,
                    "a symbolic link; give the file itself (links are never filed)")
    elif path.is_dir():
        folder_hint = hint or _one(path.name, learners)
        try:
            children = sorted(path.iterdir())
        except OSError as error:
            yield _Item(label, path.name, b"", hint,
                        f"cannot read the folder ({error.strerror or error})")
            return
        for child in children:
            if not child.name.startswith("."):
                inner = child.name if top else f"{label}/{child.name}"
                yield from _expand(child, inner, learners, folder_hint)
    elif path.suffix.lower() == ".zip":
        yield from _from_zip(path, label, hint or _one(path.stem, learners), learners)
    elif path.is_file():
        try:
            size = path.stat().st_size
            if size > MAX_NOTEBOOK_BYTES:
                yield _Item(label, path.name, b"", hint, f"{size / 1e6:,.0f} MB, over the "
                            f"{MAX_NOTEBOOK_BYTES / 1e6:,.0f} MB limit for a notebook")
                return
            yield _Item(label, path.name, path.read_bytes(), hint)
        except OSError as error:
            yield _Item(label, path.name, b"", hint,
                        f"cannot be read ({error.strerror or error})")
    else:
        yield _Item(label, path.name, b"", hint, "not a file or folder; skipped")


# --- which assignment a notebook belongs to --------------------------------------------------


def _cell_print(source: object) -> str | None:
    """A fingerprint of one cell's source: whitespace-insensitive, '' sources ignored."""
    text = "".join(source) if isinstance(source, list) else str(source or "")
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) < 12:  # too short to say anything ("x = 1", "# Answer")
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _notebook_prints(notebook: Any) -> set[str]:
    return {p for cell in notebook.get("cells", []) if isinstance(cell, dict)
            for p in [_cell_print(cell.get("source"))] if p}


def _assignment_prints(course: Course) -> dict[str, dict[str, set[str]]]:
    """``assignment → notebook name → fingerprints`` of the cells handed out to learners.

    The released copy (what learners got) and the source are both read; a fingerprint that
    two assignments share (the usual import cell, say) is dropped from both.
    """
    prints: dict[str, dict[str, set[str]]] = {}
    for assignment in course.assignments:
        notebooks: dict[str, set[str]] = {}
        for folder in (course.source / assignment, course.folder("release") / assignment):
            for path in sorted(folder.glob("*.ipynb")):
                try:
                    notebook = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                notebooks.setdefault(path.stem, set()).update(_notebook_prints(notebook))
        prints[assignment] = notebooks
    owners: dict[str, set[str]] = defaultdict(set)
    for assignment, notebooks in prints.items():
        for values in notebooks.values():
            for value in values:
                owners[value].add(assignment)
    return {assignment: {name: {v for v in values if len(owners[v]) == 1}
                         for name, values in notebooks.items()}
            for assignment, notebooks in prints.items()}


def _owner(found: set[str], prints: dict[str, dict[str, set[str]]]
           ) -> tuple[str | None, str | None, int]:
    """``(assignment, notebook, shared cells)`` with the most cells in common with ``found``."""
    best: tuple[str | None, str | None, int] = (None, None, 0)
    for assignment, notebooks in prints.items():
        for name, values in notebooks.items():
            count = len(found & values)
            if count > best[2]:
                best = (assignment, name, count)
    return best


# --- the log ---------------------------------------------------------------------------------


def read_log(course: Course | Path | str) -> dict[str, Any]:
    """``DIR/collect-log.json`` as a dict (empty when there is none or it is unreadable).

    Layout (``version`` 1)::

        {"version": 1,
         "assignments": {
           "01-redirects": {
             "learners": {
               "alice": {"filed": {"from": "inbox/alice.zip:a.ipynb",
                                   "to": "submitted/alice/01-redirects/01-redirects.ipynb",
                                   "at": "2026-12-07T19:40:00+00:00"},
                         "rejected": [{"file": "inbox/alice-old.zip",
                                       "reason": "encrypted (password-protected); ...",
                                       "at": "2026-12-07T19:40:00+00:00"}]}},
             "unmatched": [{"file": "inbox/zed.ipynb", "reason": "no learner ...",
                            "at": "..."}]}}}

    ``filed`` is the latest file filed for the learner (``null`` when none was);
    ``rejected`` lists the files refused by the learner's latest ``collect`` run;
    ``unmatched`` lists the refused files of the latest run no learner could be told for.
    """
    root = course.root if isinstance(course, Course) else Path(course)
    path = root / LOG_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": 1, "assignments": {}}
    return data if isinstance(data, dict) else {"version": 1, "assignments": {}}


def load_rejections(course: Course | Path | str, assignment: str
                    ) -> list[dict[str, str | None]]:
    """``[{learner, file, reason}]``: the files of ``assignment`` that ``collect`` refused
    and that no later filing replaced (``learner`` is None when no learner could be told).

    This is what the cohort report shows as "rejected: <reason>"; it reads
    :func:`read_log`.  A learner whose latest run filed a notebook is not listed.
    """
    section = read_log(course).get("assignments", {}).get(assignment, {})
    found: list[dict[str, str | None]] = []
    for learner, entry in sorted(section.get("learners", {}).items()):
        if not isinstance(entry, dict) or entry.get("filed"):
            continue
        found += [{"learner": learner, "file": item.get("file"), "reason": item.get("reason")}
                  for item in entry.get("rejected", []) if isinstance(item, dict)]
    found += [{"learner": None, "file": item.get("file"), "reason": item.get("reason")}
              for item in section.get("unmatched", []) if isinstance(item, dict)]
    return found


def write_log(course: Course, report: CollectReport) -> Path:
    """Merge ``report`` into ``DIR/collect-log.json`` (layout: :func:`read_log`)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    log = read_log(course)
    log["version"] = 1
    section = log.setdefault("assignments", {}).setdefault(
        report.assignment, {"learners": {}, "unmatched": []})
    learners = section.setdefault("learners", {})
    touched = {learner for learner, _, _ in report.filed} | {
        learner for learner, _, _ in report.rejected if learner}
    for learner in touched:
        entry = learners.setdefault(learner, {"filed": None, "rejected": []})
        entry["rejected"] = []
    for learner, source, target in report.filed:
        learners[learner]["filed"] = {"from": source, "to": target, "at": now}
    section["unmatched"] = []
    for owner, label, reason in report.rejected:
        record = {"file": label, "reason": reason, "at": now}
        if owner:
            learners[owner]["rejected"].append(record)
        else:
            section["unmatched"].append(record)
    path = course.root / LOG_FILE
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(log, indent=1, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)
    return path


# --- collect ---------------------------------------------------------------------------------


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
    prints = _assignment_prints(course)
    chosen: dict[tuple[str, str], list[_Item]] = defaultdict(list)
    for raw in files:
        path = Path(raw)
        label = str(raw)
        if not path.exists() and not path.is_symlink():
            report.reject(_one(path.stem, learners), label, "no such file or folder")
            continue
        # A file or zip is named as given; a folder's notebooks relative to that folder, as a
        # person finds them in it (reports then read the same wherever the folder lies).
        for item in _expand(path, label, learners, top=True):
            learner, problem, key = _classify(item, learners, assignment, prints)
            if problem:
                report.reject(learner, item.label, problem)
            else:
                chosen[key].append(item)
    for (learner, notebook), items in sorted(chosen.items()):
        if len(items) > 1:
            reason = (f"{len(items)} files for {notebook}.ipynb "
                      f"({', '.join(i.label for i in items)}); none filed. Keep one and "
                      "collect again.")
            for item in items:
                report.rejected.append((learner, item.label, reason))
            report.problems.append(f"{learner}: {reason}")
            continue
        target = course.folder("submitted") / learner / assignment / f"{notebook}.ipynb"
        if target.exists() and not replace:
            report.reject(learner, items[0].label,
                          f"{learner} already has a submission "
                          f"({target.relative_to(course.root)}); use --replace to overwrite it")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()
        target.write_bytes(items[0].data)
        report.filed.append((learner, items[0].label, str(target.relative_to(course.root))))
    write_log(course, report)
    return report


def _classify(item: _Item, learners: set[str], assignment: str,
              prints: dict[str, dict[str, set[str]]]
              ) -> tuple[str | None, str, tuple[str, str]]:
    """``(learner, problem, (learner, notebook))``: a problem message, or where it belongs."""
    none = ("", "")
    stem = item.name[: -len(".ipynb")] if item.name.lower().endswith(".ipynb") else item.name
    stem = stem.removesuffix(".zip").removesuffix(".ZIP")
    matches = _match(stem, learners)
    learner = item.learner_hint or (matches[0] if len(matches) == 1 else None)
    if item.problem:
        return learner, item.problem, none
    if not item.name.lower().endswith(".ipynb"):
        return learner, "not a notebook (.ipynb); skipped", none
    try:
        notebook = json.loads(item.data.decode("utf-8"))
        if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
            raise ValueError("no list of cells")
        nbformat.reads(item.data.decode("utf-8"), as_version=4)
    except Exception as error:  # any file that is not a notebook: reported, never raised
        return learner, (f"not a readable notebook ({type(error).__name__}); "
                         "ask for it again"), none
    if learner is None:
        if not matches:
            return None, ("no learner on the roster matches this file name; name it with the "
                          "learner id or add the learner with `crosstalk course roster`"), none
        return None, f"the name matches several learners ({', '.join(sorted(matches))})", none
    owner, name, _shared = _owner(_notebook_prints(notebook), prints)
    if owner is None:
        return learner, ("not a notebook of this assignment: none of its cells come from it "
                         "(or from any other assignment of the course); is it the notebook "
                         "that was handed out?"), none
    if owner != assignment:
        return learner, (f"not a notebook of this assignment: its cells are those of "
                         f"{owner}; collect it with that assignment"), none
    return learner, "", (learner, str(name))
