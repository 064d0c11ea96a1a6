"""Duplicates as findings: what each costs (Marketing) and what to change (IT), with sources.

The fixes follow Google Search Central: a permanent (301) redirect when the duplicate
URL need not exist, ``rel="canonical"`` when it must keep working (print versions,
tracking links, sort orders), and clean internal links and sitemaps that use only the
canonical URL ("What is URL canonicalization"; "How to specify a canonical URL with
rel="canonical" and other methods").  Two questions are kept apart.  To choose the
canonical, do not use robots.txt or ``noindex``: Google advises against both for
canonicalisation, and a URL blocked in robots.txt cannot show its canonical.  To keep
crawlers off filter (facet) and sort URLs nobody needs indexed, do use robots.txt: that is
Google's advice for faceted navigation ("Managing crawling of faceted navigation URLs",
rewritten December 2024), and a canonical saves no crawling.  Parameters must be handled on
the site itself: Search Console's URL Parameters tool was retired in 2022.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from kit.duplicates.canonical import canonical_key
from kit.duplicates.normalize import reason_text, url_differences
from kit.findings import findings_frame
from kit.sources import cite

if TYPE_CHECKING:
    from kit.duplicates.pages import Pages

__all__ = [
    "DUPLICATE_CHECKS",
    "SRC_CANONICALIZATION",
    "SRC_FACETED",
    "SRC_HOW_TO",
    "SRC_PARAMETERS_TOOL",
    "SRC_SLASH",
    "report_findings",
]

SRC_CANONICALIZATION = cite("google-canonicalization")
SRC_HOW_TO = cite("google-canonical-how-link")
SRC_FACETED = cite("google-faceted")
SRC_SLASH = cite("google-slash")
SRC_PARAMETERS_TOOL = cite("google-parameters-tool")
SRC_SHINGLES = cite("broder-1997")
SRC_SOFT_404 = cite("google-soft-404")
SRC_URLS = cite("rfc3986")

DUPLICATE_CHECKS: dict[str, str] = {
    "url_variant": "another URL of the same page (protocol, host, slash, case or parameters)",
    "exact_duplicate": "the same text at another URL",
    "near_duplicate": "nearly the same text at another URL",
    "canonical_conflict": "the page's rel=canonical points elsewhere than the cluster's best URL",
    "empty_page": "no text to compare: an empty or unreadable page",
    "invalid_url": "the URL cell is not a URL",
    "page_problem": "something in the row could not be read as given",
    "repeated_url": "the same URL is listed twice",
}

_NOT_ROBOTS = ("Do not use robots.txt or noindex to choose the canonical: Google advises "
               "against both for canonicalisation.")
_REDIRECTABLE = {"protocol", "host", "trailing_slash", "path_case", "index_file"}


def _variant_fix(url: str, canonical: str, reasons: list[str]) -> tuple[str, str]:
    """(business, technical) for a URL that differs from the canonical only by URL rules."""
    said = reason_text(reasons) or "its URL form"
    if reasons and set(reasons) <= _REDIRECTABLE:
        return (
            f"One page, two addresses (they differ only by {said}). Links and shares are split "
            f"between them and search may show the address you do not promote.",
            f"301-redirect {url} to {canonical} on the server (one hop), and use {canonical} in "
            f"internal links, rel=canonical and the sitemap. {_NOT_ROBOTS}",
        )
    parts = []
    if "tracking" in reasons:
        parts.append("keep the tracking parameters working for analytics, but never put them on "
                     "internal links; the page's rel=canonical must name the URL without them")
    if "session_id" in reasons:
        parts.append("keep session ids in cookies, not in URLs; redirect (301) URLs that carry "
                     "one to the clean URL")
    if "parameters" in reasons:
        parts.append("sort, view and print variants keep working but declare "
                     f'<link rel="canonical" href="{canonical}">; filter and sort views '
                     "nobody needs in search can instead be kept away from crawlers with a "
                     "robots.txt disallow (then their canonical is never read)")
    if "parameter_order" in reasons:
        parts.append("build links with the parameters in one fixed order")
    redirect = [r for r in reasons if r in _REDIRECTABLE]
    if redirect:
        parts.append(f"redirect (301) the {reason_text(redirect)} difference")
    technical = (f"On {url}: " + "; ".join(parts or ['declare <link rel="canonical" href="'
                                                      f'{canonical}">'])
                 + f". Link internally to {canonical} only. Search Console's URL Parameters "
                 f"tool was retired in 2022, so parameters are handled on the site. {_NOT_ROBOTS}")
    business = (f"One page, several addresses (they differ by {said}). Every variant that "
                "search engines crawl costs crawl time and splits the page's signals; campaign "
                "links can even appear in search results.")
    return business, technical


def _copy_fix(url: str, canonical: str, similarity: float, threshold: float,
              exact: bool) -> tuple[str, str]:
    share = "the same text" if exact else f"{similarity:.0%} of its wording (3-word phrases)"
    via = "" if exact or similarity >= threshold else (
        " It resembles another page of the group more than the canonical; review the group.")
    business = (f"This page shows {share} as {canonical}. Search engines pick one of the two to "
                "show and may pick the wrong one; the other wastes crawl time and splits links."
                + via)
    technical = (f"If {url} need not exist, 301-redirect it to {canonical}. If it must (print "
                 "version, product listed in two categories), add "
                 f'<link rel="canonical" href="{canonical}"> to its <head>. Link internally to '
                 f"{canonical} only and list only it in the sitemap (a weak signal on its own). "
                 f"{_NOT_ROBOTS}")
    return business, technical


def report_findings(clusters: pd.DataFrame, loaded: Pages, *, threshold: float) -> pd.DataFrame:
    """Findings for the ``clusters`` of the pages ``loaded`` (what
    :attr:`kit.duplicates.DuplicateReport.findings` gives), found at ``threshold``."""
    pages = loaded.frame.set_index("url", drop=False)
    origin = loaded.origin
    rows: list[dict[str, Any]] = []
    where = dict(zip(loaded.frame["url"], loaded.frame["where"], strict=True))
    declared = dict(zip(loaded.frame["url"], loaded.frame["canonical"], strict=True))
    for row in clusters.itertuples(index=False):
        base = {"cluster": row.cluster, "canonical": row.canonical, "similarity": row.similarity,
                "where": where.get(row.url)}
        subject = row.url if row.url is not None else f"({where.get(row.url, 'row')})"
        if row.kind in ("url_variant", "exact", "near"):
            status = row.status
            handled = declared.get(row.url) is not None and canonical_key(
                str(declared[row.url]), origin) == canonical_key(str(row.canonical), origin)
            redirected = isinstance(status, int) and 300 <= status < 400
            if row.kind == "url_variant":
                reasons = url_differences(str(row.url), str(row.canonical))
                business, technical = _variant_fix(row.url, row.canonical, reasons)
                check = "url_variant"
                source = f"{SRC_CANONICALIZATION}; {SRC_HOW_TO}"
                if "trailing_slash" in reasons or "path_case" in reasons:
                    source += f"; {SRC_SLASH}"
                if {"tracking", "session_id", "parameters", "parameter_order"} & set(reasons):
                    source += f"; {SRC_PARAMETERS_TOOL}"
                if "parameters" in reasons:
                    source += f"; {SRC_FACETED}"
            else:
                exact = row.kind == "exact"
                business, technical = _copy_fix(row.url, row.canonical, float(row.similarity),
                                                threshold, exact)
                check = "exact_duplicate" if exact else "near_duplicate"
                source = f"{SRC_CANONICALIZATION}; {SRC_HOW_TO}; {SRC_SHINGLES}"
            severity = "warning"
            if handled or redirected:
                severity = "info"
                technical = ("Already handled: " + (
                    f"it redirects ({status}); make sure it goes to {row.canonical} in one hop."
                    if redirected else f"it declares rel=canonical to {row.canonical}. Keep "
                    "internal links and the sitemap on the canonical too."))
            rows.append({"subject": subject, "check": check, "severity": severity,
                         "business": business, "technical": technical, "source": source,
                         **base})
        target = declared.get(row.url) if row.url is not None else None
        if (row.size > 1 and target is not None
                and canonical_key(str(target), origin)
                != canonical_key(str(row.canonical), origin)):
            in_site = canonical_key(str(target), origin) in {
                canonical_key(str(u), origin) for u in pages.index if u is not None}
            rows.append({
                "subject": subject, "check": "canonical_conflict", "severity": "warning",
                "business": "This page tells search engines that a different address is the "
                            "original than the one its duplicates should share, so their "
                            "signals do not add up on one address.",
                "technical": f"{row.url} declares rel=canonical {target}"
                             + ("" if in_site else " (not among the crawled pages)")
                             + f"; the group's best URL is {row.canonical}. Make every member "
                               "declare the same canonical.",
                "source": SRC_HOW_TO, **base,
            })
        problem = row.problem if isinstance(row.problem, str) else ""
        if "not a URL" in problem or "url cell is empty" in problem:
            rows.append({
                "subject": subject, "check": "invalid_url", "severity": "error",
                "business": "This row has no usable web address, so nobody can tell which page it "
                            "is or send visitors to it.",
                "technical": f"{where.get(row.url)}: {problem}. Fix the cell: an absolute URL "
                             "(https://example.com/page) or a path starting with /.",
                "source": SRC_URLS, **base,
            })
        elif any(word in problem for word in ("empty", "no text", "no visible text",
                                              "could not be parsed", "no HTML")):
            rows.append({
                "subject": subject, "check": "empty_page", "severity": "warning",
                "business": "This page shows no text. Search engines may treat it as thin or as "
                            "an error page, and it cannot be checked for duplicates.",
                "technical": f"{where.get(row.url)}: {problem}. Check that the page renders "
                             "its content in the HTML (not only by JavaScript), or that the "
                             "export holds the text.",
                "source": SRC_SOFT_404, **base,
            })
        elif problem:
            rows.append({
                "subject": subject, "check": "page_problem", "severity": "info",
                "business": "Part of this row could not be read as given; the result for this "
                            "page may be less reliable.",
                "technical": f"{where.get(row.url)}: {problem}.",
                "source": "the page list", **base,
            })
    for url, at, first in loaded.repeats:
        rows.append({
            "subject": url, "check": "repeated_url", "severity": "info",
            "business": "The same address is listed twice; it was counted once.",
            "technical": f"{at}: repeats {first}; the first row was used. Remove duplicates from "
                         "the export.",
            "source": "the page list", "cluster": None, "canonical": None, "similarity": None,
            "where": at,
        })
    return findings_frame(rows, extra=("cluster", "canonical", "similarity", "where"))
