"""One exported map, served by real nginx AND real Apache: every rule, every tagged variant.

The same map goes through ``to_nginx`` and ``to_apache``; each server runs on a free
loopback port (``tests/_webservers.py``) and answers ``200 ok`` for every other path.
Each probe below is a request line as a client sends it (percent-encoded, or with raw
non-ASCII bytes) and the status and ``Location`` the map promises, written out by hand:
the visitor's tags reach the target, a target's own query comes first, a fragment last,
and a query rule wins over the plain rule whatever other parameters the visit carries.
Then ``crosstalk redirects verify`` must agree with both servers, and must find a rule
planted wrong in the server's config.  Bounded: about 70 requests per server.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd
import pytest
from _webservers import Answer, WebServer, apache_server, nginx_server

from kit.redirects import to_apache, to_nginx
from kit.redirects.verify import verify_map

pytestmark = pytest.mark.system

MAP = [
    ("/about-us", "/company/about", 301),
    ("/shipping", "/faq#shipping", 301),
    ("/catalog.php", "/shop", 301),
    ("/catalog.php?id=100", "/shop/p/100", 301),
    ("/search?q=red+shoes&page=2", "/shop/shoes/red", 301),
    ("/newsletter", "/subscribe?from=newsletter", 302),
    ("/deal", "/offers?code=x#terms", 301),
    ("/caf%C3%A9", "/cafe", 301),
    ("/caf%E9", "/cafe-latin1", 301),
    ("/naïve/ideas", "/ideas", 301),
    ("/größe?farbe=rot", "/groesse/rot", 301),
    ("/suche?q=größe", "/search/size", 301),
    ("/question?", "/questions", 301),
    ("/a%2Fb", "/ab", 301),
    ("/old//page", "/double", 301),
    ("/team", "/company/team", 308),
    ("/promo", "/offers", 303),
    ("/careers", "/company/careers", 307),
    ("/partners", "https://partners.example.net/program?ref=old-site", 301),
    ("/old-campaign", "", 410),
]
T = "utm_source=news&utm_medium=email"
UMLAUT = "gr\xc3\xb6\xc3\x9fe"  # größe as raw UTF-8 bytes, one char per byte (latin-1)

# request line (str: latin-1 bytes as sent), status, expected Location (None: no header;
# a dict where the servers differ, as the export's header comment says)
PROBES: list[tuple[str, int, str | dict[str, str] | None]] = [
    ("/about-us", 301, "/company/about"),
    (f"/about-us?{T}", 301, f"/company/about?{T}"),
    ("/shipping", 301, "/faq#shipping"),
    (f"/shipping?{T}", 301, f"/faq?{T}#shipping"),
    ("/catalog.php", 301, "/shop"),
    (f"/catalog.php?{T}", 301, f"/shop?{T}"),
    ("/catalog.php?id=1000", 301, "/shop?id=1000"),
    ("/catalog.php?id=100", 301, "/shop/p/100"),
    (f"/catalog.php?id=100&{T}", 301, f"/shop/p/100?{T}"),
    (f"/catalog.php?{T}&id=100", 301, f"/shop/p/100?{T}"),
    ("/catalog.php?utm_source=news&id=100&utm_medium=email", 301, f"/shop/p/100?{T}"),
    ("/search?q=red+shoes&page=2", 301, "/shop/shoes/red"),
    (f"/search?q=red+shoes&page=2&{T}", 301, f"/shop/shoes/red?{T}"),
    ("/newsletter", 302, "/subscribe?from=newsletter"),
    (f"/newsletter?{T}", 302, f"/subscribe?from=newsletter&{T}"),
    ("/deal", 301, "/offers?code=x#terms"),
    (f"/deal?{T}", 301, f"/offers?code=x&{T}#terms"),
    ("/caf%C3%A9", 301, "/cafe"),
    ("/caf%c3%a9", 301, "/cafe"),
    ("/caf\xc3\xa9", 301, "/cafe"),
    (f"/caf\xc3\xa9?{T}", 301, f"/cafe?{T}"),
    ("/caf%E9", 301, "/cafe-latin1"),
    (f"/caf%E9?{T}", 301, f"/cafe-latin1?{T}"),
    ("/na%C3%AFve/ideas", 301, "/ideas"),
    (f"/na\xc3\xafve/ideas?{T}", 301, f"/ideas?{T}"),
    ("/gr%C3%B6%C3%9Fe?farbe=rot", 301, "/groesse/rot"),
    (f"/{UMLAUT}?farbe=rot", 301, "/groesse/rot"),
    (f"/{UMLAUT}?farbe=rot&{T}", 301, f"/groesse/rot?{T}"),
    ("/suche?q=gr%C3%B6%C3%9Fe", 301, "/search/size"),
    (f"/suche?q={UMLAUT}", 301, "/search/size"),
    (f"/suche?q={UMLAUT}&{T}", 301, f"/search/size?{T}"),
    ("/question", 301, "/questions"),
    # documented difference: Apache keeps a bare "?" (its query is empty, not absent)
    ("/question?", 301, {"nginx": "/questions", "apache": "/questions?"}),
    (f"/question?{T}", 301, f"/questions?{T}"),
    ("/a%2Fb", 301, "/ab"),
    (f"/a%2Fb?{T}", 301, f"/ab?{T}"),
    ("/old//page", 301, "/double"),
    ("/old/page", 200, None),
    (f"/old//page?{T}", 301, f"/double?{T}"),
    ("/team", 308, "/company/team"),
    (f"/team?{T}", 308, f"/company/team?{T}"),
    (f"/promo?{T}", 303, f"/offers?{T}"),
    (f"/careers?{T}", 307, f"/company/careers?{T}"),
    ("/partners", 301, "https://partners.example.net/program?ref=old-site"),
    (f"/partners?{T}", 301, f"https://partners.example.net/program?ref=old-site&{T}"),
    ("/old-campaign", 410, None),
    (f"/old-campaign?{T}", 410, None),
    # not in the map: served as the new site's pages
    ("/company/about", 200, None),
    ("/a/b", 200, None),
    ("/catalog.php2", 200, None),
    ("/suche?q=other", 200, None),
]


def _frame(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source", "target", "status"])


@pytest.fixture(scope="module", params=["nginx", "apache"])
def server(request, require_system) -> WebServer:
    frame = _frame(MAP)
    if request.param == "nginx":
        context = nginx_server(require_system, to_nginx(frame))
    else:
        context = apache_server(require_system, to_apache(frame))
    with context as running:
        yield running


def _location_path(answer: Answer, server: WebServer) -> str | None:
    """The Location as the site-relative target when it points at the server itself."""
    if answer.location is None:
        return None
    parts = urlsplit(answer.location)
    if parts.netloc in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
        return answer.location.split(parts.netloc, 1)[1]
    return answer.location


@pytest.mark.parametrize(("request_line", "status", "location"), PROBES,
                         ids=[p[0].encode("latin-1").decode("utf-8", "replace")
                              for p in PROBES])
def test_every_rule_and_tagged_variant(server: WebServer, request_line: str, status: int,
                                       location: str | dict[str, str] | None) -> None:
    if isinstance(location, dict):
        location = location[server.kind]
    answer = server.get(request_line)
    assert answer.status == status, (
        f"{server.kind}: {request_line!r} answered {answer.status} {answer.location!r}, "
        f"expected {status}")
    assert _location_path(answer, server) == location, (
        f"{server.kind}: {request_line!r} -> Location {answer.location!r}, expected {location!r}")
    if status == 200:
        assert answer.body == b"ok"


def test_the_differences_are_stated_in_the_exports() -> None:
    for exported in (to_nginx(_frame(MAP)), to_apache(_frame(MAP))):
        assert "Apache keeps a bare '?'" in exported
        assert "AllowEncodedSlashes NoDecode" in exported


def test_verify_agrees_with_the_server(server: WebServer) -> None:
    findings = verify_map(_frame(MAP), server.base, jobs=4, timeout=10)
    assert findings.empty, findings[["subject", "check", "technical"]].to_string()


@pytest.mark.parametrize("kind", ["nginx", "apache"])
def test_verify_finds_a_planted_wrong_rule(kind: str, require_system, tmp_path, capsys) -> None:
    """The server's config sends /about-us to the homepage and /newsletter without tags;
    the map says otherwise: verify names both, in both languages, and the CLI exits 1."""
    planted = [row for row in MAP if row[0] not in ("/about-us", "/team")]
    planted += [("/about-us", "/", 301), ("/team", "/company/team", 302)]
    exported = (to_nginx if kind == "nginx" else to_apache)(_frame(planted))
    context = (nginx_server if kind == "nginx" else apache_server)(require_system, exported)
    with context as running:
        findings = verify_map(_frame(MAP), running.base, jobs=2, timeout=10)
        by_subject = dict(zip(findings["subject"], findings["check"], strict=True))
        assert by_subject == {
            "/about-us": "wrong_location", f"/about-us?{verify_tags()}": "wrong_location",
            "/team": "wrong_status", f"/team?{verify_tags()}": "wrong_status"}
        assert findings["business"].str.len().min() > 20
        assert findings["technical"].str.contains("the map says").all()
        assert set(findings["source"]) == {"RFC 9110 §10.2.2 (Location)",
                                           "RFC 9110 §15.4 (redirection status codes)"}
        path = tmp_path / "map.csv"
        _frame(MAP).to_csv(path, index=False)
        from kit.cli import main

        code = main(["redirects", "verify", str(path), "--base-url", running.base,
                     "--jobs", "2"])
        out = capsys.readouterr().out
        assert code == 1 and "/about-us" in out and "wrong_status" in out


def verify_tags() -> str:
    from kit.redirects.verify import TAGS

    return TAGS


def test_apache_without_allow_encoded_slashes_answers_404_for_percent_2f(require_system) -> None:
    """The documented difference: without 'AllowEncodedSlashes NoDecode' in the virtual host
    Apache refuses %2F before any rewrite rule runs; the other rules still work."""
    with apache_server(require_system, to_apache(_frame(MAP)), extra="") as running:
        assert running.get("/a%2Fb").status == 404
        assert _location_path(running.get(f"/about-us?{T}"), running) == f"/company/about?{T}"
