r"""Exact certificates that a quadratic form is bounded on a polyhedral cone (vector outputs).

The dual constraint of a vector-output network (``math/convex_duality.md`` §9.2) is, for every
region :math:`s` with :math:`B_s=\Lambda^\top D_sX` and :math:`K_s=\{u:A_su\ge0\}`,

.. math:: \max_{u\in K_s,\|u\|\le1}\|B_su\|^2\le\beta^2,

i.e. :math:`M=\beta^2I-B_s^\top B_s` is *copositive on* :math:`K_s` — a maximisation of a
positive semidefinite form over a cone, not a projection, and NP-hard in general. The
certificate used here is the S-lemma (Pólya/Diananda) inner approximation: a symmetric
:math:`N\ge0` with

.. math:: S=M-A_s^\top NA_s\succeq0,

because then :math:`u^\top Mu=u^\top Su+(A_su)^\top N(A_su)\ge0` on :math:`K_s`. It is exact for
simplicial cones of dimension at most 4 (Diananda 1962) and decided here in rational
arithmetic (:func:`is_positive_semidefinite`). When a block has no such certificate, the
callers fall back to a rigorous bracket; they never report a float.

The tight directions of a certified block are exactly the :math:`u\in K_s` with :math:`Su=0`
and :math:`(A_su)^\top N(A_su)=0` (both terms vanish at equality).
"""

from fractions import Fraction

from ..errors import InvalidDataError

__all__ = ["is_positive_semidefinite", "null_space", "gain_form", "cone_gain_certificate"]


def is_positive_semidefinite(M):
    r"""Whether the symmetric rational matrix ``M`` is positive semidefinite (exact).

    Symmetric Gaussian elimination: a negative pivot refutes; a zero pivot forces its row to
    vanish; a positive pivot is eliminated (Schur complement).

    Examples
    --------
    >>> is_positive_semidefinite([[1, 1], [1, 1]]), is_positive_semidefinite([[0, 1], [1, 0]])
    (True, False)
    """
    M = [[Fraction(a) for a in row] for row in M]
    if any(len(row) != len(M) for row in M) or any(M[i][j] != M[j][i] for i in range(len(M)) for j in range(i)):
        raise InvalidDataError("M must be a symmetric square matrix")
    while M:
        k = max(range(len(M)), key=lambda i: M[i][i])
        piv = M[k][k]
        if piv < 0:
            return False
        if piv == 0:
            return all(a == 0 for row in M for a in row)
        row = M[k]
        M = [[M[i][j] - M[i][k] * row[j] / piv for j in range(len(M)) if j != k] for i in range(len(M)) if i != k]
    return True


def null_space(M, d):
    """A rational basis (list of vectors) of ``{u in Q^d : M u = 0}`` (``M`` may have no rows)."""
    from flint import fmpq, fmpq_mat

    if not M:
        return [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
    R, rank = fmpq_mat([[fmpq(Fraction(a).numerator, Fraction(a).denominator) for a in row] for row in M]).rref()
    pivots = [next(c for c in range(d) if R[i, c] != 0) for i in range(rank)]
    basis = []
    for f in (c for c in range(d) if c not in pivots):
        v = [Fraction(0)] * d
        v[f] = Fraction(1)
        for i, c in enumerate(pivots):
            v[c] = -Fraction(int(R[i, f].p), int(R[i, f].q))
        basis.append(v)
    return basis


def gain_form(A, B, beta2, N=None):
    r""":math:`S=\beta^2I-B^\top B-A^\top NA`; ``N`` maps ``(i, j)``, ``i <= j``, to the coefficient
    of :math:`(Au)_i(Au)_j` in :math:`u^\top A^\top NAu` (so :math:`2N_{ij}` off the diagonal)."""
    d = len(B[0])
    S = [[(beta2 if r == c else 0) - sum(B[t][r] * B[t][c] for t in range(len(B))) for c in range(d)] for r in range(d)]
    for (i, j), v in (N or {}).items():
        for r in range(d):
            for c in range(d):
                S[r][c] -= v * (A[i][r] * A[i][c] if i == j else (A[i][r] * A[j][c] + A[j][r] * A[i][c]) / 2)
    return S


def cone_gain_certificate(A, B, beta2):
    r"""Multipliers ``N`` proving :math:`\max_{u\in K,\|u\|\le1}\|Bu\|^2\le\beta^2`, or ``None``.

    ``{}`` when :math:`\beta^2I-B^\top B\succeq0` already (the spectral bound); ``None`` at once
    when the float maximum over the faces (:func:`exact.numeric.extensions.max_gain`) already
    exceeds :math:`\beta^2` by a relative :math:`10^{-9}` (no certificate can exist; the float
    only saves the SDP); otherwise the SDP proposal of
    :func:`exact.numeric.extensions.copositive_multipliers`, rounded and checked exactly.

    Examples
    --------
    >>> cone_gain_certificate([[1, 0], [0, 1]], [[1, 1]], 2)   # ||(1,1)||^2 = 2: spectral
    {}
    >>> N = cone_gain_certificate([[1, 0], [0, 1]], [[1, 1]], 1)   # u >= 0: (u1+u2)^2 > u.u
    >>> N is None
    True
    """
    beta2 = Fraction(beta2)
    if is_positive_semidefinite(gain_form(A, B, beta2)):
        return {}
    from ..numeric.extensions import copositive_multipliers, max_gain

    if max_gain([[float(a) for a in r] for r in A], [[float(a) for a in r] for r in B])[0] > float(beta2) * (1 + 1e-9):
        return None
    Nf, t = copositive_multipliers(A, B, beta2)
    if t < -1e-9:
        return None
    for digits in (12, 9, 6):
        N = {}
        for i in range(len(A)):
            for j in range(i, len(A)):
                v = Fraction(float(Nf[i][j]) * (1 if i == j else 2)).limit_denominator(10**digits)
                if v > 0:
                    N[(i, j)] = v
        if is_positive_semidefinite(gain_form(A, B, beta2, N)):
            return N
    return None
