"""The shape every audit in the kit returns: one row per problem, in both languages.

``subject`` is what the finding is about (a URL, a page, a link), ``check`` names the
rule, ``severity`` is ``error``, ``warning`` or ``info``, ``business`` says what it
costs in Marketing's words, ``technical`` what to change in IT's words, and
``source`` cites the rule.  Modules may add columns after these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

__all__ = [
    "FINDING_COLUMNS",
    "SEVERITIES",
    "SEVERITY_DTYPE",
    "findings_frame",
    "severity_rank",
    "summarise",
]

FINDING_COLUMNS: tuple[str, ...] = (
    "subject",
    "check",
    "severity",
    "business",
    "technical",
    "source",
)
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
"""Worst first.  The only place the kit states the order (the contract test holds it)."""
SEVERITY_DTYPE = pd.CategoricalDtype(list(SEVERITIES), ordered=True)
"""The ordered dtype of a findings frame's ``severity`` column."""


def severity_rank(severity: str) -> int:
    """0 for the worst severity, counting up; ``ValueError`` for an unknown one."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        raise ValueError(f"unknown severity {severity!r}; use one of {SEVERITIES}") from None


def findings_frame(
    rows: Iterable[Mapping[str, Any]] | pd.DataFrame, *, extra: Iterable[str] = ()
) -> pd.DataFrame:
    """Build a findings DataFrame with the shared columns first, then ``extra`` ones.

    An empty ``rows`` gives an empty frame that still has every column, so callers
    can always filter on ``check`` or ``severity``.
    """
    columns = [*FINDING_COLUMNS, *extra]
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for column in columns:
        if column not in frame.columns:
            frame[column] = pd.Series(dtype=object)
    frame = frame[columns + [c for c in frame.columns if c not in columns]]
    unknown = set(frame["severity"].dropna()) - set(SEVERITIES)
    if unknown:
        raise ValueError(f"unknown severity {sorted(unknown)}; use one of {SEVERITIES}")
    frame["severity"] = frame["severity"].astype(SEVERITY_DTYPE)
    return frame.reset_index(drop=True)


def summarise(findings: pd.DataFrame) -> pd.DataFrame:
    """Count findings per check and severity, worst first: the table a meeting reads."""
    if findings.empty:
        return pd.DataFrame({"check": [], "severity": [], "count": []})
    counts = (
        findings.groupby(["check", "severity"], observed=True)
        .size()
        .rename("count")
        .reset_index()
        .sort_values(["severity", "count"], ascending=[True, False])
    )
    return counts.reset_index(drop=True)
