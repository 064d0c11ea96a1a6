"""Ready-made acceptance criteria, one small family per module, so a brief needs no code.

Each function returns a :class:`~kit.brief.model.Criterion` whose check calls the kit's
real tool (``audit_map``, ``audit_pages``, ``find_duplicates``, ``lint_utm``,
``capacity_table``, ``plan_launch``).  Keyword arguments name the entries of the data
dict the check reads, so one brief can be run against "what IT delivered" and against
"what we agreed" without change.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from kit.brief.model import Criterion, Data
from kit.errors import InputError
from kit.findings import findings_frame

__all__ = [
    "CRITERIA",
    "catalogue",
    "duplicates_have_canonical",
    "it_joins_in_time",
    "old_urls_redirected",
    "pages_answer_200",
    "pages_described",
    "paid_links_tagged",
    "ranking_pages_indexable",
    "redirects_one_hop",
    "redirects_permanent",
    "site_copes_with_spike",
]

_MAPPING_CHECKS = ("loop", "self_redirect", "too_many_hops", "broken_target", "homepage_dump",
                   "chain")


def _findings(frame: pd.DataFrame, checks: Iterable[str]) -> pd.DataFrame:
    wanted = set(checks)
    return frame[frame["check"].astype(str).isin(wanted)].reset_index(drop=True)


# --- module 01: redirects -------------------------------------------------------------------


def redirects_one_hop(*, redirects: str = "redirects", new_urls: str = "new_urls",
                      homepage: str = "/") -> Criterion:
    """Every redirect reaches a page that exists on the new site in one hop, not the homepage.

    Fails on ``audit_map`` findings ``chain``, ``loop``, ``too_many_hops``,
    ``self_redirect``, ``homepage_dump`` and ``broken_target`` (the latter only when the
    data has ``new_urls``).
    """
    from kit.redirects import audit_map

    def check(data: Data) -> pd.DataFrame:
        found = audit_map(data[redirects], new_urls=data.get(new_urls), homepage=homepage)
        return _findings(found, _MAPPING_CHECKS)

    return Criterion(
        name="redirects_one_hop",
        marketing="Every old page sends its visitors straight to the new page with the same "
                  "content, never to the homepage, so its rankings and links carry over.",
        it="audit_map(redirects, new_urls) reports no chain, loop, too_many_hops, self_redirect, "
           "homepage_dump or broken_target: one hop to an existing, matching URL.",
        check=check, needs=(redirects,),
        source="Google Search Central, 'Redirects and Google Search' and 'Site moves with URL "
               "changes'; RFC 9110 §15.4")


def redirects_permanent(*, redirects: str = "redirects") -> Criterion:
    """Every redirect is permanent (301 or 308): fails on ``audit_map``'s ``temporary``."""
    from kit.redirects import audit_map

    def check(data: Data) -> pd.DataFrame:
        return _findings(audit_map(data[redirects]), ("temporary",))

    return Criterion(
        name="redirects_permanent",
        marketing="Search engines are told each move is for good, so the new page takes the old "
                  "page's place in results.",
        it="Every redirect answers 301 or 308 (permanent), none 302, 303 or 307.",
        check=check, needs=(redirects,),
        source="RFC 9110 §15.4.2, §15.4.9; Google Search Central, 'Redirects and Google Search'")


