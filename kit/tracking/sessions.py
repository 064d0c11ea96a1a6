r"""Session logs: from a CSV export or a web server access log to source / medium / campaign.

:func:`traffic_source` decides a session's source, medium and campaign from its landing
address and referrer, in the order GA4 uses for manual tagging: ``utm_*`` parameters of
the landing URL first, then a Google Ads click id (``gclid`` → ``google / cpc``), then
the referrer (a search engine's results page → ``organic``, any other site →
``referral``; social sites stay ``referral`` and become Organic Social through the source
list), and no referrer at all → ``(direct) / (none)``.  Only search hosts are search:
``www.google.de`` is Google search, ``mail.google.com``, ``docs.google.com``, the Gmail
app (``android-app://com.google.android.gm``) and ``mail.yahoo.com`` are referrals.

:func:`parse_access_log` reads an access log the way log analysers (GoAccess, AWStats,
Matomo's log importer) and GA4 count visits:

* **formats**: ``combined`` (Apache and nginx default), ``common`` (no referrer or user
  agent), nginx ``main`` (combined plus ``"$http_x_forwarded_for"``) and Apache
  ``vhost_combined`` (``%v:%p`` first); ``auto`` picks the one most lines match.  Quoted
  fields may use Apache's (``\"``, ``\\``, ``\xHH``) or nginx's (``\xHH``) escapes; bytes
  that are not UTF-8 are decoded with U+FFFD, never dropped; ``.gz`` logs are read as they
  are (:func:`load_sessions`).
* **page views**: ``GET`` requests answered 2xx for a page; redirects (3xx), errors,
  other methods and files (images, scripts, styles, fonts, ``robots.txt`` ...) are not.
* **bots** are left out and counted: a user agent that names a crawler (:data:`BOT_PATTERN`:
  the generic words ``bot``, ``crawl``, ``spider``, ``slurp`` that GoAccess and AWStats
  match on, named crawlers such as Googlebot, bingbot, AhrefsBot, GPTBot, and HTTP
  libraries such as curl, Wget, python-requests), or an empty one.
* **visitors** are the client address plus user agent, or the value of a cookie
  (``visitor_cookie``) when the log format has a trailing ``"Cookie"`` field.
* **sessions**: a visitor's page views belong to one session until 30 minutes pass without
  one (GA4's default session timeout, GA4 help 9191807).  GA4 does not start a new session
  when a page view brings a new campaign or referrer; Universal Analytics and most log
  analysers did: ``new_source_starts_session=True`` does that.  A session's source,
  medium and campaign are those of its first page view.

A line that cannot be read is counted and listed with its line number and reason; it
never stops the load.
"""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
import pandas as pd

from kit.errors import InputError
from kit.progress import track
from kit.results import Result
from kit.tables import read_table, rename_columns
from kit.tracking.categories import SourceCategories, bundled_source_categories
from kit.tracking.channels import NOT_SET, classify_sessions
from kit.urls import host_of, path_of, query_of

__all__ = [
    "ASSUMPTIONS",
    "BOT_PATTERN",
    "LOG_FORMATS",
    "SESSION_COLUMNS",
    "SESSION_TIMEOUT",
    "SessionLog",
    "is_bot",
    "load_sessions",
    "parse_access_log",
    "search_engine",
    "session_labels",
    "traffic_source",
]

SESSION_COLUMNS = ("timestamp", "landing_url", "referrer", "source", "medium", "campaign")
SESSION_TIMEOUT = timedelta(minutes=30)
ASSUMPTIONS: tuple[str, ...] = (
    "utm_* parameters on the landing address decide source, medium and campaign; a missing "
    "one is '(not set)'. When a link has both utm_* and gclid we use the utm_* values "
    "(GA4 can be set either way: contested, so do not double-tag).",
    "gclid without utm_* is a Google Ads click: google / cpc.",
    "A referrer from a search engine's results page is organic search (source = the "
    "engine); any other referring site, including mail and document hosts such as "
    "mail.google.com, is a referral with the site as source (social sites then count as "
    "Organic Social); no referrer, or one from the site itself, is (direct) / (none).",
    "In an access log, a visitor is an IP address plus user agent; a session is the "
    "visitor's page views (GET, answered 2xx, not a file, not a bot) until 30 minutes "
    "pass without one (GA4's default timeout); its source is that of its first page view. "
    "Redirects (3xx) are not page views.",
)
LOG_FORMATS: tuple[str, ...] = ("auto", "combined", "common", "main", "vhost_combined")

