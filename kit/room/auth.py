"""Who may do what in a room: join codes, signed learner tokens, the facilitator token.

* A **join code** (six letters and digits without look-alikes, e.g. ``K7QX2M``) is what the
  projector shows; typing it in 00-welcome joins the room.
* Joining returns a **learner token**: ``<learner id>.<signature>``, the signature an
  HMAC-SHA256 of the room code and learner id under the room's secret.  Every event a
  notebook posts carries it; the server takes the learner from the token, never from the
  body, so nobody can post as someone else, and a token of one room is refused in another.
* The **facilitator token** is a separate random secret; only it opens the facilitator page,
  the figures and the controls.  No endpoint returns one learner's answers to a learner.

Both secrets are kept in the room's database, so tokens outlive a server restart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = [
    "CODE_ALPHABET",
    "hub_learner_id",
    "new_code",
    "new_learner_id",
    "new_secret",
    "same_secret",
    "sign_learner",
    "verify_learner",
]

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Join-code characters: no 0/O, 1/I/L, so a code read off a projector is typed right."""


def new_code(length: int = 6) -> str:
    """A fresh join code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_secret() -> str:
    """A fresh secret (room signing key, facilitator token)."""
    return secrets.token_urlsafe(32)


def new_learner_id() -> str:
    """A fresh learner id (random; it says nothing about the person)."""
    return secrets.token_hex(8)


def hub_learner_id(secret: str, code: str, user: str) -> str:
    """The learner id of hub user ``user`` in room ``code``: the same in every notebook,
    and not the user name (nobody reading the room's database learns who it is)."""
    return hmac.new(secret.encode(), f"hub:{code}:{user}".encode(),
                    hashlib.sha256).hexdigest()[:16]


def _signature(secret: str, code: str, learner: str) -> str:
    message = f"{code}:{learner}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def sign_learner(secret: str, code: str, learner: str) -> str:
    """The learner token for ``learner`` in room ``code``."""
    return f"{learner}.{_signature(secret, code, learner)}"


def verify_learner(secret: str, code: str, token: str | None) -> str | None:
    """The learner id a valid token names, else None."""
    if not token or token.count(".") != 1:
        return None
    learner, signature = token.split(".")
    if not learner or len(learner) > 32:
        return None
    return learner if hmac.compare_digest(signature, _signature(secret, code, learner)) else None


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented token with the expected one."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())
