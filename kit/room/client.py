"""The learner's side of the room: sends what the kit defines, in the background.

Nothing here ever blocks a cell or raises into a notebook.  A joined notebook's events go
into a queue; one background thread posts them to the room server in small batches and,
when the room cannot be reached, keeps them and tries again later (1 s, 2 s, 4 s … up to
30 s).  Not joined, the hooks return at once and do nothing, so every notebook runs and
shows exactly what it did before the room existed.

*Joined* means this computer holds a room ticket, written when a learner joins in
00-welcome: a small JSON file (``~/.crosstalk/room.json``, or the file named by the
environment variable ``CROSSTALK_ROOM_FILE``) with the room's address, the learner's
signed token, pseudonym and role.  Every notebook (each its own kernel) reads it, so a
learner joins once for the day; :func:`leave` deletes it.

The hooks the kit calls:

* :func:`notify_choice` — from :mod:`kit.forms`: tick boxes, lists, numbers (never the
  text boxes of ``write``);
* :func:`notify_check` — from :mod:`kit.check`: a self-check's pass or fail;
* :func:`notify_section` — from :func:`kit.schedule.module_plan`: the module reached;
* :func:`stuck` — the "I'm stuck" button.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import queue
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kit.room.schema import MAX_EVENTS, ROLES, validate_event

__all__ = [
    "ROOM_FILE_ENV",
    "flush",
    "hub_token",
    "join",
    "joined",
    "leave",
    "notify_check",
    "notify_choice",
    "notify_section",
    "option_id",
    "pending",
    "room_file",
    "send",
    "set_role",
    "stuck",
]

ROOM_FILE_ENV = "CROSSTALK_ROOM_FILE"
"""Environment variable naming the room ticket file (default ``~/.crosstalk/room.json``)."""
TIMEOUT = 3.0
"""Seconds one request may take before it counts as unreachable."""
MAX_QUEUE = 2000
"""Events kept while the room is unreachable; beyond that the oldest are dropped."""
MAX_WAIT = 30.0
"""Longest pause between retries, in seconds."""

_lock = threading.RLock()
_queue: queue.Queue[tuple[str, Any]] = queue.Queue()
_thread: threading.Thread | None = None
_outstanding = 0
_section: str | None = None
_ticket_cache: tuple[float, dict[str, Any] | None] | None = None


def room_file() -> Path:
    """Where this computer's room ticket is kept."""
    named = os.environ.get(ROOM_FILE_ENV)
    return Path(named) if named else Path.home() / ".crosstalk" / "room.json"


def joined() -> dict[str, Any] | None:
    """The room ticket (``url``, ``token``, ``pseudonym``, ``role``, ``room``), or None."""
    global _ticket_cache
    try:
        path = room_file()
        stamp = path.stat().st_mtime
    except OSError:
        _ticket_cache = None
        return None
    if _ticket_cache is not None and _ticket_cache[0] == stamp:
        return _ticket_cache[1]
    ticket: dict[str, Any] | None
    try:
        read = json.loads(path.read_text(encoding="utf-8"))
        ticket = read if isinstance(read, dict) and read.get("token") and \
            read.get("url") else None
    except (OSError, ValueError):
        ticket = None
    _ticket_cache = (stamp, ticket)
    return ticket


def _write_ticket(ticket: dict[str, Any]) -> None:
    path = room_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(ticket), encoding="utf-8")
    os.chmod(temporary, 0o600)
    temporary.replace(path)


def leave() -> None:
    """Forget the room: delete the ticket; nothing more is sent."""
    with contextlib.suppress(OSError):
        room_file().unlink()


# -- what is sent --------------------------------------------------------------------


def option_id(value: Any) -> str:
    """An option as an id the room accepts: letters, digits and ``._:+-``, at most 64."""
    text = re.sub(r"[^A-Za-z0-9._:+\-]+", "-", str(value)).strip("-")
    return (text or "blank")[:64]


def send(event: dict[str, Any]) -> None:
    """Queue one event (see :mod:`kit.room.schema`) if joined; otherwise do nothing.

    Never raises: a malformed event is dropped here, not sent.
    """
    try:
        if joined() is None and not _joining():
            return
        _queue_put(("event", validate_event(event)))
    except Exception:
        return


