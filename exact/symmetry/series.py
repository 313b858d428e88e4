r"""The families as power series in :math:`s = k^{-1/2}` with exact coefficients (math §4).

:func:`family_series` computes, for a family of :mod:`exact.symmetry.families`, the
coefficients :math:`a_{i,m}` of :math:`\xi_i(s) = \sum_m a_{i,m}s^m` and :math:`\ell_m` of
:math:`L(s) = \sum_m\ell_ms^m` as exact sympy numbers, in two stages.

1. **Leading balance.** Write :math:`\xi_i = \xi^0_i+s^{e_i}y_i(s)` and
   :math:`y_i = \sum_{j\le M}Y_{i,j}s^j` with symbols :math:`Y_{i,j}`; expand the restricted
   gradient in :math:`s` over :math:`\mathbb Q(\pi, Y)` (truncated to what the symbols
   determine) and solve the equations "every known coefficient vanishes" with sympy, for
   :math:`M = 0, 1, 2, \dots` until every constant term :math:`Y_{i,0}` is determined. The
   equations at the lowest orders are degenerate (e.g. for type A the ``D1`` and ``C01``
   equations share their leading term and ``Y0_0, Y2_0`` enter the first order only through
   :math:`Y_{0,0}-Y_{2,0}`), which is why several orders are solved together. A numerical solution
   at :math:`k = 10^{10}\dots10^{16}` picks the branch of each square root and angle and the
   root of the polynomial system; it is never part of the result.
2. **Newton's method over power series.** From :math:`\xi^0+s^e\odot Y_{\cdot,0}`, iterate
   :math:`\xi\leftarrow\xi-J(\xi)^{-1}\nabla_xL(\xi)` with every quantity a truncated Laurent
   series with exact coefficients in :math:`\mathbb Q(\pi)` (or :math:`\mathbb Q(\pi)(\sqrt2)`)
   and :math:`J^{-1}` computed by Gaussian elimination over Laurent series (pivots of least
   valuation). Each step solves the linear systems of the next orders at once (it doubles the
   number of correct orders). The iteration stops when the last correction has valuation
   above the requested order in every coordinate, so the coefficients through that order are
   those of the exact solution; the loss coefficients are certified the same way (its error
   is :math:`-\tfrac12\nabla L\cdot\Delta`, of valuation above the order).

Coefficients are exact: sympy expressions in :math:`\pi` (and :math:`\sqrt2` for families with a
block of size 2, which the coefficients do contain).
"""

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import mpmath
import sympy

from ..errors import ReluscapeError
from .families import get_family
from .fixed_points import FixedPointSpace
from .newton import newton_restricted
from .power_series import QPiField, QPiRoot, QPiSqrtField, RationalFunctionField, SeriesArithmetic

__all__ = ["FamilySeries", "family_series", "leading_balance"]

_NUMERIC_K = (10, 12, 14, 16)  # k = 10^j for the numerical branch selection
_MAX_M = 5
_MAX_CAP = 200


@dataclass(frozen=True)
class FamilySeries:
    r"""The power series of a family through :math:`s^{\text{order}}`, :math:`s = k^{-1/2}`.

    Attributes
    ----------
    family : str
    order : int
    names : tuple of str
        Coordinate names (``"D0", "O0", ...``).
    coordinates : tuple of tuple
        ``coordinates[i][m]`` is the exact coefficient of :math:`s^m` in :math:`\xi_i`.
    loss : tuple
        ``loss[m]`` is the exact coefficient of :math:`s^m` in :math:`L`.
    field : str
        The field of the coefficients.
    """

    family: str
    order: int
    names: tuple
    coordinates: tuple
    loss: tuple
    field: str

    def coefficient(self, name, m):
        """Return the coefficient of :math:`s^m` in coordinate ``name`` (or ``"L"``)."""
        if name == "L":
            return self.loss[m]
        return self.coordinates[self.names.index(name)][m]

    def evaluate(self, k):
        r"""Return the truncated series of the coordinates at :math:`k` (mpmath, current precision)."""
        s = 1 / mpmath.sqrt(mpmath.mpf(k))
        return [_horner(c, s) for c in self.coordinates]

    def loss_at(self, k):
        r"""Return the truncated series of :math:`L` at :math:`k`."""
        return _horner(self.loss, 1 / mpmath.sqrt(mpmath.mpf(k)))

    def leading_terms(self, name):
        """Return ``[(m, coefficient)]`` of the nonzero terms of coordinate ``name`` (or ``"L"``)."""
        coeffs = self.loss if name == "L" else self.coordinates[self.names.index(name)]
        return [(m, c) for m, c in enumerate(coeffs) if c != 0]


