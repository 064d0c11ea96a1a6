"""Launch readiness: the campaign's tasks, who owns them, and what changes when IT joins late.

Each :class:`Task` has an owner (Marketing or IT), a duration in working days, the
shortest duration it can be squeezed to, and the tasks it waits for.  IT's tasks cannot
start before IT is told about the campaign.  :func:`plan_launch` schedules every task as
early as possible (the critical path method, exact: a forward pass in dependency order)
and answers two questions for a given day IT joins:

* **hold the scope**: every task done at full length; when can the campaign launch, and
  how many days late is that?
* **hold the date**: launch on the planned day anyway.  A task that cannot end by then
  even when it and everything before it are squeezed to their shortest durations is not
  done (``skipped``; so is every task that waits for it).  The others, in dependency
  order, get as much of their full length as leaves room for the tasks after them:
  ``done`` at full length, or ``compressed``.  Each compressed or skipped
  task is a risk, written in both languages (:func:`readiness_findings`).

The seed article "Companies urged to align marketing and IT departments" reports the
pattern this models: IT departments are rarely involved in campaigns from inception,
usually only at the very end, when it is too late.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from kit.errors import InputError
from kit.findings import findings_frame
from kit.results import Result
from kit.sources import cite

__all__ = [
    "IT_JOINS",
    "OWNERS",
    "TASKS",
    "ReadinessPlan",
    "Task",
    "compare_joins",
    "plan_launch",
    "readiness_findings",
    "tasks_frame",
]

OWNERS = ("Marketing", "IT")
SEED_ARTICLE = cite("seed-003")


@dataclass(frozen=True)
class Task:
    """One piece of launch work: owner, full and shortest duration (days), dependencies, risk."""

    key: str
    name: str
    owner: str
    days: int
    min_days: int
    after: tuple[str, ...] = ()
    business: str = ""
    technical: str = ""

    def __post_init__(self) -> None:
        where = f"task {self.key!r}"
        if not isinstance(self.key, str) or not self.key.strip():
            raise InputError(f"{where}: every task needs a short key, e.g. 'load_test'.")
        if self.owner not in OWNERS:
            raise InputError(f"{where}: owner {self.owner!r}; use one of {OWNERS}.")
        for name, value in (("days", self.days), ("min_days", self.min_days)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(f"{where}: {name} = {value!r}; expected whole days, 0 or more.")
        if self.min_days > self.days:
            raise InputError(f"{where}: min_days ({self.min_days}) is longer than days "
                             f"({self.days}); the shortest duration cannot exceed the full one.")
        if isinstance(self.after, str):
            object.__setattr__(self, "after", (self.after,))
        object.__setattr__(self, "after", tuple(self.after))


TASKS: tuple[Task, ...] = (
    Task("brief", "Campaign brief and goals", "Marketing", 5, 3),
    Task("creative", "Creative and social posts", "Marketing", 10, 6, ("brief",)),
    Task("landing_page", "Landing page (agency build)", "Marketing", 10, 6, ("brief",)),
    Task("tracking", "Tracking tags and UTM links", "IT", 3, 1, ("landing_page",),
         "Clicks from the campaign show up as Direct or not at all: no way to prove it paid off.",
         "Tag every campaign link with utm_source/medium/campaign; install and test the "
         "analytics tags on the landing page."),
    Task("social_api", "Social API access (app review, tokens)", "IT", 14, 10, (),
         "Scheduled posts, competitions and sign-in with the social network do not work "
         "on launch day.",
         "Register the app, pass the platform's review, store tokens; the platform's review "
         "can be hurried only so far."),
    Task("firewall", "Firewall exceptions for social tools", "IT", 10, 3, (),
         "The team cannot see or answer the campaign's posts from the office.",
         "Change request: allow the social networks and the social management tool through "
         "the web proxy/firewall for the campaign team."),
    Task("cdn", "CDN and caching for the landing page", "IT", 7, 3, ("landing_page",),
         "Every visitor hits our own servers: the page slows down or fails when the post "
         "takes off.",
         "Put the landing page and its assets behind the CDN, with cache headers; purge plan "
         "for last-minute changes."),
    Task("load_test", "Load test at the expected spike", "IT", 5, 2, ("cdn", "tracking"),
         "Nobody knows how many visitors the site survives until the campaign finds out.",
         "Load-test the landing page at the spike Marketing expects (crosstalk launch capacity "
         "gives the target), fix what breaks."),
    Task("capacity", "Capacity sign-off (servers for the spike)", "IT", 3, 1, ("load_test",),
         "The site may fall over at the moment the campaign goes viral.",
         "Size servers/autoscaling for the peak with headroom; agree who is on call at launch."),
)

IT_JOINS: dict[str, int | None] = {
    "at inception": None,   # None: the day the campaign starts (day 0)
    "two weeks before launch": 14,
    "at launch": 0,
}


def tasks_frame(tasks: Iterable[Task] = TASKS) -> pd.DataFrame:
    """The tasks as a table: key, name, owner, days, min_days, after."""
    return pd.DataFrame([{"key": t.key, "name": t.name, "owner": t.owner, "days": t.days,
                          "min_days": t.min_days, "after": ", ".join(t.after)} for t in tasks])


def _ordered(tasks: Iterable[Task]) -> list[Task]:
    """Tasks in dependency order; unknown dependencies and cycles are InputErrors."""
    tasks = list(tasks)
    by_key: dict[str, Task] = {}
    for task in tasks:
        if task.key in by_key:
            raise InputError(f"task {task.key!r} is listed twice; keys must be unique.")
        by_key[task.key] = task
    problems = [f"task {t.key!r} waits for {d!r}, which is not a task"
                for t in tasks for d in t.after if d not in by_key]
    if problems:
        raise InputError("unknown dependencies:", problems, hint="Fix the key or add the task.")
    order: list[Task] = []
    state: dict[str, int] = {}

    def visit(task: Task, path: tuple[str, ...]) -> None:
        if state.get(task.key) == 2:
            return
        if state.get(task.key) == 1:
            cycle = " -> ".join((*path[path.index(task.key):], task.key))
            raise InputError(f"the tasks wait for each other in a circle: {cycle}.",
                             hint="Remove one of these dependencies.")
        state[task.key] = 1
        for dep in task.after:
            visit(by_key[dep], (*path, task.key))
        state[task.key] = 2
        order.append(task)

    for task in tasks:
        visit(task, ())
    return order


def _forward(order: list[Task], durations: Mapping[str, int], it_day: int) -> dict[str, int]:
    """Earliest start of every task: after its dependencies, IT's not before ``it_day``."""
    start: dict[str, int] = {}
    for task in order:
        earliest = it_day if task.owner == "IT" else 0
        start[task.key] = max([earliest, *(start[d] + durations[d] for d in task.after)])
    return start


