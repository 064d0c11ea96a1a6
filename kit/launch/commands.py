"""``crosstalk launch capacity`` and ``crosstalk launch readiness``: module 05 from the shell.

``capacity`` runs a campaign's traffic (reach, click-through, viral spike) against the
site (servers, requests per second each, cache hit share) through the queue model of
:mod:`kit.launch.capacity` (the queue carries over, visitors give up at the timeout,
Erlang C for the random ups and downs) and prints the table per phase (default) or per
minute.  ``readiness`` schedules the launch
tasks for the day IT joins and lists what is late, squeezed or not done.

Exit status: 0 when the site copes (no overloaded minute, at most ``--max-lost`` of the
visitors lost) or every task is done by the planned day; 1 when it does not; 2 when the
figures cannot be used (the message names the option and the remedy).  CSV and JSON go
to ``--out`` or stdout; the one-line summary goes to stderr whenever stdout carries data.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING

from kit.cli_options import add_output_options
from kit.errors import InputError
from kit.output import emit, findings_to_csv, findings_to_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["register"]

_CAPACITY_EPILOG = """\
exit status:
  0  the site copes: no overloaded minute, at most --max-lost of the visitors lost
  1  more visitors are lost, or some minute is overloaded (no headroom)
  2  the figures cannot be used (the message says which option)

the model (an estimate, not a measurement): planned visits = reach x ctr, evenly over
--minutes; the spike peaks at --spike times that rate at --spike-at and halves every
--half-life minutes; each visit makes --requests-per-visit requests, the cache answers
--cache-hit of them (10 x 20% = 2 reach the servers by default); --servers servers
serve --rps-per-server requests/s each. The queue carries over from second to second:
what the servers cannot serve now waits; a visit whose requests would wait longer than
--timeout seconds gives up and is lost (losses are counted per visit: a visit's
requests share its fate). Without a queue left over, waits are the exact M/M/c
(Erlang C) steady state. A minute at utilisation >= 100% is "overloaded": it need not
lose visitors (a short one only adds wait) but leaves no headroom, so it never copes.

CSV written with --out FILE.csv starts with a UTF-8 BOM (Excel reads it as UTF-8).
"""

_READINESS_EPILOG = """\
exit status:
  0  every task is done at full length by the planned launch day
  1  some task is squeezed or not done on that day (the launch slips or carries risk)
  2  the figures cannot be used (the message names the option)

