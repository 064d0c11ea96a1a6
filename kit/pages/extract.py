"""One HTML page in, one row of facts out: what every module reads about a page.

Bytes are decoded by :func:`kit.pages.decode.decode_html` (BOM, HTTP header, meta
charset, then the stated fallback).  The document is parsed with lxml's forgiving HTML
parser (libxml2) for titles, meta tags, headings, links and text; whether a
``rel=canonical`` is in ``<head>`` is decided by the WHATWG rule in
:mod:`kit.pages.html5`, since libxml2 places elements after an ``<svg>`` or a custom
element in ``<head>`` where no browser does.  Googlebot reads the first 15 MB of an
HTML file (Google Search Central, "Googlebot"); so does this parser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from kit.pages.decode import decode_html, header
from kit.pages.html5 import head_links
from kit.pages.keys import site_of, url_key

__all__ = [
    "GOOGLEBOT_MAX_BYTES",
    "HTML_FIELDS",
    "Page",
    "extract_html",
    "main_text",
    "parse_headers",
    "robots_directives",
    "x_robots",
]

GOOGLEBOT_MAX_BYTES = 15 * 1024 * 1024
HTML_FIELDS: tuple[str, ...] = (
    "title", "title_count", "description", "description_count", "h1", "h1_count",
    "canonical", "canonical_count", "canonical_in_body", "robots", "keywords", "links",
    "text", "size", "empty", "truncated", "encoding_problem", "parse_problem",
)
"""What :func:`extract_html` fills in."""

_WHITESPACE = re.compile(r"\s+")
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "ftp:", "file:", "#")
_GOOGLE_AGENTS = ("googlebot",)
_NOT_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "object")
_BOILERPLATE = ("nav", "header", "footer", "aside")
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                           no_network=True, huge_tree=True, recover=True)
_X_ROBOTS_RULES = ("unavailable_after", "max-snippet", "max-image-preview", "max-video-preview")


@dataclass(frozen=True)
class Page:
    """One fetched page: its URL, the HTTP status, the body and the response headers."""

    url: str
    status: int = 200
    html: str | bytes = ""
    headers: Mapping[str, str] = field(default_factory=dict)


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


def robots_directives(name: str, content: str) -> list[str]:
    """Googlebot's directives from a meta tag named ``name`` (robots / googlebot)."""
    if name not in ("robots", *_GOOGLE_AGENTS):
        return []
    return [part.strip().lower() for part in content.split(",") if part.strip()]


def x_robots(value: str | None) -> list[str]:
    """Googlebot's directives in an X-Robots-Tag header (``googlebot: noindex`` too)."""
    if not value:
        return []
    directives: list[str] = []
    agent: str | None = None
    for part in value.split(","):
        piece = part.strip()
        head, sep, rest = piece.partition(":")
        name = head.strip()
        if sep and name and " " not in name and name.lower() not in _X_ROBOTS_RULES:
            agent, piece = name.lower(), rest.strip()
        if piece and (agent is None or agent in _GOOGLE_AGENTS):
            directives.append(piece.lower())
    return directives


def _text(element: Any) -> str:
    return _WHITESPACE.sub(" ", "".join(element.itertext())).strip()


def main_text(root: Any) -> str:
    """The page's main text: ``<main>``, else ``<body>`` without nav, header, footer, aside.

    Scripts, styles, templates, SVG and comments never count.  Modifies ``root``.
    """
    etree.strip_elements(root, *_NOT_TEXT, with_tail=False)
    main = next(root.iter("main"), None)
    if main is None:
        main = root.find("body")
        if main is None:
            main = root
        etree.strip_elements(main, *_BOILERPLATE, with_tail=False)
    return " ".join(part.strip() for part in main.itertext() if part and part.strip())


def _internal_links(hrefs: list[str], base: str) -> tuple[str, ...]:
    """Keys of the same-site http(s) pages among ``hrefs`` (fragments dropped, deduplicated)."""
    site = site_of(base)
    keys: dict[str, None] = {}
    for href in hrefs:
        href = href.strip()
        if not href or href.lower().startswith(_SKIP_SCHEMES):
            continue
        key = url_key(site + href) if href.startswith("/") and not href.startswith("//") \
            else url_key(href, base)
        if key and site_of(key) == site:
            keys[key] = None
    keys.pop(base, None)
    return tuple(keys)


def _head_links_until_canonical(text: str) -> list[dict[str, str | None]]:
    """:func:`~kit.pages.html5.head_links` on the text up to the last ``canonical`` tag.

    Tokens after it cannot put a canonical in ``<head>``, so they are not scanned.
    """
    last = text.lower().rfind("canonical")
    end = text.find("<", last) if last >= 0 else -1  # the next tag starts after that one
    return head_links(text[:end] if end >= 0 else text)


def _empty_fields(size: int) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(HTML_FIELDS)
    row.update(title_count=0, description_count=0, h1_count=0, canonical_count=0,
               canonical_in_body=False, links=(), robots="", size=size, empty=False,
               truncated=False)
    return row


def extract_html(key: str | None, body: str | bytes,
                 headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse one HTML body into the :data:`HTML_FIELDS`; never raises on bad HTML.

    ``key`` is the page's own key (resolves relative canonicals and links).
    """
    size = len(body) if isinstance(body, bytes) else len(body.encode("utf-8", "surrogatepass"))
    row = _empty_fields(size)
    directives = x_robots(header(headers, "x-robots-tag"))
    if size > GOOGLEBOT_MAX_BYTES:
        row["truncated"] = True
        body = body[:GOOGLEBOT_MAX_BYTES]
    text, problem, _ = decode_html(body, headers)
    row["encoding_problem"] = problem
    root = None
    if text.strip():
        try:
            root = etree.fromstring(text.encode("utf-8", "surrogatepass"), _PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
            row["parse_problem"] = f"HTML could not be parsed ({error})"
    if root is None:
        row["empty"] = not text.strip()
        row["robots"] = ",".join(dict.fromkeys(directives))
        return row
    base = key
    titles: list[str] = []
    descriptions: list[str] = []
    h1s: list[str] = []
    any_canonical = False
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
                directives += robots_directives(name, content)
        elif tag == "title":
            titles.append(_text(element))
        elif tag == "h1":
            heading = _text(element)
            if heading:
                h1s.append(heading)
        elif tag == "link":
            rel = (element.get("rel") or "").lower().split()
            any_canonical = any_canonical or ("canonical" in rel and element.get("href")
                                              is not None)
        elif tag == "base" and element.get("href") and key:
            base = url_key(element.get("href"), key) or base
    canonicals = [str(link["href"]).strip() for link in _head_links_until_canonical(text)
                  if "canonical" in (link.get("rel") or "").lower().split()
                  and link.get("href") is not None] if any_canonical else []
    row["title"] = titles[0] if titles and titles[0] else None
    row["title_count"] = sum(1 for title in titles if title)
    present = [d for d in descriptions if d]
    row["description"] = present[0] if present else None
    row["description_count"] = len(present)
    row["h1"] = h1s[0] if h1s else None
    row["h1_count"] = len(h1s)
    resolved = [(url_key(href, base) if base else None) or href for href in canonicals]
    row["canonical"] = resolved[0] if resolved else None
    row["canonical_count"] = len(dict.fromkeys(resolved))
    row["canonical_in_body"] = any_canonical and not canonicals
    row["keywords"] = keywords[0] if keywords else None
    row["links"] = _internal_links(hrefs, base) if base else ()
    row["robots"] = ",".join(dict.fromkeys(directives))
    row["text"] = main_text(root)
    return row
