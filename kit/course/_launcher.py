"""Start a grading kernel inside limits, then ``exec`` the real kernel command.

Run as a script (not imported from ``kit``, so it starts in milliseconds)::

    python _launcher.py SETTINGS_JSON -- python -m ipykernel_launcher -f conn.json

``SETTINGS_JSON`` holds ``memory_mb``, ``cpu_seconds``, ``file_mb``, ``workdir``,
``read`` (folders the kernel may read), ``ports`` (TCP ports the kernel may bind) and
``env`` (the whole environment of the kernel).  In order:

1. resource limits: address space (``RLIMIT_AS``), CPU seconds, largest file written,
   no core dumps;
2. a Landlock sandbox (Linux ≥ 5.13, no privileges needed): the kernel and its children
   read only the system, the Python installation, the kit and the work folder, write only
   the work folder, bind only its own ports, connect nowhere, and cannot signal or trace
   processes outside the sandbox.  Where Landlock is missing the kernel runs with the
   limits only (the grader says so);
3. ``PR_SET_PDEATHSIG``: the kernel dies with the grading process that started it;
4. ``execve`` of the kernel command with the given environment.

Everything here is standard library and ``ctypes``; see ``man 7 landlock``.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys

# syscalls (x86_64 and aarch64 share these numbers) and flags from <linux/landlock.h>
_CREATE, _ADD_RULE, _RESTRICT = 444, 445, 446
_VERSION = 1 << 0
_RULE_PATH, _RULE_NET = 1, 2
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_REMOVE_DIR, _REMOVE_FILE, _MAKE_CHAR, _MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
_MAKE_REG, _MAKE_SOCK, _MAKE_FIFO, _MAKE_BLOCK = 1 << 8, 1 << 9, 1 << 10, 1 << 11
_MAKE_SYM, _REFER, _TRUNCATE, _IOCTL_DEV = 1 << 12, 1 << 13, 1 << 14, 1 << 15
_BIND_TCP, _CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1
_PR_SET_PDEATHSIG, _PR_SET_NO_NEW_PRIVS = 1, 38

_READ = _EXECUTE | _READ_FILE | _READ_DIR
_FILE_RIGHTS = _EXECUTE | _WRITE_FILE | _READ_FILE | _TRUNCATE | _IOCTL_DEV


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class _NetAttr(ctypes.Structure):
    _fields_ = [("allowed", ctypes.c_uint64), ("port", ctypes.c_uint64)]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is unavailable."""
    version = _libc.syscall(_CREATE, None, ctypes.c_size_t(0), ctypes.c_uint32(_VERSION))
    return max(int(version), 0)


def _all_fs_rights(abi: int) -> int:
    rights = (1 << 13) - 1  # ABI 1: execute … make_sym
    if abi >= 2:
        rights |= _REFER
    if abi >= 3:
        rights |= _TRUNCATE
    if abi >= 5:
        rights |= _IOCTL_DEV
    return rights


def _add_path(ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a folder that does not exist needs no rule
    try:
        if not os.path.isdir(path):
            rights &= _FILE_RIGHTS
        attr = _PathAttr(rights, fd)
        if _libc.syscall(_ADD_RULE, ruleset, _RULE_PATH, ctypes.byref(attr), 0) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
    finally:
        os.close(fd)


def restrict(settings: dict) -> int:
    """Apply the Landlock rules of ``settings`` to this process; return the ABI used (0: none)."""
    abi = landlock_abi()
    if abi < 1:
        return 0
    fs = _all_fs_rights(abi)
    net = (_BIND_TCP | _CONNECT_TCP) if abi >= 4 else 0
    scoped = (_SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL) if abi >= 6 else 0
    attr = _RulesetAttr(fs, net, scoped)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = _libc.syscall(_CREATE, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        for path in settings.get("read", []):
            _add_path(ruleset, path, _READ)
        write = fs & ~(_MAKE_CHAR | _MAKE_BLOCK)
        _add_path(ruleset, settings["workdir"], write)
        for device in ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"):
            _add_path(ruleset, device, _READ_FILE | _WRITE_FILE | (fs & _IOCTL_DEV))
        if net:
            for port in settings.get("ports", []):
                rule = _NetAttr(_BIND_TCP, int(port))
                if _libc.syscall(_ADD_RULE, ruleset, _RULE_NET, ctypes.byref(rule), 0) != 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule port {port}")
        if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
        if _libc.syscall(_RESTRICT, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return abi


def limit(settings: dict) -> None:
    """Set the resource limits (address space, CPU time, file size, no core dumps)."""
    megabyte = 1024 * 1024
    pairs = [
        (resource.RLIMIT_AS, settings.get("memory_mb"), megabyte),
        (resource.RLIMIT_CPU, settings.get("cpu_seconds"), 1),
        (resource.RLIMIT_FSIZE, settings.get("file_mb"), megabyte),
    ]
    for kind, value, unit in pairs:
        if value:
            amount = int(value) * unit
            resource.setrlimit(kind, (amount, amount))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> None:
    """``_launcher.py SETTINGS_JSON -- CMD...``: limit, sandbox, then become ``CMD``."""
    if len(argv) < 3 or argv[1] != "--":
        sys.exit("usage: _launcher.py SETTINGS_JSON -- COMMAND [ARGS...]")
    settings = json.loads(argv[0])
    command = argv[2:]
    os.chdir(settings["workdir"])
    limit(settings)
    if settings.get("sandbox", True):
        restrict(settings)
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == settings.get("parent_pid", os.getppid()):
        os.execvpe(command[0], command, settings.get("env") or dict(os.environ))
    sys.exit("the grading process ended before the kernel started")


if __name__ == "__main__":
    main(sys.argv[1:])
