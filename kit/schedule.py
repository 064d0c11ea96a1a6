"""The day's schedule: one source for the facilitator's guide and the welcome notebook.

:data:`DAYS` holds the full day and the half day, block by block (welcome, each module's
teaching and its exercise, breaks, lunch, the capstone's presentations and prompts, the
close), with clock times.  :data:`MODULES` holds what each module is for and, for the half
day, what its 35-minute version cuts.  Everything a facilitator or a learner sees about
times is generated from here:

* ``python -m kit.schedule`` rewrites the tables of ``workshops/FACILITATOR.md`` between
  ``<!-- schedule:NAME -->`` and ``<!-- /schedule:NAME -->`` markers (``--check`` only
  reports whether they are current, exit code 1 when not);
* :func:`day_table` and :func:`module_plan` show the same times in the notebooks.

The tests check that each day adds up (contiguous blocks, no overlap, ends when it says,
every module 01–06 has teaching and an exercise) and that the guide and the stored
notebook outputs equal this data.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from kit.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DAYS",
    "KINDS",
    "MODULES",
    "Block",
    "Day",
    "Module",
    "clock_minutes",
    "day_table",
    "module_minutes",
    "module_plan",
    "register",
    "render_day",
    "render_module",
    "update_guide",
]

KINDS = ("welcome", "teaching", "exercise", "presentations", "discussion", "break", "lunch",
         "close")
"""Kinds of block.  A module's minutes are its teaching, exercise, presentations and discussion."""

_MODULE_KINDS = ("teaching", "exercise", "presentations", "discussion")


@dataclass(frozen=True)
class Block:
    """One stretch of the day: ``start``–``end`` (``"HH:MM"``), what kind, which module."""

    start: str
    end: str
    kind: str
    module: str | None
    facilitator: str
    cohort: str

    @property
    def minutes(self) -> int:
        """Length in minutes."""
        return clock_minutes(self.end) - clock_minutes(self.start)


@dataclass(frozen=True)
class Day:
    """A whole day: its name (``full``/``half``), a label for people, start, end, blocks."""

    name: str
    label: str
    start: str
    end: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Module:
    """A module: notebook, title, the request it starts from, and the half day's cut."""

    key: str
    title: str
    request: str
    half_day_cut: str


def clock_minutes(clock: str) -> int:
    """Minutes since midnight of a ``HH:MM`` clock time; InputError for anything else."""
    match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", clock)
    if not match:
        raise InputError(f"schedule: {clock!r} is not a time like 09:30.")
    return int(match[1]) * 60 + int(match[2])


MODULES: dict[str, Module] = {m.key: m for m in (
    Module("00-welcome", "Welcome", "—",
           "Keep the pairs, the self-rating and one prompt (what each side is judged on); "
           "the habits are read, not discussed."),
    Module("01-redirects", "Redirects", "“301 every old page to its new page”",
           "Keep the widget (homepage dump vs 1:1 map) and the audit read in both voices; "
           "demo the export in one minute; one prompt (rewrite the request). In the exercise, "
           "pairs do the Marketing part only; the rest is homework."),
    Module("02-seo", "SEO", "“SEO the website”",
           "Keep the explorer (keywords and sitemap change nothing, noindex and titles do) and "
           "one finding of each kind read aloud; skip robots.txt and the sitemap sections "
           "(show the robots line only); one prompt. Exercise: the Marketing part in pairs."),
    Module("03-duplicates", "Duplicates", "“no duplicate content”",
           "Keep the crawl explorer and the shop policy; skip the terminal section and the "
           "assumptions table; one prompt. Exercise: the Marketing part in pairs."),
    Module("04-tracking", "Tracking", "“track the PPC (pay-per-click) campaign”",
           "Keep the campaign explorer (three scenarios) and the link builder; skip the access "
           "log section; one prompt. Exercise: the Marketing part in pairs."),
    Module("05-launch", "Launch", "the viral campaign, IT joins at the end",
           "Keep the readiness explorer and the capacity chart at its defaults; skip the cited "
           "charts and the terminal command; one prompt. Exercise: the Marketing part in pairs."),
    Module("06-capstone", "Capstone", "all of the above",
           "Demo one brief failing then passing; each pair writes one brief for a request of "
           "their own; no presentations, one prompt (the compromise), the rest is homework."),
)}

