"""Sitemaps to the sitemaps.org protocol: build them, and check a given file.

The rules (sitemaps.org/protocol.php), which :func:`build_sitemaps` follows and
:func:`validate_sitemap` checks:

* UTF-8 XML, root ``<urlset>`` (or ``<sitemapindex>``) in the namespace
  ``http://www.sitemaps.org/schemas/sitemap/0.9``; each ``<url>`` has one ``<loc>``.
* At most 50,000 URLs and 52,428,800 bytes (50 MiB) uncompressed per file; more URLs
  go in several files listed by a sitemap index (itself at most 50,000 sitemaps).
* ``<loc>`` is an absolute URL of fewer than 2,048 characters, URL-escaped (RFC 3986:
  no spaces or non-ASCII characters) and entity-escaped (``&amp; &apos; &quot; &gt;
  &lt;``).
* The sitemap's location limits what it may list: the same scheme, host and port, and
  only paths at or below the sitemap's folder (``/shop/sitemap.xml`` may list
  ``/shop/…``, not ``/blog/…``).
* ``<lastmod>`` is a W3C Datetime (``2024-05-01`` or ``2024-05-01T10:00:00+00:00``), and
  the official schema (sitemap.xsd and siteindex.xsd 0.9, type ``tLastmod``: the union
  of ``xsd:date`` and ``xsd:dateTime``) is stricter than the W3C note: no year-only or
  year-month, seconds required, ``T`` and ``Z`` in upper case, zones within ±14:00.
  :func:`build_sitemaps` writes only values both accept (see :func:`normalise_lastmod`
  for each case) and :func:`validate_sitemap` reports the others, impossible dates too.
* The files are plain XML: no DOCTYPE, no entity declarations, no XInclude.
  :func:`validate_sitemap` reports a file with any of them as invalid and never expands
  an entity or fetches anything (a parser that did could be made to read local files or
  blow up in memory; one that does not sees a ``<loc>`` cut short at the entity).

Google Search Central ("Build and submit a sitemap") adds: Google ignores
``<priority>`` and ``<changefreq>`` (so :func:`build_sitemaps` writes neither), and uses
``<lastmod>`` only when it is consistently and verifiably accurate: give each URL the date
its page last changed significantly, never one build date on every URL
(:func:`validate_sitemap` warns about that pattern).  The sitemap "ping" endpoint was
deprecated in June 2023 (Google Search Central blog, "Sitemaps ping endpoint is going
away"): submit in Search Console or name the sitemap in robots.txt.  A sitemap helps
discovery; it guarantees no crawling, indexing or ranking.  Sources checked on 2026-12-07.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from lxml import etree

from kit.errors import InputError
from kit.findings import findings_frame
from kit.tables import read_table, rename_columns
from kit.urls import parse_url, query_of, url_key

__all__ = [
    "MAX_BYTES",
    "MAX_URLS",
    "MAX_URL_LENGTH",
    "NAMESPACE",
    "SitemapFiles",
    "build_sitemaps",
    "normalise_lastmod",
    "sitemap_location",
    "sitemap_urls",
    "validate_sitemap",
]

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
MAX_BYTES = 52_428_800
MAX_URL_LENGTH = 2_048
UNIFORM_LASTMOD_MIN = 10
"""From this many entries on, one ``lastmod`` on every entry is reported as a warning."""
SRC_PROTOCOL = "sitemaps.org protocol (sitemaps.org/protocol.php)"
SRC_GOOGLE = ("Google Search Central, 'Build and submit a sitemap'; Google Search Central "
              "blog, June 2023 (sitemap ping endpoint deprecated)")
_NEEDS_ESCAPE = re.compile(r"[^\x21-\x7e]|[<>\"{}|\\^`]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CHANGEFREQ = frozenset({"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"})
_EXTRA = ("file", "line", "value")


# --- the sitemap's location ---------------------------------------------------------------


def sitemap_location(base_url: str) -> tuple[str, str]:
    """``(site, folder)`` for a sitemap folder or file URL: ``("https://x.com", "/shop/")``.

    ``https://x.com/shop/`` and ``https://x.com/shop/sitemap.xml`` both give the folder
    ``/shop/``; ``https://x.com/shop`` (no final slash, no ``.xml``) is read as the folder
    ``/shop/`` too.
    """
    key = url_key(base_url) if isinstance(base_url, str) else None
    if key is None or query_of(base_url.strip()):
        raise InputError(f"base URL {base_url!r} is not an http(s) URL without a query, like "
                         "https://www.example.com/ .",
                         hint="Give the URL of the folder the sitemap will be served from.")
    parts = parse_url(key)
    site = parts.origin
    path = parts.path or "/"
    last = path.rsplit("/", 1)[-1]
    if last.lower().endswith((".xml", ".xml.gz", ".txt")):
        path = path[: len(path) - len(last)]
    elif not path.endswith("/"):
        path += "/"
    return site, path


def _escape_url(url: str) -> str:
    """Percent-encode what RFC 3986 does not allow in a URL (spaces, non-ASCII, ``<>"``…)."""
    url = _BAD_PERCENT.sub("%25", url.strip())
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _xml_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace('"', "&quot;"))


