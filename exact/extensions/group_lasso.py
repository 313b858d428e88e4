r"""The cone-constrained group lasso (KMP eq. (7); ``math/convex_duality.md`` §9.1), certified.

.. math:: \min_{z_b\in C_b}\ \tfrac12\Big\|\sum_bA_bz_b-y\Big\|^2+\beta\sum_b\|z_b\|,\qquad
          C_b=\{z:G_bz\ge0\},

with dual :math:`\max_\nu\nu^\top y-\tfrac12\|\nu\|^2` s.t. :math:`\|\Pi_{C_b}(A_b^\top\nu)\|\le\beta`
(L4.1 per block). The gap identity of §3 holds block by block, so :math:`\nu^*=y-\hat y^*` is
unique, only tight blocks carry weight, and an optimal block is :math:`\kappa_bp_b` with
:math:`p_b=\Pi_{C_b}(A_b^\top\nu^*)`, :math:`\|p_b\|=\beta`. The problem (C) is the case
:math:`A_{(s,\pm)}=\pm D_sX`, :math:`G_{(s,\pm)}=\operatorname{diag}(2D_s-I)X`.

:func:`optimal_set` proposes by Clarabel (:func:`exact.numeric.extensions.propose_group_lasso`,
which hands back rationals only) and proves a proposed :math:`\nu` exactly (every projection by
:func:`exact.cones.project`, weights by the exact LP of :mod:`exact.lp`); otherwise it returns a
rigorous bracket :math:`d(t\hat\nu)\le p^*\le G(z)`. No Krawczyk/algebraic route here:
irrational optima of the generic problem are brackets.
"""

from dataclasses import dataclass
from fractions import Fraction

from ..cones import project, sq_norm
from ..errors import InvalidDataError
from ..multiquadratic import sqrt_bounds

__all__ = ["ConeBlock", "GroupLassoOptimum", "optimal_set", "block_projection", "round_bound"]


@dataclass(frozen=True)
class ConeBlock:
    """A block: a ``label``, the fit map ``A`` (n rows of k) and the cone rows ``G`` (k columns)."""

    label: object
    A: tuple
    G: tuple


@dataclass(frozen=True)
class GroupLassoOptimum:
    r"""The certified optimum: ``kind`` (``rational`` or ``bracket``), ``value``, ``value_interval``,
    ``nu``, ``atoms`` (block index, :math:`p_b`, :math:`\kappa_b` with :math:`z_b=\kappa_bp_b`),
    ``tight`` (block index -> :math:`p_b` for every tight block), ``screened`` (blocks with
    :math:`\|A_b^\top\nu\|\le\beta`), ``primal`` (bracket: rational :math:`z_b` in :math:`C_b`)
    and ``reason`` (bracket)."""

    kind: str
    value: Fraction
    value_interval: tuple
    nu: tuple
    atoms: tuple = ()
    tight: dict = None
    primal: tuple = ()
    reason: str = None


def block_projection(block, nu):
    r""":math:`\Pi_{C_b}(A_b^\top\nu)` exactly (:class:`exact.cones.ConeProjection`).

    Examples
    --------
    >>> block_projection(ConeBlock("b", ((1, 0), (0, 1)), ((1, 0),)), [-1, 2]).point
    (Fraction(0, 1), Fraction(2, 1))
    """
    g = [sum((Fraction(row[j]) * v for row, v in zip(block.A, nu)), Fraction(0)) for j in range(len(block.A[0]))]
    return project(block.G, g)


