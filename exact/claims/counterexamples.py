"""Claims refuted by the certified counterexamples of ``counterexamples/``
(``math/convex_duality.md`` §8, ``math/benignity_and_relaxation.md`` §3, §4).

Each claim states the *counterexample's* fact (which holds), the statement it refutes is in its
detail. The float twins repeat the facts with :mod:`exact.numeric.endpoints`.
"""

from fractions import Fraction
from functools import lru_cache

import numpy as np

from . import CrossCheck, Outcome, claim, crosscheck

REF_NU = "math/convex_duality.md §8"
REF_BB = "math/benignity_and_relaxation.md"


@lru_cache(maxsize=None)
def _nonunique():
    from counterexamples.nonuniqueness import fixture_b, fixture_b_rational, fixture_c, plain_continuum

    return fixture_b(), fixture_b_rational(), fixture_c(), plain_continuum()


@lru_cache(maxsize=None)
def _orthogonal():
    from counterexamples.orthogonal import orthogonal_data

    return orthogonal_data(2, 1, Fraction(1, 6), max_types=0)


@lru_cache(maxsize=None)
def _small_init():
    from counterexamples.small_init import small_initialization

    return small_initialization()


def _bundle(title, exs):
    return {"schema": "reluscape/bundle/1", "title": title,
            "parts": [dict(ex.certificate(), label=ex.name) for ex in exs]}


@claim("counterexamples.nonunique_interpolators",
       "Minimum-norm interpolators are not unique: 1-D data without skip (Fixture B) and XOR with a free skip (Fixture C)",
       REF_NU + " Fixtures B, C (KMP Props 1-2)")
def interpolators():
    b, b_rat, c, _ = _nonunique()
    exs = (b, b_rat, c)
    return Outcome(
        holds=all(ex.values[0] != ex.values[1] for ex in exs) and b.values == b_rat.values,
        instance="x = +-sqrt 3, y = (1, 1) (and its rational Gram twin); XOR with skip and bias",
        certificate=_bundle("non-unique minimum-norm interpolators", exs),
        detail=f"refutes: {b.refutes}; {c.refutes}. f(0) = {b.values} (B), {c.values} (C)",
    )


@crosscheck("counterexamples.nonunique_interpolators")
def interpolators_numeric():
    """Floats: Fixture C's two solutions are |x1 + x2| - 1 and 1 - |x1 - x2| on a grid."""
    from ..multiquadratic import approximate

    c = _nonunique()[2]
    grid = np.array([(s, t, 1.0) for s in np.linspace(-2, 2, 9) for t in np.linspace(-2, 2, 9)])
    want = (np.abs(grid[:, 0] + grid[:, 1]) - 1, 1 - np.abs(grid[:, 0] - grid[:, 1]))
    worst = 0.0
    for sol, target in zip(c.solutions, want):
        f = grid @ np.array([float(approximate(v)) for v in sol.skip])
        for atom in sol.atoms:
            p = np.array([float(approximate(v)) for v in atom.direction])
            f = f + atom.sign * float(approximate(atom.weight)) * np.maximum(grid @ p, 0)
        worst = max(worst, float(np.abs(f - target).max()))
    return CrossCheck(worst < 1e-12, f"Fixture C's solutions against the closed forms on 81 points: max error {worst:.1e}",
                      worst, 1e-12)


@claim("counterexamples.nonunique_optimum",
       "The optimal networks of the regularised problem (no bias, no skip) form a segment of different functions",
       REF_NU + " (T4.3, a polytope that is not a point)")
def plain():
    ex = _nonunique()[3]
    return Outcome(
        holds=ex.values[0] != ex.values[1],
        instance="X = (e_1; (-1,1,1,1)/2), y = (3/2, 3/2), beta = 1/2",
        certificate=ex.certificate(),
        detail=f"refutes: {ex.refutes}. p* = {ex.value}; at {tuple(map(str, ex.point))}: {ex.values[0]} != {ex.values[1]}",
    )


@crosscheck("counterexamples.nonunique_optimum")
def plain_numeric():
    """Floats: gradient descent runs that reach p* compute different functions at the point."""
    ex = _nonunique()[3]
    rep = ex.reproduce(seeds=16, steps=6000, lr=0.05)
    at = np.array([v for lab, v in zip(rep["labels"], rep["at_point"]) if lab == "optimum"])
    spread = float(at.max() - at.min()) if len(at) else 0.0
    return CrossCheck(len(at) >= 2 and spread > 0.05,
                      f"{len(at)} of 16 runs reach p* = {ex.value}; their f(point) spread over {spread:.3f}", spread)


@claim("counterexamples.orthogonal_global_minimum",
       "Orthogonal data: F* = h_beta(Y+) + h_beta(Y-) (Huber), equal to the certified optimum exactly",
       REF_BB + " Thm 3.1")
def orthogonal_minimum():
    ex = _orthogonal()
    return Outcome(
        holds=ex.values_agree,
        instance="X = I_3, y = (1, 1, -1), lambda = 1/6 (beta = 1/2)",
        certificate=dict(ex.optimum.certificate(), label="global optimum"),
        detail=f"F* = {ex.value} (paper L* = {ex.paper_value})",
    )


