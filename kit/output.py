"""What the ``crosstalk`` commands print: findings as text for people, CSV or JSON for tools.

Shared by every module's ``commands`` so a finding reads the same whatever produced it.
"""

from __future__ import annotations

import json
import math
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from kit.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TABLE_WIDTH",
    "emit",
    "emit_findings",
    "findings_text",
    "findings_to_csv",
    "findings_to_json",
    "format_summary",
    "format_table",
]

TABLE_WIDTH = 100
_INDENT = " " * 4


def format_summary(findings: pd.DataFrame, *, name: str) -> str:
    """One line with the totals, then the count per check and severity, worst first."""
    if findings.empty:
        return f"{name}: no problems found."
    severities = findings["severity"].astype(str).value_counts()
    totals = ", ".join(
        f"{int(severities[level])} {level}{'s' if severities[level] != 1 else ''}"
        for level in ("error", "warning", "info")
        if level in severities
    )
    lines = [f"{name}: {len(findings)} finding(s) ({totals})", ""]
    from kit.findings import summarise

    counts = summarise(findings)
    width = max(len("check"), *(len(str(check)) for check in counts["check"]))
    lines.append(f"  {'check':<{width}}  {'severity':<8}  {'count':>5}")
    lines += [
        f"  {check:<{width}}  {severity!s:<8}  {int(count):>5}"
        for check, severity, count in zip(
            counts["check"], counts["severity"], counts["count"], strict=True
        )
    ]
    return "\n".join(lines)


def format_table(findings: pd.DataFrame, *, width: int = TABLE_WIDTH) -> str:
    """Findings as blocks that fit ``width`` columns: severity, check, subject, then the fix.

    The header line of each block names where the rule is (``map.csv line 4``); the
    technical text is wrapped below it, indented.
    """
    blocks: list[str] = []
    check_width = max([16, *(len(str(check)) for check in findings["check"])])
    for row in findings.itertuples(index=False):
        where = getattr(row, "where", None)
        location = f"  ({where})" if isinstance(where, str) and where else ""
        head = (f"{str(row.severity).upper():<7}  {row.check:<{check_width}}  "
                f"{row.subject}{location}")
        if len(head) > width:
            head = head[: width - 1] + "…"
        text = textwrap.fill(
            str(row.technical),
            width=width,
            initial_indent=_INDENT,
            subsequent_indent=_INDENT,
            break_long_words=True,
            break_on_hyphens=False,
        )
        blocks.append(f"{head}\n{text}")
    return "\n".join(blocks)


def _plain(value: object) -> object:
    """A JSON-safe scalar: NaN/NA become null, whole floats become ints."""
    import pandas as pd

    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def findings_to_json(findings: pd.DataFrame) -> str:
    """Findings as a JSON array of objects, one per finding, columns in frame order."""
    records = [
        {column: _plain(value) for column, value in zip(findings.columns, row, strict=True)}
        for row in findings.astype(object).itertuples(index=False, name=None)
    ]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def findings_to_csv(findings: pd.DataFrame) -> str:
    """Findings as CSV with a header row, every column in frame order."""
    return findings.to_csv(index=False, lineterminator="\n")


def emit(text: str, out: str | None) -> None:
    """Write ``text`` to the file ``out``, or to stdout when ``out`` is None."""
    if out is None:
        sys.stdout.write(text)
        return
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write {out!r}: {error.strerror or error}.") from None


def findings_text(findings: pd.DataFrame, fmt: str, *, summary: str) -> str:
    """Findings as a command prints them: ``table`` (``summary``, then one block per
    finding), ``csv`` or ``json``."""
    if fmt == "table":
        return summary + ("\n\n" + format_table(findings) if not findings.empty else "") + "\n"
    return findings_to_csv(findings) if fmt == "csv" else findings_to_json(findings)


def emit_findings(findings: pd.DataFrame, summary: str, fmt: str, out: str | None) -> None:
    """Write :func:`findings_text` to ``out`` or stdout, and ``summary`` for people: on
    stdout when the findings went to a file, on stderr when stdout carries CSV or JSON."""
    emit(findings_text(findings, fmt, summary=summary), out)
    if fmt != "table" or out:
        print(summary, file=sys.stdout if out else sys.stderr)
