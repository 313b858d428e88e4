"""Signs in multiquadratic fields: exact, and cheap when many primes are involved."""

from fractions import Fraction

import mpmath
from hypothesis import given, settings
from hypothesis import strategies as st

from exact.multiquadratic import Multiquadratic, sign, sqrt_rational

SQUAREFREE = [1, 2, 3, 5, 6, 7, 10, 11, 13, 14, 15, 17, 19, 21, 22, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67]

terms = st.dictionaries(
    st.sampled_from(SQUAREFREE),
    st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6).filter(bool),
    min_size=1,
    max_size=20,
)


def _mp_value(t):
    with mpmath.workdps(400):
        return sum(mpmath.mpf(c.numerator) / c.denominator * mpmath.sqrt(m) for m, c in t.items())


@settings(max_examples=200, deadline=None)
@given(terms)
def test_sign_agrees_with_400_digit_evaluation(t):
    x = sum((c * sqrt_rational(m) for m, c in t.items()), Fraction(0))
    with mpmath.workdps(400):
        v = _mp_value(t)
        expected = (v > 0) - (v < 0)
    assert sign(x) == expected


@settings(max_examples=50, deadline=None)
@given(terms)
def test_sign_of_a_difference_of_near_equal_sums(a):
    """x - y with y = x + tiny rational: the sign is that of the tiny rational (exact)."""
    x = sum((c * sqrt_rational(m) for m, c in a.items()), Fraction(0))
    eps = Fraction(1, 10**60)
    assert sign(x - (x + eps)) == -1 and sign((x + eps) - x) == 1 and sign(x - x) == 0


def test_many_primes_are_cheap():
    """Twenty radicals over twenty primes: the tower recursion would square 2^20 terms."""
    primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71]
    x = sum((Fraction((-1) ** i * (i + 1), 7) * sqrt_rational(p) for i, p in enumerate(primes)), Fraction(0))
    assert isinstance(x, Multiquadratic) and len(x.radicands()) == 20
    with mpmath.workdps(100):
        v = _mp_value(x.terms)
    assert sign(x) == (1 if v > 0 else -1)
    assert (x > 0) == (v > 0) and sign(x - x) == 0
