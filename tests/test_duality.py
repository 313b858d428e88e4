"""The certified convex optimum: duality invariants of math/convex_duality.md §10, certificates
re-checked by the stdlib checker (and tampered ones refused), float cross-checks."""

import copy
import json
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import example, given, settings
from hypothesis import strategies as st

from exact import Dataset, enumerate_patterns
from exact.balls import ball, lin, lower, times, upper
from exact.checker import check_certificate
from exact.optimality import ReducedSystem, block_matrices
from exact.convex import (
    ConvexBlock,
    beta_from,
    convex_objective,
    dual_objective,
    nonconvex_objective,
    objective_scale,
    to_convex,
)
from exact.numeric.socp import solve_socp
from exact.optimum import optimal_set
from exact.strategies import betas, integer_data, labels

RATIONAL = Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1)
ORTHOGONAL = Dataset(np.eye(4, dtype=int), [2, 1, -3, -1], 1)


def exact_value(opt):
    """The optimum as a sympy number when exact, else None."""
    if opt.kind == "rational":
        return sympy.Rational(opt.value.numerator, opt.value.denominator)
    if opt.kind == "algebraic":
        return opt.value
    return None


@st.composite
def small_instances(draw):
    X = draw(integer_data(max_n=6, max_d=3, bound=3, min_n=2))
    return Dataset(X, draw(labels(len(X), bound=3)), draw(betas(max_numerator=4, max_denominator=4)))


@settings(max_examples=12, deadline=None)
@given(small_instances())
@example(RATIONAL)
@example(Dataset([[1, 0], [0, 1]], [2, 0], 1))
def test_certified_optimum_agrees_with_interior_point(data):
    opt = optimal_set(data)
    lo, hi = opt.value_interval
    assert lo <= hi
    res = check_certificate(json.loads(json.dumps(opt.certificate())))
    assert res.ok, res.failure
    # an independent float solve over all patterns lands in the certified interval
    sol = solve_socp([[float(a) for a in r] for r in data.X], [float(a) for a in data.y], float(data.beta), opt.patterns.D)
    assert float(lo) - 1e-7 * (1 + abs(float(lo))) <= sol.value <= float(hi) + 1e-7 * (1 + abs(float(hi)))
    # p* <= 1/2 ||y||^2 (the zero network)
    assert lo <= sum(a * a for a in data.y) / 2
    if opt.kind in ("rational", "algebraic"):
        nu = [sympy.nsimplify(v) for v in opt.nu]
        y = [sympy.Rational(a.numerator, a.denominator) for a in data.y]
        assert sympy.simplify(sum(a * b for a, b in zip(nu, y)) - sum(a * a for a in nu) / 2 - exact_value(opt)) == 0


def test_rational_optimum_and_its_certificate():
    opt = optimal_set(RATIONAL)
    assert opt.kind == "rational" and opt.value == Fraction(23, 4)
    assert opt.nu == (Fraction(5, 2), Fraction(-1), Fraction(-1, 2))
    assert tuple(y - v for y, v in zip(RATIONAL.y, opt.nu)) == opt.fit
    # primal: G(u) equals the value; the map to a network gives F = G
    assert convex_objective(RATIONAL, opt.primal) == opt.value
    W, a = opt.to_nonconvex()
    assert nonconvex_objective(RATIONAL, W, a) == opt.value
    assert dual_objective(RATIONAL, opt.nu) == opt.value


def test_orthogonal_optimum_is_the_huber_closed_form():
    opt = optimal_set(ORTHOGONAL)
    assert opt.kind == "algebraic"
    assert sympy.simplify(opt.value - (sympy.sqrt(5) + sympy.sqrt(10) - 1)) == 0
    lo, hi = opt.value_interval
    assert lo < sympy.sqrt(5) + sympy.sqrt(10) - 1 < hi
    W, a = opt.to_nonconvex()
    assert sympy.simplify(nonconvex_objective(ORTHOGONAL, W, a) - opt.value) == 0


def test_zero_network_when_beta_is_large():
    data = Dataset([[1, 0], [0, 1], [1, 1]], [1, -1, 1], 100)
    opt = optimal_set(data)
    assert opt.kind == "rational" and opt.value == Fraction(3, 2) and opt.atoms == () and opt.nu == data.y