def old_urls_redirected(*, old_urls: str = "old_urls", redirects: str = "redirects") -> Criterion:
    """Every old URL that had traffic has a rule: a 301/308 redirect, or 404/410 when retired."""
    from kit.redirects import load_redirects

    def check(data: Data) -> pd.DataFrame:
        rmap = load_redirects(data[redirects])
        olds = data[old_urls]
        if isinstance(olds, pd.DataFrame):
            if "url" not in olds.columns:
                raise InputError(f"{old_urls}: the table has no 'url' column "
                                 f"(it has {list(olds.columns)}).")
            olds = olds["url"]
        if isinstance(olds, str):
            raise InputError(f"{old_urls} is one string; give a list of URLs.")
        covered = set(rmap.frame["source_key"])
        rows = [{"subject": str(url), "check": "unmapped", "severity": "error",
                 "business": "Visitors and links to this old page hit a 'not found' page: its "
                             "traffic and rankings are lost.",
                 "technical": "Add a row for it: 301 to its new URL, or 410 if it is retired "
                              "on purpose.",
                 "source": "Google Search Central, 'Site moves with URL changes' (1:1 mapping)"}
                for url in olds if rmap.key(str(url)) not in covered]
        return findings_frame(rows)

    return Criterion(
        name="old_urls_redirected",
        marketing="Every old page that still gets visitors has been given a destination (or is "
                  "retired on purpose).",
        it="Every URL in the old-URL list appears as a source in the redirect map (301/308, or "
           "404/410 when retired).",
        check=check, needs=(old_urls, redirects),
        source="Google Search Central, 'Site moves with URL changes'")


# --- module 02: seo -------------------------------------------------------------------------


def _page_records(data: Data, key: str) -> Any:
    """``data[key]`` as page records (a list or a table), never a path: a brief is checked
    against the case's data, and a text such as "" would otherwise be read as a folder."""
    value = data[key]
    if isinstance(value, str | Path):
        raise InputError(f"{key!r} is the text {str(value)[:40]!r}; give the pages themselves "
                         "(a list of url/status/html records or a table), not a path.")
    return value


def _audit(data: Data, pages: str, robots_txt: str) -> pd.DataFrame:
    from kit.seo import audit_pages

    return audit_pages(_page_records(data, pages), robots_txt=data.get(robots_txt))


def ranking_pages_indexable(*, pages: str = "pages", robots_txt: str = "robots_txt") -> Criterion:
    """No page meant to rank carries noindex or is blocked by robots.txt (``audit_pages``)."""

    def check(data: Data) -> pd.DataFrame:
        return _findings(_audit(data, pages, robots_txt), ("noindex", "robots_blocked"))

    return Criterion(
        name="ranking_pages_indexable",
        marketing="Every page we want found in Google is allowed into Google's index.",
        it="audit_pages reports no noindex (meta robots, googlebot or X-Robots-Tag) and no "
           "robots_blocked for the pages meant to rank.",
        check=check, needs=(pages,),
        source="Google Search Central, 'Block Search indexing with noindex'; RFC 9309")


def pages_described(*, pages: str = "pages", robots_txt: str = "robots_txt") -> Criterion:
    """Every page has its own title and meta description (``audit_pages``)."""

    def check(data: Data) -> pd.DataFrame:
        return _findings(_audit(data, pages, robots_txt),
                         ("title_missing", "title_duplicate", "description_missing",
                          "description_duplicate"))

    return Criterion(
        name="pages_described",
        marketing="Every page shows its own title and summary in search results, so people can "
                  "tell our pages apart and click.",
        it="audit_pages reports no title_missing, title_duplicate, description_missing or "
           "description_duplicate.",
        check=check, needs=(pages,),
        source="Google Search Central, 'Influencing your title links' and 'Control your snippets'")


def pages_answer_200(*, pages: str = "pages", robots_txt: str = "robots_txt") -> Criterion:
    """Every listed page answers 200 with content (``audit_pages``: status, empty, unreadable)."""

    def check(data: Data) -> pd.DataFrame:
        return _findings(_audit(data, pages, robots_txt), ("status", "empty_page", "unreadable"))

    return Criterion(
        name="pages_answer_200",
        marketing="Every page we list actually opens for visitors and for Google.",
        it="Every page answers HTTP 200 with an HTML body: audit_pages reports no status, "
           "empty_page or unreadable.",
        check=check, needs=(pages,),
        source="RFC 9110 §15; Google Search Central, 'HTTP status codes, network and DNS errors'")


# --- module 03: duplicates ------------------------------------------------------------------


