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

Also the exact linear algebra this needs over such fields: :func:`solve_linear` (Gauss–Jordan)
and :func:`independent_rows`.
"""

from fractions import Fraction
from itertools import combinations

from .cones import ConeProjection, project
from .errors import InvalidDataError

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
            raise InvalidDataError(f"A[{i}] has {len(r)} entries, expected {d}")
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
    """Solve the non-singular square system ``M x = b`` exactly (Gauss–Jordan over the field).

    Raises
    ------
    InvalidDataError
        If ``M`` is singular.

    Examples
    --------
    >>> solve_linear([[2, 1], [1, 1]], [3, 2])
    [Fraction(1, 1), Fraction(1, 1)]
    """
    k = len(b)
    T = [[Fraction(c) if isinstance(c, int) else c for c in M[i]] + [b[i]] for i in range(k)]
    for c in range(k):
        piv = next((r for r in range(c, k) if T[r][c] != 0), None)
        if piv is None:
            raise InvalidDataError("the linear system is singular")
        T[c], T[piv] = T[piv], T[c]
        inv = 1 / T[c][c]
        T[c] = [a * inv for a in T[c]]
        for r in range(k):
            if r != c and T[r][c] != 0:
                f = T[r][c]
                T[r] = [a - f * b_ for a, b_ in zip(T[r], T[c])]
    return [T[i][k] for i in range(k)]


def independent_rows(rows):
    """Indices of a maximal independent subset of ``rows`` (greedy, exact).

    Examples
    --------
    >>> independent_rows([[1, 2], [2, 4], [0, 1]])
    [0, 2]
    """
    basis, reduced = [], []
    for i, r in enumerate(rows):
        v = [Fraction(a) if isinstance(a, int) else a for a in r]
        for piv, b in reduced:
            if v[piv] != 0:
                f = v[piv] / b[piv]
                v = [a - f * c for a, c in zip(v, b)]
        piv = next((c for c, a in enumerate(v) if a != 0), None)
        if piv is not None:
            basis.append(i)
            reduced.append((piv, v))
    return basis


def _dot(u, v):
    return sum((a * b for a, b in zip(u, v)), Fraction(0))