@settings(max_examples=6, deadline=None)
@given(small_instances(), st.sampled_from([Fraction(2), Fraction(1, 3)]))
def test_covariance_under_scaling(data, t):
    """(y, beta) -> t (y, beta): p* -> t^2 p*; (X, beta) -> t (X, beta): p* unchanged."""
    base = optimal_set(data)
    scaled_y = optimal_set(Dataset(data.X, [t * a for a in data.y], t * data.beta))
    scaled_x = optimal_set(Dataset([[t * a for a in r] for r in data.X], data.y, t * data.beta))
    lo, hi = base.value_interval
    for other, factor in ((scaled_y, t * t), (scaled_x, 1)):
        olo, ohi = other.value_interval
        assert olo <= factor * hi and factor * lo <= ohi  # the certified intervals overlap
        if base.kind in ("rational", "algebraic") and other.kind in ("rational", "algebraic"):
            assert sympy.simplify(exact_value(other) - factor * exact_value(base)) == 0


def test_value_is_monotone_and_concave_in_beta():
    X, y = [[1, 0], [1, -1], [1, 2], [0, 1]], [3, -2, 0, 1]
    vals = []
    for b in (Fraction(1, 2), Fraction(1), Fraction(3, 2)):
        lo, hi = optimal_set(Dataset(X, y, b)).value_interval
        vals.append((lo, hi))
    assert vals[0][1] <= vals[1][0] and vals[1][1] <= vals[2][0]  # non-decreasing
    # concave: p*(1) >= (p*(1/2) + p*(3/2)) / 2
    assert vals[1][1] >= (vals[0][0] + vals[2][0]) / 2


def test_network_to_convex_never_increases_the_objective():
    data = RATIONAL
    W = [[1, 0], [2, 0], [0, 1]]
    a = [1, 1, -2]
    F = nonconvex_objective(data, W, a)
    G = convex_objective(data, to_convex(data, W, a))
    assert G <= F
    balanced_W, balanced_a = [[1, 0], [0, 1]], [1, -1]
    assert convex_objective(data, to_convex(data, balanced_W, balanced_a)) == nonconvex_objective(data, balanced_W, balanced_a)


def test_gap_identity_on_a_random_feasible_pair():
    """G - d(nu) = 1/2||yhat - y + nu||^2 + sum(beta||u|| - nu^T D X u) + sum(beta||v|| + nu^T D X v)."""
    data = RATIONAL
    pats = enumerate_patterns(data.X)
    rng = np.random.default_rng(0)
    blocks = []
    for p in pats:
        if any(p.D):
            u = tuple(Fraction(int(c)) for c in rng.integers(-3, 4, 2))
            if all((sum(x * c for x, c in zip(row, u)) >= 0) == bool(dk) or sum(x * c for x, c in zip(row, u)) == 0 for row, dk in zip(data.X, p.D)):
                blocks.append(ConvexBlock(p.D, int(rng.choice([1, -1])), u))
    nu = [Fraction(int(v), 3) for v in rng.integers(-5, 6, 3)]
    G = sympy.nsimplify(convex_objective(data, blocks))
    fit = [sum(b.sign * sum(x * c for x, c in zip(data.X[k], b.u)) for b in blocks if b.D[k]) for k in range(3)]
    rhs = sum((f - yk + v) ** 2 for f, yk, v in zip(fit, data.y, nu)) / 2
    for b in blocks:
        nuMu = sum(nu[k] * sum(x * c for x, c in zip(data.X[k], b.u)) for k in range(3) if b.D[k])
        rhs += data.beta * sympy.sqrt(sum(c * c for c in b.u)) - b.sign * nuMu
    assert sympy.simplify(G - sympy.nsimplify(dual_objective(data, nu)) - rhs) == 0


def test_conventions():
    lam = Fraction(1, 10)
    assert beta_from("reluscape", lam) == lam
    assert beta_from("half_sq_lambda", lam) == 2 * lam
    assert beta_from("mse", lam, n=5) == 5 * lam
    assert beta_from("scnn", lam, n=5) == 5 * lam
    assert beta_from("vector_mse", lam, n=5, c=3) == 15 * lam
    # the objectives agree up to the stated factor: mse = (2/n) F_{n lam}
    data = Dataset([[1, 2], [0, 1], [2, -1]], [1, 0, 2], beta_from("mse", lam, n=3))
    W, a = [[1, 1], [0, 2]], [Fraction(1, 2), -1]
    fit = [sum(max(sum(x * w for x, w in zip(row, wj)), 0) * aj for wj, aj in zip(W, a)) for row in data.X]
    mse = sum((f - yk) ** 2 for f, yk in zip(fit, data.y)) / 3 + lam * sum(sum(c * c for c in w) + aj * aj for w, aj in zip(W, a))
    assert mse == objective_scale("mse", n=3) * nonconvex_objective(data, W, a)
    with pytest.raises(ValueError, match="needs the number of samples"):
        beta_from("mse", lam)


