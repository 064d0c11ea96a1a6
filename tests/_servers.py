"""Real servers for the system tests and benchmarks: PostgreSQL and a loopback JupyterHub.

Shared by ``tests/course/test_gradebook_postgres.py``, ``tests/system/test_jupyterhub_cohort.py``
and ``benchmarks/bench_hub.py`` (which puts ``tests/`` on ``sys.path``).  Every server here is
started in a temporary folder on free loopback ports and stopped by the context manager that
started it, also when the code inside fails.  ``missing(component, reason)`` is called when a
component is unavailable: the tests pass ``require_system`` (skip, or fail in CI), the
benchmark a function that exits.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

REPO = Path(__file__).resolve().parents[1]
HUB_CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PG_INSTALL = "apt-get install postgresql"
Missing = Callable[[str, str], NoReturn]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- PostgreSQL -----------------------------------------------------------------------------

def _pg_bin(missing: Missing, name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(
        f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        missing("postgresql", f"no {name!r} executable; {PG_INSTALL}")
    return found


@contextlib.contextmanager
def postgres_server(missing: Missing, database: str = "grades") -> Iterator[str]:
    """A throwaway PostgreSQL server; yields the SQLAlchemy URL of an empty ``database``.

    ``initdb`` and ``pg_ctl`` run as the ``postgres`` user when we are root (PostgreSQL
    refuses root), in a temporary folder that user can enter, on a free loopback port.
    """
    try:
        import psycopg
    except ImportError:
        missing("psycopg", "the PostgreSQL driver is missing; pip install 'psycopg[binary]'")
    initdb, pg_ctl = _pg_bin(missing, "initdb"), _pg_bin(missing, "pg_ctl")
    run_as: dict = {}
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            missing("postgresql", f"no 'postgres' user to run the server; {PG_INSTALL}")
        run_as = {"user": user.pw_uid, "group": user.pw_gid}
    # pytest's own temporary folders are private to root: the server needs one it can enter
    folder = Path(tempfile.mkdtemp(prefix="crosstalk-postgres-"))
    data, sockets = folder / "data", folder / "run"
    sockets.mkdir()
    if run_as:
        os.chmod(folder, 0o755)
        for path in (folder, sockets):
            os.chown(path, run_as["user"], run_as["group"])
    started = False
    try:
        port = free_port()
        made = subprocess.run([initdb, "-D", str(data), "-U", "grader", "--auth=trust", "-E",
                               "UTF8"], capture_output=True, text=True, timeout=120, **run_as)
        if made.returncode != 0:
            missing("postgresql", f"initdb failed: {made.stderr.strip()[-300:]}")
        log = folder / "server.log"
        result = subprocess.run(
            [pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "30", "-o",
             f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets}", "start"],
            capture_output=True, text=True, timeout=60, **run_as)
        started = True  # even a failed start may leave a postmaster: always stop
        if result.returncode != 0:
            missing("postgresql", f"the server did not start: {result.stderr.strip()}")
        with psycopg.connect(f"host=127.0.0.1 port={port} user=grader dbname=postgres",
                             autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        yield f"postgresql+psycopg://grader@127.0.0.1:{port}/{database}"
    finally:
        if started:
            subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60, **run_as)
        shutil.rmtree(folder, ignore_errors=True)


# --- JupyterHub -----------------------------------------------------------------------------

def _request(method: str, url: str, token: str, body: Any = None, *,
             timeout: float = 60, form: dict | None = None) -> tuple[int, Any]:
    headers = {"Authorization": f"token {token}"}
    data = None
    if form is not None:
        data = "&".join(f"{k}={v}" for k, v in form.items()).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw.decode("utf-8", "replace")


@dataclass
class Hub:
    """A running loopback hub: its URL, the admin token, and helpers over its REST API."""

    url: str
    token: str
    state: Path
    course_dir: Path
    log: Path
    course: str = "crosstalk"
    user_tokens: dict[str, str] = field(default_factory=dict)

    def api(self, method: str, path: str, body: Any = None, *, token: str | None = None,
            ok: tuple[int, ...] = (200, 201, 202, 204)) -> Any:
        """Call ``/hub/api/<path>``; raises with the hub's answer on an unexpected status."""
        status, answer = _request(method, f"{self.url}/hub/api/{path}", token or self.token,
                                  body)
        if status not in ok:
            raise RuntimeError(f"{method} /hub/api/{path}: {status} {answer}")
        return answer

    def add_users(self, names: list[str], group: str) -> None:
        """Create ``names`` (if new) and add them to the JupyterHub group ``group``."""
        self.api("POST", "users", {"usernames": names}, ok=(201, 409))
        self.api("POST", f"groups/{group}/users", {"users": names})

    def user_token(self, name: str) -> str:
        """An API token of user ``name`` (made once; inherits the user's permissions)."""
        if name not in self.user_tokens:
            self.user_tokens[name] = self.api(
                "POST", f"users/{name}/tokens", {"note": "crosstalk system test"})["token"]
        return self.user_tokens[name]

    def start_servers(self, names: list[str], timeout: float = 120) -> None:
        """Start the single-user servers of ``names`` at once; wait until all answer."""
        # the hub answers a start request only when the server is up (or after 10 s): ask
        # for all of them at once
        with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
            list(pool.map(lambda name: self.api("POST", f"users/{name}/server",
                                                ok=(201, 202, 400)), names))
        deadline = time.monotonic() + timeout
        waiting = set(names)
        while waiting:
            for name in sorted(waiting):
                server = self.api("GET", f"users/{name}").get("servers", {}).get("", {})
                if server.get("ready"):
                    waiting.discard(name)
                elif not server:
                    raise RuntimeError(f"{name}'s server stopped while starting; see {self.log}")
            if waiting and time.monotonic() > deadline:
                raise TimeoutError(f"servers of {sorted(waiting)} not up in {timeout:.0f} s; "
                                   f"see {self.log}")
            if waiting:
                time.sleep(0.5)

    def stop_server(self, name: str) -> None:
        self.api("DELETE", f"users/{name}/server", ok=(202, 204, 400))

    def user_action(self, name: str, action: str, assignment: str) -> Any:
        """``POST /user/NAME/assignments/<action>`` (fetch, submit, fetch_feedback)."""
        status, answer = _request(
            "POST", f"{self.url}/user/{name}/assignments/{action}", self.user_token(name),
            form={"course_id": self.course, "assignment_id": assignment}, timeout=120)
        if status != 200:
            raise RuntimeError(f"{name}: {action} {assignment}: {status} {answer}")
        return answer

    def assignments(self, name: str) -> Any:
        status, answer = _request(
            "GET", f"{self.url}/user/{name}/assignments?course_id={self.course}",
            self.user_token(name))
        if status != 200:
            raise RuntimeError(f"{name}: list assignments: {status} {answer}")
        return answer

    def formgrader(self, method: str, path: str, grader: str, *,
                   timeout: float = 120) -> tuple[int, Any]:
        """Call the course's formgrader API as ``grader`` (through the proxy)."""
        return _request(method, f"{self.url}/services/{self.course}/formgrader/api/{path}",
                        self.user_token(grader), timeout=timeout, body={} if method == "POST"
                        else None)


