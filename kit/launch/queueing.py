"""The M/M/c queue, exactly: Erlang B, Erlang C, waiting and response times.

A site with ``c`` identical servers, requests arriving at random (Poisson, rate
``arrival_rate`` per second) and served one at a time per server in a random time
(exponential, mean ``1 / service_rate``), first come first served.  That is the M/M/c
model (Erlang, 1917; any queueing text, e.g. Kleinrock, *Queueing Systems* vol. 1, §3.5).

* offered load ``a = arrival_rate / service_rate`` (Erlangs), utilisation ``rho = a / c``;
* Erlang B by the stable recursion ``B(0) = 1``, ``B(k) = a B(k-1) / (k + a B(k-1))``,
  then Erlang C ``C = c B / (c - a (1 - B))``: no factorials, no overflow, exact for
  thousands of servers;
* mean wait ``Wq = C / (c mu - lambda)``, response ``W = 1/mu + Wq``;
* the share of requests that wait longer than ``t``: ``P(Wq > t) = C exp(-(c mu - lambda) t)``.

At ``rho >= 1`` the queue grows without bound: the state says ``overloaded``, the
waits are ``inf`` and every request waits longer than any finite ``t``; nothing divides
by zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kit.errors import InputError
from kit.results import Result

__all__ = ["QueueState", "erlang_b", "erlang_c", "mmc", "wait_longer_than"]


def _check_servers(servers: object) -> int:
    if isinstance(servers, bool) or not isinstance(servers, (int, np.integer)) or servers < 1:
        raise InputError(f"servers = {servers!r}: expected a whole number of servers, at least 1.")
    return int(servers)


def _check_rate(name: str, value: object, *, positive: bool = False) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{name} = {value!r}: expected a number.") from None
    if math.isnan(number) or math.isinf(number) or number < 0 or (positive and number == 0):
        bound = "greater than 0" if positive else "0 or more"
        raise InputError(f"{name} = {value!r}: expected a finite number {bound}.")
    return number


def _erlang_b_array(servers: int, load: np.ndarray) -> np.ndarray:
    blocking = np.ones_like(load, dtype=float)
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability of an M/M/c/c system (lost-calls-cleared) with offered ``load``."""
    c = _check_servers(servers)
    a = _check_rate("load", load)
    return float(_erlang_b_array(c, np.array([a]))[0])


def _erlang_c_array(servers: int, load: np.ndarray) -> np.ndarray:
    blocking = _erlang_b_array(servers, load)
    stable = load < servers
    with np.errstate(divide="ignore", invalid="ignore"):
        c = servers * blocking / (servers - load * (1.0 - blocking))
    return np.where(stable, np.clip(c, 0.0, 1.0), 1.0)


def erlang_c(servers: int, load: float) -> float:
    """Probability that a request has to wait (M/M/c); 1.0 when ``load >= servers``."""
    c = _check_servers(servers)
    a = _check_rate("load", load)
    return float(_erlang_c_array(c, np.array([a]))[0])


@dataclass(frozen=True)
class QueueState(Result):
    """One M/M/c steady state: the figures IT reads, with times in seconds."""

    servers: int
    arrival_rate: float
    service_rate: float
    utilisation: float
    p_wait: float
    mean_wait_s: float
    response_s: float
    overloaded: bool

    def p_wait_longer(self, seconds: float) -> float:
        """Share of requests that wait in the queue longer than ``seconds``."""
        t = _check_rate("seconds", seconds)
        if self.overloaded:
            return 1.0
        slack = self.servers * self.service_rate - self.arrival_rate
        return float(self.p_wait * math.exp(-slack * t))

    def __repr__(self) -> str:
        state = "overloaded" if self.overloaded else f"response_s={self.response_s:.4g}"
        return (f"QueueState(servers={self.servers}, utilisation={self.utilisation:.3f}, "
                f"p_wait={self.p_wait:.4f}, {state})")

    @property
    def summary(self) -> dict[str, int | float | bool]:
        """The steady state's figures (times in seconds; ``inf`` when overloaded)."""
        return {"servers": self.servers, "arrival_rate": self.arrival_rate,
                "service_rate": self.service_rate, "utilisation": self.utilisation,
                "p_wait": self.p_wait, "mean_wait_s": self.mean_wait_s,
                "response_s": self.response_s, "overloaded": self.overloaded}

    def summary_rows(self) -> list[tuple[str, str]]:
        return [("servers", f"{self.servers:,}"),
                ("requests per second", f"{self.arrival_rate:,.1f}"),
                ("utilisation", f"{self.utilisation:.1%}"),
                ("share of requests that wait", f"{self.p_wait:.1%}"),
                ("mean wait", "grows without bound" if self.overloaded
                 else f"{self.mean_wait_s * 1000:,.1f} ms"),
                ("mean response", "grows without bound" if self.overloaded
                 else f"{self.response_s * 1000:,.1f} ms")]

    def summary_caption(self) -> str:
        return "M/M/c queue: OVERLOADED" if self.overloaded else "M/M/c queue"


def mmc(arrival_rate: float, service_rate: float, servers: int) -> QueueState:
    """The M/M/c steady state for ``arrival_rate`` requests/s, each server ``service_rate``/s."""
    lam = _check_rate("arrival_rate", arrival_rate)
    mu = _check_rate("service_rate", service_rate, positive=True)
    c = _check_servers(servers)
    load = lam / mu
    utilisation = load / c
    if load >= c:
        return QueueState(c, lam, mu, utilisation, 1.0, math.inf, math.inf, True)
    p_wait = float(_erlang_c_array(c, np.array([load]))[0])
    wait = p_wait / (c * mu - lam)
    return QueueState(c, lam, mu, utilisation, p_wait, wait, 1.0 / mu + wait, False)


def wait_longer_than(
    arrival_rate: np.ndarray, service_rate: float, servers: int, seconds: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised over arrival rates: ``(p_wait, mean_wait_s, share waiting > seconds)``.

    Overloaded entries (``arrival_rate >= servers * service_rate``) give ``p_wait = 1``,
    ``mean_wait_s = inf`` and a share of 1.
    """
    mu = _check_rate("service_rate", service_rate, positive=True)
    c = _check_servers(servers)
    t = _check_rate("seconds", seconds)
    lam = np.asarray(arrival_rate, dtype=float)
    if np.any(~np.isfinite(lam)) or np.any(lam < 0):
        raise InputError("arrival rates must be finite numbers, 0 or more.")
    p_wait = _erlang_c_array(c, lam / mu)
    slack = c * mu - lam
    stable = slack > 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        wait = np.where(stable, p_wait / np.where(stable, slack, 1.0), np.inf)
        longer = np.where(stable, p_wait * np.exp(-np.where(stable, slack, 0.0) * t), 1.0)
    return p_wait, wait, longer
