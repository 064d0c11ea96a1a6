"""Where a room keeps its events: SQLite through the standard library by default, any
SQLAlchemy database URL (``postgresql+psycopg://...``, as ``crosstalk course init --db``
takes) otherwise.

Every write is one transaction, committed before the server answers: an event the
learner's notebook saw acknowledged survives a crash or restart of the server.  SQLite
runs in WAL mode with ``synchronous=FULL``.

Tables (created when missing):

* ``room_rooms``     — code, signing secret, facilitator token, names on/off, settings;
* ``room_learners``  — learner id, pseudonym, name (only kept while names are on);
* ``room_decisions`` — per decision: the open round (1 = first vote, 2 = revote, ...) and
  whether its results are revealed;
* ``room_events``    — every accepted event: learner, kind, decision, round, JSON body, time.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.errors import InputError
from kit.room import auth

__all__ = ["Room", "Store", "StoredEvent", "open_store"]

_ADJECTIVES = ("Amber", "Blue", "Brave", "Calm", "Clever", "Coral", "Crisp", "Eager", "Gentle",
               "Golden", "Green", "Happy", "Jolly", "Keen", "Lively", "Lucky", "Merry", "Mild",
               "Noble", "Quick", "Quiet", "Rapid", "Silver", "Steady", "Sunny", "Swift",
               "Tidy", "Warm", "Wise", "Witty")
_ANIMALS = ("Badger", "Beaver", "Bison", "Crane", "Dolphin", "Eagle", "Falcon", "Fox", "Gecko",
            "Heron", "Ibis", "Koala", "Lark", "Lynx", "Marten", "Newt", "Otter", "Owl",
            "Panda", "Puffin", "Quail", "Raven", "Robin", "Seal", "Stork", "Swan", "Tapir",
            "Wren", "Yak", "Zebra")


@dataclass(frozen=True)
class Room:
    """One room: its join code, signing secret, facilitator token and settings."""

    code: str
    secret: str
    facilitator_token: str
    names_on: bool
    day: str
    start: str


@dataclass(frozen=True)
class StoredEvent:
    """One accepted event as stored."""

    id: int
    learner: str
    kind: str
    decision: str | None
    round: int | None
    body: dict[str, Any]
    at: float


def _ddl(serial: str) -> list[str]:
    return [
        "CREATE TABLE IF NOT EXISTS room_rooms (code VARCHAR(16) PRIMARY KEY, "
        "secret VARCHAR(128) NOT NULL, facilitator_token VARCHAR(128) NOT NULL, "
        "names_on INTEGER NOT NULL, day VARCHAR(16) NOT NULL, start VARCHAR(8) NOT NULL, "
        "created_at DOUBLE PRECISION NOT NULL)",
        "CREATE TABLE IF NOT EXISTS room_learners (code VARCHAR(16) NOT NULL, "
        "learner VARCHAR(32) NOT NULL, pseudonym VARCHAR(64) NOT NULL, name VARCHAR(80), "
        "joined_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (code, learner))",
        "CREATE TABLE IF NOT EXISTS room_decisions (code VARCHAR(16) NOT NULL, "
        "decision VARCHAR(64) NOT NULL, round INTEGER NOT NULL, revealed INTEGER NOT NULL, "
        "PRIMARY KEY (code, decision))",
        f"CREATE TABLE IF NOT EXISTS room_events (id {serial}, code VARCHAR(16) NOT NULL, "
        "learner VARCHAR(32) NOT NULL, kind VARCHAR(16) NOT NULL, decision VARCHAR(64), "
        "round INTEGER, body TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX IF NOT EXISTS room_events_code ON room_events (code, id)",
    ]


class Store:
    """A room database.  Use :func:`open_store`; methods are safe to call from one thread
    at a time (the server's event loop); a lock guards them for tests and benchmarks."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.RLock()
        self._sqlite: sqlite3.Connection | None = None
        self._engine: Any = None
        if url in ("sqlite://", "sqlite:///:memory:") or url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite://").removeprefix("/") or ":memory:"
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._sqlite = sqlite3.connect(path, check_same_thread=False,
                                           isolation_level=None)
            self._sqlite.execute("PRAGMA journal_mode=WAL")
            self._sqlite.execute("PRAGMA synchronous=FULL")
            serial = "INTEGER PRIMARY KEY AUTOINCREMENT"
        else:
            try:
                import sqlalchemy
            except ModuleNotFoundError:
                raise InputError(f"room database {url!r}: a non-SQLite database needs SQLAlchemy; "
                                 "pip install 'crosstalk-kit[course,postgres]'.") from None
            try:
                self._engine = sqlalchemy.create_engine(url, pool_pre_ping=True)
            except Exception as exc:
                raise InputError(f"room database {url!r}: {exc}") from None
            serial = "BIGSERIAL PRIMARY KEY" if self._engine.dialect.name == "postgresql" \
                else "INTEGER PRIMARY KEY AUTOINCREMENT"
        self._transaction(_ddl(serial), [{}] * 5)

    # -- low level ------------------------------------------------------------------

    def _transaction(self, statements: Sequence[str], params: Sequence[dict[str, Any]]) -> None:
        """Run ``statements`` (with their ``params``) in one committed transaction."""
        with self._lock:
            if self._sqlite is not None:
                cursor = self._sqlite.cursor()
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    for statement, values in zip(statements, params, strict=True):
                        cursor.execute(statement, values)
                    cursor.execute("COMMIT")
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                return
            import sqlalchemy
            with self._engine.begin() as connection:
                for statement, values in zip(statements, params, strict=True):
                    connection.execute(sqlalchemy.text(statement), values)

    def _query(self, statement: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        with self._lock:
            if self._sqlite is not None:
                return [tuple(row) for row in self._sqlite.execute(statement, params)]
            import sqlalchemy
            with self._engine.connect() as connection:
                return [tuple(row) for row in connection.execute(sqlalchemy.text(statement),
                                                                 params)]

    def close(self) -> None:
        """Close the connection (or the engine's pool)."""
        with self._lock:
            if self._sqlite is not None:
                self._sqlite.close()
            elif self._engine is not None:
                self._engine.dispose()

    # -- rooms ----------------------------------------------------------------------

    def create_room(self, *, names_on: bool = False, day: str = "full",
                    start: str = "09:00") -> Room:
        """A new room with a fresh code and secrets."""
        room = Room(auth.new_code(), auth.new_secret(), auth.new_secret(), names_on, day, start)
        self._transaction(
            ["INSERT INTO room_rooms (code, secret, facilitator_token, names_on, day, start, "
             "created_at) VALUES (:code, :secret, :token, :names, :day, :start, :at)"],
            [{"code": room.code, "secret": room.secret, "token": room.facilitator_token,
              "names": int(names_on), "day": day, "start": start, "at": time.time()}])
        return room

    def room(self, code: str | None = None) -> Room | None:
        """The room ``code``, or the newest room when ``code`` is None."""
        sql = "SELECT code, secret, facilitator_token, names_on, day, start FROM room_rooms "
        rows = (self._query(sql + "WHERE code = :code", {"code": code}) if code else
                self._query(sql + "ORDER BY created_at DESC LIMIT 1", {}))
        if not rows:
            return None
        code_, secret, token, names, day, start = rows[0]
        return Room(code_, secret, token, bool(names), day, start)

    def set_names(self, code: str, names_on: bool) -> None:
        """Turn names on or off; turning them off forgets the names already given."""
        statements = ["UPDATE room_rooms SET names_on = :names WHERE code = :code"]
        params = [{"names": int(names_on), "code": code}]
        if not names_on:
            statements.append("UPDATE room_learners SET name = NULL WHERE code = :code")
            params.append({"code": code})
        self._transaction(statements, params)

    # -- learners -------------------------------------------------------------------

    def add_learner(self, code: str, name: str | None, learner: str | None = None
                    ) -> tuple[str, str]:
        """A learner in room ``code``: ``(learner id, pseudonym)``; a ``joined`` event is
        stored with it.  ``learner`` names a known learner (a hub user joining again from
        another notebook): then the same id and pseudonym come back."""
        if learner is not None:
            known = self.learners(code).get(learner)
            if known is not None:
                if name and known[1] != name:
                    self._transaction(["UPDATE room_learners SET name = :name WHERE "
                                       "code = :code AND learner = :learner"],
                                      [{"name": name, "code": code, "learner": learner}])
                return learner, known[0]
        learner = learner or auth.new_learner_id()
        taken = {row[0] for row in self._query(
            "SELECT pseudonym FROM room_learners WHERE code = :code", {"code": code})}
        number = len(taken)
        pseudonym = ""
        for attempt in range(number, number + 2000):
            candidate = (f"{_ADJECTIVES[attempt % len(_ADJECTIVES)]} "
                         f"{_ANIMALS[(attempt // len(_ADJECTIVES) + attempt) % len(_ANIMALS)]}")
            if attempt >= len(_ADJECTIVES) * len(_ANIMALS):
                candidate += f" {attempt // (len(_ADJECTIVES) * len(_ANIMALS)) + 1}"
            if candidate not in taken:
                pseudonym = candidate
                break
        now = time.time()
        self._transaction(
            ["INSERT INTO room_learners (code, learner, pseudonym, name, joined_at) "
             "VALUES (:code, :learner, :pseudonym, :name, :at)",
             "INSERT INTO room_events (code, learner, kind, decision, round, body, at) "
             "VALUES (:code, :learner, 'joined', NULL, NULL, '{}', :at)"],
            [{"code": code, "learner": learner, "pseudonym": pseudonym, "name": name, "at": now},
             {"code": code, "learner": learner, "at": now}])
        return learner, pseudonym

    def learners(self, code: str) -> dict[str, tuple[str, str | None]]:
        """``{learner id: (pseudonym, name or None)}`` of room ``code``."""
        return {learner: (pseudonym, name) for learner, pseudonym, name in self._query(
            "SELECT learner, pseudonym, name FROM room_learners WHERE code = :code",
            {"code": code})}

    # -- decisions ------------------------------------------------------------------

    def decisions(self, code: str) -> dict[str, tuple[int, bool]]:
        """``{decision: (open round, revealed)}`` for decisions the facilitator touched or
        learners answered."""
        return {decision: (int(round_), bool(revealed)) for decision, round_, revealed in
                self._query("SELECT decision, round, revealed FROM room_decisions "
                            "WHERE code = :code", {"code": code})}

    def _set_decision(self, code: str, decision: str, round_: int, revealed: bool) -> None:
        self._transaction(
            ["DELETE FROM room_decisions WHERE code = :code AND decision = :decision",
             "INSERT INTO room_decisions (code, decision, round, revealed) "
             "VALUES (:code, :decision, :round, :revealed)"],
            [{"code": code, "decision": decision},
             {"code": code, "decision": decision, "round": round_, "revealed": int(revealed)}])

    def reveal(self, code: str, decision: str, revealed: bool = True) -> None:
        """Show (or hide again) a decision's results on the facilitator's page."""
        round_, _ = self.decisions(code).get(decision, (1, False))
        self._set_decision(code, decision, round_, revealed)

    def ask_again(self, code: str, decision: str) -> int:
        """Open the next round of ``decision`` (hidden until revealed); returns its number."""
        round_, _ = self.decisions(code).get(decision, (1, False))
        self._set_decision(code, decision, round_ + 1, False)
        return round_ + 1

    # -- events ---------------------------------------------------------------------

    def add_events(self, code: str, learner: str, events: Iterable[dict[str, Any]],
                   *, at: float | None = None) -> int:
        """Store a learner's validated events in one committed transaction; a choice is
        filed under its decision's open round.  Returns how many were stored."""
        rounds = {decision: round_ for decision, (round_, _) in self.decisions(code).items()}
        now = time.time() if at is None else at
        statements, params = [], []
        for event in events:
            body = {key: value for key, value in event.items() if key != "kind"}
            decision = event.get("decision")
            statements.append(
                "INSERT INTO room_events (code, learner, kind, decision, round, body, at) "
                "VALUES (:code, :learner, :kind, :decision, :round, :body, :at)")
            params.append({"code": code, "learner": learner, "kind": event["kind"],
                           "decision": decision,
                           "round": rounds.get(decision, 1) if decision else None,
                           "body": json.dumps(body, sort_keys=True), "at": now})
        if statements:
            self._transaction(statements, params)
        return len(statements)

    def events(self, code: str, *, after: int = 0) -> list[StoredEvent]:
        """Room ``code``'s events in the order they were accepted (ids above ``after``)."""
        return [StoredEvent(int(id_), learner, kind, decision,
                            None if round_ is None else int(round_), json.loads(body), float(at))
                for id_, learner, kind, decision, round_, body, at in self._query(
                    "SELECT id, learner, kind, decision, round, body, at FROM room_events "
                    "WHERE code = :code AND id > :after ORDER BY id",
                    {"code": code, "after": after})]


def open_store(url: str | None = None, *, folder: str | Path = ".") -> Store:
    """The room database at ``url`` (``sqlite:///path``, ``postgresql+psycopg://...``), or
    ``FOLDER/crosstalk-room.db`` when ``url`` is None."""
    if url is None:
        url = f"sqlite:///{Path(folder) / 'crosstalk-room.db'}"
    return Store(url)
