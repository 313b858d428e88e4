"""The region census against independent routes: brute force over ordered regions, the
orthogonal closed forms (Props 3.3, 3.7), Cover's count, certificates re-checked."""

from fractions import Fraction
from itertools import product
from math import comb

import pytest

from exact import Dataset, count_patterns, cover_count, enumerate_patterns, is_in_general_position, optimal_set
from exact.checker import check_certificate
from exact.cones import project
from exact.errors import InvalidDataError, ResourceLimitError
from exact.lp import solve_lp
from exact.region_census import (
    census,
    classify,
    containment_fraction,
    crossing_width,
    region_landscape,
    signed_patterns,
    sufficient_width,
    surjections,
    theory_curve,
    width_curve,
)
from counterexamples.orthogonal import region_fraction
from exact.stationary import Network, Neuron, local_minimum

#: The staircase instance (m* = 1 < M* = 2: two vertices), all restricted optima rational.
STAIRCASE = Dataset([[2, 0, 0, 0], [-1, 1, 1, 1]], [1, 1], 1)
#: Orthonormal rows with Pythagorean labels: every restricted optimum is rational.
PYTHAGOREAN = Dataset([[1, 0], [0, 1]], [3, -4], 1)


def orthogonal(n_pos, n_neg, beta):
    n = n_pos + n_neg
    return Dataset([[int(i == k) for i in range(n)] for k in range(n)], [1] * n_pos + [-1] * n_neg, beta)


# ---------------------------------------------------------------------------------------------
# counting convention


@pytest.mark.parametrize(
    "X, empty",
    [
        ([[1, 0], [0, 1]], True),  # orthonormal, d = n: 2^n patterns, the empty one included
        ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], True),
        ([[1, 0], [0, 1], [-1, -1]], False),  # rows sum to 0: no h with Xh < 0
        ([[1, 2], [3, -1], [-2, 5], [4, 4]], True),  # h = (-2, -1) has Xh < 0
        ([[2, 1], [-1, 3], [-1, -4]], False),  # rows sum to 0
        ([[1, 1], [2, 3]], True),
    ],
)
def test_n_act_is_twice_the_pattern_count(X, empty):
    sp = signed_patterns(X)
    assert len(sp) == 2 * count_patterns(X) == 2 * len(enumerate_patterns(X))
    if is_in_general_position(X):
        assert len(sp) == 2 * cover_count(len(X), min(len(X), len(X[0])))
    assert any(not any(p.D) for p in sp) == empty
    assert [p.index for p in sp] == list(range(len(sp)))
    assert {(p.signs, p.sign) for p in sp} == {(q.signs, s) for q in enumerate_patterns(X) for s in (1, -1)}


def test_orthogonal_n_act_is_2_to_the_n_plus_1():
    for n in range(1, 5):
        assert len(signed_patterns([[int(i == k) for i in range(n)] for k in range(n)])) == 2 ** (n + 1)


def test_surjections_partition_the_ordered_regions():
    for N in range(1, 7):
        for m in range(1, 6):
            assert sum(comb(N, k) * surjections(m, k) for k in range(1, m + 1)) == N**m


# ---------------------------------------------------------------------------------------------
# exhaustive census = brute force over ordered regions


def brute_force(data, m):
    """Every ordered region decided independently: CP(A) by the restricted solve compared with
    p*, and the local-minimum kernel (Lemma 2.4, exact.stationary) on a minimizer network of
    maximal support spread over the region's neurons."""
    pats = enumerate_patterns(data.X)
    signed = [(p.signs, s) for p in pats for s in (1, -1)]
    p_star = optimal_set(data).value
    solved = {}
    contains = spurious = 0
    for region in product(range(len(signed)), repeat=m):
        S = frozenset(region)
        if S not in solved:
            solved[S] = _restricted(data, [signed[i] for i in sorted(S)])
        value, blocks = solved[S]
        if value == p_star:
            contains += 1
            continue
        mult = {i: region.count(i) for i in S}
        neurons = []
        for i in region:
            sg, D = signed[i][1], tuple(int(v > 0) for v in signed[i][0])
            g, z = blocks.get((D, sg), (0, None))
            if not g:
                neurons.append(Neuron(0, Fraction(0), (Fraction(0),) * data.d))
            else:
                neurons.append(Network.from_blocks([(sg, tuple(g / mult[i] * c for c in z))]).neurons[0])
        spurious += local_minimum(data, Network(tuple(neurons))).holds
    return contains, spurious


