"""Claims about the extensions of ``math/convex_duality.md`` §9: vector outputs, parallel three-layer nets."""

from fractions import Fraction

from ..data import Dataset
from ..extensions import parallel3, vector
from . import CrossCheck, Outcome, claim, crosscheck

#: The rational staircase of claims/landscape.py, lifted to c = 2 outputs by h = (3/5, 4/5).
LIFTED = vector.VectorData.lifted(Dataset([[2, 0, 0, 0], [-1, 1, 1, 1]], [1, 1], 1), (Fraction(3, 5), Fraction(4, 5)))
#: Generic data: one optimal point of (C), p* = 23/4.
GENERIC = Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1)


@claim(
    "extensions.vector_nonsingleton",
    "With c = 2 outputs the optimal set need not be a singleton: m* = 1 < M* = 2, and at m = 2 a component has more than one point",
    "math/convex_duality.md 9.2, T5.2 (c)",
)
def vector_nonsingleton():
    opt = vector.optimal_set(LIFTED, starts=3)
    widths = vector.critical_widths(LIFTED, optimum=opt)
    rows = {r["m"]: r for r in vector.staircase(LIFTED, (1, 2), polytope=widths.polytope)}
    return Outcome(
        holds=opt.kind == "rational" and tuple(widths) == (1, 2) and rows[2]["nonsingleton"],
        instance="X = (2,0,0,0; -1,1,1,1), Y = (1,1)^T (3/5, 4/5), beta = 1 (general vector route)",
        certificate=opt.certificate(),
        detail=f"p* = {opt.value}, {len(widths.polytope.atoms)} tight atoms, {len(widths.polytope.vertices)} vertices",
    )


@crosscheck("extensions.vector_nonsingleton")
def vector_nonsingleton_numeric():
    from ..numeric.extensions import train_vector

    X = [[float(a) for a in r] for r in LIFTED.X]
    Y = [[float(a) for a in r] for r in LIFTED.Y]
    _, _, F = train_vector(X, Y, 1.0, 3, starts=6, seed=1)
    gap = F - 0.75
    return CrossCheck(agrees=-1e-9 <= gap <= 1e-6, detail=f"L-BFGS at width 3 reaches F = {F:.12g} (p* = 3/4)", residual=abs(gap), tolerance=1e-6)


@claim(
    "extensions.vector_genuine",
    "A genuinely vector optimal set (c = 2, rank-two Lambda*, six tight atoms with pairwise non-parallel output directions) is a segment: m* = 2 < M* = 4, and the staircase of T5.2 holds",
    "math/convex_duality.md 9.2, T5.2; construction in exact/extensions/vector.py three_sample_example",
)
def vector_genuine():
    data, Lam = vector.three_sample_example()
    opt = vector.optimal_set(data, dual=Lam)
    widths = vector.critical_widths(data, optimum=opt)
    rows = {r["m"]: r for r in vector.staircase(data, (2, 3, 4, 5), polytope=widths.polytope)}
    gs = []
    for atom in widths.polytope.atoms:
        v = [max(sum(a * b for a, b in zip(x, atom.p)), 0) for x in data.X]
        gs.append([sum(vk * Lam[k][t] for k, vk in enumerate(v)) for t in range(2)])
    distinct = all(g[0] * h[1] != g[1] * h[0] for i, g in enumerate(gs) for h in gs[:i])
    rank_two = Lam[0][0] * Lam[1][1] != Lam[0][1] * Lam[1][0]
    staircase = rows[2]["points"] == 2 and rows[3]["nonsingleton"] and rows[4]["points"] == 24 and rows[5]["points"] == 0
    return Outcome(
        holds=opt.kind == "rational" and rank_two and tuple(widths) == (2, 4) and len(widths.polytope.atoms) == 6 and staircase and distinct,
        instance="three unit rows in Q^4 with pairwise cosines -77/162, -297/722, -117/242; Lambda* rows (15/17, 8/17), (3/5, 4/5), (7/25, 24/25); beta = 1",
        certificate=opt.certificate(),
        detail=f"p* = {opt.value}, {len(widths.polytope.atoms)} tight atoms, vertex supports {sorted(len(S) for S, _ in widths.polytope.vertices)}",
    )


@crosscheck("extensions.vector_genuine")
def vector_genuine_numeric():
    from ..numeric.extensions import train_vector

    data, _ = vector.three_sample_example()
    X = [[float(a) for a in r] for r in data.X]
    Y = [[float(a) for a in r] for r in data.Y]
    best = {m: min(train_vector(X, Y, 1.0, m, starts=1, seed=s)[2] for s in range(8)) for m in (1, 2)}
    p = 8993 / 2662
    gap = best[2] - p
    return CrossCheck(
        agrees=-1e-9 <= gap <= 1e-7 and best[1] > p + 0.1,
        detail=f"L-BFGS, seeds 0-7: width 2 reaches F = {best[2]:.12g} (p* = 8993/2662), width 1 stops at {best[1]:.6g} > p*",
        residual=abs(gap),
        tolerance=1e-7,
    )


@claim(
    "extensions.parallel3_one_neuron",
    "A parallel three-layer network with one first-layer neuron per branch (path regularizer) has the two-layer optimum p*",
    "math/convex_duality.md 9.3 (reduction derived in exact/extensions/parallel3.py)",
)
def parallel3_one_neuron():
    from ..optimum import optimal_set

    opt = parallel3.optimal_set(GENERIC, 1)
    scalar = optimal_set(GENERIC)
    value = parallel3.network_value(GENERIC, opt.network()) if opt.kind == "rational" else None
    parts = [dict(opt.certificate(), label="parallel3 group lasso, m1 = 1"), dict(scalar.certificate(), label="two-layer optimum")]
    return Outcome(
        holds=opt.kind == "rational" and opt.value == scalar.value == value,
        instance="X = (1,0; 1,-1; 1,2), y = (3,-2,0), beta = 1, m1 = 1",
        certificate={"schema": "reluscape/bundle/1", "title": "the same p* from both problems", "parts": parts},
        detail=f"group lasso over {len(opt.blocks)} blocks: p* = {opt.value}; the branches evaluate to F = {value}",
    )


@crosscheck("extensions.parallel3_one_neuron")
def parallel3_one_neuron_numeric():
    from ..numeric.extensions import solve_group_lasso

    blocks = parallel3.parallel3_blocks(GENERIC.X, 1)
    _, _, value = solve_group_lasso([[[float(a) for a in r] for r in b.A] for b in blocks], [[[float(a) for a in r] for r in b.G] for b in blocks], [3.0, -2.0, 0.0], 1.0)
    return CrossCheck(agrees=abs(value - 5.75) < 1e-6, detail=f"Clarabel over all blocks: {value:.10g} (p* = 23/4)", residual=abs(value - 5.75), tolerance=1e-6)
