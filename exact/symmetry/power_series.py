r"""Truncated Laurent series in :math:`s = k^{-1/2}` with exact coefficients (math §4).

A :class:`Series` is :math:`\sum_{m\ge v} c_m s^m + O(s^N)`: a valuation :math:`v`, exact
coefficients and an absolute precision :math:`N` that every operation tracks (a product of
series known to :math:`O(s^{N_1})` and :math:`O(s^{N_2})` is known to
:math:`O(s^{\min(v_1+N_2,\,v_2+N_1)})`). Block sizes enter as :math:`k-c = s^{-2}-c`, so series
have negative valuations.

The only non-polynomial operations of the model are square roots and the angle
:math:`\theta = \operatorname{atan2}(R, c)`. :meth:`SeriesArithmetic.sqrt` needs a leading
coefficient that is a square in the coefficient field and an even valuation; the angle is
expanded around its limit :math:`0`, :math:`\pi/2` or :math:`\pi` through the analytic
:math:`\arctan` of a small ratio (:math:`\theta = \arctan(R/c)`, :math:`\pi+\arctan(R/c)` or
:math:`\pi/2-\arctan(c/R)`), never through :math:`\arccos` at :math:`\pm1`:
:math:`\arccos(-1+\varepsilon) = \pi-\sqrt{2\varepsilon}(1+\dots)` becomes
:math:`\pi+\arctan(R/c)` with :math:`R = \sqrt{AB-c^2}` of valuation 1. This is where the
odd powers of :math:`s` come from.

Coefficient fields:

* :class:`QPiField`: :math:`\mathbb Q(\pi)`, elements :class:`QPi` (a quotient of python-flint
  ``fmpq_poly`` in :math:`\pi`); signs are decided rigorously with arb, which always
  terminates because :math:`\pi` is transcendental;
* :class:`RationalFunctionField`: :math:`\mathbb Q(\pi, y_1, \dots)` (sympy), for the leading
  balance with unknown coefficients; branch signs there come from a numerical point.
"""

from fractions import Fraction

import mpmath
import sympy
from flint import arb, ctx, fmpq, fmpq_poly
from flint.utils.flint_exceptions import DomainError
from sympy.polys.fields import field as sympy_field

from ..errors import InvalidDataError, UndecidedError

__all__ = ["QPi", "QPiField", "QPiRoot", "QPiSqrtField", "RationalFunctionField", "Series", "SeriesArithmetic"]

_INF = 1 << 40


class QPi:
    r"""An element :math:`n(\pi)/d(\pi)` of :math:`\mathbb Q(\pi)`, reduced, :math:`d` monic.

    Examples
    --------
    >>> F = QPiField()
    >>> x = (F.pi + 1) / (F.pi * F.pi)
    >>> x
    QPi((x + 1)/x^2)
    >>> F.to_sympy(x * F.pi - 1)
    1/pi
    """

    __slots__ = ("num", "den")

    def __init__(self, num, den=None, *, reduced=False):
        if den is None:
            self.num, self.den = num, _ONE_POLY
            return
        if not reduced:
            if num.is_zero():
                den = _ONE_POLY
            else:
                g = num.gcd(den)
                if not g.is_one():
                    num, den = num // g, den // g
                lc = den.leading_coefficient()
                if lc != 1:
                    num, den = num / lc, den / lc
        self.num, self.den = num, den

    def __repr__(self):
        if self.den.is_one():
            return f"QPi({self.num})"
        return f"QPi(({self.num})/{self.den})"

    def __add__(self, other):
        other = _qpi(other)
        if other is NotImplemented:
            return other
        if other.num.is_zero():
            return self
        if self.num.is_zero():
            return other
        if self.den.is_one() and other.den.is_one():
            return QPi(self.num + other.num)
        if self.den == other.den:
            return QPi(self.num + other.num, self.den)
        return QPi(self.num * other.den + other.num * self.den, self.den * other.den)

    __radd__ = __add__

    def __neg__(self):
        return QPi(-self.num, self.den, reduced=True)

    def __sub__(self, other):
        other = _qpi(other)
        if other is NotImplemented:
            return other
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        other = _qpi(other)
        if other is NotImplemented:
            return other
        if self.num.is_zero():
            return self
        if other.num.is_zero():
            return other
        if self.den.is_one() and other.den.is_one():
            return QPi(self.num * other.num)
        return QPi(self.num * other.num, self.den * other.den)

    __rmul__ = __mul__

    def __truediv__(self, other):
        other = _qpi(other)
        if other is NotImplemented:
            return other
        if other.num.is_zero():
            raise ZeroDivisionError("division by zero in Q(pi)")
        return QPi(self.num * other.den, self.den * other.num)

    def __rtruediv__(self, other):
        return _qpi(other) / self

    def __pow__(self, e):
        if e < 0:
            return QPi(_ONE_POLY) / (self ** (-e))
        return QPi(self.num**e, self.den**e, reduced=True)

    def __eq__(self, other):
        other = _qpi(other)
        if other is NotImplemented:
            return False
        return self.num == other.num and self.den == other.den

    def __hash__(self):
        return hash((str(self.num), str(self.den)))

    def is_zero(self):
        """Whether this is 0."""
        return self.num.is_zero()


