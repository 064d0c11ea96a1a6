"""Every workshop notebook, run in JupyterLab in a real browser, as a cohort would run it.

For each ``workshops/*.ipynb`` (found when the tests are collected, so new modules are
tested as they land): open it in the kit's JupyterLab (a scratch copy of the course),
Run All Cells, wait for the kernel, then check what the page shows:

* every widget output is drawn as controls, not as the text of its repr;
* every plotly chart (static or inside a widget) has an SVG plot with paths;
* no output is an error, and no stderr text in the page shows a traceback;
* one control per widget (another toggle button, a slider moved with the keyboard, another
  dropdown entry, …) changes a chart or table somewhere in the notebook.

A screenshot of each notebook after the run goes to ``artifacts/screenshots/<notebook>.png``
(``make screenshots`` copies them to ``docs/screenshots/`` for the README).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ._lab import (
    SCREENSHOTS,
    LabServer,
    close_notebook,
    dom_errors,
    open_notebook,
    operate_widgets,
    output_problems,
    run_all,
    screenshot,
    wait_for_rendering,
    workshop_notebooks,
)

pytestmark = [pytest.mark.system, pytest.mark.slow]

NOTEBOOKS = workshop_notebooks()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_workshop_runs_and_renders_in_jupyterlab(
    notebook: Path, lab: LabServer, page: Any
) -> None:
    relative = f"workshops/{notebook.name}"
    open_notebook(page, lab, relative)
    finished = run_all(page)
    outputs = wait_for_rendering(page)
    shot = screenshot(page, SCREENSHOTS / f"{notebook.stem}.png", outputs)

    problems = output_problems(outputs)
    problems += [f"page: an error is shown: {text!r}" for text in dom_errors(page)]
    assert not problems, (
        f"{relative} in JupyterLab ({len(outputs)} outputs; screenshot {shot}):\n  "
        + "\n  ".join(problems)
    )
    assert finished, f"Run All Cells stopped early in {relative}: {page.errors}"

    operations = operate_widgets(page, outputs)
    operated = {op.where for op in operations}
    unknown = [o.where for o in outputs if o.is_widget and o.controls and o.where not in operated]
    assert not unknown, (
        f"{relative}: widgets with controls this test cannot operate yet (add them to "
        f"CONTROLS in tests/browser/_lab.py): {unknown}"
    )
    unchanged = [f"{op.where}: {op.control}" for op in operations if not op.changed]
    assert not unchanged, (
        f"{relative}: operating these controls changed no chart or table: {unchanged}"
    )
    after = wait_for_rendering(page, timeout=5)
    problems = output_problems(after) + [f"page: {t!r}" for t in dom_errors(page)]
    assert not problems, f"{relative} after operating its widgets:\n  " + "\n  ".join(problems)
    close_notebook(page)
