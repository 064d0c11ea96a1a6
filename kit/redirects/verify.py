"""Check a live or staging server against the redirect map, request by request.

:func:`verify_map` requests every source of the map from ``base_url`` (redirects are
not followed), and for every rule that redirects also a *tagged* variant (the source
with ``utm_*`` parameters added, as a campaign link brings it).  It compares the status
and the ``Location`` header with what the map says (:func:`kit.redirects.export.
redirect_location`: the target's own query, then the visitor's, then the fragment) and
returns one finding per mismatch, in both languages.  Requests go out ``jobs`` at a
time (at most 16), each with a timeout; the standard library's ``http.client`` sends
them, so nothing is followed or retried behind our back.
"""

from __future__ import annotations

import http.client
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote

import pandas as pd

from kit.errors import InputError
from kit.findings import findings_frame
from kit.progress import track
from kit.redirects.export import Rule, export_rules, redirect_location
from kit.redirects.maps import GONE_STATUSES, RedirectMap, load_redirects
from kit.sources import cite
from kit.tables import TableSource
from kit.urls import UrlError, parse_url

__all__ = ["MAX_JOBS", "TAGS", "VERIFY_CHECKS", "verify_map"]

TAGS = "utm_source=crosstalk&utm_medium=verify&utm_campaign=redirect-check"
MAX_JOBS = 16
SRC_STATUS = cite("rfc9110-redirection")
SRC_LOCATION = cite("rfc9110-location")
SRC_TAGS = cite("ga4-url-builders")
VERIFY_CHECKS: dict[str, tuple[str, str]] = {
    "wrong_status": (
        "The server answers a different status than the map promises: a permanent move may "
        "be served as temporary, or the old page as missing, and its search signals are lost.",
        "Fix the server rule for this source so it answers the map's status."),
    "wrong_location": (
        "Visitors and search engines are sent to a different page than the map says.",
        "Fix the server rule's target (the Location header) to the map's target."),
    "tags_dropped": (
        "Visitors from tagged campaign links arrive without their utm_* tags: analytics "
        "credits the campaign's visits to another channel.",
        "Pass the visitor's query string on (nginx: $is_args$args; Apache: no QSD, or QSA "
        "when the target has its own query), before any #fragment."),
    "no_answer": (
        "The server did not answer this old address at all: visitors get an error.",
        "Check that the server is up and that the request does not time out."),
}
_USER_AGENT = "crosstalk-redirects-verify/1 (+https://example.invalid/crosstalk)"
_SAFE = "/?=&%;:@!$'()*+,~#[]-._"


@dataclass(frozen=True)
class _Probe:
    rule: Rule
    request: str  # path and query as sent
    extra: str  # the visitor's parameters expected to reach the target
    tagged: bool


def _probes(rule: Rule) -> list[_Probe]:
    request = quote(rule.source, safe=_SAFE)
    probes = [_Probe(rule, request, "", False)]
    if rule.target is not None and rule.status not in GONE_STATUSES:
        joiner = "&" if rule.query is not None else "?"
        probes.append(_Probe(rule, request + joiner + TAGS, TAGS, True))
    return probes


def _fetch(scheme: str, netloc: str, request: str, timeout: float
           ) -> tuple[int, str | None] | str:
    """``(status, location)`` or the error text."""
    connection: http.client.HTTPConnection
    if scheme == "https":
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(netloc, timeout=timeout, context=context)
    else:
        connection = http.client.HTTPConnection(netloc, timeout=timeout)
    try:
        connection.request("GET", request, headers={"User-Agent": _USER_AGENT,
                                                    "Accept": "*/*"})
        response = connection.getresponse()
        location = response.getheader("Location")
        response.read(65536)
        if location is not None:  # http.client decodes headers as latin-1
            location = location.encode("latin-1").decode("utf-8", "replace")
        return response.status, location
    except (OSError, http.client.HTTPException) as error:
        return f"{type(error).__name__}: {error}"
    finally:
        connection.close()


def _same(location: str, expected: str, request_url: str) -> bool:
    """Locations compared as browsers resolve them, by the kit's URL identity
    (percent-encoding compared after normalisation), fragments included.  A
    site-relative target (``/new``) matches on path, query and fragment whatever host the
    server names (a staging server may answer with its canonical host)."""
    try:
        got = parse_url(location.strip(), base=request_url)
        want = parse_url(expected, base=request_url)
    except UrlError:
        return False
    if expected.startswith("/") and not expected.startswith("//"):
        return (got.target, got.fragment) == (want.target, want.fragment)
    return got == want


def _judge(probe: _Probe, answer: tuple[int, str | None] | str, base: str) -> dict | None:
    rule = probe.rule
    subject = probe.request
    request_url = base + probe.request
    if isinstance(answer, str):
        return _finding(subject, "no_answer", f"no answer ({answer})")
    status, location = answer
    if status != rule.status:
        return _finding(subject, "wrong_status",
                        f"answered {status}, the map says {rule.status}"
                        + (f" (Location {location})" if location else ""))
    if rule.target is None:
        return None
    expected = redirect_location(rule.target, probe.extra)
    if location is not None and _same(location, expected, request_url):
        return None
    if (probe.tagged and location is not None
            and _same(location, redirect_location(rule.target), request_url)):
        return _finding(subject, "tags_dropped",
                        f"Location {location} lost the visitor's query; expected {expected}")
    return _finding(subject, "wrong_location",
                    f"Location {location or '(none)'}, the map says {expected}")


def _finding(subject: str, check: str, what: str) -> dict:
    business, technical = VERIFY_CHECKS[check]
    source = {"wrong_status": SRC_STATUS, "tags_dropped": SRC_TAGS}.get(check, SRC_LOCATION)
    return {"subject": subject, "check": check, "severity": "error", "business": business,
            "technical": f"{what}. {technical}", "source": source}


def verify_map(redirects: TableSource | RedirectMap, base_url: str, *, jobs: int = 4,
               timeout: float = 10.0, tagged: bool = True) -> pd.DataFrame:
    """Findings (``subject, check, severity, business, technical, source``) for every
    source of the map that ``base_url`` does not answer as the map says; empty when all
    agree.  ``tagged`` also requests each redirecting source with campaign tags.
    """
    try:
        site = parse_url(base_url)
        why = "" if site.scheme else " (a path, not a server)"
    except UrlError as error:
        why = f" ({error.reason})"
    if why:
        raise InputError(f"--base-url {base_url!r} is not a web address{why}.",
                         hint="Write it like http://127.0.0.1:8080 or https://staging.example.com.")
    if not 1 <= jobs <= MAX_JOBS:
        raise InputError(f"--jobs {jobs}: use 1 to {MAX_JOBS} parallel requests, to stay "
                         "polite to the server.")
    if timeout <= 0:
        raise InputError(f"--timeout {timeout}: give a positive number of seconds.")
    rmap = redirects if isinstance(redirects, RedirectMap) else load_redirects(redirects)
    probes = [probe for rule in export_rules(rmap) for probe in _probes(rule)
              if tagged or not probe.tagged]
    base = site.origin
    netloc = base.split("://", 1)[1]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        answers = list(track(pool.map(
            lambda probe: _fetch(site.scheme, netloc, probe.request, timeout), probes),
            desc=f"requesting {base}", total=len(probes), unit="request"))
    rows = [row for probe, answer in zip(probes, answers, strict=True)
            if (row := _judge(probe, answer, base)) is not None]
    return findings_frame(rows)