_FULL = (
    ("09:00", "09:20", "welcome", "00-welcome",
     "the two sides' priorities; the day's plan; a widget and a check",
     "form pairs (one marketer, one engineer); self-rating; prompt: what each side is judged on"),
    ("09:20", "10:05", "teaching", "01-redirects",
     "migration explorer: homepage dump vs 1:1 map; one finding in both voices",
     "click every strategy; audit and fix a map"),
    ("10:05", "10:30", "exercise", "01-redirects", "walk the room; collect questions",
     "exercise 01: Marketing part (no code), IT part (Python), shared part"),
    ("10:30", "10:40", "break", None, "", ""),
    ("10:40", "11:25", "teaching", "02-seo",
     "SEO explorer: keywords and sitemap change nothing, noindex and titles do",
     "read the audit in both voices; sitemap of indexable pages"),
    ("11:25", "11:50", "exercise", "02-seo", "walk the room; collect questions",
     "exercise 02: Marketing, IT and shared parts"),
    ("11:50", "12:30", "lunch", None, "", ""),
    ("12:30", "13:15", "teaching", "03-duplicates",
     "crawl explorer: facets × sort × session ids multiply addresses",
     "choose a normalisation policy; one rule per kind of duplicate"),
    ("13:15", "13:35", "exercise", "03-duplicates", "walk the room; collect questions",
     "exercise 03: Marketing, IT and shared parts"),
    ("13:35", "13:45", "break", None, "", ""),
    ("13:45", "14:30", "teaching", "04-tracking",
     "campaign explorer: untagged, tagged, tagged with mistakes",
     "build a UTM link; lint the tagging sheet and fix a row"),
    ("14:30", "14:50", "exercise", "04-tracking", "walk the room; collect questions",
     "exercise 04: Marketing, IT and shared parts"),
    ("14:50", "15:00", "break", None, "", ""),
    ("15:00", "15:45", "teaching", "05-launch",
     "readiness by when IT joins; the capacity chart under a spike",
     "size the servers; the \"when IT joins\" note"),
    ("15:45", "16:05", "exercise", "05-launch", "walk the room; collect questions",
     "exercise 05: Marketing, IT and shared parts"),
    ("16:05", "16:15", "break", None, "", ""),
    ("16:15", "16:25", "teaching", "06-capstone",
     "one brief run against IT's delivery (fails) and the agreed work (passes)",
     "read the brief aloud, one column each"),
    ("16:25", "16:55", "exercise", "06-capstone", "walk the room; pick two pairs to present",
     "exercise 06: five briefs and one of their own"),
    ("16:55", "17:05", "presentations", "06-capstone", "time each pair (3 minutes)",
     "two pairs present one brief each"),
    ("17:05", "17:20", "discussion", "06-capstone", "run the prompts; the IT → Marketing case",
     "prompts: benefits first, the compromise, start small"),
    ("17:20", "17:30", "close", None, "where the glossary and the self-paced path are",
     "the self-rating again; one habit each will try first"),
)

_HALF = (
    ("09:00", "09:15", "welcome", "00-welcome", "the two sides' priorities; pairs",
     "self-rating (2 min); one prompt"),
    ("09:15", "09:40", "teaching", "01-redirects", "homepage dump vs 1:1 map in the explorer",
     "read the audit of IT's map; fix the map until the check passes"),
    ("09:40", "09:50", "exercise", "01-redirects", "walk the room",
     "exercise 01, Marketing part; the rest is homework"),
    ("09:50", "10:15", "teaching", "02-seo", "keywords/sitemap vs noindex/titles",
     "read one finding of each kind aloud, in both languages"),
    ("10:15", "10:25", "exercise", "02-seo", "walk the room",
     "exercise 02, Marketing part; the rest is homework"),
    ("10:25", "10:35", "break", None, "", ""),
    ("10:35", "11:00", "teaching", "03-duplicates", "the crawl explorer (address multiplication)",
     "compare the policies' real-page counts; name the canonical"),
    ("11:00", "11:10", "exercise", "03-duplicates", "walk the room",
     "exercise 03, Marketing part; the rest is homework"),
    ("11:10", "11:35", "teaching", "04-tracking", "the campaign explorer, three scenarios",
     "build a link; fix the Facebook row of the sheet"),
    ("11:35", "11:45", "exercise", "04-tracking", "walk the room",
     "exercise 04, Marketing part; the rest is homework"),
    ("11:45", "11:50", "break", None, "a short stretch", ""),
    ("11:50", "12:15", "teaching", "05-launch", "IT joins at the brief vs at launch; the spike",
     "find the servers needed for the big campaign"),
    ("12:15", "12:25", "exercise", "05-launch", "walk the room",
     "exercise 05, Marketing part; the rest is homework"),
    ("12:25", "12:30", "teaching", "06-capstone", "the module 01 brief, failing then passing",
     "read the brief aloud, one column each"),
    ("12:30", "12:50", "exercise", "06-capstone", "walk the room",
     "one brief for a request of their own; the five briefs are homework"),
    ("12:50", "13:00", "discussion", "06-capstone",
     "one prompt: the compromise; close: homework is exercises 01–06",
     "say one concern of the other side and the reduced plan; the self-rating again"),
)


