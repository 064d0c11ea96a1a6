"""A request brief: goal, business metric, audience and acceptance criteria that run.

A vague request ("301 the old pages", "SEO the site") is read one way by Marketing and
another by IT.  A :class:`Brief` writes it down so both sides can read it, and each
acceptance :class:`Criterion` carries three things: a plain-language sentence for
Marketing, a technical sentence for IT, and a check that calls the kit on the data both
sides agreed to test against.  :meth:`Brief.check` runs every check and returns a
:class:`BriefResult`: pass or fail per criterion, with the findings that failed it in
both languages.  A check that cannot run (missing or bad data) is a failed criterion
with the reason, never a crash.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import pandas as pd

from kit.errors import InputError
from kit.findings import FINDING_COLUMNS, findings_frame

__all__ = ["Brief", "BriefResult", "Criterion", "CriterionResult", "Data"]

Data = Mapping[str, Any]
"""The data a brief is checked against: names (``"redirects"``, ``"pages"``) to values."""

CheckOutcome: TypeAlias = pd.DataFrame | bool
_SHOWN = 3  # findings quoted per failed criterion in the one-line reasons


def _text(owner: str, name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{owner}: {name} is {value!r}.",
                         hint=f"Write {name} as a sentence between quotes, e.g. {name}=\"...\".")
    return value.strip()


@dataclass(frozen=True)
class Criterion:
    """One acceptance criterion, readable by both sides and checkable by the kit.

    ``marketing``: what must be true, in plain language.  ``it``: the same as a technical
    statement.  ``check``: called with the data, returns a findings DataFrame (each row a
    problem that fails the criterion; empty means pass) or a bool (True means pass).
    ``needs``: the data names the check reads (a missing one fails with a clear reason).
    ``source``: where the rule comes from.
    """

    name: str
    marketing: str
    it: str
    check: Callable[[Data], CheckOutcome] = field(repr=False)
    needs: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        owner = f"Criterion {self.name!r}"
        for attribute in ("name", "marketing", "it"):
            object.__setattr__(self, attribute, _text(owner, attribute, getattr(self, attribute)))
        if not callable(self.check):
            raise InputError(
                f"Criterion {self.name!r}: check is {self.check!r}, not a function.",
                hint="Give a function of the data, e.g. check=lambda data: ..., or use a "
                     "ready-made criterion from kit.brief.")
        object.__setattr__(self, "needs", tuple(self.needs))

    def run(self, data: Data) -> CriterionResult:
        """Run the check on ``data``; errors become a failed result with the reason."""
        if not isinstance(data, Mapping):
            return CriterionResult.broken(self, f"the data is a {type(data).__name__}, not a "
                                          "dict of named inputs such as {'redirects': ...}")
        missing = [name for name in self.needs if name not in data]
        if missing:
            return CriterionResult.broken(
                self, f"the data has no {', '.join(repr(m) for m in missing)} (it has "
                f"{sorted(map(str, data)) or 'nothing'}); add it to the dict")
        try:
            outcome = self.check(data)
        except Exception as exc:
            message = " ".join(str(exc).split()) or type(exc).__name__
            return CriterionResult.broken(self, f"{type(exc).__name__}: {message}")
        if isinstance(outcome, bool):
            return CriterionResult(self, outcome, findings_frame([]))
        if isinstance(outcome, pd.DataFrame):
            try:
                found = findings_frame(outcome.copy())
            except ValueError as exc:
                return CriterionResult.broken(self, f"the check returned a table the kit cannot "
                                              f"read as findings: {exc}")
            return CriterionResult(self, found.empty, found)
        return CriterionResult.broken(
            self, f"the check returned {type(outcome).__name__}; return True/False or a "
            "findings table")


@dataclass(frozen=True)
class CriterionResult:
    """Pass or fail for one criterion, the findings that failed it, and why in both languages."""

    criterion: Criterion
    passed: bool
    findings: pd.DataFrame = field(repr=False)
    error: str = ""

    @classmethod
    def broken(cls, criterion: Criterion, reason: str) -> CriterionResult:
        """A check that could not run: failed, with the reason."""
        return cls(criterion, False, findings_frame([]), error=reason)

    @property
    def marketing(self) -> str:
        """The outcome in Marketing's words: what is met, or what it costs."""
        if self.error:
            return ("Not shown to be met: the check could not run on the data given, so nobody "
                    "can say it is done yet.")
        if self.passed:
            return f"Met: {self.criterion.marketing}"
        return self._quote("business", "Not met")

    @property
    def it(self) -> str:
        """The outcome in IT's words: what passed, or what to change."""
        if self.error:
            return f"Check did not run: {self.error.strip().rstrip('.')}."
        if self.passed:
            return f"Passes: {self.criterion.it}"
        return self._quote("technical", "Fails")

    def _quote(self, column: str, lead: str) -> str:
        rows = self.findings
        if rows.empty:
            return f"{lead}: the check said no."
        grouped: dict[str, list[str]] = {}
        for subject, text in zip(rows["subject"], rows[column], strict=True):
            grouped.setdefault(str(text).strip().rstrip("."), []).append(str(subject))
        parts = []
        for text, subjects in list(grouped.items())[:_SHOWN]:
            named = ", ".join(subjects[:_SHOWN]) + (" …" if len(subjects) > _SHOWN else "")
            parts.append(f"{text} [{len(subjects)}: {named}]" if len(subjects) > 1
                         else f"{text} [{named}]")
        more = len(grouped) - _SHOWN
        tail = f"; and {more} other kinds of problem" if more > 0 else ""
        problems = "problem" if len(rows) == 1 else "problems"
        return f"{lead}, {len(rows)} {problems}: " + "; ".join(parts) + tail + "."

    def __repr__(self) -> str:
        state = "PASS" if self.passed else ("ERROR" if self.error else "FAIL")
        return f"<{state} {self.criterion.name}: {len(self.findings)} findings>"


