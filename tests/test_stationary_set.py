"""Stationary points found through face-restricted problems, against independent routes."""

from fractions import Fraction

import numpy as np
import pytest
import sympy

from exact import Dataset
from exact.claims.stationarity import gd_ends_at_stationary_values
from exact.optimum import optimal_set
from exact.stationary import classify
from exact.stationary_set import faces, stationary_points

KINK = Dataset([[0, 1], [1, 1], [1, -1]], [2, 1, 2], 1)  # math/convex_duality.md R6.4 (a)
RESTRICTED_NOT_STATIONARY = Dataset([[1, 0], [3, 4]], ["5/2", 1], 1)  # R6.4 (b)
ORTHO = Dataset([[1, 0], [0, 1]], [2, -2], 1)


def test_faces_of_two_coordinate_lines():
    F = faces([[1, 0], [0, 1]])
    assert len(F) == 8  # 4 open quadrants, 4 open half-axes
    assert sum(1 for f in F if not f.kinks) == 4
    for f in F:  # witnesses have the face's signs
        assert tuple((s > 0) - (s < 0) for s in (f.witness[0], f.witness[1])) == f.signs


def test_faces_count_by_flats():
    # a generic arrangement of 3 lines in R^2: 6 sectors + 6 rays
    assert len(faces([[1, 0], [0, 1], [1, 1]])) == 12


def test_kink_point_of_R64a_is_found_and_is_a_saddle():
    pts = stationary_points(KINK, 1)
    theta = classify(KINK, [[1, 0]], [1])
    assert theta.kind == "non_minimum_stationary" and theta.value == Fraction(7, 2)
    kink_points = [p for p in pts if p.blocks and p.blocks[0][0].kinks]
    assert any(p.value == Fraction(7, 2) and p.blocks[0][0].signs == (0, 1, 1) for p in kink_points)


def test_restricted_optimum_of_R64b_is_not_stationary():
    # theta = ((1, -3/4), 5/4) is optimal for the restricted problem of region (+, -) ...
    restricted = optimal_set(RESTRICTED_NOT_STATIONARY, blocks=[((1, 0), 1)])
    W, a = restricted.to_nonconvex()
    assert sympy.simplify(sympy.Matrix(W[0]) - sympy.Matrix([1, sympy.Rational(-3, 4)])) == sympy.zeros(2, 1)
    # ... but not Clarke stationary, so it is not among the stationary points
    assert classify(RESTRICTED_NOT_STATIONARY, W, a).kind == "not_stationary"
    values = {p.value for p in stationary_points(RESTRICTED_NOT_STATIONARY, 1)}
    assert restricted.value not in values


def test_orthonormal_stationary_points():
    pts = stationary_points(ORTHO, 2)
    kinds = {(str(p.value), p.kind) for p in pts}
    assert ("3", "global_minimum") in kinds  # h_1(2) + h_1(2) = 3/2 + 3/2
    assert ("4", "non_minimum_stationary") in kinds  # the zero network: a saddle
    assert all(p.kind != "spurious_local_minimum" for p in pts)
    assert optimal_set(ORTHO).value == 3


def test_every_point_has_its_certificates():
    from exact.checker import check_certificate

    for p in stationary_points(ORTHO, 2):
        for name, cert in p.classification.certificates.items():
            assert check_certificate(cert).ok, name


@pytest.mark.slow
def test_gradient_descent_ends_at_stationary_values():
    assert gd_ends_at_stationary_values(ORTHO, 2).agrees
    assert gd_ends_at_stationary_values(KINK, 2, runs=16).agrees


def test_off_kink_values_equal_restricted_optima():
    from exact.claims.stationarity import _equal

    checked = 0
    for p in stationary_points(KINK, 1):
        if p.blocks and not any(f.kinks for f, _ in p.blocks):
            r = optimal_set(KINK, blocks=[(f.D, s) for f, s in p.blocks])
            assert r.kind in ("rational", "algebraic") and _equal(r.value, p.value)
            checked += 1
    assert checked >= 2  # (7/4 + sqrt(10)/2 and 7/2 on this instance)


def test_bad_width():
    with pytest.raises(ValueError, match="m = 0"):
        stationary_points(ORTHO, 0)


def test_values_are_sorted_exactly_below_float_resolution():
    """sqrt(2) and rationals within 1e-30 of it (all one float) come out in their exact order,
    and equal values once."""
    from types import SimpleNamespace

    from exact.multiquadratic import sqrt_rational
    from exact.stationary_set import StationarySet

    r = sqrt_rational(2)
    below = [Fraction(int(sympy.floor(sympy.sqrt(2) * 10**k)), 10**k) for k in (30, 31, 32)]
    assert len({float(v) for v in below + [r]}) == 1
    pts = tuple(SimpleNamespace(value=v) for v in [r, below[1], r, below[2], below[0]])
    assert StationarySet(pts, ()).values == sorted(below) + [r]
    assert sorted(below) == below
