r"""The convex problem on fixed atoms, written in the weights :math:`\kappa` alone, solved in floats.

On atoms :math:`b=1..m` with fixed faces (matrices :math:`V_b=M_bQ_b`, ``exact.optimality``),
the group lasso :math:`\min_u\frac12\|y-\sum_bV_bu_b\|^2+\beta\sum_b\|u_b\|` is, with
:math:`\beta\|u\|=\min_{\kappa>0}\big(\|u\|^2/(2\kappa)+\beta^2\kappa/2\big)` and :math:`u` eliminated,

.. math:: \min_{\kappa\ge0}\ \tfrac12\Phi(\kappa),\qquad
          \Phi(\kappa)=y^\top H(\kappa)^{-1}y+\beta^2\sum_b\kappa_b,\qquad H(\kappa)=I+\sum_b\kappa_bV_bV_b^\top,

a smooth convex problem with simple bounds (the matrix-fractional function is convex). Its
solution gives :math:`\nu=H^{-1}y`, :math:`u_b=\kappa_bV_b^\top\nu`, and

.. math:: \partial_b\Phi=\beta^2-\|V_b^\top\nu\|^2,\qquad
          \partial_b\partial_c\Phi=2g_b^\top H^{-1}g_c\quad(g_b=V_bV_b^\top\nu),

so the optimality conditions are those of the reduced system (:math:`\|z_b\|=\beta` where
:math:`\kappa_b>0`, :math:`\|z_b\|\le\beta` where :math:`\kappa_b=0`) and the support is decided by
a convex problem instead of by trial. With a free linear term :math:`Xw` (skip connection),
:math:`H^{-1}` becomes the projected inverse :math:`\Pi=H^{-1}-H^{-1}X(X^\top H^{-1}X)^{-1}X^\top H^{-1}`
(the bordered system ``[[H, X], [X^T, 0]]``), with the same formulas.

A proposal for the exact side (:mod:`exact.optimum`), which proves what it uses.
"""

import numpy as np

__all__ = ["optimal_weights"]


def optimal_weights(V, y, beta, *, norms=None, free=None, rtol=1e-12, max_steps=500, centring=30):
    r"""Minimize :math:`\Phi(\kappa)` over :math:`\kappa\ge0` by a primal barrier (interior point) method.

    Newton's method on :math:`\Phi(\kappa)-\mu\sum_b\log\kappa_b`, whose Hessian
    :math:`\nabla^2\Phi+\mu\,\mathrm{diag}(\kappa)^{-2}` is positive definite even where
    :math:`\nabla^2\Phi` is singular (more atoms than the fit needs: the optimal weights are not
    unique, :math:`\nu` is), with :math:`\mu\to0` tenfold once the Newton decrement is small
    (:math:`\lambda^2\le0.1\,\mu m`; :math:`10^{-3}\mu m` at the last :math:`\mu`: at n = 1000 the
    tight bound on the way took twice the steps, 117 against 58, for the same :math:`\nu` within
    4e-9 of a solve to :math:`\mu=10^{-15}`). On
    the central path :math:`\kappa_b\,\partial_b\Phi=\mu`: :math:`\kappa` tends to a point in the
    relative interior of the optimal weights, so its support is every atom some optimum uses,
    and those are the atoms with :math:`\kappa_b>|\partial_b\Phi|`.

    Parameters
    ----------
    V : sequence of arrays, shape (n, d_b)
        The atoms' matrices :math:`V_b` (anything ``float()`` accepts).
    y : array-like, shape (n,)
    beta : float
    norms : array-like, shape (m,), optional
        A proposal's :math:`\|u_b\|`: the start is :math:`\kappa_b=\|u_b\|/\beta` (at least
        :math:`10^{-3}`; default all ones).
    free : array-like, shape (n, p), optional
        Columns with free coefficients (the linear term).
    rtol : float
        The final :math:`\mu` relative to :math:`\beta^2`.
    max_steps, centring : int
        Newton steps in all, and for one :math:`\mu` (beyond them float rounding is all that is left).

    Returns
    -------
    (kappa, nu, support): the weights, :math:`\nu=\Pi y` at them, and the indices of the atoms
    proposed as used (:math:`\kappa_b>|\partial_b\Phi|`).

    Examples
    --------
    One atom :math:`V=e_1` and :math:`y=(2,0)`, :math:`\beta=1`: :math:`\nu_1=2/(1+\kappa)`, tight at
    :math:`\kappa=1`; a second atom :math:`e_2` sees :math:`\nu_2=0` and is not used; a third,
    :math:`2e_1`, fits the same column at half the penalty and replaces the first
    (:math:`\nu_1=1/2`, :math:`\|V_3^\top\nu\|=\beta`).

    >>> k, nu, used = optimal_weights([[[1], [0]], [[0], [1]]], [2, 0], 1)
    >>> np.round(k, 6).tolist(), np.round(nu, 6).tolist(), used.tolist()
    ([1.0, 0.0], [1.0, 0.0], [0])
    >>> k, nu, used = optimal_weights([[[1], [0]], [[0], [1]], [[2], [0]]], [2, 0], 1)
    >>> np.round(nu, 6).tolist(), used.tolist()
    ([0.5, 0.0], [2])
    """
    problem = _Weights(V, y, beta, free)
    m, b2 = problem.m, problem.b2
    kap = np.ones(m) if norms is None else np.maximum(np.array([float(a) for a in norms]) / np.sqrt(b2), 1e-3)
    nu, sq, G, T, K = problem.at(kap)
    grad = b2 - sq
    mu = max(float(np.median(kap * np.abs(grad))), rtol * b2) if m else 0.0
    since = 0
    for _ in range(max_steps if m else 0):
        since += 1
        g = grad - mu / kap
        H = problem.hessian(G, K) + np.diag(mu / kap**2)
        step = -np.linalg.solve(H, g)
        decrement = float(-g @ step)
        if decrement <= (1e-3 if mu <= rtol * b2 else 1e-1) * mu * m or since > centring:  # centred: the next mu
            if mu <= rtol * b2:
                break
            mu, since = mu / 10, 0
            continue
        neg = step < 0
        t = min(1.0, 0.99 * float((kap[neg] / -step[neg]).min(initial=np.inf)))
        while t > 1e-14:
            trial = kap + t * step
            out = problem.at(trial)
            # f(trial) - f(kap) without cancellation: y'(Pi_1 - Pi_0)y = -nu_0'(H_1 - H_0)nu_1
            change = problem.change(kap, trial, T, out[3]) - mu * np.log1p(t * step / kap).sum()
            if change <= -1e-4 * t * decrement:
                break
            t /= 2
        else:
            if mu <= rtol * b2:
                break
            mu, since = mu / 10, 0  # no descent left in floats
            continue
        kap, (nu, sq, G, T, K) = trial, out
        grad = b2 - sq
    return kap, nu, np.flatnonzero(kap > np.abs(grad))


