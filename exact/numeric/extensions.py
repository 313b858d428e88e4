r"""Float proposals for the extensions (``math/convex_duality.md`` §9): vector outputs and
cone-constrained group lasso.

* :func:`solve_group_lasso`: :math:`\min\tfrac12\|\sum_bA_bz_b-y\|^2+\beta\sum_b\|z_b\|` with
  :math:`G_bz_b\ge0` (KMP eq. (7), §9.1), by cvxpy + Clarabel.
* :func:`train_vector`: the vector-output network
  :math:`F=\tfrac12\|\sum_j(Xw_j)_+a_j^\top-Y\|_F^2+\tfrac\beta2\sum_j(\|w_j\|^2+\|a_j\|^2)`
  (§9.2) by L-BFGS from several random starts (:math:`\sigma'(0)=0` at kinks).
* :func:`max_gain`: :math:`\max_{u\in K,\|u\|\le1}\|Bu\|^2` over a polyhedral cone
  :math:`K=\{Au\ge0\}`: the maximiser lies in the relative interior of a face :math:`F` and is a
  top eigenvector of :math:`Q=B^\top B` compressed to :math:`\mathrm{span}\,F`, so the maximum
  is the largest top eigenvalue over faces whose top eigenvector lies in :math:`K` (faces are
  cut by at most :math:`d-1` rows here, which covers every face when the rows are in general
  position).
* :func:`copositive_multipliers`: :math:`N\ge0` making :math:`tI-Q-A^\top NA\succeq0` with
  :math:`t` least (an SDP), the proposal of the S-lemma certificate of the exact side.

Everything here only *proposes*; :mod:`exact.extensions` proves. The ``propose_*`` functions
and :func:`rational_near_kernel` are the gate: they take the exact data (ints, ``Fraction``),
run the float computation and hand back rationals only (:func:`~.relaxation.rationalize`),
which the exact side then checks; no float crosses into :mod:`exact.extensions`.
"""

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np

from ..errors import ReluscapeError
from .relaxation import rationalize

__all__ = [
    "solve_group_lasso",
    "train_vector",
    "vector_loss",
    "max_gain",
    "copositive_multipliers",
    "near_kernel",
    "GroupLassoProposal",
    "propose_group_lasso",
    "VectorProposal",
    "propose_vector",
    "propose_gain_violation",
    "proposed_max_gain",
    "propose_copositive_multipliers",
    "rational_near_kernel",
]


def solve_group_lasso(A, G, y, beta, *, tol=1e-10):
    r"""Solve the cone-constrained group lasso; return ``(z, nu, value)``.

    ``A[b]`` is n×k_b, ``G[b]`` has k_b columns (``z_b`` must satisfy ``G[b] z_b >= 0``).

    Examples
    --------
    >>> z, nu, value = solve_group_lasso([[[1.0]]], [[[1.0]]], [2.0], 1.0)
    >>> round(value, 8), [round(float(v), 6) for v in nu]
    (1.5, [1.0])
    """
    import cvxpy as cp

    y = np.asarray(y, dtype=float)
    zs = [cp.Variable(np.asarray(Ab).shape[1]) for Ab in A]
    fit = sum((np.asarray(Ab, dtype=float) @ z for Ab, z in zip(A, zs)), np.zeros(len(y)))
    cons = [np.asarray(Gb, dtype=float) @ z >= 0 for Gb, z in zip(G, zs) if len(Gb)]
    obj = 0.5 * cp.sum_squares(fit - y) + beta * sum((cp.norm(z, 2) for z in zs), 0)
    prob = cp.Problem(cp.Minimize(obj), cons)
    prob.solve(solver="CLARABEL", tol_gap_abs=tol, tol_gap_rel=tol, tol_feas=tol)
    if prob.status not in ("optimal", "optimal_inaccurate"):
        raise ReluscapeError(f"Clarabel did not solve the group lasso: {prob.status}")
    z = [np.asarray(v.value, dtype=float) for v in zs]
    nu = y - sum((np.asarray(Ab, dtype=float) @ v for Ab, v in zip(A, z)), np.zeros(len(y)))
    return z, nu, float(prob.value)


def vector_loss(X, Y, beta, W, A):
    """The objective ``F`` of the vector-output network with rows ``w_j`` of ``W`` and ``a_j`` of ``A``."""
    X, Y, W, A = (np.asarray(v, dtype=float) for v in (X, Y, W, A))
    R = np.maximum(X @ W.T, 0) @ A - Y
    return 0.5 * float(np.sum(R * R)) + 0.5 * beta * float(np.sum(W * W) + np.sum(A * A))


