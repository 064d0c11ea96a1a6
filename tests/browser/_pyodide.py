"""A core-only Pyodide distribution for the JupyterLite tests, made from npm and PyPI.

The npm ``pyodide`` package is Pyodide's core (interpreter, standard library, lock file)
without the package wheels its lock lists.  The kernel needs a few pure-Python ones
(micropip, IPython and its dependencies, jedi); :func:`core_pyodide` downloads exactly
the lock's versions from PyPI, writes their real sha256 into the lock (Pyodide rebuilds
some wheels, so PyPI's files differ from its own) and packs ``pyodide/`` as a
``.tar.bz2``, the form in which a company would hand its own full distribution to
``make lite PYODIDE=…``.  numpy, pandas & co. have no WebAssembly wheel reachable here:
they stay listed in the lock, without files.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tarfile
from pathlib import Path

from kit.lite.pins import normalize
from kit.lite.wheels import download_wheels

# What the kernel loads at start (micropip, ipython, jedi) and what the bundled
# ipywidgets and plotly import from Pyodide in the tests.
ROOTS = ("micropip", "ipython", "jedi", "traitlets", "packaging", "typing-extensions",
         "narwhals")


def lock_closure(packages: dict[str, dict], roots: tuple[str, ...] = ROOTS) -> list[str]:
    """The lock entries ``roots`` need, following the lock's ``depends`` lists."""
    keys = {normalize(key): key for key in packages}
    seen: dict[str, str] = {}
    todo = [normalize(root) for root in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen[name] = keys[name]
        todo += [normalize(dep) for dep in packages[keys[name]].get("depends", [])]
    return sorted(seen.values())


def core_pyodide(version: str, into: Path, *, npm: str = "npm") -> Path:
    """``into/pyodide-core-<version>.tar.bz2``: the npm core plus the kernel's wheels."""
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "pack", f"pyodide@{version}", "--silent", "--pack-destination",
                    str(into)], check=True, capture_output=True, text=True)
    folder = into / "pyodide"
    with tarfile.open(into / f"pyodide-{version}.tgz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("package/")]
        for member in members:
            member.name = "pyodide/" + member.name.removeprefix("package/")
        archive.extractall(into, members=members, filter="data")
    lock_path = folder / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text())
    names = lock_closure(lock["packages"])
    entries = [lock["packages"][name] for name in names]
    not_pure = [e["file_name"] for e in entries if not e["file_name"].endswith("-none-any.whl")]
    if not_pure:
        raise RuntimeError(f"the kernel would need compiled wheels: {not_pure}")
    wheels = download_wheels([f"{e['name']}=={e['version']}" for e in entries], into / "wheels")
    for entry, wheel in zip(entries, wheels, strict=True):
        data = wheel.read_bytes()
        (folder / wheel.name).write_bytes(data)
        entry["file_name"] = wheel.name
        entry["sha256"] = hashlib.sha256(data).hexdigest()
    lock_path.write_text(json.dumps(lock))
    archive_path = into / f"pyodide-core-{version}.tar.bz2"
    with tarfile.open(archive_path, "w:bz2") as archive:
        archive.add(folder, arcname="pyodide")
    return archive_path