# Search engines: the hosts of their results pages (not mail, docs or news hosts).
_SEARCH_HOSTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern)) for name, pattern in (
        ("google", r"^(www\.)?google(\.com?)?(\.[a-z]{2})?$"),
        ("google", r"^(search|cse)\.google\.com$"),
        ("bing", r"^((www|cn)\.)?bing\.com$"),
        ("yahoo", r"^(([a-z]{2}|espanol|malaysia)\.)?search\.yahoo\.(com|co\.jp)$"),
        ("yahoo", r"^(www\.)?yahoo\.(com|co\.jp)$"),
        ("duckduckgo", r"^((html|lite|www)\.)?duckduckgo\.com$"),
        ("baidu", r"^((www|m)\.)?baidu\.com$"),
        ("yandex", r"^(www\.)?(yandex\.(ru|com|com\.tr|by|kz|ua|uz|fr)|ya\.ru)$"),
        ("ecosia", r"^(www\.)?ecosia\.org$"),
        ("naver", r"^(m\.)?search\.naver\.com$"),
        ("qwant", r"^((www|lite)\.)?qwant\.com$"),
        ("startpage", r"^(www\.)?startpage\.(com|nl)$"),
        ("ask", r"^(www\.)?ask\.com$"),
        ("aol", r"^search\.aol\.(com|co\.uk)$"),
        ("brave", r"^search\.brave\.com$"),
        ("sogou", r"^((www|m|wap)\.)?sogou\.com$"),
        ("seznam", r"^(search\.)?seznam\.cz$"),
        ("daum", r"^search\.daum\.net$"),
    ))
# Hosts of search companies that are not search, even if a source list says otherwise.
_NOT_SEARCH = re.compile(r"^(mail|docs|drive|accounts|calendar|meet|chat|photos|sites|"
                         r"groups|outlook|inbox)\.|^com\.google\.android\.gm$")
_ASSETS = re.compile(r"\.(css|js|mjs|map|png|jpe?g|gif|svg|webp|avif|ico|bmp|woff2?|ttf|otf|"
                     r"eot|txt|xml|json|pdf|zip|gz|mp3|mp4|webm|ogg|wasm)$", re.IGNORECASE)
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|archiver|validator|monitor|preview|headless|"
    r"googlebot|google-inspectiontool|storebot|adsbot|mediapartners-google|bingbot|bingpreview|"
    r"yandex(bot|images)|baiduspider|duckduckbot|applebot|petalbot|sogou|exabot|seznambot|"
    r"facebookexternalhit|facebot|meta-externalagent|twitterbot|linkedinbot|slackbot|"
    r"discordbot|telegrambot|whatsapp/|pinterestbot|ahrefsbot|semrushbot|mj12bot|dotbot|"
    r"rogerbot|screaming frog|sitebulb|gptbot|chatgpt-user|claudebot|ccbot|bytespider|"
    r"perplexitybot|amazonbot|pingdom|uptimerobot|statuscake|lighthouse|pagespeed|"
    r"curl/|wget/|python-requests|python-urllib|aiohttp|httpx|go-http-client|okhttp|"
    r"java/|libwww-perl|apache-httpclient|node-fetch|axios/|guzzlehttp|scrapy|httpclient")
# (lower-case; matched against the lower-cased user agent: ten times faster than IGNORECASE)
_QUOTED = r'"([^"\\]*(?:\\.[^"\\]*)*)"'


def _field(name: str) -> str:
    return rf'"(?P<{name}>[^"\\]*(?:\\.[^"\\]*)*)"'