@crosscheck("counterexamples.orthogonal_global_minimum")
def orthogonal_minimum_numeric():
    """Floats: the best of 40 gradient descents reaches F*."""
    from ..multiquadratic import approximate
    from ..numeric.endpoints import descent_endpoints

    ex = _orthogonal()
    res = descent_endpoints(ex.data.X, ex.data.y, ex.beta, width=2, alphas=(0.5,), seeds=40, lr=0.05, steps=3000)
    gap = float(res.losses[:, -1].min()) - float(approximate(ex.value))
    return CrossCheck(abs(gap) < 1e-8, f"best of 40 runs - F* = {gap:.1e}", abs(gap), 1e-8)


@claim("counterexamples.clarke_is_not_local_minimum",
       "On orthogonal data a partition-region optimum is a cone minimum and Clarke stationary, yet not a local minimum",
       REF_BB + " Def 3.6, Prop 3.7 (a)")
def clarke_not_local():
    p = next(p for p in _orthogonal().points if p.name == "partition region optimum")
    return Outcome(
        holds=p.cone_minimum and p.clarke and not p.local_minimum,
        instance="X = I_3, y = (1, 1, -1), beta = 1/2; neurons on {x_1} (+) and {x_3} (-)",
        certificate={"schema": "reluscape/bundle/1", "title": "Clarke stationary, not a local minimum",
                     "parts": [dict(p.certificates[k], label=k) for k in ("cone", "stationary", "descent")]},
        detail=f"F = {p.value} > F*; refutes: a Clarke-stationary point of BBEL's test is a local minimum",
    )


@crosscheck("counterexamples.clarke_is_not_local_minimum")
def clarke_not_local_numeric():
    """Floats: F decreases along the certified escape w_0 + eps v / |a_0|."""
    from ..numeric.nonconvex import loss
    from ..stationary import local_minimum

    ex = _orthogonal()
    p = next(p for p in ex.points if p.name == "partition region optimum")
    W, a = p.network.weights()
    W, a = np.array(W, dtype=float), np.array(a, dtype=float)
    _, v = local_minimum(ex.data, p.network).escape.direction[0]
    step = np.zeros_like(W)
    step[0] = np.array([float(c) for c in v]) / abs(a[0])
    X, y, beta = ex.data.X, ex.data.y, ex.beta
    drops = [float(loss(X, y, beta, W + eps * step, a) - loss(X, y, beta, W, a)) for eps in (1e-2, 1e-3, 1e-4)]
    return CrossCheck(all(d < 0 for d in drops), "F(theta + eps d) - F(theta) at eps = 1e-2, 1e-3, 1e-4: "
                      + ", ".join(f"{d:.2e}" for d in drops), max(drops))


@claim("counterexamples.orthogonal_width",
       "Orthogonal data: the regions holding a global minimum are those of Prop 3.2; their fraction is Prop 3.3",
       REF_BB + " Props 3.2-3.3, Cor 3.4", slow=True)
def orthogonal_width():
    from counterexamples.orthogonal import orthogonal_data

    ex = orthogonal_data(2, 1, Fraction(1, 6))
    ok = all(r["rule"] == r["contains"] for r in ex.region_types) and all(
        r["fraction"] == r["census"] and r["enumerated"] in (None, r["fraction"]) for r in ex.widths)
    return Outcome(
        holds=ok,
        instance="X = I_3, y = (1, 1, -1), beta = 1/2; all 136 region types of width 2",
        certificate=ex.certificate(),
        detail=f"width for 90% of regions: {ex.width_for(Fraction(1, 10))}; refutes: {ex.refutes}",
    )


@crosscheck("counterexamples.orthogonal_width")
def orthogonal_width_numeric():
    """Floats: sampled regions satisfy Prop 3.2 at the Prop 3.3 rate (within 4 standard errors)."""
    ex = _orthogonal()
    rep = ex.reproduce(runs=1, steps=1, samples=8000)
    p, q = float(rep["exact_fraction"]), float(rep["sampled_fraction"])
    se = (p * (1 - p) / 8000) ** 0.5
    return CrossCheck(abs(p - q) < 4 * se, f"sampled {q:.4f} vs exact {p:.4f}", abs(p - q), 4 * se)


@claim("counterexamples.small_init_spurious",
       "[BBEL] Thm 2 data: the rank-one point is a true local minimum, spurious, and a saddle once a zero neuron is added",
       REF_BB + " §4")
def small_init():
    ex = _small_init()
    return Outcome(
        holds=ex.spurious and ex.escape["q"] < 0,
        instance="n = d = 3, teacher (4/5, 0, 3/5), beta = 1/1000",
        certificate=ex.certificate(),
        detail=f"F_r1 >= {ex.value_interval[0]} > F(competitor) = {ex.competitor_value}; refutes: {ex.refutes}",
    )


@crosscheck("counterexamples.small_init_spurious")
def small_init_numeric():
    """Floats: small initialisation (alpha = 1e-3) ends at the rank-one value."""
    rep = _small_init().reproduce(alphas=(1e-3,), seeds=2, width=10, steps=20_000, record_every=20_000)
    _, at, _, _ = rep["table"][0]
    return CrossCheck(at == 2, f"{at} of 2 runs from alpha = 1e-3 end at the rank-one value", 2 - at)
