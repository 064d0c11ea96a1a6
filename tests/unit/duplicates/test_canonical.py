"""canonical_key: spellings of one declared canonical compare equal, other pages do not."""

from __future__ import annotations

import pytest

from kit.duplicates.canonical import canonical_key

ORIGIN = "https://shop.example"


@pytest.mark.parametrize(("a", "b", "origin"), [
    ("/boots/", "https://shop.example/boots/", ORIGIN),
    ("https://SHOP.example/boots/", "https://shop.example/boots/", None),
    ("  /boots/ ", "/boots/", ORIGIN),
    ("https://shop.example/%62oots/", "https://shop.example/boots/", None),
    ("https://shop.example:443/boots/", "https://shop.example/boots/", None),
])
def test_same_page(a: str, b: str, origin: str | None) -> None:
    assert canonical_key(a, origin) == canonical_key(b, origin)


@pytest.mark.parametrize(("a", "b", "origin"), [
    ("/boots/", "/boots", ORIGIN),  # a trailing slash is a site policy, not a safe rule
    ("/Boots/", "/boots/", ORIGIN),
    ("http://shop.example/boots/", "https://shop.example/boots/", None),
    ("/boots/", "https://other.example/boots/", ORIGIN),
])
def test_different_pages(a: str, b: str, origin: str | None) -> None:
    assert canonical_key(a, origin) != canonical_key(b, origin)
