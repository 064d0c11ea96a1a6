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
    # only search engines' results pages are search; mail and document hosts are referrals
    (LAND, "https://www.google.de/", ("google", "organic", "(organic)")),
    (LAND, "https://google.com.br/url?q=x", ("google", "organic", "(organic)")),
    (LAND, "https://mail.google.com/mail/u/0/", ("mail.google.com", "referral", "(referral)")),
    (LAND, "https://docs.google.com/document/d/1", ("docs.google.com", "referral",
                                                   "(referral)")),
    (LAND, "android-app://com.google.android.gm/", ("com.google.android.gm", "referral",
                                                   "(referral)")),
    (LAND, "https://mail.yahoo.com/", ("mail.yahoo.com", "referral", "(referral)")),
    (LAND, "https://uk.search.yahoo.com/search?p=x", ("yahoo", "organic", "(organic)")),
    (LAND, "https://search.brave.com/search?q=x", ("brave", "organic", "(organic)")),
    (LAND, "https://brave.com/", ("brave.com", "referral", "(referral)")),
    (LAND, "https://www.bing.com/search?q=x", ("bing", "organic", "(organic)")),
    (LAND, "https://googleblog.example/", ("googleblog.example", "referral", "(referral)")),
    # a percent-encoded parameter name is the parameter
    (LAND + "?%75tm_source=news&utm_medium=email", "", ("news", "email", "(not set)")),
    (LAND, "https://www.hikingblog.example/x", ("hikingblog.example", "referral", "(referral)")),
    (LAND, "", ("(direct)", "(none)", "(direct)")),
    (LAND, "-", ("(direct)", "(none)", "(direct)")),
    (LAND, f"https://{SITE}/other", ("(direct)", "(none)", "(direct)")),
    (None, None, ("(direct)", "(none)", "(direct)")),
    ("http://[broken/", "http://[also", ("(direct)", "(none)", "(direct)")),
    # hosts compared by kit.urls: an internationalised referrer in Unicode or punycode
    (LAND, "https://www.Bücher.example/x", ("xn--bcher-kva.example", "referral", "(referral)")),
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
    # the same visitor twice within 30 minutes: one session of two page views
    assert len(log.sessions) == 1 and log.pageviews == 2 and log.lines == 3
    assert list(log.malformed["line"]) == [2]
    assert reason in log.malformed["reason"].iloc[0]


def test_binary_junk_bytes() -> None:
    data = GOOD.encode() + b"\n\xff\xfe\x00garbage\n" + GOOD.encode() + b"\n"
    log = parse_access_log(data, site=SITE)
    assert log.pageviews == 2 and "NUL" in log.malformed["reason"].iloc[0]
    assert list(log.malformed["line"]) == [2]
    assert "malformed" in log.summary_text() and "1 malformed" in repr(log)
    assert "<table>" in log._repr_html_()


@pytest.mark.parametrize(("line", "skipped"), [
    (_line("/static/a.css", f"https://{SITE}/"), "image, script or style file"),
    (_line("/sale/", status=404), "error status"),
    (_line("/old-sale/", status=301), "redirect (3xx)"),
    (_line("/sale/", status=304), "redirect (3xx)"),
    (_line("/sale/", method="POST"), "POST request"),
])
def test_non_session_lines_are_skipped(line, skipped) -> None:
    log = parse_access_log(line + "\n", site=SITE)
    assert log.sessions.empty and log.skipped == {skipped: 1} and log.malformed.empty
    assert log.pageviews == 0


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
    assert log.pageviews + len(log.malformed) + sum(log.skipped.values()) == log.lines
    assert len(log.sessions) <= log.pageviews


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


# --- visitors, sessions, bots, formats ----------------------------------------------------


def _at(minute: int, target: str = "/", referrer: str = "-", agent: str = "Mozilla/5.0 A",
        ip: str = "10.0.0.1", status: int = 200) -> str:
    return (f'{ip} - - [12/Mar/2025:10:{minute:02d}:00 +0000] "GET {target} HTTP/1.1" '
            f'{status} 512 "{referrer}" "{agent}"')


