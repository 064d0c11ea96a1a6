"""URL identity: the one place that decides whether two written URLs name the same resource.

Every module compares URLs through this module; a module only chooses a *policy* on top.

Always (the RFC 3986 rules that never change what a URL points to, §6.2.2-6.2.3, plus
the IRI-to-URI mapping of RFC 3987 §3.1 that browsers apply):

* scheme and host in lower case; an empty port, or the scheme's default port, dropped;
* an internationalised host name in its ASCII (punycode) form, by UTS #46 non-transitional
  processing as browsers do (the WHATWG URL Standard, "domain to ASCII"):
  ``https://Bücher.example/`` is ``https://xn--bcher-kva.example/``;
* an IPv6 address in its compressed lower-case form (``[0:0::1]`` is ``[::1]``);
* non-ASCII characters in the path, query and fragment percent-encoded as UTF-8, then
  percent-encodings compared after normalisation: hex in upper case, unreserved
  characters decoded, so ``/new-café``, ``/new-caf%c3%a9`` and ``/new-caf%C3%A9`` are one URL;
* dot-segments removed (RFC 3986 §5.2.4); an empty path becomes ``/``;
* the fragment dropped from keys (it is never sent to the server).

Never here (site-dependent, so a :class:`NormalizationPolicy` switches them on):
``http``/``https``, ``www``, a trailing slash, the case of the path, index files, the
order of query parameters, tracking, session and other parameters.

Refused, with the reason in a :class:`UrlError` (an :class:`~kit.errors.InputError`,
so a ``ValueError``): anything but http(s), text with spaces or control characters,
malformed percent-encoding, hosts that are no valid (internationalised) domain name
or IP address, ports above 65535, and a user name or password (``https://user:pw@host/``).
The kit *refuses* credentials rather than dropping or keeping them: a URL that carries
them is never a public page's address (RFC 3986 §3.2.1 deprecates ``user:password``,
§7.5), dropping them silently would merge it with another URL, and keeping them would
copy a password into reports and server configs.

Decision made here (an assumption, stated): Unicode text is compared as written, not
NFC-normalised, since browsers send the bytes of what is written.

Sources (checked on 2026-12-07): RFC 3986 §3.2.1, §5.2, §6.2.2-6.2.3
(https://www.rfc-editor.org/rfc/rfc3986); RFC 3987 §3.1
(https://www.rfc-editor.org/rfc/rfc3987); the WHATWG URL Standard, "domain to ASCII"
with Transitional_Processing false (https://url.spec.whatwg.org/#concept-domain-to-ascii);
Unicode UTS #46 (https://www.unicode.org/reports/tr46/).  The ``idna`` package implements
UTS #46 and IDNA 2008; the standard library's ``idna`` codec is IDNA 2003 (``faß.de``
would become ``fass.de``, another host), so it is not used.
"""

from __future__ import annotations

import html
import ipaddress
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, NamedTuple

from kit.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_ORIGIN",
    "INDEX_FILES",
    "SESSION_PARAMETERS",
    "SORT_PARAMETERS",
    "STRICT",
    "TRACKING_PARAMETERS",
    "TRACKING_PREFIXES",
    "NormalizationPolicy",
    "Url",
    "UrlError",
    "guess_origin",
    "host_and_port",
    "host_of",
    "is_url",
    "normal_host",
    "normal_origin",
    "normalize",
    "normalize_many",
    "origin_of",
    "parse_url",
    "path_of",
    "query_of",
    "safe_normalize",
    "site_key",
    "site_relative_key",
    "split_origin",
    "split_url",
    "url_key",
]

DEFAULT_ORIGIN = "https://site.invalid"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Whitespace (Unicode too), C0/C1 controls and the characters RFC 3986 never allows raw.
_BAD_CHARS = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f-\x9f]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_ASCII_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?\.?$")
_IPV6 = re.compile(r"^\[([0-9A-Fa-f:.]+)\]$")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_AUTHORITY_END = re.compile(r"[/?#]")
_PCHARS = r"A-Za-z0-9\-._~!$&'()*+,;=:@"
# The common case, already normal: lower-case http(s) and ASCII host, plain path, no "#".
_FAST = re.compile(
    rf"^(?:(https?)://([a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?)(?::([0-9]{{1,5}}))?)?"
    rf"((?:/[{_PCHARS}]*)*)(?:\?([{_PCHARS}/?]*(?:%[0-9A-Fa-f]{{2}}[{_PCHARS}/?]*)*))?$")
