"""How a shop's habits multiply its URLs, and what that costs in crawling.

The counting is exact (:meth:`kit.sites.SiteShape.url_counts`: every combination of
filters, sort orders, print versions, tracked links, session ids and http:// addresses
the shop's navigation creates).  The crawl model is an assumption, stated in
:class:`CrawlAssumptions` and shown next to every chart:

* a search engine crawls a fixed number of this site's URLs per day (its *crawl
  budget*, ``crawl_per_day``), and fetches every URL it has discovered once per cycle;
* every URL the navigation links to is discovered;
* so a full cycle takes ``urls / crawl_per_day`` days, and a real page's content is
  refreshed once per cycle; a fetch of a duplicate URL is a fetch wasted.

**Canonicalisation is not crawl control.**  Each cause gets a fix (:data:`FIXES`), and
only some fixes save crawling (:data:`RECOMMENDED_FIXES` is the plan the workshop
teaches):

* ``canonical`` (``rel="canonical"``) merges signals but saves **no** crawling: the
  crawler must fetch the page to read the tag;
* ``robots`` (a robots.txt disallow) keeps the crawler off URLs you do not need indexed,
  e.g. filter and sort views; Google's "Managing crawling of faceted navigation URLs"
  (rewritten December 2024) recommends exactly that for facet URLs, and canonicals or
  consistent URLs for the ones you do want indexed;
* ``redirect`` (301, with internal links pointing at the target) and ``unlink`` (the
  site stops making the URL: session ids in cookies, no tags on internal links, one
  parameter order) take the URL out of the cycle.  The model assumes the crawler drops a
  URL nobody links to; in practice it still revisits old addresses now and then.

Google Search Central's "Crawl budget management for large sites" names faceted
navigation, session identifiers and duplicate content among the low-value URLs that
take crawling away from a site's real pages; it also says crawl budget mostly matters
for large sites (about a million pages, or ten thousand changing daily), which is why
the knobs go up to shops of that size.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd
from sklearn.metrics.cluster import pair_confusion_matrix

from kit.errors import InputError
from kit.results import Result
from kit.sites.duplicate_site import DuplicateSite, SiteShape
from kit.sources import cite

__all__ = [
    "CAUSES",
    "FIXES",
    "RECOMMENDED_FIXES",
    "SRC_FACETED",
    "CrawlAssumptions",
    "CrawlResult",
    "assumptions_table",
    "score_against_truth",
    "simulate_crawl",
]

CAUSES: dict[str, str] = {
    "real": "real pages (home, help, categories, products)",
    "filter": "filter combinations (faceted navigation), with each sort order",
    "sort": "sort orders of the unfiltered category",
    "parameter_order": "the same filters linked in another parameter order",
    "print": "print versions of products",
    "tracking": "internal links tagged with utm_ parameters",
    "copy": "products copied into a second category",
    "session": "session ids in URLs",
    "http": "http:// addresses answering 200 instead of redirecting",
}
FIXES: dict[str, tuple[str, bool]] = {
    # fix: (what it is, does the crawler still fetch the URL?)
    "none": ("nothing: the URL stays linked and crawlable", True),
    "canonical": ('rel="canonical" to the real page: merges signals, but the URL must still '
                  "be fetched to read the tag", True),
    "robots": ("robots.txt disallow: the crawler keeps off the URL (it cannot read a "
               "canonical there, so use it only for URLs you do not need indexed)", False),
    "redirect": ("301 to the real page, internal links to the target: the URL leaves the "
                 "crawl", False),
    "unlink": ("the site stops making the URL (cookies for sessions, untagged internal "
               "links, one parameter order)", False),
}
RECOMMENDED_FIXES: dict[str, str] = {
    "real": "none",
    "filter": "robots",          # facet views nobody needs indexed; landing pages become pages
    "sort": "robots",
    "parameter_order": "unlink",
    "print": "canonical",
    "tracking": "unlink",
    "copy": "canonical",
    "session": "unlink",
    "http": "redirect",
}
SRC_FACETED = cite("google-faceted-2024")
SRC_CRAWL_BUDGET = cite("google-crawl-budget")


@dataclass(frozen=True)
class CrawlAssumptions:
    """The crawl model's one rate: an assumption, not a fact about any search engine."""

    crawl_per_day: int = 500

    def __post_init__(self) -> None:
        if not isinstance(self.crawl_per_day, int) or self.crawl_per_day < 1:
            raise InputError(f"crawl_per_day = {self.crawl_per_day!r}: expected a whole "
                             "number of URLs per day, at least 1.")


