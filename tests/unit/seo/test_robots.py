"""robots.txt matching as RFC 9309 and Google define it (longest match, Allow wins ties)."""

from __future__ import annotations

import re
from urllib.robotparser import RobotFileParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.seo.robots import MAX_ROBOTS_BYTES, RobotsTxt, _matches, parse_robots

# RFC 9309 §5.1, "Simple Example".
RFC_SIMPLE = """\
User-Agent: *
Disallow: *.gif$
Disallow: /example/
Allow: /publications/

User-Agent: foobot
Disallow:/
Allow:/example/page.html
Allow:/example/allowed.gif

User-Agent: barbot
User-Agent: bazbot
Disallow: /example/page.html

User-Agent: quxbot

EOF
"""

# RFC 9309 §5.2, "Longest Match".
RFC_LONGEST = """\
User-Agent: foobot
Allow: /example/page/
Disallow: /example/page/disallowed.gif
"""


@pytest.mark.parametrize(
    ("agent", "path", "allowed"),
    [
        # foobot: disallowed everywhere except the two allowed files.
        ("foobot", "/example/page.html", True),
        ("foobot", "/example/allowed.gif", True),
        ("foobot", "/example/other.html", False),
        ("foobot", "/", False),
        ("FooBot", "/example/page.html", True),  # product tokens match case-insensitively
        ("foobot/2.1", "/publications/", False),  # the version is not part of the token
        # barbot and bazbot share one group.
        ("barbot", "/example/page.html", False),
        ("bazbot", "/example/page.html", False),
        ("barbot", "/example/other.html", True),
        ("bazbot", "/image.gif", True),
        # quxbot's group is empty: everything allowed.
        ("quxbot", "/example/page.html", True),
        ("quxbot", "/image.gif", True),
        # any other crawler falls back to *.
        ("otherbot", "/image.gif", False),
        ("otherbot", "/image.gif?x=1", True),  # $ anchors the end of path and query
        ("otherbot", "/example/", False),
        ("otherbot", "/publications/", True),
        ("otherbot", "/robots.txt", True),  # always allowed
    ],
)
def test_rfc9309_simple_example(agent: str, path: str, allowed: bool) -> None:
    assert RobotsTxt(RFC_SIMPLE).allowed(path, agent) is allowed


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/example/page/", True),
        ("/example/page/disallowed.gif", False),
        ("/example/page/other.gif", True),
        ("/example/", True),  # no rule matches
    ],
)
def test_rfc9309_longest_match(path: str, allowed: bool) -> None:
    assert RobotsTxt(RFC_LONGEST).allowed(path, "foobot") is allowed


@pytest.mark.parametrize(
    ("rules", "url", "allowed"),
    [
        # Google Search Central, "How Google interprets the robots.txt specification":
        # the order-of-precedence examples.
        ("allow: /p\ndisallow: /", "https://example.com/page", True),
        ("allow: /folder\ndisallow: /folder", "https://example.com/folder/page", True),
        ("allow: /page\ndisallow: /*.htm", "https://example.com/page.htm", False),
        ("allow: /page\ndisallow: /*.ph", "https://example.com/page.php5", True),
        ("allow: /$\ndisallow: /", "https://example.com/", True),
        ("allow: /$\ndisallow: /", "https://example.com/page.htm", False),
        # RFC 9309 §2.2.3: %2A and %24 match a literal * and $.
        ("disallow: /path/file-with-a-%2A.html", "https://example.com/path/file-with-a-*.html",
         False),
        ("disallow: /path/foo-%24", "https://example.com/path/foo-$", False),
        ("disallow: /this/*/exactly", "https://example.com/this/is/exactly", False),
        ("disallow: /this/path/exactly$", "https://example.com/this/path/exactly/not", True),
        # RFC 9309 §2.2.2: unreserved characters decoded, non-ASCII encoded as UTF-8.
        ("disallow: /foo/bar/%62%61%7A", "https://example.com/foo/bar/baz", False),
        ("disallow: /foo/bar/ツ", "https://example.com/foo/bar/%E3%83%84", False),
        ("disallow: /foo/bar/%E3%83%84", "https://example.com/foo/bar/ツ", False),
        ("disallow: /foo/bar?baz=https://foo.bar",
         "https://example.com/foo/bar?baz=https%3A%2F%2Ffoo.bar", True),
        # Empty disallow allows all; paths are case-sensitive; fragments are ignored.
        ("disallow:", "https://example.com/anything", True),
        ("disallow: /Shop", "https://example.com/shop", True),
        ("disallow: /shop", "https://example.com/shop#top", False),
        ("disallow: /", "https://example.com/robots.txt", True),
    ],
)
def test_google_precedence_and_encoding(rules: str, url: str, allowed: bool) -> None:
    assert RobotsTxt("user-agent: *\n" + rules).allowed(url) is allowed


