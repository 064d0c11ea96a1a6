"""A seeded shop whose navigation multiplies its URLs, for module 03 (duplicates).

:func:`duplicate_site` builds a small outdoor shop (home, a few help pages, categories,
products) and then every URL its navigation and habits create on top of them, each
answering 200 with a full page, as happens on real shops:

* **filters** (faceted navigation): ``/boots/?colour=red&size=42``, every combination of
  up to ``max_filters`` facets, in one parameter order or in every order;
* **sort orders**: ``?sort=price-asc`` on every listing view;
* **print versions**: ``/boots/<product>/print/`` for every product;
* **tracking parameters** on internal links (a homepage banner tagged with ``utm_*``);
* **session ids** in URLs (``;jsessionid=…``) for visitors without cookies;
* the **http://** address of every page still answering 200 instead of redirecting;
* a few products **copied** into the sale category at a second address.

The planted truth says which real page each URL is: a filter or sort view belongs to
its category, a print version, tracked, session or http URL to its page, a copy to its
original.  That a filter view is *not* a page of its own is an assumption: a shop that
wants "red boots" to rank makes it a real landing page.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from kit.errors import InputError

__all__ = ["FACETS", "MAX_GENERATED_URLS", "DuplicateSite", "SiteShape", "duplicate_site"]

MAX_GENERATED_URLS = 100_000

FACETS: dict[str, tuple[str, ...]] = {
    "colour": ("red", "blue", "black", "green", "grey", "orange", "white", "yellow", "brown",
               "purple"),
    "size": ("36", "37", "38", "39", "40", "41", "42", "43", "44", "45"),
    "brand": ("acme", "northpeak", "ridgeline", "summit", "trailhead", "bluefjord", "granite",
              "kestrel", "larch", "moraine"),
    "material": ("leather", "mesh", "nylon", "wool", "canvas", "suede", "rubber", "gore-tex",
                 "polyester", "cotton"),
    "fit": ("narrow", "regular", "wide", "slim", "relaxed", "tall", "short", "petite", "plus",
            "junior"),
    "price": ("under-50", "50-100", "100-150", "150-200", "200-300", "300-400", "400-500",
              "500-750", "750-1000", "over-1000"),
}
_CATEGORIES = ("boots", "shoes", "jackets", "tents", "backpacks", "socks", "gloves", "hats",
               "fleeces", "stoves", "headlamps", "bottles")
_SORTS = ("price-asc", "price-desc", "newest", "rating", "name")
_HELP = (("about", "About us"), ("delivery", "Delivery"), ("returns", "Returns"))
_WORDS = (
    "durable", "light", "warm", "dry", "breathable", "grippy", "soft", "tough", "packable",
    "stable", "sturdy", "comfortable", "waterproof", "padded", "reinforced", "recycled",
    "quick", "drying", "insulated", "flexible", "cushioned", "supportive", "rugged", "compact",
    "versatile", "sleek", "classic", "technical", "alpine", "coastal", "forest", "mountain",
    "trail", "river", "valley", "summit", "ridge", "meadow", "canyon", "glacier", "desert",
    "island", "morning", "evening", "weekend", "winter", "summer", "spring", "autumn", "rain",
    "snow", "wind", "sun", "mud", "rock", "walk", "hike", "climb", "camp", "run", "travel",
    "commute", "explore", "wander", "scramble", "paddle", "cycle", "sole", "lining", "upper",
    "heel", "toe", "strap", "zip", "hood", "pocket", "collar", "cuff", "seam", "lace",
    "buckle", "fabric", "leather", "mesh", "wool", "down", "fleece", "nylon", "canvas",
    "rubber", "foam", "membrane", "shell", "fits", "feels", "keeps", "stays", "holds", "grips",
    "dries", "breathes", "protects", "supports", "lasts", "packs", "all", "day", "long",
    "miles", "steep", "wet", "cold", "hot", "rough", "easy", "first", "last", "every", "new",
    "old",
)
_SENTENCES = (
    "{a} and {b} for {c} days on the {d}",
    "the {e} {f} {g} even when the {h} turns {i}",
    "built with a {a} {j} and a {b} {k} that {f} {l}",
    "our testers took it on a {c} {d} and it {f} {a}",
    "pair it with {m} {n} for {o} {p}",
)


@dataclass(frozen=True)
class SiteShape:
    """The knobs of the shop: how big it is and which habits multiply its URLs.

    Real pages: ``1`` home + 3 help pages + ``categories`` + ``categories *
    products_per_category`` products.  The rest are the variants described in
    :mod:`kit.sites.duplicate_site`; ``tracked_share`` of the products carry
    ``tracking_variants`` tagged links, ``copied_share`` are copied into ``/sale/``.
    """

    categories: int = 6
    products_per_category: int = 20
    facets: int = 3
    values_per_facet: int = 4
    max_filters: int = 2
    any_parameter_order: bool = False
    sort_orders: int = 3
    print_versions: bool = True
    tracked_share: float = 0.25
    tracking_variants: int = 2
    session_ids: bool = False
    http_variants: bool = True
    copied_share: float = 0.05

    def __post_init__(self) -> None:
        limits = {
            "categories": (1, len(_CATEGORIES)), "products_per_category": (1, 200),
            "facets": (0, len(FACETS)), "values_per_facet": (1, 10), "max_filters": (0, 6),
            "sort_orders": (0, len(_SORTS)), "tracking_variants": (0, 10),
        }
        problems = [f"{name} = {getattr(self, name)!r}: expected a whole number from {lo} to {hi}"
                    for name, (lo, hi) in limits.items()
                    if not isinstance(getattr(self, name), int | np.integer)
                    or not lo <= getattr(self, name) <= hi]
        for name in ("tracked_share", "copied_share"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0 <= value <= 1:
                problems.append(f"{name} = {value!r}: expected a share from 0 to 1")
        if problems:
            raise InputError("site shape: some knobs are out of range.", problems)

    @property
    def real_pages(self) -> int:
        """Home, help pages, categories and products."""
        return 1 + len(_HELP) + self.categories + self.categories * self.products_per_category

    def url_counts(self) -> dict[str, int]:
        """How many URLs each cause adds: exact counts of what :func:`duplicate_site` makes.

        Per category, a listing view is a choice of up to ``max_filters`` of the
        ``facets`` (each with ``values_per_facet`` values) and one of ``sort_orders + 1``
        orders (the default order adds no parameter); with ``any_parameter_order`` a view
        with k filters is linked in all k! parameter orders.
        """
        products = self.categories * self.products_per_category
        views = [math.comb(self.facets, k) * self.values_per_facet**k
                 for k in range(1, min(self.max_filters, self.facets) + 1)]
        orders = [math.factorial(k) - 1 for k in range(1, len(views) + 1)]
        sorts = self.sort_orders + 1
        real = self.real_pages
        return {
            "real": real,
            "filter": self.categories * sum(views) * sorts,
            "sort": self.categories * self.sort_orders,
            "parameter_order": (self.categories * sorts
                                * sum(v * o for v, o in zip(views, orders, strict=True))
                                if self.any_parameter_order else 0),
            "print": products if self.print_versions else 0,
            "tracking": (round(self.tracked_share * products) * self.tracking_variants),
            "copy": round(self.copied_share * products),
            "session": real if self.session_ids else 0,
            "http": real if self.http_variants else 0,
        }

    @property
    def facet_names(self) -> tuple[str, ...]:
        """The parameter names of the filters in use (``colour``, ``size`` ...)."""
        return tuple(list(FACETS)[: self.facets])


@dataclass(frozen=True)
class DuplicateSite:
    """A generated shop: every URL a crawler finds, and the real page behind each.

    ``pages`` has ``url, html, status, canonical, inlinks`` (what a crawl export holds)
    and the planted truth ``real_page`` (the URL of the real page) and ``cause`` (why
    the URL exists: ``real``, ``filter``, ``sort``, ``parameter_order``, ``print``,
    ``tracking``, ``session``, ``http``, ``copy``).
    """

    pages: pd.DataFrame
    shape: SiteShape
    seed: int = 0
    origin: str = "https://www.example-outdoor.com"

    @property
    def real_pages(self) -> int:
        return int(self.pages["real_page"].nunique())

    @property
    def truth(self) -> pd.DataFrame:
        """``url, real_page, cause``: the answer key."""
        return self.pages[["url", "real_page", "cause"]]

    def crawl_export(self) -> pd.DataFrame:
        """The pages as a crawl tool would export them, without the answer key."""
        return self.pages.drop(columns=["real_page", "cause"])

    def __repr__(self) -> str:
        return (f"DuplicateSite(urls={len(self.pages)}, real_pages={self.real_pages}, "
                f"seed={self.seed})")

    def _repr_html_(self) -> str:
        counts = self.pages["cause"].value_counts()
        rows = "".join(f"<tr><td style='text-align:left'>{cause}</td><td>{count:,}</td></tr>"
                       for cause, count in counts.items())
        return (f"<table><caption>Generated shop: {len(self.pages):,} URLs for "
                f"{self.real_pages:,} real pages</caption><tr><th>why the URL exists</th>"
                f"<th>URLs</th></tr>{rows}</table>")


def _sentence(rng: np.random.Generator) -> str:
    pattern = _SENTENCES[int(rng.integers(len(_SENTENCES)))]
    words = rng.choice(_WORDS, size=16)
    return pattern.format(**dict(zip("abcdefghijklmnop", words, strict=True)))


def _html(title: str, main: str, categories: tuple[str, ...], *, printable: bool = False) -> str:
    nav = "" if printable else (
        "<header><a href='/'>Example Outdoor</a> <form>Search</form></header><nav>"
        + " ".join(f"<a href='/{c}/'>{c.title()}</a>" for c in categories) + "</nav>")
    foot = ("<footer>Printed from www.example-outdoor.com</footer>" if printable else
            "<footer>Example Outdoor · Delivery · Returns · Contact</footer>")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>{nav}<main><h1>{title}</h1>{main}</main>{foot}</body></html>")


def _listing(items: list[dict[str, Any]], category: str, empty_note: str) -> str:
    if not items:
        return f"<p>No {category} match these filters. {empty_note}</p>"
    return "".join(f"<article><h2>{item['name']}</h2><p>{item['blurb']}</p></article>"
                   for item in items)


def duplicate_site(shape: SiteShape | None = None, *, seed: int = 0, **knobs: object
                   ) -> DuplicateSite:
    """A seeded shop with its URL variants and the planted truth.

    Pass a :class:`SiteShape` or its fields as keywords:
    ``duplicate_site(facets=2, session_ids=True, seed=3)``.
    """
    if shape is None:
        shape = SiteShape(**knobs)  # type: ignore[arg-type]
    elif knobs:
        shape = SiteShape(**{**asdict(shape), **knobs})
    total = sum(shape.url_counts().values())
    if total > MAX_GENERATED_URLS:
        raise InputError(
            f"site shape: this shop has {total:,} URLs, more than the {MAX_GENERATED_URLS:,} "
            "the generator writes out.",
            hint="Use fewer facets, values or filters; kit.duplicates.simulate_crawl counts "
                 "any size without generating pages.",
        )
    rng = np.random.default_rng(seed)
    origin = DuplicateSite.origin  # the dataclass field's default
    categories = _CATEGORIES[: shape.categories]
    facets = shape.facet_names
    rows: list[dict[str, object]] = []

    def add(url: str, html: str, real: str, cause: str, inlinks: int) -> None:
        rows.append({"url": origin + url, "html": html, "status": 200, "canonical": None,
                     "inlinks": inlinks, "real_page": origin + real, "cause": cause})

    add("/", _html("Gear for every trail", "<p>" + ". ".join(_sentence(rng) for _ in range(6))
                   + "</p>", categories), "/", "real", 40)
    for slug, title in _HELP:
        add(f"/{slug}/", _html(title, "<p>" + ". ".join(_sentence(rng) for _ in range(8))
                               + "</p>", categories), f"/{slug}/", "real", 30)

    products: dict[str, list[dict[str, Any]]] = {}
    for category in categories:
        items: list[dict[str, Any]] = []
        for number in range(shape.products_per_category):
            brand = FACETS["brand"][int(rng.integers(10))]
            model = f"{'ABCDEFGHKMPRSTX'[int(rng.integers(15))]}{int(rng.integers(100, 999))}"
            name = f"{brand.title()} {rng.choice(_WORDS)} {category[:-1]} {model}"
            slug = "-".join(name.lower().split()) + f"-{number}"
            items.append({
                "name": name, "url": f"/{category}/{slug}/",
                "blurb": ". ".join(_sentence(rng) for _ in range(3)),
                "description": ". ".join(_sentence(rng) for _ in range(18)),
                "values": {facet: FACETS[facet][int(rng.integers(shape.values_per_facet))]
                           for facet in facets},
            })
        products[category] = items

    for category in categories:
        items = products[category]
        base = f"/{category}/"
        title = category.title()
        note = ". ".join(_sentence(rng) for _ in range(2))
        add(base, _html(title, _listing(items, category, note), categories), base, "real", 35)
        combos: list[tuple[tuple[str, str], ...]] = [()]
        for k in range(1, min(shape.max_filters, len(facets)) + 1):
            for chosen in itertools.combinations(facets, k):
                for values in itertools.product(*(FACETS[f][: shape.values_per_facet]
                                                  for f in chosen)):
                    combos.append(tuple(zip(chosen, values, strict=True)))
        sorts = (None, *_SORTS[: shape.sort_orders])
        for combo in combos:
            matching = [item for item in items
                        if all(item["values"][facet] == value for facet, value in combo)]
            orders = (list(itertools.permutations(combo)) if shape.any_parameter_order
                      else [combo])
            for sort in sorts:
                shown = sorted(matching, key=functools.partial(_sort_key, sort=sort))
                page = _html(title, _listing(shown, category, note), categories)
                for position, order in enumerate(orders):
                    params = [f"{facet}={value}" for facet, value in order]
                    if sort:
                        params.append(f"sort={sort}")
                    if not params:
                        continue
                    cause = ("parameter_order" if position else
                             "filter" if combo else "sort")
                    add(base + "?" + "&".join(params), page, base, cause, 1)

    everything = [item for category in categories for item in products[category]]
    tracked = _chosen(len(everything), shape.tracked_share if shape.tracking_variants else 0, rng)
    copied = _chosen(len(everything), shape.copied_share, rng)
    for index, item in enumerate(everything):
        url = str(item["url"])
        main = f"<p>{item['description']}</p>"
        page = _html(str(item["name"]), main, categories)
        add(url, page, url, "real", int(rng.integers(3, 25)))
        if shape.print_versions:
            add(url + "print/", _html(str(item["name"]), main, categories, printable=True),
                url, "print", 1)
        if index in tracked:
            for variant in range(shape.tracking_variants):
                add(f"{url}?utm_source=homepage&utm_medium=banner&utm_campaign=spring-"
                    f"{variant + 1}", page, url, "tracking", 1)
        if index in copied:
            add(f"/sale/{url.split('/')[2]}/", page, url, "copy", 1)

    real_rows = [row for row in rows if row["cause"] == "real"]
    if shape.session_ids:
        for row in real_rows:
            token = "".join(rng.choice(list("0123456789ABCDEF"), size=16))
            path = str(row["url"])[len(origin):]
            path, _, query = path.partition("?")
            add(f"{path};jsessionid={token}" + (f"?{query}" if query else ""),
                str(row["html"]), str(row["real_page"])[len(origin):], "session", 0)
    if shape.http_variants:
        for row in real_rows:
            rows.append({**row, "url": "http://" + str(row["url"]).split("://", 1)[1],
                         "cause": "http", "inlinks": 0})
    pages = pd.DataFrame(rows)
    for column in ("url", "html", "canonical", "real_page", "cause"):
        pages[column] = pages[column].astype(object)
    return DuplicateSite(pages=pages, shape=shape, seed=seed)


def _chosen(count: int, share: float, rng: np.random.Generator) -> set[int]:
    """Exactly ``round(share * count)`` of ``count`` items, chosen at random."""
    return set(rng.permutation(count)[: round(share * count)].tolist())


def _sort_key(item: dict[str, Any], sort: str | None) -> tuple[object, ...]:
    name = str(item["name"])
    if sort is None:
        return (0,)
    if sort == "name":
        return (name,)
    digest = sum(ord(c) * (i + 1) for i, c in enumerate(name + sort))
    return (digest % 997, name)
