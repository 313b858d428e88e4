"""The stationarity kernel: Clarke stationarity, cone / local / global minima, escapes.

Independent routes: the kink examples of ``math/convex_duality.md`` R6.4 worked by hand; the
convex hull decided by brute force (Caratheodory simplices, exact barycentric solves) instead
of the box solve / exact LP; escapes re-evaluated by exact arithmetic on F itself; the trusted
checker on every certificate, and tampered certificates rejected.
"""

import copy
import random
from fractions import Fraction
from itertools import combinations

import pytest
import sympy

from exact import Dataset
from exact.checker import check_certificate
from exact.cone_faces import project_exact, solve_linear
from exact.cones import project
from exact.convex import nonconvex_objective
from exact.errors import InvalidDataError
from exact.lp import solve_lp
from exact.multiquadratic import sqrt_rational
from exact.stationary import (
    Network,
    adjacent_regions,
    classify,
    clarke_stationarity,
    cone_minimum,
    descent_polynomial,
    global_minimum,
    local_minimum,
)

# R6.4 (a): Clarke stationary on a kink, not a local minimum
KINK_A = (Dataset([[0, 1], [1, 1], [1, -1]], [2, 1, 2], 1), [[1, 0]], [1])
# R6.4 (b): optimal for C_{(+,-)}, not stationary
KINK_B = (Dataset([[1, 0], [3, 4]], ["5/2", 1], 1), [[1, "-3/4"]], ["5/4"])
# dependent kink rows x1, x2, x1 + x2 at w = e3: the box [0,1]^3 has the corner (+,+,-), which
# is no region; the target needs exactly that corner
R2 = sqrt_rational(2)
DEPENDENT = (
    Dataset([[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1], [1, 1, 1]], [1, 1, -1, 3, 0], 1),
    [[0, 0, 1]],
    [1],
)


def verified(cert):
    res = check_certificate(cert)
    assert res.ok, res.failure
    return res


def theta_plus(net, direction, eps):
    """theta + eps d as sympy weights (r, v) -> da = r a, dw = v / |a| (or da = r, dw = v)."""
    W, a = net.weights()
    W2, a2 = [], []
    for wj, aj, (r, v) in zip(W, a, direction):
        if aj == 0:
            W2.append([c + eps * sympy.Rational(vc) for c, vc in zip(wj, v)])
            a2.append(eps * sympy.Rational(r))
        else:
            W2.append([c + eps * sympy.Rational(vc) / abs(aj) for c, vc in zip(wj, v)])
            a2.append(aj * (1 + eps * sympy.Rational(r)))
    return W2, a2


def drops(data, net, direction, eps=Fraction(1, 10**6)):
    """F(theta + eps d) < F(theta), decided exactly on F itself."""
    W, a = net.weights()
    before = nonconvex_objective(data, W, a)
    after = nonconvex_objective(data, *theta_plus(net, direction, sympy.Rational(eps)))
    return bool(sympy.simplify(sympy.sympify(after) - sympy.sympify(before)) < 0)


# ---------------------------------------------------------------------------------------------
# the kink examples of R6.4


def test_kink_a_is_clarke_stationary_with_half_weight():
    data, W, a = KINK_A
    res = clarke_stationarity(data, Network.from_weights(W, a))
    assert res.stationary
    # D tilde = diag(1/2, 1, 1): half of each adjacent region
    delta = sum(mu * (1 if r.signs[0] > 0 else 0) for r, mu in res.weights[0])
    assert delta == Fraction(1, 2) and {r.signs for r, _ in res.weights[0]} == {(1, 1, 1), (-1, 1, 1)}
    assert res.nu == (2, Fraction(0), 1)
    verified(res.certificate())


def test_kink_a_both_subsampled_duals_violated_and_not_a_local_minimum():
    data, W, a = KINK_A
    nu = [2, 0, 1]
    for signs in [(1, 1, 1), (-1, 1, 1)]:
        A = [[c if s > 0 else -c for c in x] for x, s in zip(data.X, signs)]
        g = [sum(x[c] * v for x, v, s in zip(data.X, nu, signs) if s > 0) for c in range(2)]
        assert project(A, g).sq_norm == 2  # > beta^2 = 1 (R6.4 (a))
    net = Network.from_weights(W, a)
    res = local_minimum(data, net)
    assert not res.holds and res.escape.order == 1 and res.escape.coefficients[0] < 0
    assert drops(data, net, res.escape.direction)
    verified(res.certificate())


