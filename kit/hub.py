"""The pieces of a Crosstalk cohort on JupyterHub that are not JupyterHub's own job.

``deploy/jupyterhub/jupyterhub_config.py`` reads its settings with :func:`hub_settings`
and calls the functions below; they are plain functions so the unit tests reach them
without a running hub:

* :func:`cohort_groups`: the learners' and graders' JupyterHub groups, named the way
  nbgrader's JupyterHub auth plugin expects (``nbgrader-<course>``, ``formgrade-<course>``);
* :func:`cohort_roles`: the JupyterHub 5+ roles and scopes of nbgrader's multi-grader setup;
* :func:`write_shared_config`: the nbgrader (exchange) and Jupyter server settings every
  single-user server and the formgrader read through ``JUPYTER_CONFIG_PATH``;
* :func:`prepare_home`: the workshops copied into a learner's home at first login, and the
  learner's nbgrader identity (``CourseDirectory.student_id``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.errors import InputError

__all__ = [
    "HubSettings",
    "cohort_groups",
    "cohort_roles",
    "hub_settings",
    "prepare_home",
    "write_shared_config",
]

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
LEARNER_NOTEBOOKS = ("[0-9][0-9]-*.ipynb",)
"""Workshop notebooks a learner gets (``team-lead-review.ipynb`` stays with the team lead)."""


def _names(text: str, what: str) -> list[str]:
    names = [part.strip().lower() for part in re.split(r"[,\s]+", text or "") if part.strip()]
    bad = [name for name in names if not _NAME.match(name)]
    if bad:
        raise InputError(f"{what}: {', '.join(map(repr, bad))} cannot be JupyterHub user "
                         "names here (lowercase letters, digits, _ . - only).",
                         hint="Use the learner ids of the roster.")
    return sorted(set(names))


@dataclass(frozen=True)
class HubSettings:
    """Everything the hub config takes from the environment (see :func:`hub_settings`)."""

    state: Path
    course_dir: Path
    exchange: Path
    homes: Path
    workshops: Path
    course_id: str = "crosstalk"
    gradebook_url: str | None = None
    demo: bool = False
    spawner: str = "simple"
    bind_url: str = "http://127.0.0.1:8000"
    hub_port: int = 8081
    proxy_api_port: int = 8001
    formgrader_port: int = 9999
    learners: list[str] = field(default_factory=list)
    graders: list[str] = field(default_factory=list)
    admins: list[str] = field(default_factory=list)
    api_token: str | None = None

    @property
    def shared_config(self) -> Path:
        """Folder on every server's ``JUPYTER_CONFIG_PATH`` (exchange settings)."""
        return self.state / "jupyter-config"

    @property
    def learner_config(self) -> Path:
        """Folder on learners' ``JUPYTER_CONFIG_PATH`` only (grader tools switched off)."""
        return self.state / "jupyter-config-learner"


