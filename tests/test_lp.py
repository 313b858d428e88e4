"""Exact LP: certificates re-verified, and agreement with an independent float solver (HiGHS)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import linprog

from exact.errors import CertificateError
from exact.lp import solve_lp, strictly_feasible, verify_lp

small = st.integers(-3, 3)


@st.composite
def lps(draw):
    N = draw(st.integers(1, 5))
    mu, me = draw(st.integers(0, 4)), draw(st.integers(0, 2))
    c = draw(st.lists(small, min_size=N, max_size=N))
    Aub = draw(st.lists(st.lists(small, min_size=N, max_size=N), min_size=mu, max_size=mu))
    bub = draw(st.lists(st.integers(-3, 5), min_size=mu, max_size=mu))
    Aeq = draw(st.lists(st.lists(small, min_size=N, max_size=N), min_size=me, max_size=me))
    beq = draw(st.lists(small, min_size=me, max_size=me))
    free = draw(st.lists(st.integers(0, N - 1), unique=True))
    return c, Aub, bub, Aeq, beq, free


@given(lps())
def test_status_value_and_certificate(lp):
    c, Aub, bub, Aeq, beq, free = lp
    res = solve_lp(c, Aub, bub, Aeq, beq, free=free)
    assert verify_lp(res, c, Aub, bub, Aeq, beq, free=free)
    bounds = [(None, None) if k in free else (0, None) for k in range(len(c))]
    ref = linprog(c, A_ub=Aub or None, b_ub=bub or None, A_eq=Aeq or None, b_eq=beq or None, bounds=bounds)
    assert {0: "optimal", 2: "infeasible", 3: "unbounded"}[ref.status] == res.status
    if res.status == "optimal":
        assert abs(float(res.value) - ref.fun) < 1e-7


def test_tampered_certificates_are_rejected():
    c, A, b = [-1, -1], [[1, 2], [3, 1]], [4, 6]
    res = solve_lp(c, A, b)
    lower = res.__class__("optimal", x=res.x, value=res.value, y_ub=(res.y_ub[0], 0), y_eq=())
    with pytest.raises(CertificateError):
        verify_lp(lower, c, A, b)
    outside = res.__class__("optimal", x=(2, 2), value=-4, y_ub=res.y_ub, y_eq=())
    with pytest.raises(CertificateError, match="violates A_ub"):
        verify_lp(outside, c, A, b)


def test_degenerate_lp_terminates():
    # Beale's example, on which the largest-coefficient rule cycles; Bland's rule terminates
    c = ["-3/4", 20, "-1/2", 6]
    A = [["1/4", -8, -1, 9], ["1/2", -12, "-1/2", 3], [0, 0, 1, 0]]
    res = solve_lp(c, A, [0, 0, 1])
    assert res.status == "optimal" and res.value == Fraction(-5, 4)
    assert verify_lp(res, c, A, [0, 0, 1])


def test_gordan_certificate():
    ok, lam = strictly_feasible([[1, 0], [0, 1], [-1, -1]])
    assert not ok and all(a >= 0 for a in lam) and max(lam) == 1
    assert [sum(lk * r[i] for lk, r in zip(lam, [[1, 0], [0, 1], [-1, -1]])) for i in range(2)] == [0, 0]
