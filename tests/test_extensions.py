"""Vector outputs and parallel three-layer networks (math/convex_duality.md §9), by independent routes."""

import copy
import json
from fractions import Fraction
from itertools import combinations, product

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exact import Dataset
from exact import optimal_set as scalar_optimal_set
from exact.checker import check_certificate
from exact.errors import InvalidDataError, UndecidedError
from exact.extensions import parallel3, vector
from exact.extensions.copositivity import cone_gain_certificate, is_positive_semidefinite
from exact.extensions.group_lasso import ConeBlock
from exact.extensions.group_lasso import optimal_set as group_lasso_optimum
from exact.numeric.extensions import max_gain, train_vector, vector_loss
from exact.strategies import betas, integer_data

#: The rational staircase (claims/landscape.py): m* = 1 < M* = 2.
STAIRCASE = Dataset([[2, 0, 0, 0], [-1, 1, 1, 1]], [1, 1], 1)
H = (Fraction(3, 5), Fraction(4, 5))
SLOW = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def overlap(a, b):
    """Two rigorous enclosures of the same number must intersect."""
    return a[0] <= b[1] and b[0] <= a[1]


# --- copositivity kernels ---------------------------------------------------------------------


def principal_minors_nonnegative(M):
    import sympy

    n = len(M)
    return all(sympy.Matrix([[M[i][j] for j in S] for i in S]).det() >= 0 for k in range(1, n + 1) for S in combinations(range(n), k))


@given(st.integers(1, 3).flatmap(lambda n: st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=n, max_size=n)))
@example([[1, 1], [1, 1]])
@example([[0, 1], [1, 0]])
@example([[0, 0], [0, -1]])
def test_psd_matches_principal_minors(R):
    M = [[R[i][j] + R[j][i] for j in range(len(R))] for i in range(len(R))]
    assert is_positive_semidefinite(M) == principal_minors_nonnegative(M)


@settings(max_examples=15, deadline=None)
@given(integer_data(max_n=4, max_d=2, bound=3, min_d=2), st.lists(st.integers(-3, 3), min_size=8, max_size=8))
def test_gain_certificate_is_sound(X, entries):
    """A certificate N implies the float face-enumeration maximum is <= beta^2."""
    from exact.extensions.vector import _cone, _gain

    n = len(X)
    Lam = [entries[2 * k : 2 * k + 2] for k in range(n)]
    D = tuple(1 if sum(X[k]) > 0 else 0 for k in range(n))
    A, B = _cone(X, D), _gain(X, D, Lam)
    value, _ = max_gain(A, B)
    beta2 = Fraction(int(value) + 1)
    N = cone_gain_certificate(A, B, beta2)
    if N is not None:
        assert value <= float(beta2) * (1 + 1e-9)
    assert cone_gain_certificate(A, B, Fraction(value * 0.9).limit_denominator(1000) if value > 0 else Fraction(-1)) is None or value == 0


def in_cone_and_violating(A, B, beta2, u):
    """Exact: u != 0, A u >= 0 and ||B u||^2 > beta^2 ||u||^2."""
    Au = [sum(a * b for a, b in zip(row, u)) for row in A]
    Bu = [sum(a * b for a, b in zip(row, u)) for row in B]
    return any(u) and min(Au) >= 0 and sum(v * v for v in Bu) > beta2 * sum(v * v for v in u)