_LASTMOD = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:(?P<sep>[Tt ])(?P<hour>\d{2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?P<fraction>\.\d+)?)?)?"
    r"(?P<zone>[Zz]|[+-]\d{2}:?\d{2})?)?)?"
)
_MAX_ZONE = dt.timedelta(hours=14)
"""xsd:dateTime and xsd:date allow time zones from -14:00 to +14:00 (XML Schema Part 2, 3.2.7)."""


class _Lastmod:
    """A parsed ``lastmod``: the text to write, the instant for ordering, why it changed."""

    __slots__ = ("given", "instant", "reasons", "text")

    def __init__(self, text: str, instant: dt.datetime, *, given: str | None = None,
                 reasons: tuple[str, ...] = ()) -> None:
        self.text = text
        self.instant = instant
        self.given = text if given is None else given
        self.reasons = reasons

    @property
    def note(self) -> str | None:
        """``'2024-05-01T10:00Z' written as '2024-05-01T10:00:00Z': why``, or None."""
        if self.given == self.text:
            return None
        return f"{self.given!r} written as {self.text!r}: " + "; ".join(self.reasons)


def _zone_text(offset: dt.timedelta) -> str:
    if offset == dt.timedelta(0):
        return "+00:00"
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _from_datetime(value: dt.datetime) -> _Lastmod:
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(f"{value.isoformat()} has a time but no time zone; add one "
                         "(e.g. +00:00) or give only the date")
    if offset.total_seconds() % 60 or abs(offset) > _MAX_ZONE:
        raise ValueError(f"{value.isoformat()}: the time zone {offset} is not a whole number "
                         "of minutes within ±14:00, which the sitemaps.org schema requires")
    text = value.replace(tzinfo=None).isoformat(timespec="seconds") + _zone_text(offset)
    return _Lastmod(text, value.astimezone(dt.UTC))


def _parse_lastmod_text(text: str) -> _Lastmod:
    match = _LASTMOD.fullmatch(text)
    if match is None:
        raise ValueError(f"{text[:60]!r} is not a W3C Datetime such as 2024-05-01 or "
                         "2024-05-01T10:00:00+00:00")
    part = match.groupdict()
    if part["month"] is None or part["day"] is None:
        raise ValueError(f"{text!r} gives no day; the sitemaps.org schema needs a full date "
                         "(2024-05-01). Write the day the page really changed (the kit does "
                         "not invent one)")
    try:
        day = dt.date(int(part["year"]), int(part["month"]), int(part["day"]))
    except ValueError:
        raise ValueError(f"{text!r} is not a real date (no such day)") from None
    zone = part["zone"]
    offset: dt.timedelta | None = None
    if zone is not None:
        if zone in "Zz":
            offset = dt.timedelta(0)
        else:
            digits = zone[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:])
            if minutes > 59:
                raise ValueError(f"{text!r}: the time zone {zone} is not a valid offset")
            offset = dt.timedelta(hours=hours, minutes=minutes) * (-1 if zone[0] == "-" else 1)
            if abs(offset) > _MAX_ZONE:
                raise ValueError(f"{text!r}: the time zone {zone} is beyond ±14:00, which the "
                                 "sitemaps.org schema (xsd:dateTime) does not allow")
    if part["hour"] is None:
        instant = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        return _Lastmod(day.isoformat(), instant, given=text,
                        reasons=("a date with a time zone is not a W3C Datetime",))
    if offset is None:
        raise ValueError(f"{text!r} has a time but no time zone, so the moment is unclear by "
                         "up to a day; add one (e.g. +00:00 or Z) or give only the date")
    hour, minute = int(part["hour"]), int(part["minute"])
    second = int(part["second"] or 0)
    if hour == 24 and minute == 0 and second == 0 and not (part["fraction"] or "").strip(".0"):
        moment = dt.datetime.combine(day, dt.time(0), dt.timezone(offset)) + dt.timedelta(days=1)
    else:
        try:
            moment = dt.datetime.combine(day, dt.time(hour, minute, second),
                                         dt.timezone(offset))
        except ValueError:
            raise ValueError(f"{text!r} is not a real time of day (hours 00-23, minutes and "
                             "seconds 00-59)") from None
    fraction = part["fraction"] or ""
    zone_out = "Z" if zone in "Zz" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
    clean = moment.replace(tzinfo=None).isoformat(timespec="seconds") + fraction + zone_out
    reasons = []
    if part["second"] is None:
        reasons.append("the sitemaps.org schema (xsd:dateTime) needs seconds")
    if part["sep"] != "T" or zone == "z":
        reasons.append("'T' and 'Z' are written in upper case, with no space")
    if zone not in ("Z", "z") and ":" not in zone:
        reasons.append("the time zone is written +hh:mm")
    if hour == 24:
        reasons.append("24:00:00 is 00:00:00 of the next day (W3C note: hours 00-23)")
    return _Lastmod(clean, moment.astimezone(dt.UTC), given=text, reasons=tuple(reasons))