def notify_choice(name: str, kind: str, value: Any) -> None:
    """A form's answer changed (:mod:`kit.forms`): send its option ids, never text."""
    try:
        if joined() is None and not _joining():
            return
        if kind == "letters":
            send({"kind": "choice", "decision": option_id(name),
                  "option": sorted(option_id(item) for item in (value or ()))})
        elif kind == "number" and value is not None:
            send({"kind": "choice", "decision": option_id(name), "option": str(int(value))})
        elif kind == "choices":
            for item, chosen in dict(value or {}).items():
                if chosen is not None:
                    send({"kind": "choice", "decision": option_id(f"{name}.{item}"),
                          "option": option_id(chosen)})
    except Exception:
        return


def check_id(hint: str) -> str:
    """A self-check's id: the module reached (if known) and a short hash of its hint."""
    digest = hashlib.sha1(" ".join(str(hint).split()).encode()).hexdigest()[:8]
    return option_id(f"{_section}:{digest}" if _section else digest)


def notify_check(hint: str, passed: bool) -> None:
    """A self-check ran (:mod:`kit.check`): send its id and whether it passed."""
    try:
        if joined() is None and not _joining():
            return
        send({"kind": "check", "check": check_id(hint), "passed": bool(passed)})
    except Exception:
        return


def notify_section(section: str) -> None:
    """The learner reached ``section`` (a module such as ``01-redirects``)."""
    global _section
    try:
        _section = option_id(section)
        send({"kind": "section", "section": _section})
    except Exception:
        return


def set_role(role: str) -> None:
    """The learner chose (or changed) their side after joining."""
    try:
        ticket = joined()
        if ticket is None or role not in ROLES:
            return
        if ticket.get("role") != role:
            _write_ticket({**ticket, "role": role})
        send({"kind": "role", "role": role})
    except Exception:
        return


def hub_token() -> str | None:
    """This kernel's JupyterHub token, when the notebook runs on a hub."""
    return os.environ.get("JUPYTERHUB_API_TOKEN") or None


def stuck(is_stuck: bool = True) -> None:
    """The "I'm stuck" button (``False``: helped, not stuck any more)."""
    send({"kind": "stuck", "stuck": bool(is_stuck)})


# -- joining -------------------------------------------------------------------------

_join_pending = threading.Event()


def _joining() -> bool:
    return _join_pending.is_set()


def join(url: str, code: str, role: str | None, *, name: str | None = None,
         on_done: Callable[[bool, str], None] | None = None,
         hub_token: str | None = None) -> bool:
    """Join the room at ``url`` with ``code`` as ``role`` (``marketing`` or ``it``).

    On a JupyterHub, ``hub_token`` (the kernel's ``JUPYTERHUB_API_TOKEN``) replaces the
    code and the role may come later (:func:`set_role`).  Returns at once; the background
    thread joins (retrying while the room is unreachable) and then calls
    ``on_done(ok, message)``.  Returns False (and calls ``on_done``) only when the input is
    unusable or background work is impossible here.
    """
    def done(ok: bool, message: str) -> bool:
        if on_done is not None:
            with contextlib.suppress(Exception):
                on_done(ok, message)
        return ok

    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        return done(False, "The room address starts with http:// (see the projector).")
    if role not in ROLES and not (hub_token and role is None):
        return done(False, "Choose Marketing or IT first.")
    code = "".join((code or "").split()).upper()
    if not code and not hub_token:
        return done(False, "Type the join code from the projector.")
    _join_pending.set()
    ok = _queue_put(("join", {"url": url.rstrip("/") + "/", "code": code, "role": role,
                              "name": (name or "").strip() or None, "on_done": on_done,
                              "hub_token": None if code else hub_token}))
    if not ok:
        _join_pending.clear()
        return done(False, "This Python cannot send in the background (the browser-only "
                           "version): the room is not available here.")
    return True


# -- the background thread -----------------------------------------------------------


