"""kit.redirects.audit: every check, hop by hop, plus 'never crashes' properties."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import InputError
from kit.findings import FINDING_COLUMNS
from kit.redirects import AUDIT_CHECKS, GOOGLEBOT_MAX_HOPS, audit_map

EXTRA = ["target", "final_target", "hops", "status", "where"]
ALL_COLUMNS = [*FINDING_COLUMNS, *EXTRA]


def frame(*rules: tuple[str, str] | tuple[str, str | None, int]) -> pd.DataFrame:
    """A map from ``(source, target[, status])`` tuples; status defaults to 301."""
    rows = [(*rule, 301) if len(rule) == 2 else rule for rule in rules]
    return pd.DataFrame(rows, columns=["source", "target", "status"])


def checks(findings: pd.DataFrame, subject: str | None = None) -> list[str]:
    """Sorted check names, optionally for one subject only."""
    if subject is not None:
        findings = findings[findings["subject"] == subject]
    return sorted(findings["check"])


def one(findings: pd.DataFrame, subject: str, check: str) -> pd.Series:
    rows = findings[(findings["subject"] == subject) & (findings["check"] == check)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def chain_of(length: int, prefix: str = "/p") -> pd.DataFrame:
    return frame(*[(f"{prefix}{i}", f"{prefix}{i + 1}") for i in range(length)])


# --- the shape ------------------------------------------------------------------------------


CLEAN_MAPS = [
    pytest.param(frame(("/a", "/x"), ("/b", "/y")), id="one-to-one"),
    pytest.param(frame(("/a", "/x", 308), ("/b", None, 410), ("/c", None, 404)), id="308-410-404"),
    pytest.param(frame(("/a", "/x"), ("/a", "/x")), id="identical-duplicate"),
    pytest.param(frame(("/index.html", "/"), ("/a", "/x")), id="index-to-home"),
    pytest.param(frame(("/a", "/"), ("/b", "/")), id="two-to-home"),
    pytest.param(frame(("/a", "/a", 200), ("/b", "/x")), id="unchanged-row"),
]


@pytest.mark.parametrize("redirects", CLEAN_MAPS)
def test_clean_map_gives_empty_frame_with_all_columns(redirects: pd.DataFrame) -> None:
    findings = audit_map(redirects)
    assert findings.empty, findings[["subject", "check"]]
    assert list(findings.columns) == ALL_COLUMNS


def test_findings_have_both_languages_and_a_source() -> None:
    findings = audit_map(frame(("/a", "/a"), ("/b", "/c"), ("/c", "/d", 302)))
    assert list(findings.columns) == ALL_COLUMNS
    assert set(findings["check"]) <= set(AUDIT_CHECKS)
    for column in ("business", "technical", "source"):
        assert findings[column].str.len().gt(20).all(), column


def test_where_names_the_file_line(write_csv) -> None:
    findings = audit_map(write_csv("source,target\n/ok,/fine\n/a,/a\n"))
    assert one(findings, "/a", "self_redirect")["where"] == "map.csv line 3"


# --- one table of cases per check -------------------------------------------------------------

# (map, subject, check expected for that subject)
FLAGGED = [
    pytest.param(frame(("/a", "/a")), "/a", "self_redirect", id="self"),
    pytest.param(frame(("/a", "/b"), ("/b", "/a")), "/a", "loop", id="two-cycle-first"),
    pytest.param(frame(("/a", "/b"), ("/b", "/a")), "/b", "loop", id="two-cycle-second"),
    pytest.param(frame(("/a", "/b"), ("/b", "/c"), ("/c", "/a")), "/c", "loop", id="three-cycle"),
    pytest.param(frame(("/x", "/a"), ("/a", "/b"), ("/b", "/a")), "/x", "loop", id="into-loop"),
    pytest.param(frame(("/x", "/a"), ("/a", "/a")), "/x", "loop", id="into-self-redirect"),
    pytest.param(frame(("/a", "/b"), ("/b", "/c")), "/a", "chain", id="chain-2"),
    pytest.param(chain_of(12), "/p0", "too_many_hops", id="twelve-hops"),
    pytest.param(frame(("/a", "/b"), ("/a", "/c")), "/a", "duplicate_source", id="dup-target"),
    pytest.param(frame(("/a", "/b"), ("/a", None, 410)), "/a", "duplicate_source",
                 id="dup-status"),
    pytest.param(frame(("/a", "/b"), ("https://example.com/a", "/c")), "/a", "duplicate_source",
                 id="dup-relative-absolute"),
    pytest.param(frame(("/a", "/gone"), ("/gone", None, 410)), "/a", "broken_target",
                 id="target-is-410"),
    pytest.param(frame(("/a", "/gone"), ("/gone", None, 404)), "/a", "broken_target",
                 id="target-is-404"),
    pytest.param(frame(("/a", "/b"), ("/b", "/gone"), ("/gone", None, 410)), "/a",
                 "broken_target", id="chain-ends-at-410"),
    pytest.param(frame(("/a", "/"), ("/b", "/"), ("/c", "/")), "/a", "homepage_dump",
                 id="three-to-home"),
    pytest.param(frame(("/a", "/x", 302)), "/a", "temporary", id="302"),
    pytest.param(frame(("/a", "/x", 303)), "/a", "temporary", id="303"),
    pytest.param(frame(("/a", "/x", 307)), "/a", "temporary", id="307"),
]


@pytest.mark.parametrize(("redirects", "subject", "check"), FLAGGED)
def test_check_is_reported(redirects: pd.DataFrame, subject: str, check: str) -> None:
    findings = audit_map(redirects)
    assert check in checks(findings, subject)
    row = one(findings, subject, check)
    severity = "warning" if check in ("chain", "temporary") else "error"
    assert row["severity"] == severity


# (map, check that must NOT be reported anywhere)
NOT_FLAGGED = [
    pytest.param(frame(("/a", "/x", 301)), "temporary", id="301-not-temporary"),
    pytest.param(frame(("/a", "/x", 308)), "temporary", id="308-not-temporary"),
    pytest.param(frame(("/a", "/"), ("/b", "/")), "homepage_dump", id="two-to-home"),
    pytest.param(frame(("/index.html", "/"), ("/home", "/"), ("/a", "/x")), "homepage_dump",
                 id="home-aliases-to-home"),
    pytest.param(frame(("/a", "/b"), ("/a", "/b")), "duplicate_source", id="same-rule-twice"),
    pytest.param(chain_of(GOOGLEBOT_MAX_HOPS), "too_many_hops", id="ten-hops-ok"),
    pytest.param(frame(("/a", "/b")), "chain", id="single-hop"),
    pytest.param(frame(("/a", "/b"), ("/b", "/b", 200)), "chain", id="into-unchanged-page"),
    pytest.param(frame(("/a", "/b"), ("/b", "/c")), "loop", id="chain-is-not-loop"),
]


@pytest.mark.parametrize(("redirects", "check"), NOT_FLAGGED)
def test_check_is_not_reported(redirects: pd.DataFrame, check: str) -> None:
    assert check not in set(audit_map(redirects)["check"])


# --- details of each check ------------------------------------------------------------------


def test_chain_of_three_reports_hops_and_final_target() -> None:
    findings = audit_map(frame(("/a", "/b"), ("/b", "/c"), ("/c", "/d")))
    row = one(findings, "/a", "chain")
    assert row["hops"] == 3
    assert row["final_target"] == "/d"
    assert "3 hops" in row["technical"]
    assert "/d" in row["technical"]
    assert one(findings, "/b", "chain")["hops"] == 2
    assert checks(findings, "/c") == []


def test_twelve_hop_chain_reports_chain_and_too_many_hops() -> None:
    findings = audit_map(chain_of(12))
    assert checks(findings, "/p0") == ["chain", "too_many_hops"]
    row = one(findings, "/p0", "too_many_hops")
    assert row["hops"] == 12
    assert "/p12" in row["technical"]
    assert "10" in row["technical"]
    assert checks(findings, "/p1") == ["chain", "too_many_hops"]  # 11 hops
    assert checks(findings, "/p2") == ["chain"]  # 10 hops: Googlebot still follows


def test_two_cycle_reports_loop_for_both_members_and_nothing_else() -> None:
    findings = audit_map(frame(("/a", "/b"), ("/b", "/a")))
    assert checks(findings) == ["loop", "loop"]
    assert set(findings["subject"]) == {"/a", "/b"}


def test_source_leading_into_a_loop_reports_loop_not_chain() -> None:
    findings = audit_map(frame(("/x", "/a"), ("/a", "/b"), ("/b", "/a")))
    assert checks(findings, "/x") == ["loop"]


def test_self_redirect_is_not_also_a_loop() -> None:
    findings = audit_map(frame(("/a", "/a")))
    assert checks(findings) == ["self_redirect"]


def test_self_redirect_across_relative_and_absolute() -> None:
    findings = audit_map(frame(("/a", "https://example.com/a#top")), origin="https://example.com")
    assert checks(findings) == ["self_redirect"]


def test_homepage_dump_counts_distinct_sources() -> None:
    findings = audit_map(frame(("/a", "/"), ("/b", "/"), ("/c", "/"), ("/index.html", "/")))
    dumps = findings[findings["check"] == "homepage_dump"]
    assert sorted(dumps["subject"]) == ["/a", "/b", "/c"]
    assert "3 old pages" in dumps["business"].iat[0]
    # the same source listed twice counts once: two distinct sources are not a dump
    twice = audit_map(frame(("/a", "/"), ("/a", "/"), ("/b", "/")))
    assert "homepage_dump" not in set(twice["check"])


def test_homepage_dump_through_a_chain_and_with_custom_homepage() -> None:
    findings = audit_map(
        frame(("/a", "/start"), ("/b", "/start"), ("/c", "/start")), homepage="/start"
    )
    assert checks(findings).count("homepage_dump") == 3
    via = audit_map(frame(("/a", "/home-old"), ("/home-old", "/"), ("/b", "/"), ("/c", "/")))
    assert "homepage_dump" in checks(via, "/a")


def test_homepage_dump_min_is_configurable() -> None:
    redirects = frame(("/a", "/"), ("/b", "/"))
    assert checks(audit_map(redirects, homepage_dump_min=2)) == ["homepage_dump"] * 2


def test_broken_target_with_new_urls() -> None:
    redirects = frame(("/a", "/exists"), ("/b", "/missing"))
    for new_urls in (["/exists"], pd.Series(["/exists"]), pd.DataFrame({"url": ["/exists"]})):
        findings = audit_map(redirects, new_urls=new_urls)
        assert checks(findings) == ["broken_target"]
        row = one(findings, "/b", "broken_target")
        assert "/missing" in row["technical"]
        assert "not a page of the new site" in row["technical"]


def test_broken_target_with_new_urls_csv(write_csv) -> None:
    new_urls = write_csv("url\nhttps://example.com/exists\n", name="new.csv")
    findings = audit_map(frame(("/a", "/exists"), ("/b", "/missing")), new_urls=new_urls,
                         origin="https://example.com")
    assert checks(findings) == ["broken_target"]


def test_broken_target_checks_the_end_of_the_chain() -> None:
    findings = audit_map(frame(("/a", "/b"), ("/b", "/c")), new_urls=["/b"])
    assert checks(findings, "/a") == ["broken_target", "chain"]
    assert checks(findings, "/b") == ["broken_target"]


def test_broken_target_when_final_target_is_a_410_row() -> None:
    findings = audit_map(frame(("/a", "/b"), ("/b", "/gone"), ("/gone", None, 410)))
    row = one(findings, "/a", "broken_target")
    assert row["final_target"] == "/gone"
    assert "404/410" in row["technical"]


def test_temporary_names_the_status() -> None:
    findings = audit_map(frame(("/a", "/x", 307)))
    assert "307" in one(findings, "/a", "temporary")["technical"]
    assert one(findings, "/a", "temporary")["status"] == 307


def test_duplicate_source_lists_every_rule_once() -> None:
    findings = audit_map(frame(("/a", "/b"), ("/x", "/y"), ("/a", "/c")))
    assert checks(findings) == ["duplicate_source"]
    row = one(findings, "/a", "duplicate_source")
    assert "/b" in row["technical"] and "/c" in row["technical"]
    assert "row 0" in row["technical"] and "row 2" in row["technical"]


def test_duplicate_source_names_the_status_of_a_gone_rule() -> None:
    findings = audit_map(frame(("/a", "/b"), ("/a", None, 410)))
    technical = one(findings, "/a", "duplicate_source")["technical"]
    assert "nan" not in technical
    assert "410" in technical


def test_first_rule_for_a_source_wins_when_following_redirects() -> None:
    findings = audit_map(frame(("/a", "/b"), ("/a", "/a")))
    assert checks(findings) == ["duplicate_source"]


# --- relative and absolute URLs of one site ---------------------------------------------------


def test_relative_and_absolute_of_the_same_site_make_a_chain() -> None:
    redirects = frame(("/a", "https://example.com/b"), ("/b", "/c"))
    findings = audit_map(redirects, origin="https://example.com", homepage="https://example.com/")
    row = one(findings, "/a", "chain")
    assert row["hops"] == 2
    assert row["final_target"] == "/c"
    # the origin can also come from the map's own absolute URLs
    assert checks(audit_map(redirects)) == ["chain"]


def test_absolute_homepage_matches_relative_targets() -> None:
    redirects = frame(("/a", "/"), ("/b", "https://example.com/"), ("/c", "/"))
    findings = audit_map(redirects, homepage="https://example.com/")
    assert checks(findings) == ["homepage_dump"] * 3


def test_absolute_homepage_with_an_all_relative_map() -> None:
    findings = audit_map(frame(("/a", "/"), ("/b", "/"), ("/c", "/")),
                         homepage="https://example.com/")
    assert checks(findings) == ["homepage_dump"] * 3


def test_other_hosts_do_not_collide() -> None:
    redirects = frame(("/a", "https://other.example/b"), ("/b", "/c"))
    findings = audit_map(redirects, origin="https://example.com")
    assert findings.empty


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("", "the file is empty", id="empty-file"),
        pytest.param("source,target\n", "header but no rows", id="header-only"),
        pytest.param("from_url,to_url\n/a,/b\n", "needs the column(s)", id="no-columns"),
        pytest.param("source,target\nold page.html,/b\n", "map.csv line 2", id="not-a-url"),
        pytest.param("source,target,status\n/a,/b,301\n/c,/d,abc\n", "map.csv line 3",
                     id="status-abc"),
    ],
)
def test_bad_files_raise_input_error(write_csv, content: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        audit_map(write_csv(content))
    assert message in str(caught.value)


def test_bad_dataframe_rows_are_named() -> None:
    with pytest.raises(InputError) as caught:
        audit_map(frame(("/a", "/b"), ("htp:/x", "/b"), ("/c", "")))
    message = str(caught.value)
    assert "row 1" in message and "row 2" in message and "row 0" not in message


def test_new_urls_that_are_not_urls_raise(write_csv) -> None:
    new_urls = write_csv("url\n/exists\nnot a url\n", name="new.csv")
    with pytest.raises(InputError, match=r"new\.csv line 3: 'not a url' is not a URL"):
        audit_map(frame(("/a", "/exists")), new_urls=new_urls)


@pytest.mark.parametrize(
    ("new_urls", "where"),
    [
        pytest.param(["/exists", "old page", "/x"], "new_urls item 1", id="list"),
        pytest.param(pd.Series(["/exists", "", "/x"]), "new_urls item 1", id="series"),
        pytest.param(pd.DataFrame({"url": ["/exists", "/x", "htp:/y"]}, index=[5, 6, 7]),
                     "new URL list row 7", id="dataframe"),
        pytest.param(["/exists", None], "new_urls item 1", id="none-item"),
    ],
)
def test_new_urls_that_are_not_urls_are_named(new_urls: object, where: str) -> None:
    with pytest.raises(InputError) as caught:
        audit_map(frame(("/a", "/exists")), new_urls=new_urls)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(f"{where}: ")
    assert "is not a URL" in caught.value.problems[0]


def test_new_urls_line_numbers_count_blank_lines(write_csv) -> None:
    new_urls = write_csv("url\n/exists\n\n\nnot a url\n", name="new.csv")
    with pytest.raises(InputError, match=r"new\.csv line 5"):
        audit_map(frame(("/a", "/exists")), new_urls=new_urls)


@pytest.mark.parametrize("origin", ["example.com", "https://example.com/path", "ftp://x", ""])
def test_origin_that_is_not_an_origin_raises(origin: str) -> None:
    with pytest.raises(InputError, match="origin"):
        audit_map(frame(("/a", "/b")), origin=origin)


@pytest.mark.parametrize("homepage", ["", "home", "htp:/x", "https://[]/", "/%zz", "// x"])
def test_homepage_that_is_not_a_url_raises(homepage: str) -> None:
    with pytest.raises(InputError, match="homepage"):
        audit_map(frame(("/a", "/b")), homepage=homepage)


def test_absolute_homepage_does_not_override_the_maps_own_origin() -> None:
    # the map names its site; a homepage on another host is not that site's homepage
    redirects = frame(("https://old.example/a", "/"), ("/b", "/"), ("/c", "/"))
    assert audit_map(redirects, homepage="https://other.example/").empty
    assert checks(audit_map(redirects, homepage="https://old.example/")) == ["homepage_dump"] * 3


def test_malformed_ipv6_host_is_an_input_error_not_a_crash() -> None:
    with pytest.raises(InputError):
        audit_map(frame(("/a", "http://[")))


# --- properties -------------------------------------------------------------------------------

_plausible = st.sampled_from(
    ["/", "/a", "/b", "/c", "/a?x=1", "https://example.com/a", "https://EXAMPLE.com:443/b",
     "http://other.example/c", "/index.html", "", "old page", "htp:/x", "/%zz", "/a#f"]
)
_cell = st.one_of(_plausible, st.text(max_size=12))
_status = st.one_of(
    st.sampled_from(["", "301", "302", "307", "308", "404", "410", "200", "abc", "1e3", "nan"]),
    st.text(max_size=5),
)


def _assert_findings_or_input_error(call) -> None:
    try:
        findings = call()
    except InputError:
        return
    assert list(findings.columns) == ALL_COLUMNS
    assert set(findings["check"]) <= set(AUDIT_CHECKS)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(_cell, _cell, _status), max_size=8),
    homepage=_cell,
    new_urls=st.one_of(st.none(), st.lists(_cell, max_size=4)),
)
def test_audit_never_crashes_on_arbitrary_dataframes(rows, homepage, new_urls) -> None:
    redirects = pd.DataFrame(rows, columns=["source", "target", "status"])
    _assert_findings_or_input_error(
        lambda: audit_map(redirects, homepage=homepage, new_urls=new_urls)
    )


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_audit_never_crashes_on_arbitrary_files(content: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map.csv"
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        _assert_findings_or_input_error(lambda: audit_map(path))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_plausible, _plausible), min_size=1, max_size=6))
def test_audit_never_crashes_on_csv_built_from_rows(rows) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map.csv"
        pd.DataFrame(rows, columns=["source", "target"]).to_csv(path, index=False)
        _assert_findings_or_input_error(lambda: audit_map(path))
