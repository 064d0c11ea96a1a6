"""The sandbox's pieces against a hostile learner, without nbgrader: fast.

Each attack of issue 20 that the launcher, the per-kernel isolation or the plain-data wall
must refuse runs here as a small Python program started the way a grading kernel is
(:mod:`kit.course._launcher`); it writes what it managed into its work folder.  The full
grading path (nbgrader, judge, feedback) is in ``test_grade_attacks.py``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from kit.course import _plain
from kit.course.sandbox import (
    LAUNCHER,
    Isolation,
    _assert_text,
    _hidden_lines,
    _launcher_module,
    exposed,
    landlock_available,
    readable_paths,
)

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (the case the issue is about)")
SECCOMP = pytest.mark.skipif(not _launcher_module().seccomp_available(),
                             reason="no seccomp filter for this CPU")
LANDLOCK = pytest.mark.skipif(not landlock_available(), reason="no Landlock")


def run_sandboxed(tmp_path: Path, code: str, isolation: Isolation | None = None,
                  extra_env: dict[str, str] | None = None, pass_fds: tuple[int, ...] = (),
                  **settings: object) -> dict:
    """Run ``code`` as a grading kernel would be; the JSON it left in ``result.json``."""
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    script = tmp_path / "attack.py"
    script.write_text(code + "\nimport json\nopen('result.json', 'w').write(json.dumps(R))\n"
                      "print(json.dumps(R))\n", encoding="utf-8")
    payload = {"workdir": str(work), "read": [*readable_paths(), str(script)],
               "env": {"PATH": "/usr/bin:/bin"}, "parent_pid": os.getpid(),
               "memory_mb": 1024, **(isolation.settings() if isolation else {}), **settings}
    env = {**os.environ, **(extra_env or {})}
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(payload), "--",
         sys.executable, "-I", str(script)], capture_output=True, text=True, timeout=120,
        env=env, pass_fds=pass_fds)
    if isolation is not None and isolation.data:
        return {"stdout": result.stdout, "returncode": result.returncode}
    found = work / "result.json"
    assert found.is_file(), f"the program did not finish: {result.stderr[-2000:]}"
    return json.loads(found.read_text())


# --- launcher: handles, session, capabilities, sockets, /proc ----------------------------


@LINUX
@SECCOMP
def test_udp_raw_unix_sockets_and_connect_are_refused(tmp_path: Path) -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    unix_path = tmp_path / "exfil.sock"
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(str(unix_path))
    unix.listen(1)
    code = f"""
