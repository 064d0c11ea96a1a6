"""One page table for every crawl the kit reads (design: "shared concepts live once").

:func:`read_pages` turns a folder of saved pages (wget ``--mirror`` included), a
Screaming Frog export, an advertools crawl or the kit's own page list into a
:class:`PageTable`: one row per crawled URL with the columns of :data:`PAGE_COLUMNS`
(content type, crawl status, indexability, titles, canonicals, robots, text…).
The SEO audit (module 02) and the duplicate finder (module 03) both read it, so they
decode, parse and name a page the same way.
"""

from typing import TYPE_CHECKING

from kit._lazy import lazy_exports

if TYPE_CHECKING:
    from kit.pages.decode import FALLBACK_ENCODING, decode_html
    from kit.pages.extract import GOOGLEBOT_MAX_BYTES, Page, extract_html, parse_headers
    from kit.pages.html5 import HEAD_KEEPERS, head_links
    from kit.pages.keys import url_key
    from kit.pages.read import FORMATS, detect_format, read_pages
    from kit.pages.table import CRAWL_STATUSES, PAGE_COLUMNS, PageTable

__all__ = [
    "CRAWL_STATUSES",
    "FALLBACK_ENCODING",
    "FORMATS",
    "GOOGLEBOT_MAX_BYTES",
    "HEAD_KEEPERS",
    "PAGE_COLUMNS",
    "Page",
    "PageTable",
    "decode_html",
    "detect_format",
    "extract_html",
    "head_links",
    "parse_headers",
    "read_pages",
    "url_key",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__, __all__)
