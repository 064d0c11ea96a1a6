"""Module 02: "We need to SEO the website", done right.

Audit pages for what matters to Google (status, titles, descriptions, headings,
canonicals, noindex, robots.txt, orphans) and say plainly what does not (meta
keywords); build and validate sitemaps to the sitemaps.org limits; and simulate what
IT's implementation and what Marketing meant each do to the number of indexable,
well-described pages.
"""

from typing import TYPE_CHECKING

from kit._lazy import lazy_exports

if TYPE_CHECKING:
    from kit.seo.audit import (
        BLOCKS_DESCRIBED,
        BLOCKS_INDEXING,
        CHECKS,
        TITLE_MAX,
        audit_pages,
        page_scores,
    )
    from kit.seo.pages import Page, load_crawl, load_html_folder, page_table
    from kit.seo.robots import RobotsTxt
    from kit.seo.simulate import (
        ASSUMPTIONS,
        CHANGES,
        PLANS,
        SeoResult,
        assumptions_table,
        change_effects,
        compare_plans,
        simulate_seo,
    )
    from kit.seo.sitemaps import SitemapFiles, build_sitemaps, validate_sitemap

__all__ = [
    "ASSUMPTIONS",
    "BLOCKS_DESCRIBED",
    "BLOCKS_INDEXING",
    "CHANGES",
    "CHECKS",
    "PLANS",
    "TITLE_MAX",
    "Page",
    "RobotsTxt",
    "SeoResult",
    "SitemapFiles",
    "assumptions_table",
    "audit_pages",
    "build_sitemaps",
    "change_effects",
    "compare_plans",
    "load_crawl",
    "load_html_folder",
    "page_scores",
    "page_table",
    "simulate_seo",
    "validate_sitemap",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__, __all__)
