"""Optimal polytope, critical widths and the staircase, against independent routes."""

import copy
from fractions import Fraction
from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterexamples.staircase import STAIRCASE, staircase_example
from exact import Dataset
from exact.checker import check_certificate
from exact.errors import UndecidedError
from exact.lp import solve_lp
from exact.solution_set import critical_widths, optimal_polytope
from exact.strategies import integer_data, labels
from exact.topology import optimal_set_components, optimal_set_graph, staircase

GENERIC = Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1)


def min_support_by_lp(P):
    """m* independently: the least k such that y_hat lies in the cone of some k columns."""
    cols = [a.column for a in P.atoms]
    n = len(P.target)
    for k in range(1, len(cols) + 1):
        for S in combinations(range(len(cols)), k):
            res = solve_lp([0] * k, A_eq=[[cols[i][t] for i in S] for t in range(n)], b_eq=list(P.target))
            if res.status == "optimal":
                return k
    return 0


def components_by_pairs(P, m):
    """Components of the optimal set by the meeting rule directly: pieces L, L' meet iff the
    positions where they agree carry a vertex support (union-find over all pairs)."""
    supports = [frozenset(S) for S, _ in P.vertices]
    A = len(P.atoms)
    pieces = [L for L in product(range(A), repeat=m) if any(S <= set(L) for S in supports)]
    parent = list(range(len(pieces)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in combinations(range(len(pieces)), 2):
        agree = {a for a, b in zip(pieces[i], pieces[j]) if a == b}
        if any(S <= agree for S in supports):
            parent[find(i)] = find(j)
    return len({find(i) for i in range(len(pieces))})


def test_staircase_example_regimes():
    ex = staircase_example(6)
    assert (ex.m_star, ex.M_star) == (1, 2)
    rows = {r["m"]: r for r in ex.table}
    assert rows[1]["components"] == rows[1]["points"] == 1  # (b) finite at m*
    assert all(rows[m]["nonsingleton"] for m in range(2, 7))  # (c) from m* + 1
    assert rows[2]["points"] == 2  # (d) the M*-vertex, in both orders
    assert all(rows[m]["points"] == 0 for m in range(3, 7))  # (e) from M* + 1
    assert all(rows[m]["connected"] for m in range(3, 7)) and not rows[2]["connected"]  # (f)


@pytest.mark.parametrize("m", [1, 2, 3])
def test_components_agree_with_the_pairwise_rule(m):
    for data in (STAIRCASE, GENERIC):
        P = optimal_polytope(data)
        assert optimal_set_components(data, m, polytope=P) == components_by_pairs(P, m)


def test_polytope_of_the_staircase():
    P = optimal_polytope(STAIRCASE)
    assert P.optimum.value == Fraction(3, 4) and P.optimum.nu == (Fraction(1, 2), Fraction(1, 2))
    assert sorted(len(S) for S, _ in P.vertices) == [1, 2] and P.dimension == 1
    assert not P.unique_weights and not P.unique_function
    # the two vertex networks differ as functions: evaluate exactly at x = (0, 1, 0, 0)
    x = (0, 1, 0, 0)
    values = []
    for S, w in P.vertices:
        values.append(sum(g * P.atoms[i].sign * max(sum(a * b for a, b in zip(P.atoms[i].direction, x)), 0) for i, g in zip(S, w)))
    assert values[0] != values[1]
    for S, w in P.vertices:  # each vertex reproduces the optimal fit exactly
        fit = [sum(g * P.atoms[i].column[t] for i, g in zip(S, w)) for t in range(2)]
        assert fit == list(P.target)


def test_generic_data_has_a_unique_optimum():
    m, M = critical_widths(GENERIC)
    P = optimal_polytope(GENERIC)
    assert m == M == 2 and P.unique_weights and P.unique_function and P.dimension == 0


@settings(max_examples=10, deadline=None)
@given(st.data())
def test_widths_against_lp_cone_membership(data):
    X = data.draw(integer_data(max_n=5, max_d=2, bound=2, min_n=2))
    D = Dataset(X, data.draw(labels(len(X), bound=3)), data.draw(st.sampled_from([Fraction(1, 2), Fraction(1)])))
    try:
        P = optimal_polytope(D)
    except UndecidedError:
        return  # only a bracket: the tight set is unknown
    if P.optimum.kind != "rational" or all(v == 0 for v in P.target):
        return
    sizes = [len(S) for S, _ in P.vertices]
    assert min(sizes) == min_support_by_lp(P)
    assert max(sizes) <= len(D.y)  # M* <= n
    for S, w in P.vertices:
        assert all(g > 0 for g in w)


def test_widths_certificate_round_trip_and_tampering():
    cert = critical_widths(STAIRCASE).certificate()
    assert check_certificate(cert).ok
    bad = copy.deepcopy(cert)
    bad["M_star"] = 1
    assert not check_certificate(bad).ok
    bad = copy.deepcopy(cert)
    bad["vertices"].pop()
    assert "vertices" in check_certificate(bad).failure


def test_graph_and_limits():
    G = optimal_set_graph(STAIRCASE, 2)
    kinds = {G.nodes[v]["kind"] for v in G}
    assert kinds == {"labeling", "anchor"}
    with pytest.raises(ValueError, match="m = 0"):
        optimal_set_graph(STAIRCASE, 0)


def test_zero_optimum_is_one_point():
    data = Dataset([[1, 0], [0, 1]], [1, 1], 100)
    assert staircase(data, [1, 2]) == [
        {"m": 1, "components": 1, "points": 1, "nonsingleton": False, "connected": True},
        {"m": 2, "components": 1, "points": 1, "nonsingleton": False, "connected": True},
    ]