_COMMON = (r"(?P<ip>\S+) \S+ (?P<user>\S+) \[(?P<time>[^\]]+)\] " + _field("request")
           + r" (?P<status>\d{3}) (?:\d+|-)")
_REFERRER_AGENT = " " + _field("referrer") + " " + _field("agent")
_EXTRA = r'(?P<extra>(?: "[^"\\]*(?:\\.[^"\\]*)*")*)'
_FORMATS: dict[str, re.Pattern[str]] = {
    "combined": re.compile("^" + _COMMON + _REFERRER_AGENT + _EXTRA + r"\s*$"),
    "common": re.compile("^" + _COMMON + r"\s*$"),
    "main": re.compile("^" + _COMMON + _REFERRER_AGENT + " " + _field("forwarded") + _EXTRA
                       + r"\s*$"),
    "vhost_combined": re.compile(r"^(?P<vhost>\S+?)(?::\d+)? " + _COMMON + _REFERRER_AGENT
                                 + _EXTRA + r"\s*$"),
}
_FORMAT_NAMES = {"combined": "combined", "common": "common", "main": "nginx main",
                 "vhost_combined": "Apache vhost_combined"}
_REQUEST = re.compile(r"^(?P<method>[A-Z]+) (?P<target>\S+)(?: HTTP/[0-9.]+)?$")
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|.)")
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r"}
_TIME_FORMAT = "%d/%b/%Y:%H:%M:%S %z"
_UTM = ("utm_source", "utm_medium", "utm_campaign")


def _host(url: str) -> str:
    return host_of(url, strip_www=True)


def search_engine(host: str, categories: SourceCategories | None = None) -> str | None:
    """The search engine whose results page ``host`` is (``"google"``), the host itself
    when it is on the search list of ``categories``, or ``None``.

    ``www.google.co.uk`` is Google; ``mail.google.com``, ``docs.google.com``,
    ``news.google.com`` and the Gmail app are not search, whatever a list says.
    """
    host = host.lower().removeprefix("www.")
    if not host or _NOT_SEARCH.search(host):
        return None
    for name, pattern in _SEARCH_HOSTS:
        if pattern.match(host) or pattern.match("www." + host):
            return name
    search_sites = (categories or bundled_source_categories()).sites["search"]
    return host if host in search_sites else None


def _params(url: str | None) -> dict[str, str]:
    """Query parameters, names decoded (``%75tm_source`` is ``utm_source``) and lowercase;
    the first occurrence wins."""
    params: dict[str, str] = {}
    if not url:
        return params
    for name, value in parse_qsl(query_of(url), keep_blank_values=True):
        params.setdefault(name.strip().lower(), value)
    return params


def traffic_source(landing_url: str | None, referrer: str | None = None, *,
                   site: str | None = None,
                   categories: SourceCategories | None = None) -> tuple[str, str, str]:
    """``(source, medium, campaign)`` of a session as GA4 would derive it (see module doc).

    ``site`` is the site's own host; a referrer from it counts as no referrer.  A referrer
    from a search engine's results page (:func:`search_engine`; the search list of
    ``categories``, default the kit's excerpt, adds more) is organic search.
    """
    params = _params(landing_url)
    if any(params.get(name) for name in _UTM):
        return tuple(params.get(name) or "(not set)" for name in _UTM)  # type: ignore[return-value]
    if params.get("gclid"):
        return "google", "cpc", "(not set)"
    host = _host(referrer) if referrer and referrer != "-" else ""
    own = _host(site) if site else None
    if not host or host == own:
        return "(direct)", "(none)", "(direct)"
    engine = search_engine(host, categories)
    if engine is not None:
        return engine, "organic", "(organic)"
    return host, "referral", "(referral)"


@lru_cache(maxsize=65536)
def is_bot(user_agent: str | None) -> bool:
    """True for a crawler, monitor or HTTP library (:data:`BOT_PATTERN`) or no user agent."""
    agent = (user_agent or "").strip()
    return agent in ("", "-") or bool(BOT_PATTERN.search(agent.lower()))


_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_TIME = re.compile(r"^(\d{2})/([A-Z][a-z]{2})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) "
                   r"([+-])(\d{2})(\d{2})$")


