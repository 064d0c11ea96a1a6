"""The kit ships to every learner (laptop wheel, hub image, JupyterLite), so its own code and
data must not hold an exercise's answer: no answer line of ``solutions/`` in ``kit/``.

The capstone's worked case once reused exercise 01's old-to-new map, line for line; a learner
could read Part A1's answer from ``kit.brief.cases``.
"""

from __future__ import annotations

from pathlib import Path

from kit.course.handout import _key, answer_lines

ROOT = Path(__file__).resolve().parents[2]


def kit_answer_lines(kit: Path, solutions: Path) -> list[str]:
    """``file: line (answer of …)`` for every answer line of ``solutions`` found in ``kit``."""
    answers = answer_lines(solutions)
    found = []
    for path in sorted(kit.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _key(line) in answers:
                found.append(f"{path.relative_to(kit.parent)}:{number}: {line.strip()} "
                             f"(answer of {answers[_key(line)]})")
    return found


def test_the_kit_holds_no_exercise_answer() -> None:
    assert kit_answer_lines(ROOT / "kit", ROOT / "solutions") == []


def test_the_check_finds_an_answer_copied_into_kit_code(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    kit.mkdir()
    (kit / "cases.py").write_text(
        'MAP = {\n    "/shop/mens-running-shoes.html": "/men/running/",\n}\n', encoding="utf-8")
    found = kit_answer_lines(kit, ROOT / "solutions")
    assert len(found) == 1 and "01-redirects" in found[0] and "kit/cases.py:2" in found[0]