def normalise_lastmod(value: object) -> str | None:
    """``value`` as a ``lastmod`` that both the W3C note and the sitemaps.org XSD accept.

    None (or NaN, NaT, "") for no value; ValueError, saying why, when ``value`` cannot be
    written without guessing.  Case by case (the XSD's type is the union of
    ``xsd:date`` and ``xsd:dateTime``; tests/unit/seo/test_sitemaps.py checks each row
    against the committed XSD):

    ================================  ==========  =====================================
    value                             XSD         written
    ================================  ==========  =====================================
    ``2024-05-01``                    valid       as given
    ``2024-05-01T10:00:00+02:00``     valid       as given (``Z``, fractions kept too)
    ``2024-05-01T10:00Z``             invalid     ``2024-05-01T10:00:00Z`` (seconds)
    ``2024-05-01 10:00:00+02:00``     invalid     ``2024-05-01T10:00:00+02:00``
    ``2024-05-01t10:00:00z``          invalid     ``2024-05-01T10:00:00Z``
    ``2024-05-01T10:00:00+0200``      invalid     ``2024-05-01T10:00:00+02:00``
    ``2024-05-01T24:00:00Z``          valid       ``2024-05-02T00:00:00Z``
    ``2024-05-01+02:00``              valid       ``2024-05-01`` (a date with a zone is
                                                  no W3C Datetime)
    ``2024``, ``2024-05``             invalid     refused: which day is not known
    ``2024-02-30``, ``2023-02-29``    invalid     refused: no such day
    ``2024-05-01T25:00:00Z``          invalid     refused: no such time
    ``2024-05-01T10:00:00``           valid       refused: no time zone, the moment is
                                                  unclear by up to a day (W3C note)
    ``...T10:00:00+15:00``            invalid     refused: zones stop at ±14:00
    ``date``                          —           ISO date
    aware ``datetime``/``Timestamp``  —           ``YYYY-MM-DDThh:mm:ss±hh:mm``
    naive ``datetime``/``Timestamp``  —           refused: no time zone
    ================================  ==========  =====================================
    """
    parsed = _lastmod(value)
    return None if parsed is None else parsed.text


def _lastmod(value: object) -> _Lastmod | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return _from_datetime(value)
    if isinstance(value, dt.date):
        return _Lastmod(value.isoformat(), dt.datetime(value.year, value.month, value.day,
                                                       tzinfo=dt.UTC))
    text = str(value).strip()
    if not text:
        return None
    return _parse_lastmod_text(text)


# --- building -------------------------------------------------------------------------------


class SitemapFiles(list):  # type: ignore[type-arg]
    """The files to upload, as ``(filename, xml bytes)`` pairs, index first when split.

    ``skipped`` lists the URLs left out and why, and the ``lastmod`` values refused
    (``lastmod_invalid``: the URL is kept without one) or rewritten
    (``lastmod_rewritten``), as findings columns plus ``file, line, value``;
    ``base_url`` is where the files belong.  A plain list otherwise.
    """

    def __init__(self, files: Iterable[tuple[str, bytes]], *, skipped: pd.DataFrame,
                 base_url: str, urls: int) -> None:
        super().__init__(files)
        self.skipped = skipped
        self.base_url = base_url
        self.urls = urls

    def write(self, folder: str | Path) -> list[Path]:
        """Write every file into ``folder`` (created if needed); return the paths."""
        target = Path(folder)
        try:
            target.mkdir(parents=True, exist_ok=True)
            paths = []
            for name, data in self:
                (target / name).write_bytes(data)
                paths.append(target / name)
        except OSError as error:
            raise InputError(f"cannot write sitemaps to {str(target)!r}: "
                             f"{error.strerror or error}.") from None
        return paths

    @property
    def left_out(self) -> int:
        """How many URLs are not in the files (``skipped`` rows not about a lastmod)."""
        checks = self.skipped["check"].astype(str)
        return int((~checks.str.startswith("lastmod_")).sum())

    def __repr__(self) -> str:
        names = ", ".join(name for name, _ in self)
        return (f"SitemapFiles({self.urls} URLs in {len(self)} file(s): {names}; "
                f"{self.left_out} URL(s) left out)")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{_xml_escape(name)}</td><td>{len(data):,}</td></tr>"
                       for name, data in self)
        return (f"<table><caption>{self.urls:,} URLs in {len(self)} sitemap file(s), "
                f"{self.left_out} left out; upload to {_xml_escape(self.base_url)}</caption>"
                f"<tr><th>file</th><th>bytes</th></tr>{rows}</table>")


def _is_file(text: str) -> bool:
    try:
        return len(text) < 4096 and Path(text).is_file()
    except (OSError, ValueError):
        return False


def _url_values(urls: object, lastmod: object) -> tuple[list[object], list[object], list[str]]:
    """``(urls, lastmods, where)`` from a list, Series, DataFrame or CSV path."""
    if isinstance(urls, pd.DataFrame | Path) or (isinstance(urls, str) and _is_file(urls)):
        table = read_table(urls, what="URL list")
        rename_columns(table, {"url": ("loc", "address", "page"),
                               "lastmod": ("last modified", "last_modified", "modified")},
                       required=("url",), what="URL list")
        frame = table.frame
        values = frame["url"].tolist()
        dates = frame["lastmod"].tolist() if "lastmod" in frame.columns else [None] * len(values)
        return values, dates, [table.where(i) for i in range(len(values))]
    if isinstance(urls, str):
        urls = [urls]
    if isinstance(urls, pd.Series):
        urls = urls.tolist()
    if not isinstance(urls, Iterable):
        raise InputError(f"urls: expected a list of URLs, a DataFrame or a CSV path, got "
                         f"{type(urls).__name__}.")
    values = list(urls)
    return values, [None] * len(values), [f"urls item {i + 1}" for i in range(len(values))]