@lru_cache(maxsize=65536)
def _parse_time(text: str) -> datetime:
    """``%d/%b/%Y:%H:%M:%S %z`` (the logs' ``%t``), without strptime's cost per line;
    ``ValueError`` for a date that does not exist or another shape."""
    match = _TIME.match(text)
    if match is None or match[2] not in _MONTHS:
        return datetime.strptime(text, _TIME_FORMAT)  # raises the usual ValueError
    day, _, year, hour, minute, second, sign, off_h, off_m = match.groups()
    offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (1 if sign == "+" else -1)
    return datetime(int(year), _MONTHS[match[2]], int(day), int(hour), int(minute),
                    int(second), tzinfo=timezone(offset))


@dataclass
class SessionLog(Result):
    """Sessions read from a file, with what could not be read.

    ``sessions`` has :data:`SESSION_COLUMNS` (plus ``cost``, ``converted`` and others the
    input had; from an access log also ``ip``, ``user_agent``, ``visitor``, ``pageviews``
    and ``end``); ``malformed`` lists unreadable lines (``line``, ``reason``, ``text``);
    ``skipped`` counts readable lines that are not page views, by reason (bots included);
    ``pageviews`` and ``bots`` count page views and bot requests.
    """

    name: str
    sessions: pd.DataFrame
    lines: int = 0
    malformed: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"line": [], "reason": [], "text": []}))
    skipped: dict[str, int] = field(default_factory=dict)
    pageviews: int | None = None
    bots: int = 0
    log_format: str = ""

    @property
    def summary(self) -> dict[str, int | str]:
        """Lines read, sessions, page views, bot requests, other skipped and malformed lines
        (``pageviews``, ``bots`` and ``other_lines`` only for an access log)."""
        figures: dict[str, int | str] = {"name": self.name, "lines": self.lines,
                                         "sessions": len(self.sessions)}
        if self.pageviews is not None:
            figures.update(pageviews=self.pageviews, bots=self.bots,
                           other_lines=sum(self.skipped.values()) - self.bots)
        figures["malformed"] = len(self.malformed)
        if self.log_format:
            figures["log_format"] = self.log_format
        return figures

    def summary_text(self) -> str:
        """One sentence: lines read, sessions, page views, bots and malformed lines."""
        if self.pageviews is None:  # a CSV of sessions
            return (f"{self.name}: {len(self.sessions):,} sessions from {self.lines:,} lines; "
                    f"{len(self.malformed):,} malformed.")
        other = sum(self.skipped.values()) - self.bots
        return (f"{self.name}: {self.lines:,} lines read, {len(self.sessions):,} sessions "
                f"({self.pageviews:,} page views); {self.bots:,} bot requests left out, "
                f"{other:,} other lines are not page views, {len(self.malformed):,} "
                "malformed.")

    def __repr__(self) -> str:
        return f"SessionLog({self.summary_text()!r})"

    def summary_html(self) -> str:
        return f"<p>{html.escape(self.summary_text())}</p>"

    def detail_html(self) -> str:
        rows = "".join(
            f"<tr><td>{int(r.line)}</td><td>{html.escape(str(r.reason))}</td>"
            f"<td><code>{html.escape(str(r.text)[:80])}</code></td></tr>"
            for r in self.malformed.head(10).itertuples(index=False))
        table = (f"<table><tr><th>line</th><th>why it was not read</th><th>text</th></tr>{rows}"
                 "</table>") if rows else ""
        return table

    def classified(self, categories: SourceCategories | None = None) -> pd.DataFrame:
        """The sessions with a ``channel`` column (GA4 default channel group)."""
        return self.sessions.assign(
            channel=classify_sessions(self.sessions, categories=categories))


def _unescape(field: str) -> str:
    """A quoted log field (one char per byte) with Apache's and nginx's escapes undone,
    decoded as UTF-8 with U+FFFD for bytes that are not."""
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("x") and len(code) == 3:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, match.group(0))

    raw = _ESCAPE.sub(replace, field) if "\\" in field else field
    return raw.encode("latin-1").decode("utf-8", "replace")


