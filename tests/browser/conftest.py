"""Fixtures for the browser tests: Debian's Chromium through Playwright, and the kit's
JupyterLab on a scratch copy of the course.

Playwright cannot download a browser on these machines, so it drives the system
``chromium`` (``apt-get install chromium``; ``$CROSSTALK_CHROMIUM`` overrides the path).
Without Chromium or the ``playwright`` package every test here is skipped with the reason,
and fails instead under ``CROSSTALK_REQUIRE_SYSTEM=1`` (CI).

One JupyterLab serves the whole session, from a temporary copy of ``workshops/``,
``solutions/`` and ``nbgrader_config.py``: running, autosaving and formgrader's gradebook
never touch the committed files.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ._lab import (
    CHROMIUM_ARGS,
    VIEWPORT,
    LabServer,
    chromium_executable,
    running_lab,
    scratch_course,
)


@pytest.fixture(scope="session")
def chromium_path(require_system: Any) -> str:
    """Path of the system Chromium, or skip (fail under CROSSTALK_REQUIRE_SYSTEM=1)."""
    path = chromium_executable()
    if path is None:
        require_system("chromium", "no chromium executable; apt-get install chromium "
                                   "(or set CROSSTALK_CHROMIUM to a Chromium binary)")
    return path


@pytest.fixture(scope="session")
def playwright_api(require_system: Any) -> Iterator[Any]:
    """Playwright's sync API, started once per session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_system("playwright", "the playwright package is not installed; "
                                     "pip install -e '.[dev]'")
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def browser(playwright_api: Any, chromium_path: str) -> Iterator[Any]:
    """Headless Chromium that can reach 127.0.0.1 and nothing else."""
    chromium = playwright_api.chromium.launch(
        executable_path=chromium_path, headless=True, args=list(CHROMIUM_ARGS)
    )
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="session")
def lab(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """The kit's JupyterLab on a scratch copy of the course (started after the browser,
    so a missing Chromium skips before a server is started for nothing)."""
    root = scratch_course(tmp_path_factory.mktemp("course"))
    with running_lab(root, tmp_path_factory.mktemp("jupyter-state")) as server:
        yield server


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page; JavaScript errors are kept in ``page.errors``."""
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    try:
        yield tab
    finally:
        context.close()

