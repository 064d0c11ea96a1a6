"""Drive the kit's JupyterLab in headless Chromium and read what the page shows.

:func:`start_lab` starts JupyterLab the way ``make lab`` does (course root as root dir,
the venv's ``bin/`` first on PATH, ``--allow-root`` as root, loopback only), on a free
port with a token, with ``window.jupyterapp`` exposed and its own settings and workspace
folders.  :func:`open_notebook` and :func:`run_all` open a notebook and run it through
JupyterLab's own command; :func:`inspect_outputs` pairs every output of the notebook
model with its DOM node, and :func:`output_problems` turns that into sentences (a widget
shown as its text repr, a chart without SVG, an error).  :func:`operate_widgets` clicks
or moves one control per widget and says which ones changed no chart or table.

Nothing here asserts: tests do, so the self-test in ``test_lab_checks.py`` can show that
each check fails on a notebook made to fail it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
STDERR_MIME = "application/vnd.jupyter.stderr"

# Chromium must stay on 127.0.0.1: it calls Google services even on about:blank.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)
VIEWPORT = {"width": 1280, "height": 960}

# JupyterLab settings for a quiet, reproducible page: no news pop-up, no update check.
_LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def chromium_executable() -> str | None:
    """Debian's Chromium (or ``$CROSSTALK_CHROMIUM``), or None when there is none."""
    override = os.environ.get("CROSSTALK_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_course(into: Path, source: Path = REPO) -> Path:
    """Copy what ``make lab`` serves (workshops, solutions, nbgrader config) into ``into``.

    The browser runs and saves notebooks there, formgrader writes its gradebook there:
    the committed files are never touched.
    """
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for folder in ("workshops", "solutions"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, into / folder, ignore=ignore)
    shutil.copy2(source / "nbgrader_config.py", into / "nbgrader_config.py")
    return into


def workshop_notebooks(root: Path = REPO) -> list[Path]:
    """Every workshop notebook in ``root/workshops``: new modules are picked up as they land."""
    return sorted(p for p in (root / "workshops").glob("*.ipynb") if p.is_file())


# --- the server ----------------------------------------------------------------------


@dataclass
class LabServer:
    """A running JupyterLab: its base URL, token, root and log."""

    base_url: str
    token: str
    root: Path
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def url(self, path: str = "lab", **query: str) -> str:
        """``base_url/path?token=…`` plus ``query`` (values may be empty: ``reset=""``)."""
        parts = [f"{key}={quote(value)}" if value else key for key, value in query.items()]
        parts.append(f"token={self.token}")
        return f"{self.base_url}/{path.lstrip('/')}?{'&'.join(parts)}"

    def notebook_url(self, relative: str) -> str:
        """The page that opens ``relative`` (a path under the root) in a fresh workspace."""
        return self.url(f"lab/tree/{quote(relative)}", reset="")

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server log, for failure messages."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server and its kernels (its own process group only)."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def _write_settings(settings_dir: Path) -> None:
    for name, values in _LAB_SETTINGS.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def start_lab(root: Path, state: Path, *, timeout: float = 90.0) -> LabServer:
    """Start JupyterLab on ``root`` as ``make lab`` does; its settings, workspaces and
    runtime files go to ``state``.  Returns once ``/api/status`` answers."""
    bin_dir = Path(sys.executable).parent
    settings, workspaces, runtime = state / "settings", state / "workspaces", state / "runtime"
    for folder in (settings, workspaces, runtime):
        folder.mkdir(parents=True, exist_ok=True)
    _write_settings(settings)
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    env.update(JUPYTER_PREFER_ENV_PATH="1", JUPYTER_RUNTIME_DIR=str(runtime))
    command = [
        str(bin_dir / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        "--port-retries=0", f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={workspaces}",
        "--LabApp.default_url=/lab/tree/workshops",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = state / "jupyterlab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited ({process.returncode}):\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url("api/status"), timeout=2) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{server.log_tail()}")


@contextmanager
def running_lab(root: Path, state: Path) -> Iterator[LabServer]:
    """:func:`start_lab`, stopped on exit."""
    server = start_lab(root, state)
    try:
        yield server
    finally:
        server.stop()


# --- a notebook in the page ----------------------------------------------------------

_CURRENT = "window.jupyterapp && window.jupyterapp.shell.currentWidget"

_JS_OPENED = f"""(path) => {{
  const w = {_CURRENT};
  return !!(w && w.context && w.context.path === path && w.sessionContext
            && w.sessionContext.session && w.sessionContext.session.kernel
            && w.sessionContext.session.kernel.status === 'idle');
}}"""

_JS_RUN_ALL = """async () => {
  const app = window.jupyterapp;
  app.shell.collapseLeft();
  app.shell.collapseRight();
  return await app.commands.execute('notebook:run-all-cells');
}"""

_JS_IDLE = f"""() => {{
  const w = {_CURRENT};
  const kernel = w && w.sessionContext.session && w.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  return !w.content.widgets.some(c => c.model.type === 'code' && c.promptNode
                                      && c.promptNode.textContent.includes('*'));
}}"""

# Every output of the notebook model, next to what its DOM node shows.  Each output node
# gets a data-crosstalk-output="cell-output" attribute so Playwright can find it again.
_JS_OUTPUTS = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const rows = [];
  nb.widgets.forEach((cell, c) => {
    if (cell.model.type !== 'code') return;
    const outputs = cell.model.outputs;
    for (let j = 0; j < outputs.length; j++) {
      const model = outputs.get(j);
      const child = cell.outputArea.widgets[j];
      const node = child ? child.node.querySelector('.jp-OutputArea-output') : null;
      const all = s => node ? [...node.querySelectorAll(s)] : [];
      const self = s => node && node.matches(s) ? [node, ...all(s)] : all(s);
      if (node) node.setAttribute('data-crosstalk-output', `${c}-${j}`);
      const data = model.data || {};
      rows.push({
        cell: c, output: j, type: model.type, mimes: Object.keys(data),
        plain: typeof data['text/plain'] === 'string' ? data['text/plain'] : '',
        ename: model.type === 'error' ? String(model.toJSON().ename || '') : '',
        found: !!node,
        dom_mime: node ? node.getAttribute('data-mime-type') : null,
        text: node ? node.innerText.slice(0, 400) : '',
        widget_views: all('.jupyter-widgets').length,
        widget_parts: all('[class*="widget-"]').length,
        controls: all('button, input, select, textarea, .noUi-handle').length,
        widget_errors: all('.jupyter-widgets.widget-error, .widget-error').length
                       + (node && /Error displaying widget/.test(node.innerText) ? 1 : 0),
        rendered_plotly: !!node && node.classList.contains('jp-RenderedPlotly'),
        plots: self('.js-plotly-plot').map(p => p.querySelectorAll(
          '.plot-container svg.main-svg path, .plot-container svg.main-svg .point').length),
      });
    }
  });
  return rows;
}"""

# Every text that shows an error in the page, whatever the model says.
_JS_DOM_ERRORS = f"""() => [...document.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]')]
  .map(n => n.innerText).filter(t => /Traceback|\\b[A-Za-z]*Error\\b|\\bException\\b/.test(t))
  .map(t => t.slice(0, 400))"""

# What a control can change: chart paths and labels, tables, HTML and Output widgets.
_JS_SNAPSHOT = f"""() => {{
  const root = {_CURRENT}.content.node;
  const pick = (s, f) => [...root.querySelectorAll('.jp-OutputArea-output ' + s)].map(f);
  return JSON.stringify([
    pick('svg path', n => n.getAttribute('d')),
    pick('svg text', n => n.textContent),
    pick('table', n => n.innerText),
    pick('.widget-html-content', n => n.innerText),
    pick('.widget-output', n => n.innerText),
  ]);
}}"""


@dataclass(frozen=True)
class Output:
    """One output of a notebook cell: what the kernel sent and what the page shows."""

    cell: int
    output: int
    type: str
    mimes: tuple[str, ...]
    plain: str
    ename: str
    found: bool
    dom_mime: str | None
    text: str
    widget_views: int
    widget_parts: int
    controls: int
    widget_errors: int
    rendered_plotly: bool
    plots: tuple[int, ...]

    @property
    def where(self) -> str:
        """``cell 7 output 0`` (cells counted from 0, as in the notebook model)."""
        return f"cell {self.cell} output {self.output}"

    @property
    def selector(self) -> str:
        """CSS selector of this output's node in the page."""
        return f'[data-crosstalk-output="{self.cell}-{self.output}"]'

    @property
    def is_widget(self) -> bool:
        return WIDGET_MIME in self.mimes

    @property
    def is_plotly(self) -> bool:
        return PLOTLY_MIME in self.mimes


def open_notebook(page: Any, lab: LabServer, relative: str, *, timeout: float = 120.0) -> None:
    """Open ``relative`` in a fresh workspace and wait for its kernel to be idle."""
    page.goto(lab.notebook_url(relative))
    page.wait_for_function(_JS_OPENED, arg=relative, timeout=timeout * 1000, polling=250)


def run_all(page: Any, *, timeout: float = 300.0) -> bool:
    """Run All Cells (JupyterLab's command) and wait until the kernel is idle again.

    Returns what the command returns: False when a cell failed and the run stopped.
    """
    page.set_default_timeout(timeout * 1000)
    try:
        finished = bool(page.evaluate(_JS_RUN_ALL))
        page.wait_for_function(_JS_IDLE, timeout=timeout * 1000, polling=250)
    finally:
        page.set_default_timeout(30_000)
    return finished


def inspect_outputs(page: Any) -> list[Output]:
    """Every output of the current notebook with what its DOM node shows."""
    rows = page.evaluate(_JS_OUTPUTS)
    return [Output(**{**row, "mimes": tuple(row["mimes"]), "plots": tuple(row["plots"])})
            for row in rows]


def _rendered(output: Output) -> bool:
    """Whether the page has drawn this output (widgets as controls, charts as SVG)."""
    if output.is_widget and not (output.widget_views and output.widget_parts):
        return False
    if output.is_plotly and not (output.rendered_plotly and output.plots):
        return False
    return all(output.plots)


def wait_for_rendering(page: Any, *, timeout: float = 30.0) -> list[Output]:
    """Poll :func:`inspect_outputs` until every widget and chart is drawn, or time out.

    Widget views and plotly charts render after the kernel is idle; this gives them
    ``timeout`` seconds and returns the last inspection either way.
    """
    deadline = time.monotonic() + timeout
    while True:
        outputs = inspect_outputs(page)
        if all(_rendered(o) and not o.widget_errors for o in outputs) or (
            time.monotonic() > deadline
        ):
            return outputs
        page.wait_for_timeout(250)


def output_problems(outputs: Iterable[Output]) -> list[str]:
    """What a learner would see go wrong, one sentence per problem (empty when all is well)."""
    problems: list[str] = []
    for out in outputs:
        if not out.found:
            problems.append(f"{out.where}: in the notebook model but not in the page")
            continue
        if out.type == "error":
            problems.append(f"{out.where}: error output {out.ename}: {out.text[:200]!r}")
        elif out.dom_mime == STDERR_MIME and "Traceback" in out.text:
            problems.append(f"{out.where}: a traceback on stderr: {out.text[:200]!r}")
        if out.is_widget:
            if out.widget_errors:
                problems.append(f"{out.where}: the widget failed to render: {out.text[:200]!r}")
            elif not (out.widget_views and out.widget_parts):
                problems.append(
                    f"{out.where}: a widget shown as text, not as controls: {out.text[:120]!r}"
                )
        if out.is_plotly and not (out.rendered_plotly and out.plots):
            problems.append(f"{out.where}: a plotly chart without its SVG plot")
        problems.extend(
            f"{out.where}: plotly chart {k} drew nothing (no SVG paths)"
            for k, drawn in enumerate(out.plots) if not drawn
        )
    return problems


def dom_errors(page: Any) -> list[str]:
    """Texts of stderr outputs in the page that look like errors (tracebacks, *Error)."""
    return list(page.evaluate(_JS_DOM_ERRORS))


def snapshot(page: Any) -> str:
    """What the controls can change, as one string: chart paths and labels, tables, HTML."""
    return str(page.evaluate(_JS_SNAPSHOT))


# --- operating the controls ----------------------------------------------------------

# (what, CSS selector inside a widget output, how): the first match is operated.
CONTROLS: tuple[tuple[str, str, str], ...] = (
    ("toggle buttons", ".widget-toggle-buttons button:not(.mod-active)", "click"),
    ("dropdown", ".widget-dropdown select", "select"),
    ("slider", ".widget-slider .noUi-handle", "keys"),
    ("radio buttons", ".widget-radio-box input:not(:checked)", "click"),
    ("checkbox", ".widget-checkbox input[type=checkbox]", "click"),
    ("toggle button", "button.widget-toggle-button:not(.widget-toggle-buttons *)", "click"),
    ("button", "button.widget-button:not(.widget-toggle-button)", "click"),
    ("text box", ".widget-text input[type=text]", "type"),
)


@dataclass(frozen=True)
class Operation:
    """One control operated in one widget output, and whether the page changed."""

    where: str
    control: str
    changed: bool


def _operate(page: Any, control: Any, how: str) -> None:
    if how == "click":
        control.click()
    elif how == "select":
        values = control.evaluate("s => [...s.options].map(o => o.value)")
        current = control.evaluate("s => s.value")
        others = [v for v in values if v != current]
        if others:
            control.select_option(others[0])
    elif how == "keys":
        now = float(control.get_attribute("aria-valuenow") or 0)
        top = float(control.get_attribute("aria-valuemax") or 0)
        control.focus()
        key = "ArrowRight" if now < top else "ArrowLeft"
        for _ in range(3):
            page.keyboard.press(key)
    elif how == "type":
        control.fill(control.input_value() + "x")
        control.press("Enter")
    else:  # pragma: no cover - CONTROLS only names the kinds above
        raise ValueError(how)


def operate_widgets(page: Any, outputs: Iterable[Output], *,
                    timeout: float = 20.0) -> list[Operation]:
    """For each widget output with a known control, operate it once and wait for a change.

    The change is looked for in the whole notebook (a control may drive a chart in another
    cell).  Widgets without any known control (display-only) are not in the result.
    """
    done: list[Operation] = []
    for out in outputs:
        if not out.is_widget:
            continue
        area = page.locator(out.selector)
        for name, selector, how in CONTROLS:
            control = area.locator(selector)
            if control.count() == 0:
                continue
            before = snapshot(page)
            control.first.scroll_into_view_if_needed()
            _operate(page, control.first, how)
            deadline = time.monotonic() + timeout
            changed = False
            while time.monotonic() < deadline:
                page.wait_for_timeout(250)
                if snapshot(page) != before:
                    changed = True
                    break
            done.append(Operation(out.where, name, changed))
            break
    return done


# --- screenshots ---------------------------------------------------------------------


def screenshot(page: Any, path: Path, outputs: Iterable[Output]) -> Path:
    """Screenshot the viewport with the first widget (else chart, else output) at the top."""
    outputs = list(outputs)
    first = next((o for o in outputs if o.is_widget), None) or next(
        (o for o in outputs if o.is_plotly), None) or (outputs[0] if outputs else None)
    if first is not None:
        page.evaluate(
            """(index) => {
              const nb = window.jupyterapp.shell.currentWidget.content;
              nb.activeCellIndex = index;
              nb.widgets[index].node.scrollIntoView({block: 'start'});
            }""",
            first.cell,
        )
        page.wait_for_timeout(500)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path


def close_notebook(page: Any) -> None:
    """Shut the current notebook's kernel down (frees memory for the next notebook)."""
    page.evaluate(
        f"""async () => {{
          const w = {_CURRENT};
          if (w && w.sessionContext) await w.sessionContext.shutdown();
        }}"""
    )
