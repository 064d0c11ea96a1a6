"""GA4's default channel group: which report row a session lands in.

The rules follow GA4 help 9756891, "[GA4] Default channel group" (channels for manual
traffic): they are tried in order, the first that matches wins, values are compared
ignoring case, and a session no rule matches is "Unassigned".  The search, social,
shopping and video site lists are data files in ``kit/tracking/data`` (an excerpt of
Google's source categories; see the README there).

:func:`default_channel` is the reference: one session, rule by rule, as the help page
reads.  :func:`classify_sessions` gives the same answer for a whole session log at once;
it works out each distinct source, medium and campaign value once and combines boolean
arrays, so ten million sessions take seconds.  Google Ads traffic with auto-tagging is
classified from the Ads account (campaign type, network) in GA4; outside GA4 we only see
``google / cpc``, which these rules put in Paid Search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from kit.errors import InputError

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

SOURCE_CHANNELS = 'GA4 help 9756891, "[GA4] Default channel group"'
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

_PAID = re.compile(r"^(.*cp.*|ppc|retargeting|paid.*)$")
_SHOP_CAMPAIGN = re.compile(r"^(.*(([^a-df-z]|^)shop|shopping).*)$")
_VIDEO_MEDIUM = re.compile(r"^(.*video.*)$")
_PUSH_MEDIUM = re.compile(r"(push$|mobile|notification)")
_DISPLAY = frozenset({"display", "banner", "expandable", "interstitial", "cpm"})
_SOCIAL_MEDIUM = frozenset({"social", "social-network", "social-media", "sm", "social network",
                            "social media"})
_EMAIL = frozenset({"email", "e-mail", "e_mail", "e mail"})
_REFERRAL = frozenset({"referral", "app", "link"})
_DIRECT_MEDIUM = frozenset({"(not set)", "(none)"})
_CATEGORIES = ("search", "social", "shopping", "video")


@cache
def _category_sites(category: str) -> frozenset[str]:
    text = resources.files("kit.tracking").joinpath("data", f"{category}.csv").read_text("utf-8")
    lines = [line.strip().lower() for line in text.splitlines()[1:]]
    return frozenset(line for line in lines if line)


def source_category(source: str) -> str | None:
    """``search``, ``social``, ``shopping`` or ``video`` when ``source`` is on that list."""
    value = source.lower()
    for category in _CATEGORIES:
        if value in _category_sites(category):
            return category
    return None


@dataclass(frozen=True)
class _Facts:
    """What the rules look at, each computed once from (source, medium, campaign)."""

    source: str
    medium: str
    campaign: str

    def on(self, category: str) -> bool:
        return self.source in _category_sites(category)


@dataclass(frozen=True)
class ChannelRule:
    """One row of the help page: the channel and its condition, in words and as code."""

    channel: str
    condition: str
    test: Callable[[_Facts], bool]


def _paid(f: _Facts) -> bool:
    return bool(_PAID.match(f.medium))


def _shop(f: _Facts) -> bool:
    return f.on("shopping") or bool(_SHOP_CAMPAIGN.match(f.campaign))


PAID_PATTERN = "^(.*cp.*|ppc|retargeting|paid.*)$"
CHANNEL_RULES: tuple[ChannelRule, ...] = (
    ChannelRule("Direct", 'source is "(direct)" and medium is "(not set)" or "(none)"',
                lambda f: f.source == "(direct)" and f.medium in _DIRECT_MEDIUM),
    ChannelRule("Cross-network", 'campaign contains "cross-network"',
                lambda f: "cross-network" in f.campaign),
    ChannelRule("Paid Shopping", "(source is a shopping site or campaign matches "
                "^(.*(([^a-df-z]|^)shop|shopping).*)$) and medium matches the paid pattern "
                + PAID_PATTERN, lambda f: _shop(f) and _paid(f)),
    ChannelRule("Paid Search", "source is a search site and medium matches the paid pattern",
                lambda f: f.on("search") and _paid(f)),
    ChannelRule("Paid Social", "source is a social site and medium matches the paid pattern",
                lambda f: f.on("social") and _paid(f)),
    ChannelRule("Paid Video", "source is a video site and medium matches the paid pattern",
                lambda f: f.on("video") and _paid(f)),
    ChannelRule("Display", "medium is display, banner, expandable, interstitial or cpm",
                lambda f: f.medium in _DISPLAY),
    ChannelRule("Paid Other", "medium matches the paid pattern", _paid),
    ChannelRule("Organic Shopping", "source is a shopping site or campaign matches the shop "
                "pattern", _shop),
    ChannelRule("Organic Social", "source is a social site or medium is social, "
                "social-network, social-media, sm, social network or social media",
                lambda f: f.on("social") or f.medium in _SOCIAL_MEDIUM),
    ChannelRule("Organic Video", "source is a video site or medium matches ^(.*video.*)$",
                lambda f: f.on("video") or bool(_VIDEO_MEDIUM.match(f.medium))),
    ChannelRule("Organic Search", 'source is a search site or medium is "organic"',
                lambda f: f.on("search") or f.medium == "organic"),
    ChannelRule("Referral", "medium is referral, app or link",
                lambda f: f.medium in _REFERRAL),
    ChannelRule("Email", "source or medium is email, e-mail, e_mail or e mail",
                lambda f: f.source in _EMAIL or f.medium in _EMAIL),
    ChannelRule("Affiliates", 'medium is "affiliate"', lambda f: f.medium == "affiliate"),
    ChannelRule("Audio", 'medium is "audio"', lambda f: f.medium == "audio"),
    ChannelRule("SMS", 'source or medium is "sms"',
                lambda f: f.source == "sms" or f.medium == "sms"),
    ChannelRule("Mobile Push Notifications", 'medium ends with "push" or contains "mobile" '
                'or "notification", or source is "firebase"',
                lambda f: bool(_PUSH_MEDIUM.search(f.medium)) or f.source == "firebase"),
)


def _text(value: object) -> str:
    """A value as GA4 compares it: missing becomes "(not set)", then lowercase."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return NOT_SET
    return str(value).lower()