@settings(max_examples=15, deadline=None)
@given(integer_data(max_n=4, max_d=3, bound=3, min_d=2), st.lists(st.integers(-3, 3), min_size=8, max_size=8))
@example([[1, 0], [0, 1]], [1, 1, 0, 0, 0, 0, 0, 0])
def test_violation_and_certificate_exclude_each_other(X, entries):
    """A certificate N gives u^T M u = u^T S u + (Au)^T N (Au) >= 0 on K, so no exact violating
    point can exist beside it; below the maximum (at 9/10 of the float face maximum) the violation
    is found, and it is a point of K with gain above beta^2, checked here exactly."""
    from exact.extensions.copositivity import gain_violation
    from exact.extensions.vector import _cone, _gain

    n = len(X)
    Lam = [entries[2 * k : 2 * k + 2] for k in range(n)]
    D = tuple(1 if sum(X[k]) > 0 else 0 for k in range(n))
    A, B = _cone(X, D), _gain(X, D, Lam)
    value, _ = max_gain(A, B)
    for beta2 in (Fraction(int(value) + 1), Fraction(value).limit_denominator(1000), Fraction(value * 0.9).limit_denominator(1000)):
        u, N = gain_violation(A, B, beta2), cone_gain_certificate(A, B, beta2)
        assert u is None or N is None
        if u is not None:
            assert in_cone_and_violating(A, B, beta2, u)
    if value > 0:
        assert in_cone_and_violating(A, B, Fraction(value * 0.9).limit_denominator(1000), gain_violation(A, B, Fraction(value * 0.9).limit_denominator(1000)))


def test_violation_on_a_face_is_restored_exactly():
    """K = {0 <= u2 <= 2 u1}, ||Bu||^2 = u2^2: the maximum 4/5 sits on the face u2 = 2 u1, which the
    rounded float maximiser leaves; the exact point is moved back onto it (beta^2 = 3/4 < 4/5).
    At beta^2 = 4/5 there is no violating point, and above it a certificate."""
    from exact.extensions.copositivity import gain_violation

    A, B = [[0, 1], [2, -1]], [[0, 1]]
    u = gain_violation(A, B, Fraction(3, 4))
    assert u[1] == 2 * u[0] > 0 and in_cone_and_violating(A, B, Fraction(3, 4), u)
    assert gain_violation(A, B, Fraction(4, 5)) is None
    assert gain_violation(A, B, Fraction(81, 100)) is None and cone_gain_certificate(A, B, Fraction(81, 100))


def test_tight_rays_on_the_boundary_of_a_region():
    """u >= 0 and B with unit columns at cosine -3/5: ||Bu||^2 = |u|^2 - (6/5) u1 u2, so exactly
    the two axes are tight (the certificate S is 0 and N carries the cross term). Brute force:
    every rational unit direction of the quadrant is checked exactly."""
    from exact.extensions.copositivity import tight_rays

    A, B = [[1, 0], [0, 1]], [[1, Fraction(-3, 5)], [0, Fraction(4, 5)]]
    N = cone_gain_certificate(A, B, 1)
    assert N is not None and N == {(0, 1): Fraction(6, 5)}
    rays, continuum = tight_rays(A, B, 1, N)
    assert rays == [(0, 1), (1, 0)] and not continuum
    units = [((1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)) for t in (Fraction(a, 12) for a in range(13))]
    brute = {u for u in units if sum(sum(b * c for b, c in zip(row, u)) ** 2 for row in B) == 1}
    assert brute == {(1, 0), (0, 1)}


# --- vector outputs ---------------------------------------------------------------------------


def test_lifted_staircase_is_a_certified_nonsingleton_vector_optimum():
    """Y = y h^T with the staircase data: the general vector route finds the scalar optimum,
    m* = 1 < M* = 2, and at m = 2 a component with more than one point."""
    V = vector.VectorData.lifted(STAIRCASE, H)
    opt = vector.optimal_set(V)
    scalar = scalar_optimal_set(STAIRCASE)
    assert opt.kind == "rational" and opt.value == scalar.value
    assert opt.Lam == tuple(tuple(v * h for h in H) for v in scalar.nu)
    res = check_certificate(json.loads(json.dumps(opt.certificate())))
    assert res.ok, res.failure
    widths = vector.critical_widths(V, optimum=opt)
    assert tuple(widths) == (1, 2) and len(widths.polytope.vertices) == 2
    rows = {r["m"]: r for r in vector.staircase(V, range(1, 4), polytope=widths.polytope)}
    assert rows[1]["points"] == rows[1]["components"] == 1
    assert rows[2]["nonsingleton"] and rows[3]["connected"]


