"""Claims about the convex reformulation and its dual (``math/convex_duality.md`` §3–4)."""

from fractions import Fraction

import numpy as np

from ..convex import nonconvex_objective
from ..data import Dataset
from ..optimum import optimal_set
from . import CrossCheck, Outcome, claim, crosscheck

#: A small instance whose optimum is rational, with two atoms of opposite signs.
RATIONAL = Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1)
#: Orthonormal rows (math/benignity_and_relaxation.md §3): F* = h_beta(Y+) + h_beta(Y-).
ORTHOGONAL = Dataset([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], [2, 1, -3, -1], 1)


@claim(
    "duality.strong_duality",
    "p* = d(nu*): a feasible primal and dual pair with zero gap (gap identity of §3)",
    "math/convex_duality.md §3 T3.3, C4.7",
)
def strong_duality():
    opt = optimal_set(RATIONAL)
    return Outcome(
        holds=opt.kind == "rational" and opt.value == Fraction(23, 4),
        instance="X = (1,0; 1,-1; 1,2), y = (3,-2,0), beta = 1",
        certificate=opt.certificate(),
        detail=f"p* = {opt.value}, nu* = ({', '.join(map(str, opt.nu))}), {len(opt.atoms)} atoms",
    )


@crosscheck("duality.strong_duality")
def strong_duality_numeric():
    return _float_value(RATIONAL, optimal_set(RATIONAL))


@claim(
    "duality.orthogonal_closed_form",
    "Orthonormal data: p* = h_beta(Y+) + h_beta(Y-) exactly (irrational, in sympy)",
    "math/benignity_and_relaxation.md §3 Thm 3.1",
)
def orthogonal():
    import sympy

    opt = optimal_set(ORTHOGONAL)
    beta = sympy.Integer(1)

    def huber(t):
        return t**2 / 2 if t <= beta else beta * t - beta**2 / 2

    closed = huber(sympy.sqrt(5)) + huber(sympy.sqrt(10))
    holds = opt.kind == "algebraic" and sympy.simplify(opt.value - closed) == 0
    return Outcome(
        holds=holds,
        instance="X = I_4, y = (2, 1, -3, -1), beta = 1",
        certificate=opt.certificate(),
        detail=f"p* = {opt.value} = h(sqrt 5) + h(sqrt 10)",
    )


@crosscheck("duality.orthogonal_closed_form")
def orthogonal_numeric():
    return _float_value(ORTHOGONAL, optimal_set(ORTHOGONAL))


@claim(
    "duality.tight_directions",
    "Every used block is tight and its direction is the cone projection Pi_K(+-X^T D nu*) / beta",
    "math/convex_duality.md T4.2, L4.1",
)
def tight_directions():
    from ..cones import project

    opt = optimal_set(RATIONAL)
    X, beta = RATIONAL.X, RATIONAL.beta
    ok = True
    for atom in opt.atoms:
        blk = atom.blocks[0]
        g = [blk.sign * sum(X[k][c] * opt.nu[k] for k in range(len(X)) if blk.D[k]) for c in range(len(X[0]))]
        A = [[a if blk.D[k] else -a for a in X[k]] for k in range(len(X))]
        pr = project(A, g)
        ok &= pr.sq_norm == beta**2 and tuple(pr.point) == tuple(atom.z)
    return Outcome(
        holds=ok and opt.kind == "rational",
        instance="X = (1,0; 1,-1; 1,2), y = (3,-2,0), beta = 1",
        certificate=opt.certificate(),
        detail=f"{len(opt.atoms)} atoms, each ||Pi||^2 = beta^2 exactly",
    )


@claim(
    "duality.nonconvex_equals_convex",
    "For m >= m*, the network u -> (u/sqrt||u||, +-sqrt||u||) attains F(theta) = p* exactly",
    "math/convex_duality.md D3.4, T3.3",
)
def nonconvex_equals_convex():
    import sympy

    out = []
    for data in (RATIONAL, ORTHOGONAL):
        opt = optimal_set(data)
        W, a = opt.to_nonconvex()
        F = nonconvex_objective(data, W, a)
        out.append(sympy.simplify(sympy.nsimplify(F) - sympy.nsimplify(opt.value)) == 0)
    return Outcome(
        holds=all(out),
        instance="the rational instance and the orthogonal one",
        certificate=optimal_set(RATIONAL).certificate(),
        detail="F(theta) = p* in exact (algebraic) arithmetic on both",
    )


@crosscheck("duality.nonconvex_equals_convex")
def nonconvex_numeric():
    from ..numeric.nonconvex import gradient_descent, init_params

    X = np.array([[float(a) for a in r] for r in RATIONAL.X])
    y = np.array([float(a) for a in RATIONAL.y])
    W, a = init_params(8, 2, batch=8, alpha=0.5, seed=1)
    res = gradient_descent(X, y, 1.0, W, a, lr=0.01, steps=20000, record_every=20000)
    best = float(np.min(res.losses[:, -1]))
    gap = best - 23 / 4
    return CrossCheck(agrees=-1e-9 <= gap < 1e-3, detail=f"GD (8 seeds, width 8) best loss {best:.6f} vs p* = 5.75", residual=gap)


def _float_value(data, opt):
    from ..numeric.socp import solve_socp

    pats = opt.patterns
    sol = solve_socp([[float(a) for a in r] for r in data.X], [float(a) for a in data.y], float(data.beta), pats.D)
    lo, hi = opt.value_interval
    mid = float((lo + hi) / 2)
    err = abs(sol.value - mid)
    return CrossCheck(agrees=err < 1e-6 * max(1.0, abs(mid)), detail=f"Clarabel {sol.value:.10f}, |diff| {err:.1e}", residual=err)