def _day(name: str, label: str, rows: Sequence[tuple[str, str, str, str | None, str, str]]
         ) -> Day:
    blocks = tuple(Block(*row) for row in rows)
    return Day(name, label, blocks[0].start, blocks[-1].end, blocks)


DAYS: dict[str, Day] = {
    "full": _day("full", "Full day (09:00–17:30)", _FULL),
    "half": _day("half", "Half day (09:00–13:00)", _HALF),
}
"""The two agendas.  Times are for a 09:00 start; shift them all alike."""

_KIND_WORDS = {"welcome": "welcome", "teaching": "demo and pair work", "exercise": "exercise",
               "presentations": "presentations", "discussion": "discussion prompts",
               "break": "break", "lunch": "lunch", "close": "close"}


def _day_of(day: str | Day) -> Day:
    if isinstance(day, Day):
        return day
    if day not in DAYS:
        raise InputError(f"schedule: no day {day!r}; choose one of {sorted(DAYS)}.")
    return DAYS[day]


def _module_of(module: str) -> Module:
    if module not in MODULES:
        raise InputError(f"schedule: no module {module!r}; choose one of {list(MODULES)}.")
    return MODULES[module]


def module_minutes(module: str, day: str | Day) -> dict[str, int]:
    """Minutes per kind of block (``teaching``, ``exercise``, …) for ``module`` on ``day``."""
    _module_of(module)
    minutes: dict[str, int] = {}
    for block in _day_of(day).blocks:
        if block.module == module:
            minutes[block.kind] = minutes.get(block.kind, 0) + block.minutes
    return minutes


def _span(module: str, day: Day) -> str:
    blocks = [b for b in day.blocks if b.module == module]
    return f"{blocks[0].start}–{blocks[-1].end}"


def _what(block: Block) -> str:
    if block.module is None:
        return _KIND_WORDS[block.kind]
    module = MODULES[block.module]
    return f"{block.module[:2]} {module.title} · {_KIND_WORDS[block.kind]}"


def day_table(day: str | Day) -> pd.DataFrame:
    """The agenda of ``day`` (``"full"`` or ``"half"``) as a table: time, minutes, what.

    The notebook labels it (``DAYS[day].label``) in the text above the cell.
    """
    import pandas as pd  # here, so that ``crosstalk schedule`` starts without pandas

    found = _day_of(day)
    return pd.DataFrame(
        [{"time": f"{b.start}–{b.end}", "minutes": b.minutes, "what": _what(b),
          "the cohort does": b.cohort} for b in found.blocks]
    )


def _minutes_words(minutes: dict[str, int]) -> str:
    return " + ".join(f"{count} min {_KIND_WORDS[kind]}" for kind, count in minutes.items())


class ModulePlan:
    """A module's minutes in both days, for the header of its notebook."""

    def __init__(self, module: str) -> None:
        self.module = _module_of(module)
        self.days = {name: (_span(module, day), module_minutes(module, day))
                     for name, day in DAYS.items()}

    def lines(self) -> list[str]:
        """One line per day: label, clock span, minutes per kind."""
        out = []
        for name, (span, minutes) in self.days.items():
            total = sum(minutes.values())
            out.append(f"{DAYS[name].label.split(' (')[0]}: {span}, {total} min "
                       f"({_minutes_words(minutes)})")
        return out

    def __repr__(self) -> str:
        return "\n".join([f"{self.module.key} · {self.module.title}", *self.lines()])

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{escape(line)}</li>" for line in self.lines())
        return (f"<p><b>Time for this module</b> (from the day's schedule, "
                f"<code>kit/schedule.py</code>):</p><ul>{items}</ul>")


