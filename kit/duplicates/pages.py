"""Pages in, one clean table out: from a DataFrame, a crawl CSV, or a folder of HTML files.

A page needs a ``url`` and either its ``text`` or its ``html``; ``status``,
``canonical`` (the rel=canonical it declares), ``inlinks`` (internal links pointing to
it) and ``indexable`` (or ``robots`` / meta robots) are optional.  Column names from
crawl exports are understood (Screaming Frog's ``Address``, ``Status Code``,
``Canonical Link Element 1``, ``Unique Inlinks``, ``Indexability``, ``Meta Robots 1``).

Folders of saved pages (wget mirrors too), Screaming Frog exports and advertools crawls
are read by :func:`kit.pages.read_pages`, the page table the SEO audit reads as well:
same decoder, same parser, same URL for a page (``shop/index.html`` is ``/shop/``).
Only HTML rows are pages here; images, CSS and other files are counted and left out.

Bad cells never stop the batch: a row whose URL is not a URL, whose status is not a
number or whose HTML cannot be read is kept, with the reason in ``problem``, and
:func:`~kit.duplicates.duplicate_findings` reports it.  A URL listed twice is kept once
and the repeat is reported.  Only input that cannot be used at all (no ``url`` column,
neither ``text`` nor ``html``, a missing file) raises :class:`~kit.errors.InputError`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kit.duplicates.text import html_text
from kit.errors import InputError
from kit.pages.keys import site_of
from kit.pages.read import detect_format, read_pages, refuse_empty_path
from kit.pages.table import PageTable
from kit.tables import Table, read_table, rename_columns
from kit.urls import guess_origin, is_url

__all__ = ["PAGE_ALIASES", "Pages", "PagesSource", "load_pages"]

PagesSource = pd.DataFrame | str | Path | Iterable[Mapping[str, Any]]

PAGE_ALIASES: dict[str, tuple[str, ...]] = {
    "url": ("address", "page", "loc", "uri", "page url", "page_url"),
    "text": ("content", "body text", "body_text", "page text", "page_text"),
    "html": ("source", "raw html", "raw_html", "page source", "page_source"),
    "status": ("status code", "status_code", "http status", "http_status", "code"),
    "canonical": ("canonical link element 1", "canonical url", "canonical_url",
                  "rel canonical", "rel_canonical", "declared canonical"),
    "inlinks": ("unique inlinks", "inlinks count", "links in", "internal links in"),
    "indexable": ("indexability",),
    "robots": ("meta robots 1", "meta robots", "meta_robots", "x-robots-tag 1", "x-robots-tag"),
}
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_TRUE = {"true", "yes", "1", "indexable", "y", "t"}
_FALSE = {"false", "no", "0", "non-indexable", "not indexable", "n", "f"}


@dataclass(frozen=True)
class Pages:
    """The loaded pages and what was noticed while loading them.

    ``frame`` has one row per distinct URL: ``url, text, status, canonical, inlinks,
    indexable, where, problem`` (``status`` and ``canonical`` may be missing: None;
    ``where`` names the row or file; ``problem`` says what was wrong with the row).
    ``repeats`` lists rows dropped because their URL was already listed.
    """

    frame: pd.DataFrame
    name: str
    origin: str | None = None
    repeats: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the input lacked or what was left out (non-HTML files, files not read)."""

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        problems = int(self.frame["problem"].notna().sum())
        return f"Pages({self.name!r}, pages={len(self)}, problems={problems})"


