"""What the ``crosstalk`` commands print: findings as text for people, CSV or JSON for tools.

Shared by every module's ``commands`` so a finding reads the same whatever produced it.
"""

from __future__ import annotations

import json
import math
import re
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from kit.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CSV_BOM",
    "EXIT_CODES",
    "TABLE_WIDTH",
    "csv_text",
    "emit",
    "emit_findings",
    "excel_ready",
    "findings_text",
    "findings_to_csv",
    "findings_to_json",
    "format_summary",
    "format_table",
    "neutralise_cell",
    "safe_for_spreadsheets",
    "writable",
]

TABLE_WIDTH = 100
_INDENT = " " * 4

EXIT_CODES = """\
exit status (every crosstalk command):
  0  clean: nothing to report
  1  findings, or some items failed (listed; the rest was done)
  2  the input cannot be used: the message names the file, line or option and the fix
"""
"""The one exit-code policy, shown at the end of every command's ``--help``."""

CSV_BOM = "\ufeff"
"""Written first in every ``.csv`` file the kit writes with ``--out``: Excel then reads UTF-8."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?%?$")


def neutralise_cell(value: object) -> object:
    """A text cell a spreadsheet will not run as a formula (OWASP, "CSV Injection").

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'``, so Excel, LibreOffice and Google Sheets show it as text instead of
    evaluating ``=HYPERLINK(...)`` or ``=cmd|...``.  Text that is a plain number (``-3``,
    ``+1.5``, ``-20%``) is left alone; non-text values (numbers the kit computed, dates,
    missing values) are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) \
            and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def safe_for_spreadsheets(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name passed through
    :func:`neutralise_cell`; numeric columns are untouched."""
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

    safe = frame.copy()
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if not (is_numeric_dtype(column) or is_bool_dtype(column)
                or is_datetime64_any_dtype(column)):
            safe.isetitem(position, column.map(neutralise_cell))
    safe.columns = [neutralise_cell(str(name)) for name in safe.columns]
    return safe


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (header row, no index, ``\\n`` line ends) with every text cell
    made safe for spreadsheets (:func:`neutralise_cell`).  Every CSV the kit writes for
    people goes through here; :func:`emit` adds the BOM when it writes a ``.csv`` file."""
    text: str = safe_for_spreadsheets(frame).to_csv(index=False, lineterminator="\n")
    return text


def format_summary(findings: pd.DataFrame, *, name: str) -> str:
    """One line with the totals, then the count per check and severity, worst first."""
    # here, not at the top: `crosstalk --help` imports this module and must not load pandas
    from kit.findings import SEVERITIES, summarise

    if findings.empty:
        return f"{name}: no problems found."
    severities = findings["severity"].astype(str).value_counts()
    totals = ", ".join(
        f"{int(severities[level])} {level}{'s' if severities[level] != 1 else ''}"
        for level in SEVERITIES
        if level in severities
    )
    lines = [f"{name}: {len(findings)} finding(s) ({totals})", ""]

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


def excel_ready(path: str | Path) -> Path:
    """Rewrite a CSV file another part of the kit wrote so people can open it in Excel:
    every cell through :func:`neutralise_cell` and a UTF-8 BOM first."""
    import csv
    import io

    path = Path(path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = [[neutralise_cell(cell) for cell in row] for row in csv.reader(handle)]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(CSV_BOM + buffer.getvalue(), encoding="utf-8")
    return path


def findings_to_csv(findings: pd.DataFrame) -> str:
    """Findings as CSV with a header row, every column in frame order (:func:`csv_text`)."""
    return csv_text(findings)


def writable(out: str | Path, *, option: str = "--out") -> Path:
    """``out`` as a Path a file can be written to, or an InputError naming ``option``."""
    path = Path(out)
    if path.is_dir():
        raise InputError(f"{option} {str(out)!r}: cannot write there, it is a folder; give a "
                         f"file name inside it, e.g. {str(path / 'out.csv')!r}.")
    if not path.parent.is_dir():
        raise InputError(f"{option} {str(out)!r}: cannot write there, the folder "
                         f"{str(path.parent)!r} does not exist.",
                         hint="Create it first, or write somewhere else.")
    return path


def emit(text: str, out: str | Path | None) -> None:
    """Write ``text`` to the file ``out``, or to stdout when ``out`` is None.

    A ``.csv`` file starts with a UTF-8 byte-order mark (:data:`CSV_BOM`) so that Excel
    shows accents right; stdout never gets one (pipes stay plain UTF-8).
    """
    if out is None:
        sys.stdout.write(text)
        return
    path = writable(out)
    if path.suffix.lower() == ".csv" and not text.startswith(CSV_BOM):
        text = CSV_BOM + text
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"--out {str(out)!r}: cannot write it ({error.strerror or error}).",
                         hint="Choose a file in a folder you can write to.") from None


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
