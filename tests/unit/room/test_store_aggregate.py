"""Storage keeps every acknowledged event; the figures split choices by role and round."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.room.aggregate import figures, scheduled_block
from kit.room.store import Store, open_store


def _figures(store: Store, code: str, **options: object) -> dict:
    room = store.room(code)
    assert room is not None
    return figures(store.events(code), learners=store.learners(code),
                   decisions=store.decisions(code), names_on=room.names_on, code=code,
                   **options)


@pytest.fixture(params=["stdlib", "sqlalchemy"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    url = (f"sqlite:///{tmp_path / 'room.db'}" if request.param == "stdlib"
           else f"sqlite+pysqlite:///{tmp_path / 'room.db'}")
    if request.param == "sqlalchemy":
        pytest.importorskip("sqlalchemy")
    opened = open_store(url)
    yield opened
    opened.close()


def _learner(store: Store, code: str, role: str | None, name: str | None = None) -> str:
    learner, _ = store.add_learner(code, name)
    if role:
        store.add_events(code, learner, [{"kind": "role", "role": role}])
    return learner


def test_reopened_database_holds_every_committed_event(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'room.db'}"
    first = open_store(url)
    room = first.create_room()
    learner, pseudonym = first.add_learner(room.code, None)
    first.add_events(room.code, learner, [{"kind": "choice", "decision": "d", "option": "A"}])
    first.close()
    again = open_store(url)
    assert again.room() == room
    assert [event.kind for event in again.events(room.code)] == ["joined", "choice"]
    assert again.learners(room.code)[learner] == (pseudonym, None)


def test_choices_split_by_role_hidden_until_revealed(store: Store) -> None:
    code = store.create_room().code
    choices = [("marketing", "A"), ("marketing", "A"), ("marketing", "B"), ("it", "B"),
               ("it", "B"), (None, "A")]
    for role, option in choices:
        learner = _learner(store, code, role)
        store.add_events(code, learner, [{"kind": "choice", "decision": "policy", "option": "C"},
                                         {"kind": "choice", "decision": "policy",
                                          "option": option}])  # the latest choice counts
    hidden = _figures(store, code)["decisions"][0]
    assert hidden["hidden"] and hidden["rounds"][0]["answered"] == 6
    assert "options" not in hidden["rounds"][0]
    private = _figures(store, code, private=True)["decisions"][0]
    assert private["rounds"][0]["options"]["A"] == {"marketing": 2, "it": 0, "unknown": 1}
    store.reveal(code, "policy")
    shown = _figures(store, code)["decisions"][0]["rounds"][0]
    assert shown["options"] == {"A": {"marketing": 2, "it": 0, "unknown": 1},
                                "B": {"marketing": 1, "it": 2, "unknown": 0}}
    assert shown["percent"]["A"] == {"marketing": 67, "it": 0, "unknown": 100}


def test_revote_shows_the_shift_per_role(store: Store) -> None:
    code = store.create_room().code
    people = [_learner(store, code, role) for role in ("marketing",) * 4 + ("it",) * 2]
    for learner, option in zip(people, "AAABBB", strict=True):
        store.add_events(code, learner, [{"kind": "choice", "decision": "d", "option": option}])
    assert store.ask_again(code, "d") == 2
    for learner, option in zip(people, "ABBBBB", strict=True):
        store.add_events(code, learner, [{"kind": "choice", "decision": "d", "option": option}])
    store.reveal(code, "d")
    decision = _figures(store, code)["decisions"][0]
    assert decision["round"] == 2 and decision["shift_between"] == [1, 2]
    assert decision["shift"]["marketing"] == {"A": -50, "B": 50}
    assert decision["shift"]["it"] == {"A": 0, "B": 0}
    assert decision["changed"] == {"marketing": 2, "it": 0, "unknown": 0}
    assert [r["answered"] for r in decision["rounds"]] == [6, 6]


def test_multi_option_choice_counts_each_ticked_option(store: Store) -> None:
    code = store.create_room().code
    for ticked in (["A", "E"], ["A"], []):
        store.add_events(code, _learner(store, code, "it"),
                         [{"kind": "choice", "decision": "same", "option": ticked}])
    store.reveal(code, "same")
    first = _figures(store, code)["decisions"][0]["rounds"][0]
    assert first["voters"]["it"] == 3
    assert first["options"]["A"]["it"] == 2 and first["options"]["E"]["it"] == 1


def test_progress_stuck_and_checks(store: Store) -> None:
    room = store.create_room(day="full", start="10:00", names_on=True)
    code = room.code
    ann = _learner(store, code, "marketing", name="Ann")
    bob = _learner(store, code, "it")
    store.add_events(code, ann, [{"kind": "section", "section": "01-redirects"},
                                 {"kind": "section", "section": "00-welcome"},
                                 {"kind": "stuck", "stuck": True},
                                 {"kind": "check", "check": "c1", "passed": False},
                                 {"kind": "check", "check": "c1", "passed": True}])
    store.add_events(code, bob, [{"kind": "section", "section": "00-welcome"},
                                 {"kind": "stuck", "stuck": True},
                                 {"kind": "stuck", "stuck": False},
                                 {"kind": "check", "check": "c1", "passed": False}])
    # 10:30 on a day that started at 10:00 is 09:30 on the schedule: 01-redirects' teaching
    result = _figures(store, code, day="full", start="10:00", clock="10:30")
    progress = result["progress"]
    assert progress["block"] == {"start": "10:20", "end": "11:05", "kind": "teaching",
                                 "module": "01-redirects"}
    rows = {row["module"]: row for row in progress["modules"]}
    assert rows["01-redirects"]["at"]["marketing"] == 1 and rows["01-redirects"]["scheduled"]
    assert rows["00-welcome"]["at"]["it"] == 1 and progress["behind"] == 1
    assert result["stuck"] == {"count": 1, "by_role": {"marketing": 1, "it": 0, "unknown": 0}}
    assert _figures(store, code, private=True)["stuck"]["who"] == ["Ann"]
    assert result["checks"] == [{"check": "c1", "tried": 2, "passed": 1, "percent": 50,
                                 "tried_by_role": {"marketing": 1, "it": 1, "unknown": 0},
                                 "passed_by_role": {"marketing": 1, "it": 0, "unknown": 0}}]
    store.set_names(code, False)
    assert _figures(store, code, private=True)["stuck"]["who"] != ["Ann"]


def test_public_figures_never_name_anyone(store: Store) -> None:
    code = store.create_room(names_on=True).code
    learner = _learner(store, code, "it", name="Zed Secret")
    store.add_events(code, learner, [{"kind": "stuck", "stuck": True}])
    pseudonym = store.learners(code)[learner][0]
    text = str(_figures(store, code))
    assert "Zed Secret" not in text and pseudonym not in text and learner not in text


def test_scheduled_block_outside_the_day() -> None:
    assert scheduled_block("half", "09:00", "08:00") is None
    assert scheduled_block("half", "09:00", "09:05")["module"] == "00-welcome"
