"""What "SEO the website" buys: IT's implementation against what Marketing meant.

The simulator applies changes to the seeded shop (:func:`kit.sites.seo_site`),
renders its HTML again, and runs the real audit (:func:`~kit.seo.audit.audit_pages`)
on the result.  It counts two numbers with :func:`~kit.seo.audit.page_scores`:

* **indexable pages**: answer 200, no noindex, not blocked in robots.txt, canonical
  missing or naming the page itself, and discoverable (an internal link points to the
  page, or the sitemap lists it);
* **well-described pages**: indexable, with a present, unique title of at most 60
  characters and a present, unique meta description.

Its rules are the audit's, stated in :data:`ASSUMPTIONS` and shown wherever the
result is shown.  The changes, in :data:`CHANGES`:

* IT's implementation: a keywords meta tag on every page (Google does not use it in
  web ranking: Google Webmaster Central blog, 21 Sep 2009) and a sitemap of every page
  the CMS knows (helps Google *discover* pages; Google Search Central, "Build and submit
  a sitemap").
* What Marketing meant: fix titles, meta descriptions, canonicals, noindex and
  robots.txt mistakes, and link the orphan pages.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from kit.results import Result
from kit.seo.audit import TITLE_MAX, audit_pages, page_scores
from kit.sites.seo_site import ROBOTS_MISTAKE, SeoSite, render_site

__all__ = [
    "ASSUMPTIONS",
    "CHANGES",
    "PLANS",
    "PLAN_LABELS",
    "SeoResult",
    "apply_changes",
    "assumptions_table",
    "change_effects",
    "compare_plans",
    "page_last_changed",
    "simulate_seo",
]

CHANGES: dict[str, tuple[str, str]] = {
    "meta_keywords": ("IT", "generate a keywords meta tag on every page"),
    "sitemap": ("IT", "upload a sitemap of every page the CMS knows"),
    "titles": ("Marketing", "a unique title of at most 60 characters on every page meant to "
                            "be found"),
    "descriptions": ("Marketing", "a specific meta description on every page meant to be found"),
    "canonicals": ("Marketing", "every page meant to be found names itself as canonical, in "
                                "<head>"),
    "noindex": ("Marketing", "remove the noindex tags, headers and robots.txt rules set by "
                             "mistake"),
    "orphans": ("Marketing", "link every orphan page from its category"),
}
"""Each change: who asked for or built it, and what it does to the site."""

PLANS: dict[str, tuple[str, ...]] = {
    "as_is": (),
    "it_delivered": ("meta_keywords", "sitemap"),
    "marketing_meant": ("titles", "descriptions", "canonicals", "noindex", "orphans"),
    "both": tuple(CHANGES),
}
PLAN_LABELS: dict[str, str] = {
    "as_is": "The site as it is",
    "it_delivered": "IT's implementation (meta keywords + sitemap)",
    "marketing_meant": "What Marketing meant (titles, descriptions, canonicals, noindex, "
                       "orphans)",
    "both": "Both",
}

ASSUMPTIONS: tuple[tuple[str, str], ...] = (
    ("what is counted",
     "pages Google *may* index and that offer a good title and description; not rankings, "
     "clicks or traffic, which also depend on content, links and competitors (not modelled)"),
    ("indexable",
     "answers 200, no noindex for Googlebot (meta robots, meta googlebot, X-Robots-Tag), not "
     "blocked by robots.txt (RFC 9309 rules), canonical missing or naming the page itself, "
     "and discoverable: linked from another page of the site or listed in the sitemap"),
    ("well described",
     f"indexable, with a present, unique title of at most {TITLE_MAX} characters and a "
     "present, unique meta description (Google may still rewrite either in its results)"),
    ("meta keywords",
     "Google does not use the keywords meta tag in web ranking (Google Webmaster Central "
     "blog, 21 Sep 2009): adding it changes neither number"),
    ("sitemap",
     "helps discovery only: an orphan page listed in it counts as discoverable; it fixes no "
     "title, description, canonical or noindex, and guarantees no indexing (Google Search "
     "Central, 'Build and submit a sitemap')"),
    ("link or sitemap",
     "discovery through a link and through the sitemap count the same here; in reality "
     "internal links also tell Google and visitors which pages matter"),
    ("on purpose",
     "the cart, checkout, account and search pages stay blocked, the thank-you page stays "
     "noindex and sorted copies keep their canonical on the category: no plan touches them"),
    ("broken canonical",
     "a canonical naming a page that is gone is a mixed signal; the page is counted as not "
     "reliably indexable until it is fixed"),
)
"""The model's rules, as ``(name, statement)``: shown next to every result."""


