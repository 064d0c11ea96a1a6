"""kit.urls: the one URL identity (what counts as a URL, the always-safe normalisation,
site keys, policies on top) and the check that no other module decides it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import InputError
from kit.urls import (
    DEFAULT_ORIGIN,
    STRICT,
    NormalizationPolicy,
    UrlError,
    guess_origin,
    host_of,
    is_url,
    normalize,
    normalize_many,
    parse_url,
    path_of,
    safe_normalize,
    site_key,
    site_relative_key,
    split_origin,
    split_url,
    url_key,
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
_host = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9-]{0,8}\.[A-Za-z0-9]){0,2}\.[A-Za-z]{2,5}",
                      fullmatch=True)
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


# --- one identity: the case table ------------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # internationalised host names: punycode, as browsers send them (UTS #46)
        pytest.param("https://bücher.example/", "https://xn--bcher-kva.example/", id="idn"),
        pytest.param("https://BÜCHER.example/", "https://xn--bcher-kva.example/", id="idn-case"),
        pytest.param("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/",
                     id="idn-already-punycode"),
        pytest.param("https://XN--BCHER-KVA.example/", "https://xn--bcher-kva.example/",
                     id="punycode-upper"),
        pytest.param("https://faß.de/", "https://xn--fa-hia.de/", id="idn-nontransitional"),
        pytest.param("https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C",
                     id="idn-cyrillic-and-path"),
        # percent-encoding compared after normalisation
        pytest.param("/new-café", "/new-caf%C3%A9", id="unicode-path"),
        pytest.param("/new-caf%c3%a9", "/new-caf%C3%A9", id="lowercase-escapes"),
        pytest.param("/new-caf%C3%A9", "/new-caf%C3%A9", id="encoded-path"),
        pytest.param("/a?q=é&r=%e9", "/a?q=%C3%A9&r=%E9", id="unicode-query"),
        pytest.param("/%41%2F%7E", "/A%2F~", id="decode-only-unreserved"),
        pytest.param("/a%20b", "/a%20b", id="encoded-space-kept"),
        # ports
        pytest.param("https://example.com:443/", "https://example.com/", id="default-port"),
        pytest.param("http://example.com:/", "http://example.com/", id="empty-port"),
        pytest.param("https://example.com:0443/", "https://example.com/", id="port-leading-zero"),
        pytest.param("https://example.com:8443/", "https://example.com:8443/", id="other-port"),
        # dot segments, empty path, IPv6
        pytest.param("https://example.com/a/b/../../..", "https://example.com/",
                     id="dots-above-root"),
        pytest.param("https://example.com/a/%2E%2E/b", "https://example.com/b",
                     id="encoded-dots"),
        pytest.param("https://example.com", "https://example.com/", id="empty-path"),
        pytest.param("https://example.com?q", "https://example.com/?q", id="empty-path-query"),
        pytest.param("http://[2001:DB8:0:0::1]:8080/x", "http://[2001:db8::1]:8080/x",
                     id="ipv6"),
        pytest.param("http://[::1]:80/", "http://[::1]/", id="ipv6-default-port"),
        pytest.param("http://192.168.0.1/", "http://192.168.0.1/", id="ipv4"),
        # untouched: query order, case of the path, empty query, trailing slash
        pytest.param("/a?b=2&a=1&b=1", "/a?b=2&a=1&b=1", id="query-order"),
        pytest.param("/A/B/", "/A/B/", id="path-case-and-slash"),
        pytest.param("/a?", "/a?", id="empty-query-kept"),
        # fragment: dropped from the identity
        pytest.param("/a?b#c", "/a?b", id="fragment"),
        pytest.param("https://example.com/#top", "https://example.com/", id="fragment-root"),
    ],
)
def test_normalize_case_table(url: str, expected: str) -> None:
    assert normalize(url) == expected
    assert normalize(expected) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        pytest.param("https://user:pw@example.com/", "user name or password", id="userinfo"),
        pytest.param("https://user@example.com/", "user name or password", id="user-only"),
        pytest.param("https://@example.com/", "user name or password", id="empty-userinfo"),
        pytest.param("https://example.com:99999/", "port", id="port-too-big"),
        pytest.param("https://example.com:8o/", "port", id="port-not-number"),
        pytest.param("https://example.com:0/", "port", id="port-zero"),
        pytest.param("https://exa_mple.com/", "not a domain name", id="underscore-host"),
        pytest.param("https://a..b/", "not a domain name", id="empty-label"),
        pytest.param("https://xn--zz.com/", "IDNA", id="bad-punycode"),
        pytest.param("https://[1::2::3]/", "IPv6", id="bad-ipv6"),
        pytest.param("https:///x", "no host", id="no-host"),
        pytest.param("ftp://example.com/", "not http", id="ftp"),
        pytest.param("mailto:a@example.com", "not http", id="mailto"),
        pytest.param("https:/x", "must be followed by //", id="one-slash"),
        pytest.param("//example.com/x", "needs a base", id="protocol-relative"),
        pytest.param("page.html", "expected https://host/path or /path", id="relative-word"),
        pytest.param("/a b", "contains ' '", id="space"),
        pytest.param("/a\u2028b", "contains", id="line-separator"),
        pytest.param("/%zz", "two hex digits", id="bad-percent"),
        pytest.param("/\ud800", "not valid Unicode", id="lone-surrogate"),
        pytest.param("", "empty", id="empty"),
    ],
)
def test_refused_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(UrlError, match=re.escape(reason)) as caught:
        normalize(url)
    assert isinstance(caught.value, InputError) and isinstance(caught.value, ValueError)
    assert not is_url(url)
    if not url.startswith(("//", "page", "/%")):  # resolved against the base / read literally
        assert url_key(url, "https://example.com/") is None


def test_crawled_urls_keep_a_stray_percent_literally() -> None:
    """Hand-written lists get an error for ``%zz`` (normalize); a crawled URL is read as
    browsers read it, the ``%`` literally (url_key)."""
    assert url_key("https://x.example/%zz") == "https://x.example/%25zz"
    assert url_key("https://x.example/%25zz") == "https://x.example/%25zz"
    with pytest.raises(UrlError, match="two hex digits"):
        normalize("https://x.example/%zz")


def test_credentials_are_refused_never_dropped() -> None:
    """The decision (kit/urls.py docstring): refuse, so no two URLs merge and no password
    is copied into a report."""
    for url in ("https://user:pw@example.com/a", "https://user@example.com/a"):
        assert url_key(url) is None
        assert not is_url(url)
        assert host_of(url) == ""
    assert url_key("https://example.com/a") == "https://example.com/a"


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        pytest.param("page.html", "https://a.com/x/y", "https://a.com/x/page.html", id="file"),
        pytest.param("../p?q#f", "https://a.com/x/y", "https://a.com/p?q", id="parent"),
        pytest.param("?q", "https://a.com/x/y?z", "https://a.com/x/y?q", id="query-only"),
        pytest.param("#f", "https://a.com/x/y?z", "https://a.com/x/y?z", id="fragment-only"),
        pytest.param("//B.com/x", "https://a.com/", "https://b.com/x", id="protocol-relative"),
        pytest.param("/café", "https://Bücher.example/a", "https://xn--bcher-kva.example/caf%C3%A9",
                     id="idn-base"),
        pytest.param("  /a  ", "https://a.com/", "https://a.com/a", id="stripped"),
        pytest.param("mailto:x@a.com", "https://a.com/", None, id="mailto"),
        pytest.param("/a", None, None, id="path-without-base"),
        pytest.param("/a", "not a url", None, id="bad-base"),
        pytest.param(None, None, None, id="none"),
    ],
)
def test_url_key_resolves_like_a_browser(url: object, base: str | None,
                                         expected: str | None) -> None:
    assert url_key(url, base) == expected


def test_seo_url_key_is_the_same_function() -> None:
    from kit.seo.pages import url_key as seo_url_key

    assert seo_url_key is url_key


def test_unicode_and_encoded_forms_share_every_key() -> None:
    origin = "https://example.com"
    assert site_key("/new-café", origin) == site_key("/new-caf%C3%A9", origin)
    assert site_relative_key("/new-café", origin) == site_relative_key(
        "https://example.com/new-caf%c3%a9", origin) == "/new-caf%C3%A9"
    assert url_key("https://bücher.example/é") == url_key("https://xn--bcher-kva.example/%C3%A9")


def test_parse_url_parts() -> None:
    parts = parse_url("HTTPS://Bücher.example:8080/a/./b?x=1#top")
    assert (parts.scheme, parts.host, parts.port) == ("https", "xn--bcher-kva.example", 8080)
    assert (parts.path, parts.query, parts.fragment) == ("/a/b", "x=1", "top")
    assert parts.origin == "https://xn--bcher-kva.example:8080"
    assert str(parts) == "https://xn--bcher-kva.example:8080/a/b?x=1#top"
    assert normalize("/a#top", keep_fragment=True) == "/a#top"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("https://www.Bücher.example:8080/x y", "bücher", id="url-bad-path"),
        pytest.param("www.example.com", "example.com", id="bare"),
        pytest.param("android-app://com.google.android.gm/", "com.google.android.gm", id="app"),
        pytest.param("mailto:a@b.com", "", id="mailto"),
        pytest.param("https://u:p@example.com/", "", id="credentials"),
        pytest.param(None, "", id="none"),
    ],
)
def test_host_of(value: object, expected: str) -> None:
    got = host_of(value, strip_www=True)
    assert got == ("xn--bcher-kva.example" if expected == "bücher" else expected)


def test_split_url_keeps_what_is_written() -> None:
    assert split_url("HTTPS://Ex.com:443/a b?c#d") == ("HTTPS", "Ex.com:443", "/a b", "c", "d")
    assert split_url("/a") == ("", "", "/a", None, None)


# --- policies on top of the one identity ----------------------------------------------------

@pytest.mark.parametrize(
    ("policy", "url", "expected"),
    [
        pytest.param(NormalizationPolicy(https=True), "http://a.com:443/x", "https://a.com/x",
                     id="https"),
        pytest.param(NormalizationPolicy(host="strip_www"), "https://www.bücher.example/",
                     "https://xn--bcher-kva.example/", id="strip-www-idn"),
        pytest.param(NormalizationPolicy(trailing_slash="strip"), "/a/", "/a", id="slash"),
        pytest.param(NormalizationPolicy(lowercase_path=True), "/CAFÉ", "/caf%C3%A9",
                     id="lowercase-escapes-upper"),
        pytest.param(NormalizationPolicy(drop_index_file=True), "/a/index.html", "/a/",
                     id="index"),
        pytest.param(NormalizationPolicy(sort_query=True), "/a?b=1&a=2", "/a?a=2&b=1",
                     id="sort"),
        pytest.param(NormalizationPolicy(drop_tracking=True), "/a?utm_source=x", "/a",
                     id="tracking"),
        pytest.param(NormalizationPolicy(drop_session_ids=True), "/a/;jsessionid=1/../b",
                     "/a/b", id="session-then-dots"),
        pytest.param(STRICT, "/a?b=2&a=1", "/a?b=2&a=1", id="strict"),
    ],
)
def test_policies_sit_on_top(policy: NormalizationPolicy, url: str, expected: str) -> None:
    assert normalize(url, policy=policy) == expected
    assert normalize(expected, policy=policy) == expected


def test_normalize_many_agrees_with_normalize() -> None:
    policy = NormalizationPolicy(https=True, host="strip_www", trailing_slash="strip")
    urls = ["http://www.a.com/x/", "https://a.com/x", " /b/ ", "bad url", None,
            "https://bücher.example/é/", "https://a..b/"]
    expected = []
    for url in urls:
        try:
            expected.append(normalize(url.strip() if isinstance(url, str) else url,
                                      policy=policy))
        except UrlError:
            expected.append(None)
    assert normalize_many(urls, policy=policy) == expected


# --- properties ---------------------------------------------------------------------------------

_unicode_segment = st.text(
    alphabet=st.characters(min_codepoint=0xA0, max_codepoint=0x2FFF,
                           exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")),
    min_size=1, max_size=4)
_host_idn = st.builds(lambda label, tld: f"{label}.{tld}",
                      st.sampled_from(["bücher", "faß", "пример", "例え", "münchen", "ex"]),
                      st.sampled_from(["example", "de", "рф", "com"]))
_any_url = st.one_of(
    valid_urls,
    st.builds(lambda s, h, segs, q: f"{s}://{h}/" + "/".join(segs) + q, _scheme, _host_idn,
              st.lists(st.one_of(_segment, _unicode_segment), max_size=4), _query),
)


@settings(max_examples=300, deadline=None)
@given(_any_url)
def test_normalize_is_idempotent(url: str) -> None:
    once = normalize(url)
    assert normalize(once) == once
    assert once.isascii()
    # the shortcut for already-normal URLs agrees with the full parser ("#" forces that)
    assert normalize(url + "#x") == once
    assert normalize(url.upper() if url.startswith("http") else url, base=None) == normalize(
        (url.upper() if url.startswith("http") else url) + "#")


@settings(max_examples=200, deadline=None)
@given(st.lists(_unicode_segment, min_size=1, max_size=4))
def test_raw_and_percent_encoded_unicode_share_a_key(segments: list[str]) -> None:
    raw = "/" + "/".join(segments)
    encoded = "".join(
        char if char.isascii() else "".join(f"%{b:02x}" for b in char.encode("utf-8"))
        for char in raw)
    assert normalize(raw) == normalize(encoded) == normalize(encoded.upper())
    origin = "https://example.com"
    assert site_relative_key(raw, origin) == site_relative_key(origin + encoded, origin)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40),
                 st.builds(lambda s, t: s + t,
                           st.sampled_from(["https://", "http://[", "/", "https://ü", "//"]),
                           st.text(max_size=30))))
def test_never_crashes_on_arbitrary_text(value: str) -> None:
    """A key, or a UrlError (an InputError, so a ValueError) with a reason: nothing else."""
    try:
        key = normalize(value)
    except UrlError as error:
        assert error.reason
    else:
        assert normalize(key) == key
    assert url_key(value, "https://example.com/a/") is None or url_key(
        value, "https://example.com/a/").startswith(("http://", "https://"))
    assert isinstance(host_of(value), str)
    assert isinstance(is_url(value), bool)


# --- one implementation: nobody else decides URL identity ----------------------------------------

KIT = Path(__file__).resolve().parents[2] / "kit"
# Parsing that is not identity, with why (keep this list short):
ALLOWED: dict[str, set[str]] = {}
_IDENTITY_CALLS = {"urlsplit", "urlparse", "urljoin", "urlunsplit", "urlunparse", "urldefrag"}


def _offenders(root: Path = KIT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).as_posix()
        if relative == "kit/urls.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("urllib.parse", "urlparse"):
                names |= {alias.name for alias in node.names} & _IDENTITY_CALLS
            elif isinstance(node, ast.Attribute) and node.attr in _IDENTITY_CALLS:
                names.add(node.attr)
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and node.value == "idna"):
                names.add("'idna' codec")
        for name in sorted(names - ALLOWED.get(relative, set())):
            found.append(f"{relative}: {name}")
    return found


def test_only_kit_urls_parses_urls_for_identity() -> None:
    """"One implementation" checked: any module that splits, joins or IDNA-encodes URLs
    itself (urllib.parse.urlsplit/urlparse/urljoin/..., the 'idna' codec) fails here;
    use kit.urls (normalize, url_key, parse_url, host_of, path_of, query_of, split_url)."""
    assert _offenders() == []


def test_the_identity_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "kit" / "seo").mkdir(parents=True)
    (tmp_path / "kit" / "urls.py").write_text("from urllib.parse import urlsplit\n")
    (tmp_path / "kit" / "seo" / "a.py").write_text(
        "import urllib.parse\nfrom urllib.parse import parse_qsl, urljoin\n"
        "x = urllib.parse.urlsplit('/')\ny = 'b\u00fccher'.encode('idna')\n")
    assert _offenders(tmp_path / "kit") == [
        "kit/seo/a.py: 'idna' codec", "kit/seo/a.py: urljoin", "kit/seo/a.py: urlsplit"]
