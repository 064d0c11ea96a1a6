"""The room's widgets: "Join the room" (00-welcome) and the "I'm stuck" button.

Thin layers over :mod:`kit.room.client`.  Their ``text/plain`` is a fixed sentence, so a
notebook's stored outputs do not depend on whether anyone joined.
"""

from __future__ import annotations

import html
import os
from typing import Any

import ipywidgets as widgets

from kit.room import client

__all__ = ["JoinRoom", "join_room", "stuck_button"]

ROOM_URL_ENV = "CROSSTALK_ROOM_URL"
"""Environment variable with the room's address (set on a hub, so learners need not type it)."""


def _bundle(widget: widgets.Widget, text: str, html_text: str) -> dict[str, Any]:
    return {"text/plain": text, "text/html": html_text,
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": widget.model_id}}


class StuckButton:
    """A toggle: pressed, the facilitator's count of the stuck goes up; pressed again, down."""

    PLAIN_TEXT = "An “I'm stuck” button for the live room (run the notebook to use it)."

    def __init__(self) -> None:
        self.button = widgets.ToggleButton(value=False, description="I'm stuck",
                                           icon="hand-paper-o", button_style="warning")
        self.button.observe(self._toggled, names="value")

    def _toggled(self, change: dict[str, Any]) -> None:
        self.button.description = "Helped? Click again" if change["new"] else "I'm stuck"
        client.stuck(bool(change["new"]))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return _bundle(self.button, self.PLAIN_TEXT, f"<p>{html.escape(self.PLAIN_TEXT)}</p>")


def stuck_button() -> StuckButton:
    """The "I'm stuck" button (sends only when this computer has joined a room)."""
    return StuckButton()


class JoinRoom:
    """The join widget: role, room address, code, optional name, Join; then the stuck button."""

    PLAIN_TEXT = ("Join the live room: choose Marketing or IT, type the room address and "
                  "code from the projector, click Join (run the notebook to use it).")

    def __init__(self) -> None:
        ticket = client.joined()
        self.role = widgets.ToggleButtons(options=[("Marketing", "marketing"), ("IT", "it")],
                                          value=(ticket or {}).get("role"),
                                          description="I am in", style={"button_width": "8em"})
        self.address = widgets.Text(value=os.environ.get(ROOM_URL_ENV, ""),
                                    description="Room address",
                                    placeholder="http://… (on the projector)",
                                    style={"description_width": "8em"})
        self.code = widgets.Text(description="Join code", placeholder="e.g. K7QX2M",
                                 style={"description_width": "8em"})
        self.name = widgets.Text(description="Name (optional)",
                                 placeholder="only kept if the facilitator turned names on",
                                 style={"description_width": "8em"})
        self.button = widgets.Button(description="Join", button_style="primary")
        self.status = widgets.HTML()
        self.stuck = StuckButton()
        self.button.on_click(self._join)
        self.role.observe(self._role_chosen, names="value")
        self.widget = widgets.VBox([self.role, self.address, self.code, self.name, self.button,
                                    self.status, self.stuck.button])
        self._say(f"You are in room {ticket['room']} as “{ticket['pseudonym']}”."
                  if ticket else "Not joined: nothing is sent.")
        if ticket is None and self.address.value and client.hub_token():
            # on the hub the room's address is known and the hub says who this is
            self.code.layout.display = "none"
            self._say("Joining the room through the hub…")
            client.join(self.address.value, "", self.role.value, hub_token=client.hub_token(),
                        on_done=lambda ok, message: self._say(message))

    def _role_chosen(self, change: Any) -> None:
        """Send the side (when joined) and say what happened, so a click is never silent."""
        client.set_role(change["new"])
        side = {"marketing": "Marketing", "it": "IT"}.get(change["new"], "no side")
        if client.joined():
            self._say(f"Your side is now {side}.")
        else:
            self._say(f"Side: {side}. Not joined yet: nothing is sent until you click Join.")

    def _say(self, message: str) -> None:
        self.status.value = f"<span>{html.escape(message)}</span>"

    def _join(self, _button: Any = None) -> None:
        self._say("Joining…")
        client.join(self.address.value, self.code.value, self.role.value,
                    name=self.name.value or None, on_done=lambda ok, message: self._say(message),
                    hub_token=client.hub_token() if not self.code.value.strip() else None)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return _bundle(self.widget, self.PLAIN_TEXT, f"<p>{html.escape(self.PLAIN_TEXT)}</p>")


def join_room() -> JoinRoom:
    """The "Join the room" widget of 00-welcome."""
    return JoinRoom()
