"""The certified counterexamples: exact facts by independent routes, certificates re-checked and
tampered ones rejected, and the float reproductions with stated tolerances."""

import copy
from fractions import Fraction

import pytest
import sympy
from flint import arb, arb_mat, ctx, fmpq, fmpz_poly

from counterexamples.nonuniqueness import (
    certify,
    find_nonunique,
    fixture_b,
    fixture_b_rational,
    fixture_c,
    plain_continuum,
)
from counterexamples.orthogonal import huber, orthogonal_data, region_fraction
from counterexamples.small_init import rank_one_polynomial, small_init_data, small_initialization
from exact import Dataset
from exact.checker import check_certificate
from exact.errors import InvalidDataError
from exact.multiquadratic import field_element, sqrt_rational
from exact.convex import nonconvex_objective
from exact.optimum import optimal_set
from exact.stationary import Network, cone_minimum, global_minimum, local_minimum


def verified(cert):
    res = check_certificate(cert)
    assert res.ok, res.failure
    return res


def rejected(cert, path, value):
    bad = copy.deepcopy(cert)
    obj = bad
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value
    res = check_certificate(bad)
    assert not res.ok and res.failure
    return res.failure


# ---------------------------------------------------------------------------------------------
# non-uniqueness


@pytest.mark.parametrize("make", [fixture_b, fixture_b_rational, fixture_c, plain_continuum])
def test_nonunique_certificates(make):
    ex = make()
    res = verified(ex.certificate())
    assert ex.values[0] != ex.values[1]
    assert any("differ" in line for line in res.checks)
    cert = ex.certificate()
    rejected(cert, ["solutions", 0, "atoms", 0, "weight"], "7")
    rejected(cert, ["nu", 0], "3")
    rejected(cert, ["point"], cert["X"][0])  # at a data point both solutions give the same fit


def test_fixture_b_rational_instance_is_equivalent():
    a, b = fixture_b(), fixture_b_rational()
    assert a.value == b.value == 1 and a.nu == b.nu and a.values == b.values
    # the function along the segment: f_lambda(0) = (1 + lambda) / 2 (math/convex_duality.md §8)
    for lam in (Fraction(0), Fraction(1, 3), Fraction(1)):
        f = lam * a.values[0] + (1 - lam) * a.values[1]
        assert f == (1 + lam) / 2


def test_fixture_c_closed_forms():
    ex = fixture_c()
    f1, f2 = ex.solutions
    for x1 in range(-2, 3):
        for x2 in range(-2, 3):
            x = (x1, x2, 1)
            assert f1(x) == abs(x1 + x2) - 1 and f2(x) == 1 - abs(x1 - x2)
    assert field_element(sympy.sqrt(8)) == ex.value  # cost 2 sqrt 2 = nu^T y


def test_plain_continuum_matches_the_certified_optimum():
    ex = plain_continuum()
    opt = optimal_set(Dataset(ex.X, ex.y, ex.beta))
    assert opt.kind == "rational" and opt.value == ex.value and tuple(opt.nu) == ex.nu
    tight = {(s, tuple(u)) for _, s, u in opt.directions}
    for sol in ex.solutions:
        for a in sol.atoms:
            assert (a.sign, tuple(c / ex.beta for c in a.direction)) in tight
    # the tight columns are dependent: mid = (one + two) / 2 ... a segment, not a point
    assert len(tight) == 3


def test_find_nonunique_returns_certified_examples_or_none():
    ex = find_nonunique(2, 4, seed=0)
    verified(ex.certificate())
    assert find_nonunique(2, 4, seed=0, budget=0) is None
    assert find_nonunique(3, 2, seed=0, budget=20) is None  # no 120-degree rational pairs in d = 2
    with pytest.raises(InvalidDataError, match="d = 5"):
        find_nonunique(2, 5)


def test_certify_rejects_a_wrong_claim():
    ex = plain_continuum()
    with pytest.raises(InvalidDataError, match="agree at the point"):
        certify("same", "regularized", ex.X, ex.y, ex.nu, [ex.solutions[0], ex.solutions[0]], ex.point, beta=ex.beta)
    with pytest.raises(InvalidDataError, match="dual constraint"):
        certify("bad nu", "regularized", ex.X, ex.y, [2, 2], ex.solutions, ex.point, beta=ex.beta)


