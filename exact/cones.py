r"""Exact projection onto a polyhedral cone, and the lambda-certificate of dual feasibility.

For :math:`K=\{u : Au\ge0\}` (:math:`A\in\mathbb Q^{m\times d}`) and :math:`g\in\mathbb Q^d`,
Moreau's decomposition gives (``math/convex_duality.md`` L4.1)

.. math:: \max_{u\in K,\ \|u\|\le1} g^\top u=\|\Pi_Kg\|,\qquad
          \Pi_Kg=g+A^\top\lambda,\quad \lambda\ge0,\ A\Pi_Kg\ge0,\ \lambda\odot A\Pi_Kg=0 .

So :math:`\lambda` solves the non-negative least-squares problem
:math:`\min_{\lambda\ge0}\|g+A^\top\lambda\|^2`, whose KKT conditions are exactly the three
above. :func:`project` solves it with the Lawson–Hanson active-set method in exact rational
arithmetic; :func:`check_projection` re-checks the KKT conditions one by one.

Any :math:`\lambda\ge0` certifies an upper bound: for :math:`u\in K`,
:math:`g^\top u\le(g+A^\top\lambda)^\top u\le\|g+A^\top\lambda\|\,\|u\|` because
:math:`\lambda^\top Au\ge0`. This is the per-block certificate of dual feasibility, checked by
comparing squares with :math:`\beta^2` (:func:`lambda_bound`).
"""

from dataclasses import dataclass
from fractions import Fraction

from .data import rational_matrix, rational_vector
from .errors import CertificateError, InvalidDataError, entries
from .rational_linalg import solve

__all__ = ["ConeProjection", "project", "project_flint", "check_projection", "lambda_bound", "sq_norm"]


@dataclass(frozen=True)
class ConeProjection:
    r"""The exact projection :math:`p=\Pi_Kg=g+A^\top\lambda` with its multipliers.

    Attributes
    ----------
    point : tuple of Fraction
        :math:`p`.
    multipliers : tuple of Fraction
        :math:`\lambda\ge0`, one per row of :math:`A`, zero off the face.
    face : tuple of int
        Rows with :math:`\lambda_i>0` (the face of :math:`K` containing :math:`p`).
    sq_norm : Fraction
        :math:`\|p\|^2=\max_{u\in K,\|u\|\le1}(g^\top u)^2` when positive.
    """

    point: tuple
    multipliers: tuple
    face: tuple
    sq_norm: Fraction


def project(A, g):
    r"""Return :math:`\Pi_Kg` for :math:`K=\{u:Au\ge0\}`, exactly, with its multipliers.

    Parameters
    ----------
    A : m x d rational matrix (``m`` may be 0: then :math:`K=\mathbb R^d`)
    g : length-d rational vector

    Returns
    -------
    ConeProjection

    Raises
    ------
    InvalidDataError
        If the shapes disagree or an entry is not exact.

    Notes
    -----
    A float solve (:func:`exact.numeric.convex.projection_face`) proposes the rows with
    :math:`\lambda_i>0`; the least-squares problem on them is solved exactly and accepted when
    the KKT conditions hold exactly. Otherwise Lawson–Hanson (1974, Ch. 23) on
    :math:`\min_{\lambda\ge0}\|A^\top\lambda-(-g)\|^2` runs in exact arithmetic: at most
    :math:`d` multipliers are positive at a time; each step solves a least-squares problem on
    them exactly. Cost :math:`O(md)` per step plus :math:`O(d^3)`.

    Examples
    --------
    >>> pr = project([[1, 0], [0, 1]], [3, -4])   # the positive quadrant
    >>> pr.point, pr.multipliers, pr.sq_norm
    ((Fraction(3, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(4, 1)), Fraction(9, 1))
    >>> project([[1, 2]], [1, 2, 3])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: g has 3 entries but A has 2 columns
    """
    g = rational_vector(g, "g")
    d = len(g)
    A = _rows(A, d)
    m = len(A)
    guess = _proposed(A, g)
    if guess is not None:
        p, lam, rows = guess
        return ConeProjection(tuple(p), tuple(lam), tuple(rows), sq_norm(p))
    lam = [Fraction(0)] * m
    passive = []
    p = list(g)
    while True:
        w = [-_dot(row, p) for row in A]  # the negative gradient: -A p
        cand = [i for i in range(m) if i not in passive and w[i] > 0]
        if not cand:
            break
        passive.append(max(cand, key=lambda i: (w[i], -i)))
        while True:
            z = _least_squares([A[i] for i in passive], g)
            if all(zi > 0 for zi in z):
                for i, zi in zip(passive, z):
                    lam[i] = zi
                break
            alpha = min(lam[i] / (lam[i] - zi) for i, zi in zip(passive, z) if zi <= 0)
            for i, zi in zip(passive, z):
                lam[i] += alpha * (zi - lam[i])
            passive = [i for i in passive if lam[i] > 0]
            for i in range(m):
                if i not in passive:
                    lam[i] = Fraction(0)
        p = [gi + sum(lam[i] * A[i][c] for i in passive) for c, gi in enumerate(g)]
    return ConeProjection(tuple(p), tuple(lam), tuple(sorted(passive)), sq_norm(p))


