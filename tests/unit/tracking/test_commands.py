"""``crosstalk utm build|lint`` and ``crosstalk channels classify`` through kit.cli.main."""

from __future__ import annotations

import json

import pytest

from kit.cli import main
from kit.sites import tracking_site


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_build(capsys) -> None:
    code, out, _ = run(capsys, "utm", "build", "https://x.example/p?a=1#f", "--source", "google",
                       "--medium", "cpc", "--campaign", "spring sale", "--source-platform", "Ads")
    assert code == 0
    assert out.strip() == ("https://x.example/p?a=1&utm_source=google&utm_medium=cpc&"
                           "utm_campaign=spring%20sale&utm_source_platform=Ads#f")


def test_build_bad_url(capsys) -> None:
    code, _, err = run(capsys, "utm", "build", "x.example", "--source", "g", "--medium", "m",
                       "--campaign", "c")
    assert code == 2 and "not a full web address" in err


SHEET = ("url\nhttps://x.example/?utm_source=google&utm_medium=cpc&utm_campaign=s\n"
         "https://x.example/\n")
CLEAN = "url\nhttps://x.example/?utm_source=google&utm_medium=cpc&utm_campaign=s\n"


@pytest.mark.parametrize(("content", "code"), [(SHEET, 1), (CLEAN, 0)])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_lint_exit_codes(capsys, write_csv, content, code, fmt) -> None:
    assert run(capsys, "utm", "lint", write_csv(content, name="s.csv"), "--format", fmt)[0] == code


def test_lint_table_and_json(capsys, write_csv) -> None:
    path = write_csv(SHEET, name="s.csv")
    _, out, _ = run(capsys, "utm", "lint", path)
    assert out.startswith("s.csv: 1 finding(s) (1 error)") and "untagged" in out
    _, out, err = run(capsys, "utm", "lint", path, "--format", "json")
    assert json.loads(out)[0]["check"] == "untagged" and "s.csv: 1 finding" in err


def test_lint_plain_list_of_links(capsys, tmp_path) -> None:
    path = tmp_path / "links.txt"
    path.write_text("https://x.example/?utm_source=a&utm_medium=email&utm_campaign=s\n"
                    "https://x.example/?utm_source=a&utm_medium=Email&utm_campaign=s\n")
    code, out, _ = run(capsys, "utm", "lint", path)
    assert code == 0 and "inconsistent_value" in out


def test_lint_missing_file(capsys) -> None:
    assert run(capsys, "utm", "lint", "/no/such.csv")[0] == 2


@pytest.fixture(scope="module")
def access_log(tmp_path_factory):
    site = tracking_site(clicks=200, background=200)
    path = tmp_path_factory.mktemp("logs") / "access.log"
    path.write_text(site.access_log("tagged", malformed=3))
    return path, site.host


def test_classify_access_log(capsys, access_log) -> None:
    path, host = access_log
    code, out, err = run(capsys, "channels", "classify", path, "--base-url", host)
    assert code == 1  # malformed lines were found, reported, not fatal
    assert "400 sessions" in out and "Paid Search" in out
    assert err.count("access.log line") == 3


def test_classify_csv_out(capsys, access_log, tmp_path) -> None:
    path, host = access_log
    out_file = tmp_path / "sessions.csv"
    code, out, _ = run(capsys, "channels", "classify", path, "--base-url", host, "--format", "csv",
                       "--out", out_file)
    assert code == 1 and "400 sessions" in out
    assert out_file.read_text().splitlines()[0].endswith(",channel")


def test_classify_clean_csv(capsys, write_csv) -> None:
    code, out, _ = run(capsys, "channels", "classify",
                       write_csv("source,medium\ngoogle,cpc\n", name="s.csv"), "--format", "json")
    assert code == 0 and json.loads(out)[0]["channel"] == "Paid Search"


def test_classify_nothing_readable(capsys, tmp_path) -> None:
    path = tmp_path / "junk.log"
    path.write_bytes(b'1 - - [x] "GET / HTTP/1.1" 200 1 "-" "-"\n\x00\x00\n')
    code, _, err = run(capsys, "channels", "classify", path)
    assert code == 2 and "no sessions could be read" in err


