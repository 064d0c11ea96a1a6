"""mypy, strict on ``kit/``, as configured in pyproject.toml's ``[tool.mypy]``.

The modules not clean yet are listed there (``ignore_errors = true``); that list only
shrinks.  Skipped when mypy is not installed (it comes with the ``dev`` extra).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed: pip install -e '.[dev]' (the dev extra brings it)",
)


def test_kit_type_checks_strictly() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml")],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


def test_kit_ships_py_typed() -> None:
    """PEP 561: the marker is in kit/ and setuptools puts it in the wheel."""
    assert (REPO / "kit" / "py.typed").is_file()
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["kit"]