def brute_force_tight_atoms(data, Lam):
    """Independent of the S-lemma code: per region, beta^2 I - B^T B is PSD (sympy) and its kernel
    (top eigenvectors of B^T B, exact) inside the closed cone gives the tight directions."""
    import sympy

    X, n, d = data.X, data.n, data.d
    found = {}
    for signs in product((1, -1), repeat=n):
        h = sympy.Matrix([[sympy.Rational(a.numerator, a.denominator) for a in r] for r in X])
        # the region {s_k x_k.u > 0} is open and non-empty here (X has rank n)
        B = sympy.Matrix([[sum(sympy.Rational(Lam[k][t]) * h[k, j] for k in range(n) if signs[k] > 0) for j in range(d)] for t in range(data.c)])
        S = sympy.eye(d) * sympy.Rational(data.beta) ** 2 - B.T * B
        assert S.is_positive_semidefinite
        for v in S.nullspace():
            for u in (v, -v):
                Xu = h * u
                if all(sk * xu >= 0 for sk, xu in zip(signs, Xu)) and any(Xu):
                    w = max(abs(a) for a in u)
                    found[tuple(Fraction(str(a / w)) for a in u)] = tuple(max(xu, 0) for xu in Xu)
    return found


def test_genuine_vector_staircase():
    """c = 2 with a rank-two Lambda*: the six tight atoms carry six different output directions
    and one relation, m* = 2 < M* = 4, and the staircase is T5.2's. Checked by brute force over
    regions (sympy eigenvectors) and over supports (sympy ranks), and by the trusted checker."""
    import sympy

    data, Lam = vector.three_sample_example()
    opt = vector.optimal_set(data, dual=Lam)
    assert opt.kind == "rational" and opt.Lam == Lam and opt.value == Fraction(8993, 2662)
    assert sympy.Matrix(Lam).rank() == 2
    assert check_certificate(json.loads(json.dumps(opt.certificate()))).ok
    widths = vector.critical_widths(data, optimum=opt)
    assert tuple(widths) == (2, 4)
    # brute force over regions: the same six tight directions
    tight = brute_force_tight_atoms(data, Lam)
    assert {a.p for a in widths.polytope.atoms} == set(tight) and len(tight) == 6
    gs = [tuple(sum(v[k] * Lam[k][t] for k in range(3)) for t in range(2)) for v in tight.values()]
    assert all(g[0] * h[1] != g[1] * h[0] for g, h in combinations(gs, 2))  # pairwise non-parallel
    # brute force over supports: vertices = independent supports with a positive solution
    cols = {p: sympy.Matrix([vk * sympy.Rational(g[t]) for vk in v for t in range(2)]) for p, v, g in zip(tight, tight.values(), gs)}
    target = sympy.Matrix([sympy.Rational(a) for r in opt.fit for a in r])
    supports = set()
    for k in range(1, 7):
        for S in combinations(sorted(cols), k):
            M = sympy.Matrix.hstack(*[cols[p] for p in S])
            if M.rank() == k:
                sol = (M.T * M).solve(M.T * target)
                if M * sol == target and all(g > 0 for g in sol):
                    supports.add(frozenset(S))
    atoms = widths.polytope.atoms
    assert supports == {frozenset(atoms[i].p for i in S) for S, _ in widths.polytope.vertices}
    assert sorted(map(len, supports)) == [2, 4]
    # the staircase of T5.2: m*! and M*! isolated points, connected from m* + M* = 6 on
    rows = {r["m"]: r for r in vector.staircase(data, range(1, 7), polytope=widths.polytope)}
    assert rows[1]["points"] == rows[1]["components"] == 0
    assert rows[2]["points"] == rows[2]["components"] == 2 and not rows[2]["nonsingleton"]
    assert rows[3]["nonsingleton"] and rows[4]["points"] == 24 and rows[4]["nonsingleton"]
    assert rows[5]["points"] == 0 and not rows[5]["connected"]
    assert rows[6]["connected"]


