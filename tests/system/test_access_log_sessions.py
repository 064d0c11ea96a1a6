"""Scripted visits to real nginx and Apache; their own access logs read back as sessions.

Seven visitors (each its own user agent: every request comes from 127.0.0.1, so the
user agent is what tells them apart) browse several pages with the referrers a browser
sends: a search click through a 301, a tagged newsletter through a 302, a Gmail web
referral, the Gmail app, a paid Instagram link tagged ``ig``, a direct visitor whose
second page has no referrer, and a user agent with a quote and a Latin-1 byte (Apache
writes ``\\"`` and ``\\xe9``, nginx ``\\x22`` and ``\\xE9``).  A crawler fetches pages
too.  Pages load a stylesheet, as browsers do.  The logs, in each server's stock
formats, must give every visit's session (landing page, page views) and channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd
import pytest
from _webservers import WebServer, apache_server, nginx_server

from kit.redirects import to_apache, to_nginx
from kit.tracking import parse_access_log

pytestmark = pytest.mark.system

MAP = pd.DataFrame([("/about-us", "/company/about", 301),
                    ("/newsletter", "/subscribe?from=newsletter", 302)],
                   columns=["source", "target", "status"])
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0"


@dataclass(frozen=True)
class Visitor:
    agent: str  # sent as latin-1 bytes
    first_referrer: str | None
    pages: tuple[str, ...]
    landing: str  # the session's first page view (after any redirect)
    channel: str
    pageviews: int


VISITORS = (
    Visitor(f"{CHROME} v1", "https://www.google.de/", ("/about-us", "/company/team"),
            "/company/about", "Organic Search", 2),
    Visitor(f"{CHROME} v2", None,
            ("/newsletter?utm_source=newsletter&utm_medium=email&utm_campaign=spring",
             "/shop"),
            "/subscribe?from=newsletter&utm_source=newsletter&utm_medium=email"
            "&utm_campaign=spring", "Email", 2),
    Visitor(f"{CHROME} v3", "https://mail.google.com/", ("/shop", "/shop/p/1", "/basket"),
            "/shop", "Referral", 3),
    Visitor(f"{CHROME} v4", "android-app://com.google.android.gm/", ("/offers",),
            "/offers", "Referral", 1),
    Visitor(f"{CHROME} v5", "https://l.instagram.com/",
            ("/?utm_source=ig&utm_medium=paid&utm_campaign=spring", "/offers"),
            "/?utm_source=ig&utm_medium=paid&utm_campaign=spring", "Paid Social", 2),
    Visitor(f"{CHROME} v6", None, ("/", "/company/about"), "/", "Direct", 2),
    Visitor('Mozilla/5.0 (X11; "Quoted" caf\xe9) Firefox/125.0', "https://search.brave.com/",
            ("/shop", "/shop/p/2"), "/shop", "Organic Search", 2),
)
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def _browse(server: WebServer) -> int:
    """Send every visitor's pages (following redirects, loading a stylesheet per page)
    and the crawler's; returns the number of requests."""
    sent = 0
    for visitor in VISITORS:
        referrer = visitor.first_referrer
        for page in visitor.pages:
            target = page
            while True:
                headers = {"User-Agent": visitor.agent}
                if referrer:
                    headers["Referer"] = referrer
                answer = server.get(target, headers)
                sent += 1
                if answer.status in (301, 302) and answer.location:
                    # a browser keeps the original Referer across a redirect
                    parts = urlsplit(answer.location)
                    target = parts.path + (f"?{parts.query}" if parts.query else "")
                    continue
                break
            here = f"{server.base}{target}"
            server.get("/static/site.css", {"User-Agent": visitor.agent, "Referer": here})
            sent += 1
            referrer = None if visitor.first_referrer is None and visitor.channel == "Direct" \
                else here
    for page in ("/", "/shop", "/about-us", "/robots.txt"):
        server.get(page, {"User-Agent": BOT})
        sent += 1
    return sent


@pytest.mark.parametrize(("kind", "log_format"), [
    ("nginx", "combined"), ("nginx", "main"), ("apache", "combined"),
    ("apache", "vhost_combined")])
def test_scripted_visits_give_every_session_and_channel(kind: str, log_format: str,
                                                        require_system) -> None:
    if kind == "nginx":
        context = nginx_server(require_system, to_nginx(MAP), log_format=log_format)
    else:
        context = apache_server(require_system, to_apache(MAP), log_format=log_format)
    with context as server:
        sent = _browse(server)
        data = b""
        for _ in range(50):  # the log is written when each request ends
            data = server.log_text()
            if data.count(b"\n") >= sent:
                break
            import time

            time.sleep(0.1)
    assert data.count(b"\n") == sent
    log = parse_access_log(data, name=f"{kind}-{log_format}.log", site="127.0.0.1")
    assert log.log_format == log_format
    assert log.malformed.empty, log.malformed.to_string()
    assert log.bots == 4 and log.lines == sent
    assert log.skipped["redirect (3xx)"] == 2
    sessions = log.classified()
    got = sorted((str(row.user_agent), urlsplit(row.landing_url).path
                  + (f"?{urlsplit(row.landing_url).query}" if urlsplit(row.landing_url).query
                     else ""), str(row.channel), int(row.pageviews))
                 for row in sessions.itertuples(index=False))
    expected = sorted((v.agent.encode("latin-1").decode("utf-8", "replace"), v.landing,
                       v.channel, v.pageviews) for v in VISITORS)
    assert got == expected
    assert log.pageviews == sum(v.pageviews for v in VISITORS)
    assert "7 sessions" in log.summary_text() and "4 bot requests" in log.summary_text()
