"""What goes into the JupyterLite site, and at which versions.

Two sides must agree in a notebook that shows widgets and charts: the Python package in
the kernel (here: a piplite wheel, installed in the browser) and its JupyterLab extension
(here: copied into the site from the build environment).  :data:`FRONT_END` pins both
sides to the versions the kit's JupyterLab runs with, which the browser tests check
(``tests/browser``); ``tests/unit/test_lite.py`` fails when the kit's venv moves on and
these pins stay behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import cast

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement

__all__ = [
    "BUILD_REQUIREMENTS",
    "FRONT_END",
    "JUPYTERLITE",
    "PIPLITE_EXTRA",
    "PYODIDE_ENVIRONMENT",
    "PYODIDE_VERSION",
    "SERVER_ONLY",
    "lite_requirements",
    "normalize",
    "piplite_specs",
]

# JupyterLite itself.  jupyterlite-pyodide-kernel 0.8.7 needs a jupyterlite-core that the
# package index does not serve; 0.8.6 runs Pyodide 314.0.6.  jupyter-server indexes the
# notebooks (``--contents``).
JUPYTERLITE: dict[str, str] = {
    "jupyterlite-core": "0.8.6",
    "jupyterlite-pyodide-kernel": "0.8.6",
}
# The Pyodide that kernel runs (its default CDN URL); a bundled distribution must match.
PYODIDE_VERSION = "314.0.6"

# Python packages whose JupyterLab extension renders their output: same version in the
# kernel (piplite wheel) and in the page (the extension from the build environment).
FRONT_END: dict[str, str] = {
    "ipywidgets": "8.1.9",
    "jupyterlab-widgets": "3.0.17",  # the @jupyter-widgets/jupyterlab-manager extension
    "plotly": "7.1.0",  # the jupyterlab-plotly mime extension
    "anywidget": "0.11.0",  # plotly's FigureWidget is an anywidget
}

# Pure-Python wheels the kernel needs that Pyodide's distribution does not carry: comm
# (the kernel's own widget channel), psygnal (anywidget), nbformat with its pure
# dependencies (plotly's display checks for it; jsonschema comes from Pyodide), and w3lib
# (the kit's HTML decoder).
PIPLITE_EXTRA: dict[str, str] = {
    "comm": "0.2.3",
    "psygnal": "0.16.1",
    "nbformat": "5.11.1",
    "fastjsonschema": "2.22.3",
    "jupyter-core": "5.9.1",
    # the page table's HTML decoder (kit.pages.decode): 2.5.0, the last release without
    # a dependency (2.6.0 needs frostwork, which Pyodide does not carry)
    "w3lib": "2.5.0",
}

BUILD_REQUIREMENTS: tuple[str, ...] = (
    *(f"{name}=={version}" for name, version in JUPYTERLITE.items()),
    "jupyter-server>=2.4",
    *(f"{name}=={version}" for name, version in FRONT_END.items()),
)

# Requirements of the kit that belong to the server side (the Jupyter server, grading,
# the gradebook database): the browser version offers no grading, so they are left out.
SERVER_ONLY = frozenset({"jupyterlab", "nbgrader", "nbconvert", "psycopg"})

# The interpreter a Pyodide kernel is: markers are evaluated for it, not for this machine.
PYODIDE_ENVIRONMENT: dict[str, str] = {
    **cast("dict[str, str]", default_environment()),
    "implementation_name": "cpython",
    "os_name": "posix",
    "platform_machine": "wasm32",
    "platform_system": "Emscripten",
    "sys_platform": "emscripten",
    "python_version": "3.14",
    "python_full_version": "3.14.2",
}


def normalize(name: str) -> str:
    """A distribution name as package indexes compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _applies(requirement: Requirement) -> bool:
    """True for a requirement the browser kernel needs: the core and the ``workshop`` extra
    (widgets and charts; the browser runs the workshops), with a marker true there."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**PYODIDE_ENVIRONMENT, "extra": extra})
               for extra in ("", "workshop"))


def lite_requirements(requires: Iterable[str], pins: Mapping[str, str] = FRONT_END) -> list[str]:
    """The kit's ``Requires-Dist`` lines, rewritten for the browser.

    Extras other than ``workshop`` (``course``, ``dev``, ``bench`` …) and requirements whose
    marker is false in Pyodide go;
    :data:`SERVER_ONLY` packages go; packages in ``pins`` become ``name==version`` so the
    kernel installs exactly the version of the extension in the page; everything else
    keeps its range (Pyodide's distribution provides numpy, pandas, scipy, …).
    Raises ``ValueError`` on a line that is not a requirement.
    """
    wanted = {normalize(name): version for name, version in pins.items()}
    result: list[str] = []
    seen: set[str] = set()
    for line in requires:
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            raise ValueError(f"not a requirement: {line!r} ({error})") from None
        name = normalize(requirement.name)
        if not _applies(requirement) or name in SERVER_ONLY or name in seen:
            continue
        seen.add(name)
        requirement.marker = None
        if name in wanted:
            requirement.specifier = type(requirement.specifier)(f"=={wanted[name]}")
            requirement.extras = set()
        result.append(str(requirement))
    return result


def piplite_specs() -> list[str]:
    """``name==version`` of every wheel bundled next to the kit's own."""
    return [f"{name}=={version}" for name, version in {**FRONT_END, **PIPLITE_EXTRA}.items()]