def hub_settings(env: Mapping[str, str] | None = None, *,
                 repo: Path | None = None) -> HubSettings:
    """Read the ``CROSSTALK_*`` environment variables (defaults for a server install).

    ``CROSSTALK_HUB_STATE`` (default ``/srv/crosstalk``) holds the hub's database, cookie
    secret, the course, the exchange and (simple spawner) the homes; the other folders
    default to sub-folders of it.  ``CROSSTALK_GRADEBOOK_URL`` is the gradebook's
    SQLAlchemy URL (PostgreSQL); it may be left out only with ``CROSSTALK_DEMO=1``.
    """
    env = os.environ if env is None else env
    repo = repo or Path(__file__).resolve().parents[1]
    state = Path(env.get("CROSSTALK_HUB_STATE", "/srv/crosstalk")).resolve()
    demo = env.get("CROSSTALK_DEMO", "").strip().lower() in {"1", "true", "yes"}
    url = env.get("CROSSTALK_GRADEBOOK_URL", "").strip() or None
    if url is None and not demo:
        raise InputError("CROSSTALK_GRADEBOOK_URL is not set: the cohort's gradebook needs a "
                         "database server.",
                         hint="Set it to e.g. postgresql+psycopg://grader:PASSWORD@db/grades "
                              "(or CROSSTALK_DEMO=1 to try the hub with SQLite).")

    def port(name: str, default: int) -> int:
        value = env.get(name, str(default)).strip()
        if not value.isdigit() or not 0 < int(value) < 65536:
            raise InputError(f"{name}={value!r} is not a port number.")
        return int(value)

    return HubSettings(
        state=state,
        course_dir=Path(env.get("CROSSTALK_COURSE_DIR", state / "course")).resolve(),
        exchange=Path(env.get("CROSSTALK_EXCHANGE", state / "exchange")).resolve(),
        homes=Path(env.get("CROSSTALK_HOMES", state / "home")).resolve(),
        workshops=Path(env.get("CROSSTALK_WORKSHOPS", repo / "workshops")).resolve(),
        gradebook_url=url,
        demo=demo,
        spawner=env.get("CROSSTALK_SPAWNER", "simple").strip() or "simple",
        bind_url=env.get("CROSSTALK_HUB_URL", "http://127.0.0.1:8000").strip(),
        hub_port=port("CROSSTALK_HUB_API_PORT", 8081),
        proxy_api_port=port("CROSSTALK_PROXY_API_PORT", 8001),
        formgrader_port=port("CROSSTALK_FORMGRADER_PORT", 9999),
        learners=_names(env.get("CROSSTALK_LEARNERS", ""), "CROSSTALK_LEARNERS"),
        graders=_names(env.get("CROSSTALK_GRADERS", ""), "CROSSTALK_GRADERS"),
        admins=_names(env.get("CROSSTALK_ADMINS", ""), "CROSSTALK_ADMINS"),
        api_token=env.get("CROSSTALK_API_TOKEN", "").strip() or None,
    )


def cohort_groups(course_id: str, learners: Iterable[str], graders: Iterable[str],
                  roster: Path | None = None) -> dict[str, dict[str, Any]]:
    """``JupyterHub.load_groups``: learners in ``nbgrader-<course>``, graders in
    ``formgrade-<course>``.  Learner ids of the course's ``roster.csv`` join the learners.

    The graders' group also holds ``grader-<course>``, the hub user the formgrader service
    acts as (nbgrader's auth plugin looks the service's ``JUPYTERHUB_USER`` up in the hub).
    """
    names = set(learners)
    if roster is not None and roster.is_file():
        from kit.course.coursedir import read_roster

        names |= {str(name).lower() for name in read_roster(roster)["learner_id"]}
    return {
        f"nbgrader-{course_id}": {"users": sorted(names)},
        f"formgrade-{course_id}": {"users": sorted({*graders, f"grader-{course_id}"})},
    }


def cohort_roles(course_id: str, *, api_service: str | None = None) -> list[dict[str, Any]]:
    """``JupyterHub.load_roles`` for nbgrader's multi-grader pattern on JupyterHub 5+.

    Graders may open the course's formgrader service; learners may see that it exists (the
    assignment list asks the hub which courses there are).  The ``server`` role is widened
    to ``inherit`` as nbgrader's documentation does, so a learner's server may read the
    learner's own groups (the exchange checks course membership with that token).  The
    formgrader service may read users and manage the learners' group (adding a learner in
    formgrader adds them to ``nbgrader-<course>``).
    """
    learners, graders = f"nbgrader-{course_id}", f"formgrade-{course_id}"
    roles = [
        {"name": f"formgrade-{course_id}", "description": "grade the course in formgrader",
         "groups": [graders],
         "scopes": [f"access:services!service={course_id}", "list:services",
                    f"read:services!service={course_id}"]},
        {"name": f"nbgrader-{course_id}", "description": "take the course",
         "groups": [learners],
         "scopes": ["list:services", f"read:services!service={course_id}"]},
        {"name": "server",
         "description": "a server acts for its user (nbgrader exchange reads the user's groups)",
         "scopes": ["inherit"]},
        {"name": f"{course_id}-formgrader", "description": "the course's formgrader service",
         "services": [course_id],
         "scopes": ["list:users", "read:users", "list:groups", "read:groups",
                    f"groups!group={learners}"]},
    ]
    if api_service:
        roles.append({"name": api_service, "description": "the team lead's scripts",
                      "services": [api_service],
                      "scopes": ["admin:users", "admin:servers", "tokens", "admin:groups",
                                 "list:services", "read:services"]})
    return roles


