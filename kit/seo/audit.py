"""Audit pages for what matters to Google, and say plainly what does not.

One finding per problem, in the shared shape (``subject, check, severity, business,
technical, source``) plus ``where`` (file line, row or file) and ``value`` (the title,
the canonical target, …).  The rules (severity, source, both messages) are one table,
:data:`kit.seo.rules.RULES`; :data:`CHECKS` is its summary (each check's usual severity and
source) and each rule is written out in :func:`audit_pages`'s docstring.  The detectors
below only decide which rule applies and name the facts its messages need.

:func:`page_scores` turns the findings into one verdict per page: *indexable* (Google
may index it) and *well described* (indexable, with a good title and description).
The simulator and the workshop count those two numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd

from kit.findings import findings_frame, severity_rank
from kit.pages.extract import GOOGLEBOT_MAX_BYTES
from kit.pages.keys import url_key
from kit.seo.pages import pages_of
from kit.seo.robots import RobotsTxt, parse_robots
from kit.seo.rules import RULES, rule

__all__ = [
    "BLOCKS_DESCRIBED",
    "BLOCKS_INDEXING",
    "CHECKS",
    "TITLE_MAX",
    "audit_pages",
    "page_scores",
]

TITLE_MAX = 60
"""A common crawler-tool threshold (Screaming Frog's default), not a Google rule: Google
shortens title links to fit the device's width ("Influencing your title links")."""

CHECKS: dict[str, tuple[str, str]] = {}
for _rule in RULES:  # the first rule of a check gives its usual severity
    CHECKS.setdefault(_rule.check, (_rule.severity, _rule.source))
del _rule
"""Every check: its usual severity and the source of its rule.  ``status`` is a warning
for redirects (3xx); ``robots_blocked`` an error when the page also says noindex; an
orphan listed in the sitemap is info."""

BLOCKS_INDEXING = frozenset({"unreadable", "duplicate_url", "status", "empty_page", "noindex",
                             "robots_blocked", "canonical_elsewhere", "canonical_broken",
                             "orphan"})
"""Checks that keep a page out of the *indexable* count (an orphan listed in the sitemap
is discoverable, so its ``orphan`` finding, severity info, does not count)."""
BLOCKS_DESCRIBED = frozenset({"title_missing", "title_duplicate", "title_too_long",
                              "description_missing", "description_duplicate", "encoding"})
"""Checks that keep an indexable page out of the *well described* count."""

_EXTRA = ("page", "where", "value")


class _Findings:
    """Column-wise accumulator of finding rows."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, check: str, row: dict[str, Any], variant: str = "", *, value: object = None,
            **facts: object) -> None:
        """One finding about the page ``row`` (a row of the page table): the rule
        ``check``/``variant`` of :data:`kit.seo.rules.RULES`, its messages filled from
        ``facts``."""
        found = rule(check, variant)
        business, technical = found.messages(**facts)
        self.rows.append({
            "subject": _short(row["url"], 200), "check": check,
            "severity": found.severity, "business": business, "technical": technical,
            "source": found.source,
            "page": row["key"], "where": row["where"] or "", "value": value,
        })

    def frame(self) -> pd.DataFrame:
        """The findings, worst first: by severity, then in the order of :data:`CHECKS`."""
        order = {check: position for position, check in enumerate(CHECKS)}
        self.rows.sort(key=lambda row: (severity_rank(row["severity"]), order[row["check"]]))
        return findings_frame(pd.DataFrame(self.rows, columns=[
            "subject", "check", "severity", "business", "technical", "source", *_EXTRA],
            dtype=object), extra=_EXTRA)


def _short(text: object, limit: int = 120) -> str:
    value = str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _is_home(key: str) -> bool:
    rest = key.split("://", 1)[-1]
    return "/" not in rest.rstrip("/") and "?" not in rest


def _sitemap_keys(sitemap_urls: object, origin: str | None) -> set[str] | None:
    if sitemap_urls is None:
        return None
    if isinstance(sitemap_urls, pd.DataFrame):
        column = next((c for c in sitemap_urls.columns if str(c).lower() in ("url", "loc",
                                                                              "address")), None)
        values = sitemap_urls[column].tolist() if column is not None else []
    elif isinstance(sitemap_urls, str):
        values = [sitemap_urls]
    else:
        values = list(sitemap_urls)  # type: ignore[call-overload]
    keys = {url_key(value, origin) for value in values}
    keys.discard(None)
    return keys  # type: ignore[return-value]


def audit_pages(
    pages: object,
    *,
    robots_txt: str | bytes | RobotsTxt | None = None,
    sitemap_urls: Iterable[str] | pd.DataFrame | None = None,
    user_agent: str = "Googlebot",
    title_max: int = TITLE_MAX,
) -> pd.DataFrame:
    """Audit ``pages``: one finding per problem (shared columns + ``page, where, value``).

    ``pages``: a list of :class:`~kit.seo.pages.Page` or mappings (``url, status, html[,
    headers]``), a DataFrame with those columns, a Screaming Frog-style crawl export
    (DataFrame or CSV path: ``Address, Status Code, Title 1, …``), a folder of ``.html``
    files, or a table from :func:`~kit.seo.pages.page_table`.  ``robots_txt`` is the
    site's robots.txt text (checked for ``user_agent`` with RFC 9309 rules);
    ``sitemap_urls`` the URLs the sitemap lists.

    The rules, one check each (severity in brackets):

    * ``unreadable`` [error]: a row without an http(s) URL or a numeric status.
      ``duplicate_url`` [warning]: a URL listed again; the later row is ignored.
    * ``status``: anything but 200 [error; warning for 3xx redirects].  Pages that do not
      answer 200 get no content checks: Google indexes none of their content.
    * ``empty_page`` [error]: a 200 with no HTML at all.  ``too_large`` [warning]: over
      15 MB (Googlebot reads no further).  ``encoding`` [warning]: bytes invalid in the
      declared charset.
    * ``title_missing`` [error]: no ``<title>`` or an empty one.  ``title_too_long``
      [warning]: over ``title_max`` characters.  ``title_duplicate`` [warning]: the same
      title (case and spaces ignored) on several indexable pages.
    * ``description_missing`` / ``description_duplicate`` [warning]: the same for
      ``<meta name="description">``.
    * ``h1_missing`` [warning]: no non-empty ``<h1>``; ``h1_multiple`` [info]: several.
    * ``canonical_missing`` [warning]: no ``rel=canonical`` in ``<head>`` (one in
      ``<body>`` is ignored by Google and said so).  ``canonical_elsewhere`` [warning]: it
      names another URL, so this page is declared a duplicate.  ``canonical_broken``
      [error]: it names a URL that is not an http(s) URL, or that answers non-200 in
      this crawl.  ``canonical_conflict`` [warning]: several different canonicals;
      Google ignores them all.
    * ``noindex`` [warning]: ``noindex`` or ``none`` for Googlebot in meta robots,
      meta googlebot or the ``X-Robots-Tag`` header.
    * ``robots_blocked`` [warning]: robots.txt disallows the URL for ``user_agent``
      [error when the page also says noindex: a blocked page's noindex is never read].
    * ``orphan`` [warning]: a 200 page (not the home page, not noindex, not
      canonicalised elsewhere) that no other 200 page of the crawl links to (a crawl
      export: ``Inlinks`` is 0); [info] when the sitemap lists it, since Google can then
      discover it.
    * ``meta_keywords`` [info]: a keywords meta tag, which Google does not use in web
      ranking (Google Webmaster Central blog, 21 Sep 2009): neither a fault nor a fix.
    * ``sitemap_not_indexable`` [warning]: the sitemap lists a crawled page that is not
      indexable (non-200, noindex, blocked or canonicalised elsewhere).
    """
    page_table = pages_of(pages)
    table = page_table.frame
    robots = parse_robots(robots_txt)
    found = _Findings()
    origin = next((k for k in table["key"] if isinstance(k, str)), None)
    in_sitemap = _sitemap_keys(sitemap_urls, origin)

    seen: dict[str, str] = {}
    row_of: dict[str, dict[str, Any]] = {}
    usable: list[dict[str, Any]] = []
    status_of: dict[str, int] = {}
    crawled_as: dict[str, str] = {}
    for row in table.to_dict("records"):
        url, key = row["url"], row["key"]
        row["status"] = None if pd.isna(row["status"]) else int(row["status"])
        if key is not None and key not in status_of and row["status"] is not None:
            status_of[key] = row["status"]  # every answered URL, pages or not: canonical targets
            crawled_as[key] = row["crawl_status"]
        if not row["is_html"] and row["crawl_status"] != "invalid":
            continue  # images, CSS, JS, PDFs: counted, never audited as pages
        if key is None or row["crawl_status"] == "invalid":
            reason = row["problem"] if row["crawl_status"] == "invalid" and row["problem"] else (
                f"{_short(url)!r} is not an http(s) URL" if key is None else "no status code")
            found.add("unreadable", row, value=_short(url), reason=reason)
            continue
        if key in seen:
            found.add("duplicate_url", row, value=key, key=key, first=seen[key])
            continue
        seen[key] = row["where"] or ""
        row_of[key] = row
        usable.append(row)

    ok = [row for row in usable if row["status"] == 200]
    crawl_blocked = {row["key"] for row in usable if row["crawl_status"] == "blocked_by_robots"}
    for row in usable:
        if row["status"] != 200 and row["key"] not in crawl_blocked:
            _status_finding(found, row)

    noindex = {row["key"] for row in ok if _has_noindex(row["robots"])}
    blocked: dict[str, object] = {
        row["key"]: decision for row in usable if robots is not None
        and (decision := robots.decide(row["key"], user_agent)) is not None
        and not decision.allow}
    for key in sorted(crawl_blocked - set(blocked)):
        blocked[key] = "(reported by the crawler)"
    canonical_other = {row["key"] for row in ok if isinstance(row["canonical"], str)
                       and row["canonical_count"] == 1 and row["canonical"] != row["key"]}
    indexable_keys = {row["key"] for row in ok} - noindex - canonical_other

    titles = Counter(_fold(row["title"]) for row in ok
                     if row["key"] in indexable_keys and row["title"])
    descriptions = Counter(_fold(row["description"]) for row in ok
                           if row["key"] in indexable_keys and row["description"])
    inlinks = _inlinks(table, ok)

    for row in ok:
        key = row["key"]
        if row["empty"]:
            found.add("empty_page", row)
            continue
        if row["truncated"]:
            found.add("too_large", row, value=row["size"], size=row["size"],
                      limit=GOOGLEBOT_MAX_BYTES)
        if row["encoding_problem"]:
            found.add("encoding", row, problem=row["encoding_problem"])
        _title_findings(found, row, titles, title_max, key in indexable_keys)
        _description_findings(found, row, descriptions, key in indexable_keys)
        _h1_findings(found, row)
        _canonical_findings(found, row, status_of)
        if key in noindex:
            found.add("noindex", row, value=row["robots"], robots=row["robots"])
        if row["keywords"] is not None:
            found.add("meta_keywords", row, value=_short(row["keywords"]))
        if (key in indexable_keys and not _is_home(key) and inlinks is not None
                and inlinks.get(key, 0) == 0):
            listed = in_sitemap is not None and key in in_sitemap
            found.add("orphan", row, "in_sitemap" if listed else "")

    for key, reason in blocked.items():
        variant = ("crawler" if isinstance(reason, str) else "rule") + (
            "_noindex" if key in noindex else "")
        found.add("robots_blocked", row_of[key], variant,
                  value=str(reason) if not isinstance(reason, str) else "blocked by robots.txt",
                  rule=reason, user_agent=user_agent)

    if in_sitemap is not None:
        for key in sorted(in_sitemap & set(status_of)):
            reasons = []
            if status_of[key] == 0 and key not in blocked:
                reasons.append("did not answer")
            elif status_of[key] not in (0, 200):
                reasons.append(f"answers {status_of[key]}")
            if key in noindex:
                reasons.append("says noindex")
            if key in blocked:
                reasons.append("is blocked by robots.txt")
            if key in canonical_other:
                reasons.append("names another URL as canonical")
            if reasons:
                found.add("sitemap_not_indexable", row_of[key], key=key,
                          reasons=" and ".join(reasons))
    return found.frame()


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _has_noindex(robots: str) -> bool:
    return any(part.strip() in ("noindex", "none") for part in (robots or "").split(","))


def _inlinks(table: pd.DataFrame, ok: list[dict[str, Any]]) -> dict[str, int] | None:
    """Internal links into each page from *other* 200 pages; None when unknown."""
    if any(row["links"] is not None for row in ok):
        counts: dict[str, int] = defaultdict(int)
        for row in ok:
            for target in row["links"] or ():
                if target != row["key"]:
                    counts[target] += 1
        return counts
    if any(row["inlinks"] is not None for row in ok):
        return {row["key"]: int(row["inlinks"] or 0) for row in ok}
    return None


def _status_finding(found: _Findings, row: dict[str, Any]) -> None:
    status = int(row["status"])
    if 300 <= status < 400:
        found.add("status", row, "redirect", value=status, status=status)
    elif status == 0:
        timeout = row.get("crawl_status") == "timeout"
        found.add("status", row, "timeout" if timeout else "no_response", value=status)
    else:
        kind = ("server error" if status >= 500 else "client error" if status >= 400
                else "not a plain 200 OK")
        found.add("status", row, "error" if status >= 400 else "not_ok", value=status,
                  status=status, kind=kind)


def _title_findings(found: _Findings, row: dict[str, Any], titles: Counter[str],
                    title_max: int, indexable: bool) -> None:
    title = row["title"]
    if not title:
        found.add("title_missing", row)
        return
    if len(title) > title_max:
        found.add("title_too_long", row, value=title, length=len(title), limit=title_max)
    if indexable and titles.get(_fold(title), 0) > 1:
        found.add("title_duplicate", row, value=title, pages=titles[_fold(title)])


def _description_findings(found: _Findings, row: dict[str, Any], descriptions: Counter[str],
                          indexable: bool) -> None:
    description = row["description"]
    if not description:
        found.add("description_missing", row)
        return
    if indexable and descriptions.get(_fold(description), 0) > 1:
        found.add("description_duplicate", row, value=_short(description),
                  pages=descriptions[_fold(description)])


def _h1_findings(found: _Findings, row: dict[str, Any]) -> None:
    if row["h1_count"] == 0:
        found.add("h1_missing", row)
    elif row["h1_count"] > 1:
        found.add("h1_multiple", row, value=row["h1"], count=row["h1_count"])


def _canonical_findings(found: _Findings, row: dict[str, Any], status_of: dict[str, int]
                        ) -> None:
    key = row["key"]
    canonical = row["canonical"]
    if canonical is None:
        found.add("canonical_missing", row, "in_body" if row["canonical_in_body"] else "")
        return
    if row["canonical_count"] > 1:
        found.add("canonical_conflict", row, value=canonical, count=row["canonical_count"])
        return
    target = url_key(canonical)
    if target is None:
        found.add("canonical_broken", row, "not_url", value=_short(canonical),
                  canonical=_short(canonical))
        return
    if target != key and status_of.get(target, 200) not in (0, 200):
        found.add("canonical_broken", row, "target_not_ok", value=target, target=target,
                  status=status_of[target])
        return
    if target != key:
        found.add("canonical_elsewhere", row, value=target, target=target)


def page_scores(pages: object, findings: pd.DataFrame | None = None, **audit: Any
                ) -> pd.DataFrame:
    """One row per readable page: ``url, key, status, indexable, well_described, why_not``.

    ``indexable``: none of :data:`BLOCKS_INDEXING` (an orphan listed in the sitemap counts
    as discoverable).  ``well_described``: indexable and none of :data:`BLOCKS_DESCRIBED`.
    ``why_not`` names the checks that stand in the way.  ``findings`` defaults to
    ``audit_pages(pages, **audit)``.
    """
    page_table = pages_of(pages)
    table = page_table.frame
    if findings is None:
        findings = audit_pages(page_table, **audit)
    blocking: dict[str, list[str]] = defaultdict(list)
    for page, check, severity in zip(findings["page"], findings["check"],
                                     findings["severity"].astype(str), strict=True):
        if not isinstance(page, str):
            continue
        discoverable_orphan = check == "orphan" and severity == "info"
        if (check in BLOCKS_INDEXING and not discoverable_orphan) or check in BLOCKS_DESCRIBED:
            blocking[page].append(check)
    rows = []
    seen: set[str] = set()
    html = table[table["is_html"] & (table["crawl_status"] != "invalid")]
    for url, key, status in zip(html["url"], html["key"], html["status"], strict=True):
        if key is None or key in seen or pd.isna(status):
            continue
        seen.add(key)
        checks = list(dict.fromkeys(blocking.get(key, [])))
        indexable = bool(status == 200) and not any(c in BLOCKS_INDEXING for c in checks)
        described = indexable and not any(c in BLOCKS_DESCRIBED for c in checks)
        rows.append({"url": url, "key": key, "status": int(status), "indexable": indexable,
                     "well_described": described, "why_not": ", ".join(checks)})
    return pd.DataFrame(rows, columns=["url", "key", "status", "indexable", "well_described",
                                       "why_not"])
