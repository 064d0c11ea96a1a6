"""On a hub, the hub says who is who: notebooks join without a code, facilitators are hub
admins or the facilitator group (a stand-in for the hub's answers; the real hub is in
tests/system/test_room_hub.py)."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from kit.room import client
from kit.room.hub import HubIdentity
from tests.unit.room.conftest import RunningRoom, start_room

USERS = {"tok-ann": {"name": "ann", "groups": ["nbgrader-crosstalk"]},
         "tok-lead": {"name": "lead", "groups": ["facilitator"]},
         "tok-boss": {"name": "boss", "admin": True, "groups": []}}


class FakeHub(HubIdentity):
    """HubIdentity with the hub's answers looked up in USERS instead of asked over HTTP."""

    def __init__(self) -> None:
        self.group = "facilitator"

    async def user(self, handler: Any) -> dict[str, Any] | None:
        header = handler.request.headers.get("Authorization", "")
        return USERS.get(header.removeprefix("token ")) if header.startswith("token ") else None

    def login_url(self, handler: Any) -> str:
        return "/hub/login?next=room"

    def routes(self, prefix: str) -> list[tuple[str, Any]]:
        return []

    def settings(self) -> dict[str, Any]:
        return {}


@pytest.fixture
def hub_room(tmp_path: Path) -> Iterator[RunningRoom]:
    running = start_room(tmp_path / "room.db", hub=FakeHub())
    yield running
    running.stop()


def _request(room: RunningRoom, method: str, path: str, auth: str = "",
             body: str | None = None) -> tuple[int, str]:
    address = urlparse(room.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.request(method, path, body=body, headers={"Authorization": auth} if auth else {})
    answer = connection.getresponse()
    return answer.status, answer.getheader("Location") or answer.read().decode()


def test_hub_users_join_without_a_code_as_the_same_learner(hub_room: RunningRoom) -> None:
    first = _request(hub_room, "POST", "/api/join", "token tok-ann", "{}")
    again = _request(hub_room, "POST", "/api/join", "token tok-ann", "{}")
    assert first[0] == again[0] == 200 and '"pseudonym"' in first[1]
    assert first[1].split('"pseudonym": ')[1][:20] == again[1].split('"pseudonym": ')[1][:20]
    assert len(hub_room.store.learners(hub_room.room.code)) == 1
    assert "ann" not in str(hub_room.store.learners(hub_room.room.code))  # names are off
    assert _request(hub_room, "POST", "/api/join", "token nobody", "{}")[0] == 403
    assert _request(hub_room, "POST", "/api/join", "", "{}")[0] == 403  # no code, no hub user


def test_only_hub_admins_and_facilitators_see_the_figures(hub_room: RunningRoom) -> None:
    assert _request(hub_room, "GET", "/api/figures", "token tok-lead")[0] == 200
    assert _request(hub_room, "GET", "/api/figures", "token tok-boss")[0] == 200
    assert _request(hub_room, "GET", "/api/figures", "token tok-ann")[0] == 403
    assert _request(hub_room, "GET", "/facilitator", "token tok-ann")[0] == 403
    status, location = _request(hub_room, "GET", "/facilitator")  # a browser: hub login
    assert status == 302 and location.startswith("/hub/login")
    assert _request(hub_room, "GET",
                    f"/api/figures?token={hub_room.room.facilitator_token}")[0] == 200


def test_the_client_joins_with_the_kernel_s_hub_token(hub_room: RunningRoom, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(client.ROOM_FILE_ENV, str(tmp_path / "ticket.json"))
    try:
        assert client.join(hub_room.url, "", None, hub_token="tok-ann")
        assert client.flush(10) and client.joined() is not None
        client.set_role("it")
        assert client.flush(10)
        kinds = [(e.kind, e.body) for e in hub_room.store.events(hub_room.room.code)]
        assert kinds == [("joined", {}), ("section", {"section": "00-welcome"}),
                         ("role", {"role": "it"})]
    finally:
        client.leave()
