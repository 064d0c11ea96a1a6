"""kit.redirects.maps: loading and validating a redirect map, row by row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from kit.errors import InputError
from kit.redirects.maps import RedirectMap, load_redirects

Row = tuple[str, str, str]


def _csv_text(rows: list[Row], header: str = "source,target,status") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    buffer.write(header + "\n")
    writer.writerows(rows)
    return buffer.getvalue()


def _load(kind: str, rows: list[Row], tmp_path: Path) -> RedirectMap:
    """Load ``rows`` as a CSV file (``kind="csv"``) or as a DataFrame."""
    if kind == "csv":
        path = tmp_path / "map.csv"
        path.write_text(_csv_text(rows), encoding="utf-8")
        return load_redirects(path)
    return load_redirects(pd.DataFrame(rows, columns=["source", "target", "status"]))


def _where(kind: str, position: int) -> str:
    return f"map.csv line {position + 2}" if kind == "csv" else f"redirect map row {position}"


KINDS = pytest.mark.parametrize("kind", ["csv", "dataframe"])

# (rows, position of the bad row, what the message must say)
BAD_ROWS = [
    pytest.param([("old page.html", "/new", "301")], 0, "source 'old page.html' is not a URL",
                 id="source-with-space"),
    pytest.param([("/a", "/b", "301"), ("htp:/x", "/new", "301")], 1, "source 'htp:/x' is not",
                 id="source-typo-scheme"),
    pytest.param([("", "/new", "301")], 0, "source '' is not a URL", id="source-empty"),
    pytest.param([("/a", "new page", "301")], 0, "target 'new page' is not a URL",
                 id="target-not-url"),
    pytest.param([("/a", "htp:/x", "301")], 0, "target 'htp:/x' is not a URL",
                 id="target-typo-scheme"),
    pytest.param([("/a", "/b", "abc")], 0, "status 'abc' is not a number", id="status-abc"),
    pytest.param([("/a", "/b", "301.5")], 0, "status '301.5' is not a number",
                 id="status-fraction"),
    pytest.param([("/a", "/b", "nan")], 0, "status 'nan' is not a number", id="status-nan"),
    pytest.param([("/a", "/b", "500")], 0, "status 500 is not a redirect", id="status-500"),
    pytest.param([("/a", "/b", "304")], 0, "status 304 is not a redirect", id="status-304"),
    pytest.param([("/a", "/b", "404")], 0, "status 404 means no replacement, but target '/b'",
                 id="404-with-target"),
    pytest.param([("/a", "/b", "410")], 0, "status 410 means no replacement",
                 id="410-with-target"),
    pytest.param([("/a", "", "301")], 0, "status 301 needs a target", id="301-without-target"),
    pytest.param([("/a", "", "302")], 0, "status 302 needs a target", id="302-without-target"),
    pytest.param([("/a", "", "")], 0, "status 301 needs a target", id="default-without-target"),
    pytest.param([("/a", "not a url", "200")], 0,
                 "status 200 means the URL stays as it is, but target 'not a url' differs; "
                 "use 301 to move it", id="200-with-bad-target"),
    pytest.param([("/a", "/b", "200")], 0,
                 "status 200 means the URL stays as it is, but target '/b' differs",
                 id="200-with-other-target"),
]


@KINDS
@pytest.mark.parametrize(("rows", "position", "message"), BAD_ROWS)
def test_bad_rows_raise_naming_the_row(
    kind: str, rows: list[Row], position: int, message: str, tmp_path: Path
) -> None:
    with pytest.raises(InputError) as caught:
        _load(kind, rows, tmp_path)
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert problem.startswith(_where(kind, position) + ": ")
    assert message in problem
    assert message in str(caught.value)


@KINDS
def test_every_bad_row_is_listed(kind: str, tmp_path: Path) -> None:
    rows = [
        ("/ok", "/fine", "301"),
        ("old page.html", "/x", "301"),
        ("/b", "/c", "abc"),
        ("/ok2", "/fine2", "301"),
        ("/d", "", "301"),
        ("/e", "/f", "404"),
    ]
    with pytest.raises(InputError) as caught:
        _load(kind, rows, tmp_path)
    assert [p.split(":")[0] for p in caught.value.problems] == [
        _where(kind, position) for position in (1, 2, 4, 5)
    ]
    assert "4 row(s)" in caught.value.what
    assert "no row was skipped" in str(caught.value)


@KINDS
def test_one_row_with_several_problems_lists_them_all(kind: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        _load(kind, [("old page", "", "abc")], tmp_path)
    (problem,) = caught.value.problems
    assert "status 'abc'" in problem
    assert "source 'old page'" in problem


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("", "the file is empty", id="empty-file"),
        pytest.param("source,target,status\n", "has a header but no rows", id="header-only"),
        pytest.param("url,new\n/a,/b\n", "needs the column(s) source", id="no-source-column"),
        pytest.param("old_url,title\n/a,A\n", "needs the column(s) target", id="no-target-column"),
        pytest.param("a;b\n/x;/y\n", "needs the column(s) source, target", id="semicolon-csv"),
    ],
)
def test_unusable_files_raise(write_csv, content: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        load_redirects(write_csv(content))
    assert message in str(caught.value)
    assert "map.csv" in str(caught.value)


def test_empty_dataframe_raises() -> None:
    with pytest.raises(InputError, match="no rows"):
        load_redirects(pd.DataFrame({"source": [], "target": []}))


def test_dataframe_without_columns_raises() -> None:
    with pytest.raises(InputError, match=r"needs the column\(s\) source, target"):
        load_redirects(pd.DataFrame({"a": ["/x"]}))


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param("", 301, id="default-301"),
        pytest.param("301", 301, id="301"),
        pytest.param("301.0", 301, id="301-float-text"),
        pytest.param(" 308 ", 308, id="spaces"),
        pytest.param("302", 302, id="302"),
        pytest.param("303", 303, id="303"),
        pytest.param("307", 307, id="307"),
    ],
)
def test_redirect_statuses(status: str, expected: int, write_csv) -> None:
    rmap = load_redirects(write_csv(_csv_text([("/a", "/b", status)])))
    assert rmap.frame["status"].tolist() == [expected]
    assert rmap.frame["target"].tolist() == ["/b"]


@pytest.mark.parametrize("status", [404, 410])
def test_gone_rows_have_no_target(status: int) -> None:
    rmap = load_redirects(pd.DataFrame({"source": ["/a"], "target": [None], "status": [status]}))
    assert rmap.frame["target"].tolist() == [None]
    assert rmap.frame["target_key"].tolist() == [None]
    assert rmap.redirects().empty


def test_integer_and_float_status_columns_in_dataframes() -> None:
    ints = load_redirects(pd.DataFrame({"source": ["/a"], "target": ["/b"], "status": [302]}))
    floats = load_redirects(pd.DataFrame({"source": ["/a", "/c"], "target": ["/b", "/d"],
                                          "status": [307.0, float("nan")]}))
    assert ints.frame["status"].tolist() == [302]
    assert floats.frame["status"].tolist() == [307, 301]


def test_unchanged_row_with_its_own_url_as_target_is_accepted() -> None:
    # what suggest_map writes for a URL that exists unchanged on the new site
    rmap = load_redirects(pd.DataFrame({"source": ["/a"], "target": ["/a"], "status": [200]}))
    assert rmap.frame["status"].tolist() == [200]
    assert rmap.redirects().empty


def test_unchanged_row_with_another_target_is_rejected() -> None:
    with pytest.raises(InputError, match=r"row 0: status 200 means .* target '/other' differs"):
        load_redirects(pd.DataFrame({"source": ["/a"], "target": ["/other"], "status": [200]}))


def test_aliases_and_whitespace(write_csv) -> None:
    rmap = load_redirects(write_csv("old_url,New_URL,Status Code\n /a , /b ,301\n"))
    assert rmap.frame[["source", "target"]].values.tolist() == [["/a", "/b"]]


def test_relative_and_absolute_urls_of_one_site_share_keys() -> None:
    rmap = load_redirects(pd.DataFrame({
        "source": ["/a", "https://example.com/b"],
        "target": ["https://example.com/b", "/c"],
    }))
    assert rmap.origin == "https://example.com"
    assert rmap.frame["target_key"].iat[0] == rmap.frame["source_key"].iat[1]
    assert rmap.frame["target_key"].tolist() == ["/b", "/c"]


def test_origin_is_guessed_from_targets_when_sources_are_relative() -> None:
    rmap = load_redirects(pd.DataFrame({"source": ["/a"], "target": ["https://new.example/a"]}))
    assert rmap.origin == "https://new.example"
    # The site's own URLs, relative or absolute, share one key: the path.
    assert rmap.frame["source_key"].tolist() == ["/a"]
    assert rmap.frame["target_key"].tolist() == ["/a"]


def test_explicit_origin_wins() -> None:
    rmap = load_redirects(pd.DataFrame({"source": ["/a", "https://EXAMPLE.com:443/c"],
                                        "target": ["https://example.com/b", "https://b.example/"]}),
                          origin="https://example.com")
    assert rmap.origin == "https://example.com"
    assert rmap.frame["source_key"].tolist() == ["/a", "/c"]
    assert rmap.frame["target_key"].tolist() == ["/b", "https://b.example/"]


def test_relative_target_of_an_absolute_source_resolves_against_that_host() -> None:
    rmap = load_redirects(pd.DataFrame({
        "source": ["https://old.example/a", "https://old.example/b", "https://other.example/c"],
        "target": ["/x", "/y", "/z"],
    }))
    assert rmap.frame["target_key"].iat[2] == "https://other.example/z"


def test_where_points_back_to_the_file_line(write_csv) -> None:
    rmap = load_redirects(write_csv("source,target\n/a,/b\n/c,/d\n"))
    assert rmap.where(1) == "map.csv line 3"


def test_default_status_without_status_column() -> None:
    rmap = load_redirects(pd.DataFrame({"source": ["/a"], "target": ["/b"]}))
    assert rmap.frame["status"].tolist() == [301]
    assert len(rmap.redirects()) == 1


def test_target_column_holds_none_not_nan_for_rows_without_a_target() -> None:
    rmap = load_redirects(pd.DataFrame({"source": ["/a", "/b", "/c", "/d"],
                                        "target": ["/x", None, "", "/d"],
                                        "status": [301, 410, 404, 200]}))
    assert rmap.frame["target"].dtype == object
    assert rmap.frame["target"].tolist() == ["/x", None, None, None]


def test_target_key_column_holds_none_not_nan_for_rows_without_a_target() -> None:
    rmap = load_redirects(pd.DataFrame({"source": ["/a", "/b"], "target": ["/x", None],
                                        "status": [301, 410]}))
    assert rmap.frame["target_key"].tolist() == ["/x", None]


def test_fallback_origin_is_used_only_when_the_map_has_no_absolute_url() -> None:
    relative = pd.DataFrame({"source": ["/a"], "target": ["/b"]})
    absolute = pd.DataFrame({"source": ["/a"], "target": ["https://new.example/b"]})
    rmap = load_redirects(relative, fallback_origin="https://example.com")
    assert rmap.origin == "https://example.com"
    assert rmap.key("https://example.com/a") == rmap.frame["source_key"].iat[0] == "/a"
    assert load_redirects(absolute, fallback_origin="https://example.com").origin == (
        "https://new.example"
    )
    assert load_redirects(relative, origin="https://a.example",
                          fallback_origin="https://b.example").origin == "https://a.example"


@pytest.mark.parametrize(
    "origin", ["example.com", "https://example.com/path", "ftp://example.com", "https://[]", ""]
)
def test_origin_that_is_not_an_origin_raises(origin: str) -> None:
    with pytest.raises(InputError, match=r"^origin: "):
        load_redirects(pd.DataFrame({"source": ["/a"], "target": ["/b"]}), origin=origin)


def test_csv_with_a_utf8_bom_and_excel_header_reads_fine(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("Source,Target,Status\r\n/a,/b,301\r\n/c,,410\r\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfSource")
    rmap = load_redirects(path)
    assert rmap.frame[["source", "target", "status"]].values.tolist() == [
        ["/a", "/b", 301], ["/c", None, 410]
    ]
    assert rmap.where(1) == "excel.csv line 3"


def test_too_many_fields_in_a_map_row_names_the_line(write_csv) -> None:
    path = write_csv("source,target,status\n/a,/b,301\n\n/c,/d?x=1,2,301\n")
    with pytest.raises(InputError) as caught:
        load_redirects(path)
    assert caught.value.problems == [
        "map.csv line 4: too many fields (an unquoted comma?)"
    ]
