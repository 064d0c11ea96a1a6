"""The capstone's model briefs pass on the agreed data and fail on what IT delivered.

The briefs are read from the nbgrader source (solutions/06-capstone), so the model answer
the graders compare against is itself tested; the generated exercise's blank cells are
checked to define no brief at all.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from kit.brief import REQUESTS, Brief, case_data

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "solutions" / "06-capstone" / "06-capstone.ipynb"
EXERCISE = ROOT / "exercises" / "06-capstone" / "06-capstone.ipynb"
MODULES = list(REQUESTS)


def _namespace(path: Path, *, stop_on_error: bool) -> dict[str, object]:
    """Run the notebook's setup and answer cells (not the checks) in one namespace."""
    notebook = nbformat.read(path, as_version=4)
    namespace: dict[str, object] = {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.cell_type != "code" or not (grade_id == "setup" or grade_id.endswith("_answer")):
            continue
        try:
            exec(compile(cell.source, f"{path.name}:{grade_id}", "exec"), namespace)
        except NotImplementedError:
            if stop_on_error:
                raise
    return namespace


@pytest.fixture(scope="module")
def solved() -> dict[str, object]:
    return _namespace(SOURCE, stop_on_error=True)


@pytest.mark.parametrize("module", MODULES)
def test_model_brief_passes_on_agreed_and_fails_on_delivered(solved: dict, module: str) -> None:
    brief = solved[f"brief_{module[:2]}"]
    assert isinstance(brief, Brief) and brief.request == REQUESTS[module]
    agreed = brief.check(case_data(module, "agreed"))
    delivered = brief.check(case_data(module, "delivered"))
    assert agreed.passed, repr(agreed)
    assert not delivered.passed
    assert not any(result.error for result in delivered.results), repr(delivered)


def test_model_own_request_passes_on_its_good_data_only(solved: dict) -> None:
    brief = solved["my_brief"]
    assert brief.check(solved["my_good_data"]).passed
    assert not brief.check(solved["my_bad_data"]).passed


@pytest.mark.skipif(not EXERCISE.is_file(), reason="run `crosstalk exercises build` first")
def test_blank_exercise_defines_no_brief() -> None:
    blank = _namespace(EXERCISE, stop_on_error=False)
    assert not [name for name in blank if name.startswith(("brief_", "my_"))]
