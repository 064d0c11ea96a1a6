"""The visible text of an HTML page, plus the two tags that matter for duplicates.

A thin layer over :mod:`kit.pages`: the same decoder (BOM, HTTP header, meta charset,
then UTF-8 or Windows-1252, said in ``problem``) and the same parser as the SEO audit.
The text is the page's *main content*: the ``<main>`` element when there is one, else
the ``<body>`` without ``<nav>``, ``<header>``, ``<footer>`` and ``<aside>`` (menus and
footers repeat on every page and would make every page look like every other).
Scripts, styles, templates and comments never count.  The canonical is the first
``rel=canonical`` a browser puts in ``<head>`` (one in ``<body>`` is ignored by Google).
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.pages.extract import extract_html

__all__ = ["PageText", "html_text"]


@dataclass(frozen=True)
class PageText:
    """What :func:`html_text` found: main text, declared canonical, noindex, and any problem."""

    text: str
    canonical: str | None = None
    noindex: bool = False
    problem: str | None = None


def html_text(markup: str | bytes | None) -> PageText:
    """Main text, rel=canonical and meta-robots noindex of one HTML page; never raises.

    Empty or unparseable markup gives empty text and a ``problem`` saying why.
    """
    if markup is None or (isinstance(markup, float) and markup != markup):
        return PageText("", problem="no HTML")
    if not isinstance(markup, str | bytes):
        return PageText("", problem=f"HTML cell holds {type(markup).__name__}, not text")
    row = extract_html(None, markup)
    if row["empty"]:
        return PageText("", problem="empty HTML")
    problem = row["parse_problem"] or row["encoding_problem"]
    text = row["text"] or ""
    if not text and problem is None:
        problem = "no visible text"
    noindex = any(part in ("noindex", "none") for part in row["robots"].split(","))
    return PageText(text, canonical=row["canonical"], noindex=noindex, problem=problem)
