r"""Float solvers for the convex (group-lasso) reformulation on a given list of patterns.

For data :math:`(X,y,\beta)` and activation patterns :math:`D_s` (rows of a P×n 0/1 array),
with cones :math:`K_s=\{u:(2D_s-I)Xu\ge0\}` (``math/convex_duality.md`` D3.1),

.. math:: \min_{u_s,v_s\in K_s}\ G(u,v)=\tfrac12\Big\|\sum_sD_sX(u_s-v_s)-y\Big\|^2
          +\beta\sum_s(\|u_s\|+\|v_s\|),

whose dual (D3.2, with L4.1) is :math:`\max_\nu\ \nu^\top y-\tfrac12\|\nu\|^2` subject to
:math:`\|\Pi_{K_s}(\pm X^\top D_s\nu)\|\le\beta` for every listed :math:`s`. With the full list
of regions this is the global problem (C); with a sample it is the restricted problem
:math:`C_{\mathcal S}` (D6.1), whose value is an upper bound on the global one.

:func:`solve_convex` returns a :class:`ConvexProposal`: primal blocks, fit, value, the dual
candidate :math:`\nu=y-\hat y` and its float dual-feasibility violation. It is a *proposal*: the
exact side rationalizes and certifies it. Two methods:

* ``"admm"`` (default): our ADMM (below); numpy or torch, CPU or CUDA; thousands of patterns.
* ``"cvxpy"``: cvxpy with the Clarabel interior-point solver (the ``cvx`` extra), a reference.

**The ADMM.** Blocks :math:`b=(s,\pm)` carry :math:`z_b\in\mathbb R^d`,
:math:`M_b=\pm D_sX` and the constraint matrix :math:`\bar A_b=\operatorname{diag}(2D_s-I)\bar X`,
where :math:`\bar X` is :math:`X` with unit rows, divided by its spectral norm (same cones,
better conditioning; zero rows stay zero). Splitting :math:`t_b=z_b` and :math:`q_b=\bar A_bz_b`,

.. math:: \min\ \tfrac12\|Mz-y\|^2+\beta\sum_b\|t_b\|+\sum_b\iota(q_b\ge0)
          \quad\text{s.t.}\quad z_b=t_b,\ \bar A_bz_b=q_b,

and scaled ADMM (Boyd et al. 2011, §3.1) with penalty :math:`\rho` and over-relaxation 1.6 is

1. :math:`z\leftarrow(M^\top M+\rho\,I\otimes H)^{-1}\big(M^\top y+\rho(t-\lambda)+\rho\bar A^\top(q-\mu)\big)`,
   :math:`H=I+\bar X^\top\bar X` (because :math:`\bar A_b^\top\bar A_b=\bar X^\top\bar X` for every
   block). By Woodbury this costs one solve with the n×n matrix
   :math:`I+\rho^{-1}(XH^{-1}X^\top)\odot\sum_bd_{s(b)}d_{s(b)}^\top`, factored once per :math:`\rho`;
2. :math:`t_b\leftarrow(1-\tfrac{\beta/\rho}{\|z_b+\lambda_b\|})_+(z_b+\lambda_b)` (group soft
   threshold) and :math:`q_b\leftarrow(\bar A_bz_b+\mu_b)_+`;
3. :math:`\lambda\leftarrow\lambda+z-t`, :math:`\mu\leftarrow\mu+\bar Az-q`.

**Working set.** The optimum uses few blocks (at most :math:`n+1` generically), so the ADMM
runs on a working set :math:`\mathcal W` of blocks, grown by column generation (the route of
``DESIGN.md``): start from :math:`\mathcal W=\emptyset` (:math:`\nu=y`); after each round of at
most 500 ADMM iterations on :math:`\mathcal W`, compute :math:`\|\Pi_{K_s}(M_b^\top\nu)\|` for
every block outside :math:`\mathcal W` with :math:`\|M_b^\top\nu\|>\beta` (no other block can
violate, since :math:`\|\Pi_Kg\|\le\|g\|`), and add the :math:`\max(16,|\mathcal W|)` most
violated ones. An iteration costs :math:`O(|\mathcal W|nd)` in batched products, a round's setup
:math:`O(n^3+|\mathcal W|n^2)` and memory :math:`O(n^2+|\mathcal W|n)`, so thousands of patterns
cost only the projections of the candidates. :math:`\rho` starts at :math:`\|X\|_F^2/n` and is
rebalanced (OSQP style) when the scaled primal and dual residuals differ by more than a factor 10.

**Stopping rule.** Every 25 iterations, the nonzero blocks are projected onto their cones
(feasible point :math:`t`, value :math:`G(t)`, an upper bound), and with :math:`\nu=y-\hat y(t)`,
:math:`\Lambda=\max_b\|\Pi_{K_b}(M_b^\top\nu)\|` over :math:`\mathcal W`, the scaled vector
:math:`c\nu` with :math:`c\le\min(1,\beta/\Lambda)` is dual feasible for the working set, so
:math:`d(c\nu)` (best such :math:`c`) is a lower bound. A round ends when
:math:`G(t)-d(c\nu)\le\texttt{tol}\cdot G(t)`; the solve ends when the same holds with
:math:`\Lambda` over *all* listed blocks. The gap is first order in the error of :math:`\nu` but
the value error is second order, so values are typically far more accurate than ``tol``.

**Result.** Nonzero blocks slightly outside their cone are projected onto it (:func:`cone_projection`),
so the returned point is feasible and ``value`` is an upper bound on the optimum over the listed
patterns; ``lower_bound`` is :math:`d(c\nu)` over all listed patterns (:func:`dual_violation`),
so ``lower_bound <= optimum <= value`` up to rounding.
"""

import importlib
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidDataError, ReluscapeError, entries
from .backend import float_array, float_data, get_backend
from .wall_cones import WallCones, applies, cones_of

__all__ = ["ConvexProposal", "solve_convex", "cone_projection", "projection_face", "weak_rows", "dual_norms", "block_norms", "dual_violation", "nearly_tight", "nearly_annihilated", "rounded_multipliers"]

