"""Parallel grading workers draw kernel ports from disjoint shares (kit.course.ports)."""

from __future__ import annotations

import socket

import nbformat
import pytest

from kit.course.ports import PORT_SLOT_VARIABLE, port_slot, slot_ports
from kit.course.sandbox import SandboxedExecute


@pytest.mark.parametrize(("slot", "slots"), [(0, 1), (0, 2), (1, 2), (2, 3)])
def test_ports_are_free_distinct_and_in_the_share(slot, slots) -> None:
    ports = slot_ports(5, slot, slots)
    assert len(set(ports)) == 5
    assert all(port % slots == slot for port in ports)
    for port in ports:  # released: the kernel can bind each one
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", port))


@pytest.mark.parametrize(("value", "expected"), [
    ("1/2", (1, 2)), ("0/1", (0, 1)), ("", None), ("2/2", None), ("x/2", None), ("3", None)])
def test_port_slot_from_the_environment(monkeypatch, value, expected) -> None:
    monkeypatch.setenv(PORT_SLOT_VARIABLE, value)
    assert port_slot() == expected


def test_a_grading_worker_kernel_gets_ports_from_its_share(monkeypatch, tmp_path) -> None:
    execute = SandboxedExecute(kernel_name="python3")
    execute.nb = nbformat.v4.new_notebook()
    execute._workdir = str(tmp_path)
    monkeypatch.delenv(PORT_SLOT_VARIABLE, raising=False)
    assert execute.create_kernel_manager().shell_port == 0  # jupyter_client chooses later
    monkeypatch.setenv(PORT_SLOT_VARIABLE, "1/3")
    km = execute.create_kernel_manager()
    ports = [km.shell_port, km.iopub_port, km.stdin_port, km.hb_port, km.control_port]
    assert len(set(ports)) == 5 and all(port % 3 == 1 for port in ports)
    assert km.cache_ports is False  # so the provisioner keeps them
