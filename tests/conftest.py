"""Shared test helpers: only the ``require_system`` fixture lives here.

System tests (``tests/system/``) drive real components: nginx, Chromium, PostgreSQL,
JupyterHub.  When a component is missing the test is *skipped* with a reason that says
what to install, so a laptop without nginx still gets a green run.  CI installs the
components and sets ``CROSSTALK_REQUIRE_SYSTEM=1``: then a missing component *fails*
the test, so a broken CI image cannot pass by skipping everything.

Usage (the fixture is session-scoped, so module- and session-scoped fixtures can use it)::

    def test_something(require_system):
        nginx = require_system.executable("nginx", install="apt-get install nginx")
        ...
        if not server_started:
            require_system("postgres", "could not connect to localhost:5432")

Keep this file to that one fixture: other folders define their own fixtures and
conftest files, and names registered here are visible to every test.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

try:
    from hypothesis import settings
except ImportError:  # hypothesis is a dev dependency; make test-lowest installs it too
    settings = None

if settings is not None:
    # Tests never assert a time (speed is measured in benchmarks/): hypothesis' default
    # 200 ms deadline per example would fail property tests on a loaded machine or under
    # pytest-xdist, where a slow example says nothing about the code.
    settings.register_profile("crosstalk", deadline=None)
    settings.load_profile("crosstalk")

REQUIRE_ENV = "CROSSTALK_REQUIRE_SYSTEM"
_SBIN_DIRS = ("/usr/sbin", "/usr/local/sbin", "/sbin")


def system_required() -> bool:
    """True when ``CROSSTALK_REQUIRE_SYSTEM`` is ``1`` (or ``true``/``yes``)."""
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in {"1", "true", "yes"}


class RequireSystem:
    """Skip, or fail under ``CROSSTALK_REQUIRE_SYSTEM=1``, when a component is missing."""

    def __call__(self, component: str, reason: str) -> NoReturn:
        """Stop the test: ``component`` is unavailable because of ``reason``.

        ``reason`` should say what is missing and how to get it, e.g.
        ``"no nginx binary; apt-get install nginx"``.
        """
        __tracebackhide__ = True  # report the caller's line, not this one
        message = f"system component {component!r} unavailable: {reason}"
        if system_required():
            pytest.fail(
                f"{message} ({REQUIRE_ENV}=1, so this fails instead of skipping)", pytrace=False
            )
        pytest.skip(f"{message} (set {REQUIRE_ENV}=1 to make this a failure)")

    def executable(self, name: str, *, install: str, component: str | None = None) -> str:
        """Absolute path of program ``name`` (PATH, then the sbin directories), or stop.

        ``install`` is the hint shown when it is missing, e.g. ``"apt-get install nginx"``.
        """
        __tracebackhide__ = True
        path = shutil.which(name) or shutil.which(name, path=os.pathsep.join(_SBIN_DIRS))
        if path is None:
            self(component or name, f"no {name!r} executable on PATH or in sbin; {install}")
        return path


@pytest.fixture(scope="session")
def require_system() -> RequireSystem:
    """Helper to skip (or, with ``CROSSTALK_REQUIRE_SYSTEM=1``, fail) on a missing component."""
    return RequireSystem()
