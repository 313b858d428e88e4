"""Claims about the optimal polytope and the connectivity staircase (``math/convex_duality.md`` §5)."""

import random
from fractions import Fraction
from math import factorial

import numpy as np

from ..data import Dataset
from ..solution_set import critical_widths
from ..topology import optimal_set_graph, staircase
from . import CrossCheck, Outcome, claim, crosscheck

#: The rational staircase (counterexamples/staircase.py): m* = 1, M* = 2, n = 2.
STAIRCASE = Dataset([[2, 0, 0, 0], [-1, 1, 1, 1]], [1, 1], 1)
#: Generic data: a single optimal point (m* = M*).
GENERIC = Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1)
REF = "math/convex_duality.md T5.2 (KMP Thm 2)"


def _table():
    widths = critical_widths(STAIRCASE)
    rows = {r["m"]: r for r in staircase(STAIRCASE, range(1, 7), polytope=widths.polytope)}
    return widths, rows


@claim("landscape.critical_widths", "The staircase instance has m* = 1 < M* = 2 (vertices of the optimal polytope)", "math/convex_duality.md D5.1")
def widths_claim():
    widths, _ = _table()
    return Outcome(
        holds=(widths.m_star, widths.M_star) == (1, 2),
        instance="X = (2,0,0,0; -1,1,1,1), y = (1,1), beta = 1",
        certificate=widths.certificate(),
        detail=f"vertices {[len(S) for S, _ in widths.polytope.vertices]}, dimension {widths.polytope.dimension}",
    )


@crosscheck("landscape.critical_widths")
def widths_numeric():
    return _sampled(STAIRCASE, 3)


@claim("landscape.finite_at_m_star", "At m = m* the optimal set is finite: m*! x #(vertices of size m*) points", REF + " (b)")
def finite():
    widths, rows = _table()
    P = widths.polytope
    expected = factorial(widths.m_star) * sum(len(S) == widths.m_star for S, _ in P.vertices)
    r = rows[widths.m_star]
    return Outcome(
        holds=r["components"] == r["points"] == expected,
        instance="the staircase instance, m = m* = 1",
        certificate=widths.certificate(),
        detail=f"{r['points']} isolated points, expected {expected}",
    )


@claim("landscape.nonsingleton_from_m_star_plus_1", "For every m >= m* + 1 some component has more than one point", REF + " (c)")
def nonsingleton():
    widths, rows = _table()
    ms = [m for m in rows if m >= widths.m_star + 1]
    return Outcome(
        holds=all(rows[m]["nonsingleton"] for m in ms),
        instance=f"the staircase instance, m = {ms[0]}..{ms[-1]}",
        certificate=widths.certificate(),
        detail=", ".join(f"m={m}: {rows[m]['components']} comp." for m in ms),
    )


@claim("landscape.singleton_at_M_star", "At m = M* an isolated optimal point exists", REF + " (d)")
def singleton():
    widths, rows = _table()
    r = rows[widths.M_star]
    return Outcome(
        holds=r["points"] >= 1,
        instance="the staircase instance, m = M* = 2",
        certificate=widths.certificate(),
        detail=f"{r['points']} isolated points among {r['components']} components",
    )


@claim("landscape.no_singleton_above_M_star", "For m >= M* + 1 no optimal point is isolated", REF + " (e)")
def no_singleton():
    widths, rows = _table()
    ms = [m for m in rows if m >= widths.M_star + 1]
    return Outcome(
        holds=all(rows[m]["points"] == 0 for m in ms),
        instance=f"the staircase instance, m = {ms[0]}..{ms[-1]}",
        certificate=widths.certificate(),
        detail="no isolated points",
    )


@claim("landscape.connected", "For m >= min(m* + M*, n + 1) the optimal set is connected", REF + " (f)")
def connected():
    widths, rows = _table()
    start = min(widths.m_star + widths.M_star, STAIRCASE.n + 1)
    ms = [m for m in rows if m >= start]
    return Outcome(
        holds=all(rows[m]["connected"] for m in ms) and not rows[start - 1]["connected"],
        instance=f"the staircase instance, m = {start}..{ms[-1]}",
        certificate=widths.certificate(),
        detail=f"connected from m = {start}; m = {start - 1} has {rows[start - 1]['components']} components",
    )