def write_shared_config(settings: HubSettings) -> None:
    """Write the config folders on ``JUPYTER_CONFIG_PATH`` and create the exchange.

    Everyone: nbgrader's exchange root, the course id, course folders in the exchange, and
    nbgrader's JupyterHub auth plugin (course membership = JupyterHub groups).  Learners
    also get the grader-only server extensions switched off.
    """
    settings.shared_config.mkdir(parents=True, exist_ok=True)
    (settings.shared_config / "nbgrader_config.py").write_text(
        "# Written by deploy/jupyterhub/jupyterhub_config.py at hub start: edit that file.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(settings.exchange)!r}\n"
        "c.Exchange.path_includes_course = False  # one course: ~/01-redirects/\n"
        f"c.CourseDirectory.course_id = {settings.course_id!r}\n"
        "c.Authenticator.plugin_class = 'nbgrader.auth.JupyterHubAuthPlugin'\n",
        encoding="utf-8")
    settings.learner_config.mkdir(parents=True, exist_ok=True)
    off = {f"nbgrader.server_extensions.{name}": False
           for name in ("formgrader", "create_assignment", "course_list")}
    (settings.learner_config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": off}}, indent=1), encoding="utf-8")
    labconfig = settings.learner_config / "labconfig"
    labconfig.mkdir(exist_ok=True)
    hidden = {f"@jupyter/nbgrader:{name}": True
              for name in ("formgrader", "create-assignment", "course-list")}
    (labconfig / "page_config.json").write_text(
        json.dumps({"disabledExtensions": hidden}, indent=1), encoding="utf-8")
    settings.exchange.mkdir(parents=True, exist_ok=True)
    # nbgrader's exchange: everyone writes their submissions into it (world-writable, sticky).
    os.chmod(settings.exchange, 0o777 | stat.S_ISVTX)


def prepare_home(home: Path, username: str, workshops: Path, *,
                 uid: int | None = None, gid: int | None = None) -> list[Path]:
    """Make ``home`` ready for ``username``; return the notebooks copied this time.

    The learner's workshops go to ``home/workshops/`` at first login only: a notebook
    already there (the learner's own work) is never overwritten.  ``home/nbgrader_config.py``
    names the learner for nbgrader (``CourseDirectory.student_id``): under a spawner where
    every learner is the same OS user, nbgrader would otherwise file every submission
    under that one account.  With ``uid``/``gid`` the new files are given to that account.
    """
    if not _NAME.match(username):
        raise InputError(f"user name {username!r} cannot be an nbgrader student id.",
                         hint="Use lowercase letters, digits, _ . - only.")
    target = home / "workshops"
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for pattern in LEARNER_NOTEBOOKS:
        for notebook in sorted(workshops.glob(pattern)):
            destination = target / notebook.name
            if not destination.exists():
                shutil.copyfile(notebook, destination)
                copied.append(destination)
    config = home / "nbgrader_config.py"
    config.write_text("# Written by the hub at each start of your server.\n"
                      "c = get_config()  # noqa: F821\n"
                      f"c.CourseDirectory.student_id = {username!r}\n", encoding="utf-8")
    if uid is not None:
        for path in (home, target, config, *copied):
            os.chown(path, uid, gid if gid is not None else -1)
    return copied
