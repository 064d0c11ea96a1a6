"""Check a campaign's tagging sheet before the money is spent: :func:`lint_utm`.

Each problem is a finding in the kit's shared shape (``kit.findings``): what it costs in
Marketing's words, what to change in IT's words, and the rule's source.  The checks:

===================== ======== =========================================================
check                 severity what it catches
===================== ======== =========================================================
not_a_url             error    the row is not a full http(s) address
untagged              error    no utm_* and no gclid: the click shows up as referral,
                               organic or direct
missing_parameter     error    utm_source, utm_medium or utm_campaign missing or empty
unknown_parameter     warning  a utm_* name GA4 does not read (a typo such as utm_campain)
inconsistent_value    warning  one campaign spells a value two ways (Email / email /
                               e-mail): the report splits it into several rows
unintended_channel    warning  the link lands in another channel than the sheet intends,
                               in Unassigned, or in Paid Other because GA4 does not know
                               the source
organic_medium_on_ad  warning  a paid ad (``placement`` ads/paid/ppc) tagged with an organic
                               medium such as ``social``: GA4 reports its clicks as Organic
                               Social, free traffic; ``info`` when the sheet does not say
                               whether the link is an ad (right for an organic post)
internal_link         error    UTM on a link to the site itself: credits its sales to the
                               internal campaign
gclid_and_utm         warning  Google Ads auto-tagging and manual UTM on one link
spaces                warning  spaces in a value ("spring sale" and "spring_sale" are two
                               rows; a raw space breaks the link)
unencoded_characters  warning  characters that must be percent-encoded, or a bad %-escape
===================== ======== =========================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import parse_qsl

import pandas as pd

from kit.errors import InputError
from kit.findings import findings_frame
from kit.sources import cite
from kit.tables import Table, read_table, rename_columns
from kit.tracking.categories import SourceCategories
from kit.tracking.channels import CHANNELS, SOURCE_CHANNELS, default_channel
from kit.tracking.utm import REQUIRED_PARAMETERS, SOURCE_UTM, UTM_PARAMETERS
from kit.urls import host_of, query_of

__all__ = ["LINT_CHECKS", "lint_utm"]

LINT_CHECKS: tuple[str, ...] = (
    "not_a_url", "untagged", "missing_parameter", "unknown_parameter", "inconsistent_value",
    "unintended_channel", "organic_medium_on_ad", "internal_link", "gclid_and_utm", "spaces",
    "unencoded_characters",
)
_PAID_PLACEMENTS = frozenset({"ad", "ads", "advert", "advertising", "paid", "ppc", "cpc",
                              "sponsored", "paid social", "paid_social", "paid search"})
_SOURCE_INTERNAL = cite("ga4-internal-tags")
_SOURCE_GCLID = cite("ads-auto-tagging")
_BAD_CHARS = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f]|[^\x00-\x7f]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_WEB = ("http://", "https://")
_ALIASES = {"url": ("link", "landing_url", "final_url", "address"),
            "intended_channel": ("intended", "channel", "expected_channel")}


def _key(value: str) -> str:
    """The spelling-blind key of a value: lowercase letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", value.lower())


def _rows(urls_or_frame: Iterable[str] | pd.DataFrame | str | Path) -> tuple[Table, list[str]]:
    if isinstance(urls_or_frame, pd.DataFrame | str | Path):
        table = read_table(urls_or_frame, what="tagging sheet")
        rename_columns(table, _ALIASES, required=["url"], what="tagging sheet")
    else:
        urls = list(urls_or_frame)
        table = Table(pd.DataFrame({"url": pd.Series(urls, dtype=object)}), "links",
                      from_file=False)
    table.frame = table.frame.reset_index(drop=True) if table.from_file else table.frame
    return table, ["" if pd.isna(v) else str(v) for v in table.frame["url"]]


def _site_host(site: str | None) -> str | None:
    if not site:
        return None
    return host_of(site, strip_www=True)


