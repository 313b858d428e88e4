r"""The convex problem (C) as a second-order cone program, solved by Clarabel (interior point).

With residual :math:`r`, blocks :math:`u_b\in\mathbb R^d` and epigraph variables :math:`t_b`,

.. math:: \min\ \tfrac12\|r\|^2+\beta\sum_bt_b\quad\text{s.t.}\quad
          r-\sum_bM_bu_b=-y,\quad A_bu_b\ge0,\quad(t_b,u_b)\in\mathcal Q^{d+1},

with :math:`M_b=\sigma D_sX` and :math:`A_b=\operatorname{diag}(2D_s-I)X`. This is the
accurate float proposal that :func:`exact.optimum.optimal_set` certifies (interior-point
accuracy :math:`10^{-10}` and better, where first-order methods stall). Over many patterns it
runs as column generation: solve on a working set, compute the float dual norms
:math:`\|\Pi_{K_s}(\pm X^\top D_s\nu)\|` of all blocks, add the most violated, repeat.
"""

import numpy as np

from ..errors import ReluscapeError
from .backend import float_data
from .convex import ConvexProposal, _into_cones, _patterns, _scaled_dual_value, block_fit, dual_norms, pattern_sums
from .wall_cones import WallCones, applies

__all__ = ["STALL", "solve_socp"]

#: The ``stop`` of :func:`solve_socp` that :func:`exact.optimum.optimal_set` asks for: below a
#: relative violation of 1e-6 the interior point's own error dominates, and the exact search
#: adds the blocks still violated.
STALL = 1e-6

#: Unused blocks of the working set stay in it while their norm is within this of
#: :math:`\beta` (relative): they are nearly tight, and likely tight at the optimum.
NEAR = 1e-3


