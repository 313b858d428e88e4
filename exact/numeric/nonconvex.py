r"""The nonconvex objective :math:`F` in floats: value, gradient and gradient descent, batched.

For data :math:`X\in\mathbb R^{n\times d}` (rows :math:`x_k`), labels :math:`y` and weight decay
:math:`\beta>0`, a network of width :math:`m` is :math:`\theta=(W,a)` with rows :math:`w_j` of
:math:`W\in\mathbb R^{m\times d}` and :math:`a\in\mathbb R^m`, and (``math/convex_duality.md`` §1)

.. math:: F(W,a)=\tfrac12\Big\|\sum_j(Xw_j)_+a_j-y\Big\|^2+\tfrac\beta2\sum_j(\|w_j\|^2+a_j^2).

Every function here takes either one network (``W`` of shape ``(m, d)``, ``a`` of shape
``(m,)``) or a batch of ``B`` networks (``(B, m, d)`` and ``(B, m)``) and evaluates all of them
in one pass of batched matrix products, on numpy or torch (:mod:`.backend`).

**Gradient convention.** :math:`F` is not differentiable where some :math:`x_k^\top w_j=0` and
:math:`a_j\ne0`. The gradient returned is the one with :math:`\sigma'(0)=0`, the convention of
torch and of most float code: with residual :math:`r=\hat y-y` and
:math:`\mathbb 1_j=\mathbb 1[Xw_j>0]`,

.. math:: \partial_{a_j}F=r^\top(Xw_j)_++\beta a_j,\qquad
          \nabla_{w_j}F=a_j X^\top(\mathbb 1_j\odot r)+\beta w_j .

Off the kinks this is the gradient; on a kink it is one element of the Clarke gradient
(``math/convex_duality.md`` T6.2), and gradient descent with it can stall on the inactive side of
a kink (``math/benignity_and_relaxation.md`` §7, pitfall 5). Stationarity claims are decided
exactly elsewhere, never by this gradient.
"""

from dataclasses import dataclass

import numpy as np

from ..errors import InvalidDataError
from .backend import float_array, float_data, get_backend

__all__ = ["DescentResult", "loss", "loss_and_grad", "init_params", "gradient_descent", "segment_losses"]

_INITS = ("balanced", "gaussian")


@dataclass(frozen=True)
class DescentResult:
    """What :func:`gradient_descent` returns (numpy arrays; a leading batch axis when batched).

    Attributes
    ----------
    W : ndarray, shape (m, d) or (B, m, d)
        The final first-layer weights.
    a : ndarray, shape (m,) or (B, m)
        The final second-layer weights.
    losses : ndarray, shape (T,) or (B, T)
        :math:`F` at the recorded iterates ``steps``.
    steps : ndarray of int, shape (T,)
        The recorded iteration numbers: 0, ``record_every``, ..., and always the last one.
    lr : float
        The step size; ``times = lr * steps`` are the gradient-flow times.
    """

    W: np.ndarray
    a: np.ndarray
    losses: np.ndarray
    steps: np.ndarray
    lr: float

    @property
    def times(self):
        """The gradient-flow times :math:`t=\\eta k` of the recorded iterates."""
        return self.lr * self.steps


def loss(X, y, beta, W, a, *, device=None):
    r"""Return :math:`F(W,a)` for one network or a batch of networks.

    Parameters
    ----------
    X, y, beta
        The data: an n×d array, n labels and :math:`\beta>0` (or a ``Dataset`` as ``X``, with
        ``y`` and ``beta`` omitted).
    W : array-like, shape (m, d) or (B, m, d)
    a : array-like, shape (m,) or (B, m)
    device : None or str
        The backend (:func:`~exact.numeric.backend.get_backend`); numpy by default.

    Returns
    -------
    float or ndarray of shape (B,)

    Raises
    ------
    InvalidDataError
        On non-finite entries, mismatched shapes, :math:`m<1` or :math:`\beta\le0`.

    Examples
    --------
    One neuron :math:`w=(1,0)`, :math:`a=2` on :math:`x_1=(1,0)`, :math:`x_2=(-1,0)`:
    the fit is :math:`(2,0)`, so :math:`F=\tfrac12(1^2+1^2)+\tfrac12\cdot(1+4)=3.5`.

    >>> float(loss([[1, 0], [-1, 0]], [1, 1], 1.0, [[1, 0]], [2]))
    3.5
    >>> loss([[1, 0]], [1], 1.0, [[1, 0, 0]], [1])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: W has 3 columns but X has 2
    """
    return loss_and_grad(X, y, beta, W, a, device=device)[0]