def lint_utm(urls_or_frame: Iterable[str] | pd.DataFrame | str | Path, *,
             site: str | None = None,
             categories: SourceCategories | None = None) -> pd.DataFrame:
    """Findings for a list of campaign links, a DataFrame or a CSV with a ``url`` column.

    An ``intended_channel`` column (GA4 channel names) lets the check compare where each
    link will land with where the sheet means it to.  ``site`` is the site's own host
    (``www.example.com``): tagged links to it from the site itself are internal links;
    give it only for sheets of internal links, or the ``placement`` column ``internal``.
    A ``placement`` of ``ads`` (or ``paid``, ``ppc``, ``sponsored``) marks a paid ad: an
    organic medium on it is a warning; with no placement it is an ``info`` finding.
    ``categories`` replaces the kit's excerpt of Google's site lists for the channel check.
    Extra columns of the findings: ``where`` (file line or row), ``campaign``, ``channel``.
    """
    table, urls = _rows(urls_or_frame)
    frame = table.frame
    intended = frame["intended_channel"].tolist() if "intended_channel" in frame.columns else None
    placement = frame["placement"].tolist() if "placement" in frame.columns else None
    if intended is not None:
        unknown = sorted({str(v) for v in intended if isinstance(v, str) and v.strip()
                          and v.strip() not in CHANNELS})
        if unknown:
            raise InputError(f"{table.name}: intended_channel {unknown} is not a GA4 channel.",
                             hint="Use GA4's names exactly: " + ", ".join(CHANNELS) + ".")
    own = _site_host(site)
    rows: list[dict[str, object]] = []
    seen: list[tuple[int, str, dict[str, str]]] = []

    def add(position: int, url: str, check: str, severity: str, business: str,
            technical: str, source: str, campaign: str = "", channel: str = "") -> None:
        rows.append({"subject": url, "check": check, "severity": severity,
                     "business": business, "technical": technical, "source": source,
                     "where": table.where(position), "campaign": campaign, "channel": channel})

    for position, url in enumerate(urls):
        text = url.strip()
        host = host_of(text, strip_www=True) if text.lower().startswith(_WEB) else ""
        query = query_of(text)
        if not host:
            add(position, url or "(empty)", "not_a_url", "error",
                "This link cannot be clicked, so the campaign sends nobody here.",
                "Give the full address with scheme and host, e.g. https://www.example.com/offer.",
                "RFC 3986 §3 (URI syntax)")
            continue
        pairs = parse_qsl(query, keep_blank_values=True)
        params: dict[str, str] = {}
        for name, value in pairs:
            params.setdefault(name.lower(), value)
        utm = {k: v for k, v in params.items() if k.startswith("utm_")}
        campaign = utm.get("utm_campaign", "")
        if _BAD_CHARS.search(query) or _BAD_PERCENT.search(query):
            add(position, url, "unencoded_characters", "warning",
                "Some e-mail tools and ad platforms cut the link at a raw space or odd "
                "character, and the campaign's tags are lost.",
                "Percent-encode the query values (space → %20, & inside a value → %26); "
                "build links with kit.tracking.build_utm.", "RFC 3986 §2.1, §3.4", campaign)
        if not utm and "gclid" not in params:
            add(position, url, "untagged", "error",
                "Clicks on this link are reported as Referral, Organic or Direct, not as the "
                "campaign: nobody can tell what the money bought.",
                "Add utm_source, utm_medium and utm_campaign (or enable Google Ads "
                "auto-tagging for Ads links).", SOURCE_UTM)
            continue
        if utm and "gclid" in params:
            add(position, url, "gclid_and_utm", "warning",
                "Two tags tell two stories; depending on a Google Ads setting the report "
                "shows one or the other, so the campaign rows do not add up.",
                "Use auto-tagging (gclid) alone for Google Ads links; keep utm_* for other "
                "networks. Do not add utm_* to auto-tagged Ads URLs.", _SOURCE_GCLID, campaign)
        for name in sorted(set(utm) - set(UTM_PARAMETERS)):
            add(position, url, "unknown_parameter", "warning",
                f"{name} is ignored by GA4, so what it was meant to record is lost.",
                f"Rename {name} to one of {', '.join(UTM_PARAMETERS)}.", SOURCE_UTM, campaign)
        if utm:
            for name in REQUIRED_PARAMETERS:
                if not utm.get(name, "").strip():
                    add(position, url, "missing_parameter", "error",
                        f"Without {name} the report shows '(not set)' and the clicks may land "
                        "in Unassigned.", f"Add a non-empty {name} to the link.", SOURCE_UTM,
                        campaign)
        for name, value in utm.items():
            if value != value.strip() or " " in value:
                add(position, url, "spaces", "warning",
                    f"'{value}' and '{value.strip().replace(' ', '_')}' become two rows in "
                    "the report; a stray space splits the campaign's numbers.",
                    f"Remove spaces from {name}; agree one separator (_ or -) for all links.",
                    SOURCE_UTM, campaign)
        internal = (own is not None and host == own) or (
            placement is not None and str(placement[position]).strip().lower() == "internal")
        if utm and internal:
            add(position, url, "internal_link", "error",
                "A visitor who came from the paid campaign and clicks this banner keeps "
                "the same session, but the sale is credited to the banner: the campaign "
                "loses the credit for what it sold.",
                "Remove utm_* from links between pages of the site; measure internal "
                "promotions with events instead.", _SOURCE_INTERNAL, campaign)
        if utm:
            seen.append((position, url, utm))
            channel = default_channel(utm.get("utm_source"), utm.get("utm_medium"),
                                      utm.get("utm_campaign"), categories=categories)
            want = intended[position] if intended is not None else None
            want = want.strip() if isinstance(want, str) and want.strip() else None
            if want is not None and channel != want:
                add(position, url, "unintended_channel", "warning",
                    f"Meant for {want}, these clicks will be reported as {channel}.",
                    f"GA4 puts source '{utm.get('utm_source', '')}' / medium "
                    f"'{utm.get('utm_medium', '')}' in {channel}; change utm_medium "
                    f"(and utm_source) to values the {want} rule matches.",
                    SOURCE_CHANNELS, campaign, channel)
            where = (str(placement[position]).strip().lower()
                     if placement is not None and not pd.isna(placement[position]) else "")
            if (channel.startswith("Organic") and where not in ("internal",)
                    and (want is None or want == channel)
                    and (where in _PAID_PLACEMENTS or (want is None and not where))):
                paid = where in _PAID_PLACEMENTS
                medium = utm.get("utm_medium", "")
                add(position, url, "organic_medium_on_ad", "warning" if paid else "info",
                    (f"This is a paid ad, but medium '{medium}' makes GA4 report its clicks as "
                     f"{channel}: the ad's clicks look like free traffic and the Paid rows "
                     "miss them." if paid else
                     f"If this link is in a paid ad, GA4 reports its clicks as {channel} "
                     f"(medium '{medium}'), as if they were free. Right for an organic post."),
                    "For a paid ad use a paid medium GA4 recognises: paid_social (or cpc) "
                    f"with source '{utm.get('utm_source', '')}'. Say which links are ads in a "
                    "placement column (ads / organic) so the check can tell.",
                    SOURCE_CHANNELS, campaign, channel)
            elif want is None and channel in ("Unassigned", "Paid Other"):
                reason = ("no channel rule matches" if channel == "Unassigned" else
                          "the medium says paid but GA4 does not know the source")
                add(position, url, "unintended_channel", "warning",
                    f"These clicks will be reported as {channel} ({reason}).",
                    f"Use a medium and source GA4 recognises, e.g. cpc with google for search "
                    f"ads, paid_social with facebook, email for newsletters "
                    f"(now: '{utm.get('utm_source', '')}' / '{utm.get('utm_medium', '')}').",
                    SOURCE_CHANNELS, campaign, channel)
    rows += _inconsistent(seen, table)
    return findings_frame(rows, extra=("where", "campaign", "channel"))


