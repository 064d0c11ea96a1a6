"""The page table: one row per crawled URL, whatever the crawler, with the same columns.

:data:`PAGE_COLUMNS` lists them; :class:`PageTable` carries the frame with what was
counted (``counts``: rows by content type and crawl status) and what could not be read
(``problems``: where and why).  Non-HTML rows (images, CSS, JS, PDFs) are kept with
``is_html`` False: modules count them and never treat them as pages.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kit.pages.keys import url_key

__all__ = [
    "CRAWL_STATUSES",
    "PAGE_COLUMNS",
    "PageTable",
    "blank_row",
    "crawl_status",
    "finish_row",
    "looks_html",
    "media_type",
]

PAGE_COLUMNS: tuple[str, ...] = (
    "url", "key", "where", "content_type", "is_html", "status", "crawl_status",
    "redirect_to", "indexable", "indexability_reason", "title", "title_count", "description",
    "description_count", "h1", "h1_count", "canonical", "canonical_count", "canonical_in_body",
    "robots", "keywords", "text", "links", "inlinks", "size", "empty", "truncated",
    "encoding_problem", "problem", "hash", "word_count", "near_duplicates",
    "closest_similarity", "near_duplicate_of",
)
"""``url`` as the crawler gave it; ``key`` its normalised absolute form (None if it is no
URL); ``where`` the file line, row or file name; ``content_type`` the media type
(``text/html``; empty when unknown); ``is_html``; ``status`` (Int64; 0 = no response);
``crawl_status`` (one of :data:`CRAWL_STATUSES`); ``redirect_to`` (the Location, when
known); ``indexable`` and ``indexability_reason`` (Screaming Frog's words: ``Noindex``,
``Canonicalised``, ``Redirected``, ``Client Error``, ``Server Error``, ``Blocked by
robots.txt``, ``No Response``, ``Non-200``; None when indexable); the first ``title``,
``description`` and ``h1`` with their counts; ``canonical`` (absolute when it resolves)
and ``canonical_count`` (distinct targets in ``<head>``), ``canonical_in_body`` (only a
canonical in ``<body>``, which Google ignores); ``robots`` (Googlebot's directives from
meta robots, meta googlebot and X-Robots-Tag, lower case, comma-separated);
``keywords`` (meta keywords or None); ``text`` (main visible text or None); ``links``
(keys of same-site pages it links to; None when the crawler did not say) and
``inlinks`` (from an export; None when counted from ``links``); ``size`` (bytes);
the flags ``empty`` (a body with no HTML at all), ``truncated`` (over Googlebot's 15 MB)
and ``encoding_problem`` (why the bytes did not decode cleanly, else None);
``problem`` (why the row could not be read fully, else None); and from Screaming Frog
when exported: ``hash`` (of the page, for exact duplicates), ``word_count``,
``near_duplicates`` (No. Near Duplicates), ``closest_similarity`` (0-1) and
``near_duplicate_of``."""

CRAWL_STATUSES = ("ok", "redirect", "client_error", "server_error", "blocked_by_robots",
                  "no_response", "timeout", "invalid")
"""What happened when the crawler asked for the URL."""

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_PAGE_SUFFIXES = ("", ".html", ".htm", ".xhtml", ".php", ".asp", ".aspx", ".jsp", ".cfm",
                  ".shtml", ".cgi", ".pl")
_TIMEOUT = re.compile(r"time\s*-?\s*out", re.I)
_BLOCKED = re.compile(r"blocked by robots", re.I)
_NO_RESPONSE = re.compile(r"dns|refused|connection|no response|unreachable|reset|ssl|"
                          r"handshake|error", re.I)
_REASONS = {"redirect": "Redirected", "client_error": "Client Error",
            "server_error": "Server Error", "blocked_by_robots": "Blocked by robots.txt",
            "no_response": "No Response", "timeout": "No Response", "invalid": "Invalid"}


def blank_row(url: object, where: str) -> dict[str, Any]:
    """A row with every column at its 'not known' value."""
    row: dict[str, Any] = dict.fromkeys(PAGE_COLUMNS)
    row.update(url=url if isinstance(url, str) or url is None else repr(url), where=where,
               content_type="", title_count=0, description_count=0, h1_count=0,
               canonical_count=0, canonical_in_body=False, robots="", empty=False,
               truncated=False, is_html=True)
    return row


def media_type(content_type: object) -> str:
    """``text/html`` from ``text/html; charset=UTF-8`` (lower case; '' when unknown)."""
    if not isinstance(content_type, str):
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def looks_html(url: object, content_type: object = "") -> bool:
    """HTML by its content type; when that is unknown, by the URL's file extension."""
    kind = media_type(content_type)
    if kind:
        return kind in _HTML_TYPES
    if not isinstance(url, str):
        return True
    path = re.split(r"[?#]", url.split("://", 1)[-1], maxsplit=1)[0]
    last = path.rsplit("/", 1)[-1] if "/" in path else ""
    suffix = "." + last.rsplit(".", 1)[-1].lower() if "." in last else ""
    if suffix in _PAGE_SUFFIXES:
        return True
    guessed, _ = mimetypes.guess_type("x" + suffix)
    return guessed is None or guessed in _HTML_TYPES


def crawl_status(status: int | None, text: object = None) -> str:
    """One of :data:`CRAWL_STATUSES` from a status code and the crawler's status text."""
    said = text if isinstance(text, str) else ""
    if _BLOCKED.search(said):
        return "blocked_by_robots"
    if status is None:
        return "invalid"
    if status == 0 or status >= 600:
        if _TIMEOUT.search(said):
            return "timeout"
        return "no_response"
    if status < 300:
        return "ok"
    if status < 400:
        return "redirect"
    if status < 500:
        return "client_error"
    return "server_error"


def _noindex(robots: object) -> bool:
    return any(part.strip() in ("noindex", "none") for part in str(robots or "").split(","))


def finish_row(row: dict[str, Any], *, status_text: object = None) -> dict[str, Any]:
    """Fill ``key``, ``crawl_status``, ``is_html``, ``indexable`` and its reason from the rest.

    Values a loader already set (an export's own ``Indexability``) are kept.
    """
    if row.get("key") is None and isinstance(row.get("url"), str):
        row["key"] = url_key(row["url"])
    if row.get("crawl_status") is None:
        row["crawl_status"] = crawl_status(row.get("status"), status_text)
    row["content_type"] = row.get("content_type") or ""
    if row.get("is_html") is None or row["content_type"]:
        row["is_html"] = looks_html(row.get("url"), row["content_type"])
    if row.get("indexable") is None:
        state = row["crawl_status"]
        reason = None
        if state != "ok":
            reason = _REASONS[state]
        elif row.get("status") != 200:
            reason = "Non-200"
        elif _noindex(row.get("robots")):
            reason = "Noindex"
        elif (isinstance(row.get("canonical"), str) and row.get("canonical_count") == 1
              and row.get("key") and row["canonical"] != row["key"]):
            reason = "Canonicalised"
        row["indexable"] = reason is None
        if row.get("indexability_reason") is None:
            row["indexability_reason"] = reason
    return row


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(PAGE_COLUMNS), dtype=object)
    frame["status"] = pd.array([s if isinstance(s, int) else None for s in frame["status"]],
                               dtype="Int64")
    for column in ("is_html", "indexable", "canonical_in_body", "empty", "truncated"):
        frame[column] = frame[column].map(bool).astype(bool)
    for column in ("title_count", "description_count", "h1_count", "canonical_count"):
        frame[column] = frame[column].fillna(0).astype("int64")
    frame.attrs["kind"] = "pages"
    return frame


