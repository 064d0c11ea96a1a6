"""The figures in a notebook, the server behind a path prefix (JupyterHub), the command."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kit.cli import main
from kit.errors import InputError
from kit.room.cli import qr_text
from kit.room.view import room_figures
from tests.unit.room.conftest import start_room


def test_notebook_figures_from_the_server_and_from_the_database(tmp_path: Path) -> None:
    running = start_room(tmp_path / "room.db", prefix="/services/room/")
    try:
        assert running.url.endswith("/services/room/")
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(running.url.replace("/services/room/", "/api/figures"))
        tokens = {role: running.join(role) for role in ("marketing", "it")}
        for role, first in (("marketing", "map"), ("it", "dump")):
            running.post(tokens[role], [{"kind": "choice", "decision": "plan", "option": first}])
        running.store.ask_again(running.room.code, "plan")
        running.store.reveal(running.room.code, "plan")
        for token in tokens.values():  # the revote: IT moves to the map
            running.post(token, [{"kind": "choice", "decision": "plan", "option": "map"}])
        live = room_figures(running.url, token=running.room.facilitator_token)
        table = live.choices()
        first_vote = table[table["round"] == 1].set_index("option")
        assert first_vote.loc["map", "Marketing"] == 1 and first_vote.loc["dump", "IT"] == 1
        shifts = live.shifts().set_index("option")
        assert shifts.loc["dump", "IT (pts)"] == -100
        assert "Choices" in live._repr_html_()
        with pytest.raises(InputError, match="did not answer"):
            room_figures(running.url, token="wrong")
    finally:
        running.stop()
    after = room_figures(db=f"sqlite:///{tmp_path / 'room.db'}")
    assert after.choices().equals(table)
    assert list(after.progress()["module"])[:2] == ["00-welcome", "01-redirects"]


def test_serve_help_and_qr(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["room", "serve", "--help"])
    text = capsys.readouterr().out
    assert "--db URL" in text and "--names" in text and "--prefix" in text
    pytest.importorskip("segno")
    drawn = qr_text("http://192.168.1.20:8765/")
    assert drawn is not None and len(drawn.splitlines()) > 10
