"""The workshops' "check yourself" cells check the learner's value, so they can fail (issue 12).

Each of the four notebooks has one value the learner types (``my_... = None`` in a cell of its
own) and, right after it, a cell that calls :func:`kit.check.guess_check` with what the kit
computes.  Stored, the value is ``None``: the cell prints :data:`kit.check.WAITING`, so Run All
stays green.  Here the check cell runs for real, with a wrong value and with the kit's value,
in a namespace that holds only what the cell needs.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kit.check import FAILURE, SUCCESS, WAITING, guess_check

ROOT = Path(__file__).resolve().parents[2]


def _namespace_01() -> tuple:
    from kit.redirects.widget import STRATEGY_LABELS

    class Result:
        def __init__(self, strategy: str, links: float) -> None:
            self.summary = {"strategy": strategy, "links_kept": links}

    explorer = type("E", (), {})()
    explorer.results = {name: Result(name, links) for name, links in
                        [("one_to_one", 0.9), ("chains", 0.8), ("temporary_302", 0.85)]}
    namespace = {"pd": pd, "explorer": explorer, "STRATEGY_LABELS": STRATEGY_LABELS}
    return namespace, "one_to_one", "chains"


def _namespace_02() -> tuple:
    effects = pd.DataFrame({"change": ["meta_keywords", "sitemap"], "well_described_gain": [0, 3]})
    return {"effects": effects}, 3, 10


def _namespace_03() -> tuple:
    report = type("R", (), {"summary": {"real_pages": 1234}})()
    return {"reports": {"aggressive": report}}, 1234, 736


def _namespace_05() -> tuple:
    from kit.launch import Campaign, Site, servers_needed

    campaign = Campaign(reach=2_000_000, spike=60)
    right = servers_needed(campaign, Site(cache_hit=0.9))
    return {"campaign": campaign, "Site": Site, "servers_needed": servers_needed}, right, right + 1


NOTEBOOKS = {
    "01-redirects": ("my_strategy", _namespace_01),
    "02-seo": ("my_sitemap_gain", _namespace_02),
    "03-duplicates": ("my_standard_pages", _namespace_03),
    "05-launch": ("my_servers", _namespace_05),
}


def _cells(name: str, variable: str) -> tuple[dict, dict]:
    cells = nbformat.read(ROOT / "workshops" / f"{name}.ipynb", as_version=4).cells
    guess = [i for i, c in enumerate(cells)
             if c.cell_type == "code" and re.match(rf"{variable} = None\b", c.source)]
    assert len(guess) == 1, f"{name}: one cell should set {variable} = None"
    check_cell = cells[guess[0] + 1]
    assert f"guess_check({variable}," in check_cell.source
    return cells[guess[0]], check_cell


def _run(source: str, namespace: dict, capsys) -> str:
    exec(compile(source, "<check cell>", "exec"), {"guess_check": guess_check, **namespace})
    return capsys.readouterr().out


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_stored_check_waits_for_the_learner(name: str) -> None:
    variable, _ = NOTEBOOKS[name]
    _, check_cell = _cells(name, variable)
    printed = "".join(o.get("text", "") for o in check_cell.get("outputs", []))
    assert WAITING in printed, f"{name}: run `crosstalk notebooks refresh` to store the message"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_check_fails_a_wrong_value_and_passes_the_right_one(name: str, capsys) -> None:
    variable, make = NOTEBOOKS[name]
    _, check_cell = _cells(name, variable)
    namespace, right, wrong = make()
    with pytest.raises(AssertionError) as failed:
        _run(check_cell.source, {**namespace, variable: wrong}, capsys)
    assert str(failed.value).startswith(FAILURE)
    standalone = rf"(?<![\w.]){re.escape(str(right))}(?![\w.%])"
    assert not re.search(standalone, str(failed.value)), "the hint must not give the answer"
    assert _run(check_cell.source, {**namespace, variable: right}, capsys).startswith(SUCCESS)
    assert _run(check_cell.source, {**namespace, variable: None}, capsys).strip() == WAITING


def test_guess_check_compares_text_and_numbers(capsys) -> None:
    guess_check(" One_To_One ", ("one_to_one", "1:1 map"), hint="Look at the table.")
    guess_check("1:1 MAP", ("one_to_one", "1:1 map"), hint="Look at the table.")
    guess_check(17.0, 17, hint="Look at the table.")
    assert capsys.readouterr().out.count(SUCCESS) == 3
    for wrong in (16, "17 servers", "chains", True):
        with pytest.raises(AssertionError, match=f"^{FAILURE} Look at the table.$"):
            guess_check(wrong, 17 if wrong != "chains" else "one_to_one", hint="Look at the table.")
