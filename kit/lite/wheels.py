"""The wheels of the JupyterLite site: the kit's own, rewritten for the browser, and the
pinned pure-Python wheels it needs there.

:func:`kit_wheel` builds the kit as a pure-Python wheel and :func:`retarget_wheel` gives
it the requirements of :func:`~kit.lite.pins.lite_requirements`.  :func:`download_wheels`
fetches ``py3-none-any`` wheels for Pyodide's Python with pip.  :func:`unmet_requirements`
says which requirements neither the bundled wheels nor a Pyodide distribution provide.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from email.parser import HeaderParser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import parse_wheel_filename

from kit.errors import InputError
from kit.lite.pins import PYODIDE_ENVIRONMENT, lite_requirements, normalize

__all__ = [
    "KERNEL_PROVIDED",
    "download_wheels",
    "kit_wheel",
    "retarget_wheel",
    "unmet_requirements",
    "wheel_metadata",
]

# Served by jupyterlite-pyodide-kernel itself (its own piplite index).
KERNEL_PROVIDED = frozenset({"ipykernel", "piplite", "pyodide-kernel", "widgetsnbextension"})
_PIP = ("--disable-pip-version-check", "--no-input")


def _dist_info(names: Iterable[str]) -> str:
    folders = {name.split("/", 1)[0] for name in names if ".dist-info/" in name}
    if len(folders) != 1:
        raise ValueError(f"expected one .dist-info folder, found {sorted(folders)}")
    return folders.pop()


def wheel_metadata(wheel: Path) -> dict[str, list[str]]:
    """The METADATA headers of ``wheel``, each as a list of values."""
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"{_dist_info(archive.namelist())}/METADATA").decode("utf-8")
    message = HeaderParser().parsestr(text)
    headers: dict[str, list[str]] = {}
    for key, value in message.items():
        headers.setdefault(key, []).append(value)
    return headers


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def retarget_wheel(wheel: Path, requires: Iterable[str], into: Path) -> Path:
    """Copy ``wheel`` into ``into`` with ``Requires-Dist`` replaced by ``requires``.

    ``Provides-Extra`` lines go too (no extras in the browser); the RECORD gets the new
    METADATA's hash, so installers accept the result.  Returns the new wheel's path.
    """
    into.mkdir(parents=True, exist_ok=True)
    target = into / wheel.name
    if target.resolve() == wheel.resolve():
        raise ValueError(f"{wheel} would be overwritten: choose another folder")
    with zipfile.ZipFile(wheel) as source:
        names = source.namelist()
        info = _dist_info(names)
        metadata_name, record_name = f"{info}/METADATA", f"{info}/RECORD"
        text = source.read(metadata_name).decode("utf-8")
        header, blank, body = text.partition("\n\n")
        lines = [line for line in header.split("\n")
                 if not line.startswith(("Requires-Dist:", "Provides-Extra:"))]
        lines += [f"Requires-Dist: {line}" for line in requires]
        metadata = ("\n".join(lines) + blank + body).encode("utf-8")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            record: list[str] = []
            for name in names:
                if name == record_name:
                    continue
                data = metadata if name == metadata_name else source.read(name)
                original = source.getinfo(name)
                entry = zipfile.ZipInfo(name, date_time=original.date_time)
                entry.external_attr = original.external_attr
                out.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
                record.append(_record_line(name, data))
            record.append(f"{record_name},,")
            out.writestr(record_name, "\n".join(record) + "\n")
    return target


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise InputError(f"{what} failed (exit {done.returncode}): {' '.join(command)}",
                         [tail], hint="Check that the package index is reachable (pip).")


def kit_wheel(repo: Path, into: Path, *, python: str = sys.executable) -> Path:
    """Build the kit (``repo``'s pyproject.toml) as a wheel for the browser, in ``into``.

    The source is copied to a temporary folder first, so the build writes nothing into
    the repository.  The wheel's requirements are :func:`~kit.lite.pins.lite_requirements`.
    """
    with tempfile.TemporaryDirectory(prefix="crosstalk-kit-wheel-") as temp:
        source, built = Path(temp) / "src", Path(temp) / "dist"
        source.mkdir()
        for name in ("pyproject.toml", "README.md"):
            if (repo / name).exists():
                shutil.copy2(repo / name, source / name)
        shutil.copytree(repo / "kit", source / "kit",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        if (repo / "share").is_dir():  # pyproject's data files (JupyterLab settings)
            shutil.copytree(repo / "share", source / "share")
        _run([python, "-m", "pip", "wheel", *_PIP, "--quiet", "--no-deps",
              "--wheel-dir", str(built), str(source)], "building the kit's wheel")
        (wheel,) = built.glob("*.whl")
        name, _, _, tags = parse_wheel_filename(wheel.name)
        if not any(tag.abi == "none" and tag.platform == "any" for tag in tags):
            raise InputError(f"{wheel.name} is not a pure-Python wheel",
                             hint="The browser can only install py3-none-any wheels.")
        requires = wheel_metadata(wheel).get("Requires-Dist", [])
        return retarget_wheel(wheel, lite_requirements(requires), into)


def download_wheels(
    specs: Iterable[str], into: Path, *, python: str = sys.executable
) -> list[Path]:
    """Download the pure-Python wheel of each ``name==version`` in ``specs`` (no deps)."""
    specs = list(specs)
    into.mkdir(parents=True, exist_ok=True)
    version = PYODIDE_ENVIRONMENT["python_version"]
    _run([python, "-m", "pip", "download", *_PIP, "--quiet", "--no-deps",
          "--only-binary=:all:", "--implementation", "py", "--abi", "none",
          "--platform", "any", "--python-version", version, "--dest", str(into), *specs],
         "downloading the wheels for the browser")
    found = {normalize(parse_wheel_filename(p.name)[0]): p for p in into.glob("*.whl")}
    wanted = [normalize(Requirement(spec).name) for spec in specs]
    missing = [name for name in wanted if name not in found]
    if missing:
        raise InputError("pip did not download a pure-Python wheel for: " + ", ".join(missing))
    return [found[name] for name in wanted]


def unmet_requirements(wheels: Iterable[Path], available: Iterable[str]) -> list[str]:
    """Requirements of ``wheels`` that neither the wheels themselves, ``available`` (the
    packages of a Pyodide distribution) nor the kernel's own index provide.

    Each entry reads ``"<wheel>: <requirement>"``.  Only names are compared: a Pyodide
    lock lists its packages whether or not their files were shipped with it.
    """
    wheels = list(wheels)
    provided = {normalize(parse_wheel_filename(p.name)[0]) for p in wheels}
    provided |= {normalize(name) for name in available} | KERNEL_PROVIDED
    unmet: list[str] = []
    for wheel in wheels:
        for line in wheel_metadata(wheel).get("Requires-Dist", []):
            requirement = Requirement(line)
            env: Mapping[str, str] = {**PYODIDE_ENVIRONMENT, "extra": ""}
            if requirement.marker is not None and not requirement.marker.evaluate(env):
                continue
            if normalize(requirement.name) not in provided:
                unmet.append(f"{wheel.name}: {line}")
    return unmet
