""":func:`read_pages`: any crawl the kit understands, format detected, as a PageTable."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from kit.csvformat import current_options, sniff
from kit.errors import InputError
from kit.pages.advertools import is_advertools, read_advertools
from kit.pages.csvfile import read_csv_records
from kit.pages.folder import read_folder
from kit.pages.records import from_kit_table, from_records, list_records
from kit.pages.screaming_frog import (
    is_localised_screaming_frog,
    is_screaming_frog,
    read_screaming_frog,
)
from kit.pages.table import PAGE_COLUMNS, PageTable

__all__ = ["FORMATS", "detect_format", "read_pages", "refuse_empty_path"]

FORMATS = ("folder", "screaming_frog", "advertools", "kit")
_JSON_LINES = (".jl", ".jsonl", ".ndjson")


def _csv_columns(path: Path, encoding: str | None) -> list[str]:
    """The header of a CSV file, from its first 64 KB (undecodable bytes replaced)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return []
    encoding = encoding or current_options().encoding
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    elif encoding:
        try:
            text = head.decode(encoding, errors="replace")
        except LookupError:  # refused by name when the file is read
            return []
    else:
        text = head.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()[:6]
    delimiter = current_options().delimiter or sniff("\n".join(lines)).delimiter
    for record in csv.reader(lines, delimiter=delimiter):
        names = [cell.strip() for cell in record]
        if {name.lower() for name in names} & {"address", "url"}:
            return names
    return next(csv.reader(lines[:1], delimiter=delimiter), []) if lines else []


def detect_format(source: object, *, encoding: str | None = None) -> str:
    """Which of :data:`FORMATS` ``source`` is (by folder, extension, then column names)."""
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            return "folder"
        if path.suffix.lower() in _JSON_LINES:
            return "advertools"
        columns = _csv_columns(path, encoding) if path.is_file() else []
    elif isinstance(source, pd.DataFrame):
        columns = [str(c) for c in source.columns]
    else:
        return "kit"
    lower = {c.strip().lower() for c in columns}
    if is_localised_screaming_frog(columns):
        name = Path(source).name if isinstance(source, str | Path) else "the crawl export"
        raise InputError(f"{name} line 1: a Screaming Frog export with German column names "
                         "(Adresse, …); only the English names are known to the kit.",
                         hint="Set Screaming Frog's interface language to English and export "
                              "'Internal: All' again.")
    if is_screaming_frog(columns) and not lower & {"html", "body"}:
        return "screaming_frog"
    if is_advertools(columns):
        return "advertools"
    return "kit"


def refuse_empty_path(source: object) -> None:
    """An empty or blank text is no path: ``Path("")`` is the current folder, which would
    be read as a whole site (a repository, a learner's home) instead of refused."""
    if isinstance(source, str) and not source.strip():
        raise InputError("no file or folder given (the path is empty).",
                         hint="Give a folder of saved pages, a Screaming Frog CSV export or "
                              "an advertools .jl crawl.")


def read_pages(source: object, *, base_url: str | None = None, encoding: str | None = None,
               format: str | None = None, pretty_urls: bool = False) -> PageTable:
    """Read a crawl into the page table (see :data:`kit.pages.PAGE_COLUMNS`).

    ``source``: a folder of saved pages (wget ``--mirror`` too), a Screaming Frog export
    (``Internal: All``/``Internal: HTML`` CSV, or its DataFrame), an advertools crawl
    (``.jl``/``.jsonl``, or its DataFrame), the kit's own CSV/DataFrame (``url, status,
    html[, headers]`` or ``url, text``), a list of :class:`~kit.pages.Page` or mappings,
    or a PageTable (returned as is).  ``base_url`` resolves relative URLs (and is the
    site a folder is served from); ``encoding`` is the CSV file's, when not UTF-8;
    ``format`` forces one of :data:`FORMATS`; ``pretty_urls`` serves a folder's
    ``boots.html`` as ``boots``.
    """
    if isinstance(source, PageTable):
        return source
    if isinstance(source, pd.DataFrame) and source.attrs.get("kind") == "pages" and set(
            PAGE_COLUMNS) <= set(source.columns):
        return PageTable(frame=source, format=source.attrs.get("format", "kit"),
                         name=source.attrs.get("source", "pages"))
    if format is not None and format not in FORMATS:
        raise InputError(f"format {format!r} is not one of {', '.join(FORMATS)}.")
    refuse_empty_path(source)
    if isinstance(source, str | Path) and not Path(source).exists():
        raise InputError(f"{source}: no such file or folder.",
                         hint="Give a folder of saved pages, a Screaming Frog CSV export or "
                              "an advertools .jl crawl.")
    kind = format or detect_format(source, encoding=encoding)
    if kind == "folder":
        if not isinstance(source, str | Path):
            raise InputError("format 'folder' needs the path of a folder.")
        return read_folder(source, base_url=base_url, pretty_urls=pretty_urls)
    if kind == "screaming_frog":
        return read_screaming_frog(source, base=base_url, encoding=encoding)  # type: ignore[arg-type]
    if kind == "advertools":
        if isinstance(source, str | Path) and Path(source).suffix.lower() not in _JSON_LINES:
            return read_advertools(_csv_frame(Path(source), encoding), base=base_url)
        return read_advertools(source, base=base_url)  # type: ignore[arg-type]
    if isinstance(source, pd.DataFrame | str | Path):
        return from_kit_table(source, base=base_url)
    records = list_records(source, "pages")
    return PageTable.from_rows(from_records(records, base=base_url), format="kit",
                               name="pages")


def _csv_frame(path: Path, encoding: str | None) -> pd.DataFrame:
    csv_file = read_csv_records(path, header_names=("url",), encoding=encoding)
    width = len(csv_file.header)
    frame = pd.DataFrame([(r + [""] * width)[:width] for r in csv_file.records],
                         columns=csv_file.header, dtype=object)
    frame.index = pd.Index([f"line {n}" for n in csv_file.lines])
    return frame.replace("", None)