_ONE_POLY = fmpq_poly([1])
_QPI_ZERO = QPi(fmpq_poly([]))


def _qpi(a):
    if isinstance(a, QPi):
        return a
    if isinstance(a, (int, Fraction)):
        q = Fraction(a)
        return QPi(fmpq_poly([fmpq(q.numerator, q.denominator)]))
    if isinstance(a, fmpq):
        return QPi(fmpq_poly([a]))
    return NotImplemented


class QPiField:
    r"""The field :math:`\mathbb Q(\pi)` with exact square roots and rigorous signs.

    Examples
    --------
    >>> F = QPiField()
    >>> F.sqrt((F.pi - 1) ** 2 / 4)
    QPi(1/2*x + (-1/2))
    >>> F.sign(F.pi - Fraction(22, 7))
    -1
    >>> F.sqrt(F.pi)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: pi is not a square in Q(pi)
    """

    def __init__(self):
        self.zero = QPi(fmpq_poly([]))
        self.one = QPi(_ONE_POLY)
        self.pi = QPi(fmpq_poly([0, 1]))

    def from_rational(self, q):
        """Return the rational ``q`` as an element."""
        return _qpi(Fraction(q))

    def is_zero(self, x):
        """Whether ``x`` is 0."""
        return x.is_zero()

    def dot(self, xs, ys):
        """Return :math:`\\sum_i x_iy_i`, reduced once at the end."""
        N = D = None
        for a, b in zip(xs, ys):
            if a.num.is_zero() or b.num.is_zero():
                continue
            n, d = a.num * b.num, a.den * b.den
            if N is None:
                N, D = n, d
            elif d == D:
                N = N + n
            else:
                g = D.gcd(d)
                if g.is_one():
                    N, D = N * d + n * D, D * d
                else:
                    dd = d // g
                    N, D = N * dd + n * (D // g), D * dd
        return self.zero if N is None else QPi(N, D)

    def sign(self, x, *, max_prec=1 << 16):
        """Return the sign of ``x`` (decided with arb balls around :math:`\\pi`)."""
        if x.is_zero():
            return 0
        prec = 64
        while prec <= max_prec:
            with ctx.workprec(prec):
                val = _eval_arb(x.num) / _eval_arb(x.den)
                if val > 0:
                    return 1
                if val < 0:
                    return -1
            prec *= 2
        raise UndecidedError(f"sign of {x} still open at {max_prec} bits")

    def sqrt(self, x):
        """Return the positive square root of ``x`` in :math:`\\mathbb Q(\\pi)`."""
        try:
            root = QPi(x.num.sqrt(), x.den.sqrt(), reduced=True)
        except (DomainError, ValueError) as err:
            raise InvalidDataError(f"{self.to_sympy(x)} is not a square in Q(pi)") from err
        return root if self.sign(root) > 0 else -root

    def to_sympy(self, x):
        """Return ``x`` as a sympy expression in :math:`\\pi` (expanded when the denominator is a power of :math:`\\pi`)."""
        coeffs = x.den.coeffs()
        if all(c == 0 for c in coeffs[:-1]):
            return sympy.expand(_poly_sympy(x.num) / sympy.pi ** (len(coeffs) - 1))
        return _poly_sympy(x.num) / _poly_sympy(x.den)


class _Ring:
    """The derived operations of an exact ring element that defines ``_lift`` (coerce an
    operand, or ``NotImplemented``), ``+``, unary ``-``, ``*`` and ``inverse``."""

    __slots__ = ()

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        b = self._lift(other)
        return b if b is NotImplemented else self + (-b)

    def __rsub__(self, other):
        return (-self) + other

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        b = self._lift(other)
        return b if b is NotImplemented else self * b.inverse()

    def __rtruediv__(self, other):
        return self._lift(other) * self.inverse()


class QPiRoot(_Ring):
    r"""An element :math:`a + b\sqrt m` of :math:`\mathbb Q(\pi)(\sqrt m)`, :math:`a, b\in\mathbb Q(\pi)`.

    Examples
    --------
    >>> F = QPiSqrtField(2)
    >>> r = F.root
    >>> F.to_sympy(r * r), F.to_sympy(1 / (1 + r))
    (2, -1 + sqrt(2))
    """

    __slots__ = ("a", "b", "m")

    def __init__(self, a, b, m):
        self.a, self.b, self.m = a, b, m

    def __repr__(self):
        return f"QPiRoot({self.a!r}, {self.b!r}, {self.m})"

    def _lift(self, other):
        if isinstance(other, QPiRoot):
            return other
        other = _qpi(other)
        if other is NotImplemented:
            return other
        return QPiRoot(other, _QPI_ZERO, self.m)

    def __add__(self, other):
        other = self._lift(other)
        if other is NotImplemented:
            return other
        if other.b.num.is_zero():
            return QPiRoot(self.a + other.a, self.b, self.m)
        return QPiRoot(self.a + other.a, self.b + other.b, self.m)

    def __neg__(self):
        return QPiRoot(-self.a, -self.b, self.m)

    def __mul__(self, other):
        other = self._lift(other)
        if other is NotImplemented:
            return other
        if other.b.is_zero():
            return QPiRoot(self.a * other.a, self.b * other.a, self.m)
        if self.b.is_zero():
            return QPiRoot(self.a * other.a, self.a * other.b, self.m)
        a = self.a * other.a + self.b * other.b * self.m
        return QPiRoot(a, self.a * other.b + self.b * other.a, self.m)

    def __pow__(self, e):
        out = QPiRoot(_qpi(1), _QPI_ZERO, self.m)
        base = self if e >= 0 else self.inverse()
        for _ in range(abs(e)):
            out = out * base
        return out

    def inverse(self):
        r"""Return :math:`1/(a+b\sqrt m) = (a-b\sqrt m)/(a^2-mb^2)`."""
        if self.b.is_zero():
            return QPiRoot(1 / self.a, _QPI_ZERO, self.m)
        norm = self.a * self.a - self.b * self.b * self.m
        return QPiRoot(self.a / norm, -self.b / norm, self.m)

    def __eq__(self, other):
        other = self._lift(other)
        return other is not NotImplemented and self.a == other.a and self.b == other.b

    def __hash__(self):
        return hash((self.a, self.b))

    def is_zero(self):
        """Whether this is 0."""
        return self.a.is_zero() and self.b.is_zero()


class QPiSqrtField:
    r"""The field :math:`\mathbb Q(\pi)(\sqrt m)` for a squarefree integer :math:`m\ge2`.

    Examples
    --------
    >>> F = QPiSqrtField(2)
    >>> F.to_sympy(F.sqrt(F.from_rational(8) / (F.pi * F.pi)))
    2*sqrt(2)/pi
    >>> F.to_sympy(F.sqrt(3 + 2 * F.root))
    1 + sqrt(2)
    """

    def __init__(self, m):
        self.m = m
        self.base = QPiField()
        zero, one = self.base.zero, self.base.one
        self.zero = QPiRoot(zero, zero, m)
        self.one = QPiRoot(one, zero, m)
        self.pi = QPiRoot(self.base.pi, zero, m)
        self.root = QPiRoot(zero, one, m)

    def from_rational(self, q):
        """Return the rational ``q`` as an element."""
        return QPiRoot(self.base.from_rational(q), self.base.zero, self.m)

    def dot(self, xs, ys):
        """Return :math:`\\sum_i x_iy_i`."""
        B, m = self.base, self.m
        a = B.dot([x.a for x in xs] + [x.b * m for x in xs], [y.a for y in ys] + [y.b for y in ys])
        b = B.dot([x.a for x in xs] + [x.b for x in xs], [y.b for y in ys] + [y.a for y in ys])
        return QPiRoot(a, b, m)

    def is_zero(self, x):
        """Whether ``x`` is 0."""
        return x.is_zero()

    def sign(self, x, *, max_prec=1 << 16):
        """Return the sign of ``x`` (decided with arb balls)."""
        if x.is_zero():
            return 0
        prec = 64
        while prec <= max_prec:
            with ctx.workprec(prec):
                val = _eval_arb(x.a.num) / _eval_arb(x.a.den)
                val += _eval_arb(x.b.num) / _eval_arb(x.b.den) * arb(self.m).sqrt()
                if val > 0:
                    return 1
                if val < 0:
                    return -1
            prec *= 2
        raise UndecidedError(f"sign of {self.to_sympy(x)} still open at {max_prec} bits")

    def sqrt(self, x):
        """Return the positive square root of ``x`` in the field."""
        B = self.base
        candidates = []
        if x.b.is_zero():
            for scale, part in ((1, "a"), (self.m, "b")):
                try:
                    r = B.sqrt(x.a / scale) if B.sign(x.a) > 0 else None
                except InvalidDataError:
                    continue
                if r is not None:
                    candidates.append(QPiRoot(r, B.zero, self.m) if part == "a" else QPiRoot(B.zero, r, self.m))
        else:
            try:
                t = B.sqrt(x.a * x.a - x.b * x.b * self.m)
                for u2 in ((x.a + t) / 2, (x.a - t) / 2):
                    if not u2.is_zero() and B.sign(u2) > 0:
                        try:
                            u = B.sqrt(u2)
                        except InvalidDataError:
                            continue
                        candidates.append(QPiRoot(u, x.b / (2 * u), self.m))
            except InvalidDataError:
                pass
        for r in candidates:
            if r * r == x:
                return r if self.sign(r) > 0 else -r
        raise InvalidDataError(f"{self.to_sympy(x)} is not a square in Q(pi)(sqrt({self.m}))")

    def to_sympy(self, x):
        """Return ``x`` as a sympy expression."""
        return self.base.to_sympy(x.a) + self.base.to_sympy(x.b) * sympy.sqrt(self.m)


def _eval_arb(p):
    pi = arb.pi()
    out = arb(0)
    for c in reversed(p.coeffs()):
        out = out * pi + arb(c)
    return out


def _poly_sympy(p):
    return sum(
        (sympy.Rational(int(c.p), int(c.q)) * sympy.pi**i for i, c in enumerate(p.coeffs())),
        sympy.Integer(0),
    )


class RationalFunctionField:
    r"""The field :math:`\mathbb Q(\pi, r, y_1, \dots, y_n)` (sympy), with signs taken at a numerical point.

    The generator ``p`` stands for :math:`\pi` and, when ``radicand`` is an integer :math:`m`,
    ``r`` stands for :math:`\sqrt m` (it is a free generator here: callers substitute
    :math:`\sqrt m` for it before solving). ``point`` gives numerical values of the :math:`y_i`
    (mpmath numbers) at which the signs of leading coefficients are read to pick branches (the
    sign of a square root, the limit of an angle); the branches so chosen are re-checked
    exactly once the :math:`y_i` are known.

    Examples
    --------
    >>> F = RationalFunctionField(["y0"], [mpmath.mpf(-2)])
    >>> y0 = F.gens[0]
    >>> F.sqrt(y0**2 / 4), F.sign(y0 + F.pi)
    (-y0/2, 1)
    >>> F = RationalFunctionField(["y0"], [mpmath.mpf(3)], radicand=2)
    >>> F.sqrt(8 * F.gens[0] ** 2)
    2*r*y0
    """

    def __init__(self, names, point, *, radicand=None):
        extra = ["r"] if radicand else []
        K, *gens = sympy_field(",".join(["p", *extra, *names]), sympy.QQ)
        self.K = K
        self.pi = gens[0]
        self.root = gens[1] if radicand else None
        self.gens = gens[1 + len(extra) :]
        self.radicand = radicand
        self.zero, self.one = K.zero, K.one
        self.symbols = sympy.symbols(" ".join(["p", *extra, *names]))
        self.point = [mpmath.sqrt(radicand)] + list(point) if radicand else list(point)

    def from_rational(self, q):
        """Return the rational ``q`` as an element."""
        q = Fraction(q)
        return self.K(sympy.Rational(q.numerator, q.denominator))

    def is_zero(self, x):
        """Whether ``x`` is 0."""
        return x == 0

    def sign(self, x):
        """Return the sign of ``x`` at the numerical point."""
        if x == 0:
            return 0
        val = self._value(x)
        if val == 0:
            raise UndecidedError(f"{x.as_expr()} vanishes at the numerical point")
        return 1 if val > 0 else -1

    def sqrt(self, x):
        """Return the square root of ``x`` that is positive at the numerical point."""
        roots = []
        for poly in (x.numer, x.denom):
            lc, factors = poly.factor_list()
            lc = sympy.Rational(lc)
            root = self.K(1)
            for m in (1, self.radicand):
                if m and _is_square(lc / m):
                    root = self.K(sympy.sqrt(lc / m)) * (self.root if m != 1 else 1)
                    break
            else:
                raise InvalidDataError(f"{x.as_expr()} is not a square in Q(pi, y)")
            if any(e % 2 for _, e in factors):
                raise InvalidDataError(f"{x.as_expr()} is not a square in Q(pi, y)")
            for f, e in factors:
                root = root * self.K(f) ** (e // 2)
            roots.append(root)
        root = roots[0] / roots[1]
        return root if self.sign(root) > 0 else -root

    def to_sympy(self, x):
        """Return ``x`` as a sympy expression in the generators (``p`` and ``r`` still symbols)."""
        return x.as_expr()

    def _value(self, x):
        f = sympy.lambdify(self.symbols, x.as_expr(), modules="mpmath")
        return f(mpmath.pi, *self.point)


def _is_square(q):
    q = sympy.Rational(q)
    return q >= 0 and sympy.sqrt(q.p).is_Integer and sympy.sqrt(q.q).is_Integer


class Series(_Ring):
    r"""A truncated Laurent series :math:`\sum_{m=v}^{N-1}c_ms^m + O(s^N)` over a coefficient field.

    Build them with :class:`SeriesArithmetic`; ``prec`` is the absolute precision :math:`N`.

    Examples
    --------
    >>> S = SeriesArithmetic(QPiField(), cap=6)
    >>> k = S.k()
    >>> (k - 1).valuation, S.sqrt(k - 1)
    (-2, Series((1)*s^-1 + (-1/2)*s^1 + (-1/8)*s^3 + (-1/16)*s^5 + O(s^6)))
    """

    __slots__ = ("F", "cap", "v", "c", "prec")

    def __init__(self, F, cap, v, coeffs, prec):
        coeffs = list(coeffs)
        start = 0
        while start < len(coeffs) and F.is_zero(coeffs[start]):
            start += 1
        v += start
        coeffs = coeffs[start:]
        prec = min(prec, cap)
        if v >= prec:
            v, coeffs = prec, []
        else:
            coeffs = coeffs[: prec - v]
        self.F, self.cap, self.v, self.c, self.prec = F, cap, v, coeffs, prec

    @property
    def valuation(self):
        """The exponent of the first nonzero coefficient (``prec`` for a series known to be ``O(s^prec)``)."""
        return self.v

    def coefficient(self, m):
        """Return the coefficient of :math:`s^m` (``m < prec``)."""
        if m >= self.prec:
            raise InvalidDataError(f"the coefficient of s^{m} is not known: the series is O(s^{self.prec})")
        if m < self.v:
            return self.F.zero
        i = m - self.v
        return self.c[i] if i < len(self.c) else self.F.zero

    def __repr__(self):
        terms = []
        for i, a in enumerate(self.c):
            if not self.F.is_zero(a):
                terms.append(f"({self.F.to_sympy(a)})*s^{self.v + i}")
        body = " + ".join(terms) if terms else "0"
        return f"Series({body} + O(s^{self.prec}))"

    def _lift(self, other):
        if isinstance(other, Series):
            return other
        if isinstance(other, (int, Fraction)):
            return Series(self.F, self.cap, 0, [self.F.from_rational(other)], _INF)
        if isinstance(other, (QPi, QPiRoot)) or type(other) is type(self.F.one):
            return Series(self.F, self.cap, 0, [other], _INF)
        return NotImplemented

    def __add__(self, other):
        b = self._lift(other)
        if b is NotImplemented:
            return b
        a = self
        v = min(a.v, b.v)
        prec = min(a.prec, b.prec, self.cap)
        n = max(prec - v, 0)
        out = [self.F.zero] * n
        for s_ in (a, b):
            off = s_.v - v
            for i, x in enumerate(s_.c):
                if off + i < n:
                    out[off + i] = out[off + i] + x
        return Series(self.F, self.cap, v, out, prec)

    def __neg__(self):
        return Series(self.F, self.cap, self.v, [-x for x in self.c], self.prec)

    def __mul__(self, other):
        b = self._lift(other)
        if b is NotImplemented:
            return b
        a = self
        v = a.v + b.v
        prec = min(a.prec + b.v, b.prec + a.v, self.cap)
        n = max(prec - v, 0)
        ac, bc = a.c[:n], b.c[:n]
        size = min(n, len(ac) + len(bc) - 1 if ac and bc else 0)
        dot = getattr(self.F, "dot", None)
        out = []
        for m in range(size):
            lo, hi = max(0, m - len(bc) + 1), min(m, len(ac) - 1)
            xs = ac[lo : hi + 1]
            ys = bc[m - hi : m - lo + 1][::-1]
            if dot is not None:
                out.append(dot(xs, ys))
            else:
                acc = self.F.zero
                for x, y in zip(xs, ys):
                    acc = acc + x * y
                out.append(acc)
        return Series(self.F, self.cap, v, out, prec)

    def __pow__(self, e):
        if not isinstance(e, int) or e < 0:
            raise InvalidDataError(f"series power {e!r}: only nonnegative integers")
        out = self._lift(1)
        base = self
        while e:
            if e & 1:
                out = out * base
            base = base * base
            e >>= 1
        return out

    def inverse(self):
        """Return :math:`1/a` (the leading coefficient must be known and nonzero)."""
        if not self.c:
            raise InvalidDataError(f"cannot invert a series known only to be O(s^{self.prec})")
        rel = min(self.prec - self.v, self.cap + self.v)
        inv0 = self.F.one / self.c[0]
        d = [inv0]
        for m in range(1, rel):
            acc = self.F.zero
            for j in range(1, min(m, len(self.c) - 1) + 1):
                acc = acc + self.c[j] * d[m - j]
            d.append(-acc * inv0)
        return Series(self.F, self.cap, -self.v, d, -self.v + rel)


class SeriesArithmetic:
    r"""Power series in :math:`s` as an arithmetic for the model's formulas (``number``, ``pi``, ``sqrt``, ``atan2``).

    Parameters
    ----------
    field : QPiField or RationalFunctionField
        The coefficient field.
    cap : int
        Absolute precision at which every infinite expansion is truncated.

    Examples
    --------
    >>> S = SeriesArithmetic(QPiField(), cap=4)
    >>> s = S.s()
    >>> S.atan2(s, S.number(-1))
    Series((pi)*s^0 + (-1)*s^1 + (1/3)*s^3 + O(s^4))
    """

    exact = True

    def __init__(self, field, cap):
        self.F = field
        self.cap = cap

    def series(self, coeffs, v=0, prec=_INF):
        """Return :math:`\\sum_i c_i s^{v+i} + O(s^{prec})` (exact polynomial by default)."""
        return Series(self.F, self.cap, v, coeffs, prec)

    def s(self):
        """Return the variable :math:`s = k^{-1/2}`."""
        return self.series([self.F.one], 1)

    def k(self):
        """Return :math:`k = s^{-2}`."""
        return self.series([self.F.one], -2)

    def number(self, a, where="value"):
        """Return a rational, a field element or a series as a series."""
        if isinstance(a, Series):
            return a
        if isinstance(a, (int, Fraction)):
            return self.series([self.F.from_rational(a)])
        if isinstance(a, str):
            return self.series([self.F.from_rational(Fraction(a))])
        if isinstance(a, (QPi, QPiRoot)) or type(a) is type(self.F.one):
            return self.series([a])
        raise InvalidDataError(f"{where} = {a!r} cannot enter a power series")

    def pi(self):
        """Return :math:`\\pi` as a constant series."""
        return self.series([self.F.pi])

    def is_zero(self, x):
        """Whether ``x`` is the zero series (no nonzero coefficient known)."""
        return not x.c

    def sign(self, x):
        """Return the sign of the leading coefficient."""
        if not x.c:
            return 0
        return self.F.sign(x.c[0])

    def sqrt(self, x):
        r"""Return :math:`\sqrt x` (even valuation, square leading coefficient)."""
        if not x.c:
            if x.prec >= _INF:
                return x
            return self.series([], x.prec // 2, x.prec // 2)
        if x.v % 2:
            raise InvalidDataError(f"sqrt of a series of odd valuation {x.v}: not a power series in s")
        rel = min(x.prec - x.v, self.cap - x.v // 2)
        r0 = self.F.sqrt(x.c[0])
        inv = self.F.one / (2 * r0)
        d = [r0]
        for m in range(1, rel):
            acc = x.c[m] if m < len(x.c) else self.F.zero
            for j in range(1, m):
                acc = acc - d[j] * d[m - j]
            d.append(acc * inv)
        return self.series(d, x.v // 2, x.v // 2 + rel)

    def atan(self, x):
        r"""Return :math:`\arctan x` for a series of positive valuation."""
        if x.c and x.v <= 0:
            raise InvalidDataError(f"atan of a series of valuation {x.v}: the ratio does not tend to 0")
        out, term, x2, n = x, x, x * x, 1
        while True:
            term, n = term * x2, n + 2
            if term.v >= out.prec:
                return out
            out = out + term * Fraction((-1) ** (n // 2), n)

    def atan2(self, y, x):
        r"""Return :math:`\operatorname{atan2}(y, x)` for :math:`y \ge 0`, expanded at its limit angle.

        The limit is :math:`0` or :math:`\pi` when :math:`y/x \to 0`, and :math:`\pi/2` when
        :math:`x/y \to 0`; any other limit angle is refused (its expansion would leave
        :math:`\mathbb Q(\pi)`).
        """
        if self.sign(y) < 0:
            raise InvalidDataError("atan2(y, x) is expanded only for y >= 0")
        if not x.c or (y.c and y.v < x.v):
            return self.pi() / 2 - self.atan(x / y)
        if not y.c or y.v > x.v:
            t = self.atan(y / x)
            return t if self.sign(x) > 0 else self.pi() + t
        raise InvalidDataError(
            "an angle tends to a limit other than 0, pi/2, pi: its series leaves Q(pi)"
        )
