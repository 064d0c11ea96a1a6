"""The zero-install version: a static JupyterLite site of the workshops (``make lite``).

The kit runs in the browser on Pyodide, installed from a pure-Python wheel the site
carries, with ipywidgets and plotly pinned to the extensions in the page.  Grading
(nbgrader) is not offered there.  See :mod:`kit.lite.site` for the steps.
"""

from kit.lite.notebooks import INSTALL_TAG, prepare_contents, prepare_notebook
from kit.lite.pins import (
    BUILD_REQUIREMENTS,
    FRONT_END,
    PIPLITE_EXTRA,
    PYODIDE_VERSION,
    lite_requirements,
)
from kit.lite.serve import serving
from kit.lite.site import LiteSite, build_site, check_site, kernel_pyodide_version
from kit.lite.wheels import retarget_wheel, unmet_requirements

__all__ = [
    "BUILD_REQUIREMENTS",
    "FRONT_END",
    "INSTALL_TAG",
    "PIPLITE_EXTRA",
    "PYODIDE_VERSION",
    "LiteSite",
    "build_site",
    "check_site",
    "kernel_pyodide_version",
    "lite_requirements",
    "prepare_contents",
    "prepare_notebook",
    "retarget_wheel",
    "serving",
    "unmet_requirements",
]
