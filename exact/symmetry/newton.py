r"""High-precision critical points of the families: mpmath Newton on :math:`\mathrm{Fix}(H)` (math §5).

:func:`critical_point` starts Newton's method on the restricted gradient
:math:`\nabla_xL(Ex) = 0` from the truncated power series of the family
(:func:`~exact.symmetry.series.family_series`) at large :math:`k`, and for small :math:`k`
continues the branch down in real :math:`k` by factors of about 1.25 (block sizes are
polynomial, so :math:`k` may be any real number above the family's smallest :math:`k`). The
restricted gradient vanishes exactly at the critical points of :math:`L` in
:math:`\mathrm{Fix}(H)` (symmetric criticality), so the result is a critical point of :math:`L`
on :math:`\mathbb R^{k\times k}`; its rigorous existence is :func:`~exact.symmetry.krawczyk.certify_critical_point`.

Precision is set locally with ``mpmath.mp.workdps``; the results are mpmath numbers at the
requested precision.
"""

from dataclasses import dataclass
from fractions import Fraction

import mpmath

from ..data import as_rational
from ..errors import InvalidDataError, ReluscapeError
from .families import get_family
from .fixed_points import FixedPointSpace

__all__ = ["CriticalPoint", "critical_point", "continue_branch", "newton_restricted", "family_space"]

#: Above this k the truncated series is a good enough start for Newton.
SERIES_START_K = 64

# points of each branch already reached (k -> coordinates), reused as starting points
_REACHED = {}


@dataclass(frozen=True)
class CriticalPoint:
    r"""A family's critical point at one :math:`k`, to ``dps`` digits.

    Attributes
    ----------
    family : str
    k : int, Fraction or mpf
    names : tuple of str
        Coordinate names of :math:`\mathrm{Fix}(H)` (``"D0", "O0", ...``).
    x : tuple of mpf
        The coordinates.
    loss : mpf
        :math:`L` at the point.
    gradient_norm : mpf
        :math:`\|\nabla L\|_F` on :math:`\mathbb R^{k\times k}`, i.e.
        :math:`\sqrt{\sum_i g_i^2/m_i}` for the restricted gradient :math:`g` and orbit sizes :math:`m`.
    dps : int
    steps : int
        Newton steps at the final :math:`k`.
    """

    family: str
    k: object
    names: tuple
    x: tuple
    loss: object
    gradient_norm: object
    dps: int
    steps: int

    @property
    def composition(self):
        """The block sizes at :math:`k`."""
        return get_family(self.family).composition(self.k)

    def matrix(self):
        r"""Return :math:`W = Ex` as a :math:`k\times k` list of mpf (integer :math:`k` only)."""
        return family_space(self.family, self.k).embed(list(self.x))


def family_space(name, k):
    r"""Return the fixed-point space of family ``name`` at ``k`` (integer block sizes when ``k`` is an int).

    Raises
    ------
    InvalidDataError
        If ``k`` is below the family's smallest :math:`k` or is a float.

    Examples
    --------
    >>> family_space("A", 5)
    FixedPointSpace((4, 1), dim=5)
    >>> family_space("A2", 3)
    FixedPointSpace((1, 2), dim=5)
    """
    fam = get_family(name)
    k = _as_k(k)
    if k < fam.min_k:
        raise InvalidDataError(f"k = {k}: family {name} needs k >= {fam.min_k}")
    return FixedPointSpace(fam.composition(k))