def optimal_set(blocks, y, beta):
    r"""Return the certified optimum of the cone-constrained group lasso.

    Examples
    --------
    >>> b = [ConeBlock(s, ((s, 0), (0, s)), ((1, 0), (0, 1))) for s in (1, -1)]   # +-(quadrant)
    >>> opt = optimal_set(b, [3, -1], 1)
    >>> opt.kind, opt.value, opt.nu
    ('rational', Fraction(3, 1), (Fraction(1, 1), Fraction(-1, 1)))
    >>> optimal_set(b, [3, -1], 0)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: beta = 0 must be > 0
    """
    beta = Fraction(beta)
    if beta <= 0:
        raise InvalidDataError(f"beta = {beta} must be > 0")
    y = [Fraction(v) for v in y]
    zero = _certify(blocks, y, beta, y)
    if zero is not None:
        return zero
    from ..numeric.extensions import propose_group_lasso

    proposal = propose_group_lasso([b.A for b in blocks], [b.G for b in blocks], y, beta)
    for nu in proposal.duals:
        out = _certify(blocks, y, beta, list(nu))
        if out is not None:
            return out
    return _bracket(blocks, y, beta, proposal)


def round_bound(q, *, up, bits=128):
    """``q`` rounded to the grid ``2^-bits`` upward or downward (a shorter bound, still valid).

    Examples
    --------
    >>> round_bound(Fraction(1, 3), up=True, bits=4), round_bound(Fraction(1, 3), up=False, bits=4)
    (Fraction(3, 8), Fraction(5, 16))
    """
    s = 1 << bits
    k = -(-q.numerator * s // q.denominator) if up else q.numerator * s // q.denominator
    return Fraction(k, s)


def _certify(blocks, y, beta, nu):
    from ..lp import solve_lp

    beta2 = beta * beta
    tight = {}
    for i, b in enumerate(blocks):
        pr = block_projection(b, nu)
        if pr.sq_norm > beta2:
            return None
        if pr.sq_norm == beta2:
            tight[i] = pr.point
    target = [a - v for a, v in zip(y, nu)]
    value = sum(a * v for a, v in zip(y, nu)) - sq_norm(nu) / 2
    keys = sorted(tight)
    if not any(target):
        return GroupLassoOptimum("rational", value, (value, value), tuple(nu), (), tight)
    cols = [[sum(Fraction(r[j]) * tight[i][j] for j in range(len(r))) for r in blocks[i].A] for i in keys]
    if not cols:
        return None
    lp = solve_lp([1] * len(cols), A_eq=[[c[t] for c in cols] for t in range(len(y))], b_eq=target)
    if lp.status != "optimal":
        return None
    atoms = tuple((i, tight[i], k) for i, k in zip(keys, lp.x) if k > 0)
    return GroupLassoOptimum("rational", value, (value, value), tuple(nu), atoms, tight)


def _bracket(blocks, y, beta, proposal):
    r"""A rigorous bracket from the rational proposal: the dual point scaled exactly into
    feasibility (lower bound) and the proposed blocks projected exactly into their cones (upper)."""
    nu = list(proposal.dual)
    worst = max(block_projection(b, nu).sq_norm for b in blocks)
    t = Fraction(1) if worst <= beta * beta else sqrt_bounds(beta * beta / worst, 128)[0]
    nu = [t * v for v in nu]  # ||Pi(A^T t nu)|| = t ||Pi(A^T nu)|| <= beta on every block
    lower = sum(a * v for a, v in zip(y, nu)) - sq_norm(nu) / 2
    primal, fit, penalty = [], [Fraction(0)] * len(y), Fraction(0)
    for i, z in proposal.primal:
        b = blocks[i]
        p = project(b.G, z).point  # exactly in C_b
        primal.append((i, p))
        fit = [f + sum(Fraction(r[j]) * p[j] for j in range(len(p))) for f, r in zip(fit, b.A)]
        penalty += sqrt_bounds(sq_norm(p), 128)[1]
    upper = round_bound(sq_norm([f - a for f, a in zip(fit, y)]) / 2 + beta * penalty, up=True)
    lower = round_bound(lower, up=False)
    return GroupLassoOptimum("bracket", (lower + upper) / 2, (lower, upper), tuple(nu), (), None, tuple(primal), "no rational dual optimum was found")