_REFUSED_MESSAGE = "is not a URL"


class UrlError(InputError):
    """A value that is not a URL the kit can compare; ``reason`` says why in plain words."""

    def __init__(self, value: object, reason: str, *, what: str | None = None) -> None:
        self.value = value
        self.reason = reason
        shown = value if not isinstance(value, str) or len(value) <= 80 else value[:77] + "..."
        super().__init__(what or f"{shown!r} {_REFUSED_MESSAGE}: {reason}.")


class Url(NamedTuple):
    """A URL split into its normalised parts (see the module's rules).

    ``scheme`` and ``host`` are ``""`` for a site-relative path (``/a?b``); ``port`` is
    None when absent or the scheme's default; ``query`` and ``fragment`` are None when
    the URL has no ``?`` / ``#`` (``""`` for an empty one).
    """

    scheme: str
    host: str
    port: int | None
    path: str
    query: str | None
    fragment: str | None

    @property
    def origin(self) -> str:
        """``scheme://host[:port]``, or ``""`` for a site-relative path."""
        if not self.scheme:
            return ""
        return f"{self.scheme}://{self.host}" + (f":{self.port}" if self.port is not None else "")

    @property
    def target(self) -> str:
        """Path and query as a client requests them: ``/a?b``."""
        return self.path + (f"?{self.query}" if self.query is not None else "")

    def text(self, *, fragment: bool = False) -> str:
        """The URL written out; with the fragment only when ``fragment`` is true."""
        tail = f"#{self.fragment}" if fragment and self.fragment is not None else ""
        return self.origin + self.target + tail

    def __str__(self) -> str:
        return self.text(fragment=True)


# --- the always-safe rules ----------------------------------------------------------------


def _encode_non_ascii(part: str) -> str:
    """Percent-encode non-ASCII characters as UTF-8 (RFC 3987 §3.1), hex upper case."""
    if part.isascii():
        return part
    return _NON_ASCII.sub(
        lambda m: "".join(f"%{byte:02X}" for byte in m.group(0).encode("utf-8")), part)