def _cell(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _text_cell(value: object) -> str | None:
    value = _cell(value)
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _status(value: object) -> tuple[int | None, str | None]:
    value = _cell(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None, f"status {str(value)[:40]!r} is not a number; treated as unknown"
    if not number.is_integer() or not 100 <= number <= 599:
        return None, f"status {str(value)[:40]!r} is not an HTTP status; treated as unknown"
    return int(number), None


def _count(value: object) -> tuple[int, str | None]:
    value = _cell(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0, None
    try:
        number = float(str(value).strip())
    except ValueError:
        return 0, f"inlinks {str(value)[:40]!r} is not a number; counted as 0"
    if not number.is_integer() or number < 0 or number > 1e12:
        return 0, f"inlinks {str(value)[:40]!r} is not a count; counted as 0"
    return int(number), None


def _indexable(flag: object, robots: object) -> bool:
    flag = _cell(flag)
    if isinstance(flag, bool | np.bool_):
        return bool(flag)
    if flag is not None and str(flag).strip().lower() in _FALSE:
        return False
    robots = _cell(robots)
    return not (robots is not None and "noindex" in str(robots).lower())


def load_pages(source: PagesSource, *, origin: str | None = None) -> Pages:
    """Read pages from a DataFrame, a CSV file, a folder of HTML files, or a list of dicts.

    In a folder, each file's URL is its path below the folder (``shop/boots.html`` →
    ``/shop/boots.html``).  ``origin`` (``https://example.com``) makes relative URLs
    absolute; by default relative URLs are resolved against the most common host when
    the pages mix relative and absolute URLs.
    """
    refuse_empty_path(source)
    if isinstance(source, PageTable) or (
            isinstance(source, pd.DataFrame | str | Path) and detect_format(source) in (
                "folder", "screaming_frog", "advertools")):
        return _from_page_table(read_pages(source, base_url=origin), origin)
    name = "pages"
    where: list[str] | None = None
    read_problems: list[str | None] | None = None
    if isinstance(source, pd.DataFrame | str | Path):
        if isinstance(source, str | Path):
            csv.field_size_limit(max(csv.field_size_limit(), 256 * 1024 * 1024))
        table = read_table(source, what="pages")
        name = table.name
    elif isinstance(source, Iterable) and not isinstance(source, bytes):
        items = list(source)
        if not all(isinstance(item, Mapping) for item in items):
            raise InputError("pages: a list of pages must hold dicts with url and text (or html).")
        table = Table(pd.DataFrame(items, dtype=object), "pages", from_file=False)
    else:
        raise InputError(
            f"pages: expected a DataFrame, a CSV path, a folder of HTML files or a list of "
            f"dicts; got {type(source).__name__}."
        )
    if table.frame.empty and "url" not in {str(c).lower() for c in table.frame.columns}:
        raise InputError(f"{table.name}: no pages in it.",
                         hint="Give at least one row with a url and its text or html.")
    rename_columns(table, PAGE_ALIASES, required=["url"], what="page list")
    frame = table.frame
    if "text" not in frame.columns and "html" not in frame.columns:
        have = ", ".join(map(str, frame.columns))
        raise InputError(
            f"{table.name}: the page list needs a text or an html column; it has {have}.",
            hint="Add the visible text of each page (text) or its HTML source (html).",
        )
    n = len(frame)
    if where is None:
        where = [table.where(position) for position in range(n)]
    urls = [_text_cell(value) for value in frame["url"].tolist()]
    urls = [url.strip() if isinstance(url, str) else None for url in urls]
    problems: list[list[str]] = [[] for _ in range(n)]
    if read_problems is not None:
        for position, problem in enumerate(read_problems):
            if problem:
                problems[position].append(problem)
    url_ok = [False] * n
    for position, url in enumerate(urls):
        url_ok[position] = bool(url) and is_url(url)
        if url_ok[position]:
            continue
        if not url:
            problems[position].append("the url cell is empty")
        elif not is_url(url):
            shown = url if len(url) <= 60 else url[:57] + "..."
            problems[position].append(f"{shown!r} is not a URL (expected https://host/path "
                                      "or /path)")

    def column(name: str) -> list[object]:
        return frame[name].tolist() if name in frame.columns else [None] * n

    text_cells, html_cells = column("text"), column("html")
    has_html = "html" in frame.columns
    texts: list[str] = []
    canonicals: list[str | None] = [None] * n
    html_noindex = [False] * n
    for position in range(n):
        text = _text_cell(text_cells[position])
        page_problem = None
        if has_html:
            raw = _cell(html_cells[position])
            if raw is not None or text is None:
                page = html_text(raw)  # type: ignore[arg-type]
                canonicals[position] = page.canonical
                html_noindex[position] = page.noindex
                if text is None:
                    text, page_problem = page.text, page.problem
        if text is None or not text.strip():
            text = ""
            if not (read_problems and read_problems[position]):
                problems[position].append(page_problem or "no text: the page is empty")
        elif page_problem:
            problems[position].append(page_problem)
        texts.append(text)

    statuses: list[int | None] = []
    for position, value in enumerate(column("status")):
        status, problem = _status(value)
        statuses.append(status)
        if problem:
            problems[position].append(problem)
    inlinks: list[int] = []
    for position, value in enumerate(column("inlinks")):
        count, problem = _count(value)
        inlinks.append(count)
        if problem:
            problems[position].append(problem)
    for position, value in enumerate(column("canonical")):
        declared = _text_cell(value)
        if declared is not None and declared.strip():
            canonicals[position] = declared.strip()
    flags, robots = column("indexable"), column("robots")
    indexable = [_indexable(flags[p], robots[p]) and not html_noindex[p] for p in range(n)]

    if origin is None and any(u and u.startswith("/") for u in urls):
        absolute = [u for u, ok in zip(urls, url_ok, strict=True) if ok
                    and not u.startswith("/")]
        origin = guess_origin(absolute) if absolute else None
    out = pd.DataFrame({
        "url": pd.Series(urls, dtype=object),
        "text": pd.Series(texts, dtype=object),
        "status": pd.Series(statuses, dtype=object),
        "canonical": pd.Series(canonicals, dtype=object),
        "inlinks": np.asarray(inlinks, dtype=np.int64),
        "indexable": np.asarray(indexable, dtype=bool),
        "where": pd.Series(where, dtype=object),
        "problem": pd.Series(["; ".join(p) if p else None for p in problems], dtype=object),
    })
    repeats: list[tuple[str, str, str]] = []
    keyed = out["url"].where(out["url"].notna(), None)
    repeated = keyed.notna() & keyed.duplicated(keep="first")
    if repeated.any():
        first_where = dict(zip(out.loc[~repeated, "url"], out.loc[~repeated, "where"],
                               strict=True))
        repeats = [(str(url), str(w), str(first_where.get(url, "")))
                   for url, w in zip(out.loc[repeated, "url"], out.loc[repeated, "where"],
                                     strict=True)]
        out = out.loc[~repeated].reset_index(drop=True)
    return Pages(frame=out, name=name, origin=origin, repeats=repeats)


_SF_HINT = ("In Screaming Frog, exact duplicates need the Hash column (exact duplicates "
            "are found by default); page text needs Configuration > Spider "
            "> Extraction > 'Store HTML' (export it beside Internal: All) or a Custom Extraction "
            "(Configuration > Custom > Extraction) named 'Text'; near-duplicate partners are in "
            "the "
            "'Duplicate Details' tab once Configuration > Content > Duplicates > 'Enable Near "
            "Duplicates' is on.  Or point this command at a folder of the saved pages.")


def _from_page_table(table: PageTable, origin: str | None) -> Pages:
    """The duplicate finder's frame from the shared page table (HTML rows only)."""
    frame = table.frame
    html = frame[frame["is_html"]].reset_index(drop=True)
    notes = list(table.notes)
    others = len(frame) - len(html)
    if others:
        notes.append(f"{others:,} non-HTML URL(s) (images, CSS, JS, PDF…) counted and left out")
    notes += [f"{where}: {why}" for where, why in zip(table.problems["where"],
                                                      table.problems["why"], strict=True)
              if why and "could not" not in why and where not in set(html["where"])]
    if html.empty:
        raise InputError(f"{table.name}: no HTML pages in it (no .html or .htm files, nor pages "
                         "saved without an extension).",
                         hint="Give a folder of saved pages or a crawl export with HTML rows.")
    texts = [t if isinstance(t, str) else None for t in html["text"]]
    if not any(texts):
        texts = _texts_without_page_text(table, html)
        notes = [note for note in notes if note not in table.notes] + [_near_note(html)]
    sites: set[str] = set()
    if table.format == "folder" and origin is None:  # shown as paths, like a url,text list
        sites = {site_of(key) for key in html["key"] if isinstance(key, str)}
        urls = [_relative(url, sites) for url in html["url"]]
    else:
        urls = [u.strip() if isinstance(u, str) else None for u in html["url"]]
    problems: list[str | None] = []
    statuses: list[int | None] = []
    for position, row in enumerate(html.itertuples(index=False)):
        found = [p for p in (row.problem, row.encoding_problem) if isinstance(p, str) and p]
        status = None if pd.isna(row.status) or not 100 <= int(row.status) <= 599 \
            else int(row.status)
        if row.crawl_status == "invalid":
            status = None
        if not texts[position] and row.crawl_status == "ok":
            found.append("no text: the page is empty" if not row.empty else "empty HTML")
        if urls[position] is None or not is_url(urls[position]):
            found.append(f"{str(row.url)[:60]!r} is not a URL (expected https://host/path or "
                         "/path)" if row.url else "the url cell is empty")
        problems.append("; ".join(dict.fromkeys(found)) or None)
        statuses.append(status)
    reason = html["indexability_reason"].astype(object)
    if table.format == "screaming_frog":
        indexable = html["indexable"].astype(bool)
    else:  # the duplicate finder's own rule: only noindex (or a stated flag) says no
        indexable = ~reason.isin(["Noindex", "Non-Indexable"])
    out = pd.DataFrame({
        "url": pd.Series(urls, dtype=object),
        "text": pd.Series([t or "" for t in texts], dtype=object),
        "status": pd.Series(statuses, dtype=object),
        "canonical": pd.Series([_relative(c, sites) if isinstance(c, str) else None
                                for c in html["canonical"]], dtype=object),
        "inlinks": np.asarray([int(v) if isinstance(v, int | float) and v == v else 0
                               for v in html["inlinks"]], dtype=np.int64),
        "indexable": np.asarray(indexable, dtype=bool),
        "where": html["where"].astype(object),
        "problem": pd.Series(problems, dtype=object),
    })
    repeated = out["url"].notna() & out["url"].duplicated(keep="first")
    repeats: list[tuple[str, str, str]] = []
    if repeated.any():
        first_where = dict(zip(out.loc[~repeated, "url"], out.loc[~repeated, "where"],
                               strict=True))
        repeats = [(str(u), str(w), str(first_where.get(u, ""))) for u, w in zip(
            out.loc[repeated, "url"], out.loc[repeated, "where"], strict=True)]
        out = out.loc[~repeated].reset_index(drop=True)
    absolute = [u for u in out["url"] if isinstance(u, str) and not u.startswith("/")]
    if origin is None and absolute:
        origin = guess_origin(absolute)
    return Pages(frame=out, name=table.name, origin=origin, repeats=repeats, notes=notes)


_SHARED_WORDS = 200
"""Length of the shared part of a stand-in text (see :func:`_stand_in_texts`)."""


def _near_groups(html: pd.DataFrame) -> dict[int, tuple[int, float]]:
    """Row position -> (group, similarity) for Screaming Frog's near duplicates.

    Assumption (labelled): the Internal export says how many near duplicates a page has
    and its closest similarity, not which page it is; pages that have near duplicates
    and the same closest similarity (to 0.1 %) are taken as each other's near duplicates.
    A page whose similarity no other page shares stays alone.
    """
    counts = pd.to_numeric(html["near_duplicates"], errors="coerce").fillna(0)
    similarity = pd.to_numeric(html["closest_similarity"], errors="coerce")
    groups: dict[float, list[int]] = {}
    for position, (count, value) in enumerate(zip(counts, similarity, strict=True)):
        if count > 0 and value == value and 0 < value <= 1:
            groups.setdefault(round(float(value), 3), []).append(position)
    found: dict[int, tuple[int, float]] = {}
    for number, (value, members) in enumerate(sorted(groups.items())):
        if len(members) > 1:
            found.update({member: (number, value) for member in members})
    return found


def _stand_in_texts(hashes: list[str | None], near: dict[int, tuple[int, float]]
                    ) -> list[str | None]:
    """Texts whose word 3-shingle resemblance is what Screaming Frog measured.

    The same Hash gives the same text (an exact copy).  Pages of one near-duplicate group
    share :data:`_SHARED_WORDS` words and each adds ``M`` words of its own, so that their
    resemblance ``(N - 2) / (N - 2 + 2M)`` is the closest similarity Screaming Frog
    reported (to about 0.01).
    """
    texts: list[str | None] = []
    n = _SHARED_WORDS
    for position, digest in enumerate(hashes):
        own = digest or f"row{position}"
        if position in near:
            group, value = near[position]
            extra = round((n - 2) * (1 - value) / (2 * value))
            words = [f"sfnear{group}w{i}" for i in range(n)]
            words += [f"sfown{own}w{j}" for j in range(extra)]
            texts.append(" ".join(words))
        elif digest:
            texts.append(" ".join([f"sfhash{digest}"] * 3))
        else:
            texts.append(None)
    return texts


def _relative(url: str, sites: set[str]) -> str:
    """``url`` as a path when it is on one of ``sites`` (a folder served without an origin)."""
    site = site_of(url)
    return (url[len(site):] or "/") if site and site in sites else url


def _texts_without_page_text(table: PageTable, html: pd.DataFrame) -> list[str | None]:
    """Stand-ins from Screaming Frog's Hash and near-duplicate columns, or a clear refusal."""
    hashes = [h if isinstance(h, str) and h else None for h in html["hash"]]
    near = _near_groups(html) if table.format == "screaming_frog" else {}
    if table.format == "screaming_frog" and (any(hashes) or near):
        return _stand_in_texts(hashes, near)
    if table.format == "screaming_frog":
        raise InputError(f"{table.name}: this Screaming Frog export has no page text and no "
                         "Hash column, so there is nothing to compare.", hint=_SF_HINT)
    if table.format == "advertools":
        raise InputError(f"{table.name}: this advertools crawl has no body_text, so there is "
                         "nothing to compare.",
                         hint="advertools.crawl() writes body_text by default; crawl again "
                              "without removing it.")
    raise InputError(f"{table.name}: no page has any text to compare.")


def _near_note(html: pd.DataFrame) -> str:
    counts = pd.to_numeric(html["near_duplicates"], errors="coerce").fillna(0)
    flagged = int((counts > 0).sum())
    paired = len(_near_groups(html))
    note = ("no page text in this Screaming Frog export: exact copies come from its Hash "
            "column")
    if flagged:
        note += (f"; of the {flagged} page(s) it gives near duplicates for, {paired} were "
                 "paired by equal closest similarity (an assumption: this export does not "
                 "name the partner; its 'Duplicate Details' tab does)")
    return note + ". " + _SF_HINT