_METHODS = ("admm", "cvxpy")
_RELAX = 1.6
_CHECK_EVERY = 25
_ROUND = 500


@dataclass(frozen=True)
class ConvexProposal:
    r"""A float solution of the convex problem on a list of patterns, to be certified exactly.

    Attributes
    ----------
    U, V : ndarray, shape (P, d)
        The blocks :math:`u_s` and :math:`v_s`, row ``s`` for pattern ``s``; each lies in
        :math:`K_s` up to rounding.
    fit : ndarray, shape (n,)
        :math:`\hat y=\sum_sD_sX(u_s-v_s)`.
    value : float
        :math:`G(U,V)`.
    nu : ndarray, shape (n,)
        The dual candidate :math:`\nu=y-\hat y`.
    dual_value : float
        :math:`d(\nu)=\nu^\top y-\tfrac12\|\nu\|^2`.
    dual_violation : float
        :math:`\max_{s,\pm}\|\Pi_{K_s}(\pm X^\top D_s\nu)\|-\beta` over the listed patterns;
        :math:`\le0` (up to rounding) iff :math:`\nu` is dual feasible.
    lower_bound : float
        :math:`d(c\nu)` for the best :math:`c\in[0,1]` that makes :math:`c\nu` feasible.
    method : str
    iterations : int
        ADMM iterations, or interior-point iterations for ``"cvxpy"``.
    converged : bool
        Whether the stopping rule was met (``"cvxpy"``: whether Clarabel reported optimal).
    """

    U: np.ndarray
    V: np.ndarray
    fit: np.ndarray
    value: float
    nu: np.ndarray
    dual_value: float
    dual_violation: float
    lower_bound: float
    method: str
    iterations: int
    converged: bool

    @property
    def gap(self):
        """``value - lower_bound``: how far the proposal may be from optimal, in floats."""
        return self.value - self.lower_bound


def solve_convex(X, y, beta, patterns, *, method=None, tol=1e-4, max_iter=20_000, device=None):
    r"""Solve the convex problem on the listed patterns in floats and return a :class:`ConvexProposal`.

    Parameters
    ----------
    X, y, beta
        The data: an n×d array, n labels, :math:`\beta>0` (or a ``Dataset`` as ``X``).
    patterns : array-like, shape (P, n)
        The 0/1 vectors :math:`D_s`, one per row (duplicates and the zero pattern are allowed).
    method : {None, "admm", "cvxpy"}
        ``None`` is ``"admm"``. ``"cvxpy"`` needs the ``cvx`` extra (cvxpy and clarabel).
    tol : float
        ADMM: the relative gap :math:`(G-d)/G` of the stopping rule. cvxpy: Clarabel's
        ``tol_gap_abs``, ``tol_gap_rel`` and ``tol_feas``.
    max_iter : int
        The iteration limit of the ADMM.
    device : None or str
        The ADMM's backend (:func:`~exact.numeric.backend.get_backend`): numpy, ``"cpu"`` or ``"cuda"``.

    Returns
    -------
    ConvexProposal

    Raises
    ------
    InvalidDataError
        On bad data, patterns that are not a P×n 0/1 array, an unknown method, or
        ``tol``/``max_iter`` out of range.
    ModuleNotFoundError
        For ``method="cvxpy"`` without cvxpy installed.
    ReluscapeError
        If Clarabel fails.

    Notes
    -----
    Algorithms, costs and the stopping rule are in the module docstring. An ADMM run that hits
    ``max_iter`` is returned with ``converged=False``; its bounds are still valid.

    Examples
    --------
    Orthonormal data, both patterns of the positive label: the optimum is the Huber value
    :math:`h_\beta(2)=\beta\cdot2-\beta^2/2=1.5` (``math/benignity_and_relaxation.md`` Thm 3.1),
    with fit :math:`(1-\beta/2)y`.

    >>> sol = solve_convex([[1, 0], [0, 1]], [2, 0], 1.0, [[1, 0], [1, 1]], tol=1e-10)
    >>> round(sol.value, 6), sol.fit.round(4).tolist(), bool(sol.gap < 1e-8)
    (1.5, [1.0, 0.0], True)
    >>> solve_convex([[1, 0]], [1], 1.0, [[1, 2]])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: patterns has 2 columns but X has 1 rows
    """
    X, y, beta = float_data(X, y, beta)
    D = _patterns(patterns, X.shape[0])
    tol = float(float_array(tol, "tol", ndim=0))
    if not 0 < tol < 1:
        raise InvalidDataError(f"tol = {tol} must be in (0, 1)")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise InvalidDataError(f"max_iter = {max_iter!r} must be an integer >= 1")
    if method is None or method == "admm":
        U, V, iterations, converged = _admm(get_backend(device), X, y, beta, D, tol, max_iter)
        method = "admm"
    elif method == "cvxpy":
        U, V, iterations, converged = _cvxpy(X, y, beta, D, tol)
    else:
        raise InvalidDataError(f"method = {method!r} is not one of None, {', '.join(map(repr, _METHODS))}")
    U, V = _into_cones(X, D, U), _into_cones(X, D, V)
    fit = block_fit(X, D, U, V)
    nu = y - fit
    value = 0.5 * float(nu @ nu) + beta * float(
        np.linalg.norm(U, axis=1).sum() + np.linalg.norm(V, axis=1).sum()
    )
    violation = dual_violation(X, D, nu, beta)
    return ConvexProposal(
        U=U,
        V=V,
        fit=fit,
        value=value,
        nu=nu,
        dual_value=float(nu @ y - 0.5 * nu @ nu),
        dual_violation=violation,
        lower_bound=_scaled_dual_value(nu, y, beta / (violation + beta)),
        method=method,
        iterations=iterations,
        converged=converged,
    )


