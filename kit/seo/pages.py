"""Pages in, one row of SEO facts per page out: the page table of :mod:`kit.pages`.

The SEO audit reads :func:`kit.pages.read_pages`: a folder of saved pages (wget
mirrors too), a Screaming Frog export, an advertools crawl, or the kit's own
``url, status, html[, headers]`` list.  The names here are kept for the notebooks and
older code; each returns the page table's frame (:data:`PAGE_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from kit.errors import InputError
from kit.pages.decode import decode_html as _decode
from kit.pages.extract import GOOGLEBOT_MAX_BYTES, Page, parse_headers
from kit.pages.folder import read_folder
from kit.pages.keys import url_key
from kit.pages.read import read_pages
from kit.pages.rows import page_row
from kit.pages.table import PAGE_COLUMNS, PageTable

__all__ = [
    "GOOGLEBOT_MAX_BYTES",
    "PAGE_COLUMNS",
    "Page",
    "decode_html",
    "extract_page",
    "load_crawl",
    "load_html_folder",
    "page_table",
    "pages_of",
    "parse_headers",
    "url_key",
]


def decode_html(body: str | bytes, headers: Mapping[str, str] | None = None
                ) -> tuple[str, str | None]:
    """``(text, problem)``: the body as text (see :func:`kit.pages.decode_html`)."""
    text, problem, _ = _decode(body, headers)
    return text, problem


def extract_page(url: str, status: int, body: str | bytes, headers: Mapping[str, str] | None
                 = None, *, where: str = "") -> dict[str, Any]:
    """Parse one page into a row of :data:`PAGE_COLUMNS`; never raises on bad HTML."""
    return page_row(url, status, body, headers, where)


def pages_of(pages: object, *, base_url: str | None = None, what: str = "pages") -> PageTable:
    """Any input the audit accepts as a :class:`~kit.pages.PageTable` with HTML facts.

    Refuses a page list that has only text (no HTML and no crawler's titles/headings):
    there would be nothing to audit.
    """
    table = pages if isinstance(pages, PageTable) else read_pages(pages, base_url=base_url)
    if not bool(table.frame["is_html"].any()):
        kinds = ", ".join(sorted(set(table.counts["content_type"])))
        raise InputError(f"{table.name}: no HTML pages in it ({len(table.frame)} other URL(s): "
                         f"{kinds}).", hint="Give a folder of saved pages or a crawl with HTML "
                                            "rows; images, CSS and scripts are not audited.")
    if not table.has_html_facts:
        raise InputError(f"{table.name}: needs an html column (the page source) or a crawler's "
                         "export columns (Title 1, H1-1, …) to audit pages.",
                         hint="Give url, status, html[, headers]; or a Screaming Frog "
                              "'Internal: All' export; or an advertools .jl crawl.")
    return table


def page_table(pages: object, *, what: str = "pages") -> pd.DataFrame:
    """Any supported input as the frame of :data:`PAGE_COLUMNS` (already-built tables pass)."""
    return pages_of(pages, what=what).frame


def load_html_folder(folder: str | Path, *, base_url: str = "https://site.invalid/",
                     pretty_urls: bool = False) -> pd.DataFrame:
    """Every file under ``folder`` as a 200 response of ``base_url`` (see kit.pages.folder)."""
    return read_folder(folder, base_url=base_url, pretty_urls=pretty_urls).frame


def load_crawl(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """A crawl export (Screaming Frog CSV/DataFrame, advertools, or url,status,html CSV)."""
    return pages_of(source, what="crawl export").frame
