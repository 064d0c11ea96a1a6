"""Pages in, one row of SEO facts per page out: the table every check reads.

Three kinds of input give the same table (:data:`PAGE_COLUMNS`):

* fetched pages: a list of :class:`Page` or of mappings, or a DataFrame, with
  ``url, status, html`` and optionally ``headers`` (a mapping, or ``Name: value`` lines);
* a folder of saved ``.html`` files (:func:`load_html_folder`), served under a base URL;
* a Screaming Frog-style crawl export (:func:`load_crawl`): ``Address, Status Code,
  Title 1, Meta Description 1, H1-1, Canonical Link Element 1, Meta Robots 1,
  X-Robots-Tag 1, Inlinks`` and friends, where the crawler has already read the HTML.

HTML is parsed with lxml's forgiving HTML parser (libxml2), which repairs broken
markup the way browsers roughly do: an element that does not belong in ``<head>``
(a ``<div>``, an ``<img>``) closes it, so a canonical link after it lands in
``<body>``, where Google ignores it.  Bytes are decoded with the charset of the
``Content-Type`` header, else of a ``<meta charset>``, else UTF-8; bytes that do not
decode become U+FFFD and the row says so in ``problem``.  Googlebot reads the first
15 MB of an HTML file (Google Search Central, "Googlebot"); so does this parser.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from kit.errors import InputError
from kit.tables import Table, read_table, rename_columns
from kit.urls import query_of, url_key  # url_key: the one URL identity, re-exported here

__all__ = [
    "GOOGLEBOT_MAX_BYTES",
    "PAGE_COLUMNS",
    "Page",
    "extract_page",
    "load_crawl",
    "load_html_folder",
    "page_table",
    "url_key",
]

GOOGLEBOT_MAX_BYTES = 15 * 1024 * 1024
PAGE_COLUMNS: tuple[str, ...] = (
    "url", "key", "status", "where", "problem", "title", "title_count", "description",
    "description_count", "h1", "h1_count", "canonical", "canonical_count", "canonical_in_body",
    "robots", "keywords", "links", "inlinks", "size",
)
"""``url`` as given, ``key`` its normalised absolute form (None if it is no URL),
``status`` (int, 0 for no response), ``where`` (file line, row, item or file name),
``problem`` (why the page could not be read fully, else None), the first ``title``
and ``description`` (None when absent or empty) and how many there are, the first
``h1`` and the number of non-empty ones, ``canonical`` (absolute, as written, or None),
``canonical_count`` (distinct canonical targets in ``<head>``), ``canonical_in_body``,
``robots`` (Googlebot's directives from meta robots / meta googlebot / X-Robots-Tag,
lower case, comma-separated), ``keywords`` (the meta keywords content or None),
``links`` (keys of the same-site pages it links to; None for a crawl export) and
``inlinks`` (from a crawl export; None when counted from ``links``), ``size`` (bytes)."""

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_WHITESPACE = re.compile(r"\s+")
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "ftp:", "file:", "#")
_GOOGLE_AGENTS = ("googlebot",)
_ABSOLUTE = re.compile(r"^https?://[^/?#\s]+", re.I)
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                           no_network=True, huge_tree=True, recover=True)


@dataclass(frozen=True)
class Page:
    """One fetched page: its URL, the HTTP status, the body and the response headers."""

    url: str
    status: int = 200
    html: str | bytes = ""
    headers: Mapping[str, str] = field(default_factory=dict)


# --- URLs -----------------------------------------------------------------------------


def _site_of(key: str) -> str:
    """``scheme://host[:port]`` of a key."""
    match = _ABSOLUTE.match(key)
    return match.group(0) if match else ""


# --- decoding and parsing ---------------------------------------------------------------


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    """A header's value, case-insensitive; several values joined with ``, ``."""
    if not headers:
        return None
    found = [str(value) for key, value in headers.items() if str(key).lower() == name]
    return ", ".join(found) if found else None


