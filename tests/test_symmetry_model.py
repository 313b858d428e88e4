"""The closed-form teacher-student model: kernel, loss, gradient, Hessian (math/symmetry_families.md §1, §5.1).

Independent routes: the three arithmetics against each other; finite differences and Taylor
slopes in mpmath; Monte Carlo in floats (exact.numeric.population); invariance under S_k x S_k;
the closed form at the global minimum against a dense eigen-solve.
"""

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy
from flint import arb, ctx
from hypothesis import example, given
from hypothesis import strategies as st

from exact.errors import InvalidDataError
from exact.numeric.population import float_gradient, float_loss, monte_carlo_gradient, monte_carlo_loss
from exact.symmetry import (
    act,
    arccos_kernel,
    global_minimum_hessian,
    global_minimum_spectrum,
    population_gradient,
    population_hessian,
    population_loss,
)

small = st.builds(Fraction, st.integers(-6, 6), st.integers(1, 4))


def matrices(k, d=None):
    d = k if d is None else d
    row = st.lists(small, min_size=d, max_size=d).filter(any)
    return st.lists(row, min_size=k, max_size=k)


def mp(x):
    return mpmath.mpf(x.numerator) / x.denominator


def assert_encloses(ball, exact):
    """The arb ball is narrow and contains the exact sympy value (written with 100 digits).

    At parallel vectors the ball is only as wide as the square root of the working accuracy
    (R = sqrt(G) with G enclosed around 0), hence 10^-20 at 150 bits.
    """
    assert ball.rad() < arb(10) ** -20
    assert ball.contains(arb(str(sympy.N(exact, 100))))


def random_matrix(k, seed, d=None):
    rng = np.random.default_rng(seed)
    d = k if d is None else d
    return [[Fraction(int(a), 8) for a in row] for row in rng.integers(-9, 10, size=(k, d))]


# ---------------------------------------------------------------------------------------------
# kernel


@given(u=st.lists(small, min_size=3, max_size=3), v=st.lists(small, min_size=3, max_size=3))
@example(u=[1, 0, 0], v=[-1, 0, 0])
@example(u=[1, 2, 3], v=[2, 4, 6])
def test_kernel_three_arithmetics_agree(u, v):
    exact = arccos_kernel(u, v)
    with mpmath.workdps(40):
        m = arccos_kernel(u, v, arithmetic="mpmath")
        assert abs(sympy.N(exact, 40) - m) < mpmath.mpf(10) ** -35
    with ctx.workprec(150):
        assert_encloses(arccos_kernel(u, v, arithmetic="arb"), exact)


@given(u=st.lists(small, min_size=2, max_size=2).filter(any), c=st.integers(1, 5))
def test_kernel_special_values(u, c):
    norm2 = sum(a * a for a in u)
    assert arccos_kernel(u, u) == sympy.Rational(norm2.numerator, norm2.denominator) / 2
    assert arccos_kernel(u, [c * a for a in u]) == c * sympy.Rational(norm2.numerator, norm2.denominator) / 2
    assert arccos_kernel(u, [-a for a in u]) == 0
    assert arccos_kernel(u, [0, 0]) == 0


def test_kernel_is_symmetric_and_homogeneous():
    u, v = [1, 2, -1], [Fraction(1, 2), -3, 2]
    f = arccos_kernel(u, v)
    assert sympy.simplify(f - arccos_kernel(v, u)) == 0
    assert sympy.simplify(arccos_kernel([3 * a for a in u], v) - 3 * f) == 0


# ---------------------------------------------------------------------------------------------
# loss: exact values, arithmetics, invariance


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_loss_at_identity_and_zero(k):
    eye = [[int(i == j) for j in range(k)] for i in range(k)]
    assert population_loss(eye) == 0
    zero = [[0] * k for _ in range(k)]
    const = sympy.Rational(k, 4) + sympy.Rational(k * (k - 1), 4) / sympy.pi
    assert sympy.simplify(population_loss(zero) - const) == 0
    assert population_gradient(eye) == [[0] * k for _ in range(k)]


@pytest.mark.parametrize("seed", range(4))
def test_loss_three_arithmetics_agree(seed):
    W = random_matrix(3, seed)
    exact = population_loss(W)
    with mpmath.workdps(50):
        m = population_loss(W, arithmetic="mpmath")
        assert abs(sympy.N(exact, 50) - m) < mpmath.mpf(10) ** -45
    with ctx.workprec(200):
        assert_encloses(population_loss(W, arithmetic="arb"), exact)


