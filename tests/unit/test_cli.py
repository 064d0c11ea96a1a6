"""The ``crosstalk`` entry point: starts without the heavy libraries, names missing extras."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from kit.cli import EXTRAS, build_parser, main, missing_extra
from kit.cli_options import BASE_URL_HELP, DEPRECATED_BASE_URL, FORMATS

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
            "report", "demo-cohort", "schedule", "lite"} <= commands


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


# --- one convention: shared options, one name for the site, crosstalk lite ---------------------


def _leaf_parsers() -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found[prefix] = parser
        for action in subs:
            for name, child in action.choices.items():
                walk(child, f"{prefix} {name}".strip())

    walk(build_parser(), "")
    return found


LEAVES = _leaf_parsers()
# --out that is not "write the result to FILE": a folder, or an HTML report with its CSV.
OWN_OUT = {"lite build", "report"}


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action | None:
    return next((a for a in parser._actions if flag in a.option_strings), None)


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_out_and_format_are_the_shared_options(name: str) -> None:
    """Every command that writes a result takes --out (and --format) from kit.cli_options."""
    parser = LEAVES[name]
    out = _option(parser, "--out")
    if out is None or name in OWN_OUT:
        return
    group = next(g for g in parser._action_groups if out in g._group_actions)
    assert group.title == "output", name
    assert out.help and out.help.startswith("write ") and "to FILE instead of stdout" in out.help
    fmt = _option(parser, "--format")
    if fmt is not None:
        assert fmt in group._group_actions, name
        assert fmt.choices == FORMATS or name == "redirects export", (name, fmt.choices)


def test_commands_that_write_a_result_have_out() -> None:
    writers = {name for name, parser in LEAVES.items() if _option(parser, "--format")}
    assert writers <= {name for name, parser in LEAVES.items() if _option(parser, "--out")}


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_the_site_is_called_base_url_everywhere(name: str, capsys) -> None:
    parser = LEAVES[name]
    base = _option(parser, "--base-url")
    if base is not None:
        assert base.help and base.help.startswith(BASE_URL_HELP + ": "), (name, base.help)
    for old in DEPRECATED_BASE_URL:
        action = _option(parser, old)
        assert action is None or (action.help == argparse.SUPPRESS and action.dest == "base_url")
    parser.print_help()
    shown = capsys.readouterr().out
    assert "--origin" not in shown and "--site " not in shown, name


@pytest.mark.parametrize(("argv", "old"), [
    (["redirects", "audit", "{map}", "--origin", "https://example.com"], "--origin"),
    (["duplicates", "find", "{pages}", "--origin", "https://example.com"], "--origin"),
    (["utm", "lint", "{sheet}", "--site", "shop.example"], "--site"),
    (["channels", "classify", "{sessions}", "--site", "shop.example"], "--site"),
])
def test_old_names_of_base_url_still_work_with_a_note(argv: list[str], old: str, tmp_path,
                                                      capsys) -> None:
    files = {"map": "source,target\n/a,/b\n", "pages": "url,text\nhttps://example.com/a,x y z\n",
             "sheet": "url\nhttps://shop.example/?utm_source=a&utm_medium=b&utm_campaign=c\n",
             "sessions": "source,medium\ngoogle,cpc\n"}
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    code = main([arg.format(**paths) for arg in argv])
    new_code = main([arg.format(**paths) if arg != old else "--base-url" for arg in argv])
    err = capsys.readouterr().err
    assert code == new_code != 2  # the same run: utm lint finds its internal tag either way
    assert err.count(f"crosstalk: note: {old} is deprecated; use --base-url (same meaning).") \
        == 1


def test_python_m_kit_lite_is_crosstalk_lite(tmp_path) -> None:
    """The Makefile's `python -m kit.lite` runs the same commands (and exit codes)."""
    missing = str(tmp_path / "no-site")
    old = subprocess.run([sys.executable, "-m", "kit.lite", "check", missing],
                         capture_output=True, text=True, check=False, timeout=120)
    new = subprocess.run([sys.executable, "-m", "kit.cli", "lite", "check", missing],
                         capture_output=True, text=True, check=False, timeout=120)
    assert old.returncode == new.returncode == 2
    assert old.stderr == new.stderr and "not a built JupyterLite site" in old.stderr
    assert "Traceback" not in old.stderr
    usage = subprocess.run([sys.executable, "-m", "kit.lite", "--help"], capture_output=True,
                           text=True, check=False, timeout=120)
    assert usage.returncode == 0 and usage.stdout.startswith("usage: crosstalk lite")
    assert all(verb in usage.stdout for verb in ("build", "check", "serve"))
