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

The negative answer is exact too: a rational :math:`u\in K_s` with :math:`\|B_su\|^2>\beta^2\|u\|^2`
(:func:`gain_violation`) proves that the block is infeasible and that no certificate exists.
Floats (:mod:`exact.numeric.extensions`) only propose: the SDP multipliers, the near-kernel of the
facial step and the violating point arrive as rationals and are checked here exactly.

The tight directions of a certified block are exactly the :math:`u\in K_s` with :math:`Su=0`
and :math:`(A_su)^\top N(A_su)=0` (both terms vanish at equality); :func:`tight_rays` lists them.
At a tight block :math:`S` must be singular, which rounding a float SDP solution never gives
exactly: the rounded :math:`N` is then moved exactly onto :math:`\{N:S(N)U=0\}` for the
rationalized near-kernel :math:`U` (a facial step) and re-checked.
"""

from fractions import Fraction
from itertools import combinations

from ..errors import InvalidDataError

__all__ = ["is_positive_semidefinite", "null_space", "gain_form", "gain_violation", "cone_gain_certificate", "tight_rays", "is_tight"]


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


def gain_violation(A, B, beta2):
    r"""An exact :math:`u\in K=\{u:Au\ge0\}` with :math:`\|Bu\|^2>\beta^2\|u\|^2`, or ``None``.

    Such a ``u`` is an exact negative certificate: :math:`\max_{u\in K,\|u\|\le1}\|Bu\|^2>\beta^2`,
    so the block is infeasible and no S-lemma certificate exists (it would give
    :math:`u^\top Mu\ge0`). The point is *proposed* in floats
    (:func:`exact.numeric.extensions.propose_gain_violation`: the face maximum, when it exceeds
    :math:`\beta^2` by a relative :math:`10^{-9}`, rounded, with the rows active at it); here it is
    moved exactly onto :math:`\{A_Fu=0\}` (the nearest point, :math:`F` the active rows, which
    rounding leaves only nearly zero) and decided in rationals. ``None`` means that no violation was
    *found*, not that none exists.

    Returns
    -------
    tuple of Fraction or None
        The violating point, scaled to largest absolute entry 1.

    Examples
    --------
    >>> gain_violation([[1, 0], [0, 1]], [[1, 1]], 1)   # u >= 0: (u1 + u2)^2 > |u|^2 at u = (1, 1)
    (Fraction(1, 1), Fraction(1, 1))
    >>> gain_violation([[1, 0], [0, 1]], [[1, 1]], 2) is None   # the maximum is exactly 2
    True
    """
    from ..numeric.extensions import propose_gain_violation
    from ..rational_linalg import solve

    beta2 = Fraction(beta2)
    proposal = propose_gain_violation(A, B, beta2)
    if proposal is None:
        return None
    u, active = proposal
    if active:
        basis = null_space([A[i] for i in active], len(u))
        gram = [[sum(a * b for a, b in zip(k1, k2)) for k2 in basis] for k1 in basis]
        x = solve(gram, [sum(a * b for a, b in zip(k, u)) for k in basis]) if basis else []
        u = tuple(sum((xi * k[j] for xi, k in zip(x, basis)), Fraction(0)) for j in range(len(u)))
    if not any(u) or any(sum(a * b for a, b in zip(row, u)) < 0 for row in A):
        return None
    Bu = [sum(a * b for a, b in zip(row, u)) for row in B]
    if sum(v * v for v in Bu) <= beta2 * sum(v * v for v in u):
        return None
    top = max(abs(a) for a in u)
    return tuple(a / top for a in u)


def cone_gain_certificate(A, B, beta2):
    r"""Multipliers ``N`` proving :math:`\max_{u\in K,\|u\|\le1}\|Bu\|^2\le\beta^2`, or ``None``.

    ``{}`` when :math:`\beta^2I-B^\top B\succeq0` already (the spectral bound); ``None`` at once
    when :func:`gain_violation` finds an exact violating point (then no certificate exists, proved
    exactly); otherwise the rational S-lemma multipliers proposed by the SDP of
    :func:`exact.numeric.extensions.propose_copositive_multipliers`, each checked exactly, then
    the facial step. ``None`` without a violating point means *no certificate found*: the callers
    treat it as undecided (another dual point, or a bracket), never as infeasibility.

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
    if gain_violation(A, B, beta2) is not None:
        return None
    from ..numeric.extensions import propose_copositive_multipliers

    proposals = propose_copositive_multipliers(A, B, beta2)
    for N in proposals:
        if is_positive_semidefinite(gain_form(A, B, beta2, N)):
            return N
    return _facial_certificate(A, B, beta2, proposals[-1]) if proposals else None


