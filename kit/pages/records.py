"""The kit's own page lists: ``url, status, html[, headers]`` (or ``url, text``) as a CSV,
a DataFrame, a list of :class:`~kit.pages.extract.Page` or of mappings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from kit.errors import InputError
from kit.pages.extract import Page, parse_headers
from kit.pages.keys import url_key
from kit.pages.rows import bad_row, page_row, parse_status
from kit.pages.table import PageTable, blank_row, finish_row
from kit.progress import track
from kit.tables import Table, read_table, rename_columns

__all__ = ["KIT_ALIASES", "from_kit_table", "from_records"]

KIT_ALIASES: dict[str, tuple[str, ...]] = {
    "url": ("address", "page", "loc", "uri", "page url", "page_url"),
    "status": ("status code", "status_code", "http status", "http_status", "code"),
    "html": ("body", "source", "raw html", "raw_html", "page source", "page_source"),
    "text": ("content", "body text", "body_text", "page text", "page_text"),
    "headers": ("response headers",),
    "content_type": ("content type", "content-type"),
    "canonical": ("canonical link element 1", "canonical url", "canonical_url",
                  "rel canonical", "rel_canonical", "declared canonical"),
    "inlinks": ("unique inlinks", "inlinks count", "links in", "internal links in"),
    "indexable": ("indexability",),
    "robots": ("meta robots 1", "meta robots", "meta_robots", "x-robots-tag 1", "x-robots-tag"),
}
_FALSE = {"false", "no", "0", "non-indexable", "not indexable", "n", "f"}


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def _text_row(url: str, status: int, text: object, where: str, base: str | None
              ) -> dict[str, Any]:
    """A page known only by its text (no HTML): content facts unknown."""
    row = blank_row(url, where)
    row.update(key=url_key(url, base), status=status, text=None if text is None else str(text),
               content_type="text/html", links=None)
    return row


def from_records(records: Iterable[tuple[object, object, object, object, str]], *,
                 base: str | None = None) -> list[dict[str, Any]]:
    """Rows from ``(url, status, html, headers, where)`` tuples; bad items become bad rows."""
    rows = []
    for url, status, body, headers, where in track(records, desc="reading pages",
                                                   unit="page"):
        if status == "not a page":
            rows.append(bad_row(url, where, f"expected a page (url, status, html), got "
                                            f"{type(url).__name__}"))
            continue
        code = parse_status(status)
        if code is None:
            rows.append(bad_row(url, where, f"status {status!r} is not an HTTP status code"))
            continue
        if not isinstance(url, str) or not url.strip():
            rows.append(bad_row(url, where, "the URL is not text" if not isinstance(url, str)
                                else "the url cell is empty"))
            continue
        body = _cell(body)
        if body is not None and not isinstance(body, str | bytes):
            rows.append(bad_row(url, where, f"html is a {type(body).__name__}, not text"))
            continue
        row = page_row(url.strip(), code, body if body is not None else "",
                       parse_headers(headers), where, base=base)
        if row["key"] is None:
            row["problem"] = row["problem"] or f"{url!r} is not an http(s) URL"
        rows.append(row)
    return rows


def from_kit_table(source: pd.DataFrame | str | Path, *, base: str | None = None,
                   name: str | None = None) -> PageTable:
    """The kit's CSV or DataFrame: ``url`` plus ``html`` or ``text`` (and optional columns)."""
    table: Table = read_table(source, what="pages")
    rename_columns(table, KIT_ALIASES, required=("url",), what="page list")
    frame = table.frame
    if "html" not in frame.columns and "text" not in frame.columns:
        have = ", ".join(map(str, frame.columns))
        raise InputError(f"{table.name}: needs an html column (the page source), a text column, "
                         f"or a crawler's export columns (Title 1, H1-1, …); it has {have}.",
                         hint="Give url, status, html[, headers]; or export 'Internal: All' "
                              "from Screaming Frog; or an advertools .jl crawl.")
    n = len(frame)

    def column(col: str) -> list[object]:
        return frame[col].tolist() if col in frame.columns else [None] * n

    statuses = column("status") if "status" in frame.columns else [200] * n
    has_html = "html" in frame.columns
    rows: list[dict[str, Any]] = []
    for position, (url, status, html, headers, text, kind) in enumerate(zip(
            column("url"), statuses, column("html"), column("headers"), column("text"),
            column("content_type"), strict=True)):
        where = table.where(position)
        html, text = _cell(html), _cell(text)
        if has_html and (html is not None or text is None):
            head = parse_headers(headers)
            if kind and not any(k.lower() == "content-type" for k in head):
                head["Content-Type"] = str(kind)
            row = from_records([(url, status, html, head, where)], base=base)[0]
            if text is not None and row["crawl_status"] != "invalid":
                row["text"] = str(text)
        else:
            code = parse_status(status)
            if code is None or not isinstance(url, str) or not url.strip():
                row = bad_row(url, where, f"status {status!r} is not an HTTP status code"
                              if code is None else "the url cell is empty")
            else:
                row = finish_row(_text_row(url.strip(), code, text, where, base))
        rows.append(row)
    for row, canonical, inlinks, flag, robots in zip(
            rows, column("canonical"), column("inlinks"), column("indexable"),
            column("robots"), strict=True):
        _overlay(row, _cell(canonical), _cell(inlinks), _cell(flag), _cell(robots), base)
    return PageTable.from_rows(rows, format="kit", name=name or table.name,
                               has_html_facts=has_html)


