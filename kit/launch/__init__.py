"""Module 05: the social campaign that goes viral — and IT joins at the end.

A capacity model (a campaign's traffic per minute against the site's servers and cache,
through an exact M/M/c queue: response time, errors and visitors lost), a launch
readiness model (tasks, owners, critical path; what changes when IT joins late), and
the cited survey and forecast figures the workshop charts.
"""

from typing import TYPE_CHECKING

from kit._lazy import lazy_exports

if TYPE_CHECKING:
    from kit.launch.capacity import (
        ASSUMPTIONS,
        CAPACITY_COLUMNS,
        PHASES,
        Campaign,
        CapacityReport,
        Site,
        capacity_table,
        servers_needed,
        settings_table,
        traffic_curve,
    )
    from kit.launch.data import (
        SOURCES,
        blocked_at_work,
        social_media_forecast,
        social_policy_trend,
    )
    from kit.launch.queueing import QueueState, erlang_b, erlang_c, mmc
    from kit.launch.readiness import (
        IT_JOINS,
        TASKS,
        ReadinessPlan,
        Task,
        compare_joins,
        plan_launch,
        readiness_findings,
        tasks_frame,
    )

__all__ = [
    "ASSUMPTIONS",
    "CAPACITY_COLUMNS",
    "IT_JOINS",
    "PHASES",
    "SOURCES",
    "TASKS",
    "Campaign",
    "CapacityReport",
    "QueueState",
    "ReadinessPlan",
    "Site",
    "Task",
    "blocked_at_work",
    "capacity_table",
    "compare_joins",
    "erlang_b",
    "erlang_c",
    "mmc",
    "plan_launch",
    "readiness_findings",
    "servers_needed",
    "settings_table",
    "social_media_forecast",
    "social_policy_trend",
    "tasks_frame",
    "traffic_curve",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__, __all__)