def test_kink_a_naive_projection_test_misses_it():
    """At a kink, comparing beta w / a with the cone projection of X^T D nu says 'not stationary'."""
    data, W, a = KINK_A
    nu, w = [2, 0, 1], [1, 0]
    for signs in [(1, 1, 1), (-1, 1, 1)]:
        A = [[c if s > 0 else -c for c in x] for x, s in zip(data.X, signs)]
        g = [sum(x[c] * v for x, v, s in zip(data.X, nu, signs) if s > 0) for c in range(2)]
        assert list(project(A, g).point) != [data.beta * c for c in w]
    assert clarke_stationarity(data, Network.from_weights(W, a)).stationary


def test_kink_b_cone_optimal_but_not_stationary():
    data, W, a = KINK_B
    net = Network.from_weights(W, a)
    cone = cone_minimum(data, net, cones=[((1, -1), 1)])
    assert cone.holds
    g = [Fraction(5, 4), 0]  # X^T D nu for the pattern (+,-), nu = (5/4, 1)
    assert project([[1, 0], [-3, -4]], g).point == (Fraction(4, 5), Fraction(-3, 5))
    verified(cone.certificate())
    res = clarke_stationarity(data, net)
    assert not res.stationary
    cert = verified(res.certificate())
    assert any("Clarke derivative" in line for line in cert.checks)
    # "F drops as w_2 grows", checked on F itself
    W0, a0 = net.weights()
    eps = sympy.Rational(1, 10**4)
    grown = nonconvex_objective(data, [[W0[0][0], W0[0][1] + eps]], a0)
    assert grown < nonconvex_objective(data, W0, a0)
    assert cone_minimum(data, net).holds is False  # the default cone there is (+,+)


# ---------------------------------------------------------------------------------------------
# dependent kink rows: the box [0, 1]^Z is only an outer approximation


def box_lp(data, w, nu, target):
    """The naive test: target - G_0 in {sum_k delta_k nu_k x_k : 0 <= delta_k <= 1} (exact LP)."""
    X = data.X
    kinks = [k for k, x in enumerate(X) if sum(a * b for a, b in zip(x, w)) == 0]
    act = [k for k, x in enumerate(X) if sum(a * b for a, b in zip(x, w)) > 0]
    tau = [target[c] - sum(nu[k] * X[k][c] for k in act) for c in range(data.d)]
    A_eq = [[nu[k] * X[k][c] for k in kinks] for c in range(data.d)]
    return solve_lp([0] * len(kinks), A_ub=[[int(i == j) for j in range(len(kinks))] for i in range(len(kinks))], b_ub=[1] * len(kinks), A_eq=A_eq, b_eq=tau)


def test_dependent_kinks_box_says_stationary_regions_say_not():
    data, W, a = DEPENDENT
    net = Network.from_weights(W, a)
    res = clarke_stationarity(data, net)
    assert res.nu == (1, 1, -1, 2, -1)
    assert box_lp(data, [0, 0, 1], res.nu, [0, 0, 1]).status == "optimal"  # the box is fooled
    assert len(adjacent_regions(data.X, [0, 0, 1])) == 6  # not 2^3: (+,+,-), (-,-,+) are no regions
    assert not res.stationary
    cert = verified(res.certificate())
    assert any("Clarke derivative" in line for line in cert.checks)
    assert drops(data, net, res.escape.direction)
    assert classify(data, net).kind == "not_stationary"


# ---------------------------------------------------------------------------------------------
# zero neurons: the D6.5 saddle


def test_zero_neuron_saddle_escapes_at_second_order():
    data = Dataset([[1, 0], [0, 1]], [3, -3], 1)
    net = Network.from_blocks([(1, (2, 0))], width=2)  # the optimal + neuron u = (2, 0), and a zero neuron
    W, a = net.weights()
    assert W[0] == [sympy.sqrt(2), 0] and a == [sympy.sqrt(2), 0]
    res = local_minimum(data, net)
    assert clarke_stationarity(data, net).stationary
    assert not res.holds and res.escape.order == 2 and res.escape.neuron == 1
    # Delta F = eps^2 ||p||^2 (beta^2 - ||p||^2) / (2 beta), p = Pi(-X^T D nu) = (0, 3)
    assert res.escape.coefficients[1] == Fraction(9 * (1 - 9), 2)
    assert drops(data, net, res.escape.direction, eps=Fraction(1, 100))
    verified(res.certificate())
    kind = classify(data, net)
    assert kind.kind == "non_minimum_stationary"  # never "local minimum"


