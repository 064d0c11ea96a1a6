"""When two declared canonicals name the same page: one comparison key for them.

``rel="canonical"`` may be written relative (``/shoes``) or absolute, with a different
case of host or needless percent-escapes; Google resolves it against the page's URL
(Google Search Central, "How to specify a canonical URL with rel="canonical" and other
methods").  :func:`canonical_key` makes such spellings equal without applying any site
policy, so clustering (votes for a canonical), findings (is a duplicate already handled?)
and the capstone's criterion compare declarations the same way.
"""

from __future__ import annotations

from kit.urls import safe_normalize

__all__ = ["canonical_key"]


def canonical_key(url: str, origin: str | None) -> str:
    """A comparison key for declared canonicals: absolute when possible, safely normalised.

    A path (``/shoes``) is made absolute on ``origin`` when one is known; then only the
    RFC 3986 normalisations that never change what a URL points to are applied
    (:func:`kit.urls.safe_normalize`).
    """
    text = url.strip()
    if text.startswith("/") and origin:
        text = origin.rstrip("/") + text
    return safe_normalize(text)