def _fix_percent(part: str) -> str:
    """Uppercase percent-encoding hex and decode unreserved characters (RFC 3986 §6.2.2.2)."""
    if "%" not in part:
        return part

    def repl(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT.sub(repl, part)


def _normal_part(part: str) -> str:
    return _fix_percent(_encode_non_ascii(part))


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4, for paths that contain ``.`` or ``..`` segments."""
    if "/." not in path and not path.startswith("."):
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
            continue
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
            continue
        output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") else "/" + result


@lru_cache(maxsize=4096)
def _idna(host: str) -> str:
    """An internationalised host name in ASCII (UTS #46 non-transitional, as browsers)."""
    import idna  # only internationalised hosts need it: start-up stays fast

    try:
        return idna.encode(host, uts46=True, std3_rules=True,
                           transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError) as error:
        raise ValueError(f"host {host!r} is not a valid internationalised domain name "
                         f"(IDNA: {error})") from None


def normal_host(host: str) -> str:
    """A host name or IP address in its one written form; ``ValueError`` if it is none.

    Lower case; internationalised names in punycode (``bücher.example`` →
    ``xn--bcher-kva.example``); IPv6 addresses bracketed and compressed (``[::1]``).
    """
    if host.startswith("["):
        match = _IPV6.match(host)
        try:
            address = ipaddress.IPv6Address(match.group(1)) if match else None
        except ValueError:
            address = None
        if address is None:
            raise ValueError(f"host {host!r} is not an IPv6 address in brackets")
        return f"[{address.compressed}]"
    if "%" in host:
        from urllib.parse import unquote

        host = unquote(host, errors="strict")
    if host.isascii():
        if not _ASCII_HOST.match(host) or ".." in host:
            raise ValueError(f"host {host!r} is not a domain name or IP address")
        host = host.lower()
        if "xn--" not in host:
            return host
    return _idna(host.lower() if host.isascii() else host)


def _split_authority(authority: str, scheme: str, value: str) -> tuple[str, int | None]:
    if "@" in authority:
        raise UrlError(value, "it carries a user name or password (user:pw@host); remove them: "
                              "the kit does not compare or copy credentials (RFC 3986 §3.2.1)")
    if authority.startswith("["):
        end = authority.find("]")
        host, rest = (authority[: end + 1], authority[end + 1:]) if end > 0 else (authority, "")
        if rest and not rest.startswith(":"):
            raise UrlError(value, f"{rest!r} after the IPv6 address is not a port")
        port_text = rest[1:]
    else:
        host, _, port_text = authority.partition(":")
    port: int | None = None
    if port_text:
        if not port_text.isascii() or not port_text.isdigit() or len(port_text) > 5 \
                or not 0 < int(port_text) <= 65535:
            raise UrlError(value, f"port {port_text!r} is not a number from 1 to 65535")
        port = int(port_text)
        if port == _DEFAULT_PORTS[scheme]:
            port = None
    if not host:
        raise UrlError(value, "it has no host name")
    try:
        return normal_host(host), port
    except (ValueError, UnicodeError) as error:
        raise UrlError(value, str(error)) from None


def _split_rest(rest: str) -> tuple[str, str | None, str | None]:
    rest, hash_, fragment = rest.partition("#")
    path, question, query = rest.partition("?")
    return path, (query if question else None), (fragment if hash_ else None)


def _merge(base: Url, reference: str) -> tuple[str, str | None, str | None]:
    """RFC 3986 §5.2.2 for a reference without scheme and authority."""
    path, query, fragment = _split_rest(reference)
    if not path:
        return base.path, (query if query is not None else base.query), fragment
    if not path.startswith("/"):
        path = base.path[: base.path.rfind("/") + 1] + path
    return path, query, fragment


def _fast_url(scheme: str, host: str, port_text: str | None) -> bool:
    return ".." not in host and "xn--" not in host and (
        not port_text or 0 < int(port_text) <= 65535)


def parse_url(value: object, *, base: str | Url | None = None,
              stray_percent: bool = False) -> Url:
    """``value`` as a normalised :class:`Url`, resolved against ``base`` when relative.

    Accepts an absolute http(s) URL or a path starting with ``/``; with ``base`` (an
    absolute URL) also every relative reference (``page.html``, ``../a``, ``?q``,
    ``//host/x``), resolved as a browser resolves a link (RFC 3986 §5.2).  Raises
    :class:`UrlError` with the reason for anything else; nothing is stripped first.
    A ``%`` not followed by two hex digits is refused, unless ``stray_percent`` is true:
    then it is read literally (``%25``), as browsers read what a crawler met.
    """
    if not isinstance(value, str):
        raise UrlError(value, "it is not text")
    fast = _FAST.match(value)
    if fast is None and value[:1] in "hH":  # upper case in the scheme or host only?
        end = _AUTHORITY_END.search(value, 8)
        cut = end.start() if end else len(value)
        if not value[:cut].islower():
            fast = _FAST.match(value[:cut].lower() + value[cut:])
    if fast is not None:  # already normal but for a default port or odd %-escapes in the query
        scheme, host, port_text, path, query = fast.groups()
        if "/." not in path and (_fast_url(scheme, host, port_text) if scheme else (
                base is None and path and not path.startswith("//"))):
            port = int(port_text) if port_text else None
            if port == _DEFAULT_PORTS.get(scheme):
                port = None
            return Url(scheme or "", host or "", port, path or "/",
                       _fix_percent(query) if query else query, None)
    if not value:
        raise UrlError(value, "it is empty")
    bad = _BAD_CHARS.search(value)
    if bad:
        raise UrlError(value, f"it contains {bad.group(0)!r} (spaces and control characters "
                              "must be percent-encoded)")
    if "%" in value and _BAD_PERCENT.search(value):
        if not stray_percent:
            raise UrlError(value, "a % is not followed by two hex digits")
        value = _BAD_PERCENT.sub("%25", value)
    base_url = _parse_base(base) if isinstance(base, str) else base
    if base_url is not None and not base_url.scheme:
        raise UrlError(base, "a base URL must be absolute (https://host/...)")
    scheme_match = _SCHEME.match(value)
    if scheme_match:
        scheme = scheme_match.group(1).lower()
        if scheme not in _DEFAULT_PORTS:
            raise UrlError(value, f"scheme {scheme}: is not http or https")
        rest = value[scheme_match.end():]
        if not rest.startswith("//"):
            raise UrlError(value, f"{scheme}: must be followed by //host")
        rest = rest[2:]
    elif value.startswith("//"):
        if base_url is None:
            raise UrlError(value, "a protocol-relative URL (//host/...) needs a base URL")
        scheme, rest = base_url.scheme, value[2:]
    else:
        scheme = ""
        rest = value
    if not rest.isascii():
        try:
            rest.encode("utf-8")
        except UnicodeEncodeError:
            raise UrlError(value, "it contains characters that are not valid Unicode") from None
    if scheme:
        end = _AUTHORITY_END.search(rest)
        cut = end.start() if end else len(rest)
        host, port = _split_authority(rest[:cut], scheme, value)
        path, query, fragment = _split_rest(rest[cut:])
    elif value.startswith("/"):
        host, port = "", None
        path, query, fragment = _split_rest(value)
        if base_url is not None:
            scheme, host, port = base_url.scheme, base_url.host, base_url.port
    elif base_url is not None:
        scheme, host, port = base_url.scheme, base_url.host, base_url.port
        path, query, fragment = _merge(base_url, value)
    else:
        raise UrlError(value, "expected https://host/path or /path")
    path = _remove_dot_segments(_normal_part(path)) if path else "/"
    if not scheme and path.startswith("//"):  # would read as a host (RFC 3986 §4.2)
        path = "/." + path
    return Url(scheme, host, port, path, _normal_part(query) if query else query,
               _normal_part(fragment) if fragment else fragment)


@lru_cache(maxsize=1024)
def _parse_base(base: str) -> Url:
    """A base URL parsed once (pages resolve hundreds of links against the same base)."""
    return parse_url(base)


# --- policies: the site-dependent rules -----------------------------------------------------

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

_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/?;]*", re.IGNORECASE)
_LOWER_ESCAPE = re.compile(r"%[0-9a-f]{2}", re.IGNORECASE)
_IP_HOST = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\])$")

