"""The room server over real HTTP: who may do what, nothing acknowledged is lost, and
40 learners posting in the same second are all counted."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.unit.room.conftest import RunningRoom, start_room


def test_learners_cannot_open_the_facilitator_view(running_room: RunningRoom) -> None:
    token = running_room.join("marketing")
    for path in ("facilitator", "api/figures", "api/stream"):
        assert running_room.call("GET", path, token=token)[0] == 403
        assert running_room.call("GET", f"{path}?token={token}")[0] == 403
        assert running_room.call("GET", path)[0] == 403
    assert running_room.call("POST", "api/control", {"action": "reveal", "decision": "d"},
                             token=token)[0] == 403
    page = running_room.call  # the facilitator's own token opens them
    assert running_room.figures()["learners"] == 1
    assert page("POST", f"api/control?token={running_room.room.facilitator_token}",
                {"action": "explode"})[0] == 400


def test_learners_cannot_post_as_someone_else_or_without_joining(running_room: RunningRoom
                                                                 ) -> None:
    token = running_room.join("it")
    event = [{"kind": "choice", "decision": "d", "option": "A"}]
    forged = "0123456789abcdef." + token.split(".")[1]
    assert running_room.call("POST", "api/events", {"events": event}, token=forged)[0] == 401
    assert running_room.call("POST", "api/events", {"events": event})[0] == 401
    facilitator = running_room.room.facilitator_token
    assert running_room.call("POST", "api/events", {"events": event}, token=facilitator)[0] == 401
    assert running_room.call("POST", "api/join", {"code": "WRONG1"})[0] == 403
    # a body that is not the kit's: refused whole, nothing stored
    status, answer = running_room.call(
        "POST", "api/events", {"events": [*event, {"kind": "note", "text": "hello"}]}, token=token)
    assert status == 400 and "event 2" in answer["error"]
    assert running_room.call("POST", "api/events", raw=b"x" * 40_000, token=token)[0] == 413
    kinds = [e.kind for e in running_room.store.events(running_room.room.code)]
    assert kinds == ["joined", "role"]


def test_names_are_kept_only_when_the_facilitator_turned_them_on(running_room: RunningRoom
                                                                 ) -> None:
    running_room.join("it", name="Ann Example")
    learners = running_room.store.learners(running_room.room.code)
    assert [name for _, name in learners.values()] == [None]
    status, _ = running_room.call(
        "POST", f"api/control?token={running_room.room.facilitator_token}",
        {"action": "names_on"})
    assert status == 200
    token = running_room.join("it", name="Bo  Example")
    running_room.post(token, [{"kind": "stuck", "stuck": True}])
    assert running_room.figures(private=True)["stuck"]["who"] == ["Bo Example"]
    assert "who" not in running_room.figures()["stuck"]


def test_a_restart_loses_no_acknowledged_event(tmp_path: Path) -> None:
    first = start_room(tmp_path / "room.db")
    tokens = [first.join(role) for role in ("marketing", "it", "it")]
    for token, option in zip(tokens, "ABA", strict=True):
        first.post(token, [{"kind": "choice", "decision": "d", "option": option}])
    first.stop()  # every post above was acknowledged before this
    second = start_room(tmp_path / "room.db", room=first.room)
    try:
        assert second.figures(private=True)["decisions"][0]["rounds"][0]["options"] == {
            "A": {"marketing": 1, "it": 1, "unknown": 0},
            "B": {"marketing": 0, "it": 1, "unknown": 0}}
        second.post(tokens[0], [{"kind": "stuck", "stuck": True}])  # old tokens still work
        assert second.figures()["stuck"]["count"] == 1
    finally:
        second.stop()


def test_forty_learners_in_the_same_second_are_all_counted(running_room: RunningRoom) -> None:
    learners = 40
    tokens = [running_room.join("marketing" if n % 2 else "it") for n in range(learners)]
    start = threading.Barrier(learners)
    errors: list[BaseException] = []

    def answer(token: str, option: str) -> None:
        try:
            start.wait(10)
            running_room.post(token, [{"kind": "choice", "decision": "d", "option": option},
                                      {"kind": "check", "check": "c1", "passed": True}])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=answer, args=(token, "AB"[n % 3 == 0]))
               for n, token in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    result = running_room.figures(private=True)
    first = result["decisions"][0]["rounds"][0]
    assert first["answered"] == learners
    assert sum(count["marketing"] + count["it"] for count in first["options"].values()) == learners
    assert first["options"]["B"] == {"marketing": 7, "it": 7, "unknown": 0}
    assert result["checks"][0]["passed"] == learners
