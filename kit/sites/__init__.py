"""One seeded generator for every synthetic site, cohort and traffic log in the kit.

Notebooks, tests and benchmarks build their examples here, so a given ``seed``
always gives the same pages, traffic and links.  One module per kind of site:
:mod:`kit.sites.redesign` for module 01's relaunch.
"""

from kit.sites.duplicate_site import DuplicateSite, SiteShape, duplicate_site
from kit.sites.redesign import Redesign, redesign
from kit.sites.seo_site import SeoSite, seo_site
from kit.sites.tracking_site import TrackingSite, tracking_site

__all__ = [
    "DuplicateSite",
    "Redesign",
    "SeoSite",
    "SiteShape",
    "TrackingSite",
    "duplicate_site",
    "redesign",
    "seo_site",
    "tracking_site",
]
