"""GA4's default channel group: which report row a session lands in.

The rules follow GA4 help 9756891, "[GA4] Default channel group" (channels for manual
traffic): they are tried in order, the first that matches wins, values are compared
ignoring case, and a session no rule matches is "Unassigned".  Whether a source is a
search, social, shopping or video site comes from Google's source categories
(:mod:`kit.tracking.categories`: the kit's excerpt, or Google's whole list read from CSV).

Every condition of every rule looks at one field only — the source, the medium or the
campaign — so each rule is written against named *traits* of those fields ("the medium
matches the paid pattern", "the source is a social site").  :func:`default_channel` is the
reference: one session, rule by rule, as the help page reads.  :func:`classify_sessions`
gives the same answer for a whole session log: it works out the traits of each distinct
value once, runs the same rules once per combination of traits, and then needs only a
table lookup per row.  Google Ads traffic with auto-tagging is classified from the Ads
account (campaign type, network) in GA4; outside GA4 we only see ``google / cpc``, which
these rules put in Paid Search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit.errors import InputError
from kit.sources import cite
from kit.tracking.categories import CATEGORIES, SourceCategories, bundled_source_categories

__all__ = [
    "CHANNELS",
    "CHANNEL_RULES",
    "SOURCE_CHANNELS",
    "ChannelRule",
    "channel_rules_frame",
    "classify_sessions",
    "default_channel",
    "source_category",
]

SOURCE_CHANNELS = cite("ga4-channels")
CHANNELS: tuple[str, ...] = (
    "Direct",
    "Cross-network",
    "Paid Shopping",
    "Paid Search",
    "Paid Social",
    "Paid Video",
    "Display",
    "Paid Other",
    "Organic Shopping",
    "Organic Social",
    "Organic Video",
    "Organic Search",
    "Referral",
    "Email",
    "Affiliates",
    "Audio",
    "SMS",
    "Mobile Push Notifications",
    "Unassigned",
)
NOT_SET = "(not set)"
PAID_PATTERN = "^(.*cp.*|ppc|retargeting|paid.*)$"

_PAID = re.compile(PAID_PATTERN)
_SHOP_CAMPAIGN = re.compile(r"^(.*(([^a-df-z]|^)shop|shopping).*)$")
_VIDEO_MEDIUM = re.compile(r"^(.*video.*)$")
_PUSH_MEDIUM = re.compile(r"(push$|mobile|notification)")
_DISPLAY = frozenset({"display", "banner", "expandable", "interstitial", "cpm"})
_SOCIAL_MEDIUM = frozenset({"social", "social-network", "social-media", "sm", "social network",
                            "social media"})
_EMAIL = frozenset({"email", "e-mail", "e_mail", "e mail"})
_REFERRAL = frozenset({"referral", "app", "link"})
_DIRECT_MEDIUM = frozenset({"(not set)", "(none)"})

# The traits the rules look at, per field; each takes the lowercase value.
_MEDIUM_TRAITS: dict[str, Callable[[str], bool]] = {
    "paid": lambda v: bool(_PAID.match(v)),
    "direct": lambda v: v in _DIRECT_MEDIUM,
    "display": lambda v: v in _DISPLAY,
    "social": lambda v: v in _SOCIAL_MEDIUM,
    "video": lambda v: bool(_VIDEO_MEDIUM.match(v)),
    "organic": lambda v: v == "organic",
    "referral": lambda v: v in _REFERRAL,
    "email": lambda v: v in _EMAIL,
    "affiliate": lambda v: v == "affiliate",
    "audio": lambda v: v == "audio",
    "sms": lambda v: v == "sms",
    "push": lambda v: bool(_PUSH_MEDIUM.search(v)),
}
_CAMPAIGN_TRAITS: dict[str, Callable[[str], bool]] = {
    "cross-network": lambda v: "cross-network" in v,
    "shop": lambda v: bool(_SHOP_CAMPAIGN.match(v)),
}
_SOURCE_WORDS: dict[str, Callable[[str], bool]] = {
    "direct": lambda v: v == "(direct)",
    "email": lambda v: v in _EMAIL,
    "sms": lambda v: v == "sms",
    "firebase": lambda v: v == "firebase",
}


def _source_traits(value: str, categories: SourceCategories) -> frozenset[str]:
    listed = {name for name in CATEGORIES if value in categories.sites[name]}
    return frozenset(listed | {name for name, test in _SOURCE_WORDS.items() if test(value)})


def _traits(value: str, tests: dict[str, Callable[[str], bool]]) -> frozenset[str]:
    return frozenset(name for name, test in tests.items() if test(value))


@dataclass(frozen=True)
class _Facts:
    """The traits of one session's source, medium and campaign (names from the tables above)."""

    source: frozenset[str]
    medium: frozenset[str]
    campaign: frozenset[str]


