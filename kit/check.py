"""``check``: the one self-check every notebook uses, with one success message.

Workshops and exercises check the learner's own work the same way::

    from kit.check import check

    check(len(my_map) == 7, hint="Give each of the seven old pages a row.")
    # ✓ Check passed.

    check(lambda: audit_map(my_map), ok="No chains, loops or homepage dumps left.",
          hint="Look at the rows the audit lists above.")
    # ✓ Check passed: No chains, loops or homepage dumps left.

The rules, so a learner sees the same thing in every notebook:

* **Success** prints one line that always starts with :data:`SUCCESS` (``✓ Check passed``),
  followed by ``: ok`` when the notebook says what the pass means.  Nothing else is
  printed, and ``check`` returns None (a cell ending in ``check(...)`` shows no ``None``).
* **Failure** raises :class:`AssertionError` whose message starts with :data:`FAILURE`
  (``Not yet:``) and carries the ``hint``: one sentence that says what to look at.  The cell
  turns red and Run All stops where the learner should.  The hint never gives the answer.
* ``condition`` is a value or a function of no arguments.  A function is called inside the
  check, so an error in it becomes the hint plus one line naming the error, never a
  traceback to decode.  A DataFrame or Series holds when it is *empty* (a findings table
  with no problems); an object with a boolean ``passed`` (a brief's or a criterion's
  result) holds when it passed; anything else by its truth.
* In an nbgrader exercise the visible test cells call ``check`` too; a failed check is an
  AssertionError, which nbgrader counts as a failed test, and its message is the hint the
  feedback page shows.

API (unchanged since the first version, so older notebooks keep working):
``check(condition, *, ok="", hint)``; ``ok`` became optional.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from kit.room import client as room

__all__ = ["FAILURE", "SUCCESS", "WAITING", "check", "guess_check"]

SUCCESS = "✓ Check passed"
"""How every passing check starts, in every notebook."""
FAILURE = "Not yet:"
"""How every failing check's message starts."""
WAITING = "Type your answer in the cell above, then run this cell again."
"""What :func:`guess_check` prints while the learner's value is still ``None``."""


def _holds(value: Any) -> bool:
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return bool(value.empty)  # a findings table: no rows means no problems
    passed = getattr(value, "passed", None)  # a BriefResult or CriterionResult
    if isinstance(passed, bool):
        return passed
    return bool(value)


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text if not text or text[-1] in ".!?" else text + "."


def check(condition: Any | Callable[[], Any], *, ok: str = "", hint: str) -> None:
    """Print ``✓ Check passed[: ok]`` when ``condition`` holds; else raise AssertionError.

    The error's message is ``Not yet: <hint>`` (plus the error a callable ``condition``
    raised, if any).  See the module docstring for what "holds" means.
    """
    if not isinstance(hint, str) or not hint.strip():
        raise TypeError("check(...) needs hint=\"...\": one sentence saying what to look at.")
    failure = f"{FAILURE} {_sentence(hint)}"
    if callable(condition) and not isinstance(condition, (pd.DataFrame, pd.Series)):
        try:
            condition = condition()
        except Exception as exc:
            message = " ".join(str(exc).split()) or type(exc).__name__
            room.notify_check(hint, False)  # no-op unless joined to a live room
            raise AssertionError(f"{failure}\n(The check could not run: {type(exc).__name__}: "
                                 f"{message})") from None
    passed = _holds(condition)
    room.notify_check(hint, passed)  # no-op unless joined to a live room
    if not passed:
        raise AssertionError(failure)
    print(f"{SUCCESS}: {_sentence(ok)}" if ok and ok.strip() else f"{SUCCESS}.")


def _same(guess: Any, answer: Any) -> bool:
    if isinstance(answer, str) or isinstance(guess, str):
        return " ".join(str(guess).split()).casefold() == " ".join(str(answer).split()).casefold()
    if isinstance(guess, bool) or isinstance(answer, bool):
        return guess is answer
    try:
        return abs(float(guess) - float(answer)) <= 1e-9 * max(1.0, abs(float(answer)))
    except (TypeError, ValueError):
        return bool(guess == answer)


def guess_check(guess: Any, answer: Any, *, hint: str, ok: str = "") -> None:
    """Check a value the learner typed against the one the kit computed.

    ``guess`` is the learner's value; while it is still ``None`` nothing is checked and
    :data:`WAITING` is printed, so Run All stays green.  ``answer`` is what the kit computed,
    or a tuple, list, set or frozenset of equally good answers (e.g. a name and its label).
    Text is compared without regard to case or extra spaces, numbers as numbers.
    Otherwise this is :func:`check`: ``✓ Check passed[: ok]`` or AssertionError
    ``Not yet: <hint>``; the hint says where to look, never the answer.
    """
    if guess is None:
        print(WAITING)
        return
    answers = answer if isinstance(answer, (tuple, list, set, frozenset)) else (answer,)
    check(any(_same(guess, one) for one in answers), ok=ok, hint=hint)