@pytest.mark.parametrize(
    "mutate, match",
    [
        (lambda c: c["nu"].__setitem__(0, "11/4"), "dual constraint"),
        (lambda c: c.__setitem__("value", "22/4"), "values differ"),
        (lambda c: c["atoms"][0].__setitem__("sign", -c["atoms"][0]["sign"]), ""),
        (lambda c: c["atoms"][0].__setitem__("kappa", "1/3"), "y - fit"),
        (lambda c: c["patterns"]["patterns"].pop(), "regions"),
        (lambda c: c.__setitem__("beta", "1/2"), ""),
        (lambda c: c.__setitem__("blocks", [b for b in c["blocks"] if b["pattern"] != c["atoms"][1]["pattern"]]), "no projection"),
    ],
)
def test_tampered_rational_certificates_are_refused(mutate, match):
    cert = copy.deepcopy(optimal_set(RATIONAL).certificate())
    assert check_certificate(cert).ok
    mutate(cert)
    res = check_certificate(cert)
    assert not res.ok and match in res.failure


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: c.__setitem__("lower", c["upper"]),  # a claimed value interval without p* in it
        lambda c: c["center"].__setitem__(0, str(Fraction(c["center"][0]) + Fraction(1, 10**6))),
        lambda c: c["radius"].__setitem__(0, "0"),
        lambda c: c["radius"].__setitem__(0, "1000"),
        lambda c: c["Y"][0].__setitem__(0, "0"),
        lambda c: c.__setitem__("y", ["2", "1", "-3", "-2"]),
    ],
)
def test_tampered_krawczyk_certificates_are_refused(mutate):
    cert = copy.deepcopy(optimal_set(ORTHOGONAL).certificate())
    assert cert["method"] == "krawczyk" and check_certificate(cert).ok
    mutate(cert)
    assert not check_certificate(cert).ok


@pytest.mark.parametrize("data", ["ORTHOGONAL", "COMPLEMENTS"])
def test_krawczyk_preconditioner_in_ball_arithmetic(monkeypatch, data):
    """When the float Jacobian is too ill-conditioned for a float inverse, the preconditioner Y
    is the ball-arithmetic inverse of the midpoint Jacobian: the same optimum, a valid certificate
    with a different Y."""
    import exact.numeric.support as support

    data = globals()[data]
    reference = optimal_set(data)
    monkeypatch.setattr(support, "inverse_and_condition", lambda J: (None, np.inf))
    opt = optimal_set(data)
    assert opt.kind == reference.kind and opt.kind in ("enclosure", "algebraic")
    (lo, hi), (rlo, rhi) = opt.value_interval, reference.value_interval
    assert max(lo, rlo) <= min(hi, rhi)  # both enclose p*
    cert = json.loads(json.dumps(opt.certificate()))
    assert cert["method"] == "krawczyk"
    assert cert["Y"] != json.loads(json.dumps(reference.certificate()))["Y"]
    res = check_certificate(cert)
    assert res.ok, res.failure


def test_violators_with_an_atoms_projector_keep_the_restricted_optimum(monkeypatch):
    """When every violator of the restricted optimum has the V_b of one of its atoms (float
    rounding put it above beta), the problem on the atoms is unchanged: the search goes on from
    the same restricted optimum instead of solving it again, and certifies the same optimum.
    Here such a twin (a block of another region with an atom's V_b) is added to the first
    violators, which are empty."""
    import random

    import exact.optimum as optimum

    rng = random.Random(0)
    data = Dataset([[rng.randint(-10, 10) for _ in range(3)] for _ in range(30)], [rng.randint(-5, 5) for _ in range(30)], "1/2")
    reference = optimal_set(data)
    events, state = [], {}
    restricted, violators, vertex, proposed = optimum._restricted, optimum._violators, optimum._vertex, optimum._proposal_blocks
    # the proposal without the second and later blocks of each atom: twins left to be priced
    later = {(b.D, b.sign) for a in reference.atoms for b in a.blocks[1:]}
    monkeypatch.setattr(optimum, "_proposal_blocks", lambda *args: ((b, u) for b, u in proposed(*args) if (b.D, b.sign) not in later))

    def traced_restricted(*args, **kwargs):
        state["atoms"] = restricted(*args, **kwargs)
        events.append("restricted")
        return state["atoms"]

    def traced_violators(X, candidates, nu, beta, active):
        out = violators(X, candidates, nu, beta, active)
        if not out and "twin" not in state:
            keys = {g[0].key() for g in state["atoms"][0]}
            near = Fraction(1, 10**9)
            have = set(active)
            state["twin"] = next(b for b in candidates if b not in have and block_matrices(X, optimum._with_face(X, b, nu, near)).key() in keys)
            events.append("twin")
            return [state["twin"]]
        events.append("violators")
        return out

    def traced_vertex(*args):
        events.append("vertex")
        return vertex(*args)

    monkeypatch.setattr(optimum, "_restricted", traced_restricted)
    monkeypatch.setattr(optimum, "_violators", traced_violators)
    monkeypatch.setattr(optimum, "_vertex", traced_vertex)
    opt = optimal_set(data)
    at = events.index("twin")
    assert events[at - 1 : at + 2] == ["restricted", "twin", "vertex"]  # no second solve on the same atoms
    assert opt.kind == reference.kind == "enclosure"
    (lo, hi), (rlo, rhi) = opt.value_interval, reference.value_interval
    assert max(lo, rlo) <= min(hi, rhi)
    assert check_certificate(json.loads(json.dumps(opt.certificate()))).ok


