"""The event schema refuses what the kit does not define; tokens cannot be forged."""

from __future__ import annotations

import json

import pytest

from kit.room import auth
from kit.room.schema import MAX_BODY, MAX_EVENTS, EventError, parse_batch, validate_event


@pytest.mark.parametrize("event", [
    {"kind": "role", "role": "marketing"},
    {"kind": "choice", "decision": "policy", "option": "B"},
    {"kind": "choice", "decision": "same_page", "option": ["E", "A"]},
    {"kind": "check", "check": "01-redirects:3fa9c2d1", "passed": False},
    {"kind": "section", "section": "02-seo"},
    {"kind": "stuck", "stuck": True},
])
def test_the_kit_s_events_pass(event: dict) -> None:
    clean = validate_event(event)
    assert clean["kind"] == event["kind"]
    if isinstance(event.get("option"), list):
        assert clean["option"] == ["A", "E"]


@pytest.mark.parametrize(("event", "field"), [
    ({"kind": "chat", "text": "hi"}, "kind"),
    ({"kind": "role", "role": "sales"}, "role"),
    ({"kind": "choice", "decision": "policy", "option": "my answer is B because"}, "option"),
    ({"kind": "choice", "decision": "x" * 65, "option": "B"}, "decision"),
    ({"kind": "choice", "decision": "policy", "option": "B", "text": "free"}, "not allowed"),
    ({"kind": "choice", "decision": "policy"}, "missing"),
    ({"kind": "choice", "decision": "p", "option": [str(n) for n in range(30)]}, "at most"),
    ({"kind": "check", "check": "c1", "passed": "yes"}, "passed"),
    ({"kind": "stuck", "stuck": 1}, "stuck"),
    ("role", "object"),
])
def test_anything_else_is_refused_naming_the_field(event: object, field: str) -> None:
    with pytest.raises(EventError, match=field):
        validate_event(event)


def test_batch_limits() -> None:
    one = {"kind": "stuck", "stuck": True}
    assert len(parse_batch(json.dumps({"events": [one] * MAX_EVENTS}).encode())) == MAX_EVENTS
    with pytest.raises(EventError, match="too many"):
        parse_batch(json.dumps({"events": [one] * (MAX_EVENTS + 1)}).encode())
    with pytest.raises(EventError, match="too large"):
        parse_batch(b" " * (MAX_BODY + 1))
    with pytest.raises(EventError, match="not JSON"):
        parse_batch(b"{nope")
    with pytest.raises(EventError, match="event 2"):
        parse_batch(json.dumps({"events": [one, {"kind": "stuck"}]}).encode())


def test_learner_tokens_are_bound_to_learner_and_room() -> None:
    secret = auth.new_secret()
    token = auth.sign_learner(secret, "ROOM01", "abc123")
    assert auth.verify_learner(secret, "ROOM01", token) == "abc123"
    forged = "someoneelse." + token.split(".")[1]
    assert auth.verify_learner(secret, "ROOM01", forged) is None
    assert auth.verify_learner(secret, "ROOM02", token) is None
    assert auth.verify_learner(auth.new_secret(), "ROOM01", token) is None
    for junk in (None, "", "abc", "a.b.c"):
        assert auth.verify_learner(secret, "ROOM01", junk) is None
    code = auth.new_code()
    assert len(code) == 6 and set(code) <= set(auth.CODE_ALPHABET)
    assert not set("01OIL") & set(auth.CODE_ALPHABET)
