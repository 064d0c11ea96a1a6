"""kit.findings: the one shape every audit returns, and its summary."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.findings import FINDING_COLUMNS, SEVERITIES, findings_frame, summarise


def _finding(check: str = "loop", severity: str = "error", **extra: object) -> dict[str, object]:
    return {"subject": "/a", "check": check, "severity": severity, "business": "b",
            "technical": "t", "source": "RFC", **extra}


def test_shared_columns_are_fixed() -> None:
    assert FINDING_COLUMNS == ("subject", "check", "severity", "business", "technical", "source")
    assert SEVERITIES == ("error", "warning", "info")


@pytest.mark.parametrize(
    "rows", [pytest.param([], id="empty-list"), pytest.param(pd.DataFrame(), id="empty-frame")]
)
def test_empty_findings_keep_every_column(rows: object) -> None:
    frame = findings_frame(rows, extra=("hops",))  # type: ignore[arg-type]
    assert frame.empty
    assert list(frame.columns) == [*FINDING_COLUMNS, "hops"]
    assert frame[frame["severity"] == "error"].empty


def test_columns_are_ordered_shared_then_extra_then_others() -> None:
    frame = findings_frame([_finding(zzz=1, hops=2)], extra=("hops",))
    assert list(frame.columns) == [*FINDING_COLUMNS, "hops", "zzz"]


def test_severity_is_an_ordered_category() -> None:
    frame = findings_frame([_finding(severity="info"), _finding(severity="error")])
    assert frame["severity"].cat.ordered
    assert frame.sort_values("severity")["severity"].tolist() == ["error", "info"]


def test_unknown_severity_raises() -> None:
    with pytest.raises(ValueError, match="unknown severity"):
        findings_frame([_finding(severity="fatal")])


def test_summarise_counts_per_check_worst_first() -> None:
    frame = findings_frame(
        [_finding("chain", "warning"), _finding("chain", "warning"), _finding("loop", "error")]
    )
    summary = summarise(frame)
    assert summary.to_dict("records") == [
        {"check": "loop", "severity": "error", "count": 1},
        {"check": "chain", "severity": "warning", "count": 2},
    ]


def test_summarise_empty() -> None:
    assert list(summarise(findings_frame([])).columns) == ["check", "severity", "count"]