@dataclass(frozen=True)
class ReadinessPlan(Result):
    """The schedule for one day IT joins: per task start, end, critical, status under the
    planned date; plus the launch day when the full scope is kept."""

    launch_day: int
    it_day: int
    label: str
    schedule: pd.DataFrame = field(repr=False)
    tasks: tuple[Task, ...] = field(repr=False)

    @property
    def full_scope_launch(self) -> int:
        """The earliest day every task is done at full length."""
        return int(self.schedule["end"].max()) if len(self.schedule) else 0

    @property
    def delay_days(self) -> int:
        """Days the launch slips when every task is done properly."""
        return max(0, self.full_scope_launch - self.launch_day)

    @property
    def summary(self) -> dict[str, int | str]:
        status = self.schedule["status"].value_counts()
        return {
            "it_joins": self.label,
            "it_joins_day": self.it_day,
            "planned_launch_day": self.launch_day,
            "full_scope_launch_day": self.full_scope_launch,
            "delay_days": self.delay_days,
            "tasks_done": int(status.get("done", 0)),
            "tasks_compressed": int(status.get("compressed", 0)),
            "tasks_skipped": int(status.get("skipped", 0)),
            "risk": self.risk,
        }

    @property
    def risk(self) -> str:
        """``low`` (all done), ``medium`` (some squeezed), ``high`` (some not done)."""
        status = set(self.schedule["status"])
        return "high" if "skipped" in status else "medium" if "compressed" in status else "low"

    @property
    def findings(self) -> pd.DataFrame:
        """Each compressed or skipped task as a finding, in both languages."""
        return readiness_findings(self)

    def __repr__(self) -> str:
        s = self.summary
        return (f"ReadinessPlan(it_joins={s['it_joins']!r}, delay_days={s['delay_days']}, "
                f"compressed={s['tasks_compressed']}, skipped={s['tasks_skipped']}, "
                f"risk={s['risk']!r})")

    def summary_html(self) -> str:
        s = self.summary
        return (f"<p><b>IT joins {html.escape(self.label)}</b> (day {self.it_day}). Planned "
                f"launch: day {self.launch_day}. Everything done properly: day "
                f"{s['full_scope_launch_day']} ({s['delay_days']} days late). Launching on the "
                f"planned day instead: {s['tasks_compressed']} task(s) squeezed, "
                f"{s['tasks_skipped']} not done; risk <b>{s['risk']}</b>.</p>")

    def detail_html(self) -> str:
        table: str = self.schedule.to_html(index=False)
        return table