_UTF8_RUN = re.compile(r"(?:%[89A-F][0-9A-F])+")


def _lower_utf8(match: re.Match[str]) -> str:
    """A run of percent-encoded UTF-8, lowercased (``%C3%89`` É → ``%C3%A9`` é)."""
    try:
        text = bytes.fromhex(match.group(0).replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return match.group(0)
    return _encode_non_ascii(text.lower())


HostRule = Literal["keep", "strip_www", "add_www"]
SlashRule = Literal["keep", "strip", "add"]


@dataclass(frozen=True)
class NormalizationPolicy:
    """Which site-dependent rules to apply on top of the always-safe ones.

    Each field is one rule; the defaults apply none of them (:data:`STRICT`).

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

    @property
    def is_strict(self) -> bool:
        """True when no site-dependent rule is on."""
        return not (self.https or self.host != "keep" or self.trailing_slash != "keep"
                    or self.lowercase_path or self.drop_index_file or self.sort_query
                    or self.drop_tracking or self.drop_session_ids or self.drop_parameters
                    or self.drop_empty_query)

    def with_changes(self, **changes: object) -> NormalizationPolicy:
        """A copy with some rules changed, named ``custom`` unless a name is given."""
        changes.setdefault("name", "custom")
        return replace(self, **changes)  # type: ignore[arg-type]

    def rules(self) -> pd.DataFrame:
        """The policy as a table (rule, setting, effect) for notebooks and reports."""
        import pandas as pd  # kit.urls stays light for the command line

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

STRICT = NormalizationPolicy(name="strict")
"""No site-dependent rule: the always-safe ones only (the default everywhere)."""


def _parameter_dropped(name: str, policy: NormalizationPolicy) -> bool:
    key = name.lower()
    if policy.drop_tracking and (key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES)):
        return True
    if policy.drop_session_ids and key in SESSION_PARAMETERS:
        return True
    return key in policy.drop_parameters


def _policy_query(query: str | None, policy: NormalizationPolicy) -> str | None:
    if query is None:
        return None
    pieces = query.split("&")
    if policy.drop_empty_query:
        pieces = [piece for piece in pieces if piece]
    if policy.drop_tracking or policy.drop_session_ids or policy.drop_parameters:
        pieces = [p for p in pieces if not p or not _parameter_dropped(p.split("=", 1)[0], policy)]
    if policy.sort_query:
        pieces.sort(key=lambda piece: (piece.split("=", 1)[0], piece))
    result = "&".join(pieces)
    if not result and (policy.drop_empty_query or policy.drop_tracking
                       or policy.drop_session_ids or policy.drop_parameters):
        return None
    return result


def _policy_host(host: str, rule: HostRule) -> str:
    if _IP_HOST.match(host) or "." not in host.rstrip("."):
        return host
    if rule == "strip_www":
        while host.startswith("www.") and "." in host[4:].rstrip("."):
            host = host[4:]
    elif rule == "add_www" and not host.startswith("www."):
        host = "www." + host
    return host


def _policy_path(path: str, policy: NormalizationPolicy) -> str:
    if policy.drop_session_ids and ";" in path:
        path = _PATH_SESSION.sub("", path)
    if policy.lowercase_path:
        path = _LOWER_ESCAPE.sub(lambda m: m.group(0).upper(), path.lower())
        if "%" in path:  # non-ASCII letters are percent-encoded UTF-8: lowercase them too
            path = _UTF8_RUN.sub(_lower_utf8, path)
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


def _apply_policy(url: Url, policy: NormalizationPolicy) -> Url:
    scheme, host, port = url.scheme, url.host, url.port
    if scheme and policy.https and scheme == "http":
        scheme = "https"
        if port == _DEFAULT_PORTS["https"]:
            port = None
    if host and policy.host != "keep":
        host = _policy_host(host, policy.host)
    path = _policy_path(url.path, policy)
    # a dropped session id or index file can leave dot-segments or "//": normalise again
    path = _remove_dot_segments(_fix_percent(path))
    if not scheme and path.startswith("//"):
        path = "/." + path
    return Url(scheme=scheme, host=host, port=port, path=path,
               query=_policy_query(url.query, policy), fragment=url.fragment)


# --- the public entry points ------------------------------------------------------------------


def normalize(
    url: object,
    *,
    base: str | Url | None = None,
    policy: NormalizationPolicy | None = None,
    keep_fragment: bool = False,
) -> str:
    """THE identity of a URL: the always-safe rules, then ``policy``'s, as one string.

    ``url`` as :func:`parse_url` takes it (resolved against ``base`` when relative; a
    path stays a path without ``base``).  ``keep_fragment`` keeps ``#...`` (for display
    and for exports; identity drops it).  Raises :class:`UrlError` with the reason.
    Idempotent: normalising a normalised URL with the same policy changes nothing.
    """
    if base is None and (policy is None or policy.is_strict) and isinstance(url, str):
        fast = _FAST.match(url)
        if fast is not None and fast.group(3) is None and fast.group(4) \
                and "%" not in (fast.group(5) or "") and "/." not in fast.group(4) \
                and (_fast_url(fast.group(1), fast.group(2), None) if fast.group(1)
                     else not url.startswith("//")):
            return url  # already normal: the same object, no new string
    parts = parse_url(url, base=base)
    if policy is not None and not policy.is_strict:
        parts = _apply_policy(parts, policy)
    return parts.text(fragment=keep_fragment)


_PLAIN = re.compile(
    r"^(https?)://([a-z0-9][a-z0-9.\-]*[a-z0-9])((?:/[A-Za-z0-9\-._~!$&'()*+,=:@]*)*)$")


def normalize_many(
    urls: Iterable[object], *, policy: NormalizationPolicy | None = None,
) -> list[str | None]:
    """:func:`normalize` over many values (each stripped first); None where one is no URL.

    Gives exactly what :func:`normalize` gives, value by value; plain URLs (lower-case
    ASCII host, path of unreserved characters, no query) take a shortcut that normalises
    each distinct scheme and host once.
    """
    rules = policy or STRICT
    out: list[str | None] = []
    prefixes: dict[tuple[str, str], str | None] = {}
    for url in urls:
        plain = _PLAIN.match(url) if isinstance(url, str) else None
        if plain is not None and "/." not in plain.group(3) and "xn--" not in plain.group(2):
            scheme, host, path = plain.group(1), plain.group(2), plain.group(3)
            prefix = prefixes.get((scheme, host), "")
            if prefix == "":
                try:
                    prefix = normalize(f"{scheme}://{host}/", policy=rules)[:-1]
                except UrlError:
                    prefix = None
                prefixes[(scheme, host)] = prefix
            if prefix is not None:
                out.append(prefix + _policy_path(path or "/", rules))
                continue
        try:
            value: str | None = normalize(url.strip() if isinstance(url, str) else url,
                                          policy=rules)
        except UrlError:
            value = None
        out.append(value)
    return out


@lru_cache(maxsize=200_000)
def _cached_key(url: str, base: str | None) -> str | None:
    try:
        return parse_url(url, base=base, stray_percent=True).text()
    except UrlError:
        return None


def url_key(url: object, base: str | None = None) -> str | None:
    """The normalised absolute form of ``url`` (resolved against ``base``), or None.

    The forgiving form of :func:`normalize` for crawled pages and links: surrounding
    whitespace is stripped, and None stands for anything that is not an http(s) URL
    (``mailto:``, text with spaces, a path without ``base``, credentials, bad hosts).
    A stray ``%`` is read literally (``%25``), as browsers do with what a crawler met.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if base is not None and not isinstance(base, str):
        return None
    if len(url) > 100_000 or (base is not None and len(base) > 100_000):
        try:
            return parse_url(url, base=base, stray_percent=True).text()
        except UrlError:
            return None
    key = _cached_key(url, base)
    return key if key is None or key.startswith(("http://", "https://")) else None


