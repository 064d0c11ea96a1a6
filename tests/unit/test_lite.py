"""kit.lite without a network: requirements for the browser, wheels, notebooks, site checks.

The real build and the site in Chromium are tested in tests/browser/test_lite_site.py.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.errors import InputError
from kit.lite import (
    BUILD_REQUIREMENTS,
    FRONT_END,
    INSTALL_TAG,
    PYODIDE_VERSION,
    check_site,
    lite_requirements,
    prepare_contents,
    prepare_notebook,
    retarget_wheel,
    serving,
    unmet_requirements,
)
from kit.lite.__main__ import main
from kit.lite.notebooks import is_learner_file, join_lines
from kit.lite.site import EXTENSIONS, KERNEL_SETTINGS, _clear, _pyodide_argument, site_config
from kit.lite.wheels import wheel_metadata

# --- requirements for the browser ----------------------------------------------------

REQUIREMENT_CASES = [
    # (line in the kit's METADATA, what the browser wheel requires; None: left out)
    ("pandas>=2.1", "pandas>=2.1"),
    ("numpy>=1.26", "numpy>=1.26"),
    ("ipywidgets<9,>=8.1", f"ipywidgets=={FRONT_END['ipywidgets']}"),
    ("plotly>=5.20", f"plotly=={FRONT_END['plotly']}"),
    ("anywidget>=0.9", f"anywidget=={FRONT_END['anywidget']}"),
    ("nbformat>=5.9", "nbformat>=5.9"),  # plotly's display checks for it
    ("jupyterlab<5,>=4.2", None),
    ("nbgrader<0.10,>=0.9.6", None),
    ("nbconvert>=7", None),
    ("psycopg[binary]>=3.1", None),
    ('pytest>=8; extra == "dev"', None),
    ('pywin32>=300; sys_platform == "win32"', None),
    ('tomli>=2; python_version < "3.11"', None),
    ('backports.zoneinfo; platform_system == "Emscripten"', "backports.zoneinfo"),
]


@pytest.mark.parametrize(("line", "expected"), REQUIREMENT_CASES)
def test_lite_requirements_rewrites_each_line(line: str, expected: str | None) -> None:
    assert lite_requirements([line]) == ([expected] if expected else [])


def test_lite_requirements_keeps_order_and_drops_repeats() -> None:
    lines = ["pandas>=2.1", "plotly>=5", "Pandas>=2.2", "scipy"]
    assert lite_requirements(lines) == ["pandas>=2.1", f"plotly=={FRONT_END['plotly']}", "scipy"]


def test_lite_requirements_refuses_garbage() -> None:
    with pytest.raises(ValueError, match="not a requirement"):
        lite_requirements(["pandas >>= 2"])


@pytest.mark.parametrize("name", sorted(FRONT_END))
def test_front_end_pins_are_what_the_kits_jupyterlab_runs(name: str) -> None:
    """The browser tests check these versions in JupyterLab; the site must ship the same."""
    installed = importlib.metadata.version(name)
    assert installed == FRONT_END[name], (
        f"the kit's venv has {name} {installed}, kit/lite/pins.py pins {FRONT_END[name]}: "
        "update the pin (and rebuild the site)"
    )


def test_build_requirements_pin_every_front_end_and_bring_no_grading() -> None:
    for name, version in FRONT_END.items():
        assert f"{name}=={version}" in BUILD_REQUIREMENTS
    assert not [r for r in BUILD_REQUIREMENTS if r.startswith(("nbgrader", "jupyterlab=="))]


# --- wheels ----------------------------------------------------------------------------

METADATA = (
    "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: old>=1\n"
    "Provides-Extra: dev\nRequires-Dist: pytest; extra == \"dev\"\n\n"
    "Requires-Dist: this line is the description, not a header\n"
)


def _wheel(folder: Path, metadata: str = METADATA, name: str = "demo-1.0-py3-none-any.whl"
           ) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    dist = name.split("-")[0] + "-" + name.split("-")[1]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("demo/__init__.py", "VALUE = 1\n")
        archive.writestr(f"{dist}.dist-info/METADATA", metadata)
        archive.writestr(f"{dist}.dist-info/WHEEL", "Wheel-Version: 1.0\nTag: py3-none-any\n")
        archive.writestr(f"{dist}.dist-info/RECORD", "")
    return path


def _record_ok(wheel: Path) -> bool:
    with zipfile.ZipFile(wheel) as archive:
        record = next(n for n in archive.namelist() if n.endswith("/RECORD"))
        for line in archive.read(record).decode().splitlines():
            name, digest, size = line.rsplit(",", 2)
            if name == record:
                continue
            data = archive.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            if digest != f"sha256={expected.decode()}" or int(size) != len(data):
                return False
    return True


def test_retarget_wheel_replaces_requirements_and_keeps_the_rest(tmp_path: Path) -> None:
    source = _wheel(tmp_path / "in")
    before = source.read_bytes()
    result = retarget_wheel(source, ["pandas>=2", "plotly==7.1.0"], tmp_path / "out")
    headers = wheel_metadata(result)
    assert headers["Requires-Dist"] == ["pandas>=2", "plotly==7.1.0"]
    assert "Provides-Extra" not in headers
    with zipfile.ZipFile(result) as archive:
        metadata = archive.read("demo-1.0.dist-info/METADATA").decode()
        assert metadata.endswith("\n\nRequires-Dist: this line is the description, not a header\n")
        assert archive.read("demo/__init__.py") == b"VALUE = 1\n"
    assert _record_ok(result)
    assert source.read_bytes() == before


def test_retarget_wheel_will_not_overwrite_its_source(tmp_path: Path) -> None:
    source = _wheel(tmp_path)
    with pytest.raises(ValueError, match="overwritten"):
        retarget_wheel(source, [], tmp_path)


_NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}", fullmatch=True)


@given(requires=st.lists(st.tuples(_NAMES, st.sampled_from(["", ">=1", "==2.0", "<3,>=1"])),
                         max_size=6))
def test_retarget_wheel_round_trips_any_requirements(
    tmp_path_factory: pytest.TempPathFactory, requires: list[tuple[str, str]]
) -> None:
    folder = tmp_path_factory.mktemp("wheel")
    lines = [name + spec for name, spec in requires]
    result = retarget_wheel(_wheel(folder / "in"), lines, folder / "out")
    assert wheel_metadata(result).get("Requires-Dist", []) == lines
    assert _record_ok(result)


def test_unmet_requirements_names_what_nothing_provides(tmp_path: Path) -> None:
    kit = _wheel(tmp_path, METADATA.replace(
        "Requires-Dist: old>=1\n",
        "Requires-Dist: helper>=1\nRequires-Dist: pandas\nRequires-Dist: widgetsnbextension\n"
        "Requires-Dist: missing-one\nRequires-Dist: pywin32; sys_platform == \"win32\"\n"),
        name="kit-1.0-py3-none-any.whl")
    helper = _wheel(tmp_path, METADATA.replace("old>=1", "Pandas"),
                    name="helper-1.0-py3-none-any.whl")
    unmet = unmet_requirements([kit, helper], available=["pandas", "numpy"])
    assert unmet == ["kit-1.0-py3-none-any.whl: missing-one"]


# --- notebooks -------------------------------------------------------------------------


def _notebook(minor: int = 5) -> dict[str, Any]:
    return {
        "nbformat": 4, "nbformat_minor": minor, "metadata": {},
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": ["# Title\n", "text"]},
            {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": 1,
             "source": ["x = 1\n", "x"],
             "outputs": [
                 {"output_type": "execute_result", "execution_count": 1, "metadata": {},
                  "data": {"text/html": ["<table>\n", "</table>"], "text/plain": ["1"],
                           "application/vnd.plotly.v1+json": {"data": [], "layout": {}},
                           "application/json": ["a", "b"]}},
                 {"output_type": "stream", "name": "stdout", "text": ["one\n", "two\n"]},
             ]},
        ],
    }


def test_prepare_notebook_adds_the_install_cell_once() -> None:
    original = _notebook()
    once = prepare_notebook(original)
    twice = prepare_notebook(once)
    assert once == twice
    first = once["cells"][0]
    assert first["cell_type"] == "code" and first["metadata"]["tags"] == [INSTALL_TAG]
    assert first["source"].splitlines()[-1] == "%pip install crosstalk-kit"
    assert [c.get("id") for c in once["cells"]] == [INSTALL_TAG, "a", "b"]
    assert original["cells"][0]["source"] == ["# Title\n", "text"]  # not mutated
    nbformat.validate(nbformat.from_dict(once))


def test_prepare_notebook_joins_lines_but_not_json() -> None:
    cells = prepare_notebook(_notebook())["cells"]
    assert cells[1]["source"] == "# Title\ntext"
    result, stream = cells[2]["outputs"]
    assert result["data"]["text/html"] == "<table>\n</table>"
    assert result["data"]["application/json"] == ["a", "b"]
    assert result["data"]["application/vnd.plotly.v1+json"] == {"data": [], "layout": {}}
    assert stream["text"] == "one\ntwo\n"
    assert join_lines({"cells": []}) == {"cells": []}


def test_prepare_notebook_old_minor_gets_no_cell_id_and_nbformat_3_is_refused() -> None:
    assert "id" not in prepare_notebook(_notebook(minor=4))["cells"][0]
    with pytest.raises(ValueError, match="nbformat 4"):
        prepare_notebook({"nbformat": 3, "worksheets": []})


@pytest.mark.parametrize(("name", "included"), [
    ("01-redirects.ipynb", True),
    ("00-welcome.ipynb", True),
    ("06-capstone.ipynb", True),
    ("team-lead-review.ipynb", False),
    ("scratch.ipynb", False),
    ("FACILITATOR.md", False),
    ("redirects.csv", True),
    ("site.json", True),
])
def test_learner_files(name: str, included: bool) -> None:
    assert is_learner_file(name) is included


def test_prepare_contents_copies_the_learners_part(tmp_path: Path) -> None:
    workshops = tmp_path / "workshops"
    (workshops / "data").mkdir(parents=True)
    (workshops / ".ipynb_checkpoints").mkdir()
    for name in ("01-a.ipynb", "team-lead-review.ipynb", ".ipynb_checkpoints/01-a.ipynb"):
        (workshops / name).write_text(json.dumps(_notebook()))
    (workshops / "FACILITATOR.md").write_text("# guide")
    (workshops / "data" / "map.csv").write_text("source,target\n")
    written = prepare_contents(workshops, tmp_path / "out")
    assert [p.name for p in written] == ["01-a.ipynb"]
    files = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*")
                   if p.is_file())
    assert files == ["01-a.ipynb", "data/map.csv"]


# --- the site --------------------------------------------------------------------------


def test_site_config_switches_pypi_off_only_offline() -> None:
    for offline in (True, False):
        config = site_config(offline=offline)["jupyter-config-data"]
        assert config["litePluginSettings"][KERNEL_SETTINGS] == {"disablePyPIFallback": offline}


def _fake_site(root: Path, *, extensions: set[str] = EXTENSIONS, bundled: bool = False,
               pyodide_version: str = PYODIDE_VERSION, drop_wheel: str = "") -> Path:
    """The files check_site reads, as a real build lays them out."""
    settings: dict[str, Any] = {"pipliteUrls": ["./pypi/all.json?sha256=0"],
                                "disablePyPIFallback": bundled}
    if bundled:
        settings["pyodideUrl"] = "./static/pyodide/pyodide.mjs"
        pyodide = root / "static" / "pyodide"
        pyodide.mkdir(parents=True)
        (pyodide / "package.json").write_text(json.dumps({"version": pyodide_version}))
        (pyodide / "pyodide-lock.json").write_text(json.dumps(
            {"info": {"python": "3.14.2"},
             "packages": {n: {} for n in ("pandas", "numpy", "ipython", "traitlets")}}))
    config = {"jupyter-config-data": {
        "federated_extensions": [{"name": name} for name in sorted(extensions)],
        "litePluginSettings": {KERNEL_SETTINGS: settings}}}
    root.mkdir(parents=True, exist_ok=True)
    (root / "jupyter-lite.json").write_text(json.dumps(config))
    schema = (root / "extensions/@jupyterlite/pyodide-kernel-extension/static/schema"
              / "kernel.v0.schema.json")
    schema.parent.mkdir(parents=True)
    schema.write_text(json.dumps({"properties": {"pyodideUrl": {
        "default": f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/pyodide.mjs"}}}))
    kit_requires = "".join(f"Requires-Dist: {name}=={version}\n"
                           for name, version in FRONT_END.items()) + "Requires-Dist: pandas\n"
    wheels = {"crosstalk_kit": ("0.1.0", kit_requires)}
    wheels |= {name.replace("-", "_"): (version, "") for name, version in FRONT_END.items()}
    for name, (version, requires) in wheels.items():
        if name != drop_wheel:
            _wheel(root / "pypi", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                   f"{requires}\n", name=f"{name}-{version}-py3-none-any.whl")
    (root / "files").mkdir()
    (root / "files" / "01-a.ipynb").write_text(json.dumps(prepare_notebook(_notebook())))
    (root / "files" / "02-b.ipynb").write_text(json.dumps(_notebook()))
    return root


def test_check_site_passes_a_sound_site(tmp_path: Path) -> None:
    assert check_site(_fake_site(tmp_path / "a"), ["01-a.ipynb"]) == []
    assert check_site(_fake_site(tmp_path / "b", bundled=True), ["01-a.ipynb"]) == []


@pytest.mark.parametrize(("change", "problem"), [
    ({"extensions": EXTENSIONS - {"jupyterlab-plotly"}}, "extension jupyterlab-plotly is missing"),
    ({"extensions": EXTENSIONS | {"@jupyter/nbgrader"}}, "grading is not offered"),
    ({"drop_wheel": "crosstalk_kit"}, "the kit's wheel is not in pypi/"),
    ({"drop_wheel": "ipywidgets"}, "pypi/ has ipywidgets None"),
    ({"bundled": True, "pyodide_version": "0.1.0"}, "the bundled Pyodide is 0.1.0"),
])
def test_check_site_names_each_problem(tmp_path: Path, change: dict[str, Any],
                                       problem: str) -> None:
    problems = check_site(_fake_site(tmp_path, **change), ["01-a.ipynb"])
    assert any(problem in p for p in problems), problems


def test_check_site_wants_every_notebook_with_its_install_cell(tmp_path: Path) -> None:
    problems = check_site(_fake_site(tmp_path), ["01-a.ipynb", "02-b.ipynb", "03-c.ipynb"])
    assert problems == ["notebook 02-b.ipynb does not start with the install cell",
                        "notebook 03-c.ipynb is missing from files/"]


def test_check_site_without_config(tmp_path: Path) -> None:
    assert check_site(tmp_path) == [f"{tmp_path / 'jupyter-lite.json'} is missing"]


def test_check_command_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(_fake_site(tmp_path / "ok"))]) == 0
    assert "sound" in capsys.readouterr().out
    assert main(["check", str(_fake_site(tmp_path / "bad", extensions=set()))]) == 1


@pytest.mark.parametrize(("value", "message"), [
    ("missing/pyodide.tar.bz2", "no such file or folder"),
    ("pyodide.zip", "expected a .tar.bz2 archive or a folder"),
])
def test_pyodide_option_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   value: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyodide.zip").write_text("")
    with pytest.raises(InputError, match=message):
        _pyodide_argument(value)


def test_pyodide_option_accepts_urls_folders_and_archives(tmp_path: Path) -> None:
    url = "https://example.org/pyodide-314.0.6.tar.bz2"
    assert _pyodide_argument(url) == url
    (tmp_path / "p.tar.bz2").write_text("")
    assert _pyodide_argument(str(tmp_path / "p.tar.bz2")) == str(tmp_path / "p.tar.bz2")
    assert _pyodide_argument(str(tmp_path)) == str(tmp_path)


def test_output_folder_is_only_cleared_when_it_is_a_previous_site(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("keep me")
    with pytest.raises(InputError, match="not a previous JupyterLite build"):
        _clear(tmp_path / "mine", "jupyter-lite.json")
    assert (tmp_path / "mine" / "thesis.txt").exists()
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "jupyter-lite.json").write_text("{}")
    _clear(tmp_path / "old", "jupyter-lite.json")
    assert not (tmp_path / "old").exists()


def test_serving_gives_modules_and_webassembly_their_mime_types(tmp_path: Path) -> None:
    (tmp_path / "jupyter-lite.json").write_text("{}")
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "a.whl"):
        (tmp_path / name).write_bytes(b"x")
    with serving(tmp_path) as base:
        types = {}
        for name in ("pyodide.mjs", "pyodide.asm.wasm", "a.whl"):
            with urllib.request.urlopen(f"{base}/{name}") as answer:
                types[name] = answer.headers["Content-Type"]
    assert types == {"pyodide.mjs": "text/javascript", "pyodide.asm.wasm": "application/wasm",
                     "a.whl": "application/zip"}


def test_serving_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make lite"), serving(tmp_path):
        pass