@pytest.mark.parametrize("seed", range(3))
def test_dropping_at_singular_directions_first_certifies_the_same_optimum(monkeypatch, seed):
    """Large problems (LARGE active blocks and more) search dropping atoms only at singular
    directions first: on generic n = 24 data both orders certify, and the two value intervals
    intersect (each contains p*)."""
    import random

    import exact.optimum as optimum

    rng = random.Random(seed)
    data = Dataset([[rng.randint(-10, 10) for _ in range(3)] for _ in range(24)], [rng.randint(-5, 5) for _ in range(24)], "1/2")
    results = []
    for large in (10**9, 0):
        monkeypatch.setattr(optimum, "LARGE", large)
        results.append(optimal_set(data))
    assert all(r.kind in ("enclosure", "algebraic", "rational") for r in results)
    (lo1, hi1), (lo2, hi2) = (r.value_interval for r in results)
    assert max(lo1, lo2) <= min(hi1, hi2)
    assert check_certificate(json.loads(json.dumps(results[1].certificate()))).ok


def test_krawczyk_leaves_flint_threads_as_it_found_them(monkeypatch):
    """enclose runs flint's products on all cores and restores the caller's setting, also when
    something fails inside it."""
    from flint import ctx

    import exact.numeric.support as support

    def broken(J):
        raise RuntimeError("inside enclose")

    before = ctx.threads
    try:
        ctx.threads = 1
        assert optimal_set(ORTHOGONAL).kind in ("enclosure", "algebraic") and ctx.threads == 1
        monkeypatch.setattr(support, "inverse_and_condition", broken)
        with pytest.raises(RuntimeError, match="inside enclose"):
            optimal_set(ORTHOGONAL)
        assert ctx.threads == 1
    finally:
        ctx.threads = before


def test_a_poor_float_preconditioner_falls_back_to_ball_arithmetic(monkeypatch):
    """A float Y with |I - YJ| >= 1 (here 3 J^-1: I - YJ = -2I, and its refinement -3 J^-1 gives
    4I) proves no box; enclose then uses the ball-arithmetic inverse, and the certificate carries
    that Y, not a float one."""
    import exact.numeric.support as support

    floats = []

    def poor(J):
        floats.append(3 * np.linalg.inv(np.array(J, dtype=float)))
        return floats[-1], 1.0

    monkeypatch.setattr(support, "inverse_and_condition", poor)
    opt = optimal_set(ORTHOGONAL)
    assert floats and opt.kind in ("enclosure", "algebraic")
    cert = json.loads(json.dumps(opt.certificate()))
    assert all(Fraction(cert["Y"][0][0]) not in (Fraction(Y[0][0]), -Fraction(Y[0][0])) for Y in floats)
    res = check_certificate(cert)
    assert res.ok, res.failure