def loss_and_grad(X, y, beta, W, a, *, device=None):
    r"""Return :math:`F(W,a)` and its gradient :math:`(\nabla_WF,\nabla_aF)` with :math:`\sigma'(0)=0`.

    Parameters are those of :func:`loss`.

    Returns
    -------
    F : float or ndarray of shape (B,)
    grad_W : ndarray, the shape of ``W``
    grad_a : ndarray, the shape of ``a``

    Raises
    ------
    InvalidDataError
        As :func:`loss`.

    Notes
    -----
    One pass costs :math:`O(Bnmd)` time and :math:`O(Bnm)` memory: the pre-activations of all
    networks as one n×(Bm) product :math:`X[W_1;\dots;W_B]^\top`, the fits, and
    :math:`X^\top(\mathbb 1_j\odot r)` as a second single product.

    Examples
    --------
    At :math:`w=(1,0)`, :math:`a=2` above: :math:`r=(1,-1)`, so
    :math:`\partial_aF=r^\top(Xw)_++\beta a=1+2` and
    :math:`\nabla_wF=a\,x_1r_1+\beta w=(3,0)` (the second sample is inactive).

    >>> F, gW, ga = loss_and_grad([[1, 0], [-1, 0]], [1, 1], 1.0, [[1, 0]], [2])
    >>> gW.tolist(), ga.tolist()
    ([[3.0, 0.0]], [3.0])
    """
    X, y, beta = float_data(X, y, beta)
    W, a, batched = _params(W, a, X.shape[1])
    bk = get_backend(device)
    Xb, yb = bk.asarray(X), bk.asarray(y)
    parts = [
        _loss_grad(bk, Xb, yb, beta, bk.asarray(W[lo:hi]), bk.asarray(a[lo:hi]))
        for lo, hi in _chunks(bk, W.shape, X.shape[0])
    ]
    F, gW, ga = (np.concatenate([bk.to_numpy(p[i]) for p in parts]) for i in range(3))
    if batched:
        return F, gW, ga
    return float(F[0]), gW[0], ga[0]


def segment_losses(X, y, beta, start, end, points=20):
    r""":math:`F` at ``points`` equally spaced :math:`t\in[0,1]` on a segment of a path
    (:class:`exact.paths.Path`), for plots and the float cross-check.

    A neuron is ``(sign, a2, u)`` with :math:`u=|a|w` and :math:`a_2=a^2`, and on the segment
    :math:`(a_2,u)` is interpolated linearly; a neuron with :math:`a_2(t)>0` contributes
    :math:`\sigma(Xu)_+` to the fit and :math:`\|u\|^2/a_2+a_2` (that is :math:`\|w\|^2+a^2`) to
    the penalty, so :math:`F=\tfrac12\|\hat y-y\|^2+\tfrac\beta2\sum(\|u\|^2/a_2+a_2)`. The sign
    is the end's, or the start's where the end's is 0. Entries may be anything ``float()``
    accepts. Returns a list of ``(t, F)``.

    Examples
    --------
    >>> segment_losses([[1.0]], [1.0], 1.0, [(1, 0, [0])], [(1, 1, [1])], points=3)   # w = a = sqrt(t): F = (1 - t)^2 / 2 + t
    [(0.0, 0.5), (0.5, 0.625), (1.0, 1.0)]
    """
    X, y, beta = float_array(X, "X", ndim=2), float_array(y, "y", ndim=1), float(beta)
    neurons = [
        (s1 if s1 else s0, float(a0), float(a1), float_array(u0, "u", ndim=1), float_array(u1, "u", ndim=1))
        for (s0, a0, u0), (s1, a1, u1) in zip(start, end)
    ]
    out = []
    for t in np.linspace(0, 1, points):
        fit = np.zeros(len(y))
        pen = 0.0
        for sign, a0, a1, u0, u1 in neurons:
            u, a2 = (1 - t) * u0 + t * u1, (1 - t) * a0 + t * a1
            if a2 > 0:
                fit += sign * np.maximum(X @ u, 0)
                pen += u @ u / a2 + a2
        out.append((float(t), float(0.5 * (fit - y) @ (fit - y) + beta / 2 * pen)))
    return out


