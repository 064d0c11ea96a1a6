"""One registry of the sources the kit cites (see docs/architecture.md).

Each :class:`Source` has an id, the citation ``text`` a finding's ``source`` column and the
notebooks show (kept word for word as the modules spelled it before the registry, so stored
outputs do not change), the ``title`` of the page or document, its ``url`` and the day the
link and the claim were checked.  Modules cite by id: ``SRC_STATUS = cite("rfc9110-status")``;
several ids joined give the ``"; "``-separated citation of a rule with more than one source.

Entries of kind ``"data"`` are not publications: a finding about the input itself names the
input as its source.

:func:`resolves` is what the contract test (tests/unit/test_module_contract.py) asks of every
``source`` value a module's findings carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CHECKED_ON", "SOURCES", "Source", "cite", "resolves", "source_ids"]

CHECKED_ON = "2026-12-07"
"""The day every link and claim below was last checked."""

_GSC = "https://developers.google.com/search/docs/"


@dataclass(frozen=True)
class Source:
    """One citable source: the text findings show, the title, the link, when it was checked."""

    id: str
    text: str
    title: str
    url: str | None
    checked: str = CHECKED_ON
    kind: str = "publication"


def _s(id: str, text: str, title: str, url: str | None, *, kind: str = "publication"
       ) -> Source:
    return Source(id=id, text=text, title=title, url=url, kind=kind)


SOURCES: dict[str, Source] = {s.id: s for s in (
    # -- standards ---------------------------------------------------------------------
    _s("rfc9110-status", "RFC 9110 §15 (status codes)", "RFC 9110: HTTP Semantics, §15",
       "https://www.rfc-editor.org/rfc/rfc9110#section-15"),
    _s("rfc9110-redirection", "RFC 9110 §15.4 (redirection status codes)",
       "RFC 9110: HTTP Semantics, §15.4 Redirection 3xx",
       "https://www.rfc-editor.org/rfc/rfc9110#section-15.4"),
    _s("rfc9110-location", "RFC 9110 §10.2.2 (Location)", "RFC 9110: HTTP Semantics, §10.2.2",
       "https://www.rfc-editor.org/rfc/rfc9110#section-10.2.2"),
    _s("rfc9309", "RFC 9309 (Robots Exclusion Protocol)", "RFC 9309: Robots Exclusion Protocol",
       "https://www.rfc-editor.org/rfc/rfc9309"),
    _s("rfc3986", "RFC 3986 §3 (URL syntax) and §6.2 (normalisation)",
       "RFC 3986: Uniform Resource Identifier (URI): Generic Syntax",
       "https://www.rfc-editor.org/rfc/rfc3986"),
    _s("whatwg-html", "WHATWG HTML Standard, §4.2.5 (meta charset) and §13.2 (parsing)",
       "HTML Living Standard", "https://html.spec.whatwg.org/multipage/"),
    _s("sitemaps-protocol", "sitemaps.org protocol (sitemaps.org/protocol.php)",
       "sitemaps.org: Sitemaps XML format", "https://www.sitemaps.org/protocol.html"),
    _s("sitemap-xsd", "sitemap.xsd 0.9 (tLastmod: xsd:date or xsd:dateTime)",
       "sitemaps.org XML schema for sitemaps, 0.9",
       "https://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd"),
    _s("sitemaps-protocol-short", "sitemaps.org protocol", "sitemaps.org: Sitemaps XML format",
       "https://www.sitemaps.org/protocol.html"),
    # -- Google Search Central ---------------------------------------------------------
    _s("google-http-status",
       "Google Search Central, 'HTTP status codes, network and DNS errors'",
       "How HTTP status codes, and network and DNS errors affect Google Search",
       _GSC + "crawling-indexing/http-network-errors"),
    _s("google-http-status-hops",
       "Google Search Central, 'HTTP status codes, network and DNS errors' (10 hops)",
       "How HTTP status codes, and network and DNS errors affect Google Search",
       _GSC + "crawling-indexing/http-network-errors"),
    _s("google-soft-404",
       'Google Search Central, "HTTP status codes, network and DNS errors" (soft 404 errors)',
       "How HTTP status codes, and network and DNS errors affect Google Search",
       _GSC + "crawling-indexing/http-network-errors#soft-404-errors"),
    _s("google-redirects", "Google Search Central, 'Redirects and Google Search'",
       "Redirects and Google Search", _GSC + "crawling-indexing/301-redirects"),
    _s("google-site-moves", "Google Search Central, 'Site moves with URL changes'",
       "Site moves with URL changes", _GSC + "crawling-indexing/site-move-with-url-changes"),
    _s("google-site-moves-soft-404",
       "Google Search Central, 'Site moves with URL changes' (redirects to an irrelevant "
       "page: soft 404)",
       "Site moves with URL changes", _GSC + "crawling-indexing/site-move-with-url-changes"),
    # the same three pages as the explorer of kit.redirects spells them (typographic quotes)
    _s("google-http-status-shown",
       "Google Search Central, \u201cHTTP status codes, network and DNS errors\u201d",
       "How HTTP status codes, and network and DNS errors affect Google Search",
       _GSC + "crawling-indexing/http-network-errors"),
    _s("google-site-moves-shown", "Google Search Central, \u201cSite moves with URL changes\u201d",
       "Site moves with URL changes", _GSC + "crawling-indexing/site-move-with-url-changes"),
    _s("google-redirects-shown", "Google Search Central, \u201cRedirects and Google Search\u201d",
       "Redirects and Google Search", _GSC + "crawling-indexing/301-redirects"),
    _s("google-title-links", "Google Search Central, 'Influencing your title links'",
       "Influencing your title links in search results", _GSC + "appearance/title-link"),
    _s("google-title-links-headings",
       "Google Search Central, 'Influencing your title links' (headings); 'SEO Starter Guide'",
       "Influencing your title links in search results; SEO Starter Guide",
       _GSC + "appearance/title-link"),
    _s("google-snippets", "Google Search Central, 'Control your snippets in search results'",
       "Control your snippets in search results", _GSC + "appearance/snippet"),
    _s("google-canonical-how",
       "Google Search Central, 'How to specify a canonical URL with rel=\"canonical\" and "
       "other methods' (consolidate duplicate URLs)",
       'How to specify a canonical URL with rel="canonical" and other methods',
       _GSC + "crawling-indexing/consolidate-duplicate-urls"),
    _s("google-canonical-how-link",
       'Google Search Central, "How to specify a canonical URL with rel="canonical" and '
       'other methods" (developers.google.com/search/docs/crawling-indexing/'
       "consolidate-duplicate-urls)",
       'How to specify a canonical URL with rel="canonical" and other methods',
       _GSC + "crawling-indexing/consolidate-duplicate-urls"),
    _s("google-canonicalization",
       'Google Search Central, "What is URL canonicalization" '
       "(developers.google.com/search/docs/crawling-indexing/canonicalization)",
       "What is URL canonicalization", _GSC + "crawling-indexing/canonicalization"),
    _s("google-faceted",
       'Google Search Central, "Managing crawling of faceted navigation URLs" '
       "(developers.google.com/search/docs/crawling-indexing/"
       "crawling-managing-faceted-navigation)",
       "Managing crawling of faceted navigation URLs",
       _GSC + "crawling-indexing/crawling-managing-faceted-navigation"),
    _s("google-faceted-2024",
       'Google Search Central, "Managing crawling of faceted navigation URLs" '
       "(developers.google.com/search/docs/crawling-indexing/"
       "crawling-managing-faceted-navigation, rewritten Dec 2024)",
       "Managing crawling of faceted navigation URLs",
       _GSC + "crawling-indexing/crawling-managing-faceted-navigation"),
    _s("google-crawl-budget",
       'Google Search Central, "Crawl budget management for large sites" '
       "(developers.google.com/search/docs/crawling-indexing/"
       "large-site-managing-crawl-budget)",
       "Crawl budget management for large sites",
       _GSC + "crawling-indexing/large-site-managing-crawl-budget"),
    _s("google-noindex", "Google Search Central, 'Block Search indexing with noindex'",
       "Block Search indexing with noindex", _GSC + "crawling-indexing/block-indexing"),
    _s("google-robots-intro",
       "Google Search Central, 'Introduction to robots.txt' and 'Block Search indexing with "
       "noindex'",
       "Introduction to robots.txt; Block Search indexing with noindex",
       _GSC + "crawling-indexing/robots/intro"),
    _s("google-links",
       "Google Search Central, 'SEO Starter Guide' and 'Link best practices for Google' "
       "(Google finds most pages through links)",
       "SEO Starter Guide; Link best practices for Google",
       _GSC + "crawling-indexing/links-crawlable"),
    _s("google-keywords-2009",
       "Google Webmaster Central blog, 21 Sep 2009, 'Google does not use the keywords meta "
       "tag in web ranking'",
       "Google does not use the keywords meta tag in web ranking",
       "https://developers.google.com/search/blog/2009/09/google-does-not-use-keywords-meta-tag"),
    _s("google-meta-tags",
       "Google Search Central, 'Meta tags and attributes that Google supports' (keywords is "
       "not among them)",
       "Meta tags and attributes that Google supports", _GSC + "crawling-indexing/special-tags"),
    _s("google-sitemaps", "Google Search Central, 'Build and submit a sitemap'",
       "Build and submit a sitemap", _GSC + "crawling-indexing/sitemaps/build-sitemap"),
    _s("google-sitemap-ping-2023",
       "Google Search Central blog, June 2023 (sitemap ping endpoint deprecated)",
       "Sitemaps ping endpoint is going away",
       "https://developers.google.com/search/blog/2023/06/sitemaps-lastmod-ping"),
    _s("google-googlebot", "Google Search Central, 'Googlebot' (first 15 MB of an HTML file)",
       "Googlebot", _GSC + "crawling-indexing/googlebot"),
    _s("google-slash", 'Google Search Central blog, "To slash or not to slash" (2010)',
       "To slash or not to slash",
       "https://developers.google.com/search/blog/2010/04/to-slash-or-not-to-slash"),
    _s("google-parameters-tool",
       'Google Search Central blog, "Spring cleaning: the URL Parameters tool" (2022)',
       "Spring cleaning: the URL Parameters tool",
       "https://developers.google.com/search/blog/2022/03/url-parameters-tool-deprecated"),
    # -- research ------------------------------------------------------------------------
    _s("broder-1997",
       'A. Broder, "On the resemblance and containment of documents" (1997): Jaccard '
       "resemblance of word shingles",
       "On the resemblance and containment of documents",
       "https://doi.org/10.1109/SEQUEN.1997.666900"),
    # -- Google Analytics / Ads ------------------------------------------------------------
    _s("ga4-url-builders",
       'GA4 help 10917952, "[GA4] URL builders: Collect campaign data with custom URLs"',
       "[GA4] URL builders: Collect campaign data with custom URLs",
       "https://support.google.com/analytics/answer/10917952"),
    _s("ga4-internal-tags",
       "GA4 help 10917952 (tag links to your site from other sites and campaigns, not links "
       "within it); GA4 starts no new session when the campaign changes mid-session but "
       "credits later key events to it",
       "[GA4] URL builders: Collect campaign data with custom URLs",
       "https://support.google.com/analytics/answer/10917952"),
    _s("ads-auto-tagging",
       "Google Ads help, auto-tagging; GA4 help 10917952 — which value wins is contested (it "
       "depends on an Ads setting): do not double-tag",
       "About auto-tagging (Google Ads help); [GA4] URL builders",
       "https://support.google.com/google-ads/answer/3095550"),
    _s("ga4-channels", 'GA4 help 9756891, "[GA4] Default channel group"',
       "[GA4] Default channel group", "https://support.google.com/analytics/answer/9756891"),
    # -- seed articles and surveys (kit.launch) --------------------------------------------
    _s("seed-003",
       '"Companies urged to align marketing and IT departments" (seed article 003, on '
       "Gartner's social media revenue forecast)",
       "Companies urged to align marketing and IT departments", None, kind="seed"),
    _s("easynet-2012",
       'Easynet Global Services and Ipanema Technologies, "Killer Apps 2012" survey of 550 '
       "European CIOs and IT managers, press release of 25 July 2012 (the seed article "
       'rounds the 67% to "nearly 70%")',
       "Social media shunned by CIOs as 67% block Facebook (Killer Apps 2012 survey)",
       "http://technoworldinc.com/techno-news/"
       "social-media-shunned-by-cios-as-67-block-facebook-t137165.0.html"),
    _s("robert-half-2011",
       "Robert Half Technology, surveys of more than 1,400 US CIOs on social networking at "
       "work (2009 and 2011), press release of 26 May 2011",
       "Social work: more companies permit social networking on the job",
       "https://www.prnewswire.com/news-releases/social-work-more-companies-permit-"
       "social-networking-on-the-job-robert-half-technology-survey-reveals-122650448.html"),
    _s("gartner-2012",
       'Gartner, "Forecast: Social Media Revenue, Worldwide, 2011-2016" (2012), as reported in '
       'the seed article "Companies urged to align marketing and IT departments"',
       "Social media revenue booms, led by ads (MediaPost, on Gartner's forecast)",
       "http://mediapost.com/publications/article/179636/"
       "social-media-revenue-booms-led-by-ads.html"),
    # -- the data itself -------------------------------------------------------------------
    _s("input", "the input you gave", "the file or table the audit read", None, kind="data"),
    _s("page-list", "the page list", "the pages the duplicate check read", None, kind="data"),
)}


def cite(*ids: str) -> str:
    """The citation text of ``ids``, joined with ``"; "``; an unknown id raises ``KeyError``."""
    unknown = [i for i in ids if i not in SOURCES]
    if unknown or not ids:
        raise KeyError(f"unknown source id(s) {unknown or '(none given)'}; "
                       f"add them to kit/sources.py")
    return "; ".join(SOURCES[i].text for i in ids)


@lru_cache(maxsize=4096)
def source_ids(text: str) -> tuple[str, ...] | None:
    """The ids whose texts, joined with ``"; "``, give ``text`` exactly; ``None`` if none do."""
    by_length = sorted(SOURCES.values(), key=lambda s: -len(s.text))

    def parse(position: int) -> tuple[str, ...] | None:
        for source in by_length:
            if not text.startswith(source.text, position):
                continue
            end = position + len(source.text)
            if end == len(text):
                return (source.id,)
            if text.startswith("; ", end):
                rest = parse(end + 2)
                if rest is not None:
                    return (source.id, *rest)
        return None

    return parse(0) if text else None


def resolves(text: str) -> bool:
    """Whether a finding's ``source`` text is made of registered citations."""
    return source_ids(text) is not None