@crosscheck("landscape.connected")
def connected_numeric():
    return _sampled(STAIRCASE, 4)


@claim("landscape.generic_unique", "Generic data: the optimum is unique and m* = M*", "math/convex_duality.md §5, §10.6")
def generic():
    widths = critical_widths(GENERIC)
    P = widths.polytope
    return Outcome(
        holds=widths.m_star == widths.M_star and P.unique_weights and P.unique_function,
        instance="X = (1,0; 1,-1; 1,2), y = (3,-2,0), beta = 1",
        certificate=widths.certificate(),
        detail=f"m* = M* = {widths.m_star}",
    )


def _sampled(data, m, samples=40, seed=0):
    """Float check: random points of random pieces Theta_L have F = p*."""
    from ..numeric.nonconvex import loss

    widths = critical_widths(data)
    P = widths.polytope
    G = optimal_set_graph(data, m, polytope=P)
    pieces = [v for v in G if v[0] == "L"]
    rng = random.Random(seed)
    X = np.array([[float(a) for a in r] for r in data.X])
    y = np.array([float(a) for a in data.y])
    target = float(P.optimum.value)
    worst = 0.0
    for _ in range(samples):
        L = rng.choice(pieces)[1]
        anchors = [v[1] for v in G.neighbors(("L", L))]
        mix = [rng.random() for _ in anchors]
        total = sum(mix)
        gamma = np.zeros(m)
        for anchor, c in zip(anchors, mix):
            weights = dict(zip(*P.vertices[_vertex_index(P, anchor)]))
            for pos, atom in anchor:
                gamma[pos] += c / total * float(weights[atom])
        W = np.array([np.sqrt(g) * np.array([float(c) for c in P.atoms[a].direction]) for g, a in zip(gamma, L)])
        a = np.array([P.atoms[atom].sign * np.sqrt(g) for g, atom in zip(gamma, L)])
        worst = max(worst, abs(float(loss(X, y, float(data.beta), W, a)) - target))
    return CrossCheck(agrees=worst < 1e-9, detail=f"{samples} random optimal networks of width {m}: max |F - p*| = {worst:.1e}", residual=worst)


def _vertex_index(P, anchor):
    atoms = sorted(atom for _, atom in anchor)
    return next(i for i, (S, _) in enumerate(P.vertices) if sorted(S) == atoms)


@claim(
    "landscape.nonincreasing_path",
    "For m >= n + 1, a path of non-increasing loss joins a network to a chosen global optimum",
    "math/convex_duality.md T7.1",
)
def path_claim():
    from ..paths import nonincreasing_path

    q = Fraction(1, 4)
    target = ([[2 * q, 0, 0, 0], [-q, q, q, q], [0, 0, 0, 0]], [Fraction(1, 2), Fraction(1, 2), 0])
    path = nonincreasing_path(STAIRCASE, [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]], [1, 1, 1], target=target)
    kinds = [s.kind for s in path.segments]
    return Outcome(
        holds=path.check() and path.values[-1] == critical_widths(STAIRCASE).polytope.optimum.value,
        instance="the staircase instance, m = 3 = n + 1, to the two-neuron vertex",
        detail=f"{len(kinds)} segments ({', '.join(kinds)}): F from {path.values[0]} to {path.values[-1]}",
    )


@crosscheck("landscape.nonincreasing_path")
def path_numeric():
    from ..paths import nonincreasing_path

    q = Fraction(1, 4)
    target = ([[2 * q, 0, 0, 0], [-q, q, q, q], [0, 0, 0, 0]], [Fraction(1, 2), Fraction(1, 2), 0])
    path = nonincreasing_path(STAIRCASE, [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]], [1, 1, 1], target=target)
    samples = path.sample(25)
    rise = max((b[2] - a[2] for a, b in zip(samples, samples[1:]) if a[0] == b[0]), default=0.0)
    return CrossCheck(agrees=rise <= 1e-12, detail=f"{len(samples)} float samples, largest rise {max(rise, 0):.1e}", residual=max(rise, 0.0))
