"""kit.check.check: a friendly pass message, or an AssertionError carrying the hint."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.brief import case_data, redirects_one_hop
from kit.check import check


@pytest.mark.parametrize(
    "condition",
    [True, 1, [0], pd.DataFrame(), lambda: True,
     lambda: redirects_one_hop().run(case_data("01", "agreed"))],
    ids=["true", "one", "list", "empty-frame", "callable", "result"],
)
def test_passing_condition_prints_ok(condition: object, capsys: pytest.CaptureFixture[str]) -> None:
    check(condition, ok="Well done.", hint="unused")
    assert capsys.readouterr().out == "✓ Well done.\n"


@pytest.mark.parametrize(
    ("condition", "extra"),
    [(False, ""), (0, ""), (pd.DataFrame({"a": [1]}), ""), (lambda: False, ""),
     (lambda: 1 / 0, "ZeroDivisionError"),
     (lambda: redirects_one_hop().run(case_data("01", "delivered")), "")],
    ids=["false", "zero", "findings", "callable-false", "callable-raises", "failed-result"],
)
def test_failing_condition_raises_the_hint(condition: object, extra: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(AssertionError, match="Look at row 3") as caught:
        check(condition, ok="never", hint="Look at row 3.")
    assert extra in str(caught.value)
    assert capsys.readouterr().out == ""
