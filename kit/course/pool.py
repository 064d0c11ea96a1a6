"""A pool of worker processes with a deadline per item: a stuck worker is killed and replaced.

``crosstalk grade`` runs one learner at a time per worker (:mod:`kit.course.grade`); a
notebook that ignores interrupts must not hold up the batch, and whatever a killed worker
started dies with it.  :class:`WorkerPool` knows nothing of grading: ``target`` is a
module-level function ``target(connection, slot, slots, *args)`` that answers every item it
receives on ``connection`` with one result, and stops on ``None`` (see :func:`serve`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

__all__ = ["Lost", "WorkerPool", "serve"]

Item = TypeVar("Item")


@dataclass(frozen=True)
class Lost:
    """A worker that gave no answer for its item: it ended, or ran past the deadline."""

    reason: str
    timed_out: bool = False


def serve(connection: Connection, handle: Callable[[Any], Any]) -> None:
    """A worker's loop: answer every item with ``handle(item)`` until ``None`` arrives."""
    while True:
        message = connection.recv()
        if message is None:
            break
        connection.send(handle(message))


class WorkerPool(Generic[Item]):
    """``jobs`` spawned processes running ``target``; see the module doc."""

    def __init__(self, jobs: int, target: Callable[..., None], args: Sequence[Any] = ()) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.target = target
        self.args = tuple(args)
        self.workers: list[tuple[Any, Connection] | None] = [None] * max(1, jobs)

    def _start(self, slot: int) -> tuple[Any, Connection]:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=self.target,
                                       args=(child, slot, len(self.workers), *self.args),
                                       daemon=True)
        process.start()
        child.close()
        self.workers[slot] = (process, parent)
        return process, parent

    def run(self, items: Sequence[Item], deadline: float) -> Iterator[tuple[Item, Any]]:
        """``(item, answer)`` as each is done; the answer is a :class:`Lost` when the worker
        ended without one or took longer than ``deadline`` seconds (it is then killed)."""
        queue = list(items)
        busy: dict[int, tuple[Item, float]] = {}
        while queue or busy:
            for slot in range(len(self.workers)):
                if slot not in busy and queue:
                    worker = self.workers[slot] or self._start(slot)
                    item = queue.pop(0)
                    worker[1].send(item)
                    busy[slot] = (item, time.monotonic())
            for slot, (item, since) in list(busy.items()):
                process, connection = self.workers[slot]  # type: ignore[misc]
                if connection.poll(0.05):
                    try:
                        answer = connection.recv()
                    except (EOFError, OSError):
                        answer = self._lost(slot, "the grading process ended unexpectedly")
                    del busy[slot]
                    yield item, answer
                elif not process.is_alive():
                    del busy[slot]
                    yield item, self._lost(slot, "the grading process ended unexpectedly "
                                           f"(exit code {process.exitcode})")
                elif time.monotonic() - since > deadline:
                    del busy[slot]
                    yield item, self._lost(slot, f"did not finish within {deadline:.0f} s and "
                                           "was stopped (a cell that ignores interrupts?)",
                                           timed_out=True)

    def _lost(self, slot: int, reason: str, *, timed_out: bool = False) -> Lost:
        process, connection = self.workers[slot]  # type: ignore[misc]
        process.kill()
        process.join(5)
        connection.close()
        self.workers[slot] = None
        return Lost(reason, timed_out)

    def close(self) -> None:
        """Ask every worker to stop; kill those that do not within 10 s."""
        for worker in self.workers:
            if worker is None:
                continue
            process, connection = worker
            with contextlib.suppress(BrokenPipeError, OSError):
                connection.send(None)
            process.join(10)
            if process.is_alive():
                process.kill()