def family_series(name, order):
    r"""Return the power series of family ``name`` through :math:`s^{\text{order}}` with exact coefficients.

    Parameters
    ----------
    name : str
        ``"A"``, ``"Fk"``, ``"F1"``, ``"A2"`` or ``"F2"``.
    order : int
        The highest power of :math:`s = k^{-1/2}` returned (``order >= 0``).

    Returns
    -------
    FamilySeries

    Raises
    ------
    ReluscapeError
        If the leading balance cannot be solved or Newton's method over series stalls.

    Examples
    --------
    >>> ser = family_series("Fk", 3)
    >>> ser.names, ser.coordinates[0]
    (('D0', 'O0'), (-1, 0, 2, 0))
    >>> ser.loss[:2]
    (1/2 - 1/pi, -4/(3*pi))
    """
    if order < 0:
        raise ReluscapeError(f"order = {order} must be >= 0")
    return _family_series(name, int(order))


@lru_cache(maxsize=None)
def _family_series(name, order):
    fam = get_family(name)
    F = QPiField() if fam.radicand is None else QPiSqrtField(fam.radicand)
    y0 = [_to_field(F, c) for c in _balance_values(name)]
    xs, L, err = _newton_over_series(fam, F, y0, order)
    coords = tuple(tuple(F.to_sympy(x.coefficient(m)) for m in range(order + 1)) for x in xs)
    loss = tuple(F.to_sympy(L.coefficient(m)) for m in range(order + 1))
    field = "Q(pi)" if fam.radicand is None else f"Q(pi)(sqrt({fam.radicand}))"
    names = FixedPointSpace(fam.composition(mpmath.mpf(1000))).names
    return FamilySeries(name, order, names, coords, loss, field)


def leading_balance(name):
    r"""Return the constant terms :math:`y_i(0)` of the balance :math:`\xi_i = \xi^0_i + s^{e_i}y_i(s)` exactly.

    Examples
    --------
    >>> leading_balance("A")
    (8/pi, -4/pi, 8/pi**2 + 2 + 8/pi, 2, 4/pi)
    """
    fam = get_family(name)
    F = QPiField() if fam.radicand is None else QPiSqrtField(fam.radicand)
    return tuple(F.to_sympy(_to_field(F, v)) for v in _balance_values(name))


@lru_cache(maxsize=None)
def _balance_values(name):
    fam = get_family(name)
    numeric = _numeric_balance(fam)
    n = len(fam.limit)
    for M in range(_MAX_M + 1):
        values = _solve_balance(fam, numeric, M)
        if values is not None:
            return tuple(values)
    raise ReluscapeError(f"the leading balance of {name} is not determined by {_MAX_M + 1} orders ({n} unknowns)")


# ---------------------------------------------------------------------------------------------
# stage 1: the leading balance


def _numeric_balance(fam):
    """Fit y(s) = sum_j Y_j s^j (j < 4) to Newton solutions at k = 10^10 ... 10^16 (mpmath)."""
    rows, values = [], []
    with mpmath.workdps(90):
        for j in _NUMERIC_K:
            k = mpmath.mpf(10) ** j
            s = 1 / mpmath.sqrt(k)
            x0 = [a + s**e * mpmath.mpf(g.numerator) / g.denominator for a, e, g in zip(fam.limit, fam.exponents, fam.guess)]
            x, _ = newton_restricted(FixedPointSpace(fam.composition(k)), x0)
            rows.append([s**m for m in range(len(_NUMERIC_K))])
            values.append([(a - b) / s**e for a, b, e in zip(x, fam.limit, fam.exponents)])
        A = mpmath.matrix(rows)
        fits = [mpmath.lu_solve(A, mpmath.matrix([v[i] for v in values])) for i in range(len(fam.limit))]
        return [[+fit[m] for m in range(len(_NUMERIC_K))] for fit in fits]


