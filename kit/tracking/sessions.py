"""Session logs: from a CSV export or a web server access log to source / medium / campaign.

:func:`traffic_source` decides a session's source, medium and campaign from its landing
address and referrer, in the order GA4 uses for manual tagging: ``utm_*`` parameters of
the landing URL first, then a Google Ads click id (``gclid`` → ``google / cpc``), then
the referrer (a search engine → ``organic``, any other site → ``referral``; social
sites stay ``referral`` and become Organic Social through the source list), and no
referrer at all → ``(direct) / (none)``.

:func:`load_sessions` reads a CSV (``source``/``medium``/``campaign`` columns, or
``landing_url`` and ``referrer`` to derive them) or an access log in the combined format
(``%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"``).  A line that cannot be
read is counted and listed with its number and reason; it never stops the load.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pandas as pd

from kit.errors import InputError
from kit.tables import read_table, rename_columns
from kit.tracking.categories import SourceCategories, bundled_source_categories
from kit.tracking.channels import NOT_SET, classify_sessions

__all__ = [
    "ASSUMPTIONS",
    "SESSION_COLUMNS",
    "SessionLog",
    "load_sessions",
    "parse_access_log",
    "session_labels",
    "traffic_source",
]

SESSION_COLUMNS = ("timestamp", "landing_url", "referrer", "source", "medium", "campaign")
ASSUMPTIONS: tuple[str, ...] = (
    "utm_* parameters on the landing address decide source, medium and campaign; a missing "
    "one is '(not set)'. When a link has both utm_* and gclid we use the utm_* values "
    "(GA4 can be set either way: contested, so do not double-tag).",
    "gclid without utm_* is a Google Ads click: google / cpc.",
    "A referrer from a search engine is organic search (source = the engine); any other "
    "referring site is a referral with the site as source (social sites then count as "
    "Organic Social); no referrer, or one from the site itself, is (direct) / (none).",
    "In an access log, a session starts at a page request (GET, status below 400, not an "
    "image/script/style file) that comes from outside the site, or that carries utm_* "
    "tags even from inside it (an internal tag starts a new attribution).",
)
_ENGINES = ("google", "bing", "yahoo", "duckduckgo", "baidu", "yandex", "ecosia", "naver",
            "qwant", "startpage", "ask", "aol", "brave", "sogou", "seznam", "daum")
_ASSETS = re.compile(r"\.(css|js|mjs|map|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|eot|txt|"
                     r"xml|json|pdf|mp4|webm)$", re.IGNORECASE)
_COMBINED = re.compile(
    r'^(?P<ip>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<target>\S+)'
    r'(?: HTTP/[0-9.]+)?" (?P<status>\d{3}) (?:\d+|-) "(?P<referrer>[^"]*)" '
    r'"(?P<agent>[^"]*)"\s*$'
)
_TIME_FORMAT = "%d/%b/%Y:%H:%M:%S %z"
_UTM = ("utm_source", "utm_medium", "utm_campaign")


def _host(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def traffic_source(landing_url: str | None, referrer: str | None = None, *,
                   site: str | None = None,
                   categories: SourceCategories | None = None) -> tuple[str, str, str]:
    """``(source, medium, campaign)`` of a session as GA4 would derive it (see module doc).

    ``site`` is the site's own host; a referrer from it counts as no referrer.  A referrer
    on the search list of ``categories`` (default: the kit's excerpt) is organic search.
    """
    params: dict[str, str] = {}
    if landing_url:
        try:
            query = urlsplit(landing_url).query
        except ValueError:
            query = ""
        for name, value in parse_qsl(query, keep_blank_values=True):
            params.setdefault(name.lower(), value)
    if any(params.get(name) for name in _UTM):
        return tuple(params.get(name) or "(not set)" for name in _UTM)  # type: ignore[return-value]
    if params.get("gclid"):
        return "google", "cpc", "(not set)"
    host = _host(referrer) if referrer and referrer != "-" else ""
    own = _host(f"//{site}") if site else None
    if not host or host == own:
        return "(direct)", "(none)", "(direct)"
    labels = host.split(".")
    engine = next((name for name in _ENGINES if name in labels[:-1]), None)
    search_sites = (categories or bundled_source_categories()).sites["search"]
    if engine is not None or host in search_sites:
        return engine or host, "organic", "(organic)"
    return host, "referral", "(referral)"


@dataclass
class SessionLog:
    """Sessions read from a file, with what could not be read.

    ``sessions`` has :data:`SESSION_COLUMNS` (plus ``cost``, ``converted`` and others the
    input had); ``malformed`` lists unreadable lines (``line``, ``reason``, ``text``);
    ``skipped`` counts readable lines that are not session starts, by reason.
    """

    name: str
    sessions: pd.DataFrame
    lines: int = 0
    malformed: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"line": [], "reason": [], "text": []}))
    skipped: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One sentence: sessions read, lines skipped and malformed."""
        skipped = sum(self.skipped.values())
        return (f"{self.name}: {len(self.sessions):,} sessions from {self.lines:,} lines; "
                f"{skipped:,} lines are not session starts, {len(self.malformed):,} malformed.")

    def __repr__(self) -> str:
        return f"SessionLog({self.summary()!r})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{int(r.line)}</td><td>{html.escape(str(r.reason))}</td>"
            f"<td><code>{html.escape(str(r.text)[:80])}</code></td></tr>"
            for r in self.malformed.head(10).itertuples(index=False))
        table = (f"<table><tr><th>line</th><th>why it was not read</th><th>text</th></tr>{rows}"
                 "</table>") if rows else ""
        return f"<p>{html.escape(self.summary())}</p>{table}"

    def classified(self, categories: SourceCategories | None = None) -> pd.DataFrame:
        """The sessions with a ``channel`` column (GA4 default channel group)."""
        return self.sessions.assign(
            channel=classify_sessions(self.sessions, categories=categories))