def default_channel(source: object, medium: object, campaign: object = None) -> str:
    """The GA4 default channel of one session, e.g. ``("google", "cpc") -> "Paid Search"``.

    Rules in the help page's order, first match wins, case-insensitive; a missing value
    counts as "(not set)".  Returns "Unassigned" when no rule matches.
    """
    facts = _Facts(_text(source), _text(medium), _text(campaign))
    for rule in CHANNEL_RULES:
        if rule.test(facts):
            return rule.channel
    return "Unassigned"


def channel_rules_frame() -> pd.DataFrame:
    """The rules as a table (order, channel, condition, source) for the notebook."""
    return pd.DataFrame(
        {"order": range(1, len(CHANNEL_RULES) + 2),
         "channel": [rule.channel for rule in CHANNEL_RULES] + ["Unassigned"],
         "condition": [rule.condition for rule in CHANNEL_RULES] + ["no rule above matches"],
         "source": SOURCE_CHANNELS}
    )


# --- vectorised -----------------------------------------------------------------------

def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of each row's lowercase value, and the distinct lowercase values."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lowered = pd.Index([_text(value) for value in uniques], dtype=object)
    # Several raw spellings (Email, email) share one lowercase value: map to its first code.
    low_codes, low_uniques = pd.factorize(lowered)
    missing = len(low_uniques)
    low_uniques = low_uniques.append(pd.Index([NOT_SET], dtype=object))
    table = np.append(low_codes, missing).astype(np.int64)
    return table[codes], low_uniques  # code -1 (missing) picks the appended "(not set)"


def _matches(values: pd.Index, pattern: re.Pattern[str]) -> np.ndarray:
    return np.fromiter((bool(pattern.search(v)) for v in values), dtype=bool, count=len(values))