def test_classify_and_lint_with_googles_sheet(capsys, write_csv) -> None:
    sheet = write_csv("source,source category\nkagi.com,SOURCE_CATEGORY_SEARCH\n",
                      name="categories.csv")
    sessions = write_csv("source,medium\nkagi.com,cpc\n", name="s.csv")
    _, out, _ = run(capsys, "channels", "classify", sessions, "--format", "json")
    assert json.loads(out)[0]["channel"] == "Paid Other"  # not in the kit's excerpt
    code, out, _ = run(capsys, "channels", "classify", sessions, "--format", "json",
                       "--source-categories", sheet)
    assert code == 0 and json.loads(out)[0]["channel"] == "Paid Search"
    code, out, _ = run(capsys, "channels", "classify", sessions, "--source-categories", sheet)
    assert code == 0 and "Paid Search" in out
    links = write_csv("url,intended_channel\nhttps://x.example/?utm_source=kagi.com&"
                      "utm_medium=cpc&utm_campaign=s,Paid Search\n", name="links.csv")
    _, out, _ = run(capsys, "utm", "lint", links, "--format", "json")
    assert "unintended_channel" in out
    _, out, _ = run(capsys, "utm", "lint", links, "--format", "json", "--source-categories", sheet)
    assert "unintended_channel" not in out


def test_bad_sheet_is_a_clear_error(capsys, write_csv) -> None:
    sheet = write_csv("source,source category\nkagi.com,ENGINE\n", name="categories.csv")
    code, _, err = run(capsys, "channels", "classify", write_csv("source,medium\na,b\n"),
                       "--source-categories", sheet)
    assert code == 2 and "categories.csv line 2" in err and "Traceback" not in err


def test_classify_reads_gzipped_logs_in_a_named_format(capsys, tmp_path) -> None:
    import gzip

    lines = ['shop.example:443 10.0.0.1 - - [12/Mar/2025:10:00:00 +0000] "GET /a HTTP/1.1" 200 1 '
             '"https://www.google.de/" "Mozilla/5.0 A"',
             'shop.example:443 10.0.0.1 - - [12/Mar/2025:10:01:00 +0000] "GET /b HTTP/1.1" 200 1 '
             '"https://shop.example/a" "Mozilla/5.0 A"',
             'shop.example:443 10.0.0.2 - - [12/Mar/2025:10:02:00 +0000] "GET /a HTTP/1.1" 200 1 '
             '"-" "Googlebot/2.1"',
             '10.0.0.3 - - [12/Mar/2025:10:03:00 +0000] "GET /a HTTP/1.1" 200 1 "-" "x"']
    path = tmp_path / "access.log.1.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    code, out, err = run(capsys, "channels", "classify", path, "--base-url", "shop.example",
                         "--log-format", "vhost_combined", "--format", "csv")
    assert code == 1  # the combined line is malformed in this format, named by its number
    assert "access.log.1.gz line 4: not in the Apache vhost_combined log format" in err
    assert "4 lines read, 1 sessions (2 page views); 1 bot requests left out" in err
    assert out.splitlines()[1].split(",")[3:6] == ["google", "organic", "(organic)"]


def test_classify_access_log_as_json(capsys, tmp_path) -> None:
    path = tmp_path / "a.log"
    path.write_text('10.0.0.1 - - [12/Mar/2025:10:00:00 +0000] "GET /a HTTP/1.1" 200 1 '
                    '"https://www.google.de/" "Mozilla/5.0 A"\n')
    code, out, err = run(capsys, "channels", "classify", path, "--format", "json")
    row = json.loads(out)[0]
    assert code == 0 and row["channel"] == "Organic Search" and row["pageviews"] == 1
    assert row["timestamp"] == row["end"] == "2025-03-12 10:00:00+00:00"
    assert "1 lines read, 1 sessions" in err