def _sessions(*lines: str, **options) -> list[tuple[str, str, int]]:
    log = parse_access_log("\n".join(lines) + "\n", site=SITE, **options)
    frame = log.classified()
    return [(row.landing_url.removeprefix(f"https://{SITE}"), str(row.channel),
             int(row.pageviews)) for row in frame.itertuples(index=False)]


def test_a_visitor_is_ip_and_user_agent() -> None:
    assert _sessions(_at(0, "/a", "https://www.google.com/"), _at(1, "/b"),
                     _at(2, "/c", agent="Mozilla/5.0 B"), _at(3, "/d", ip="10.0.0.2")) == [
        ("/a", "Organic Search", 2), ("/c", "Direct", 1), ("/d", "Direct", 1)]


def test_thirty_minutes_without_a_page_view_start_a_new_session() -> None:
    # 30 minutes is still the same session; 31 is not
    assert _sessions(_at(0, "/a"), _at(20, "/b"), _at(50, "/c"), _at(59, "/d")) == [
        ("/a", "Direct", 4)]
    assert _sessions(_at(0, "/a"), _at(20, "/b"), _at(51, "/c"), _at(52, "/d")) == [
        ("/a", "Direct", 2), ("/c", "Direct", 2)]
    assert _sessions(_at(0, "/a"), _at(10, "/b"), timeout=pd.Timedelta(minutes=5)) == [
        ("/a", "Direct", 1), ("/b", "Direct", 1)]


def test_a_new_campaign_mid_session_keeps_the_session_as_ga4_does() -> None:
    lines = (_at(0, "/a", "https://www.google.com/"),
             _at(5, "/b?utm_source=news&utm_medium=email&utm_campaign=s"),
             _at(6, "/c", "https://www.bing.com/"))
    assert _sessions(*lines) == [("/a", "Organic Search", 3)]
    # Universal Analytics and most log analysers start a new one
    assert _sessions(*lines, new_source_starts_session=True) == [
        ("/a", "Organic Search", 1), ("/b?utm_source=news&utm_medium=email&utm_campaign=s",
                                      "Email", 1), ("/c", "Organic Search", 1)]
    # the same source again is not a new session, even then
    assert _sessions(_at(0, "/a", "https://www.google.com/"),
                     _at(1, "/b", "https://www.google.com/"),
                     new_source_starts_session=True) == [("/a", "Organic Search", 2)]


def test_a_visit_through_a_301_is_one_session_landing_on_the_target() -> None:
    assert _sessions(_at(0, "/old?gclid=1", "https://www.google.com/", status=301),
                     _at(0, "/new?gclid=1", "https://www.google.com/"),
                     _at(1, "/basket", f"https://{SITE}/new?gclid=1")) == [
        ("/new?gclid=1", "Paid Search", 2)]


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "facebookexternalhit/1.1", "curl/8.5.0", "python-requests/2.32.3", "Wget/1.21", "-", "",
    "Mozilla/5.0 (compatible; Yahoo! Slurp)", "Screaming Frog SEO Spider/20.0",
])
def test_bots_are_left_out_and_counted(agent: str) -> None:
    log = parse_access_log("\n".join([_at(0, "/a", agent=agent), _at(1, "/b")]) + "\n",
                           site=SITE)
    assert log.bots == 1 and log.skipped["bot"] == 1 and log.pageviews == 1
    assert "1 bot requests left out" in log.summary_text()


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Version/17.4 Mobile Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
])
def test_browsers_are_not_bots(agent: str) -> None:
    from kit.tracking.sessions import is_bot

    assert not is_bot(agent)


def test_apache_and_nginx_escapes_are_read() -> None:
    apache = _at(0, "/a", agent=r'Mozilla/5.0 (\"Quoted\" caf\xe9) \\ end')
    nginx = _at(1, "/b", agent=r"Mozilla/5.0 (\x22Quoted\x22 caf\xC3\xA9)", ip="10.0.0.2")
    log = parse_access_log(apache + "\n" + nginx + "\n", site=SITE)
    assert log.malformed.empty
    assert log.sessions["user_agent"].tolist() == [
        'Mozilla/5.0 ("Quoted" caf\ufffd) \\ end', 'Mozilla/5.0 ("Quoted" café)']


