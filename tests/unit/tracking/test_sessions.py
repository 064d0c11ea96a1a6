"""Session logs: traffic_source as GA4 derives it, access logs with malformed lines, CSVs."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import InputError
from kit.tracking import load_sessions, parse_access_log, session_labels, traffic_source

SITE = "www.shop.example"
LAND = f"https://{SITE}/sale/"


@pytest.mark.parametrize(("landing", "referrer", "expected"), [
    (LAND + "?utm_source=news&utm_medium=email&utm_campaign=s", "", ("news", "email", "s")),
    (LAND + "?utm_source=news", None, ("news", "(not set)", "(not set)")),
    (LAND + "?utm_source=fb&utm_medium=cpc&utm_campaign=s&gclid=1", "https://www.google.com/",
     ("fb", "cpc", "s")),  # utm first (contested; lint says don't)
    (LAND + "?gclid=abc", "https://www.google.com/", ("google", "cpc", "(not set)")),
    (LAND, "https://www.google.co.uk/search?q=boots", ("google", "organic", "(organic)")),
    (LAND, "https://duckduckgo.com/", ("duckduckgo", "organic", "(organic)")),
    (LAND, "https://m.facebook.com/", ("m.facebook.com", "referral", "(referral)")),
    (LAND, "https://www.hikingblog.example/x", ("hikingblog.example", "referral", "(referral)")),
    (LAND, "", ("(direct)", "(none)", "(direct)")),
    (LAND, "-", ("(direct)", "(none)", "(direct)")),
    (LAND, f"https://{SITE}/other", ("(direct)", "(none)", "(direct)")),
    (None, None, ("(direct)", "(none)", "(direct)")),
    ("http://[broken/", "http://[also", ("(direct)", "(none)", "(direct)")),
])
def test_traffic_source(landing, referrer, expected) -> None:
    assert traffic_source(landing, referrer, site=SITE) == expected


def _line(target: str, referrer: str = "-", status: int = 200, method: str = "GET") -> str:
    return (f'10.0.0.1 - - [12/Mar/2025:10:00:00 +0000] "{method} {target} HTTP/1.1" {status} '
            f'512 "{referrer}" "Mozilla/5.0"')


GOOD = _line("/sale/?utm_source=news&utm_medium=email&utm_campaign=s")


@pytest.mark.parametrize(("bad", "reason"), [
    ("cut off [12/Mar/2025:10:0", "combined log format"),
    (_line("/").replace("12/Mar", "31/Feb"), "unreadable date"),
    ("\x00\x01junk\x00", "NUL"),
    ('1.2.3.4 - - [12/Mar/2025:10:00:00 +0000] "\\x16\\x03" 400 0 "-" "-"', "combined log"),
    (_line("/").rsplit(" ", 1)[0], "combined log format"),
])
def test_malformed_lines_are_counted_not_fatal(bad, reason) -> None:
    log = parse_access_log("\n".join([GOOD, bad, GOOD]) + "\n", site=SITE)
    assert len(log.sessions) == 2 and log.lines == 3
    assert list(log.malformed["line"]) == [2]
    assert reason in log.malformed["reason"].iloc[0]


def test_binary_junk_bytes() -> None:
    data = GOOD.encode() + b"\n\xff\xfe\x00garbage\n" + GOOD.encode() + b"\n"
    log = parse_access_log(data, site=SITE)
    assert len(log.sessions) == 2 and "UTF-8" in log.malformed["reason"].iloc[0]
    assert "malformed" in log.summary() and "1 malformed" in repr(log)
    assert "<table>" in log._repr_html_()


@pytest.mark.parametrize(("line", "skipped"), [
    (_line("/static/a.css", f"https://{SITE}/"), "image, script or style file"),
    (_line("/basket/", f"https://{SITE}/sale/"), "page view inside a session"),
    (_line("/sale/", status=404), "error status"),
    (_line("/sale/", method="POST"), "POST request"),
])
def test_non_session_lines_are_skipped(line, skipped) -> None:
    log = parse_access_log(line + "\n", site=SITE)
    assert log.sessions.empty and log.skipped == {skipped: 1} and log.malformed.empty


def test_internal_link_with_utm_starts_a_session() -> None:
    line = _line("/sale/?utm_source=homepage&utm_medium=banner&utm_campaign=s", f"https://{SITE}/")
    log = parse_access_log(line, site=SITE)
    assert log.classified()["channel"].astype(str).tolist() == ["Display"]


def test_load_sessions_detects_access_log(tmp_path) -> None:
    path = tmp_path / "access.log"
    path.write_text(GOOD + "\nbroken\n")
    log = load_sessions(path, site=SITE)
    assert log.name == "access.log" and len(log.sessions) == 1 and len(log.malformed) == 1


def test_load_sessions_csv_with_source_medium(write_csv) -> None:
    log = load_sessions(write_csv("utm_source,utm_medium,cost,converted\ngoogle,cpc,0.9,1\n"
                                  ",,,\nfb,,0,no\n", name="s.csv"))
    assert list(log.sessions["source"]) == ["google", "fb"]
    assert list(log.sessions["medium"]) == ["cpc", "(not set)"]
    assert list(log.sessions["converted"]) == [1, 0]


def test_load_sessions_csv_derives_from_landing_url(write_csv) -> None:
    log = load_sessions(write_csv(f"landing_url,referrer\n{LAND}?gclid=1,\n{LAND},"
                                  "https://www.bing.com/\n", name="s.csv"))
    assert list(log.classified()["channel"].astype(str)) == ["Paid Search", "Organic Search"]


@pytest.mark.parametrize(("content", "message"), [
    ("when,who\n1,2\n", "needs the column"),
    ("source,medium,cost\ngoogle,cpc,cheap\n", "s.csv line 2: cost 'cheap' is not a number"),
])
def test_load_sessions_bad_csv(write_csv, content, message) -> None:
    with pytest.raises(InputError, match=message):
        load_sessions(write_csv(content, name="s.csv"))


def test_missing_file() -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_sessions("/no/such/file.log")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=80), st.binary(max_size=80).map(
    lambda b: b.decode("latin-1"))), max_size=10))
def test_access_log_never_crashes(lines) -> None:
    text = "\n".join(line.replace("\n", " ") for line in lines)
    log = parse_access_log(text.encode("utf-8", "surrogatepass"), site=SITE)
    assert len(log.sessions) + len(log.malformed) + sum(log.skipped.values()) == log.lines


def test_session_labels_are_categorical_with_not_set() -> None:
    values = pd.Series(["google", "", "  ", None, "google", "Email"], index=[5, 6, 7, 8, 9, 10])
    labels = session_labels(values)
    assert isinstance(labels.dtype, pd.CategoricalDtype)
    assert labels.tolist() == ["google", "(not set)", "(not set)", "(not set)", "google", "Email"]
    assert list(labels.index) == [5, 6, 7, 8, 9, 10]
    assert sorted(labels.cat.categories) == ["(not set)", "Email", "google"]
    assert "(not set)" not in session_labels(pd.Series(["a", "b"])).cat.categories


def test_loaded_sessions_keep_labels_as_categoricals(write_csv) -> None:
    log = load_sessions(write_csv("source,medium,campaign\ngoogle,cpc,\nnewsletter,, \n",
                                  name="s.csv"))
    for column in ("source", "medium", "campaign"):
        assert isinstance(log.sessions[column].dtype, pd.CategoricalDtype), column
    assert log.sessions["medium"].tolist() == ["cpc", "(not set)"]
    assert log.classified()["channel"].astype(str).tolist() == ["Paid Search", "Unassigned"]