def _criteria(owner: str, criteria: Iterable[Criterion]) -> tuple[Criterion, ...]:
    if isinstance(criteria, Criterion):
        criteria = [criteria]
    try:
        items = tuple(criteria)
    except TypeError:
        raise InputError(f"{owner}: criteria is {criteria!r}, not a list.",
                         hint="Write criteria=[...] with one or more criteria.") from None
    wrong = [f"item {i + 1}: {item!r}" for i, item in enumerate(items)
             if not isinstance(item, Criterion)]
    if wrong:
        raise InputError(f"{owner}: these criteria are not Criterion objects.", wrong,
                         hint="Call a ready-made criterion, e.g. redirects_one_hop(), with its "
                              "brackets, or build one with Criterion(...).")
    if not items:
        raise InputError(f"{owner}: no acceptance criteria.",
                         hint="A brief without a check cannot be shown to be done: add at least "
                              "one criterion.")
    names = [c.name for c in items]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError(f"{owner}: criteria named twice: {repeated}.",
                         hint="Give each criterion its own name (name=...).")
    return items


@dataclass(frozen=True)
class Brief:
    """A request both sides can read and the kit can check.

    ``goal``: what the change is for.  ``metric``: the business figure that shows it
    worked.  ``audience``: who it is for.  ``criteria``: acceptance criteria, each with a
    sentence for Marketing, one for IT and an executable check.  ``request``: the
    original (vague) request, kept for the record.
    """

    goal: str
    metric: str
    audience: str
    criteria: tuple[Criterion, ...]
    request: str = ""
    title: str = "Brief"

    def __post_init__(self) -> None:
        owner = f"Brief {self.title!r}"
        for attribute in ("goal", "metric", "audience", "title"):
            object.__setattr__(self, attribute, _text(owner, attribute, getattr(self, attribute)))
        object.__setattr__(self, "criteria", _criteria(owner, self.criteria))
        if not isinstance(self.request, str):
            raise InputError(f"{owner}: request is {self.request!r}; write it between quotes.")

    def table(self) -> pd.DataFrame:
        """The acceptance criteria as a table: Marketing's sentence, IT's sentence, the check."""
        return pd.DataFrame({
            "criterion": [c.name for c in self.criteria],
            "Marketing reads": [c.marketing for c in self.criteria],
            "IT reads": [c.it for c in self.criteria],
            "checked with": [", ".join(c.needs) or "(no data)" for c in self.criteria],
            "source": [c.source for c in self.criteria],
        })

    def check(self, data: Data) -> BriefResult:
        """Run every criterion's check on ``data``; never raises for bad data."""
        return BriefResult(self, tuple(c.run(data) for c in self.criteria))

    def __repr__(self) -> str:
        lines = [f"{self.title}", f"  goal:     {self.goal}", f"  metric:   {self.metric}",
                 f"  audience: {self.audience}"]
        if self.request:
            lines.insert(1, f"  asked:    {self.request}")
        for number, c in enumerate(self.criteria, 1):
            lines += [f"  {number}. Marketing: {c.marketing}", f"     IT:        {c.it}"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(
            f"<tr><th style='text-align:left'>{label}</th><td style='text-align:left'>"
            f"{html.escape(value)}</td></tr>"
            for label, value in (("asked", self.request), ("goal", self.goal),
                                 ("business metric", self.metric), ("audience", self.audience))
            if value)
        rows = "".join(
            f"<tr><td>{n}</td><td style='text-align:left'>{html.escape(c.marketing)}</td>"
            f"<td style='text-align:left'>{html.escape(c.it)}</td>"
            f"<td style='text-align:left'><code>{html.escape(', '.join(c.needs))}</code></td></tr>"
            for n, c in enumerate(self.criteria, 1))
        return (f"<div><strong>{html.escape(self.title)}</strong><table>{head}</table>"
                "<table><thead><tr><th>#</th><th>Marketing reads</th><th>IT reads</th>"
                f"<th>checked with</th></tr></thead><tbody>{rows}</tbody></table></div>")


@dataclass(frozen=True)
class BriefResult:
    """Pass or fail per criterion of a brief, with the findings that failed each."""

    brief: Brief
    results: tuple[CriterionResult, ...]

    @property
    def passed(self) -> bool:
        """True when every criterion passed."""
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> list[str]:
        """The names of the criteria that failed (or could not run)."""
        return [r.criterion.name for r in self.results if not r.passed]

    def __getitem__(self, name: str) -> CriterionResult:
        for result in self.results:
            if result.criterion.name == name:
                return result
        raise KeyError(f"no criterion {name!r}; the brief has "
                       f"{[r.criterion.name for r in self.results]}")

    def table(self) -> pd.DataFrame:
        """One row per criterion: result, what it means for Marketing, what IT changes."""
        return pd.DataFrame({
            "criterion": [r.criterion.name for r in self.results],
            "result": ["pass" if r.passed else ("error" if r.error else "fail")
                       for r in self.results],
            "problems": [len(r.findings) for r in self.results],
            "Marketing": [r.marketing for r in self.results],
            "IT": [r.it for r in self.results],
        })

    def findings(self) -> pd.DataFrame:
        """Every finding that failed a criterion, with a ``criterion`` column first."""
        frames = [r.findings[list(FINDING_COLUMNS)].astype(object)
                  .assign(criterion=r.criterion.name)
                  for r in self.results if not r.findings.empty]
        if not frames:
            return pd.DataFrame(columns=["criterion", *FINDING_COLUMNS])
        frame = pd.concat(frames, ignore_index=True)
        return frame[["criterion", *FINDING_COLUMNS]]

    def __repr__(self) -> str:
        verdict = "every criterion passes" if self.passed else f"{len(self.failed)} of " \
            f"{len(self.results)} criteria fail"
        lines = [f"{self.brief.title}: {verdict}"]
        for r in self.results:
            mark = "PASS" if r.passed else ("ERROR" if r.error else "FAIL")
            lines += [f"  [{mark}] {r.criterion.name}", f"     Marketing: {r.marketing}",
                      f"     IT:        {r.it}"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = {"pass": "#1a7f37", "fail": "#cf222e", "error": "#9a6700"}
        rows = []
        for r in self.results:
            state = "pass" if r.passed else ("error" if r.error else "fail")
            rows.append(
                f"<tr><td style='text-align:left'>{html.escape(r.criterion.name)}</td>"
                f"<td style='color:{colour[state]};font-weight:bold'>{state.upper()}</td>"
                f"<td style='text-align:left'>{html.escape(r.marketing)}</td>"
                f"<td style='text-align:left'>{html.escape(r.it)}</td></tr>")
        verdict = ("Every criterion passes: done, by both sides' definition." if self.passed
                   else f"{len(self.failed)} of {len(self.results)} criteria fail: not done yet.")
        return (f"<div><strong>{html.escape(self.brief.title)}</strong>: {html.escape(verdict)}"
                "<table><thead><tr><th>criterion</th><th>result</th><th>Marketing</th>"
                f"<th>IT</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