def train_vector(X, Y, beta, m, *, starts=8, seed=0, scale=1.0):
    r"""The best of ``starts`` L-BFGS runs of the width-``m`` vector network; ``(W, A, F)``.

    Examples
    --------
    >>> W, A, F = train_vector([[1.0, 0.0], [0.0, 1.0]], [[2.0, 0.0], [0.0, 0.0]], 1.0, 2)
    >>> round(F, 6)
    1.5
    """
    from scipy.optimize import minimize

    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    (n, d), c = X.shape, Y.shape[1]

    def fg(theta):
        W, A = theta[: m * d].reshape(m, d), theta[m * d :].reshape(m, c)
        Z = X @ W.T
        H = np.maximum(Z, 0)
        R = H @ A - Y
        gA = H.T @ R + beta * A
        gW = ((R @ A.T) * (Z > 0)).T @ X + beta * W
        F = 0.5 * np.sum(R * R) + 0.5 * beta * (np.sum(W * W) + np.sum(A * A))
        return F, np.concatenate([gW.ravel(), gA.ravel()])

    rng = np.random.default_rng(seed)
    best = None
    for _ in range(starts):
        theta0 = scale * rng.standard_normal(m * (d + c))
        res = minimize(fg, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 20000, "ftol": 1e-16, "gtol": 1e-13})
        if best is None or res.fun < best.fun:
            best = res
    W, A = best.x[: m * d].reshape(m, d), best.x[m * d :].reshape(m, c)
    return W, A, float(best.fun)


def max_gain(A, B):
    r"""Float :math:`\max_{u\in K,\|u\|\le1}\|Bu\|^2` for :math:`K=\{u:Au\ge0\}`, and a maximiser.

    Examples
    --------
    >>> value, u = max_gain([[1.0, 0.0]], [[0.0, 1.0], [0.0, 0.0]])   # half-plane u_1 >= 0
    >>> round(value, 12), [abs(round(float(c), 6)) for c in u]
    (1.0, [0.0, 1.0])
    """
    A, B = np.atleast_2d(np.asarray(A, dtype=float)), np.atleast_2d(np.asarray(B, dtype=float))
    d = B.shape[1]
    Q = B.T @ B
    rows = [i for i in range(A.shape[0]) if np.any(A[i])] if A.size else []
    best, arg = 0.0, np.zeros(d)
    scale = max(1.0, float(np.abs(A).max()) if A.size else 1.0)
    for k in range(0, min(len(rows), d - 1) + 1):
        for F in combinations(rows, k):
            Z = _null_space(A[list(F)]) if F else np.eye(d)
            if Z.shape[1] == 0:
                continue
            vals, vecs = np.linalg.eigh(Z.T @ Q @ Z)
            v = Z @ vecs[:, -1]
            for u in (v, -v):
                if not rows or np.all(A[rows] @ u >= -1e-10 * scale):
                    if vals[-1] > best:
                        best, arg = float(vals[-1]), u
    return best, arg


def copositive_multipliers(A, B, beta2):
    r"""Propose :math:`N\ge0` (symmetric) with :math:`\beta^2I-B^\top B-A^\top NA\succeq0`.

    Maximises the least eigenvalue ``t`` of :math:`\beta^2I-B^\top B-A^\top NA` by an SDP
    (Clarabel); returns ``(N, t)``. For :math:`u\in\{Au\ge0\}`,
    :math:`\|Bu\|^2\le\beta^2\|u\|^2-t\|u\|^2` when ``t >= 0``.
    """
    import cvxpy as cp

    A, B = np.atleast_2d(np.asarray(A, dtype=float)), np.atleast_2d(np.asarray(B, dtype=float))
    m, d = A.shape
    N = cp.Variable((m, m), symmetric=True)
    t = cp.Variable()
    S = beta2 * np.eye(d) - B.T @ B - A.T @ N @ A - t * np.eye(d)
    prob = cp.Problem(cp.Maximize(t), [(S + S.T) / 2 >> 0, N >= 0, t <= beta2])
    prob.solve(solver="CLARABEL")
    if N.value is None:
        raise ReluscapeError(f"the copositivity SDP failed: {prob.status}")
    return np.maximum((N.value + N.value.T) / 2, 0), float(t.value)


