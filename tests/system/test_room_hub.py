"""The live room as a managed JupyterHub service (``CROSSTALK_ROOM=1``), through the proxy.

The loopback hub of ``deploy/jupyterhub/jupyterhub_config.py`` (as in the cohort test) starts
``crosstalk room serve`` as the service ``room`` at ``/services/room/``; its join code and
facilitator address are in the hub's state folder.  A learner joins and chooses through the
hub's public address; the facilitator's figures, fetched the same way, show the choice by
role.  (Sign-in through hub OAuth is not built yet: the join code and the facilitator token
protect the room, as on laptops.)
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from _servers import free_port, jupyterhub, postgres_server

pytestmark = [pytest.mark.system, pytest.mark.slow]


def _call(url: str, data: Any = None, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=None if data is None else json.dumps(data).encode(),
                                     method="GET" if data is None else "POST")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def test_room_as_a_hub_service(require_system: Any) -> None:
    with postgres_server(require_system) as url, jupyterhub(
            require_system, gradebook_url=url, graders=["lead"], startup_timeout=120,
            extra_env={"CROSSTALK_ROOM": "1", "CROSSTALK_ROOM_PORT": str(free_port())}) as hub:
        info_file = hub.state / "room.json"
        deadline = time.monotonic() + 60
        while not info_file.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert info_file.exists(), hub.log.read_text("utf-8", "replace")[-2000:]
        info = json.loads(info_file.read_text())
        room = f"{hub.url}/services/room/"
        assert info["url"] == room
        status, joined = 0, {}
        while status != 200 and time.monotonic() < deadline:  # the service may still start
            status, joined = _call(room + "api/join", {"code": info["code"]})
            time.sleep(0.3)
        assert status == 200, status
        assert _call(room + "api/events", {"events": [
            {"kind": "role", "role": "it"},
            {"kind": "choice", "decision": "plan", "option": "map"}]}, joined["token"])[0] == 200
        token = info["facilitator_token"]
        status, figures = _call(f"{room}api/figures?token={token}&private=1")
        assert status == 200
        assert figures["decisions"][0]["rounds"][0]["options"] == {
            "map": {"marketing": 0, "it": 1, "unknown": 0}}
        assert _call(f"{room}api/figures?token={joined['token']}")[0] == 403