def _skip(rows: list[dict[str, Any]], url: object, where: str, check: str, technical: str,
          *, severity: str = "error", business: str = "This URL is left out of the sitemap.",
          source: str = SRC_PROTOCOL) -> None:
    rows.append({"subject": str(url)[:200], "check": check, "severity": severity,
                 "business": business, "technical": technical, "source": source,
                 "file": where, "line": None, "value": str(url)[:200]})


def build_sitemaps(
    urls: object,
    base_url: str,
    *,
    lastmod: object = None,
    max_urls: int = MAX_URLS,
    max_bytes: int = MAX_BYTES,
) -> SitemapFiles:
    """Sitemap files for ``urls``, to be served from ``base_url``: ``[(filename, bytes)]``.

    ``urls``: a list or Series of URLs (absolute, or paths starting with ``/``), or a
    DataFrame / CSV path with a ``url`` column and optionally ``lastmod``.  ``lastmod``:
    one date for every URL (a ``date``, a time-zone-aware ``datetime`` or a W3C Datetime
    string; checked once), a mapping or Series ``url → date``, or None (the ``lastmod``
    column, if any).  Each value goes through :func:`normalise_lastmod`: one it must
    rewrite is reported in ``.skipped`` as ``lastmod_rewritten`` (info), one it refuses as
    ``lastmod_invalid`` (warning; the URL stays, without a lastmod), naming the row.

    One file ``sitemap.xml`` when the URLs fit; otherwise ``sitemap-1.xml``,
    ``sitemap-2.xml``… of at most ``max_urls`` URLs and ``max_bytes`` bytes each, and
    ``sitemap.xml`` as their sitemap index (listed first).  URLs of another scheme, host
    or port, outside ``base_url``'s folder, 2,048 characters or longer, or not URLs at
    all are left out and listed in ``.skipped``, as are repeats.  No ``<priority>`` or
    ``<changefreq>``: Google ignores them.
    """
    site, folder = sitemap_location(base_url)
    if not 1 <= max_urls <= MAX_URLS or max_bytes > MAX_BYTES:
        raise InputError(f"max_urls must be 1–{MAX_URLS:,} and max_bytes at most {MAX_BYTES:,}.")
    values, dates, wheres = _url_values(urls, lastmod)
    skipped: list[dict[str, Any]] = []
    shared: _Lastmod | None = None
    if isinstance(lastmod, pd.Series):  # indexed by URL
        lastmod = lastmod.to_dict()
    if isinstance(lastmod, Mapping):
        by_key = {url_key(str(k), site): v for k, v in lastmod.items()}
    elif lastmod is not None:  # one value for every URL: checked and reported once
        try:
            shared = _lastmod(lastmod)
        except ValueError as error:
            _skip(skipped, lastmod, "lastmod argument", "lastmod_invalid",
                  f"lastmod argument: {error}. Every URL is listed without a lastmod.",
                  severity="warning", business="Google cannot tell when these pages changed.",
                  source=SRC_PROTOCOL + "; " + SRC_GOOGLE)
        else:
            if shared is not None and shared.note:
                _skip(skipped, lastmod, "lastmod argument", "lastmod_rewritten",
                      f"lastmod argument: {shared.note}.", severity="info",
                      business="Same date, written the way the sitemap schema accepts it.")
    entries: list[tuple[bytes, _Lastmod | None]] = []
    seen: dict[str, str] = {}
    for value, date, where in zip(values, dates, wheres, strict=True):
        if not isinstance(value, str) or not value.strip():
            _skip(skipped, value, where, "not_a_url", "Empty cell or not text; give a URL.")
            continue
        text = value.strip()
        absolute = site + text if text.startswith("/") and not text.startswith("//") else text
        key = url_key(_escape_url(absolute))
        if key is None:
            _skip(skipped, value, where, "not_a_url",
                  f"{text[:120]!r} is not an absolute http(s) URL or a path starting with /.")
            continue
        parts = parse_url(key)
        if parts.origin != site:
            _skip(skipped, value, where, "other_host",
                  f"{key[:120]} is not on {site}; a sitemap lists one scheme, host and port only "
                  "(http and https, www and no-www count as different).")
            continue
        if not (parts.path or "/").startswith(folder):
            _skip(skipped, value, where, "outside_path",
                  f"{key[:120]} is outside {folder}; a sitemap at {site}{folder} may only list "
                  f"URLs under {folder}. Serve the sitemap from a higher folder.")
            continue
        if len(key) >= MAX_URL_LENGTH:
            _skip(skipped, value, where, "too_long",
                  f"The URL has {len(key):,} characters; sitemaps.org allows fewer than "
                  f"{MAX_URL_LENGTH:,}.")
            continue
        if key in seen:
            _skip(skipped, value, where, "duplicate", f"Already listed ({seen[key]}).",
                  severity="info", business="Listed once is enough.")
            continue
        seen[key] = where
        if lastmod is not None and not isinstance(lastmod, Mapping):
            stamp = shared
        else:
            if isinstance(lastmod, Mapping):
                date = by_key.get(key)
            stamp = _entry_lastmod(skipped, value, where, date)
        entry = f"<url><loc>{_xml_escape(key)}</loc>"
        if stamp is not None:
            entry += f"<lastmod>{stamp.text}</lastmod>"
        entries.append(((entry + "</url>\n").encode("utf-8"), stamp))
    skipped_frame = findings_frame(pd.DataFrame(skipped, columns=[
        "subject", "check", "severity", "business", "technical", "source", *_EXTRA],
        dtype=object), extra=_EXTRA)
    if not entries:
        raise InputError(
            "No URL can go in the sitemap.",
            [f"{row['file']}: {row['technical']}" for row in skipped] or ["the URL list is empty"],
            hint=f"List pages of {site}{folder} as absolute URLs or /paths.",
        )
    chunks = _split(entries, max_urls, max_bytes)
    location = site + folder
    if len(chunks) == 1:
        files = [("sitemap.xml", _urlset(chunks[0]))]
    else:
        if len(chunks) > MAX_URLS:
            raise InputError(f"{len(entries):,} URLs need {len(chunks):,} sitemaps; one index "
                             f"lists at most {MAX_URLS:,}.", hint="Split the site by folder.")
        parts_files = [(f"sitemap-{n}.xml", _urlset(chunk)) for n, chunk in
                       enumerate(chunks, start=1)]
        index = _index([(location + name, _latest(stamp for _, stamp in chunk))
                        for (name, _), chunk in zip(parts_files, chunks, strict=True)])
        files = [("sitemap.xml", index), *parts_files]
    return SitemapFiles(files, skipped=skipped_frame, base_url=location, urls=len(entries))


