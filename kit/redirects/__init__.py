"""Module 01: "301 redirect the old pages to the new ones", done right.

Suggest an old→new map, audit it the way a crawler meets it, export it for nginx,
Apache or a spreadsheet, and simulate what each migration strategy costs.
"""

from typing import TYPE_CHECKING

from kit._lazy import lazy_exports

if TYPE_CHECKING:
    from kit.redirects.audit import AUDIT_CHECKS, GOOGLEBOT_MAX_HOPS, audit_map
    from kit.redirects.export import to_apache, to_csv, to_nginx
    from kit.redirects.maps import RedirectMap, load_redirects
    from kit.redirects.simulate import (
        STRATEGIES,
        MigrationAssumptions,
        MigrationResult,
        assumptions_table,
        simulate_migration,
        strategy_map,
    )
    from kit.redirects.suggest import DEFAULT_MIN_SCORE, load_inventory, suggest_map

__all__ = [
    "AUDIT_CHECKS",
    "DEFAULT_MIN_SCORE",
    "GOOGLEBOT_MAX_HOPS",
    "STRATEGIES",
    "MigrationAssumptions",
    "MigrationResult",
    "RedirectMap",
    "assumptions_table",
    "audit_map",
    "load_inventory",
    "load_redirects",
    "simulate_migration",
    "strategy_map",
    "suggest_map",
    "to_apache",
    "to_csv",
    "to_nginx",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__, __all__)