import socket
R = {{}}
def attempt(name, call):
    try:
        call(); R[name] = "ok"
    except OSError as error:
        R[name] = type(error).__name__
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"hidden tests", ("127.0.0.1", {port}))
def unix():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect({str(unix_path)!r}); s.sendall(b"hidden tests")
attempt("udp", udp)
attempt("unix", unix)
attempt("unix datagram", lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM))
attempt("raw", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
attempt("packet", lambda: socket.socket(17, socket.SOCK_RAW, 0))
attempt("sctp", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132))
attempt("tcp connect", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=1))
attempt("tcp socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).close())
"""
    found = run_sandboxed(tmp_path, code)
    refused = {key: value for key, value in found.items() if key != "tcp socket"}
    assert all(value != "ok" for value in refused.values()), found
    assert found["tcp socket"] == "ok", "the kernel still needs its own TCP sockets"
    with pytest.raises(TimeoutError):
        listener.recvfrom(100)
    unix.settimeout(0.2)
    with pytest.raises(TimeoutError):
        unix.accept()


@LINUX
def test_the_grader_environment_and_handles_stay_out_of_reach(tmp_path: Path) -> None:
    secret = "postgresql://grader:S3CRET-PASSWORD@db/grades"
    log = tmp_path / "grading.log"
    handle = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.set_inheritable(handle, True)
    code = """
import os, glob
R = {"environ": [], "wrote": []}
for path in [f"/proc/{os.getppid()}/environ", "/proc/1/environ", *glob.glob("/proc/*/environ")]:
    try:
        text = open(path, "rb").read().decode("latin-1")
        if "S3CRET" in text:
            R["environ"].append(path)
    except OSError:
        pass
for fd in range(3, 64):
    try:
        os.write(fd, b"PWNED by the learner\\n"); R["wrote"].append(fd)
    except OSError:
        pass
R["session leader"] = os.getsid(0) == os.getpid()
R["open handles"] = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
"""
    try:
        found = run_sandboxed(tmp_path, code, extra_env={"CROSSTALK_GRADEBOOK_URL": secret},
                              pass_fds=(handle,))
    finally:
        os.close(handle)
    assert found["environ"] == [], "a kernel read the grader's database password"
    assert "PWNED" not in log.read_text(), "a kernel wrote into the grader's log"
    assert found["session leader"], "the kernel shares the grader's terminal session"
    assert max(found["open handles"]) <= 3  # stdin/out/err on /dev/null, listdir's own


@LINUX
@SECCOMP
def test_no_keystrokes_into_a_terminal(tmp_path: Path) -> None:
    code = """
import fcntl, os, termios
R = {}
for name in ("stdin", "tty"):
    try:
        fd = 0 if name == "stdin" else os.open("/dev/tty", os.O_RDWR)
        fcntl.ioctl(fd, termios.TIOCSTI, b"x")
        R[name] = "typed"
    except OSError as error:
        R[name] = type(error).__name__
"""
    found = run_sandboxed(tmp_path, code)
    assert "typed" not in found.values(), found


@LINUX
@ROOT
def test_root_keeps_no_capability(tmp_path: Path) -> None:
    code = """
R = {line.split(":")[0]: line.split()[1] for line in open("/proc/self/status")
     if line.startswith(("CapEff", "CapPrm", "CapBnd", "CapAmb", "Seccomp:", "NoNewPrivs"))}
import subprocess
R["chattr"] = subprocess.run(["chattr", "+i", "attack.txt"], capture_output=True).returncode \
    if open("attack.txt", "w").write("x") else -1
"""
    found = run_sandboxed(tmp_path, code)
    assert found["CapEff"] == found["CapPrm"] == found["CapBnd"] == "0000000000000000"
    assert found["NoNewPrivs"] == "1"
    assert found["chattr"] != 0, "chattr +i worked: the work folder could not be removed"


# --- per-kernel isolation: processes, memory, leftovers, disk --------------------------


@pytest.fixture
def isolation():
    made = Isolation.create(True, memory_mb=768, processes=64, cpus=1.0, disk_mb=0)
    yield made
    made.finish()


def _needs_cgroup(isolation: Isolation) -> None:
    if not isolation.groups:
        pytest.skip("no writable cgroup here: " + "; ".join(isolation.missing))


@LINUX
def test_a_fork_bomb_is_capped_and_everything_ends_with_the_kernel(
        tmp_path: Path, isolation: Isolation) -> None:
    _needs_cgroup(isolation)
    marker = f"crosstalk-survivor-{os.getpid()}"
    code = f"""
import os, signal, subprocess, sys, time
R = {{}}
children = []
for _ in range(200):
    try:
        pid = os.fork()
        if pid == 0:
            time.sleep(120); os._exit(0)
        children.append(pid)
    except OSError:
        break
R["forks"] = len(children)
for pid in children:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)  # {marker}"],
                 start_new_session=True)
"""
    found = run_sandboxed(tmp_path, code, isolation)
    assert found["forks"] < 64
    flags = isolation.finish()
    assert {"too many processes", "left processes running"} <= {f["flag"] for f in flags}
    time.sleep(0.2)
    alive = [p for p in Path("/proc").iterdir() if p.name.isdigit()
             and marker in (p / "cmdline").read_bytes().decode("latin-1", "replace")
             if (p / "cmdline").exists()]
    assert not alive, "a setsid process survived the kernel"


@LINUX
def test_memory_through_children_is_capped(tmp_path: Path, isolation: Isolation) -> None:
    _needs_cgroup(isolation)
    code = """
import os, time
R = {}
children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            block = bytearray(400 * 1024 * 1024)
            for i in range(0, len(block), 4096):
                block[i] = 1
            time.sleep(3)
        finally:
            os._exit(0)
    children.append(pid)
R["killed"] = sum(os.waitpid(pid, 0)[1] != 0 for pid in children)
"""
    found = run_sandboxed(tmp_path, code, isolation)
    assert found["killed"] >= 1, "1.6 GB held through child processes"
    assert "memory cap" in {f["flag"] for f in isolation.finish()}


@LINUX
@ROOT
def test_the_work_folder_is_size_limited(tmp_path: Path) -> None:
    isolation = Isolation.create(True, memory_mb=0, processes=0, cpus=0, disk_mb=50)
    code = """
import sys
written = 0
try:
    with open("fill.bin", "wb") as handle:
        for _ in range(500):
            handle.write(b"x" * 1024 * 1024); handle.flush()
            written += 1
except OSError:
    sys.exit(min(written, 250))  # the exit code tells: the tmpfs is not visible outside