def _lines(data: bytes) -> Iterator[tuple[int, str]]:
    raw_lines = data.split(b"\n")
    if raw_lines and not raw_lines[-1]:
        raw_lines = raw_lines[:-1]
    for number, raw in enumerate(raw_lines, start=1):
        yield number, raw.rstrip(b"\r").decode("latin-1")


def _detect(lines: list[str]) -> str:
    """The format most of the first lines match (``combined`` when none do)."""
    sample = [line for line in lines[:200] if line.strip()]
    scores = {name: sum(1 for line in sample if pattern.match(line))
              for name, pattern in _FORMATS.items()}
    # the most specific format wins a tie (a main line is also combined with one extra field)
    specific = ("common", "combined", "main", "vhost_combined")
    best = max(scores, key=lambda name: (scores[name], specific.index(name)))
    return best if scores[best] else "combined"


def _cookie(extra: str, name: str) -> str | None:
    for quoted in re.findall(_QUOTED, extra):
        for part in _unescape(quoted).split(";"):
            key, _, value = part.strip().partition("=")
            if key == name and value:
                return value
    return None


@dataclass
class _View:
    line: int
    when: datetime
    visitor: str
    landing: str
    referrer: str
    ip: str
    agent: str
    external: bool


def parse_access_log(text: str | bytes, *, name: str = "access log", site: str | None = None,
                     categories: SourceCategories | None = None, log_format: str = "auto",
                     visitor_cookie: str | None = None,
                     timeout: timedelta = SESSION_TIMEOUT,
                     new_source_starts_session: bool = False) -> SessionLog:
    """Read an access log into a :class:`SessionLog` of sessions (see the module doc).

    ``log_format`` is one of :data:`LOG_FORMATS`.  ``site`` is the site's own host (its
    referrers are page views inside a session).  Each line that does not match the format
    (wrong field count, bad date, binary junk) is counted in ``malformed`` with its line
    number; the rest is read.
    """
    if log_format not in LOG_FORMATS:
        raise InputError(f"{name}: unknown log format {log_format!r}.",
                         hint=f"Use one of {', '.join(LOG_FORMATS)}.")
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    numbered = list(_lines(data))
    fmt = _detect([line for _, line in numbered]) if log_format == "auto" else log_format
    pattern = _FORMATS[fmt]
    bad: list[tuple[int, str, str]] = []
    skipped: dict[str, int] = {}
    views: list[_View] = []
    own = site or "site.invalid"
    own_host = _host(site) if site else None
    bots = 0

    def skip(reason: str) -> None:
        skipped[reason] = skipped.get(reason, 0) + 1

    for number, line in track(numbered, desc=f"reading {name}", unit="line"):
        if not line.strip():
            skip("blank line")
            continue
        if "\x00" in line:
            bad.append((number, "contains NUL bytes (binary junk?)",
                        _unescape(line.replace("\x00", "\u2400").encode("utf-8")
                                  .decode("latin-1"))))
            continue
        match = pattern.match(line)
        shown = line.encode("latin-1").decode("utf-8", "replace")
        if match is None:
            bad.append((number, f"not in the {_FORMAT_NAMES[fmt]} log format", shown))
            continue
        request = _REQUEST.match(_unescape(match["request"]))
        if request is None:
            bad.append((number, f"not in the {_FORMAT_NAMES[fmt]} log format (the request "
                        f"line {_unescape(match['request'])!r} is not METHOD PATH)", shown))
            continue
        try:
            when = _parse_time(match["time"])
        except ValueError:
            bad.append((number, f"unreadable date {match['time']!r}", shown))
            continue
        groups = match.groupdict()
        agent = _unescape(groups["agent"]) if groups.get("agent") is not None else ""
        referrer = _unescape(groups["referrer"]) if groups.get("referrer") is not None else ""
        referrer = "" if referrer == "-" else referrer
        if fmt != "common" and is_bot(agent):
            bots += 1
            skip("bot")
            continue
        method, target, status = request["method"], request["target"], int(match["status"])
        reason = _not_a_page_view(method, status, target)
        if reason:
            skip(reason)
            continue
        landing = target if target.startswith(("http://", "https://")) else f"https://{own}{target}"
        visitor = None
        if visitor_cookie and groups.get("agent") is not None:
            visitor = _cookie(line[match.end("agent") + 1:], visitor_cookie)
        ip = match["ip"]
        visitor = visitor or f"{ip} {agent}"
        ref_host = _host(referrer) if referrer else ""
        views.append(_View(number, when, visitor, landing, referrer, ip, agent,
                           bool(ref_host) and ref_host != own_host))
    sessions = _sessions(views, site=site, categories=categories, timeout=timeout,
                         new_source_starts_session=new_source_starts_session)
    malformed = pd.DataFrame(bad, columns=["line", "reason", "text"])
    return SessionLog(name, sessions, len(numbered), malformed, skipped, len(views), bots, fmt)


