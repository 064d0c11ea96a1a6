"""robots.txt matching as RFC 9309 and Google define it (longest match, Allow wins ties)."""

from __future__ import annotations

import re
from urllib.robotparser import RobotFileParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.seo.robots import (
    MAX_ROBOTS_BYTES,
    RobotsRule,
    RobotsTxt,
    _matches,
    _path_of,
    parse_robots,
)

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


# --- issue 15: line ends, product tokens, path + query, partial BOM, compiled groups ---------


@pytest.mark.parametrize(
    ("separator", "splits"),
    [
        ("\n", True), ("\r", True), ("\r\n", True),  # RFC 9309 §2.2: NL = CR / LF / CRLF
        ("\u2028", False), ("\u2029", False), ("\x85", False), ("\x0c", False),
        ("\x0b", False), ("\x1c", False), ("\x1e", False),
    ],
)
def test_lines_end_only_at_cr_and_lf(separator: str, splits: bool) -> None:
    # Written as one rule with an odd character inside; str.splitlines() would cut it in
    # two and "Disallow: /" would then block the whole site.
    robots = RobotsTxt(f"User-agent: *\nDisallow: /private{separator}Disallow: /\n")
    assert robots.allowed("/public") is not splits
    assert len(robots.rules_for("Googlebot")) == (2 if splits else 1)


def test_crlf_counts_as_one_line_end() -> None:
    robots = RobotsTxt("User-agent: a\r\nDisallow: /x\r\nUser-agent: b\r\nDisallow: /\r\n")
    assert [rule.line for rule in robots.rules_for("b")] == [4]
    assert robots.allowed("/y", "a") and not robots.allowed("/y", "b")


@pytest.mark.parametrize(
    ("agent_line", "crawler", "is_global", "applies"),
    [
        ("*", "Googlebot", True, True),
        ("* ", "Googlebot", True, True),
        ("* everybody", "Googlebot", True, True),  # Google: '*' then a space is still global
        ("*bot", "Googlebot", False, False),  # not '*', and no product token
        ("*bot", "bot", False, False),
        ("**", "Googlebot", False, False),
        ("Googlebot", "googlebot", False, True),  # case-insensitive (RFC 9309 §2.2.1)
        ("GOOGLEBOT", "Googlebot/2.1", False, True),
        ("Googlebot/2.1", "Googlebot", False, True),  # token up to the first other character
        ("Googlebot-News", "Googlebot", False, False),
        ("Google", "Googlebot", False, False),  # a prefix of the token is another token
        ("Googlebot Images", "Googlebot", False, True),
    ],
)
def test_which_group_a_user_agent_line_names(agent_line: str, crawler: str, is_global: bool,
                                             applies: bool) -> None:
    text = f"User-agent: {agent_line}\nDisallow: /\n"
    assert RobotsTxt(text).allowed("/page", crawler) is not applies
    # A '*' group is the fallback for crawlers without a group of their own.
    assert RobotsTxt(text).allowed("/page", "Otherbot") is not is_global


def test_star_bot_is_reported_as_naming_no_crawler() -> None:
    robots = RobotsTxt("User-agent: *bot\nDisallow: /\n")
    assert robots.allowed("/", "Googlebot") and robots.allowed("/", "bot")
    assert any("'*bot'" in line and "no crawler" in line for line in robots.ignored)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        # Google's TestGetPathParamsQuery (google/robotstxt robots_test.cc).
        ("", "/"),
        ("http://www.example.com", "/"),
        ("http://www.example.com/", "/"),
        ("http://www.example.com/a", "/a"),
        ("http://www.example.com/a/b?c=http://d.e/", "/a/b?c=http://d.e/"),
        ("http://www.example.com/a/b?c=d&e=f#fragment", "/a/b?c=d&e=f"),
        ("example.com?a", "/?a"),
        ("example.com/a;b#c", "/a;b"),
        ("//a/b/c", "/b/c"),
        ("/a", "/a"),
        # The case: an empty query is still sent.
        ("http://host/?", "/?"),
        ("http://host?", "/?"),
        ("http://host/#frag", "/"),
        ("http://host/a?#frag", "/a?"),
    ],
)
def test_path_params_and_query_as_sent(url: str, path: str) -> None:
    assert _path_of(url) == path