def test_genuine_vector_staircase_by_training():
    """L-BFGS on the nonconvex width-m network (floats, several seeds): never below p*; reaches
    it at m = m* = 2 and at m = M* = 4; stays above it at m = 1 < m*."""
    data, _ = vector.three_sample_example()
    X = [[float(a) for a in r] for r in data.X]
    Y = [[float(a) for a in r] for r in data.Y]
    p = 8993 / 2662
    for m in (1, 2, 4):
        values = [train_vector(X, Y, 1.0, m, starts=1, seed=s)[2] for s in range(6)]
        assert min(values) >= p - 1e-9
        assert (min(values) > p + 0.1) if m == 1 else (min(values) < p + 1e-7)


def test_two_optimal_vector_networks_differ():
    """The two vertices give two networks (2 and 4 neurons) with different weights and the same
    exact objective p*: F = ||Y - fit||^2 / 2 + beta sum ||w_j|| ||a_j|| after balancing, with
    w_j = p_j and a_j = kappa_j Lambda^T (X p_j)_+ (so ||a_j|| = kappa_j beta ||p_j||, exact)."""
    data, Lam = vector.three_sample_example()
    P = vector.critical_widths(data, optimum=vector.optimal_set(data, dual=Lam)).polytope
    values = []
    for S, weights in P.vertices:
        fit = [[Fraction(0)] * 2 for _ in range(3)]
        penalty = Fraction(0)
        for i, kappa in zip(S, weights):
            p = P.atoms[i].p
            v = [max(sum(a * b for a, b in zip(x, p)), Fraction(0)) for x in data.X]
            a = [kappa * sum(v[k] * Lam[k][t] for k in range(3)) for t in range(2)]
            assert sum(c * c for c in a) == (kappa * data.beta) ** 2 * sum(c * c for c in p)  # tight
            for k in range(3):
                for t in range(2):
                    fit[k][t] += v[k] * a[t]
            penalty += kappa * data.beta * sum(c * c for c in p)  # ||w|| ||a||
        loss = sum((f - y) ** 2 for fr, yr in zip(fit, data.Y) for f, y in zip(fr, yr)) / 2
        values.append(loss + data.beta * penalty)
    assert values == [Fraction(8993, 2662)] * 2 and len({S for S, _ in P.vertices}) == 2


def test_tampered_vector_certificate_is_rejected():
    V = vector.VectorData([[1, 0], [0, 1]], [[3, 4], [0, 0]], 1)
    cert = vector.optimal_set(V).certificate()
    assert check_certificate(cert).ok
    bad = json.loads(json.dumps(cert))
    bad["Lambda"][0][0] = "1/2"
    assert not check_certificate(bad).ok
    bad = json.loads(json.dumps(cert))
    bad["atoms"][0]["kappa"] = "1"
    assert not check_certificate(bad).ok


def test_irrational_vector_optimum_is_a_rigorous_bracket():
    """One sample, label (2, 1): p* = 1/2 + (sqrt 5 - 1) (closed form), never a float."""
    import sympy

    opt = vector.optimal_set(vector.VectorData([[1, 0], [0, 1]], [[2, 1], [0, 0]], 1))
    assert opt.kind == "bracket" and opt.proof_reason
    lo, hi = opt.value_interval
    exact = sympy.Rational(1, 2) + sympy.sqrt(5) - 1
    assert sympy.Rational(lo.numerator, lo.denominator) <= exact <= sympy.Rational(hi.numerator, hi.denominator)
    assert check_certificate(json.loads(json.dumps(opt.certificate()))).ok
    with pytest.raises(UndecidedError):
        vector.critical_widths(opt.data, optimum=opt)


def test_tight_atoms_on_region_boundaries_are_certified():
    """Orthogonal samples with labels of norm 2 at cosine -3/5: each sample is fitted alone,
    p* = sum_k (beta |y_k| - beta^2 / 2) = 3 (closed form), Lambda_k = beta y_k / |y_k|. The two
    tight atoms are the axes, on the boundary of the positive quadrant, where the certificate
    needs S = 0 and a multiplier 6/5 (found by the facial step, exact)."""
    V = vector.VectorData([[1, 0], [0, 1]], [[2, 0], [Fraction(-6, 5), Fraction(8, 5)]], 1)
    opt = vector.optimal_set(V)
    assert opt.kind == "rational" and opt.value == 3 and opt.Lam == ((1, 0), (Fraction(-3, 5), Fraction(4, 5)))
    assert check_certificate(json.loads(json.dumps(opt.certificate()))).ok
    widths = vector.critical_widths(V, optimum=opt)
    assert tuple(widths) == (2, 2) and {a.p for a in widths.polytope.atoms} == {(1, 0), (0, 1)}


