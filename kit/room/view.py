"""The facilitator's figures in a notebook: the same numbers as the room's page, as tables.

    from kit.room.view import room_figures
    room = room_figures("http://192.168.1.20:8765/", token="…facilitator token…")
    room            # shows every table
    room.choices()  # one row per decision, round and option: Marketing and IT side by side

Or, after the day, straight from the database (no server): ``room_figures(db="sqlite:///crosstalk-room.db")``.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from typing import Any

import pandas as pd

from kit.errors import InputError

__all__ = ["RoomFigures", "room_figures"]


class RoomFigures:
    """The room's figures (the dict of :func:`kit.room.aggregate.figures`) as tables."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def choices(self) -> pd.DataFrame:
        """Per decision, round and option: how many of each role chose it, and the share."""
        rows = []
        for decision in self.data["decisions"]:
            for entry in decision["rounds"]:
                for option, counts in (entry.get("options") or {}).items():
                    percent = entry["percent"][option]
                    rows.append({"decision": decision["decision"], "round": entry["round"],
                                 "option": option, "Marketing": counts["marketing"],
                                 "Marketing %": percent["marketing"], "IT": counts["it"],
                                 "IT %": percent["it"]})
        return pd.DataFrame(rows, columns=["decision", "round", "option", "Marketing",
                                           "Marketing %", "IT", "IT %"])

    def shifts(self) -> pd.DataFrame:
        """Per decision asked again: the shift per role and option between the last two votes."""
        rows = [{"decision": decision["decision"],
                 "votes": "→".join(str(n) for n in decision["shift_between"]), "option": option,
                 "Marketing (pts)": decision["shift"]["marketing"][option],
                 "IT (pts)": decision["shift"]["it"][option]}
                for decision in self.data["decisions"] if "shift" in decision
                for option in decision["shift"]["marketing"]]
        return pd.DataFrame(rows, columns=["decision", "votes", "option", "Marketing (pts)",
                                           "IT (pts)"])

    def progress(self) -> pd.DataFrame:
        """Learners per module reached, per role; ``scheduled`` marks where the schedule is."""
        return pd.DataFrame([{"module": row["module"], "title": row["title"],
                              "Marketing": row["at"]["marketing"], "IT": row["at"]["it"],
                              "no role": row["at"]["unknown"], "scheduled": row["scheduled"]}
                             for row in self.data["progress"]["modules"]])

    def checks(self) -> pd.DataFrame:
        """Per self-check: tried, passed, per role."""
        return pd.DataFrame([{"check": row["check"], "tried": row["tried"],
                              "passed": row["passed"], "percent": row["percent"],
                              "Marketing passed": row["passed_by_role"]["marketing"],
                              "IT passed": row["passed_by_role"]["it"]}
                             for row in self.data["checks"]],
                            columns=["check", "tried", "passed", "percent", "Marketing passed",
                                     "IT passed"])

    def _repr_html_(self) -> str:
        stuck = self.data["stuck"]
        hidden = [d["decision"] for d in self.data["decisions"] if d["hidden"]]
        parts = [f"<p><b>Room {self.data['room']}</b>: {self.data['learners']} joined; "
                 f"{stuck['count']} stuck.</p>",
                 "<p><b>Choices</b></p>", self.choices().to_html(index=False)]
        if hidden:
            parts.append(f"<p>Hidden until revealed: {', '.join(hidden)}.</p>")
        parts += ["<p><b>Shift after asking again</b></p>", self.shifts().to_html(index=False),
                  "<p><b>Progress</b></p>", self.progress().to_html(index=False),
                  "<p><b>Self-checks</b></p>", self.checks().to_html(index=False)]
        return "".join(parts)


def room_figures(url: str | None = None, *, token: str | None = None, db: str | None = None,
                 code: str | None = None, private: bool = False) -> RoomFigures:
    """The room's figures from the running server at ``url`` (with the facilitator's
    ``token``), or from the database ``db`` after the day (the newest room, or ``code``)."""
    if db is not None:
        from kit.room.aggregate import figures
        from kit.room.store import open_store

        store = open_store(db)
        try:
            room = store.room(code)
            if room is None:
                raise InputError(f"room database {db!r}: no room {code or ''} in it.")
            return RoomFigures(figures(
                store.events(room.code), learners=store.learners(room.code),
                decisions=store.decisions(room.code), day=room.day, start=room.start,
                clock=time.strftime("%H:%M"), names_on=room.names_on, private=private,
                code=room.code))
        finally:
            store.close()
    if not url or not token:
        raise InputError("room_figures: give the room's url and the facilitator token, "
                         "or db= for the room's database.")
    query = urllib.parse.urlencode({"token": token, **({"private": "1"} if private else {})})
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/api/figures?" + query,
                                    timeout=10) as answer:
            return RoomFigures(json.loads(answer.read()))
    except OSError as error:
        raise InputError(f"room_figures: {url} did not answer ({error}); is "
                         "`crosstalk room serve` running, and is the token right?") from None
