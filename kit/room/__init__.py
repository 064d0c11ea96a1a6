"""The live room: the facilitator sees what the room decided, split by role, as it happens.

* :mod:`kit.room.schema`    — the events a joined notebook may send, checked, with size limits;
* :mod:`kit.room.auth`      — join codes, signed learner tokens, the facilitator token;
* :mod:`kit.room.store`     — SQLite (standard library) or any SQLAlchemy database URL;
* :mod:`kit.room.aggregate` — the figures: choices per role and round, the shift after a
  revote, progress against the schedule, who is stuck, self-check pass rates;
* :mod:`kit.room.server`    — the tornado server (``crosstalk room serve``, :mod:`kit.room.cli`);
* :mod:`kit.room.client`    — the learner's side: a background sender that never blocks or raises;
* :mod:`kit.room.widget`    — the join widget of 00-welcome and the "I'm stuck" button;
* :mod:`kit.room.view`      — the facilitator's figures in a notebook.

This package's ``__init__`` imports nothing, so the hooks in :mod:`kit.forms` and
:mod:`kit.check` cost one small module (:mod:`kit.room.client`).
"""

__all__: list[str] = []