def _processes_under(folder: Path) -> list[int]:
    """Pids of processes whose working folder is inside ``folder`` (servers we started)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if cwd == str(folder) or cwd.startswith(str(folder) + os.sep):
            pids.append(int(entry.name))
    return pids


def _stop_group(process: subprocess.Popen, grace: float) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def jupyterhub(missing: Missing, *, gradebook_url: str, graders: list[str],
               learners: list[str] | None = None, startup_timeout: float = 60,
               extra_env: dict[str, str] | None = None) -> Iterator[Hub]:
    """``deploy/jupyterhub/jupyterhub_config.py`` running on loopback in a temporary folder.

    Throwaway demo login (``CROSSTALK_DEMO=1``), the simple local spawner, the pure-Python
    (or npm) configurable-http-proxy.  On exit the hub is stopped with SIGTERM (it stops the
    proxy, the formgrader and the learners' servers); anything still running inside the
    temporary folder afterwards is killed, and the folder removed.
    """
    binary = Path(sys.executable).parent / "jupyterhub"
    if not binary.exists():
        missing("jupyterhub", "not installed in this venv; pip install -e '.[dev]'")
    proxy = shutil.which("configurable-http-proxy", path=str(binary.parent)) or shutil.which(
        "configurable-http-proxy")
    if proxy is None:
        missing("configurable-http-proxy",
                "no proxy; pip install configurable-http-proxy (or npm install -g "
                "configurable-http-proxy)")
    state = Path(tempfile.mkdtemp(prefix="crosstalk-hub-"))
    os.chmod(state, 0o755)
    token = os.urandom(16).hex()
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{binary.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "CROSSTALK_DEMO": "1",
        "CROSSTALK_HUB_STATE": str(state),
        "CROSSTALK_GRADEBOOK_URL": gradebook_url,
        "CROSSTALK_HUB_URL": f"http://127.0.0.1:{port}",
        "CROSSTALK_HUB_API_PORT": str(free_port()),
        "CROSSTALK_PROXY_API_PORT": str(free_port()),
        "CROSSTALK_FORMGRADER_PORT": str(free_port()),
        "CROSSTALK_GRADERS": ",".join(graders),
        "CROSSTALK_LEARNERS": ",".join(learners or []),
        "CROSSTALK_API_TOKEN": token,
        **(extra_env or {}),
    }
    log = state / "hub.log"
    process = None
    try:
        with open(log, "wb") as output:
            process = subprocess.Popen(
                [str(binary), "-f", str(HUB_CONFIG)], cwd=state, env=env,
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True)  # SIGTERM reaches it (a setsid'd shell would not)
        hub = Hub(url=f"http://127.0.0.1:{port}", token=token, state=state,
                  course_dir=state / "course", log=log)
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {process.returncode}:\n"
                                   + log.read_text("utf-8", "replace")[-3000:])
            try:
                status, _ = _request("GET", f"{hub.url}/hub/api/services/crosstalk", token,
                                     timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"jupyterhub not up in {startup_timeout:.0f} s:\n"
                                   + log.read_text("utf-8", "replace")[-3000:])
            time.sleep(0.5)
        yield hub
    finally:
        if process is not None:
            _stop_group(process, grace=45)
        for pid in _processes_under(state):  # a server the hub could not stop
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if os.environ.get("CROSSTALK_KEEP_HUB_STATE"):
            print(f"hub state kept in {state}", file=sys.stderr)
        else:
            shutil.rmtree(state, ignore_errors=True)