def solve_socp(X, y, beta, patterns, *, signs=None, tol=1e-10, working=None, max_rounds=50, walls=None, tree=None, stop=None):
    r"""Solve (C) on the listed patterns with Clarabel; return a :class:`ConvexProposal`.

    Parameters
    ----------
    X, y, beta
        The data (floats, or a ``Dataset`` as ``X``).
    patterns : array-like, shape (P, n)
        The 0/1 vectors :math:`D_s`.
    signs : sequence of +1/-1, optional
        Restrict pattern ``s`` to the block of this sign only (the restricted problem
        :math:`C_{\mathcal S}` of D6.1); default: both signs for every pattern.
    tol : float
        Clarabel's gap and feasibility tolerances, and the dual violation accepted.
    stop : float, optional
        Column generation also stops when the largest relative violation
        :math:`\|\Pi\|/\beta-1` outside the working set is below ``stop`` and fell less than
        tenfold in the last round: an interior-point :math:`\nu` is accurate to about
        :math:`10^{-7}` relative, and at that level every round only adds blocks tight at the
        optimum (thousands around tight rays, each round slower than the last).
        :func:`exact.optimum.optimal_set` asks for :data:`STALL` and adds any block still
        violated itself, exactly.
    working : int, optional
        Start column generation from this many blocks (default: all blocks when
        :math:`2P\le 4000`, else :math:`n`; the first solve is the largest, and at n = 400 a
        start from :math:`4n` blocks took one round less and 7 s more).
    max_rounds : int
    walls : sequence of row-index sequences, optional
        Each pattern's walls (:attr:`exact.arrangement.PatternSet.walls`): its cone constraints
        are then these rows only (the same cone; a far smaller program when :math:`n` is large).
    tree : RegionTree, optional
        :attr:`exact.arrangement.PatternSet.tree` when ``patterns`` are all the regions in order:
        the pricing sums :math:`X^\top D_s\nu` then cost :math:`O(Pd)` a round, not :math:`O(Pnd)`.

    Examples
    --------
    >>> sol = solve_socp([[1, 0], [0, 1]], [2, 0], 1.0, [[1, 0], [1, 1]])
    >>> round(sol.value, 9), sol.fit.round(4).tolist()
    (1.5, [1.0, 0.0])
    """
    X, y, beta = float_data(X, y, beta)
    D = _patterns(patterns, X.shape[0])
    if signs is None:
        blocks = [(i, s) for i in range(D.shape[0]) if D[i].any() for s in (1.0, -1.0)]
    else:
        blocks = [(i, float(s)) for i, s in enumerate(signs) if D[i].any()]
    row = np.array([i for i, _ in blocks], dtype=np.int64)
    column = np.array([0 if s > 0 else 1 for _, s in blocks], dtype=np.int64)  # of dual_norms
    position = {b: j for j, b in enumerate(blocks)}
    nu = y.copy()
    if working is None:
        working = len(blocks) if len(blocks) <= 4000 else X.shape[0]
    G = pattern_sums(D, nu[:, None] * X, tree)
    order = np.argsort(-np.linalg.norm(G[row], axis=1), kind="stable")
    pricing = _Pricing(X, D, walls, tree, beta * (1 - NEAR))
    W = [blocks[j] for j in order[:working]]
    U = V = np.zeros((D.shape[0], X.shape[1]))
    excess = np.inf
    for rounds in range(1, max_rounds + 1):
        if not W:  # no block at all (every row of X is zero): the zero network
            break
        U, V = _clarabel(X, y, beta, D, W, tol, walls)
        nu = y - block_fit(X, D, U, V)
        if len(W) == len(blocks):
            break
        G, norms = pricing(nu)
        N = norms[row, column]
        outside = np.ones(len(blocks), dtype=bool)
        outside[[position[b] for b in W]] = False
        excess, last = N[outside].max(initial=beta) / beta - 1, excess
        over = np.flatnonzero(outside & (N > beta * (1 + tol)))
        cap = max(16, 4 * X.shape[0])
        # most violated first; _diverse scans at most 20 cap of them
        viol = [blocks[j] for j in over[np.argsort(-N[over], kind="stable")][: 20 * cap]]
        if not viol or (stop is not None and excess <= stop and 10 * excess > last):
            break
        used = np.linalg.norm(U, axis=1) + np.linalg.norm(V, axis=1)
        top = used.max(initial=0.0)
        # keep the blocks in use, and of the nearly tight ones one per cluster of nearly equal
        # directions (around a tight ray where many regions meet, thousands are tight at once); add
        # the most violated ones, at most 4n a round, also one per cluster
        near = [(i, s) for i, s in W if used[i] <= 1e-9 * top and norms[i, 0 if s > 0 else 1] >= beta * (1 - NEAR)]
        W = _one_per_atom(X, D, G, [(i, s) for i, s in W if used[i] > 1e-9 * top], U, V, walls)
        W = W + _diverse(near, G, len(near)) + _diverse(viol, G, cap)
    U, V = _into_cones(X, D, U), _into_cones(X, D, V)
    fit = block_fit(X, D, U, V)
    nu = y - fit
    value = 0.5 * float(nu @ nu) + beta * float(np.linalg.norm(U, axis=1).sum() + np.linalg.norm(V, axis=1).sum())
    norms = pricing(nu, exact_max=True)[1]
    violation = max((float(norms[i, 0 if s > 0 else 1]) for i, s in blocks), default=0.0) - beta
    return ConvexProposal(
        U=U,
        V=V,
        fit=fit,
        value=value,
        nu=nu,
        dual_value=float(nu @ y - 0.5 * nu @ nu),
        dual_violation=violation,
        lower_bound=_scaled_dual_value(nu, y, 1.0 if violation <= 0 else beta / (violation + beta)),
        method="clarabel",
        iterations=rounds,
        converged=violation <= beta * tol * 10,
    )