def parse_access_log(text: str | bytes, *, name: str = "access log", site: str | None = None,
                     categories: SourceCategories | None = None) -> SessionLog:
    """Read an access log in the combined format into a :class:`SessionLog`.

    Each line that does not match the format (wrong field count, bad date, binary junk,
    not UTF-8) is counted in ``malformed`` with its line number; the rest is read.
    """
    raw_lines = text.split(b"\n") if isinstance(text, bytes) else text.split("\n")
    if raw_lines and not raw_lines[-1]:
        raw_lines = raw_lines[:-1]
    records: list[dict[str, object]] = []
    bad: list[tuple[int, str, str]] = []
    skipped: dict[str, int] = {}
    own = site or "site.invalid"
    for number, raw in enumerate(raw_lines, start=1):
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                bad.append((number, "not UTF-8 text (binary junk?)",
                            raw.decode("utf-8", "replace")))
                continue
        else:
            line = raw
        line = line.rstrip("\r")
        if not line.strip():
            skipped["blank line"] = skipped.get("blank line", 0) + 1
            continue
        if "\x00" in line:
            bad.append((number, "contains NUL bytes (binary junk?)", line.replace("\x00", "␀")))
            continue
        match = _COMBINED.match(line)
        if match is None:
            bad.append((number, "not in the combined log format", line))
            continue
        try:
            when = datetime.strptime(match["time"], _TIME_FORMAT)
        except ValueError:
            bad.append((number, f"unreadable date {match['time']!r}", line))
            continue
        target, referrer = match["target"], match["referrer"]
        landing = target if target.startswith(("http://", "https://")) else f"https://{own}{target}"
        reason = _not_a_session(match["method"], int(match["status"]), landing, referrer, site)
        if reason:
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        source, medium, campaign = traffic_source(landing, referrer, site=site,
                                                  categories=categories)
        records.append({"timestamp": when, "landing_url": landing,
                        "referrer": "" if referrer == "-" else referrer, "source": source,
                        "medium": medium, "campaign": campaign, "ip": match["ip"],
                        "user_agent": match["agent"]})
    columns = [*SESSION_COLUMNS, "ip", "user_agent"]
    sessions = pd.DataFrame(records, columns=columns)
    for column in ("source", "medium", "campaign"):
        sessions[column] = session_labels(sessions[column])
    if len(sessions):
        sessions["timestamp"] = pd.to_datetime(sessions["timestamp"], utc=True)
    malformed = pd.DataFrame(bad, columns=["line", "reason", "text"])
    return SessionLog(name, sessions, len(raw_lines), malformed, skipped)


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


def _not_a_session(method: str, status: int, landing: str, referrer: str,
                   site: str | None) -> str | None:
    if method != "GET":
        return f"{method} request"
    if status >= 400:
        return "error status"
    path = urlsplit(landing).path
    if _ASSETS.search(path):
        return "image, script or style file"
    if site and referrer not in ("", "-") and _host(referrer) == _host(f"//{site}"):
        query = {name.lower() for name, _ in parse_qsl(urlsplit(landing).query)}
        if not query & set(_UTM):
            return "page view inside a session"
    return None


_ALIASES = {
    "source": ("utm_source", "session source"), "medium": ("utm_medium", "session medium"),
    "campaign": ("utm_campaign", "session campaign"),
    "landing_url": ("landing page", "landing_page", "url", "page"),
    "referrer": ("referer", "page_referrer"),
}


def load_sessions(source: pd.DataFrame | str | Path, *, site: str | None = None,
                  categories: SourceCategories | None = None) -> SessionLog:
    """A session log from a DataFrame, a CSV file or an access log (by content, not name).

    A CSV needs ``source`` and ``medium`` (``campaign`` optional) or ``landing_url``
    (``referrer`` optional) to derive them (``categories``: see :func:`traffic_source`).
    Numeric ``cost`` and ``converted`` columns are kept; a cell that is not a number is an
    :class:`~kit.errors.InputError` naming its row.  Source, medium and campaign come back
    as categorical columns (:func:`session_labels`).
    """
    if isinstance(source, str | Path) and not isinstance(source, pd.DataFrame):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"session log: file {str(path)!r} does not exist.",
                             hint="Check the path.")
        data = path.read_bytes()
        head = data[:4096].split(b"\n", 1)[0].decode("utf-8", "replace")
        if _COMBINED.match(head) or (b"[" in data[:4096] and b'"GET ' in data[:4096]):
            return parse_access_log(data, name=path.name, site=site, categories=categories)
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
