"""The facilitator's page in Chromium (Playwright, Debian's chromium as tests/browser uses it).

A room server (in this process) and two learners posting over HTTP; the page follows the
live stream: the decision appears with its count but hidden; "Reveal" shows Marketing and
IT side by side; "Ask again" hides it for the revote; revealed again, the shift per side.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.browser._lab import CHROMIUM_ARGS, VIEWPORT, chromium_executable
from tests.system._own_thread import in_own_thread
from tests.unit.room.conftest import RunningRoom, start_room

pytestmark = [pytest.mark.system, pytest.mark.slow]


@contextmanager
def _chromium_page(require_system: Any) -> Iterator[Any]:
    path = chromium_executable()
    if path is None:
        require_system("chromium", "no chromium executable; apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_system("playwright", "pip install -e '.[dev]'")
    with sync_playwright() as api:
        browser = api.chromium.launch(executable_path=path, headless=True,
                                      args=list(CHROMIUM_ARGS))
        try:
            yield browser.new_page(viewport=VIEWPORT)
        finally:
            browser.close()


@pytest.fixture
def room(tmp_path: Path) -> Iterator[RunningRoom]:
    running = start_room(tmp_path / "room.db")
    yield running
    running.stop()


def _share(page: Any, role: str, option: str) -> str:
    return page.locator(f'[data-decision="plan"] .side.{role} [data-option="{option}"] .pct'
                        ).inner_text()


@in_own_thread
def test_facilitator_page_reveals_and_shows_the_shift(require_system: Any, room: RunningRoom,
                                                      tmp_path: Path) -> None:
    with _chromium_page(require_system) as page:
        _reveal_and_shift(page, room, tmp_path)


def _reveal_and_shift(page: Any, room: RunningRoom, tmp_path: Path) -> None:
    page.goto(f"{room.url}facilitator?token={room.room.facilitator_token}")
    page.wait_for_selector("#status:text('live')")
    ann, bo = room.join("marketing"), room.join("it")
    room.post(ann, [{"kind": "choice", "decision": "plan", "option": "map"}])
    room.post(bo, [{"kind": "choice", "decision": "plan", "option": "dump"}])
    card = page.locator('[data-decision="plan"]')
    card.get_by_text("2 answered").wait_for()
    assert "Hidden until you reveal it." in card.inner_text()
    assert page.locator(".side").count() == 0

    card.get_by_role("button", name="Reveal").click()
    page.wait_for_selector('[data-decision="plan"] .side.marketing')
    assert _share(page, "marketing", "map") == "100% (1)"
    assert _share(page, "it", "dump") == "100% (1)"
    assert _share(page, "it", "map") == "0% (0)"
    page.screenshot(path=str(tmp_path / "revealed.png"))

    card.get_by_role("button", name="Ask again").click()
    page.wait_for_selector("[data-decision='plan'] >> text=Hidden until you reveal it.")
    room.post(ann, [{"kind": "choice", "decision": "plan", "option": "map"}])
    room.post(bo, [{"kind": "choice", "decision": "plan", "option": "map"}])
    page.get_by_text("vote 2").wait_for()
    card.get_by_text("2 answered").wait_for()
    card.get_by_role("button", name="Reveal").click()
    row = page.locator('table.shift tr[data-option="map"]')
    row.wait_for()
    assert row.locator("td").all_inner_texts() == ["map", "0 pts", "+100 pts"]
    assert "changed their answer: Marketing 0, IT 1" in card.inner_text()