def _inconsistent(seen: Sequence[tuple[int, str, dict[str, str]]],
                  table: Table) -> list[dict[str, object]]:
    """Values that differ only in case, spaces or punctuation: the campaign name across
    the sheet, and source/medium within one campaign."""
    rows: list[dict[str, object]] = []
    groups: dict[tuple[str, str, str], dict[str, list[tuple[int, str]]]] = {}
    campaigns = {position: utm.get("utm_campaign", "") for position, _, utm in seen}
    for position, url, utm in seen:
        campaign_key = _key(utm.get("utm_campaign", ""))
        for name in ("utm_campaign", "utm_source", "utm_medium"):
            value = utm.get(name, "")
            if not value:
                continue
            scope = "" if name == "utm_campaign" else campaign_key
            groups.setdefault((name, scope, _key(value)), {}).setdefault(value, []).append(
                (position, url))
    for (name, _scope, _k), spellings in groups.items():
        if len(spellings) < 2:
            continue
        ranked = sorted(spellings, key=lambda v: (-len(spellings[v]), v != v.lower(), v))
        names = " / ".join(f"'{v}'" for v in ranked)
        for value in ranked[1:]:
            for position, url in spellings[value]:
                rows.append({
                    "subject": url, "check": "inconsistent_value", "severity": "warning",
                    "business": f"{names} show up as {len(ranked)} separate rows for one "
                                "thing; the campaign's totals are split.",
                    "technical": f"Write {name}={ranked[0]} (the spelling most links use) on "
                                 "every link; GA4 treats each spelling as a different value.",
                    "source": SOURCE_UTM, "where": table.where(position),
                    "campaign": campaigns[position], "channel": ""})
    return rows
