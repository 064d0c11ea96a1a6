"""One decoder for HTML bytes, in the order a browser uses (WHATWG "encoding sniffing").

1. a byte-order mark (UTF-8, UTF-16 LE/BE);
2. the ``charset`` of the HTTP ``Content-Type`` header;
3. a ``<meta charset>`` or ``<meta http-equiv="Content-Type">`` in the first bytes;
4. the stated fallback when nothing is declared: UTF-8 when the bytes are valid UTF-8,
   else Windows-1252 (the WHATWG default for Western locales), and the page says so.

Steps 1-3 are w3lib's (Scrapy's decoder: :func:`~w3lib.encoding.read_bom`,
:func:`~w3lib.encoding.http_content_type_encoding`,
:func:`~w3lib.encoding.html_body_declared_encoding`), which also maps labels the WHATWG
way: ``iso-8859-1`` is read as Windows-1252.  A declared
charset nobody knows, and bytes invalid in the declared charset, come back as a
``problem`` sentence; the text is still returned (invalid bytes as U+FFFD).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

__all__ = ["FALLBACK_ENCODING", "Decoded", "decode_html", "header"]

FALLBACK_ENCODING = "cp1252"
"""What undeclared bytes that are not valid UTF-8 are read as (WHATWG default, Western)."""

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\s\"';,]+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class Decoded(tuple[str, str | None, str]):
    """``(text, problem, encoding)`` of one body."""

    __slots__ = ()

    @property
    def text(self) -> str:
        return self[0]

    @property
    def problem(self) -> str | None:
        return self[1]

    @property
    def encoding(self) -> str:
        return self[2]


def header(headers: Mapping[str, str] | None, name: str) -> str | None:
    """A header's value, case-insensitive; several values joined with ``, ``."""
    if not headers:
        return None
    found = [str(value) for key, value in headers.items() if str(key).lower() == name]
    return ", ".join(found) if found else None


def _known(label: str | None) -> bool:
    if not label:
        return False
    try:
        codecs.lookup(label)
    except LookupError:
        return False
    return True


def _utf8_or_none(data: bytes) -> str | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def decode_html(body: str | bytes, headers: Mapping[str, str] | None = None) -> Decoded:
    """``(text, problem, encoding)``: the body as text, and a sentence if the bytes were faulty."""
    if isinstance(body, str):
        return Decoded((body, None, "str"))
    content_type = header(headers, "content-type") or ""
    header_label = (m.group(1) if (m := _HEADER_CHARSET.search(content_type)) else None)
    meta_match = _META_CHARSET.search(body[:4096])
    meta_label = meta_match.group(1).decode("ascii", "replace") if meta_match else None
    bom, mark = read_bom(body)
    if bom is not None:
        encoding, data = bom, body[len(mark or b""):]
    else:
        data = body
        encoding = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    problems: list[str] = []
    unknown = [label for label in (header_label, meta_label) if label and not _known(label)]
    if encoding is None:
        encoding = _utf8_or_none(body) or FALLBACK_ENCODING
        if unknown:
            problems.append(f"unknown charset {unknown[0]!r}; read as {encoding}")
        elif encoding != "utf-8":
            problems.append("no charset declared and the bytes are not valid UTF-8: read as "
                            "Windows-1252")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        text = data.decode(encoding, errors="replace")
        problems.append(f"bytes not valid {encoding} at byte {error.start} "
                        "(shown as \ufffd: mojibake in titles and snippets)")
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded((text, "; ".join(problems) or None, encoding))