def _restricted(data, blocks):
    """CP on the blocks (rational), and per tight block a weight of a maximal-support minimizer."""
    X, y, beta = data.X, data.y, data.beta
    live = [(tuple(int(v > 0) for v in s), sg) for s, sg in blocks if any(v > 0 for v in s)]
    if not live:
        return sum(v * v for v in y) / 2, {}
    opt = optimal_set(data, blocks=live)
    assert opt.kind == "rational"
    nu = opt.nu
    tight = [(b.D, b.sign) for b in opt.tight if (b.D, b.sign) in live]
    dirs, cols = {}, []
    for D, sg in tight:
        A = [[a if dk else -a for a in x] for x, dk in zip(X, D)]
        g = [sg * sum(X[k][c] * nu[k] for k in range(data.n) if D[k]) for c in range(data.d)]
        z = project(A, g).point
        dirs[(D, sg)] = z
        cols.append([sg * sum(a * c for a, c in zip(X[k], z)) if D[k] else Fraction(0) for k in range(data.n)])
    fit = [a - b for a, b in zip(y, nu)]
    total = [Fraction(0)] * len(tight)
    for i in range(len(tight)):  # maximize each weight; the average has maximal support
        res = solve_lp([-int(j == i) for j in range(len(tight))], A_eq=[[c[t] for c in cols] for t in range(data.n)], b_eq=fit)
        assert res.status == "optimal"
        total = [a + b for a, b in zip(total, res.x)]
    weights = {key: w / len(tight) for key, w in zip(tight, total)}
    return opt.value, {key: (weights[key], dirs[key]) for key in tight}


@pytest.mark.parametrize("data, m", [(STAIRCASE, 1), (STAIRCASE, 2), (PYTHAGOREAN, 2), (PYTHAGOREAN, 3)])
def test_exhaustive_census_equals_brute_force(data, m):
    res = census(data, m, exhaustive=True)
    contains, spurious = brute_force(data, m)
    assert res.regions == res.n_act**m
    assert (res.contains_global, res.true_spurious, res.undecided) == (contains, spurious, 0)
    assert res.fractions["contains_global"] == res.expected_contains


# ---------------------------------------------------------------------------------------------
# orthogonal data: Prop 3.3 (containment) and Prop 3.7 (true spurious minima)


def prop_3_3(n_pos, n_neg, m, plus, minus):
    """Prop 3.3, from the orthogonal-data construction (an independent closed form)."""
    return region_fraction(n_pos, n_neg, m, plus=plus, minus=minus)


def prop_3_7(n_pos, n_neg, m, plus, minus):
    """Sign-deficient true minima: all neurons of sign s with patterns covering P_s; spurious iff
    both sides exceed beta. Fraction sum_s 2^(-m (|P_s| + 1))."""
    if not (plus and minus):
        return Fraction(0)
    return Fraction(1, 2 ** (m * (n_pos + 1))) + Fraction(1, 2 ** (m * (n_neg + 1)))