@given(W=matrices(3), pi=st.permutations(range(3)), rho=st.permutations(range(3)))
def test_loss_invariant_and_gradient_equivariant_under_group(W, pi, rho):
    with mpmath.workdps(40):
        L = population_loss(W, arithmetic="mpmath")
        gW = act(W, pi, rho)
        assert abs(population_loss(gW, arithmetic="mpmath") - L) < mpmath.mpf(10) ** -35
        g = population_gradient(W, arithmetic="mpmath")
        g2 = population_gradient(gW, arithmetic="mpmath")
        moved = act(g, pi, rho)
        assert max(abs(a - b) for r1, r2 in zip(moved, g2) for a, b in zip(r1, r2)) < mpmath.mpf(10) ** -35


def test_loss_invariance_exact_in_sympy():
    W = [[1, 2, 0], [Fraction(-1, 2), 1, 1], [0, 3, -1]]
    assert sympy.simplify(population_loss(act(W, [2, 0, 1], [1, 2, 0])) - population_loss(W)) == 0


def test_general_teacher_and_rectangular_students():
    V = [[1, 1], [0, 2], [1, -1]]
    assert population_loss(V, V) == 0
    W = [[1, 0], [0, 1]]  # k = 2 neurons against 3 teacher rows
    with mpmath.workdps(30):
        exact = sympy.N(population_loss(W, V), 30)
        assert abs(exact - population_loss(W, V, arithmetic="mpmath")) < mpmath.mpf(10) ** -25
    est, se = monte_carlo_loss(np.array(W, float), np.array(V, float), samples=400_000, seed=3)
    assert abs(est - float(exact)) < 5 * se


# ---------------------------------------------------------------------------------------------
# derivatives: finite differences, Taylor slopes, orientation of h_2


def _flat(M):
    return [a for row in M for a in row]


def _mp_matrix(W):
    return [[mp(a) for a in row] for row in W]


@pytest.mark.parametrize("seed", range(3))
def test_gradient_and_hessian_against_finite_differences(seed):
    W = random_matrix(3, seed)
    k = 3
    with mpmath.workdps(50):
        Wm = _mp_matrix(W)
        g = _flat(population_gradient(Wm, arithmetic="mpmath"))
        H = population_hessian(Wm, arithmetic="mpmath")
        h = mpmath.mpf(10) ** -15
        for idx in range(k * k):
            i, a = divmod(idx, k)
            plus = [row[:] for row in Wm]
            minus = [row[:] for row in Wm]
            plus[i][a] += h
            minus[i][a] -= h
            fd = (population_loss(plus, arithmetic="mpmath") - population_loss(minus, arithmetic="mpmath")) / (2 * h)
            assert abs(fd - g[idx]) < mpmath.mpf(10) ** -25
            gp = _flat(population_gradient(plus, arithmetic="mpmath"))
            gm = _flat(population_gradient(minus, arithmetic="mpmath"))
            for jdx in range(k * k):
                assert abs((gp[jdx] - gm[jdx]) / (2 * h) - H[jdx][idx]) < mpmath.mpf(10) ** -25
        assert all(abs(H[i][j] - H[j][i]) < mpmath.mpf(10) ** -40 for i in range(9) for j in range(9))


def test_taylor_slopes():
    """|L(W+tD) - L(W) - t g.D| = O(t^2) and, with the Hessian term, O(t^3)."""
    W = random_matrix(4, 11)
    rng = np.random.default_rng(5)
    D = [[mpmath.mpf(int(a)) / 7 for a in row] for row in rng.integers(-5, 6, size=(4, 4))]
    with mpmath.workdps(60):
        Wm = _mp_matrix(W)
        L0 = population_loss(Wm, arithmetic="mpmath")
        gD = sum(a * b for a, b in zip(_flat(population_gradient(Wm, arithmetic="mpmath")), _flat(D)))
        H = population_hessian(Wm, arithmetic="mpmath")
        d = _flat(D)
        dHd = sum(d[i] * H[i][j] * d[j] for i in range(16) for j in range(16))
        ts = [mpmath.mpf(10) ** (-e) for e in (3, 4, 5, 6)]
        e1, e2 = [], []
        for t in ts:
            Lt = population_loss([[a + t * b for a, b in zip(r1, r2)] for r1, r2 in zip(Wm, D)], arithmetic="mpmath")
            e1.append(abs(Lt - L0 - t * gD))
            e2.append(abs(Lt - L0 - t * gD - t * t * dHd / 2))
        slope1 = [mpmath.log10(e1[i] / e1[i + 1]) for i in range(3)]
        slope2 = [mpmath.log10(e2[i] / e2[i + 1]) for i in range(3)]
        assert all(abs(s - 2) < mpmath.mpf("0.05") for s in slope1)
        assert all(abs(s - 3) < mpmath.mpf("0.05") for s in slope2)