def cone_projection(X, pattern, g):
    r"""Return :math:`p=\Pi_{K_s}(g)` and multipliers :math:`\lambda\ge0` with :math:`p=g+A_s^\top\lambda`.

    Here :math:`A_s=\operatorname{diag}(2D_s-I)X` and :math:`K_s=\{u:A_su\ge0\}`. The pair
    satisfies the KKT form of the projection (``math/convex_duality.md`` §4): :math:`A_sp\ge0`
    and :math:`\lambda\odot A_sp=0`, up to rounding. :math:`\lambda` solves the nonnegative
    least-squares problem :math:`\min_{\lambda\ge0}\|g+A_s^\top\lambda\|` (Moreau:
    :math:`g-p=\Pi_{K_s^\circ}g`), by the Lawson–Hanson active-set method of
    ``scipy.optimize.nnls``. Its answer is accepted only if it passes the three KKT conditions
    (relative tolerance :math:`10^{-9}`); otherwise (scipy 1.17's ``nnls`` returns wrong
    multipliers on some nearly feasible inputs) the bounded-variable least-squares method
    ``scipy.optimize.lsq_linear(method="bvls")`` is used and checked the same way.

    Parameters
    ----------
    X : array-like, shape (n, d)
    pattern : array-like, shape (n,)
        The 0/1 vector :math:`D_s`.
    g : array-like, shape (d,)

    Returns
    -------
    p : ndarray, shape (d,)
    lam : ndarray, shape (n,)

    Raises
    ------
    InvalidDataError
        On shapes that do not match or a pattern that is not 0/1.
    ReluscapeError
        If the active-set method does not finish.

    Examples
    --------
    :math:`K=\{u:u_1\ge0,\ -u_2\ge0\}` for rows :math:`e_1,e_2` and pattern :math:`(1,0)`:

    >>> p, lam = cone_projection([[1, 0], [0, 1]], [1, 0], [-1.0, 2.0])
    >>> p.tolist(), lam.tolist()
    ([0.0, 0.0], [1.0, 2.0])
    """
    X = float_array(X, "X", ndim=2)
    D = _patterns([pattern], X.shape[0])
    g = float_array(g, "g", ndim=1)
    if g.shape[0] != X.shape[1]:
        raise InvalidDataError(f"g has {entries(g.shape[0])} but X has {X.shape[1]} columns")
    return _project(X, D[0], g)


def projection_face(A, g, *, rtol=1e-12):
    r"""The rows of ``A`` that a float projection of ``g`` on :math:`\{u:Au\ge0\}` proposes as
    active: those with multiplier :math:`\lambda_i>` ``rtol`` :math:`\cdot\max\lambda`
    (:func:`cone_projection` with ``A`` as the rows of a pattern of ones). A proposal: the
    caller solves on these rows exactly and checks the KKT conditions (:mod:`exact.cones`).
    ``None`` when the float solve fails; ``[]`` when ``g`` is in the cone.

    Examples
    --------
    >>> projection_face([[1, 0], [0, 1], [1, 1]], [-1, 2])   # only u_1 >= 0 binds
    [0]
    """
    try:
        _, lam = cone_projection(A, [1] * len(A), g)
    except ReluscapeError:
        return None
    top = lam.max(initial=0.0)
    return [int(i) for i in np.flatnonzero(lam > rtol * top)] if top > 0 else []


def weak_rows(X, p, tol):
    r"""The indices of the rows :math:`x_i` of ``X`` (exact data) where :math:`|x_i^\top p|\le`
    ``tol`` may hold: a superset, for the caller to decide exactly.

    A float product screens the rows: its rounding is below :math:`(d+2)\,2^{-53}\sum_j|x_{ij}p_j|`
    relative, and a row is kept unless :math:`|x_i^\top p|` exceeds ``tol`` by :math:`10^{-12}` of
    that sum. Every row when ``p`` does not fit in floats.

    >>> weak_rows([[1, 0], [0, 1], [1, 1]], [0, 5], 0).tolist()
    [0]
    """
    from ..optimality import memo_for

    memo = memo_for(X, "float")
    if "X" not in memo:
        memo["X"] = np.asarray([[float(a) for a in row] for row in X])
    Xf = memo["X"]
    with np.errstate(over="ignore", invalid="ignore"):
        pf = np.array([float(c) for c in p])
        size = np.abs(Xf) @ np.abs(pf)
        keep = np.abs(Xf @ pf) <= float(tol) * (1 + 1e-12) + 1e-12 * size
    if not np.isfinite(size).all():
        return np.arange(len(Xf))
    return np.flatnonzero(keep)


def dual_norms(X, patterns, nu, *, walls=None, tree=None, sums=None):
    r"""Return the P×2 array of :math:`\|\Pi_{K_s}(X^\top D_s\nu)\|` and :math:`\|\Pi_{K_s}(-X^\top D_s\nu)\|`.

    :math:`\nu` is dual feasible for the listed patterns iff every entry is :math:`\le\beta`;
    the blocks with an entry :math:`>\beta` are the violated ones (column generation adds them).

    Parameters
    ----------
    X : array-like, shape (n, d)
    patterns : array-like, shape (P, n)
    nu : array-like, shape (n,)
    walls : sequence of row-index sequences, optional
        The walls of each pattern's region (:attr:`exact.arrangement.PatternSet.walls`): the
        projections then use these rows only (the same cones, fewer constraints).
    tree : RegionTree, optional
        :attr:`exact.arrangement.PatternSet.tree` when ``patterns`` are all the regions in order:
        :math:`X^\top D_s\nu` for all of them in :math:`O(Pd)` (:func:`pattern_sums`).
    sums : ndarray, shape (P, d), optional
        :math:`X^\top D_s\nu` already computed (:func:`pattern_sums`), for a caller that needs it too.

    Returns
    -------
    ndarray, shape (P, 2)

    Raises
    ------
    InvalidDataError
        On shapes that do not match, or patterns that are not 0/1.

    Notes
    -----
    With walls and :math:`d\le3`, both signs of every pattern in one vectorized pass over the
    faces of the cones (:class:`~exact.numeric.wall_cones.WallCones`); otherwise one projection
    (:func:`cone_projection`) per block that is not already in its cone.

    Examples
    --------
    >>> dual_norms([[1, 0], [0, 1]], [[1, 0], [1, 1]], [3.0, -4.0]).tolist()
    [[3.0, 0.0], [3.0, 4.0]]
    """
    X = float_array(X, "X", ndim=2)
    D = _patterns(patterns, X.shape[0])
    nu = float_array(nu, "nu", ndim=1)
    if nu.shape[0] != X.shape[0]:
        raise InvalidDataError(f"nu has {entries(nu.shape[0])} but X has {X.shape[0]} rows")
    G = pattern_sums(D, nu[:, None] * X, tree) if sums is None else sums
    if applies(X.shape[1], walls):
        return WallCones(X, D, walls).norms(G)
    out = np.empty((D.shape[0], 2))
    for s in range(D.shape[0]):
        for k, sign in enumerate((1.0, -1.0)):
            out[s, k] = np.linalg.norm(_project(X, D[s], sign * G[s], None if walls is None else walls[s])[0])
    return out


