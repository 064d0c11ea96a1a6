"""When two declared canonicals name the same page: one comparison key for them.

``rel="canonical"`` may be written relative (``/shoes``) or absolute, with a different
case of host or needless percent-escapes; Google resolves it against the page's URL
(Google Search Central, "How to specify a canonical URL with rel="canonical" and other
methods").  :func:`canonical_key` makes such spellings equal without applying any site
policy, so clustering (votes for a canonical), findings (is a duplicate already handled?)
and the capstone's criterion compare declarations the same way.
"""

from __future__ import annotations

from kit.urls import UrlError, normalize, url_key

__all__ = ["canonical_key"]


def canonical_key(url: str, origin: str | None) -> str:
    """A comparison key for declared canonicals: absolute when possible, safely normalised.

    A path (``/shoes``) is made absolute on ``origin`` when one is known; then only the
    normalisations that never change what a URL points to are applied (the kit's URL
    identity, :mod:`kit.urls`).  A value that is no URL keeps its text, so it matches
    nothing but itself.
    """
    key = url_key(url, origin.rstrip("/") + "/" if origin else None)
    if key is not None:
        return key
    try:
        return normalize(url.strip())
    except UrlError:
        return url.strip()