def _starts_attribution(view: _View) -> bool:
    params = _params(view.landing)
    return view.external or any(params.get(name) for name in (*_UTM, "gclid"))


def _sessions(views: list[_View], *, site: str | None, categories: SourceCategories | None,
              timeout: timedelta, new_source_starts_session: bool) -> pd.DataFrame:
    """One row per session: the visitor's page views in time order, cut at a gap longer
    than ``timeout`` (and at a new source when ``new_source_starts_session``)."""
    views = sorted(views, key=lambda v: (v.visitor, v.when, v.line))
    records: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    last: _View | None = None
    for view in views:
        source = None
        new = (last is None or view.visitor != last.visitor
               or view.when - last.when > timeout)
        if not new and new_source_starts_session and _starts_attribution(view):
            source = traffic_source(view.landing, view.referrer, site=site,
                                    categories=categories)
            assert current is not None
            new = source != (current["source"], current["medium"], current["campaign"])
        if new:
            src, medium, campaign = source or traffic_source(
                view.landing, view.referrer, site=site, categories=categories)
            current = {"timestamp": view.when, "landing_url": view.landing,
                       "referrer": view.referrer, "source": src, "medium": medium,
                       "campaign": campaign, "ip": view.ip, "user_agent": view.agent,
                       "visitor": view.visitor, "pageviews": 0, "end": view.when,
                       "line": view.line}
            records.append(current)
        assert current is not None
        current["pageviews"] = int(current["pageviews"]) + 1  # type: ignore[call-overload]
        current["end"] = view.when
        last = view
    columns = [*SESSION_COLUMNS, "ip", "user_agent", "visitor", "pageviews", "end", "line"]
    frame = pd.DataFrame(records, columns=columns)
    if len(frame):
        frame = frame.sort_values(["timestamp", "line"], kind="stable").reset_index(drop=True)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
        frame["end"] = pd.to_datetime(frame["end"], utc=True)
    frame["pageviews"] = frame["pageviews"].astype(int)
    for column in ("source", "medium", "campaign"):
        frame[column] = session_labels(frame[column])
    return frame.drop(columns="line")


def _not_a_page_view(method: str, status: int, target: str) -> str | None:
    if method != "GET":
        return f"{method} request"
    if 300 <= status < 400:
        return "redirect (3xx)"
    if status >= 400:
        return "error status"
    if status < 200:
        return "informational status"
    path = path_of(target).partition("?")[0]
    if _ASSETS.search(path):
        return "image, script or style file"
    return None


