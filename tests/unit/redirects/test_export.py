"""kit.redirects.export: nginx maps, exact Apache rewrites, and CSV that round-trips.

The nginx and Apache outputs are checked twice: as text (what an admin reads) and
through a tiny interpreter of the few directives they use, so the tests say what a
request would get, not only what the file contains.  The system tests run real nginx.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

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

_MAP_BLOCK = re.compile(r"map (\$\w+) (\$\w+) \{\n(.*?)\n\}", re.S)
_ENTRY = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|default) ("(?:[^"\\]|\\.)*"|\$\w+);$')
_IF = re.compile(r'^if \((\$\w+) != ""\) \{ return (\d+)(?: (\$\w+))?; \}$', re.M)


def _unquote_nginx(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1]) if token.startswith('"') else token


def nginx_answer(config: str, request: str) -> tuple[int, str | None]:
    """(status, Location) nginx would answer for ``request`` (path?query); 200 if no rule."""
    path = unquote(request.split("?", 1)[0])
    inputs = {"$uri": path, "$request_uri": request}
    maps: dict[str, tuple[str, dict[str, str], str]] = {}
    for source, var, body in _MAP_BLOCK.findall(config):
        entries: dict[str, str] = {}
        default = '""'
        for line in body.splitlines():
            key, value = _ENTRY.match(line).groups()  # type: ignore[union-attr]
            if key == "default":
                default = value
            else:
                entries[_unquote_nginx(key)] = value
        maps[var] = (source, entries, default)

    def value(var: str) -> str:
        source, entries, default = maps[var]
        raw = entries.get(inputs[source], default)
        return value(raw) if raw.startswith("$") else _unquote_nginx(raw)

    for var, status, returned in _IF.findall(config):
        if value(var) != "":
            return int(status), value(returned) if returned else None
    return 200, None


def apache_answer(config: str, request: str) -> tuple[int, str | None]:
    """(status, Location) for ``request`` under mod_rewrite in a vhost; 200 if no rule."""
    path, _, query = request.partition("?")
    path = unquote(path)
    conditions: list[str] = []
    for line in config.splitlines():
        if line.startswith("RewriteCond "):
            _, variable, pattern = line.split()
            assert variable == "%{QUERY_STRING}"
            conditions.append(pattern)
            continue
        if not line.startswith("RewriteRule "):
            continue
        _, pattern, target, flags = line.split()
        applies = re.search(pattern, path) and all(re.search(c, query) for c in conditions)
        conditions = []
        if not applies:
            continue
        names = flags.strip("[]").split(",")
        if "G" in names:
            return 410, None
        status = int(next(n for n in names if n.startswith("R="))[2:])
        if target == "-" or not 300 <= status < 400:
            return status, None
        location = target + (f"?{query}" if query and "QSD" not in names else "")
        return status, location
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
    return [line.strip() for line in config.splitlines() if line.startswith('    "')]


def test_nginx_lists_each_source_once() -> None:
    config = to_nginx(MAP)
    keys = [line.split('" ', 1)[0] + '"' for line in _entry_lines(config)]
    assert sorted(keys) == sorted(
        ['"/old-a"', '"/old-b"', '"/promo"', '"/gone"', '"/missing"', '"/search?q=shoes"']
    )
    assert "/elsewhere" not in config
    assert '"/same"' not in config


def test_nginx_gone_rows_return_their_status_without_target() -> None:
    config = to_nginx(MAP)
    assert 'if ($crosstalk_410 != "") { return 410; }' in config
    assert 'if ($crosstalk_404 != "") { return 404; }' in config
    assert '    "/gone" "1";' in config


def test_nginx_query_rules_use_a_request_uri_map() -> None:
    config = to_nginx(MAP)
    block = re.search(r"map \$request_uri (\$\w+) \{(.*?)\}", config, re.S)
    assert block is not None
    assert '"/search?q=shoes" "/shoes";' in block.group(2)
    assert f"default {block.group(1)};" in config  # the $uri map falls back to it
    assert "/search?q=shoes" not in config.replace(block.group(0), "")


def test_nginx_sizes_the_map_hash_for_large_maps() -> None:
    small = to_nginx(frame(("/a", "/b", 301)))
    big = to_nginx(frame(*[(f"/p{i}", f"/n{i}", 301) for i in range(3000)]))
    assert "map_hash_max_size 1024;" in small
    size = int(re.search(r"map_hash_max_size (\d+);", big).group(1))  # type: ignore[union-attr]
    assert size >= 3000


@pytest.mark.parametrize(
    ("source", "target", "key", "value"),
    [
        pytest.param("/caf%C3%A9", "/b", '"/café"', '"/b"', id="decoded-uri"),
        pytest.param('/a%22b', '/b', '"/a\\"b"', '"/b"', id="quote-escaped"),
        pytest.param("/a", "/b?x=1&y=2", '"/a"', '"/b?x=1&y=2"', id="target-query"),
    ],
)
def test_nginx_quoting(source: str, target: str, key: str, value: str) -> None:
    assert f"    {key} {value};" in to_nginx(frame((source, target, 301)))


@pytest.mark.xfail(
    strict=True,
    reason="BUG: the $uri map wins over the $request_uri map (it is only the default), so "
    "'/a?x=1' gets the rule for '/a'; make the $request_uri map primary with the $uri map "
    "as its default, and order the if-lines so query rules win across statuses too",
)
def test_nginx_query_rule_beats_path_rule_for_the_same_path() -> None:
    config = to_nginx(frame(("/a", "/plain", 301), ("/a?x=1", "/query", 301)))
    assert nginx_answer(config, "/a?x=1") == (301, "/query")


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


@pytest.mark.xfail(
    strict=True,
    reason="BUG: a percent-encoded space in a source becomes a raw '\\ ' in the pattern; "
    "Apache splits directive arguments on whitespace, so the line is a syntax error; "
    "write the space as \\x20 (or quote the pattern)",
)
def test_apache_lines_survive_whitespace_in_decoded_paths() -> None:
    config = to_apache(frame(("/old%20page", "/new", 301)))
    rule = next(line for line in config.splitlines() if line.startswith("RewriteRule"))
    assert len(rule.split()) == 4


@pytest.mark.xfail(
    strict=True,
    reason="BUG: in a RewriteRule substitution '%N' is a RewriteCond back-reference and "
    "'$N' a RewriteRule one, so a target like /new%20page becomes /new0page; escape "
    "them as '\\%' and '\\$'",
)
def test_apache_escapes_backreference_characters_in_targets() -> None:
    config = to_apache(frame(("/p", "/new%20page", 301)))
    rule = next(line for line in config.splitlines() if line.startswith("RewriteRule"))
    assert not re.search(r"(?<!\\)[%$]\d", rule.split()[2])


@pytest.mark.xfail(
    strict=True,
    reason="BUG: the plain rule for '/a' comes first and matches '/a?x=1' too (RewriteRule "
    "never sees the query), so the query rule is unreachable; emit query rules first",
)
def test_apache_query_rule_beats_path_rule_for_the_same_path() -> None:
    config = to_apache(frame(("/a", "/plain", 301), ("/a?x=1", "/query", 301)))
    assert apache_answer(config, "/a?x=1") == (301, "/query")


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


@pytest.mark.xfail(
    strict=True,
    reason="BUG: with pandas 3 the clean frame's target column is str dtype, so the None "
    "of 404/410/200 rows is NaN, and to_csv's `target or ''` writes 'nan'; the file then "
    "fails to load. Write '' when pd.isna(target) (or keep the column dtype=object)",
)
def test_csv_round_trips_gone_and_unchanged_rows(tmp_path: Path) -> None:
    _round_trip(MAP, tmp_path)


@pytest.mark.xfail(strict=True, reason="BUG: same as above: 410 rows are written with target 'nan'")
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