def _queue_put(item: tuple[str, Any]) -> bool:
    global _thread, _outstanding
    with _lock:
        if _thread is None or not _thread.is_alive():
            try:
                _thread = threading.Thread(target=_work, name="crosstalk-room", daemon=True)
                _thread.start()
            except (RuntimeError, OSError):  # no threads (Pyodide)
                _thread = None
                return False
        while _queue.qsize() >= MAX_QUEUE:
            try:
                _queue.get_nowait()
                _outstanding -= 1
            except queue.Empty:
                break
        _outstanding += 1
        _queue.put(item)
    return True


def pending() -> int:
    """Events and joins waiting to be sent (queued or in flight)."""
    return _outstanding


def flush(timeout: float = 5.0) -> bool:
    """Wait up to ``timeout`` seconds for everything queued to be acknowledged."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _outstanding <= 0:
            return True
        time.sleep(0.02)
    return _outstanding <= 0


def _post(url: str, data: dict[str, Any], token: str | None = None,
          scheme: str = "Bearer") -> dict[str, Any]:
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"{scheme} {token}")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
        reply: dict[str, Any] = json.loads(answer.read() or b"{}")
        return reply


class _Refused(Exception):
    """The room answered, and said no (4xx): retrying will not help."""


def _attempt(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500:
            try:
                message = json.loads(error.read() or b"{}").get("error", "")
            except (ValueError, OSError):
                message = ""
            raise _Refused(error.code, message or error.reason) from None
        raise


def _do_join(job: dict[str, Any], wait: Callable[[], None]) -> None:
    on_done = job.pop("on_done", None)

    def report(ok: bool, message: str) -> None:
        if on_done is not None:
            with contextlib.suppress(Exception):
                on_done(ok, message)

    while True:
        try:
            answer = _attempt(lambda: _post(job["url"] + "api/join",
                                            {"code": job["code"], "name": job["name"]},
                                            job["hub_token"], "token"))
            break
        except _Refused as refused:
            _join_pending.clear()
            report(False, f"The room said no: {refused.args[1]}")
            return
        except Exception:
            report(False, "The room cannot be reached yet; still trying in the background. "
                          "Your notebooks work as usual meanwhile.")
            wait()
    _write_ticket({"url": job["url"], "token": answer["token"], "room": answer["room"],
                   "pseudonym": answer["pseudonym"], "role": job["role"],
                   "names_on": bool(answer.get("names_on"))})
    _join_pending.clear()
    if job["role"] in ROLES:
        _queue_put(("event", {"kind": "role", "role": job["role"]}))
    _queue_put(("event", {"kind": "section", "section": "00-welcome"}))
    report(True, f"You are in room {answer['room']} as “{answer['pseudonym']}”.")


def _done(count: int) -> None:
    global _outstanding
    with _lock:
        _outstanding -= count


def _work() -> None:
    delay = 1.0

    def wait() -> None:
        nonlocal delay
        time.sleep(delay)
        delay = min(delay * 2, MAX_WAIT)

    held: tuple[str, Any] | None = None  # taken from the queue, not handled yet
    while True:
        kind, item = held if held is not None else _queue.get()
        held = None
        if kind == "join":
            try:
                _do_join(item, wait)
            finally:
                delay = 1.0
                _done(1)
            continue
        batch = [item]
        while len(batch) < MAX_EVENTS:
            try:
                next_kind, next_item = _queue.get_nowait()
            except queue.Empty:
                break
            if next_kind == "join":  # send what came before it first
                held = (next_kind, next_item)
                break
            batch.append(next_item)
        while True:
            ticket = joined()
            if ticket is None:  # not joined (any more): nothing to send to
                break
            try:
                sent = ticket

                def send(sent: dict[str, Any] = sent, batch: list[Any] = batch) -> Any:
                    return _post(sent["url"] + "api/events", {"events": batch}, sent["token"])

                _attempt(send)
                delay = 1.0
                break
            except _Refused as refused:
                if refused.args[0] in (401, 403):
                    leave()  # the room ended or the ticket is not valid: stop sending
                break
            except Exception:
                wait()
        _done(len(batch))


@atexit.register
def _last_flush() -> None:  # pragma: no cover - runs at interpreter exit
    if _thread is not None and _thread.is_alive():
        flush(timeout=2.0)
