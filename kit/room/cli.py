"""``crosstalk room serve``: start the live room and print how learners join.

Prints the join code, the address learners type in 00-welcome, a QR code of that address
(when the ``room`` extra's segno is installed) and the facilitator's address with its
token (keep that one to yourself: it opens the results).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

from kit.errors import InputError

__all__ = ["lan_address", "register"]


def lan_address() -> str:
    """This machine's address on the local network (what other laptops reach), or
    127.0.0.1 when there is no network.  Nothing is sent: a UDP socket is only pointed."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, never sent to
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def qr_text(url: str) -> str | None:
    """``url`` as a QR code drawn with text blocks, or None without segno."""
    try:
        import segno
    except ModuleNotFoundError:
        return None
    import io

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``crosstalk room serve`` (for ``kit.cli.COMMAND_MODULES``)."""
    parser = subparsers.add_parser(
        "room", help="the live room: what the learners chose, split by role, as it happens",
        description="Run the live room the learners join from 00-welcome.")
    commands = parser.add_subparsers(dest="room_command", metavar="COMMAND", required=True)
    serve = commands.add_parser(
        "serve", help="start the room server and print the join code, address and QR code",
        description="Start the room server. Learners on the same network join with the "
                    "address and code printed; the facilitator opens the facilitator address.",
        epilog="exit status:\n  0  stopped with Ctrl+C\n  2  bad option or database\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("--db", metavar="URL", default=None,
                       help="database URL (default: sqlite:///crosstalk-room.db here; "
                            "postgresql+psycopg://... as for crosstalk course init --db)")
    serve.add_argument("--host", default="0.0.0.0",
                       help="address to listen on (default: %(default)s, the whole network)")
    serve.add_argument("--port", type=int, default=8765, help="port (default: %(default)s)")
    serve.add_argument("--public-url", default=None,
                       help="the address learners use, if not http://<this machine>:PORT")
    serve.add_argument("--prefix", default=os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"),
                       help="URL path the room is served under (default: / or, as a "
                            "JupyterHub service, $JUPYTERHUB_SERVICE_PREFIX)")
    serve.add_argument("--day", choices=("full", "half"), default="full",
                       help="which agenda progress is compared with (default: %(default)s)")
    serve.add_argument("--start", default="09:00",
                       help="when the day started, HH:MM (default: %(default)s)")
    serve.add_argument("--names", action="store_true",
                       help="let learners add their name (tell them first; default: anonymous)")
    serve.add_argument("--new", action="store_true",
                       help="open a new room (new code) instead of the database's last one")
    serve.add_argument("--hub", choices=("auto", "on", "off"), default="auto",
                       help="who is who from JupyterHub (learners join without a code, "
                            "facilitators through the hub's login): auto = when running as "
                            "a JupyterHub service (default)")
    serve.add_argument("--info-file", type=Path, default=None,
                       help="also write the code and addresses as JSON to this file")
    serve.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    from kit.room.aggregate import scheduled_block

    try:
        scheduled_block(args.day, args.start, args.start)
        from kit.room.store import open_store

        store = open_store(args.db)
    except InputError as error:
        print(f"room: {error}", file=sys.stderr)
        return 2
    room = None if args.new else store.room()
    if room is None:
        room = store.create_room(names_on=args.names, day=args.day, start=args.start)
    elif args.names and not room.names_on:
        store.set_names(room.code, True)
        room = store.room(room.code) or room
    hub = args.hub == "on" or (args.hub == "auto" and bool(
        os.environ.get("JUPYTERHUB_API_TOKEN") and os.environ.get("JUPYTERHUB_SERVICE_PREFIX")))
    host = lan_address() if args.host in ("0.0.0.0", "::", "") else args.host
    prefix = "/" + args.prefix.strip("/") + "/" if args.prefix.strip("/") else "/"
    url = (args.public_url or f"http://{host}:{args.port}{prefix}").rstrip("/") + "/"
    facilitator = f"{url}facilitator?token={room.facilitator_token}"
    print(f"Room open. Join code: {room.code}")
    print(f"Learners: in 00-welcome, room address {url} and code {room.code}")
    print(f"Facilitator (keep this address to yourself): {facilitator}")
    if hub:
        print("On the hub: learners join without a code; hub admins and the "
              "'facilitator' group open the facilitator page through the hub's login.")
    print("Names are " + ("ON: tell the learners." if room.names_on else
                          "off: learners appear under made-up names."))
    qr = qr_text(url)
    print(qr if qr else "(pip install 'crosstalk-kit[room]' to print a QR code here)")
    if args.info_file:
        args.info_file.write_text(json.dumps({"code": room.code, "url": url,
                                              "facilitator_url": facilitator,
                                              "facilitator_token": room.facilitator_token}))
    sys.stdout.flush()
    try:
        asyncio.run(_run_server(store, room, url, args.host, args.port, prefix, hub))
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    return 0


async def _run_server(store: Any, room: Any, url: str, host: str, port: int, prefix: str,
                      hub: bool) -> None:
    from kit.room.server import RoomState, make_app

    identity = None
    if hub:
        from kit.room.hub import HubIdentity

        identity = HubIdentity()
    app = make_app(RoomState(store, room, url, identity), prefix)
    app.listen(port, address=host, max_body_size=64_000)
    await asyncio.Event().wait()
