"""JupyterHub configuration for a Crosstalk cohort (JupyterHub 5 or later, nbgrader 0.9).

Start it with ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` from the venv where
the kit is installed (``make hub`` does that on loopback to try it).  Everything a site
changes comes from environment variables, read by :func:`kit.hub.hub_settings`:

  CROSSTALK_HUB_STATE        hub database, cookie secret, course, exchange (/srv/crosstalk)
  CROSSTALK_GRADEBOOK_URL    the gradebook, e.g. postgresql+psycopg://grader:PW@db/grades
  CROSSTALK_COURSE_DIR       the team lead's course folder (default STATE/course; made with
                             `crosstalk course init --db URL` at the first start)
  CROSSTALK_EXCHANGE         nbgrader's exchange folder (default STATE/exchange)
  CROSSTALK_GRADERS          user names of the graders (team leads), comma-separated
  CROSSTALK_LEARNERS         extra learners; the course's roster.csv learners are added
  CROSSTALK_ADMINS           hub admins
  CROSSTALK_SPAWNER          simple (default) or a spawner class, e.g.
                             systemdspawner.SystemdSpawner
  CROSSTALK_HUB_URL          public URL (default http://127.0.0.1:8000)
  CROSSTALK_HUB_API_PORT, CROSSTALK_PROXY_API_PORT, CROSSTALK_FORMGRADER_PORT
                             loopback ports (8081, 8001, 9999)
  CROSSTALK_API_TOKEN        optional: a token for the team lead's scripts (service
                             "crosstalk-api": create users, start servers, manage groups)
  CROSSTALK_DEMO=1           throwaway: any user name logs in without a password
  CROSSTALK_ROOM=1           the live room (`crosstalk room serve`) as the managed service
                             "room" at /services/room/; CROSSTALK_ROOM_PORT (8765),
                             CROSSTALK_ROOM_DB (default sqlite:///STATE/room.db); the join
                             code and facilitator address are written to STATE/room.json;
                             learners join through the hub without a code
  CROSSTALK_FACILITATORS     user names who may open the room's facilitator view (group
                             "facilitator"; hub admins may too)

What goes where:
  * learners are the JupyterHub group ``nbgrader-<course>``, graders ``formgrade-<course>``
    (the names nbgrader's JupyterHub auth plugin reads);
  * the course's formgrader runs as a managed JupyterHub service named after the course,
    at /services/<course>/formgrader, open to the graders only;
  * nbgrader's exchange is one shared folder; the gradebook is the database of
    CROSSTALK_GRADEBOOK_URL;
  * each learner's server runs this venv's ``jupyterhub-singleuser`` (the kit is installed
    there) and finds the workshops in ``~/workshops`` at first login.
"""

import os
import pwd
import shutil
import sys
from pathlib import Path

from kit.hub import cohort_groups, cohort_roles, hub_settings, prepare_home, write_shared_config

c = get_config()  # type: ignore[name-defined]  # noqa: F821

settings = hub_settings()
BIN = Path(sys.executable).parent  # the venv with jupyterhub, nbgrader and the kit
COURSE = settings.course_id
ROOT = os.geteuid() == 0
SIMPLE = settings.spawner in {"simple", "jupyterhub.spawner.SimpleLocalProcessSpawner"}
API_SERVICE = "crosstalk-api"


def _say(*lines: str) -> None:
    bar = "!" * 78
    print("\n".join([bar, *(f"!! {line}" for line in lines), bar]), file=sys.stderr, flush=True)


# --- state, proxy, ports -------------------------------------------------------------------
settings.state.mkdir(parents=True, exist_ok=True)
os.chmod(settings.state, 0o755)
c.JupyterHub.bind_url = settings.bind_url
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings.hub_port
c.JupyterHub.db_url = f"sqlite:///{settings.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(settings.state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(settings.state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = str(settings.state / "jupyterhub-proxy.pid")
# npm's configurable-http-proxy or its pure-Python port from PyPI (installed with the kit)
_proxy = shutil.which("configurable-http-proxy", path=str(BIN)) or shutil.which(
    "configurable-http-proxy")
if _proxy:
    c.ConfigurableHTTPProxy.command = [_proxy]
# A stopped hub stops the proxy and the servers it started.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# --- the course: folder, gradebook, exchange -----------------------------------------------
write_shared_config(settings)
os.environ["JUPYTER_CONFIG_PATH"] = str(settings.shared_config)  # nbgrader in this process
if not (settings.course_dir / "nbgrader_config.py").is_file():
    from kit.course.coursedir import init_course

    init_course(settings.course_dir, db_url=settings.gradebook_url)
elif settings.gradebook_url:
    from kit.course.coursedir import open_course

    _recorded = open_course(settings.course_dir).db_url
    if _recorded != settings.gradebook_url:
        _say(f"{settings.course_dir} records the gradebook {_recorded.split('@')[-1]},",
             "not CROSSTALK_GRADEBOOK_URL: the course's nbgrader_config.py wins.")

# --- people: authenticator, groups, roles --------------------------------------------------
c.JupyterHub.load_groups = cohort_groups(
    COURSE, settings.learners, settings.graders, settings.course_dir / "roster.csv")
c.JupyterHub.load_roles = cohort_roles(
    COURSE, api_service=API_SERVICE if settings.api_token else None)
