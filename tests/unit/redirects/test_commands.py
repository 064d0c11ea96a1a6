"""``crosstalk redirects ...`` through kit.cli.main: exit codes, formats, files."""

from __future__ import annotations

import io
import json
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest

from kit.cli import main

CLEAN = "source,target,status\n/a,/x,301\n/b,/y,308\n/c,,410\n"
WARNINGS_ONLY = "source,target,status\n/a,/b,301\n/b,/c,302\n"
ERRORS = (
    "source,target,status\n/a,/b,301\n/b,/c,301\n/l1,/l2,301\n/l2,/l1,301\n"
    "/x,/,301\n/y,/,301\n/z,/,301\n/t,/u,307\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- audit ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param(CLEAN, 0, id="clean"),
        pytest.param(WARNINGS_ONLY, 0, id="warnings-only"),
        pytest.param(ERRORS, 1, id="errors"),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_audit_exit_code(capsys, write_csv, content: str, code: int, fmt: str) -> None:
    assert run(capsys, "redirects", "audit", write_csv(content), "--format", fmt)[0] == code


def test_audit_clean_map_says_so(capsys, write_csv) -> None:
    code, out, _ = run(capsys, "redirects", "audit", write_csv(CLEAN))
    assert code == 0
    assert out.strip() == "map.csv: no problems found."


def test_audit_table_prints_summary_then_findings(capsys, write_csv) -> None:
    code, out, err = run(capsys, "redirects", "audit", write_csv(ERRORS))
    assert code == 1 and err == ""
    head, summary, findings = out.split("\n\n", 2)
    assert head == "map.csv: 7 finding(s) (5 errors, 2 warnings)"
    for check, count in [("homepage_dump", 3), ("loop", 2), ("chain", 1), ("temporary", 1)]:
        assert any(line.split()[:1] == [check] and line.split()[-1] == str(count)
                   for line in summary.splitlines()), check
    assert summary.index("homepage_dump") < summary.index("chain")  # errors first
    assert "ERROR    loop              /l1  (map.csv line 4)" in findings
    assert "Chain of 2 hops ending at /c" in findings


def test_audit_table_fits_100_columns(capsys, write_csv) -> None:
    long_path = "/" + "very-long-segment/" * 12 + "page"
    content = ERRORS + f"{long_path},{long_path}-new,302\n"
    out = run(capsys, "redirects", "audit", write_csv(content))[1]
    assert max(len(line) for line in out.splitlines()) <= 100


def test_audit_csv_output_is_the_findings_frame(capsys, write_csv) -> None:
    code, out, err = run(capsys, "redirects", "audit", write_csv(ERRORS), "--format", "csv")
    assert code == 1
    findings = pd.read_csv(io.StringIO(out))
    assert list(findings.columns)[:6] == ["subject", "check", "severity", "business",
                                          "technical", "source"]
    assert len(findings) == 7
    assert "7 finding(s)" in err  # the summary stays out of the data


def test_audit_json_output(capsys, write_csv) -> None:
    code, out, err = run(capsys, "redirects", "audit", write_csv(ERRORS), "--format", "json")
    records = json.loads(out)
    assert code == 1 and len(records) == 7
    chain = next(r for r in records if r["check"] == "chain")
    assert chain["hops"] == 2 and chain["final_target"] == "/c"
    assert chain["where"] == "map.csv line 2"
    assert "7 finding(s)" in err


def test_audit_json_of_a_clean_map_is_an_empty_list(capsys, write_csv) -> None:
    code, out, _ = run(capsys, "redirects", "audit", write_csv(CLEAN), "--format", "json")
    assert code == 0 and json.loads(out) == []


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_audit_out_file(capsys, write_csv, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"findings.{fmt}"
    code, out, _ = run(capsys, "redirects", "audit", write_csv(ERRORS), "--format", fmt,
                       "--out", target)
    assert code == 1
    assert "7 finding(s)" in out
    assert "loop" in target.read_text(encoding="utf-8")


def test_audit_new_urls(capsys, write_csv) -> None:
    new_urls = write_csv("url\n/x\n", name="new.csv")
    code, out, _ = run(capsys, "redirects", "audit", write_csv(CLEAN), "--new-urls", new_urls)
    assert code == 1
    assert "broken_target" in out and "/y is not a page of the new site" in out


@pytest.mark.parametrize(
    ("target", "listed"),
    [
        pytest.param("/new-café", "/new-caf%C3%A9", id="raw-vs-encoded"),
        pytest.param("/new-caf%c3%a9", "/new-café", id="lowercase-escapes-vs-raw"),
        pytest.param("https://Bücher.example/new", "https://xn--bcher-kva.example/new",
                     id="idn-host"),
        pytest.param("/a/../new-%7Eb", "https://example.com/new-~b", id="dots-and-unreserved"),
    ],
)
def test_audit_new_urls_compares_after_normalisation(capsys, write_csv, target: str,
                                                     listed: str) -> None:
    """The same URL written two ways is no broken target, and the audit exits 0 (issue 15)."""
    new_urls = write_csv(f"url\n{listed}\n/other\n", name="new.csv")
    redirects = write_csv(f"source,target,status\n/old,{target},301\n")
    code, out, _ = run(capsys, "redirects", "audit", redirects, "--new-urls", new_urls,
                       "--base-url", "https://example.com")
    assert "broken_target" not in out
    assert code == 0


def test_audit_new_urls_still_finds_a_different_url(capsys, write_csv) -> None:
    new_urls = write_csv("url\n/new-caf%C3%A9\n", name="new.csv")
    code, out, _ = run(capsys, "redirects", "audit", write_csv("source,target\n/old,/new-cafe\n"),
                       "--new-urls", new_urls)
    assert code == 1 and "broken_target" in out


def test_audit_homepage_and_origin(capsys, write_csv) -> None:
    content = "source,target\n/a,/start\n/b,https://example.com/start\n/c,/start\n"
    code, out, _ = run(capsys, "redirects", "audit", write_csv(content), "--homepage", "/start",
                       "--base-url", "https://example.com")
    assert code == 1
    assert out.count("ERROR    homepage_dump") == 3


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        pytest.param("", (), "map.csv: the file is empty", id="empty-file"),
        pytest.param("source,target\n", (), "has a header but no rows", id="header-only"),
        pytest.param("a,b\n/x,/y\n", (), "needs the column(s) source, target", id="no-columns"),
        pytest.param("source,target\n/a,/b\nold page.html,/c\n", (),
                     "map.csv line 3: source 'old page.html' is not a URL", id="not-a-url"),
        pytest.param("source,target,status\n/a,/b,abc\n", (),
                     "map.csv line 2: status 'abc' is not a number", id="status-abc"),
        pytest.param(CLEAN, ("--homepage", "home"), "--homepage 'home' is not a URL",
                     id="bad-homepage"),
        pytest.param(CLEAN, ("--base-url", "example.com"), "--base-url: site origin",
                     id="bad-origin"),
        pytest.param(CLEAN, ("--new-urls", "missing.csv"), "does not exist", id="no-new-urls"),
    ],
)
def test_audit_bad_input_exits_2_with_the_location(
    capsys, write_csv, content: str, extra: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, "redirects", "audit", write_csv(content), *extra)
    assert code == 2
    assert out == ""
    assert err.startswith("crosstalk: ")
    assert message in err