class _Pricing:
    r"""The dual norms :math:`\|\Pi_{K_s}(\pm X^\top D_s\nu)\|` of all blocks, round after round,
    projected only where they can reach ``floor``.

    Projection onto a closed convex cone is 1-Lipschitz, so with :math:`g_s=X^\top D_s\nu`,
    :math:`\|\Pi_{K_s}(\pm g_s')\|\le\|\Pi_{K_s}(\pm g_s)\|+\|g_s'-g_s\|`: each pattern keeps an upper
    bound (its last norms plus the moves of :math:`g_s` since), and is projected again only when
    the bound reaches ``floor``. Column generation only asks which blocks are at or above
    ``floor`` (:math:`\beta(1-` :data:`NEAR` :math:`)`), and once :math:`\nu` settles few are: at
    n = 1000, 12 thousand of a million blocks within 1% of :math:`\beta` at the proposal's
    :math:`\nu`. Calls return ``(G, norms)``: the sums :math:`g_s` and, per pattern and sign,
    the norm where it is at least ``floor`` and an upper bound below ``floor`` elsewhere."""

    def __init__(self, X, D, walls, tree, floor):
        self.X, self.D, self.walls, self.tree, self.floor = X, D, walls, tree, floor
        self.cones = WallCones(X, D, walls) if applies(X.shape[1], walls) else None
        self.G = self.bound = None

    def __call__(self, nu, exact_max=False):
        r"""``exact_max``: also the largest norm exact when all are below ``floor``."""
        G = pattern_sums(self.D, nu[:, None] * self.X, self.tree)
        if self.G is None:
            self.bound = np.empty((len(G), 2))
            redo = slice(None)
        else:
            self.bound += np.linalg.norm(G - self.G, axis=1)[:, None]
            redo = np.flatnonzero(self.bound.max(axis=1, initial=-np.inf) >= self.floor)
            if exact_max and not len(redo):
                redo = slice(None)
            elif 2 * len(redo) > len(G):
                redo = slice(None)  # no copy of most of D
        if self.cones is not None:
            self.bound[redo] = self.cones.norms(G[redo], None if isinstance(redo, slice) else redo)
        elif isinstance(redo, slice) or len(redo):
            walls = self.walls if self.walls is None or isinstance(redo, slice) else [self.walls[i] for i in redo]
            self.bound[redo] = dual_norms(self.X, self.D[redo], nu, walls=walls, sums=G[redo])
        self.G = G
        return G, self.bound


def _one_per_atom(X, D, G, W, U, V, walls, digits=9):
    r"""The blocks of ``W``, one per atom: of blocks with the same sign whose projections
    :math:`\Pi_{K_s}(\sigma X^\top D_s\nu)` agree to ``digits`` digits (relative), the one of
    largest weight :math:`\|u_s\|`.

    Regions whose cones share a face :math:`F` have the same projection when it lies on
    :math:`F` (their :math:`X^\top D_s\nu` differ by rows on the walls through :math:`F`,
    orthogonal to it) and, for :math:`u\in F`, the same fit column :math:`\sigma(Xu)_+`: one atom,
    and the restricted optimum is the same with one of them. An interior point spreads the
    atom's weight over all of them (n = 400: 1,955 blocks in use, 675 directions), and every
    round's solve would carry them all. Kept as they are without walls or for :math:`d>3`."""
    own = None if walls is None else [walls[i] for i, _ in W]
    if not W or not applies(X.shape[1], own):
        return W
    rows = np.array([i for i, _ in W])
    sign = np.array([s for _, s in W], dtype=float)
    P = WallCones(X, D[rows], own).projections(sign[:, None] * G[rows])
    size = np.linalg.norm(P, axis=1)
    weight = np.where(sign > 0, np.linalg.norm(U[rows], axis=1), np.linalg.norm(V[rows], axis=1))
    best = {}
    for j in np.argsort(-weight, kind="stable"):
        key = (sign[j], *np.round(P[j] / size[j], digits)) if size[j] > 0 else j
        best.setdefault(key, W[j])
    keep = set(best.values())
    return [b for b in W if b in keep]


def _diverse(blocks, G, cap, cos=0.99):
    r"""At most ``cap`` of the ``blocks`` (in order), skipping a block whose direction
    :math:`\sigma X^\top D_s\nu` (``G`` row) is within ``cos`` of one already taken: the most violated
    blocks come in clusters of neighbouring regions with nearly one direction, and one per
    cluster moves the restricted optimum as far as all of them."""
    blocks = blocks[: 20 * cap]  # the scan's length is bounded too
    if not blocks:
        return []
    g = np.array([s * G[i] for i, s in blocks])
    g /= np.maximum(np.linalg.norm(g, axis=1), 1e-300)[:, None]
    taken, dirs = [], np.zeros((cap, G.shape[1]))
    for j, b in enumerate(blocks):
        if len(taken) >= cap:
            break
        if taken and (dirs[: len(taken)] @ g[j]).max() > cos:
            continue
        dirs[len(taken)] = g[j]
        taken.append(b)
    return taken


