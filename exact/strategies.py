r"""Hypothesis strategies for reluscape's users: exact data, generic and degenerate, with beta.

Rationals are built from integers so that failing examples shrink to small integers. Every
strategy validates its arguments and names the bad one.

Examples
--------
>>> from hypothesis import given
>>> from exact import count_patterns
>>> @given(integer_data(max_n=4, max_d=2))
... def test_count_is_even_or_one(X):
...     P = count_patterns(X)
...     assert P == 1 or P % 2 == 0
>>> test_count_is_even_or_one()
"""

from fractions import Fraction

from hypothesis import strategies as st

from .arrangement import is_in_general_position
from .data import Dataset
from .errors import ReluscapeError

__all__ = [
    "integer_data",
    "rational_data",
    "general_position_data",
    "degenerate_data",
    "betas",
    "labels",
    "datasets",
]


def _check(name, value, low):
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ReluscapeError(f"{name}={value!r} must be an integer >= {low}")


def _sizes(min_n, max_n, min_d, max_d):
    _check("min_n", min_n, 1)
    _check("max_n", max_n, min_n)
    _check("min_d", min_d, 1)
    _check("max_d", max_d, min_d)


def integer_data(max_n=6, max_d=3, bound=5, *, min_n=1, min_d=1):
    """X: ``n`` rows of ``d`` integers in ``[-bound, bound]`` (zero and repeated rows allowed)."""
    _sizes(min_n, max_n, min_d, max_d)
    _check("bound", bound, 0)
    return _integer_data(max_n, max_d, bound, min_n, min_d)


@st.composite
def _integer_data(draw, max_n, max_d, bound, min_n, min_d):
    n, d = draw(st.integers(min_n, max_n)), draw(st.integers(min_d, max_d))
    row = st.lists(st.integers(-bound, bound), min_size=d, max_size=d)
    return draw(st.lists(row, min_size=n, max_size=n))


def rational_data(max_n=6, max_d=3, bound=5, max_denominator=4, *, min_n=1, min_d=1):
    """X with entries ``p/q``, ``|p| <= bound``, ``1 <= q <= max_denominator``, as Fractions."""
    _check("max_denominator", max_denominator, 1)
    ints = integer_data(max_n, max_d, bound, min_n=min_n, min_d=min_d)
    return st.builds(
        lambda X, qs: [[Fraction(a, qs[(i * 7 + j) % len(qs)]) for j, a in enumerate(r)] for i, r in enumerate(X)],
        ints,
        st.lists(st.integers(1, max_denominator), min_size=1, max_size=8),
    )


def general_position_data(max_n=6, max_d=3, bound=20, *, min_n=1, min_d=1):
    """X with non-zero rows in general position (any ``min(n, rank)`` rows independent),
    checked exactly; rows are integers in ``[-bound, bound]``."""
    _check("bound", bound, 2)
    return integer_data(max_n, max_d, bound, min_n=min_n, min_d=min_d).filter(
        lambda X: all(any(r) for r in X) and is_in_general_position(X)
    )


def degenerate_data(max_n=7, max_d=3, bound=3, *, min_d=1):
    """X with a built-in degeneracy: repeated, parallel, antiparallel or zero rows, or rank < d."""
    _check("max_n", max_n, 2)
    _check("min_d", min_d, 1)
    _check("max_d", max_d, min_d)
    _check("bound", bound, 1)
    return _degenerate_data(max_n, max_d, bound, min_d)


@st.composite
def _degenerate_data(draw, max_n, max_d, bound, min_d):
    d = draw(st.integers(min_d, max_d))
    base = draw(integer_data(max(1, max_n - 1), d, bound, min_d=d))
    kind = draw(st.sampled_from(["repeat", "parallel", "antiparallel", "zero", "low_rank"]))
    if kind == "low_rank" and d >= 2:
        r = draw(st.integers(1, d - 1))
        U = draw(integer_data(max_n, r, bound, min_n=2, min_d=r))
        V = draw(st.lists(st.lists(st.integers(-bound, bound), min_size=d, max_size=d), min_size=r, max_size=r))
        return [[sum(u[t] * V[t][j] for t in range(r)) for j in range(d)] for u in U]
    k = draw(st.integers(0, len(base) - 1))
    scale = {"repeat": 1, "parallel": draw(st.integers(2, 3)), "antiparallel": -draw(st.integers(1, 3)), "zero": 0}
    extra = [a * scale.get(kind, 1) for a in base[k]]
    pos = draw(st.integers(0, len(base)))
    return base[:pos] + [extra] + base[pos:]


def betas(max_numerator=50, max_denominator=12):
    """Weight decays ``beta = p/q > 0`` as Fractions."""
    _check("max_numerator", max_numerator, 1)
    _check("max_denominator", max_denominator, 1)
    return st.builds(Fraction, st.integers(1, max_numerator), st.integers(1, max_denominator))


def labels(n, bound=5, max_denominator=1):
    """Label vectors ``y`` of length ``n`` with entries ``p/q``, ``|p| <= bound``."""
    _check("n", n, 1)
    _check("max_denominator", max_denominator, 1)
    entry = st.builds(Fraction, st.integers(-bound, bound), st.integers(1, max_denominator))
    return st.lists(entry, min_size=n, max_size=n)


def datasets(data=None, beta=None, label_bound=5):
    """:class:`~exact.Dataset` with ``X`` from ``data`` (default :func:`integer_data`), labels
    from :func:`labels` and ``beta`` from ``beta`` (default :func:`betas`)."""
    _check("label_bound", label_bound, 0)
    return _datasets(data, beta, label_bound)


@st.composite
def _datasets(draw, data, beta, label_bound):
    X = draw(data if data is not None else integer_data())
    y = draw(labels(len(X), label_bound))
    return Dataset(X, y, draw(beta if beta is not None else betas()))