def init_params(m, d, *, batch=None, alpha=1.0, init="balanced", seed=0):
    r"""Draw initial networks of width ``m`` on ``d`` inputs, reproducibly.

    * ``init="balanced"`` (the default, as in [BBEL], ``math/benignity_and_relaxation.md`` §4):
      :math:`w_j\sim\mathcal N(0,\alpha^2I_d)` and :math:`a_j=s_j\|w_j\|` with a fair sign
      :math:`s_j=\pm1`, so every neuron starts balanced, :math:`|a_j|=\|w_j\|`.
    * ``init="gaussian"``: :math:`w_j\sim\mathcal N(0,\alpha^2I_d)` and
      :math:`a_j\sim\mathcal N(0,\alpha^2)`, independently.

    Parameters
    ----------
    m, d : int
        Width :math:`m\ge1` and input dimension :math:`d\ge1`.
    batch : int, optional
        Draw ``batch`` networks (leading axis); one network without a batch axis when ``None``.
    alpha : float
        The initialization scale :math:`\alpha>0`.
    init : {"balanced", "gaussian"}
    seed : int
        Network ``b`` of a batch is drawn from its own stream ``numpy.random.default_rng([seed, b])``
        (an unbatched network is ``b = 0``), so a network does not depend on the batch size.

    Returns
    -------
    W : ndarray, shape (m, d) or (batch, m, d)
    a : ndarray, shape (m,) or (batch, m)

    Raises
    ------
    InvalidDataError
        If ``m``, ``d`` or ``batch`` is < 1, ``alpha`` is not a positive float, or ``init`` is unknown.

    Examples
    --------
    >>> W, a = init_params(3, 2, batch=4, alpha=0.1, seed=7)
    >>> W.shape, a.shape
    ((4, 3, 2), (4, 3))
    >>> bool(np.allclose(np.abs(a), np.linalg.norm(W, axis=-1)))
    True
    >>> bool((init_params(3, 2, alpha=0.1, seed=7)[0] == W[0]).all())
    True
    >>> init_params(0, 2)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: m = 0 must be an integer >= 1
    """
    for name, k in (("m", m), ("d", d)) + ((("batch", batch),) if batch is not None else ()):
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise InvalidDataError(f"{name} = {k!r} must be an integer >= 1")
    alpha = float(float_array(alpha, "alpha", ndim=0))
    if not alpha > 0:
        raise InvalidDataError(f"alpha = {alpha} must be > 0")
    if init not in _INITS:
        raise InvalidDataError(f"init = {init!r} is not one of {', '.join(map(repr, _INITS))}")
    Ws, As = [], []
    for b in range(1 if batch is None else batch):
        rng = np.random.default_rng([seed, b])
        W = alpha * rng.standard_normal((m, d))
        if init == "balanced":
            a = np.where(rng.random(m) < 0.5, -1.0, 1.0) * np.linalg.norm(W, axis=1)
        else:
            a = alpha * rng.standard_normal(m)
        Ws.append(W)
        As.append(a)
    if batch is None:
        return Ws[0], As[0]
    return np.stack(Ws), np.stack(As)