@dataclass(frozen=True)
class CrawlResult(Result):
    """URLs per cause, and what they do to a crawl cycle.

    ``by_cause`` has ``cause, urls, share, description, fix, crawled_after_fix``;
    :attr:`summary` the headline numbers: URLs, real pages, duplicate URLs, the share of
    crawling wasted, and the days one crawl cycle takes now, after the fixes (only the
    fixes that keep the crawler off a URL save days; canonical tags save none), and with
    only the real pages.
    """

    shape: SiteShape
    assumptions: CrawlAssumptions
    by_cause: pd.DataFrame = field(repr=False)

    @property
    def summary(self) -> dict[str, float | int]:
        urls = int(self.by_cause["urls"].sum())
        real = int(self.by_cause.loc[self.by_cause["cause"] == "real", "urls"].sum())
        fixed = int(self.by_cause["crawled_after_fix"].sum())
        per_day = self.assumptions.crawl_per_day
        return {
            "urls": urls,
            "real_pages": real,
            "duplicate_urls": urls - real,
            "urls_per_real_page": round(urls / real, 1),
            "wasted_crawl_share": round((urls - real) / urls, 3),
            "days_per_crawl_cycle": round(urls / per_day, 1),
            "urls_crawled_after_fixes": fixed,
            "days_after_fixes": round(fixed / per_day, 1),
            "days_if_only_real_pages": round(real / per_day, 1),
            "crawl_per_day": per_day,
        }

    def __repr__(self) -> str:
        s = self.summary
        return (f"CrawlResult(urls={s['urls']}, real_pages={s['real_pages']}, "
                f"wasted_crawl_share={s['wasted_crawl_share']}, "
                f"days_per_crawl_cycle={s['days_per_crawl_cycle']})")

    def summary_rows(self) -> list[tuple[str, str]]:
        s = self.summary
        return [
            ("URLs a crawler can find", f"{s['urls']:,}"),
            ("real pages", f"{s['real_pages']:,}"),
            ("URLs per real page", f"{s['urls_per_real_page']:,}"),
            ("share of crawling spent on duplicates", f"{s['wasted_crawl_share']:.0%}"),
            ("days for one crawl of every URL (also with canonical tags only)",
             f"{s['days_per_crawl_cycle']:,}"),
            ("… after the fixes (robots.txt, 301, fewer URLs made)",
             f"{s['days_after_fixes']:,}"),
            ("… if only the real pages were linked", f"{s['days_if_only_real_pages']:,}"),
        ]

    def summary_caption(self) -> str:
        return f"Crawl at {self.summary['crawl_per_day']:,} URLs per day (assumed)"


def simulate_crawl(
    shape: SiteShape | None = None,
    *,
    assumptions: CrawlAssumptions | None = None,
    fixes: dict[str, str] | None = None,
    **knobs: object,
) -> CrawlResult:
    """Count the shop's URLs by cause and the crawl they take; any size, no pages built.

    ``shape`` or its fields as keywords (``simulate_crawl(facets=4, session_ids=True)``).
    ``fixes`` maps a cause to one of :data:`FIXES` (default :data:`RECOMMENDED_FIXES`;
    causes not named keep their recommended fix).
    """
    plan = {**RECOMMENDED_FIXES, **(fixes or {})}
    unknown = sorted(set(plan) - set(CAUSES)) + sorted(
        f"{cause}={fix}" for cause, fix in plan.items() if fix not in FIXES)
    if unknown:
        raise InputError(f"fixes: unknown {', '.join(unknown)}.",
                         hint=f"Causes: {', '.join(CAUSES)}; fixes: {', '.join(FIXES)}.")
    if shape is None:
        shape = SiteShape(**knobs)  # type: ignore[arg-type]
    elif knobs:
        shape = SiteShape(**{**asdict(shape), **knobs})
    model = assumptions or CrawlAssumptions()
    counts = shape.url_counts()
    total = sum(counts.values())
    by_cause = pd.DataFrame({
        "cause": list(counts),
        "urls": list(counts.values()),
        "share": [round(value / total, 4) for value in counts.values()],
        "description": [CAUSES[cause] for cause in counts],
        "fix": [plan[cause] for cause in counts],
        "crawled_after_fix": [value if FIXES[plan[cause]][1] else 0
                              for cause, value in counts.items()],
    })
    return CrawlResult(shape=shape, assumptions=model, by_cause=by_cause)


def assumptions_table(assumptions: CrawlAssumptions | None = None,
                      shape: SiteShape | None = None) -> pd.DataFrame:
    """The model's assumption and the shop's knobs as a two-column table."""
    values = {**asdict(assumptions or CrawlAssumptions()), **asdict(shape or SiteShape())}
    return pd.DataFrame({"setting": list(values), "value": [str(v) for v in values.values()]})


def score_against_truth(clusters: pd.DataFrame, site: DuplicateSite) -> dict[str, float | int]:
    """How well ``clusters`` (from :func:`~kit.duplicates.near_duplicates`) match the truth.

    Pair precision: of the URL pairs put in one cluster, the share that are one real
    page; pair recall: of the URL pairs that are one real page, the share put together.
    """
    truth = site.truth
    merged = truth.merge(clusters[["url", "cluster"]], on="url", how="left")
    missing = int(merged["cluster"].isna().sum())
    if missing:
        raise InputError(f"{missing} URL(s) of the site are not in the clusters; run "
                         "near_duplicates on site.crawl_export().")
    true_labels = pd.factorize(merged["real_page"])[0]
    pred_labels = merged["cluster"].to_numpy()
    matrix = pair_confusion_matrix(true_labels, pred_labels)
    tp, fp, fn = int(matrix[1, 1]), int(matrix[0, 1]), int(matrix[1, 0])
    return {
        "urls": len(merged),
        "real_pages": int(truth["real_page"].nunique()),
        "clusters": int(clusters["cluster"].nunique()),
        "pair_precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "pair_recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
    }
