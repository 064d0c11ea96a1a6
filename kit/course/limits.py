"""The grading limits, defined once: what stops a runaway notebook, and how long grading waits.

:class:`GradingLimits` holds every limit with its default.  The course's
``nbgrader_config.py`` (written by ``crosstalk course init``), the traits of
:class:`kit.course.sandbox.SandboxedExecute` and ``crosstalk grade``'s deadline per
submission all take their values from here, so ``crosstalk grade``, ``nbgrader autograde``
and the formgrader's *Autograde* button grade inside the same limits.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

__all__ = ["DEFAULT_LIMITS", "MAX_ANSWER_CHARS", "GradingLimits", "limits_of",
           "submission_deadline"]


@dataclass(frozen=True)
class GradingLimits:
    """What stops a runaway notebook; the first four are written to a course's config."""

    cell_timeout: int = 30
    """Seconds one cell may run (nbgrader's ``timeout``)."""
    max_output_mb: float = 10.0
    """Output the whole notebook may produce, in MB; 0: no limit."""
    memory_mb: int = 2048
    """Address space of the kernel in MB; 0: none."""
    cpu_seconds: int = 600
    """CPU time of the kernel for the whole notebook; 0: none."""
    file_mb: int = 100
    """Largest file the kernel may write, in MB; 0: none."""
    kernel_grace: float = 5.0
    """Seconds a stopped cell may take to answer an interrupt."""
    max_processes: int = 128
    """Processes and threads of one kernel with its children (cgroup ``pids.max``); 0: none."""
    cpus: float = 1.0
    """CPUs one kernel with its children may use (cgroup ``cpu.max``); 0: no cap."""
    disk_mb: int = 200
    """Size of the kernel's work folder in MB (a tmpfs, as root); 0: no cap."""


DEFAULT_LIMITS = GradingLimits()

MAX_ANSWER_CHARS = 64 * 1024 * 1024
"""Largest answer (characters of plain data) a kernel may hand to the checks."""

DEADLINE_BASE = 120.0
"""Seconds ``crosstalk grade`` gives a submission on top of its cells' limits."""
DEADLINE_SLACK = 5.0
"""Seconds per code cell on top of its timeout and grace, before a worker is stopped."""

_TRAITS = {"cell_timeout": "timeout"}
"""Limits whose name in ``SandboxedExecute`` differs."""


def limits_of(config: Any) -> GradingLimits:
    """The limits a course's nbgrader config sets (``c.SandboxedExecute.*``); defaults
    for those it leaves out."""
    section = config.SandboxedExecute
    values: dict[str, Any] = {}
    for item in fields(GradingLimits):
        trait = _TRAITS.get(item.name, item.name)
        if trait in section and section[trait] is not None:
            kind = type(getattr(DEFAULT_LIMITS, item.name))
            values[item.name] = kind(section[trait])
    return GradingLimits(**values)


def submission_deadline(limits: GradingLimits, code_cells: int) -> float:
    """Seconds ``crosstalk grade`` waits for one submission of ``code_cells`` code cells
    before it stops the worker (a cell that ignores interrupts, say): every cell may use
    its timeout and grace, plus a fixed allowance for starting kernels."""
    return DEADLINE_BASE + code_cells * (limits.cell_timeout + limits.kernel_grace
                                         + DEADLINE_SLACK)