@dataclass(frozen=True)
class ChannelRule:
    """One row of the help page: the channel and its condition, in words and as code."""

    channel: str
    condition: str
    test: Callable[[_Facts], bool]


def _paid(f: _Facts) -> bool:
    return "paid" in f.medium


def _shop(f: _Facts) -> bool:
    return "shopping" in f.source or "shop" in f.campaign


CHANNEL_RULES: tuple[ChannelRule, ...] = (
    ChannelRule("Direct", 'source is "(direct)" and medium is "(not set)" or "(none)"',
                lambda f: "direct" in f.source and "direct" in f.medium),
    ChannelRule("Cross-network", 'campaign contains "cross-network"',
                lambda f: "cross-network" in f.campaign),
    ChannelRule("Paid Shopping", "(source is a shopping site or campaign matches "
                "^(.*(([^a-df-z]|^)shop|shopping).*)$) and medium matches the paid pattern "
                + PAID_PATTERN, lambda f: _shop(f) and _paid(f)),
    ChannelRule("Paid Search", "source is a search site and medium matches the paid pattern",
                lambda f: "search" in f.source and _paid(f)),
    ChannelRule("Paid Social", "source is a social site and medium matches the paid pattern",
                lambda f: "social" in f.source and _paid(f)),
    ChannelRule("Paid Video", "source is a video site and medium matches the paid pattern",
                lambda f: "video" in f.source and _paid(f)),
    ChannelRule("Display", "medium is display, banner, expandable, interstitial or cpm",
                lambda f: "display" in f.medium),
    ChannelRule("Paid Other", "medium matches the paid pattern", _paid),
    ChannelRule("Organic Shopping", "source is a shopping site or campaign matches the shop "
                "pattern", _shop),
    ChannelRule("Organic Social", "source is a social site or medium is social, "
                "social-network, social-media, sm, social network or social media",
                lambda f: "social" in f.source or "social" in f.medium),
    ChannelRule("Organic Video", "source is a video site or medium matches ^(.*video.*)$",
                lambda f: "video" in f.source or "video" in f.medium),
    ChannelRule("Organic Search", 'source is a search site or medium is "organic"',
                lambda f: "search" in f.source or "organic" in f.medium),
    ChannelRule("Referral", "medium is referral, app or link",
                lambda f: "referral" in f.medium),
    ChannelRule("Email", "source or medium is email, e-mail, e_mail or e mail",
                lambda f: "email" in f.source or "email" in f.medium),
    ChannelRule("Affiliates", 'medium is "affiliate"', lambda f: "affiliate" in f.medium),
    ChannelRule("Audio", 'medium is "audio"', lambda f: "audio" in f.medium),
    ChannelRule("SMS", 'source or medium is "sms"',
                lambda f: "sms" in f.source or "sms" in f.medium),
    ChannelRule("Mobile Push Notifications", 'medium ends with "push" or contains "mobile" '
                'or "notification", or source is "firebase"',
                lambda f: "push" in f.medium or "firebase" in f.source),
)
_UNASSIGNED = len(CHANNELS) - 1
_RULE_CHANNEL = tuple(CHANNELS.index(rule.channel) for rule in CHANNEL_RULES)


