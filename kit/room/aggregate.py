"""The room's figures, from its stored events: what the facilitator's page and notebook show.

:func:`figures` turns a room's events into one JSON-ready dict:

* ``decisions`` — per decision and round (1 = the first vote, 2 = the revote after the pairs
  discussed, ...): how many learners of each role chose each option (a learner's latest
  choice in that round counts), and between the last two rounds the *shift* per role and
  option in percentage points, plus how many of each role changed their answer.  A
  decision the facilitator has not revealed shows only how many answered (``hidden``),
  unless ``private`` (the facilitator's own screen);
* ``progress`` — how many learners (per role) have reached each module, next to the
  module the schedule (:mod:`kit.schedule`) has at ``clock`` for the room's day;
* ``stuck`` — how many are stuck now, per role; with ``private`` and names on, who;
* ``checks`` — per self-check, how many tried and how many passed (latest result), per role.

Pseudonyms never appear unless ``private``; learner ids never appear.  Percentages are
whole numbers, so the figures are the same on every machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kit.room.schema import ROLES
from kit.room.store import StoredEvent

__all__ = ["ROLE_KEYS", "figures", "scheduled_block"]

ROLE_KEYS = (*ROLES, "unknown")
"""Roles in the figures: the two sides, and learners who have not said."""


def _by_role() -> dict[str, int]:
    return dict.fromkeys(ROLE_KEYS, 0)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _options(option: Any) -> list[str]:
    return list(option) if isinstance(option, list) else [option]


def scheduled_block(day: str, start: str, clock: str) -> dict[str, Any] | None:
    """The block of the schedule that ``clock`` (``HH:MM``) falls in, for a day of kind
    ``day`` that started at ``start`` (the schedule's times shifted alike)."""
    from kit.schedule import DAYS, clock_minutes

    plan = DAYS.get(day)
    if plan is None:
        return None
    shift = clock_minutes(start) - clock_minutes(plan.start)
    now = clock_minutes(clock) - shift
    for block in plan.blocks:
        if clock_minutes(block.start) <= now < clock_minutes(block.end):
            return {"start": _clock(clock_minutes(block.start) + shift),
                    "end": _clock(clock_minutes(block.end) + shift),
                    "kind": block.kind, "module": block.module}
    return None


def _clock(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _decision_figures(decision: str, votes: Mapping[int, Mapping[str, list[str]]],
                      roles: Mapping[str, str], open_round: int, revealed: bool,
                      private: bool) -> dict[str, Any]:
    rounds = []
    shares: dict[int, dict[str, dict[str, int]]] = {}
    for number in range(1, max([open_round, *votes]) + 1):
        chosen = votes.get(number, {})
        voters = _by_role()
        counts: dict[str, dict[str, int]] = {}
        for learner, options in chosen.items():
            role = roles.get(learner, "unknown")
            voters[role] += 1
            for option in options:
                counts.setdefault(option, _by_role())[role] += 1
        shares[number] = {option: {role: _percent(count[role], voters[role]) for role in ROLE_KEYS}
                          for option, count in counts.items()}
        entry: dict[str, Any] = {"round": number, "answered": sum(voters.values()),
                                 "voters": voters}
        if revealed or private:
            entry["options"] = {option: counts[option] for option in sorted(counts)}
            entry["percent"] = {option: shares[number][option] for option in sorted(counts)}
        rounds.append(entry)
    result: dict[str, Any] = {"decision": decision, "round": open_round, "revealed": revealed,
                              "hidden": not revealed and not private, "rounds": rounds}
    if len(rounds) >= 2 and (revealed or private):
        before, after = len(rounds) - 1, len(rounds)
        options = sorted(set(shares[before]) | set(shares[after]))
        zero = dict.fromkeys(ROLE_KEYS, 0)
        result["shift"] = {
            role: {option: shares[after].get(option, zero)[role]
                   - shares[before].get(option, zero)[role] for option in options}
            for role in ROLE_KEYS}
        changed = _by_role()
        for learner, options_after in votes.get(after, {}).items():
            options_before = votes.get(before, {}).get(learner)
            if options_before is not None and options_before != options_after:
                changed[roles.get(learner, "unknown")] += 1
        result["changed"] = changed
        result["shift_between"] = [before, after]
    return result


def figures(events: Iterable[StoredEvent], *, learners: Mapping[str, tuple[str, str | None]],
            decisions: Mapping[str, tuple[int, bool]], day: str = "full", start: str = "09:00",
            clock: str | None = None, names_on: bool = False, private: bool = False,
            code: str = "") -> dict[str, Any]:
    """The room's figures (see the module docstring) from its ``events`` in stored order."""
    from kit.schedule import MODULES

    roles: dict[str, str] = {}
    votes: dict[str, dict[int, dict[str, list[str]]]] = {}
    reached: dict[str, str] = {}
    stuck: dict[str, bool] = {}
    checks: dict[str, dict[str, bool]] = {}
    order = {module: index for index, module in enumerate(MODULES)}
    for event in events:
        learner = event.learner
        if event.kind == "role":
            roles[learner] = event.body["role"]
        elif event.kind == "choice" and event.decision:
            votes.setdefault(event.decision, {}).setdefault(event.round or 1, {})[learner] = \
                _options(event.body["option"])
        elif event.kind == "section":
            section = event.body["section"]
            now = reached.get(learner)
            if now is None or order.get(section, len(order)) >= order.get(now, len(order)):
                reached[learner] = section
        elif event.kind == "stuck":
            stuck[learner] = bool(event.body["stuck"])
        elif event.kind == "check":
            checks.setdefault(event.body["check"], {})[learner] = bool(event.body["passed"])
    everyone = set(learners)
    role_counts = _by_role()
    for learner in everyone:
        role_counts[roles.get(learner, "unknown")] += 1

    decision_ids = sorted(set(votes) | set(decisions))
    decision_rows = [
        _decision_figures(decision, votes.get(decision, {}), roles,
                          decisions.get(decision, (1, False))[0],
                          decisions.get(decision, (1, False))[1], private)
        for decision in decision_ids]

    modules = [*MODULES, *sorted(set(reached.values()) - set(MODULES))]
    block = scheduled_block(day, start, clock) if clock else None
    progress_rows = []
    for module in modules:
        at = _by_role()
        for learner, section in reached.items():
            if section == module:
                at[roles.get(learner, "unknown")] += 1
        title = MODULES[module].title if module in MODULES else module
        progress_rows.append({"module": module, "title": title, "at": at,
                              "scheduled": bool(block and block["module"] == module)})
    behind = 0
    if block and block["module"] in order:
        behind = sum(1 for section in reached.values()
                     if order.get(section, len(order)) < order[block["module"]])

    stuck_by_role = _by_role()
    for learner, is_stuck in stuck.items():
        if is_stuck:
            stuck_by_role[roles.get(learner, "unknown")] += 1
    stuck_figures: dict[str, Any] = {"count": sum(stuck_by_role.values()), "by_role": stuck_by_role}
    if private:
        stuck_figures["who"] = sorted(
            (learners[learner][1] if names_on and learners[learner][1] else learners[learner][0])
            for learner, is_stuck in stuck.items() if is_stuck and learner in learners)

    check_rows = []
    for check_id in sorted(checks):
        tried, passed = _by_role(), _by_role()
        for learner, ok in checks[check_id].items():
            role = roles.get(learner, "unknown")
            tried[role] += 1
            passed[role] += int(ok)
        check_rows.append({"check": check_id, "tried": sum(tried.values()),
                           "passed": sum(passed.values()),
                           "percent": _percent(sum(passed.values()), sum(tried.values())),
                           "tried_by_role": tried, "passed_by_role": passed})

    return {"room": code, "learners": len(everyone), "roles": role_counts,
            "names_on": names_on, "private": private, "decisions": decision_rows,
            "progress": {"day": day, "start": start, "clock": clock, "block": block,
                         "behind": behind, "modules": progress_rows},
            "stuck": stuck_figures, "checks": check_rows}