def session_labels(values: pd.Series) -> pd.Series:
    """A source, medium or campaign column as a categorical: blank or missing → "(not set)".

    A session log repeats a few hundred values millions of times; as a categorical it takes
    a small integer per row, and :func:`classify_sessions` works on the codes directly.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = [NOT_SET if not str(value).strip() else str(value) for value in uniques]
    missing = bool((codes < 0).any())
    categories = list(dict.fromkeys([*labels, NOT_SET] if missing else labels))
    position = {label: i for i, label in enumerate(categories)}
    # One entry per distinct value, and a last one that code -1 (missing) picks.
    table = np.array([position[label] for label in labels] + [position.get(NOT_SET, 0)],
                     dtype=np.int32)
    result = pd.Categorical.from_codes(table[codes], categories=categories, validate=False)
    return pd.Series(result, index=values.index, name=values.name)


_ALIASES = {
    "source": ("utm_source", "session source"), "medium": ("utm_medium", "session medium"),
    "campaign": ("utm_campaign", "session campaign"),
    "landing_url": ("landing page", "landing_page", "url", "page"),
    "referrer": ("referer", "page_referrer"),
}


def load_sessions(source: pd.DataFrame | str | Path, *, site: str | None = None,
                  categories: SourceCategories | None = None, log_format: str = "auto",
                  visitor_cookie: str | None = None,
                  new_source_starts_session: bool = False) -> SessionLog:
    """A session log from a DataFrame, a CSV file or an access log (by content, not name).

    A CSV needs ``source`` and ``medium`` (``campaign`` optional) or ``landing_url``
    (``referrer`` optional) to derive them (``categories``: see :func:`traffic_source`).
    Numeric ``cost`` and ``converted`` columns are kept; a cell that is not a number is an
    :class:`~kit.errors.InputError` naming its row.  Source, medium and campaign come back
    as categorical columns (:func:`session_labels`).  An access log (gzipped or not) is
    read by :func:`parse_access_log` with ``log_format``, ``visitor_cookie`` and
    ``new_source_starts_session``; ``log_format`` other than ``auto`` means the file is a log.
    """
    if isinstance(source, str | Path) and not isinstance(source, pd.DataFrame):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"session log: file {str(path)!r} does not exist.",
                             hint="Check the path.")
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as error:
                raise InputError(f"{path.name}: the gzip file is damaged ({error}).",
                                 hint="Check the file, e.g. with 'gzip -t'.") from None
        head = data[:4096].split(b"\n", 1)[0].decode("latin-1")
        if (log_format != "auto" or any(p.match(head) for p in _FORMATS.values())
                or (b"[" in data[:4096] and b'"GET ' in data[:4096])):
            return parse_access_log(data, name=path.name, site=site, categories=categories,
                                    log_format=log_format, visitor_cookie=visitor_cookie,
                                    new_source_starts_session=new_source_starts_session)
    table = read_table(source, what="session log")
    lookup = {str(c).strip().lower() for c in table.frame.columns}
    required = ["source", "medium"] if lookup & {"source", "utm_source", "session source",
                                                 "medium", "utm_medium"} else ["landing_url"]
    rename_columns(table, _ALIASES, required=required, what="session log")
    frame = table.frame.reset_index(drop=True)
    if "source" not in frame.columns:
        referrers = frame["referrer"] if "referrer" in frame.columns else [None] * len(frame)
        derived = [traffic_source(None if pd.isna(url) else str(url),
                                  None if pd.isna(ref) else str(ref), site=site,
                                  categories=categories)
                   for url, ref in zip(frame["landing_url"], referrers, strict=True)]
        frame[["source", "medium", "campaign"]] = pd.DataFrame(derived, dtype=object)
    for column in ("source", "medium", "campaign"):
        if column in frame.columns:
            frame[column] = session_labels(frame[column])
    for column in ("cost", "converted"):
        if column in frame.columns:
            raw = frame[column].astype(object)
            if column == "converted":
                raw = raw.replace({"true": 1, "false": 0, "True": 1, "False": 0, "yes": 1,
                                   "no": 0, True: 1, False: 0, "": 0})
            values = pd.to_numeric(raw.replace({"": None}), errors="coerce")
            bad = [i for i, (v, r) in enumerate(zip(values, raw, strict=True))
                   if pd.isna(v) and not (r is None or r == "" or pd.isna(r))]
            if bad:
                where = [f"{table.where(i)}: {column} {raw.iloc[i]!r} is not a number"
                         for i in bad]
                raise InputError(f"{table.name}: {len(bad)} {column} cell(s) are not numbers.",
                                 where, hint=f"Write {column} as a number, e.g. 0.85.")
            frame[column] = values.fillna(0.0)
    return SessionLog(table.name, frame, len(frame))