def parse_headers(headers: object) -> dict[str, str]:
    """Headers as a dict: a mapping, ``Name: value`` lines, or nothing (empty dict)."""
    if headers is None or (isinstance(headers, float) and headers != headers):
        return {}
    if isinstance(headers, Mapping):
        return {str(key): str(value) for key, value in headers.items()}
    if isinstance(headers, str):
        parsed: dict[str, str] = {}
        for line in headers.splitlines():
            name, sep, value = line.partition(":")
            if sep and name.strip():
                key = name.strip()
                parsed[key] = f"{parsed[key]}, {value.strip()}" if key in parsed else value.strip()
        return parsed
    return {}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: str | bytes, headers: Mapping[str, str] | None = None
                ) -> tuple[str, str | None]:
    """``(text, problem)``: the body as text, and a sentence if the bytes were faulty."""
    if isinstance(body, str):
        return body, None
    if body.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", body[len(codecs.BOM_UTF8):]
    else:
        content_type = _header(headers, "content-type") or ""
        header_match = _HEADER_CHARSET.search(content_type)
        meta_match = _META_CHARSET.search(body[:2048])
        declared = (header_match.group(1) if header_match else None) or (
            meta_match.group(1).decode("ascii", "replace") if meta_match else None)
        encoding = _codec(declared) or "utf-8"
        if declared and not _codec(declared):
            text = body.decode("utf-8", errors="replace")
            return text, f"unknown charset {declared!r}; read as UTF-8"
    try:
        return body.decode(encoding), None
    except UnicodeDecodeError as error:
        text = body.decode(encoding, errors="replace")
        return text, (f"bytes not valid {encoding} at byte {error.start} "
                      "(shown as \ufffd: mojibake in titles and snippets)")


def _text(element: Any) -> str:
    return _WHITESPACE.sub(" ", "".join(element.itertext())).strip()


def _in_body(element: Any) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == "body":
            return True
        if parent.tag == "head":
            return False
        parent = parent.getparent()
    return True


def _robots_values(name: str, content: str) -> list[str]:
    """Googlebot's directives from a meta tag named ``name`` (robots / googlebot)."""
    if name not in ("robots", *_GOOGLE_AGENTS):
        return []
    return [part.strip().lower() for part in content.split(",") if part.strip()]


def _x_robots(value: str | None) -> list[str]:
    """Googlebot's directives in an X-Robots-Tag header (``googlebot: noindex`` too)."""
    if not value:
        return []
    directives: list[str] = []
    agent: str | None = None
    for part in value.split(","):
        piece = part.strip()
        head, sep, rest = piece.partition(":")
        if sep and head.strip() and " " not in head.strip() and head.strip().lower() not in (
            "unavailable_after", "max-snippet", "max-image-preview", "max-video-preview",
        ):
            agent, piece = head.strip().lower(), rest.strip()
        if piece and (agent is None or agent in _GOOGLE_AGENTS):
            directives.append(piece.lower())
    return directives


