"""The browser checks can fail: a notebook made to trip each one is caught, a good one is not.

``test_workshops.py`` passes only if its checks see what a learner sees.  This runs them on
a throw-away notebook in the same JupyterLab: a slider that drives an HTML table and a plotly
chart (both fine), a button that changes nothing, a widget whose model does not exist (shown
as text, not controls), a traceback printed on stderr and a cell that raises.
"""

from __future__ import annotations

from typing import Any

import nbformat
import pytest

from ._lab import (
    WIDGET_MIME,
    LabServer,
    close_notebook,
    dom_errors,
    open_notebook,
    operate_widgets,
    output_problems,
    run_all,
    wait_for_rendering,
)

pytestmark = [pytest.mark.system, pytest.mark.slow]

CELLS = [
    "import sys\nimport ipywidgets as w\nimport plotly.graph_objects as go\n"
    "from IPython.display import display",
    # 1: fine: a slider drives a table
    "slider = w.IntSlider(value=1, min=0, max=10, description='n')\n"
    "table = w.HTML('<table><tr><td>n = 1</td></tr></table>')\n"
    "slider.observe(lambda c: setattr(table, 'value', "
    "f\"<table><tr><td>n = {c['new']}</td></tr></table>\"), names='value')\n"
    "w.VBox([slider, table])",
    # 2: fine: a static chart
    "go.Figure(go.Scatter(x=[0, 1, 2], y=[1, 3, 2]))",
    # 3: a button wired to nothing
    "w.Button(description='does nothing')",
    # 4: a widget view whose model does not exist
    f"display({{'text/plain': 'FakeWidget(shown as text)', '{WIDGET_MIME}': "
    "{'version_major': 2, 'version_minor': 0, 'model_id': 'f' * 32}}, raw=True)",
    # 5: a traceback printed on stderr
    "print('Traceback (most recent call last):\\n  File \"x\"\\nKeyError: 1', file=sys.stderr)",
    # 6: an error
    "raise ValueError('made to fail')",
]


@pytest.fixture(scope="module")
def checked(lab: LabServer, browser: Any) -> dict[str, Any]:
    """Run the trap notebook once; keep what each check said."""
    folder = lab.root / "selftest"
    folder.mkdir(exist_ok=True)
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in CELLS],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}},
    )
    nbformat.write(notebook, folder / "checks.ipynb")
    context = browser.new_context()
    page = context.new_page()
    try:
        open_notebook(page, lab, "selftest/checks.ipynb")
        finished = run_all(page)
        outputs = wait_for_rendering(page, timeout=4)
        result = {
            "finished": finished,
            "outputs": {o.cell: o for o in outputs},
            "problems": output_problems(outputs),
            "dom_errors": dom_errors(page),
            "operations": {op.where: op for op in operate_widgets(page, outputs, timeout=3)},
        }
        close_notebook(page)
        return result
    finally:
        context.close()


def _problems_of(checked: dict[str, Any], cell: int) -> list[str]:
    return [p for p in checked["problems"] if p.startswith(f"cell {cell} ")]


@pytest.mark.parametrize("cell", [1, 2, 3])
def test_good_outputs_raise_no_problem(checked: dict[str, Any], cell: int) -> None:
    assert _problems_of(checked, cell) == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (4, "widget"),
        (5, "traceback on stderr"),
        (6, "error output ValueError"),
    ],
)
def test_each_fault_is_reported(checked: dict[str, Any], cell: int, expected: str) -> None:
    problems = _problems_of(checked, cell)
    assert problems, f"cell {cell}: no problem reported; all: {checked['problems']}"
    assert expected in problems[0]


def test_the_page_shows_both_tracebacks(checked: dict[str, Any]) -> None:
    errors = checked["dom_errors"]
    assert any("KeyError" in text for text in errors), errors
    assert any("ValueError" in text and "made to fail" in text for text in errors), errors


def test_run_all_reports_the_failed_cell(checked: dict[str, Any]) -> None:
    assert checked["finished"] is False


def test_controls_are_operated_and_changes_detected(checked: dict[str, Any]) -> None:
    operations = checked["operations"]
    assert operations["cell 1 output 0"].control == "slider"
    assert operations["cell 1 output 0"].changed is True
    assert operations["cell 3 output 0"].control == "button"
    assert operations["cell 3 output 0"].changed is False
    assert "cell 4 output 0" not in operations  # nothing rendered, nothing to operate


def test_static_chart_is_seen_as_drawn(checked: dict[str, Any]) -> None:
    chart = checked["outputs"][2]
    assert chart.is_plotly and chart.rendered_plotly and chart.plots and all(chart.plots)