def test_off_diagonal_blocks_are_symmetric_as_in_the_math_file():
    """h_2(u, v) = (1/2pi)((pi-theta)I + n_wv vbar^T + n_vw wbar^T) is a symmetric matrix: orientation is moot."""
    W = random_matrix(3, 2)
    k = 3
    with mpmath.workdps(40):
        H = population_hessian(_mp_matrix(W), arithmetic="mpmath")
        for i in range(k):
            for j in range(k):
                block = [[H[i * k + a][j * k + b] for b in range(k)] for a in range(k)]
                assert max(abs(block[a][b] - block[b][a]) for a in range(k) for b in range(k)) < mpmath.mpf(10) ** -35
        assert max(abs(H[a][3 + b]) for a in range(3) for b in range(3)) > mpmath.mpf(10) ** -3


def test_hessian_at_identity_is_the_closed_form():
    for k in (2, 3, 4):
        eye = [[int(i == j) for j in range(k)] for i in range(k)]
        assert population_hessian(eye) == global_minimum_hessian(k)


@pytest.mark.parametrize("k", [3, 4, 5, 6])
def test_global_minimum_spectrum_against_dense_eigensolve(k):
    with mpmath.workdps(30):
        H = mpmath.matrix(global_minimum_hessian(k, arithmetic="mpmath"))
        values = sorted(mpmath.eigsy(H, eigvals_only=True))
    table = global_minimum_spectrum(k)
    assert sum(m for _, m in table) == k * k
    expanded = sorted(v for val, m in table for v in [sympy.N(val, 30)] * m)
    assert all(abs(a - b) < mpmath.mpf(10) ** -20 for a, b in zip(values, expanded))
    assert min(values) > 0  # the global minimum is a strict local minimum


@pytest.mark.slow
@pytest.mark.parametrize("k", [7, 8])
def test_global_minimum_spectrum_against_dense_eigensolve_larger(k):
    test_global_minimum_spectrum_against_dense_eigensolve(k)


# ---------------------------------------------------------------------------------------------
# floats: Monte Carlo and the float closed form


def test_monte_carlo_loss_and_gradient():
    W = random_matrix(4, 7)
    Wf = np.array([[float(a) for a in row] for row in W])
    exact = float(sympy.N(population_loss(W), 20))
    est, se = monte_carlo_loss(Wf, samples=1_000_000, seed=1)
    assert abs(est - exact) < 5 * se  # 5 standard errors; se is about 2e-3 of L here
    assert se < 3e-3 * exact
    g_exact = np.array([[float(sympy.N(a, 20)) for a in row] for row in population_gradient(W)])
    g_est, g_se = monte_carlo_gradient(Wf, samples=300_000, seed=2)
    assert np.all(np.abs(g_est - g_exact) < 5 * g_se + 1e-12)
    assert abs(float_loss(Wf) - exact) < 1e-12
    assert np.abs(float_gradient(Wf) - g_exact).max() < 1e-12


# ---------------------------------------------------------------------------------------------
# errors


def test_errors_name_the_input():
    with pytest.raises(InvalidDataError, match=r"W\[1\] has 1 entry, expected 2"):
        population_loss([[1, 0], [1]])
    with pytest.raises(InvalidDataError, match="float"):
        population_loss([[0.5, 0], [0, 1]])
    with pytest.raises(InvalidDataError, match="row W\\[1\\] is 0"):
        population_hessian([[1, 0], [0, 0]])
    with pytest.raises(InvalidDataError, match="W has 2 columns but V has 3"):
        population_loss([[1, 0]], [[1, 0, 0]])
    with pytest.raises(InvalidDataError, match="not one of"):
        population_loss([[1]], arithmetic="float")