def _solve_balance(fam, numeric, M):
    n = len(fam.limit)
    names = [f"Y{i}_{j}" for j in range(M + 1) for i in range(n)]
    point = [numeric[i][j] if j < len(numeric[i]) else mpmath.mpf(0) for j in range(M + 1) for i in range(n)]
    F = RationalFunctionField(names, point, radicand=fam.radicand)
    S = SeriesArithmetic(F, max(fam.exponents) + M + 8)
    Y = F.gens
    xs = [
        S.number(a) + S.series([Y[j * n + i] for j in range(M + 1)], e, e + M + 1)
        for i, (a, e) in enumerate(zip(fam.limit, fam.exponents))
    ]
    _, G = FixedPointSpace(fam.composition(S.k())).derivatives(xs, S, order=1)
    sub = {F.symbols[0]: sympy.pi}
    if fam.radicand:
        sub[F.symbols[1]] = sympy.sqrt(fam.radicand)
    eqs = []
    for g in G:
        for m in range(g.v, g.prec):
            c = g.coefficient(m)
            if not F.is_zero(c):
                eqs.append(sympy.numer(sympy.together(F.to_sympy(c).subs(sub))))
    unknowns = sympy.symbols(" ".join(names))
    values = _eliminate(eqs, unknowns, dict(zip(unknowns, point)), unknowns[:n])
    if values is None:
        return None
    with mpmath.workdps(30):
        if any(abs(sympy.N(v, 30) - numeric[i][0]) > mpmath.mpf(10) ** -8 for i, v in enumerate(values)):
            return None
    return values


def _eliminate(eqs, unknowns, point, targets):
    """Solve polynomial equations by elimination: linear unknowns first, then one-variable roots.

    A linear equation ``a u + b = 0`` is used when ``a`` is free of unknowns (or numerically
    far from 0 at ``point``); an equation in one unknown is solved exactly and its root nearest
    to ``point`` kept. Returns the values of ``targets`` once they are free of unknowns, or
    ``None`` when the equations do not determine them.
    """
    known = {}
    pending = [sympy.expand(e) for e in eqs]
    with mpmath.workdps(30):
        while True:
            pending = [e for e in (sympy.expand(e.subs(known)) for e in pending) if e != 0]
            if all(not known.get(t, t).free_symbols & set(unknowns) for t in targets if t in known) and all(
                t in known for t in targets
            ):
                return [known[t] for t in targets]
            step = _elimination_step(pending, unknowns, point)
            if step is None:
                return None
            u, value = step
            known = {v: sympy.expand(w.subs(u, value)) for v, w in known.items()}
            known[u] = value


def _elimination_step(pending, unknowns, point):
    candidates = sorted(pending, key=lambda e: len(e.free_symbols))
    for e in candidates:
        free = [u for u in unknowns if u in e.free_symbols]
        for u in free:
            poly = sympy.Poly(e, u)
            if poly.degree() != 1:
                continue
            a, b = poly.all_coeffs()
            if a.free_symbols & set(unknowns) and abs(_num(a, point)) < mpmath.mpf(10) ** -6:
                continue
            return u, sympy.cancel(-b / a)
    for e in candidates:
        free = [u for u in unknowns if u in e.free_symbols]
        if len(free) == 1:
            u = free[0]
            roots = sympy.solve(e, u)
            real = [r for r in roots if abs(sympy.im(sympy.N(r, 30))) < mpmath.mpf(10) ** -20]
            if real:
                return u, min(real, key=lambda r: abs(sympy.N(r, 30) - point[u]))
    return None