def is_url(value: object) -> bool:
    """True for an absolute http(s) URL or a path starting with ``/`` that the kit compares.

    Empty strings, text with spaces or control characters, malformed percent-encoding,
    malformed hosts, credentials (``user:pw@``) and scheme-less words (``old page.html``,
    ``htp:/x``) are not URLs for the kit's purposes; :func:`parse_url` says why.
    """
    if not isinstance(value, str):
        return False
    try:
        parse_url(value)
    except UrlError:
        return False
    return True


def safe_normalize(url: str) -> str:
    """Only the rules that never change what a URL points to (fragment dropped).

    An absolute URL stays absolute, a path stays a path.  Raises :class:`UrlError`.
    """
    return normalize(url)


def site_key(url: str, origin: str = DEFAULT_ORIGIN) -> str:
    """A comparison key: ``url`` made absolute against ``origin``, then safely normalised.

    Raises :class:`UrlError` (a ``ValueError``) for values that :func:`is_url` rejects.
    """
    parts = parse_url(url)
    if parts.scheme:
        return parts.text()
    return normalize(origin.rstrip("/") + parts.text())


def site_relative_key(url: str, origin: str, base: str | None = None) -> str:
    """A compact comparison key: the normalised path for the site's own URLs, else the URL.

    ``origin`` is the site (``https://example.com``, normalised); a relative ``url`` is
    resolved against ``base`` (default: the site), as a browser resolves a relative
    ``Location`` against the URL that answered.  Keys of one site compare equal whether
    written relative or absolute.  An already-normal ASCII path is returned as the same
    object, so a million-row map costs no new strings.  Raises :class:`UrlError`.
    """
    if url.startswith("/") and not url.startswith("//"):
        if url.isascii() and "%" not in url and "#" not in url and "/." not in url:
            path = url
        else:
            path = normalize(url)
        return path if base is None or base == origin else base + path
    key = normalize(url)
    return key[len(origin):] if key.startswith(origin + "/") else key


