"""The live room end to end: a real ``crosstalk room serve`` process, real learner kernels
(nbclient) with real ipywidgets, the facilitator's JSON endpoint and live stream.

A learner notebook joins with the join widget (role, address, code, the Join button) and
picks an option in a :func:`kit.forms.pick` list; a second notebook, in a new kernel,
answers the revote (the room ticket carries over, as between 00-welcome and module 01).
The facilitator's figures show the choices split by role, hidden until revealed, within
:data:`LIVE_WITHIN` seconds of the last choice (measured on the live stream), and after
"ask again" the shift per role.

:data:`LEARNERS` kernels run at once: 5 by default (the whole file then takes about 50 s
on the shared 2-core development machine).  The issue's target of 30 is reached with
``CROSSTALK_ROOM_LEARNERS=30``: it passed there in 83 s for the two rounds (60 kernel
runs), the choice still on the facilitator's stream within the 2 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("tornado")

pytestmark = [pytest.mark.system, pytest.mark.slow]

LEARNERS = int(os.environ.get("CROSSTALK_ROOM_LEARNERS", "5"))
"""Learner kernels running at once (the issue asks for 30; see the module docstring)."""
LIVE_WITHIN = 2.0
"""Seconds from a learner's choice to the facilitator's stream (the issue's promise)."""
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A ``crosstalk room serve`` process on loopback; yields its info (code, url, token)."""
    folder = tmp_path_factory.mktemp("room")
    info = folder / "info.json"
    process = subprocess.Popen(
        [sys.executable, "-c", "from kit.cli import main; raise SystemExit(main())", "room",
         "serve", "--db", f"sqlite:///{folder / 'room.db'}", "--host", "127.0.0.1", "--port",
         str(_free_port()), "--new", "--info-file", str(info)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=folder,
        start_new_session=True, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not info.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    if not info.exists():
        process.kill()
        pytest.fail(f"crosstalk room serve did not start: {process.stdout.read()}")
    data = json.loads(info.read_text())
    for _ in range(100):  # listening?
        try:
            urllib.request.urlopen(data["url"], timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    data["folder"] = folder
    yield data
    process.terminate()
    out, _ = process.communicate(timeout=20)
    assert "Join code: " + data["code"] in out and data["url"] in out


def _get(room: dict[str, Any], path: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{room['url']}{path}", timeout=10) as answer:
        return json.loads(answer.read())


def _control(room: dict[str, Any], action: str, decision: str) -> None:
    request = urllib.request.Request(
        f"{room['url']}api/control?token={room['facilitator_token']}", method="POST",
        data=json.dumps({"action": action, "decision": decision}).encode())
    urllib.request.urlopen(request, timeout=10).close()


def _notebook(cells: list[str]) -> Any:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return notebook


def _learner_notebook(ticket: Path, room: dict[str, Any] | None, role: str, option: str,
                      stamp: Path) -> Any:
    cells = [f"import os, time\nos.environ['CROSSTALK_ROOM_FILE'] = {str(ticket)!r}\n"
             "from kit.room import client"]
    if room is not None:  # the join widget, clicked as a learner would
        cells.append("from kit.room.widget import join_room\nw = join_room()\n"
                     f"w.role.value = {role!r}\nw.address.value = {room['url']!r}\n"
                     f"w.code.value = {room['code'].lower()!r}\nw.button.click()\nw")
        cells.append("assert client.flush(30), 'join not done'\n"
                     "assert client.joined() is not None, w.status.value")
    cells.append("from kit.forms import pick\n"
                 "form = pick('plan', {'q': 'Which plan?'}, ['dump', 'map', 'unsure'])\nform")
    cells.append(f"form._controls['q'].value = {option!r}\n"
                 f"open({str(stamp)!r}, 'w').write(str(time.time()))")
    cells.append("assert client.flush(30), 'events not acknowledged'")
    return _notebook(cells)


def _run(notebook: Any, folder: Path) -> Any:
    runner = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(folder)}})
    return runner.execute()


class _Stream:
    """Reads the facilitator's private server-sent events in a thread; keeps (time, data)."""

    def __init__(self, room: dict[str, Any]) -> None:
        self.messages: list[tuple[float, dict[str, Any]]] = []
        self._answer = urllib.request.urlopen(
            f"{room['url']}api/stream?token={room['facilitator_token']}&private=1", timeout=300)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self._answer:
                if line.startswith(b"data: "):
                    self.messages.append((time.time(), json.loads(line[6:])))
        except (OSError, ValueError, AttributeError):  # closed by the test
            return

    def first(self, test: Any, timeout: float = 60) -> tuple[float, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for when, data in list(self.messages):
                if test(data):
                    return when, data
            time.sleep(0.05)
        raise AssertionError(f"no stream message matched; last: {self.messages[-1:]}")

    def close(self) -> None:
        self._answer.close()


def _answered(data: dict[str, Any], round_: int) -> int:
    for decision in data["decisions"]:
        if decision["decision"] == "plan.q" and len(decision["rounds"]) >= round_:
            return decision["rounds"][round_ - 1]["answered"]
    return 0


def test_learner_kernels_vote_and_revote_live(room: dict[str, Any]) -> None:
    folder: Path = room["folder"]
    roles = ["marketing" if n % 2 == 0 else "it" for n in range(LEARNERS)]
    first = ["map" if role == "marketing" else "dump" for role in roles]
    second = ["map"] * LEARNERS  # after discussion, IT moves to the 1:1 map
    tickets = [folder / f"ticket-{n}.json" for n in range(LEARNERS)]
    stamps = [folder / f"chose-{n}.txt" for n in range(LEARNERS)]
    stream = _Stream(room)
    try:
        with ThreadPoolExecutor(LEARNERS) as pool:
            list(pool.map(lambda n: _run(_learner_notebook(
                tickets[n], room, roles[n], first[n], stamps[n]), folder), range(LEARNERS)))
        chosen = max(float(stamp.read_text()) for stamp in stamps)
        seen, live = stream.first(lambda data: _answered(data, 1) == LEARNERS)
        assert seen - chosen <= LIVE_WITHIN, f"{seen - chosen:.2f} s from choice to stream"
        marketing, it = roles.count("marketing"), roles.count("it")
        options = live["decisions"][0]["rounds"][0]["options"]
        assert options == {"map": {"marketing": marketing, "it": 0, "unknown": 0},
                           "dump": {"marketing": 0, "it": it, "unknown": 0}}

        public = _get(room, f"api/figures?token={room['facilitator_token']}")
        plan = public["decisions"][0]
        assert plan["hidden"] and "options" not in plan["rounds"][0]
        assert plan["rounds"][0]["answered"] == LEARNERS
        assert public["progress"]["modules"][0]["at"] == {"marketing": marketing, "it": it,
                                                         "unknown": 0}
        _control(room, "reveal", "plan.q")
        shown = _get(room, f"api/figures?token={room['facilitator_token']}")["decisions"][0]
        assert shown["rounds"][0]["options"] == options

        _control(room, "ask_again", "plan.q")
        with ThreadPoolExecutor(LEARNERS) as pool:  # new kernels: the ticket carries over
            list(pool.map(lambda n: _run(_learner_notebook(
                tickets[n], None, roles[n], second[n], stamps[n]), folder), range(LEARNERS)))
        stream.first(lambda data: _answered(data, 2) == LEARNERS)
        hidden = _get(room, f"api/figures?token={room['facilitator_token']}")["decisions"][0]
        assert hidden["hidden"] and "shift" not in hidden
        _control(room, "reveal", "plan.q")
        revote = _get(room, f"api/figures?token={room['facilitator_token']}")["decisions"][0]
        assert revote["shift"]["it"] == {"dump": -100, "map": 100}
        assert revote["shift"]["marketing"] == {"dump": 0, "map": 0}
        assert revote["changed"] == {"marketing": 0, "it": it, "unknown": 0}
    finally:
        stream.close()


def test_room_unreachable_the_notebook_runs_as_offline(tmp_path: Path) -> None:
    """Joined to a room that is down: every cell runs, outputs equal a notebook not joined."""
    dead = f"http://127.0.0.1:{_free_port()}/"
    ticket = tmp_path / "ticket.json"
    ticket.write_text(json.dumps({"url": dead, "token": "x.y", "room": "GONE22",
                                  "pseudonym": "Calm Otter", "role": "it"}))
    cells = ["import os\nos.environ['CROSSTALK_ROOM_FILE'] = {ticket!r}\n"
             "from kit.room import client",
             "from kit.forms import choose, pick\nform = pick('plan', {'q': 'Plan?'}, "
             "['dump', 'map'])\nticks = choose('same', 'ABC')",
             "form._controls['q'].value = 'map'\nticks.value = {'A', 'C'}\nprint(form)",
             "from kit.check import check\ncheck(form.value['q'] == 'map', ok='Mapped.', "
             "hint='Pick map.')",
             "from kit.schedule import module_plan\nmodule_plan('01-redirects')",
             "from kit.room.widget import stuck_button\n"
             "b = stuck_button()\nb.button.value = True\nb",
             "assert (client.pending() > 0) == (client.joined() is not None)  # kept for later",
             "print('done')"]
    outputs = {}
    for name, path in (("joined", str(ticket)), ("not joined", str(tmp_path / "none.json"))):
        notebook = _notebook([cells[0].format(ticket=path), *cells[1:]])
        ran = _run(notebook, tmp_path)
        outputs[name] = [[{key: value for key, value in output.items()
                           if key not in ("execution_count",)} for output in cell.outputs]
                         for cell in ran.cells]
        for output in (o for cell in outputs[name] for o in cell):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
        assert not any(o.get("output_type") == "error" for cell in outputs[name] for o in cell)
    assert outputs["joined"] == outputs["not joined"]
    assert outputs["joined"][-1] == [{"name": "stdout", "output_type": "stream", "text": "done\n"}]
