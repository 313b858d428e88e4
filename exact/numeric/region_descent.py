r"""Projected gradient descent of :math:`F_\beta` inside closed activation regions, batched (floats).

On a closed region :math:`\bar C_A=\prod_j\{(w_j,a_j):w_j\in K_{S_j},\ s_ja_j\ge0\}`
(``math/benignity_and_relaxation.md`` Def 2.1) the objective is the quartic polynomial

.. math:: F_A(W,a)=\tfrac12\Big\|\sum_ja_jD_jXw_j-y\Big\|^2+\tfrac\beta2\sum_j(\|w_j\|^2+a_j^2),

and by hidden convexity (Lemma 2.3) every local minimizer of :math:`F_\beta` on
:math:`\bar C_A` attains the region's cone program :math:`\mathrm{CP}(A)`. This module is the
float twin of that statement: gradient steps on :math:`F_A`, each followed by the Euclidean
projection onto :math:`\bar C_A` — the sign clip :math:`s_ja_j\ge0`, and for :math:`w_j` the
projection onto the polyhedral cone :math:`K_{S_j}=\{w:(2D_j-I)Xw\ge0\}` by Dykstra's
alternating projections onto its half-spaces. Starts are drawn inside each open cone (its
witness direction plus Gaussian noise of relative size ``spread``, scaled to norm
:math:`\alpha`), balanced with :math:`a_j=s_j\|w_j\|`. Its results are never evidence: the
exact values come from :mod:`exact.region_census`.
"""

import numpy as np

from ..errors import InvalidDataError
from .backend import float_data

__all__ = ["region_descent"]


def region_descent(X, y, beta, patterns, signs, witnesses, *, alpha=1.0, spread=0.5, lr=None, steps=4000, seed=0, sweeps=12):
    r"""Run projected gradient descent in ``B`` closed regions at once; return the final values.

    Parameters
    ----------
    X, y, beta
        The data (floats, or exact numbers converted here).
    patterns : array-like, shape (B, m, n)
        The 0/1 patterns :math:`D_j` of the neurons of each region.
    signs : array-like, shape (B, m)
        The output signs :math:`s_j=\pm1`.
    witnesses : array-like, shape (B, m, d)
        Interior points of the open cones (e.g. the exact witnesses of the patterns).
    alpha : float
        The initialization scale :math:`\|w_j\|=\alpha` (large-initialization regime).
    spread : float
        Relative size of the Gaussian perturbation of the witness direction.
    lr : float, optional
        The step; default :math:`1/(\|X\|_2^2(1+2m\alpha^2)+\beta+\|X\|_2\|y\|)`.
    steps : int
    seed : int
    sweeps : int
        Dykstra sweeps per projection.

    Returns
    -------
    dict
        ``values`` (B,) :math:`F_A` at the end, ``W`` (B, m, d), ``a`` (B, m), ``infeasibility``
        (B,) the largest :math:`\max(0,-(2D_j-I)_kx_k^\top w_j)` at the end.

    Raises
    ------
    InvalidDataError
        On shapes that disagree, or a non-positive ``alpha``, ``lr`` or ``steps``.

    Examples
    --------
    Orthonormal rows, :math:`y=(1,0)`, :math:`\beta=\tfrac12`, one neuron on the pattern
    :math:`\{0\}` with sign :math:`+`: :math:`\mathrm{CP}=h_\beta(1)=\tfrac38`.

    >>> out = region_descent([[1, 0], [0, 1]], [1, 0], 0.5, [[[1, 0]]], [[1]], [[[1, -1]]], steps=3000)
    >>> round(float(out["values"][0]), 6)
    0.375
    """
    X, y, beta = float_data(X, y, beta)
    n, d = X.shape
    D = np.asarray(patterns, dtype=np.float64)
    S = np.asarray(signs, dtype=np.float64)
    H = np.asarray(witnesses, dtype=np.float64)
    if D.ndim != 3 or D.shape[2] != n or S.shape != D.shape[:2] or H.shape != D.shape[:2] + (d,):
        raise InvalidDataError(f"patterns {D.shape}, signs {S.shape}, witnesses {H.shape} do not fit (B, m, n = {n}, d = {d})")
    if not alpha > 0 or steps < 1:
        raise InvalidDataError(f"alpha = {alpha} and steps = {steps} must be positive")
    B, m, _ = D.shape
    rng = np.random.default_rng(seed)
    C = (2 * D - 1)[..., None] * X[None, None]  # (B, m, n, d): the cone rows
    norms = np.maximum(np.einsum("bmkd,bmkd->bmk", C, C), 1e-300)
    live = (np.abs(X).sum(axis=1) > 0)[None, None, :] * np.ones((B, m, 1))
    hn = H / np.maximum(np.linalg.norm(H, axis=-1, keepdims=True), 1e-300)
    W = hn + spread * rng.standard_normal(H.shape)
    W = _project(W, C, norms, live, sweeps)
    W = alpha * W / np.maximum(np.linalg.norm(W, axis=-1, keepdims=True), 1e-300)
    a = S * np.linalg.norm(W, axis=-1)
    if lr is None:
        op = np.linalg.norm(X, 2)
        lr = 1.0 / (op**2 * (1 + 2 * m * alpha**2) + beta + op * np.linalg.norm(y))
    if not lr > 0:
        raise InvalidDataError(f"lr = {lr} must be > 0")
    for _ in range(steps):
        act = D * np.einsum("bmd,nd->bmn", W, X)
        r = np.einsum("bm,bmn->bn", a, act) - y
        ga = np.einsum("bmn,bn->bm", act, r) + beta * a
        gW = a[..., None] * np.einsum("bmn,nd->bmd", D * r[:, None, :], X) + beta * W
        W = _project(W - lr * gW, C, norms, live, sweeps)
        a = S * np.maximum(S * (a - lr * ga), 0)
    act = D * np.einsum("bmd,nd->bmn", W, X)
    r = np.einsum("bm,bmn->bn", a, act) - y
    values = 0.5 * np.einsum("bn,bn->b", r, r) + 0.5 * beta * (np.einsum("bmd,bmd->b", W, W) + np.einsum("bm,bm->b", a, a))
    slack = np.einsum("bmkd,bmd->bmk", C, W) * live
    return {"values": values, "W": W, "a": a, "infeasibility": np.maximum(-slack, 0).max(axis=(1, 2))}


def _project(V, C, norms, live, sweeps):
    """Dykstra's projection of every ``V[b, j]`` onto the cone ``{w : C[b, j, k] . w >= 0}``."""
    x = V.copy()
    inc = np.zeros(C.shape)
    for _ in range(sweeps):
        for k in range(C.shape[2]):
            z = x + inc[:, :, k]
            t = np.minimum(np.einsum("bmd,bmd->bm", C[:, :, k], z), 0) * live[:, :, k] / norms[:, :, k]
            x = z - t[..., None] * C[:, :, k]
            inc[:, :, k] = z - x
    return x