def duplicates_have_canonical(*, pages: str = "duplicate_pages", policy: str = "typical",
                              threshold: float = 0.8) -> Criterion:
    """Every duplicate URL declares its cluster's canonical with ``rel=canonical``.

    ``find_duplicates`` clusters the pages; each duplicate (not the canonical) whose
    declared canonical is missing or names another URL fails, with the module's own
    finding (what it costs, what to change).
    """
    from kit.duplicates import find_duplicates
    from kit.duplicates.canonical import canonical_key

    def check(data: Data) -> pd.DataFrame:
        report = find_duplicates(_page_records(data, pages), threshold=threshold, policy=policy)
        frame = report.pages.frame.set_index("url")
        origin = report.pages.origin
        duplicates = report.duplicates()
        bad = []
        for url, canonical in zip(duplicates["url"], duplicates["canonical"], strict=True):
            if url == canonical or url not in frame.index:
                continue
            declared = frame.at[url, "canonical"]
            if declared is None or pd.isna(declared) or canonical_key(
                    str(declared), origin) != canonical_key(str(canonical), origin):
                bad.append(url)
        found = report.findings
        return found[found["subject"].isin(bad)].reset_index(drop=True)

    return Criterion(
        name="duplicates_have_canonical",
        marketing="Every page that exists at several addresses tells Google which address is "
                  "the real one, so ranking signals are not split between copies.",
        it="For every cluster find_duplicates reports, each duplicate URL carries rel=canonical "
           "to the cluster's canonical URL.",
        check=check, needs=(pages,),
        source="Google Search Central, 'What is URL canonicalization' and 'How to specify a "
               "canonical URL'")


# --- module 04: tracking --------------------------------------------------------------------

PAID_CHANNELS = ("Paid Search", "Paid Social")


def paid_links_tagged(*, links: str = "links",
                      channels: Iterable[str] = PAID_CHANNELS) -> Criterion:
    """Every campaign link is tagged without errors and lands in one of ``channels``."""
    from kit.tracking import default_channel, lint_utm, parse_utm

    allowed = tuple(channels)

    def check(data: Data) -> pd.DataFrame:
        given = data[links]
        frame = given if isinstance(given, pd.DataFrame) else pd.DataFrame({"url": list(given)})
        found = lint_utm(frame)
        errors = found[found["severity"].astype(str) == "error"]
        rows = []
        flagged = set(errors["subject"])
        for url in frame["url"] if "url" in frame.columns else []:
            if url in flagged:
                continue
            try:
                utm = parse_utm(str(url))
            except InputError:
                continue  # lint_utm has reported it already
            channel = default_channel(utm.get("utm_source"), utm.get("utm_medium"),
                                      utm.get("utm_campaign"))
            if channel not in allowed:
                rows.append({
                    "subject": str(url), "check": "not_a_paid_channel", "severity": "error",
                    "business": f"Clicks on this link show up as {channel}, not as "
                                f"{' or '.join(allowed)}: the campaign looks smaller than it is.",
                    "technical": f"utm_source={utm.get('utm_source')!r}, utm_medium="
                                 f"{utm.get('utm_medium')!r} fall in GA4's {channel}; use a paid "
                                 "medium such as cpc or paid_social.",
                    "source": "GA4 help 9756891 (default channel group)"})
        return findings_frame([*errors.to_dict("records"), *rows])

    return Criterion(
        name="paid_links_tagged",
        marketing=f"Every paid link is tagged, so its clicks show up in the report as "
                  f"{' or '.join(allowed)}, and the campaign's cost can be compared with them.",
        it=f"lint_utm reports no errors for the campaign links, and each link's utm_source / "
           f"utm_medium maps to {', '.join(allowed)} in GA4's default channel group.",
        check=check, needs=(links,),
        source="GA4 help 10917952 (UTM parameters) and 9756891 (default channel group)")


# --- module 05: launch ----------------------------------------------------------------------


