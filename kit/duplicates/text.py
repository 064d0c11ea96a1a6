"""The visible text of an HTML page, plus the two tags that matter for duplicates.

Parsing uses lxml's HTML parser, which tolerates broken markup as browsers do.  The
text is the page's *main content*: the ``<main>`` element when there is one, else the
``<body>`` without ``<nav>``, ``<header>``, ``<footer>`` and ``<aside>`` (menus and
footers repeat on every page and would make every page look like every other).
Scripts, styles, templates and comments never count.

Bytes are read as UTF-8; bytes that are not valid UTF-8 are read as Windows-1252 and
the page says so in ``problem``, so a wrongly encoded page is reported, not dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

__all__ = ["PageText", "html_text"]

_SKIP = ("script", "style", "noscript", "template", "svg", "iframe", "object")
_BOILERPLATE = ("nav", "header", "footer", "aside")
_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True,
                               remove_pis=True, huge_tree=True)


@dataclass(frozen=True)
class PageText:
    """What :func:`html_text` found: main text, declared canonical, noindex, and any problem."""

    text: str
    canonical: str | None = None
    noindex: bool = False
    problem: str | None = None


def _decode(markup: str | bytes) -> tuple[bytes, str | None]:
    if isinstance(markup, bytes):
        if markup.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = markup.decode("utf-16", errors="replace")
            return text.encode("utf-8"), "UTF-16 page: read as UTF-16"
        try:
            markup.decode("utf-8")
        except UnicodeDecodeError:
            text = markup.decode("cp1252", errors="replace")
            return text.encode("utf-8"), "not valid UTF-8: read as Windows-1252"
        return markup, None
    return markup.encode("utf-8", errors="replace"), None


def html_text(markup: str | bytes | None) -> PageText:
    """Main text, rel=canonical and meta-robots noindex of one HTML page; never raises.

    Empty or unparseable markup gives empty text and a ``problem`` saying why.
    """
    if markup is None or (isinstance(markup, float) and markup != markup):
        return PageText("", problem="no HTML")
    if not isinstance(markup, str | bytes):
        return PageText("", problem=f"HTML cell holds {type(markup).__name__}, not text")
    data, problem = _decode(markup)
    if not data.strip():
        return PageText("", problem="empty HTML")
    try:
        root = lxml_html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        return PageText("", problem=f"HTML could not be parsed ({error})")
    canonical = None
    for link in root.iter("link"):
        rel = str(link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            canonical = str(link.get("href")).strip()
            break
    noindex = False
    for meta in root.iter("meta"):
        name = str(meta.get("name") or "").lower()
        if name in ("robots", "googlebot") and "noindex" in str(meta.get("content") or "").lower():
            noindex = True
    etree.strip_elements(root, *_SKIP, with_tail=False)
    main = next(root.iter("main"), None)
    if main is None:
        main = root.find("body")
        if main is None:
            main = root
        etree.strip_elements(main, *_BOILERPLATE, with_tail=False)
    text = " ".join(part.strip() for part in main.itertext() if part and part.strip())
    if not text and problem is None:
        problem = "no visible text"
    return PageText(text, canonical=canonical, noindex=noindex, problem=problem)
