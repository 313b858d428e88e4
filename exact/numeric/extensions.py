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

Everything here only *proposes*; :mod:`exact.extensions` proves.
"""

from itertools import combinations

import numpy as np

from ..errors import ReluscapeError

__all__ = ["solve_group_lasso", "train_vector", "vector_loss", "max_gain", "copositive_multipliers", "near_kernel"]


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


def _null_space(M, rtol=1e-12):
    _, s, Vt = np.linalg.svd(np.atleast_2d(M))
    rank = int(np.sum(s > rtol * max(1.0, s.max() if s.size else 1.0)))
    return Vt[rank:].T
