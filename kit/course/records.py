"""Typed grading records: what grading found per learner, from ``grade`` to feedback and report.

:class:`Outcome` is one learner's submission of one assignment: a :class:`Status`, the
reason when it could not be graded, per task a :class:`TaskResult`, the limits that stopped
cells (:class:`Stop`) and the flags for the team lead (:class:`Flag`).  :class:`GradeRun`
holds the outcomes of an assignment.  :func:`run_to_json` and :func:`run_from_json` are
the only (de)serialisation, with a ``version`` field; files written before it existed
(version 1, no field) are read too.

Where each fact lives (one source of truth each; the rest is derived):

* **Scores**: the nbgrader gradebook.  ``grading/<assignment>.json`` holds none (a version
  1 file's are ignored); every reader puts the gradebook's current scores on the records
  (:func:`kit.course.results.load_results`), so a grade a person gives in the formgrader
  shows in feedback and report at once.
* **What each test said** (error, the visible check's message, blank answers, the
  learner's own lines, the limit that stopped a cell): the autograded notebooks
  (``autograded/<learner>/<assignment>/``).  The JSON keeps what ``crosstalk grade`` read
  from them; a learner graded another way (nbgrader's *Autograde* button, ``nbgrader
  autograde``) is read from the notebooks directly.
* **What only the kit knows**: submissions refused (:attr:`Status.REJECTED`), not graded
  (:attr:`Status.FAILED`) or stopped at the deadline (:attr:`Status.TIMED_OUT`) with the
  reason, the sandbox's flags and what it could not enforce: the JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields
from enum import StrEnum
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "FLAG_BLANK",
    "FLAG_REFUSED",
    "RECORDS_VERSION",
    "Flag",
    "GradeRun",
    "Outcome",
    "Status",
    "Stop",
    "TaskResult",
    "now",
    "read_run",
    "run_from_json",
    "run_to_json",
    "write_run",
]

RECORDS_VERSION = 2
"""Version of ``grading/<assignment>.json``: 1 (no field) kept scores and wrote rejections
and timeouts as ``failed``; 2 keeps no scores and has a status for each."""

FLAG_BLANK = "full marks with blank answers"
FLAG_REFUSED = "tried something the sandbox refused"


class Status(StrEnum):
    """What became of one learner's submission of one assignment (the value is the text
    reports show)."""

    GRADED = "graded"
    MANUAL = "needs manual grading"
    """Graded, but a person still has to grade a written answer."""
    FAILED = "failed"
    """nbgrader or the grading process could not finish it."""
    TIMED_OUT = "timed out"
    """Stopped at ``crosstalk grade``'s deadline for one submission."""
    REJECTED = "rejected"
    """Not a gradable submission (not a notebook, none of the assignment's, links)."""
    NOT_GRADED = "not graded yet"
    """Handed in, waiting for ``crosstalk grade``."""
    MISSING = "no submission"

    @property
    def graded(self) -> bool:
        """True for :attr:`GRADED` and :attr:`MANUAL`: the gradebook holds its scores."""
        return self in (Status.GRADED, Status.MANUAL)

    @property
    def failed(self) -> bool:
        """True for :attr:`FAILED`, :attr:`TIMED_OUT` and :attr:`REJECTED`."""
        return self in (Status.FAILED, Status.TIMED_OUT, Status.REJECTED)


GRADE_ORDER = (Status.GRADED, Status.MANUAL, Status.FAILED, Status.TIMED_OUT, Status.REJECTED)
"""The statuses ``crosstalk grade`` gives, in the order its table lists them."""


def now() -> str:
    """The current time in UTC, as the records store it (ISO 8601, seconds)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without keys ``cls`` does not have (a newer file's extra fields)."""
    names = {item.name for item in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


@dataclass
class Flag:
    """Something the team lead should look at (see :data:`FLAG_BLANK`, :data:`FLAG_REFUSED`)."""

    flag: str
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"flag": self.flag, "detail": self.detail}


@dataclass
class Stop:
    """A limit that stopped one cell (recorded by :mod:`kit.course.sandbox`)."""

    index: int
    """0-based index of the cell in its notebook."""
    limit: str
    """``timeout``, ``output``, ``memory`` or ``kernel``."""
    detail: str = ""
    grade_id: str | None = None
    notebook: str = ""

    @property
    def label(self) -> str:
        """The grade id, or ``cell N`` (1-based) where the cell has none."""
        return self.grade_id or f"cell {self.index + 1}"

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "grade_id": self.grade_id, "limit": self.limit,
                "detail": self.detail, "notebook": self.notebook}