sys.exit(255)
"""
    found = run_sandboxed(tmp_path, code, isolation, file_mb=0)
    isolation.finish()
    assert found["returncode"] <= 50, f"wrote {found['returncode']} MB into a 50 MB folder"
    assert not (tmp_path / "work" / "fill.bin").exists(), "the tmpfs is the kernel's own"


@LINUX
def test_refused_attempts_are_reported_by_the_audit_hook(tmp_path: Path) -> None:
    isolation = Isolation.create(True, memory_mb=0, processes=0, cpus=0, disk_mb=0)
    boot = _launcher_module().BOOT.replace(
        'import runpy\nsys.argv[0] = "ipykernel_launcher"\n'
        'runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)\n', "")
    code = boot + """
import socket
R = {}
compiled = compile('''
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
except OSError:
    pass
try:
    open("/proc/1/environ", "rb").read()
except OSError:
    pass
''', "/tmp/ipykernel_123/456.py", "exec")
exec(compiled)
"""
    run_sandboxed(tmp_path, code, isolation)
    flags = {flag["flag"] for flag in isolation.finish()}
    assert {"network or socket other than the kernel's own",
            "read another process's environment or memory"} <= flags


def test_a_course_under_a_readable_folder_is_exposed() -> None:
    assert exposed([Path(sys.prefix) / "course" / "source"]) == [
        str(Path(sys.prefix) / "course" / "source")]
    assert exposed(["/srv/somewhere/course"]) == []
    assert "/opt" not in readable_paths()


# --- the plain-data wall -------------------------------------------------------------------


class AlwaysEqual(set):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = set.__hash__


class Sneaky:
    def __eq__(self, other: object) -> bool:
        return True


@pytest.mark.parametrize("value", [AlwaysEqual({"A"}), Sneaky(), [Sneaky()], {"k": Sneaky()},
                                   type("S", (str,), {})("x"), lambda x: x, object()])
def test_objects_are_not_plain_data(value: object) -> None:
    with pytest.raises(_plain.NotPlain):
        _plain.dump(value)


@pytest.mark.parametrize("value", [
    None, True, 3, -2.5, float("inf"), "text", ["a", 1, None], ("x", 2), {"A", "D"},
    frozenset({1}), {"k": [1, {"n": (2, 3)}], 4: "four"}, [float("nan")],
])
def test_plain_data_round_trips(value: object) -> None:
    back = _plain.loads(_plain.dumps(value))
    assert type(back) is type(value)
    assert repr(back) == repr(value)


def test_tables_round_trip() -> None:
    frame = pd.DataFrame({"source": ["/a", "/b"], "target": ["/x", None], "status": [301, 302],
                          "share": [0.5, 1.25], "ok": [True, False],
                          "when": pd.to_datetime(["2026-01-01", "2026-02-03"])},
                         index=pd.Index(["r1", "r2"], name="row"))
    back = _plain.loads(_plain.dumps(frame))
    pd.testing.assert_frame_equal(back, frame)
    series = pd.Series([1, 2, 3], name="n")
    pd.testing.assert_series_equal(_plain.loads(_plain.dumps(series)), series)


def test_kit_objects_are_rebuilt_from_the_kits_own_code() -> None:
    from kit.brief import Brief, redirects_one_hop
    from kit.launch import Campaign

    campaign = Campaign(reach=1000)
    assert _plain.loads(_plain.dumps(campaign)) == campaign
    brief = Brief(goal="Keep the rankings.", metric="Organic visits.", audience="Shoppers.",
                  criteria=[redirects_one_hop(redirects="moved")])
    back = _plain.loads(_plain.dumps(brief))
    assert isinstance(back, Brief) and back.criteria[0].name == "redirects_one_hop"
    looped = {"moved": pd.DataFrame({"source": ["/a", "/b"], "target": ["/b", "/a"]})}
    assert back.check(looped).passed == brief.check(looped).passed is False


def test_a_learner_function_is_never_rebuilt_from_its_code() -> None:
    def helper(x: int) -> int:
        return x

    with pytest.raises(_plain.NotPlain):
        _plain.dump(helper)
    forged = {"~": "closure", "ref": "builtins:eval", "cells": {}, "defaults": [],
              "kwdefaults": {"~": "dict", "v": []}}
    with pytest.raises(_plain.NotPlain):
        _plain.load(forged)


# --- what feedback may quote ---------------------------------------------------------------


def test_only_the_visible_asserts_own_text_is_quoted() -> None:
    source = (
        "assert isinstance(x, set), 'Write braces.'\n"
        "assert not empty, f'Still empty: {empty}. Type an address.'\n"
        "### BEGIN HIDDEN TESTS\n"
        "assert x == {'A'}, 'secret'\n"
        "### END HIDDEN TESTS\n")
    assert _assert_text(source, 1) == "Write braces."
    assert _assert_text(source, 2) == "Still empty: …. Type an address."
    assert _hidden_lines(source) == {3, 4, 5}
