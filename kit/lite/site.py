"""Build and check the zero-install version: a static JupyterLite site of ``workshops/``.

:func:`build_site` does what ``make lite`` does:

1. a build environment (its own venv, so the kit's JupyterLab stays free of JupyterLite's
   extensions) with JupyterLite and exactly the widget and chart extensions of
   :data:`~kit.lite.pins.FRONT_END` — and no nbgrader: grading is not offered;
2. the piplite wheels: the kit (pure Python, browser requirements) and the pinned wheels;
3. the notebooks, each starting with a cell that installs the kit;
4. ``jupyter lite build``, with Pyodide from its public CDN (the kernel's default) or,
   with ``pyodide=``, a Pyodide distribution copied into the site for use without
   internet; then PyPI is switched off and every requirement must be met by the site;
5. :func:`check_site` on the result.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.errors import InputError
from kit.lite.notebooks import INSTALL_TAG, prepare_contents
from kit.lite.pins import (
    BUILD_REQUIREMENTS,
    FRONT_END,
    PYODIDE_ENVIRONMENT,
    PYODIDE_VERSION,
    normalize,
    piplite_specs,
)
from kit.lite.wheels import download_wheels, kit_wheel, unmet_requirements

__all__ = [
    "EXTENSIONS",
    "LiteSite",
    "build_site",
    "check_site",
    "ensure_build_env",
    "kernel_pyodide_version",
    "site_config",
]

KERNEL_SETTINGS = "@jupyterlite/pyodide-kernel-extension:kernel"
# The JupyterLab extensions the site must carry (and nbgrader's must not).
EXTENSIONS = frozenset({
    "@jupyterlite/pyodide-kernel-extension",
    "@jupyter-widgets/jupyterlab-manager",
    "jupyterlab-plotly",
    "anywidget",
})
_STAMP = ".crosstalk-lite-requirements"
_KERNEL_SCHEMA = (
    "extensions/@jupyterlite/pyodide-kernel-extension/static/schema/kernel.v0.schema.json"
)


@dataclass(frozen=True)
class LiteSite:
    """A built site: where it is and what it holds."""

    path: Path
    notebooks: tuple[str, ...]
    wheels: tuple[str, ...]
    pyodide: str = field(default="")  # the pyodideUrl the kernel uses
    offline: bool = False  # Pyodide bundled, PyPI switched off

    def __str__(self) -> str:
        where = ("Pyodide bundled in the site (no internet needed)" if self.offline
                 else f"Pyodide from {self.pyodide}")
        return (f"JupyterLite site in {self.path}: {len(self.notebooks)} notebooks "
                f"({', '.join(self.notebooks)}), {len(self.wheels)} wheels; {where}.")


def ensure_build_env(env: Path, *, python: str = sys.executable) -> Path:
    """The build environment's Python: a venv in ``env`` with
    :data:`~kit.lite.pins.BUILD_REQUIREMENTS`, (re)installed when they change."""
    wanted = "\n".join(BUILD_REQUIREMENTS) + "\n"
    env_python = env / "bin" / "python"
    stamp = env / _STAMP
    if env_python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return env_python
    if not env_python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
    done = subprocess.run(
        [str(env_python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
         *BUILD_REQUIREMENTS], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise InputError(f"installing JupyterLite into {env} failed", [tail],
                         hint="Check that the package index is reachable (pip).")
    stamp.write_text(wanted)
    return env_python


def site_config(*, offline: bool) -> dict[str, Any]:
    """The ``jupyter-lite.json`` given to the build.

    Offline (Pyodide bundled), the kernel must not fall back to PyPI: every package comes
    from the site.  Online it may, for anything a learner installs on top.
    """
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Crosstalk",
            "litePluginSettings": {KERNEL_SETTINGS: {"disablePyPIFallback": offline}},
        },
    }


def _pyodide_argument(pyodide: str) -> str:
    if re.match(r"^https?://", pyodide):
        return pyodide
    path = Path(pyodide).expanduser().resolve()
    if not path.exists():
        raise InputError(f"PYODIDE={pyodide}: no such file or folder",
                         hint="Give the Pyodide distribution you downloaded "
                              "(pyodide-<version>.tar.bz2, or its unpacked pyodide/ folder).")
    if path.is_file() and not path.name.endswith(".tar.bz2"):
        raise InputError(f"PYODIDE={pyodide}: expected a .tar.bz2 archive or a folder")
    return str(path)


def _clear(folder: Path, marker: str) -> None:
    """Remove ``folder`` if it is empty or holds ``marker`` (a previous build's output)."""
    if not folder.exists():
        return
    if any(folder.iterdir()) and not (folder / marker).exists():
        raise InputError(f"{folder} is not empty and is not a previous JupyterLite build",
                         hint="Choose an empty or new output folder.")
    shutil.rmtree(folder)


def build_site(repo: Path, out: Path, *, work: Path, pyodide: str | None = None,
               env: Path | None = None, python: str = sys.executable) -> LiteSite:
    """Build the site of ``repo/workshops`` into ``out``.

    ``work`` keeps the staging files and, unless ``env`` says elsewhere, the build
    environment (``work/env``).  ``pyodide``: a Pyodide distribution (``.tar.bz2``, folder
    or URL) to bundle; default: Pyodide's public CDN.  Raises InputError with
    :func:`check_site`'s problems if the result is not sound."""
    repo, out, work = repo.resolve(), out.resolve(), work.resolve()
    pyodide_arg = _pyodide_argument(pyodide) if pyodide else None
    env_python = ensure_build_env(env or work / "env", python=python)
    staging = work / "staging"
    if staging.exists():
        shutil.rmtree(staging)
    lite_dir, contents, wheels_dir = staging / "lite", staging / "contents", staging / "wheels"
    lite_dir.mkdir(parents=True)
    (lite_dir / "jupyter-lite.json").write_text(
        json.dumps(site_config(offline=pyodide_arg is not None), indent=2) + "\n")
    notebooks = prepare_contents(repo / "workshops", contents)
    if not notebooks:
        raise InputError(f"no notebooks in {repo / 'workshops'}")
    wheels = [kit_wheel(repo, wheels_dir, python=python),
              *download_wheels(piplite_specs(), wheels_dir / "pinned", python=python)]
    _clear(out, "jupyter-lite.json")
    command = [str(env_python), "-m", "jupyterlite_core", "build",
               "--lite-dir", str(lite_dir), "--contents", str(contents),
               "--output-dir", str(out), "--apps", "lab",
               "--no-sourcemaps", "--no-unused-shared-packages"]
    for wheel in wheels:
        command += ["--piplite-wheels", str(wheel)]
    if pyodide_arg:
        command += ["--pyodide", pyodide_arg]
    log = staging / "build.log"
    with log.open("w") as stream:
        done = subprocess.run(command, cwd=staging, stdout=stream, stderr=subprocess.STDOUT,
                              check=False)
    if done.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-20:]
        raise InputError(f"jupyter lite build failed (exit {done.returncode}); log: {log}", tail)
    problems = check_site(out, [p.name for p in notebooks])
    if problems:
        raise InputError(f"the JupyterLite site in {out} is not sound", problems)
    config = _settings(out)
    return LiteSite(path=out, notebooks=tuple(sorted(p.name for p in notebooks)),
                    wheels=tuple(sorted(p.name for p in (out / "pypi").glob("*.whl"))),
                    pyodide=config.get("pyodideUrl", _default_pyodide_url(out)),
                    offline=bool(config.get("disablePyPIFallback")))