def normal_origin(origin: str) -> str:
    """``scheme://host`` of an origin, normalised (lowercase, punycode, default port dropped)."""
    scheme, host = split_origin(origin)
    return f"{scheme}://{host}"


def split_origin(origin: str) -> tuple[str, str]:
    """``(scheme, host[:port])`` of an origin such as ``https://example.com``.

    Raises ``ValueError`` (a :class:`UrlError`) for anything but scheme and host.
    """
    text = origin.strip() if isinstance(origin, str) else origin
    try:
        parts = parse_url(text)
    except UrlError as error:
        reason = error.reason
    else:
        reason = "" if parts.scheme else "it is a path"
    if reason:
        raise UrlError(origin, reason, what=f"site origin {origin!r} is not an http(s) URL like "
                                            f"https://example.com ({reason})")
    if parts.path != "/" or parts.query is not None or parts.fragment is not None:
        raise UrlError(origin, "it has a path, query or fragment",
                       what=f"site origin {origin!r} should be scheme and host only, like "
                            "https://example.com")
    return parts.scheme, parts.origin.split("://", 1)[1]


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL, normalised; ``""`` for a path.

    Raises :class:`UrlError` for values that :func:`is_url` rejects.
    """
    return parse_url(url).origin


def guess_origin(urls: Iterable[object], fallback: str = DEFAULT_ORIGIN) -> str:
    """The most common ``scheme://host`` among the absolute URLs, or ``fallback``."""
    counts: Counter[str] = Counter()
    for url in urls:
        if isinstance(url, str) and url.startswith(("http", "HTTP", "Http")):
            try:
                origin = parse_url(url).origin
            except UrlError:
                continue
            if origin:
                counts[origin] += 1
    if not counts:
        return fallback
    return counts.most_common(1)[0][0]


