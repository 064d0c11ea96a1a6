"""Reading tables the user hands us (a DataFrame or a CSV path) with located errors.

Every loader in the kit goes through :func:`read_table` and :func:`locate`, so an
error always reads ``redirects.csv line 7: …`` for a file and ``row 5: …`` for a
DataFrame.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypeAlias

import pandas as pd

from kit.errors import InputError

__all__ = ["Table", "TableSource", "locate", "read_table", "rename_columns"]

TableSource: TypeAlias = pd.DataFrame | str | Path


class Table:
    """A DataFrame plus where it came from, so problems can be located for the user.

    ``lines`` holds the physical line number of each record of a CSV file (blank lines
    and quoted cells that span lines are counted as a text editor counts them).
    """

    def __init__(
        self, frame: pd.DataFrame, name: str, *, from_file: bool, lines: list[int] | None = None
    ) -> None:
        self.frame = frame
        self.name = name
        self.from_file = from_file
        self.lines = lines

    def where(self, position: int) -> str:
        """``file.csv line N`` (header is line 1) or ``row N`` of a DataFrame (its label)."""
        if self.from_file:
            line = self.lines[position] if self.lines else position + 2
            return f"{self.name} line {line}"
        label = self.frame.index[position]
        return f"{self.name} row {label}"


def read_table(source: TableSource, *, what: str) -> Table:
    """Read ``source`` (DataFrame or CSV path) as text columns, or raise a clear InputError."""
    if isinstance(source, pd.DataFrame):
        _refuse_repeats([str(c) for c in source.columns], f"the {what}", "its columns")
        return Table(source.copy(), what, from_file=False)
    if not isinstance(source, str | Path):
        raise InputError(
            f"{what}: expected a pandas DataFrame or the path of a CSV file, "
            f"got {type(source).__name__}."
        )
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{what}: {str(path)!r} is a folder; give the CSV file inside it.")
    if not path.exists():
        raise InputError(f"{what}: file {str(path)!r} does not exist.", hint="Check the path.")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, skipinitialspace=True)
            header = next(reader, None)
            while header is not None and not any(cell.strip() for cell in header):
                header = next(reader, None)
            header_line = reader.line_num
            records: list[list[str]] = []
            lines: list[int] = []
            start_line = reader.line_num + 1
            for record in reader:
                if any(cell.strip() for cell in record):
                    records.append(record)
                    lines.append(start_line)
                start_line = reader.line_num + 1
    except (csv.Error, UnicodeDecodeError) as error:
        raise InputError(
            f"{path.name}: not a readable CSV file ({error}).",
            hint="Save it as UTF-8 CSV with one record per line.",
        ) from None
    if header is None:
        raise InputError(
            f"{path.name}: the file is empty.",
            hint=f"A {what} CSV needs a header row and at least one data row.",
        )
    columns = [cell.strip() for cell in header]
    _refuse_repeats(columns, path.name, f"{path.name} line {header_line}")
    ragged = [line for line, record in zip(lines, records, strict=True)
              if len(record) > len(columns)]
    if ragged:
        raise InputError(
            f"{path.name}: {len(ragged)} record(s) have more fields than the header "
            f"({len(columns)}).",
            [f"{path.name} line {line}: too many fields (an unquoted comma?)" for line in ragged],
            hint="Quote values that contain commas, or fix the header.",
        )
    padded = [record + [""] * (len(columns) - len(record)) for record in records]
    frame = pd.DataFrame(padded, columns=columns, dtype=object)
    return Table(frame, path.name, from_file=True, lines=lines)


def _refuse_repeats(columns: Sequence[str], name: str, where: str) -> None:
    """An InputError when a column name (case-insensitive, blanks aside) appears twice."""
    first: dict[str, int] = {}
    problems = []
    for number, column in enumerate(columns, start=1):
        key = column.strip().lower()
        if key and key in first:
            problems.append(f"{where}: column {number} {column!r} repeats column {first[key]}")
        first.setdefault(key, number)
    if problems:
        raise InputError(f"{name}: the header names a column twice; which one to read would "
                         "be a guess.", problems, hint="Rename or delete the repeated column.")


def rename_columns(
    table: Table, aliases: Mapping[str, Sequence[str]], *, required: Sequence[str], what: str
) -> None:
    """Rename known aliases (case-insensitive) to canonical names; raise if required ones lack."""
    lookup = {column.strip().lower(): column for column in table.frame.columns}
    renames: dict[str, str] = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            found = lookup.get(name.lower())
            if found is not None:
                renames[found] = canonical
                break
    table.frame = table.frame.rename(columns=renames)
    missing = [column for column in required if column not in table.frame.columns]
    if missing:
        have = ", ".join(map(str, table.frame.columns)) or "no columns"
        raise InputError(
            f"{table.name}: the {what} needs the column(s) {', '.join(missing)}; it has {have}.",
            hint="Rename the header row, e.g. " + ",".join(required) + ".",
        )
    if table.frame.empty:
        raise InputError(f"{table.name}: the {what} has a header but no rows.")


def locate(table: Table, positions: Sequence[int], message: str) -> list[str]:
    """Problems of the form ``<where>: <message>`` for the given row positions."""
    return [f"{table.where(position)}: {message}" for position in positions]
