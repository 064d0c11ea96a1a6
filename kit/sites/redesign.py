"""A seeded site relaunch with known truth, for module 01 (redirects).

:func:`redesign` models a site relaunch the way it happens: folders renamed, slugs
reworded and reordered, file extensions dropped, some titles rewritten, colour
variants merged into one page, and a share of pages removed.  It returns the old
inventory (with weekly organic visits and inbound links, Zipf-like), the new
inventory, and the true old→new map to score tools against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Redesign", "redesign"]

_BRANDS = ["acme", "northpeak", "ridgeline", "summit", "trailhead", "bluefjord", "granite",
           "kestrel", "larch", "moraine", "nordkap", "oakridge", "pinecrest", "quarry", "redwood",
           "sierra", "tundra", "umber", "valley", "wildrose"]
_CATEGORIES = {
    "boots": ["boot", "boots"], "shoes": ["shoe", "shoes"], "sandals": ["sandal", "sandals"],
    "jackets": ["jacket", "jackets"], "trousers": ["trousers", "pants"],
    "tents": ["tent", "tents"], "backpacks": ["backpack", "rucksack"],
    "socks": ["socks", "socks"], "gloves": ["gloves", "gloves"], "hats": ["hat", "cap"],
    "fleeces": ["fleece", "fleece"], "sleeping-bags": ["sleeping bag", "sleeping bag"],
    "stoves": ["stove", "cooker"], "headlamps": ["headlamp", "head torch"],
    "poles": ["trekking poles", "walking poles"], "bottles": ["bottle", "flask"],
}
_ADJECTIVES = ["waterproof", "lightweight", "insulated", "breathable", "trail", "hiking",
               "running", "climbing", "winter", "summer", "alpine", "ultralight", "merino",
               "leather", "softshell", "hardshell", "approach", "trekking", "expedition",
               "packable", "recycled", "thermal", "windproof", "quick-dry"]
_AUDIENCES = ["mens", "womens", "kids", "unisex"]
_COLOURS = ["red", "blue", "black", "green", "grey", "orange"]
_TOPICS = ["choose", "clean", "waterproof", "pack", "fit", "repair", "store", "layer",
           "wax", "size", "break-in", "resole"]
_BLOG_PATTERNS = [
    "how to {topic} your {noun}",
    "{adj} {noun} buying guide",
    "best {adj} {noun} for {season}",
    "{noun} care tips for {season}",
    "what to look for in {adj} {noun}",
]
_SEASONS = ["spring", "summer", "autumn", "winter", "beginners", "families", "long trips"]
_HELP = ["delivery times", "returns policy", "size guide", "warranty claims", "store locator",
         "gift cards", "order tracking", "payment options", "student discount",
         "repair service", "price match", "click and collect"]
_SYNONYMS = {"mens": "men", "womens": "women", "kids": "children", "trousers": "pants",
             "rucksack": "backpack", "lightweight": "light", "ultralight": "ultra-light",
             "waterproof": "water-resistant", "guide": "guidebook", "tips": "advice",
             "choose": "pick", "best": "top", "clean": "wash", "fleece": "midlayer",
             "store": "shop", "jacket": "coat", "running": "run"}
_FOLDERS = {"products": "shop", "blog": "journal", "help": "support"}


@dataclass(frozen=True)
class Redesign:
    """A synthetic relaunch: ``old`` and ``new`` inventories and the true map.

    ``old`` has ``url, title, h1, section, visits, links`` (weekly organic visits and
    referring links, Zipf-like); ``new`` has ``url, title, h1``; ``truth`` has
    ``source, target`` with ``target`` ``None`` for pages removed in the relaunch.
    """

    old: pd.DataFrame
    new: pd.DataFrame
    truth: pd.DataFrame
    origin: str = "https://www.example-outdoor.com"


def _slug(words: str) -> str:
    return "-".join(words.lower().replace("'", "").split())


def _old_pages(n_pages: int, rng: np.random.Generator) -> list[dict[str, str]]:
    pages: list[dict[str, str]] = [
        {"kind": "home", "section": "home", "url": "/", "family": "home",
         "title": "Example Outdoor | Gear for every trail", "h1": "Gear for every trail"},
    ]
    seen = {"/"}
    for category in _CATEGORIES:
        url = f"/products/{category}/"
        pages.append({"kind": "category", "section": "products", "url": url,
                      "title": f"{category.replace('-', ' ').title()} | Example Outdoor",
                      "h1": category.replace("-", " ").title(), "family": url})
        seen.add(url)
    for topic in _HELP:
        url = f"/help/{_slug(topic)}.html"
        pages.append({"kind": "help", "section": "help", "url": url,
                      "title": f"{topic.capitalize()} | Example Outdoor Help",
                      "h1": topic.capitalize(), "family": url})
        seen.add(url)
    attempts = 0
    while len(pages) < n_pages and attempts < n_pages * 20:
        attempts += 1
        if rng.random() < 0.78:
            category = rng.choice(list(_CATEGORIES))
            noun = _CATEGORIES[category][0]
            brand = rng.choice(_BRANDS)
            adjectives = rng.choice(_ADJECTIVES, size=rng.integers(1, 3), replace=False)
            audience = rng.choice(_AUDIENCES)
            model = f"{rng.choice(list('ABCDEFGHKMPRSTX'))}{rng.integers(10, 990)}"
            name = f"{brand.title()} {' '.join(adjectives)} {noun} {model}".replace("  ", " ")
            base = f"/products/{category}/{_slug(audience + ' ' + name)}"
            variants = rng.random() < 0.08
            colours = rng.choice(_COLOURS, size=2, replace=False) if variants else [None]
            for colour in colours:
                url = f"{base}-{colour}.html" if colour else f"{base}.html"
                if url in seen:
                    continue
                seen.add(url)
                suffix = f" - {colour.title()}" if colour else ""
                pages.append({"kind": "product", "section": "products", "url": url,
                              "title": f"{audience.title()} {name.title()}{suffix}"
                                       " | Example Outdoor",
                              "h1": f"{name.title()}{suffix}", "family": base})
        else:
            category = rng.choice(list(_CATEGORIES))
            noun = _CATEGORIES[category][int(rng.integers(0, 2))]
            pattern = rng.choice(_BLOG_PATTERNS)
            title = pattern.format(topic=rng.choice(_TOPICS), noun=noun,
                                   adj=rng.choice(_ADJECTIVES), season=rng.choice(_SEASONS))
            year = int(rng.integers(2014, 2024))
            url = f"/blog/{year}/{_slug(title)}.html"
            if url in seen or title in seen:
                continue
            seen.add(title)
            seen.add(url)
            pages.append({"kind": "blog", "section": "blog", "url": url,
                          "title": f"{title.capitalize()} | Example Outdoor Blog",
                          "h1": title.capitalize(), "family": url})
    return pages[:n_pages]


def _reword(words: list[str], rng: np.random.Generator, rate: float) -> list[str]:
    out = [(_SYNONYMS.get(word, word) if rng.random() < rate else word) for word in words]
    if len(out) > 2 and rng.random() < rate:
        i, j = rng.choice(len(out), size=2, replace=False)
        out[i], out[j] = out[j], out[i]
    if len(out) > 3 and rng.random() < rate / 2:
        out.pop(int(rng.integers(0, len(out))))
    return out


def _new_url(page: dict[str, str], rng: np.random.Generator) -> str:
    if page["kind"] == "home":
        return "/"
    parts = page["family"].strip("/").split("/")
    folder = _FOLDERS.get(parts[0], parts[0])
    if page["kind"] == "category":
        return f"/{folder}/{parts[1]}/"
    slug = parts[-1].removesuffix(".html")
    words = _reword(slug.split("-"), rng, rate=0.35)
    if page["kind"] == "blog":
        return f"/{folder}/{'-'.join(words)}/"
    if page["kind"] == "help":
        return f"/{folder}/{'-'.join(words)}"
    return f"/{folder}/{parts[1]}/{'-'.join(words)}"


def _new_title(title: str, rng: np.random.Generator) -> str:
    text, _, brand = title.partition(" | ")
    if rng.random() < 0.6:
        return f"{text} - Example Outdoor" if brand else text
    words = _reword(text.split(), rng, rate=0.5)
    return " ".join(words) + " – Example Outdoor Shop"


def redesign(
    n_pages: int = 2000, *, seed: int = 0, removed: float = 0.05
) -> Redesign:
    """A seeded relaunch of a shop-and-blog site with ``n_pages`` old pages.

    About ``removed`` of the pages have no successor; colour variants of a product
    are merged into one new page; every other page gets a new URL and often a new
    title.  Visits and links follow a Zipf-like law (a few pages carry most traffic).
    """
    rng = np.random.default_rng(seed)
    pages = _old_pages(n_pages, rng)
    old = pd.DataFrame(pages)
    ranks = rng.permutation(len(old)) + 1
    weights = 1.0 / ranks**1.1
    is_home = old["kind"].eq("home").to_numpy()
    weights[is_home] = weights.max()
    old["visits"] = np.maximum(0, np.round(200_000 * weights / weights.sum())).astype(int)
    old["links"] = rng.poisson(1 + 400 * weights / weights.max()).astype(int)
    # Whole families go: a product is dropped with all its colour variants.
    families = old.loc[old["kind"].isin(["product", "blog"]), "family"].drop_duplicates()
    dropped = set(families.sample(frac=removed, random_state=seed).tolist())
    gone = set(old.index[old["family"].isin(dropped)].tolist())
    new_rows: dict[str, dict[str, str]] = {}
    targets: list[str | None] = []
    for index, page in enumerate(pages):
        if index in gone:
            targets.append(None)
            continue
        family = page["family"]
        if family not in new_rows:
            merged = page["kind"] == "product" and family != page["url"].removesuffix(".html")
            title = _new_title(page["title"].split(" - ")[0] if merged else page["title"], rng)
            h1 = page["h1"].split(" - ")[0] if family != page["url"] else page["h1"]
            new_rows[family] = {"url": _new_url(page, rng), "title": title, "h1": h1}
        targets.append(new_rows[family]["url"])
    new = pd.DataFrame(list(new_rows.values())).drop_duplicates("url").reset_index(drop=True)
    new = new.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    truth = pd.DataFrame({"source": old["url"], "target": targets})
    old = old.drop(columns=["family", "kind"]).assign(kind=[p["kind"] for p in pages])
    return Redesign(old=old.reset_index(drop=True), new=new, truth=truth)
