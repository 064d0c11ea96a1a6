"""The key of a crawled URL: its normalised absolute http(s) form, or None.

Built on :func:`kit.urls.safe_normalize` (RFC 3986's always-safe normalisation), so
the page table, the SEO audit and the duplicate finder call a page by the same key.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urljoin, urlsplit

from kit.urls import safe_normalize

__all__ = ["site_of", "url_key"]

_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"
_ABSOLUTE = re.compile(r"^https?://[^/?#\s]+", re.I)
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?|\[[0-9a-f:.]+\]|[0-9a-f:.]+")


@lru_cache(maxsize=200_000)
def _cached_key(url: str, base: str | None) -> str | None:
    return _url_key(url, base)


def url_key(url: object, base: str | None = None) -> str | None:
    """The normalised absolute http(s) form of ``url`` (resolved against ``base``), or None.

    RFC 3986's always-safe normalisation (kit.urls.safe_normalize), fragment dropped.
    None for anything that is not an http(s) URL: ``mailto:``, text with spaces,
    malformed hosts.  Non-ASCII characters in the path or query are percent-encoded as
    UTF-8 (RFC 3987); an internationalised host name is converted to punycode (IDNA).
    """
    if not isinstance(url, str):
        return None
    if len(url) > 100_000:
        return _url_key(url, base)
    return _cached_key(url, base)


def _url_key(url: str, base: str | None = None) -> str | None:
    """:func:`url_key` without the cache."""
    url = url.strip()
    if not url or any(char in url for char in " \t\r\n\x00<>\"\\^`{|}"):
        return None
    try:
        absolute = urljoin(base, url) if base else url
        parts = urlsplit(absolute)
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if port is not None and not 0 < port < 65536:
        return None
    host = parts.hostname
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        absolute = absolute.replace(parts.netloc, parts.netloc.replace(
            parts.netloc.rsplit("@", 1)[-1].split(":")[0], ascii_host), 1)
        host = ascii_host
    if not _HOST.fullmatch(host):
        return None
    if not absolute.isascii():  # an IRI: percent-encode as UTF-8, as browsers do (RFC 3987)
        absolute = quote(absolute, safe=_URI_SAFE)
    try:
        return safe_normalize(absolute)
    except (ValueError, IndexError):
        return None


def site_of(key: str) -> str:
    """``scheme://host[:port]`` of a key."""
    match = _ABSOLUTE.match(key)
    return match.group(0) if match else ""