def test_audit_missing_map_exits_2(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "redirects", "audit", tmp_path / "nope.csv")
    assert code == 2 and "does not exist" in err


def test_unwritable_out_exits_2(capsys, write_csv, tmp_path: Path) -> None:
    code, _, err = run(capsys, "redirects", "export", write_csv(CLEAN), "--format", "csv",
                       "--out", tmp_path / "no-such-dir" / "x.csv")
    assert code == 2 and "cannot write" in err


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["redirects"], id="no-action"),
        pytest.param(["redirects", "audit"], id="no-map"),
        pytest.param(["redirects", "audit", "m.csv", "--format", "xml"], id="bad-format"),
        pytest.param(["redirects", "export", "m.csv"], id="export-needs-format"),
        pytest.param(["redirects", "suggest", "old.csv"], id="suggest-needs-two"),
        pytest.param(["redirects", "suggest", "o", "n", "--min-score", "high"], id="bad-score"),
    ],
)
def test_usage_errors_exit_2(capsys, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "usage: crosstalk redirects" in capsys.readouterr().err


def test_help_documents_the_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["redirects", "audit", "--help"])
    out = capsys.readouterr().out
    assert "exit status" in out and "1  at least one error-severity finding" in out


# --- export ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        pytest.param("nginx", 'if ($crosstalk_410 != "") { return 410; }', id="nginx"),
        pytest.param("apache", "RewriteRule ^/?a$ /x [R=301,L,NE]", id="apache"),
        pytest.param("csv", "source,target,status\n/a,/x,301\n/b,/y,308\n", id="csv"),
        pytest.param("netlify", "/a /x 301\n/b /y 308\n", id="netlify"),
    ],
)
def test_export_formats(capsys, write_csv, tmp_path: Path, fmt: str, expected: str) -> None:
    code, out, _ = run(capsys, "redirects", "export", write_csv(CLEAN), "--format", fmt)
    assert code == 0 and expected in out
    target = tmp_path / "out.txt"
    code, out, _ = run(capsys, "redirects", "export", write_csv(CLEAN), "--format", fmt,
                       "--out", target)
    assert code == 0 and out == ""
    assert expected in target.read_text(encoding="utf-8")


