"""advertools crawls (``adv.crawl(…, 'site.jl')``: one JSON object per line) as the page table.

Fields, from advertools' documentation of :func:`advertools.crawl` (checked on
2026-12-07): ``url`` (the URL fetched, after redirects), ``status``, ``title``,
``meta_desc``, ``h1`` (several joined with ``@@``), ``canonical``, ``body_text``,
``size``, ``links_url`` (``@@``-joined), ``redirect_urls`` and ``redirect_reasons``
(the chain from the requested URL, ``@@``-joined when read from CSV), ``resp_headers_*``
(``resp_headers_content-type``, ``resp_headers_x-robots-tag``, …) and
``meta_robots`` when present.  A redirected request is one line in advertools (the
final URL, with the chain); here each URL of the chain also gets its own row, status
from ``redirect_reasons``, as a crawler that lists every URL shows it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from kit.errors import InputError
from kit.pages.extract import robots_directives, x_robots
from kit.pages.keys import site_of, url_key
from kit.pages.rows import bad_row, parse_status
from kit.pages.table import PageTable, blank_row, finish_row

__all__ = ["ADVERTOOLS_MARKERS", "is_advertools", "read_advertools"]

ADVERTOOLS_MARKERS = ("meta_desc", "body_text", "crawl_time", "download_latency",
                      "links_url", "redirect_urls", "resp_headers_content-type")
_SEP = "@@"


def is_advertools(columns: list[str]) -> bool:
    """``url`` plus a field only advertools writes."""
    names = {str(c) for c in columns}
    return "url" in names and (bool(names & set(ADVERTOOLS_MARKERS))
                               or any(n.startswith("resp_headers_") for n in names))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _parts(value: object) -> list[str]:
    """A list field: a JSON list, or text joined with ``@@``."""
    if _missing(value):
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if not _missing(v) and str(v).strip()]
    return [part.strip() for part in str(value).split(_SEP) if part.strip()]


def _header(record: dict[str, Any], name: str) -> str | None:
    for key, value in record.items():
        if key.lower() == f"resp_headers_{name}" and not _missing(value):
            return ", ".join(_parts(value)) if isinstance(value, list) else str(value)
    return None


def _row(record: dict[str, Any], where: str, base: str | None) -> list[dict[str, Any]]:
    url = record.get("url")
    if not isinstance(url, str) or not url.strip():
        return [bad_row(url, where, "no url in this record")]
    code = parse_status(record.get("status"))
    if code is None:
        return [bad_row(url, where, f"status {record.get('status')!r} is not an HTTP status "
                                    "code")]
    key = url_key(url, base)
    row = blank_row(url, where)
    row.update(key=key, status=code, content_type=_header(record, "content-type") or "")
    titles, descriptions = _parts(record.get("title")), _parts(record.get("meta_desc"))
    h1s, canonicals = _parts(record.get("h1")), _parts(record.get("canonical"))
    targets = [(url_key(c, key) if key else None) or c for c in canonicals]
    directives = x_robots(_header(record, "x-robots-tag"))
    for name in ("meta_robots", "meta_googlebot"):
        for value in _parts(record.get(name)):
            directives += robots_directives(name.removeprefix("meta_"), value)
    links = None
    if "links_url" in record:
        site = site_of(key) if key else ""
        found = {k: None for href in _parts(record.get("links_url"))
                 if (k := url_key(href, key)) and site_of(k) == site and k != key}
        links = tuple(found)
    size = record.get("size")
    text = record.get("body_text")
    row.update(
        title=titles[0] if titles else None, title_count=len(titles),
        description=descriptions[0] if descriptions else None,
        description_count=len(descriptions), h1=h1s[0] if h1s else None, h1_count=len(h1s),
        canonical=targets[0] if targets else None, canonical_count=len(dict.fromkeys(targets)),
        robots=",".join(dict.fromkeys(directives)), links=links,
        size=int(size) if isinstance(size, int | float) and not _missing(size) else None,
        text=None if _missing(text) else str(text),
    )
    if row["content_type"] == "" and titles:
        row["content_type"] = "text/html"
    rows = [finish_row(row)]
    chain, reasons = _parts(record.get("redirect_urls")), _parts(record.get("redirect_reasons"))
    for number, source in enumerate(chain):
        hop_key = url_key(source, base)
        if hop_key is None or hop_key == key:
            continue
        reason = parse_status(reasons[number]) if number < len(reasons) else 301
        target = chain[number + 1] if number + 1 < len(chain) else url
        hop = blank_row(source, f"{where} (redirect_urls {number + 1})")
        hop.update(key=hop_key, status=reason or 301, redirect_to=url_key(target, base) or target,
                   links=None)
        rows.append(finish_row(hop))
    return rows


def read_advertools(source: str | Path | pd.DataFrame, *, base: str | None = None
                    ) -> PageTable:
    """An advertools crawl (``.jl``/``.jsonl`` path, or its DataFrame) as the page table."""
    rows: list[dict[str, Any]] = []
    if isinstance(source, pd.DataFrame):
        name = "advertools crawl"
        for label, record in zip(source.index, source.to_dict("records"), strict=True):
            rows += _row(record, f"{name} row {label}", base)
    else:
        path = Path(source)
        name = path.name
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except UnicodeDecodeError as error:
            raise InputError(f"{path.name}: not UTF-8 ({error}).",
                             hint="advertools writes UTF-8; give the .jl file it wrote.") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path.name} line {number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                rows.append(bad_row(None, where, f"not a JSON object ({error.msg} at column "
                                                 f"{error.colno})"))
                continue
            if not isinstance(record, dict):
                rows.append(bad_row(None, where, "not a JSON object"))
                continue
            rows += _row(record, where, base)
    if not rows:
        raise InputError(f"{name}: no records.", hint="Give the .jl file advertools wrote.")
    seen: dict[str, int] = {}
    unique: list[dict[str, Any]] = []
    for row in rows:  # a redirect source also crawled on its own: keep the crawled row
        key = row["key"]
        if key is not None and key in seen and "(redirect_urls" in row["where"]:
            continue
        if key is not None and key in seen and "(redirect_urls" in unique[seen[key]]["where"]:
            unique[seen[key]] = row
            continue
        if key is not None:
            seen.setdefault(key, len(unique))
        unique.append(row)
    has_text = any(row["text"] for row in unique)
    return PageTable.from_rows(unique, format="advertools", name=name,
                               notes=[] if has_text else ["no body_text in this crawl"])