def near_kernel(S, *, rtol=1e-7):
    r"""A basis of the eigenvectors of the symmetric ``S`` with eigenvalue below ``rtol`` times the
    largest, in reduced row echelon form (rows), so that a rational kernel comes out with small
    denominators; the proposal of the facial step of the S-lemma certificate.

    Examples
    --------
    >>> near_kernel([[1.0, 1.0], [1.0, 1.0]]).round(12).tolist()
    [[1.0, -1.0]]
    """
    S = np.asarray(S, dtype=float)
    vals, vecs = np.linalg.eigh((S + S.T) / 2)
    Z = vecs[:, vals <= rtol * max(1.0, float(np.abs(vals).max()))].T
    for i in range(Z.shape[0]):  # Gauss-Jordan on the rows, largest pivots first
        col = int(np.argmax(np.abs(Z[i]) * (np.abs(Z[i]) > 1e-9)))
        Z[i] = Z[i] / Z[i, col]
        for j in range(Z.shape[0]):
            if j != i:
                Z[j] = Z[j] - Z[j, col] * Z[i]
    return Z


@dataclass(frozen=True)
class GroupLassoProposal:
    r"""Rationals from one float solve of the group lasso (:func:`propose_group_lasso`).

    ``duals``: :math:`\nu=y-\sum_bA_bz_b` rounded to denominators :math:`10^2,10^3,10^4,10^6,10^8`
    (candidates for the exact optimum, simplest first); ``dual``: :math:`\nu` to :math:`10^9`
    (the dual point of a bracket, before scaling); ``primal``: ``(b, z_b)`` to :math:`10^9` for
    every block the solver did not set to zero (:math:`|z_{b,i}|\le10^{-12}` for all ``i``).
    """

    duals: tuple
    dual: tuple
    primal: tuple


def propose_group_lasso(A, G, y, beta):
    r"""Rational proposals for the exact group lasso: :func:`solve_group_lasso`, rationalized.

    Takes the exact blocks (``A[b]``, ``G[b]``), labels and :math:`\beta` (ints or ``Fraction``).

    Examples
    --------
    >>> prop = propose_group_lasso([[[1]]], [[[1]]], [2], 1)
    >>> prop.duals[0], prop.primal
    ((Fraction(1, 1),), ((0, (Fraction(1, 1),)),))
    """
    z, nu, _ = solve_group_lasso([_floats(Ab) for Ab in A], [_floats(Gb) for Gb in G], _floats(y), float(beta))
    return GroupLassoProposal(
        tuple(tuple(rationalize(nu, 10**k)) for k in (2, 3, 4, 6, 8)),
        tuple(rationalize(nu, 10**9)),
        tuple((b, tuple(rationalize(zb, 10**9))) for b, zb in enumerate(z) if np.any(np.abs(zb) > 1e-12)),
    )


@dataclass(frozen=True)
class VectorProposal:
    r"""Rationals from the float training of a vector-output network (:func:`propose_vector`).

    ``duals``: :math:`\Lambda=Y-\sum_j(Xw_j)_+a_j^\top` rounded to denominators
    :math:`10^2,10^3,10^4,10^6` (candidates for :math:`\Lambda^*`, simplest first); ``dual``:
    :math:`\Lambda` to :math:`10^8` (a bracket's dual point, before scaling); ``W``, ``A``: the
    rows :math:`w_j`, :math:`a_j` to :math:`10^8` (a bracket's network, and the float neurons
    that propose tight directions).
    """

    duals: tuple
    dual: tuple
    W: tuple
    A: tuple


def propose_vector(X, Y, beta, m, *, starts=8, seed=0):
    r"""Rational proposals for the exact vector optimum: the best of ``starts`` runs of
    :func:`train_vector` at width ``m``, its residual :math:`\Lambda` and weights rationalized.

    Examples
    --------
    >>> prop = propose_vector([[1, 0], [0, 1]], [[2, 0], [0, 0]], 1, 2)
    >>> prop.duals[0]
    ((Fraction(1, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(0, 1)))
    """
    Xf, Yf = _floats(X), _floats(Y)
    W, A, _ = train_vector(Xf, Yf, float(beta), m, starts=starts, seed=seed)
    lam = Yf - np.maximum(Xf @ W.T, 0) @ A

    def rows(M, k):
        return tuple(tuple(r) for r in rationalize(M, 10**k))

    return VectorProposal(tuple(rows(lam, k) for k in (2, 3, 4, 6)), rows(lam, 8), rows(W, 8), rows(A, 8))