def test_a_float_inverse_failing_alone_is_refined(monkeypatch):
    """A float Y0 whose residual E = I - Y0 J has a row sum >= 1 but E^2 = 0 (Y0 = (I + 2 e_1 e_N^T)
    J^-1, E = -2 e_1 e_N^T) proves no box alone; its refinement Y0 + E Y0, the residual taken in
    ball arithmetic, is J^-1 up to rounding (a sum of two float matrices, not Y0) and does."""
    import exact.numeric.support as support

    floats = []

    def skewed(J):
        J = np.array(J, dtype=float)
        N = np.zeros_like(J)
        N[0, -1] = 2.0
        floats.append((np.eye(len(J)) + N) @ np.linalg.inv(J))
        return floats[-1], 10 * support.SINGULAR

    def unused(*args):
        raise AssertionError("the ball inverse was not needed")

    monkeypatch.setattr(support, "inverse_and_condition", skewed)
    monkeypatch.setattr(ReducedSystem, "_ball_inverse", unused)
    opt = optimal_set(ORTHOGONAL)
    assert floats and all(len(F) > 1 for F in floats) and opt.kind in ("enclosure", "algebraic")
    cert = json.loads(json.dumps(opt.certificate()))
    Y = [[Fraction(a) for a in row] for row in cert["Y"]]
    F = floats[-1]
    inverse = F - 2 * np.outer(np.eye(len(F))[0], F[-1])  # (I - N) Y0 = J^-1
    assert Y[0] != [Fraction(a) for a in F[0]]  # refined, not Y0 (whose row 0 is off by 2 J^-1's last row)
    assert all(abs(float(Y[i][j]) - inverse[i, j]) <= 1e-9 * np.abs(inverse).max() for i in range(len(F)) for j in range(len(F)))
    res = check_certificate(cert)
    assert res.ok, res.failure


def test_bracket_certificates(monkeypatch):
    """Force the bracket route: its certificate bounds p* and refuses a raised lower bound."""
    import exact.optimum as optimum

    def refuse(*args, **kwargs):
        raise optimum.UndecidedError("forced for the test")

    monkeypatch.setattr(optimum, "_search", refuse)
    opt = optimal_set(RATIONAL)
    assert opt.kind == "bracket" and opt.proof_reason.startswith("forced for the test")  # then the linear term
    lo, hi = opt.value_interval
    assert lo <= Fraction(23, 4) <= hi and hi - lo < Fraction(1, 10**6)
    assert all(lower(v) <= t <= upper(v) for v, t in zip(opt.nu, (Fraction(5, 2), -1, Fraction(-1, 2))))
    cert = opt.certificate()
    assert check_certificate(cert).ok
    cert["lower"] = str(Fraction(23, 4) + Fraction(1, 10**9))
    assert not check_certificate(cert).ok


def test_singular_only_drops_are_the_second_search(monkeypatch):
    """When the searches that drop atoms at every ill-conditioned direction find nothing, the
    search is repeated dropping only at singular ones: the optimum comes from that one."""
    import exact.optimum as optimum

    reference = optimal_set(COMPLEMENTS)
    search, conditions = optimum._search, []

    def first_fails(*args, condition, **kwargs):
        conditions.append(condition)
        if condition == optimum.MAX_CONDITION:
            raise optimum.UndecidedError("forced for the test")
        return search(*args, condition=condition, **kwargs)

    monkeypatch.setattr(optimum, "_search", first_fails)
    opt = optimal_set(COMPLEMENTS)
    assert opt.kind == reference.kind != "bracket" and optimum.SINGULAR in conditions
    (lo, hi), (rlo, rhi) = opt.value_interval, reference.value_interval
    assert max(lo, rlo) <= min(hi, rhi)
    assert check_certificate(json.loads(json.dumps(opt.certificate()))).ok


@pytest.mark.slow
def test_nearly_parallel_tight_atoms_are_certified():
    """n = 100, d = 3 (bench/convex.py seed 7): two tight atoms on one wall, on either side of
    another (cosine 0.9997), are both in the optimum; dropping one at every ill-conditioned
    Jacobian ended in a bracket, the singular-only search certifies the optimum."""
    import random

    rng = random.Random(7)
    X = [[rng.randint(-10, 10) for _ in range(3)] for _ in range(100)]
    data = Dataset(X, [rng.randint(-5, 5) for _ in range(100)], "1/2")
    opt = optimal_set(data)
    assert opt.kind == "enclosure", opt.proof_reason
    assert check_certificate(json.loads(json.dumps(opt.certificate()))).ok


# --- the system with a free linear term: X^T nu* = 0 and complement blocks ----------------------

#: Generic integer data whose optimum has X^T nu* = 0: the complements (I - D, sigma) of the atoms'
#: blocks are tight as well, which a box alone cannot prove (found by a seed search, n = 6, d = 2).
COMPLEMENTS = Dataset([[2, 2], [4, -3], [3, -1], [-4, -3], [-2, 0], [4, 1]], [2, 0, 2, 2, -1, -3], Fraction(1, 2))


