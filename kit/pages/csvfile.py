"""Read a crawler's CSV export: encoding, an optional title line, located records.

Screaming Frog writes UTF-8 with a byte-order mark, every field quoted, CRLF line ends;
older versions put a title line (``"Internal - All"``) above the header.  This reader
finds the header (the first record naming one of ``header_names``), keeps the physical
line of each record for error messages, and raises the csv field limit for HTML cells.
Bytes and delimiter go through :mod:`kit.csvformat`, as every CSV the kit reads: a
semicolon or tab export, UTF-16 with BOM, or ``--encoding cp1252`` read the same way.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kit.csvformat import FIELD_LIMIT, current_options, decode, sniff
from kit.errors import InputError

__all__ = ["CsvRecords", "read_csv_records"]


class CsvRecords:
    """The header, the records and each record's first physical line."""

    def __init__(self, name: str, header: list[str], header_line: int,
                 records: list[list[str]], lines: list[int], skipped: list[str]) -> None:
        self.name = name
        self.header = header
        self.header_line = header_line
        self.records = records
        self.lines = lines
        self.skipped = skipped  # lines above the header (a title line)

    def where(self, position: int) -> str:
        """``file.csv line N``."""
        return f"{self.name} line {self.lines[position]}"


def _text(path: Path, encoding: str | None) -> str:
    """The file's text through the kit's one CSV decoder (BOM, ``--encoding``, located
    refusal of bytes that are not UTF-8)."""
    if encoding is None:
        encoding = current_options().encoding
    return decode(path.read_bytes(), path.name, encoding=encoding).text


def read_csv_records(path: Path, *, header_names: tuple[str, ...], encoding: str | None = None,
                     look: int = 5) -> CsvRecords:
    """Records of ``path`` below the header row (the first, within ``look`` records, that
    names one of ``header_names``, case-insensitive; else the first record)."""
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    text = _text(path, encoding)
    delimiter = current_options().delimiter or sniff(text).delimiter
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    wanted = {name.lower() for name in header_names}
    pending: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    header_line = 0
    records: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            line = start
            start = reader.line_num + 1
            if header is None:
                if not any(cell.strip() for cell in record):
                    continue
                if {cell.strip().lower() for cell in record} & wanted:
                    header, header_line = record, line
                    continue
                pending.append((line, record))
                if len(pending) >= look:
                    header_line, header = pending.pop(0)
                    for held_line, held in pending:
                        records.append(held)
                        lines.append(held_line)
                    pending = []
                continue
            if any(cell.strip() for cell in record):
                records.append(record)
                lines.append(line)
    except csv.Error as error:
        raise InputError(f"{path.name} line {start}: not a readable CSV record ({error}).",
                         hint="Export the crawl again as CSV.") from None
    skipped: list[str] = []
    if header is None:
        if not pending:
            raise InputError(f"{path.name}: the file is empty.")
        header_line, header = pending.pop(0)
        records = [r for _, r in pending] + records
        lines = [n for n, _ in pending] + lines
    else:
        skipped = [",".join(r) for _, r in pending]
    return CsvRecords(path.name, [cell.strip() for cell in header], header_line, records,
                      lines, skipped)