@dataclass(frozen=True)
class SeoResult(Result):
    """One plan applied to the site: per-page verdicts, the findings, and the totals."""

    plan: str
    changes: tuple[str, ...]
    scores: pd.DataFrame
    findings: pd.DataFrame = field(repr=False)
    meant: int = 0

    @property
    def summary(self) -> dict[str, int | str]:
        """The figures a meeting asks for."""
        severities = self.findings["severity"].astype(str).value_counts()
        return {
            "plan": self.plan,
            "pages_crawled": len(self.scores),
            "meant_to_be_found": self.meant,
            "indexable": int(self.scores["indexable"].sum()),
            "well_described": int(self.scores["well_described"].sum()),
            "errors": int(severities.get("error", 0)),
            "warnings": int(severities.get("warning", 0)),
            "meta_keywords_tags": int(self.findings["check"].eq("meta_keywords").sum()),
        }

    def __repr__(self) -> str:
        return "SeoResult(" + ", ".join(f"{k}={v}" for k, v in self.summary.items()) + ")"

    def summary_caption(self) -> str:
        return f"SEO plan: {html.escape(self.plan)}"


def _changes(plan: str | Iterable[str]) -> tuple[str, tuple[str, ...]]:
    if isinstance(plan, str):
        if plan in PLANS:
            return plan, PLANS[plan]
        if plan in CHANGES:
            return plan, (plan,)
        raise ValueError(f"unknown plan {plan!r}; choose one of {', '.join(PLANS)} or a list of "
                         f"changes from {', '.join(CHANGES)}")
    chosen = tuple(dict.fromkeys(plan))
    unknown = [name for name in chosen if name not in CHANGES]
    if unknown:
        raise ValueError(f"unknown change(s) {unknown}; choose from {', '.join(CHANGES)}")
    ordered = tuple(c for c in CHANGES if c in chosen)
    named = next((name for name, changes in PLANS.items() if set(changes) == set(chosen)), None)
    return named or " + ".join(ordered), ordered


def apply_changes(site: SeoSite, changes: Iterable[str]
                  ) -> tuple[pd.DataFrame, str, list[str] | None]:
    """``(spec, robots_txt, sitemap_urls)`` of the site after ``changes`` (names in CHANGES)."""
    chosen = set(changes)
    spec = site.spec.copy()
    robots_txt = site.robots_txt
    meant = spec["meant_indexed"].to_numpy(dtype=bool)
    if "titles" in chosen:
        spec.loc[meant, "title"] = spec.loc[meant, "good_title"]
    if "descriptions" in chosen:
        spec.loc[meant, "description"] = spec.loc[meant, "good_description"]
    if "canonicals" in chosen:
        spec.loc[meant, "canonical"] = spec.loc[meant, "url"]
        spec.loc[meant, "canonical_in_body"] = False
    if "noindex" in chosen:
        spec.loc[meant, "robots_meta"] = ""
        spec.loc[meant, "x_robots"] = ""
        robots_txt = robots_txt.replace(ROBOTS_MISTAKE, "")
    if "orphans" in chosen:
        linked = {link for links in spec.loc[spec["status"].eq(200), "links"] for link in links}
        orphan = meant & spec["status"].eq(200).to_numpy() & ~spec["url"].isin(linked).to_numpy()
        orphan &= ~spec["kind"].eq("home").to_numpy()
        for url, category in zip(spec.loc[orphan, "url"], spec.loc[orphan, "category"],
                                 strict=True):
            parent = spec.index[spec["url"].eq(f"/products/{category}/")] if category else []
            target = parent[0] if len(parent) else spec.index[spec["kind"].eq("home")][0]
            spec.at[target, "links"] = (*spec.at[target, "links"], url)
    if "meta_keywords" in chosen:
        ok = spec["status"].eq(200)
        spec.loc[ok, "keywords"] = [
            ", ".join(dict.fromkeys(word.strip("|,:–").lower() for word in
                                    str(title or h1 or "").split() if len(word) > 3))
            for title, h1 in zip(spec.loc[ok, "title"], spec.loc[ok, "h1s"].str[0], strict=True)
        ]
    sitemap = site.cms_urls if "sitemap" in chosen else None
    return spec, robots_txt, sitemap


