"""Start a grading kernel inside limits, then ``exec`` the real kernel command.

Run as a script (not imported from ``kit``, so it starts in milliseconds)::

    python _launcher.py SETTINGS_JSON -- python -m ipykernel_launcher -f conn.json

``SETTINGS_JSON`` holds ``memory_mb``, ``cpu_seconds``, ``file_mb``, ``workdir``,
``read`` (folders the kernel may read), ``ports`` (TCP ports the kernel may bind), ``env``
(the whole environment of the kernel), and optionally ``cgroups`` (``cgroup.procs`` files
to join), ``disk_mb`` and ``data`` (a folder whose files fill the work folder).  In order:

1. join the kernel's cgroups (process, memory and CPU caps; the grader kills everything
   in them when the notebook is done);
2. as root: a private mount namespace with a size-limited ``tmpfs`` as the work folder,
   filled from ``data``;
3. resource limits: address space (``RLIMIT_AS``), CPU seconds, largest file written,
   no core dumps;
4. a new session (no controlling terminal: no ``TIOCSTI``), standard input and output on
   ``/dev/null`` and every other inherited handle closed;
5. a Landlock sandbox (Linux ≥ 5.13, no privileges needed): the kernel and its children
   read only the system, the Python installation, the kit and the work folder, write only
   the work folder, bind only its own ports, connect nowhere, and cannot signal or trace
   processes outside the sandbox;
6. every capability dropped (bounding set, ``SECBIT_NOROOT``): root in name only;
7. ``PR_SET_PDEATHSIG``: the kernel dies with the grading process that started it;
8. a seccomp filter: sockets other than TCP (UDP, raw, Unix, netlink, …), ``connect``,
   TCP fast open, ``io_uring``, namespaces, mounts, ``ptrace``, ``bpf``, keyrings and
   the terminal ioctls ``TIOCSTI``/``TIOCLINUX`` are refused; 32-bit system calls too;
9. ``execve`` of the kernel command with the given environment.

Where a step is unavailable (not Linux, no Landlock, not root, an unknown CPU) it is
skipped; :func:`enforced` says which hold, and the grader reports the others.
Everything here is standard library and ``ctypes``; see ``man 7 landlock``.
"""

from __future__ import annotations

import ctypes
import json
import os
import platform
import resource
import shutil
import signal
import struct
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
_PR_CAPBSET_DROP, _PR_SET_SECUREBITS, _PR_CAP_AMBIENT, _PR_SET_SECCOMP = 24, 28, 47, 22
_SECCOMP_MODE_FILTER = 2
_CLONE_NEWNS, _MS_NOSUID, _MS_NODEV, _MS_REC, _MS_PRIVATE = 0x20000, 2, 4, 0x4000, 1 << 18

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


