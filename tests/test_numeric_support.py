"""Vertices of {gamma >= 0 : C gamma = f} (exact.numeric.support.basic_support), checked against
independent routes: a known non-negative solution (the vertex can only be cheaper, and its columns
are independent) and, for systems with no solution, the least L1 residual found by brute force
over the faces of the cone."""

from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from exact.numeric.support import basic_support


@st.composite
def systems(draw):
    """Small integer C (n x k), positive costs and a seed for the right-hand side."""
    n = draw(st.integers(2, 4))
    k = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    C = rng.integers(-3, 4, size=(n, k)).astype(float)
    cost = rng.integers(1, 5, size=k).astype(float)
    return C, cost, rng


@settings(max_examples=80, deadline=None)
@given(systems())
def test_feasible_vertex_is_independent_and_no_dearer(case):
    C, cost, rng = case
    g0 = rng.integers(0, 3, size=C.shape[1]).astype(float)
    f = C @ g0
    keep, gamma = basic_support(C, f, cost=cost, weights=True)
    gamma = np.array(gamma)
    assert np.all(gamma > 0)
    assert np.allclose(C[:, keep] @ gamma, f, atol=1e-9)
    assert np.linalg.matrix_rank(C[:, keep]) == len(keep)  # a vertex: independent columns
    assert cost[keep] @ gamma <= cost @ g0 + 1e-9  # the cheapest point, so no dearer than g0
    assert basic_support(C, f, max_residual=0.0) is not None


def least_l1_residual(C, f):
    """min over gamma >= 0 of ||C gamma - f||_1, by brute force: an optimum has a support of
    independent columns on which C_S gamma agrees with f in |S| rows (a vertex of the L1 problem),
    so solve every square subsystem and keep the best non-negative solution."""
    n, k = C.shape
    best = np.abs(f).sum()
    for size in range(1, min(n, k) + 1):
        for cols in combinations(range(k), size):
            for rows in combinations(range(n), size):
                A = C[np.ix_(rows, cols)]
                if abs(np.linalg.det(A)) < 1e-9:
                    continue
                g = np.linalg.solve(A, f[list(rows)])
                if np.all(g >= -1e-12):
                    best = min(best, np.abs(C[:, cols] @ g - f).sum())
    return best


@settings(max_examples=80, deadline=None)
@given(systems(), st.lists(st.integers(-6, 6), min_size=4, max_size=4))
def test_infeasible_system_gets_the_least_l1_residual(case, rhs):
    C, cost, _ = case
    f = np.array(rhs[: C.shape[0]], dtype=float)
    keep, gamma = basic_support(C, f, cost=cost, weights=True)
    residual = np.abs(C[:, keep] @ np.array(gamma) - f).sum() if keep else np.abs(f).sum()
    best = least_l1_residual(C, f)
    assert residual <= best + 1e-7
    if best > 1e-7:  # no solution: refused above the accepted residual, not below it
        size = np.abs(f).sum()
        assert basic_support(C, f, max_residual=0.5 * best / size) is None
        assert basic_support(C, f, max_residual=2 * best / size) is not None


@settings(max_examples=80, deadline=None)
@given(systems())
def test_purified_vertex_is_independent_fits_and_costs_no_more_than_its_start(case):
    """purified (the large-system route of basic_support): from g0 >= 0 it reaches a support of
    independent columns that still fits f = C g0, at a cost no higher than g0's."""
    from exact.numeric.support import purified

    C, cost, rng = case
    g0 = rng.integers(0, 3, size=C.shape[1]).astype(float)
    f = C @ g0
    keep, gamma = purified(C, f, g0, cost, weights=True)
    gamma = np.array(gamma)
    assert np.all(gamma > 0)
    assert np.allclose(C[:, keep] @ gamma, f, atol=1e-9)
    assert np.linalg.matrix_rank(C[:, keep]) == len(keep)
    assert cost[keep] @ gamma <= cost @ g0 + 1e-9


@settings(max_examples=80, deadline=None)
@given(systems(), st.integers(0, 5))
def test_purified_moves_a_dropped_columns_weight_or_refuses(case, drop):
    """Without one column of a fitting g0, purified repairs the fit from the other columns when
    some non-negative weights on them fit f (their least L1 residual, brute force, is 0) and
    refuses (None at max_residual 1e-9) when none do."""
    from exact.numeric.support import purified

    C, cost, rng = case
    g0 = rng.integers(1, 3, size=C.shape[1]).astype(float)
    f = C @ g0
    rest = [j for j in range(C.shape[1]) if j != drop % C.shape[1]]
    if not rest:
        return
    found = purified(C[:, rest], f, g0[rest], cost[rest], weights=True, max_residual=1e-9)
    best = least_l1_residual(C[:, rest], f)
    if best > 1e-6:
        assert found is None
    elif found is not None:  # the repair may stop short of a fit that exists only on other columns
        keep, gamma = found
        assert np.allclose(C[:, rest][:, keep] @ np.array(gamma), f, atol=1e-7)
        assert np.linalg.matrix_rank(C[:, rest][:, keep]) == len(keep)
