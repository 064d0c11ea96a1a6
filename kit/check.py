"""``check``: a friendly in-notebook check for a learner working alone.

>>> check(2 + 2 == 4, ok="Arithmetic still works.", hint="Look at the sum again.")
✓ Arithmetic still works.

A failed check raises :class:`AssertionError` carrying the hint, so the cell turns red
with one sentence that says what to look at, and Run All stops where the learner
should.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

__all__ = ["check"]


def _holds(value: Any) -> bool:
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.empty  # a findings table: no rows means no problems
    passed = getattr(value, "passed", None)  # a BriefResult or CriterionResult
    if isinstance(passed, bool):
        return passed
    return bool(value)


def check(condition: Any | Callable[[], Any], *, ok: str, hint: str) -> None:
    """Print ``✓ ok`` when ``condition`` holds; otherwise raise AssertionError(``hint``).

    ``condition`` is a value or a function of no arguments (called here, so an error
    inside it becomes the hint too, not a traceback to decode).  A DataFrame or Series
    holds when it is empty (a findings table with no problems); an object with a boolean
    ``passed`` (a brief's result) holds when it passed; anything else by its truth.
    """
    if callable(condition) and not isinstance(condition, (pd.DataFrame, pd.Series)):
        try:
            condition = condition()
        except Exception as exc:
            message = " ".join(str(exc).split()) or type(exc).__name__
            raise AssertionError(f"{hint}\n(The check could not run: {type(exc).__name__}: "
                                 f"{message})") from None
    if not _holds(condition):
        raise AssertionError(hint)
    print(f"✓ {ok}")
