"""The day's schedule adds up, and the guide and the notebooks show the same times."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kit.errors import InputError
from kit.schedule import (
    DAYS,
    KINDS,
    MODULES,
    Block,
    Day,
    day_table,
    module_minutes,
    module_plan,
    render_day,
    update_guide,
)

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "workshops" / "FACILITATOR.md"
WORKSHOPS = ROOT / "workshops"
NUMBERED = [key for key in MODULES if key != "00-welcome"]
DECLARED_END = {"full": "17:30", "half": "13:00"}


def _minute(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.parametrize("name", sorted(DAYS))
def test_each_day_is_contiguous_and_ends_when_it_says(name: str) -> None:
    day = DAYS[name]
    assert day.start == "09:00" and day.end == DECLARED_END[name]
    assert day.label.endswith(f"({day.start}–{day.end})")
    for before, after in zip(day.blocks, day.blocks[1:], strict=False):
        assert before.end == after.start, f"{name}: gap or overlap between {before} and {after}"
    assert all(block.minutes > 0 for block in day.blocks)
    assert all(block.kind in KINDS for block in day.blocks)
    assert sum(block.minutes for block in day.blocks) == _minute(day.end) - _minute(day.start)


@pytest.mark.parametrize("name", sorted(DAYS))
def test_every_module_has_teaching_and_an_exercise(name: str) -> None:
    for key in NUMBERED:
        minutes = module_minutes(key, name)
        assert minutes.get("teaching", 0) > 0 and minutes.get("exercise", 0) > 0, (name, key)
    assert set(module_minutes("00-welcome", name)) == {"welcome"}  # no exercise in 00
    order = [b.module for b in DAYS[name].blocks if b.module]
    assert order == sorted(order), "modules run in order, each in one stretch"


def test_full_day_gives_the_exercises_and_breaks_their_own_time() -> None:
    full = DAYS["full"]
    for key in NUMBERED:
        minutes = module_minutes(key, "full")
        assert minutes["exercise"] >= 20, key
    kinds = [b.kind for b in full.blocks]
    assert kinds.count("lunch") == 1 and kinds.count("break") >= 3
    # a break between 03 and 04
    between = full.blocks[[b.module for b in full.blocks].index("04-tracking") - 1]
    assert between.kind == "break"
    capstone = module_minutes("06-capstone", "full")
    assert capstone["exercise"] >= 30 and capstone["presentations"] >= 10
    assert capstone["discussion"] >= 15 and sum(capstone.values()) >= 60
    longest_stretch = 0
    stretch = 0
    for block in full.blocks:
        stretch = 0 if block.kind in ("break", "lunch") else stretch + block.minutes
        longest_stretch = max(longest_stretch, stretch)
    assert longest_stretch <= 90, "a break at least every 90 minutes"


def test_half_day_is_the_35_minute_cut() -> None:
    for key in NUMBERED:
        assert sum(module_minutes(key, "half").values()) == 35, key
        assert MODULES[key].half_day_cut.strip()
    assert any(b.kind == "break" for b in DAYS["half"].blocks)
    stretch = longest = 0
    for block in DAYS["half"].blocks:
        stretch = 0 if block.kind == "break" else stretch + block.minutes
        longest = max(longest, stretch)
    assert longest <= 90, "a break at least every 90 minutes"


def test_bad_names_and_times_are_clear_errors() -> None:
    with pytest.raises(InputError, match="no day"):
        day_table("weekend")
    with pytest.raises(InputError, match="no module"):
        module_plan("07-nothing")
    with pytest.raises(InputError, match="not a time"):
        _ = Block("9:00", "09:30", "teaching", None, "", "").minutes


def test_a_gap_would_be_caught() -> None:
    broken = Day("x", "x", "09:00", "10:00", (Block("09:00", "09:20", "welcome", None, "", ""),
                                                Block("09:25", "10:00", "break", None, "", "")))
    gaps = [a.end != b.start for a, b in zip(broken.blocks, broken.blocks[1:], strict=False)]
    assert any(gaps)


def test_guide_tables_equal_the_data() -> None:
    assert update_guide(GUIDE, check=True) == [], "run: python -m kit.schedule"
    text = GUIDE.read_text(encoding="utf-8")
    for name in DAYS:
        assert render_day(name) in text


def test_update_guide_rewrites_a_stale_table(tmp_path: Path) -> None:
    copy = tmp_path / "guide.md"
    stale = GUIDE.read_text(encoding="utf-8").replace("| 09:00–09:20 |", "| 09:00–09:30 |", 1)
    copy.write_text(stale, encoding="utf-8")
    assert update_guide(copy, check=True) == ["day-full"]
    assert update_guide(copy) == ["day-full"]
    assert update_guide(copy, check=True) == []
    copy.write_text("no markers here", encoding="utf-8")
    with pytest.raises(InputError, match="markers"):
        update_guide(copy)


def _outputs(notebook: Path, call: str) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    texts = []
    for cell in cells:
        if cell["cell_type"] == "code" and call in "".join(cell["source"]):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                texts.append("".join(data.get("text/plain", ""))
                             + "".join(data.get("text/html", "")))
    return texts


@pytest.mark.parametrize("name", sorted(DAYS))
def test_welcome_notebook_shows_the_same_times(name: str) -> None:
    outputs = _outputs(WORKSHOPS / "00-welcome.ipynb", f'day_table("{name}")')
    assert outputs, f"00-welcome has no stored output of day_table({name!r})"
    spans = re.findall(r"\d\d:\d\d–\d\d:\d\d", outputs[0].split("<")[0])
    assert spans == [f"{b.start}–{b.end}" for b in DAYS[name].blocks]
    assert spans == day_table(name)["time"].tolist()
    cells = json.loads((WORKSHOPS / "00-welcome.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert f"**{DAYS[name].label.split(' (')[0]}**" in text or DAYS[name].label in text


@pytest.mark.parametrize("key", list(MODULES))
def test_module_headers_show_the_schedule(key: str) -> None:
    outputs = _outputs(WORKSHOPS / f"{key}.ipynb", f'module_plan("{key}")')
    assert outputs and outputs[0].startswith(repr(module_plan(key)))


def _module_section(key: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"## Module {key[:2]} ")
    end = text.find("\n## ", start + 1)
    return text[start:end]


@pytest.mark.parametrize("key", [k for k in MODULES if k != "06-capstone"])
def test_the_guides_minute_plans_fill_the_teaching_block(key: str) -> None:
    section = _module_section(key)
    ends = [int(m[1]) for m in re.finditer(r"^\| \d+–(\d+) \|", section, re.M)]
    assert ends, f"no minute plan in the guide's section for {key}"
    kind = "welcome" if key == "00-welcome" else "teaching"
    assert ends[-1] == module_minutes(key, "full")[kind]
    assert ends == sorted(ends)


def test_guide_runs_in_module_order_with_one_template() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    positions = [text.index(f"## Module {key[:2]} ") for key in MODULES]
    assert positions == sorted(positions)
    assert text.index("## Module 06 ") < text.index("Grading the cohort")
    for key in MODULES:
        section = _module_section(key)
        for heading in ("### Objectives", "### Timing", "### What to demo", "### What the pairs do",
                        "### Discussion prompts", "### Common questions", "### What goes wrong",
                        "### Sources (checked on 2026-12-07)"):
            assert heading in section, (key, heading)
        assert "cut" in section  # the half day's 35-minute cut, generated from the data


def test_command_line_checks_and_rewrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    from kit.schedule import main

    copy = tmp_path / "guide.md"
    text = GUIDE.read_text(encoding="utf-8")
    copy.write_text(text.replace("| 45 | 01 Redirects", "| 40 | 01 Redirects", 1), encoding="utf-8")
    assert main(["--check", str(copy)]) == 1
    assert "out of date: day-full" in capsys.readouterr().out
    assert main([str(copy)]) == 0
    assert main(["--check", str(copy)]) == 0
    assert main([str(tmp_path / "missing.md")]) == 2
