"""kit.redirects.export: nginx maps, exact Apache rewrites, and CSV that round-trips.

The nginx and Apache outputs are checked twice: as text (what an admin reads) and
through a tiny interpreter of the few directives they use, so the tests say what a
request would get, not only what the file contains.  The system tests run real nginx.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import InputError
from kit.redirects import load_redirects, to_apache, to_csv, to_nginx


def frame(*rules: tuple[str, str | None, int]) -> pd.DataFrame:
    return pd.DataFrame(rules, columns=["source", "target", "status"])


MAP = frame(
    ("/old-a", "/new-a", 301),
    ("/old-b", "https://example.com/new-b", 308),
    ("/promo", "/sale", 302),
    ("/gone", None, 410),
    ("/missing", None, 404),
    ("/same", "/same", 200),
    ("/search?q=shoes", "/shoes", 301),
    ("/old-a", "/elsewhere", 301),  # duplicate: the first rule wins
)


# --- tiny interpreters ------------------------------------------------------------------------
#
# Both servers compare bytes: nginx's $uri and Apache's matched path are the percent-decoded
# request bytes, and neither compiles its regexes in UTF-8 mode.  The interpreters therefore
# work on "byte strings" (bytes decoded as latin-1), and read the config the way the server
# reads the file: as UTF-8 bytes.  Case-insensitive matching is ASCII-only, as in both.


def _bytes_of(text: str) -> str:
    """``text`` as the server sees it in a UTF-8 config file: one char per byte."""
    return text.encode("utf-8").decode("latin-1")


def _text_of(raw: str) -> str:
    """The inverse of :func:`_bytes_of`, for a Location the tests compare as text."""
    return raw.encode("latin-1").decode("utf-8")


def _decoded_bytes(path: str) -> str:
    """A request path percent-decoded to bytes, one char per byte."""
    return unquote_to_bytes(path).decode("latin-1")


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_MAP_BLOCK = re.compile(r"^map (\$\w+) (\$\w+) \{\n(.*?)\n\}", re.S | re.M)
_GEO = re.compile(r'^geo (\$\w+) \{ default ("(?:[^"\\]|\\.)*"); \}$', re.M)
_ENTRY = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|default) ("(?:[^"\\]|\\.)*"|\$\w+);$')
_IF = re.compile(r'^if \((\$\w+) != ""\) \{ return (\d+)(?: (\$\w+))?; \}$', re.M)
_VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")
_CONF_ESCAPES = {"t": "\t", "r": "\r", "n": "\n"}


def _unquote_nginx(token: str) -> str:
    """A config token as nginx's parser reads it: in a quoted string only ``\\"``,
    ``\\'``, ``\\\\``, ``\\t``, ``\\r`` and ``\\n`` are escapes; other backslashes stay."""
    if not token.startswith('"'):
        return token
    return re.sub(r"""\\(["'\\trn])""",
                  lambda m: _CONF_ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


class _NginxMap:
    """One ``map``: exact string keys compared case-insensitively (nginx lowercases
    both), then regex keys in order of appearance (``~`` case-sensitive, ``~*`` not)."""

    def __init__(self, source: str, body: str) -> None:
        self.source = source
        self.default = ""
        self.exact: dict[str, str] = {}
        self.regexes: list[tuple[re.Pattern[str], str]] = []
        for line in body.splitlines():
            match = _ENTRY.match(line)
            assert match is not None, f"not a map entry: {line!r}"
            key, value = match.group(1), _unquote_nginx(match.group(2))
            if key == "default":
                self.default = value
                continue
            key = _unquote_nginx(key)
            if key == "":
                self.exact[""] = value
            elif key.startswith("~*"):
                self.regexes.append((re.compile(key[2:], re.ASCII | re.IGNORECASE), value))
            elif key.startswith("~"):
                self.regexes.append((re.compile(key[1:], re.ASCII), value))
            else:
                key = _ascii_lower(key.removeprefix("\\"))
                # nginx refuses to start with two keys that are equal but for case
                assert key not in self.exact, f"conflicting parameter {key!r}"
                self.exact[key] = value

    def lookup(self, subject: str) -> tuple[str, re.Match[str] | None]:
        """The value, and the regex match whose captures ``$1``.. the value may use."""
        found = self.exact.get(_ascii_lower(subject))
        if found is not None:
            return found, None
        for pattern, value in self.regexes:
            match = pattern.search(subject)
            if match:
                return value, match
        return self.default, None


def nginx_answer(config: str, request: str) -> tuple[int, str | None]:
    """(status, Location) nginx would answer for ``request`` (path?query); 200 if no rule.

    ``if`` lines run in order.  Map values are complex values, so ``$var`` and ``${var}``
    in them are expanded (``$is_args``, ``$args``, ``geo`` and ``map`` variables), and a
    ``$`` that starts no variable name is a config error.
    """
    config = _bytes_of(config)
    path, _, query = request.partition("?")
    inputs = {
        "$uri": _decoded_bytes(path),
        "$request_uri": request,
        "$args": query,
        "$is_args": "?" if query else "",
    }
    for var, value in _GEO.findall(config):
        inputs[var] = _unquote_nginx(value)  # geo values are plain text, never expanded
    maps = {var: _NginxMap(source, body) for source, var, body in _MAP_BLOCK.findall(config)}
    assert not set(maps) & set(inputs)

    def expand(value: str, captures: re.Match[str] | None = None) -> str:
        assert not re.search(r"\$(?!\{\w+\}|\w)", value), f"invalid variable name in {value!r}"

        def one(m: re.Match[str]) -> str:
            name = m.group(1) or m.group(2)
            if name.isdigit():  # a capture of the map's regex
                assert captures is not None and int(name) <= captures.re.groups, name
                return captures.group(int(name)) or ""
            return variable("$" + name)

        return _VARIABLE.sub(one, value)

    def variable(var: str) -> str:
        if var in inputs:
            return inputs[var]
        nginx_map = maps[var]  # an unknown variable is a config error: KeyError
        value, captures = nginx_map.lookup(variable(nginx_map.source))
        return expand(value, captures)

    for var, status, returned in _IF.findall(config):
        if variable(var) != "":
            return int(status), _text_of(variable(returned)) if returned else None
    return 200, None


def _apache_expand(target: str, rule: re.Match[str], cond: re.Match[str] | None) -> str:
    """mod_rewrite's substitution: ``\\c`` is a literal ``c``, ``$N`` a RewriteRule and
    ``%N`` a RewriteCond back-reference (empty when there is no such group)."""
    out: list[str] = []
    index = 0
    while index < len(target):
        char, following = target[index], target[index + 1 : index + 2]
        if char == "\\" and following:
            out.append(following)
            index += 2
        elif char in "$%" and following.isdigit():
            match = rule if char == "$" else cond
            group = int(following)
            out.append((match.group(group) or "") if match and group <= match.re.groups else "")
            index += 2
        else:
            assert not (char in "$%" and following == "{"), "variables are not modelled"
            out.append(char)
            index += 1
    return "".join(out)


def apache_answer(config: str, request: str) -> tuple[int, str | None]:
    """(status, Location) for ``request`` under mod_rewrite in a vhost; 200 if no rule."""
    path, _, query = request.partition("?")
    path = _decoded_bytes(path)
    conditions: list[tuple[str, str]] = []
    the_request = f"GET {request} HTTP/1.1"
    for line in _bytes_of(config).splitlines():
        if line.startswith("RewriteCond "):
            _, variable, pattern = line.split()
            assert variable in ("%{QUERY_STRING}", "%{THE_REQUEST}"), variable
            conditions.append((the_request if variable == "%{THE_REQUEST}" else query,
                               pattern))
            continue
        if not line.startswith("RewriteRule "):
            continue
        _, pattern, target, flags = line.split()
        rule = re.search(pattern, path, re.ASCII)
        cond = None
        applies = rule is not None
        for subject, condition in conditions:
            cond = re.search(condition, subject, re.ASCII)
            applies = applies and cond is not None
        conditions = []
        if not applies:
            continue
        assert rule is not None
        names = flags.strip("[]").split(",")
        if "G" in names:
            return 410, None
        status = int(next(n for n in names if n.startswith("R="))[2:])
        if target == "-" or not 300 <= status < 400:
            return status, None
        assert "NE" in names, "without NE Apache would escape the Location: not modelled"
        location = _apache_expand(target, rule, cond)
        # a substitution with its own query replaces the request's (no QSA flag here)
        if query and "?" not in location and "QSD" not in names:
            location += f"?{query}"
        return status, _text_of(location)
    return 200, None


# What every exporter must answer, request by request.
ANSWERS = [
    pytest.param("/old-a", (301, "/new-a"), id="301-first-rule-wins"),
    pytest.param("/old-b", (308, "https://example.com/new-b"), id="308-absolute"),
    pytest.param("/promo", (302, "/sale"), id="302"),
    pytest.param("/gone", (410, None), id="410"),
    pytest.param("/missing", (404, None), id="404"),
    pytest.param("/same", (200, None), id="200-not-exported"),
    pytest.param("/search?q=shoes", (301, "/shoes"), id="query-rule"),
    pytest.param("/search?q=boots", (200, None), id="other-query"),
    pytest.param("/old-a-2", (200, None), id="no-prefix-match"),
    pytest.param("/unknown", (200, None), id="unknown"),
]


@pytest.mark.parametrize(("request_uri", "expected"), ANSWERS)
def test_nginx_answers(request_uri: str, expected: tuple[int, str | None]) -> None:
    assert nginx_answer(to_nginx(MAP), request_uri) == expected


@pytest.mark.parametrize(("request_uri", "expected"), ANSWERS)
def test_apache_answers(request_uri: str, expected: tuple[int, str | None]) -> None:
    location = apache_answer(to_apache(MAP), request_uri)
    assert location == expected


# --- nginx ----------------------------------------------------------------------------------


def _entry_lines(config: str) -> list[str]:
    return [line.strip() for line in config.splitlines()
            if line.startswith('    "') and not line.startswith('    "" ')]


def test_nginx_lists_each_source_once() -> None:
    config = to_nginx(MAP)
    keys = [line.split('" ', 1)[0] + '"' for line in _entry_lines(config)]
    assert sorted(keys) == sorted(
        ['"/old-a"', '"/old-b"', '"/promo"', '"/gone"', '"/missing"',
         # the query rule alone, then with the visitor's parameters after, before, around
         r'"~^/search\\?q=shoes$"', r'"~^/search\\?q=shoes&(.+)$"',
         r'"~^/search\\?(.+)&q=shoes$"', r'"~^/search\\?(.+)&q=shoes&(.+)$"']
    )
    assert "/elsewhere" not in config
    assert '"/same"' not in config


def test_nginx_gone_rows_return_their_status_without_target() -> None:
    config = to_nginx(MAP)
    assert 'if ($crosstalk_410 != "") { return 410; }' in config
    assert 'if ($crosstalk_404 != "") { return 404; }' in config
    assert '    "/gone" "1";' in config
    assert '    "/missing" "1";' in config


def _if_lines(config: str) -> list[str]:
    return [line for line in config.splitlines() if line.startswith("if (")]


def test_nginx_query_rules_use_a_request_uri_map() -> None:
    config = to_nginx(MAP)
    block = re.search(r"^map \$request_uri (\$\w+) \{\n(.*?)\n\}", config, re.S | re.M)
    assert block is not None
    assert block.group(1) == "$crosstalk_301_query"
    # an exact regex on the raw request line; the rule's own query is not passed on again
    assert r'    "~^/search\\?q=shoes$" "/shoes";' in block.group(2).splitlines()
    assert "/search" not in config.replace(block.group(0), "")
    # the query map's if comes before every $uri map's, whatever the statuses
    assert _if_lines(config)[0] == (
        'if ($crosstalk_301_query != "") { return 301 $crosstalk_301_query; }'
    )


def test_nginx_query_ifs_come_first_across_statuses() -> None:
    config = to_nginx(frame(("/a", "/plain", 301), ("/a?x=1", "/query", 308),
                            ("/b?y=2", None, 410), ("/b", "/bee", 302)))
    ifs = _if_lines(config)
    query_ifs = [i for i, line in enumerate(ifs) if "_query" in line]
    assert query_ifs == list(range(len(query_ifs))) and len(query_ifs) == 2
    assert nginx_answer(config, "/a?x=1") == (308, "/query")
    assert nginx_answer(config, "/a?x=2") == (301, "/plain?x=2")
    assert nginx_answer(config, "/b?y=2") == (410, None)
    assert nginx_answer(config, "/b") == (302, "/bee")


def test_nginx_passes_the_visitors_query_on_path_rules_only() -> None:
    config = to_nginx(frame(("/a", "/b", 301), ("/n", "/b?x=1", 301), ("/s?q=1", "/t", 301),
                            ("/g", None, 410)))
    assert nginx_answer(config, "/a?utm_source=x") == (301, "/b?utm_source=x")
    assert nginx_answer(config, "/a?utm_source=x&gclid=7") == (301, "/b?utm_source=x&gclid=7")
    assert nginx_answer(config, "/a") == (301, "/b")  # no dangling '?'
    # the target's own query first, then the visitor's
    assert nginx_answer(config, "/n?utm_source=x") == (301, "/b?x=1&utm_source=x")
    assert nginx_answer(config, "/n") == (301, "/b?x=1")
    assert nginx_answer(config, "/s?q=1") == (301, "/t")  # a query rule: its query is consumed
    assert nginx_answer(config, "/s?q=1&utm_source=x") == (301, "/t?utm_source=x")
    assert nginx_answer(config, "/s?utm_source=x&q=1") == (301, "/t?utm_source=x")
    assert nginx_answer(config, "/s?a=1&q=1&b=2") == (301, "/t?a=1&b=2")
    assert nginx_answer(config, "/s?q=12") == (200, None)
    assert nginx_answer(config, "/g?utm_source=x") == (410, None)
    assert '    "/a" "/b$crosstalk_is_args";' in config
    assert '    "/n" "/b?x=1$crosstalk_and_args";' in config


def test_nginx_puts_the_visitors_query_before_a_fragment() -> None:
    config = to_nginx(frame(("/a", "/faq#ship", 301), ("/b", "/o?c=1#t", 301),
                            ("/q?id=1", "/p#top", 301)))
    assert nginx_answer(config, "/a") == (301, "/faq#ship")
    assert nginx_answer(config, "/a?utm_source=x") == (301, "/faq?utm_source=x#ship")
    assert nginx_answer(config, "/b?utm_source=x") == (301, "/o?c=1&utm_source=x#t")
    assert nginx_answer(config, "/q?id=1&utm_source=x") == (301, "/p?utm_source=x#top")


def test_nginx_query_keys_are_exact_and_escape_regex_characters() -> None:
    config = to_nginx(frame(("/s.php?q=a+b&p=(1)", "/t", 301)))
    assert nginx_answer(config, "/s.php?q=a+b&p=(1)") == (301, "/t")
    assert nginx_answer(config, "/sxphp?q=a+b&p=(1)") == (200, None)
    assert nginx_answer(config, "/s.php?q=aab&p=1") == (200, None)
    assert nginx_answer(config, "/s.php?q=a+b&p=(1)&more") == (301, "/t?more")
    assert nginx_answer(config, "/s.php?q=a+b&p=(1)x") == (200, None)
    assert nginx_answer(config, "/x/s.php?q=a+b&p=(1)") == (200, None)


def test_nginx_query_keys_match_percent_escapes_in_either_hex_case() -> None:
    config = to_nginx(frame(("/caf%C3%A9?q=%2F", "/cafe", 301)))
    assert nginx_answer(config, "/caf%C3%A9?q=%2F") == (301, "/cafe")
    assert nginx_answer(config, "/caf%c3%a9?q=%2f") == (301, "/cafe")
    assert nginx_answer(config, "/caf%C3%A9?q=/") == (200, None)


def test_nginx_non_utf8_path_goes_to_the_request_uri_map() -> None:
    config = to_nginx(frame(("/bad%FF", "/c", 301), ("/ok", "/d", 301)))
    assert "map $request_uri $crosstalk_301_raw" in config
    assert nginx_answer(config, "/bad%FF") == (301, "/c")
    assert nginx_answer(config, "/bad%ff") == (301, "/c")
    assert nginx_answer(config, "/bad%FFx") == (200, None)
    assert nginx_answer(config, "/ok") == (301, "/d")


def test_nginx_source_with_capitals_becomes_a_case_sensitive_regex_key() -> None:
    config = to_nginx(frame(("/Old-Page", "/new", 301), ("/plain", "/p", 301)))
    assert '    "~^/Old\\\\-Page$" "/new$crosstalk_is_args";' in config
    assert '    "/plain" "/p$crosstalk_is_args";' in config  # lower-case sources stay hash keys
    assert nginx_answer(config, "/Old-Page") == (301, "/new")
    assert nginx_answer(config, "/Old-Page?utm_source=x") == (301, "/new?utm_source=x")
    assert nginx_answer(config, "/old-page") == (200, None)
    assert nginx_answer(config, "/OLD-PAGE") == (200, None)


def test_nginx_case_variant_sources_each_get_their_own_rule() -> None:
    config = to_nginx(frame(("/a", "/x", 301), ("/A", "/y", 302)))
    assert '    "~^/a$" "/x$crosstalk_is_args";' in config
    assert nginx_answer(config, "/a") == (301, "/x")
    assert nginx_answer(config, "/A") == (302, "/y")


@pytest.mark.parametrize(
    "rules",
    [
        pytest.param([("/Page", "/page", 301)], id="capital-source"),
        pytest.param([("/page", "/Page", 301)], id="capital-target"),
        pytest.param([("/%C3%A9t%C3%A9", "/%C3%89T%C3%89", 301)], id="non-ascii"),
    ],
)
def test_nginx_case_only_moves_do_not_loop(rules: list[tuple[str, str, int]]) -> None:
    config = to_nginx(frame(*rules))
    ((source, target, status),) = rules
    assert nginx_answer(config, source) == (status, target)
    assert nginx_answer(config, target) == (200, None)


def test_nginx_case_only_move_to_an_absolute_target_on_the_same_site_does_not_loop() -> None:
    config = to_nginx(frame(("https://example.com/page", "https://example.com/Page", 301)))
    assert nginx_answer(config, "/page") == (301, "https://example.com/Page")
    assert nginx_answer(config, "/Page") == (200, None)


def test_nginx_writes_a_literal_dollar_in_targets() -> None:
    config = to_nginx(frame(("/a", "/b$1?x=$y", 301), ("/c", "/d$args", 302)))
    assert 'geo $crosstalk_dollar { default "$"; }' in config
    assert '    "/a" "/b${crosstalk_dollar}1?x=${crosstalk_dollar}y$crosstalk_and_args";' in config
    assert nginx_answer(config, "/a?z=1") == (301, "/b$1?x=$y&z=1")
    assert nginx_answer(config, "/c?z=1") == (302, "/d$args?z=1")


def test_nginx_sizes_the_map_hash_for_large_maps() -> None:
    small = to_nginx(frame(("/a", "/b", 301)))
    big = to_nginx(frame(*[(f"/p{i}", f"/n{i}", 301) for i in range(3000)]))
    assert "map_hash_max_size 1024;" in small
    size = int(re.search(r"map_hash_max_size (\d+);", big).group(1))  # type: ignore[union-attr]
    assert size >= 3000


def _bucket_size(config: str) -> int:
    return int(re.search(r"map_hash_bucket_size (\d+);", config).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize("length", [10, 200, 300, 1000, 5000])
def test_nginx_bucket_size_fits_the_longest_key(length: int) -> None:
    source = "/" + "%C3%A9" * length  # é: 2 bytes decoded, 6 in the map
    config = to_nginx(frame((source, "/b", 301)))
    key = unquote_to_bytes(source)
    bucket = _bucket_size(config)
    # ngx_hash_init: an element takes a pointer plus the key and a 2-byte length, aligned
    assert bucket >= 8 + ((len(key) + 2 + 7) // 8) * 8 + 8
    assert bucket & (bucket - 1) == 0  # a power of two, as nginx rounds it anyway
    assert nginx_answer(config, source) == (301, "/b")


@pytest.mark.parametrize(
    ("source", "target", "key", "value"),
    [
        pytest.param("/caf%C3%A9", "/b", '"/café"', '"/b$crosstalk_is_args"', id="decoded-uri"),
        pytest.param('/a%22b', '/b', '"/a\\"b"', '"/b$crosstalk_is_args"', id="quote-escaped"),
        pytest.param('/a%5Cb', '/b', '"/a\\\\b"', '"/b$crosstalk_is_args"',
                     id="backslash-escaped"),
        pytest.param("/a", "/b?x=1&y=2", '"/a"', '"/b?x=1&y=2$crosstalk_and_args"',
                     id="target-query"),
    ],
)
def test_nginx_quoting(source: str, target: str, key: str, value: str) -> None:
    config = to_nginx(frame((source, target, 301)))
    assert f"    {key} {value};" in config
    assert nginx_answer(config, source) == (301, target)


def test_nginx_query_rule_beats_a_raw_path_rule_across_statuses() -> None:
    config = to_nginx(frame(("/caf%E9", "/plain", 301), ("/caf%E9?x=1", "/query", 302)))
    assert nginx_answer(config, "/caf%E9?x=1&utm_source=n") == (302, "/query?utm_source=n")
    assert nginx_answer(config, "/caf%E9?utm_source=n") == (301, "/plain?utm_source=n")


def test_nginx_query_rule_beats_path_rule_for_the_same_path() -> None:
    config = to_nginx(frame(("/a", "/plain", 301), ("/a?x=1", "/query", 301)))
    assert nginx_answer(config, "/a?x=1") == (301, "/query")
    assert nginx_answer(config, "/a") == (301, "/plain")


# --- Apache ---------------------------------------------------------------------------------


def test_apache_uses_exact_rewrite_rules_not_prefix_redirects() -> None:
    config = to_apache(MAP)
    assert "RewriteEngine On" in config
    assert not re.search(r"^\s*Redirect(Match|Permanent)?\s", config, re.M)
    assert "RewriteRule ^/?old-a$ /new-a [R=301,L,NE]" in config
    assert "RewriteRule ^/?old-b$ https://example.com/new-b [R=308,L,NE]" in config
    assert config.count("^/?old-a$") == 1


def test_apache_gone_uses_the_g_flag() -> None:
    config = to_apache(MAP)
    assert "RewriteRule ^/?gone$ - [G,L]" in config
    assert "RewriteRule ^/?missing$ - [R=404,L]" in config


def test_apache_query_rules_use_a_condition_and_drop_the_query() -> None:
    config = to_apache(MAP)
    assert "RewriteCond %{QUERY_STRING} ^q=shoes$\nRewriteRule ^/?search$ /shoes [R=301,L,NE,QSD]" \
        in config


def test_apache_escapes_regex_characters() -> None:
    config = to_apache(frame(("/a.b(1)", "/c", 301)))
    assert r"RewriteRule ^/?a\.b\(1\)$ /c" in config
    assert apache_answer(config, "/axb(1)") == (200, None)
    assert apache_answer(config, "/a.b(1)") == (301, "/c")


def test_apache_lines_survive_whitespace_in_decoded_paths() -> None:
    config = to_apache(frame(("/old%20page", "/new", 301), ("/tab%09x", "/t", 301)))
    rules = [line for line in config.splitlines() if line.startswith("RewriteRule")]
    assert all(len(rule.split()) == 4 for rule in rules)
    assert r"RewriteRule ^/?old\x20page$ /new" in config
    assert apache_answer(config, "/old%20page") == (301, "/new")
    assert apache_answer(config, "/tab%09x") == (301, "/t")
    assert apache_answer(config, "/oldxpage") == (200, None)


@pytest.mark.parametrize(
    ("target", "written"),
    [
        pytest.param("/new%20page", r"/new\%20page", id="percent"),
        pytest.param("/b$1", r"/b\$1", id="dollar"),
        pytest.param("/c?x=%7B$y%7D", r"/c?x=\%7B\$y\%7D", id="both-in-query"),
    ],
)
def test_apache_escapes_backreference_characters_in_targets(target: str, written: str) -> None:
    config = to_apache(frame(("/p", target, 301), ("/q?k=1", target, 302)))
    rules = [line for line in config.splitlines() if line.startswith("RewriteRule")]
    substitutions = [rule.split()[2] for rule in rules]
    assert written in substitutions
    assert all(sub.startswith(written) for sub in substitutions)
    # the only back-references are the visitor's parameters (%1, %2) the export adds
    assert not any(re.search(r"(?<!\\)[%$]\d", re.sub(r"[?&]%[12]", "", sub))
                   for sub in substitutions)
    assert apache_answer(config, "/p") == (301, target)
    assert apache_answer(config, "/q?k=1") == (302, target)
    assert apache_answer(config, "/q?k=1&u=2") == (302, target + ("&" if "?" in target
                                                                  else "?") + "u=2")


def test_apache_query_rule_beats_path_rule_for_the_same_path() -> None:
    config = to_apache(frame(("/a", "/plain", 301), ("/a?x=1", "/query", 301)))
    assert apache_answer(config, "/a?x=1") == (301, "/query")
    assert apache_answer(config, "/a?x=2") == (301, "/plain?x=2")
    assert apache_answer(config, "/a") == (301, "/plain")


def test_apache_writes_query_rules_first() -> None:
    config = to_apache(frame(("/a", "/plain", 301), ("/b", None, 410), ("/a?x=1", "/q1", 302),
                             ("/c", "/d", 308), ("/b?y=2", "/q2", 301)))
    lines = [line for line in config.splitlines() if line.startswith("Rewrite")][1:]
    assert lines == [
        "RewriteCond %{QUERY_STRING} ^x=1$",
        "RewriteRule ^/?a$ /q1 [R=302,L,NE,QSD]",
        "RewriteCond %{QUERY_STRING} ^x=1&(.+)$",
        "RewriteRule ^/?a$ /q1?%1 [R=302,L,NE,QSD]",
        "RewriteCond %{QUERY_STRING} ^(.+)&x=1$",
        "RewriteRule ^/?a$ /q1?%1 [R=302,L,NE,QSD]",
        "RewriteCond %{QUERY_STRING} ^(.+)&x=1&(.+)$",
        "RewriteRule ^/?a$ /q1?%1&%2 [R=302,L,NE,QSD]",
        "RewriteCond %{QUERY_STRING} ^y=2$",
        "RewriteRule ^/?b$ /q2 [R=301,L,NE,QSD]",
        "RewriteCond %{QUERY_STRING} ^y=2&(.+)$",
        "RewriteRule ^/?b$ /q2?%1 [R=301,L,NE,QSD]",
        "RewriteCond %{QUERY_STRING} ^(.+)&y=2$",
        "RewriteRule ^/?b$ /q2?%1 [R=301,L,NE,QSD]",
        "RewriteCond %{QUERY_STRING} ^(.+)&y=2&(.+)$",
        "RewriteRule ^/?b$ /q2?%1&%2 [R=301,L,NE,QSD]",
        "RewriteRule ^/?a$ /plain [R=301,L,NE]",
        "RewriteRule ^/?b$ - [G,L]",
        "RewriteRule ^/?c$ /d [R=308,L,NE]",
    ]
    assert apache_answer(config, "/b?y=2") == (301, "/q2")
    assert apache_answer(config, "/b?y=3") == (410, None)


def test_apache_passes_the_visitors_query_on_path_rules() -> None:
    config = to_apache(frame(("/a", "/b", 301), ("/n", "/b?x=1", 301)))
    assert apache_answer(config, "/a?utm_source=x") == (301, "/b?utm_source=x")
    assert apache_answer(config, "/n?utm_source=x") == (301, "/b?x=1&utm_source=x")
    assert apache_answer(config, "/n") == (301, "/b?x=1")


def test_apache_puts_the_visitors_query_before_a_fragment() -> None:
    config = to_apache(frame(("/a", "/faq#ship", 301), ("/q?id=1", "/p#top", 301)))
    assert apache_answer(config, "/a") == (301, "/faq#ship")
    assert apache_answer(config, "/a?utm_source=x") == (301, "/faq?utm_source=x#ship")
    assert apache_answer(config, "/q?utm_source=x&id=1") == (301, "/p?utm_source=x#top")


def test_apache_matches_double_slash_and_encoded_slash_sources_on_the_request_line() -> None:
    config = to_apache(frame(("/a%2Fb", "/ab", 301), ("/old//page", "/p", 301)))
    assert "RewriteCond %{THE_REQUEST}" in config
    assert apache_answer(config, "/a%2Fb?utm_source=x") == (301, "/ab?utm_source=x")
    assert apache_answer(config, "/old//page") == (301, "/p")
    assert apache_answer(config, "/a/b") == (200, None)


def test_apache_non_utf8_source_matches_its_own_bytes() -> None:
    config = to_apache(frame(("/bad%FF", "/c", 301)))
    assert apache_answer(config, "/bad%FF") == (301, "/c")
    assert apache_answer(config, "/bad%EF%BF%BD") == (200, None)


def test_apache_query_conditions_match_percent_escapes_in_either_hex_case() -> None:
    config = to_apache(frame(("/s?q=caf%C3%A9", "/t", 301)))
    assert apache_answer(config, "/s?q=caf%C3%A9") == (301, "/t")
    assert apache_answer(config, "/s?q=caf%c3%a9") == (301, "/t")


# --- CSV ------------------------------------------------------------------------------------


def _round_trip(redirects: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    text = to_csv(redirects, path)
    assert path.read_text(encoding="utf-8") == text
    assert text.splitlines()[0] == "source,target,status"
    columns = ["source", "target", "status", "source_key"]
    original = load_redirects(redirects).frame[columns]
    again = load_redirects(path).frame[columns]
    pd.testing.assert_frame_equal(again, original)
    assert to_csv(path) == text


def test_csv_round_trips_through_load_redirects(tmp_path: Path) -> None:
    redirects = frame(("/old-a", "/new-a", 301), ("/old-b", "https://example.com/new-b", 308),
                      ("/promo", "/sale", 302), ("/search?q=shoes", "/shoes", 301),
                      ("/old-a", "/elsewhere", 301))
    _round_trip(redirects, tmp_path)


def test_csv_round_trips_gone_and_unchanged_rows(tmp_path: Path) -> None:
    _round_trip(MAP, tmp_path)


def test_csv_writes_an_empty_target_for_gone_rows() -> None:
    text = to_csv(frame(("/a", "/b", 301), ("/c", None, 410)))
    assert text == "source,target,status\n/a,/b,301\n/c,,410\n"


def test_csv_keeps_every_row_and_quotes_commas() -> None:
    text = to_csv(frame(("/a", "/b?x=1,2", 301), ("/a", "/c", 301)))
    assert text == 'source,target,status\n/a,"/b?x=1,2",301\n/a,/c,301\n'


def test_csv_from_a_csv_path(write_csv) -> None:
    path = write_csv("from,to\n/a,/b\n")
    assert to_csv(path) == "source,target,status\n/a,/b,301\n"


@pytest.mark.parametrize("export", [to_nginx, to_apache, to_csv], ids=["nginx", "apache", "csv"])
def test_exports_refuse_bad_maps(export, write_csv) -> None:
    with pytest.raises(InputError, match=r"map\.csv line 2"):
        export(write_csv("source,target\nold page,/b\n"))


# --- Netlify, Cloudflare and the shared rules ---------------------------------------------


def test_export_rules_read_a_bare_question_mark_as_the_plain_path() -> None:
    from kit.redirects.export import export_rules

    rules = export_rules(frame(("/q?", "/a", 301), ("/q", "/b", 301), ("/s?x=1", "/c", 302)))
    assert [(r.path, r.query, r.target) for r in rules] == [("/q", None, "/a"),
                                                          ("/s", "x=1", "/c")]


@pytest.mark.parametrize(("target", "extra", "location"), [
    ("/b", "", "/b"),
    ("/b", "u=1", "/b?u=1"),
    ("/b?x=1", "u=1", "/b?x=1&u=1"),
    ("/b#f", "u=1", "/b?u=1#f"),
    ("/b?x=1#f", "u=1", "/b?x=1&u=1#f"),
    ("https://x.example/b#", "u=1", "https://x.example/b?u=1#"),
])
def test_redirect_location(target: str, extra: str, location: str) -> None:
    from kit.redirects.export import redirect_location

    assert redirect_location(target, extra) == location


def test_netlify_file() -> None:
    from kit.redirects.export import to_netlify, unsupported_rules

    text = to_netlify(frame(("/a", "/b", 301), ("/s?q=red+shoes&p=2", "/shoes#top", 302),
                            ("/caf%C3%A9", "/cafe", 308), ("/naïve", "/n", 301),
                            ("/g", None, 410)))
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == ["/a /b 301", "/s q=red+shoes p=2 /shoes#top 302", "/caf%C3%A9 /cafe 308",
                     "/na%C3%AFve /n 301"]
    assert [p.split(":")[0] for p in unsupported_rules(MAP, "netlify")] == ["/gone", "/missing"]


def test_cloudflare_csv() -> None:
    from kit.redirects.export import to_cloudflare, unsupported_rules

    rules = frame(("https://old.example/a", "/b", 301), ("/c", "https://x.example/d?y=1", 302),
                  ("/s?q=1", "/t", 301), ("/p", "/q", 303), ("/g", None, 410))
    rows = to_cloudflare(rules).splitlines()
    assert rows == ["old.example/a,https://old.example/b,301,TRUE,FALSE,FALSE,FALSE",
                    "old.example/c,https://x.example/d?y=1,302,FALSE,FALSE,FALSE,FALSE"]
    assert to_cloudflare(rules, host="www.old.example").startswith("www.old.example/a,")
    assert [p.split(":")[0] for p in unsupported_rules(rules, "cloudflare")] == [
        "/s?q=1", "/p", "/g"]
    with pytest.raises(InputError, match="--host"):
        to_cloudflare(frame(("/a", "/b", 301)))


_SEGMENT = st.text(alphabet=st.sampled_from("abcXYZ019-_.~!$'()*+,;=:@é中%20"), min_size=1,
                   max_size=8).filter(lambda t: ("%" not in t or "%20" in t) and t.strip("."))


@settings(max_examples=60, deadline=None)
@given(st.lists(_SEGMENT, min_size=1, max_size=3), st.sampled_from(["", "id=7", "q=a+b&p=2"]),
       st.sampled_from(["/new", "/new?x=1", "/new#f", "https://x.example/n?y=2#g"]))
def test_every_source_answers_its_target_with_the_visitors_tags(segments, query, target) -> None:
    """Any path (non-ASCII, reserved characters), with or without a query: both exports
    send the source, and the source with tags, where the map says."""
    from urllib.parse import quote

    from kit.redirects.export import redirect_location

    source = "/" + "/".join(segments) + (f"?{query}" if query else "")
    config_nginx, config_apache = to_nginx(frame((source, target, 301))), to_apache(
        frame((source, target, 301)))
    request = quote(source, safe="/?=&%;:@!$'()*+,~-._")
    tagged = request + ("&" if query else "?") + "utm_source=n"
    for answer in (nginx_answer, apache_answer):
        config = config_nginx if answer is nginx_answer else config_apache
        assert answer(config, request) == (301, target), (answer.__name__, request)
        assert answer(config, tagged) == (301, redirect_location(target, "utm_source=n")), (
            answer.__name__, tagged)
