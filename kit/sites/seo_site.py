"""A seeded shop whose HTML has the faults real sites have, for module 02 (SEO).

:func:`seo_site` builds the outdoor shop as a crawler would fetch it: a home page,
16 categories, products, blog posts, help pages, a cart and checkout, sorted copies
of the category pages, old URLs that redirect and links to pages that are gone.  The
faults are the ones audits keep finding, each on a share of the pages and recorded
per page in ``spec["faults"]``:

* titles missing (a blog template bug), stuffed and too long (product pages), or the
  same on every help page; meta descriptions missing, or one boilerplate everywhere;
* no ``<h1>``, or the logo wrapped in a second ``<h1>``;
* canonicals missing, pointing at the home page (a template bug), at a page that is
  gone, or pushed into ``<body>`` by a tracking ``<div>`` injected into ``<head>``;
* ``noindex`` left over from the staging site on new blog posts, an ``X-Robots-Tag:
  noindex`` header on the help pages, a robots.txt rule that blocks the outlet
  products by accident;
* product pages no category links to any more (orphans);
* and harmless-but-ugly markup: upper-case tags, unclosed ``<p>`` and ``<li>``, missing
  ``</head>``, stray ``</div>``, pages in ISO-8859-1.

The cart, checkout, account and search pages are blocked in robots.txt on purpose,
the thank-you page is noindex on purpose, and the sorted copies point their canonical
at their category on purpose: ``spec["meant_indexed"]`` is False for those.
:func:`render_site` turns a (possibly edited) spec back into fetched pages, which is
how the simulator applies each fix.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ROBOTS_MISTAKE", "SeoSite", "render_page", "render_site", "seo_site"]

ORIGIN = "https://www.example-outdoor.com"
SHOP = "Example Outdoor"
_CATEGORIES = ["boots", "shoes", "sandals", "jackets", "trousers", "tents", "backpacks", "socks",
               "gloves", "hats", "fleeces", "sleeping-bags", "stoves", "headlamps", "poles",
               "bottles"]
_NOUNS = {"boots": "boots", "shoes": "shoes", "sandals": "sandals", "jackets": "jacket",
          "trousers": "trousers", "tents": "tent", "backpacks": "backpack", "socks": "socks",
          "gloves": "gloves", "hats": "hat", "fleeces": "fleece", "sleeping-bags": "sleeping bag",
          "stoves": "stove", "headlamps": "headlamp", "poles": "trekking poles",
          "bottles": "bottle"}
_BRANDS = ["Acme", "Northpeak", "Ridgeline", "Summit", "Trailhead", "Bluefjord", "Granite",
           "Kestrel", "Larch", "Moraine", "Nordkap", "Oakridge", "Pinecrest", "Redwood"]
_ADJECTIVES = ["waterproof", "lightweight", "insulated", "breathable", "alpine", "merino",
               "leather", "softshell", "thermal", "packable", "recycled", "windproof"]
_TOPICS = ["How to choose {noun}", "Caring for your {noun}", "{Adj} {noun}: a buying guide",
           "Ten tips for {adj} {noun}", "Packing list: {noun} for {season}",
           "Repair or replace your {noun}?"]
_SEASONS = ["spring", "summer", "autumn", "winter", "long trips", "families"]
_HELP = ["Delivery times", "Returns policy", "Size guide – Größen", "Warranty claims",
         "Store locator", "Gift cards", "Order tracking", "Payment options",
         "Student discount", "Repair service", "Price match", "Click and collect"]
_UTILITY = {"/cart": "Your basket", "/checkout": "Checkout", "/account": "Your account",
            "/search?q=boots": "Search results", "/thank-you": "Thank you for your order"}
BOILERPLATE = f"{SHOP}: outdoor gear for every trail. Free delivery over £50, free returns."
_ROBOTS_TXT = """\
# robots.txt for www.example-outdoor.com
User-agent: *
Disallow: /cart
Disallow: /checkout
Disallow: /account
Disallow: /search
# added for the staging site, never removed:
Disallow: /*outlet

Sitemap: https://www.example-outdoor.com/sitemap.xml
"""
ROBOTS_MISTAKE = "Disallow: /*outlet\n"
FAULT_RATES: dict[str, float] = {
    "title_missing": 0.04, "title_too_long": 0.12, "title_duplicate": 0.05,
    "description_missing": 0.2, "description_duplicate": 0.12, "h1_missing": 0.04,
    "h1_multiple": 0.1, "canonical_missing": 0.1, "canonical_home": 0.05,
    "canonical_gone": 0.02, "canonical_in_body": 0.04, "noindex_staging": 0.25,
    "outlet_blocked": 0.04, "orphan": 0.06, "broken_markup": 0.15,
}
"""Share of eligible pages given each fault (noindex_staging: of the blog posts;
title_missing: of blog posts; the others: of products and blog posts)."""


@dataclass(frozen=True)
class SeoSite:
    """The shop as crawled: ``pages`` (``url, status, html, headers``) and ``robots_txt``.

    ``spec`` has one row per URL with what the CMS serves (``title, description, h1s,
    canonical, canonical_in_body, robots_meta, x_robots, keywords, links, charset,
    broken_markup``), the page's ``kind``, whether it is ``meant_indexed``, its
    ``faults``, and the ``good_title`` / ``good_description`` Marketing would write.
    ``cms_urls`` lists every 200 page the CMS knows: what IT's sitemap uploads.
    """

    spec: pd.DataFrame
    robots_txt: str
    origin: str = ORIGIN
    pages: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pages", render_site(self.spec, self.origin))

    @property
    def cms_urls(self) -> list[str]:
        """Every URL the CMS lists as a page (all 200 pages but the sorted copies)."""
        spec = self.spec
        keep = spec["status"].eq(200) & ~spec["kind"].eq("variant")
        return [self.origin + url for url in spec.loc[keep, "url"]]

    @property
    def meant_indexed(self) -> int:
        """How many pages the shop wants people to find in Google."""
        return int(self.spec["meant_indexed"].sum())

    def __repr__(self) -> str:
        faults = sum(len(f) for f in self.spec["faults"])
        return (f"SeoSite({len(self.spec)} URLs, {self.meant_indexed} meant to be found, "
                f"{faults} planted faults, origin={self.origin!r})")

    def _repr_html_(self) -> str:
        counts = pd.Series([f for faults in self.spec["faults"] for f in faults],
                           dtype=object).value_counts()
        rows = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{v}</td></tr>"
                       for k, v in counts.items())
        return (f"<table><caption>{html.escape(self.origin)}: {len(self.spec)} URLs, "
                f"{self.meant_indexed} meant to be found</caption>"
                f"<tr><th>planted fault</th><th>pages</th></tr>{rows}</table>")


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _fit(title: str, limit: int = 60) -> str:
    """The title without its site suffix when the suffix would make it longer than ``limit``."""
    return title if len(title) <= limit else title.split(" | ")[0][:limit]


def _row(url: str, kind: str, title: str, h1: str, description: str, **extra: object
         ) -> dict[str, Any]:
    title = _fit(title)
    row: dict[str, Any] = {
        "url": url, "kind": kind, "status": 200, "title": title, "good_title": title,
        "description": description, "good_description": description, "h1s": (h1,),
        "canonical": url, "canonical_in_body": False, "robots_meta": "", "x_robots": "",
        "keywords": None, "links": (), "charset": "utf-8", "broken_markup": False,
        "meant_indexed": True, "faults": (), "category": None, "text": "",
    }
    row.update(extra)
    return row


def _products(n: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(rows) < n:
        category = _CATEGORIES[int(rng.integers(0, len(_CATEGORIES)))]
        noun = _NOUNS[category]
        brand = _BRANDS[int(rng.integers(0, len(_BRANDS)))]
        adjective = _ADJECTIVES[int(rng.integers(0, len(_ADJECTIVES)))]
        model = f"{'ABCDEKMRSTX'[int(rng.integers(0, 11))]}{int(rng.integers(10, 990))}"
        name = f"{brand} {adjective.capitalize()} {noun.capitalize()} {model}"
        url = f"/products/{category}/{_slug(name)}"
        if url in seen:
            continue
        seen.add(url)
        good = f"{name} | {SHOP}"
        description = (f"{name}: {adjective} {noun} by {brand}. Sizes, reviews and free "
                       f"delivery from {SHOP}.")
        text = (f"The {name} is a {adjective} {noun} made by {brand} for walkers who need "
                f"reliable kit. " * int(rng.integers(3, 9)))
        rows.append(_row(url, "product", good, name, description, category=category, text=text,
                         stuffed=f"Buy {brand} {adjective.capitalize()} {noun.capitalize()} "
                                 f"{model} Online | Best Price {noun.capitalize()} | Free "
                                 f"Delivery | {SHOP}"))
    return rows


def _posts(n: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    attempts = 0
    while len(rows) < n and attempts < n * 50:
        attempts += 1
        category = _CATEGORIES[int(rng.integers(0, len(_CATEGORIES)))]
        noun = _NOUNS[category]
        adjective = _ADJECTIVES[int(rng.integers(0, len(_ADJECTIVES)))]
        pattern = _TOPICS[int(rng.integers(0, len(_TOPICS)))]
        topic = pattern.format(noun=noun, adj=adjective, Adj=adjective.capitalize(),
                               season=_SEASONS[int(rng.integers(0, len(_SEASONS)))])
        topic = topic[0].upper() + topic[1:]
        year = int(rng.integers(2016, 2025))
        if topic in seen:  # the same subject again, a later year: say so in the title
            topic = f"{topic} ({year})"
        if topic in seen:
            continue
        seen.add(topic)
        url = f"/blog/{year}/{_slug(topic)}"
        description = f"{topic}: advice from the {SHOP} team ({year})."
        text = f"{topic}. Our team tested {noun}s on the trail and wrote up what works. " * int(
            rng.integers(4, 10))
        rows.append(_row(url, "blog", f"{topic} | {SHOP} Blog", topic, description,
                         category=category, text=text, year=year))
    return rows


def _pick(rng: np.random.Generator, rows: list[dict[str, Any]], share: float,
          exclude: set[int] | None = None) -> list[int]:
    """Indexes of about ``share`` of ``rows`` (at least one when share > 0), not in exclude."""
    pool = [i for i in range(len(rows)) if not exclude or i not in exclude]
    count = min(len(pool), max(1, round(share * len(rows)))) if share > 0 and pool else 0
    return sorted(rng.choice(pool, size=count, replace=False).tolist()) if count else []


def _fault(row: dict[str, Any], name: str) -> None:
    row["faults"] = (*row["faults"], name)


def seo_site(n_pages: int = 300, *, seed: int = 0) -> SeoSite:
    """The seeded shop with about ``n_pages`` URLs (at least 60), faults and all."""
    if n_pages < 60:
        raise ValueError("seo_site needs n_pages >= 60 (home, categories, help and utility "
                         "pages alone take 50)")
    rng = np.random.default_rng(seed)
    home = _row("/", "home", f"{SHOP} | Gear for every trail", "Gear for every trail",
                f"Boots, tents, jackets and advice for walkers and climbers. {SHOP} since 1998.",
                text="Welcome to the shop. " * 5)
    categories = [
        _row(f"/products/{c}/", "category", f"{c.replace('-', ' ').capitalize()} | {SHOP}",
             c.replace("-", " ").capitalize(),
             f"All our {c.replace('-', ' ')}: compare brands, sizes and reviews at {SHOP}.",
             category=c, text=f"Browse our {c}. " * 6)
        for c in _CATEGORIES
    ]
    helps = [_row(f"/help/{_slug(h)}", "help", f"{h} | {SHOP} Help", h,
                  f"{h}: everything you need to know about shopping at {SHOP}.",
                  text=f"{h}. Questions and answers. " * 4) for h in _HELP]
    for index in (2, 7):  # two old help pages still served as ISO-8859-1, correctly declared
        helps[index]["charset"] = "iso-8859-1"
    utility = [_row(url, "utility", f"{title} | {SHOP}", title, "", meant_indexed=False,
                    text="…") for url, title in _UTILITY.items()]
    utility[-1]["robots_meta"] = "noindex, nofollow"  # thank-you: noindex on purpose
    blog_index = _row("/blog/", "blog_index", f"Blog | {SHOP}", "Advice from the trail",
                      f"Guides, tips and stories from the {SHOP} team.", text="Latest posts. ")
    variants = [_row(f"/products/{c}/?sort=price", "variant", row["title"], row["h1s"][0],
                     row["description"], canonical=f"/products/{c}/", meant_indexed=False,
                     category=c, text=row["text"])
                for c, row in zip(_CATEGORIES, categories, strict=True)]
    fixed = 1 + len(categories) + len(helps) + len(utility) + 1 + len(variants)
    rest = n_pages - fixed
    n_redirects = max(1, round(rest * 0.03))
    n_gone = max(1, round(rest * 0.02))
    posts = _posts(max(2, round((rest - n_redirects - n_gone) * 0.25)), rng)
    products = _products(rest - n_redirects - n_gone - len(posts), rng)
    gone = [dict(_row(f"/products/discontinued-{i + 1}", "gone", "Page not found",
                      "Page not found", "", meant_indexed=False), status=404)
            for i in range(n_gone)]
    redirects = []
    for i in range(n_redirects):
        target = products[int(rng.integers(0, len(products)))]["url"]
        redirects.append(dict(_row(f"/old/product-{i + 1}.html", "redirect", "", "", "",
                                   meant_indexed=False), status=301, location=target))

    content = products + posts
    # --- faults ---------------------------------------------------------------------------
    for i in _pick(rng, products, FAULT_RATES["outlet_blocked"]):
        url = f"{products[i]['url']}-outlet"
        products[i].update(url=url, canonical=url,
                           good_title=_fit(str(products[i]["good_title"]).replace(
                               " |", " Outlet |")))
        _fault(products[i], "outlet_blocked")
    for i in _pick(rng, posts, FAULT_RATES["title_missing"]):
        posts[i]["title"] = None
        _fault(posts[i], "title_missing")
    for i in _pick(rng, products, FAULT_RATES["title_too_long"]):
        products[i]["title"] = products[i]["stuffed"]
        _fault(products[i], "title_too_long")
    for i in _pick(rng, products, FAULT_RATES["title_duplicate"]):
        if products[i]["title"] == products[i]["good_title"]:
            products[i]["title"] = f"{SHOP} Shop"
            _fault(products[i], "title_duplicate")
    for row in helps:
        row["title"] = f"Help | {SHOP}"
        _fault(row, "title_duplicate")
    missing = set(_pick(rng, content, FAULT_RATES["description_missing"]))
    for i in missing:
        content[i]["description"] = None
        _fault(content[i], "description_missing")
    for i in _pick(rng, content, FAULT_RATES["description_duplicate"], missing):
        content[i]["description"] = BOILERPLATE
        _fault(content[i], "description_duplicate")
    for i in _pick(rng, content, FAULT_RATES["h1_missing"]):
        content[i]["h1s"] = ()
        _fault(content[i], "h1_missing")
    for i in _pick(rng, content, FAULT_RATES["h1_multiple"]):
        if content[i]["h1s"]:
            content[i]["h1s"] = (SHOP, *content[i]["h1s"])
            _fault(content[i], "h1_multiple")
    taken: set[int] = set()
    for name, share in (("canonical_missing", FAULT_RATES["canonical_missing"]),
                        ("canonical_home", FAULT_RATES["canonical_home"]),
                        ("canonical_gone", FAULT_RATES["canonical_gone"]),
                        ("canonical_in_body", FAULT_RATES["canonical_in_body"])):
        chosen = _pick(rng, content, share, taken)
        taken |= set(chosen)
        for i in chosen:
            _fault(content[i], name)
            if name == "canonical_missing":
                content[i]["canonical"] = None
            elif name == "canonical_home":
                content[i]["canonical"] = "/"
            elif name == "canonical_gone":
                content[i]["canonical"] = gone[int(rng.integers(0, len(gone)))]["url"]
            else:
                content[i]["canonical_in_body"] = True
    for i in _pick(rng, posts, FAULT_RATES["noindex_staging"]):
        posts[i]["robots_meta"] = "noindex, nofollow"
        _fault(posts[i], "noindex_staging")
    for row in helps[-3:]:
        row["x_robots"] = "noindex"
        _fault(row, "noindex_header")
    orphans = set(_pick(rng, products, FAULT_RATES["orphan"]))
    for i in orphans:
        _fault(products[i], "orphan")
    for i in [i for i, row in enumerate(posts) if row.get("year", 0) <= 2017][:3]:
        posts[i]["keywords"] = "outdoor, gear, boots, tents, hiking, camping, cheap"
        _fault(posts[i], "legacy_keywords")
    everything = [home, *categories, blog_index, *helps, *utility, *variants, *content, *gone,
                  *redirects]
    for i in _pick(rng, everything, FAULT_RATES["broken_markup"]):
        everything[i]["broken_markup"] = True

    # --- links ----------------------------------------------------------------------------
    by_category: dict[str, list[str]] = {c: [] for c in _CATEGORIES}
    linkable = [row for i, row in enumerate(products) if i not in orphans]
    for row in linkable:
        by_category[str(row["category"])].append(str(row["url"]))
    home["links"] = (*(c["url"] for c in categories), "/blog/",
                     *(p["url"] for p in linkable[:8]))
    for row in categories:
        row["links"] = (*by_category[str(row["category"])], f"{row['url']}?sort=price")
    for row in variants:
        row["links"] = tuple(by_category[str(row["category"])])
    blog_index["links"] = tuple(p["url"] for p in posts)
    for row in products:
        same = by_category[str(row["category"])]
        picks: list[int] = (rng.choice(len(same), size=min(3, len(same)), replace=False).tolist()
                            if same else [])
        row["links"] = (f"/products/{row['category']}/", *(same[int(j)] for j in picks))
    for i, row in enumerate(posts):
        shop = by_category[str(row["category"])] or [linkable[0]["url"]]
        extra: list[str] = []
        if i < len(gone):
            extra.append(str(gone[i]["url"]))
        if i < len(redirects):
            extra.append(str(redirects[i]["url"]))
        row["links"] = (*(shop[int(j)] for j in rng.choice(len(shop), size=min(2, len(shop)),
                                                           replace=False)),
                        "/blog/", *extra)
    for row in gone[len(posts):]:  # more gone pages than posts: link them from the home page
        home["links"] = (*home["links"], row["url"])
    for row in redirects[len(posts):]:
        home["links"] = (*home["links"], row["url"])

    spec = pd.DataFrame(everything)
    spec = spec.drop(columns=["stuffed", "year"], errors="ignore")
    for column in ("location",):
        if column not in spec.columns:
            spec[column] = None
    spec = spec.astype({"title": object, "description": object, "canonical": object,
                        "keywords": object, "location": object})
    spec = spec.where(pd.notna(spec), None)
    return SeoSite(spec=spec.reset_index(drop=True), robots_txt=_ROBOTS_TXT)


# --- rendering ------------------------------------------------------------------------------

_NAV = "".join(f'<li><a href="/products/{c}/">{c.replace("-", " ").capitalize()}</a></li>'
               for c in _CATEGORIES)
_FOOTER = "".join(f'<li><a href="/help/{_slug(h)}">{html.escape(h)}</a></li>' for h in _HELP)


def render_page(row: pd.Series | dict[str, Any], origin: str = ORIGIN
                ) -> tuple[str | bytes, dict[str, str]]:
    """One page's HTML (bytes for non-UTF-8 pages) and response headers, from its spec."""
    get = row.get
    status = int(get("status") or 200)
    headers = {"Content-Type": f"text/html; charset={get('charset') or 'utf-8'}"}
    if 300 <= status < 400:
        headers["Location"] = origin + str(get("location"))
        return "", headers
    if get("x_robots"):
        headers["X-Robots-Tag"] = str(get("x_robots"))
    esc = html.escape
    broken = bool(get("broken_markup"))
    head = [f'<meta charset="{get("charset") or "utf-8"}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">']
    title = get("title")
    if title is not None:
        head.append(f"<TITLE>{esc(str(title))}</TITLE>" if broken
                    else f"<title>{esc(str(title))}</title>")
    if get("description"):
        head.append(f'<meta name="description" content="{esc(str(get("description")))}">')
    if get("keywords"):
        head.append(f'<meta name="keywords" content="{esc(str(get("keywords")))}">')
    if get("robots_meta"):
        head.append(f'<meta name="robots" content="{esc(str(get("robots_meta")))}">')
    if get("canonical_in_body"):
        head.append('<div id="consent-banner" style="display:none"></div>')
    canonical = get("canonical")
    if canonical:
        href = canonical if str(canonical).startswith("http") else origin + str(canonical)
        head.append(f'<link rel=canonical href={esc(href)}>' if broken
                    else f'<link rel="canonical" href="{esc(href)}">')
    head.append('<link rel="stylesheet" href="/static/site.css">')
    h1s = list(get("h1s") or ())
    logo = (f'<a href="/" class="logo"><h1>{esc(h1s.pop(0))}</h1></a>' if len(h1s) > 1
            else '<a href="/" class="logo">Example Outdoor</a>')
    links = "".join(
        f'<li><a href="{esc(str(link))}">{esc(str(link).strip("/").split("/")[-1]) or "home"}</a>'
        + ("" if broken else "</li>") for link in get("links") or ())
    body_text = esc(str(get("text") or ""))
    paragraph = f"<p>{body_text}" + ("" if broken else "</p>")
    main = "".join(f"<h1>{esc(h)}</h1>" for h in h1s) + paragraph
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n" + "\n".join(head) + "\n"
        + ("" if broken else "</head>\n<body>\n")
        + f'<header>{logo}<nav><ul>{_NAV}<li><a href="/blog/">Blog</a></li>'
        + '<li><a href="/cart">Basket</a></li><li><a href="/account">Account</a></li></ul></nav>'
        + "</header>\n"
        + f"<main>{main}<ul class=related>{links}</ul></main>\n"
        + ("</div>" if broken else "")
        + f"<footer><ul>{_FOOTER}</ul><p>&copy; {SHOP}</p></footer>\n</body>\n</html>\n"
    )
    charset = str(get("charset") or "utf-8")
    if charset != "utf-8":
        return page.encode(charset, errors="xmlcharrefreplace"), headers
    return page, headers


def render_site(spec: pd.DataFrame, origin: str = ORIGIN) -> pd.DataFrame:
    """Fetched pages (``url, status, html, headers``) for every row of ``spec``."""
    rows = []
    for record in spec.to_dict("records"):
        body, headers = render_page(record, origin)
        rows.append({"url": origin + str(record["url"]), "status": int(record["status"]),
                     "html": body, "headers": headers})
    return pd.DataFrame(rows, columns=["url", "status", "html", "headers"], dtype=object)
