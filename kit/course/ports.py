"""Kernel ports for parallel grading: each worker draws from its own share of the ports.

A Jupyter kernel manager finds free ports by binding to port 0 and letting go, and the
kernel binds them a moment later.  Two grading workers starting kernels at the same
moment can be handed the same port in that gap, and one kernel then dies before it runs a
cell (nbgrader reports the whole notebook as an error).  ``crosstalk grade`` numbers its
workers; worker ``slot`` of ``slots`` only takes ports with ``port % slots == slot``, so
its kernels never collide with another worker's.  Outside ``crosstalk grade`` (the
formgrader's button, ``nbgrader autograde``) nothing changes.
"""

from __future__ import annotations

import os
import random
import socket
from pathlib import Path

__all__ = ["PORT_SLOT_VARIABLE", "port_slot", "slot_ports"]

PORT_SLOT_VARIABLE = "CROSSTALK_PORT_SLOT"
_ATTEMPTS = 10_000


def port_slot() -> tuple[int, int] | None:
    """``(slot, slots)`` from ``CROSSTALK_PORT_SLOT="slot/slots"``, or ``None`` when unset."""
    value = os.environ.get(PORT_SLOT_VARIABLE, "")
    try:
        slot, slots = (int(part) for part in value.split("/"))
    except ValueError:
        return None
    return (slot, slots) if 0 <= slot < slots else None


def _port_range() -> tuple[int, int]:
    """The system's ephemeral port range (where Jupyter's own choice would land)."""
    try:
        text = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text()
        low, high = (int(value) for value in text.split())
    except (OSError, ValueError):
        return 49152, 65535
    return low, high


def slot_ports(count: int, slot: int, slots: int, ip: str = "127.0.0.1") -> list[int]:
    """``count`` distinct free TCP ports on ``ip`` with ``port % slots == slot``.

    Candidates are drawn at random from the ephemeral range (binding to port 0 would not
    do: Linux hands out mostly odd ports that way) and each is found free by binding to
    it; all are held until every one is found, then released for the kernel to bind.
    """
    low, high = _port_range()
    first = low + (slot - low) % slots
    candidates = range(first, high + 1, slots)
    held: list[socket.socket] = []
    try:
        for port in random.sample(candidates, min(len(candidates), _ATTEMPTS)):
            if len(held) == count:
                break
            candidate = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                candidate.bind((ip, port))
            except OSError:
                candidate.close()
                continue
            held.append(candidate)
        if len(held) < count:
            raise OSError(f"no {count} free ports with port % {slots} == {slot} on {ip}")
        return [sock.getsockname()[1] for sock in held]
    finally:
        for sock in held:
            sock.close()
