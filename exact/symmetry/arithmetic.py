r"""The three arithmetics of the symmetry suite: sympy (exact), mpmath (any precision), arb (balls).

Every formula of the Gaussian teacher–student model is written once, against the small
interface below, and evaluated in whichever arithmetic the caller names:

``"sympy"``
    exact symbolic numbers (rationals, :math:`\pi`, square roots, ``atan2``);
``"mpmath"``
    floating point at the caller's working precision (set it with ``mpmath.mp.workdps``);
``"arb"``
    python-flint ``arb`` balls at the caller's ``flint.ctx`` precision; every result encloses
    the true value, so sign decisions made on it (:mod:`exact.symmetry.balls`) are proofs.

Inputs are exact rationals (``int``, :class:`~fractions.Fraction`, ``"p/q"``, sympy
``Rational``, ``fmpq``) or numbers already of the arithmetic (``mpf``, ``arb``). Floats are
refused everywhere, as in :func:`exact.data.as_rational`.
"""

import mpmath
import sympy
from flint import arb, fmpq

from ..data import as_rational
from ..errors import InvalidDataError

__all__ = ["Arithmetic", "ARITHMETICS", "get_arithmetic"]


class Arithmetic:
    """One arithmetic: exact conversion of rationals, :math:`\\pi`, square root and ``atan2``.

    Parameters
    ----------
    name : {"sympy", "mpmath", "arb"}
        Which arithmetic.

    Examples
    --------
    >>> ar = get_arithmetic("sympy")
    >>> ar.number("3/4"), ar.sqrt(ar.number(4)), ar.atan2(ar.number(1), ar.number(0))
    (3/4, 2, pi/2)
    >>> get_arithmetic("maple")
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: arithmetic = 'maple' is not one of 'sympy', 'mpmath', 'arb'
    """

    def __init__(self, name):
        self.name = name
        self.exact = name == "sympy"

    def __repr__(self):
        return f"Arithmetic({self.name!r})"

    def number(self, a, where="value"):
        """Return ``a`` as a number of this arithmetic (exact rationals are converted exactly)."""
        if self.name == "mpmath" and isinstance(a, mpmath.mpf):
            return a
        if self.name == "arb" and isinstance(a, arb):
            return a
        if self.name == "sympy" and isinstance(a, sympy.Expr) and not a.is_Rational:
            if a.has(sympy.Float):
                raise InvalidDataError(f"{where} = {a} contains a sympy Float, which is not exact")
            return a
        q = as_rational(a, where)
        if self.name == "sympy":
            return sympy.Rational(q.numerator, q.denominator)
        if self.name == "mpmath":
            return mpmath.mpf(q.numerator) / q.denominator
        return arb(fmpq(q.numerator, q.denominator))

    def pi(self):
        """Return :math:`\\pi` in this arithmetic."""
        if self.name == "sympy":
            return sympy.pi
        if self.name == "mpmath":
            return +mpmath.pi
        return arb.pi()

    def sqrt(self, x):
        """Return :math:`\\sqrt{x}` for :math:`x \\ge 0` (an arb ball is first cut to its nonnegative part)."""
        if self.name == "sympy":
            return sympy.sqrt(x)
        if self.name == "mpmath":
            if x < 0:
                raise InvalidDataError(f"square root of {mpmath.nstr(x, 5)} < 0 (not a real configuration)")
            return mpmath.sqrt(x)
        return x.nonnegative_part().sqrt()

    def atan2(self, y, x):
        """Return the angle of the point :math:`(x, y)`, in :math:`(-\\pi, \\pi]`."""
        if self.name == "sympy":
            return sympy.atan2(y, x)
        if self.name == "mpmath":
            return mpmath.atan2(y, x)
        return arb.atan2(y, x)

    def is_zero(self, x):
        """Return whether ``x`` is exactly zero (for a ball: the exact ball 0)."""
        if self.name == "sympy":
            return sympy.simplify(x) == 0 if not x.is_Number else x == 0
        if self.name == "mpmath":
            return x == 0
        return x.is_zero()

    def sign(self, x):
        """Return the sign of ``x`` in {-1, 0, 1}, or ``None`` when it is not decided (arb only)."""
        if self.name == "sympy":
            if x.is_zero:
                return 0
            return 1 if x.is_positive else -1 if x.is_negative else None
        if self.name == "mpmath":
            return (x > 0) - (x < 0)
        if x.is_zero():
            return 0
        return 1 if x > 0 else -1 if x < 0 else None


#: The arithmetics by name.
ARITHMETICS = {name: Arithmetic(name) for name in ("sympy", "mpmath", "arb")}


def get_arithmetic(arithmetic):
    """Return the :class:`Arithmetic` named ``arithmetic`` (or ``arithmetic`` itself)."""
    if isinstance(arithmetic, Arithmetic):
        return arithmetic
    if arithmetic not in ARITHMETICS:
        raise InvalidDataError(
            f"arithmetic = {arithmetic!r} is not one of {', '.join(map(repr, ARITHMETICS))}"
        )
    return ARITHMETICS[arithmetic]

