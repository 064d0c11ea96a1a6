"""Reading tables the user hands us (a DataFrame or a CSV path) with located errors.

Every loader in the kit goes through :func:`read_table` and :func:`locate`, so an
error always reads ``redirects.csv line 7: …`` for a file and ``row 5: …`` for a
DataFrame.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from kit.errors import InputError

__all__ = ["Table", "TableSource", "locate", "read_table", "rename_columns"]

TableSource = pd.DataFrame | str | Path


class Table:
    """A DataFrame plus where it came from, so problems can be located for the user."""

    def __init__(self, frame: pd.DataFrame, name: str, *, from_file: bool) -> None:
        self.frame = frame
        self.name = name
        self.from_file = from_file

    def where(self, position: int) -> str:
        """``file.csv line N`` (header is line 1) or ``row N`` of a DataFrame (0-based label)."""
        if self.from_file:
            return f"{self.name} line {position + 2}"
        label = self.frame.index[position]
        return f"{self.name} row {label}"


def read_table(source: TableSource, *, what: str) -> Table:
    """Read ``source`` (DataFrame or CSV path) as text columns, or raise a clear InputError."""
    if isinstance(source, pd.DataFrame):
        return Table(source.copy(), what, from_file=False)
    if not isinstance(source, str | Path):
        raise InputError(
            f"{what}: expected a pandas DataFrame or the path of a CSV file, "
            f"got {type(source).__name__}."
        )
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{what}: file {str(path)!r} does not exist.", hint="Check the path.")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise InputError(
            f"{path.name}: the file is empty.",
            hint=f"A {what} CSV needs a header row and at least one data row.",
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(
            f"{path.name}: not a readable CSV file ({str(error).strip()}).",
            hint="Save it as UTF-8 CSV with one record per line.",
        ) from None
    frame.columns = [str(column).strip() for column in frame.columns]
    return Table(frame, path.name, from_file=True)


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