def test_export_names_what_netlify_and_cloudflare_cannot_express(capsys, write_csv) -> None:
    code, out, err = run(capsys, "redirects", "export", write_csv(CLEAN), "--format",
                         "cloudflare", "--host", "old.example")
    assert code == 0
    assert out == ("old.example/a,https://old.example/x,301,TRUE,FALSE,FALSE,FALSE\n"
                   "old.example/b,https://old.example/y,308,TRUE,FALSE,FALSE,FALSE\n")
    assert "map.csv: left out: /c: Cloudflare Bulk Redirects send 301, 302, 307 or 308" in err
    code, _, err = run(capsys, "redirects", "export", write_csv(CLEAN), "--format", "netlify")
    assert code == 0 and "left out: /c: status 410" in err
    code, _, err = run(capsys, "redirects", "export", write_csv(CLEAN), "--format", "cloudflare")
    assert code == 2 and "--host" in err


def test_verify_refuses_bad_options_before_any_request(capsys, write_csv) -> None:
    code, _, err = run(capsys, "redirects", "verify", write_csv(CLEAN), "--base-url", "ftp://x")
    assert code == 2 and "not a web address" in err
    code, _, err = run(capsys, "redirects", "verify", write_csv(CLEAN), "--base-url",
                       "http://127.0.0.1:9", "--jobs", "100")
    assert code == 2 and "1 to 16" in err


def test_verify_reports_a_server_that_does_not_answer(capsys, write_csv) -> None:
    """Port 9 (discard) on loopback is closed: every source is 'no_answer', exit 1."""
    code, out, _ = run(capsys, "redirects", "verify", write_csv(CLEAN), "--base-url",
                       "http://127.0.0.1:9", "--timeout", "2", "--format", "csv")
    frame = pd.read_csv(io.StringIO(out))
    assert code == 1 and set(frame["check"]) == {"no_answer"}
    assert len(frame) == 5  # /a, /b, /c plain; /a and /b tagged
    assert list(frame.columns[:6]) == ["subject", "check", "severity", "business", "technical",
                                       "source"]


def test_export_bad_map_exits_2(capsys, write_csv) -> None:
    code, _, err = run(capsys, "redirects", "export", write_csv("source,target\n/a,\n"),
                       "--format", "nginx")
    assert code == 2 and "map.csv line 2: status 301 needs a target" in err