c.Authenticator.admin_users = set(settings.admins)
_members = set().union(*(group["users"] for group in c.JupyterHub.load_groups.values()))
if settings.demo:
    c.JupyterHub.authenticator_class = "dummy"
    c.Authenticator.allow_all = True
    _say("CROSSTALK_DEMO=1: THROWAWAY LOGIN. Any user name logs in WITHOUT A PASSWORD.",
         "For trying the hub on this machine only: never expose it to a network.",
         "A real cohort uses the company's login (OAuthenticator, LDAP, PAM).")
    c.JupyterHub.template_vars = {"announcement": (
        "Throwaway demo hub: any user name logs in without a password. "
        "Not for real learners.")}
else:
    c.Authenticator.allowed_users = _members | set(settings.admins)

# --- the learners' servers -----------------------------------------------------------------
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab/tree/workshops"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
c.Spawner.environment = {
    "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
    "JUPYTER_CONFIG_PATH": os.pathsep.join([str(settings.learner_config),
                                            str(settings.shared_config)]),
    "JUPYTER_PREFER_ENV_PATH": "1",
}
if ROOT:
    c.Spawner.args = ["--allow-root"]

if SIMPLE:
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(settings.homes / "{username}")
    settings.homes.mkdir(parents=True, exist_ok=True)
    _say("Simple local spawner: EVERY LEARNER'S SERVER RUNS AS THE SAME OS USER"
         + (" (root)." if ROOT else "."),
         "Learners are NOT isolated from each other: each can read and change the others'",
         "homes and submissions, and the exchange's file modes protect nothing.",
         "To isolate them, give each learner a real account and use SystemdSpawner,",
         "DockerSpawner or KubeSpawner (deploy/kubernetes/ for Zero to JupyterHub).")
else:
    c.JupyterHub.spawner_class = settings.spawner


def _home(spawner) -> Path:
    if SIMPLE:
        return settings.homes / spawner.user.name
    try:
        return Path(pwd.getpwnam(spawner.user.name).pw_dir)
    except KeyError:  # no OS account: the spawner (e.g. a container) owns the home
        return Path()


def pre_spawn(spawner) -> None:
    """First login: the workshops into ~/workshops; every start: the learner's nbgrader id."""
    home = _home(spawner)
    if home == Path():
        return
    account = None
    if ROOT and not SIMPLE:
        try:
            account = pwd.getpwnam(spawner.user.name)
        except KeyError:
            account = None
    copied = prepare_home(home, spawner.user.name, settings.workshops,
                          uid=account.pw_uid if account else None,
                          gid=account.pw_gid if account else None)
    if copied:
        spawner.log.info("crosstalk: %d workshop notebook(s) copied into %s/workshops",
                         len(copied), home)


c.Spawner.pre_spawn_hook = pre_spawn

# --- the course's formgrader, a managed service for the graders ----------------------------
c.JupyterHub.services = [{
    "name": COURSE,
    "url": f"http://127.0.0.1:{settings.formgrader_port}",
    "command": [str(BIN / "jupyterhub-singleuser"), "--ServerApp.default_url=/formgrader",
                *(["--allow-root"] if ROOT else [])],
    "cwd": str(settings.course_dir),
    "oauth_no_confirm": True,
    "environment": {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "JUPYTER_CONFIG_PATH": str(settings.shared_config),
        # nbgrader's auth plugin answers 500 without a user name to act as
        "JUPYTERHUB_USER": f"grader-{COURSE}",
        "HOME": str(settings.course_dir),
    },
}]
if settings.api_token:
    c.JupyterHub.services.append({"name": API_SERVICE, "api_token": settings.api_token})

# --- the live room (optional), a managed service learners' kernels reach through the proxy --
if os.environ.get("CROSSTALK_ROOM", "").strip().lower() in {"1", "true", "yes"}:
    _room_port = int(os.environ.get("CROSSTALK_ROOM_PORT", "8765"))
    _room_url = f"{settings.bind_url.rstrip('/')}/services/room/"
    c.JupyterHub.services.append({
        "name": "room",
        "url": f"http://127.0.0.1:{_room_port}",
        "command": [str(BIN / "crosstalk"), "room", "serve", "--host", "127.0.0.1",
                    "--port", str(_room_port), "--public-url", _room_url,
                    "--db", os.environ.get("CROSSTALK_ROOM_DB",
                                           f"sqlite:///{settings.state / 'room.db'}"),
                    "--info-file", str(settings.state / "room.json")],
        "cwd": str(settings.state),
        "environment": {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"},
        "oauth_no_confirm": True,
        # the room reads the facilitator's groups from the OAuth token
        "oauth_client_allowed_scopes": ["read:users:groups!user"],
    })
    # every learner's kernel knows where the room is, and joins with its hub token
    c.Spawner.environment["CROSSTALK_ROOM_URL"] = _room_url
    # the facilitator view: hub admins and the "facilitator" group, through hub OAuth
    _facilitators = sorted(set(settings.admins) | {
        name.strip() for name in os.environ.get("CROSSTALK_FACILITATORS", "").split(",")
        if name.strip()})
    c.JupyterHub.load_groups["facilitator"] = {"users": _facilitators}
    c.JupyterHub.load_roles.append({
        "name": "crosstalk-room-facilitator", "groups": ["facilitator"],
        "description": "open the live room's facilitator page",
        "scopes": ["access:services!service=room", "read:users:groups!user"]})
    if not settings.demo:
        c.Authenticator.allowed_users = set(c.Authenticator.allowed_users) | set(_facilitators)
    print(f"crosstalk: live room at {_room_url}; join code and facilitator address in "
          f"{settings.state / 'room.json'}", file=sys.stderr)
