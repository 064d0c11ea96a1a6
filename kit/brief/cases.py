"""The capstone's cases: each module's vague request, what IT delivered, and what was meant.

For every module 01–05, :func:`case_data` gives two versions of the same small data set
of the shoe shop Stride: ``"delivered"`` (what IT built from the vague request, as the
seed article's examples tell it) and ``"agreed"`` (what a clear brief asks for).  A good
brief passes on ``"agreed"`` and fails on ``"delivered"``.  The data are built fresh on
each call, so a learner who edits them cannot spoil another cell.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kit.errors import InputError

__all__ = ["REQUESTS", "REQUEST_SOURCES", "VERSIONS", "case_data"]

REQUESTS: dict[str, str] = {
    "01-redirects": "Every page of the old site should 301 to the pages of the new site.",
    "02-seo": "The website needs SEO.",
    "03-duplicates": "Make sure the website has no duplicate content.",
    "04-tracking": "Track the visits our PPC (pay-per-click) campaign brings.",
    "05-launch": "The social campaign launches in six weeks; we will loop IT in when the landing "
                 "page is ready.",
}
"""The vague requests, paraphrased (not quoted) from the four examples of seed 000 (Helen M.
Overland, 'How Marketing and IT Can Communicate Better') and, for 05, built from seed 003
('Companies urged to align marketing and IT departments').  :data:`REQUEST_SOURCES` says
where each comes from."""

REQUEST_SOURCES: dict[str, str] = {
    "01-redirects": "seed 000, Overland's first example (paraphrased)",
    "02-seo": "seed 000, Overland's second example (paraphrased)",
    "03-duplicates": "seed 000, Overland's third example (paraphrased)",
    "04-tracking": "seed 000, Overland's fourth example (paraphrased)",
    "05-launch": "built from seed 003 (IT brought in only at the end of campaigns)",
}

VERSIONS = ("delivered", "agreed")
SITE = "https://www.stride-shoes.com"

_OLD_TO_NEW = {
    # The capstone's migration is its own (the old shop's catalogue pages), not exercise
    # 01's: the kit ships to learners, so its data must not hold an exercise's answer.
    "/catalogue/road-shoes.php": "/running/road/",
    "/catalogue/track-spikes.php": "/running/track/",
    "/catalogue/hiking-boots.php": "/outdoor/hiking-boots/",
    "/catalogue/running-socks.php": "/accessories/socks/",
    "/catalogue/clearance.php": "/outlet/",
    "/company.php": "/about/company/",
    "/returns-policy.php": "/help/returns/",
}


def _redirects(version: str) -> dict[str, Any]:
    if version == "delivered":
        rows = [(old, "/", 302) for old in _OLD_TO_NEW]
    else:
        rows = [(old, new, 301) for old, new in _OLD_TO_NEW.items()]
    return {
        "old_urls": list(_OLD_TO_NEW),
        "new_urls": ["/", *_OLD_TO_NEW.values()],
        "redirects": pd.DataFrame(rows, columns=["source", "target", "status"]),
    }


_PRODUCTS = (
    ("/men/running/", "Men's running shoes", "Cushioned road and track running shoes for men, "
     "sizes 39-48, free returns."),
    ("/women/running/", "Women's running shoes", "Light, responsive running shoes for women, "
     "sizes 35-43, free returns."),
    ("/trail/", "Trail running shoes", "Grippy, waterproof trail shoes for mud, rock and long "
     "days in the hills."),
)


def _page(path: str, title: str, description: str, *, extra_head: str = "",
          links: tuple[str, ...] = ()) -> dict[str, object]:
    head = f"<title>{title}</title>"
    if description:
        head += f"<meta name='description' content='{description}'>"
    body = (f"<html><head>{head}{extra_head}<link rel='canonical' href='{SITE}{path}'></head>"
            f"<body><h1>{title}</h1>" + "".join(f"<a href='{SITE}{to}'>{to}</a>" for to in links)
            + "</body></html>")
    return {"url": SITE + path, "status": 200, "html": body}


def _seo(version: str) -> dict[str, Any]:
    keywords = "<meta name='keywords' content='shoes, running, trainers, cheap shoes'>"
    links = tuple(path for path, _, _ in _PRODUCTS)
    if version == "delivered":
        # IT's "SEO": generated keywords everywhere, a sitemap, and the staging noindex left on.
        pages = [_page("/", "Stride", "", extra_head=keywords, links=links)]
        pages += [_page(path, "Stride", "", links=("/",),
                        extra_head=keywords + ("<meta name='robots' content='noindex'>"
                                               if path == "/trail/" else ""))
                  for path, _, _ in _PRODUCTS]
    else:
        pages = [_page("/", "Stride | Running and trail shoes",
                       "Running and trail shoes for men, women and kids, with free delivery "
                       "and returns.", links=links)]
        pages += [_page(path, f"{title} | Stride", description, links=("/",))
                  for path, title, description in _PRODUCTS]
    return {"pages": pages, "robots_txt": "User-agent: *\nDisallow: /cart\n"}


_TEXTS = {
    "/trail/wildcat-runner/": "The Wildcat Runner grips wet rock and mud and stays light on long "
                              "days in the hills, with a rock plate and a four millimetre drop.",
    "/trail/ridge-pro/": "The Ridge Pro is a cushioned trail shoe for ultra distances, with a "
                         "wide toe box and a tough mesh upper that drains fast.",
    "/road/tempo-flyer/": "The Tempo Flyer is a light road racer with a carbon plate for fast "
                          "training days and race day, from ten kilometres to the marathon.",
}


def _duplicates(version: str) -> dict[str, Any]:
    rows = []
    for path, text in _TEXTS.items():
        canonical = SITE + path
        variants = [SITE + path, "http://www.stride-shoes.com" + path,
                    SITE + path + "?utm_source=newsletter&utm_medium=email", SITE + path + "print/"]
        for url in variants:
            declared = None
            if version == "agreed" or url == canonical:
                declared = canonical if version == "agreed" else None
            rows.append({"url": url, "text": text, "canonical": declared,
                         "inlinks": 20 if url == canonical else 1})
    return {"duplicate_pages": pd.DataFrame(rows).astype({"canonical": object})}


def _tracking(version: str) -> dict[str, Any]:
    base = SITE + "/sale/"
    if version == "delivered":
        # IT created a login to the analytics tool; the ads link to the bare page.
        urls = [base, base, base + "?ref=facebook"]
        extra: dict[str, Any] = {"analytics_login": "marketing@stride-shoes.com"}
    else:
        urls = [base + "?utm_source=google&utm_medium=cpc&utm_campaign=spring_sale",
                base + "?utm_source=bing&utm_medium=cpc&utm_campaign=spring_sale",
                base + "?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring_sale"]
        extra = {}
    links = pd.DataFrame({"placement": ["google ads", "bing ads", "facebook ads"], "url": urls})
    return {"links": links, **extra}


def _launch(version: str) -> dict[str, Any]:
    from kit.launch import Campaign, Site, servers_needed

    campaign = Campaign(spike=40)
    if version == "delivered":
        return {"campaign": campaign, "site": Site(servers=5), "it_joins": "at launch"}
    site = Site(servers=servers_needed(campaign, Site(servers=5)))
    return {"campaign": campaign, "site": site, "it_joins": "at inception"}


_BUILDERS = {
    "01-redirects": _redirects,
    "02-seo": _seo,
    "03-duplicates": _duplicates,
    "04-tracking": _tracking,
    "05-launch": _launch,
}


def case_data(module: str, version: str) -> dict[str, Any]:
    """The data of ``module`` (``"01-redirects"`` … ``"05-launch"``, or just ``"01"``) as
    ``version`` (``"delivered"``: what IT built; ``"agreed"``: what the brief asks for)."""
    matches = [name for name in _BUILDERS if name == module or name.split("-")[0] == module]
    if len(matches) != 1:
        raise InputError(f"case_data: no module {module!r}.",
                         hint=f"Use one of {list(_BUILDERS)} (or just the number, e.g. '01').")
    if version not in VERSIONS:
        raise InputError(f"case_data: no version {version!r}.", hint=f"Use one of {VERSIONS}.")
    return _BUILDERS[matches[0]](version)
