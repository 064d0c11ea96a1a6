"""URL normalisation: each rule, the presets, idempotence, and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.duplicates import PRESETS, NormalizationPolicy, normalize_url, normalize_urls
from kit.duplicates.normalize import resolve_policy, url_differences
from kit.errors import InputError

CASES = [
    # (url, policy, expected)
    ("HTTP://Example.COM:80/a/./b/../c", "strict", "http://example.com/a/c"),
    ("https://example.com", "strict", "https://example.com/"),
    ("https://example.com/%7euser/%2f", "strict", "https://example.com/~user/%2F"),
    ("https://example.com/a#section", "strict", "https://example.com/a"),
    ("https://example.com/a?utm_source=x", "strict", "https://example.com/a?utm_source=x"),
    ("http://example.com/a", "typical", "https://example.com/a"),
    ("https://example.com/a?utm_source=news&utm_medium=email", "typical", "https://example.com/a"),
    ("https://example.com/a?id=3&UTM_Campaign=x&gclid=1&fbclid=2&msclkid=3", "typical",
     "https://example.com/a?id=3"),
    ("https://example.com/a?b=2&a=1", "typical", "https://example.com/a?a=1&b=2"),
    ("https://example.com/a?PHPSESSID=abc&x=1", "typical", "https://example.com/a?x=1"),
    ("https://example.com/a;jsessionid=ABC123?x=1", "typical", "https://example.com/a?x=1"),
    ("https://example.com/a?", "typical", "https://example.com/a"),
    ("https://example.com/a?&&x=1&", "typical", "https://example.com/a?x=1"),
    ("https://example.com/a?sort=price", "typical", "https://example.com/a?sort=price"),
    ("https://www.example.com/Shoes/", "typical", "https://www.example.com/Shoes/"),
    ("https://www.example.com/Shoes/", "aggressive", "https://example.com/shoes"),
    ("https://example.com/shoes/index.html", "aggressive", "https://example.com/shoes"),
    ("https://example.com/index.php/index.html", "aggressive", "https://example.com/"),
    ("https://example.com/a?sort=price&colour=red&view=grid", "aggressive",
     "https://example.com/a?colour=red"),
    ("https://example.com/a?print=1", "aggressive", "https://example.com/a"),
    ("https://example.com/%C3%A9T%c3%a9", "aggressive", "https://example.com/%C3%A9t%C3%A9"),
    ("https://192.168.0.1/a/", "aggressive", "https://192.168.0.1/a"),
    ("https://www.com/a", "aggressive", "https://www.com/a"),  # no bare top-level domain
    ("/Shop/?utm_source=x", "aggressive", "/shop"),
    ("http://example.com:8080/a", "typical", "https://example.com:8080/a"),
]


@pytest.mark.parametrize(("url", "policy", "expected"), CASES)
def test_rules(url: str, policy: str, expected: str) -> None:
    assert normalize_url(url, policy=policy) == expected


@pytest.mark.parametrize(("changes", "url", "expected"), [
    ({"host": "add_www"}, "https://example.com/a", "https://www.example.com/a"),
    ({"host": "add_www"}, "https://www.example.com/a", "https://www.example.com/a"),
    ({"trailing_slash": "add"}, "https://example.com/shoes", "https://example.com/shoes/"),
    ({"trailing_slash": "add"}, "https://example.com/a.html", "https://example.com/a.html"),
    ({"trailing_slash": "strip"}, "https://example.com/", "https://example.com/"),
    ({"drop_parameters": {"Colour", "size"}}, "/a?colour=red&size=4&q=1", "/a?q=1"),
    ({"lowercase_path": True}, "/A%2fB", "/a%2Fb"),
])
def test_custom_policies(changes: dict, url: str, expected: str) -> None:
    assert normalize_url(url, policy=NormalizationPolicy(**changes)) == expected


def test_origin_makes_paths_absolute() -> None:
    assert normalize_url("/a?utm_source=x", origin="https://example.com") == "https://example.com/a"


@pytest.mark.parametrize("bad", ["", "   ", "page.html", "mailto:a@b.c", "javascript:alert(1)",
                                 "https://exa mple.com/", "/a b", "/100%", "ftp://x/y", None, 42,
                                 "//cdn.example.com/a", "http://", "x" * 10_000])
def test_not_a_url_raises_a_clear_error(bad: object) -> None:
    with pytest.raises(InputError, match="not a URL"):
        normalize_url(bad)  # type: ignore[arg-type]


def test_bad_origin_and_policy_are_named() -> None:
    with pytest.raises(InputError, match="origin"):
        normalize_url("/a", origin="example.com")
    with pytest.raises(InputError, match="unknown normalisation policy"):
        resolve_policy("lenient")
    with pytest.raises(InputError, match="trailing_slash"):
        NormalizationPolicy(trailing_slash="sometimes")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="host rule"):
        NormalizationPolicy(host="www")  # type: ignore[arg-type]


def test_absurdly_long_url_is_normalised_without_trouble() -> None:
    url = "https://example.com/" + "a/" * 20_000 + "?" + "&".join(f"p{i}=1" for i in range(5000))
    out = normalize_url(url, policy="aggressive")
    assert out.startswith("https://example.com/a/a/")
    assert normalize_url(out, policy="aggressive") == out


def test_policy_renders_deterministically() -> None:
    text = repr(PRESETS["aggressive"])
    assert "drop_parameters=['dir', 'direction', 'display'" in text
    assert "<table>" in PRESETS["typical"]._repr_html_()
    assert next(iter(PRESETS["typical"].rules()["rule"])) == "https"


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("http://www.x.com/a/?utm_source=a", "https://x.com/a", ["protocol", "host", "trailing_slash",
                                                            "tracking"]),
    ("https://x.com/a?b=1&a=2", "https://x.com/a?a=2&b=1", ["parameter_order"]),
    ("https://x.com/A;jsessionid=1", "https://x.com/a", ["path_case", "session_id"]),
    ("https://x.com/a?sort=new", "https://x.com/a", ["parameters"]),
    ("https://x.com/a/index.html", "https://x.com/a/", ["index_file"]),
    ("https://x.com/a", "https://x.com/b", []),
    ("not a url", "https://x.com/b", []),
])
def test_url_differences(a: str, b: str, expected: list[str]) -> None:
    assert url_differences(a, b) == expected


# --- properties -----------------------------------------------------------------------

_SEGMENT = st.text(alphabet="abcXYZ019-._~%2fF;=!$@:", max_size=8)
_QUERY_PIECE = st.one_of(
    st.sampled_from(["utm_source=x", "UTM_medium=y", "gclid=1", "sid=9", "sort=a", "view=b",
                     "a=1", "b=2", "", "print", "colour=red", "x=%41"]),
    st.text(alphabet="abc=%&2F", max_size=6),
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "hTTps"]))
    host = draw(st.sampled_from(["example.com", "WWW.Example.com", "www.a.b", "x", "1.2.3.4",
                                 "[::1]", "example.com:80", "example.com:443", "example.com:8080",
                                 "www.www.example.com"]))
    path = "/".join(draw(st.lists(_SEGMENT, max_size=5)))
    index = draw(st.sampled_from(["", "/", "/index.html", "/Default.aspx", "/."]))
    query = "&".join(draw(st.lists(_QUERY_PIECE, max_size=5)))
    with_query = draw(st.booleans())
    relative = draw(st.booleans())
    url = ("" if relative else f"{scheme}://{host}") + "/" + path + index
    return url + ("?" + query if with_query else "")


policies = st.builds(
    NormalizationPolicy,
    https=st.booleans(),
    host=st.sampled_from(["keep", "strip_www", "add_www"]),
    trailing_slash=st.sampled_from(["keep", "strip", "add"]),
    lowercase_path=st.booleans(),
    drop_index_file=st.booleans(),
    sort_query=st.booleans(),
    drop_tracking=st.booleans(),
    drop_session_ids=st.booleans(),
    drop_parameters=st.sampled_from([frozenset(), frozenset({"sort", "colour"})]),
    drop_empty_query=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(url=urls(), policy=st.one_of(st.sampled_from(list(PRESETS.values())), policies))
def test_normalisation_is_idempotent(url: str, policy: NormalizationPolicy) -> None:
    try:
        once = normalize_url(url, policy=policy)
    except InputError:
        return
    assert normalize_url(once, policy=policy) == once


@settings(max_examples=200, deadline=None)
@given(batch=st.lists(st.one_of(urls(), st.sampled_from(["https://a.com/x", "https://a.com/X/",
                                                           "bad", None, "https://a.com/x/."])),
                      max_size=8),
       policy=st.sampled_from(list(PRESETS.values())))
def test_batch_matches_one_by_one(batch: list, policy: NormalizationPolicy) -> None:
    expected = []
    for url in batch:
        try:
            expected.append(normalize_url(url, policy=policy))
        except InputError:
            expected.append(None)
    assert normalize_urls(batch, policy=policy) == expected


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        out = normalize_url(text, policy="aggressive")
    except InputError:
        return
    assert isinstance(out, str)


@pytest.mark.parametrize("policy", ["strict", "typical", "aggressive"])
def test_raw_and_encoded_unicode_are_one_url_under_every_policy(policy: str) -> None:
    urls = ["https://bücher.example/café", "https://xn--bcher-kva.example/caf%c3%a9"]
    assert normalize_url(urls[0], policy=policy) == normalize_url(urls[1], policy=policy)
    assert len(set(normalize_urls(urls, policy=policy))) == 1


def test_credentials_are_refused_not_dropped() -> None:
    with pytest.raises(InputError, match="user name or password"):
        normalize_url("https://user:pw@example.com/a")
    assert normalize_urls(["https://user:pw@example.com/a"]) == [None]