def test_continuum_of_tight_directions_is_reported():
    """Two samples on orthogonal axes, identity labels: every u >= 0 is tight (a continuum)."""
    V = vector.VectorData([[1, 0], [0, 1]], [[2, 0], [0, 2]], 1)
    opt = vector.optimal_set(V)
    assert opt.kind == "rational" and opt.value == 3 and check_certificate(opt.certificate()).ok
    with pytest.raises(UndecidedError, match="continuum"):
        vector.optimal_polytope(V, optimum=opt)


def general_route_at_c1(X, beta, y):
    data = Dataset(X, y[: len(X)], beta)
    scalar = scalar_optimal_set(data)
    V = vector.VectorData(X, [[v] for v in data.y], beta)
    general = vector.optimal_set(V, method="general", starts=4)
    assert overlap(general.value_interval, scalar.value_interval)
    if general.kind == scalar.kind == "rational":
        assert general.value == scalar.value and general.Lam == tuple((v,) for v in scalar.nu)
    assert check_certificate(json.loads(json.dumps(general.certificate()))).ok
    via_scalar = vector.optimal_set(V)
    assert via_scalar.kind == scalar.kind and via_scalar.value == scalar.value


def lifted_labels(X, y):
    """Y = y h^T: the vector optimum equals the scalar one (project a_j on h)."""
    data = Dataset(X, y[: len(X)], 1)
    opt = vector.optimal_set(vector.VectorData.lifted(data, H), starts=4)
    assert overlap(opt.value_interval, scalar_optimal_set(data).value_interval)


#: Pinned cases run by default; the hypothesis versions below are marked slow.
C1_CASES = [([[1, 0], [1, -1], [1, 2]], Fraction(1), [3, -2, 0]), ([[1], [-1]], Fraction(1, 2), [2, 0, 0])]
LIFT_CASES = [([[1, 0], [0, 1]], [2, -1, 0]), ([[1, 1], [-1, 2], [0, -1]], [1, 2, -3])]


@pytest.mark.parametrize("X, beta, y", C1_CASES)
def test_general_route_at_c1_recovers_the_scalar_optimum(X, beta, y):
    general_route_at_c1(X, beta, y)


@pytest.mark.parametrize("X, y", LIFT_CASES)
def test_lifted_labels_give_the_scalar_optimum(X, y):
    lifted_labels(X, y)


@pytest.mark.slow
@SLOW
@given(integer_data(max_n=3, max_d=2, bound=3), betas(max_numerator=4, max_denominator=2), st.lists(st.integers(-3, 3), min_size=3, max_size=3))
def test_general_route_at_c1_recovers_the_scalar_optimum_random(X, beta, y):
    general_route_at_c1(X, beta, y)


@pytest.mark.slow
@SLOW
@given(integer_data(max_n=3, max_d=2, bound=3), st.lists(st.integers(-3, 3), min_size=3, max_size=3))
def test_lifted_labels_give_the_scalar_optimum_random(X, y):
    lifted_labels(X, y)


def test_float_training_never_beats_the_certified_lower_bound():
    X, Y = [[1, 0], [0, 1], [1, 1]], [[1, 2], [-1, 1], [2, 0]]
    opt = vector.optimal_set(vector.VectorData(X, Y, 1))
    W, A, F = train_vector(X, Y, 1.0, 7, starts=4, seed=3)
    assert F >= float(opt.value_interval[0]) - 1e-9
    assert abs(vector_loss(X, Y, 1.0, W, A) - F) < 1e-9