def test_undecodable_bytes_are_replaced_not_dropped() -> None:
    line = _at(0, "/a", "https://www.hikingblog.example/").encode() + b"\n"
    line = line.replace(b"Mozilla/5.0 A", b"Mozilla/5.0 caf\xe9")
    log = parse_access_log(line, site=SITE)
    assert log.malformed.empty and log.sessions["user_agent"].tolist() == ["Mozilla/5.0 caf\ufffd"]


@pytest.mark.parametrize(("log_format", "line"), [
    ("combined", _at(0, "/a", "https://www.google.com/")),
    ("main", _at(0, "/a", "https://www.google.com/") + ' "-"'),
    ("vhost_combined", "www.shop.example:443 " + _at(0, "/a", "https://www.google.com/")),
    ("common", '10.0.0.1 - - [12/Mar/2025:10:00:00 +0000] "GET /a HTTP/1.1" 200 512'),
])
def test_log_formats_are_detected_and_can_be_named(log_format: str, line: str) -> None:
    log = parse_access_log(line + "\n", site=SITE)
    assert log.log_format == log_format and log.pageviews == 1 and log.malformed.empty
    named = parse_access_log(line + "\n", site=SITE, log_format=log_format)
    assert named.pageviews == 1
    channel = "Direct" if log_format == "common" else "Organic Search"
    assert named.classified()["channel"].astype(str).tolist() == [channel]


def test_a_named_format_refuses_other_lines_by_number() -> None:
    log = parse_access_log(_at(0, "/a") + "\n" + _at(1, "/b") + "\n", site=SITE,
                           log_format="vhost_combined")
    assert list(log.malformed["line"]) == [1, 2]
    assert "Apache vhost_combined log format" in log.malformed["reason"].iloc[0]
    with pytest.raises(InputError, match="unknown log format"):
        parse_access_log("", log_format="w3c")


def test_a_cookie_field_identifies_the_visitor() -> None:
    lines = [_at(0, "/a", "https://www.google.com/", ip="10.0.0.1") + ' "_ga=GA1.1.42; x=1"',
             _at(1, "/b", ip="10.9.9.9") + ' "x=2; _ga=GA1.1.42"',
             _at(2, "/c", ip="10.9.9.9") + ' "_ga=GA1.1.7"']
    log = parse_access_log("\n".join(lines) + "\n", site=SITE, visitor_cookie="_ga")
    assert log.sessions["visitor"].tolist() == ["GA1.1.42", "GA1.1.7"]
    assert log.sessions["pageviews"].tolist() == [2, 1]


def test_gzipped_logs_are_read_directly(tmp_path) -> None:
    import gzip

    path = tmp_path / "access.log.1.gz"
    path.write_bytes(gzip.compress((_at(0, "/a") + "\n" + _at(1, "/b") + "\n").encode()))
    log = load_sessions(path, site=SITE)
    assert log.name == "access.log.1.gz" and log.lines == 2 and log.pageviews == 2
    broken = tmp_path / "broken.log.gz"
    broken.write_bytes(path.read_bytes()[:20])
    with pytest.raises(InputError, match=r"broken\.log\.gz: the gzip file is damaged"):
        load_sessions(broken)


def test_summary_counts_lines_sessions_bots_and_malformed() -> None:
    lines = [_at(0, "/a"), _at(1, "/b"), _at(2, "/c", agent="Googlebot/2.1"), "junk",
             _at(3, "/x.css")]
    log = parse_access_log("\n".join(lines) + "\n", site=SITE)
    assert log.summary_text() == ("access log: 5 lines read, 1 sessions (2 page views); 1 bot "
                             "requests left out, 1 other lines are not page views, 1 malformed.")
