"""Run a test body in a thread of its own, for Playwright's sync API.

Playwright's sync API refuses to start in a thread whose asyncio loop is marked running.
Under pytest-xdist a worker's main thread can carry such a mark from an earlier test's
event loop (Jupyter's clients run coroutines there), so the browser part of a system test
runs in a fresh thread, which has no loop at all.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["in_own_thread"]


def in_own_thread(test: Callable[..., None]) -> Callable[..., None]:
    """``test`` run in a new thread; its exception (a failure, a skip) re-raised here."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        outcome: dict[str, BaseException] = {}

        def body() -> None:
            try:
                test(*args, **kwargs)
            except BaseException as error:  # pytest's skip and fail outcomes too
                outcome["error"] = error

        thread = threading.Thread(target=body, name=f"test-{test.__name__}")
        thread.start()
        thread.join()
        if "error" in outcome:
            raise outcome["error"]

    return run
