"""Stored notebook outputs hold only numbers a person reads, so strict nbval passes anywhere.

A computed float's 16th and 17th significant digits depend on the machine's maths library
(seen: ``54.114247489248044`` on one machine, ``54.11424748924803`` on another).  nbval
compares stored outputs digit for digit, so a chart or table that stores such a float passes
only on the machine that stored it.  This guard scans every stored output of the workshops
for floats with more than :data:`MAX_DIGITS` significant digits (plotly's own ``template``
is plotly's constant, the same everywhere, and skipped).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kit.display import readable_numbers

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "workshops").glob("*.ipynb"))
MAX_DIGITS = 10
_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?:[eE][-+]?\d+)?(?![\w.])")


def significant_digits(text: str) -> int:
    """Significant digits of a decimal literal: ``0.06517524823555598`` has 16."""
    mantissa = re.split(r"[eE]", text)[0].replace(".", "").lstrip("0")
    return len(mantissa.rstrip("0")) if mantissa else 0


def long_floats(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """``(where, literal)`` for every float with too many digits inside a stored output."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "template":
                yield from long_floats(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from long_floats(item, f"{path}[{index}]")
    elif isinstance(value, float):
        if significant_digits(repr(value)) > MAX_DIGITS:
            yield path, repr(value)
    elif isinstance(value, str):
        for match in _DECIMAL.finditer(value):
            if significant_digits(match.group()) > MAX_DIGITS:
                yield path, match.group()


@pytest.mark.parametrize("literal, digits", [
    ("54.114247489248044", 17), ("0.06517524823555598", 16), ("1.5", 2), ("0.001", 1),
    ("120.0", 2), ("1.25e-07", 3), ("100", 1),
])
def test_significant_digits(literal: str, digits: int) -> None:
    assert significant_digits(literal) == digits


def test_the_guard_finds_a_machine_dependent_float() -> None:
    output = {"data": {"application/vnd.plotly.v1+json": {
        "data": [{"y": [54.114247489248044, 2.5]}],
        "layout": {"template": {"data": {"x": [0.1111111111111111]}}}},
        "text/plain": "mean 0.06517524823555598 s"}}
    found = [literal for _, literal in long_floats(output)]
    assert found == ["54.114247489248044", "0.06517524823555598"]
    assert list(long_floats(readable_numbers(output["data"]["application/vnd.plotly.v1+json"])))\
        == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_stored_outputs_hold_readable_numbers(notebook: Path) -> None:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    problems = [
        f"cell {index}{where}: {literal}"
        for index, cell in enumerate(cells)
        for output in cell.get("outputs", [])
        for where, literal in long_floats(output)
    ]
    assert not problems, (
        f"{notebook.name} stores floats with more than {MAX_DIGITS} significant digits, which "
        "differ from machine to machine; round what the chart or table shows (kit.display."
        "readable_figure for charts) and re-run the notebook:\n" + "\n".join(problems[:10]))