def _program(X, y, beta, D, W, walls=None):
    """The data ``(P, q, A, b, cones)`` of Clarabel's standard form for (C) on the blocks ``W``."""
    import clarabel
    from scipy import sparse

    n, d = X.shape
    k = len(W)
    nv = n + k * d + k  # r, u_1..u_k, t_1..t_k
    rows_of = np.array([i for i, _ in W], dtype=np.int64)
    sign = np.array([s for _, s in W], dtype=float)
    # zero cone: r - sum_b M_b u_b = -y, with M_b = s D_b X
    j, t = np.nonzero(D[rows_of])
    j, t, c = np.repeat(j, d), np.repeat(t, d), np.tile(np.arange(d), len(t))
    v = X[t, c]
    nz = v != 0
    zero = (np.concatenate([np.arange(n), t[nz]]), np.concatenate([np.arange(n), n + j[nz] * d + c[nz]]), np.concatenate([np.ones(n), -sign[j[nz]] * v[nz]]))
    # non-negative cone: A_b u_b >= 0 (rows: the region's walls, or every non-zero row of X), written s = 0 - (-A_b u_b)
    nonzero_rows = np.flatnonzero(np.abs(X).sum(axis=1) > 0)
    cut = [np.asarray(walls[i] if walls is not None and walls[i] is not None else nonzero_rows, dtype=np.int64) for i in rows_of]
    length = np.array([len(w) for w in cut], dtype=np.int64)
    t = np.concatenate(cut) if k else np.zeros(0, dtype=np.int64)
    j = np.repeat(np.arange(k), length)
    row = n + np.arange(len(t))
    a = (2.0 * D[rows_of[j], t] - 1)[:, None] * X[t]
    row, j, c = np.repeat(row, d), np.repeat(j, d), np.tile(np.arange(d), len(t))
    a = a.ravel()
    nz = a != 0
    cone = (row[nz], n + j[nz] * d + c[nz], -a[nz])
    nonneg = len(t)
    # second-order cones: (t_b, u_b), written s = 0 - (-(t_b, u_b))
    base = n + nonneg + (d + 1) * np.arange(k)
    soc = (
        np.concatenate([base, (base[:, None] + 1 + np.arange(d)).ravel()]),
        np.concatenate([n + k * d + np.arange(k), (n + np.arange(k)[:, None] * d + np.arange(d)).ravel()]),
        -np.ones(k * (d + 1)),
    )
    rows, cols, vals = (np.concatenate(p) for p in zip(zero, cone, soc))
    m = n + nonneg + k * (d + 1)
    A = sparse.csc_matrix((vals, (rows, cols)), shape=(m, nv))
    P = sparse.csc_matrix((np.ones(n), (np.arange(n), np.arange(n))), shape=(nv, nv))
    q = np.concatenate([np.zeros(n + k * d), np.full(k, beta)])
    b = np.concatenate([-y, np.zeros(m - n)])
    cones = [clarabel.ZeroConeT(n)] + ([clarabel.NonnegativeConeT(nonneg)] if nonneg else []) + [clarabel.SecondOrderConeT(d + 1)] * k
    return P, q, A, b, cones


def _clarabel(X, y, beta, D, W, tol, walls=None):
    r"""Blocks ``U``, ``V`` of the optimum of (C) on ``W``: Clarabel without iterative refinement
    of its linear solves first (a quarter faster: the interior point still stops only at ``tol``,
    and :math:`\nu` moved by 3e-9 relative at n = 400), with it where that is not ``Solved``."""
    import clarabel

    n, d = X.shape
    P, q, A, b, cones = _program(X, y, beta, D, W, walls)
    for refine in (False, True):
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = tol
        settings.iterative_refinement_enable = refine
        sol = clarabel.DefaultSolver(P, q, A, np.array(b), cones, settings).solve()
        if str(sol.status) == "Solved":
            break
    if "Solved" not in str(sol.status):
        raise ReluscapeError(f"Clarabel did not solve the SOCP: {sol.status}")
    x = np.array(sol.x)
    U = np.zeros((D.shape[0], d))
    V = np.zeros((D.shape[0], d))
    for j, (i, s) in enumerate(W):
        (U if s > 0 else V)[i] += x[n + j * d : n + (j + 1) * d]
    return U, V