def test_plain_continuum_solutions_are_global_minima_of_the_network():
    """Independent route: each solution, as a balanced network, passes the exact global test
    (T6.2 + nu in D) of exact.stationary, with the same value."""
    ex = plain_continuum()
    data = Dataset(ex.X, ex.y, ex.beta)
    for sol in ex.solutions:
        res = global_minimum(data, sol.network())
        assert res.holds and tuple(res.nu) == ex.nu
        verified(res.certificate())


def test_plain_continuum_float_reproduction():
    ex = plain_continuum()
    rep = ex.reproduce(seeds=16, steps=6000, lr=0.05)
    at = [v for lab, v in zip(rep["labels"], rep["at_point"]) if lab == "optimum"]
    assert len(at) >= 2  # some runs reach the optimal value 5/4 (others stall at sub-sampled values)
    lo, hi = sorted(float(v) for v in ex.values)
    assert all(lo - 1e-4 <= v <= hi + 1e-4 for v in at)  # on the segment [f_2, f_1] at the point
    assert max(at) - min(at) > 0.05  # different runs, different optimal functions
    assert fixture_c().reproduce() is None  # interpolation: nothing to descend


# ---------------------------------------------------------------------------------------------
# orthogonal data


@pytest.mark.parametrize(
    "n_pos, n_neg, lam",
    [(2, 1, Fraction(1, 6)), (2, 3, Fraction(1, 10)), (3, 0, Fraction(1, 6)), (1, 2, Fraction(1, 2)), (2, 2, Fraction(3, 4))],
)
def test_orthogonal_global_minimum_closed_form_equals_optimal_set(n_pos, n_neg, lam):
    ex = orthogonal_data(n_pos, n_neg, lam, max_types=0)
    assert ex.values_agree  # exact equality in Q(sqrt |P|, sqrt |N|)
    beta = (n_pos + n_neg) * lam
    assert ex.value == huber(sqrt_rational(n_pos), beta) + huber(sqrt_rational(n_neg), beta)
    assert ex.paper_value == ex.value * Fraction(2, n_pos + n_neg)
    verified(ex.certificate())


def test_orthogonal_points_follow_prop_3_7():
    ex = orthogonal_data(2, 1, Fraction(1, 6))
    table = {p.name: p for p in ex.points}
    expect = {  # (i) cone minimum, (ii) Clarke, (iii) local minimum, class
        "global minimum": (True, True, True, "global_minimum"),
        "partition region optimum": (True, True, False, "non_minimum_stationary"),
        "sign-deficient (+)": (True, True, True, "spurious_local_minimum"),
        "sign-deficient (+) with a zero neuron": (True, True, False, "non_minimum_stationary"),
    }
    for name, flags in expect.items():
        p = table[name]
        assert (p.cone_minimum, p.clarke, p.local_minimum, p.kind) == flags, name
    Y, beta = sqrt_rational(2), Fraction(1, 2)
    assert table["sign-deficient (+)"].value == huber(Y, beta) + Fraction(1, 2)  # h(Y_s) + Y_{-s}^2 / 2
    assert table["partition region optimum"].value == huber(1, beta) + Fraction(1, 2) + huber(1, beta)  # Prop 3.5
    assert table["partition region optimum"].value > ex.value  # the region holds only spurious points


def test_clarke_stationary_partition_point_is_not_a_local_minimum():
    """The mistake to catch: BBEL's Clarke test (kink multipliers in [0, 1]) accepts the partition
    optimum; its escape w_j + eps x_k decreases F at first order."""
    ex = orthogonal_data(2, 1, Fraction(1, 6))
    p = next(p for p in ex.points if p.name == "partition region optimum")
    res = local_minimum(ex.data, p.network)
    assert p.clarke and not res.holds and res.escape.order == 1
    cert = verified(p.certificates["descent"])
    assert "not a local minimum" in cert.checks[0]
    assert rejected(p.certificates["descent"], ["direction", 0, "v", 1], "-1")  # off the kink's active side
    # and F itself, not the polynomial, decreases along the escape (exact, at a small step)
    eps = Fraction(1, 1000)
    (s0, a2, u), (r, v) = (p.network.neurons[0].sign, p.network.neurons[0].a2, p.network.neurons[0].u), res.escape.direction[0]
    assert r == 0 and s0 == 1 and a2 == Fraction(1, 2)
    W, a = p.network.weights()
    moved = [list(w) for w in W]
    moved[0] = [w + eps * c / sympy.sqrt(a2) for w, c in zip(W[0], v)]  # dw_0 = v / |a_0|
    assert nonconvex_objective(ex.data, moved, a) < nonconvex_objective(ex.data, W, a) == p.value