@pytest.mark.parametrize(
    ("rules", "url", "allowed"),
    [
        ("disallow: /?", "http://host/?", False),
        ("disallow: /?", "http://host/", True),
        ("allow: /$\ndisallow: /", "http://host/?", False),  # "/?" is not "/"
        ("allow: /$\ndisallow: /", "http://host/", True),
        ("disallow: /*?", "http://host/shop?", False),
        ("disallow: /*?$", "http://host/shop?", False),
        ("disallow: /*?$", "http://host/shop?a=1", True),
        ("disallow: /a%3cb", "http://host/a%3Cb", False),  # hex case does not matter
        ("disallow: /%7Euser", "http://host/~user", False),  # unreserved ~ decoded
        ("disallow: /a%2Fb", "http://host/a/b", True),  # reserved / stays encoded
    ],
)
def test_query_and_percent_encoding(rules: str, url: str, allowed: bool) -> None:
    assert RobotsTxt("user-agent: *\n" + rules).allowed(url) is allowed


@pytest.mark.parametrize(
    ("prefix", "first_line_kept"),
    [
        (b"\xef\xbb\xbf", True), (b"\xef\xbb", True), (b"\xef", True),  # Google skips these
        (b"", True),
        (b"\xef\x11\xbf", False),  # not a BOM: the first line is garbage (as Google)
    ],
)
def test_byte_order_mark_whole_or_partial(prefix: bytes, first_line_kept: bool) -> None:
    robots = RobotsTxt(prefix + b"User-agent: *\nDisallow: /private\n")
    assert robots.allowed("/private/x") is not first_line_kept


def test_partial_bom_decoded_lossily_keeps_the_first_line() -> None:
    text = b"\xef\xbbUser-agent: *\nDisallow: /private\n".decode("utf-8", errors="replace")
    assert text.startswith("\ufffd")
    assert not RobotsTxt(text).allowed("/private/x")


def test_a_bom_in_the_middle_is_not_skipped() -> None:
    robots = RobotsTxt(b"User-agent: *\n\xef\xbb\xbfDisallow: /private\n")
    assert robots.allowed("/private/x")


# Google Search Central, "How Google interprets the robots.txt specification" (checked on
# 2026-12-07), section "URL matching based on path values": each pattern with the paths
# it matches and does not match, as Google documents them.  Each row becomes
# "disallow: /" + "allow: <pattern>" for one crawler, as google/robotstxt's
# GoogleOnly_DocumentationChecks test does.
GOOGLE_PATH_TABLE = [
    ("/fish", ["/fish", "/fish.html", "/fish/salmon.html", "/fishheads",
               "/fishheads/yummy.html", "/fish.php?id=anything"],
     ["/Fish.asp", "/catfish", "/?id=fish", "/desert/fish"]),
    ("/fish*", ["/fish", "/fish.html", "/fish/salmon.html", "/fishheads",
                "/fishheads/yummy.html", "/fish.php?id=anything"],
     ["/Fish.asp", "/catfish", "/?id=fish", "/desert/fish"]),
    ("/fish/", ["/fish/", "/fish/?id=anything", "/fish/salmon.htm"],
     ["/fish", "/fish.html", "/animals/fish/", "/Fish/Salmon.asp"]),
    ("/*.php", ["/index.php", "/filename.php", "/folder/filename.php",
                "/folder/filename.php?parameters", "/folder/any.php.file.html",
                "/filename.php/"],
     ["/", "/windows.PHP"]),
    ("/*.php$", ["/filename.php", "/folder/filename.php"],
     ["/filename.php?parameters", "/filename.php/", "/filename.php5", "/windows.PHP"]),
    ("/fish*.php", ["/fish.php", "/fishheads/catfish.php?parameters"], ["/Fish.PHP"]),
]


@pytest.mark.parametrize(("pattern", "matching", "not_matching"), GOOGLE_PATH_TABLE,
                         ids=[row[0] for row in GOOGLE_PATH_TABLE])