def critical_point(name, k, dps=50, *, order=4, tol=None):
    r"""Return the critical point of family ``name`` at ``k`` to ``dps`` digits.

    Parameters
    ----------
    name : str
        A family of :data:`~exact.symmetry.families.FAMILIES`.
    k : int, Fraction, str or mpf
        Any real :math:`k` at or above the family's smallest value (integers give actual
        matrices).
    dps : int
        Decimal digits of the result.
    order : int
        Order of the power series used as the starting point.
    tol : mpf, optional
        Stop when the Newton step is below this; default :math:`10^{-(\text{dps}-5)}`.

    Returns
    -------
    CriticalPoint

    Raises
    ------
    ReluscapeError
        If Newton does not converge (the branch may not reach this :math:`k`).

    Examples
    --------
    >>> p = critical_point("Fk", 10, dps=30)
    >>> mpmath.nstr(p.loss, 12), p.gradient_norm < mpmath.mpf(10) ** -25
    ('0.0766366620211', True)
    """
    fam = get_family(name)
    k = _as_k(k)
    if k < fam.min_k:
        raise InvalidDataError(f"k = {k}: family {name} needs k >= {fam.min_k}")
    with mpmath.workdps(dps + 10):
        k_mp = _mp(k)
        space = family_space(name, k)
        full = FixedPointSpace(fam.composition(k_mp))
        if full.dim == space.dim:
            x = continue_branch(name, k_mp, order=order)
        else:  # a block of size exactly 1 loses its off-diagonal: stop just above k
            x = _restrict_labels(full, space, continue_branch(name, k_mp * (1 + mpmath.mpf(10) ** -4), order=order))
        tol = mpmath.mpf(10) ** (-(dps - 5)) if tol is None else tol
        x, steps = newton_restricted(space, x, tol=tol)
        if space.min_sine_squared(x) < mpmath.mpf(10) ** (-(dps // 2)):
            raise ReluscapeError(
                f"family {name} at k = {k} reaches a point where two rows, or a row and a teacher row, "
                "are parallel (L is not analytic there; e.g. the global minimum): no critical point of the family"
            )
        L, g = space.derivatives(x, "mpmath", order=1)
        m = space.orbit_sizes("mpmath")
        gnorm = mpmath.sqrt(sum(gi * gi / mi for gi, mi in zip(g, m)))
    with mpmath.workdps(dps):
        return CriticalPoint(name, k, space.names, tuple(+a for a in x), +L, +gnorm, dps, steps)


def continue_branch(name, k, *, order=4, tol=None):
    r"""Return the family's point at real ``k`` (mpf) by continuation from the series at large :math:`k`.

    Above :data:`SERIES_START_K` Newton starts from the truncated series; below, the branch is
    followed down from :data:`SERIES_START_K` (or from the nearest point above ``k`` reached by
    an earlier call) with a secant predictor and Newton corrector,
    halving the step when Newton fails or lands farther than 0.02 (max-norm) from the
    prediction, so that it cannot jump to another critical point.

    The point is accurate to about ``tol`` (default :math:`10^{-15}`): it is a starting point
    for a final Newton solve at the precision wanted (as :func:`critical_point` does).

    Raises
    ------
    ReluscapeError
        If the step falls below :math:`10^{-4}`: the branch ends (a fold) above ``k``.
    """
    from .series import family_series

    tol = mpmath.mpf(10) ** -15 if tol is None else tol
    fam = get_family(name)
    k = mpmath.mpf(k)
    reached = _REACHED.setdefault(name, {})
    above = [kk for kk in reached if kk >= k]
    if above and min(above) <= max(k, mpmath.mpf(SERIES_START_K)):
        start = min(above)
        x, _ = newton_restricted(FixedPointSpace(fam.composition(start)), reached[start], tol=tol)
    else:
        start = max(k, mpmath.mpf(SERIES_START_K))
        x0 = family_series(name, order).evaluate(start)
        x, _ = newton_restricted(FixedPointSpace(fam.composition(start)), x0, tol=tol)
    kk, prev = start, None
    h = kk / 5
    while kk > k:
        k_new = max(kk - h, k)
        pred = x if prev is None else [a + (a - b) * (k_new - kk) / (kk - prev[0]) for a, b in zip(x, prev[1])]
        try:
            x_new, _ = newton_restricted(FixedPointSpace(fam.composition(k_new)), pred, tol=tol, max_steps=15)
            accepted = max(abs(a - b) for a, b in zip(x_new, pred)) < mpmath.mpf("0.02")
        except ReluscapeError:
            accepted = False
        if accepted:
            prev, kk, x = (kk, x), k_new, x_new
            reached[kk] = x
            h = min(h * 2, kk / 4)
            continue
        h /= 2
        if h < mpmath.mpf(10) ** -4:
            raise ReluscapeError(f"family {name} does not continue below k = {mpmath.nstr(kk, 8)} (the branch folds or leaves the domain)")
    reached[k] = x
    if len(reached) > 4096:
        reached.clear()
    return x


def newton_restricted(space, x, *, tol=None, max_steps=60):
    r"""Solve :math:`\nabla_xL(Ex) = 0` on a fixed-point space by Newton's method in mpmath.

    Parameters
    ----------
    space : FixedPointSpace
    x : sequence of mpf
        Starting point.
    tol : mpf, optional
        Stop when the step's max-norm is below this (default: :math:`10^{-(\text{dps}-8)}`
        at the current working precision), or when the steps, already below
        :math:`10^{-\text{dps}/3}`, stop shrinking (rounding level: the restricted Hessian has
        condition number about :math:`k^2`).
    max_steps : int

    Returns
    -------
    (list of mpf, int)
        The point and the number of steps taken.

    Raises
    ------
    ReluscapeError
        If the steps do not fall below ``tol`` within ``max_steps``, or the Hessian is singular.
    """
    tol = mpmath.mpf(10) ** (-(mpmath.mp.dps - 8)) if tol is None else tol
    x = [mpmath.mpf(a) for a in x]
    floor = mpmath.mpf(10) ** (-(mpmath.mp.dps // 3))
    previous = None
    for step in range(1, max_steps + 1):
        _, g, H = space.derivatives(x, "mpmath", order=2)
        try:
            dx = mpmath.lu_solve(mpmath.matrix(H), mpmath.matrix(g))
        except ZeroDivisionError as err:
            raise ReluscapeError(f"singular restricted Hessian at step {step} on {space}") from err
        x = [a - d for a, d in zip(x, dx)]
        size = max(abs(d) for d in dx)
        if size < tol or (previous is not None and size < floor and size > previous / 4):
            return x, step
        previous = size
    raise ReluscapeError(f"Newton did not converge in {max_steps} steps on {space}")


def _as_k(k):
    if isinstance(k, mpmath.mpf):
        return k
    if isinstance(k, float):
        raise InvalidDataError(f"k = {k!r} is a float; pass an int, a Fraction, a string or an mpf")
    q = as_rational(k, "k")
    return int(q) if q.denominator == 1 else q


def _mp(k):
    if isinstance(k, Fraction):
        return mpmath.mpf(k.numerator) / k.denominator
    return mpmath.mpf(k)


def _restrict_labels(full, space, x):
    """Drop the coordinates of ``full`` that ``space`` lacks (a block of size exactly 1 has no O)."""
    values = dict(zip(full.labels, x))
    return [values[lab] for lab in space.labels]
