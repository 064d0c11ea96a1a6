"""The key of a crawled URL, and the site it belongs to: the kit's one URL identity.

Both come from :mod:`kit.urls` (RFC 3986's always-safe normalisation, IDNA hosts as
punycode, percent-encoding compared after normalisation), so the page table, the SEO
audit and the duplicate finder call a page by the same key as every other module.
"""

from __future__ import annotations

from kit.urls import UrlError, origin_of, url_key

__all__ = ["site_of", "url_key"]


def site_of(key: str) -> str:
    """``scheme://host[:port]`` of a key; ``""`` for anything that is no absolute URL."""
    try:
        return origin_of(key)
    except UrlError:
        return ""
