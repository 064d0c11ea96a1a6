"""Reading tables the user hands us (a DataFrame or a CSV path) with located errors.

Every loader in the kit goes through :func:`read_table` and :func:`locate`, so an
error always reads ``redirects.csv line 7: …`` for a file and ``row 5: …`` for a
DataFrame.  Files come as people's tools save them: comma, semicolon (European Excel),
tab (Excel's "Unicode text") or pipe separated; UTF-8 with or without BOM, UTF-16 with
BOM, or another encoding the user names (``--encoding cp1252``); cells of many
megabytes; a title line above the header.  How the bytes are decoded and split lives in
:mod:`kit.csvformat`; line numbers stay the physical lines a text editor shows.
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal, TypeAlias

import pandas as pd

from kit.csvformat import (
    DELIMITERS,
    current_options,
    decode,
    delimiter_name,
    reading,
    records,
    sniff,
)
from kit.errors import InputError

__all__ = ["Table", "TableNote", "TableSource", "locate", "read_table", "reading",
           "rename_columns"]

TableSource: TypeAlias = pd.DataFrame | str | Path


class Table:
    """A DataFrame plus where it came from, so problems can be located for the user.

    ``lines`` holds the physical line number of each record of a CSV file (blank lines
    and quoted cells that span lines are counted as a text editor counts them), whatever
    the file's encoding and delimiter.  A file also records how it was read: ``encoding``
    (``UTF-8``, ``UTF-16 LE``, ``cp1252``...), ``delimiter``, the ``title`` line skipped
    above its header, and ``notes`` on anything ambiguous.
    """

    def __init__(
        self, frame: pd.DataFrame, name: str, *, from_file: bool, lines: list[int] | None = None,
        encoding: str | None = None, delimiter: str | None = None, title: str | None = None,
        notes: Sequence[str] = (),
    ) -> None:
        self.frame = frame
        self.name = name
        self.from_file = from_file
        self.lines = lines
        self.encoding = encoding
        self.delimiter = delimiter
        self.title = title
        self.notes = list(notes)

    def where(self, position: int) -> str:
        """``file.csv line N`` (header is line 1) or ``row N`` of a DataFrame (its label)."""
        if self.from_file:
            line = self.lines[position] if self.lines else position + 2
            return f"{self.name} line {line}"
        label = self.frame.index[position]
        return f"{self.name} row {label}"


def read_table(
    source: TableSource,
    *,
    what: str,
    encoding: str | None = None,
    delimiter: str | None = None,
    skip_lines: int | None = None,
    titles: Literal["refuse", "skip"] = "refuse",
) -> Table:
    """Read ``source`` (DataFrame or CSV path) as text columns, or raise a clear InputError.

    A file is decoded by :func:`kit.csvformat.decode` (UTF-8 with or without BOM, UTF-16
    and UTF-32 with BOM, anything else only when ``encoding`` names it) and split on the
    delimiter :func:`kit.csvformat.sniff` finds among ``,`` ``;`` tab ``|`` unless
    ``delimiter`` is given.  ``skip_lines`` physical lines are dropped before the header.
    A title line above the header (one filled cell over the real header) is refused,
    naming both lines, unless ``titles="skip"``: then it is dropped and kept in
    :attr:`Table.title`.  Options left ``None`` come from the enclosing
    :func:`kit.csvformat.reading` block (the command line's ``--encoding``...).
    Cells of any size are read (the :mod:`csv` field limit is raised).
    """
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
    options = current_options()
    encoding = encoding if encoding is not None else options.encoding
    delimiter = delimiter if delimiter is not None else options.delimiter
    skip = skip_lines if skip_lines is not None else (options.skip_lines or 0)
    decoded = decode(path.read_bytes(), path.name, encoding=encoding)
    notes = list(decoded.notes)
    text, first_line = _skip(decoded.text, skip)
    layout = sniff(text, (delimiter,) if delimiter else DELIMITERS)
    if layout.also_fits:
        others = " or ".join(delimiter_name(d) for d in layout.also_fits)
        notes.append(f"{path.name}: read as {delimiter_name(layout.delimiter)}-separated; "
                     f"{others} would split it as consistently. If the columns look wrong, "
                     f"re-run with --delimiter {_spelling(layout.also_fits[0])}.")
    filled: list[tuple[int, list[str]]] = []
    end_line = first_line - 1
    try:
        for line, record in records(text, layout.delimiter, first_line=first_line):
            end_line = line
            if any(cell.strip() for cell in record):
                filled.append((line, record))
    except csv.Error as error:
        raise InputError(
            f"{path.name}: not readable as CSV after line {end_line} ({error}).",
            hint="Save it again as CSV from the program that made it.",
        ) from None
    if not filled:
        raise InputError(
            f"{path.name}: the file is empty.",
            hint=f"A {what} CSV needs a header row and at least one data row.",
        )
    title = None
    if layout.title and len(filled) > 1:
        title_line, title_record = filled[0]
        title = next(cell.strip() for cell in title_record if cell.strip())
        if titles != "skip":
            header_line, header = filled[1]
            shown = ", ".join(c.strip() for c in header[:4]) + (", ..." if len(header) > 4 else "")
            raise InputError(
                f"{path.name} line {title_line} looks like a title ({title!r}), not a header; "
                f"the header seems to be on line {header_line} "
                f"({shown}).",
                hint=f"Delete line {title_line}, or re-run with --skip-lines {title_line} "
                     f"(skip_lines={title_line} in Python).")
        filled = filled[1:]  # asked for: kept in table.title, no note
    header_line, header = filled[0]
    lines = [line for line, _ in filled[1:]]
    rows = [record for _, record in filled[1:]]
    columns = [cell.strip() for cell in header]
    _refuse_repeats(columns, path.name, f"{path.name} line {header_line}")
    ragged = [line for line, record in zip(lines, rows, strict=True)
              if len(record) > len(columns)]
    if ragged:
        name = delimiter_name(layout.delimiter)
        raise InputError(
            f"{path.name}: {len(ragged)} record(s) have more fields than the header "
            f"({len(columns)}) when split on {name}s.",
            [f"{path.name} line {line}: too many fields (an unquoted {name}?)"
             for line in ragged],
            hint=f"Quote values that contain {name}s, or fix the header"
                 + ("" if delimiter else "; --delimiter says which character separates "
                    "the fields") + ".",
        )
    padded = [record + [""] * (len(columns) - len(record)) for record in rows]
    frame = pd.DataFrame(padded, columns=columns, dtype=object)
    table = Table(frame, path.name, from_file=True, lines=lines, encoding=decoded.encoding,
                  delimiter=layout.delimiter, title=title, notes=notes)
    for note in notes:
        _report(note, options.on_note)
    return table


class TableNote(UserWarning):
    """A remark on how a file was read (an ambiguous delimiter, a byte-order mark that
    overrode the named encoding); also kept in :attr:`Table.notes`."""


def _report(note: str, on_note: Callable[[str], None] | None) -> None:
    if on_note is not None:
        on_note(note)
    else:
        warnings.warn(note, TableNote, stacklevel=3)


def _spelling(delimiter: str) -> str:
    """How to type ``delimiter`` after ``--delimiter`` in a shell."""
    return {"\t": "tab", ";": "';'", "|": "'|'", ",": "comma"}.get(delimiter, repr(delimiter))


def _skip(text: str, count: int) -> tuple[str, int]:
    """``text`` without its first ``count`` physical lines, and the number of the next."""
    if count <= 0:
        return text, 1
    position = 0
    for found, match in enumerate(_BREAK.finditer(text), start=1):
        position = match.end()
        if found == count:
            return text[position:], count + 1
    return "", count + 1


_BREAK = re.compile(r"\r\n|\r|\n")


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
