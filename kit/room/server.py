"""The room server (tornado, which Jupyter already ships): learners post events, the
facilitator watches the figures live by server-sent events.

Endpoints (``T`` = the facilitator token, as ``?token=`` or ``Authorization: Bearer``):

* ``GET  /``                 — a page for phones (the QR code): the room's address and code;
* ``POST /api/join``         — ``{"code": ..., "name": optional}`` → learner token, pseudonym;
* ``POST /api/events``       — learner token as ``Authorization: Bearer``; body
  ``{"events": [...]}`` (:mod:`kit.room.schema`); answered only after the commit;
* ``GET  /facilitator?token=T``          — the projector page (:mod:`kit.room.page`);
* ``GET  /api/figures?token=T[&private=1]`` — the figures (:func:`kit.room.aggregate.figures`);
* ``GET  /api/stream?token=T[&private=1]``  — the same, pushed as server-sent events;
* ``POST /api/control?token=T`` — ``{"action": "reveal"|"hide"|"ask_again"|"names_on"|
  "names_off", "decision": id}``.

A learner's token opens none of the facilitator's endpoints, and no endpoint returns one
learner's answers to anyone but the facilitator's private figures (pseudonyms of the stuck).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

import tornado.web

from kit.room import auth
from kit.room.aggregate import figures
from kit.room.page import FACILITATOR_PAGE, learner_page
from kit.room.schema import MAX_BODY, EventError, clean_id, parse_batch
from kit.room.store import Room, Store

__all__ = ["RoomState", "make_app"]

MAX_NAME = 80
"""Longest name a learner may give (kept only while names are on)."""


class RoomState:
    """The server's state: the store, the room, and the open facilitator streams."""

    def __init__(self, store: Store, room: Room, url: str = "", hub: Any = None) -> None:
        self.store, self.room, self.url = store, room, url
        self.hub = hub
        """A :class:`kit.room.hub.HubIdentity` when the room runs as a JupyterHub service."""
        self.streams: set[FigureStream] = set()
        self._pending: asyncio.TimerHandle | None = None

    def refresh_room(self) -> None:
        """Re-read the room's settings (names on/off) after a control."""
        self.room = self.store.room(self.room.code) or self.room

    def figures(self, *, private: bool) -> dict[str, Any]:
        """The room's figures now."""
        room = self.room
        return figures(self.store.events(room.code), learners=self.store.learners(room.code),
                       decisions=self.store.decisions(room.code), day=room.day, start=room.start,
                       clock=time.strftime("%H:%M"), names_on=room.names_on, private=private,
                       code=room.code)

    def changed(self) -> None:
        """Push fresh figures to every open stream, at most every 50 ms."""
        if self._pending is not None or not self.streams:
            return
        loop = asyncio.get_running_loop()
        self._pending = loop.call_later(0.05, self._push)

    def _push(self) -> None:
        self._pending = None
        cache: dict[bool, str] = {}
        for stream in list(self.streams):
            if stream.private not in cache:
                cache[stream.private] = json.dumps(self.figures(private=stream.private))
            stream.send(cache[stream.private])