def test_cone_minimum_with_a_violated_zero_neuron_cone_escapes_by_growth():
    """Regression (exact/stationary.py): a zero neuron placed in a cone whose block is violated
    is refuted by growing it (second order), not by the first-order kink step of a live neuron."""
    data = Dataset([[1, 0], [0, 1]], [2, 0], 1)
    net = Network.from_weights([[0, 0]], [0])
    res = cone_minimum(data, net, cones=[((1, -1), 1)])
    assert not res.holds and res.escape.order == 2
    p2, beta = 4, 1  # p = Pi_K(X^T D nu) = (2, 0)
    assert res.escape.coefficients[1] == Fraction(p2 * (beta * beta - p2), 2 * beta) == -6  # D6.5: the eps^2 term
    verified(res.certificate())


def test_orthogonal_region_types_and_fractions():
    ex = orthogonal_data(2, 1, Fraction(1, 6))
    assert len(ex.region_types) == 136  # multisets of 2 of the 16 signed patterns
    assert all(r["rule"] == r["contains"] for r in ex.region_types)  # Prop 3.2 = the census's atoms
    assert sum(r["contains"] for r in ex.region_types) == 2 * 4  # a + pattern above P, a - pattern above N
    # Prop 3.7: true spurious minima only in one-signed regions whose patterns hold u_+ or u_-
    spurious = [r["region"] for r in ex.region_types if r["true_spurious"]]
    assert len(spurious) == 3 + 10 and all(len({p[0] for p in reg}) == 1 for reg in spurious)
    for row in ex.widths:
        assert row["fraction"] == row["census"]  # closed form = inclusion-exclusion over atoms
        if row["enumerated"] is not None:
            assert row["fraction"] == row["enumerated"]  # = brute force over all ordered regions
    assert region_fraction(3, 0, 1, minus=False) == Fraction(1, 16)
    # Cor 3.4: the width for 1 - eps grows like 2^(max(|P|,|N|)+1) log(1/eps)
    widths = [orthogonal_data(k, 0, Fraction(1, 20), width=2, max_types=0).width_for(Fraction(1, 10)) for k in (1, 2, 3)]
    assert widths == sorted(widths) and widths[2] >= 2 * widths[1] - 2


def test_orthogonal_regions_below_the_width_hold_only_spurious_points():
    ex = orthogonal_data(2, 1, Fraction(1, 6))
    regions = dict(ex.regions)
    part, one = regions["partition region"], regions["one-signed (+) region"]
    assert not part.contains_global and not part.true_spurious  # its minima: cone minima only
    assert not one.contains_global and one.true_spurious  # Prop 3.7 (b)
    # CP(A) of the partition region is the Prop 3.5 value 5/4 > F*
    assert part.value_interval[0] <= Fraction(5, 4) <= part.value_interval[1]
    for v in (part, one):
        verified(v.certificate)
        assert rejected(v.certificate, ["contains_global"], True)


def test_orthogonal_certificate_tampering():
    ex = orthogonal_data(2, 1, Fraction(1, 6))
    cert = ex.certificate()
    verified(cert)
    idx = next(i for i, p in enumerate(cert["parts"]) if p["label"] == "sign-deficient (+): local")
    failure = rejected(cert, ["parts", idx, "competitor", 0, "a2"], "10")
    assert failure.startswith(f"parts[{idx}]")


def test_orthogonal_bad_input():
    with pytest.raises(InvalidDataError, match="width = 1"):
        orthogonal_data(2, 1, 1, width=1)
    with pytest.raises(InvalidDataError, match="lam = 0"):
        orthogonal_data(2, 1, 0)
    with pytest.raises(InvalidDataError, match="d = 2"):
        orthogonal_data(2, 1, 1, d=2)


def test_orthogonal_float_reproduction():
    ex = orthogonal_data(2, 1, Fraction(1, 6), max_types=0)
    rep = ex.reproduce(runs=60, steps=3000, samples=8000)
    p = rep["exact_fraction"]
    assert abs(rep["sampled_fraction"] - p) ** 2 < 16 * p * (1 - p) / 8000  # within 4 standard errors
    assert "other" not in rep["labels"]  # every GD end value is a Prop 3.5 value
    assert "global" in rep["labels"]


# ---------------------------------------------------------------------------------------------
# small initialisation


