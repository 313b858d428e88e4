"""Float twins for claims registered without one, so that every claim has a numeric column.

Each twin repeats its claim's statement with floats only (Clarabel, the ADMM, gradient
descent, random perturbations), independently of the exact route, and states its tolerance.
A twin registered next to its claim takes precedence: :func:`_twin` imports the claim's module
(named by the claim's prefix) first, and registers one of these only where none exists.
"""

import importlib

import numpy as np

from . import _REGISTRY, CrossCheck, crosscheck

#: Float tolerance of the twins below (relative, or absolute on O(1) values).
TOL = 1e-6


def _twin(name):
    """Register the decorated function as the float twin of claim ``name`` unless it has one.

    The module ``exact.claims.<prefix>`` of the claim ``<prefix>.<rest>`` is imported first, so
    the claim is registered whatever the import order of the claim modules.
    """

    def register(fn):
        importlib.import_module(f"{__package__}.{name.split('.')[0]}")
        if _REGISTRY[name].crosscheck is None:
            crosscheck(name)(fn)
        return fn

    return register


@_twin("duality.tight_directions")
def tight_directions_numeric():
    """Clarabel's dual point: each atom's float projection has norm beta and the exact direction."""
    from ..numeric.convex import cone_projection
    from ..numeric.socp import solve_socp
    from ..optimum import optimal_set
    from .duality import RATIONAL

    X, y, beta = _floats(RATIONAL)
    opt = optimal_set(RATIONAL)
    sol = solve_socp(X, y, beta, opt.patterns.D)
    worst = 0.0
    for atom in opt.atoms:
        blk = atom.blocks[0]
        D = np.array(blk.D, dtype=float)
        p, _ = cone_projection(X, D, blk.sign * ((D * sol.nu) @ X))
        z = np.array([float(c) for c in atom.z])
        worst = max(worst, abs(float(np.linalg.norm(p)) - beta) / beta, float(np.linalg.norm(p - z)) / beta)
    tol = 1e-4  # Clarabel's nu is accurate to about the square root of its gap
    return CrossCheck(
        agrees=worst <= tol,
        detail=f"{len(opt.atoms)} atoms: float projections of +-X^T D nu (Clarabel) have norm beta and the exact direction to {worst:.1e}",
        residual=worst,
        tolerance=tol,
    )


@_twin("landscape.finite_at_m_star")
def finite_numeric():
    """The isolated optimal points are strict local minima: F rises in every sampled direction."""
    from .landscape import STAIRCASE

    return _isolated(STAIRCASE, _m_star(STAIRCASE))


@_twin("landscape.singleton_at_M_star")
def singleton_numeric():
    """At m = M* the vertex of size M* is a strict local minimum in floats (isolated)."""
    from ..solution_set import critical_widths
    from .landscape import STAIRCASE

    return _isolated(STAIRCASE, critical_widths(STAIRCASE).M_star)


@_twin("landscape.nonsingleton_from_m_star_plus_1")
def nonsingleton_numeric():
    """Splitting a neuron of an optimum (m = m* + 1) moves along a segment of constant F = p*."""
    from .landscape import STAIRCASE

    return _split_segment(STAIRCASE, _m_star(STAIRCASE))


@_twin("landscape.no_singleton_above_M_star")
def no_singleton_numeric():
    """Above M*, the vertex of size M* plus a spare neuron moves along a segment of constant F = p*."""
    from ..solution_set import critical_widths
    from .landscape import STAIRCASE

    return _split_segment(STAIRCASE, critical_widths(STAIRCASE).M_star)