@dataclass
class TaskResult:
    """One task of one learner: what its check said, and its score from the gradebook."""

    notebook: str
    grade_id: str
    ran: bool = True
    error: str = ""
    """Exception name the check raised (``""`` when it passed; ``Missing``: no such cell)."""
    message: str = ""
    """The visible check's own message (never text from the hidden part)."""
    hidden_failure: bool = False
    """The check failed in its hidden part (or where the line is unknown)."""
    answer: tuple[str, ...] = ()
    """The learner's answer lines that are neither the template nor the model answer."""
    blank: bool = False
    """The answer is still the stub learners were given."""
    stopped: str = ""
    """The limit that stopped this cell (timeout, output, memory, kernel), if any."""
    score: float | None = None
    """From the gradebook (never stored in the JSON); None while a person has to grade."""
    max_score: float | None = None

    def __post_init__(self) -> None:
        self.answer = tuple(self.answer)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaskResult:
        return cls(**_known(cls, data))

    def as_dict(self, *, scores: bool = True) -> dict[str, Any]:
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        data["answer"] = list(self.answer)
        if not scores:
            del data["score"], data["max_score"]
        return data


@dataclass
class Outcome:
    """What grading did with one learner's submission of one assignment."""

    learner: str
    assignment: str
    status: Status
    reason: str = ""
    """Why it failed, was rejected or timed out; or which limit stopped part of it."""
    score: float | None = None
    """Sum of the gradebook's scores (None until they are put on, see module doc)."""
    max_score: float = 0.0
    seconds: float = 0.0
    sandboxed: bool = False
    stopped: list[Stop] = field(default_factory=list)
    tasks: list[TaskResult] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    """For the team lead: full marks with blank answers, something the sandbox refused."""
    not_enforced: list[str] = field(default_factory=list)
    """Sandbox mechanisms this machine could not apply while grading it."""
    recorded: str = ""
    """When this record was made (UTC, ISO 8601); empty in version 1 files."""

    def __post_init__(self) -> None:
        self.status = Status(self.status)
        self.stopped = [item if isinstance(item, Stop) else Stop(**_known(Stop, item))
                        for item in self.stopped]
        self.tasks = [item if isinstance(item, TaskResult) else TaskResult.from_dict(item)
                      for item in self.tasks]
        self.flags = [item if isinstance(item, Flag) else Flag(**_known(Flag, item))
                      for item in self.flags]

    @property
    def failed(self) -> bool:
        """Not graded: failed, timed out or rejected (see :attr:`Status.failed`)."""
        return self.status.failed

    @property
    def explanation(self) -> str:
        """Why it was not graded, as reports show it (``rejected: …`` for a rejection)."""
        if self.status is Status.REJECTED:
            return f"rejected: {self.reason}"
        return self.reason

    def task(self, notebook: str, grade_id: str) -> TaskResult | None:
        """This learner's result for one task, if grading found it."""
        return next((t for t in self.tasks if (t.notebook, t.grade_id) == (notebook, grade_id)),
                    None)

    def as_dict(self, *, scores: bool = False) -> dict[str, Any]:
        """The record as JSON-ready data; without ``scores`` (the gradebook has them)."""
        data: dict[str, Any] = {
            "learner": self.learner, "assignment": self.assignment,
            "status": self.status.value, "reason": self.reason,
            "seconds": round(self.seconds, 3), "sandboxed": self.sandboxed,
            "stopped": [item.as_dict() for item in self.stopped],
            "tasks": [task.as_dict(scores=scores) for task in self.tasks],
            "flags": [item.as_dict() for item in self.flags],
            "not_enforced": list(self.not_enforced), "recorded": self.recorded,
        }
        if scores:
            data.update(score=self.score, max_score=self.max_score)
        return data