def _member(values: pd.Index, members: frozenset[str]) -> np.ndarray:
    return np.fromiter((v in members for v in values), dtype=bool, count=len(values))


def classify_sessions(frame: pd.DataFrame) -> pd.Series:
    """The default channel of every row of a session log (``source``, ``medium``, optional
    ``campaign`` columns), equal row by row to :func:`default_channel`.

    Returns a categorical Series with :data:`CHANNELS` as categories, on ``frame``'s index.
    """
    missing = [column for column in ("source", "medium") if column not in frame.columns]
    if missing:
        raise InputError(
            f"the session log needs the column(s) {', '.join(missing)}; "
            f"it has {', '.join(map(str, frame.columns)) or 'no columns'}.",
            hint="Load it with kit.tracking.load_sessions, or name the columns source, medium "
            "and campaign.",
        )
    n = len(frame)
    s_code, s_vals = _codes(frame["source"])
    m_code, m_vals = _codes(frame["medium"])
    if "campaign" in frame.columns:
        c_code, c_vals = _codes(frame["campaign"])
    else:
        c_code, c_vals = np.zeros(n, dtype=np.int64), pd.Index([NOT_SET], dtype=object)
    # Work on the distinct (source, medium, campaign) combinations only.
    key = (s_code * len(m_vals) + m_code) * len(c_vals) + c_code
    combo_codes, combos = pd.factorize(key)
    c_i = combos % len(c_vals)
    m_i = (combos // len(c_vals)) % len(m_vals)
    s_i = combos // (len(c_vals) * len(m_vals))

    def source_flag(flags: np.ndarray) -> np.ndarray:
        return flags[s_i]

    def medium_flag(flags: np.ndarray) -> np.ndarray:
        return flags[m_i]

    on = {category: source_flag(_member(s_vals, _category_sites(category)))
          for category in _CATEGORIES}
    paid = medium_flag(_matches(m_vals, _PAID))
    shop = on["shopping"] | _matches(c_vals, _SHOP_CAMPAIGN)[c_i]
    source_is = {name: source_flag(np.asarray(s_vals == name)) for name in
                 ("(direct)", "sms", "firebase")}
    source_email = source_flag(_member(s_vals, _EMAIL))
    medium_in = {name: medium_flag(_member(m_vals, members)) for name, members in
                 (("direct", _DIRECT_MEDIUM), ("display", _DISPLAY), ("social", _SOCIAL_MEDIUM),
                  ("email", _EMAIL), ("referral", _REFERRAL))}
    medium_is = {name: medium_flag(np.asarray(m_vals == name)) for name in
                 ("organic", "affiliate", "audio", "sms")}
    conditions = [
        source_is["(direct)"] & medium_in["direct"],
        np.fromiter(("cross-network" in v for v in c_vals), dtype=bool, count=len(c_vals))[c_i],
        shop & paid,
        on["search"] & paid,
        on["social"] & paid,
        on["video"] & paid,
        medium_in["display"],
        paid,
        shop,
        on["social"] | medium_in["social"],
        on["video"] | medium_flag(_matches(m_vals, _VIDEO_MEDIUM)),
        on["search"] | medium_is["organic"],
        medium_in["referral"],
        source_email | medium_in["email"],
        medium_is["affiliate"],
        medium_is["audio"],
        source_is["sms"] | medium_is["sms"],
        medium_flag(_matches(m_vals, _PUSH_MEDIUM)) | source_is["firebase"],
    ]
    assert len(conditions) == len(CHANNEL_RULES)
    per_combo = np.select(conditions, np.arange(len(conditions)), default=len(CHANNEL_RULES))
    rule_codes = [CHANNELS.index(rule.channel) for rule in CHANNEL_RULES] + [len(CHANNELS) - 1]
    channel_codes = np.asarray(rule_codes, dtype=np.int8)[per_combo][combo_codes]
    result = pd.Categorical.from_codes(channel_codes, categories=list(CHANNELS))
    return pd.Series(result, index=frame.index, name="channel")