def nearly_tight(X, blocks, nu, beta, *, rtol=1e-6, walls=None):
    r"""Which blocks ``(D, sign)`` have :math:`\|\Pi_{K_s}(\sigma X^\top D_s\nu)\|\ge(1-\text{rtol})\beta` in floats.

    A proposal for the exact side (which blocks to treat as tight); entries may be exact
    numbers; ``blocks`` and ``walls`` as in :func:`block_norms`.
    Returns a list of bools, one per block.

    Examples
    --------
    >>> nearly_tight([[1, 0], [0, 1]], [((1, 0), 1), ((1, 0), -1), ((1, 1), 1)], [1, -2], 1)
    [True, False, True]
    """
    return (block_norms(X, blocks, nu, walls) >= (1 - rtol) * float(beta)).tolist()


def most_violated(X, blocks, nu, beta, *, rtol=1e-9, limit=None, walls=None):
    r"""The indices of the blocks ``(D, sign)`` with :math:`\|\Pi_{K_s}(\sigma X^\top D_s\nu)\|>(1+\text{rtol})\beta`
    in floats, most violated first, at most ``limit`` of them: the columns a column generation
    adds (a proposal; arguments as in :func:`nearly_tight`).

    Examples
    --------
    >>> blocks = [((1, 0), 1), ((0, 1), -1), ((1, 1), 1)]   # norms 2, 3, 2 at nu = (2, -3)
    >>> most_violated([[1, 0], [0, 1]], blocks, [2, -3], 1), most_violated([[1, 0], [0, 1]], blocks, [2, -3], 2.5)
    ([1, 0, 2], [1])
    >>> most_violated([[1, 0], [0, 1]], blocks, [2, -3], 1, limit=2)
    [1, 0]
    """
    norms = block_norms(X, blocks, nu, walls)
    over = np.flatnonzero(norms > (1 + rtol) * float(beta))
    order = over[np.argsort(-norms[over], kind="stable")]
    return [int(i) for i in order[:limit]]


def block_norms(X, blocks, nu, walls=None):
    r"""The float :math:`\|\Pi_{K_s}(\sigma X^\top D_s\nu)\|` of each block ``(D, sign)``.

    ``blocks`` is a sequence of ``(D, sign)`` (``walls`` maps a pattern to its walls), or a
    :class:`~exact.block_set.BlockSet`: arrays ``D`` (P x n), ``pattern``, ``sign``, with the walls
    of each row and the region tree when the rows are all the regions (no tuple is built).

    Examples
    --------
    >>> block_norms([[1, 0], [0, 1]], [((1, 0), 1), ((1, 1), -1)], [3, -4]).tolist()
    [3.0, 4.0]
    """
    if hasattr(blocks, "pattern"):
        return _set_norms(X, blocks, nu)
    blocks = list(blocks)
    if not blocks:
        return np.zeros(0)
    pats = sorted({tuple(D) for D, _ in blocks})
    index = {D: i for i, D in enumerate(pats)}
    w = None if walls is None else [walls.get(D) for D in pats]
    N = dual_norms([[float(a) for a in r] for r in X], pats, [float(v) for v in nu], walls=w)
    return np.array([N[index[tuple(D)], 0 if s > 0 else 1] for D, s in blocks])


def _set_norms(X, blocks, nu):
    """:func:`block_norms` of a ``BlockSet``: every row of ``D`` along its ``used_tree``, else
    the rows used by a product."""
    if not len(blocks):
        return np.zeros(0)
    Xf, nuf = [[float(a) for a in r] for r in X], [float(v) for v in nu]
    if blocks.used_tree is not None and applies(len(Xf[0]), blocks.walls):  # the cones kept with D
        Xa = np.array(Xf)
        N, at = cones_of(Xa, blocks.D, blocks.walls).norms(blocks.tree.sums(np.array(nuf)[:, None] * Xa)), blocks.pattern
    elif blocks.used_tree is not None:
        N, at = dual_norms(Xf, blocks.D, nuf, walls=blocks.walls, tree=blocks.tree), blocks.pattern
    else:
        used = np.unique(blocks.pattern)
        w = None if blocks.walls is None else [blocks.walls[i] for i in used]
        N, at = dual_norms(Xf, blocks.D[used], nuf, walls=w), np.searchsorted(used, blocks.pattern)
    return N[at, np.where(blocks.sign > 0, 0, 1)]


def nearly_annihilated(X, nu, *, rtol=1e-6):
    r"""Whether :math:`\|X^\top\nu\|\le\text{rtol}\sum_k|\nu_k|\|x_k\|` in floats: a proposal that the
    optimum has :math:`X^\top\nu^*=0` (antipodal tight directions, the complements of the atoms'
    blocks tight too). Entries may be exact.

    Examples
    --------
    >>> nearly_annihilated([[1, 2], [2, 4]], [2, -1]), nearly_annihilated([[1, 0], [0, 1]], [1, 0])
    (True, False)
    """
    Xf = np.array([[float(a) for a in r] for r in X])
    nuf = np.array([float(v) for v in nu])
    return bool(np.linalg.norm(nuf @ Xf) <= rtol * float(np.abs(nuf) @ np.linalg.norm(Xf, axis=1)))