@pytest.mark.parametrize(
    "n_pos, n_neg, beta",
    [(1, 1, Fraction(1, 2)), (2, 1, Fraction(1, 2)), (3, 0, Fraction(1, 2)), (1, 2, Fraction(3, 2)), (2, 1, Fraction(6, 5))],
)
def test_orthogonal_census_matches_props_3_3_and_3_7(n_pos, n_neg, beta):
    data = orthogonal(n_pos, n_neg, beta)
    L = region_landscape(data)
    plus, minus = n_pos > beta**2, n_neg > beta**2  # Y_+ = sqrt(n_pos) > beta
    for m in (1, 2, 3):
        res = census(data, m, exhaustive=True, landscape=L)
        assert res.undecided == 0
        assert res.fractions["contains_global"] == prop_3_3(n_pos, n_neg, m, plus, minus) == res.expected_contains
        assert res.fractions["true_spurious"] == prop_3_7(n_pos, n_neg, m, plus, minus)
    for m in range(4, 12):  # the exact fraction beyond enumeration
        assert containment_fraction(L, m) == prop_3_3(n_pos, n_neg, m, plus, minus)


def test_necessity_on_orthogonal_data():
    """Cor 3.4: one-signed labels on n rows reach 1 - eps only at m >= log(1/eps) / -log(1 - 2^(-n-1))."""
    data = orthogonal(3, 0, Fraction(1, 2))
    L = region_landscape(data)
    eps = Fraction(1, 10)
    m = next(m for m in range(1, 200) if containment_fraction(L, m) >= 1 - eps)
    assert (1 - Fraction(1, 16)) ** (m - 1) > eps >= (1 - Fraction(1, 16)) ** m  # Pr = 1 - (1 - 2^-4)^m
    assert m == 36


# ---------------------------------------------------------------------------------------------
# sampling, intervals, routes, certificates


def test_sampler_streams_are_independent_across_widths():
    """Width 2 is not width 1 drawn twice from one stream (no correlation along a curve)."""
    import random

    data = orthogonal(1, 1, Fraction(1, 2))
    L = region_landscape(data)
    res = census(data, 2, samples=300, seed=3, landscape=L)
    rng = random.Random("3/2")
    assert res.contains_global == sum(L.contains([rng.randrange(L.n_act) for _ in range(2)]) for _ in range(300))
    rng = random.Random("3/1")
    assert [rng.randrange(L.n_act) for _ in range(6)] != [random.Random("3/2").randrange(L.n_act) for _ in range(6)]


def test_sampled_census_is_reproducible_and_covers_the_exact_fraction():
    data = orthogonal(2, 1, Fraction(1, 2))
    L = region_landscape(data)
    a = census(data, 3, samples=400, seed=7, landscape=L)
    b = census(data, 3, samples=400, seed=7, landscape=L)
    assert a.as_dict() | {"seconds": 0, "distinct_sets": 0} == b.as_dict() | {"seconds": 0, "distinct_sets": 0}
    lo, hi = a.intervals["contains_global"]
    assert lo <= a.expected_contains <= hi
    lo, hi = a.intervals["true_spurious"]
    assert lo <= prop_3_7(2, 1, 3, True, True) <= hi
    assert a.cone_spurious == a.regions - a.contains_global


def test_sampler_draws_each_neuron_uniformly():
    """With m = 1 every draw is one signed pattern: the census counts match a direct tally."""
    import random

    data = orthogonal(1, 1, Fraction(1, 2))
    L = region_landscape(data)
    res = census(data, 1, samples=800, seed=3, landscape=L)
    rng = random.Random("3/1")  # the documented sampler of seed 3, width 1
    draws = [rng.randrange(L.n_act) for _ in range(800)]
    assert res.contains_global == sum(L.contains([i]) for i in draws)


def test_routes_agree_and_certificates_verify():
    for data in (STAIRCASE, PYTHAGOREAN, orthogonal(2, 1, Fraction(1, 2))):
        L = region_landscape(data)
        for region in product(range(L.n_act), repeat=2):
            a = classify(data, [L.signed[i] for i in region], landscape=L, method="atoms")
            if region[0] <= region[1]:
                b = classify(data, [L.signed[i] for i in region], landscape=L, method="cone_program")
                assert b.contains_global == a.contains_global
            res = check_certificate(a.certificate)
            assert res.ok, res.failure
            assert ("optimum" in a.certificate) == a.contains_global
            if a.true_spurious and data is not STAIRCASE:
                assert "spurious" in a.certificate


