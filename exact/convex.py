r"""The three problems in one convention, evaluated exactly, and the maps between them.

Convention (``math/convex_duality.md`` §1, D3.1, D3.2), for data :math:`(X,y,\beta)`:

* nonconvex, width :math:`m`:
  :math:`F(\theta)=\tfrac12\|\sum_j(Xw_j)_+a_j-y\|^2+\tfrac\beta2\sum_j(\|w_j\|^2+a_j^2)`;
* convex (group lasso over patterns, with cone constraints :math:`u_s,v_s\in K_s`):
  :math:`G=\tfrac12\|\sum_sD_sX(u_s-v_s)-y\|^2+\beta\sum_s(\|u_s\|+\|v_s\|)`;
* dual: :math:`d(\nu)=\nu^\top y-\tfrac12\|\nu\|^2` subject to
  :math:`\|\Pi_{K_s}(\pm X^\top D_s\nu)\|\le\beta` for every region :math:`s`.

:math:`F` of rational parameters is rational; :math:`G` involves norms and is returned as a
sympy expression (a rational when every norm is). The maps (D3.4):

* convex :math:`\to` nonconvex: :math:`u\mapsto(u/\sqrt{\|u\|},+\sqrt{\|u\|})`,
  :math:`v\mapsto(v/\sqrt{\|v\|},-\sqrt{\|v\|})` (exact, sympy), so :math:`F=G`;
* nonconvex :math:`\to` convex: :math:`|a_j|w_j` added to the block of a region adjacent to
  :math:`w_j` with the sign of :math:`a_j`; then :math:`G\le F`, with equality iff the network
  is balanced and merged neurons are positively parallel.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

from .arrangement import integer_rows
from .data import Dataset, as_rational, rational_matrix
from .errors import InvalidDataError, entries

__all__ = [
    "ConvexBlock",
    "nonconvex_objective",
    "convex_objective",
    "dual_objective",
    "to_nonconvex",
    "to_convex",
    "adjacent_region",
    "CONVENTIONS",
    "beta_from",
    "objective_scale",
]

#: Objective conventions in use, as ``A ||r||^2 + B sum(||w||^2 + a^2)`` with ``beta = B / A``.
#: Each entry maps ``(lam, n, c)`` to ``(A, B)``.
CONVENTIONS = {
    "reluscape": lambda lam, n, c: (Fraction(1, 2), lam / 2),  # 1/2 ||r||^2 + lam/2 ||theta||^2
    "half_sq_lambda": lambda lam, n, c: (Fraction(1, 2), lam),  # 1/2 ||r||^2 + lam ||theta||^2
    "mse": lambda lam, n, c: (Fraction(1, n), lam),  # 1/n ||r||^2 + lam ||theta||^2 (BBEL)
    "scnn": lambda lam, n, c: (Fraction(1, 2 * n), lam / 2),  # 1/(2n) ||r||^2 + lam/2 ||theta||^2
    "vector_mse": lambda lam, n, c: (Fraction(1, 2 * n * c), lam / 2),  # 1/(2nc) ||R||_F^2 + lam/2 ||theta||^2
}


@dataclass(frozen=True)
class ConvexBlock:
    """One block of a convex solution: a pattern ``D`` (0/1 tuple), a sign and its vector ``u``."""

    D: tuple
    sign: int
    u: tuple


def beta_from(convention, lam, n=None, c=1):
    r"""The suite's :math:`\beta` equivalent to weight decay ``lam`` in another convention.

    ``A\|r\|^2+B\|\theta\|^2=2A\,F_\beta`` with :math:`\beta=B/A` (``math/convex_duality.md`` §1):
    minimisers, local minima and stationary points coincide; values scale by :math:`2A`.

    Examples
    --------
    >>> beta_from("half_sq_lambda", Fraction(1, 10)), beta_from("mse", Fraction(1, 10), n=5)
    (Fraction(1, 5), Fraction(1, 2))
    """
    A, B = _coefficients(convention, lam, n, c)
    return B / A


def objective_scale(convention, n=None, c=1):
    """The factor ``2A`` with ``objective_in_convention = 2A * F_beta`` (see :func:`beta_from`)."""
    A, _ = _coefficients(convention, Fraction(1), n, c)
    return 2 * A


def nonconvex_objective(data, W, a):
    r""":math:`F(\theta)` exactly, for rational (Fraction) or algebraic (sympy) parameters.

    Parameters
    ----------
    data : Dataset
    W : m rows of d numbers (the :math:`w_j`)
    a : m numbers (the :math:`a_j`)

    Examples
    --------
    >>> D = Dataset([[1, 0], [0, 1]], [1, 0], 1)
    >>> nonconvex_objective(D, [[1, 0]], [1])     # fit (1, 0): penalty 1/2 (1 + 1)
    Fraction(1, 1)
    """
    X, W, a = data.X, _params(W, "W", data.d), _vector(a, "a")
    if len(W) != len(a):
        raise InvalidDataError(f"W has {len(W)} neurons but a has {len(a)}")
    fit = [sum(_relu(_dot(x, w)) * aj for w, aj in zip(W, a)) for x in X]
    loss = sum((f - yk) ** 2 for f, yk in zip(fit, data.y)) / 2
    penalty = data.beta / 2 * sum(_dot(w, w) + aj * aj for w, aj in zip(W, a))
    return _simplify(loss + penalty)


def convex_objective(data, blocks):
    r""":math:`G` of a list of :class:`ConvexBlock` (sympy when a norm is irrational).

    Raises
    ------
    InvalidDataError
        If a block's vector is outside its cone :math:`K_s` (checked exactly).

    Examples
    --------
    >>> D = Dataset([[1, 0], [0, 1]], [1, 0], 1)
    >>> convex_objective(D, [ConvexBlock((1, 0), 1, (Fraction(1, 2), 0))])   # fit 1/2, norm 1/2
    Fraction(5, 8)
    """
    X = data.X
    fit = [Fraction(0)] * data.n
    penalty = 0
    for i, blk in enumerate(blocks):
        u = _vector(blk.u, f"blocks[{i}].u")
        for k, x in enumerate(X):
            s = _dot(x, u)
            if (s < 0 and blk.D[k]) or (s > 0 and not blk.D[k]):
                raise InvalidDataError(f"blocks[{i}].u is outside its cone K_s (row {k})")
            if blk.D[k]:
                fit[k] += blk.sign * s
        penalty += _sqrt(_dot(u, u))
    loss = sum((f - yk) ** 2 for f, yk in zip(fit, data.y)) / 2
    return _simplify(loss + data.beta * penalty)


def dual_objective(data, nu):
    r""":math:`d(\nu)=\nu^\top y-\tfrac12\|\nu\|^2` (feasibility is checked elsewhere).

    Examples
    --------
    >>> dual_objective(Dataset([[1]], [2], 1), [1])
    Fraction(3, 2)
    """
    nu = _vector(nu, "nu")
    return _simplify(sum(v * yk for v, yk in zip(nu, data.y)) - sum(v * v for v in nu) / 2)


def to_nonconvex(blocks, m=None):
    r"""Map convex blocks to a network: :math:`(u/\sqrt{\|u\|},\pm\sqrt{\|u\|})`, zero blocks dropped.

    Returns ``(W, a)`` with sympy entries (rational where the norms are perfect squares),
    padded with zero neurons to width ``m`` if given.

    Raises
    ------
    InvalidDataError
        If ``m`` is smaller than the number of non-zero blocks.
    """
    import sympy

    W, a = [], []
    for blk in blocks:
        u = [sympy.Rational(c.numerator, c.denominator) if isinstance(c, Fraction) else sympy.sympify(c) for c in blk.u]
        norm = sympy.sqrt(sum(c * c for c in u))
        if norm == 0:
            continue
        root = sympy.sqrt(norm)
        W.append([sympy.radsimp(c / root) for c in u])
        a.append(blk.sign * root)
    if m is not None:
        if m < len(W):
            raise InvalidDataError(f"width m = {m} is below the {len(W)} non-zero blocks")
        d = len(blocks[0].u) if blocks else 0
        W += [[sympy.Integer(0)] * d for _ in range(m - len(W))]
        a += [sympy.Integer(0)] * (m - len(a))
    return W, a


def to_convex(data, W, a):
    r"""Map a network to convex blocks: neuron :math:`j` adds :math:`|a_j|w_j` to the block
    (region adjacent to :math:`w_j`, sign of :math:`a_j`); blocks of one (region, sign) merge.

    Returns a list of :class:`ConvexBlock` (rational parameters give rational blocks).
    """
    W, a = _params(W, "W", data.d), _vector(a, "a")
    merged = {}
    for j, (w, aj) in enumerate(zip(W, a)):
        if aj == 0 or all(c == 0 for c in w):
            continue
        D = adjacent_region(data.X, w)
        key = (D, 1 if aj > 0 else -1)
        u = [abs(aj) * c for c in w]
        merged[key] = [p + q for p, q in zip(merged.get(key, [0] * data.d), u)]
    return [ConvexBlock(D, s, tuple(_simplify(c) for c in u)) for (D, s), u in merged.items()]


def adjacent_region(X, w):
    r"""The pattern ``D`` of a region :math:`s\in\mathcal R(w)` (one whose closed cone holds ``w``).

    Off every kink this is :math:`\mathbb 1[Xw>0]`. On kinks (:math:`x_k^\top w=0`) the region
    containing :math:`w+th` for small :math:`t>0` is used, with :math:`h` an integer direction
    off every kink hyperplane, so the pattern is an actual region.

    Examples
    --------
    >>> adjacent_region([[1, 0], [0, 1], [1, 1]], [1, 0])   # w on the kink of row 1
    (1, 1, 1)
    """
    X = rational_matrix(X)
    kinks = [k for k, x in enumerate(X) if _dot(x, w) == 0 and any(x)]
    rows = integer_rows([X[k] for k in kinks]) if kinks else []
    h = _off_hyperplanes(rows, len(X[0]))
    out = []
    for k, x in enumerate(X):
        s = _dot(x, w)
        if s == 0 and any(x):
            s = sum(Fraction(c) * hc for c, hc in zip(x, h))
        out.append(1 if s > 0 else 0)
    return tuple(out)


def _off_hyperplanes(rows, d):
    """An integer vector with ``r . h != 0`` for every (non-zero) row: the moment curve avoids
    each hyperplane at all but ``d - 1`` parameters."""
    t = 1
    while True:
        h = [t**i for i in range(d)]
        if all(sum(a * b for a, b in zip(r, h)) != 0 for r in rows):
            return h
        t += 1


def _coefficients(convention, lam, n, c):
    if convention not in CONVENTIONS:
        raise InvalidDataError(f"convention {convention!r} is not one of {', '.join(CONVENTIONS)}")
    lam = as_rational(lam, "lam")
    if lam < 0:
        raise InvalidDataError(f"lam = {lam} must be >= 0")
    if convention in ("mse", "scnn", "vector_mse") and (n is None or n < 1):
        raise InvalidDataError(f"convention {convention!r} needs the number of samples n >= 1")
    return CONVENTIONS[convention](lam, n, c)


def _params(W, name, d):
    rows = [list(r) for r in W]
    for j, r in enumerate(rows):
        if len(r) != d:
            raise InvalidDataError(f"{name}[{j}] has {entries(len(r))}, expected {d}")
    return [[_exact(c, f"{name}[{j}][{i}]") for i, c in enumerate(r)] for j, r in enumerate(rows)]


def _vector(v, name):
    return [_exact(c, f"{name}[{i}]") for i, c in enumerate(v)]


def _exact(c, where):
    if getattr(c, "is_number", False) and not getattr(c, "is_Rational", False):
        if c.is_real is False or getattr(c, "is_Float", False):
            raise InvalidDataError(f"{where} = {c} is not an exact real number")
        return c  # an algebraic sympy number such as sqrt(2)/2
    return as_rational(c, where)


def _relu(s):
    return s if s > 0 else 0


def _dot(u, v):
    return sum(a * b for a, b in zip(u, v))


def _sqrt(q):
    """The square root of a non-negative exact number: a Fraction when it is a square."""
    if isinstance(q, Fraction):
        p, r = math.isqrt(q.numerator), math.isqrt(q.denominator)
        if p * p == q.numerator and r * r == q.denominator:
            return Fraction(p, r)
    import sympy

    return sympy.sqrt(sympy.Rational(q.numerator, q.denominator) if isinstance(q, Fraction) else q)


def _simplify(v):
    if isinstance(v, (Fraction, int)):
        return Fraction(v)
    import sympy

    v = sympy.radsimp(sympy.expand(v))
    return Fraction(int(v.p), int(v.q)) if v.is_Rational else v
