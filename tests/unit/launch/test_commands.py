"""``crosstalk launch capacity|readiness`` through kit.cli.main: exit codes, formats, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from kit.cli import main
from kit.launch import CAPACITY_COLUMNS, Campaign


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("argv", "code"), [
    ((), 1),                                          # default: 2 minutes overloaded, none lost
    (("--servers", "5"), 0),
    (("--cache-hit", "0.95"), 0),
    (("--spike", "1"), 0),
    (("--spike", "80", "--servers", "5"), 1),
    (("--spike", "40", "--servers", "5", "--max-lost", "0.01"), 1),   # 0.2% lost, overloaded
    (("--servers", "4", "--max-lost", "0.9"), 1),     # overloaded minutes never cope
])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_capacity_exit_codes(capsys, argv: tuple[str, ...], code: int, fmt: str) -> None:
    assert run(capsys, "launch", "capacity", *argv, "--format", fmt)[0] == code


def test_capacity_table_by_phase(capsys) -> None:
    code, out, err = run(capsys, "launch", "capacity", "--servers-needed")
    assert code == 1 and err == ""
    first = out.splitlines()[0]
    assert first.startswith("90,807 visitors, 0 lost (0.0%)") and "2 minute(s) overloaded" in first
    assert "does NOT cope: no headroom" in first and first.endswith("Fewest servers that cope: 5.")
    assert "before the spike" in out and "after the spike" in out


def test_capacity_csv_per_minute_and_json(capsys, tmp_path: Path) -> None:
    _, out, err = run(capsys, "launch", "capacity", "--by", "minute", "--format", "csv")
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == list(CAPACITY_COLUMNS) and len(frame) == Campaign().minutes
    assert "does NOT cope" in err
    target = tmp_path / "phases.json"
    code, out, err = run(capsys, "launch", "capacity", "--format", "json", "--out", target)
    assert code == 1 and "visitors" in out and err == ""
    records = json.loads(target.read_text(encoding="utf-8"))
    assert [r["phase"] for r in records] == ["before the spike", "spike", "after the spike"]


@pytest.mark.parametrize(("argv", "message"), [
    (("--cache-hit", "1.5"), "--cache-hit"),
    (("--ctr", "-0.1"), "--ctr"),
    (("--servers", "0"), "--servers"),
    (("--spike-at", "999"), "inside the window"),
    (("--reach", "10.5"), "--reach"),
    (("--rps-per-server", "0"), "--rps-per-server"),
    (("--max-lost", "3"), "--max-lost"),
])
def test_capacity_bad_figures_exit_2(capsys, argv: tuple[str, ...], message: str) -> None:
    code, out, err = run(capsys, "launch", "capacity", *argv)
    assert code == 2 and out == "" and message in err and "Traceback" not in err


@pytest.mark.parametrize(("when", "code"), [
    ("at inception", 0), ("two weeks before launch", 1), ("at launch", 1), ("30", 0), ("5", 1),
])
def test_readiness_exit_codes(capsys, when: str, code: int) -> None:
    got, out, _ = run(capsys, "launch", "readiness", "--it-joins", when)
    assert got == code and out.startswith("IT joins")


def test_readiness_findings_and_bad_input(capsys) -> None:
    code, out, err = run(capsys, "launch", "readiness", "--it-joins", "at launch", "--findings",
                         "--format", "json")
    assert code == 1 and "risk high" in err
    assert {r["check"] for r in json.loads(out)} == {"task_skipped"}
    code, out, err = run(capsys, "launch", "readiness", "--it-joins", "soon")
    assert code == 2 and "--it-joins" in err