def _settings(site: Path) -> dict[str, Any]:
    config: dict[str, Any] = json.loads((site / "jupyter-lite.json").read_text())
    settings: dict[str, Any] = config["jupyter-config-data"].get(
        "litePluginSettings", {}).get(KERNEL_SETTINGS, {})
    return settings


def _default_pyodide_url(site: Path) -> str:
    schema = json.loads((site / _KERNEL_SCHEMA).read_text())
    return str(schema["properties"]["pyodideUrl"]["default"])


def kernel_pyodide_version(site: Path) -> str:
    """The Pyodide version the site's kernel was made for (from its default CDN URL)."""
    found = re.search(r"/v([0-9][^/]*)/full/", _default_pyodide_url(site))
    if not found:
        raise ValueError(f"no Pyodide version in {_default_pyodide_url(site)}")
    return found.group(1)


def _wheel_versions(site: Path) -> dict[str, str]:
    versions = {}
    for wheel in (site / "pypi").glob("*.whl"):
        name, version = wheel.name.split("-")[:2]
        versions[normalize(name)] = version
    return versions


def check_site(site: Path, notebooks: list[str] | None = None) -> list[str]:
    """What is wrong with the built site in ``site``, one sentence each (empty: sound).

    Checks: the config and its extensions (kernel, widgets, plotly, anywidget; no
    nbgrader), the bundled wheels and their pinned versions, every notebook present and
    starting with the install cell, and — when Pyodide is bundled — its version against
    the kernel's, and that the site and Pyodide meet every requirement of the wheels.
    """
    config_path = site / "jupyter-lite.json"
    if not config_path.exists():
        return [f"{config_path} is missing"]
    problems: list[str] = []
    data = json.loads(config_path.read_text())["jupyter-config-data"]
    names = {ext["name"] for ext in data.get("federated_extensions", [])}
    problems += [f"extension {name} is missing" for name in sorted(EXTENSIONS - names)]
    problems += [f"extension {name} is in the site: grading is not offered there"
                 for name in sorted(names) if "nbgrader" in name]
    settings = _settings(site)
    if not any(url.startswith("./pypi/all.json") for url in settings.get("pipliteUrls", [])):
        problems.append("the kernel does not know the site's wheels (pipliteUrls)")
    if kernel_pyodide_version(site) != PYODIDE_VERSION:
        problems.append(f"the kernel runs Pyodide {kernel_pyodide_version(site)}, "
                        f"kit.lite.pins.PYODIDE_VERSION says {PYODIDE_VERSION}: update the pin")
    versions = _wheel_versions(site)
    if "crosstalk-kit" not in versions:
        problems.append("the kit's wheel is not in pypi/")
    for name, version in FRONT_END.items():
        if versions.get(normalize(name)) != version:
            problems.append(f"pypi/ has {name} {versions.get(normalize(name))}, "
                            f"the page's extension needs {version}")
    for name in notebooks or []:
        path = site / "files" / name
        if not path.exists():
            problems.append(f"notebook {name} is missing from files/")
            continue
        cells = json.loads(path.read_text()).get("cells", [])
        if not cells or INSTALL_TAG not in cells[0].get("metadata", {}).get("tags", []):
            problems.append(f"notebook {name} does not start with the install cell")
    lock_path = site / "static" / "pyodide" / "pyodide-lock.json"
    if settings.get("pyodideUrl"):
        if not lock_path.exists():
            return [*problems, f"pyodideUrl is {settings['pyodideUrl']} but {lock_path} is missing"]
        lock = json.loads(lock_path.read_text())
        package = lock_path.parent / "package.json"
        bundled = json.loads(package.read_text()).get("version") if package.exists() else None
        expected = kernel_pyodide_version(site)
        if bundled != expected:
            problems.append(f"the bundled Pyodide is {bundled or 'of unknown version'} "
                            f"(its package.json); the kernel needs {expected}")
        python = lock.get("info", {}).get("python", "")
        if not python.startswith(PYODIDE_ENVIRONMENT["python_version"] + "."):
            problems.append(f"the bundled Pyodide runs Python {python or '?'}; the wheels "
                            f"were chosen for {PYODIDE_ENVIRONMENT['python_version']}")
        if not settings.get("disablePyPIFallback"):
            problems.append("Pyodide is bundled but the kernel may still fall back to PyPI")
        problems += [f"unmet in the browser: {line}" for line in unmet_requirements(
            sorted((site / "pypi").glob("*.whl")), lock.get("packages", {}).keys())]
    return problems
