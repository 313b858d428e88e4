r"""Three-valued decisions on python-flint ``arb`` balls.

A ball comparison can stay open: for :math:`a = \sqrt2^2` and :math:`b = 2`, ``a < b``, ``a >= b``
and ``a != b`` are all False. Every sign that reluscape reports as decided is decided here: the
quantity is re-evaluated at doubled precision until its ball excludes 0, and
:class:`~exact.errors.UndecidedError` is raised when it still does not at ``max_prec`` bits.
Nothing here writes ``not (a < b)``.

Also the conversions between Fractions and balls used by the rigorous enclosures of
:mod:`exact.optimum`: a Fraction becomes a ball through ``fmpq`` (rounded outward at the
working precision), and the exact endpoints of a ball come back as Fractions.
"""

from fractions import Fraction

from flint import arb, ctx, fmpq

from .errors import UndecidedError

__all__ = [
    "PREC",
    "decide_sign",
    "decide_positive",
    "cholesky_positive",
    "ball",
    "lower",
    "upper",
    "times",
    "is_ball",
    "lin",
]

#: Working precision (bits) of the enclosures of exact.optimum.
PREC = 320


def decide_sign(fn, *, prec=128, max_prec=4096):
    r"""Return the sign (``-1`` or ``1``) of the quantity ``fn()`` evaluates to, rigorously.

    Parameters
    ----------
    fn : callable
        Returns an ``arb`` enclosing the quantity at the current ``flint.ctx`` precision.
    prec, max_prec : int
        First and last working precision in bits (doubled in between).

    Raises
    ------
    UndecidedError
        If the ball still contains 0 at ``max_prec`` bits (e.g. the quantity is 0, or is
        enclosed over a box too wide to decide).

    Examples
    --------
    >>> decide_sign(lambda: arb.pi() - 3)
    1
    >>> decide_sign(lambda: arb(2).sqrt() ** 2 - 2, max_prec=256)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    exact.errors.UndecidedError: sign still open at 256 bits: [+/- ...]
    """
    while True:
        with ctx.workprec(prec):
            val = fn()
            if val > 0:
                return 1
            if val < 0:
                return -1
        if prec >= max_prec:
            raise UndecidedError(f"sign still open at {max_prec} bits: {_short(val)}")
        prec = min(2 * prec, max_prec)


def decide_positive(fn, **kw):
    """Return whether ``fn()`` is positive (``True``) or negative (``False``); see :func:`decide_sign`.

    Examples
    --------
    >>> decide_positive(lambda: 3 - arb.pi())
    False
    """
    return decide_sign(fn, **kw) > 0


def cholesky_positive(A):
    r"""Decide whether every symmetric matrix in the ball matrix ``A`` is positive definite.

    Runs the Cholesky recurrence :math:`d_j = a_{jj}-\sum_{l<j}L_{jl}^2d_l` in ball arithmetic at
    the current precision. If every pivot is certainly positive, every matrix enclosed is
    positive definite; if a pivot is certainly negative while the earlier ones are certainly
    positive, every matrix enclosed has a negative eigenvalue (its leading minors change sign).

    Parameters
    ----------
    A : list of lists of arb
        A symmetric ball matrix (the upper triangle is used).

    Returns
    -------
    (bool, list of arb)
        ``True`` and the pivots when positive definite, ``False`` and the pivots up to the
        first negative one otherwise.

    Raises
    ------
    UndecidedError
        If a pivot's ball contains 0.

    Examples
    --------
    >>> cholesky_positive([[arb(2), arb(1)], [arb(1), arb(2)]])[0]
    True
    >>> cholesky_positive([[arb(1), arb(2)], [arb(2), arb(1)]])[0]
    False
    """
    n = len(A)
    L = [[arb(0)] * n for _ in range(n)]
    pivots = []
    for j in range(n):
        d = A[j][j] - sum((L[j][l] ** 2 * pivots[l] for l in range(j)), arb(0))
        if d < 0:
            return False, pivots + [d]
        if not d > 0:
            raise UndecidedError(f"Cholesky pivot {j} is {_short(d)}: sign open")
        pivots.append(d)
        for i in range(j + 1, n):
            L[i][j] = (A[j][i] - sum((L[i][l] * L[j][l] * pivots[l] for l in range(j)), arb(0))) / d
    return True, pivots


def ball(c, r=0):
    """The ball ``[c - r, c + r]`` for exact ``c``, ``r`` (outward rounded at the precision).

    Examples
    --------
    >>> ball(Fraction(1, 3), Fraction(1, 100)).contains(fmpq(17, 50))
    True
    """
    return arb(_q(c), _q(r))


def lower(a):
    """A rational lower bound of every number in a ball (the number itself if exact):
    the exact midpoint minus the exact radius."""
    return _frac(a.mid()) - _frac(a.rad()) if isinstance(a, arb) else Fraction(a)


def upper(a):
    """A rational upper bound of every number in a ball (the number itself if exact)."""
    return _frac(a.mid()) + _frac(a.rad()) if isinstance(a, arb) else Fraction(a)


def nonnegative(a):
    """Whether every number in a ball is ``>= 0`` (the number itself if exact); python-flint's
    comparison of balls holds only when it holds for all their points.

    Examples
    --------
    >>> nonnegative(ball(Fraction(1, 3), Fraction(1, 4))), nonnegative(ball(0, Fraction(1, 4))), nonnegative(Fraction(0))
    (True, False, True)
    """
    return bool(a >= 0)


def times(c, v):
    """``c * v`` for an exact ``c`` and a ball or exact ``v``."""
    return _q(c) * v if isinstance(v, arb) else c * v


def is_ball(v):
    return isinstance(v, arb)


def lin(coeffs, v):
    """``sum_t c_t v_t`` over the non-zero exact coefficients; ``v`` exact or balls.

    Coefficients are combined before any ball arithmetic, so that a form that vanishes
    identically gives an exact 0 (no dependency blow-up)."""
    if any(isinstance(x, arb) for x in v):
        v = [x if isinstance(x, arb) else ball(x) for x in v]
        return sum((times(c, x) for c, x in zip(coeffs, v) if c), arb(0))
    return sum((c * x for c, x in zip(coeffs, v) if c), Fraction(0))


def _q(c):
    if isinstance(c, fmpq):
        return c
    c = Fraction(c)
    return fmpq(c.numerator, c.denominator)


def _frac(a):
    man, exp = a.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)


def _short(x):
    return x.str(5, radius=True) if isinstance(x, arb) else str(x)
