"""Run a learner's notebook for grading inside limits: nbgrader's ``Execute``, hardened.

:class:`SandboxedExecute` replaces nbgrader's ``Execute`` preprocessor in a course made by
``crosstalk course init`` (``c.Autograde.autograde_preprocessors``), so ``crosstalk grade``,
``nbgrader autograde`` and the formgrader's *Autograde* button all grade the same way:

* **per-cell timeout** (``timeout``, nbgrader's own): the cell is interrupted and fails;
* **output limit** (``max_output_mb`` for the whole notebook): further output is dropped,
  the cell is interrupted and fails with ``OutputLimitExceeded``;
* **memory limit** (``memory_mb``, ``RLIMIT_AS`` of the kernel): allocations beyond it
  raise ``MemoryError``; if the kernel dies instead, every cell not run yet fails with
  ``KernelDied`` (a test that did not run never earns its points);
* **CPU limit** (``cpu_seconds`` for the whole kernel) and a largest-file limit;
* **sandbox** (Landlock, see :mod:`kit.course._launcher`): the kernel runs in a fresh work
  folder that holds the assignment's data files but *not* the notebook (whose restored
  test cells include the hidden tests); it can read the system, Python and the kit but not
  the course folder (sources, gradebook, other learners), write only its work folder, and
  open no network connection.

Each limit that stopped something is recorded in the notebook's metadata under
``crosstalk.stopped`` (cell index, grade id, limit, detail), which the grader reports.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Float, Integer

from kit.answers import write_answers_file
from kit.course.ports import port_slot, slot_ports

__all__ = [
    "LAUNCHER",
    "NOT_RUN",
    "SandboxedExecute",
    "SandboxedKernelManager",
    "kernel_environment",
    "landlock_available",
    "readable_paths",
]

LAUNCHER = Path(__file__).with_name("_launcher.py")
NOT_RUN = "KernelDied"
SYSTEM_READ = ("/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/etc", "/proc", "/sys",
               "/dev", "/opt", "/var/lib/dpkg", "/run/systemd/resolve")
_ENV_KEEP = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "TERM",
             "NBGRADER_EXECUTION", "JPY_PARENT_PID", "PYDEVD_DISABLE_FILE_VALIDATION")


def landlock_available() -> int:
    """The Landlock ABI of this Linux kernel (0: no sandbox, the limits still apply)."""
    if not sys.platform.startswith("linux"):
        return 0
    import importlib.util

    spec = importlib.util.spec_from_file_location("_crosstalk_launcher", LAUNCHER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return int(module.landlock_abi())


def readable_paths() -> list[str]:
    """What a grading kernel may read: the system, this Python and its packages, the kit.

    The current directory and anything that is not an installed location are left out,
    so a course folder (sources with hidden tests, gradebook) stays unreadable.
    """
    import kit

    paths = {*SYSTEM_READ, sys.prefix, sys.base_prefix, sys.exec_prefix,
             str(Path(kit.__file__).resolve().parent)}
    cwd = os.path.realpath(os.getcwd())
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        real = os.path.realpath(entry)
        if real != cwd and ("site-packages" in real or "dist-packages" in real
                            or real.startswith(os.path.realpath(sys.base_prefix))):
            paths.add(real)
    return sorted(paths)


def kernel_environment(workdir: str) -> dict[str, str]:
    """A small environment for a grading kernel: no secrets (database URLs, tokens) inherited.

    Home, IPython, matplotlib and temporary files all point into ``workdir``; numeric
    libraries use one thread each, so parallel grading does not oversubscribe the CPUs.
    """
    env = {key: os.environ[key] for key in _ENV_KEEP if key in os.environ}
    env.update(
        HOME=workdir, TMPDIR=workdir, IPYTHONDIR=os.path.join(workdir, ".ipython"),
        MPLCONFIGDIR=os.path.join(workdir, ".matplotlib"), PYTHONDONTWRITEBYTECODE="1",
        OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
        NUMEXPR_NUM_THREADS="1", JUPYTER_PLATFORM_DIRS="1",
    )
    env.setdefault("PATH", os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin")
    return env


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel through :mod:`kit.course._launcher`."""

    launch_settings: dict[str, Any] | None = None

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        settings = dict(self.launch_settings or {})
        if not settings:
            return command
        ports = [getattr(self, name, 0) for name in
                 ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")]
        settings["ports"] = [port for port in ports if port]
        settings["read"] = [*settings.get("read", []), os.path.realpath(self.connection_file)]
        settings["parent_pid"] = os.getpid()
        env = dict(settings.get("env") or {})
        env["JPY_PARENT_PID"] = str(os.getpid())
        settings["env"] = env
        return [sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(settings), "--", *command]


class SandboxedExecute(Execute):
    """nbgrader's ``Execute`` with output, memory, CPU and file-system limits (see module doc)."""

    max_output_mb = Float(10.0, help="Most output (MB) the whole notebook may produce; "
                                     "0 means no limit.").tag(config=True)
    memory_mb = Integer(2048, help="Address-space limit of the kernel in MB; 0: none."
                        ).tag(config=True)
    cpu_seconds = Integer(600, help="CPU time limit of the kernel in seconds; 0: none."
                          ).tag(config=True)
    file_mb = Integer(100, help="Largest file the kernel may write, in MB; 0: none."
                      ).tag(config=True)
    sandbox = Bool(True, help="Run the kernel in a Landlock sandbox where Linux offers it."
                   ).tag(config=True)
    kernel_grace = Float(5.0, help="Seconds a stopped cell may take to answer an interrupt."
                         ).tag(config=True)

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("kernel_manager_class", SandboxedKernelManager)
        # The notebook is done when the last cell is: no need to wait for a polite exit.
        kw.setdefault("shutdown_kernel", "immediate")
        super().__init__(**kw)

    # --- one run -----------------------------------------------------------------------

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None
                   ) -> tuple[NotebookNode, Any]:
        """Execute ``nb`` in a fresh work folder holding the assignment's data files only."""
        resources = resources if resources is not None else {}
        metadata = resources.setdefault("metadata", {})
        source = metadata.get("path") or os.getcwd()
        workdir = tempfile.mkdtemp(prefix="crosstalk-kernel-")
        self._stopped: list[dict[str, Any]] = []
        self._output_bytes = 0
        self._output_cut = False
        self._dead = False
        try:
            _copy_data_files(Path(source), Path(workdir))
            write_answers_file(nb, workdir)  # the forms' saved answers (kit/answers.py)
            metadata["path"] = workdir
            self._workdir = workdir
            nb, resources = super().preprocess(nb, resources, km=km)
        finally:
            metadata["path"] = source
            shutil.rmtree(workdir, ignore_errors=True)
        crosstalk = nb.metadata.setdefault("crosstalk", {})
        crosstalk["stopped"] = self._stopped
        crosstalk["sandbox"] = bool(self.sandbox and landlock_available())
        return nb, resources

    def create_kernel_manager(self) -> Any:
        km = super().create_kernel_manager()
        slot = port_slot()
        if slot is not None and km.transport == "tcp":  # a crosstalk grade worker
            km.cache_ports = False
            (km.shell_port, km.iopub_port, km.stdin_port, km.hb_port,
             km.control_port) = slot_ports(5, *slot, ip=km.ip)
        if isinstance(km, SandboxedKernelManager):
            km.launch_settings = {
                "workdir": self._workdir,
                "memory_mb": self.memory_mb,
                "cpu_seconds": self.cpu_seconds,
                "file_mb": self.file_mb,
                "sandbox": self.sandbox,
                "read": readable_paths(),
                "env": kernel_environment(self._workdir),
            }
        return km

    # --- cells -------------------------------------------------------------------------

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int
                        ) -> tuple[NotebookNode, Any]:
        if cell.cell_type != "code":
            return cell, resources
        if self._dead:
            self._fail(cell, index, NOT_RUN, "not run: the kernel had stopped before this cell",
                       limit=None)
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._dead = True
            detail = (f"the kernel stopped while running this cell (memory limit "
                      f"{self.memory_mb} MB, CPU limit {self.cpu_seconds} s, or a crash)")
            self._fail(cell, index, NOT_RUN, detail, limit="kernel")
        except CellTimeoutError:
            self._dead = True  # the kernel ignored the interrupt: nothing more can run in it
            detail = (f"stopped after the {self.timeout} s limit for one cell; the kernel "
                      "did not answer the interrupt")
            self._fail(cell, index, "CellTimeoutError", detail, limit="timeout")
        else:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error" and output.get("ename") in (
                        "CellTimeoutError",):
                    self._mark(cell, index, "timeout",
                               f"stopped after the {self.timeout} s limit for one cell")
                elif output.get("output_type") == "error" and output.get("ename") == "MemoryError":
                    self._mark(cell, index, "memory",
                               f"ran out of the {self.memory_mb} MB memory limit")
        return cell, resources

    def _fail(self, cell: NotebookNode, index: int, ename: str, detail: str,
              limit: str | None) -> None:
        cell.setdefault("outputs", []).append(NotebookNode(
            output_type="error", ename=ename, evalue=detail, traceback=[f"{ename}: {detail}"]))
        if limit:
            self._mark(cell, index, limit, detail)

    def _mark(self, cell: NotebookNode, index: int, limit: str, detail: str) -> None:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if not any(mark["index"] == index and mark["limit"] == limit for mark in self._stopped):
            self._stopped.append({"index": index, "grade_id": grade_id, "limit": limit,
                                  "detail": detail})

    # --- output ------------------------------------------------------------------------

    def output(self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None,
               cell_index: int) -> NotebookNode | None:
        limit = int(self.max_output_mb * 1024 * 1024)
        if limit <= 0:
            return super().output(outs, msg, display_id, cell_index)
        size = _message_size(msg.get("content", {}))
        if self._output_bytes + size <= limit:
            self._output_bytes += size
            return super().output(outs, msg, display_id, cell_index)
        if msg.get("msg_type") == "error":  # errors still count: a failed test scores 0
            return super().output(outs, msg, display_id, cell_index)
        if not self._output_cut:  # the first cell over the limit is stopped and marked
            self._output_cut = True
            self._output_bytes = limit
            cell = self.nb.cells[cell_index]
            detail = f"more than {self.max_output_mb:g} MB of output; the rest was dropped"
            outs.append(NotebookNode(output_type="error", ename="OutputLimitExceeded",
                                     evalue=detail,
                                     traceback=[f"OutputLimitExceeded: {detail}"]))
            self._mark(cell, cell_index, "output", detail)
            if self.km is not None:
                self._interrupting = asyncio.ensure_future(_interrupt(self.km))
        return None


async def _interrupt(km: Any) -> None:
    with contextlib.suppress(Exception):  # the kernel may be gone; the cell fails anyway
        await km.interrupt_kernel()


def _message_size(content: dict[str, Any]) -> int:
    """Bytes an output message adds to the notebook (text and data payloads)."""
    size = len(content.get("text", "") or "")
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value))
    for line in content.get("traceback") or []:
        size += len(line)
    return size


def _copy_data_files(source: Path, workdir: Path) -> None:
    """The assignment's data files (not notebooks) from ``source`` into the work folder."""
    if not source.is_dir() or workdir.resolve().is_relative_to(source.resolve()):
        return  # never copy a folder into itself
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if path.suffix == ".ipynb" or any(part.startswith(".") for part in relative.parts):
            continue
        target = workdir / relative
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