def _dot_ball(u, v):
    """``u . v`` for exact ``u`` and ball (or exact) ``v``."""
    return lin(list(u), list(v))


def test_complement_blocks_are_certified_through_the_linear_term():
    opt = optimal_set(COMPLEMENTS)
    cert = json.loads(json.dumps(opt.certificate()))
    assert opt.kind == "enclosure" and cert["method"] == "krawczyk" and "linear" in cert
    res = check_certificate(cert)
    assert res.ok, res.failure
    assert any("complement blocks tight" in c for c in res.checks)
    # X^T nu* = 0: every coordinate of X^T nu encloses 0, and is tiny
    for c in range(2):
        v = _dot_ball([row[c] for row in COMPLEMENTS.X], opt.nu)
        assert lower(v) <= 0 <= upper(v) and upper(v) - lower(v) < Fraction(1, 10**12)
    # independent float route over all patterns
    sol = solve_socp([[float(a) for a in r] for r in COMPLEMENTS.X], [float(a) for a in COMPLEMENTS.y], 0.5, opt.patterns.D)
    lo, hi = opt.value_interval
    assert abs(sol.value - float((lo + hi) / 2)) < 1e-7



@pytest.mark.parametrize("large", [10**9, 0])
def test_large_annihilated_problems_try_the_linear_term_first(monkeypatch, large):
    """With X^T nu* = 0 (COMPLEMENTS) the first search is the short plain one, except on
    problems with LARGE active blocks or more, which take the linear term first; both certify,
    with intersecting value intervals."""
    import exact.optimum as optimum

    search, tried = optimum._search, []

    def recorded(*args, linear, **kwargs):
        tried.append(linear)
        return search(*args, linear=linear, **kwargs)

    monkeypatch.setattr(optimum, "LARGE", large)
    monkeypatch.setattr(optimum, "_search", recorded)
    opt = optimal_set(COMPLEMENTS)
    assert tried[0] is (large == 0)
    assert opt.kind == "enclosure" and check_certificate(json.loads(json.dumps(opt.certificate()))).ok
    monkeypatch.setattr(optimum, "_search", search)
    (lo, hi), (rlo, rhi) = opt.value_interval, optimal_set(COMPLEMENTS).value_interval
    assert max(lo, rlo) <= min(hi, rhi)


def test_complements_with_a_zero_row():
    """A zero row x_k = 0 is 0 in every pattern, so the complement of D is I - D on the other rows
    only; the zero row adds y_k^2 / 2 to p* (nu*_k = y_k, no block sees it) and changes nothing
    else. (n = 200 bench data, seed 0, has such a row.)"""
    X = [list(r) for r in COMPLEMENTS.X]
    data = Dataset(X[:2] + [[0, 0]] + X[2:], list(COMPLEMENTS.y[:2]) + [3] + list(COMPLEMENTS.y[2:]), COMPLEMENTS.beta)
    opt, ref = optimal_set(data), optimal_set(COMPLEMENTS)
    assert opt.kind == ref.kind == "enclosure", opt.proof_reason
    (lo, hi), (rlo, rhi) = opt.value_interval, ref.value_interval
    assert max(lo, rlo + Fraction(9, 2)) <= min(hi, rhi + Fraction(9, 2))
    assert lower(opt.nu[2]) <= 3 <= upper(opt.nu[2])
    cert = json.loads(json.dumps(opt.certificate()))
    res = check_certificate(cert)
    assert res.ok and any("complement blocks tight" in c for c in res.checks), res.failure


def test_absorbed_atoms_are_a_primal_of_the_original_problem():
    """The atoms returned (the system's atoms with weight kappa - s and their complements with
    weight s) are a primal of the problem WITHOUT linear term: non-negative weights, directions in
    their cones, fit y - nu, and objective 1/2 ||nu||^2 + beta^2 sum kappa = d(nu)."""
    opt = optimal_set(COMPLEMENTS)
    X, y, beta = COMPLEMENTS.X, COMPLEMENTS.y, COMPLEMENTS.beta
    fit = [0] * len(y)
    total = 0
    for a in opt.atoms:
        assert lower(a.kappa) >= 0
        blk = a.blocks[0]
        for k, row in enumerate(X):
            side = _dot_ball(row, a.z)
            assert (lower(side) >= -Fraction(1, 10**12)) if blk.D[k] else (upper(side) <= Fraction(1, 10**12))  # face rows: ~0
            if blk.D[k]:
                fit[k] = fit[k] + times(blk.sign, a.kappa) * side
        total = total + a.kappa
    assert any(tuple(1 - v for v in a.blocks[0].D) in {b.blocks[0].D for b in opt.atoms} for a in opt.atoms)
    for f, yk, v in zip(fit, y, opt.nu):
        gap = f - (ball(yk) - v)
        assert lower(gap) <= 0 <= upper(gap)
    primal = sum((v * v for v in opt.nu), ball(0)) / 2 + times(beta * beta, total)
    assert lower(primal) <= upper(opt.value) and lower(opt.value) <= upper(primal)


