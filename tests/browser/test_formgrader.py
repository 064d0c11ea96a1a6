"""The team lead's path: Nbgrader > Formgrader in the kit's JupyterLab lists the course.

Opened through the menu, as the README tells the team lead to, in the same JupyterLab the
workshops run in (on the scratch copy of the course, so the gradebook that formgrader
creates is a throw-away one).  Every folder of ``solutions/`` must be listed on the
Manage Assignments page.
"""

from __future__ import annotations

from typing import Any

import pytest

from ._lab import REPO, SCREENSHOTS, LabServer

pytestmark = [pytest.mark.system, pytest.mark.slow]

ASSIGNMENTS = sorted(
    p.name for p in (REPO / "solutions").iterdir()
    if p.is_dir() and not p.name.startswith((".", "_"))
)


def test_formgrader_lists_every_assignment(lab: LabServer, page: Any) -> None:
    from playwright.sync_api import expect

    assert ASSIGNMENTS, "solutions/ has no assignment folder"
    page.goto(lab.url("lab", reset=""))
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell", timeout=90_000)
    page.get_by_role("menuitem", name="Nbgrader").click()
    page.get_by_role("menuitem", name="Formgrader", exact=True).click()

    frame = page.frame_locator("iframe[src*='formgrader']")
    expect(frame.get_by_text("Manage Assignments").first).to_be_visible(timeout=60_000)
    table = frame.locator("table")
    for assignment in ASSIGNMENTS:
        expect(table.locator("td", has_text=assignment).first).to_be_visible(timeout=30_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "formgrader.png"))
    assert (lab.root / "gradebook.db").exists()  # formgrader used the scratch course
    assert not page.errors, page.errors
