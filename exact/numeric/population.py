r"""Float twin of :mod:`exact.symmetry.loss`: Monte Carlo and closed-form population loss in numpy.

Floats are the independent route: the exact kernels compute :math:`L(W)` in closed form
(``math/symmetry_families.md`` §1); here the same quantities are *estimated* by sampling
:math:`x\sim\mathcal N(0, I_d)`,

.. math::

    L(W) = \tfrac12\,\mathbb E_x\big[(\mathbf 1^\top\sigma(Wx)-\mathbf 1^\top\sigma(Vx))^2\big],\qquad
    \nabla_{w_i}L = \mathbb E_x\big[r(x)\,\mathbf 1[w_i^\top x>0]\,x\big],\quad
    r = \mathbf 1^\top\sigma(Wx)-\mathbf 1^\top\sigma(Vx),

with a standard error, and computed in closed form in double precision (for gradient descent,
which *finds* critical points; the exact side certifies them). Nothing here is evidence.
"""

import numpy as np

__all__ = [
    "monte_carlo_loss",
    "monte_carlo_gradient",
    "float_loss",
    "float_gradient",
    "float_hessian",
    "float_hessian_eigenvalues",
    "gradient_descent",
    "perturbed",
]


def monte_carlo_loss(W, V=None, *, samples=2_000_000, seed=0, batch=250_000):
    r"""Estimate :math:`L(W)` by sampling; return ``(estimate, standard_error)``.

    Parameters
    ----------
    W : array_like, shape (k, d)
        Student first layer (rows are neurons).
    V : array_like, shape (m, d), optional
        Teacher; default :math:`I_d`.
    samples : int
        Number of Gaussian inputs.
    seed : int
        Seed of ``numpy.random.default_rng``.
    batch : int
        Inputs drawn per batch (memory bound).

    Examples
    --------
    >>> est, se = monte_carlo_loss([[0.0, 0.0], [0.0, 0.0]], samples=200_000)
    >>> bool(abs(est - (0.5 + 1 / (2 * np.pi))) < 5 * se)
    True
    """
    W, V = _arrays(W, V)
    rng = np.random.default_rng(seed)
    total = total_sq = 0.0
    done = 0
    while done < samples:
        n = min(batch, samples - done)
        x = rng.standard_normal((n, W.shape[1]))
        r = _residual(W, V, x)
        vals = 0.5 * r * r
        total += vals.sum()
        total_sq += (vals * vals).sum()
        done += n
    mean = float(total / samples)
    var = max(float(total_sq / samples) - mean * mean, 0.0)
    return mean, float(np.sqrt(var / samples))


def monte_carlo_gradient(W, V=None, *, samples=2_000_000, seed=0, batch=250_000):
    r"""Estimate :math:`\nabla L(W)` by sampling; return ``(estimate, standard_error)`` arrays of shape (k, d)."""
    W, V = _arrays(W, V)
    rng = np.random.default_rng(seed)
    k, d = W.shape
    total = np.zeros((k, d))
    total_sq = np.zeros((k, d))
    done = 0
    while done < samples:
        n = min(batch, samples - done)
        x = rng.standard_normal((n, d))
        r = _residual(W, V, x)
        act = (x @ W.T > 0).astype(float)  # n x k
        for i in range(k):
            g = (r * act[:, i])[:, None] * x
            total[i] += g.sum(axis=0)
            total_sq[i] += (g * g).sum(axis=0)
        done += n
    mean = total / samples
    var = np.maximum(total_sq / samples - mean * mean, 0.0)
    return mean, np.sqrt(var / samples)


def float_loss(W, V=None):
    r"""Return :math:`L(W)` in closed form in double precision (the arc-cosine kernel)."""
    W, V = _arrays(W, V)
    return 0.5 * _kernel_sum(W, W) - _kernel_sum(W, V) + 0.5 * _kernel_sum(V, V)


def float_gradient(W, V=None):
    r"""Return :math:`\nabla L(W)` in closed form in double precision, shape (k, d)."""
    W, V = _arrays(W, V)
    grad = 0.5 * W.copy()
    for others, sign, skip_self in ((W, 1.0, True), (V, -1.0, False)):
        nu = np.linalg.norm(W, axis=1)[:, None]
        nv = np.linalg.norm(others, axis=1)[None, :]
        c = W @ others.T
        cos = np.clip(c / np.maximum(nu * nv, 1e-300), -1.0, 1.0)
        theta = np.arccos(cos)
        R = nu * nv * np.sin(theta)
        coef_u = R / (2 * np.pi * np.maximum(nu**2, 1e-300))
        coef_v = (np.pi - theta) / (2 * np.pi)
        if skip_self:
            np.fill_diagonal(coef_u, 0.0)
            np.fill_diagonal(coef_v, 0.0)
        grad += sign * (coef_u.sum(axis=1)[:, None] * W + coef_v @ others)
    return grad


def float_hessian(W, V=None, *, h=1e-6):
    r"""Return :math:`\nabla^2L(W)` (shape :math:`kd\times kd`, row-major coordinates) by central differences of :func:`float_gradient`.

    Examples
    --------
    >>> H = float_hessian(np.eye(2))
    >>> bool(abs(H[0, 0] - 0.5) < 1e-8 and abs(H[0, 2] - 0.25) < 1e-8)
    True
    """
    W = np.asarray(W, dtype=float)
    k, d = W.shape
    H = np.zeros((k * d, k * d))
    for idx in range(k * d):
        E = np.zeros(k * d)
        E[idx] = h
        E = E.reshape(k, d)
        H[:, idx] = ((float_gradient(W + E, V) - float_gradient(W - E, V)) / (2 * h)).ravel()
    return (H + H.T) / 2


def float_hessian_eigenvalues(W, V=None):
    """Return the eigenvalues of :func:`float_hessian`, ascending, as a list of floats."""
    return [float(v) for v in np.linalg.eigvalsh(float_hessian(W, V))]


def perturbed(W, scale, *, seed=0):
    """Return ``W`` (any array-like of numbers) in floats plus Gaussian noise of standard deviation ``scale``."""
    W = np.asarray(W, dtype=float)
    return W + scale * np.random.default_rng(seed).standard_normal(W.shape)


def gradient_descent(W0, V=None, *, lr=0.05, steps=20_000, tol=1e-10):
    r"""Run plain gradient descent on the closed-form float loss; return ``(W, loss, gradient_norm, steps)``."""
    W = np.array(W0, dtype=float)
    Vm = None if V is None else np.asarray(V, dtype=float)
    for step in range(1, steps + 1):
        g = float_gradient(W, Vm)
        W -= lr * g
        gn = float(np.linalg.norm(g))
        if gn < tol:
            break
    return W, float(float_loss(W, Vm)), gn, step


def _arrays(W, V):
    W = np.asarray(W, dtype=float)
    V = np.eye(W.shape[1]) if V is None else np.asarray(V, dtype=float)
    return W, V


def _residual(W, V, x):
    return np.maximum(x @ W.T, 0.0).sum(axis=1) - np.maximum(x @ V.T, 0.0).sum(axis=1)


def _kernel_sum(U, V):
    nu = np.linalg.norm(U, axis=1)[:, None]
    nv = np.linalg.norm(V, axis=1)[None, :]
    c = U @ V.T
    prod = nu * nv
    cos = np.clip(np.divide(c, prod, out=np.zeros_like(c), where=prod > 0), -1.0, 1.0)
    theta = np.arccos(cos)
    return float(((prod * np.sin(theta) + (np.pi - theta) * c) / (2 * np.pi)).sum())