def plan_launch(tasks: Iterable[Task] = TASKS, *, launch_day: int = 42,
                it_joins: str | int = "at inception") -> ReadinessPlan:
    """Schedule ``tasks`` when IT joins ``it_joins`` (a name from :data:`IT_JOINS` or a
    number of days before the planned launch) for a launch planned on ``launch_day``.

    ``schedule`` columns: key, name, owner, start, end (full length, earliest),
    critical (on the longest path to the full-scope launch), status under the planned
    date (done, compressed, skipped), end_if_launching (the end in the hold-the-date
    plan; empty when skipped).
    """
    if isinstance(launch_day, bool) or not isinstance(launch_day, int) or launch_day < 0:
        raise InputError(f"launch_day = {launch_day!r}: expected whole days from the start, "
                         "0 or more.")
    if isinstance(it_joins, str):
        if it_joins not in IT_JOINS:
            raise InputError(f"it_joins = {it_joins!r}: use one of {list(IT_JOINS)} or a "
                             "number of days before launch.")
        before = IT_JOINS[it_joins]
        label = it_joins
        it_day = 0 if before is None else max(0, launch_day - before)
    elif isinstance(it_joins, bool) or not isinstance(it_joins, int) or it_joins < 0:
        raise InputError(f"it_joins = {it_joins!r}: expected a name or whole days before launch.")
    else:
        it_day = max(0, launch_day - it_joins)
        label = f"{it_joins} days before launch"
    order = _ordered(tasks)
    full = {t.key: t.days for t in order}
    start = _forward(order, full, it_day)
    end = {k: start[k] + full[k] for k in start}
    finish = max(end.values(), default=0)
    # critical: a backward pass over the full-length schedule (latest start == earliest start)
    latest_end = dict.fromkeys(end, finish)
    for task in reversed(order):
        for dep in task.after:
            latest_end[dep] = min(latest_end[dep], latest_end[task.key] - full[task.key])
    critical = {k: latest_end[k] == end[k] for k in end}
    # hold the date: a task is skipped when even squeezed (it and everything before it at
    # the shortest durations) it cannot end by the launch day; the others get, in dependency
    # order, as much of their full length as leaves room for what comes after them.
    shortest = {t.key: t.min_days for t in order}
    start_min = _forward(order, shortest, it_day)
    status = {k: "skipped" if start_min[k] + shortest[k] > launch_day else "" for k in end}
    latest = dict.fromkeys(end, launch_day)
    for task in reversed(order):
        if status[task.key] == "skipped":
            continue
        for dep in task.after:
            latest[dep] = min(latest[dep], latest[task.key] - shortest[task.key])
    end2: dict[str, float] = {}
    for task in order:
        if status[task.key] == "skipped":
            end2[task.key] = math.nan
            continue
        begin = max([it_day if task.owner == "IT" else 0, *(int(end2[d]) for d in task.after)])
        length = min(task.days, latest[task.key] - begin)
        status[task.key] = "done" if length == task.days else "compressed"
        end2[task.key] = begin + length
    schedule = pd.DataFrame({
        "key": [t.key for t in order],
        "name": [t.name for t in order],
        "owner": [t.owner for t in order],
        "start": [start[t.key] for t in order],
        "end": [end[t.key] for t in order],
        "days": [t.days for t in order],
        "critical": [critical[t.key] for t in order],
        "status": pd.Series([status[t.key] for t in order], dtype=object),
        "end_if_launching": pd.array([end2[t.key] for t in order], dtype="Int64"),
    })
    return ReadinessPlan(launch_day=launch_day, it_day=it_day, label=label,
                         schedule=schedule, tasks=tuple(order))


def readiness_findings(plan: ReadinessPlan) -> pd.DataFrame:
    """Each task squeezed or not done on the planned date, in Marketing's and IT's words."""
    by_key = {t.key: t for t in plan.tasks}
    rows = []
    for row in plan.schedule.itertuples(index=False):
        if row.status == "done":
            continue
        task = by_key[row.key]
        skipped = row.status == "skipped"
        rows.append({
            "subject": task.name,
            "check": "task_skipped" if skipped else "task_compressed",
            "severity": "error" if skipped else "warning",
            "business": task.business or f"{task.name} is not ready on launch day.",
            "technical": (("Not done by launch day: " if skipped
                           else f"Squeezed from {task.days} to {task.min_days} day(s): ")
                          + (task.technical or task.name)),
            "source": SEED_ARTICLE,
        })
    return findings_frame(rows)


def compare_joins(tasks: Iterable[Task] = TASKS, *, launch_day: int = 42,
                  joins: Iterable[str | int] = tuple(IT_JOINS)) -> pd.DataFrame:
    """One row per moment IT joins: delay if the scope is kept, tasks squeezed/skipped if
    the date is kept, risk."""
    tasks = list(tasks)
    rows = [plan_launch(tasks, launch_day=launch_day, it_joins=j).summary for j in joins]
    return pd.DataFrame(rows)
