"""The certified Kim–Pilanci relaxation: sampled regions, restriction, monotonicity, exactness.

Independent routes: the float gates' patterns (sampling), Prop 3.5's closed form on
orthonormal data, the enclosures of the global optimum, and the covariance of (C) under
(y, beta) -> (t y, t beta).
"""

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exact import Dataset, enumerate_patterns
from exact.errors import InvalidDataError, ResourceLimitError
from exact.numeric.relaxation import gate_patterns, gaussian_gates
from exact.optimum import optimal_set
from exact.relaxation import (
    contains_optimal_support,
    dimension_for,
    gap_experiment,
    gates_for,
    gaussian_dataset,
    relaxation_curve,
    relaxation_gap,
    sample_regions,
    select_patterns,
)
from exact.strategies import datasets, integer_data

I4 = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
#: y = (3, 4, -5, -12), beta = 1: P = {1, 2}, N = {3, 4}, Y+ = 5, Y- = 13.
ORTHO = Dataset(I4, [3, 4, -5, -12], 1)


def huber(t, beta=1):
    return t * t / 2 if t <= beta else beta * t - Fraction(beta) ** 2 / 2


# Prop 3.5 on ORTHO: sets of the sample -> h(|y_{S cap P}|) + h(|y_{S cap N}|) + |y_rest|^2 / 2
PARTITION_EXAMPLES = [  # name, sample (active sets), p~*
    ("positive_block_only", [(1, 1, 0, 0)], huber(5) + Fraction(25 + 144, 2)),
    ("singletons", [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)], huber(3) + huber(4) + huber(5) + huber(12)),
    ("split_positive", [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 1)], huber(3) + huber(4) + huber(13)),
    ("mixed_sets", [(1, 0, 1, 0), (0, 1, 0, 1)], huber(3) + huber(5) + huber(4) + huber(12)),
    ("one_coordinate", [(0, 0, 0, 1)], huber(12) + Fraction(9 + 16 + 25, 2)),
    ("support_itself", [(1, 1, 0, 0), (0, 0, 1, 1)], huber(5) + huber(13)),
]


@pytest.fixture(scope="module")
def ortho_patterns():
    return enumerate_patterns(ORTHO.X)


@pytest.fixture(scope="module")
def gaussian_case():
    data = gaussian_dataset(8, 2, seed=5)
    pats = enumerate_patterns(data.X)
    return data, pats, optimal_set(data, patterns=pats)


# ---------------------------------------------------------------------------------------------
# sampled regions


@pytest.mark.parametrize("seed", range(3))
def test_sampled_regions_are_regions_with_witnesses(seed):
    data = gaussian_dataset(10, 3, seed=seed)
    S = sample_regions(data.X, 40, seed=seed)
    assert S.verify()  # every integer witness gives its signs exactly
    assert S.sign_set() <= enumerate_patterns(data.X).sign_set()
    assert S.certificate(complete=False)["schema"] == "reluscape/patterns/1"


@pytest.mark.parametrize("seed", range(3))
def test_exact_and_float_gates_give_the_same_patterns(seed):
    """The rounded integer gates and the float gates of one stream hit the same regions."""
    data = gaussian_dataset(12, 3, seed=seed)
    S = sample_regions(data.X, 50, seed=seed)
    F = gate_patterns(data, gaussian_gates(3, 50, seed=seed))
    assert np.array_equal(S.D, F)


def test_samples_are_nested_and_positive_scaling_changes_nothing():
    X = [[1, 2], [3, -1], [-2, 5], [4, 4], [0, 0], [1, 2]]  # a zero row and a repeated row
    small, large = sample_regions(X, 5, seed=3), sample_regions(X, 60, seed=3)
    assert small.sign_set() <= large.sign_set()
    scaled = [[7 * a for a in X[0]]] + [[Fraction(1, 3) * a for a in r] for r in X[1:]]
    assert sample_regions(scaled, 60, seed=3).sign_set() == large.sign_set()
    assert all(p.signs[4] == 0 for p in large)  # the zero row is inactive, sign 0


def test_many_gates_find_every_region_of_a_fat_arrangement():
    X = [[1, 0], [0, 1], [1, 1], [1, -1]]  # 8 regions of 45 degrees each
    assert sample_regions(X, 400).sign_set() == enumerate_patterns(X).sign_set()


def test_select_patterns_by_index_and_active_set(ortho_patterns):
    S = select_patterns(ortho_patterns, [(1, 1, 0, 0), 0, (1, 1, 0, 0)])
    assert [p.signs for p in S] == [(-1, -1, -1, -1), (1, 1, -1, -1)]
    with pytest.raises(ValueError, match="not an activation pattern"):
        select_patterns(enumerate_patterns([[1, 0], [2, 0]]), [(1, 0)])


# ---------------------------------------------------------------------------------------------
# the gap


@pytest.mark.parametrize("name, sample, p_tilde", PARTITION_EXAMPLES, ids=[e[0] for e in PARTITION_EXAMPLES])
def test_orthonormal_partition_closed_form(name, sample, p_tilde, ortho_patterns):
    """Prop 3.5: disjoint sampled sets separate the problem into Huber terms."""
    gap = relaxation_gap(ORTHO, select_patterns(ortho_patterns, sample), patterns=ortho_patterns)
    p_star = huber(5) + huber(13)  # Thm 3.1
    assert gap.p_star == (p_star, p_star)
    lo, hi = gap.p_tilde
    assert lo <= p_tilde <= hi and hi - lo < Fraction(1, 10**20)
    assert gap.consistent
    assert gap.support_contained == (name == "support_itself")
    assert gap.gap_proved == (p_tilde > p_star)