# --- capabilities, session, handles ---------------------------------------------------


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> None:
    """No capability now or after ``execve``, even as root (``man 7 capabilities``)."""
    if os.geteuid() == 0:
        last = 40
        with open("/proc/sys/kernel/cap_last_cap") as handle:
            last = int(handle.read().strip())
        for cap in range(last + 1):
            _libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)
        # NOROOT, NO_SETUID_FIXUP, KEEP_CAPS(off), NO_CAP_AMBIENT_RAISE, each locked
        bits = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 6) | (1 << 7)
        _libc.prctl(_PR_SET_SECUREBITS, bits, 0, 0, 0)
    _libc.prctl(_PR_CAP_AMBIENT, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    if _libc.syscall(_SYSCALLS["capset"], ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


REPORT_FD = 3
"""The kernel's write end of the grader's report channel (a FIFO), when there is one."""


def detach(settings: dict) -> bool:
    """A new session, ``/dev/null`` for stdin/stdout/stderr, every other handle closed.

    The one handle kept is the write end of the grader's report FIFO (``settings
    ["report"]``), as :data:`REPORT_FD`.  True when that channel is open.
    """
    if os.getsid(0) != os.getpid():
        os.setsid()
    report = -1
    if settings.get("report"):
        try:
            report = os.open(settings["report"], os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            report = -1
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if os.environ.get("CROSSTALK_LAUNCHER_DEBUG"):  # the grader's own choice, for debugging
        os.dup2(os.open(os.environ["CROSSTALK_LAUNCHER_DEBUG"],
                        os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), 2)
    if report >= 0:
        if report != REPORT_FD:
            os.dup2(report, REPORT_FD)
        os.set_inheritable(REPORT_FD, True)  # the kernel inherits it
    os.closerange(REPORT_FD + 1 if report >= 0 else 3,
                  resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    return report >= 0


# Run in the kernel before ipykernel: an audit hook (which cannot be removed) reports what
# a cell tried that the sandbox refuses, through REPORT_FD.  Refused either way; this only
# tells the team lead (a learner who closes the channel first is still refused).
BOOT = r"""
import os, sys
def _crosstalk_boot(fd):
    state = {"n": 0}
    import re
    cell = re.compile(r"(/ipykernel_[0-9]+/[0-9]+[.]py|<ipython-input-)")
    def in_cell():
        # the nearest caller outside the socket and ctypes modules is one of the cells
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename.endswith(
                ("socket.py", "ctypes/__init__.py", "subprocess.py", "os.py")):
            frame = frame.f_back
        return frame is not None and bool(cell.search(frame.f_code.co_filename))
    def say(kind, detail):
        if state["n"] < 100:
            state["n"] += 1
            try:
                line = kind + chr(9) + detail.replace(chr(10), " ")[:200] + chr(10)
                os.write(fd, line.encode())
            except OSError:
                pass
    words = ("chattr", "mount", "setsid", "nsenter", "unshare", "nohup", "disown")
    def hook(event, args):
        try:
            if event == "socket.__new__":
                family, kind = int(args[1]), int(args[2])
                if (family not in (2, 10) or kind & 15 != 1) and in_cell():
                    say("socket", "socket(%d, %d)" % (family, kind))
            elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
                if in_cell():
                    say("socket", event)
            elif event == "open" and isinstance(args[0], (str, bytes)):
                path = os.fsdecode(args[0])
                if path.startswith("/proc/") and path.rsplit("/", 1)[-1] in ("environ", "mem"):
                    if not path.startswith(("/proc/self/", "/proc/%d/" % os.getpid())):
                        say("proc", path)
            elif event == "fcntl.ioctl" and int(args[1]) in (0x5412, 0x541C):
                say("tty", "ioctl %#x" % int(args[1]))
            elif event == "ctypes.dlsym" and in_cell():
                name = str(args[1]) if len(args) > 1 else ""
                if name in ("syscall", "ptrace", "unshare", "mount", "setns", "prctl",
                            "ioctl", "socket", "seccomp"):
                    say("syscall", name)
            elif event in ("subprocess.Popen", "os.exec", "os.posix_spawn", "os.system"):
                text = repr(args)[:400]
                if any(word in text for word in words):
                    say("program", text)
        except Exception:
            pass
    sys.addaudithook(hook)
_crosstalk_boot(3)
del _crosstalk_boot
import runpy
sys.argv[0] = "ipykernel_launcher"
runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
"""


def with_audit(command: list[str]) -> list[str]:
    """``python -m ipykernel_launcher ARGS`` → ``python -c BOOT ARGS`` (other commands as is)."""
    for index in range(len(command) - 1):
        if command[index] == "-m" and command[index + 1] == "ipykernel_launcher":
            return [*command[:index], "-c", BOOT, *command[index + 2:]]
    return command


def join_cgroups(settings: dict) -> None:
    for procs in settings.get("cgroups", []):
        with open(procs, "w") as handle:
            handle.write(str(os.getpid()))


def private_workdir(settings: dict) -> bool:
    """As root: the work folder becomes a size-limited tmpfs only this kernel sees."""
    size = int(settings.get("disk_mb") or 0)
    if not size or os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    workdir = settings["workdir"]
    if _libc.unshare(_CLONE_NEWNS) != 0:
        return False
    if _libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        raise OSError(ctypes.get_errno(), "mount --make-rprivate /")
    options = f"size={size}m,nr_inodes=20000,mode=0700".encode()
    if _libc.mount(b"tmpfs", workdir.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, options) != 0:
        raise OSError(ctypes.get_errno(), f"mount tmpfs {workdir}")
    data = settings.get("data")
    if data and os.path.isdir(data):
        shutil.copytree(data, workdir, symlinks=True, dirs_exist_ok=True)
    os.chdir(workdir)
    return True


# --- seccomp -------------------------------------------------------------------------

# System call numbers: x86_64 and aarch64 (generic table).
_SYSCALLS_BY_ARCH = {
    "x86_64": dict(
        arch=0xC000003E, socket=41, socketpair=53, connect=42, sendto=44, sendmsg=46,
        sendmmsg=307, ioctl=16, capset=126, clone3=435, io_uring_setup=425,
        io_uring_enter=426, io_uring_register=427, unshare=272, setns=308, mount=165,
        umount2=166, pivot_root=155, chroot=161, ptrace=101, process_vm_readv=310,
        process_vm_writev=311, keyctl=250, add_key=248, request_key=249, bpf=321,
        perf_event_open=298, userfaultfd=323, open_tree=428, move_mount=429, fsopen=430,
        fsconfig=431, fsmount=432, fspick=433, name_to_handle_at=303,
        open_by_handle_at=304, kexec_load=246, init_module=175, finit_module=313,
        delete_module=176, acct=163, swapon=167, swapoff=168, reboot=169,
        mount_setattr=442, fanotify_init=300),
    "aarch64": dict(
        arch=0xC00000B7, socket=198, socketpair=199, connect=203, sendto=206, sendmsg=211,
        sendmmsg=269, ioctl=29, capset=91, clone3=435, io_uring_setup=425,
        io_uring_enter=426, io_uring_register=427, unshare=97, setns=268, mount=40,
        umount2=39, pivot_root=41, chroot=51, ptrace=117, process_vm_readv=270,
        process_vm_writev=271, keyctl=219, add_key=217, request_key=218, bpf=280,
        perf_event_open=241, userfaultfd=282, open_tree=428, move_mount=429, fsopen=430,
        fsconfig=431, fsmount=432, fspick=433, name_to_handle_at=264,
        open_by_handle_at=265, kexec_load=104, init_module=105, finit_module=273,
        delete_module=106, acct=89, swapon=224, swapoff=225, reboot=142,
        mount_setattr=442, fanotify_init=262),
}
_SYSCALLS = _SYSCALLS_BY_ARCH.get(platform.machine(), {"capset": 126})
_REFUSED = ("unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "ptrace",
            "process_vm_readv", "process_vm_writev", "keyctl", "add_key", "request_key", "bpf",
            "perf_event_open", "userfaultfd", "open_tree", "move_mount", "fsopen", "fsconfig",
            "fsmount", "fspick", "name_to_handle_at", "open_by_handle_at", "kexec_load",
            "init_module", "finit_module", "delete_module", "acct", "swapon", "swapoff",
            "reboot", "mount_setattr", "fanotify_init", "io_uring_setup", "io_uring_enter",
            "io_uring_register", "connect")
_AF_INET, _AF_INET6, _AF_NETLINK, _SOCK_STREAM, _IPPROTO_TCP = 2, 10, 16, 1, 6
_NETLINK_ROUTE = 0
_MSG_FASTOPEN = 0x20000000
_TIOCSTI, _TIOCLINUX = 0x5412, 0x541C
_EPERM, _EACCES, _ENOSYS, _EAFNOSUPPORT = 1, 13, 38, 97


def seccomp_available() -> bool:
    return sys.platform.startswith("linux") and "socket" in _SYSCALLS


def _filter() -> bytes:
    """A classic BPF program for ``seccomp(2)`` (see ``man 2 seccomp``)."""
    ld, jeq, jset, ret, alu_and = 0x20, 0x15, 0x45, 0x06, 0x54
    allow, errno_base = 0x7FFF0000, 0x00050000
    table = _SYSCALLS
    program: list[tuple[int, int, int, int]] = []

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> None:
        program.append((code, jt, jf, k))

    def refuse(errno: int) -> None:
        op(ret, errno_base | errno)

    arg = [16 + 8 * i for i in range(6)]  # low 32 bits of args[i] (little-endian)
    op(ld, 4)  # arch
    op(jeq, table["arch"], 1, 0)
    refuse(_EPERM)  # 32-bit or foreign system calls: none
    op(ld, 0)  # nr
    op(jset, 0x40000000, 0, 1)  # x32 system calls
    refuse(_EPERM)
    # blocks below are "if nr == X: <body>" with a fixed body length each
    for name in _REFUSED:
        op(jeq, table[name], 0, 1)
        refuse(_EACCES if name == "connect" else _EPERM)
    op(jeq, table["clone3"], 0, 1)
    refuse(_ENOSYS)  # glibc falls back to clone(), whose flags seccomp can read
    # socket(domain, type, protocol): TCP over IPv4/IPv6, and the kernel's own route table
    # (netlink route: ZeroMQ lists the network interfaces with it; nothing leaves the host)
    op(jeq, table["socket"], 0, 18)
    op(ld, arg[0])
    op(jeq, _AF_INET, 3, 0)
    op(jeq, _AF_INET6, 2, 0)
    op(jeq, _AF_NETLINK, 10, 0)
    refuse(_EAFNOSUPPORT)
    op(ld, arg[1])
    op(alu_and, 0xF)
    op(jeq, _SOCK_STREAM, 1, 0)
    refuse(_EACCES)
    op(ld, arg[2])
    op(jeq, 0, 2, 0)
    op(jeq, _IPPROTO_TCP, 1, 0)
    refuse(_EACCES)
    op(ret, allow)
    op(ld, arg[2])
    op(jeq, _NETLINK_ROUTE, 0, 1)
    op(ret, allow)
    refuse(_EACCES)
    # TCP fast open sends without connect(): refuse the flag
    for name, index in (("sendto", 3), ("sendmsg", 2), ("sendmmsg", 3)):
        op(jeq, table[name], 0, 4)
        op(ld, arg[index])
        op(jset, _MSG_FASTOPEN, 1, 0)
        op(ret, allow)
        refuse(_EACCES)
    # ioctl(fd, TIOCSTI / TIOCLINUX): no keystrokes into a terminal
    op(ld, 0)
    op(jeq, table["ioctl"], 0, 4)
    op(ld, arg[1])
    op(jeq, _TIOCSTI, 1, 0)
    op(jeq, _TIOCLINUX, 0, 1)
    refuse(_EPERM)
    op(ret, allow)
    return b"".join(struct.pack("HBBI", *instruction) for instruction in program)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def seccomp() -> bool:
    """Load the filter of :func:`_filter` (needs ``PR_SET_NO_NEW_PRIVS`` first)."""
    if not seccomp_available():
        return False
    code = _filter()
    buffer = ctypes.create_string_buffer(code, len(code))
    program = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    if _libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")
    return True


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
    join_cgroups(settings)
    private_workdir(settings)
    limit(settings)
    reporting = False
    if settings.get("sandbox", True):
        reporting = detach(settings)
        restrict(settings)
        drop_capabilities()
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != settings.get("parent_pid", os.getppid()):
        sys.exit("the grading process ended before the kernel started")
    if settings.get("sandbox", True):
        seccomp()
    if reporting:
        command = with_audit(command)
    os.execvpe(command[0], command, settings.get("env") or dict(os.environ))


if __name__ == "__main__":
    main(sys.argv[1:])