def _num(expr, point):
    return sympy.N(expr.subs(point), 30)


def _to_field(F, expr):
    """Convert a sympy number of Q(pi) or Q(pi)(sqrt m) to an element of ``F``."""
    if isinstance(F, QPiSqrtField):
        r = sympy.sqrt(F.m)
        conj = expr.subs(r, -r)
        a = _to_field(F.base, sympy.simplify((expr + conj) / 2))
        b = _to_field(F.base, sympy.simplify((expr - conj) / (2 * r)))
        return QPiRoot(a, b, F.m)
    p = sympy.Symbol("p")
    num, den = sympy.fraction(sympy.together(sympy.sympify(expr).subs(sympy.pi, p)))
    return _poly_element(F, num, p) / _poly_element(F, den, p)


def _poly_element(F, poly, p):
    out = F.zero
    for (e,), c in sympy.Poly(poly, p).terms():
        out = out + F.from_rational(Fraction(int(c.p), int(c.q))) * F.pi**e
    return out


# ---------------------------------------------------------------------------------------------
# stage 2: Newton's method over Laurent series


def _newton_over_series(fam, F, y0, order):
    full = order + 8
    S = SeriesArithmetic(F, full)
    xs = [S.number(a) + S.series([y], e) for a, y, e in zip(fam.limit, y0, fam.exponents)]
    good = 0  # the last correction's least valuation: the iterate's correct orders, roughly
    for _ in range(60):
        cap = min(full, 2 * good + 10)  # Newton doubles the correct orders: no need for more yet
        S = SeriesArithmetic(F, cap)
        xs = [S.series(x.c, x.v) for x in xs]  # the iterate, as an exact polynomial
        L, G = FixedPointSpace(fam.composition(S.k())).derivatives(xs, S, order=1)
        # J is needed only to the precision that J^{-1} G keeps: a smaller cap, tracked exactly
        SH = SeriesArithmetic(F, max(cap - max(min(g.v for g in G), 0), min(cap, order + 4)))
        H = FixedPointSpace(fam.composition(SH.k())).derivatives([SH.series(x.c, x.v) for x in xs], SH, order=2)[2]
        delta = _laurent_solve(H, G)
        good = max(good, min(d.v for d in delta))
        if cap == full:
            if all(d.v > order and d.prec > order for d in delta):
                err = sum((g * d for g, d in zip(G[1:], delta[1:])), G[0] * delta[0])
                if L.prec > order and err.v > order:
                    return xs, L, err
                full += 4
            elif min(d.prec for d in delta) <= order + 1:
                full += 4
        if full > _MAX_CAP:
            raise ReluscapeError(f"{fam.name}: series precision {_MAX_CAP} exhausted before order {order}")
        xs = [x - d for x, d in zip(xs, delta)]
    raise ReluscapeError(f"{fam.name}: Newton's method over series did not reach order {order}")


def _laurent_solve(J, b):
    """Solve J x = b over truncated Laurent series (Gaussian elimination, least-valuation pivots)."""
    n = len(b)
    A = [list(row) + [b[i]] for i, row in enumerate(J)]
    for col in range(n):
        rows = [r for r in range(col, n) if A[r][col].c]
        if not rows:
            raise ReluscapeError("the Jacobian is singular to the precision carried")
        piv = min(rows, key=lambda r: A[r][col].v)
        A[col], A[piv] = A[piv], A[col]
        inv = A[col][col].inverse()
        for r in range(col + 1, n):
            if A[r][col].c:
                f = A[r][col] * inv
                A[r] = [a - f * p for a, p in zip(A[r], A[col])]
    x = [None] * n
    for r in reversed(range(n)):
        acc = A[r][n]
        for c in range(r + 1, n):
            acc = acc - A[r][c] * x[c]
        x[r] = acc * A[r][r].inverse()
    return x


def _horner(coeffs, s):
    out = mpmath.mpf(0)
    for c in reversed(coeffs):
        out = out * s + mpmath.mpf(sympy.N(c, mpmath.mp.dps + 10))
    return out