def _text(value: object) -> str:
    """A value as GA4 compares it: missing becomes "(not set)", then lowercase."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return NOT_SET
    return str(value).lower()


def _channel_index(facts: _Facts) -> int:
    for rule, channel in zip(CHANNEL_RULES, _RULE_CHANNEL, strict=True):
        if rule.test(facts):
            return channel
    return _UNASSIGNED


def source_category(source: str, *, categories: SourceCategories | None = None
                    ) -> str | None:
    """``search``, ``social``, ``shopping`` or ``video`` when ``source`` is on that list."""
    return (categories or bundled_source_categories()).category(source)


def default_channel(source: object, medium: object, campaign: object = None, *,
                    categories: SourceCategories | None = None) -> str:
    """The GA4 default channel of one session, e.g. ``("google", "cpc") -> "Paid Search"``.

    Rules in the help page's order, first match wins, case-insensitive; a missing value
    counts as "(not set)".  Returns "Unassigned" when no rule matches.  ``categories``
    replaces the kit's excerpt of Google's site lists (see :mod:`kit.tracking.categories`).
    """
    facts = _Facts(_source_traits(_text(source), categories or bundled_source_categories()),
                   _traits(_text(medium), _MEDIUM_TRAITS),
                   _traits(_text(campaign), _CAMPAIGN_TRAITS))
    return CHANNELS[_channel_index(facts)]


def channel_rules_frame() -> pd.DataFrame:
    """The rules as a table (order, channel, condition, source) for the notebook."""
    return pd.DataFrame(
        {"order": range(1, len(CHANNEL_RULES) + 2),
         "channel": [rule.channel for rule in CHANNEL_RULES] + ["Unassigned"],
         "condition": [rule.condition for rule in CHANNEL_RULES] + ["no rule above matches"],
         "source": SOURCE_CHANNELS}
    )


# --- vectorised -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Column:
    """One field of a session log: a code per row, and the traits class of each code.

    ``classes[code]`` is the row's class; the last entry is for missing values (code -1),
    which count as "(not set)".  ``traits[k]`` are the traits shared by class ``k``.
    """

    codes: np.ndarray
    classes: np.ndarray
    traits: list[frozenset[str]]


def _column(values: pd.Series | None, rows: int,
            traits_of: Callable[[str], frozenset[str]]) -> _Column:
    if values is None:
        return _Column(np.full(rows, -1, dtype=np.int8), np.zeros(1, dtype=np.intp),
                       [traits_of(NOT_SET)])
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    seen: dict[frozenset[str], int] = {}
    classes = np.fromiter(
        (seen.setdefault(traits_of(_text(value)), len(seen)) for value in [*uniques, None]),
        dtype=np.intp, count=len(uniques) + 1)
    return _Column(codes, classes, list(seen))


def _lookup_dtype(size: int) -> type[np.signedinteger]:
    return np.int16 if size <= np.iinfo(np.int16).max else np.int32


def classify_sessions(frame: pd.DataFrame, *,
                      categories: SourceCategories | None = None) -> pd.Series:
    """The default channel of every row of a session log (``source``, ``medium``, optional
    ``campaign`` columns), equal row by row to :func:`default_channel`.

    Columns may be text or categorical (as :func:`~kit.tracking.load_sessions` gives them;
    then the work per row is three array lookups).  Returns a categorical Series with
    :data:`CHANNELS` as categories, on ``frame``'s index.
    """
    missing = [column for column in ("source", "medium") if column not in frame.columns]
    if missing:
        raise InputError(
            f"the session log needs the column(s) {', '.join(missing)}; "
            f"it has {', '.join(map(str, frame.columns)) or 'no columns'}.",
            hint="Load it with kit.tracking.load_sessions, or name the columns source, medium "
            "and campaign.",
        )
    sites = categories or bundled_source_categories()
    rows = len(frame)
    source = _column(frame["source"], rows, lambda v: _source_traits(v, sites))
    medium = _column(frame["medium"], rows, lambda v: _traits(v, _MEDIUM_TRAITS))
    campaign = _column(frame["campaign"] if "campaign" in frame.columns else None, rows,
                       lambda v: _traits(v, _CAMPAIGN_TRAITS))
    # The rules run once per combination of traits classes: a small table.
    shape = (len(source.traits), len(medium.traits), len(campaign.traits))
    table = np.fromiter(
        (_channel_index(_Facts(s, m, c)) for s in source.traits for m in medium.traits
         for c in campaign.traits), dtype=np.int8, count=int(np.prod(shape)))
    # Per row: flat table position = source offset + medium offset + campaign class.
    dtype = _lookup_dtype(table.size)
    source_offset = (source.classes * (shape[1] * shape[2])).astype(dtype)
    medium_offset = (medium.classes * shape[2]).astype(dtype)
    position = source_offset[source.codes]
    position += medium_offset[medium.codes]
    position += campaign.classes.astype(dtype)[campaign.codes]
    result = pd.Categorical.from_codes(table[position], categories=list(CHANNELS),
                                       validate=False)
    return pd.Series(result, index=frame.index, name="channel")
