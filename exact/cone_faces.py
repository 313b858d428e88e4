r"""Projection onto a polyhedral cone over any exact ordered field, by its faces.

For :math:`K=\{u:Au\ge0\}` and :math:`g`, the projection is the unique :math:`p=g+A^\top\lambda`
with :math:`\lambda\ge0`, :math:`Ap\ge0`, :math:`\lambda\odot Ap=0` (``math/convex_duality.md``
L4.1). :mod:`exact.cones` finds it over :math:`\mathbb Q` by Lawson–Hanson. Here the entries may
also be :class:`~exact.multiquadratic.Multiquadratic` numbers (a residual :math:`\nu` with
entries in :math:`\mathbb Q(\sqrt2)`, data with :math:`\sqrt3`): the active face :math:`F` is
searched among the independent row sets, :math:`\lambda_F` solves
:math:`A_FA_F^\top\lambda_F=-A_Fg` exactly, and the first face whose KKT conditions hold gives
the projection (they characterise it, so the answer does not depend on the order). The cost is
:math:`\sum_{k\le d}\binom nk` small solves: meant for the few rows and dimensions of the
counterexamples. Rational input is passed to :func:`exact.cones.project`.

Also the exact linear algebra this needs over such fields (from :mod:`exact.rational_linalg`,
which accepts field elements): :func:`solve_linear`, raising on a singular system, and
:func:`independent_rows`.
"""

from fractions import Fraction
from itertools import combinations

from .cones import ConeProjection, project
from .errors import InvalidDataError, entries
from .rational_linalg import independent_rows, solve

__all__ = ["project_exact", "solve_linear", "independent_rows"]


def project_exact(A, g):
    r"""Return :math:`\Pi_Kg` for :math:`K=\{u:Au\ge0\}` with its multipliers, over an exact field.

    Parameters
    ----------
    A : sequence of rows (``m`` may be 0: then :math:`K=\mathbb R^d`)
    g : sequence of d numbers (``Fraction``, ``int`` or :class:`~exact.multiquadratic.Multiquadratic`)

    Returns
    -------
    exact.cones.ConeProjection

    Raises
    ------
    InvalidDataError
        If a row of ``A`` does not have ``len(g)`` entries.

    Examples
    --------
    >>> from exact.multiquadratic import sqrt_rational
    >>> r3 = sqrt_rational(3)
    >>> pr = project_exact([[1, 0]], [-r3, 1])          # onto the half-plane u_1 >= 0
    >>> pr.point, pr.multipliers, pr.sq_norm
    ((Fraction(0, 1), Fraction(1, 1)), (Multiquadratic(sqrt(3)),), Fraction(1, 1))
    >>> project_exact([[1, 0]], [1])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: A[0] has 2 entries, expected 1
    """
    g = list(g)
    d = len(g)
    A = [list(r) for r in A]
    for i, r in enumerate(A):
        if len(r) != d:
            raise InvalidDataError(f"A[{i}] has {entries(len(r))}, expected {d}")
    if all(isinstance(c, (int, Fraction)) for c in g) and all(isinstance(c, (int, Fraction)) for r in A for c in r):
        return project(A, g) if A else project([], g)
    rows = [i for i, r in enumerate(A) if any(c != 0 for c in r)]
    for k in range(min(len(rows), d) + 1):
        for face in combinations(rows, k):
            AF = [A[i] for i in face]
            if len(independent_rows(AF)) < k:
                continue
            gram = [[_dot(r1, r2) for r2 in AF] for r1 in AF]
            lam = solve_linear(gram, [-_dot(r, g) for r in AF]) if k else []
            if any(v < 0 for v in lam):
                continue
            p = [g[c] + sum((lv * r[c] for lv, r in zip(lam, AF)), Fraction(0)) for c in range(d)]
            if any(_dot(r, p) < 0 for r in A):
                continue
            full = [Fraction(0)] * len(A)
            for i, lv in zip(face, lam):
                full[i] = lv
            return ConeProjection(tuple(p), tuple(full), tuple(i for i in face if full[i] != 0), _dot(p, p))
    raise AssertionError("no face satisfies the KKT conditions")  # impossible: the projection exists


def solve_linear(M, b):
    """Solve the non-singular square system ``M x = b`` exactly (:func:`exact.rational_linalg.solve`).

    Raises
    ------
    InvalidDataError
        If ``M`` is singular.

    Examples
    --------
    >>> solve_linear([[2, 1], [1, 1]], [3, 2])
    [Fraction(1, 1), Fraction(1, 1)]
    """
    x = solve(M, b)
    if x is None:
        raise InvalidDataError("the linear system is singular")
    return x


def _dot(u, v):
    return sum((a * b for a, b in zip(u, v)), Fraction(0))
