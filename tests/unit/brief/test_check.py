"""kit.check.check: one success message everywhere, or an AssertionError carrying the hint."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.brief import case_data, redirects_one_hop
from kit.check import FAILURE, SUCCESS, check


@pytest.mark.parametrize(
    "condition",
    [True, 1, [0], pd.DataFrame(), lambda: True,
     lambda: redirects_one_hop().run(case_data("01", "agreed"))],
    ids=["true", "one", "list", "empty-frame", "callable", "result"],
)
def test_passing_condition_prints_ok(condition: object, capsys: pytest.CaptureFixture[str]) -> None:
    check(condition, ok="Well done.", hint="unused")
    assert capsys.readouterr().out == "✓ Check passed: Well done.\n"


@pytest.mark.parametrize(("ok", "printed"), [
    ("", "✓ Check passed.\n"), ("  ", "✓ Check passed.\n"),
    ("No chains left", "✓ Check passed: No chains left.\n"),
    ("Done!", "✓ Check passed: Done!\n")])
def test_one_success_message_with_an_optional_detail(ok: str, printed: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert check(True, ok=ok, hint="unused") is None
    out = capsys.readouterr().out
    assert out == printed and out.startswith(SUCCESS)


def test_the_old_call_style_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    check(2 + 2 == 4, ok="Arithmetic still works.", hint="Look at the sum again.")
    assert capsys.readouterr().out.startswith(SUCCESS)
    check(2 + 2 == 4, hint="Look at the sum again.")  # ok= may be left out
    assert capsys.readouterr().out == f"{SUCCESS}.\n"


def test_a_check_without_a_hint_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="hint"):
        check(True, hint=" ")


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
    assert str(caught.value).startswith(f"{FAILURE} Look at row 3.")
    assert capsys.readouterr().out == ""