CSV written with --out FILE.csv starts with a UTF-8 BOM (Excel reads it as UTF-8).
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``crosstalk launch capacity|readiness`` to the top-level parser."""
    parser = subparsers.add_parser(
        "launch",
        help="module 05: campaign traffic vs site capacity, launch readiness",
        description="Module 05: will the site survive the campaign, and is the launch ready?",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    cap = actions.add_parser(
        "capacity",
        help="response time, errors and lost visitors per minute for a campaign",
        description="Run a social campaign's traffic, with its viral spike, against the site's "
        "servers and cache, and print response time, errors and visitors lost.",
        epilog=_CAPACITY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    group = cap.add_argument_group("Marketing's figures")
    group.add_argument("--reach", type=float, default=1_000_000, metavar="N",
                       help="people the posts reach (default: %(default)s)")
    group.add_argument("--ctr", type=float, default=0.02, metavar="X",
                       help="click-through rate, 0-1 (default: %(default)s)")
    group.add_argument("--minutes", type=int, default=240, metavar="N",
                       help="campaign window in minutes (default: %(default)s)")
    group.add_argument("--spike", type=float, default=30.0, metavar="X",
                       help="viral peak as a multiple of the planned traffic, 1 = none "
                       "(default: %(default)s)")
    group.add_argument("--spike-at", type=int, default=60, metavar="MINUTE",
                       help="minute the spike starts (default: %(default)s)")
    group.add_argument("--half-life", type=float, default=20.0, metavar="MINUTES",
                       help="minutes for the spike to halve (default: %(default)s)")
    it = cap.add_argument_group("IT's figures")
    it.add_argument("--servers", type=int, default=4, metavar="N",
                    help="servers (or worker processes) (default: %(default)s)")
    it.add_argument("--rps-per-server", type=float, default=20.0, metavar="X",
                    help="requests per second one server serves (default: %(default)s)")
    it.add_argument("--cache-hit", type=float, default=0.8, metavar="X",
                    help="share of requests the cache/CDN answers, 0-1 (default: %(default)s)")
    it.add_argument("--requests-per-visit", type=float, default=10.0, metavar="N",
                    help="requests one visit makes (page, assets, API); the cache misses "
                    "among them reach the servers (default: %(default)s)")
    it.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                    help="wait after which a visitor gives up and is lost (default: %(default)s)")
    out = cap.add_argument_group("output")
    out.add_argument("--by", choices=("phase", "minute"), default="phase",
                     help="one row per phase or per minute (default: %(default)s)")
    out.add_argument("--max-lost", type=float, default=0.001, metavar="X",
                     help="share of lost visitors still counted as coping (default: %(default)s)")
    out.add_argument("--servers-needed", action="store_true",
                     help="also print the fewest servers that cope with this campaign")
    add_output_options(cap, what="the result")
    cap.set_defaults(handler=run_capacity)

    ready = actions.add_parser(
        "readiness",
        help="the launch schedule when IT joins at inception, two weeks before, or at launch",
        description="Schedule the campaign's launch tasks (critical path) for the day IT joins, "
        "and list what is late, squeezed or not done on the planned launch day.",
        epilog=_READINESS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ready.add_argument("--it-joins", default="at inception", metavar="WHEN",
                       help="'at inception', 'two weeks before launch', 'at launch', or a "
                       "number of days before launch (default: %(default)s)")
    ready.add_argument("--launch-day", type=int, default=42, metavar="DAY",
                       help="planned launch, in days from the campaign's start "
                       "(default: %(default)s)")
    ready.add_argument("--findings", action="store_true",
                       help="print the risks (squeezed and skipped tasks) as findings")
    add_output_options(ready, what="the result")
    ready.set_defaults(handler=run_readiness)


def _frame_text(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return findings_to_csv(frame)
    if fmt == "json":
        return findings_to_json(frame)
    text: str = frame.to_string(index=False)
    return text + "\n"


def run_capacity(args: argparse.Namespace) -> int:
    """``crosstalk launch capacity``: 0 when the site copes, 1 when visitors are lost."""
    from kit.launch.capacity import Campaign, Site, capacity_table, servers_needed

    for dest, option in _FLOAT_OPTIONS.items():
        value = getattr(args, dest)
        if not math.isfinite(value):
            raise InputError(f"{option} {value}: expected a finite number.",
                             hint=f"See `crosstalk launch capacity --help` for {option}.")
    if args.reach > MAX_REACH:
        raise InputError(f"--reach {args.reach:g}: more people than live on Earth; expected at "
                         f"most {MAX_REACH:,}.")
    if not float(args.reach).is_integer():
        raise InputError(f"--reach {args.reach:g}: expected a whole number of people.")
    if not 0 <= args.max_lost <= 1:
        raise InputError(f"--max-lost {args.max_lost:g}: expected a share between 0 and 1.")
    try:
        campaign = Campaign(reach=int(args.reach), ctr=args.ctr, minutes=args.minutes,
                            spike=args.spike, spike_at=args.spike_at, half_life=args.half_life,
                            requests_per_visit=args.requests_per_visit)
        site = Site(servers=args.servers, rps_per_server=args.rps_per_server,
                    cache_hit=args.cache_hit, timeout_s=args.timeout)
    except InputError as error:
        raise InputError(_as_option(str(error))) from None
    report = capacity_table(campaign, site)
    s = report.summary
    copes = s["overloaded_minutes"] == 0 and s["lost_share"] <= args.max_lost
    headline = (f"{s['visitors']:,} visitors, {s['visitors_lost']:,} lost "
                f"({s['lost_share']:.1%}); peak {s['peak_origin_rps']:,} requests/s at the "
                f"servers vs {s['capacity_rps']:,} capacity (utilisation "
                f"{s['peak_utilisation']:.0%}), {s['overloaded_minutes']} minute(s) overloaded, "
                f"mean wait in the worst minute {s['worst_wait_s']:g} s (timeout "
                f"{site.timeout_s:g} s): "
                + ("the site copes." if copes else
                   "the site does NOT cope: no headroom, visitors queue (losses still within "
                   "--max-lost)." if s["lost_share"] <= args.max_lost
                   else "the site does NOT cope."))
    if args.servers_needed:
        needed = servers_needed(campaign, site, max_lost_share=args.max_lost)
        headline += f" Fewest servers that cope: {needed}."
    if args.by == "phase":
        frame = report.by_phase()
    else:
        frame = report.table.copy()
        for column in ("visitors", "visitors_lost", "queued", "requests_served",
                       "requests_lost"):
            frame[column] = frame[column].round(1)
        for column in ("requests_per_s", "origin_rps", "capacity_rps", "wait_s"):
            frame[column] = frame[column].round(2)
        for column in ("utilisation", "p_wait", "response_s", "error_share"):
            frame[column] = frame[column].round(4)
    body = _frame_text(frame, args.format)
    if args.format == "table":
        body = headline + "\n\n" + body
    emit(body, args.out)
    if args.format != "table" or args.out:
        print(headline, file=sys.stdout if args.out else sys.stderr)
    return 0 if copes else 1


MAX_REACH = 10_000_000_000
MAX_LAUNCH_DAY = 3_650
_FLOAT_OPTIONS = {
    "reach": "--reach", "ctr": "--ctr", "spike": "--spike", "half_life": "--half-life",
    "rps_per_server": "--rps-per-server", "cache_hit": "--cache-hit",
    "requests_per_visit": "--requests-per-visit", "timeout": "--timeout",
    "max_lost": "--max-lost",
}

_OPTIONS = {
    "Campaign.reach": "--reach", "Campaign.ctr": "--ctr", "Campaign.minutes": "--minutes",
    "Campaign.spike_at": "--spike-at", "Campaign.spike": "--spike",
    "Campaign.half_life": "--half-life", "Campaign.requests_per_visit": "--requests-per-visit",
    "Site.servers": "--servers", "Site.rps_per_server": "--rps-per-server",
    "Site.cache_hit": "--cache-hit", "Site.timeout_s": "--timeout",
}


def _as_option(message: str) -> str:
    """Name the command-line option rather than the dataclass field."""
    for field, option in _OPTIONS.items():
        if message.startswith(field + " "):
            return option + message[len(field):]
    return message


def run_readiness(args: argparse.Namespace) -> int:
    """``crosstalk launch readiness``: 0 when every task is done on the day, else 1."""
    from kit.launch.readiness import plan_launch

    if not 0 <= args.launch_day <= MAX_LAUNCH_DAY:
        raise InputError(f"--launch-day {args.launch_day}: expected days from the campaign's "
                         f"start, 0 to {MAX_LAUNCH_DAY:,}.")
    when: str | int = args.it_joins
    if isinstance(when, str) and when.strip().isdigit():
        when = int(when)
    try:
        plan = plan_launch(launch_day=args.launch_day, it_joins=when)
    except InputError as error:
        message = str(error).replace("it_joins = ", "--it-joins ", 1)
        raise InputError(message.replace("launch_day = ", "--launch-day ", 1)) from None
    s = plan.summary
    headline = (f"IT joins {plan.label} (day {plan.it_day}): everything done properly by day "
                f"{s['full_scope_launch_day']}, {s['delay_days']} day(s) after the planned "
                f"day {plan.launch_day}; launching on the planned day: "
                f"{s['tasks_compressed']} task(s) squeezed, {s['tasks_skipped']} not done, "
                f"risk {s['risk']}.")
    frame = plan.findings if args.findings else plan.schedule
    body = _frame_text(frame, args.format)
    if args.format == "table":
        body = headline + "\n\n" + body
    emit(body, args.out)
    if args.format != "table" or args.out:
        print(headline, file=sys.stdout if args.out else sys.stderr)
    return 0 if s["risk"] == "low" else 1
