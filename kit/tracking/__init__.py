"""Module 04: "Track the traffic from our PPC campaign" — and IT handed out a login.

Build, read and lint campaign links (UTM parameters), classify sessions into GA4's
default channel group, read session logs (CSV or a web server access log), report
sessions, conversions and cost per channel and campaign, and simulate where a paid
campaign's clicks end up when its links are untagged, tagged, or tagged with mistakes.
"""

from typing import TYPE_CHECKING

from kit._lazy import lazy_exports

if TYPE_CHECKING:
    from kit.tracking.categories import SourceCategories, bundled_source_categories
    from kit.tracking.channels import (
        CHANNEL_RULES,
        CHANNELS,
        ChannelRule,
        channel_rules_frame,
        classify_sessions,
        default_channel,
        source_category,
    )
    from kit.tracking.lint import LINT_CHECKS, lint_utm
    from kit.tracking.report import REPORT_COLUMNS, AttributionReport, attribution_report
    from kit.tracking.sessions import (
        SESSION_COLUMNS,
        SessionLog,
        load_sessions,
        parse_access_log,
        session_labels,
        traffic_source,
    )
    from kit.tracking.simulate import (
        SCENARIOS,
        SIMULATION_ASSUMPTIONS,
        CampaignSimulation,
        simulate_campaign,
    )
    from kit.tracking.utm import UTM_PARAMETERS, build_utm, parse_utm

__all__ = [
    "CHANNELS",
    "CHANNEL_RULES",
    "LINT_CHECKS",
    "REPORT_COLUMNS",
    "SCENARIOS",
    "SESSION_COLUMNS",
    "SIMULATION_ASSUMPTIONS",
    "UTM_PARAMETERS",
    "AttributionReport",
    "CampaignSimulation",
    "ChannelRule",
    "SessionLog",
    "SourceCategories",
    "attribution_report",
    "build_utm",
    "bundled_source_categories",
    "channel_rules_frame",
    "classify_sessions",
    "default_channel",
    "lint_utm",
    "load_sessions",
    "parse_access_log",
    "parse_utm",
    "session_labels",
    "simulate_campaign",
    "source_category",
    "traffic_source",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__, __all__)