def test_tampered_region_certificates_are_rejected():
    data = orthogonal(1, 1, Fraction(1, 2))
    good = classify(data, [((1, 1), 1), ((1, -1), 1)]).certificate
    bad = dict(good, contains_global=True)
    assert not check_certificate(bad).ok
    nu = list(good["gap"]["nu"])
    nu[0] = "5"  # no longer bounded by beta on the + block
    assert not check_certificate(dict(good, gap=dict(good["gap"], nu=nu))).ok
    wrong = dict(good, region=[{"signs": "-+", "sign": 1}, {"signs": "+-", "sign": 1}])
    assert not check_certificate(wrong).ok  # the spurious network leaves this region
    glob = classify(data, [((1, -1), 1), ((-1, 1), -1)]).certificate
    assert check_certificate(glob).ok
    assert not check_certificate(dict(glob, region=[{"signs": "++", "sign": -1}, {"signs": "-+", "sign": -1}])).ok


def test_invariances():
    """Permuting the neurons, or repeating a signed pattern, changes no decision."""
    data = STAIRCASE
    L = region_landscape(data)
    for region in product(range(L.n_act), repeat=2):
        a = classify(data, [L.signed[i] for i in region], landscape=L, certify=False)
        b = classify(data, [L.signed[i] for i in reversed(region)], landscape=L, certify=False)
        c = classify(data, [L.signed[i] for i in region + region[:1]], landscape=L, certify=False)
        assert (a.contains_global, a.true_spurious) == (b.contains_global, b.true_spurious) == (c.contains_global, c.true_spurious)


def test_region_patterns_as_D_or_signs():
    data = PYTHAGOREAN
    a = classify(data, [((1, 0), 1), ((0, 1), -1)], certify=False)
    b = classify(data, [((1, -1), 1), ((-1, 1), -1)], certify=False)
    assert a.blocks == b.blocks and a.contains_global and b.contains_global


def test_errors_name_the_bad_input():
    data = PYTHAGOREAN
    with pytest.raises(InvalidDataError, match=r"region\[1\] has 3 entries, expected n = 2"):
        classify(data, [((1, -1), 1), ((1, 1, 1), -1)])
    parallel = Dataset([[1, 0], [2, 0]], [1, 1], 1)  # one hyperplane: (+, -) is no region
    with pytest.raises(InvalidDataError, match=r"region\[0\] = .* is not an activation region of X"):
        classify(parallel, [((1, -1), 1)])
    with pytest.raises(InvalidDataError, match="method"):
        classify(data, [((1, -1), 1)], method="guess")
    with pytest.raises(InvalidDataError, match="samples"):
        census(data, 2, samples=0)
    with pytest.raises(ResourceLimitError, match="MAX_EXHAUSTIVE"):
        census(orthogonal(3, 3, 1), 4, exhaustive=True)
    with pytest.raises(InvalidDataError, match="eps"):
        sufficient_width(8, 2, 2)


def test_sufficient_width_bounds_the_missing_probability():
    """Thm 2.5's proof: at m = N log(k / eps) the region misses a pattern with probability <= eps."""
    data = orthogonal(1, 1, Fraction(1, 2))
    L = region_landscape(data)
    for eps in (Fraction(1, 2), Fraction(1, 10), Fraction(1, 100)):
        m = sufficient_width(L.n_act, 2, eps)
        assert 1 - containment_fraction(L, m) <= eps


# ---------------------------------------------------------------------------------------------
# width curves, crossing widths, the command line


