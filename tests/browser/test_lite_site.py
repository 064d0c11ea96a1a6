"""The zero-install version: ``make lite``'s JupyterLite site, built and opened in Chromium.

What these tests verify, and what they cannot (numpy and pandas WebAssembly wheels cannot
be obtained on these machines, so the workshops themselves cannot run in the site here):

* the build, with Pyodide from the CDN (default) and with a bundled Pyodide (the intranet
  option, fed a core-only Pyodide made from npm's ``pyodide`` package: see _pyodide.py);
* its config and contents: every workshop notebook, starting with the install cell; the
  kernel, widgets, plotly and anywidget extensions and not nbgrader's; the kit's wheel
  (pure Python, browser requirements) and the pinned wheels; PyPI switched off offline;
* in Chromium, against the bundled Pyodide, with no network beyond 127.0.0.1: the site
  opens; a workshop shows its stored charts; a Pyodide kernel starts and runs cells;
  the kit's wheel installs from the site and its pure-Python code runs; an ipywidgets
  slider renders as a control and a plotly figure as SVG (versions match the page).

Not verified here: running the workshops in the browser (they need pandas, numpy, scipy,
scikit-learn, lxml from Pyodide's full distribution) and the in-notebook checks with them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kit.errors import InputError
from kit.lite import INSTALL_TAG, LiteSite, build_site, check_site, serving
from kit.lite.notebooks import is_learner_file, join_lines
from kit.lite.pins import FRONT_END, PYODIDE_VERSION, SERVER_ONLY, normalize
from kit.lite.site import EXTENSIONS, KERNEL_SETTINGS, ensure_build_env
from kit.lite.wheels import wheel_metadata
from kit.urls import safe_normalize

from ._lab import REPO, SCREENSHOTS, workshop_notebooks
from ._pyodide import core_pyodide

pytestmark = [pytest.mark.system, pytest.mark.slow]

ENV = REPO / "build" / "lite" / "env"  # shared with `make lite`: installed once
STATUS = "() => (document.querySelector('.jp-StatusBar-Widget') || {}).innerText || ''"
IDLE = re.compile(r"Pyodide\)\s*\|\s*Idle")


@pytest.fixture(scope="module")
def build_env(require_system: Any) -> Path:
    """The build environment (JupyterLite from the package index), or skip/fail."""
    try:
        return ensure_build_env(ENV)
    except InputError as error:
        require_system("jupyterlite", f"cannot install the build environment: {error}")


@pytest.fixture(scope="module")
def workshops_at_build() -> dict[str, list[Any]]:
    """The workshop notebooks' cells when the site was built (others may edit meanwhile)."""
    return {p.name: join_lines(json.loads(p.read_text()))["cells"]
            for p in workshop_notebooks() if is_learner_file(p.name)}


@pytest.fixture(scope="module")
def online_site(build_env: Path, workshops_at_build: dict[str, list[Any]],
                tmp_path_factory: pytest.TempPathFactory) -> LiteSite:
    """The default build: Pyodide from its public CDN."""
    work = tmp_path_factory.mktemp("lite-online")
    return build_site(REPO, work / "site", work=work, env=ENV)


