"""URL normalisation: the always-safe rules, then the site-dependent ones a policy switches on.

Always (RFC 3986 §6.2.2-6.2.3, via :func:`kit.urls.safe_normalize`): lowercase scheme
and host, uppercase percent-encoding and decode unreserved characters, remove
dot-segments, drop the default port, an empty path becomes ``/``, the fragment goes.

Site-dependent (Google Search Central, "What is URL canonicalization"; Google Search
Central blog, "To slash or not to slash", 2010: ``/foo`` and ``/foo/`` are two URLs, and
so are ``/Foo`` and ``/foo``): whether ``http`` and ``https``, ``www`` and the bare host,
a trailing slash, the case of the path, the order of query parameters, tracking
parameters (``utm_*``, ``gclid``, ``fbclid``, ``msclkid`` ...), session ids and sort or
filter parameters make a different page *on this site*.  Only the site's owners know,
so a :class:`NormalizationPolicy` says which rules apply; three presets cover the usual
cases (:data:`PRESETS`).

Every policy is idempotent: normalising a normalised URL changes nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Literal

import pandas as pd

from kit.errors import InputError
from kit.urls import is_url, safe_normalize

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

TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)
"""Parameter name prefixes that only carry campaign tracking (GA4: ``utm_source`` ...)."""

TRACKING_PARAMETERS: frozenset[str] = frozenset({
    "gclid", "gclsrc", "gbraid", "wbraid", "dclid",  # Google Ads / Display & Video 360
    "fbclid",  # Meta
    "msclkid",  # Microsoft Advertising
    "ttclid", "twclid", "li_fat_id", "igshid", "yclid",  # TikTok, X, LinkedIn, Instagram, Yandex
    "mc_cid", "mc_eid",  # Mailchimp
    "_ga", "_gl",  # Google Analytics cross-domain linker
})
"""Click ids and analytics parameters: they say where a visit came from, never what to show."""

SESSION_PARAMETERS: frozenset[str] = frozenset({
    "jsessionid", "phpsessid", "aspsessionid", "sid", "sessionid", "session_id", "session",
    "cfid", "cftoken", "zenid", "oscsid",
})
"""Session ids put in URLs by Java servlets, PHP, ASP, ColdFusion and shop systems."""

SORT_PARAMETERS: frozenset[str] = frozenset({
    "sort", "sortby", "sort_by", "order", "orderby", "order_by", "dir", "direction",
    "view", "display", "limit", "per_page", "perpage", "page_size", "pagesize", "print",
})
"""Parameters that re-order or re-display the same items (and print versions).