def site_copes_with_spike(*, campaign: str = "campaign", site: str = "site",
                          max_lost_share: float = 0.001) -> Criterion:
    """The site serves the campaign's planned spike: no overloaded minute, few visitors lost."""
    from kit.launch import Campaign, Site, capacity_table, servers_needed

    def check(data: Data) -> pd.DataFrame:
        plan, where = data[campaign], data[site]
        if not isinstance(plan, Campaign) or not isinstance(where, Site):
            raise InputError(f"{campaign!r} must be a kit.launch.Campaign and {site!r} a "
                             f"kit.launch.Site; got {type(plan).__name__} and "
                             f"{type(where).__name__}.")
        s = capacity_table(plan, where).summary
        if s["overloaded_minutes"] == 0 and s["lost_share"] <= max_lost_share:
            return findings_frame([])
        need = servers_needed(plan, where, max_lost_share=max_lost_share)
        return findings_frame([{
            "subject": "the campaign's spike", "check": "capacity", "severity": "error",
            "business": f"{s['visitors_lost']:,} of {s['visitors']:,} visitors "
                        f"({s['lost_share']:.1%}) get errors or time out when the post takes off.",
            "technical": f"Peak load {s['peak_utilisation']:.0%} of capacity, "
                         f"{s['overloaded_minutes']} overloaded minutes with {where.servers} "
                         f"servers; {need} servers (or more caching) are needed.",
            "source": "M/M/c (Erlang C) queueing model, kit.launch.capacity"}])

    return Criterion(
        name="site_copes_with_spike",
        marketing="The landing page stays up when the campaign goes viral: at most "
                  f"{max_lost_share:.1%} of visitors are turned away at the peak.",
        it=f"capacity_table(campaign, site): no overloaded minute and lost_share <= "
           f"{max_lost_share} at the planned spike.",
        check=check, needs=(campaign, site),
        source="Queueing theory (M/M/c); kit.launch.capacity assumptions")


def it_joins_in_time(*, it_joins: str = "it_joins", launch_day: int = 42) -> Criterion:
    """With IT joining when the data says, every launch task is done at full length on time."""
    from kit.launch import plan_launch

    def check(data: Data) -> pd.DataFrame:
        plan = plan_launch(launch_day=launch_day, it_joins=data[it_joins])
        if plan.delay_days == 0:
            return findings_frame([])
        found = plan.findings
        return found if not found.empty else findings_frame([{
            "subject": "launch plan", "check": "late", "severity": "error",
            "business": f"The full campaign is {plan.delay_days} days late.",
            "technical": "IT's tasks cannot finish at full length before launch day.",
            "source": "kit.launch.readiness (critical path)"}])

    return Criterion(
        name="it_joins_in_time",
        marketing="IT is in the plan early enough that nothing has to be rushed or dropped "
                  "before launch day.",
        it=f"plan_launch(launch_day={launch_day}, it_joins=...) has delay_days == 0: every "
           "task, IT's included, done at full length.",
        check=check, needs=(it_joins,),
        source="'Companies urged to align marketing and IT departments' (seed 003): involve IT "
               "from the start; critical path of the launch tasks")


CRITERIA: dict[str, Any] = {
    "01-redirects": (old_urls_redirected, redirects_one_hop, redirects_permanent),
    "02-seo": (pages_answer_200, ranking_pages_indexable, pages_described),
    "03-duplicates": (duplicates_have_canonical,),
    "04-tracking": (paid_links_tagged,),
    "05-launch": (site_copes_with_spike, it_joins_in_time),
}
"""The ready-made criteria by module, for browsing in a notebook."""


def catalogue() -> pd.DataFrame:
    """Every ready-made criterion: module, the function to call, and what each side reads."""
    rows = []
    for module, makers in CRITERIA.items():
        for make in makers:
            made = make()
            rows.append({"module": module, "call": f"{make.__name__}()",
                         "Marketing reads": made.marketing, "IT reads": made.it,
                         "data it needs": ", ".join(made.needs)})
    return pd.DataFrame(rows)
