"""Progress bars for long commands: on a terminal only, never in logs, pipes or notebooks.

::

    with progress(total=len(pages), desc="sketching pages", unit="page") as bar:
        for page in pages:
            ...
            bar.update()

A bar (tqdm, on stderr) appears only when stderr is a terminal, after a second of work,
and disappears when the work is done, so short runs print nothing.  Nothing at all is
drawn when stderr is not a terminal (a CI log, ``2> file``, a Jupyter kernel: stored
notebook outputs stay clean), when the environment variable ``CROSSTALK_QUIET`` is set
to anything but ``0``/``false``/``no``, when ``CI`` is set, when ``TERM=dumb``, or inside
a :func:`quiet` block (``crosstalk ... --quiet``).  :meth:`Progress.write` messages
(a learner whose grading failed) are printed in every case.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TextIO, TypeVar

__all__ = ["QUIET_ENV", "Progress", "enabled", "progress", "quiet", "track"]

QUIET_ENV = "CROSSTALK_QUIET"
"""Set to 1 to turn every progress bar off (the same as ``--quiet``)."""

DELAY = 1.0
"""Seconds of work before a bar appears: quick commands print nothing."""

_QUIET: ContextVar[bool] = ContextVar("crosstalk_quiet", default=False)
_OFF = ("", "0", "false", "no", "off")

T = TypeVar("T")


def enabled(stream: TextIO | None = None) -> bool:
    """Whether a bar would be drawn on ``stream`` (default: ``sys.stderr``) now."""
    if _QUIET.get() or os.environ.get(QUIET_ENV, "").strip().lower() not in _OFF:
        return False
    if os.environ.get("CI", "").strip().lower() not in _OFF:
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed or odd stream
        return False


@contextmanager
def quiet(on: bool = True) -> Iterator[None]:
    """No progress bars inside the block (when ``on``); ``--quiet`` uses it."""
    token = _QUIET.set(bool(on) or _QUIET.get())
    try:
        yield
    finally:
        _QUIET.reset(token)


class Progress:
    """What a ``with progress(...)`` block gets: the same calls with or without a bar."""

    def __init__(self, bar: Any | None, total: int | None) -> None:
        self._bar = bar
        self.total = total
        self.done = 0

    @property
    def shown(self) -> bool:
        """Whether a bar is being drawn (False off a terminal or when quiet)."""
        return self._bar is not None

    def update(self, count: int = 1) -> None:
        """``count`` more items are done."""
        self.done += count
        if self._bar is not None:
            self._bar.update(count)

    def set_total(self, total: int) -> None:
        """The total became known (or changed) after the block started."""
        self.total = total
        if self._bar is not None:
            self._bar.total = total
            self._bar.refresh()

    def write(self, message: str) -> None:
        """Print ``message`` on stderr without breaking the bar (printed when no bar too)."""
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)


@contextmanager
def progress(*, desc: str, total: int | None = None, unit: str = "item") -> Iterator[Progress]:
    """A :class:`Progress` for the block; a tqdm bar on stderr when :func:`enabled`."""
    if not enabled():
        yield Progress(None, total)
        return
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, delay=DELAY, leave=False,
               dynamic_ncols=True)
    try:
        yield Progress(bar, total)
    finally:
        bar.close()


def track(items: Iterable[T], *, desc: str, total: int | None = None,
          unit: str = "item") -> Iterator[T]:
    """Each of ``items``, advancing a bar (the total from ``len(items)`` when it has one)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with progress(desc=desc, total=total, unit=unit) as bar:
        for item in items:
            yield item
            bar.update()