@pytest.mark.parametrize("change", ["drop-complement", "complement-of-wrong-atom", "weight-above-kappa", "no-linear"])
def test_tampered_linear_certificates_are_refused(change):
    cert = json.loads(json.dumps(optimal_set(COMPLEMENTS).certificate()))
    bad = copy.deepcopy(cert)
    lin = bad["linear"]
    if change == "drop-complement":
        lin["complements"].pop()
    elif change == "complement-of-wrong-atom":
        lin["complements"][0]["atom"] = (lin["complements"][0]["atom"] + 1) % len(bad["atoms"])
    elif change == "weight-above-kappa":
        if not lin["weights"]:
            pytest.skip("every atom is in the basis")
        lin["weights"][0]["s"] = "1000"
    else:
        del bad["linear"]
    res = check_certificate(bad)
    assert not res.ok and res.failure


@settings(max_examples=15, deadline=None)
@given(x=st.lists(st.fractions(min_value=-20, max_value=20, max_denominator=50), min_size=18, max_size=18), linear=st.booleans())
def test_fast_residual_and_jacobian_agree_with_the_generic_ones(x, linear):
    """Newton's residual (arb_mat at binary points) and float Jacobian against the generic
    Python-loop evaluation, on three atoms of COMPLEMENTS (d = 2, faces of both kinds)."""
    import mpmath

    from exact.optimality import Block, _binary

    blocks = [Block((1, 1, 0, 0, 0, 1), 1, ()), Block((0, 0, 1, 1, 1, 0), -1, (2,)), Block((1, 0, 1, 0, 1, 0), 1, ())]
    system = ReducedSystem(COMPLEMENTS.X, COMPLEMENTS.y, COMPLEMENTS.beta, blocks, linear=linear)
    x = x[: system.size]
    with mpmath.workdps(40):
        xm = [mpmath.mpf(v.numerator) / v.denominator for v in x]
        assert all(abs(_binary(a) - v) <= abs(v) / 10**35 for a, v in zip(xm, x))  # signs included
        exact = system.residual([_binary(v) for v in xm])
        fast = system.binary_residual(xm)  # ball arithmetic 64 bits beyond the working precision
        assert all(abs(_binary(f) - e) <= (1 + abs(e)) / 10**38 for f, e in zip(fast, exact))
    J = np.array([[float(a) for a in row] for row in system.jacobian(x)])
    assert np.allclose(system.float_jacobian(x), J, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    X=st.lists(st.tuples(*[st.integers(-6, 6)] * 3).filter(any), min_size=2, max_size=7, unique=True),
    nu=st.lists(st.fractions(-3, 3, max_denominator=7), min_size=7, max_size=7),
    beta=betas(max_numerator=12, max_denominator=4),
    radius=st.sampled_from([0, Fraction(1, 10**6)]),
    along_tree=st.booleans(),
)
def test_vectorized_block_bounds_are_sound_and_find_the_strict_blocks(X, nu, beta, radius, along_tree):
    """``_bounded`` (rounded multipliers, integer bounds over all blocks at once) proves only blocks
    whose exact projection norm is below beta at every point of the box (its multipliers checked
    again in Fractions at the corners), and proves every block clearly below beta; with sums
    along the region tree (every region's blocks) and by products (a listed set of blocks)."""
    from exact.block_set import BlockSet
    from exact.optimality import memo_for
    from exact.optimum import _bounded, _exact_sq_norm

    nu = nu[: len(X)]
    X = Dataset(X, [0] * len(X), beta).X
    pats = enumerate_patterns(X)
    if along_tree:
        blocks = BlockSet.of_regions(X, pats)
        assert blocks.used_tree is pats.tree
    else:
        memo_for(X, "walls").update(zip([tuple(int(v) for v in r) for r in pats.D.tolist()], pats.walls))
        blocks = BlockSet.of(X, list(BlockSet.of_regions(X, pats)))
        assert blocks.used_tree is None and blocks.walls is not None
    box = [ball(v, radius) for v in nu] if radius else nu
    proven = _bounded(X, blocks, box, beta)
    for i, b in enumerate(blocks):
        norm2 = _exact_sq_norm(X, b, nu)
        if i in proven:
            lam = proven[i]
            assert all(v >= 0 for v in lam.values())
            for corner in ([v - radius for v in nu], [v + radius for v in nu], nu):
                g = [sum(b.sign * corner[k] * X[k][c] for k in range(len(X)) if b.D[k]) for c in range(3)]
                for r, v in lam.items():
                    g = [gc + (1 if b.D[r] else -1) * v * X[r][c] for c, gc in enumerate(g)]  # + A_s^T lambda
                assert sum(gc * gc for gc in g) < beta**2
            assert norm2 < beta**2
        elif radius == 0:
            assert norm2 > beta**2 * (1 - Fraction(1, 10**6))