@_twin("landscape.generic_unique")
def generic_unique_numeric():
    """Clarabel and the ADMM, two independent float solvers, find the same atoms, weights and fit.

    Blocks are merged by (sign, direction) first: an atom whose direction lies on a kink sits in
    several cones, and the solvers may split it differently among them.
    """
    from ..arrangement import enumerate_patterns
    from ..numeric.convex import solve_convex
    from ..numeric.socp import solve_socp
    from .landscape import GENERIC

    X, y, beta = _floats(GENERIC)
    D = enumerate_patterns(GENERIC.X).D
    a = solve_socp(X, y, beta, D)
    b = solve_convex(X, y, beta, D, tol=1e-10, max_iter=200_000)
    atoms_a, atoms_b = _merged_atoms(a), _merged_atoms(b)
    keys = set(atoms_a) | set(atoms_b)
    diff = max([abs(atoms_a.get(k, 0.0) - atoms_b.get(k, 0.0)) for k in keys] + [float(np.abs(a.fit - b.fit).max())])
    tol = 1e-4  # the ADMM's weights converge like the square root of its gap
    return CrossCheck(
        agrees=diff <= tol and len(atoms_a) > 0,
        detail=f"Clarabel and ADMM: the same {len(atoms_a)} atoms, weights and fit to {diff:.1e} (values {a.value:.9f}, {b.value:.9f})",
        residual=diff,
        tolerance=tol,
    )


@_twin("stationarity.kink_point_is_a_saddle")
def kink_saddle_numeric():
    """Random directions from theta = ((1,0), 1) find F below F(theta) at every radius tried."""
    from ..numeric.nonconvex import loss
    from .stationarity import KINK

    X, y, beta = _floats(KINK)
    W, a = np.array([[1.0, 0.0]]), np.array([1.0])
    F0 = loss(X, y, beta, W, a)
    rng = np.random.default_rng(0)
    dW, da = rng.standard_normal((4000, 1, 2)), rng.standard_normal((4000, 1))
    norms = np.sqrt(np.sum(dW**2, axis=(1, 2)) + np.sum(da**2, axis=1))
    dW, da = dW / norms[:, None, None], da / norms[:, None]
    drops = []
    for t in (1e-2, 1e-3, 1e-4):
        drops.append(float(np.min(loss(X, y, beta, W + t * dW, a + t * da) - F0)) / t**2)
    return CrossCheck(
        agrees=max(drops) < 0,
        detail="min over 4000 directions of (F(theta + t d) - F(theta)) / t^2 at t = 1e-2, 1e-3, 1e-4: "
        + ", ".join(f"{v:.3g}" for v in drops),
        residual=max(drops),
        tolerance=0.0,
    )


@_twin("census.orthogonal_fraction_n3")
def orthogonal_n3_numeric():
    """Projected gradient descent in sampled regions of width 3 ends at the certified CP(A)."""
    from .census import ORTHOGONAL_3, _descent

    return _descent(ORTHOGONAL_3, 3)


@_twin("census.orthogonal_necessity")
def necessity_numeric():
    """Cor 3.4's crossing width from float logarithms, against the exact census of each n; and
    projected gradient descent in sampled regions of the one-signed n = 2 instance ends at CP(A)."""
    import math

    from ..data import Dataset
    from ..region_census import crossing_width
    from .census import EPS, _descent, _landscape

    rows, off = [], 0
    for n in range(1, 6):
        data = Dataset([[int(i == k) for i in range(n)] for k in range(n)], [1] * n, "1/2")
        m_float = math.ceil(math.log(float(EPS)) / math.log1p(-(2.0 ** (-n - 1))))
        m_exact = crossing_width(_landscape(data), EPS)
        off = max(off, abs(m_float - m_exact))
        rows.append(f"n={n}: {m_float}")
    gd = _descent(Dataset([[1, 0], [0, 1]], [1, 1], "1/2"), 3, samples=4)
    return CrossCheck(
        agrees=off == 0 and gd.agrees,
        detail=f"ceil(log eps / log(1 - 2^(-n-1))) in floats {', '.join(rows)} (max |diff| from the census {off}); {gd.detail}",
        residual=max(float(off), gd.residual),
        tolerance=gd.tolerance,
    )


# ---------------------------------------------------------------------------------------------