def _facial_certificate(A, B, beta2, N0):
    r"""The rounded multipliers ``N0`` moved exactly onto :math:`\{N:S(N)U=0\}`, ``U`` the
    (rationalized) near-kernel of the float :math:`S`: at a tight region :math:`S` must be singular,
    which rounding alone never achieves. Among the solutions on the support of ``N0``, the one
    nearest ``N0``; accepted only if it is :math:`\ge0` with :math:`S\succeq0` (exact)."""
    from ..numeric.extensions import rational_near_kernel
    from ..rational_linalg import solve

    if not N0:
        return None
    d = len(B[0])
    U = rational_near_kernel(gain_form(A, B, beta2, N0))
    if not U:
        return None
    keys = sorted(N0)
    S0 = gain_form(A, B, beta2)
    cols = []  # per multiplier: the stacked vectors G_e u, with S(N) = S0 - sum_e N_e G_e
    for e in keys:
        Ge = gain_form(A, [[0] * d], 0, {e: Fraction(1)})
        cols.append([-sum(Ge[r][c] * u[c] for c in range(d)) for u in U for r in range(d)])
    rhs = [sum(S0[r][c] * u[c] for c in range(d)) for u in U for r in range(d)]
    # solutions (n, tau) of L n - tau rhs = 0 with tau = 1, nearest N0 on the affine set
    basis = null_space([[col[i] for col in cols] + [-rhs[i]] for i in range(len(rhs))], len(keys) + 1)
    base = next((v for v in basis if v[-1] != 0), None)
    if base is None:
        return None
    base = [a / base[-1] for a in base[:-1]]
    dirs = [[a - v[-1] * b for a, b in zip(v[:-1], base)] for v in basis if v is not base]
    dirs = [v for v in dirs if any(v)]
    n0 = [N0[e] - b for e, b in zip(keys, base)]
    if dirs:
        G = [[sum(a * b for a, b in zip(u, v)) for v in dirs] for u in dirs]
        x = solve(G, [sum(a * b for a, b in zip(u, n0)) for u in dirs]) or [Fraction(0)] * len(dirs)
        base = [b + sum(xi * v[i] for xi, v in zip(x, dirs)) for i, b in enumerate(base)]
    N = {e: v for e, v in zip(keys, base) if v != 0}
    if any(v < 0 for v in N.values()) or not is_positive_semidefinite(gain_form(A, B, beta2, N)):
        return None
    return N


def tight_rays(A, B, beta2, N):
    r"""The tight set of a certified region, exactly: ``(rays, continuum)``.

    With a certificate (:math:`S=\beta^2I-B^\top B-A^\top NA\succeq0`, :math:`N\ge0`), a
    non-zero :math:`u\in K=\{Au\ge0\}` has :math:`\|Bu\|=\beta\|u\|` iff :math:`Su=0` and
    :math:`(Au)_i(Au)_j=0` for every :math:`N_{ij}>0` (both terms of
    :math:`u^\top Mu=u^\top Su+(Au)^\top N(Au)` vanish). So the tight set is the union of the
    pointed cones :math:`P_C=\{u\in K\cap\ker S:(Au)_i=0,\ i\in C\}` over the vertex covers
    :math:`C` of the graph of :math:`N` (pointed: :math:`B` vanishes on :math:`\ker A`). Their
    extreme rays are the one-dimensional :math:`\ker S\cap\{(Au)_i=0,\ i\in E\}` that are
    tight; two of them span a tight two-dimensional cone (a *continuum*) iff their common zero
    rows still cover the graph.

    Returns
    -------
    rays : list of rational vectors (canonical: largest absolute entry 1)
    continuum : bool
        Whether some :math:`P_C` has dimension two or more (infinitely many tight directions).

    Examples
    --------
    >>> tight_rays([[1, 0], [0, 1]], [[1, 1]], 2, {})   # u >= 0, ||(1, 1).u||^2 <= 2 ||u||^2
    ([(Fraction(1, 1), Fraction(1, 1))], False)
    >>> tight_rays([[1, 0], [0, 1]], [[1, 0], [0, 1]], 1, {})[1]   # every u >= 0 is tight
    True
    """
    d = len(B[0])
    S = gain_form(A, B, beta2, N)
    kernel = null_space(S, d)
    found = {}
    for size in range(len(kernel)):
        for E in combinations(range(len(A)), size):
            F = null_space(S + [A[i] for i in E], d) if E else kernel
            if len(F) != 1:
                continue
            for p in (F[0], [-a for a in F[0]]):
                if is_tight(A, B, beta2, N, p):
                    top = max(abs(a) for a in p)
                    found.setdefault(tuple(a / top for a in p), None)
    rays = sorted(found)
    zeros = [{i for i, row in enumerate(A) if sum(a * b for a, b in zip(row, p)) == 0} for p in rays]
    continuum = any(all(i in za & zb or j in za & zb for i, j in N) for za, zb in combinations(zeros, 2))
    return rays, continuum


def is_tight(A, B, beta2, N, p):
    """Whether ``p != 0`` is tight: in the cone, the S-lemma terms zero, ``||Bp||^2 = beta^2 ||p||^2``."""
    Ap = [sum(a * b for a, b in zip(row, p)) for row in A]
    if not any(p) or any(v < 0 for v in Ap) or any(Ap[i] * Ap[j] for (i, j) in N):
        return False
    Bp = [sum(a * b for a, b in zip(row, p)) for row in B]
    return sum(v * v for v in Bp) == beta2 * sum(v * v for v in p)