class _Weights:
    r""":math:`\Phi` and its derivatives on fixed atoms (see :func:`optimal_weights`)."""

    def __init__(self, V, y, beta, free):
        from scipy import sparse

        mats = [np.asarray(v, dtype=float).reshape(len(y), -1) for v in V]
        self.y = np.array([float(a) for a in y])
        self.n, self.m = len(self.y), len(mats)
        self.b2 = float(beta) ** 2
        self.F = np.zeros((self.n, 0)) if free is None else np.asarray(free, dtype=float).reshape(self.n, -1)
        self.V = np.hstack(mats) if mats else np.zeros((self.n, 0))
        self.group = np.repeat(np.arange(self.m), [v.shape[1] for v in mats])
        # atoms x columns indicator: the sums of columns per atom as one sparse product
        self.S = sparse.csr_matrix((np.ones(len(self.group)), (self.group, np.arange(len(self.group)))), shape=(self.m, len(self.group)))

    def at(self, kap):
        """``(nu, ||V_b^T nu||^2 for all b, columns g_b = V_b V_b^T nu, V^T nu, the system matrix)``."""
        n, p = self.n, self.F.shape[1]
        cols = np.flatnonzero(kap[self.group] > 0)
        Vk = self.V[:, cols] * np.sqrt(kap[self.group[cols]])[None, :]
        H = np.eye(n) + Vk @ Vk.T
        K = np.block([[H, self.F], [self.F.T, np.zeros((p, p))]]) if p else H
        nu = np.linalg.solve(K, np.concatenate([self.y, np.zeros(p)]))[:n]
        t = self.V.T @ nu
        sq = self.S @ (t * t)
        G = (self.S @ (self.V * t[None, :]).T).T
        return nu, sq, G, t, K

    def hessian(self, G, K):
        r""":math:`\nabla^2\Phi=2G^\top\Pi G` from the columns and system matrix of :meth:`at`."""
        S = np.linalg.solve(K, np.vstack([G, np.zeros((self.F.shape[1], G.shape[1]))]))[: self.n]
        return 2 * G.T @ S

    def change(self, kap0, kap1, T0, T1):
        r""":math:`\Phi(\kappa_1)-\Phi(\kappa_0)=\sum_b(\kappa_1-\kappa_0)_b\,(\beta^2-t_{0b}^\top t_{1b})`
        with :math:`t_{ib}=V_b^\top\nu_i` (from :math:`y^\top(\Pi_1-\Pi_0)y=-\nu_0^\top(H_1-H_0)\nu_1`):
        no cancellation between the large :math:`y^\top\nu_i`."""
        return float((kap1 - kap0) @ (self.b2 - self.S @ (T0 * T1)))
