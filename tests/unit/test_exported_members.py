"""Each package's public names are what its ``__all__`` says (as httpx tests its own).

For every package under ``kit/``: every name in ``__all__`` exists, and every public,
non-module attribute the package defines is in ``__all__``.  A lazy package
(:mod:`kit._lazy`) defines its names in its ``if TYPE_CHECKING:`` block, which its
``__dir__`` lists; ``TYPE_CHECKING`` and ``lazy_exports`` themselves are the machinery,
not exports.  Sub-modules are left out (``kit.seo.audit`` is a module, not a name of
``kit.seo``), and so are names starting with ``_``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

KIT = Path(__file__).resolve().parents[2] / "kit"
PACKAGES = sorted(
    ".".join(init.parent.relative_to(KIT.parent).parts) for init in KIT.rglob("__init__.py"))
MODULES = sorted(
    ".".join(path.relative_to(KIT.parent).with_suffix("").parts)
    for path in KIT.rglob("*.py") if path.name != "__init__.py")
MACHINERY = {"TYPE_CHECKING", "lazy_exports", "annotations"}
# `make test-lowest` installs the core only: a module needing an extra is skipped there, and
# fails everywhere else (see tests/unit/conftest.py).
CORE_ONLY = os.environ.get("CROSSTALK_CORE_ONLY", "") == "1"


@contextmanager
def extras_may_be_missing(name: str) -> Iterator[None]:
    try:
        yield
    except ModuleNotFoundError as error:
        if CORE_ONLY and not (error.name or "").startswith("kit"):
            pytest.skip(f"{name} needs {error.name}, from an extra the core-only run leaves out")
        raise


def public_members(package: ModuleType) -> set[str]:
    """Public, non-module names the package defines (its globals, and ``__dir__`` if lazy)."""
    names = set(vars(package)) | set(dir(package))
    found = set()
    for name in names:
        if name.startswith("_") or name in MACHINERY:
            continue
        if not isinstance(getattr(package, name), ModuleType):
            found.add(name)
    return found


def test_every_package_is_listed() -> None:
    assert {"kit", "kit.seo", "kit.course", "kit.lite", "kit.sites"} <= set(PACKAGES)


@pytest.mark.parametrize("name", PACKAGES)
def test_public_names_are_all(name: str) -> None:
    with extras_may_be_missing(name):
        package = importlib.import_module(name)
        exported = getattr(package, "__all__", None)
        assert exported is not None, f"{name} has no __all__"
        assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
        for member in exported:
            assert hasattr(package, member), f"{name}.__all__ names {member!r}, which is missing"
        assert set(exported) == public_members(package)


@pytest.mark.parametrize("name", MODULES)
def test_module_all_names_exist(name: str) -> None:
    """Modules say what they export too; each name in their ``__all__`` must be there."""
    with extras_may_be_missing(name):
        module = importlib.import_module(name)
    for member in getattr(module, "__all__", ()):
        assert hasattr(module, member), f"{name}.__all__ names {member!r}, which is missing"


def test_the_check_fails_on_an_extra_public_name(monkeypatch: pytest.MonkeyPatch) -> None:
    import kit.sites

    monkeypatch.setattr(kit.sites, "helper", lambda: None, raising=False)
    assert "helper" in public_members(kit.sites) - set(kit.sites.__all__)