def rounded_multipliers(X, patterns, signs, nu, walls, *, bits=40, normals=None, index=None, tree=None):
    r"""Multipliers :math:`\lambda\ge0` on each block's walls that bound its projection:
    :math:`\|\sigma X^\top D_s\nu+A_s^\top\lambda\|\ge\|\Pi_{K_s}(\sigma X^\top D_s\nu)\|` for every
    :math:`\lambda\ge0`, with equality at the projection's multipliers. A proposal for the exact
    side, which proves the bound :math:`<\beta` with the integers returned.

    Parameters
    ----------
    X : array-like, shape (n, d)
    patterns : array-like, shape (P, n)
        0/1 patterns: row ``index[i]`` is :math:`D_s` of block ``i``.
    signs : array-like, shape (B,)
        Each block's :math:`\sigma=\pm1`.
    nu : array-like, shape (n,)
        Entries may be exact.
    walls : sequence of row-index sequences, one per block (:attr:`~exact.arrangement.PatternSet.walls`).
    bits : int
        The multipliers are returned as integers :math:`\lfloor2^{\text{bits}}\lambda_j\rfloor`.
    normals : array-like, shape (n, d), optional
        Positive multiples :math:`c_kx_k` of the rows of ``X`` writing the cones
        (:math:`A_s` = ``diag(2D_s - 1) normals``); the multipliers are those of these rows.
    index : int array, shape (B,), optional
        Each block's row of ``patterns`` (default: block ``i`` is row ``i``).
    tree : RegionTree, optional
        :attr:`~exact.arrangement.PatternSet.tree` when ``patterns`` are all the regions in order
        (the sums :math:`X^\top D_s\nu` along it, :func:`pattern_sums`).

    Returns
    -------
    rows, scaled : int64 arrays, shape (B, m)
        The rows :math:`j` carrying :math:`\lambda_j` (``-1`` pads) and :math:`\lfloor2^{\text{bits}}\lambda_j\rfloor`.

    Notes
    -----
    For :math:`d\le3` and at most :data:`MAX_WALLS` walls, vectorized: the projection lies on a face
    spanned by at most :math:`d` walls (Carathéodory), so the least-squares multipliers on every
    such set of walls, clipped at 0, include the projection's; the one with the smallest
    :math:`\|g+A^\top\lambda\|` is kept. Otherwise one projection per block (:func:`cone_projection`).

    Examples
    --------
    >>> rows, lam = rounded_multipliers([[1, 0], [0, 1]], [[1, 1], [1, 1]], [1, -1], [1, -2], [[0, 1], [0, 1]], bits=4)
    >>> rows.tolist(), lam.tolist()   # g = (1, -2): lambda_1 = 2 on the wall u_2 >= 0; g = (-1, 2): lambda_0 = 1
    ([[1, -1], [0, -1]], [[32, 0], [16, 0]])
    """
    X = np.array([[float(a) for a in r] for r in X])
    D = np.asarray(patterns)
    D = D.reshape(-1, X.shape[0]) if D.dtype.kind in "biu" else D.astype(float).reshape(-1, X.shape[0])
    signs = np.asarray(signs, dtype=float)
    index = np.arange(D.shape[0]) if index is None else np.asarray(index, dtype=np.int64)
    nuf = np.array([float(v) for v in nu])
    B, d = len(index), X.shape[1]
    if tree is not None:
        G = signs[:, None] * pattern_sums(D, nuf[:, None] * X, tree)[index]
    else:
        used = np.unique(index)
        G = signs[:, None] * pattern_sums(D[used], nuf[:, None] * X)[np.searchsorted(used, index)]
    if normals is not None:
        X = np.array([[float(a) for a in r] for r in normals])
    lam = np.zeros((B, d))
    rows = np.full((B, d), -1, dtype=np.int64)
    sizes = np.array([len(w) for w in walls], dtype=np.int64)
    fast = sizes <= MAX_WALLS if d <= 3 else np.zeros(B, dtype=bool)
    for size in np.unique(sizes[fast]):
        group = np.flatnonzero(fast & (sizes == size))
        for start in range(0, len(group), 4096):
            part = group[start : start + 4096]
            W = np.array([list(walls[i]) for i in part], dtype=np.int64).reshape(len(part), size)
            rows[part, : min(size, d)], lam[part, : min(size, d)] = _least_multipliers(X, D[index[part]].astype(float), G[part], W, d)
    slow = np.flatnonzero(~fast)
    width = d
    extra = {}
    for i in slow:
        w = list(walls[i])
        _, full = _project(X[w], D[index[i], w].astype(float), G[i])
        support = np.flatnonzero(full > 0)
        extra[i] = (np.array(w)[support], full[support])
        width = max(width, len(support))
    if width > d:
        rows = np.hstack([rows, np.full((B, width - d), -1, dtype=np.int64)])
        lam = np.hstack([lam, np.zeros((B, width - d))])
    for i, (r, v) in extra.items():
        rows[i], lam[i] = -1, 0.0
        rows[i, : len(r)], lam[i, : len(r)] = r, v
    scaled = np.floor(np.clip(lam, 0.0, 2.0 ** (60 - bits)) * 2.0**bits).astype(np.int64)
    rows[scaled == 0] = -1
    return rows, scaled


#: Most walls handled by the vectorized search of :func:`rounded_multipliers` (the subsets of at
#: most d walls grow as walls^d).
MAX_WALLS = 12


