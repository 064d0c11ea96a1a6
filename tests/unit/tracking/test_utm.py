"""build_utm / parse_utm: query strings and fragments kept, values encoded, round trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import InputError
from kit.tracking import UTM_PARAMETERS, build_utm, parse_utm

BASE = dict(source="google", medium="cpc", campaign="spring_sale")


@pytest.mark.parametrize(("url", "extra", "expected"), [
    ("https://shop.example/p", {}, "https://shop.example/p?utm_source=google&utm_medium=cpc"
     "&utm_campaign=spring_sale"),
    ("https://shop.example", {}, "https://shop.example/?utm_source=google&utm_medium=cpc"
     "&utm_campaign=spring_sale"),
    ("https://shop.example/p?color=red#reviews", {}, "https://shop.example/p?color=red"
     "&utm_source=google&utm_medium=cpc&utm_campaign=spring_sale#reviews"),
    ("https://shop.example/p?utm_source=old&size=9", {}, "https://shop.example/p?size=9"
     "&utm_source=google&utm_medium=cpc&utm_campaign=spring_sale"),
    ("https://shop.example/p", {"term": "trail boots", "content": "a&b=c"},
     "https://shop.example/p?utm_source=google&utm_medium=cpc&utm_campaign=spring_sale"
     "&utm_term=trail%20boots&utm_content=a%26b%3Dc"),
    ("https://shop.example/p", {"utm_id": "42", "source_platform": "Google Ads",
                                "creative_format": "video", "marketing_tactic": "prospecting"},
     "https://shop.example/p?utm_source=google&utm_medium=cpc&utm_campaign=spring_sale"
     "&utm_id=42&utm_source_platform=Google%20Ads&utm_creative_format=video"
     "&utm_marketing_tactic=prospecting"),
])
def test_build_utm(url, extra, expected) -> None:
    assert build_utm(url, **BASE, **extra) == expected


@pytest.mark.parametrize(("url", "kwargs", "message"), [
    ("shop.example/p", BASE, "not a full web address"),
    ("", BASE, "not a link"),
    ("ftp://shop.example/p", BASE, "not a full web address"),
    ("https://shop.example/p", {**BASE, "source": " "}, "utm_source is empty"),
    ("https://shop.example/p", {**BASE, "campain": "x"}, "not a GA4 campaign parameter"),
    ("https://shop.example/p", {**BASE, "utm_foo": "x"}, "not a GA4 campaign parameter"),
])
def test_build_utm_rejects(url, kwargs, message) -> None:
    with pytest.raises(InputError, match=message):
        build_utm(url, **kwargs)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://a.example/?UTM_Source=Google&utm_medium=cpc&x=1",
     {"utm_source": "Google", "utm_medium": "cpc"}),
    ("https://a.example/?utm_campaign=spring+sale&utm_campaign=second",
     {"utm_campaign": "spring sale"}),
    ("https://a.example/?utm_camapign=typo", {"utm_camapign": "typo"}),
    ("https://a.example/", {}),
])
def test_parse_utm(url, expected) -> None:
    assert parse_utm(url) == expected


_value = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(
    str.strip)


@settings(max_examples=200, deadline=None)
@given(source=_value, medium=_value, campaign=_value,
       optional=st.dictionaries(st.sampled_from([p[4:] for p in UTM_PARAMETERS[3:]]), _value),
       query=st.sampled_from(["", "?a=1", "?a=1&b=%20x"]), fragment=st.sampled_from(["", "#top"]))
def test_round_trip(source, medium, campaign, optional, query, fragment) -> None:
    url = f"https://shop.example/path{query}{fragment}"
    built = build_utm(url, source=source, medium=medium, campaign=campaign, **optional)
    expected = {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign,
                **{f"utm_{k}": v for k, v in optional.items()}}
    assert parse_utm(built) == {k: expected[k] for k in UTM_PARAMETERS if k in expected}
    assert built.endswith(fragment) and (not query or query[1:] in built)


def test_build_replaces_a_percent_encoded_utm_name() -> None:
    """``%75tm_source`` is ``utm_source`` to GA4: the old value must not win."""
    url = build_utm("https://x.example/?%75tm_source=old&id=1&UTM_Medium=x", source="new",
                    medium="email", campaign="c")
    assert url == "https://x.example/?id=1&utm_source=new&utm_medium=email&utm_campaign=c"
    assert parse_utm(url)["utm_source"] == "new"


@pytest.mark.parametrize(
    ("url", "host"),
    [
        pytest.param("https://faß.de/", "xn--fa-hia.de", id="uts46-not-idna2003"),
        pytest.param("https://Bücher.example:443/", "xn--bcher-kva.example", id="default-port"),
        pytest.param("https://Shop.example:8080/", "shop.example:8080", id="lower-case-port-kept"),
    ],
)
def test_build_writes_the_host_as_dns_sends_it(url: str, host: str) -> None:
    """kit.urls' host rules (browsers' UTS #46), not the standard library's IDNA 2003."""
    built = build_utm(url, source="s", medium="m", campaign="c")
    assert built == f"https://{host}/?utm_source=s&utm_medium=m&utm_campaign=c"


def test_build_refuses_credentials_with_the_reason() -> None:
    with pytest.raises(InputError, match="user name or password"):
        build_utm("https://u:p@shop.example/", source="s", medium="m", campaign="c")
