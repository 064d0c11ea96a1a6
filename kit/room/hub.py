"""The room as a managed JupyterHub service: who is who, from the hub.

When ``crosstalk room serve`` runs as a JupyterHub service (the hub sets
``JUPYTERHUB_API_TOKEN`` and ``JUPYTERHUB_SERVICE_PREFIX``), the hub vouches for people:

* a **learner's notebook** joins without a code: its kernel's ``JUPYTERHUB_API_TOKEN``
  (``Authorization: token …``) names the hub user; the room gives that user the same
  learner id and pseudonym in every notebook (:func:`kit.room.auth.hub_learner_id`);
* the **facilitator** opens the page through hub OAuth (the hub's login, then back to the
  room) or calls the API with a hub token; only hub admins and members of the group
  :data:`FACILITATOR_GROUP` get the figures.  The facilitator token still works too.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FACILITATOR_GROUP", "HubIdentity"]

FACILITATOR_GROUP = "facilitator"
"""The hub group whose members (besides admins) may open the facilitator's view."""


class HubIdentity:
    """Asks the hub who sent a request (token header or the OAuth cookie)."""

    def __init__(self, group: str = FACILITATOR_GROUP) -> None:
        from jupyterhub.services.auth import HubOAuth

        # the process's one HubOAuth: the OAuth callback handler uses the same instance,
        # which keeps the login's state (where to go back to) in memory
        self.auth = HubOAuth.instance(cache_max_age=60)  # configured from the environment
        self.group = group

    async def user(self, handler: Any) -> dict[str, Any] | None:
        """The hub user of ``handler``'s request, or None."""
        header = handler.request.headers.get("Authorization", "")
        user: dict[str, Any] | None
        if header.startswith("token "):
            user = await self.auth.user_for_token(header[6:].strip(), sync=False)
        else:
            user = await self.auth.get_user(handler, sync=False)
        return user

    def is_facilitator(self, user: dict[str, Any] | None) -> bool:
        """Admins and members of the facilitator group."""
        if not user:
            return False
        return bool(user.get("admin")) or self.group in (user.get("groups") or [])

    def login_url(self, handler: Any) -> str:
        """Where to send a browser that is not logged in (hub OAuth, then back here)."""
        from tornado.httputil import url_concat

        state = self.auth.set_state_cookie(handler, next_url=handler.request.uri)
        return url_concat(self.auth.login_url, {"state": state})

    def routes(self, prefix: str) -> list[tuple[str, Any]]:
        """The OAuth callback route under ``prefix``."""
        from jupyterhub.services.auth import HubOAuthCallbackHandler

        return [(prefix + "oauth_callback", HubOAuthCallbackHandler)]

    def settings(self) -> dict[str, Any]:
        """Tornado application settings the OAuth callback needs."""
        return {"hub_auth": self.auth}