def _least_multipliers(X, D, G, W, d):
    """:func:`rounded_multipliers` for blocks with the same number of walls ``W`` (B x k):
    ``(rows, lam)`` of shape (B, min(k, d)), the best of the clipped least-squares multipliers
    over every set of at most d walls."""
    import itertools

    B, k = W.shape
    A = (2 * np.take_along_axis(D, W, axis=1) - 1)[..., None] * X[W]  # (B, k, d)
    m = min(k, d)
    best = np.linalg.norm(G, axis=1)  # lambda = 0
    rows = np.full((B, m), -1, dtype=np.int64)
    lam = np.zeros((B, m))
    for size in range(1, m + 1):
        combos = np.array(list(itertools.combinations(range(k), size)), dtype=np.int64)  # (C, size)
        AS = A[:, combos]  # (B, C, size, d)
        gram = np.einsum("bcid,bcjd->bcij", AS, AS)
        rhs = -np.einsum("bcid,bd->bci", AS, G)
        sol = _gram_solve(gram, rhs)
        sol = np.clip(sol, 0.0, None)
        res = np.linalg.norm(G[:, None, :] + np.einsum("bci,bcid->bcd", sol, AS), axis=2)  # (B, C)
        c = res.argmin(axis=1)
        better = res[np.arange(B), c] < best
        best = np.where(better, res[np.arange(B), c], best)
        rows[better] = -1
        lam[better] = 0.0
        rows[better, :size] = W[better][np.arange(better.sum())[:, None], combos[c[better]]]
        lam[better, :size] = sol[better, c[better]]
    return rows, lam