class _Handler(tornado.web.RequestHandler):
    state: RoomState

    def initialize(self, state: RoomState) -> None:
        self.state = state

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def fail(self, status: int, message: str) -> None:
        """Answer ``status`` with ``{"error": message}``."""
        self.set_status(status)
        self.finish({"error": message})

    def bearer(self) -> str | None:
        """The token of the ``Authorization: Bearer`` header or ``?token=``."""
        header = self.request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return header.removeprefix("Bearer ").strip()
        return self.get_query_argument("token", None)

    async def facilitator(self, *, page: bool = False) -> bool:
        """True when the request carries the facilitator token or (on a hub) comes from a
        hub admin or facilitator; else answers 403 (a page: the hub's login first)."""
        if auth.same_secret(self.bearer(), self.state.room.facilitator_token):
            return True
        hub = self.state.hub
        if hub is not None:
            user = await hub.user(self)
            if hub.is_facilitator(user):
                return True
            if user is None and page:
                self.redirect(hub.login_url(self))
                return False
        self.fail(403, "this needs the facilitator's token (or, on the hub, a facilitator)")
        return False

    def body_json(self) -> Any:
        """The request body as JSON (a 400 with the reason when it is not)."""
        if len(self.request.body) > MAX_BODY:
            raise EventError(f"request too large: at most {MAX_BODY} bytes")
        try:
            return json.loads(self.request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise EventError(f"request is not JSON: {exc}") from None


class LearnerPage(_Handler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(learner_page(self.state.room.code, self.state.url))


class Join(_Handler):
    async def post(self) -> None:
        try:
            data = self.body_json()
        except EventError as exc:
            return self.fail(400, str(exc))
        room = self.state.room
        if self.state.hub is not None and \
                self.request.headers.get("Authorization", "").startswith("token "):
            user = await self.state.hub.user(self)  # a hub user's notebook: no code needed
            if not user or not user.get("name"):
                return self.fail(403, "the hub does not know this token")
            learner, pseudonym = self.state.store.add_learner(
                room.code, user["name"] if room.names_on else None,
                auth.hub_learner_id(room.secret, room.code, user["name"]))
            self.state.changed()
            self.finish({"token": auth.sign_learner(room.secret, room.code, learner),
                         "pseudonym": pseudonym, "room": room.code,
                         "names_on": room.names_on})
            return
        if not isinstance(data, dict) or not auth.same_secret(
                str(data.get("code", "")).strip().upper(), self.state.room.code):
            return self.fail(403, "wrong join code: check the code on the projector")
        name = data.get("name")
        if name is not None and (not isinstance(name, str) or len(name) > MAX_NAME):
            return self.fail(400, f"name: at most {MAX_NAME} characters of text")
        name = " ".join(name.split()) if name and self.state.room.names_on else None
        learner, pseudonym = self.state.store.add_learner(self.state.room.code, name or None)
        token = auth.sign_learner(self.state.room.secret, self.state.room.code, learner)
        self.state.changed()
        self.finish({"token": token, "pseudonym": pseudonym, "room": self.state.room.code,
                     "names_on": self.state.room.names_on})


class Events(_Handler):
    def post(self) -> None:
        room = self.state.room
        learner = auth.verify_learner(room.secret, room.code, self.bearer())
        if learner is None:
            return self.fail(401, "not a learner token of this room: join again")
        try:
            events = parse_batch(self.request.body)
        except EventError as exc:
            return self.fail(413 if "too large" in str(exc) else 400, str(exc))
        stored = self.state.store.add_events(room.code, learner, events)
        self.state.changed()
        self.finish({"accepted": stored})


class FacilitatorPage(_Handler):
    async def get(self) -> None:
        if await self.facilitator(page=True):
            self.set_header("Content-Type", "text/html; charset=utf-8")
            xsrf = ""
            if self.state.hub is not None:  # JupyterHub's xsrf token for the page's requests
                value = self.xsrf_token
                xsrf = value.decode() if isinstance(value, bytes) else str(value)
            self.finish(FACILITATOR_PAGE.replace("__XSRF__", json.dumps(xsrf)[1:-1]))


class Figures(_Handler):
    async def get(self) -> None:
        if await self.facilitator():
            self.finish(self.state.figures(private=self.get_query_argument("private", "") == "1"))


class Control(_Handler):
    async def post(self) -> None:
        if not await self.facilitator():
            return
        state = self.state
        try:
            data = self.body_json()
            action = data.get("action") if isinstance(data, dict) else None
            if action in ("reveal", "hide", "ask_again"):
                decision = clean_id(data.get("decision"), "decision")
                if action == "ask_again":
                    state.store.ask_again(state.room.code, decision)
                else:
                    state.store.reveal(state.room.code, decision, action == "reveal")
            elif action in ("names_on", "names_off"):
                state.store.set_names(state.room.code, action == "names_on")
                state.refresh_room()
            else:
                raise EventError("action: expected reveal, hide, ask_again, names_on or names_off")
        except EventError as exc:
            return self.fail(400, str(exc))
        state.changed()
        self.finish(state.figures(private=self.get_query_argument("private", "") == "1"))


class FigureStream(_Handler):
    """Server-sent events: the figures now, then again on every change."""

    private = False

    async def get(self) -> None:
        if not await self.facilitator():
            return
        self.private = self.get_query_argument("private", "") == "1"
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("X-Accel-Buffering", "no")
        self._closed = asyncio.Event()
        self.state.streams.add(self)
        self.send(json.dumps(self.state.figures(private=self.private)))
        try:
            while not self._closed.is_set():
                try:
                    await asyncio.wait_for(self._closed.wait(), timeout=15)
                except TimeoutError:
                    self.write(": keep-alive\n\n")
                    await self.flush()
        finally:
            self.state.streams.discard(self)

    def send(self, data: str) -> None:
        """Send one figures message."""
        if self._closed.is_set():
            return
        self.write(f"data: {data}\n\n")
        future = self.flush()

        def closed_on_error(done: Any) -> None:
            if done.exception():
                self._closed.set()

        future.add_done_callback(closed_on_error)

    def on_connection_close(self) -> None:
        self._closed.set()
        self.state.streams.discard(self)


def make_app(state: RoomState, prefix: str = "/") -> tornado.web.Application:
    """The tornado application serving ``state``'s room under the URL path ``prefix``
    (``/services/room/`` behind JupyterHub's proxy, which keeps the prefix)."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    routes: list[Any] = [
        ("", LearnerPage), ("api/join", Join), ("api/events", Events),
        ("facilitator", FacilitatorPage), ("api/figures", Figures),
        ("api/stream", FigureStream), ("api/control", Control),
    ]
    handlers: list[Any] = [(re.escape(prefix + path), handler, {"state": state})
                           for path, handler in routes]
    settings: dict[str, Any] = {}
    if state.hub is not None:
        handlers += state.hub.routes(prefix)
        settings.update(state.hub.settings(), cookie_secret=state.room.secret)
    return tornado.web.Application(handlers, **settings)
