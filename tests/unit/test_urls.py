"""kit.urls: what counts as a URL, the always-safe normalisation, and site keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.urls import (
    DEFAULT_ORIGIN,
    guess_origin,
    is_url,
    path_of,
    safe_normalize,
    site_key,
    split_origin,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("/", True, id="root"),
        pytest.param("/old-page.html", True, id="path"),
        pytest.param("/a?b=1&c=2", True, id="path-query"),
        pytest.param("/caf%C3%A9", True, id="percent-encoded"),
        pytest.param("https://example.com", True, id="absolute-no-path"),
        pytest.param("HTTP://Example.COM/A", True, id="absolute-uppercase"),
        pytest.param("https://example.com:8443/x", True, id="absolute-port"),
        pytest.param("", False, id="empty"),
        pytest.param("old page.html", False, id="words-with-space"),
        pytest.param("old-page.html", False, id="bare-word"),
        pytest.param("htp:/x", False, id="typo-scheme"),
        pytest.param("ftp://example.com/x", False, id="other-scheme"),
        pytest.param("//example.com/x", False, id="protocol-relative"),
        pytest.param("/a b", False, id="path-with-space"),
        pytest.param("/a\tb", False, id="path-with-tab"),
        pytest.param("/a\nb", False, id="path-with-newline"),
        pytest.param("/a<b>", False, id="angle-brackets"),
        pytest.param('/a"b', False, id="double-quote"),
        pytest.param("https://", False, id="scheme-only"),
        pytest.param("https://exa mple.com/", False, id="host-with-space"),
        pytest.param(None, False, id="none"),
        pytest.param(301, False, id="number"),
    ],
)
def test_is_url(value: object, expected: bool) -> None:
    assert is_url(value) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("HTTPS://Example.COM/Path", "https://example.com/Path", id="case-scheme-host"),
        pytest.param("https://example.com", "https://example.com/", id="empty-path"),
        pytest.param("https://example.com:443/a", "https://example.com/a", id="https-default-port"),
        pytest.param("http://example.com:80/a", "http://example.com/a", id="http-default-port"),
        pytest.param("https://example.com:8443/a", "https://example.com:8443/a", id="other-port"),
        pytest.param("/a/./b/../c", "/a/c", id="dot-segments"),
        pytest.param("/a/..", "/", id="dot-dot-to-root"),
        pytest.param("/%7euser/%2f", "/~user/%2F", id="percent-decode-unreserved-upper-rest"),
        pytest.param("/a?q=%7e", "/a?q=~", id="percent-in-query"),
        pytest.param("/a#section", "/a", id="fragment-dropped"),
        pytest.param("/a/", "/a/", id="trailing-slash-kept"),
        pytest.param("/About", "/About", id="path-case-kept"),
        pytest.param("/a?b=2&a=1", "/a?b=2&a=1", id="query-order-kept"),
        pytest.param("https://www.example.com/", "https://www.example.com/", id="www-kept"),
    ],
)
def test_safe_normalize(url: str, expected: str) -> None:
    assert safe_normalize(url) == expected


def test_safe_normalize_keeps_non_default_port_of_the_scheme() -> None:
    assert safe_normalize("https://example.com:80/a") == "https://example.com:80/a"


def test_malformed_percent_encoding_is_not_a_url() -> None:
    assert not is_url("/%4%41")


@pytest.mark.parametrize("url", ["http://[", "https://[]/a", "https://a]b/"])
def test_malformed_bracketed_hosts_are_not_urls(url: str) -> None:
    assert not is_url(url)


@pytest.mark.parametrize(
    ("url", "origin", "expected"),
    [
        pytest.param("/a", "https://example.com", "https://example.com/a", id="relative"),
        pytest.param("/a", "https://example.com/", "https://example.com/a", id="origin-slash"),
        pytest.param("https://EXAMPLE.com/a", DEFAULT_ORIGIN, "https://example.com/a",
                     id="absolute-ignores-origin"),
        pytest.param("/a#x", "https://example.com", "https://example.com/a", id="fragment"),
    ],
)
def test_site_key(url: str, origin: str, expected: str) -> None:
    assert site_key(url, origin) == expected


def test_relative_and_absolute_urls_of_one_site_share_a_key() -> None:
    origin = "https://example.com"
    assert site_key("/b", origin) == site_key("https://example.com/b", origin)
    assert site_key("/b", origin) == site_key("https://example.com:443/b#top", origin)


@pytest.mark.parametrize("bad", ["", "old page.html", "htp:/x"], ids=["empty", "space", "typo"])
def test_site_key_rejects_non_urls(bad: str) -> None:
    with pytest.raises(ValueError, match="not a URL"):
        site_key(bad)


@pytest.mark.parametrize(
    ("urls", "expected"),
    [
        pytest.param(["/a", "/b"], DEFAULT_ORIGIN, id="only-relative"),
        pytest.param(["https://A.com/x", "https://a.com/y", "http://b.com/"], "https://a.com",
                     id="most-common"),
        pytest.param(["https://a.com:443/x"], "https://a.com", id="default-port"),
        pytest.param([None, 3, "/x"], DEFAULT_ORIGIN, id="non-strings"),
    ],
)
def test_guess_origin(urls: list[object], expected: str) -> None:
    assert guess_origin(urls) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("/a?b", "/a?b", id="relative"),
        pytest.param("https://x.com", "/", id="no-path"),
        pytest.param("https://x.com/p?q=1#f", "/p?q=1", id="query"),
    ],
)
def test_path_of(url: str, expected: str) -> None:
    assert path_of(url) == expected


def test_split_origin() -> None:
    assert split_origin("HTTPS://Example.com:443") == ("https", "example.com")
    with pytest.raises(ValueError, match="not an http"):
        split_origin("example.com")


# --- properties -------------------------------------------------------------------------------

_UNRESERVED = "abcXYZ019-._~"
_OTHER = "!$&'()*+,;=:@"
_segment = st.lists(
    st.one_of(
        st.sampled_from([".", "..", ""]),
        st.text(alphabet=_UNRESERVED + _OTHER, min_size=1, max_size=6),
        st.builds(lambda b: f"%{b:02x}", st.integers(0, 255)),
        st.builds(lambda b: f"%{b:02X}", st.integers(0, 255)),
    ),
    max_size=3,
).map("".join)
_path = st.lists(_segment, max_size=5).map(lambda parts: "/" + "/".join(parts))
_query = st.one_of(
    st.just(""),
    st.text(alphabet=_UNRESERVED + _OTHER + "/?", max_size=8).map(lambda q: "?" + q),
)
_fragment = st.one_of(st.just(""), st.text(alphabet=_UNRESERVED + "?/#", max_size=5).map(
    lambda f: "#" + f))
_host = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9-]{0,8}\.){0,2}[A-Za-z]{2,5}", fullmatch=True)
_port = st.one_of(st.just(""), st.sampled_from([":80", ":443", ":8080", ":1"]))
_scheme = st.sampled_from(["http", "https", "HTTP", "Https"])
_absolute = st.builds(lambda s, h, p, path, q, f: f"{s}://{h}{p}{path}{q}{f}",
                      _scheme, _host, _port, st.one_of(st.just(""), _path), _query, _fragment)
_relative = st.builds(lambda path, q, f: path + q + f, _path, _query, _fragment)
valid_urls = st.one_of(_absolute, _relative).filter(lambda u: not u.startswith("//"))


@settings(max_examples=300, deadline=None)
@given(valid_urls)
def test_safe_normalize_is_idempotent(url: str) -> None:
    assert is_url(url)
    once = safe_normalize(url)
    assert safe_normalize(once) == once
    assert is_url(once) or once.startswith("//")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_is_url_never_raises(value: str) -> None:
    assert isinstance(is_url(value), bool)
