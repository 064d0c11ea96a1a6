"""URL handling shared by every module: validation and the always-safe normalisation.

The always-safe rules are those of RFC 3986 §6.2.2-6.2.3: lowercase scheme and host,
uppercase percent-encoding hex and decode unreserved characters, remove dot-segments,
drop the default port, and an empty path becomes ``/``.  Nothing site-dependent
(trailing slash, ``www``, case of the path, query parameters) happens here.

A *site key* puts relative and absolute URLs of one site on the same footing: a
relative URL is resolved against the site's origin, so ``/a`` and
``https://example.com/a`` get the same key when the site is ``https://example.com``.
The fragment is dropped, since it is never sent to the server.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_ORIGIN",
    "guess_origin",
    "is_url",
    "normal_origin",
    "path_of",
    "safe_normalize",
    "site_key",
    "site_relative_key",
    "split_origin",
]

DEFAULT_ORIGIN = "https://site.invalid"
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_ABSOLUTE = re.compile(r"^(https?)://([^/?#\s]+)(.*)$", re.IGNORECASE)
_HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$"
)
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PORT = re.compile(r":([0-9]{1,5})$")


def _host_ok(hostport: str) -> bool:
    """A well-formed host with, if any, a port from 0 to 65535."""
    port = _PORT.search(hostport)
    return bool(_HOST.match(hostport)) and (port is None or int(port.group(1)) <= 65535)


_BAD_CHARS = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f]")


def _fix_percent(part: str) -> str:
    """Uppercase percent-encoding hex and decode unreserved characters (RFC 3986 §6.2.2.2)."""

    def repl(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT.sub(repl, part)


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


def _split_origin(origin: str) -> tuple[str, str]:
    match = _ABSOLUTE.match(origin.strip())
    if not match:
        raise ValueError(f"site origin {origin!r} is not an http(s) URL like https://example.com")
    scheme = match.group(1).lower()
    if match.group(3) not in ("", "/") or not _host_ok(match.group(2)):
        raise ValueError(f"site origin {origin!r} should be scheme and host only, like "
                         "https://example.com")
    return scheme, _normal_host(match.group(2), scheme)


def _normal_host(netloc: str, scheme: str) -> str:
    """Lowercase host; drop the port only when it is this scheme's default (RFC 3986 §6.2.3)."""
    netloc = netloc.rsplit("@", 1)[-1].lower()
    host, sep, port = netloc.rpartition(":")
    if sep and port.isdigit() and "]" not in port and port == _DEFAULT_PORTS.get(scheme):
        return host
    return netloc


def is_url(value: object) -> bool:
    """True for an absolute http(s) URL or a path starting with ``/``.

    Empty strings, text with spaces or control characters, malformed percent-encoding,
    malformed hosts, and scheme-less words (``old page.html``, ``htp:/x``) are not URLs
    for the kit's purposes.
    """
    if not isinstance(value, str) or not value or _BAD_CHARS.search(value):
        return False
    if "%" in value and _BAD_PERCENT.search(value):
        return False
    if value.startswith("/"):
        return not value.startswith("//")
    match = _ABSOLUTE.match(value)
    return bool(match) and _host_ok(match.group(2).rsplit("@", 1)[-1])


def safe_normalize(url: str) -> str:
    """Apply only the RFC 3986 normalisations that never change what a URL points to."""
    match = _ABSOLUTE.match(url)
    if match:
        scheme = match.group(1).lower()
        host = _normal_host(match.group(2), scheme)
        rest = match.group(3)
        prefix = f"{scheme}://{host}"
    else:
        rest, prefix = url, ""
    rest = rest.split("#", 1)[0]
    path, sep, query = rest.partition("?")
    if "%" in path:
        path = _fix_percent(path)
    path = _remove_dot_segments(path) if path else "/"
    if "%" in query:
        query = _fix_percent(query)
    return f"{prefix}{path}{sep}{query}"


def site_key(url: str, origin: str = DEFAULT_ORIGIN) -> str:
    """A comparison key: ``url`` made absolute against ``origin``, then safely normalised.

    Raises ``ValueError`` for values that :func:`is_url` rejects.
    """
    if not is_url(url):
        raise ValueError(f"{url!r} is not a URL (expected https://host/path or /path)")
    if url.startswith("/"):
        return safe_normalize(origin.rstrip("/") + url)
    return safe_normalize(url)


def site_relative_key(url: str, origin: str, base: str | None = None) -> str:
    """A compact comparison key: the normalised path for the site's own URLs, else the URL.

    ``origin`` is the site (``https://example.com``, normalised); a relative ``url`` is
    resolved against ``base`` (default: the site), as a browser resolves a relative
    ``Location`` against the URL that answered.  Keys of one site compare equal whether
    written relative or absolute.  An already-normal path is returned as the same
    object, so a million-row map costs no new strings.  ``url`` must pass :func:`is_url`.
    """
    if url.startswith("/"):
        path = url if ("%" not in url and "#" not in url and "/." not in url) else (
            safe_normalize(url)
        )
        return path if base is None or base == origin else base + path
    key = safe_normalize(url)
    return key[len(origin):] if key.startswith(origin + "/") else key


def normal_origin(origin: str) -> str:
    """``scheme://host`` of an origin, normalised (lowercase, default port dropped)."""
    scheme, host = _split_origin(origin)
    return f"{scheme}://{host}"


def guess_origin(urls: Iterable[str], fallback: str = DEFAULT_ORIGIN) -> str:
    """The most common ``scheme://host`` among the absolute URLs, or ``fallback``."""
    counts: Counter[str] = Counter()
    for url in urls:
        if isinstance(url, str) and is_url(url):
            match = _ABSOLUTE.match(url)
            if match:
                scheme = match.group(1).lower()
                counts[f"{scheme}://{_normal_host(match.group(2), scheme)}"] += 1
    if not counts:
        return fallback
    return counts.most_common(1)[0][0]


def split_origin(origin: str) -> tuple[str, str]:
    """``(scheme, host)`` of an origin such as ``https://example.com``."""
    return _split_origin(origin)


def path_of(url: str) -> str:
    """The path and query of a URL (``/a?b``), for display and for server configs."""
    if url.startswith("/"):
        return url
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