def project_flint(A, g):
    r""":func:`project` for rows ``A`` and ``g`` given as python-flint ``fmpq`` (exact numbers
    the caller holds; not validated again), with the same result in Fractions.

    The face a float solve proposes is solved, and the KKT conditions checked, in ``fmpq``
    (three to five times faster than Fractions: the exact faces of thousands of blocks are
    found every round of :func:`exact.optimal_set`); :func:`project` decides when that fails.

    Examples
    --------
    >>> from flint import fmpq
    >>> pr = project_flint([[fmpq(1), fmpq(0)], [fmpq(0), fmpq(1)]], [fmpq(3), fmpq(-4)])
    >>> pr == project([[1, 0], [0, 1]], [3, -4])
    True
    """
    guess = _proposed(A, g)
    if guess is None:
        return project([[_fraction(a) for a in row] for row in A], [_fraction(a) for a in g])
    p, lam, rows = guess
    return ConeProjection(tuple(map(_fraction, p)), tuple(map(_fraction, lam)), tuple(rows), _fraction(_dot(p, p)))


def _fraction(q):
    """An ``fmpq`` as a Fraction."""
    return Fraction(int(q.p), int(q.q))


def check_projection(A, g, proj):
    """Check the three KKT conditions of :math:`\\Pi_Kg` exactly; raise naming the first failure.

    Raises
    ------
    CertificateError
        ``p != g + A^T lambda``, a negative multiplier, ``A p`` not ``>= 0``, or a multiplier
        positive on a row where ``(A p)_i > 0``.
    """
    g = rational_vector(g, "g")
    A = _rows(A, len(g))
    p, lam = proj.point, proj.multipliers
    if len(lam) != len(A) or len(p) != len(g):
        raise CertificateError("projection has the wrong number of multipliers or coordinates")
    for c in range(len(g)):
        if p[c] != g[c] + sum(lam[i] * A[i][c] for i in range(len(A))):
            raise CertificateError(f"p[{c}] != (g + A^T lambda)[{c}]")
    for i, row in enumerate(A):
        s = _dot(row, p)
        if lam[i] < 0:
            raise CertificateError(f"lambda[{i}] = {lam[i]} is negative")
        if s < 0:
            raise CertificateError(f"(A p)[{i}] = {s} is negative: p is outside the cone")
        if lam[i] * s != 0:
            raise CertificateError(f"lambda[{i}] (A p)[{i}] = {lam[i] * s} != 0")
    if proj.sq_norm != sq_norm(p):
        raise CertificateError("sq_norm != ||p||^2")
    return True


def lambda_bound(A, g, lam):
    r"""The certified bound :math:`\|g+A^\top\lambda\|^2\ge\max_{u\in K,\|u\|\le1}(g^\top u)_+^2`.

    Examples
    --------
    >>> lambda_bound([[1, 0]], [-2, 1], [2])   # K = {u_1 >= 0}: max of g.u over the half-disc is 1
    Fraction(1, 1)
    """
    g = rational_vector(g, "g")
    A = _rows(A, len(g))
    lam = rational_vector(lam, "lambda")
    if any(a < 0 for a in lam):
        raise CertificateError("a multiplier is negative")
    return sq_norm([gi + sum(lam[i] * A[i][c] for i in range(len(A))) for c, gi in enumerate(g)])


def sq_norm(v):
    """:math:`\\|v\\|^2`, exactly."""
    return sum((a * a for a in v), Fraction(0))


def _rows(A, d):
    A = [list(r) for r in A]
    if not A:
        return []
    A = rational_matrix(A, "A")
    if len(A[0]) != d:
        raise InvalidDataError(f"g has {entries(d)} but A has {len(A[0])} columns")
    return A


def _dot(u, v):
    return sum((a * b for a, b in zip(u, v)), 0 * u[0] if u else Fraction(0))


def _proposed(A, g):
    """``(p, lambda, rows)``: ``(g, 0, [])`` when ``g`` is in the cone, else on the face a float
    solve proposes if the KKT conditions hold exactly, else ``None``; in the numbers given
    (Fractions, or ``fmpq`` from :func:`project_flint`)."""
    from .numeric.convex import projection_face

    zero = 0 * g[0] if g else Fraction(0)
    if all(_dot(row, g) >= 0 for row in A):
        return list(g), [zero] * len(A), []  # what Lawson-Hanson gives at once
    rows = projection_face(A, g)
    if not rows:
        return None
    z = _least_squares([A[i] for i in rows], g)
    if z is None or any(zi <= 0 for zi in z):
        return None
    lam = [zero] * len(A)
    for i, zi in zip(rows, z):
        lam[i] = zi
    p = [gi + sum((lam[i] * A[i][c] for i in rows), 0 * gi) for c, gi in enumerate(g)]
    if any(_dot(row, p) < 0 for row in A):
        return None
    return p, lam, rows


def _least_squares(rows, g):
    r"""The :math:`z` minimising :math:`\|g+\sum_iz_i\,\mathrm{rows}_i\|^2` (rows independent)."""
    k = len(rows)
    G = [[_dot(rows[i], rows[j]) for j in range(k)] for i in range(k)]
    b = [-_dot(rows[i], g) for i in range(k)]
    if isinstance(g[0], Fraction):
        return solve(G, b)
    from flint import fmpq_mat  # fmpq entries (project_flint)

    try:
        return fmpq_mat(G).solve(fmpq_mat([[v] for v in b])).entries()
    except ZeroDivisionError:  # dependent rows
        return None
