"""Activation patterns: every method against named examples, brute force, Zaslavsky and Cover."""

import random
from fractions import Fraction
from itertools import product

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from exact import (
    Pattern,
    count_patterns,
    cover_count,
    enumerate_patterns,
    is_in_general_position,
)
from exact.arrangement import METHODS, integer_rows
from exact.checker import check_certificate, zaslavsky_count
from exact.errors import EmptyDataError, InvalidDataError, ReluscapeError, ResourceLimitError
from exact.lp import strictly_feasible
from exact.strategies import degenerate_data, general_position_data, integer_data, rational_data

ARRANGEMENT_EXAMPLES = [  # name, X, P
    ("generic_4x2", [[1, 0], [0, 1], [1, 1], [1, -1]], 8),
    ("n_equals_1", [[2, -3, 5]], 2),
    ("n_equals_d", [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 8),
    ("parallel_rows", [[1, 1], [2, 2], [-3, -3]], 2),  # one hyperplane
    ("repeated_rows", [[1, 2], [1, 2], [3, 1]], 4),
    ("zero_row", [[0, 0], [1, 0], [0, 1]], 4),
    ("all_zero", [[0, 0, 0], [0, 0, 0]], 1),
    ("one_dimensional", [[1], [-2], [0], [3]], 2),
    ("rank_deficient", [[1, 2, 3], [2, 4, 6], [1, 0, 0]], 4),  # two planes in R^3
    ("rank_two_in_3d", [[1, 0, 1], [0, 1, 1], [1, 1, 2], [1, -1, 0]], 8),
    ("huge_entries", [[10**30, 1], [1, 10**30]], 4),
    ("denominators", [["1/3", "2/7"], ["5/11", "-1/13"], ["1/17", "1/19"]], 6),
    ("three_through_a_line", [[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]], 12),
    ("braid_arrangement_A3", [[1, -1, 0, 0], [1, 0, -1, 0], [1, 0, 0, -1], [0, 1, -1, 0], [0, 1, 0, -1], [0, 0, 1, -1]], 24),
    ("generic_6x3", [[1, 2, 3], [-2, 1, 4], [3, -1, 2], [1, 1, -5], [4, 3, 1], [-1, 5, 2]], 32),
]


def brute_force_sign_set(X):
    """Independent route: one exact LP (or Gordan certificate) per sign vector of the rows."""
    rows = [[Fraction(a) for a in r] for r in integer_rows(X)]
    nonzero = [k for k, r in enumerate(rows) if any(r)]
    out = set()
    for s in product((1, -1), repeat=len(nonzero)):
        sign = dict(zip(nonzero, s))
        ok, _ = strictly_feasible([[sign[k] * a for a in rows[k]] for k in nonzero]) if nonzero else (True, None)
        if ok:
            out.add(tuple(sign.get(k, 0) for k in range(len(rows))))
    return out


def fraction_signs(X, h):
    Xq = [[Fraction(a) for a in r] for r in X]
    return tuple((v > 0) - (v < 0) for v in (sum(a * b for a, b in zip(r, h)) for r in Xq))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name, X, P", ARRANGEMENT_EXAMPLES)
def test_pattern_count(name, X, P, method):
    pats = enumerate_patterns(X, method=method)
    assert len(pats) == P
    for p in pats:  # witnesses re-checked with Fractions on the original rows
        assert fraction_signs(X, p.witness) == p.signs


@pytest.mark.parametrize("name, X, P", ARRANGEMENT_EXAMPLES)
def test_counts_agree(name, X, P):
    assert count_patterns(X) == count_patterns(X, method="zaslavsky") == P


@pytest.mark.parametrize("name, X, P", [e for e in ARRANGEMENT_EXAMPLES if len(e[1]) <= 6])
def test_brute_force_by_lp(name, X, P):
    assert enumerate_patterns(X).sign_set() == brute_force_sign_set(X)


@given(X=integer_data(max_n=7, max_d=3, bound=3))
@example(X=[[1, 0], [0, 1], [1, 1]])  # generic: Cover gives 6
@example(X=[[1, 1], [2, 2], [-3, -3]])  # parallel rows: 2 regions
@example(X=[[0, 0], [0, 0]])
def test_methods_agree_with_brute_force(X):
    pats = enumerate_patterns(X)
    assert pats.sign_set() == brute_force_sign_set(X)
    assert pats == enumerate_patterns(X, method="deletion_restriction")
    assert pats == enumerate_patterns(X, method="brute_force")
    assert pats.verify()


@given(X=degenerate_data(max_n=8, max_d=4))
def test_degenerate_data_sweep_matches_deletion_restriction_and_zaslavsky(X):
    pats = enumerate_patterns(X)
    assert pats == enumerate_patterns(X, method="deletion_restriction")
    nonzero = [[Fraction(a) for a in r] for r in integer_rows(X) if any(r)]
    assert len(pats) == count_patterns(X) == zaslavsky_count(nonzero)


@given(X=integer_data(max_n=10, max_d=4, bound=2, min_n=6))
def test_dense_small_integer_data_is_highly_degenerate(X):
    # many points on few hyperplanes: exercises degenerate vertices in every dimension
    nonzero = [[Fraction(a) for a in r] for r in integer_rows(X) if any(r)]
    assert count_patterns(X) == len(enumerate_patterns(X)) == zaslavsky_count(nonzero)


@given(X=general_position_data(max_n=9, max_d=4))
def test_cover_formula_in_general_position(X):
    r = min(len(X[0]), len(X))
    assert count_patterns(X) == cover_count(len(X), r) == count_patterns(X, method="cover")


@given(X=rational_data(max_n=6, max_d=3))
def test_rational_data_scales_rows_to_integers(X):
    pats = enumerate_patterns(X)
    assert pats.sign_set() == enumerate_patterns(integer_rows(X)).sign_set()
    for p in pats:
        assert fraction_signs(X, p.witness) == p.signs


@given(X=integer_data(max_n=6, max_d=3), data=st.data())
def test_invariances(X, data):
    pats = enumerate_patterns(X)
    signs = pats.sign_set()
    # antipodal: -s is a region whenever s is; P is even unless every row is zero
    assert {tuple(-a for a in s) for s in signs} == signs
    assert len(pats) % 2 == 0 or all(not any(r) for r in X)
    # permuting rows permutes signs
    perm = data.draw(st.permutations(range(len(X))))
    permuted = enumerate_patterns([X[i] for i in perm]).sign_set()
    assert permuted == {tuple(s[i] for i in perm) for s in signs}
    # positive row scaling changes nothing; negating row k flips sign k
    k = data.draw(st.integers(0, len(X) - 1))
    c = data.draw(st.integers(1, 5))
    scaled = [[c * a for a in r] if i == k else r for i, r in enumerate(X)]
    assert enumerate_patterns(scaled).sign_set() == signs
    negated = [[-a for a in r] if i == k else r for i, r in enumerate(X)]
    assert enumerate_patterns(negated).sign_set() == {s[:k] + (-s[k],) + s[k + 1 :] for s in signs}


def test_block_diagonal_product():
    X1, X2 = [[1, 0], [0, 1], [1, 1]], [[1], [2]]
    X = [r + [0] for r in X1] + [[0, 0] + r for r in X2]
    assert count_patterns(X) == count_patterns(X1) * count_patterns(X2) == 12


def test_random_directions_lie_in_listed_regions():
    rng = random.Random(7)
    X = [[rng.randint(-9, 9) for _ in range(3)] for _ in range(15)]
    pats = enumerate_patterns(X)
    for _ in range(300):
        h = [rng.randint(-50, 50) for _ in range(3)]
        s = fraction_signs(X, h)
        if all(si != 0 for si, r in zip(s, X) if any(r)):
            assert s in pats


def test_patternset_api():
    X = [[1, 0], [0, 1], [1, 1], [1, -1]]
    pats = enumerate_patterns(X)
    assert pats.index((1, 1, 1, 1)) == len(pats) - 1  # canonical order: D read lexicographically
    assert pats[pats.index((1, -1, 1, 1))].signs == (1, -1, 1, 1)
    assert (1, 1, -1, 1) not in pats  # x1, x2 active force x1 + x2 active
    with pytest.raises(ValueError, match="not an activation pattern"):
        pats.index((1, 1, -1, 1))
    for bad, message in (((1, 1, 1), "has 3 entries, expected 4"), ([[1, 1, 1, 1]], "not an array of shape \\(1, 4\\)"), (1, "shape \\(\\)")):
        with pytest.raises(ValueError, match=message):
            pats.index(bad)
    assert pats.D.shape == (8, 4) and pats.signs.shape == (8, 4)
    assert [p.D for p in pats[:2]] == [tuple(r) for r in pats.D[:2].tolist()]
    assert isinstance(pats[0], Pattern) and pats[-1].active == frozenset(range(4))
    assert sorted(pats.D.tolist()) == pats.D.tolist()


def test_sorted_order_is_the_same_for_every_method():
    X = [[1, 2, 0], [0, 1, -1], [2, 0, 1], [1, 1, 1], [1, -1, 0]]
    seqs = [[p.signs for p in enumerate_patterns(X, method=m)] for m in METHODS]
    assert seqs[0] == seqs[1] == seqs[2]


def test_general_position_check():
    assert is_in_general_position([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    assert is_in_general_position([[1, 0, 0], [0, 1, 0], [1, 1, 0]])  # rank 2: any 2 rows independent
    assert not is_in_general_position([[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]])
    assert not is_in_general_position([[1, 2], [2, 4], [0, 1]])  # parallel rows
    assert is_in_general_position([[1, 2, 3], [2, 4, 7]])  # n < d: independent rows
    with pytest.raises(ReluscapeError, match="not in general position"):
        count_patterns([[1, 0], [2, 0], [0, 1]], method="cover")


def test_witnesses_exact_for_huge_and_tiny_entries():
    X = [[10**40, 1, 0], [1, -(10**40), 3], ["1/1000000000000", 7, -1], [5, 5, 10**20]]
    pats = enumerate_patterns(X)
    assert len(pats) == cover_count(4, 3)
    assert pats.verify()
    for p in pats:
        assert fraction_signs(X, p.witness) == p.signs


@pytest.mark.parametrize(
    "X, error, match",
    [
        ([[1, 0], [0]], InvalidDataError, r"X\[1\] has 1 entry, expected 2"),
        ([], EmptyDataError, "no rows"),
        ([[]], EmptyDataError, "d = 0"),
        ([[1, float("nan")]], InvalidDataError, r"X\[0\]\[1\] is NaN"),
        ([[1, float("inf")]], InvalidDataError, "infinite"),
        ([[1, 0.5]], InvalidDataError, "is a float"),
        ([[1, "abc"]], InvalidDataError, "is not a number"),
        ([1, 2, 3], InvalidDataError, "must be 2-D"),
        ([[True, 1]], InvalidDataError, "boolean"),
    ],
)
def test_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        enumerate_patterns(X)
    with pytest.raises(error, match=match):
        count_patterns(X)


def test_resource_limit_is_refused_up_front():
    X = [[1, k, k * k, k**3, k**4] for k in range(30)]  # moment curve: general position
    with pytest.raises(ResourceLimitError, match="max_patterns"):
        enumerate_patterns(X, max_patterns=1000)
    assert count_patterns(X) == cover_count(30, 5)


def test_unknown_method():
    with pytest.raises(ValueError, match="not one of"):
        enumerate_patterns([[1]], method="magic")


def test_certificate_round_trip_and_tampering():
    X = [[1, 0], [0, 1], [1, 1], [1, -1], [0, 0], [2, 0]]
    cert = enumerate_patterns(X).certificate()
    assert cert["complete"] == {"method": "zaslavsky"}  # rows 1 and 6 are parallel
    res = check_certificate(cert)
    assert res.ok, res.failure
    bad = {**cert, "patterns": [dict(p) for p in cert["patterns"]]}
    bad["patterns"][0]["witness"] = ["1", "1"]
    assert "sign" in check_certificate(bad).failure
    missing = {**cert, "patterns": cert["patterns"][1:]}
    assert "regions" in check_certificate(missing).failure
    twice = {**cert, "patterns": cert["patterns"] + cert["patterns"][:1]}
    assert "twice" in check_certificate(twice).failure
    generic = enumerate_patterns([[1, 0], [0, 1], [1, 1]]).certificate()
    assert generic["complete"] == {"method": "cover"} and check_certificate(generic).ok


def _is_wall_by_lp(X, signs, k):
    """Row k's hyperplane bounds the region iff dropping its constraint (flipping its side) leaves
    a strictly feasible system: the rows off that hyperplane, and -s_k x_k."""
    rows = integer_rows(X)
    off = [[signs[j] * a for a in X[j]] for j in range(len(X)) if any(rows[j]) and not _parallel(rows[j], rows[k])]
    return strictly_feasible(off + [[-signs[k] * a for a in X[k]]])[0]


def _parallel(u, v):
    return all(u[i] * v[j] == u[j] * v[i] for i in range(len(u)) for j in range(len(u)))


@given(X=integer_data(max_n=6, max_d=3, bound=3))
@example(X=[[1, 0], [0, 1], [1, 1]])
@example(X=[[1, 1, 0], [2, 2, 0], [-3, -3, 0], [0, 0, 1]])  # a hyperplane carried by three rows
def test_walls_are_the_facets_found_by_lp(X):
    pats = enumerate_patterns(X)
    rows = integer_rows(X)
    for p, walls in zip(pats, pats.walls):
        expected = [k for k in range(len(X)) if any(rows[k]) and _is_wall_by_lp(X, p.signs, k)]
        assert list(walls) == expected


@given(X=general_position_data(max_n=8, max_d=3))
def test_wall_count_in_general_position(X):
    """Each facet piece lies on one hyperplane H and bounds two regions; in general position in
    R^3, H is cut by the n - 1 others into 2(n - 1) pieces: sum of wall counts = 4 n (n - 1)."""
    pats = enumerate_patterns(X)
    n, d = len(X), len(X[0])
    if d == 3 and n >= 2:
        assert sum(len(w) for w in pats.walls) == 4 * n * (n - 1)
    if d == 2 and n >= 2:
        assert all(len(w) == 2 for w in pats.walls)


@given(X=degenerate_data(max_n=7, max_d=3), data=st.data())
@example(X=[[1, 1, 0], [2, 2, 0], [-3, -3, 0], [0, 0, 1], [0, 0, 0]], data=None)
def test_tree_sums_are_the_pattern_products(X, data):
    """Sums along the regions' spanning tree equal D @ V exactly (int64, Python ints), and every
    tree edge crosses one hyperplane: parent and child differ exactly in its rows."""
    import numpy as np

    pats = enumerate_patterns(X)
    tree, D = pats.tree, pats.D.astype(np.int64)
    V = np.array([[(-1) ** (k + c) * (k + 2 * c + 1) for c in range(2)] for k in range(len(X))], dtype=np.int64)
    if data is not None:
        V = np.array(data.draw(st.lists(st.lists(st.integers(-9, 9), min_size=2, max_size=2), min_size=len(X), max_size=len(X))))
    assert (tree.sums(V) == D @ V).all()
    big = V.astype(object) * 10**30 + 1
    assert (tree.sums(big) == D.astype(object) @ big).all()
    assert sum(len(level) for level in tree.levels) == len(pats)
    for s in range(1, len(pats)) if len(pats) > 1 else ():
        if s == tree.levels[0][0]:
            continue
        differ = np.flatnonzero(D[s] != D[tree.parent[s]])
        assert sorted(differ) == sorted(tree.planes[tree.plane[s]])


def test_zaslavsky_count_of_a_hundred_degenerate_rows_fits_the_default_budget():
    """Small integer entries put several hyperplanes through many lines; the checker's count
    must still certify completeness at n = 100 (it ran past 10^6 rank computations before)."""
    rng = random.Random(0)
    X = [[rng.randint(-10, 10) for _ in range(3)] for _ in range(100)]
    nonzero = [[Fraction(a) for a in r] for r in integer_rows(X) if any(r)]
    assert zaslavsky_count(nonzero) == len(enumerate_patterns(X)) == count_patterns(X)


def _ratio(pair):
    return Fraction(*pair)


@given(st.lists(st.tuples(st.integers(-(10**20), 10**20), st.integers(1, 10**20)), min_size=1, max_size=12, unique_by=_ratio),
       st.integers(0, 60))
def test_sorted_ratios_is_the_exact_order(pairs, shift):
    """The float order checked exactly on neighbours falls back to fractions where floats tie:
    ratios that differ below float resolution (a common offset of 2^shift) come out exact."""
    import numpy as np

    from exact.integer_matrices import as_int_array
    from exact.vertex_sweep import _sorted_ratios

    pairs = [(a + (b << shift), b) for a, b in pairs]  # a / b + 2^shift: equal as floats for large shift
    num, den = as_int_array([[a for a, _ in pairs]])[0], as_int_array([[b for _, b in pairs]])[0]
    order = [int(i) for i in _sorted_ratios(num, den)]
    assert order == sorted(range(len(pairs)), key=lambda i: Fraction(*pairs[i]))
    small = np.array([3, -1, 1, 7]), np.array([2, 1, 3, 5])  # the int64 fast path
    assert [int(i) for i in _sorted_ratios(*small)] == [1, 2, 3, 0]