def test_gaussian_curve_is_antitone_and_ends_exact(gaussian_case):
    data, pats, opt = gaussian_case
    curve = relaxation_curve(data, [1, 2, 4, 8, 16, 64], seed=5, patterns=pats, optimum=opt)
    assert all(g.consistent for g in curve)
    for a, b in zip(curve, curve[1:]):
        assert a.sample.sign_set() <= b.sample.sign_set()
        assert b.p_tilde[0] <= a.p_tilde[1]  # p~*_{S'} <= p~*_S
    assert curve[0].gap_proved and curve[-1].support_contained and curve[-1].ratio == (1, 1)
    # with an optimal support the two certifications enclose the same number
    lo, hi = curve[-1].restricted.value_interval
    assert lo <= opt.value_interval[1] and opt.value_interval[0] <= hi


def test_full_sample_is_the_global_problem(gaussian_case):
    data, pats, opt = gaussian_case
    gap = relaxation_gap(data, pats, patterns=pats, optimum=opt)
    assert gap.support_contained and gap.ratio == (1, 1) and gap.total == len(pats)


def test_ratio_is_invariant_under_scaling_y_and_beta(gaussian_case):
    """(y, beta) -> (t y, t beta) scales p* and p~* by t^2 (math §5): the ratios agree."""
    data, pats, _ = gaussian_case
    S = sample_regions(data.X, 2, seed=5)
    t = Fraction(3, 2)
    scaled = Dataset(data.X, [t * v for v in data.y], t * data.beta)
    g1 = relaxation_gap(data, S, patterns=pats)
    g2 = relaxation_gap(scaled, S, patterns=pats)
    assert g1.ratio[0] <= g2.ratio[1] and g2.ratio[0] <= g1.ratio[1]
    assert g2.p_star[0] <= t * t * g1.p_star[1] and t * t * g1.p_star[0] <= g2.p_star[1]


@pytest.mark.slow  # about a minute: sympy closed forms of irrational optima (exact.optimum._algebraic)
@settings(max_examples=6, deadline=None)
@given(data=datasets(integer_data(max_n=4, max_d=2, bound=3, min_n=2, min_d=2)), seed=st.integers(0, 3), k=st.integers(1, 6))
def test_restriction_invariants_on_small_integer_data(data, seed, k):
    if not any(data.y):
        with pytest.raises(InvalidDataError, match="y = 0"):
            relaxation_gap(data, 1)
        return
    pats = enumerate_patterns(data.X)
    opt = optimal_set(data, patterns=pats)
    small = relaxation_gap(data, k, seed=seed, patterns=pats, optimum=opt)
    large = relaxation_gap(data, 2 * k + 20, seed=seed, patterns=pats, optimum=opt)
    assert small.consistent and large.consistent
    assert large.p_tilde[0] <= small.p_tilde[1]
    if small.support_contained:
        assert small.ratio == (1, 1)
        lo, hi = small.restricted.value_interval
        assert lo <= small.p_star[1] and small.p_star[0] <= hi


def test_contains_optimal_support_needs_known_atoms(ortho_patterns):
    opt = optimal_set(ORTHO, patterns=ortho_patterns)
    both = select_patterns(ortho_patterns, [(1, 1, 0, 0), (0, 0, 1, 1)])
    assert contains_optimal_support(both, opt)
    assert not contains_optimal_support(select_patterns(ortho_patterns, [(1, 1, 0, 0)]), opt)

    class Bracketed:
        kind, atoms = "bracket", ()

    assert not contains_optimal_support(both, Bracketed())


def test_errors_name_the_problem(ortho_patterns):
    with pytest.raises(InvalidDataError, match="needs a Dataset"):
        relaxation_gap(I4, 3)
    with pytest.raises(InvalidDataError, match="other data"):
        relaxation_gap(ORTHO, sample_regions([[1, 0], [0, 1]], 5))
    with pytest.raises(InvalidDataError, match="tau = -1 must be > 0"):
        gaussian_dataset(4, 2, tau=-1)


# ---------------------------------------------------------------------------------------------
# the experiment record


def test_rules_for_gates_and_dimension():
    assert [gates_for("2log", n) for n in (5, 50, 500)] == [6, 10, 14]
    assert [dimension_for("n/2", n) for n in (1, 9, 40)] == [1, 4, 20]
    with pytest.raises(InvalidDataError, match="samples = -3"):
        gates_for(-3, 10)


def test_certified_record_round_trips_through_json():
    rec = gap_experiment({"n": 6, "dims": 2, "samples": "2log", "seed": 0, "gd_runs": 2, "gd_steps": 200})
    assert json.loads(json.dumps(rec)) == rec
    assert rec["route"] == "certified" and rec["gates"] == 6 and rec["patterns"] == 12
    lo, hi = (Fraction(v) for v in rec["ratio"])
    assert 1 <= hi and lo <= hi
    assert len(rec["gd"]["final"]) == 2 and all(F >= float(Fraction(rec["p_star"][0])) - 1e-9 for F in rec["gd"]["final"])


def test_float_record_brackets_the_ratio():
    rec = gap_experiment({"n": 24, "dims": 2, "samples": 4, "seed": 0, "gd_runs": 0, "exact_max_n": 8})
    assert rec["route"] == "float" and rec["p_star_kind"] == "all patterns" and rec["gd"] is None
    (plo, phi), (tlo, thi) = rec["p_star"], rec["p_tilde"]
    assert plo <= phi <= thi + 1e-9 and tlo <= thi
    assert rec["ratio"][0] <= rec["ratio"][1]


def test_certifying_too_many_regions_is_refused():
    with pytest.raises(ResourceLimitError, match="max_patterns"):
        gap_experiment({"n": 12, "dims": 6, "samples": 4, "seed": 0, "max_patterns": 100})