def test_vector_errors_name_the_input():
    with pytest.raises(InvalidDataError, match="Y has 2 rows"):
        vector.VectorData([[1]], [[1], [2]], 1)
    with pytest.raises(InvalidDataError, match="not a unit vector"):
        vector.VectorData.lifted(STAIRCASE, [1, 1])
    with pytest.raises(InvalidDataError, match="method"):
        vector.optimal_set(vector.VectorData([[1]], [[1, 2]], 1), method="nope")


# --- group lasso and parallel three-layer networks --------------------------------------------


def scalar_blocks(data):
    from exact import enumerate_patterns

    out = []
    for D in enumerate_patterns(data.X).D.tolist():
        if any(D):
            for s in (1, -1):
                A = tuple(tuple(s * a if D[k] else 0 * a for a in x) for k, x in enumerate(data.X))
                G = tuple(tuple(a if D[k] else -a for a in x) for k, x in enumerate(data.X) if any(x))
                out.append(ConeBlock((tuple(D), s), A, G))
    return out


@settings(max_examples=8, deadline=None)
@given(integer_data(max_n=3, max_d=2, bound=3), betas(max_numerator=4, max_denominator=2), st.lists(st.integers(-3, 3), min_size=3, max_size=3))
@example([[1, 0], [1, -1], [1, 2]], Fraction(1), [3, -2, 0])
def test_group_lasso_on_the_blocks_of_C_is_the_scalar_optimum(X, beta, y):
    data = Dataset(X, y[: len(X)], beta)
    generic = group_lasso_optimum(scalar_blocks(data), data.y, beta)
    scalar = scalar_optimal_set(data)
    assert overlap(generic.value_interval, scalar.value_interval)
    if generic.kind == scalar.kind == "rational":
        assert generic.nu == scalar.nu


@pytest.mark.parametrize("X, y", [([[1, 0], [1, -1], [1, 2]], [3, -2, 0]), ([[1], [-1]], [2, 0])])
def test_parallel3_with_one_neuron_per_branch_is_the_two_layer_problem(X, y):
    data = Dataset(X, y, 1)
    opt = parallel3.optimal_set(data, m1=1)
    scalar = scalar_optimal_set(data)
    assert overlap(opt.value_interval, scalar.value_interval)
    if opt.kind == "rational":
        assert opt.value == scalar.value
        assert parallel3.network_value(data, opt.network()) == opt.value  # through the ReLUs
        assert parallel3.critical_widths(data, 1, optimum=opt) == tuple(__import__("exact").critical_widths(data))


def test_parallel3_second_neuron_lowers_the_optimum_by_splitting():
    """y = (2, 0) on x = +-1: m1 = 1 gives p* = 3/2; m1 = 2 splits the neuron in two halves
    (penalty ||v|| / sqrt 2): fit a = 2 - 1/sqrt 2 and p* = sqrt 2 - 1/4 (closed form)."""
    import sympy

    data = Dataset([[1], [-1]], [2, 0], 1)
    one, two = parallel3.optimal_set(data, 1), parallel3.optimal_set(data, 2)
    assert one.kind == "rational" and one.value == Fraction(3, 2)
    r = 1 / sympy.sqrt(2)
    closed = r**2 / 2 + (2 - r) * r
    lo, hi = two.value_interval
    assert two.kind == "bracket" and sympy.Rational(lo.numerator, lo.denominator) <= closed <= sympy.Rational(hi.numerator, hi.denominator)