@pytest.fixture(scope="module")
def core_archive(require_system: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A core-only Pyodide of the kernel's version, packed as a company would hand it in."""
    npm = require_system.executable("npm", install="apt-get install npm")
    try:
        return core_pyodide(PYODIDE_VERSION, tmp_path_factory.mktemp("pyodide"), npm=npm)
    except Exception as error:  # npm registry or PyPI unreachable
        require_system("pyodide", f"cannot assemble Pyodide {PYODIDE_VERSION}: {error}")


@pytest.fixture(scope="module")
def offline_site(build_env: Path, core_archive: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> LiteSite:
    """The intranet build: the Pyodide archive bundled into the site."""
    work = tmp_path_factory.mktemp("lite-offline")
    return build_site(REPO, work / "site", work=work, env=ENV, pyodide=str(core_archive))


def _kernel_settings(site: LiteSite) -> dict[str, Any]:
    config = json.loads((site.path / "jupyter-lite.json").read_text())["jupyter-config-data"]
    return config["litePluginSettings"][KERNEL_SETTINGS]


# --- the build -----------------------------------------------------------------------


def test_default_build_uses_the_cdn_and_may_fall_back_to_pypi(online_site: LiteSite) -> None:
    settings = _kernel_settings(online_site)
    assert "pyodideUrl" not in settings  # the kernel's default: Pyodide's CDN
    assert online_site.pyodide.endswith(f"/v{PYODIDE_VERSION}/full/pyodide.mjs")
    assert settings["disablePyPIFallback"] is False
    assert not (online_site.path / "static" / "pyodide").exists()
    assert check_site(online_site.path) == []


def test_bundled_build_serves_pyodide_itself_without_pypi(offline_site: LiteSite) -> None:
    settings = _kernel_settings(offline_site)
    assert settings["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    assert settings["disablePyPIFallback"] is True
    assert offline_site.offline
    pyodide = offline_site.path / "static" / "pyodide"
    assert json.loads((pyodide / "package.json").read_text())["version"] == PYODIDE_VERSION
    assert (pyodide / "pyodide.asm.wasm").exists()
    assert check_site(offline_site.path) == []


def test_site_has_the_extensions_and_not_nbgrader(online_site: LiteSite) -> None:
    config = json.loads((online_site.path / "jupyter-lite.json").read_text())
    names = {ext["name"] for ext in config["jupyter-config-data"]["federated_extensions"]}
    assert names >= EXTENSIONS
    assert not [name for name in names if "nbgrader" in name]
    assert config["jupyter-config-data"]["appName"] == "Crosstalk"


def test_every_workshop_is_in_the_site_with_the_install_cell(
    online_site: LiteSite, workshops_at_build: dict[str, list[Any]]
) -> None:
    assert sorted(online_site.notebooks) == sorted(workshops_at_build)
    assert not (online_site.path / "files" / "FACILITATOR.md").exists()
    assert not (online_site.path / "files" / "team-lead-review.ipynb").exists()
    for name, cells in workshops_at_build.items():
        served = json.loads((online_site.path / "files" / name).read_text())
        assert INSTALL_TAG in served["cells"][0]["metadata"]["tags"]
        assert "%pip install crosstalk-kit" in served["cells"][0]["source"]
        assert served["cells"][1:] == cells, name


def test_the_kits_wheel_is_pure_python_with_browser_requirements(online_site: LiteSite) -> None:
    (wheel,) = (online_site.path / "pypi").glob("crosstalk_kit-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")
    requires = wheel_metadata(wheel).get("Requires-Dist", [])
    names = {normalize(re.split(r"[<>=!~; \[]", line, maxsplit=1)[0]) for line in requires}
    assert not names & SERVER_ONLY
    assert {"pandas", "numpy", "plotly", "ipywidgets"} <= names
    for name, version in FRONT_END.items():
        if normalize(name) in names:
            assert f"{name}=={version}" in requires or f"{normalize(name)}=={version}" in requires


def test_pinned_wheels_match_the_extensions_in_the_page(online_site: LiteSite) -> None:
    wheels = {normalize(p.name.split("-")[0]): p.name.split("-")[1]
              for p in (online_site.path / "pypi").glob("*.whl")}
    for name, version in FRONT_END.items():
        assert wheels[normalize(name)] == version
    # the page's plotly extension is the one built with that plotly
    plotly_ext = online_site.path / "extensions" / "jupyterlab-plotly" / "package.json"
    assert json.loads(plotly_ext.read_text())["version"] == FRONT_END["plotly"]


# --- in the browser ------------------------------------------------------------------


@pytest.fixture
def lite_page(browser: Any, offline_site: LiteSite) -> Iterator[tuple[Any, str]]:
    """A page and the base URL of the bundled-Pyodide site, served on 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.failed = failed
    with serving(offline_site.path) as base:
        try:
            yield page, base
        finally:
            context.close()


def _wait_idle(page: Any, timeout_ms: int = 120_000) -> None:
    page.wait_for_function(f"() => /{IDLE.pattern}/.test(({STATUS})())", timeout=timeout_ms,
                           polling=250)


def test_a_workshop_opens_in_the_site_with_its_stored_charts(lite_page: tuple[Any, str]) -> None:
    page, base = lite_page
    notebooks = workshop_notebooks()
    with_chart = next((p for p in notebooks if "application/vnd.plotly.v1+json"
                       in p.read_text()), notebooks[0])
    page.goto(f"{base}/lab/index.html?path={with_chart.name}")
    from playwright.sync_api import expect

    # The cell element is attached before its editor is filled: wait for the text itself.
    first = page.locator(".jp-Notebook .jp-Cell").first
    expect(first).to_contain_text("%pip install crosstalk-kit", timeout=60_000)
    html_outputs = page.locator(".jp-RenderedHTMLCommon.jp-OutputArea-output")
    html_outputs.first.wait_for(state="attached", timeout=30_000)
    texts = html_outputs.all_inner_texts()
    assert not [t for t in texts if t.lstrip().startswith(",,")], "lines shown joined by commas"
    if "application/vnd.plotly.v1+json" in with_chart.read_text():
        chart = page.locator(".jp-RenderedPlotly .plot-container svg.main-svg").first
        chart.wait_for(state="attached", timeout=30_000)
        chart.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "lite.png"))
    outside = [url for url in page.failed if not url.startswith(base)]
    assert not outside, f"the site asked for something outside itself: {outside}"


# (code typed into a new notebook, what its output must show)
CELLS: list[tuple[str, str]] = [
    ("import sys\nprint(sys.platform, *sys.version_info[:2])", "emscripten 3 14"),
    ("%pip install --no-deps crosstalk-kit\nfrom kit.urls import safe_normalize\n"
     "print('kit:', safe_normalize('HTTP://Example.COM:80/a/./b/../c'))",
     "kit: " + safe_normalize("HTTP://Example.COM:80/a/./b/../c")),
    ("%pip install ipywidgets plotly\nimport ipywidgets\n"
     "ipywidgets.IntSlider(value=3, description='weeks')", "weeks"),
    # plotly's own display needs nbformat -> jsonschema -> rpds-py (compiled; not here):
    # hand the page the figure's JSON as plotly's mime renderer does.
    ("import plotly.graph_objects as go\nfrom IPython.display import display\n"
     "fig = go.Figure(go.Bar(x=['kept', 'lost'], y=[0.9, 0.1]))\n"
     "display({'application/vnd.plotly.v1+json': fig.to_plotly_json()}, raw=True)", ""),
]


def test_a_pyodide_kernel_starts_and_runs_cells(lite_page: tuple[Any, str]) -> None:
    from playwright.sync_api import expect

    page, base = lite_page
    page.goto(f"{base}/lab/index.html")
    page.locator(".jp-LauncherCard", has_text="Python (Pyodide)").first.click()
    _wait_idle(page)
    for index, (code, expected) in enumerate(CELLS):
        cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
        cell.locator(".cm-content").click()
        page.keyboard.insert_text(code)
        page.keyboard.press("Shift+Enter")
        cell.locator(".jp-OutputArea-output").first.wait_for(timeout=60_000)
        _wait_idle(page)
        output = cell.locator(".jp-OutputArea")
        if expected:  # printed text may land after the first output element: wait for it
            expect(output).to_contain_text(expected, timeout=30_000)
        text = output.inner_text()
        assert "Traceback" not in text and "Error" not in text, f"cell {index}: {text[:600]}"
        assert expected in text, f"cell {index}: expected {expected!r}, got {text[:600]!r}"
    slider = page.locator(".jp-Notebook .jp-Cell").nth(2)
    assert slider.locator(".jupyter-widgets.widget-slider .noUi-handle").count() == 1
    chart = page.locator(".jp-Notebook .jp-Cell").nth(3)
    chart.locator(".jp-RenderedPlotly .plot-container svg.main-svg").first.wait_for(
        state="attached", timeout=30_000)
    assert chart.locator(".plot-container .main-svg .point, .plot-container .main-svg path"
                         ).count() > 0
    outside = [url for url in page.failed if not url.startswith(base)]
    assert not outside, f"the site asked for something outside itself: {outside}"