def test_crossing_width_is_cor_3_4_on_one_signed_orthogonal_data():
    """Pr = 1 - (1 - 2^(-n-1))^m: the least m with (1 - 2^(-n-1))^m <= eps, found by counting up."""
    eps = Fraction(1, 10)
    for n in range(1, 5):
        L = region_landscape(orthogonal(n, 0, Fraction(1, 2)))
        q, m = 1 - Fraction(1, 2 ** (n + 1)), 1
        while q**m > eps:
            m += 1
        assert crossing_width(L, eps) == m
        t = theory_curve(L, [m - 1, m], eps)
        assert t["theory"][0][1] < 1 - eps <= t["theory"][1][1]
        assert t["crossing"] == m <= t["scale"] <= t["paper_scale"]  # necessity: m ~ 2^(n+1) log(1/eps)


@pytest.mark.parametrize("data", [STAIRCASE, PYTHAGOREAN, orthogonal(2, 1, Fraction(1, 2)), orthogonal(1, 2, Fraction(3, 2))])
def test_crossing_width_is_below_the_sufficiency_scale(data):
    """Thm 2.5's proof: Pr[missing] <= k e^(-m/N); and the fraction is monotone around m_eps."""
    L = region_landscape(data)
    for eps in (Fraction(1, 2), Fraction(1, 20)):
        t = theory_curve(L, [], eps)
        m = t["crossing"]
        assert containment_fraction(L, m) >= 1 - eps > (containment_fraction(L, m - 1) if m > 1 else 0)
        assert m <= t["scale"]


def test_width_curve_through_the_sweep_resumes(tmp_path):
    data = orthogonal(1, 1, Fraction(1, 2))
    here = width_curve(data, [1, 2, 3], samples=60, seed=5)
    path = tmp_path / "curve.jsonl"
    first = width_curve(data, [1, 2], samples=60, seed=5, out=path, workers=1, progress=False)
    again = width_curve(data, [1, 2, 3], samples=60, seed=5, out=path, workers=1, progress=False)
    assert len(path.read_text().splitlines()) == 3  # widths 1, 2 read back, only 3 computed
    strip = [{k: v for k, v in r.items() if k not in ("seconds", "distinct_sets")} for r in here]
    assert [{k: v for k, v in r.items() if k not in ("seconds", "distinct_sets")} for r in again] == strip
    assert again[:2] == first
    exact = width_curve(data, [2], exhaustive=True)[0]
    assert exact["fractions"]["contains_global"] == str(prop_3_3(1, 1, 2, True, True))


def _csv(tmp_path, X, y):
    path = tmp_path / "data.csv"
    path.write_text("\n".join(",".join(map(str, row + [v])) for row, v in zip(X, y)) + "\n")
    return str(path)


def test_cli_census_prints_exact_fractions_and_writes_json(tmp_path, capsys):
    import json

    from exact.cli import main

    path = _csv(tmp_path, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 1, -1])
    out = tmp_path / "census.json"
    assert main(["census", path, "--beta", "1/2", "--m", "2,3", "--exhaustive", "--json", str(out), "--eps", "1/10"]) == 0
    text = capsys.readouterr().out
    assert "N_act = 16" in text and "m = 18" in text  # 1 - 2 (7/8)^m ... crosses 9/10 at 18 (Prop 3.3)
    rows = json.loads(out.read_text())["rows"]
    for r in rows:
        assert Fraction(r["fractions"]["contains_global"]) == prop_3_3(2, 1, r["m"], True, True)
        assert Fraction(r["fractions"]["true_spurious"]) == prop_3_7(2, 1, r["m"], True, True)


