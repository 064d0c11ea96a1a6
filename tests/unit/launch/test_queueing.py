"""Erlang B/C and the M/M/c state: textbook values, an exact oracle, properties, bad input."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.errors import InputError
from kit.launch.queueing import erlang_b, erlang_c, mmc, wait_longer_than


def exact_erlang_c(servers: int, load: Fraction) -> Fraction:
    """The closed form with exact fractions: (a^c/c!)(c/(c-a)) / (sum + that)."""
    term = Fraction(1)
    total = Fraction(0)
    for k in range(servers):
        total += term
        term = term * load / (k + 1)
    top = term * servers / (servers - load)
    return top / (total + top)


@pytest.mark.parametrize(("servers", "load", "expected"), [
    (1, 1.0, 0.5),          # B(1, a) = a / (1 + a)
    (2, 1.0, 0.2),          # Erlang B tables: 2 lines, 1 Erlang
    (3, 2.0, 4 / 19),       # 3 lines, 2 Erlangs: 0.2105
    (10, 5.0, 0.018385),    # Erlang B tables: 10 lines, 5 Erlangs: 1.84%
    (5, 0.0, 0.0),
])
def test_erlang_b_textbook(servers: int, load: float, expected: float) -> None:
    assert erlang_b(servers, load) == pytest.approx(expected, rel=1e-4)


@pytest.mark.parametrize(("servers", "load", "expected"), [
    (1, 0.5, 0.5),          # M/M/1: P(wait) = rho
    (1, 0.9, 0.9),
    (2, 1.0, 1 / 3),        # M/M/2 at rho 0.5
    (3, 2.5, 0.702247),     # M/M/3, lambda 10, mu 4
    (10, 8.0, 0.409),       # call-centre tables: 10 agents, 8 Erlangs
    (4, 4.0, 1.0),          # at capacity every request waits
    (4, 9.0, 1.0),          # overloaded
])
def test_erlang_c_textbook(servers: int, load: float, expected: float) -> None:
    assert erlang_c(servers, load) == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize(("servers", "load"), [
    (1, "1/3"), (7, "5"), (20, "15.5"), (50, "49"), (120, "100"), (300, "290"),
])
def test_erlang_c_matches_the_exact_closed_form(servers: int, load: str) -> None:
    exact = exact_erlang_c(servers, Fraction(load))
    assert erlang_c(servers, float(Fraction(load))) == pytest.approx(float(exact), rel=1e-9)


def test_hundreds_and_thousands_of_servers_stay_finite() -> None:
    for servers in (500, 2000, 10_000):
        value = erlang_c(servers, servers * 0.97)
        assert 0 < value < 1 and math.isfinite(value)


def test_mmc_state_and_overload() -> None:
    state = mmc(10, 4, 3)
    assert state.utilisation == pytest.approx(10 / 12)
    assert state.mean_wait_s == pytest.approx(state.p_wait / (12 - 10))
    assert state.response_s == pytest.approx(0.25 + state.mean_wait_s)
    assert not state.overloaded and "response_s" in repr(state)
    assert state.p_wait_longer(0) == pytest.approx(state.p_wait)
    over = mmc(12, 4, 3)
    assert over.overloaded and over.mean_wait_s == math.inf and over.p_wait_longer(100) == 1.0
    assert "OVERLOADED" in over._repr_html_() and "overloaded" in repr(over)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: erlang_c(0, 1.0), "servers"),
    (lambda: erlang_c(2.5, 1.0), "servers"),
    (lambda: erlang_c(True, 1.0), "servers"),
    (lambda: erlang_b(3, -1), "load"),
    (lambda: erlang_b(3, float("nan")), "load"),
    (lambda: mmc(5, 0, 2), "service_rate"),
    (lambda: mmc("many", 1, 2), "arrival_rate"),
    (lambda: mmc(1, 2, 3).p_wait_longer(-1), "seconds"),
    (lambda: wait_longer_than(np.array([1.0, -2.0]), 1.0, 2, 1.0), "arrival rates"),
])
def test_bad_input_is_an_input_error(call, message: str) -> None:
    with pytest.raises(InputError, match=message):
        call()


@given(st.integers(1, 400), st.floats(0, 1.2), st.floats(0, 1.2))
def test_erlang_c_is_a_probability_and_grows_with_load(servers: int, rho1: float,
                                                       rho2: float) -> None:
    low, high = sorted((rho1, rho2))
    c_low, c_high = erlang_c(servers, low * servers), erlang_c(servers, high * servers)
    assert 0.0 <= c_low <= 1.0 and 0.0 <= c_high <= 1.0
    assert c_low <= c_high + 1e-12


@given(st.integers(1, 200), st.floats(0.01, 0.99))
def test_more_servers_never_wait_more(servers: int, rho: float) -> None:
    load = rho * servers
    assert erlang_c(servers + 1, load) <= erlang_c(servers, load) + 1e-12
    assert erlang_b(servers, load) <= erlang_c(servers, load) + 1e-12  # C >= B


@given(st.lists(st.floats(0, 500), min_size=1, max_size=20), st.integers(1, 30),
       st.floats(0.5, 50), st.floats(0, 30))
def test_vectorised_matches_the_scalar_state(rates: list[float], servers: int, mu: float,
                                             seconds: float) -> None:
    p_wait, wait, longer = wait_longer_than(np.array(rates), mu, servers, seconds)
    for i, rate in enumerate(rates):
        state = mmc(rate, mu, servers)
        assert p_wait[i] == pytest.approx(state.p_wait, abs=1e-12)
        assert longer[i] == pytest.approx(state.p_wait_longer(seconds), abs=1e-12)
        assert (wait[i] == math.inf) == state.overloaded
        assert 0.0 <= longer[i] <= 1.0
