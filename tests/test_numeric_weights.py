"""The convex problem on fixed atoms in its weights (exact.numeric.weights): checked by duality
(a dual feasible nu and a primal point with equal values, the route of math/convex_duality.md
§3), not by the algorithm's own stopping rule."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from exact.numeric.weights import optimal_weights


def primal_dual(V, y, beta, kap, nu, free=None):
    """Group-lasso value at u_b = kappa_b V_b^T nu (w by least squares), the dual value at nu,
    and the largest ||V_b^T nu|| / beta."""
    u = [k * v.T @ nu for v, k in zip(V, kap)]
    fit = sum((v @ ub for v, ub in zip(V, u)), np.zeros(len(y)))
    if free is not None:
        fit = fit + free @ np.linalg.lstsq(free, y - nu - fit, rcond=None)[0]
    primal = 0.5 * np.sum((y - fit) ** 2) + beta * sum(np.linalg.norm(ub) for ub in u)
    dual = y @ nu - 0.5 * nu @ nu
    worst = max(np.linalg.norm(v.T @ nu) for v in V) / beta
    return primal, dual, worst, fit


@st.composite
def atoms(draw):
    """Random small atoms V_b (n x d_b, entries in [-3, 3], rank 1 to 3), labels and beta."""
    n = draw(st.integers(2, 7))
    m = draw(st.integers(1, 9))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    V = [rng.integers(-3, 4, size=(n, int(rng.integers(1, 4)))).astype(float) for _ in range(m)]
    y = rng.integers(-5, 6, size=n).astype(float)
    beta = float(draw(st.sampled_from([0.25, 0.5, 1.0, 2.0])))
    return V, y, beta


@settings(max_examples=60, deadline=None)
@given(atoms())
def test_weights_are_optimal_by_duality(case):
    V, y, beta = case
    kap, nu, used = optimal_weights(V, y, beta)
    primal, dual, worst, fit = primal_dual(V, y, beta, kap, nu)
    scale = 1 + abs(primal)
    assert worst <= 1 + 1e-6  # nu is dual feasible
    assert primal - dual <= 1e-6 * scale  # zero gap: both optimal
    assert np.allclose(nu, y - fit, atol=1e-6 * (1 + np.abs(y).max()))  # nu = y - fit
    for b in used:  # every atom proposed as used is tight
        assert abs(np.linalg.norm(V[b].T @ nu) - beta) <= 1e-6 * beta


@settings(max_examples=40, deadline=None)
@given(atoms(), st.integers(0, 2**32 - 1))
def test_with_a_free_linear_term(case, seed):
    V, y, beta = case
    F = np.random.default_rng(seed).integers(-2, 3, size=(len(y), 1)).astype(float)
    if not F.any():
        F[0, 0] = 1.0
    kap, nu, _ = optimal_weights(V, y, beta, free=F)
    primal, dual, worst, _ = primal_dual(V, y, beta, kap, nu, free=F)
    assert np.abs(F.T @ nu).max() <= 1e-8 * (1 + np.abs(y).max())  # the dual constraint of w
    assert worst <= 1 + 1e-6
    assert primal - dual <= 1e-6 * (1 + abs(primal))


def test_zero_network_when_beta_is_large():
    V = [np.array([[1.0], [0.0]]), np.array([[1.0], [1.0]])]
    kap, nu, used = optimal_weights(V, [1, 1], 10)
    assert len(used) == 0 and np.allclose(nu, [1, 1], atol=1e-9) and kap.max() < 1e-6


def test_more_atoms_than_rows_the_weights_are_not_unique_nu_is():
    """Three copies of one column: any split of the weight is optimal; nu is the one optimum
    (y = (3, 0), beta = 1: one atom e_1 with kappa = 2, nu = (1, 0))."""
    e1 = np.array([[1.0], [0.0]])
    kap, nu, used = optimal_weights([e1, e1, e1], [3, 0], 1)
    assert np.allclose(nu, [1, 0], atol=1e-9)
    assert abs(kap.sum() - 2) < 1e-6 and sorted(used.tolist()) == [0, 1, 2]