def _overlay(row: dict[str, Any], canonical: object, inlinks: object, flag: object,
             robots: object, base: str | None) -> None:
    """Columns a page list may state outright win over what the HTML said."""
    if row["crawl_status"] == "invalid":
        return
    if canonical is not None and str(canonical).strip():
        target = str(canonical).strip()
        row["canonical"] = url_key(target, row["key"] or base) or target
        row["canonical_count"] = 1
    if inlinks is not None and str(inlinks).strip():
        try:
            count = float(str(inlinks).strip())
        except ValueError:
            count = -1
        if count.is_integer() and 0 <= count <= 1e12:
            row["inlinks"] = int(count)
        else:
            row["problem"] = "; ".join(p for p in (row["problem"], f"inlinks {str(inlinks)[:40]!r} "
                                                   "is not a count; counted as 0") if p)
            row["inlinks"] = 0
    if robots is not None and str(robots).strip():
        directives = [p.strip().lower() for p in str(robots).split(",") if p.strip()]
        merged = [d for d in [*row["robots"].split(","), *directives] if d]
        row["robots"] = ",".join(dict.fromkeys(merged))
    if isinstance(flag, bool) or (flag is not None and str(flag).strip()):
        indexable = flag if isinstance(flag, bool) else str(flag).strip().lower() not in _FALSE
        if not indexable:
            row["indexable"] = False
            row["indexability_reason"] = row["indexability_reason"] or "Non-Indexable"
    if row["indexable"] and any(p.strip() in ("noindex", "none")
                                for p in row["robots"].split(",")):
        row["indexable"], row["indexability_reason"] = False, "Noindex"


def list_records(pages: object, what: str) -> list[tuple[object, object, object, object, str]]:
    """``(url, status, html, headers, where)`` from a list of Page / mappings."""
    if isinstance(pages, Page):
        pages = [pages]
    if isinstance(pages, Mapping) or not isinstance(pages, Iterable) or isinstance(
            pages, str | bytes):
        raise InputError(f"{what}: expected a list of pages, a DataFrame, a crawl export or a "
                         f"folder of HTML files, got {type(pages).__name__}.")
    records = []
    for number, page in enumerate(pages, start=1):
        where = f"{what} item {number}"
        if isinstance(page, Page):
            records.append((page.url, page.status, page.html, page.headers, where))
        elif isinstance(page, Mapping):
            lower = {str(k).lower(): v for k, v in page.items()}
            url = lower.get("url", lower.get("address"))
            records.append((url, lower.get("status", 200), lower.get("html", ""),
                            lower.get("headers"), where))
        else:
            records.append((page, "not a page", "", None, where))
    return records