def path_of(url: str) -> str:
    """The path and query of a URL (``/a?b``), for display and for server configs.

    As written (not normalised); the fragment goes.  A value that is no URL comes back
    as it is.
    """
    if url.startswith("/") and not url.startswith("//"):
        return url.split("#", 1)[0]
    match = _SCHEME.match(url)
    if not match or not url[match.end():].startswith("//"):
        return url
    rest = url[match.end() + 2:].split("#", 1)[0]
    cut = min((p for p in (rest.find("/"), rest.find("?")) if p >= 0), default=len(rest))
    target = rest[cut:]
    return target if target.startswith("/") else "/" + target


def host_of(url_or_host: object, *, strip_www: bool = False) -> str:
    """The normalised host (punycode, lower case, no port) of a URL, ``//host`` or bare host.

    Only the authority is read, so a link whose path or query is badly encoded still has
    a host; any scheme is accepted (a referrer may be ``android-app://…``).  ``""`` when
    there is no host or it is malformed or carries credentials.  ``strip_www`` drops a
    leading ``www.`` (the tracking module's policy).
    """
    if not isinstance(url_or_host, str):
        return ""
    text = url_or_host.strip()
    match = _SCHEME.match(text)
    if match and text[match.end():].startswith("//"):
        rest = text[match.end() + 2:]
    elif text.startswith("//"):
        rest = text[2:]
    elif "://" in text or (match and not text[match.end():match.end() + 1].isdigit()):
        return ""  # another kind of address (mailto:, urn:) or a malformed one
    else:
        rest = text  # a bare host, perhaps with a port
    cut = len(rest)
    for char in "/?#":
        position = rest.find(char)
        if 0 <= position < cut:
            cut = position
    try:
        host = _split_authority(rest[:cut], "https", text)[0]
    except UrlError:
        return ""
    return host.removeprefix("www.") if strip_www else host


def split_url(text: str) -> tuple[str, str, str, str | None, str | None]:
    """``(scheme, authority, path, query, fragment)`` exactly as written: no checks, no
    normalisation (``scheme`` and ``authority`` are ``""`` for a path).

    For code that edits a link (adding campaign parameters); whether two URLs are the
    same is :func:`normalize`'s job, never this one's.
    """
    scheme = authority = ""
    rest = text
    match = _SCHEME.match(text)
    if match and text[match.end():].startswith("//"):
        scheme, rest = match.group(1), text[match.end():]
    if rest.startswith("//"):
        rest = rest[2:]
        cut = len(rest)
        for char in "/?#":
            position = rest.find(char)
            if 0 <= position < cut:
                cut = position
        authority, rest = rest[:cut], rest[cut:]
    path, query, fragment = _split_rest(rest)
    return scheme, authority, path, query, fragment


def host_and_port(authority: str, scheme: str = "https") -> tuple[str, int | None]:
    """The normalised host and the port (None when absent or the scheme's default) of
    an authority such as ``Bücher.example:8080``; :class:`UrlError` for credentials, a bad
    host or a bad port."""
    return _split_authority(authority, scheme if scheme in _DEFAULT_PORTS else "https",
                            authority)


def query_of(url: object) -> str:
    """The raw query string of a URL (after ``?``, before ``#``); ``""`` when it has none.

    For reading parameters (``urllib.parse.parse_qsl``), not for identity: it works on
    any text, URL or not.
    """
    if not isinstance(url, str):
        return ""
    return url.split("#", 1)[0].partition("?")[2]