def test_google_path_matching_table(pattern: str, matching: list[str],
                                    not_matching: list[str]) -> None:
    robots = RobotsTxt(f"user-agent: FooBot\ndisallow: /\nallow: {pattern}\n")
    assert [robots.allowed("http://example.com" + p, "FooBot") for p in matching] == [
        True] * len(matching)
    assert [robots.allowed("http://example.com" + p, "FooBot") for p in not_matching] == [
        False] * len(not_matching)


# Google's documented group examples (same page, "Order of precedence for user agents"
# and "Grouping of lines and rules") and RFC 9309 §2.2.1.
GROUPS = """\
user-agent: googlebot-news
disallow: /fish

user-agent: *
disallow: /carrots

user-agent: googlebot-news
disallow: /shrimp

user-agent: googlebot
disallow: /bread

user-agent: a
sitemap: https://example.com/sitemap.xml
user-agent: b
disallow: /
"""


@pytest.mark.parametrize(
    ("crawler", "blocked"),
    [
        ("googlebot-news", ["/fish", "/shrimp"]),  # both googlebot-news groups, merged
        ("Googlebot", ["/bread"]),
        ("otherbot", ["/carrots"]),
        ("a", ["/fish", "/shrimp", "/carrots", "/bread", "/x"]),  # sitemap: splits no group
        ("b", ["/fish", "/shrimp", "/carrots", "/bread", "/x"]),
    ],
)
def test_google_group_examples(crawler: str, blocked: list[str]) -> None:
    robots = RobotsTxt(GROUPS)
    paths = ["/fish", "/shrimp", "/carrots", "/bread", "/x"]
    assert [p for p in paths if not robots.allowed(p, crawler)] == blocked


def test_decide_names_the_winning_rule_and_ties_keep_the_first_line() -> None:
    robots = RobotsTxt("user-agent: *\ndisallow: /a\ndisallow: /a\nallow: /a\nallow: /a\n"
                       "disallow: /*b\nallow: /*b\n")
    rule = robots.decide("/a")
    assert rule is not None and rule.allow and rule.line == 4
    rule = robots.decide("/xb")
    assert rule is not None and rule.allow and rule.line == 7


def _reference_decide(rules: list[RobotsRule], path: str) -> RobotsRule | None:
    """The plain definition: every rule tried, most octets wins, Allow wins a tie."""
    best = None
    for rule in rules:
        if _matches(rule.pattern, path) and (
                best is None or len(rule.pattern) > len(best.pattern)
                or (len(rule.pattern) == len(best.pattern) and rule.allow and not best.allow)):
            best = rule
    return best


@settings(max_examples=300, deadline=None)
@given(patterns=st.lists(st.tuples(st.booleans(),
                                   st.text(alphabet="/ab*$", min_size=1, max_size=8)),
                         max_size=12),
       paths=st.lists(st.text(alphabet="/ab?", max_size=10), min_size=1, max_size=5))
def test_compiled_groups_decide_as_the_plain_definition(
        patterns: list[tuple[bool, str]], paths: list[str]) -> None:
    text = "user-agent: *\n" + "".join(
        f"{'allow' if allow else 'disallow'}: /{pattern}\n" for allow, pattern in patterns)
    robots = RobotsTxt(text)
    rules = robots.rules_for("x")
    for raw in paths:
        path = "/" + raw
        got, expected = robots.decide(path), _reference_decide(rules, _path_of(path))
        assert (got is None) == (expected is None)
        if got is not None and expected is not None:
            assert (got.allow, len(got.pattern)) == (expected.allow, len(expected.pattern))


def test_groups_are_compiled_once_per_crawler() -> None:
    robots = RobotsTxt("user-agent: *\ndisallow: /a\n\nuser-agent: foobot\ndisallow: /b\n")
    for url in ("/a", "/b", "/c"):
        robots.allowed(url)
        robots.allowed(url, "FooBot/1.0")
    assert sorted(robots._compiled) == ["foobot", "googlebot"]


@pytest.mark.parametrize("odd", ["\u2028", "\x85", "\u00a0"])
def test_unicode_space_at_a_line_end_stays_in_the_rule(odd: str) -> None:
    """Only ASCII white space is trimmed: a rule ending in U+2028 does not become wider."""
    robots = RobotsTxt(f"User-agent: *\nDisallow: /private{odd}\n")
    assert robots.allowed("/private/x")
    assert not robots.allowed(f"/private{odd}")