def test_stationary_non_minimum_is_never_reported_as_a_local_minimum():
    """The test that catches the mistake: every point classified as a non-minimum carries an
    escape that decreases F exactly, and a local-minimum verdict survives random probing."""
    saddle = (Dataset([[1, 0], [0, 1]], [3, -3], 1), [[sympy.sqrt(2), 0], [0, 0]], [sympy.sqrt(2), 0])
    for data, W, a in [KINK_A, saddle]:
        c = classify(data, W, a)
        assert c.kind == "non_minimum_stationary" and c.stationarity.stationary and not c.local.holds
        assert drops(data, Network.from_weights(W, a), c.local.escape.direction, eps=Fraction(1, 100))
    data = Dataset([[1, 0], [0, 1]], [3, -3], 1)
    c = classify(data, [[1, 0], [1, 0]], [1, 1])
    assert c.kind == "spurious_local_minimum"
    net = Network.from_weights([[1, 0], [1, 0]], [1, 1])
    rng = random.Random(1)
    for _ in range(30):
        d = [(Fraction(rng.randint(-3, 3)), (Fraction(rng.randint(-3, 3)), Fraction(rng.randint(-3, 3)))) for _ in range(2)]
        assert not drops(data, net, d, eps=Fraction(1, 1000))


# ---------------------------------------------------------------------------------------------
# brute force: the Clarke decision against Caratheodory simplices


def in_hull_brute(points, t):
    """t in conv(points), by exact barycentric solves on every affinely independent subset."""
    d = len(t)
    for k in range(1, min(len(points), d + 1) + 1):
        for sub in combinations(points, k):
            base = sub[0]
            M = [[p[c] - base[c] for p in sub[1:]] for c in range(d)]
            rhs = [t[c] - base[c] for c in range(d)]
            # least squares on the differences (normal equations), then check exactly
            cols = list(zip(*M)) if M and M[0] else []
            if cols:
                gram = [[sum(a * b for a, b in zip(u, v)) for v in cols] for u in cols]
                try:
                    lam = solve_linear(gram, [sum(a * b for a, b in zip(u, rhs)) for u in cols])
                except InvalidDataError:
                    continue
            else:
                lam = []
            if any(sum(l * col[c] for l, col in zip(lam, cols)) != rhs[c] for c in range(d)):
                continue
            if all(l >= 0 for l in lam) and sum(lam) <= 1:
                return True
    return False


def random_kinked_instance(rng):
    """One balanced neuron u with rational norm, kink rows orthogonal to it, beta from the a-equation."""
    u = rng.choice([(0, 0, 2), (3, 4, 0), (0, 1, 0), (2, 2, 1), (1, 2, 2)])
    scale = Fraction(1, rng.choice([2, 3, 4, 6]))
    rows = []
    while len(rows) < 5:
        x = [rng.randint(-2, 2) for _ in range(3)]
        if rng.random() < 0.5:  # project to the kink plane with an integer combination
            uu = sum(c * c for c in u)
            xu = sum(a * b for a, b in zip(x, u))
            x = [uu * a - xu * b for a, b in zip(x, u)]
        if any(x):
            rows.append(x)
    y = [rng.randint(-2, 6) for _ in rows]
    u = [scale * c for c in u]
    norm = sqrt_rational(sum(c * c for c in u))
    fit = [max(sum(a * b for a, b in zip(x, u)), 0) for x in rows]
    nu = [yk - f for yk, f in zip(y, fit)]
    act = sum(v * f for v, f in zip(nu, fit))
    if act <= 0:
        return None
    beta = Fraction(act, norm)  # beta a_j = nu^T (X w_j)_+ with a = sqrt(norm)
    return Dataset(rows, y, beta), Network.from_blocks([(1, u)])


def test_clarke_decision_matches_brute_force_hull():
    rng = random.Random(7)
    seen = {True: 0, False: 0}
    for _ in range(200):
        inst = random_kinked_instance(rng)
        if inst is None:
            continue
        data, net = inst
        res = clarke_stationarity(data, net)
        nr = net.neurons[0]
        regions = adjacent_regions(data.X, nr.u)
        nu = res.nu
        pts = [[sum(x[c] * v for x, v, s in zip(data.X, nu, r.signs) if s > 0) for c in range(3)] for r in regions]
        target = [data.beta * c / nr.a2 for c in nr.u]
        assert res.stationary == in_hull_brute(pts, target)
        seen[res.stationary] += 1
        if not res.stationary:
            assert drops(data, net, res.escape.direction, eps=Fraction(1, 10**5))
            verified(res.certificate())
    assert seen[False] > 20


# ---------------------------------------------------------------------------------------------
# global minima, irrational points, certificates


def test_global_minimum_in_a_multiquadratic_field():
    """Orthonormal data, labels (1, 1, -1): the optimum has |a_+| = sqrt(sqrt 2 - 1/2)."""
    data = Dataset([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 1, -1], "1/2")
    r2, g = sympy.sqrt(2), sympy.sqrt(2) - sympy.Rational(1, 2)
    W = [[sympy.sqrt(g) / r2, sympy.sqrt(g) / r2, 0], [0, 0, sympy.sqrt(2) / 2]]
    a = [sympy.sqrt(g), -sympy.sqrt(2) / 2]
    c = classify(data, W, a)
    assert c.kind == "global_minimum"
    assert sympy.simplify(sympy.sympify(str(c.value)) - (sympy.Rational(1, 4) + r2 / 2)) == 0
    for cert in c.certificates.values():
        verified(cert)
    assert global_minimum(data, Network.from_weights(W, a)).holds


