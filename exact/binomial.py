r"""Binomial proportions: the Clopper–Pearson confidence interval, rigorously rounded outward.

For :math:`k` successes in :math:`N` independent trials of probability :math:`p`, the
Clopper–Pearson interval of level :math:`1-\alpha` is :math:`[p_L,p_U]` with

.. math:: \Pr_{p_L}[\mathrm{Bin}(N,p_L)\ge k]=\alpha/2,\qquad
          \Pr_{p_U}[\mathrm{Bin}(N,p_U)\le k]=\alpha/2

(:math:`p_L=0` if :math:`k=0`, :math:`p_U=1` if :math:`k=N`). It is conservative: its coverage
is at least :math:`1-\alpha` for every :math:`p`. The tails are monotone in :math:`p`, so both
ends are found by bisection over rationals; each comparison of a tail with :math:`\alpha/2` is
decided in ``arb`` ball arithmetic (:func:`exact.balls.decide_sign`), and the returned rationals
enclose :math:`[p_L,p_U]` (lower end rounded down, upper end rounded up, by at most
:math:`2^{-\text{bits}}`). No float is involved.
"""

from fractions import Fraction

from flint import arb

from .balls import ball, decide_sign
from .data import as_rational
from .errors import InvalidDataError, UndecidedError

__all__ = ["clopper_pearson"]


def clopper_pearson(k, N, *, level=Fraction(95, 100), bits=30):
    r"""Return rationals :math:`(L,U)` with :math:`L\le p_L\le p_U\le U` (Clopper–Pearson).

    Parameters
    ----------
    k, N : int
        Successes and trials, :math:`0\le k\le N`, :math:`N\ge1`.
    level : rational
        The confidence level :math:`1-\alpha\in(0,1)` (default :math:`0.95`).
    bits : int
        Bisection steps: each end is within :math:`2^{-\text{bits}}` of the exact one.

    Returns
    -------
    (Fraction, Fraction)

    Raises
    ------
    InvalidDataError
        If :math:`N<1`, :math:`k\notin[0,N]`, or the level is not in :math:`(0,1)`.

    Examples
    --------
    Zero successes in 10 trials: :math:`p_U=1-(\alpha/2)^{1/10}\approx0.3085`.

    >>> lo, hi = clopper_pearson(0, 10)
    >>> lo, round(float(hi), 4)
    (Fraction(0, 1), 0.3085)
    >>> clopper_pearson(3, 2)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: k = 3 must be an integer in [0, N = 2]
    """
    for name, v in (("N", N), ("k", k), ("bits", bits)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise InvalidDataError(f"{name} = {v!r} must be an integer")
    if N < 1:
        raise InvalidDataError(f"N = {N} must be >= 1")
    if not 0 <= k <= N:
        raise InvalidDataError(f"k = {k} must be an integer in [0, N = {N}]")
    level = as_rational(level, "level")
    if not 0 < level < 1:
        raise InvalidDataError(f"level = {level} must be in (0, 1)")
    half = (1 - level) / 2
    lower = Fraction(0) if k == 0 else _bisect(lambda p: _upper_tail(k, N, p) - ball(half), bits, side="low")
    upper = Fraction(1) if k == N else _bisect(lambda p: ball(half) - _lower_tail(k, N, p), bits, side="high")
    return lower, upper


def _bisect(f, bits, side):
    r"""The root of an increasing :math:`f` on :math:`(0,1)`: a rational below it (``low``) or above it."""
    lo, hi = Fraction(0), Fraction(1)
    for _ in range(bits):
        mid = (lo + hi) / 2
        try:
            s = decide_sign(lambda: f(mid), max_prec=1024)
        except UndecidedError:  # the root is mid itself (to 1024 bits): keep both ends valid
            s = 1 if side == "low" else -1
        if s > 0:
            hi = mid
        else:
            lo = mid
    return lo if side == "low" else hi


def _upper_tail(k, N, p):
    r""":math:`\Pr[\mathrm{Bin}(N,p)\ge k]`, an ``arb`` ball (increasing in :math:`p`)."""
    return _tail_sum(N, p, range(k, N + 1))


def _lower_tail(k, N, p):
    r""":math:`\Pr[\mathrm{Bin}(N,p)\le k]` (decreasing in :math:`p`)."""
    return _tail_sum(N, p, range(0, k + 1))


def _tail_sum(N, p, indices):
    q = ball(p)
    r = 1 - q
    out, term, i = arb(0), r**N, 0  # term = C(N, i) p^i (1 - p)^(N - i)
    wanted = set(indices)
    for i in range(N + 1):
        if i in wanted:
            out += term
        if i < N:
            term = term * (N - i) / (i + 1) * q / r
    return out