def module_plan(module: str) -> ModulePlan:
    """The minutes of ``module`` (``"01-redirects"`` …) in the full and the half day.

    A notebook shows this first, so it also tells a joined live room (:mod:`kit.room`)
    which module the learner has reached; not joined, that does nothing.
    """
    plan = ModulePlan(module)
    from kit.room import client

    client.notify_section(module)
    return plan


# ---------------------------------------------------------------- the guide's tables

def render_day(day: str | Day) -> str:
    """The agenda of ``day`` as a Markdown table for the facilitator's guide."""
    found = _day_of(day)
    lines = ["| time | min | block | you demo / do | the cohort does |",
             "| --- | --- | --- | --- | --- |"]
    for b in found.blocks:
        lines.append(f"| {b.start}–{b.end} | {b.minutes} | {_what(b)} | {b.facilitator} "
                     f"| {b.cohort} |")
    return "\n".join(lines)


def render_module(module: str) -> str:
    """A module's timing in both days and its half-day cut, as Markdown for the guide."""
    found = _module_of(module)
    lines = ["| day | time | min | block |", "| --- | --- | --- | --- |"]
    for day in DAYS.values():
        for b in day.blocks:
            if b.module == module:
                lines.append(f"| {day.name} | {b.start}–{b.end} | {b.minutes} "
                             f"| {_KIND_WORDS[b.kind]} |")
    half = sum(module_minutes(module, "half").values())
    full = sum(module_minutes(module, "full").values())
    lines += ["", f"**The {half}-minute cut (half day, against {full} minutes in the full "
                  f"day).** {found.half_day_cut}"]
    return "\n".join(lines)


def _sections() -> dict[str, str]:
    sections = {f"day-{name}": render_day(name) for name in DAYS}
    sections.update({f"module-{key}": render_module(key) for key in MODULES})
    return sections


_MARKED = re.compile(
    r"(<!-- schedule:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(\n<!-- /schedule:(?P=name) -->)", re.S
)


def update_guide(path: str | Path, *, check: bool = False) -> list[str]:
    """Rewrite the schedule tables between markers in ``path``; return the stale sections.

    With ``check=True`` nothing is written.  A marker naming an unknown section, or a known
    section with no marker in the file, is an InputError naming it.
    """
    guide = Path(path)
    text = guide.read_text(encoding="utf-8")
    sections = _sections()
    found = {m["name"] for m in _MARKED.finditer(text)}
    unknown = sorted(found - set(sections))
    missing = sorted(set(sections) - found)
    if unknown or missing:
        raise InputError(f"{guide}: schedule markers do not match the data.",
                         [f"unknown section {n!r}" for n in unknown]
                         + [f"no <!-- schedule:{n} --> … <!-- /schedule:{n} --> markers"
                            for n in missing])
    stale: list[str] = []

    def _replace(match: re.Match[str]) -> str:
        body = sections[match["name"]]
        if match["body"] != body:
            stale.append(match["name"])
        return match[1] + body + match[4]

    new_text = _MARKED.sub(_replace, text)
    if stale and not check:
        guide.write_text(new_text, encoding="utf-8")
    return stale


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("guide", nargs="?", default="workshops/FACILITATOR.md",
                        help="the guide to update (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a table is out of date")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``crosstalk schedule [--check] [GUIDE]`` (for ``kit.cli.COMMAND_MODULES``)."""
    parser = subparsers.add_parser(
        "schedule", help="regenerate the facilitator guide's timing tables from kit/schedule.py",
        description="Rewrite the timing tables of the facilitator's guide between its "
                    "<!-- schedule:NAME --> markers from the day's schedule data.",
        epilog="exit status:\n  0  the tables are current (or were rewritten)\n"
               "  1  with --check: some table is out of date (named)\n"
               "  2  the guide cannot be read or has no usable markers\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _arguments(parser)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        stale = update_guide(args.guide, check=args.check)
    except (InputError, OSError) as error:
        print(f"schedule: {error}", file=sys.stderr)
        return 2
    verb = "out of date" if args.check else "rewritten"
    print(f"{args.guide}: {len(stale)} schedule table(s) {verb}"
          + (f": {', '.join(stale)}" if stale else "."))
    return 1 if (args.check and stale) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kit.schedule [--check] [GUIDE]``: regenerate the guide's timing tables."""
    parser = argparse.ArgumentParser(prog="python -m kit.schedule", description=main.__doc__)
    _arguments(parser)
    return _run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