class _Scalar:
    """A one-unknown stand-in for ReducedSystem.newton: F(x) = x^2 - c."""

    def __init__(self, c):
        self.c, self.calls = c, 0

    def binary_residual(self, x):
        self.calls += 1
        return [x[0] * x[0] - self.c]

    def float_jacobian(self, x):
        return [[2 * float(x[0])]]


def test_newton_converges_and_gives_up_when_it_stalls():
    """x^2 = 2 from 1: sqrt(2) to 60 digits. x^2 = -1 has no real root: Newton (x -> (x - 1/x)/2)
    wanders with |F| >= 1, so it stops after STALL_STEPS steps without a tenfold fall, not max_steps."""
    import mpmath

    from exact.errors import UndecidedError
    from exact.optimality import STALL_STEPS, ReducedSystem

    x, regular = ReducedSystem.newton(_Scalar(2), [1], dps=60)
    with mpmath.workdps(70):
        assert regular and abs(x[0] - mpmath.sqrt(2)) < mpmath.mpf(10) ** -59
    stuck = _Scalar(-1)
    with pytest.raises(UndecidedError, match="stalls"):
        ReducedSystem.newton(stuck, [100], dps=60, max_steps=200)
    assert stuck.calls < 2 * STALL_STEPS


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.integers(-4, 4), min_size=3, max_size=3), min_size=1, max_size=6),
    st.lists(st.fractions(min_value=-6, max_value=6, max_denominator=7), min_size=3, max_size=3),
)
@example([[1, 0, 0], [1, 0, 0], [0, 1, 0]], [Fraction(-1), Fraction(-1), Fraction(2)])  # repeated wall
@example([[1, 1, 0], [1, -1, 0], [0, 0, 1]], [Fraction(-1), Fraction(0), Fraction(-1)])  # to the apex
def test_flint_projection_is_lawson_hanson(A, g):
    """project_flint (fmpq, float-proposed face checked exactly) returns exactly what project
    (Fractions) does: point, multipliers, face and squared norm, also on repeated and
    dependent walls, where the proposal's system is singular and it falls back."""
    from flint import fmpq

    from exact.cones import check_projection, project, project_flint

    A = [row for row in A if any(row)]
    if not A:
        return
    want = project([[Fraction(c) for c in row] for row in A], g)
    got = project_flint([[fmpq(c) for c in row] for row in A], [fmpq(c.numerator, c.denominator) for c in g])
    assert got == want and check_projection(A, g, got)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(st.integers(-10**6, 10**6), min_size=3, max_size=3), min_size=1, max_size=12),
    st.lists(st.fractions(min_value=-10, max_value=10, max_denominator=10**9), min_size=3, max_size=3),
    st.sampled_from([Fraction(0), Fraction(1, 10**20), Fraction(1, 10**7), Fraction(3, 2)]),
)
def test_weak_rows_screen_keeps_every_weak_row(X, p, tol):
    """weak_rows is a float screen: every row with |x_i . p| <= tol (decided exactly) is among
    the rows it returns, however small tol (10^-20, and 0: rows exactly through p)."""
    from exact.numeric.convex import weak_rows

    X = [tuple(row) for row in X] + [(0, 0, 0)]
    if any(p):  # a row orthogonal to p, exactly: p x e_3 = (p_1, -p_0, 0), scaled to integers
        q = [c * p[0].denominator * p[1].denominator * p[2].denominator for c in p]
        X.append((int(q[1]), int(-q[0]), 0) if q[0] or q[1] else (1, 0, 0))
    X = tuple(X)
    weak = {i for i, row in enumerate(X) if abs(sum(a * c for a, c in zip(row, p))) <= tol}
    assert weak <= set(weak_rows(X, p, tol).tolist())