def propose_gain_violation(A, B, beta2, *, rtol=1e-9):
    r"""A rational candidate :math:`u\in K=\{Au\ge0\}` with :math:`\|Bu\|^2>\beta^2\|u\|^2`,
    with the rows of ``A`` active at it, or ``None``.

    Proposed only when the float maximum of :func:`max_gain` exceeds :math:`\beta^2(1+\mathrm{rtol})`:
    the maximiser (unit norm) rounded to denominators :math:`10^{12}`, and the indices ``i`` with
    :math:`|A_iu|\le10^{-9}\max(1,\max|A|)` (the face it lies on), which rounding leaves only
    nearly satisfied. :func:`exact.extensions.copositivity.gain_violation` restores the face and
    decides.

    Examples
    --------
    >>> u, active = propose_gain_violation([[1, 0], [0, 1]], [[1, 1]], 1)   # u >= 0: max 2 at (1, 1)
    >>> u[0] == u[1] > 0, active
    (True, ())
    >>> u, active = propose_gain_violation([[1, 0], [0, 1]], [[1, 0]], 0.5)   # max 1 on the face u2 = 0
    >>> u[1], active
    (Fraction(0, 1), (1,))
    >>> propose_gain_violation([[1, 0], [0, 1]], [[1, 1]], 2) is None
    True
    """
    Af, Bf = _floats(A), _floats(B)
    value, u = max_gain(Af, Bf)
    if value <= float(beta2) * (1 + rtol) or not np.any(u):
        return None
    scale = max(1.0, float(np.abs(Af).max()) if Af.size else 1.0)
    active = tuple(i for i in range(Af.shape[0]) if abs(float(Af[i] @ u)) <= 1e-9 * scale) if Af.size else ()
    return tuple(rationalize(u, 10**12)), active


def proposed_max_gain(A, B):
    r"""The float :func:`max_gain` value as the exact binary ``Fraction`` of the float: a
    proposal only (e.g. how far to scale a dual point), never a bound.

    Examples
    --------
    >>> proposed_max_gain([[1, 0]], [[0, 1], [0, 0]])
    Fraction(1, 1)
    """
    return Fraction(max_gain(_floats(A), _floats(B))[0])


def propose_copositive_multipliers(A, B, beta2):
    r"""Rational S-lemma multipliers proposed by :func:`copositive_multipliers`, as dicts
    ``(i, j) -> coefficient of (Au)_i (Au)_j`` (:math:`2N_{ij}` off the diagonal, zeros dropped),
    rounded to denominators :math:`10^{12},10^9,10^6`.

    Empty when the SDP's least eigenvalue is :math:`t<-10^{-7}\max(1,\beta^2)`: then no
    multiplier makes :math:`S\succeq0` up to the solver's accuracy, and there is nothing to
    propose (the exact side reports *no certificate found*, not *none exists*).

    Examples
    --------
    >>> propose_copositive_multipliers([[1, 0], [0, 1]], [[1, 1]], 1)   # u >= 0: (u1+u2)^2 > u.u
    []
    """
    Nf, t = copositive_multipliers(_floats(A), _floats(B), float(beta2))
    if t < -1e-7 * max(1.0, float(beta2)):
        return []
    m = Nf.shape[0]
    out = []
    for digits in (12, 9, 6):
        N = {}
        for i in range(m):
            for j in range(i, m):
                v = Fraction(float(Nf[i][j]) * (1 if i == j else 2)).limit_denominator(10**digits)
                if v > 0:
                    N[(i, j)] = v
        out.append(N)
    return out


def rational_near_kernel(S, *, max_denominator=10**6):
    r"""The rows of :func:`near_kernel` of the exact symmetric ``S``, rationalized (the facial
    step's proposal: a rational basis of what should be :math:`\ker S`).

    Examples
    --------
    >>> rational_near_kernel([[1, 1], [1, 1]])
    [[Fraction(1, 1), Fraction(-1, 1)]]
    """
    return [rationalize(row, max_denominator) for row in near_kernel(_floats(S))]


def _floats(M):
    """Exact entries (ints, ``Fraction``) as a float array: the entry of the proposal gate."""
    return np.asarray(M, dtype=float)


def _null_space(M, rtol=1e-12):
    _, s, Vt = np.linalg.svd(np.atleast_2d(M))
    rank = int(np.sum(s > rtol * max(1.0, s.max() if s.size else 1.0)))
    return Vt[rank:].T
