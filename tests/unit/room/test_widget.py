"""The join widget of 00-welcome answers every click in plain words, and sends nothing
until the learner joins."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.room import client
from kit.room.widget import join_room


def test_choosing_a_side_before_joining_says_nothing_is_sent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(client.ROOM_FILE_ENV, str(tmp_path / "room.json"))
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    widget = join_room()
    assert "Not joined: nothing is sent." in widget.status.value
    widget.role.value = "it"
    assert "Side: IT. Not joined yet: nothing is sent until you click Join." in \
        widget.status.value
    assert client.joined() is None and not (tmp_path / "room.json").exists()