def _entry_lastmod(skipped: list[dict[str, Any]], url: object, where: str, date: object
                   ) -> _Lastmod | None:
    """One URL's lastmod, its refusal or rewrite reported in ``skipped`` (naming the row)."""
    try:
        stamp = _lastmod(date)
    except ValueError as error:
        _skip(skipped, url, where, "lastmod_invalid",
              f"{where}: lastmod {error}. The URL is listed without a lastmod.",
              severity="warning", business="Google cannot tell when this page last changed.",
              source=SRC_PROTOCOL + "; " + SRC_GOOGLE)
        return None
    if stamp is not None and stamp.note:
        _skip(skipped, url, where, "lastmod_rewritten", f"{where}: lastmod {stamp.note}.",
              severity="info", business="Same date, written the way the sitemap schema accepts "
              "it.")
    return stamp


_HEAD = (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n').encode()
_FOOT = b"</urlset>\n"


def _split(entries: list[tuple[bytes, _Lastmod | None]], max_urls: int, max_bytes: int
           ) -> list[list[tuple[bytes, _Lastmod | None]]]:
    """Greedy split: a new file when the next URL would pass either limit."""
    room = max_bytes - len(_HEAD) - len(_FOOT)
    chunks: list[list[tuple[bytes, _Lastmod | None]]] = [[]]
    size = 0
    for entry in entries:
        if len(entry[0]) > room:
            raise InputError(f"max_bytes={max_bytes} cannot hold even one URL entry.")
        if len(chunks[-1]) >= max_urls or size + len(entry[0]) > room:
            chunks.append([])
            size = 0
        chunks[-1].append(entry)
        size += len(entry[0])
    return chunks


def _latest(stamps: Iterable[_Lastmod | None]) -> str | None:
    """The latest ``lastmod`` as an instant, compared across time zones (not as text).

    ``2024-05-01T23:30:00-05:00`` is later than ``2024-05-02T03:00:00+00:00``, though
    it sorts first as a string.  A date without a time counts as 00:00 UTC that day (an
    assumption: the protocol says nothing about comparing the two forms).
    """
    best: _Lastmod | None = None
    for stamp in stamps:
        if stamp is not None and (best is None or stamp.instant > best.instant):
            best = stamp
    return None if best is None else best.text


def _urlset(chunk: list[tuple[bytes, _Lastmod | None]]) -> bytes:
    return _HEAD + b"".join(entry for entry, _ in chunk) + _FOOT


def _index(sitemaps: list[tuple[str, str | None]]) -> bytes:
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">']
    for loc, stamp in sitemaps:
        lines.append(f"<sitemap><loc>{_xml_escape(loc)}</loc>"
                     + (f"<lastmod>{stamp}</lastmod>" if stamp else "") + "</sitemap>")
    lines.append("</sitemapindex>\n")
    return "\n".join(lines).encode("utf-8")


# --- validating -----------------------------------------------------------------------------


class _Report:
    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: list[dict[str, Any]] = []

    def add(self, check: str, severity: str, subject: str, business: str, technical: str, *,
            line: int | None = None, value: object = None, source: str = SRC_PROTOCOL) -> None:
        self.rows.append({"subject": subject[:200], "check": check, "severity": severity,
                          "business": business, "technical": technical, "source": source,
                          "file": self.name, "line": line, "value": value})

    def frame(self) -> pd.DataFrame:
        return findings_frame(pd.DataFrame(self.rows, columns=[
            "subject", "check", "severity", "business", "technical", "source", *_EXTRA],
            dtype=object), extra=_EXTRA)


def _read(xml: bytes | str | Path, report: _Report) -> bytes | None:
    """The uncompressed bytes (at most MAX_BYTES + 1), or None after reporting why not."""
    if isinstance(xml, Path) or (isinstance(xml, str) and xml.strip()
                                 and not xml.lstrip().startswith("<")):
        path = Path(xml)
        report.name = path.name
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise InputError(f"{path}: cannot read the sitemap ({error.strerror or error}).",
                             hint="Check the path.") from None
    elif isinstance(xml, str):
        data = xml.encode("utf-8")
    elif isinstance(xml, bytes | bytearray):
        data = bytes(xml)
    else:
        raise InputError(f"validate_sitemap: expected XML bytes, text or a file path, got "
                         f"{type(xml).__name__}.")
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(MAX_BYTES + 1)
        except (OSError, EOFError) as error:
            report.add("unreadable", "error", report.name, "Google cannot read this sitemap.",
                       f"Broken gzip data: {error}.")
            return None
    return data


def validate_sitemap(xml: bytes | str | Path, *, base_url: str | None = None,
                     name: str = "sitemap") -> pd.DataFrame:
    """Check a sitemap or sitemap index against the protocol; one finding per problem.

    ``xml``: the file's bytes or text, or its path (``.xml`` or ``.xml.gz``).
    ``base_url``: where the file is served (its URL or its folder's); without it, URLs
    are checked against the first ``<loc>``'s scheme and host, and paths are not checked.
    Returns the findings columns plus ``file, line, value``; an empty frame means valid.
    """
    report = _Report(name)
    data = _read(xml, report)
    if data is None:
        return report.frame()
    if len(data) > MAX_BYTES:
        report.add("too_large", "error", report.name,
                   "Google reads no further than 50 MB (uncompressed) per sitemap: split it.",
                   f"More than {MAX_BYTES:,} bytes uncompressed; split it into several files "
                   "listed by a sitemap index.")
        return report.frame()
    unsafe = _unsafe_prolog(data)
    if unsafe:
        _report_unsafe(report, unsafe)
        return report.frame()
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        report.add("unreadable", "error", report.name, "Google cannot read this sitemap at all.",
                   f"Not well-formed XML: {error.msg} (line {error.lineno}). An unescaped & in a "
                   "URL is the usual cause: write &amp;.", line=error.lineno)
        return report.frame()
    unsafe = _unsafe_tree(root)
    if unsafe:
        _report_unsafe(report, unsafe)
        return report.frame()
    encoding = (root.getroottree().docinfo.encoding or "UTF-8").upper()
    if encoding.replace("_", "-") not in ("UTF-8", "UTF8"):
        report.add("encoding", "error", report.name, "Sitemaps must be UTF-8 text.",
                   f"The file declares encoding {encoding}; save it as UTF-8.")
    tag = etree.QName(root)
    if tag.namespace != NAMESPACE or tag.localname not in ("urlset", "sitemapindex"):
        report.add("not_sitemap", "error", report.name, "This file is not a sitemap Google reads.",
                   f"Root element {{{tag.namespace}}}{tag.localname}; expected <urlset> or "
                   f"<sitemapindex> with xmlns=\"{NAMESPACE}\".", line=root.sourceline)
        return report.frame()
    child = "url" if tag.localname == "urlset" else "sitemap"
    entries = [el for el in root if isinstance(el.tag, str)
               and etree.QName(el).localname == child and etree.QName(el).namespace == NAMESPACE]
    if len(entries) > MAX_URLS:
        report.add("too_many_urls", "error", report.name,
                   f"Google reads at most {MAX_URLS:,} entries per file: the rest is ignored.",
                   f"{len(entries):,} <{child}> entries; split the file and list the parts in a "
                   "sitemap index.", value=len(entries))
    if not entries:
        report.add("empty", "error", report.name, "The sitemap lists nothing.",
                   f"No <{child}> entries in <{tag.localname}>.")
    site, folder = sitemap_location(base_url) if base_url else (None, None)
    seen: dict[str, int] = {}
    ignored: dict[str, int] = {}
    stamps: list[str | dt.datetime] = []
    for entry in entries:
        fields: dict[str, list[Any]] = {}
        for element in entry:
            if isinstance(element.tag, str):
                fields.setdefault(etree.QName(element).localname, []).append(element)
        line = entry.sourceline
        locs = fields.get("loc", [])
        if len(locs) != 1:
            report.add("loc_missing", "error", report.name, "An entry without one address.",
                       f"<{child}> on line {line} has {len(locs)} <loc> elements; it needs one.",
                       line=line)
            continue
        loc = (locs[0].text or "").strip()
        if site is None:
            first = url_key(loc)
            if first:
                parts = parse_url(first)
                site, folder = parts.origin, None
        _check_loc(report, loc, line, site, folder, seen)
        for name in ("priority", "changefreq"):
            if name in fields:
                ignored[name] = ignored.get(name, 0) + 1
                _check_value(report, name, (fields[name][0].text or "").strip(), line)
        if "lastmod" in fields:
            element = fields["lastmod"][0]
            stamp = (element.text or "").strip()
            instant = _check_lastmod(report, stamp, loc, element.sourceline or line)
            stamps.append(instant if instant is not None else stamp)
    if len(stamps) >= UNIFORM_LASTMOD_MIN and len(set(stamps)) == 1:
        first = stamps[0]
        shown = first.isoformat() if isinstance(first, dt.datetime) else first[:40]
        report.add("lastmod_uniform", "warning", report.name,
                   "Every page claims the same last change: Google learns to ignore these dates.",
                   f"All {len(stamps):,} entries carry lastmod {shown!r} (the same instant), "
                   "which looks like the build date. Write each page's own last significant "
                   "change, or leave lastmod out.", value=shown, source=SRC_GOOGLE)
    for name, count in ignored.items():
        report.add("ignored_by_google", "info", report.name,
                   f"Google ignores <{name}>: it changes nothing for crawling or ranking.",
                   f"{count:,} entries carry <{name}>; harmless, but no lever. Keep <lastmod> "
                   "accurate instead.", value=count, source=SRC_GOOGLE)
    return report.frame()


_XINCLUDE = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_DATE_WITH_ZONE = re.compile(r"\d{4}-\d{2}-\d{2}(?:Z|[+-]\d{2}:\d{2})")
_ROOT_START = re.compile(rb"<[A-Za-z_:]")
_ENTITY_NAME = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s>]+)", re.IGNORECASE)
_EXTERNAL = re.compile(rb"(?:SYSTEM|PUBLIC)\s+(?:\"[^\"]*\"|'[^']*')(?:\s+(?:\"[^\"]*\"|'[^']*'))?")
_ENTITY_USE = re.compile(rb"&([A-Za-z_][\w.-]*);")