def test_classify_four_kinds_and_certificates():
    data = Dataset([[1, 0], [0, 1]], [3, -3], 1)
    cases = {
        "global_minimum": ([[sympy.sqrt(2), 0], [0, sympy.sqrt(2)]], [sympy.sqrt(2), -sympy.sqrt(2)]),
        "spurious_local_minimum": ([[1, 0], [1, 0]], [1, 1]),
        "non_minimum_stationary": ([[sympy.sqrt(2), 0], [0, 0]], [sympy.sqrt(2), 0]),
        "not_stationary": ([[1, 0], [0, 0]], [1, 0]),
    }
    for kind, (W, a) in cases.items():
        c = classify(data, W, a)
        assert c.kind == kind, (kind, c.detail)
        for cert in c.certificates.values():
            verified(cert)


TAMPER = [
    ("stationary", ["weights", 0, 0, "weight"], "1/3"),
    ("stationary", ["neurons", 0, "u", 1], "1/7"),
    ("descent", ["direction", 0, "v", 0], "-3"),
    ("descent", ["direction", 0, "r"], "-5"),
    ("local", ["blocks", 0, 1, "lambda", 1], "0"),
    ("local", ["competitor", 0, "a2"], "1/5"),
    ("global", ["dual", "lambda", 0, 0, 0], "-1"),
    ("global", ["y", 0], "4"),
]


@pytest.mark.parametrize("part, path, value", TAMPER)
def test_tampered_certificates_are_rejected(part, path, value):
    data = Dataset([[1, 0], [0, 1]], [3, -3], 1)
    if part == "descent":
        cert = clarke_stationarity(data, Network.from_weights([[1, 0], [0, 0]], [1, 0])).certificate()
    elif part == "local":
        cert = classify(data, [[1, 0], [1, 0]], [1, 1]).certificates["local"]
    elif part == "global":
        cert = global_minimum(data, Network.from_blocks([(1, (2, 0)), (-1, (0, 2))])).certificate()
    else:
        cert = clarke_stationarity(*KINK_A[:1], Network.from_weights(*KINK_A[1:])).certificate()
    verified(cert)
    bad = copy.deepcopy(cert)
    obj = bad
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value
    res = check_certificate(bad)
    assert not res.ok and res.failure


def test_descent_polynomial_matches_exact_evaluation():
    """The polynomial expansion equals F(theta + eps d) - F(theta) at several eps (exact)."""
    data, W, a = KINK_A
    net = Network.from_weights(W, a)
    d = [(Fraction(1, 3), (Fraction(-1), Fraction(2)))]
    c = descent_polynomial(data, net, d)
    for eps in (Fraction(1, 10**3), Fraction(1, 10**4)):
        poly = sum(ci * eps ** (i + 1) for i, ci in enumerate(c))
        W0, a0 = net.weights()
        exact = nonconvex_objective(data, *theta_plus(net, d, sympy.Rational(eps))) - nonconvex_objective(data, W0, a0)
        assert sympy.Rational(exact) == sympy.Rational(poly)


def test_projection_by_faces_matches_lawson_hanson():
    rng = random.Random(3)
    for _ in range(40):
        A = [[rng.randint(-3, 3) for _ in range(3)] for _ in range(rng.randint(1, 5))]
        g = [Fraction(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(3)]
        a = project([[Fraction(c) for c in r] for r in A], g)
        b = project_exact([[c * R2 for c in r] for r in A], g)  # the same cone: rows scaled by sqrt 2, face route
        assert b.point == a.point and b.sq_norm == a.sq_norm


def test_bad_input_names_the_argument():
    data = Dataset([[1, 0]], [1], 1)
    with pytest.raises(InvalidDataError, match="W has 2 neurons but a has 1"):
        Network.from_weights([[1, 0], [0, 1]], [1])
    with pytest.raises(InvalidDataError, match=r"W\[1\] has 3 entries, expected 1"):
        Network.from_weights([[1], [0, 1, 1]], [1, 1])
    with pytest.raises(InvalidDataError, match="input weights"):
        clarke_stationarity(data, Network.from_weights([[1, 0, 0]], [1]))
    with pytest.raises(InvalidDataError, match="not a region adjacent"):
        cone_minimum(data, Network.from_weights([[1, 0]], [1]), cones=[((-1,), 1)])
    with pytest.raises(InvalidDataError, match="float"):
        Network.from_weights([[0.5, 0]], [1])
