"""Rows of the page table from fetched pages (URL, status, body, headers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kit.pages.decode import header
from kit.pages.extract import extract_html
from kit.pages.keys import url_key
from kit.pages.table import blank_row, finish_row, looks_html, media_type

__all__ = ["bad_row", "page_row", "parse_status"]


def parse_status(value: object) -> int | None:
    """An HTTP status as int (blank → 0, no response); None when it is not a number."""
    if value is None or (isinstance(value, float) and value != value):
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 1000 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and 0 <= value < 1000 else None
    text = str(value).strip()
    if not text:
        return 0
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and 0 <= number < 1000 else None


def bad_row(url: object, where: str, problem: str) -> dict[str, Any]:
    """A row that could not be read: ``crawl_status`` ``invalid``, the reason in ``problem``."""
    row = blank_row(url, where)
    row.update(crawl_status="invalid", problem=problem, indexable=False,
               indexability_reason="Invalid", links=())
    return row


def page_row(url: str, status: int, body: str | bytes | None, headers: Mapping[str, str]
             | None, where: str, *, base: str | None = None,
             content_type: str | None = None, status_text: object = None) -> dict[str, Any]:
    """One fetched URL as a row: HTML bodies parsed, other content types counted."""
    row = blank_row(url, where)
    key = url_key(url, base)
    row["key"] = key
    row["status"] = status
    kind = content_type if content_type is not None else (header(headers, "content-type") or "")
    row["content_type"] = kind
    location = header(headers, "location")
    if location:
        row["redirect_to"] = url_key(location, key) or location
    body = body if body is not None else ""
    if looks_html(url, kind):
        row.update(extract_html(key, body, headers))
        problems = [p for p in (row.pop("parse_problem"), ) if p]
        if row["empty"] and 200 <= status < 300:
            problems.append("empty page: no HTML at all")
        row["problem"] = "; ".join(problems) or None
        if not media_type(kind) and body:
            row["content_type"] = "text/html"
    else:
        row["is_html"] = False
        row["links"] = ()
        row["size"] = len(body) if isinstance(body, bytes) else len(body.encode("utf-8"))
    return finish_row(row, status_text=status_text)
