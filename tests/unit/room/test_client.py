"""The learner's client: a no-op when not joined, never raises, retries until the room
answers, and sends only the kit's ids (never a text box's content)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from kit.room import client
from tests.unit.room.conftest import RunningRoom, free_port, start_room


@pytest.fixture(autouse=True)
def ticket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "ticket.json"
    monkeypatch.setenv(client.ROOM_FILE_ENV, str(path))
    yield path
    client.leave()
    client.flush(5)


def _join(room: RunningRoom, role: str) -> None:
    results: list[tuple[bool, str]] = []
    assert client.join(room.url, room.room.code.lower(), role, on_done=lambda *r: results.append(r))
    assert client.flush(10)
    assert results[-1][0], results
    assert client.joined()["role"] == role


def test_not_joined_nothing_is_queued_and_nothing_raises() -> None:
    before = client.pending()
    client.notify_choice("plan", "choices", {"q": "map"})
    client.notify_check("Look again.", True)
    client.notify_section("01-redirects")
    client.stuck()
    client.send({"kind": "nonsense"})
    assert client.pending() == before == 0


def test_join_refuses_bad_input_without_raising() -> None:
    said: list[tuple[bool, str]] = []
    assert not client.join("192.168.1.5:8765", "ABC", "it", on_done=lambda *r: said.append(r))
    assert not client.join("http://x/", "ABC", "sales", on_done=lambda *r: said.append(r))
    assert [ok for ok, _ in said] == [False, False] and "http://" in said[0][1]


def test_forms_and_checks_send_only_ids(running_room: RunningRoom) -> None:
    from kit.check import check
    from kit.forms import choose, number, pick, write

    _join(running_room, "marketing")
    plan = pick("plan", {"q": "Which plan?"}, ["homepage dump", "1:1 map"])
    ticks = choose("same", "ABC")
    servers = number("servers", 1, 9)
    notes = write("notes", ["why"])
    plan._controls["q"].value = "1:1 map"
    ticks.value = {"C", "A"}
    servers.value = 4
    notes.value = {"why": "a secret sentence"}
    check(True, hint="Look at the map.")
    with pytest.raises(AssertionError):
        check(False, hint="Look at the map again.")
    assert client.flush(10)
    stored = running_room.store.events(running_room.room.code)
    bodies = [(event.kind, event.body) for event in stored if event.kind in ("choice", "check")]
    choices = [body for kind, body in bodies if kind == "choice"]
    assert {"decision": "plan.q", "option": "1:1-map"} in choices
    assert {"decision": "same", "option": ["A", "C"]} in choices
    assert {"decision": "servers", "option": "4"} in choices
    assert "secret" not in json.dumps([event.body for event in stored])
    assert [body["passed"] for kind, body in bodies if kind == "check"] == [True, False]
    roles = [event.body for event in stored if event.kind == "role"]
    assert roles == [{"role": "marketing"}]


def test_unreachable_room_events_wait_and_arrive_later(tmp_path: Path) -> None:
    port = free_port()
    # a ticket for a room that is not up yet
    first = start_room(tmp_path / "room.db")
    token = first.join()
    room = first.room
    first.stop()
    client._write_ticket({"url": f"http://127.0.0.1:{port}/", "token": token, "room": room.code,
                          "pseudonym": "Calm Otter", "role": "it"})
    for n in range(5):
        client.notify_choice("plan", "number", n)  # never blocks, never raises
    assert not client.flush(0.5) and client.pending() == 5
    later: dict[str, RunningRoom] = {}

    def start() -> None:
        later["room"] = start_room(tmp_path / "room.db", room=room, port=port)

    starter = threading.Thread(target=start)
    starter.start()
    starter.join(10)
    try:
        assert client.flush(40)  # the client's back-off is at most 30 s
        options = [e.body["option"] for e in later["room"].store.events(room.code)
                   if e.kind == "choice"]
        assert options == ["0", "1", "2", "3", "4"]
    finally:
        later["room"].stop()


def test_a_refused_ticket_stops_sending(running_room: RunningRoom) -> None:
    client._write_ticket({"url": running_room.url, "token": "forged.0000", "room": "X",
                          "pseudonym": "X", "role": "it"})
    client.stuck()
    assert client.flush(10)
    assert client.joined() is None  # the room said 401: the ticket is dropped
