r"""The Kim–Pilanci relaxation in floats: instances, sampled gates, brackets on :math:`p^*`, GD runs.

Notation (``math/benignity_and_relaxation.md`` §5, ``math/convex_duality.md`` D6.1): data
:math:`X\in\mathbb R^{n\times d}`, labels :math:`y`, weight decay :math:`\beta`;
:math:`p^*` is the optimum of the convex problem (C) over *all* activation patterns, and
:math:`\tilde p^*` the optimum of the restricted problem :math:`C_{\mathcal S}` over the patterns
:math:`\mathcal S=\{\mathbb 1[Xh_i>0]\}` of Gaussian gates :math:`h_1,\dots,h_{\tilde P}\sim\mathcal
N(0,I_d)`. Every feasible point of :math:`C_{\mathcal S}` is feasible for (C), so
:math:`\tilde p^*\ge p^*`; [KP] state (secondary, unconfirmed) that
:math:`\tilde p^*\le C\sqrt{\log 2n}\,p^*` with high probability for Gaussian :math:`X` and
:math:`\tilde P` of order :math:`\max(m^*,\log n)`. This module *measures* the ratio; it asserts
nothing about it.

Floats only propose and bracket here: where :mod:`exact.relaxation` can certify (small
:math:`n`) it does, and these functions are its cross-check; for larger :math:`n` they give
float brackets

* :math:`\tilde p^*\in[\text{lower\_bound},\text{value}]` of the solver on the sampled patterns
  (:class:`~exact.numeric.convex.ConvexProposal`);
* :math:`p^*\le` the solver's value over *many* sampled patterns, lowered further by gradient
  descent from the mapped network (:math:`p^*\le F(\theta)` for every network, D3.4);
* :math:`p^*\ge d(c\nu)` for :math:`c=\min(1,\beta/\hat\Lambda)`,
  :math:`\hat\Lambda=\max(\|\nu_+\|,\|\nu_-\|)\,\|X\|_{\rm op}`, because
  :math:`|\nu^\top(Xu)_+|\le\|\nu_\pm\|\,\|(Xu)_+\|\le\|\nu_\pm\|\,\|X\|_{\rm op}` for
  :math:`\|u\|\le1` (weak duality; loose when :math:`d` is large). When every pattern is listed
  (``patterns=`` of :func:`optimum_bracket`) the solver's own dual bound is used instead.

Seeds: an instance is drawn from the stream ``default_rng([0, seed, n, d])`` and the gates from
``default_rng([1, seed])``; the first ``k`` gates of a larger draw are the ``k`` gates of a
smaller one, so samples of increasing size are nested.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..data import Dataset
from ..errors import InvalidDataError, ReluscapeError
from .backend import float_array, float_data
from .convex import _scaled_dual_value, dual_norms, solve_convex
from .nonconvex import DescentResult, gradient_descent, init_params, loss

__all__ = [
    "LABELS",
    "Bracket",
    "gaussian_instance",
    "gaussian_gates",
    "integer_gates",
    "gate_patterns",
    "beta_max",
    "relaxed_value",
    "network_from_convex",
    "optimum_bracket",
    "gd_runs",
    "own_pattern_values",
    "step_size",
    "descend",
    "float_gap",
    "rationalize",
    "summarize",
    "plot_summary",
]

#: Label models of :func:`gaussian_instance`.
LABELS = ("gaussian", "teacher")

#: Below this many constraint rows (blocks times n) the interior-point solver is used, else the ADMM.
_SOCP_ROWS = 60_000


@dataclass(frozen=True)
class Bracket:
    r"""A float bracket :math:`\text{lower}\le p^*\le\text{upper}` and how it was obtained.

    Attributes
    ----------
    lower, upper : float
    method : str
        ``"all patterns"`` (solver over the complete list, its dual bound) or
        ``"sampled + GD"`` (many sampled patterns and gradient descent; the
        :math:`\hat\Lambda` dual bound).
    patterns : int
        The number of patterns the solver saw.
    nu : ndarray
        The residual :math:`\nu=y-\hat y` of the best primal point.
    """

    lower: float
    upper: float
    method: str
    patterns: int
    nu: np.ndarray


def gaussian_instance(n, d, *, seed=0, labels="gaussian"):
    r"""Draw :math:`X` with i.i.d. rows :math:`x_k\sim\mathcal N(0,I_d/d)` and labels :math:`y`.

    ``labels="gaussian"``: :math:`y\sim\mathcal N(0,I_n)`. ``labels="teacher"``: a planted
    two-neuron network, :math:`y=(Xw_1)_+-(Xw_2)_+` with :math:`w_j\sim\mathcal N(0,I_d)`.
    The rows have norm about 1, so :math:`\|X\|_{\rm op}^2\approx(\sqrt{n/d}+1)^2`. The gap ratio
    is invariant under :math:`(y,\beta)\to(cy,c\beta)` and :math:`(X,\beta)\to(tX,t\beta)`.

    Parameters
    ----------
    n, d : int
        At least 1.
    seed : int
    labels : {"gaussian", "teacher"}

    Returns
    -------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)

    Raises
    ------
    InvalidDataError
        If ``n`` or ``d`` is below 1 or ``labels`` is unknown.

    Examples
    --------
    >>> X, y = gaussian_instance(5, 2, seed=3)
    >>> X.shape, y.shape
    ((5, 2), (5,))
    >>> bool((gaussian_instance(5, 2, seed=3)[0] == X).all())
    True
    >>> gaussian_instance(5, 2, labels="uniform")
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: labels = 'uniform' is not one of 'gaussian', 'teacher'
    """
    _positive_int(n, "n")
    _positive_int(d, "d")
    if labels not in LABELS:
        raise InvalidDataError(f"labels = {labels!r} is not one of {', '.join(map(repr, LABELS))}")
    rng = np.random.default_rng([0, seed, n, d])
    X = rng.standard_normal((n, d)) / math.sqrt(d)
    if labels == "gaussian":
        y = rng.standard_normal(n)
    else:
        W = rng.standard_normal((2, d))
        y = np.maximum(X @ W[0], 0) - np.maximum(X @ W[1], 0)
    return X, y


def gaussian_gates(d, samples, *, seed=0):
    r"""Return ``samples`` Gaussian gates :math:`h_i\sim\mathcal N(0,I_d)` as rows, shape ``(samples, d)``.

    The rows come from the stream ``default_rng([1, seed])`` in order, so a larger draw extends
    a smaller one (nested samples).

    Examples
    --------
    >>> H = gaussian_gates(3, 10, seed=1)
    >>> H.shape, bool((gaussian_gates(3, 4, seed=1) == H[:4]).all())
    ((10, 3), True)
    """
    _positive_int(d, "d")
    _positive_int(samples, "samples")
    return np.random.default_rng([1, seed]).standard_normal((samples, d))


def integer_gates(d, samples, *, seed=0, bits=24):
    r"""The gates of :func:`gaussian_gates` scaled by :math:`2^{\text{bits}}` and rounded to integers.

    These are the exact witnesses the certified side (:func:`exact.relaxation.sample_regions`)
    uses: the same draws, so for data away from the hyperplanes they give the same patterns as
    the float gates.

    Examples
    --------
    >>> integer_gates(2, 3, seed=0, bits=4).dtype
    dtype('int64')
    >>> integer_gates(2, 3, bits=70)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: bits = 70 must be an integer in 1..52
    """
    if isinstance(bits, bool) or not isinstance(bits, int) or not 1 <= bits <= 52:
        raise InvalidDataError(f"bits = {bits!r} must be an integer in 1..52")
    return np.rint(gaussian_gates(d, samples, seed=seed) * 2.0**bits).astype(np.int64)


def gate_patterns(X, H):
    r"""The distinct patterns :math:`\mathbb 1[Xh>0]` of the gates ``H`` (rows), sorted.

    Parameters
    ----------
    X : array-like, shape (n, d), or Dataset
    H : array-like, shape (S, d)

    Returns
    -------
    ndarray of uint8, shape (P, n)
        Distinct 0/1 rows in lexicographic order (the order of :class:`~exact.PatternSet`).
        Zero rows of ``X`` are inactive in every pattern.

    Examples
    --------
    >>> gate_patterns([[1, 0], [0, 1]], [[1, 1], [2, 3], [-1, 1]]).tolist()
    [[0, 1], [1, 1]]
    """
    X = float_array(X.X if isinstance(X, Dataset) else X, "X", ndim=2)
    H = float_array(H, "H", ndim=2)
    if H.shape[1] != X.shape[1]:
        raise InvalidDataError(f"H has {H.shape[1]} columns but X has {X.shape[1]}")
    return np.unique((H @ X.T > 0).astype(np.uint8), axis=0)


def beta_max(X, y, patterns):
    r"""Return :math:`\max_{s,\pm}\|\Pi_{K_s}(\pm X^\top D_sy)\|` over the listed patterns.

    Over all patterns this is :math:`\beta_{\max}`: the zero network is optimal iff
    :math:`\beta\ge\beta_{\max}` (``math/convex_duality.md`` T4.6); over a sample it is a lower
    estimate.

    Examples
    --------
    >>> beta_max([[1, 0], [0, 1]], [3.0, -4.0], [[1, 0], [0, 1], [1, 1]])
    4.0
    """
    X, y, _ = float_data(X, y, 1.0)
    return float(dual_norms(X, patterns, y).max())


def relaxed_value(X, y, beta, patterns, *, tol=1e-9, device=None):
    r"""Solve the convex problem on the listed patterns (both signs each); a :class:`ConvexProposal`.

    The interior-point solver (:func:`~exact.numeric.socp.solve_socp`) is used while the
    problem has fewer than 60,000 cone rows (blocks times :math:`n`), at tolerance ``tol``
    (when Clarabel stalls, the ADMM at relative gap ``max(tol, 1e-9)`` takes over); larger
    problems go to the working-set ADMM (:func:`~exact.numeric.convex.solve_convex`) at
    relative gap ``max(tol, 1e-6)``. Either way ``lower_bound <= optimum <= value`` over the
    listed patterns, up to rounding.

    Examples
    --------
    Orthonormal data, positive labels, the pattern of both samples: the Huber value
    :math:`h_1(5)=5-\tfrac12` (``math/benignity_and_relaxation.md`` Thm 3.1).

    >>> sol = relaxed_value([[1, 0], [0, 1]], [3, 4], 1.0, [[1, 1]])
    >>> round(sol.value, 8), round(sol.lower_bound, 8)
    (4.5, 4.5)
    """
    X, y, beta = float_data(X, y, beta)
    D = float_array(patterns, "patterns", ndim=2)
    rows = 2 * int(D.any(axis=1).sum()) * X.shape[0]
    if rows <= _SOCP_ROWS and device is None:
        from .socp import solve_socp

        try:
            return solve_socp(X, y, beta, D, tol=tol)
        except InvalidDataError:
            raise
        except ReluscapeError:  # Clarabel stalled (InsufficientProgress): the ADMM instead
            return solve_convex(X, y, beta, D, tol=max(tol, 1e-9), max_iter=100_000)
    return solve_convex(X, y, beta, D, tol=max(tol, 1e-6), max_iter=100_000, device=device)


def network_from_convex(proposal, *, width=None):
    r"""Map a convex solution to a network: :math:`u\mapsto(u/\sqrt{\|u\|},\pm\sqrt{\|u\|})` (D3.4).

    Non-zero blocks become balanced neurons with :math:`F=G`; zero neurons pad to ``width``.

    Returns
    -------
    W : ndarray, shape (m, d)
    a : ndarray, shape (m,)

    Raises
    ------
    InvalidDataError
        If ``width`` is below the number of non-zero blocks.

    Examples
    --------
    >>> from exact.numeric.convex import ConvexProposal
    >>> U = np.array([[4.0, 0.0]]); V = np.zeros((1, 2))
    >>> p = ConvexProposal(U, V, None, 0.0, None, 0.0, 0.0, 0.0, "demo", 0, True)
    >>> W, a = network_from_convex(p, width=2)
    >>> W.tolist(), a.tolist()
    ([[2.0, 0.0], [0.0, 0.0]], [2.0, 0.0])
    """
    rows, signs = [], []
    for blocks, sign in ((proposal.U, 1.0), (proposal.V, -1.0)):
        for u in np.asarray(blocks):
            r = float(np.linalg.norm(u))
            if r > 0:
                rows.append(u / math.sqrt(r))
                signs.append(sign * math.sqrt(r))
    d = np.asarray(proposal.U).shape[1]
    m = len(rows) if width is None else width
    if m < len(rows):
        raise InvalidDataError(f"width = {width} is below the {len(rows)} non-zero blocks")
    W = np.zeros((max(m, 1), d))
    a = np.zeros(max(m, 1))
    if rows:
        W[: len(rows)] = rows
        a[: len(rows)] = signs
    return W, a


def optimum_bracket(X, y, beta, *, patterns=None, samples=4000, seed=0, refine_steps=2000, tol=1e-9):
    r"""A float :class:`Bracket` on :math:`p^*`, the optimum of (C) over all patterns.

    Parameters
    ----------
    X, y, beta
        The data.
    patterns : array-like, shape (P, n), optional
        *Every* activation pattern of ``X`` (e.g. ``enumerate_patterns(...).D``): then the
        bracket is the solver's, over the complete list.
    samples : int
        Otherwise: the number of Gaussian gates whose patterns the solver sees (stream
        ``seed``, so these contain the patterns of any smaller sample of the same seed).
    seed : int
    refine_steps : int
        Gradient-descent steps from the mapped network (upper bound only), without a complete list.
    tol : float
        Solver tolerance (:func:`relaxed_value`).

    Returns
    -------
    Bracket

    Examples
    --------
    >>> b = optimum_bracket([[1, 0], [0, 1]], [3, 4], 1.0, patterns=[[1, 0], [0, 1], [1, 1]])
    >>> b.method, round(b.lower, 6), round(b.upper, 6)
    ('all patterns', 4.5, 4.5)
    """
    X, y, beta = float_data(X, y, beta)
    if patterns is not None:
        sol = relaxed_value(X, y, beta, patterns, tol=tol)
        return Bracket(sol.lower_bound, sol.value, "all patterns", int(np.asarray(patterns).shape[0]), sol.nu)
    D = gate_patterns(X, gaussian_gates(X.shape[1], samples, seed=seed))
    sol = relaxed_value(X, y, beta, D, tol=tol)
    upper, nu = sol.value, sol.nu
    if refine_steps:
        W, a = network_from_convex(sol)
        res = descend(X, y, beta, W, a, steps=refine_steps)
        F = float(res.losses[-1])
        if F < upper:
            upper = F
            nu = y - np.maximum(X @ res.W.T, 0) @ res.a
    lam = max(float(np.linalg.norm(np.maximum(nu, 0))), float(np.linalg.norm(np.minimum(nu, 0))))
    lam *= float(np.linalg.norm(X, 2))
    lower = _scaled_dual_value(nu, y, 1.0 if lam <= beta else beta / lam)
    return Bracket(lower, upper, "sampled + GD", int(D.shape[0]), nu)


def float_gap(X, y, beta, sample, *, patterns=None, reference_gates=4000, seed=0, tol=1e-9):
    r"""Float brackets on :math:`\tilde p^*` (the sampled patterns), on :math:`p^*`, and on their ratio.

    Parameters
    ----------
    X, y, beta
        The data (a ``Dataset`` as ``X`` is rounded to floats).
    sample : array-like, shape (S, n)
        The sampled patterns :math:`\mathcal S` (0/1 rows).
    patterns : array-like, shape (P, n), optional
        Every pattern of ``X``, when enumerable: :math:`p^*` is then bracketed by the solver over
        the complete list; otherwise by :func:`optimum_bracket` with ``reference_gates`` gates
        of stream ``seed`` (the same stream as the sample, so it contains its patterns).
    reference_gates, seed, tol
        See :func:`optimum_bracket` and :func:`relaxed_value`.

    Returns
    -------
    dict
        ``p_tilde`` and ``p_star``: ``[lower, upper]``; ``p_star_method``; ``reference_patterns``
        (how many the :math:`p^*` solver saw); ``ratio``: ``[p_tilde lower / p_star upper,
        p_tilde upper / p_star lower]``. Since :math:`p^*\le\tilde p^*`, the upper end of
        ``p_star`` is at most the upper end of ``p_tilde``.

    Examples
    --------
    Orthonormal data, labels :math:`(3,4)`, :math:`\beta=1`: the pattern :math:`\{1\}` alone gives
    :math:`\tilde p^*=h_1(3)+\tfrac12 4^2=10.5`, all patterns give :math:`p^*=h_1(5)=4.5`.

    >>> g = float_gap([[1, 0], [0, 1]], [3, 4], 1.0, [[1, 0]], patterns=[[1, 0], [0, 1], [1, 1]])
    >>> [round(v, 6) for v in g["p_tilde"] + g["p_star"]], round(g["ratio"][1], 6)
    ([10.5, 10.5, 4.5, 4.5], 2.333333)
    """
    X, y, beta = float_data(X, y, beta)
    sol = relaxed_value(X, y, beta, sample, tol=tol)
    star = optimum_bracket(
        X, y, beta, patterns=patterns, samples=max(reference_gates, 1), seed=seed, tol=tol
    )
    upper = min(star.upper, sol.value)
    return {
        "p_tilde": [sol.lower_bound, sol.value],
        "p_star": [star.lower, upper],
        "p_star_method": star.method,
        "reference_patterns": star.patterns,
        "ratio": [sol.lower_bound / upper, sol.value / star.lower],
    }


def step_size(X, y, beta, W, a):
    r"""A step size for gradient descent on :math:`F` near ``(W, a)``: :math:`\eta=1/L`.

    :math:`L=\|X\|_{\rm op}^2S+\|X\|_{\rm op}\|y\|+\beta` with
    :math:`S=\max_b\sum_j(\|w_j\|^2+a_j^2)` over the networks ``b`` of a batch estimates the
    Lipschitz constant of :math:`\nabla F` on the sublevel set of :math:`F(0)`: the fit's
    Jacobian has squared norm at most :math:`\|X\|^2\sum_j(a_j^2+\|w_j\|^2)` (all neurons
    aligned is the worst case, as at an optimum that splits an atom), the curvature of the
    residual term is at most :math:`\|X\|\|r\|\le\|X\|\|y\|`, and the penalty adds
    :math:`\beta`. A heuristic (:math:`S` changes along a run): :func:`descend` re-estimates it.

    Examples
    --------
    >>> round(step_size(np.eye(2), [3.0, 4.0], 1.0, np.zeros((1, 2)), np.zeros(1)), 6)   # 1 / (0 + 5 + 1)
    0.166667
    """
    X, y, beta = float_data(X, y, beta)
    W, a = np.asarray(W, dtype=float), np.asarray(a, dtype=float)
    S = float(np.max(np.sum(W * W, axis=(-2, -1)) + np.sum(a * a, axis=-1)))
    norm = float(np.linalg.norm(X, 2))
    return 1.0 / (norm * norm * S + norm * float(np.linalg.norm(y)) + beta)


def descend(X, y, beta, W, a, *, steps, lr=None, chunks=10, device=None, dtype="float64", callback=None):
    r"""Gradient descent in ``chunks`` pieces, the step size re-estimated before each piece.

    Each piece runs :func:`~exact.numeric.gradient_descent` with :math:`\eta=` :func:`step_size`
    at its start (or the fixed ``lr``); a piece after which some network's :math:`F` rose by
    more than :math:`10^{-6}F` (:math:`10^{-4}F` in float32, whose rounding alone is of that
    order) or is not finite is run again from its start with half the step (at most 30 times;
    smaller rises are the chatter of the :math:`\sigma'(0)=0` gradient at a kink,
    ``math/benignity_and_relaxation.md`` §7 pitfall 5). All networks of a batch share the
    steps.

    Parameters
    ----------
    X, y, beta, W, a
        As :func:`~exact.numeric.gradient_descent` (one network or a batch).
    steps : int
    lr : float, optional
        A fixed step size (halved only when a piece fails).
    chunks : int
        The number of pieces (at least 1).
    device, dtype
        The backend.
    callback : callable, optional
        ``callback(done, F)`` after each piece: steps so far and the current values.

    Returns
    -------
    DescentResult
        Final ``W`` and ``a``; ``losses`` and ``steps`` at the piece boundaries; ``lr`` the last
        step size.

    Raises
    ------
    ReluscapeError
        If a piece still fails after 30 halvings.

    Examples
    --------
    >>> res = descend([[1, 0], [0, 1]], [0.6, 0.8], 0.5, [[0.03, 0.02]], [0.036], steps=3000)
    >>> round(float(res.losses[-1]), 6)   # h_beta(1) = 0.375 (math §3 Thm 3.1)
    0.375
    """
    X, y, beta = float_data(X, y, beta)
    W, a = np.array(W, dtype=float), np.array(a, dtype=float)
    batched = W.ndim == 3
    _positive_int(chunks, "chunks")
    F = np.atleast_1d(loss(X, y, beta, W, a, device=device))
    history, marks, done, eta = [F], [0], 0, lr
    slack = 1e-6 if dtype == "float64" else 1e-4
    for size in (steps // chunks + (1 if i < steps % chunks else 0) for i in range(chunks)):
        if not size:
            continue
        eta = step_size(X, y, beta, W, a) if lr is None else eta
        for _ in range(31):
            with np.errstate(over="ignore", invalid="ignore"):
                res = gradient_descent(X, y, beta, W, a, lr=eta, steps=size, record_every=size, device=device, dtype=dtype)
            F_new = np.atleast_1d(res.losses[..., -1])
            if np.all(np.isfinite(F_new)) and np.all(F_new <= F + slack * np.maximum(np.abs(F), 1e-300)):
                break
            eta /= 2
        else:
            raise ReluscapeError(f"gradient descent does not decrease F even at step {eta:.3g}")
        W, a, F = res.W, res.a, F_new
        done += size
        history.append(F)
        marks.append(done)
        if callback is not None:
            callback(done, F)
    losses = np.stack(history, axis=-1)
    return DescentResult(W=W, a=a, losses=losses if batched else losses[0], steps=np.array(marks), lr=eta)


def gd_runs(X, y, beta, *, width, runs, alpha=1e-2, steps=5000, lr=None, seed=0, device=None):
    r"""``runs`` gradient-descent runs from random networks, batched: a :class:`DescentResult`.

    Each run starts from the balanced initialization of :func:`~exact.numeric.init_params`
    (:math:`w_j\sim\mathcal N(0,\alpha^2I)`, :math:`a_j=\pm\|w_j\|`), width ``width``, and takes
    ``steps`` steps of :func:`descend`. This is the experiment of [KP] Theorem 2.5 (local
    methods from random initialization; secondary): compare the final values
    ``losses[:, -1]`` with :math:`p^*`, and with :func:`own_pattern_values`.

    Examples
    --------
    >>> F = gd_runs([[1, 0], [0, 1]], [0.6, 0.8], 0.5, width=2, runs=3, alpha=0.3, steps=3000).losses[:, -1]
    >>> bool(np.all(F >= 0.375 - 1e-9)), round(float(F.min()), 6)   # p* = h_beta(1) = 0.375
    (True, 0.375)
    """
    X, y, beta = float_data(X, y, beta)
    W, a = init_params(width, X.shape[1], batch=runs, alpha=alpha, seed=seed)
    return descend(X, y, beta, W, a, steps=steps, lr=lr, device=device)


def own_pattern_values(X, y, beta, W, *, tol=1e-9):
    r"""For each network of a batch, :math:`\mathrm{CP}` over the patterns of its own neurons.

    The patterns :math:`\mathbb 1[Xw_j>0]` of the neurons of ``W[b]`` (:func:`gate_patterns`
    with the neurons as gates) are the sample :math:`\mathcal S_b`, and the value is the
    solver's (feasible) value of :math:`C_{\mathcal S_b}` (:func:`relaxed_value`). Each
    neuron maps to a feasible block of :math:`C_{\mathcal S_b}` with no larger objective
    (D3.4, AM–GM), so :math:`p^*\le\mathrm{CP}(\mathcal S_b)\le F(\theta_b)`; [KP]'s mechanism
    for Theorem 2.5 is that a stationary point makes the second inequality an equality,
    :math:`F(\theta_b)=\mathrm{CP}(\mathcal S_b)` (``math/benignity_and_relaxation.md`` §5, step 5).

    Parameters
    ----------
    X, y, beta
        The data.
    W : array-like, shape (B, m, d) or (m, d)
        Input weights of ``B`` networks (or one).

    Returns
    -------
    ndarray, shape (B,) (or a float for one network)

    Examples
    --------
    A neuron on the first sample only: :math:`\mathcal S=\{\{1\}\}`, value :math:`h_1(3)+\tfrac12 4^2`.

    >>> round(float(own_pattern_values(np.eye(2), [3, 4], 1.0, [[1.0, -1.0]])), 6)
    10.5
    """
    X, y, beta = float_data(X, y, beta)
    W = float_array(W, "W")
    if W.ndim not in (2, 3):
        raise InvalidDataError(f"W has {W.ndim} dimensions; expected (m, d) or (B, m, d)")
    values = np.array([relaxed_value(X, y, beta, gate_patterns(X, Wb), tol=tol).value for Wb in W.reshape((-1,) + W.shape[-2:])])
    return values if W.ndim == 3 else float(values[0])


def rationalize(x, max_denominator, *, common=False):
    r"""Floats as the nearest fractions with denominator at most ``max_denominator`` (nested lists).

    The gate from a float proposal to the exact side: the exact code then *checks* whatever it
    is handed. ``common=True`` rounds every entry to the nearest multiple of
    ``1 / max_denominator`` instead: one denominator for all, so that exact sums of many entries
    stay short (with a denominator per entry their common denominator grows with every term).

    Examples
    --------
    >>> rationalize(np.array([[0.5, 0.1], [1 / 3, -2.0]]), 100)
    [[Fraction(1, 2), Fraction(1, 10)], [Fraction(1, 3), Fraction(-2, 1)]]
    >>> rationalize([1 / 3, 0.25], 100, common=True)
    [Fraction(33, 100), Fraction(1, 4)]
    >>> rationalize([float("nan")], 10)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: x[0] is NaN
    """
    arr = float_array(x, "x")
    if isinstance(max_denominator, bool) or not isinstance(max_denominator, (int, np.integer)) or max_denominator < 1:
        raise InvalidDataError(f"max_denominator = {max_denominator!r} must be an integer >= 1")

    q = int(max_denominator)

    def conv(a):
        if isinstance(a, list):
            return [conv(b) for b in a]
        return Fraction(round(a * q), q) if common else Fraction(a).limit_denominator(q)

    return conv(arr.tolist())


def summarize(results, *, reach=1e-2):
    r"""Aggregate gap-experiment records (:func:`exact.relaxation.gap_experiment`) by series and ``n``.

    A *series* is one sample-size rule and one dimension rule (record keys ``samples`` and
    ``dims``, e.g. ``100`` and ``"2"``, or ``"4log"`` and ``"n/4"``). For each ``n`` of a series:
    the number of seeds; the median and the 10% and 90% quantiles of both ends of the ratio
    brackets :math:`\tilde p^*/p^*`; :math:`\sqrt{\log 2n}`; the reference curve
    :math:`c_0\sqrt{\log 2n}` with :math:`c_0` fitted to the median upper ratio at the series'
    smallest :math:`n` (``math/benignity_and_relaxation.md`` §5, "Plot"); the fraction of samples
    holding an optimal support (certified records); and, when GD ran, the fraction of runs with
    :math:`F\le(1+\text{reach})\,p^*_{\rm up}`, the fraction with
    :math:`F\le\sqrt{\log 2n}\,p^*_{\rm up}` (the bound with :math:`C=1`) and the median
    :math:`F/p^*_{\rm up}`; when the records hold the values on the runs' own patterns
    (:func:`own_pattern_values`, key ``own``), also the fraction of runs with
    :math:`F\le(1+\text{reach})\,\mathrm{CP}(\mathcal S_b)` (GD ended optimal on its own
    patterns) and the median :math:`\mathrm{CP}(\mathcal S_b)/p^*_{\rm up}`. Exact entries
    (strings ``"p/q"``) are read as floats here.

    Returns
    -------
    list of dict, sorted by series and ``n``.

    Examples
    --------
    >>> rec = {"n": 4, "d": 2, "dims": "2", "samples": 8, "gates": 8, "ratio": ["1", "5/4"], "p_star": ["2", "2"]}
    >>> row = summarize([rec, dict(rec, ratio=["1", "1"])])[0]
    >>> row["seeds"], row["ratio_hi_median"], round(row["sqrt_log_2n"], 4), row["c0"] == row["ratio_hi_median"] / row["sqrt_log_2n"]
    (2, 1.125, 1.442, True)
    """
    groups = {}
    for rec in results:
        groups.setdefault((str(rec["samples"]), str(rec["dims"]), rec["n"]), []).append(rec)
    rows = []
    for (samples, dims, n), recs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        lo = np.array([_num(r["ratio"][0]) for r in recs])
        hi = np.array([_num(r["ratio"][1]) for r in recs])
        row = {
            "samples": samples,
            "dims": dims,
            "n": n,
            "d": sorted({r["d"] for r in recs}),
            "gates": sorted({r["gates"] for r in recs}),
            "seeds": len(recs),
            "ratio_lo_median": float(np.median(lo)),
            "ratio_lo_q10": float(np.quantile(lo, 0.1)),
            "ratio_lo_q90": float(np.quantile(lo, 0.9)),
            "ratio_hi_median": float(np.median(hi)),
            "ratio_hi_q10": float(np.quantile(hi, 0.1)),
            "ratio_hi_q90": float(np.quantile(hi, 0.9)),
            "sqrt_log_2n": math.sqrt(math.log(2 * n)),
            "support_contained": _mean([r.get("support_contained") for r in recs]),
        }
        gd = [(r["gd"], _num(r["p_star"][1])) for r in recs if r.get("gd")]
        if gd:
            rel = np.concatenate([np.array(g["final"], dtype=float) / p for g, p in gd])
            rel = np.where(np.isfinite(rel), rel, np.inf)
            row["gd_reach"] = float(np.mean(rel <= 1 + reach))
            row["gd_within_sqrt_log"] = float(np.mean(rel <= row["sqrt_log_2n"]))
            row["gd_ratio_median"] = float(np.median(rel))
        own = [(np.array(g["final"], dtype=float), np.array(g["own"], dtype=float), p) for g, p in gd if g.get("own")]
        if own:
            row["gd_own_optimal"] = float(np.mean(np.concatenate([F <= (1 + reach) * c for F, c, _ in own])))
            row["gd_own_ratio_median"] = float(np.median(np.concatenate([c / p for _, c, p in own])))
        rows.append(row)
    first = {}
    for row in rows:  # rows are sorted by n within a series: the first seen is the smallest n
        c0 = first.setdefault((row["samples"], row["dims"]), row["ratio_hi_median"] / row["sqrt_log_2n"])
        row["c0"] = c0
        row["reference"] = c0 * row["sqrt_log_2n"]
    return rows


def plot_summary(rows, path):
    r"""Plot the median ratio brackets against :math:`\sqrt{\log 2n}` with the fitted reference; needs matplotlib.

    One panel: for each series of :func:`summarize`, the median upper ratio (line) with its
    10–90% band, the median lower ratio (dashed), and :math:`c_0\sqrt{\log 2n}` (dotted).

    Returns
    -------
    str or None
        ``path``, or ``None`` when matplotlib is not installed (the ``plots`` extra).
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        return None
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    series = {}
    for row in rows:
        series.setdefault((row["samples"], row["dims"]), []).append(row)
    for (samples, dims), group in series.items():
        x = [r["sqrt_log_2n"] for r in group]
        label = f"samples {samples}, d = {dims}"
        (line,) = ax.plot(x, [r["ratio_hi_median"] for r in group], marker="o", label=label)
        ax.fill_between(x, [r["ratio_hi_q10"] for r in group], [r["ratio_hi_q90"] for r in group], color=line.get_color(), alpha=0.15)
        ax.plot(x, [r["ratio_lo_median"] for r in group], ls="--", color=line.get_color())
        ax.plot(x, [r["reference"] for r in group], ls=":", color=line.get_color())
    ax.set_xlabel(r"$\sqrt{\log 2n}$")
    ax.set_ylabel(r"$\tilde p^*/p^*$ (median bracket; dotted: $c_0\sqrt{\log 2n}$)")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _num(v):
    """A float from a JSON number or an exact ``"p/q"`` string."""
    return float(Fraction(v)) if isinstance(v, str) else float(v)


def _mean(flags):
    known = [bool(f) for f in flags if f is not None]
    return sum(known) / len(known) if known else None


def _positive_int(k, name):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidDataError(f"{name} = {k!r} must be an integer >= 1")
