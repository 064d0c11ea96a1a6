"""The ``crosstalk`` entry point: starts without the heavy libraries, names missing extras."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kit.cli import EXTRAS, build_parser, missing_extra

HEAVY = ("pandas", "numpy", "scipy", "sklearn", "nbformat", "nbgrader", "jsonschema",
         "plotly", "ipywidgets", "lxml")


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)


def test_help_imports_no_heavy_library() -> None:
    """``crosstalk --help`` builds every command's parser without pandas & co."""
    result = _run("import sys, kit.cli; kit.cli.build_parser(); "
                  f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("argv, code, needs", [
    (["utm", "build", "https://shop.example/", "--source", "google", "--medium", "cpc",
      "--campaign", "spring"], 0, ()),
    (["launch", "readiness", "--it-joins", "at launch"], 1, ("pandas",)),  # 1: late IT
])
def test_a_core_command_imports_only_what_it_uses(argv: list[str], code: int,
                                                   needs: tuple[str, ...]) -> None:
    result = _run("import sys, contextlib, io, kit.cli\n"
                  "with contextlib.redirect_stdout(io.StringIO()):\n"
                  f"    code = kit.cli.main({argv!r})\n"
                  "print(code, sorted(m for m in ('nbformat', 'nbgrader', 'plotly', "
                  "'ipywidgets', 'sklearn', 'pandas') if m in sys.modules))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 1) == [str(code), f"{sorted(needs)!r}\n"]


def test_every_command_is_registered() -> None:
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert {"redirects", "seo", "sitemap", "duplicates", "utm", "channels", "launch",
            "exercises", "notebooks", "handout", "course", "collect", "grade", "feedback",
            "report", "demo-cohort"} <= commands


def test_a_missing_extra_is_named_with_its_install_line() -> None:
    """Where nbformat is not installed, a course command says which extra brings it."""
    result = _run("import sys; sys.modules['nbformat'] = None\n"
                  "from kit.cli import main\n"
                  "raise SystemExit(main(['report', 'no-such-course']))")
    assert result.returncode == 2
    assert "needs the 'course' extra" in result.stderr
    assert "pip install 'crosstalk-kit[course]'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("module, extra", sorted(EXTRAS.items()))
def test_missing_extra_maps_each_optional_package(module: str, extra: str) -> None:
    assert missing_extra(ModuleNotFoundError(name=f"{module}.sub")) == extra


def test_a_missing_core_package_is_not_blamed_on_an_extra() -> None:
    assert missing_extra(ModuleNotFoundError(name="pandas")) is None
