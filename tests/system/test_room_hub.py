"""The live room as a managed JupyterHub service (``CROSSTALK_ROOM=1``), through the proxy.

The loopback hub of ``deploy/jupyterhub/jupyterhub_config.py`` (as in the cohort test) starts
``crosstalk room serve`` as the service ``room`` at ``/services/room/``; its join code and
facilitator address are in the hub's state folder.  A learner joins and chooses through the
hub's public address; the facilitator's figures, fetched the same way, show the choice by
role.  A hub user joins without a code (their hub token), a hub user in the facilitator
group reads the figures with their hub token, a learner's hub token is refused.  (The
browser's OAuth round trip to the facilitator page is not driven here.)
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from _servers import free_port, jupyterhub, postgres_server

from tests.system._own_thread import in_own_thread

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
            require_system, gradebook_url=url, graders=["lead"], startup_timeout=300,
            extra_env={"CROSSTALK_ROOM": "1", "CROSSTALK_ROOM_PORT": str(free_port()),
                       "CROSSTALK_FACILITATORS": "lead"}) as hub:
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

        hub.add_users(["ann"], "nbgrader-crosstalk")
        ann = hub.user_token("ann")
        request = urllib.request.Request(room + "api/join", data=b"{}", method="POST",
                                         headers={"Authorization": f"token {ann}"})
        with urllib.request.urlopen(request, timeout=20) as answer:
            ann_joined = json.loads(answer.read())
        events = [{"kind": "role", "role": "marketing"},
                  {"kind": "choice", "decision": "plan", "option": "dump"}]
        assert _call(room + "api/events", {"events": events}, ann_joined["token"])[0] == 200

        def as_hub_user(token: str) -> tuple[int, Any]:
            request = urllib.request.Request(f"{room}api/figures",
                                             headers={"Authorization": f"token {token}"})
            try:
                with urllib.request.urlopen(request, timeout=20) as answer:
                    return answer.status, json.loads(answer.read())
            except urllib.error.HTTPError as error:
                return error.code, {}

        status, figures = as_hub_user(hub.user_token("lead"))
        assert status == 200 and figures["roles"] == {"marketing": 1, "it": 1, "unknown": 0}
        assert as_hub_user(ann)[0] == 403
        address = urllib.parse.urlparse(room)  # a browser without login: to hub OAuth
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=20)
        connection.request("GET", address.path + "facilitator")
        answer = connection.getresponse()
        assert answer.status == 302
        assert "/hub/api/oauth2/authorize" in answer.getheader("Location", "")


@in_own_thread
def test_facilitator_page_through_hub_oauth_in_chromium(require_system: Any) -> None:
    """A facilitator opens the room's page in Chromium: hub login, OAuth, back to the page,
    which then follows the live stream with the hub's cookie (no facilitator token)."""
    from tests.browser._lab import CHROMIUM_ARGS, chromium_executable

    path = chromium_executable()
    if path is None:
        require_system("chromium", "no chromium executable; apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_system("playwright", "pip install -e '.[dev]'")
    with postgres_server(require_system) as url, jupyterhub(
            require_system, gradebook_url=url, graders=["lead"], startup_timeout=300,
            extra_env={"CROSSTALK_ROOM": "1", "CROSSTALK_ROOM_PORT": str(free_port()),
                       "CROSSTALK_FACILITATORS": "lead"}) as hub, sync_playwright() as api:
        room = f"{hub.url}/services/room/"
        deadline = time.monotonic() + 60
        while _call(room + "api/join", {"code": "?"})[0] != 403 and time.monotonic() < deadline:
            time.sleep(0.3)
        hub.add_users(["ann"], "nbgrader-crosstalk")
        headers = {"Authorization": f"token {hub.user_token('ann')}"}
        request = urllib.request.Request(room + "api/join", data=b"{}", method="POST",
                                         headers=headers)
        with urllib.request.urlopen(request, timeout=20) as answer:
            ann = json.loads(answer.read())["token"]
        _call(room + "api/events", {"events": [{"kind": "role", "role": "it"}]}, ann)
        browser = api.chromium.launch(executable_path=path, headless=True,
                                      args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page()
            page.goto(room + "facilitator")
            page.fill("input[name=username]", "lead")
            page.fill("input[name=password]", "any")
            page.click("input[type=submit], button[type=submit]")
            try:
                page.wait_for_selector("#status:has-text('live')")
            except Exception as error:
                raise AssertionError(f"{page.url}: {page.content()[:1500]}") from error
            assert "1 joined" in page.inner_text("#who")
            assert "IT 1" in page.inner_text("#who")
        finally:
            browser.close()