@dataclass
class GradeRun:
    """The outcomes of one assignment: one :class:`Outcome` per learner."""

    assignment: str
    outcomes: list[Outcome]
    seconds: float = 0.0
    jobs: int = 1

    def frame(self) -> pd.DataFrame:
        """learner, status, score, max_score, reason, seconds: one row per learner."""
        rows = [{"learner": o.learner, "status": o.status.value, "score": o.score,
                 "max_score": o.max_score, "reason": o.reason, "seconds": round(o.seconds, 1)}
                for o in self.outcomes]
        return pd.DataFrame(rows, columns=["learner", "status", "score", "max_score", "reason",
                                           "seconds"])

    def counts(self) -> dict[Status, int]:
        """Learners per status ``crosstalk grade`` gives (see :data:`GRADE_ORDER`)."""
        return {status: sum(o.status is status for o in self.outcomes) for status in GRADE_ORDER}

    def failed(self) -> list[Outcome]:
        """The outcomes that were not graded (failed, timed out, rejected)."""
        return [o for o in self.outcomes if o.failed]

    def summary(self) -> str:
        counts = self.counts()
        stopped = sum(bool(o.stopped) for o in self.outcomes if not o.failed)
        failed = len(self.failed())
        kinds = [f"{counts[s]} {s.value}" for s in (Status.TIMED_OUT, Status.REJECTED)
                 if counts[s]]
        text = (f"{self.assignment}: {len(self.outcomes)} submission(s) in {self.seconds:.0f} s "
                f"with {self.jobs} job(s): {counts[Status.GRADED]} graded, "
                f"{counts[Status.MANUAL]} waiting for manual grading, {failed} failed"
                + (f" ({', '.join(kinds)})" if kinds else ""))
        text += (f"; {stopped} stopped by a limit (see reason)" if stopped else "") + "."
        flagged = sum(bool(o.flags) for o in self.outcomes)
        if flagged:
            text += f" {flagged} flagged for a look (see grading/{self.assignment}-flags.json)."
        missing = sorted({item for o in self.outcomes for item in o.not_enforced})
        if missing:
            text += " Not enforced on this machine: " + "; ".join(missing) + "."
        return text

    def table(self) -> str:
        """The plain-text table ``crosstalk grade`` prints."""
        if not self.outcomes:
            return "no submissions"
        lines = []
        width = max(len("learner"), *(len(o.learner) for o in self.outcomes))
        lines.append(f"{'learner':<{width}}  {'status':<20}  {'score':>11}  reason")
        for o in sorted(self.outcomes, key=lambda o: (GRADE_ORDER.index(o.status)
                                                      if o.status in GRADE_ORDER else 9,
                                                      o.learner)):
            score = "-" if o.score is None else f"{o.score:g} / {o.max_score:g}"
            lines.append(f"{o.learner:<{width}}  {o.status.value:<20}  {score:>11}  {o.reason}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"GradeRun({self.summary()})"

    def _repr_html_(self) -> str:
        return f"<p>{escape(self.summary())}</p>" + self.frame().to_html(index=False)


# --- JSON -------------------------------------------------------------------------------


def run_to_json(run: GradeRun) -> dict[str, Any]:
    """``grading/<assignment>.json``'s content: the records without scores, versioned."""
    return {"version": RECORDS_VERSION, "assignment": run.assignment,
            "outcomes": [outcome.as_dict() for outcome in run.outcomes]}


_TIMED_OUT_V1 = "did not finish within "
_REJECTED_V1 = "rejected: "


def _outcome_v1(item: dict[str, Any]) -> Outcome:
    """A version 1 record: ``failed`` covered rejections (reason ``rejected: …``) and the
    deadline (``did not finish within …``); scores were copies of the gradebook's."""
    data = dict(item)
    status, reason = str(data.get("status", "")), str(data.get("reason", ""))
    if status == "failed" and reason.startswith(_REJECTED_V1):
        data.update(status=Status.REJECTED, reason=reason.removeprefix(_REJECTED_V1))
    elif status == "failed" and reason.startswith(_TIMED_OUT_V1):
        data["status"] = Status.TIMED_OUT
    data.pop("score", None)
    data.pop("max_score", None)
    data["tasks"] = [{k: v for k, v in task.items() if k not in ("score", "max_score")}
                     for task in data.get("tasks", []) if isinstance(task, dict)]
    return Outcome(**_known(Outcome, data))


def run_from_json(payload: dict[str, Any], assignment: str = "") -> GradeRun:
    """The :class:`GradeRun` in ``payload`` (any version up to :data:`RECORDS_VERSION`).

    Raises ``ValueError`` for a version this kit does not know (written by a newer kit).
    """
    version = payload.get("version", 1)
    if not isinstance(version, int) or not 1 <= version <= RECORDS_VERSION:
        raise ValueError(f"grading records version {version!r}; this kit reads versions 1 "
                         f"to {RECORDS_VERSION}")
    name = str(payload.get("assignment") or assignment)
    items = [item for item in payload.get("outcomes", []) if isinstance(item, dict)]
    if version == 1:
        outcomes = [_outcome_v1(item) for item in items]
    else:
        outcomes = [Outcome(**_known(Outcome, {k: v for k, v in item.items()
                                               if k not in ("score", "max_score")}))
                    for item in items]
    return GradeRun(name, outcomes)


def write_run(path: Path, run: GradeRun) -> Path:
    """Write :func:`run_to_json` of ``run`` to ``path`` atomically (a reader never sees half)."""
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(run_to_json(run), indent=1), encoding="utf-8")
    temporary.replace(path)
    return path


def read_run(path: Path, assignment: str) -> GradeRun:
    """The records in ``path``; an empty run when there is no such file.

    A damaged file raises :class:`kit.errors.InputError` naming it.
    """
    if not path.is_file():
        return GradeRun(assignment, [])
    from kit.errors import InputError

    try:
        return run_from_json(json.loads(path.read_text(encoding="utf-8")), assignment)
    except (ValueError, TypeError, KeyError) as error:
        raise InputError(f"{path}: not readable grading records ({error}).",
                         hint="Grade the assignment again with `crosstalk grade DIR "
                              f"{assignment} --force`; the file is rewritten.") from None