@pytest.fixture(scope="module")
def small():
    return small_initialization()


def test_small_init_rank_one_point_is_a_spurious_local_minimum(small):
    res = verified(small.certificate())
    text = " ".join(res.checks)
    assert "local minimum of F" in text and "spurious" in text and "saddle" in text
    assert small.spurious and small.value_interval[0] > small.global_interval[1]
    assert small.escape["q"] < 0 and small.minus_bound < small.beta**2
    assert not small.interpolator_certifies  # beta R_min is too weak at beta = 1/1000 ...
    assert small_initialization(Fraction(1, 2000)).interpolator_certifies  # ... but not at 1/2000


def test_small_init_value_from_the_exact_root(small):
    """Independent route: the positive root of the degree-6 polynomial isolated by flint (not
    the bisection of the generator), then z(kappa) and g = 1/2 ||X z - y||^2 + beta^2 / kappa
    in ball arithmetic, inside the certified enclosures."""
    data = small_init_data()
    poly = rank_one_polynomial(data)
    assert poly.degree() == 6
    den = sympy.ilcm(*[sympy.Rational(c).q for c in poly.all_coeffs()])
    P = fmpz_poly([int(c * den) for c in reversed(poly.all_coeffs())])
    with ctx.workprec(256):
        roots = [r.real for r, _ in P.complex_roots() if r.imag.contains(0) and r.real > 0]
        assert len(roots) == 1  # a unique positive root: kappa
        kappa = roots[0]
        lo, hi = small.kappa_interval
        assert arb(fmpq(lo.numerator, lo.denominator)) <= kappa <= arb(fmpq(hi.numerator, hi.denominator))
        X = arb_mat([[fmpq(c.numerator, c.denominator) for c in r] for r in data.X])
        y = arb_mat([[fmpq(c.numerator, c.denominator)] for c in data.y])
        z = (X.transpose() * X + kappa * arb_mat([[int(i == j) for j in range(3)] for i in range(3)])).solve(X.transpose() * y)
        r = X * z - y
        beta = arb(fmpq(data.beta.numerator, data.beta.denominator))
        g = sum(r[k, 0] ** 2 for k in range(3)) / 2 + beta * beta / kappa
        vlo, vhi = small.value_interval
        slack = arb(fmpq(1, 10**25))
        assert arb(fmpq(vlo.numerator, vlo.denominator)) - slack < g < arb(fmpq(vhi.numerator, vhi.denominator)) + slack
        assert abs(z[2, 0] - arb(fmpq(small.center[2].numerator, small.center[2].denominator))) < slack


def test_small_init_degree_of_the_polynomial_is_six():
    """kappa^2 ||adj(M) X^T y||^2 has degree 2 + 2 * 2, det(M)^2 degree 2 * 3; leading terms
    kappa^6 (||X^T y||^2 - beta^2) do not cancel."""
    data = small_init_data()
    Xty = [sum(x[i] * yk for x, yk in zip(data.X, data.y)) for i in range(3)]
    lead = sum(c * c for c in Xty) - data.beta**2
    assert rank_one_polynomial(data).LC() == sympy.Rational(lead.numerator, lead.denominator)


def test_small_init_certificate_tampering(small):
    cert = small.certificate()
    part = ["parts", 0]
    assert rejected(cert, part + ["escape", "c"], "-1")
    assert rejected(cert, part + ["center", 1], "1/10")
    assert rejected(cert, part + ["mu"], "5")
    assert rejected(cert, part + ["value", "lower"], "1/1000")


def test_small_init_not_spurious_at_large_beta():
    with pytest.raises(InvalidDataError, match="not spurious"):
        small_initialization(Fraction(1, 100))


def test_small_init_float_reproduction_small_alpha(small):
    rep = small.reproduce(alphas=(1e-3,), seeds=2, width=10, steps=20_000, record_every=20_000)
    assert rep["table"] == [(1e-3, 2, 0, 0)]  # both runs end at the rank-one value
    probe = float(rep["probe_value"])
    assert max(abs(v - probe) for v in rep["at_probe"]) < 1e-6  # and compute x -> (x . z_beta)_+


@pytest.mark.slow
def test_small_init_float_reproduction_statistics(small):
    rep = small.reproduce()
    table = {alpha: (r1, star) for alpha, r1, star, _ in rep["table"]}
    assert table[1e-3] == (4, 0) and table[1e-2] == (4, 0)
    assert table[0.5][1] == 4 and table[0.25][1] >= 2