def gradient_descent(X, y, beta, W, a, *, lr, steps, record_every=1, device=None, dtype="float64"):
    r"""Run gradient descent :math:`\theta_{k+1}=\theta_k-\eta\nabla F(\theta_k)` on one or many networks.

    With a small step :math:`\eta` this is the explicit Euler scheme of the gradient flow
    :math:`\dot\theta=-\nabla F(\theta)`, iterate :math:`k` approximating time :math:`t=\eta k`
    (``DescentResult.times``). The gradient is the :math:`\sigma'(0)=0` one (module docstring).
    Every network of a batch runs independently, in lockstep.

    Parameters
    ----------
    X, y, beta
        The data, as in :func:`loss`.
    W, a : array-like
        The initial network(s), shapes ``(m, d)`` and ``(m,)`` or batched ``(B, m, d)`` and
        ``(B, m)``; see :func:`init_params`.
    lr : float
        The step size :math:`\eta>0`.
    steps : int
        The number of steps :math:`\ge0`.
    record_every : int
        Record :math:`F` every this many steps (and at the last step).
    device : None or str
        The backend: numpy (default), ``"cpu"`` (torch) or ``"cuda"``.
    dtype : {"float64", "float32"}

    Returns
    -------
    DescentResult

    Raises
    ------
    InvalidDataError
        On bad data or parameters (as :func:`loss`), :math:`\eta\le0`, ``steps < 0`` or
        ``record_every < 1``.

    Notes
    -----
    A diverging step (:math:`\eta` above :math:`2/L` for the local Lipschitz constant
    :math:`L` of :math:`\nabla F`) is not caught: its losses become ``inf`` or ``nan``.
    Cost: ``steps`` passes of :func:`loss_and_grad`.

    Examples
    --------
    Orthonormal data with one-signed labels: the optimum is the Huber value
    :math:`h_\beta(\|y\|)=\beta\|y\|-\beta^2/2=0.375` for :math:`\|y\|=1`, :math:`\beta=\tfrac12`
    (``math/benignity_and_relaxation.md`` Thm 3.1), reached at :math:`w=\sqrt{1/2}\,\hat y`, :math:`a=\sqrt{1/2}`.

    >>> W0, a0 = np.array([[0.3, 0.2]]), np.array([0.36])
    >>> res = gradient_descent([[1, 0], [0, 1]], [0.6, 0.8], 0.5, W0, a0, lr=0.1, steps=2000)
    >>> round(float(res.losses[-1]), 6), round(float(res.a[0] ** 2), 6)
    (0.375, 0.5)
    >>> gradient_descent([[1.0]], [1.0], 1.0, [[1.0]], [1.0], lr=0.0, steps=1)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: lr = 0.0 must be > 0
    """
    X, y, beta = float_data(X, y, beta)
    W, a, batched = _params(W, a, X.shape[1])
    lr = float(float_array(lr, "lr", ndim=0))
    if not lr > 0:
        raise InvalidDataError(f"lr = {lr} must be > 0")
    for name, k, low in (("steps", steps, 0), ("record_every", record_every, 1)):
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < low:
            raise InvalidDataError(f"{name} = {k!r} must be an integer >= {low}")
    bk = get_backend(device, dtype=dtype)
    Xb, yb = bk.asarray(X), bk.asarray(y)
    recorded = [k for k in range(steps + 1) if k % record_every == 0 or k == steps]
    W, a = W.copy(), a.copy()
    losses = np.empty((W.shape[0], len(recorded)))
    for lo, hi in _chunks(bk, W.shape, X.shape[0]):
        Wb, ab = bk.asarray(W[lo:hi]), bk.asarray(a[lo:hi])
        history = []
        for k in range(steps + 1):
            F, gW, ga = _loss_grad(bk, Xb, yb, beta, Wb, ab)
            if k % record_every == 0 or k == steps:
                history.append(F)
            if k < steps:
                Wb = Wb - lr * gW
                ab = ab - lr * ga
        losses[lo:hi] = np.stack([bk.to_numpy(F) for F in history], axis=-1)
        W[lo:hi], a[lo:hi] = bk.to_numpy(Wb), bk.to_numpy(ab)
    if not batched:
        W, a, losses = W[0], a[0], losses[0]
    return DescentResult(W=W, a=a, losses=losses, steps=np.array(recorded), lr=lr)


def _params(W, a, d):
    """Validate (W, a) against d and return them with a batch axis, and whether one was given."""
    W = float_array(W, "W", ndim=(2, 3))
    a = float_array(a, "a", ndim=(1, 2))
    batched = W.ndim == 3
    if a.ndim != W.ndim - 1:
        raise InvalidDataError(f"a has shape {a.shape} but W has shape {W.shape}; expected {W.shape[:-1]}")
    if W.shape[-1] != d:
        raise InvalidDataError(f"W has {W.shape[-1]} columns but X has {d}")
    if a.shape != W.shape[:-1]:
        raise InvalidDataError(f"a has shape {a.shape} but W has shape {W.shape}; expected {W.shape[:-1]}")
    if not batched:
        W, a = W[None], a[None]
    return W, a, batched


def _chunks(bk, shape, n):
    """Split B networks into runs of about 2^24 (CPU) or 2^27 (CUDA) pre-activations each, to bound memory."""
    B, m, _ = shape
    target = 2**27 if bk.device.startswith("cuda") else 2**24
    step = max(1, target // (m * n))
    return [(lo, min(B, lo + step)) for lo in range(0, B, step)]


def _loss_grad(bk, X, y, beta, W, a):
    """F and its sigma'(0) = 0 gradient on backend arrays with a batch axis.

    The B networks are stacked into one n x (B m) pre-activation matrix, so both products
    (X W^T and the gradient's (1_j * r)^T X) are single large matrix products."""
    B, m, d = W.shape
    n = X.shape[0]
    pre = X @ W.reshape(B * m, d).T  # (n, B m): x_k . w_j
    act = bk.relu(pre).reshape(n, B, m)
    r = bk.sum(act * a, axis=2) - y[:, None]  # (n, B): fit - y
    F = 0.5 * bk.sum(r * r, axis=0) + 0.5 * beta * (bk.sum(W * W, axis=(1, 2)) + bk.sum(a * a, axis=1))
    ga = bk.sum(act * r[:, :, None], axis=0) + beta * a
    gate = (bk.positive(pre).reshape(n, B, m) * r[:, :, None]).reshape(n, B * m)
    gW = a[:, :, None] * (gate.T @ X).reshape(B, m, d) + beta * W
    return F, gW, ga
