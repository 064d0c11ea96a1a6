"""Which ``<link>`` elements a browser puts in ``<head>``: the WHATWG tree-builder rule.

libxml2 (lxml) is not an HTML5 tree builder: it keeps a ``<link rel=canonical>`` in
``<head>`` after an ``<svg>``, a custom element or stray text, where a browser, and
Google, have already closed ``<head>`` and opened ``<body>``; Google ignores a canonical
in ``<body>`` ("How to specify a canonical URL", Google Search Central).  selectolax
(Lexbor) builds the WHATWG tree but is a compiled extension that Pyodide's distribution
does not carry (the workshops run in JupyterLite), so this module implements the few
rules that decide head or body, on the tokens of the standard library's
:class:`html.parser.HTMLParser` (WHATWG HTML Standard §13.2.6.4.2-13.2.6.4.6, the
"before head", "in head" and "after head" insertion modes, checked on 2026-12-07):

* in head, only ``base, basefont, bgsound, link, meta`` (void), ``title`` (text),
  ``noscript, noframes, style, script`` (raw text: the scripting flag is on, as for a
  rendering crawler) and ``template`` (its content is a separate fragment) keep
  ``<head>`` open;
* any other start tag (``<svg>``, ``<div>``, ``<my-widget>``, ``<img>``), any
  non-whitespace text, and ``</head>``, ``</body>``, ``</html>``, ``</br>`` end it;
* after ``</head>`` and before anything else, ``base, link, meta, …`` still go into
  ``<head>`` (the parser re-opens it for them).

The scan stops at the first token that opens ``<body>``, so it reads only the head.
:func:`head_links` first tries a fast path: when everything before the last ``<link>``
is plainly head material (only ``html, head, meta, link, title, base, script, style``
tags and whitespace), no tokenizer is needed; anything else takes the full scan.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["HEAD_KEEPERS", "head_links", "scan_head_links"]

HEAD_KEEPERS = frozenset({"base", "basefont", "bgsound", "link", "meta", "title", "noscript",
                          "noframes", "style", "script", "template"})
"""Start tags that do not close ``<head>`` (WHATWG "in head" insertion mode)."""
_VOID = frozenset({"base", "basefont", "bgsound", "link", "meta"})
_TEXT = frozenset({"title", "noscript", "noframes", "style", "script"})
_WHITESPACE = " \t\n\f\r"


class _BodyStarted(Exception):
    """Raised to stop scanning once the parser would be in body."""


class _HeadScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.mode = "before head"
        self.skip: str | None = None  # inside a text-only element of head
        self.template = 0  # template nesting: its content is not in the document tree
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip is not None:
            return
        if self.template:
            self.template += tag == "template"
            return
        if self.mode == "before head":
            if tag == "html":
                return
            self.mode = "in head"
            if tag == "head":
                return
        if tag in ("html", "head"):
            return
        if self.mode == "after head" and tag not in HEAD_KEEPERS:
            raise _BodyStarted
        if tag in _VOID:
            if tag == "link":
                self.links.append(dict(attrs))
            return
        if tag in _TEXT:
            self.skip = tag
            return
        if tag == "template":
            self.template = 1
            return
        raise _BodyStarted  # any other start tag implies </head><body>

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # "/>" is ignored on HTML elements

    def handle_endtag(self, tag: str) -> None:
        if self.skip is not None:
            if tag == self.skip:
                self.skip = None
            return
        if self.template:
            self.template -= tag == "template"
            return
        if tag not in ("head", "body", "html", "br"):
            return  # other end tags are ignored before body
        if self.mode == "in head" and tag == "head":
            self.mode = "after head"
            return
        if self.mode == "before head" or (self.mode == "in head" and tag != "head"):
            self.mode = "after head"  # implied <head></head>, then the tag is reprocessed
        raise _BodyStarted

    def handle_data(self, data: str) -> None:
        if self.skip is None and not self.template and data.strip(_WHITESPACE):
            raise _BodyStarted


_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_PLAIN_HEAD = frozenset({"html", "head", "meta", "link", "title", "base", "script", "style"})
_TEXT_ELEMENT = re.compile(r"<(title|script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_ANY_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(r"<link\b", re.I)
_STRAY_LT = re.compile(r"<(?!/?[A-Za-z]|!doctype\b)", re.I)


def _plain_head(prefix: str) -> bool:
    """True when ``prefix`` holds only plain head tags, text elements and whitespace."""
    if "<!--" in prefix or "&" in prefix:
        return False
    texts = list(_TEXT_ELEMENT.finditer(prefix))
    if any(_LINK.search(match.group(0)) for match in texts):
        return False  # a "<link" inside a script or title is no element
    stripped = _TEXT_ELEMENT.sub("", prefix)
    if _STRAY_LT.search(stripped):
        return False  # a "<" that opens no tag is text, and text before a link starts <body>
    for match in _TAG.finditer(stripped):
        if match.group(1) or match.group(2).lower() not in _PLAIN_HEAD:
            return False
    return not _ANY_TAG.sub("", stripped).strip(_WHITESPACE)


def _link_attributes(tag: str) -> dict[str, str | None] | None:
    """The attributes of the one ``<link>`` in ``tag``; None when it does not parse as one."""
    scanner = _HeadScanner()
    try:
        scanner.feed(tag)
        scanner.close()
    except _BodyStarted:
        return None
    return scanner.links[0] if len(scanner.links) == 1 else None


def head_links(html: str) -> list[dict[str, str | None]]:
    """The attributes of every ``<link>`` a WHATWG parser puts in ``<head>``, in order."""
    starts = [m.start() for m in _LINK.finditer(html)]
    if not starts:
        return []
    if _plain_head(html[: starts[-1]]):
        found = []
        for start in starts:
            end = html.find("<", start + 1)
            attributes = _link_attributes(html[start: end if end >= 0 else len(html)])
            if attributes is None:
                break
            found.append(attributes)
        else:
            return found
    return scan_head_links(html)


def scan_head_links(html: str) -> list[dict[str, str | None]]:
    """:func:`head_links` by the full WHATWG scan (no fast path)."""
    scanner = _HeadScanner()
    try:
        scanner.feed(html)
        scanner.close()
    except _BodyStarted:
        pass
    return scanner.links
