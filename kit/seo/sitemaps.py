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
* ``<lastmod>`` is a W3C Datetime (``2024-05-01`` or ``2024-05-01T10:00:00+00:00``).

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
from urllib.parse import quote, urlsplit

import pandas as pd
from lxml import etree

from kit.errors import InputError
from kit.findings import findings_frame
from kit.seo.pages import url_key
from kit.tables import read_table, rename_columns

__all__ = [
    "MAX_BYTES",
    "MAX_URLS",
    "MAX_URL_LENGTH",
    "NAMESPACE",
    "SitemapFiles",
    "build_sitemaps",
    "lastmod_text",
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
_W3C = re.compile(
    r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01])"
    r"(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?"
    r")?)?$"
)
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
    if key is None or urlsplit(base_url.strip()).query:
        raise InputError(f"base URL {base_url!r} is not an http(s) URL without a query, like "
                         "https://www.example.com/ .",
                         hint="Give the URL of the folder the sitemap will be served from.")
    parts = urlsplit(key)
    site = f"{parts.scheme}://{parts.netloc}"
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


def lastmod_text(value: object) -> str | None:
    """A W3C Datetime string for ``value``; None for no value; ValueError when invalid."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"{value.isoformat()} has a time but no time zone; add one "
                             "(e.g. +00:00) or give only the date")
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if not _W3C.match(text):
        raise ValueError(f"{text!r} is not a W3C Datetime such as 2024-05-01 or "
                         "2024-05-01T10:00:00+00:00")
    return text


# --- building -------------------------------------------------------------------------------


class SitemapFiles(list):  # type: ignore[type-arg]
    """The files to upload, as ``(filename, xml bytes)`` pairs, index first when split.

    ``skipped`` lists the URLs left out and why (findings columns plus ``file, line,
    value``); ``base_url`` is where the files belong.  A plain list otherwise.
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

    def __repr__(self) -> str:
        names = ", ".join(name for name, _ in self)
        return (f"SitemapFiles({self.urls} URLs in {len(self)} file(s): {names}; "
                f"{len(self.skipped)} URL(s) left out)")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{_xml_escape(name)}</td><td>{len(data):,}</td></tr>"
                       for name, data in self)
        return (f"<table><caption>{self.urls:,} URLs in {len(self)} sitemap file(s), "
                f"{len(self.skipped)} left out; upload to {_xml_escape(self.base_url)}</caption>"
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
    string), a mapping ``url → date``, or None (the ``lastmod`` column, if any).

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
    if isinstance(lastmod, Mapping):
        by_key = {url_key(str(k), site): v for k, v in lastmod.items()}
    skipped: list[dict[str, Any]] = []
    entries: list[tuple[bytes, str | None]] = []
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
        parts = urlsplit(key)
        if f"{parts.scheme}://{parts.netloc}" != site:
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
        if isinstance(lastmod, Mapping):
            date = by_key.get(key)
        elif lastmod is not None:
            date = lastmod
        try:
            stamp = lastmod_text(date)
        except ValueError as error:
            _skip(skipped, value, where, "lastmod_invalid",
                  f"lastmod {error}; the URL is listed without a lastmod.", severity="warning",
                  business="Google cannot tell when this page last changed.", source=SRC_GOOGLE)
            stamp = None
        entry = f"<url><loc>{_xml_escape(key)}</loc>"
        if stamp:
            entry += f"<lastmod>{stamp}</lastmod>"
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
        index = _index([(location + name, max((s for _, s in chunk if s), default=None))
                        for (name, _), chunk in zip(parts_files, chunks, strict=True)])
        files = [("sitemap.xml", index), *parts_files]
    return SitemapFiles(files, skipped=skipped_frame, base_url=location, urls=len(entries))


_HEAD = (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n').encode()
_FOOT = b"</urlset>\n"


def _split(entries: list[tuple[bytes, str | None]], max_urls: int, max_bytes: int
           ) -> list[list[tuple[bytes, str | None]]]:
    """Greedy split: a new file when the next URL would pass either limit."""
    room = max_bytes - len(_HEAD) - len(_FOOT)
    chunks: list[list[tuple[bytes, str | None]]] = [[]]
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


def _urlset(chunk: list[tuple[bytes, str | None]]) -> bytes:
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
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                             remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        report.add("unreadable", "error", report.name, "Google cannot read this sitemap at all.",
                   f"Not well-formed XML: {error.msg} (line {error.lineno}). An unescaped & in a "
                   "URL is the usual cause: write &amp;.", line=error.lineno)
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
    stamps: list[str] = []
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
                parts = urlsplit(first)
                site, folder = f"{parts.scheme}://{parts.netloc}", None
        _check_loc(report, loc, line, site, folder, seen)
        for name in ("priority", "changefreq"):
            if name in fields:
                ignored[name] = ignored.get(name, 0) + 1
                _check_value(report, name, (fields[name][0].text or "").strip(), line)
        if "lastmod" in fields:
            stamp = (fields["lastmod"][0].text or "").strip()
            stamps.append(stamp)
            if not _W3C.match(stamp):
                report.add("lastmod_invalid", "error", loc or report.name,
                           "Google cannot use this date.",
                           f"lastmod {stamp[:60]!r} is not a W3C Datetime (2024-05-01 or "
                           "2024-05-01T10:00:00+00:00).", line=line, value=stamp[:60],
                           source=SRC_PROTOCOL + "; " + SRC_GOOGLE)
    if len(stamps) >= UNIFORM_LASTMOD_MIN and len(set(stamps)) == 1:
        report.add("lastmod_uniform", "warning", report.name,
                   "Every page claims the same last change: Google learns to ignore these dates.",
                   f"All {len(stamps):,} entries carry lastmod {stamps[0][:40]!r}, which looks "
                   "like the build date. Write each page's own last significant change, or leave "
                   "lastmod out.", value=stamps[0][:40], source=SRC_GOOGLE)
    for name, count in ignored.items():
        report.add("ignored_by_google", "info", report.name,
                   f"Google ignores <{name}>: it changes nothing for crawling or ranking.",
                   f"{count:,} entries carry <{name}>; harmless, but no lever. Keep <lastmod> "
                   "accurate instead.", value=count, source=SRC_GOOGLE)
    return report.frame()


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
    parts = urlsplit(key)
    here = f"{parts.scheme}://{parts.netloc}"
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
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InputError(f"{report.name} line {error.lineno}: not well-formed XML "
                         f"({error.msg}).",
                         hint="Run `crosstalk sitemap validate` on it for details.") from None
    return [(element.text or "").strip() for element in root.iter(f"{{{NAMESPACE}}}loc")]
