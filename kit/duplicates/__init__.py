"""Module 03: "No duplicate content" — and "too many pages, impossible" — answered with tools.

Normalise URLs with a site's own policy, cluster exact and near-duplicate pages at site
scale (word shingles, MinHash, LSH, exact Jaccard), recommend one canonical URL per
cluster, report each duplicate with its fix in both languages, and simulate how faceted
navigation, print versions and tracking parameters multiply URLs and waste crawling.
"""

from typing import TYPE_CHECKING

from kit._lazy import lazy_exports

if TYPE_CHECKING:
    from kit.duplicates.clusters import (
        CLUSTER_COLUMNS,
        EDITED_COLUMNS,
        KINDS,
        DuplicateReport,
        duplicate_findings,
        edited_copies,
        find_duplicates,
        near_duplicate_pairs,
        near_duplicates,
    )
    from kit.duplicates.findings import DUPLICATE_CHECKS
    from kit.duplicates.normalize import (
        PRESETS,
        SESSION_PARAMETERS,
        SORT_PARAMETERS,
        TRACKING_PARAMETERS,
        NormalizationPolicy,
        normalize_url,
        normalize_urls,
        url_differences,
    )
    from kit.duplicates.pages import Pages, load_pages
    from kit.duplicates.simulate import CrawlAssumptions, CrawlResult, simulate_crawl
    from kit.duplicates.text import PageText, html_text

__all__ = [
    "CLUSTER_COLUMNS",
    "DUPLICATE_CHECKS",
    "EDITED_COLUMNS",
    "KINDS",
    "PRESETS",
    "SESSION_PARAMETERS",
    "SORT_PARAMETERS",
    "TRACKING_PARAMETERS",
    "CrawlAssumptions",
    "CrawlResult",
    "DuplicateReport",
    "NormalizationPolicy",
    "PageText",
    "Pages",
    "duplicate_findings",
    "edited_copies",
    "find_duplicates",
    "html_text",
    "load_pages",
    "near_duplicate_pairs",
    "near_duplicates",
    "normalize_url",
    "normalize_urls",
    "simulate_crawl",
    "url_differences",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__, __all__)