def _floats(data):
    X = np.array([[float(a) for a in r] for r in data.X])
    return X, np.array([float(a) for a in data.y]), float(data.beta)


def _merged_atoms(sol, rel=1e-4):
    """Total block norm per (sign, unit direction rounded to 4 digits), blocks below ``rel`` of the largest dropped."""
    blocks = [(sign, u) for U, sign in ((sol.U, 1), (sol.V, -1)) for u in U]
    top = max(float(np.linalg.norm(u)) for _, u in blocks)
    out = {}
    for sign, u in blocks:
        r = float(np.linalg.norm(u))
        if r > rel * top:
            key = (sign, tuple(np.round(u / r, 4) + 0.0))
            out[key] = out.get(key, 0.0) + r
    return out


def _m_star(data):
    from ..solution_set import critical_widths

    return critical_widths(data).m_star


def _vertex_network(data, size):
    """A vertex of the optimal polytope with ``size`` atoms, as a float network (one neuron per atom)."""
    from ..solution_set import critical_widths

    P = critical_widths(data).polytope
    support, weights = next((S, w) for S, w in P.vertices if len(S) == size)
    W = np.array([np.sqrt(float(g)) * np.array([float(c) for c in P.atoms[i].direction]) for i, g in zip(support, weights)])
    a = np.array([P.atoms[i].sign * np.sqrt(float(g)) for i, g in zip(support, weights)])
    return W, a, P.optimum.value_interval


def _isolated(data, size, radius=1e-3, directions=4000):
    """Float twin of "an isolated optimal point": F(theta) = p* and F rises in every sampled direction."""
    from ..numeric.nonconvex import loss

    X, y, beta = _floats(data)
    W, a, (lo, hi) = _vertex_network(data, size)
    F0 = loss(X, y, beta, W, a)
    rng = np.random.default_rng(1)
    dW, da = rng.standard_normal((directions,) + W.shape), rng.standard_normal((directions,) + a.shape)
    norms = np.sqrt(np.sum(dW**2, axis=(1, 2)) + np.sum(da**2, axis=1))
    rise = (loss(X, y, beta, W + radius * dW / norms[:, None, None], a + radius * da / norms[:, None]) - F0) / radius**2
    off = abs(F0 - float(lo)) / max(1.0, float(hi))
    return CrossCheck(
        agrees=off <= TOL and float(rise.min()) > 0,
        detail=f"width {size}: |F - p*| = {off:.1e}; F rises in all {directions} directions at radius {radius:g} "
        f"(least (F(theta + t d) - F) / t^2 = {float(rise.min()):.3g})",
        residual=off,
        tolerance=TOL,
    )


def _split_segment(data, size, points=21):
    """Float twin of "a non-singleton component": split the first neuron of a vertex of ``size``
    atoms into (sqrt(s) w, sqrt(s) a) and (sqrt(1-s) w, sqrt(1-s) a); F = p* all along s in [0, 1]."""
    from ..numeric.nonconvex import loss

    X, y, beta = _floats(data)
    W, a, (lo, hi) = _vertex_network(data, size)
    s = np.linspace(0, 1, points)
    Ws = np.stack([np.vstack([np.sqrt(t) * W[:1], np.sqrt(1 - t) * W[:1], W[1:]]) for t in s])
    As = np.stack([np.concatenate([np.sqrt(t) * a[:1], np.sqrt(1 - t) * a[:1], a[1:]]) for t in s])
    F = loss(X, y, beta, Ws, As)
    off = float(np.max(np.abs(F - float(lo)))) / max(1.0, float(hi))
    moved = float(np.linalg.norm(Ws[0] - Ws[-1]))
    return CrossCheck(
        agrees=off <= TOL and moved > 0,
        detail=f"width {size + 1}: {points} points of a segment of length {moved:.3g} in parameter space, max |F - p*| = {off:.1e}",
        residual=off,
        tolerance=TOL,
    )
