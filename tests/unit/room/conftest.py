"""A room server in a background thread of the test process (a real HTTP server)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kit.room.store import Room, Store, open_store


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningRoom:
    url: str
    room: Room
    store: Store
    stop: Any

    def call(self, method: str, path: str, data: Any = None, token: str | None = None,
             raw: bytes | None = None) -> tuple[int, Any]:
        """``(status, JSON answer)`` of one request."""
        body = raw if raw is not None else (None if data is None else json.dumps(data).encode())
        request = urllib.request.Request(self.url + path, data=body, method=method)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def figures(self, private: bool = False) -> dict[str, Any]:
        status, answer = self.call(
            "GET", f"api/figures?token={self.room.facilitator_token}"
                   + ("&private=1" if private else ""))
        assert status == 200, answer
        return answer

    def join(self, role: str | None = None, name: str | None = None) -> str:
        status, answer = self.call("POST", "api/join", {"code": self.room.code, "name": name})
        assert status == 200, answer
        if role:
            self.post(answer["token"], [{"kind": "role", "role": role}])
        return answer["token"]

    def post(self, token: str, events: list[dict[str, Any]]) -> None:
        status, answer = self.call("POST", "api/events", {"events": events}, token=token)
        assert status == 200, answer


def start_room(db: Path, room: Room | None = None, port: int | None = None,
               prefix: str = "/", hub: Any = None) -> RunningRoom:
    """A server for ``room`` (a new one when None) over the SQLite file ``db``."""
    from kit.room.server import RoomState, make_app

    store = open_store(f"sqlite:///{db}")
    room = room or store.create_room()
    port = port or free_port()
    url = f"http://127.0.0.1:{port}{prefix}"
    ready = threading.Event()
    box: dict[str, Any] = {}

    def run() -> None:
        async def main() -> None:
            app = make_app(RoomState(store, room, url, hub), prefix)
            server = app.listen(port, address="127.0.0.1")
            box["loop"], box["stop"] = asyncio.get_running_loop(), asyncio.Event()
            ready.set()
            await box["stop"].wait()
            server.stop()
            await server.close_all_connections()
        asyncio.run(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)

    def stop() -> None:
        box["loop"].call_soon_threadsafe(box["stop"].set)
        thread.join(10)
        store.close()

    return RunningRoom(url, room, store, stop)


@pytest.fixture
def running_room(tmp_path: Path) -> Iterator[RunningRoom]:
    room = start_room(tmp_path / "room.db")
    yield room
    room.stop()
