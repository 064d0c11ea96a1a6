"""Module 01: "301 redirect the old pages to the new ones", done right.

Suggest an old→new map, audit it the way a crawler meets it, export it for nginx,
Apache or a spreadsheet, and simulate what each migration strategy costs.
"""

from kit.redirects.audit import AUDIT_CHECKS, GOOGLEBOT_MAX_HOPS, audit_map
from kit.redirects.export import to_apache, to_csv, to_nginx
from kit.redirects.maps import RedirectMap, load_redirects

__all__ = [
    "AUDIT_CHECKS",
    "GOOGLEBOT_MAX_HOPS",
    "RedirectMap",
    "audit_map",
    "load_redirects",
    "to_apache",
    "to_csv",
    "to_nginx",
]