Filters (``color=red``) narrow a list and may deserve their own page; add a site's filter
names to :attr:`NormalizationPolicy.drop_parameters` when they do not.
"""

INDEX_FILES: frozenset[str] = frozenset({
    "index.html", "index.htm", "index.php", "index.asp", "index.aspx", "default.asp",
    "default.aspx", "default.htm", "default.html",
})

_ABSOLUTE = re.compile(r"^(https?)://([^/?#]*)(.*)$", re.DOTALL)
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/?;]*", re.IGNORECASE)
_LOWER_ESCAPE = re.compile(r"%[0-9a-f]{2}", re.IGNORECASE)
_PLAIN = re.compile(r"^(https?)://([a-z0-9][a-z0-9.\-]*[a-z0-9])((?:/[A-Za-z0-9\-._~!$&'()*+,=:@]*)*)$")
_IP_HOST = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\])$")

HostRule = Literal["keep", "strip_www", "add_www"]
SlashRule = Literal["keep", "strip", "add"]


@dataclass(frozen=True)
class NormalizationPolicy:
    """Which site-dependent rules to apply on top of the always-safe ones.

    Each field is one rule; the defaults apply none of them (the ``strict`` preset).

    * ``https``: ``http://`` becomes ``https://``.
    * ``host``: ``"strip_www"`` (``www.example.com`` → ``example.com``), ``"add_www"``
      or ``"keep"``.  IP addresses and single-label hosts are never changed.
    * ``trailing_slash``: ``"strip"`` (``/shoes/`` → ``/shoes``), ``"add"`` (``/shoes``
      → ``/shoes/``, not for file names with a dot) or ``"keep"``.
    * ``lowercase_path``: ``/Shoes`` → ``/shoes`` (percent-escapes keep upper case).
    * ``drop_index_file``: ``/shoes/index.html`` → ``/shoes/`` (:data:`INDEX_FILES`).
    * ``sort_query``: ``?b=2&a=1`` → ``?a=1&b=2`` (stable, by name then value).
    * ``drop_tracking``: remove :data:`TRACKING_PARAMETERS` and ``utm_*``.
    * ``drop_session_ids``: remove :data:`SESSION_PARAMETERS`, in the query or as a
      path parameter (``;jsessionid=…``).
    * ``drop_parameters``: more parameter names to remove (case-insensitive), e.g.
      :data:`SORT_PARAMETERS` or a site's filters.
    * ``drop_empty_query``: remove empty pieces (``?&a=1``) and an empty ``?``.
    """

    name: str = "custom"
    https: bool = False
    host: HostRule = "keep"
    trailing_slash: SlashRule = "keep"
    lowercase_path: bool = False
    drop_index_file: bool = False
    sort_query: bool = False
    drop_tracking: bool = False
    drop_session_ids: bool = False
    drop_parameters: frozenset[str] = field(default_factory=frozenset)
    drop_empty_query: bool = False

    def __post_init__(self) -> None:
        if self.host not in ("keep", "strip_www", "add_www"):
            raise InputError(f"host rule {self.host!r} is not one of keep, strip_www, add_www.")
        if self.trailing_slash not in ("keep", "strip", "add"):
            raise InputError(
                f"trailing_slash rule {self.trailing_slash!r} is not one of keep, strip, add."
            )
        names = frozenset(str(name).strip().lower() for name in self.drop_parameters)
        object.__setattr__(self, "drop_parameters", names)

    def with_changes(self, **changes: object) -> NormalizationPolicy:
        """A copy with some rules changed, named ``custom`` unless a name is given."""
        changes.setdefault("name", "custom")
        return replace(self, **changes)  # type: ignore[arg-type]

    def rules(self) -> pd.DataFrame:
        """The policy as a table (rule, setting, effect) for notebooks and reports."""
        rows = []
        for item in fields(self):
            if item.name == "name":
                continue
            value = getattr(self, item.name)
            shown = ", ".join(sorted(value)) if isinstance(value, frozenset) else value
            rows.append({"rule": item.name, "setting": shown if shown != "" else "(none)",
                         "effect": _EFFECTS[item.name]})
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        active = [
            f"{key}={sorted(value) if isinstance(value, frozenset) else value!r}"
            for key, value in asdict(self).items()
            if key != "name" and value not in (False, "keep", frozenset())
        ]
        return f"NormalizationPolicy({self.name!r}" + "".join(f", {a}" for a in active) + ")"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td style='text-align:left'>{html.escape(str(r.rule))}</td>"
            f"<td style='text-align:left'>{html.escape(str(r.setting))}</td>"
            f"<td style='text-align:left'>{html.escape(str(r.effect))}</td></tr>"
            for r in self.rules().itertuples()
        )
        return (f"<table><caption>URL normalisation policy: {html.escape(self.name)}</caption>"
                f"<tr><th>rule</th><th>setting</th><th>what it does</th></tr>{rows}</table>")


_EFFECTS: dict[str, str] = {
    "https": "http:// becomes https://",
    "host": "www. removed (strip_www) or added (add_www)",
    "trailing_slash": "final / removed (strip) or added to folder-like paths (add)",
    "lowercase_path": "path lowercased",
    "drop_index_file": "index.html, default.aspx ... removed",
    "sort_query": "query parameters sorted",
    "drop_tracking": "utm_*, gclid, fbclid, msclkid ... removed",
    "drop_session_ids": "jsessionid, phpsessid, sid ... removed",
    "drop_parameters": "these parameters removed",
    "drop_empty_query": "empty ? and && removed",
}

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


def _parameter_dropped(name: str, policy: NormalizationPolicy) -> bool:
    key = name.lower()
    if policy.drop_tracking and (key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES)):
        return True
    if policy.drop_session_ids and key in SESSION_PARAMETERS:
        return True
    return key in policy.drop_parameters


def _query(query: str, policy: NormalizationPolicy) -> str:
    pieces = query.split("&")
    if policy.drop_empty_query:
        pieces = [piece for piece in pieces if piece]
    if policy.drop_tracking or policy.drop_session_ids or policy.drop_parameters:
        pieces = [p for p in pieces if not p or not _parameter_dropped(p.split("=", 1)[0], policy)]
    if policy.sort_query:
        pieces.sort(key=lambda piece: (piece.split("=", 1)[0], piece))
    return "&".join(pieces)


def _host(host: str, rule: HostRule) -> str:
    name, sep, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not sep or not port.isdigit():
        name, sep, port = host, "", ""
    if _IP_HOST.match(name) or "." not in name:
        return host
    if rule == "strip_www":
        while name.startswith("www.") and "." in name[4:]:
            name = name[4:]
    elif rule == "add_www" and not name.startswith("www."):
        name = "www." + name
    return name + (sep + port if sep else "")


def _path(path: str, policy: NormalizationPolicy) -> str:
    if policy.drop_session_ids and ";" in path:
        path = _PATH_SESSION.sub("", path)
    if policy.lowercase_path:
        path = _LOWER_ESCAPE.sub(lambda m: m.group(0).upper(), path.lower())
    if policy.drop_index_file or policy.trailing_slash == "strip":
        while True:
            before = path
            if policy.drop_index_file:
                head, _, last = path.rpartition("/")
                if last.lower() in INDEX_FILES:
                    path = head + "/"
            if policy.trailing_slash == "strip":
                path = path.rstrip("/") or "/"
            if path == before:
                break
    if policy.trailing_slash == "add" and not path.endswith("/"):
        last = path.rpartition("/")[2]
        if "." not in last:
            path += "/"
    return path or "/"


def _apply(url: str, policy: NormalizationPolicy) -> str:
    match = _ABSOLUTE.match(url)
    if match:
        scheme, host, rest = match.group(1), match.group(2), match.group(3)
        if policy.https and scheme == "http":
            scheme = "https"
            if host.endswith(":80"):
                host = host[:-3]
        if policy.host != "keep":
            host = _host(host, policy.host)
        prefix = f"{scheme}://{host}"
    else:
        prefix, rest = "", url
    path, sep, query = rest.partition("?")
    path = _path(path, policy)
    if sep:
        query = _query(query, policy)
        if not query and (policy.drop_empty_query or policy.drop_tracking
                          or policy.drop_session_ids or policy.drop_parameters):
            sep = ""
    return f"{prefix}{path}{sep}{query}"


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
    if not is_url(text):
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise InputError(
            f"{shown!r} is not a URL.",
            hint="Expected an absolute http(s) URL (https://example.com/page) or a path "
                 "starting with / (/page), without spaces or broken %-escapes.",
        )
    if text.startswith("/") and origin:
        if not is_url(origin) or not _ABSOLUTE.match(origin):
            raise InputError(f"origin {origin!r} is not like https://example.com.")
        text = origin.rstrip("/") + text
    result = safe_normalize(_apply(safe_normalize(text), rules))
    # A relative path starting with // would read as a host (RFC 3986 §5.3): keep "/." first.
    return "/." + result if result.startswith("//") else result


def normalize_urls(
    urls: Iterable[object],
    *,
    policy: str | NormalizationPolicy = "typical",
    origin: str | None = None,
) -> list[str | None]:
    """:func:`normalize_url` over many URLs; ``None`` where a value is not a URL.

    Gives exactly what :func:`normalize_url` gives, URL by URL; plain URLs (lowercase
    host, path of unreserved characters, no query) take a shortcut that normalises
    each distinct scheme and host once.
    """
    rules = resolve_policy(policy)
    out: list[str | None] = []
    prefixes: dict[tuple[str, str], str | None] = {}
    for url in urls:
        plain = _PLAIN.match(url) if isinstance(url, str) else None
        if plain is not None and (origin is None or not url.startswith("/")):
            scheme, host, path = plain.group(1), plain.group(2), plain.group(3)
            prefix = prefixes.get((scheme, host), "")
            if prefix == "":
                try:
                    prefix = normalize_url(f"{scheme}://{host}/", policy=rules)[:-1]
                except InputError:
                    prefix = None
                prefixes[(scheme, host)] = prefix
            if prefix is not None and "/." not in path:
                out.append(prefix + _path(path or "/", rules))
                continue
        try:
            value: str | None = normalize_url(url, policy=rules, origin=origin)  # type: ignore[arg-type]
        except InputError:
            value = None
        out.append(value)
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