def _gram_solve(gram, rhs, rtol=1e-10):
    r"""Least-squares multipliers ``pinv(gram) @ rhs`` for a stack of small Gram matrices: by LU
    where the Gram matrix is well conditioned (its determinant above ``rtol`` times the product of
    its diagonal: Hadamard's bound), by the pseudo-inverse (an SVD each) only for the others
    (walls nearly parallel).

    Examples
    --------
    >>> gram = np.array([[[2.0, 0.0], [0.0, 4.0]], [[1.0, 1.0], [1.0, 1.0]]])  # the second is singular
    >>> np.round(_gram_solve(gram, np.array([[2.0, 4.0], [2.0, 2.0]])), 12).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    sol = np.empty_like(rhs)
    scale = np.prod(np.diagonal(gram, axis1=-2, axis2=-1), axis=-1)
    good = np.linalg.det(gram) > rtol * scale
    if good.any():
        sol[good] = np.linalg.solve(gram[good], rhs[good][..., None])[..., 0]
    if (~good).any():
        sol[~good] = np.einsum("...ij,...j->...i", np.linalg.pinv(gram[~good]), rhs[~good])
    return sol


def dual_violation(X, patterns, nu, beta):
    r"""Return :math:`\max_{s,\pm}\|\Pi_{K_s}(\pm X^\top D_s\nu)\|-\beta` over the listed patterns.

    Nonpositive (up to rounding) iff :math:`\nu` is dual feasible. Equal to
    ``dual_norms(X, patterns, nu).max() - beta``, but cheaper: since
    :math:`\|\Pi_Kg\|\le\|g\|`, blocks are projected in decreasing order of :math:`\|g\|` and
    the scan stops once :math:`\|g\|` is below the largest projection found.

    Parameters
    ----------
    X, patterns, nu
        As :func:`dual_norms`.
    beta : float
        :math:`\beta>0`.

    Returns
    -------
    float

    Raises
    ------
    InvalidDataError
        As :func:`dual_norms`, or :math:`\beta\le0`.

    Examples
    --------
    >>> dual_violation([[1, 0], [0, 1]], [[1, 0], [1, 1]], [3.0, -4.0], 2.5)
    1.5
    """
    X, nu, beta = float_data(X, nu, beta)
    D = _patterns(patterns, X.shape[0])
    G = pattern_sums(D, nu[:, None] * X)
    best = max(_max_norm_g(X, D, G), _max_norm_g(X, D, -G))
    return best - beta


def _patterns(patterns, n):
    """Validate a P×n 0/1 pattern array; returned as ``int8`` (an integer array is not copied
    into floats: :math:`P n` bytes, not :math:`8Pn`)."""
    if isinstance(patterns, np.ndarray) and patterns.dtype.kind in "biu" and patterns.ndim == 2 and patterns.size:
        D = patterns
    else:
        D = float_array(patterns, "patterns", ndim=2)
    if D.shape[1] != n:
        raise InvalidDataError(f"patterns has {D.shape[1]} columns but X has {n} rows")
    bad = (D != 0) & (D != 1)
    if bad.any():
        s, k = np.argwhere(bad)[0]
        raise InvalidDataError(f"patterns[{s}][{k}] = {D[s, k]} is not 0 or 1")
    return D.astype(np.int8, copy=False)


def pattern_sums(D, V, tree=None):
    r""":math:`\sum_{k\in D_s}V_k` for every pattern ``s``: ``D @ V`` in chunks of rows (bounded
    memory), or along the regions' spanning tree (:attr:`exact.arrangement.PatternSet.tree`,
    :math:`O(Pm)`) when ``tree`` is given and ``D`` are all the regions in order."""
    V = np.asarray(V, dtype=np.float64)
    if tree is not None:
        return tree.sums(V)
    return np.concatenate([D[i : i + 8192] @ V for i in range(0, len(D), 8192)]) if len(D) else np.zeros((0, V.shape[1]))


def block_fit(X, D, U, V):
    r"""The fit :math:`\sum_s D_sX(u_s-v_s)` of block weights ``U``, ``V`` (rows per pattern),
    over the patterns in use only."""
    used = np.flatnonzero(np.abs(U).sum(axis=1) + np.abs(V).sum(axis=1))
    return np.sum(D[used] * ((U[used] - V[used]) @ X.T), axis=0) if len(used) else np.zeros(X.shape[0])


def _project(X, d, g, rows=None):
    """Pi_K(g) for K = {u : diag(2d - 1) X u >= 0}, with its multipliers, KKT-checked. ``rows``
    (the region's walls, :attr:`exact.arrangement.PatternSet.walls`) cut out the same cone:
    only they are used, and the multipliers are 0 on the other rows."""
    if rows is not None:
        rows = list(rows)
        p, lam = _project(X[rows], d[rows], g)
        full = np.zeros(X.shape[0])
        full[rows] = lam
        return p, full
    from scipy.optimize import lsq_linear, nnls

    A = (2 * d - 1)[:, None] * X
    if (A @ g >= 0).all():
        return g.copy(), np.zeros(X.shape[0])
    try:
        lam = nnls(A.T, -g, maxiter=50 * X.shape[0])[0]
    except RuntimeError:
        lam = None
    if lam is None or not _is_projection(A, g, lam):
        lam = lsq_linear(A.T, -g, bounds=(0, np.inf), method="bvls", tol=1e-12).x
        if not _is_projection(A, g, lam):
            raise ReluscapeError(
                f"cone projection failed its KKT check for pattern {d.astype(int).tolist()} and g = {g.tolist()}"
            )
    return g + A.T @ lam, lam


def _is_projection(A, g, lam, rtol=1e-9):
    """KKT of p = g + A^T lam = Pi_K(g): lam >= 0, A p >= 0 and lam . A p = 0, up to rtol."""
    p = g + A.T @ lam
    Ap = A @ p
    scale = float(np.linalg.norm(g)) * max(float(np.abs(A).max()), 1e-300)
    return bool(
        (lam >= 0).all()
        and Ap.min() >= -rtol * scale
        and abs(float(lam @ Ap)) <= rtol * scale * (1 + float(lam.sum()))
    )


def _into_cones(X, D, U):
    """Project the nonzero blocks that leave their cone (rounding, ADMM residual) back onto it."""
    U = np.array(U, dtype=np.float64)
    used = np.flatnonzero(np.abs(U).sum(axis=1))
    slack = ((2 * D[used] - 1) * (U[used] @ X.T)).min(axis=1, initial=0.0)
    for s in used[slack < 0]:
        U[s] = _project(X, D[s], U[s])[0]
    return U


def _scaled_dual_value(nu, y, cmax):
    """max over c in [0, cmax] of d(c nu) = c nu.y - c^2 |nu|^2 / 2."""
    nn = float(nu @ nu)
    ny = float(nu @ y)
    c = min(max(ny / nn, 0.0), cmax) if nn > 0 else 0.0
    return c * ny - 0.5 * c * c * nn


def _admm(bk, X, y, beta, D, tol, max_iter):
    """Working-set ADMM (module docstring); returns (U, V, iterations, converged) as numpy."""
    n, d = X.shape
    P = D.shape[0]
    norms = np.linalg.norm(X, axis=1)
    Xbar = X / np.where(norms > 0, norms, 1.0)[:, None]
    Xbar = Xbar / np.linalg.norm(Xbar, 2)
    Hinv = np.linalg.inv(np.eye(d) + Xbar.T @ Xbar)
    Hinv = 0.5 * (Hinv + Hinv.T)
    G0 = X @ Hinv @ X.T
    cache = _Cache(bk, X, Xbar, Hinv, y)
    rho = max(float(np.sum(X * X)) / n, 1e-12)
    blocks = np.zeros(0, dtype=np.int64)
    T, Lam = np.zeros((0, d)), np.zeros((0, d))
    Q, Mu = np.zeros((0, n)), np.zeros((0, n))
    used = 0
    while True:
        Tp = _into_cones(X, D[blocks % P], T)
        nu = y - _fit(X, D, blocks, Tp)
        value = 0.5 * float(nu @ nu) + beta * float(np.linalg.norm(Tp, axis=1).sum())
        outside = np.setdiff1d(np.arange(2 * P), blocks)
        out_norms = _norms_above(X, D, nu, outside, beta)
        top = max(float(out_norms.max(initial=0.0)), _max_norm(X, D, nu, blocks))
        lower = _scaled_dual_value(nu, y, beta / max(top, beta))
        if value - lower <= tol * value:
            return _split(blocks, Tp, P, d) + (used, True)
        if used >= max_iter:
            return _split(blocks, Tp, P, d) + (used, False)
        order = np.argsort(-out_norms, kind="stable")
        add = outside[order[: max(16, blocks.size)]][out_norms[order[: max(16, blocks.size)]] > beta]
        if add.size:
            blocks = np.concatenate([blocks, add])
            T, Lam = (np.concatenate([A, np.zeros((add.size, d))]) for A in (T, Lam))
            Q, Mu = (np.concatenate([A, np.zeros((add.size, n))]) for A in (Q, Mu))
        T, Lam, Q, Mu, rho, its = _admm_inner(
            cache,
            G0,
            D[blocks % P],
            np.where(blocks < P, 1.0, -1.0),
            beta,
            rho,
            (T, Lam, Q, Mu),
            tol,
            min(_ROUND, max_iter - used) if add.size else max_iter - used,
        )
        used += its


class _Cache:
    """The data on the backend, converted once."""

    def __init__(self, bk, X, Xbar, Hinv, y):
        self.bk = bk
        self.X, self.Xbar, self.Hinv, self.y = map(bk.asarray, (X, Xbar, Hinv, y))
        self.np = (X, y)


def _admm_inner(cache, G0, DW, sgn, beta, rho, state, tol, budget):
    """ADMM on the working set (patterns DW, signs sgn) until its own gap is <= tol (or budget)."""
    bk = cache.bk
    X, Xbar, Hinv, y = cache.X, cache.Xbar, cache.Hinv, cache.y
    Xn, yn = cache.np
    n = Xn.shape[0]
    Db, Sg, sg = bk.asarray(DW), bk.asarray(2 * DW - 1), bk.asarray(sgn[:, None])
    GQ = bk.asarray(G0 * (DW.T @ DW))
    eye = bk.eye(n)
    lower = bk.cholesky(eye + GQ / rho)
    Mty = sg * ((Db * y) @ X)
    T, Lam, Q, Mu = map(bk.asarray, state)
    it = 0
    while it < budget:
        it += 1
        rhs = Mty + rho * (T - Lam) + rho * ((Sg * (Q - Mu)) @ Xbar)
        w = (rhs @ Hinv) / rho
        v = bk.cho_solve(lower, bk.sum(sg * Db * (w @ X.T), axis=0))
        Z = w - (sg * ((Db * v) @ X)) @ Hinv / rho
        AZ = Sg * (Z @ Xbar.T)
        Zr = _RELAX * Z + (1 - _RELAX) * T
        AZr = _RELAX * AZ + (1 - _RELAX) * Q
        T_old, Q_old = T, Q
        T = _shrink(bk, Zr + Lam, beta / rho)
        Q = bk.relu(AZr + Mu)
        Lam = Lam + Zr - T
        Mu = Mu + AZr - Q
        if it % _CHECK_EVERY:
            continue
        Tn = _into_cones(Xn, DW, bk.to_numpy(T))
        nu = yn - np.sum(sgn[:, None] * DW * (Tn @ Xn.T), axis=0)
        value = 0.5 * float(nu @ nu) + beta * float(np.linalg.norm(Tn, axis=1).sum())
        g = sgn[:, None] * ((DW * nu) @ Xn)
        top = _max_norm_g(Xn, DW, g)
        if value - _scaled_dual_value(nu, yn, beta / max(top, beta)) <= tol * value:
            break
        r_pri = float(bk.sqrt(bk.sum((Z - T) ** 2) + bk.sum((AZ - Q) ** 2)))
        size = max(
            float(bk.sqrt(bk.sum(Z * Z) + bk.sum(AZ * AZ))), float(bk.sqrt(bk.sum(T * T) + bk.sum(Q * Q)))
        )
        r_dual = rho * float(bk.norm((T - T_old) + (Sg * (Q - Q_old)) @ Xbar, axis=None))
        size_dual = rho * float(bk.norm(Lam + (Sg * Mu) @ Xbar, axis=None))
        ratio = np.sqrt((r_pri / max(size, 1e-300)) / max(r_dual / max(size_dual, 1e-300), 1e-300))
        if not 0.1 <= ratio <= 10:
            new = float(np.clip(rho * ratio, 1e-3 * rho, 1e3 * rho))
            Lam, Mu = Lam * (rho / new), Mu * (rho / new)
            rho = new
            lower = bk.cholesky(eye + GQ / rho)
    return (*(bk.to_numpy(A) for A in (T, Lam, Q, Mu)), rho, it)


def _fit(X, D, blocks, T):
    """sum over working blocks b = (s, sign) of sign * D_s X t_b."""
    if not blocks.size:
        return np.zeros(X.shape[0])
    P = D.shape[0]
    sgn = np.where(blocks < P, 1.0, -1.0)[:, None]
    return np.sum(sgn * D[blocks % P] * (T @ X.T), axis=0)


def _split(blocks, T, P, d):
    """Scatter working-block rows into the P x d arrays U (sign +) and V (sign -)."""
    UV = np.zeros((2 * P, d))
    UV[blocks] = T
    return UV[:P], UV[P:]


def _norms_above(X, D, nu, blocks, beta):
    """Per block: the projection norm |Pi_K(M_b^T nu)| where |M_b^T nu| > beta, else the bound |M_b^T nu| <= beta."""
    P = D.shape[0]
    g = np.where(blocks < P, 1.0, -1.0)[:, None] * ((D[blocks % P] * nu) @ X)
    out = np.linalg.norm(g, axis=1)
    for i in np.flatnonzero(out > beta):
        out[i] = np.linalg.norm(_project(X, D[blocks[i] % P], g[i])[0])
    return out


def _max_norm(X, D, nu, blocks):
    """max over the blocks of |Pi_K(M_b^T nu)| (0 for no blocks), pruned by |Pi_K g| <= |g|."""
    P = D.shape[0]
    g = np.where(blocks < P, 1.0, -1.0)[:, None] * ((D[blocks % P] * nu) @ X)
    return _max_norm_g(X, D[blocks % P], g)


def _max_norm_g(X, DW, g):
    """max_i |Pi_{K_i}(g_i)| for cones of the rows of DW, scanning in decreasing |g_i|."""
    bounds = np.linalg.norm(g, axis=1)
    best = 0.0
    for i in np.argsort(-bounds, kind="stable"):
        if bounds[i] <= best:
            break
        best = max(best, float(np.linalg.norm(_project(X, DW[i], g[i])[0])))
    return best


def _shrink(bk, Zl, threshold):
    """Group soft threshold (1 - threshold / |z_b|)_+ z_b over the last axis."""
    norm = bk.norm(Zl)[..., None]
    return Zl * (1 - threshold / (threshold + bk.relu(norm - threshold)))


def _cvxpy(X, y, beta, D, tol):
    """cvxpy + Clarabel; returns (U, V, iterations, converged)."""
    try:
        cp = importlib.import_module("cvxpy")
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(
            "method='cvxpy' needs cvxpy and clarabel; install the cvx extra: pip install 'reluscape[cvx]'"
        ) from err
    P, d = D.shape[0], X.shape[1]
    U, V = cp.Variable((P, d)), cp.Variable((P, d))
    XU, XV = X @ U.T, X @ V.T
    fit = cp.sum(cp.multiply(D.T, XU - XV), axis=1)
    Sg = (2 * D - 1).T
    objective = 0.5 * cp.sum_squares(fit - y) + beta * (
        cp.sum(cp.norm(U, 2, axis=1)) + cp.sum(cp.norm(V, 2, axis=1))
    )
    problem = cp.Problem(cp.Minimize(objective), [cp.multiply(Sg, XU) >= 0, cp.multiply(Sg, XV) >= 0])
    try:
        problem.solve(solver=cp.CLARABEL, tol_gap_abs=tol, tol_gap_rel=tol, tol_feas=tol)
    except cp.error.SolverError as err:
        raise ReluscapeError(f"cvxpy/Clarabel failed: {err}") from err
    if U.value is None:
        raise ReluscapeError(f"cvxpy/Clarabel returned no solution (status {problem.status})")
    iterations = int(problem.solver_stats.num_iters or 0)
    return U.value, V.value, iterations, problem.status == cp.OPTIMAL