# --- suggest --------------------------------------------------------------------------------

OLD = "url,title\n/products/red-shoes.html,Red shoes\n/about-us.html,About us\n" \
      "/blog/2019/old-news.html,Old news from 2019\n/contact,Contact\n"
NEW = "url,title\n/shop/red-shoes,Red shoes\n/company/about,About us\n/contact,Contact\n"


def test_suggest_writes_a_map_that_audits_and_exports(capsys, write_csv, tmp_path) -> None:
    old, new = write_csv(OLD, name="old.csv"), write_csv(NEW, name="new.csv")
    code, out, err = run(capsys, "redirects", "suggest", old, new)
    assert code == 0
    assert out.splitlines()[0].startswith("source,target,score,status,reason,candidate_1")
    assert "4 old pages" in err
    suggested = tmp_path / "suggested.csv"
    code, out, _ = run(capsys, "redirects", "suggest", old, new, "--out", suggested)
    assert code == 0 and "4 old pages" in out
    rows = pd.read_csv(suggested, keep_default_na=False)
    assert set(rows["status"]) <= {200, 301, 410}
    assert "/" not in set(rows["target"])  # never the homepage as a fallback
    assert run(capsys, "redirects", "audit", suggested)[0] == 0
    assert run(capsys, "redirects", "export", suggested, "--format", "nginx")[0] == 0


def test_suggest_passes_min_score(capsys, write_csv, monkeypatch) -> None:
    import kit.redirects.suggest as suggest

    calls: list[dict[str, object]] = []

    def fake(old: str, new: str, **options: object) -> pd.DataFrame:
        calls.append({"old": old, "new": new, **options})
        return pd.DataFrame({"source": ["/a"], "target": ["/b"], "score": [0.9], "status": [301]})

    monkeypatch.setattr(suggest, "suggest_map", fake)
    code, out, _ = run(capsys, "redirects", "suggest", "o.csv", "n.csv", "--min-score", "0.7")
    assert code == 0
    assert calls == [{"old": "o.csv", "new": "n.csv", "min_score": 0.7}]
    assert out == "source,target,score,status\n/a,/b,0.9,301\n"
    run(capsys, "redirects", "suggest", "o.csv", "n.csv")
    assert "min_score" not in calls[1]


def test_suggest_writes_the_review_queue(capsys, write_csv) -> None:
    old, new = write_csv(OLD, name="old.csv"), write_csv(NEW, name="new.csv")
    code, out, _ = run(capsys, "redirects", "suggest", old, new, "--min-score", "0.3")
    assert code == 0
    header = out.splitlines()[0].split(",")
    assert header == ["source", "target", "score", "status", "reason", "candidate_1", "score_1",
                      "candidate_2", "score_2", "candidate_3", "score_3"]
    rows = pd.read_csv(StringIO(out), keep_default_na=False).set_index("source")
    assert rows.loc["/products/red-shoes.html", "candidate_1"] == "/shop/red-shoes"
    assert rows.loc["/blog/2019/old-news.html", "status"] == 410


def test_suggest_help_documents_the_default_min_score(capsys) -> None:
    from kit.redirects.commands import SUGGEST_MIN_SCORE
    from kit.redirects.suggest import DEFAULT_MIN_SCORE

    assert SUGGEST_MIN_SCORE == DEFAULT_MIN_SCORE
    with pytest.raises(SystemExit):
        main(["redirects", "suggest", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"(default: {DEFAULT_MIN_SCORE};" in help_text
    assert "candidate_1" in help_text


def test_suggest_bad_input_exits_2(capsys, write_csv) -> None:
    old, new = write_csv(OLD, name="old.csv"), write_csv("url\nnot a url\n", name="new.csv")
    code, _, err = run(capsys, "redirects", "suggest", old, new)
    assert code == 2 and "new.csv line 2" in err