def extract_page(url: str, status: int, body: str | bytes, headers: Mapping[str, str] | None
                 = None, *, where: str = "") -> dict[str, Any]:
    """Parse one page into a row of :data:`PAGE_COLUMNS`; never raises on bad HTML."""
    key = url_key(url)
    size = len(body) if isinstance(body, bytes) else len(body.encode("utf-8", "surrogatepass"))
    row: dict[str, Any] = dict.fromkeys(PAGE_COLUMNS)
    row.update(url=url, key=key, status=status, where=where, size=size, title_count=0,
               description_count=0, h1_count=0, canonical_count=0, canonical_in_body=False,
               links=(), robots="")
    directives = _x_robots(_header(headers, "x-robots-tag"))
    problems: list[str] = []
    if size > GOOGLEBOT_MAX_BYTES:
        problems.append(f"page is {size:,} bytes; Googlebot reads only the first "
                        f"{GOOGLEBOT_MAX_BYTES:,}")
        body = body[:GOOGLEBOT_MAX_BYTES]
    text, problem = decode_html(body, headers)
    if problem:
        problems.append(problem)
    base = key
    root = None
    if text.strip():
        try:
            root = etree.fromstring(text.encode("utf-8", "surrogatepass"), _PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
            problems.append(f"HTML could not be parsed ({error})")
    if root is None and not problems:
        problems.append("empty page: no HTML at all")
    if root is not None:
        titles: list[str] = []
        descriptions: list[str] = []
        h1s: list[str] = []
        canonicals: list[str] = []
        body_canonicals: list[str] = []
        keywords: list[str] = []
        hrefs: list[str] = []
        for element in root.iter("title", "meta", "h1", "link", "a", "base"):
            tag = element.tag
            if tag == "a":
                href = element.get("href")
                if href:
                    hrefs.append(href)
            elif tag == "meta":
                name = (element.get("name") or "").strip().lower()
                content = element.get("content") or ""
                if name == "description":
                    descriptions.append(_WHITESPACE.sub(" ", content).strip())
                elif name == "keywords":
                    keywords.append(content.strip())
                elif name:
                    directives += _robots_values(name, content)
            elif tag == "title":
                titles.append(_text(element))
            elif tag == "h1":
                heading = _text(element)
                if heading:
                    h1s.append(heading)
            elif tag == "link":
                rel = (element.get("rel") or "").lower().split()
                href = element.get("href")
                if "canonical" in rel and href is not None:
                    (body_canonicals if _in_body(element) else canonicals).append(href.strip())
            elif tag == "base" and element.get("href") and key:
                base = url_key(element.get("href"), key) or base
        row["title"] = titles[0] if titles and titles[0] else None
        row["title_count"] = sum(1 for title in titles if title)
        present = [d for d in descriptions if d]
        row["description"] = present[0] if present else None
        row["description_count"] = len(present)
        row["h1"] = h1s[0] if h1s else None
        row["h1_count"] = len(h1s)
        resolved = [url_key(href, base) or href for href in canonicals]
        row["canonical"] = resolved[0] if resolved else None
        row["canonical_count"] = len(dict.fromkeys(resolved))
        row["canonical_in_body"] = bool(body_canonicals) and not canonicals
        row["keywords"] = keywords[0] if keywords else None
        row["links"] = _internal_links(hrefs, base) if base else ()
    row["robots"] = ",".join(dict.fromkeys(directives))
    row["problem"] = "; ".join(problems) or None
    return row


def _internal_links(hrefs: list[str], base: str) -> tuple[str, ...]:
    """Keys of the same-site http(s) pages among ``hrefs`` (fragments dropped, deduplicated)."""
    site = _site_of(base)
    keys: dict[str, None] = {}
    for href in hrefs:
        href = href.strip()
        if not href or href.lower().startswith(_SKIP_SCHEMES):
            continue
        if href.startswith("/") and not href.startswith("//"):
            key = url_key(site + href)
        else:
            key = url_key(href, base)
        if key and _site_of(key) == site:
            keys[key] = None
    keys.pop(base, None)
    return tuple(keys)


# --- the three kinds of input -----------------------------------------------------------

_PAGE_ALIASES = {
    "url": ("address", "page", "loc"),
    "status": ("status code", "status_code", "code"),
    "html": ("body", "content", "source"),
    "headers": ("response headers",),
}


def _status(value: object) -> int | None:
    """An HTTP status as int (blank → 0, no response); None when it is not a number."""
    if value is None or (isinstance(value, float) and value != value):
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 1000 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and 0 <= value < 1000 else None
    text = str(value).strip()
    if not text:
        return 0
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and 0 <= number < 1000 else None


def _bad_row(url: object, where: str, problem: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(PAGE_COLUMNS)
    row.update(url=url if isinstance(url, str) else repr(url), key=None, status=None,
               where=where, problem=problem, title_count=0, description_count=0, h1_count=0,
               canonical_count=0, canonical_in_body=False, links=(), robots="", size=0)
    return row


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(PAGE_COLUMNS), dtype=object)
    frame.attrs["kind"] = "pages"
    return frame


def _from_records(records: Iterable[tuple[object, object, object, object, str]]
                  ) -> pd.DataFrame:
    rows = []
    for url, status, body, headers, where in records:
        if isinstance(status, str) and status.startswith("unreadable file"):
            rows.append(_bad_row(url, where, status))
            continue
        if status == "not a page":
            rows.append(_bad_row(url, where, f"expected a page (url, status, html), got "
                                             f"{type(url).__name__}"))
            continue
        code = _status(status)
        if code is None:
            rows.append(_bad_row(url, where, f"status {status!r} is not an HTTP status code"))
            continue
        if body is None or (isinstance(body, float) and body != body):
            body = ""
        if not isinstance(body, str | bytes):
            rows.append(_bad_row(url, where, f"html is a {type(body).__name__}, not text"))
            continue
        if not isinstance(url, str):
            rows.append(_bad_row(url, where, "the URL is not text"))
            continue
        rows.append(extract_page(url, code, body, parse_headers(headers), where=where))
    return _frame(rows)


def _is_crawl_export(columns: Iterable[object]) -> bool:
    names = {str(column).strip().lower() for column in columns}
    return "html" not in names and bool(names & {"title 1", "h1-1", "meta description 1",
                                                 "inlinks", "canonical link element 1"})


def _from_table(table: Table, what: str) -> pd.DataFrame:
    """Pages from a table with ``url, status, html[, headers]`` columns."""
    rename_columns(table, _PAGE_ALIASES, required=("url",), what=what)
    frame = table.frame
    if "html" not in frame.columns:
        raise InputError(f"{table.name}: needs an html column (the page source) or a crawl "
                         "export's columns (Title 1, H1-1, ...).",
                         hint="Give url, status, html[, headers].")
    statuses = frame["status"] if "status" in frame.columns else [200] * len(frame)
    headers = frame["headers"] if "headers" in frame.columns else [None] * len(frame)
    return _from_records(
        (url, status, body, head, table.where(position))
        for position, (url, status, body, head) in enumerate(
            zip(frame["url"], statuses, frame["html"], headers, strict=True))
    )


def page_table(pages: object, *, what: str = "pages") -> pd.DataFrame:
    """Any supported input as the table of :data:`PAGE_COLUMNS` (already-built tables pass).

    ``pages``: a list of :class:`Page` / mappings (``url, status, html[, headers]``), a
    DataFrame with those columns or a crawl export's columns, a CSV path (crawl export,
    or ``url, status, html``), or a folder of ``.html`` files.
    """
    if isinstance(pages, pd.DataFrame) and pages.attrs.get("kind") == "pages":
        return pages
    if isinstance(pages, str | Path):
        path = Path(pages)
        if path.is_dir():
            return load_html_folder(path)
        return load_crawl(path)
    if isinstance(pages, pd.DataFrame):
        if _is_crawl_export(pages.columns):
            return load_crawl(pages)
        return _from_table(read_table(pages, what=what), what)
    if isinstance(pages, Page):
        pages = [pages]
    if isinstance(pages, Mapping) or not isinstance(pages, Iterable):
        raise InputError(f"{what}: expected a list of pages, a DataFrame, a crawl CSV or a "
                         f"folder of .html files, got {type(pages).__name__}.")
    records = []
    for number, page in enumerate(pages, start=1):
        where = f"{what} item {number}"
        if isinstance(page, Page):
            records.append((page.url, page.status, page.html, page.headers, where))
        elif isinstance(page, Mapping):
            lower = {str(k).lower(): v for k, v in page.items()}
            url = lower.get("url", lower.get("address"))
            records.append((url, lower.get("status", 200), lower.get("html", ""),
                            lower.get("headers"), where))
        else:
            records.append((page, "not a page", "", None, where))
    return _from_records(records)


def load_html_folder(folder: str | Path, *, base_url: str = "https://site.invalid/",
                     pretty_urls: bool = False) -> pd.DataFrame:
    """Every ``*.html``/``*.htm`` file under ``folder`` as a 200 page of ``base_url``.

    ``index.html`` stands for its folder: ``shop/index.html`` is ``base_url + shop/``;
    ``shop/boots.html`` is ``base_url + shop/boots.html``, or ``base_url + shop/boots``
    with ``pretty_urls`` (as most static hosts serve it).  Files are read as bytes and
    decoded like a server's response (meta charset, else UTF-8).
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder.", hint="Give a folder of .html files.")
    if not url_key(base_url) or query_of(base_url.strip()):
        raise InputError(f"base URL {base_url!r} is not an http(s) URL like https://example.com/.")
    base = base_url if base_url.endswith("/") else base_url + "/"
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".html", ".htm")
                   and p.is_file())
    if not files:
        raise InputError(f"{root}: no .html files in this folder.",
                         hint="Save the pages as .html files, or give a crawl CSV.")
    records = []
    for file in files:
        relative = where = file.relative_to(root).as_posix()
        if file.name.lower() in ("index.html", "index.htm"):
            relative = relative[: -len(file.name)]
        elif pretty_urls:
            relative = relative[: -len(file.suffix)]
        try:
            body: bytes | str = file.read_bytes()
        except OSError as error:
            records.append((base + relative, f"unreadable file: {error.strerror}", "", None,
                            where))
            continue
        records.append((base + relative, 200, body, None, where))
    return _from_records(records)


_CRAWL_ALIASES = {
    "url": ("address", "page", "loc"),
    "status": ("status code", "status_code", "code"),
}


def _numbered(columns: Iterable[str], prefix: str) -> list[str]:
    """``Title 1``, ``Title 2`` … (or ``H1-1``, ``H1-2``), in number order."""
    pattern = re.compile(re.escape(prefix) + r"\s*(\d+)$", re.I)
    found = [(int(m.group(1)), c) for c in columns if (m := pattern.match(str(c).strip()))]
    return [column for _, column in sorted(found)]


def _cell(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = _WHITESPACE.sub(" ", str(value)).strip()
    return text or None


def load_crawl(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """A Screaming Frog-style crawl export (CSV path or DataFrame) as the page table.

    Recognised columns (case-insensitive): ``Address`` (required), ``Status Code``,
    ``Title 1``/``Title 2``…, ``Meta Description 1``…, ``Meta Keywords 1``, ``H1-1``/``H1-2``…,
    ``Canonical Link Element 1``…, ``Meta Robots 1``…, ``X-Robots-Tag 1``…, ``Inlinks``
    (or ``Unique Inlinks``).  A plain ``url, status, html`` CSV is parsed as pages.
    """
    table = read_table(source, what="crawl export")
    if isinstance(source, str | Path) and "html" in {c.strip().lower()
                                                     for c in table.frame.columns}:
        return _from_table(table, "pages")
    lower = {str(c).strip().lower(): c for c in table.frame.columns}
    if "status code" in lower and "status" in lower:  # Screaming Frog: "Status" is the text
        table.frame = table.frame.rename(columns={lower["status"]: "Status Text"})
    rename_columns(table, _CRAWL_ALIASES, required=("url",), what="crawl export")
    frame = table.frame
    columns = [str(c) for c in frame.columns]
    titles = _numbered(columns, "title")
    descriptions = _numbered(columns, "meta description")
    keywords = _numbered(columns, "meta keywords")
    h1s = _numbered(columns, "h1-")
    canonicals = _numbered(columns, "canonical link element")
    robots = _numbered(columns, "meta robots") + _numbered(columns, "x-robots-tag")
    lower = {c.lower(): c for c in columns}
    inlinks_column = lower.get("unique inlinks") or lower.get("inlinks")
    rows = []
    for position in range(len(frame)):
        record = frame.iloc[position]
        where = table.where(position)
        url = record["url"]
        code = _status(record["status"]) if "status" in frame.columns else 200
        if code is None:
            rows.append(_bad_row(url, where, f"status {record['status']!r} is not an HTTP "
                                             "status code"))
            continue
        row = _bad_row(url, where, None)  # type: ignore[arg-type]
        key = url_key(url)
        values = {name: [_cell(record[c]) for c in cols] for name, cols in (
            ("title", titles), ("description", descriptions), ("keywords", keywords),
            ("h1", h1s), ("canonical", canonicals), ("robots", robots))}
        present = {name: [v for v in found if v] for name, found in values.items()}
        canonical_targets = [url_key(c, key) or c for c in present["canonical"]] if key else \
            present["canonical"]
        directives: list[str] = []
        for value in present["robots"]:
            directives += _x_robots(value)
        inlinks = None
        if inlinks_column is not None:
            raw = _cell(record[inlinks_column])
            try:
                inlinks = int(float(raw)) if raw else 0
            except ValueError:
                row["problem"] = f"Inlinks {raw!r} is not a number"
        row.update(
            key=key, status=code,
            title=present["title"][0] if present["title"] else None,
            title_count=len(present["title"]),
            description=present["description"][0] if present["description"] else None,
            description_count=len(present["description"]),
            keywords=present["keywords"][0] if present["keywords"] else None,
            h1=present["h1"][0] if present["h1"] else None, h1_count=len(present["h1"]),
            canonical=canonical_targets[0] if canonical_targets else None,
            canonical_count=len(dict.fromkeys(canonical_targets)),
            robots=",".join(dict.fromkeys(directives)), links=None, inlinks=inlinks, size=None,
        )
        rows.append(row)
    out = _frame(rows)
    out.attrs["source"] = table.name
    return out
