"""kit.sources: the citation registry findings and notebooks cite by id."""

from __future__ import annotations

import pytest

from kit.sources import SOURCES, cite, resolves, source_ids


def test_cite_joins_texts_in_order() -> None:
    assert cite("google-redirects") == "Google Search Central, 'Redirects and Google Search'"
    assert cite("rfc9110-status", "google-http-status") == (
        "RFC 9110 §15 (status codes); Google Search Central, 'HTTP status codes, network and "
        "DNS errors'")


def test_cite_refuses_unknown_or_no_ids() -> None:
    with pytest.raises(KeyError, match="no-such-page"):
        cite("google-redirects", "no-such-page")
    with pytest.raises(KeyError):
        cite()


def test_resolves_finds_the_ids_back() -> None:
    text = cite("google-redirects", "google-site-moves-soft-404")
    assert source_ids(text) == ("google-redirects", "google-site-moves-soft-404")
    assert resolves(SOURCES["google-title-links-headings"].text)  # a text with "; " inside


@pytest.mark.parametrize("text", [
    "", "Google Search Central", "Google Search Central, 'Redirects and Google Search';",
    "Google Search Central, 'Redirects and Google Search'; made up",
    "google search central, 'redirects and google search'",
])
def test_resolves_refuses_what_is_not_registered(text: str) -> None:
    assert not resolves(text)


def test_ids_and_texts_are_unique() -> None:
    texts = [source.text for source in SOURCES.values()]
    assert len(texts) == len(set(texts))
    assert all(key == source.id for key, source in SOURCES.items())
