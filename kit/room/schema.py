"""What a learner's notebook may send to the room, checked before anything is stored.

A joined notebook sends *events*, each a small JSON object ``{"kind": ..., ...}``.  Only
these kinds exist, and each carries only ids and flags the kit defines — never free text,
code or a learner's answer to a text box:

* ``role``     — ``{"role": "marketing" | "it"}``: the side chosen in 00-welcome;
* ``choice``   — ``{"decision": id, "option": id}`` or ``"option": [id, ...]`` for tick
  boxes: the option picked in a decision widget (:mod:`kit.forms`);
* ``check``    — ``{"check": id, "passed": bool}``: one self-check's result (:mod:`kit.check`);
* ``section``  — ``{"section": id}``: the module (notebook) a learner has reached;
* ``stuck``    — ``{"stuck": bool}``: the "I'm stuck" button (``False`` when helped).

(``joined`` is not an event a notebook sends: the server records it when a learner joins.)

An id is 1–:data:`MAX_ID` characters of letters, digits and ``._:+-`` (a form's
variable name, a letter, a check's hash); a request holds at most :data:`MAX_EVENTS`
events and :data:`MAX_BODY` bytes.  :func:`validate_event` returns a clean copy or raises
:class:`EventError` saying which field is wrong.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = [
    "KINDS",
    "MAX_BODY",
    "MAX_EVENTS",
    "MAX_ID",
    "MAX_OPTIONS",
    "ROLES",
    "EventError",
    "clean_id",
    "parse_batch",
    "validate_event",
]

KINDS = ("role", "choice", "check", "section", "stuck")
"""Event kinds a learner's notebook may send."""
ROLES = ("marketing", "it")
"""The two sides of the room."""
MAX_ID = 64
"""Longest id (decision, option, check, section)."""
MAX_OPTIONS = 26
"""Most options one tick-box choice may carry."""
MAX_EVENTS = 100
"""Most events in one request."""
MAX_BODY = 32_000
"""Largest request body in bytes."""

_ID = re.compile(r"[A-Za-z0-9._:+\-]{1," + str(MAX_ID) + "}")


class EventError(ValueError):
    """An event or a request the room refuses; the message says which field and why."""


def clean_id(value: Any, field: str) -> str:
    """``value`` if it is a valid id, else :class:`EventError` naming ``field``."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise EventError(f"{field}: expected an id of 1-{MAX_ID} letters, digits or ._:+- "
                         f"characters, got {str(value)[:40]!r}")
    return value


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise EventError(f"{field}: expected true or false, got {str(value)[:40]!r}")
    return value


def validate_event(event: Any) -> dict[str, Any]:
    """A clean copy of ``event`` with only the fields its kind allows; :class:`EventError`
    when the kind is unknown, a field is missing or wrong, or an extra field is present."""
    if not isinstance(event, dict):
        raise EventError("an event must be a JSON object")
    kind = event.get("kind")
    if kind not in KINDS:
        raise EventError(f"kind: expected one of {', '.join(KINDS)}, got {str(kind)[:40]!r}")
    allowed = {"role": {"role"}, "choice": {"decision", "option"}, "check": {"check", "passed"},
               "section": {"section"}, "stuck": {"stuck"}}[kind]
    extra = set(event) - allowed - {"kind"}
    if extra:
        raise EventError(f"{kind}: fields {sorted(extra)} are not allowed")
    missing = allowed - set(event)
    if missing:
        raise EventError(f"{kind}: missing {sorted(missing)}")
    if kind == "role":
        if event["role"] not in ROLES:
            raise EventError(f"role: expected one of {', '.join(ROLES)}")
        return {"kind": kind, "role": event["role"]}
    if kind == "choice":
        decision = clean_id(event["decision"], "decision")
        option = event["option"]
        if isinstance(option, list):
            if len(option) > MAX_OPTIONS:
                raise EventError(f"option: at most {MAX_OPTIONS} options in one choice")
            options = sorted({clean_id(item, "option") for item in option})
            return {"kind": kind, "decision": decision, "option": options}
        return {"kind": kind, "decision": decision, "option": clean_id(option, "option")}
    if kind == "check":
        return {"kind": kind, "check": clean_id(event["check"], "check"),
                "passed": _flag(event["passed"], "passed")}
    if kind == "section":
        return {"kind": kind, "section": clean_id(event["section"], "section")}
    return {"kind": kind, "stuck": _flag(event["stuck"], "stuck")}


def parse_batch(body: bytes) -> list[dict[str, Any]]:
    """The events of one request body ``{"events": [...]}``, every one validated.

    The whole batch is refused when one event is bad, so a learner's notebook never
    half-sends; the error names the event's position.
    """
    if len(body) > MAX_BODY:
        raise EventError(f"request too large: {len(body)} bytes, at most {MAX_BODY}")
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise EventError(f"request is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise EventError('request must be {"events": [...]}')
    events = data["events"]
    if len(events) > MAX_EVENTS:
        raise EventError(f"too many events: {len(events)}, at most {MAX_EVENTS}")
    clean = []
    for number, event in enumerate(events, 1):
        try:
            clean.append(validate_event(event))
        except EventError as exc:
            raise EventError(f"event {number}: {exc}") from None
    return clean