def test_cli_census_errors_are_one_line(tmp_path, capsys):
    import importlib.util

    from exact.cli import main

    path = _csv(tmp_path, [[1, 0], [0, 1]], [1, -1])
    assert main(["census", path, "--beta", "1/2", "--m", "2,x"]) == 2
    assert "--m '2,x'" in capsys.readouterr().err
    assert main(["census", path, "--beta", "1/2", "--workers", "2"]) == 2
    assert "--out" in capsys.readouterr().err
    if importlib.util.find_spec("matplotlib") is None:
        assert main(["census", path, "--beta", "1/2", "--plot", str(tmp_path / "c.png")]) == 2
        assert "reluscape[plots]" in capsys.readouterr().err
        assert not (tmp_path / "c.png").exists()


def test_cli_census_plot(tmp_path):
    pytest.importorskip("matplotlib")
    from exact.cli import main

    path = _csv(tmp_path, [[1, 0], [0, 1]], [1, -1])
    png = tmp_path / "c.png"
    assert main(["census", path, "--beta", "1/2", "--m", "1,2,4", "--samples", "50", "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_descent_ends_at_the_certified_region_values():
    """Float reproduction (Lemma 2.3): projected GD inside each sampled region ends at CP(A)."""
    from exact.region_census import descent_agreement

    data = orthogonal(2, 1, Fraction(1, 2))
    out = descent_agreement(data, 3, samples=8, seed=1, steps=3000)
    assert out["agree"] == out["regions"] == 8
    assert out["max_infeasibility"] < 1e-6


def test_census_claims_hold_with_verified_certificates():
    from exact.claims import all_claims, run_claim

    names = [c.name for c in all_claims() if c.name.startswith("census.")]
    assert len(names) >= 3
    for name in names:
        v = run_claim(name, crosscheck=False)
        assert v.holds and v.certificate_verified, (name, v.detail)


def test_gaussian_region_certificates_verify_or_are_absent():
    """Irrational p*: regions without a global minimum are certified (CP(A) > p* by a dual point);
    containing ones have no exact minimizer network, hence no certificate."""
    import random

    from exact.relaxation import gaussian_dataset

    data = gaussian_dataset(4, 2, seed=1)
    L = region_landscape(data)
    rng = random.Random(0)
    seen = set()
    for _ in range(30):
        v = classify(data, [L.signed[rng.randrange(L.n_act)] for _ in range(4)], landscape=L)
        seen.add(v.contains_global)
        if v.certificate is None:
            assert v.contains_global and L.optimum.kind not in ("rational", "algebraic")
        else:
            res = check_certificate(v.certificate)
            assert res.ok, res.failure
    assert seen == {True, False}


def test_a_failing_float_solver_leaves_sets_undecided_not_guessed(monkeypatch):
    import exact.numeric.socp as socp
    from exact.errors import ReluscapeError, UndecidedError

    def fail(*args, **kwargs):
        raise ReluscapeError("Clarabel did not solve the SOCP: InsufficientProgress")

    data = orthogonal(1, 1, Fraction(1, 2))
    L = region_landscape(data)  # p* certified first
    monkeypatch.setattr(socp, "solve_socp", fail)
    res = census(data, 2, exhaustive=True, landscape=L)
    assert res.fractions["contains_global"] == prop_3_3(1, 1, 2, True, True)  # atoms: no solver needed
    assert res.undecided > 0 and res.true_spurious + res.undecided >= prop_3_7(1, 1, 2, True, True) * res.regions
    with pytest.raises(UndecidedError, match="InsufficientProgress"):
        census(data, 2, exhaustive=True, undecided="raise", landscape=L)


@pytest.mark.parametrize("above", [True, False])
def test_sufficient_width_is_an_exact_ceiling_next_to_an_integer(above):
    """eps = 1/q with q within 1e-30 of e^3: 8 log q = 24 +- 4e-31, whose ceiling is 25 above and
    24 below (a float logarithm gives 24.0 either way)."""
    import sympy

    from exact.region_census import sufficient_width

    e3 = sympy.exp(3) * 10**30
    q = Fraction(int(sympy.ceiling(e3) if above else sympy.floor(e3)), 10**30)
    assert sufficient_width(8, 1, 1 / q) == (25 if above else 24)
