"""The launch schedule: critical path, the three moments IT joins, findings, bad tasks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.errors import InputError
from kit.findings import FINDING_COLUMNS
from kit.launch import IT_JOINS, TASKS, Task, compare_joins, plan_launch, tasks_frame

CHAIN = (
    Task("a", "A", "Marketing", 4, 2),
    Task("b", "B", "IT", 3, 1, ("a",)),
    Task("c", "C", "IT", 5, 5),
    Task("d", "D", "Marketing", 2, 2, ("b",)),
)


@pytest.mark.parametrize(("it_joins", "delay", "compressed", "skipped", "risk"), [
    ("at inception", 0, 0, 0, "low"),
    ("two weeks before launch", 1, 1, 0, "medium"),
    ("at launch", 15, 0, 6, "high"),
])
def test_the_three_moments(it_joins: str, delay: int, compressed: int, skipped: int,
                           risk: str) -> None:
    s = plan_launch(it_joins=it_joins).summary
    assert (s["delay_days"], s["tasks_compressed"], s["tasks_skipped"], s["risk"]) == (
        delay, compressed, skipped, risk)


@pytest.mark.parametrize(("launch_day", "before", "ends", "status"), [
    # IT joins on day 0: a 0-4, b 4-7, d 7-9, c 0-5: everything fits
    (10, 10, {"a": 4, "b": 7, "c": 5, "d": 9},
     {"a": "done", "b": "done", "c": "done", "d": "done"}),
    # IT joins day 5: c (5 days, cannot be squeezed) ends 10 > 9; b squeezed 5-7 so d fits 7-9
    (9, 4, {"a": 4, "b": 8, "c": 10, "d": 10},
     {"a": "done", "b": "compressed", "c": "skipped", "d": "done"}),
    # IT joins day 6: b squeezed 6-8, d 8-10; c 6-11 skipped
    (10, 4, {"a": 4, "b": 9, "c": 11, "d": 11},
     {"a": "done", "b": "compressed", "c": "skipped", "d": "done"}),
    # IT joins day 8: b fits squeezed (8-10), but even then d (9-11) misses day 10
    (10, 2, {"a": 4, "b": 11, "c": 13, "d": 13},
     {"a": "done", "b": "compressed", "c": "skipped", "d": "skipped"}),
])
def test_small_plan_by_hand(launch_day: int, before: int, ends: dict, status: dict) -> None:
    plan = plan_launch(CHAIN, launch_day=launch_day, it_joins=before)
    got = plan.schedule.set_index("key")
    assert got["end"].to_dict() == ends
    assert got["status"].to_dict() == status


def test_critical_path_is_the_longest_chain() -> None:
    plan = plan_launch(CHAIN, launch_day=20, it_joins=20)
    critical = set(plan.schedule.loc[plan.schedule["critical"], "key"])
    assert critical == {"a", "b", "d"} and plan.full_scope_launch == 9


def test_findings_speak_both_languages() -> None:
    findings = plan_launch(it_joins="at launch").findings
    assert list(findings.columns[:6]) == list(FINDING_COLUMNS)
    assert set(findings["check"]) == {"task_skipped"}
    assert findings["business"].str.len().min() > 20 and findings["source"].str.contains(
        "Companies urged").all()
    assert plan_launch().findings.empty
    assert "risk" in plan_launch()._repr_html_() and "risk='low'" in repr(plan_launch())


def test_compare_and_tasks_frame() -> None:
    table = compare_joins()
    assert list(table["it_joins"]) == list(IT_JOINS)
    assert table["delay_days"].is_monotonic_increasing
    assert set(tasks_frame()["owner"]) == {"Marketing", "IT"} and len(tasks_frame()) == len(TASKS)


@pytest.mark.parametrize(("tasks", "kwargs", "message"), [
    (CHAIN, {"it_joins": "soon"}, "it_joins"),
    (CHAIN, {"it_joins": -3}, "it_joins"),
    (CHAIN, {"launch_day": -1}, "launch_day"),
    ((Task("a", "A", "IT", 1, 1, ("zz",)),), {}, "not a task"),
    ((Task("a", "A", "IT", 1, 1, ("b",)), Task("b", "B", "IT", 1, 1, ("a",))), {}, "circle"),
    ((Task("a", "A", "IT", 1, 1), Task("a", "A2", "IT", 1, 1)), {}, "twice"),
])
def test_bad_plans_are_input_errors(tasks, kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        plan_launch(tasks, **kwargs)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Task("a", "A", "Sales", 1, 1), "owner"),
    (lambda: Task("a", "A", "IT", 2, 3), "min_days"),
    (lambda: Task("a", "A", "IT", -1, 0), "days"),
    (lambda: Task("", "A", "IT", 1, 1), "key"),
])
def test_bad_tasks_are_input_errors(make, message: str) -> None:
    with pytest.raises(InputError, match=message):
        make()


@given(st.integers(0, 60), st.integers(0, 60))
def test_joining_later_never_helps(launch_day: int, before: int) -> None:
    early = plan_launch(launch_day=launch_day, it_joins=before + 1).summary
    late = plan_launch(launch_day=launch_day, it_joins=before).summary
    assert late["full_scope_launch_day"] >= early["full_scope_launch_day"]
    assert late["tasks_skipped"] >= early["tasks_skipped"]
    assert (late["tasks_done"] + late["tasks_compressed"]
            <= early["tasks_done"] + early["tasks_compressed"])