def simulate_seo(site: SeoSite, plan: str | Iterable[str] = "as_is") -> SeoResult:
    """Apply ``plan`` (a name in :data:`PLANS`, or changes from :data:`CHANGES`) and count.

    Renders the changed site, audits it with the audit's own rules and returns a
    :class:`SeoResult` with per-page verdicts (``scores``) and ``findings``.
    """
    name, changes = _changes(plan)
    spec, robots_txt, sitemap = apply_changes(site, changes)
    pages = render_site(spec, site.origin)
    findings = audit_pages(pages, robots_txt=robots_txt, sitemap_urls=sitemap)
    scores = page_scores(pages, findings)
    return SeoResult(plan=name, changes=changes, scores=scores, findings=findings,
                     meant=int(spec["meant_indexed"].sum()))


def compare_plans(site: SeoSite, plans: Iterable[str] = tuple(PLANS)) -> pd.DataFrame:
    """One row of :attr:`SeoResult.summary` per plan, for a table or a chart."""
    return pd.DataFrame([simulate_seo(site, plan).summary for plan in plans])


def change_effects(site: SeoSite) -> pd.DataFrame:
    """Each change on its own: how many indexable and well-described pages it adds.

    Columns ``change, who, what, indexable_gain, well_described_gain`` (against the site
    as it is).  Gains of single changes need not add up: a page with a missing title and
    a noindex tag needs both fixes before it counts as well described.
    """
    base = simulate_seo(site, "as_is").summary
    rows = []
    for change, (who, what) in CHANGES.items():
        summary = simulate_seo(site, [change]).summary
        rows.append({"change": change, "who": who, "what": what,
                     "indexable_gain": int(summary["indexable"]) - int(base["indexable"]),
                     "well_described_gain": int(summary["well_described"])
                     - int(base["well_described"])})
    return pd.DataFrame(rows)


def assumptions_table() -> pd.DataFrame:
    """The simulator's rules as a two-column table for notebooks."""
    return pd.DataFrame(ASSUMPTIONS, columns=["assumption", "rule"])


_POST_YEAR = re.compile(r"^/blog/(\d{4})/")
_RECENT_KINDS = {"home": 14, "category": 45}


def page_last_changed(site: SeoSite, *, as_of: str | dt.date = "2026-11-01") -> dict[str, str]:
    """Each 200 page's last significant change, as the simulated shop's CMS records it.

    Returns ``{absolute url: "YYYY-MM-DD"}``, the per-page ``lastmod`` a useful sitemap
    carries (Google uses ``lastmod`` only when it is consistently accurate: one build
    date on every URL teaches it to ignore them).  The dates are seeded by the URL, so
    they are the same on every machine: a blog post last changed in the year of its
    address, the home page within 14 days of ``as_of``, a category within 45 days, every
    other page within the last year.
    """
    end = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
    dates: dict[str, str] = {}
    for url, kind, status in zip(site.spec["url"], site.spec["kind"], site.spec["status"],
                                 strict=True):
        if status != 200:
            continue
        seed = zlib.crc32(str(url).encode("utf-8"))
        year = _POST_YEAR.match(str(url))
        if year and int(year[1]) < end.year:
            day = dt.date(int(year[1]), 1, 1) + dt.timedelta(days=seed % 365)
        else:
            window = _RECENT_KINDS.get(str(kind), 365)
            day = end - dt.timedelta(days=seed % window)
        dates[site.origin + str(url)] = day.isoformat()
    return dates