@pytest.mark.parametrize("name, cert", parallel3.example_certificates())
def test_parallel3_certificates_verify_and_tampering_is_rejected(name, cert):
    """The checker rebuilds every block itself; a moved dual point, a heavier atom, a dropped
    multiplier list, a block that does not exist or a too narrow bracket are all rejected."""
    cert = json.loads(json.dumps(cert))
    assert check_certificate(cert).ok
    bad = copy.deepcopy(cert)
    bad["nu"][0] = str(Fraction(bad["nu"][0]) + Fraction(1, 7))
    assert not check_certificate(bad).ok
    bad = copy.deepcopy(cert)
    bad["m1"] += 1
    assert not check_certificate(bad).ok
    if name == "rational":
        assert cert["blocks"], "the example should need multipliers"
        for key, change in (("kappa", lambda a: str(Fraction(a) * 2)), ("eps", lambda e: -e), ("Dp", lambda s: s[::-1] + "0")):
            bad = copy.deepcopy(cert)
            bad["atoms"][0][key] = change(bad["atoms"][0][key])
            assert not check_certificate(bad).ok, key
        bad = copy.deepcopy(cert)
        del bad["blocks"][0]
        assert not check_certificate(bad).ok
    else:
        bad = copy.deepcopy(cert)
        bad["upper"] = bad["lower"]
        assert not check_certificate(bad).ok
        bad = copy.deepcopy(cert)
        bad["primal"][0]["norm"] = "0"
        assert not check_certificate(bad).ok


def test_parallel3_certificate_value_is_the_reluscape_network_value():
    """Independent route: the certified p* equals F of the exact network read off the atoms,
    evaluated through the ReLUs with the path regularizer, and the two-layer p* at m1 = 1."""
    data = Dataset([[1], [2]], [1, 3], 1)
    opt = parallel3.optimal_set(data, 1)
    cert = opt.certificate()
    assert Fraction(cert["value"]) == opt.value == parallel3.network_value(data, opt.network()) == scalar_optimal_set(data).value


@settings(max_examples=10, deadline=None)
@given(st.lists(st.floats(0.1, 10), min_size=5, max_size=5))
def test_plain_weight_decay_balances_to_the_two_thirds_power(norms):
    """Independent float route for the module docstring's claim: minimising the weight decay of a
    two-neuron branch over the rescalings a_j b_j c = 1 gives (3/2) r^(2/3),
    r = |w3| sum_j ||w1j|| |w2j| (here P_j = ||w1j||^2, Q_j = w2j^2, R = w3^2)."""
    import numpy as np
    from scipy.optimize import minimize

    P, Q, R = norms[:2], norms[2:4], norms[4]

    def pen(t):
        x, g = t[:2], t[2]
        return 0.5 * (sum(np.exp(2 * xj) * p + np.exp(-2 * xj - 2 * g) * q for xj, p, q in zip(x, P, Q)) + np.exp(2 * g) * R)

    best = minimize(pen, np.zeros(3), method="BFGS", options={"gtol": 1e-12}).fun
    r = np.sqrt(R) * sum(np.sqrt(p * q) for p, q in zip(P, Q))
    assert abs(best - 1.5 * r ** (2 / 3)) < 1e-6 * max(1.0, best)


def test_parallel3_rejects_bad_widths():
    with pytest.raises(InvalidDataError, match="m1"):
        parallel3.parallel3_blocks([[1]], 0)


# --- CLI --------------------------------------------------------------------------------------


def test_cli_outputs_and_parallel3(tmp_path, capsys):
    from exact.cli import main

    lifted = tmp_path / "lift.csv"
    lifted.write_text("2,0,0,0,3/5,4/5\n-1,1,1,1,3/5,4/5\n")
    cert = tmp_path / "v.json"
    assert main(["landscape", str(lifted), "--beta", "1", "--outputs", "2", "--m", "2", "--cert", str(cert)]) == 0
    out = capsys.readouterr().out
    assert "p* = 3/4" in out and "m* = 1, M* = 2" in out
    assert check_certificate(json.loads(cert.read_text())).ok
    p3 = tmp_path / "p3.csv"
    p3.write_text("1,0,3\n1,-1,-2\n1,2,0\n")
    cert3 = tmp_path / "p3.json"
    assert main(["solve", str(p3), "--beta", "1", "--architecture", "parallel3", "--m1", "1", "--cert", str(cert3)]) == 0
    assert "p* = 23/4" in capsys.readouterr().out
    assert check_certificate(json.loads(cert3.read_text())).ok
    assert main(["solve", str(p3), "--beta", "1", "--outputs", "3"]) == 2
    assert "leaves no feature column" in capsys.readouterr().err