def test_groups_for_the_same_agent_are_merged() -> None:
    # RFC 9309 §2.2.1: the matching groups' rules are combined into one group.
    text = ("user-agent: ExampleBot\ndisallow: /foo\ndisallow: /bar\n\n"
            "user-agent: ExampleBot\ndisallow: /baz\n")
    robots = RobotsTxt(text)
    assert [robots.allowed(p, "examplebot") for p in ("/foo", "/bar", "/baz", "/qux")] == [
        False, False, False, True]


def test_specific_group_replaces_star() -> None:
    robots = RobotsTxt("user-agent: *\ndisallow: /\n\nuser-agent: googlebot\ndisallow: /x\n")
    assert robots.allowed("/page", "Googlebot")
    assert not robots.allowed("/x", "Googlebot")
    assert not robots.allowed("/page", "Bingbot")
    assert RobotsTxt("user-agent: googlebot-news\ndisallow: /\n").allowed("/", "Googlebot")


def test_first_match_of_urllib_differs_from_longest_match() -> None:
    """Why the kit does not use urllib.robotparser: it applies the first matching rule."""
    text = "User-agent: *\nDisallow: /shop/\nAllow: /shop/boots/\n"
    stdlib = RobotFileParser()
    stdlib.parse(text.splitlines())
    assert not stdlib.can_fetch("Googlebot", "https://example.com/shop/boots/")
    assert RobotsTxt(text).allowed("https://example.com/shop/boots/")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("disallow: /\nuser-agent: *\nallow: /\n", id="rule-before-agent"),
        pytest.param("this is not robots.txt\n<html>\n", id="html"),
        pytest.param("\ufeffUser-agent: *\nDisallow: /private # comment\n", id="bom-comment"),
        pytest.param(b"User-agent: *\nDisallow: /\xff\xfe\n", id="bad-bytes"),
        pytest.param("", id="empty"),
    ],
)
def test_odd_files_never_raise(text: str | bytes) -> None:
    robots = RobotsTxt(text)
    assert isinstance(robots.allowed("/private/x"), bool)


def test_bom_and_comments_are_handled() -> None:
    robots = RobotsTxt("\ufeffUser-agent: *\nDisallow: /private # comment\n")
    assert not robots.allowed("/private/x")


def test_rule_before_any_agent_is_ignored_and_reported() -> None:
    robots = RobotsTxt("disallow: /\nuser-agent: *\nallow: /\n")
    assert robots.allowed("/anything")
    assert any("before any User-agent" in line for line in robots.ignored)


def test_only_the_first_500_kib_are_read() -> None:
    filler = "# " + "x" * 1000 + "\n"
    text = "user-agent: *\n" + filler * (MAX_ROBOTS_BYTES // len(filler) + 1) + "disallow: /\n"
    assert RobotsTxt(text).allowed("/page")
    assert not RobotsTxt("user-agent: *\ndisallow: /\n").allowed("/page")


def test_many_wildcards_stay_right() -> None:
    pattern = "/" + "a*" * 40 + "b$"
    robots = RobotsTxt(f"user-agent: *\ndisallow: {pattern}\n")
    assert robots.allowed("/" + "a" * 5000)
    assert not robots.allowed("/" + "a" * 50 + "b")


def test_sitemap_lines_and_parse_robots() -> None:
    robots = parse_robots("Sitemap: https://example.com/sitemap.xml\nuser-agent: *\n")
    assert robots is not None and robots.sitemaps == ["https://example.com/sitemap.xml"]
    assert parse_robots(None) is None and parse_robots(robots) is robots
    assert "RobotsTxt(groups=1" in repr(robots)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), path=st.text(max_size=100), agent=st.text(max_size=20))
def test_never_raises_on_arbitrary_text(text: str, path: str, agent: str) -> None:
    assert isinstance(RobotsTxt(text).allowed(path, agent or "Googlebot"), bool)


@settings(max_examples=300, deadline=None)
@given(pattern=st.text(alphabet="ab*/$", min_size=1, max_size=12),
       path=st.text(alphabet="ab/", max_size=12))
def test_wildcard_matcher_agrees_with_a_regex(pattern: str, path: str) -> None:
    """``*`` is any sequence, a final ``$`` anchors the end, any other ``$`` is literal."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in body.split("*")) + ("\\Z" if anchored else "")
    assert _matches(pattern, path) == bool(re.match(regex, path, re.DOTALL))
