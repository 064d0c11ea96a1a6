"""Screaming Frog SEO Spider exports ("Internal: All", "Internal: HTML") as the page table.

Columns are found by name, in any order, case-insensitive (Screaming Frog SEO Spider
user guide, "Tabs" > "Internal", checked on 2026-12-07): ``Address``, ``Content Type``,
``Status Code``, ``Status`` (the crawler's words: ``OK``, ``Moved Permanently``,
``Blocked by robots.txt``, ``Connection Timeout``, ``DNS Lookup Failed``…),
``Indexability``, ``Indexability Status``, ``Title 1``…, ``Meta Description 1``…,
``Meta Keywords 1``, ``H1-1``, ``H1-2``…, ``Canonical Link Element 1``…,
``Meta Robots 1``…, ``X-Robots-Tag 1``…, ``Redirect URL``, ``Size (bytes)``,
``Word Count``, ``Inlinks``/``Unique Inlinks``, ``Hash``, ``No. Near Duplicates``,
``Closest Similarity Match`` (``Closest Near Duplicate Match`` in some versions).

Page text is read when the export has it: a custom extraction column named ``Text``,
``Page Text``, ``Body Text`` or ``Content`` (numbered or not), or an ``HTML`` column
(Configuration > Spider > Extraction > "Store HTML" / "Store Rendered HTML").
Only English headers are read.  Screaming Frog's localised interfaces export localised
headers; no list of them was found in its documentation (checked on 2026-12-07).  A
German export (``Adresse``, ``Statuscode``/``Status-Code``, ``Indexierbarkeit``, names
seen in third-party code that reads such exports) is recognised and refused with a clear
message rather than half-read: a title column not understood would turn into
"title missing" on every page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from kit.errors import InputError
from kit.pages.csvfile import read_csv_records
from kit.pages.extract import extract_html, x_robots
from kit.pages.keys import url_key
from kit.pages.rows import bad_row, parse_status
from kit.pages.table import PageTable, blank_row, finish_row, looks_html, media_type

__all__ = ["LOCALISED_MARKERS", "SF_MARKERS", "is_localised_screaming_frog", "is_screaming_frog",
           "read_screaming_frog"]

SF_MARKERS = ("title 1", "h1-1", "meta description 1", "canonical link element 1",
              "indexability", "indexability status", "status code", "content type",
              "meta robots 1", "inlinks", "unique inlinks", "hash")
"""Headers that, beside ``Address``, mark a Screaming Frog export."""

_TEXT_COLUMN = re.compile(r"^(?:page |body |main )?(?:text|content)(?:\s*\d+)?$", re.I)
_HTML_COLUMN = re.compile(r"^(?:raw |rendered |original )?html(?:\s*\d+)?$", re.I)
_WHITESPACE = re.compile(r"\s+")


LOCALISED_MARKERS = frozenset({"adresse", "statuscode", "status-code", "indexierbarkeit"})
"""Headers of a German-language export (see the module doc)."""


def is_localised_screaming_frog(columns: list[str]) -> bool:
    """A Screaming Frog export with German headers (``Adresse`` and a German status column)."""
    names = {str(c).strip().lower() for c in columns}
    return "address" not in names and "adresse" in names and len(names & LOCALISED_MARKERS) >= 2


def is_screaming_frog(columns: list[str]) -> bool:
    """An ``Address`` column and at least one other Screaming Frog column."""
    names = {str(c).strip().lower() for c in columns}
    return "address" in names and bool(names & set(SF_MARKERS))


def _numbered(columns: list[str], prefix: str) -> list[int]:
    """Positions of ``Title 1``, ``Title 2``… (or ``H1-1``, ``H1-2``…), in number order."""
    pattern = re.compile(re.escape(prefix) + r"\s*(\d+)$", re.I)
    found = [(int(m.group(1)), i) for i, c in enumerate(columns) if (m := pattern.match(c))]
    return [i for _, i in sorted(found)]


def _cell(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = _WHITESPACE.sub(" ", str(value)).strip()
    return text or None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.rstrip("%").replace(",", ""))
    except ValueError:
        return None


def _rows(columns: list[str], records: list[list[Any]], where: Any, base: str | None
          ) -> tuple[list[dict[str, Any]], list[str]]:
    index = {c.strip().lower(): i for i, c in enumerate(columns)}
    if "address" not in index:
        raise InputError("the Screaming Frog export has no Address column.",
                         hint="Export 'Internal: All' (or 'Internal: HTML') again.")

    def pos(*names: str) -> int | None:
        return next((index[n] for n in names if n in index), None)

    p_url, p_type = index["address"], pos("content type", "content-type")
    p_code, p_status = pos("status code"), pos("status")
    p_index, p_reason = pos("indexability"), pos("indexability status")
    p_redirect, p_size = pos("redirect url", "redirect uri"), pos("size (bytes)", "size")
    p_words, p_hash = pos("word count"), pos("hash")
    p_near = pos("no. near duplicates", "near duplicates")
    p_sim = pos("closest similarity match", "closest near duplicate match")
    p_near_url = pos("near duplicate address", "closest near duplicate address")
    p_inlinks = pos("unique inlinks", "inlinks")
    titles, descriptions = _numbered(columns, "title"), _numbered(columns, "meta description")
    keywords, h1s = _numbered(columns, "meta keywords"), _numbered(columns, "h1-")
    canonicals = _numbered(columns, "canonical link element")
    robots = _numbered(columns, "meta robots") + _numbered(columns, "x-robots-tag")
    p_text = next((i for i, c in enumerate(columns) if _TEXT_COLUMN.match(c.strip())), None)
    p_html = next((i for i, c in enumerate(columns) if _HTML_COLUMN.match(c.strip())), None)
    notes: list[str] = []
    if p_text is None and p_html is None:
        notes.append("no page text in this export")
    rows: list[dict[str, Any]] = []
    for position, record in enumerate(records):
        def cell(i: int | None, r: list[Any] = record) -> str | None:
            return _cell(r[i]) if i is not None and i < len(r) else None

        here = where(position)
        url = cell(p_url)
        if url is None:
            rows.append(bad_row(None, here, "the Address cell is empty"))
            continue
        raw_code = cell(p_code)
        code = parse_status(raw_code) if p_code is not None else 200
        if code is None:
            rows.append(bad_row(url, here, f"Status Code {raw_code!r} is not an HTTP status "
                                           "code"))
            continue
        row = blank_row(url, here)
        key = url_key(url, base)
        row.update(key=key, status=code, content_type=cell(p_type) or "", links=None)
        if key is None:
            row["problem"] = f"{url!r} is not an http(s) URL"
        found = {name: [v for i in cols if (v := cell(i))] for name, cols in (
            ("title", titles), ("description", descriptions), ("keywords", keywords),
            ("h1", h1s), ("canonical", canonicals), ("robots", robots))}
        targets = [(url_key(c, key) if key else None) or c for c in found["canonical"]]
        directives: list[str] = []
        for value in found["robots"]:
            directives += x_robots(value)
        html = cell(p_html) if p_html is not None else None
        if html and looks_html(url, row["content_type"]):
            parsed = extract_html(key, record[p_html], None)
            row["text"] = parsed["text"]
        if p_text is not None:
            row["text"] = record[p_text] if p_text < len(record) and str(
                record[p_text]).strip() else row["text"]
        redirect = cell(p_redirect)
        inlinks = _number(cell(p_inlinks))
        similarity = _number(cell(p_sim))
        near = _number(cell(p_near))
        words = _number(cell(p_words))
        size = _number(cell(p_size))
        row.update(
            title=found["title"][0] if found["title"] else None,
            title_count=len(found["title"]),
            description=found["description"][0] if found["description"] else None,
            description_count=len(found["description"]),
            keywords=found["keywords"][0] if found["keywords"] else None,
            h1=found["h1"][0] if found["h1"] else None, h1_count=len(found["h1"]),
            canonical=targets[0] if targets else None,
            canonical_count=len(dict.fromkeys(targets)),
            robots=",".join(dict.fromkeys(directives)),
            redirect_to=(url_key(redirect, key) if key else None) or redirect,
            inlinks=(int(inlinks) if inlinks is not None else 0) if p_inlinks is not None
            else None,
            hash=cell(p_hash), word_count=int(words) if words is not None else None,
            near_duplicates=int(near) if near is not None else None,
            closest_similarity=(round(similarity / 100 if similarity > 1 else similarity, 4)
                                if similarity is not None else None),
            near_duplicate_of=cell(p_near_url), size=int(size) if size is not None else None,
        )
        flag = cell(p_index)
        if flag is not None:
            row["indexable"] = flag.lower() == "indexable"
            row["indexability_reason"] = None if row["indexable"] else (cell(p_reason)
                                                                        or "Non-Indexable")
        rows.append(finish_row(row, status_text=cell(p_status)))
        if media_type(row["content_type"]) == "" and row["crawl_status"] == "ok" and row["title"]:
            row["content_type"], row["is_html"] = "text/html", True
    return rows, notes


def read_screaming_frog(source: str | Path | pd.DataFrame, *, base: str | None = None,
                        encoding: str | None = None) -> PageTable:
    """A Screaming Frog export (CSV path or DataFrame) as the page table."""
    if isinstance(source, pd.DataFrame):
        columns = [str(c).strip() for c in source.columns]
        records = source.astype(object).where(source.notna(), None).values.tolist()
        labels = list(source.index)
        rows, notes = _rows(columns, records, lambda p: f"crawl export row {labels[p]}", base)
        name = "crawl export"
    else:
        path = Path(source)
        csv_file = read_csv_records(path, header_names=("address",), encoding=encoding)
        if "address" not in {c.lower() for c in csv_file.header}:
            raise InputError(f"{path.name} line {csv_file.header_line}: no Address column in "
                             "the header.", hint="Export 'Internal: All' from Screaming Frog.")
        rows, notes = _rows(csv_file.header, csv_file.records, csv_file.where, base)
        name = path.name
    if not rows:
        raise InputError(f"{name}: the export has a header but no rows.")
    return PageTable.from_rows(rows, format="screaming_frog", name=name, notes=notes)