def _parser() -> etree.XMLParser:
    """A parser that expands no entity, loads no DTD and reaches no network or file."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, remove_comments=True, huge_tree=False)


def _unsafe_prolog(data: bytes) -> list[str]:
    """Reasons found before parsing: a DOCTYPE or ENTITY before the root element.

    Looked for in the raw bytes so a hostile DTD never reaches the XML parser at all
    (the parser is safe anyway: :func:`_unsafe_tree` is the second net, e.g. for UTF-16).
    """
    root = _ROOT_START.search(data)
    prolog = data[: root.start()] if root else data
    if not _DOCTYPE.search(prolog):
        return []
    reasons = ["a DOCTYPE declaration"]
    names = [name.decode("utf-8", "replace") for name in _ENTITY_NAME.findall(prolog)]
    if names:
        reasons.append("entity declarations: " + ", ".join(names[:10]))
    external = [match.group(0).decode("utf-8", "replace")[:120]
                for match in _EXTERNAL.finditer(prolog)]
    if external:
        reasons.append("references to outside files: " + ", ".join(external[:3]))
    body = data[root.start():] if root else b""
    offset = root.start() if root else 0
    used = [(match.group(0).decode("utf-8", "replace"),
             data.count(b"\n", 0, offset + match.start()) + 1)
            for match in _ENTITY_USE.finditer(body)
            if match.group(1) not in (b"amp", b"lt", b"gt", b"quot", b"apos")]
    if used:
        reasons.append("entity references (never expanded here): " + ", ".join(
            f"{text} on line {line}" for text, line in used[:10]))
    return reasons


def _unsafe_tree(root: etree._Element) -> list[str]:
    """Reasons found in the parsed tree: DOCTYPE, declared or used entities, XInclude."""
    reasons = []
    info = root.getroottree().docinfo
    if info.doctype or info.system_url or info.public_id:
        reasons.append(f"a DOCTYPE declaration ({info.doctype or info.system_url})")
    dtd = info.internalDTD
    if dtd is not None:
        names = [entity.name for entity in dtd.iterentities()]
        if names:
            reasons.append("entity declarations: " + ", ".join(sorted(names)[:10]))
    used = [(entity.text, entity.sourceline) for entity in root.iter(etree.Entity)]
    if used:
        reasons.append("entity references left unexpanded: " + ", ".join(
            f"{text} on line {line}" for text, line in used[:10]))
    included = [element for element in root.iter()
                if isinstance(element.tag, str) and etree.QName(element).namespace in _XINCLUDE]
    if included:
        reasons.append(f"XInclude elements (<{etree.QName(included[0]).localname}> on line "
                       f"{included[0].sourceline})")
    return reasons


def _report_unsafe(report: _Report, reasons: list[str]) -> None:
    report.add("unsafe_xml", "error", report.name,
               "This file is not a plain sitemap; crawlers may reject it, and what it lists "
               "cannot be trusted.",
               "The file contains " + "; ".join(reasons) + ". A sitemap needs no DTD, entity "
               "or XInclude: remove them and write the characters themselves (& as &amp;). "
               "Nothing was expanded or fetched: an address written with an entity would be "
               "read cut short at it.", line=None, source=SRC_PROTOCOL)


def _check_lastmod(report: _Report, stamp: str, loc: str, line: int | None
                   ) -> dt.datetime | None:
    """Report a ``lastmod`` the XSD or the W3C note rejects; its instant when readable."""
    business = "Google cannot use this date."
    source = SRC_PROTOCOL + "; sitemap.xsd 0.9 (tLastmod: xsd:date or xsd:dateTime); " + SRC_GOOGLE
    try:
        parsed = _parse_lastmod_text(stamp)
    except ValueError as error:
        if _LASTMOD.fullmatch(stamp) and "no time zone" in str(error):
            report.add("lastmod_no_timezone", "warning", loc or report.name,
                       "Google may read this time in the wrong time zone.",
                       f"lastmod {error} (the XML schema accepts it, the W3C Datetime note "
                       "the protocol names does not).", line=line, value=stamp[:60],
                       source=source)
            return None
        report.add("lastmod_invalid", "error", loc or report.name, business,
                   f"lastmod on line {line}: {error}.", line=line, value=stamp[:60],
                   source=source)
        return None
    if parsed.text != stamp and not _date_with_zone(stamp):
        report.add("lastmod_invalid", "error", loc or report.name, business,
                   f"lastmod on line {line}: {stamp[:60]!r} is not written as the sitemaps.org "
                   f"schema and the W3C Datetime note require ({'; '.join(parsed.reasons)}); "
                   f"write {parsed.text!r}.", line=line, value=stamp[:60], source=source)
    return parsed.instant


def _date_with_zone(stamp: str) -> bool:
    """``2024-05-01+02:00``: valid for the XSD (xsd:date); the builder drops the zone."""
    return _DATE_WITH_ZONE.fullmatch(stamp) is not None


def _check_value(report: _Report, name: str, text: str, line: int | None) -> None:
    if name == "priority":
        try:
            ok = 0.0 <= float(text) <= 1.0
        except ValueError:
            ok = False
        allowed = "a number from 0.0 to 1.0"
    else:
        ok = text in _CHANGEFREQ
        allowed = "one of " + ", ".join(sorted(_CHANGEFREQ))
    if not ok:
        report.add("invalid_value", "error", report.name, "A value the protocol does not allow.",
                   f"<{name}> {text[:40]!r} on line {line}: must be {allowed}.", line=line,
                   value=text[:40])


def _check_loc(report: _Report, loc: str, line: int | None, site: str | None,
               folder: str | None, seen: dict[str, int]) -> None:
    business = "Google drops this address from the sitemap."
    if len(loc) >= MAX_URL_LENGTH:
        report.add("too_long", "error", loc, business,
                   f"{len(loc):,} characters; sitemaps.org allows fewer than {MAX_URL_LENGTH:,}.",
                   line=line)
        return
    if _NEEDS_ESCAPE.search(loc) or _BAD_PERCENT.search(loc):
        report.add("not_escaped", "error", loc, business,
                   "The URL contains spaces, non-ASCII or other characters that must be "
                   f"percent-encoded (RFC 3986): write {_escape_url(loc)[:150]}.", line=line)
        return
    key = url_key(loc)
    if key is None:
        report.add("loc_invalid", "error", loc or "(empty)", business,
                   f"<loc> {loc[:120]!r} is not an absolute http(s) URL.", line=line)
        return
    parts = parse_url(key)
    here = parts.origin
    if site is not None and here != site:
        report.add("other_host", "error", loc, business,
                   f"{here} is not {site}: all URLs of a sitemap share the scheme, host and port "
                   "of the sitemap's own location.", line=line)
        return
    if folder is not None and not (parts.path or "/").startswith(folder):
        report.add("outside_path", "error", loc, business,
                   f"Path {parts.path} is outside {folder}, the folder the sitemap is served "
                   "from; move the sitemap up or list only URLs below it.", line=line)
        return
    if key in seen:
        report.add("duplicate", "warning", loc, "The same address is listed twice.",
                   f"Also on line {seen[key]}; list each URL once.", line=line)
        return
    seen[key] = line or 0


def sitemap_urls(xml: bytes | str | Path) -> list[str]:
    """The ``<loc>`` URLs a sitemap lists (path, bytes or text); InputError when unreadable."""
    report = _Report("sitemap")
    data = _read(xml, report)
    if data is None or len(data) > MAX_BYTES:
        raise InputError(f"{report.name}: cannot read the sitemap (broken gzip or over "
                         f"{MAX_BYTES:,} bytes).")
    unsafe = _unsafe_prolog(data)
    try:
        root = None if unsafe else etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise InputError(f"{report.name} line {error.lineno}: not well-formed XML "
                         f"({error.msg}).",
                         hint="Run `crosstalk sitemap validate` on it for details.") from None
    if root is not None:
        unsafe = _unsafe_tree(root)
    if unsafe or root is None:
        raise InputError(f"{report.name}: not a plain sitemap: it contains "
                         + "; ".join(unsafe) + ". Nothing was expanded or fetched.",
                         hint="Remove the DOCTYPE, entities and XInclude; run `crosstalk "
                              "sitemap validate` on it for details.")
    return [(element.text or "").strip() for element in root.iter(f"{{{NAMESPACE}}}loc")]
