"""URL normalisation: the always-safe rules, then the site-dependent ones a policy switches on.

Always (the kit's one URL identity, :mod:`kit.urls`: RFC 3986 §6.2.2-6.2.3 and RFC 3987):
lowercase scheme and host, internationalised hosts in punycode, non-ASCII percent-encoded,
uppercase percent-encoding and decode unreserved characters, remove dot-segments, drop
the default port, an empty path becomes ``/``, the fragment goes.

Site-dependent (Google Search Central, "What is URL canonicalization"; Google Search
Central blog, "To slash or not to slash", 2010: ``/foo`` and ``/foo/`` are two URLs, and
so are ``/Foo`` and ``/foo``): whether ``http`` and ``https``, ``www`` and the bare host,
a trailing slash, the case of the path, the order of query parameters, tracking
parameters (``utm_*``, ``gclid``, ``fbclid``, ``msclkid`` ...), session ids and sort or
filter parameters make a different page *on this site*.  Only the site's owners know,
so a :class:`NormalizationPolicy` (defined with the rules in :mod:`kit.urls`, re-exported
here) says which rules apply; three presets cover the usual cases (:data:`PRESETS`).

Every policy is idempotent: normalising a normalised URL changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kit.errors import InputError
from kit.urls import (
    INDEX_FILES,
    SESSION_PARAMETERS,
    SORT_PARAMETERS,
    TRACKING_PARAMETERS,
    TRACKING_PREFIXES,
    NormalizationPolicy,
    UrlError,
    normalize,
    normalize_many,
)

__all__ = [
    "INDEX_FILES",
    "PRESETS",
    "SESSION_PARAMETERS",
    "SORT_PARAMETERS",
    "TRACKING_PARAMETERS",
    "TRACKING_PREFIXES",
    "NormalizationPolicy",
    "normalize_url",
    "normalize_urls",
    "reason_text",
    "resolve_policy",
    "url_differences",
]

PRESETS: dict[str, NormalizationPolicy] = {
    "strict": NormalizationPolicy(name="strict"),
    "typical": NormalizationPolicy(
        name="typical", https=True, sort_query=True, drop_tracking=True,
        drop_session_ids=True, drop_empty_query=True,
    ),
    "aggressive": NormalizationPolicy(
        name="aggressive", https=True, host="strip_www", trailing_slash="strip",
        lowercase_path=True, drop_index_file=True, sort_query=True, drop_tracking=True,
        drop_session_ids=True, drop_parameters=SORT_PARAMETERS, drop_empty_query=True,
    ),
}
"""``strict``: the safe RFC 3986 rules only.  ``typical``: also https, tracking parameters,
session ids, parameter order, empty query.  ``aggressive``: also no ``www``, no trailing
slash, lowercase path, no index file, and sort / view / print parameters removed."""


def resolve_policy(policy: str | NormalizationPolicy | None) -> NormalizationPolicy:
    """A policy object from a preset name (``strict``, ``typical``, ``aggressive``) or itself."""
    if policy is None:
        return PRESETS["typical"]
    if isinstance(policy, NormalizationPolicy):
        return policy
    if isinstance(policy, str) and policy.strip().lower() in PRESETS:
        return PRESETS[policy.strip().lower()]
    raise InputError(
        f"unknown normalisation policy {policy!r}.",
        hint="Use one of " + ", ".join(PRESETS) + ", or a NormalizationPolicy(...).",
    )


def normalize_url(
    url: str,
    *,
    policy: str | NormalizationPolicy = "typical",
    origin: str | None = None,
) -> str:
    """Normalise ``url``: the RFC 3986 safe rules always, then ``policy``'s rules.

    ``url`` is an absolute http(s) URL or a path starting with ``/``; with ``origin``
    (``https://example.com``) a path is made absolute first.  Raises
    :class:`~kit.errors.InputError` for anything else (empty cells, spaces, ``mailto:``,
    ``javascript:``, broken percent-encoding), saying what was expected.
    """
    rules = resolve_policy(policy)
    if not isinstance(url, str):
        raise InputError(f"{url!r} is not a URL: expected text such as https://example.com/page.")
    text = url.strip()
    if text.startswith("/") and not text.startswith("//") and origin:
        try:
            normalize(origin)
        except UrlError:
            raise InputError(f"origin {origin!r} is not like https://example.com.") from None
        if not origin.lower().startswith(("http://", "https://")):
            raise InputError(f"origin {origin!r} is not like https://example.com.")
        text = origin.rstrip("/") + text
    try:
        return normalize(text, policy=rules)
    except UrlError as error:
        raise InputError(error.what, hint=_HINT) from None


_HINT = ("Expected an absolute http(s) URL (https://example.com/page) or a path starting "
         "with / (/page), without spaces, broken %-escapes or user:password@.")


def normalize_urls(
    urls: Iterable[object],
    *,
    policy: str | NormalizationPolicy = "typical",
    origin: str | None = None,
) -> list[str | None]:
    """:func:`normalize_url` over many URLs; ``None`` where a value is not a URL.

    Gives exactly what :func:`normalize_url` gives, URL by URL (through
    :func:`kit.urls.normalize_many`, which normalises each distinct host once).
    """
    rules = resolve_policy(policy)
    if origin is None:
        return normalize_many(urls, policy=rules)
    values = list(urls)
    out = normalize_many(values, policy=rules)
    for position, url in enumerate(values):
        if isinstance(url, str) and url.strip().startswith("/"):
            try:
                out[position] = normalize_url(url, policy=rules, origin=origin)
            except InputError:
                out[position] = None
    return out


_REASONS = (
    ("protocol", "http and https"),
    ("host", "www and the bare host name"),
    ("trailing_slash", "a trailing slash"),
    ("path_case", "upper- and lower-case letters in the path"),
    ("index_file", "an index file name (index.html …)"),
    ("tracking", "tracking parameters (utm_*, gclid, fbclid …)"),
    ("session_id", "a session id in the URL"),
    ("parameters", "sort, view or filter parameters"),
    ("parameter_order", "the order of the parameters"),
)


def url_differences(url: str, other: str) -> list[str]:
    """What separates two URLs of the same page: keys of ``_REASONS``, in that order.

    A key is listed when the two URLs normalise alike with every rule on, but no longer
    without that rule.  Empty when they do not normalise alike at all (or are not URLs).
    Used to pick the fix: protocol, host, slash, case and index-file differences are
    fixed with a 301 redirect; parameters with rel=canonical and clean internal links.
    """
    try:
        if normalize_url(url, policy=_ALL_RULES) != normalize_url(other, policy=_ALL_RULES):
            return []
        return [key for key, _ in _REASONS
                if normalize_url(url, policy=_WITHOUT[key])
                != normalize_url(other, policy=_WITHOUT[key])]
    except InputError:
        return []


def reason_text(keys: Iterable[str]) -> str:
    """Plain words for :func:`url_differences` keys: ``"http and https, a trailing slash"``."""
    words: Mapping[str, str] = dict(_REASONS)
    return ", ".join(words[key] for key in keys if key in words)


_ALL_RULES = NormalizationPolicy(
    name="all", https=True, host="strip_www", trailing_slash="strip", lowercase_path=True,
    drop_index_file=True, sort_query=True, drop_tracking=True, drop_session_ids=True,
    drop_parameters=SORT_PARAMETERS, drop_empty_query=True,
)
_WITHOUT: dict[str, NormalizationPolicy] = {
    "protocol": _ALL_RULES.with_changes(https=False),
    "host": _ALL_RULES.with_changes(host="keep"),
    "trailing_slash": _ALL_RULES.with_changes(trailing_slash="keep"),
    "path_case": _ALL_RULES.with_changes(lowercase_path=False),
    "index_file": _ALL_RULES.with_changes(drop_index_file=False),
    "tracking": _ALL_RULES.with_changes(drop_tracking=False),
    "session_id": _ALL_RULES.with_changes(drop_session_ids=False),
    "parameters": _ALL_RULES.with_changes(drop_parameters=frozenset()),
    "parameter_order": _ALL_RULES.with_changes(sort_query=False),
}
