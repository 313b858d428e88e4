"""The families as power series in s = k^(-1/2) (math/symmetry_families.md §3, §4).

Independent routes: the exact coefficients against the leading terms of the math file; the
truncated series against 80-digit Newton solutions at k = 10^4 ... 10^12, whose error must
decay like the first omitted term; loss limits against the closed forms of §3.
"""

import mpmath
import pytest
import sympy

from exact.errors import InvalidDataError
from exact.symmetry import FAMILIES, family_series, leading_balance
from exact.symmetry.fixed_points import FixedPointSpace
from exact.symmetry.newton import newton_restricted

pi = sympy.pi

# math §4, leading terms (coordinate, power of s, coefficient)
LEADING = {
    "A": [
        ("D0", 4, 8 / pi),
        ("O0", 4, -4 / pi),
        ("O0", 5, -32 / pi**3),
        ("C01", 2, 2),
        ("C01", 4, -(2 + 8 / pi)),
        ("C10", 2, 4 / pi),
        ("C10", 3, 32 / pi**3),
        ("D1", 2, 2 + 8 / pi + 8 / pi**2),
        ("L", 2, sympy.Rational(1, 2) - 2 / pi**2),
        ("L", 3, -32 / (3 * pi**4)),
    ],
    "Fk": [("D0", 2, 2), ("O0", 2, 2), ("L", 0, sympy.Rational(1, 2) - 1 / pi), ("L", 1, -4 / (3 * pi))],
    "F1": [("L", 0, sympy.Rational(1, 2) - 1 / pi), ("L", 1, -4 / (3 * pi)), ("O0", 2, 2)],
    "A2": [("L", 2, 1 - 4 / pi**2), ("L", 3, -64 / (3 * pi**4))],
    "F2": [("L", 0, sympy.Rational(1, 2) - 1 / pi), ("L", 1, -4 / (3 * pi))],
}

# every coefficient below these powers vanishes (math §3: the balance)
LIMITS = {"A": {"D0": 1, "O0": 0, "D1": -1, "C01": 0, "C10": 0}, "Fk": {"D0": -1, "O0": 0}}


@pytest.mark.parametrize("name", ["A", "Fk", "F1"])
def test_leading_terms_match_the_math_file(name):
    ser = family_series(name, 5)
    for coord, m, value in LEADING[name]:
        assert sympy.simplify(ser.coefficient(coord, m) - value) == 0, (coord, m)


@pytest.mark.parametrize("name", ["A2", "F2"])
def test_leading_terms_match_the_math_file_blocks_of_two(name):
    ser = family_series(name, 3)
    for coord, m, value in LEADING[name]:
        assert sympy.simplify(ser.coefficient(coord, m) - value) == 0, (coord, m)


def test_limits_and_balance():
    for name, limits in LIMITS.items():
        ser = family_series(name, 3)
        for coord, value in limits.items():
            assert ser.coefficient(coord, 0) == value
            assert ser.coefficient(coord, 1) == 0


def test_coefficients_are_exact_and_leave_q_pi_only_by_sqrt2():
    a = family_series("A", 6)
    for coeffs in (*a.coordinates, a.loss):
        for c in coeffs:
            assert not c.has(sympy.Float)
            assert c.free_symbols == set() and c.atoms(sympy.Symbol) == set()
            assert not c.has(sympy.sqrt(2))
    a2 = family_series("A2", 4)
    assert a2.loss[4].has(sympy.sqrt(2))  # a block of size 2: sqrt(2) enters at s^4
    # the (pi - 2) denominators that defeat PSLQ over Q[1/pi] (math §4, item 4)
    assert sympy.factor(sympy.denom(sympy.together(a.coefficient("D0", 5)))).has(pi - 2)


def test_leading_balance_is_exact():
    assert leading_balance("A") == (8 / pi, -4 / pi, 8 / pi**2 + 2 + 8 / pi, 2, 4 / pi)
    assert leading_balance("Fk") == (2, 2)
    f1 = leading_balance("F1")
    assert sympy.simplify(f1[4] - (2 - 4 / pi)) == 0  # the good row's off-block entries: (2 - 4/pi)/k


def test_lower_orders_are_a_prefix():
    low, high = family_series("Fk", 3), family_series("Fk", 6)
    assert all(h[:4] == l for h, l in zip(high.coordinates, low.coordinates))
    assert high.loss[:4] == low.loss


def _newton_error(name, order, ks):
    """max |truncated series - Newton| / s^(m) at each k, m = first omitted nonzero power."""
    fam = FAMILIES[name]
    ser = family_series(name, order + 3)
    omitted = min(
        m for m in range(order + 1, order + 4) if any(c[m] != 0 for c in ser.coordinates)
    )
    lead = max(abs(sympy.N(c[omitted], 30)) for c in ser.coordinates)
    out = []
    with mpmath.workdps(80):
        for k in ks:
            k = mpmath.mpf(k)
            s = 1 / mpmath.sqrt(k)
            x, _ = newton_restricted(FixedPointSpace(fam.composition(k)), ser.evaluate(k))
            trunc = [sum(mpmath.mpf(sympy.N(c, 90)) * s**m for m, c in enumerate(cs[: order + 1])) for cs in ser.coordinates]
            out.append(max(abs(a - b) for a, b in zip(x, trunc)) / s**omitted)
    return out, lead


@pytest.mark.parametrize("name, order", [("A", 5), ("Fk", 4), ("F1", 4)])
def test_series_agrees_with_newton_to_its_order(name, order):
    ratios, lead = _newton_error(name, order, [10**6, 10**9, 10**12])
    # error / s^m tends to the largest omitted coefficient: it decays like the first omitted term
    assert abs(ratios[-1] - lead) < mpmath.mpf("1e-2") * lead
    assert abs(ratios[-1] - ratios[-2]) < abs(ratios[-2] - ratios[-3]) + mpmath.mpf(10) ** -20


@pytest.mark.slow
@pytest.mark.parametrize("name, order", [("A2", 5), ("F2", 5), ("A", 8)])
def test_series_agrees_with_newton_to_its_order_slow(name, order):
    test_series_agrees_with_newton_to_its_order(name, order)


def test_loss_limits():
    """k L_A -> 1/2 - 2/pi^2, L_Fk -> 1/2 - 1/pi, k L_A2 -> 1 - 4/pi^2 (math §3, §6)."""
    assert family_series("A", 2).loss == (0, 0, sympy.Rational(1, 2) - 2 / pi**2)
    assert sympy.simplify(family_series("Fk", 0).loss[0] - (sympy.Rational(1, 2) - 1 / pi)) == 0
    a2 = family_series("A2", 2).loss
    assert a2[:2] == (0, 0) and sympy.simplify(a2[2] - (1 - 4 / pi**2)) == 0


def test_errors():
    with pytest.raises(InvalidDataError, match="no family named 'B'"):
        family_series("B", 2)
    with pytest.raises(ValueError, match="order = -1"):
        family_series("A", -1)