@dataclass
class PageTable:
    """The crawl as one table: ``frame`` (:data:`PAGE_COLUMNS`), ``counts``, ``problems``.

    ``format`` names the input (``folder``, ``screaming_frog``, ``advertools``, ``kit``);
    ``name`` the file or folder; ``has_html_facts`` is False when the input carried
    neither HTML nor a crawler's extracted titles/headings (a url,text list), so a page
    audit has nothing to check; ``notes`` says what the input lacked (e.g. no page text).
    """

    frame: pd.DataFrame
    format: str
    name: str
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["where", "url", "why"]))
    has_html_facts: bool = True
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]], *, format: str, name: str,
                  problems: list[tuple[str, str, str]] | None = None,
                  has_html_facts: bool = True, notes: list[str] | None = None) -> PageTable:
        """Build the table; rows whose ``problem`` made them unreadable join ``problems``."""
        frame = _frame(rows)
        found = list(problems or [])
        bad = frame["crawl_status"] == "invalid"
        found += [(str(w), str(u), str(p)) for w, u, p in zip(
            frame.loc[bad, "where"], frame.loc[bad, "url"], frame.loc[bad, "problem"],
            strict=True)]
        frame.attrs.update(format=format, source=name)
        return cls(frame=frame, format=format, name=name,
                   problems=pd.DataFrame(found, columns=["where", "url", "why"]),
                   has_html_facts=has_html_facts, notes=list(notes or []))

    @property
    def counts(self) -> pd.DataFrame:
        """Rows by media type and crawl status: ``content_type, crawl_status, rows``."""
        kinds = self.frame["content_type"].map(media_type).replace("", "unknown")
        grouped = pd.DataFrame({"content_type": kinds, "crawl_status": self.frame[
            "crawl_status"]}).value_counts(sort=False).rename("rows").reset_index()
        return grouped.sort_values(["content_type", "crawl_status"], kind="stable"
                                   ).reset_index(drop=True)

    def pages(self) -> pd.DataFrame:
        """The HTML rows that answered (status > 0): what a page audit checks."""
        frame = self.frame
        answered = frame["status"].fillna(0) > 0
        return frame[frame["is_html"] & answered & (frame["crawl_status"] != "invalid")]

    def summary(self) -> str:
        """One line: how many rows, how many HTML pages, what else."""
        frame = self.frame
        html = int(frame["is_html"].sum())
        other = len(frame) - html
        states = frame["crawl_status"].value_counts()
        parts = [f"{len(frame):,} URLs: {html:,} HTML, {other:,} other (images, CSS, JS, PDF…)"]
        for state in CRAWL_STATUSES:
            if state != "ok" and states.get(state, 0):
                parts.append(f"{int(states[state]):,} {state.replace('_', ' ')}")
        if len(self.problems):
            parts.append(f"{len(self.problems):,} not read")
        return "; ".join(parts) + "."

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return (f"PageTable({self.name!r}, format={self.format!r}, rows={len(self)}, "
                f"html={int(self.frame['is_html'].sum())}, problems={len(self.problems)})")

    def _repr_html_(self) -> str:
        from html import escape

        shown = self.frame[["url", "content_type", "status", "crawl_status", "indexable",
                            "title"]].head(20)
        return (f"<p>{escape(self.summary())}</p>" + shown.to_html(index=False, na_rep=""))
