"""After the day: the room's aggregate record in the team lead's report (`crosstalk report
--room`), by role and never by person."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kit.cli import main
from tests.unit.room.conftest import start_room


def _room_with_a_revote(database: Path) -> None:
    running = start_room(database)
    try:
        tokens = {role: running.join(role, name=f"{role} person") for role in ("marketing", "it")}
        for role, first in (("marketing", "map"), ("it", "dump")):
            running.post(tokens[role], [{"kind": "choice", "decision": "plan", "option": first}])
        running.store.ask_again(running.room.code, "plan")
        for token in tokens.values():  # after the discussion IT moves to the map
            running.post(token, [{"kind": "choice", "decision": "plan", "option": "map"}])
    finally:
        running.stop()


def test_report_adds_what_the_room_chose_before_and_after(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "crosstalk-room.db"
    _room_with_a_revote(database)
    course = tmp_path / "course"
    assert main(["course", "init", str(course)]) == 0
    out = tmp_path / "report.html"
    assert main(["report", str(course), "--out", str(out), "--room", str(database)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "What the room chose, before and after discussion" in page
    assert "person" not in page.split("What the room chose")[1]  # counts only, no names
    with (tmp_path / "report-room.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    first = {row["option"]: row for row in rows if row["table"] == "choices"
             and row["round"] == "1"}
    assert first["dump"]["IT"] == "1" and first["map"]["Marketing"] == "1"
    shift = {row["option"]: row for row in rows if row["table"] == "shift"}
    assert shift["dump"]["IT (pts)"] == "-100" and shift["map"]["IT (pts)"] == "100"
    assert shift["map"]["Marketing (pts)"] == "0" and shift["map"]["votes"] == "1→2"
    assert "the room: 3 choice rows, 1 decision(s) asked again" in capsys.readouterr().out


def test_report_names_a_missing_room_database(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    course = tmp_path / "course"
    assert main(["course", "init", str(course)]) == 0
    assert main(["report", str(course), "--room", str(tmp_path / "nope.db")]) == 2
    assert "nope.db" in capsys.readouterr().err
