"""Claims about the stationary points of the nonconvex problem (``math/convex_duality.md`` §6)."""

import numpy as np

from ..data import Dataset
from ..optimum import optimal_set
from ..stationary_set import stationary_points
from . import CrossCheck, Outcome, claim, crosscheck

#: Orthonormal data with labels of both signs: a global minimum and saddles (m = 2).
ORTHO = Dataset([[1, 0], [0, 1]], [2, -2], 1)
#: math/convex_duality.md R6.4 (a): a Clarke stationary point on a kink that is no local minimum.
KINK = Dataset([[0, 1], [1, 1], [1, -1]], [2, 1, 2], 1)


@claim(
    "stationarity.values_are_restricted_optima",
    "Off kinks, every stationary value is the optimum p*_S of the restricted problem on its own blocks",
    "math/convex_duality.md T6.3",
    slow=True,
)
def restricted_optima():
    checked, ok = 0, True
    for data, m in ((ORTHO, 2), (KINK, 1)):
        for p in stationary_points(data, m):
            if not p.blocks or any(f.kinks for f, _ in p.blocks):
                continue
            restricted = optimal_set(data, blocks=[(f.D, s) for f, s in p.blocks])
            lo, hi = restricted.value_interval
            exact = restricted.value if restricted.kind in ("rational", "algebraic") else None
            ok &= (exact is not None and _equal(exact, p.value)) or (exact is None and _within(p.value, lo, hi))
            checked += 1
    return Outcome(
        holds=ok and checked > 0,
        instance="orthonormal data (m = 2) and the R6.4 (a) data (m = 1)",
        detail=f"{checked} off-kink stationary points, each equal to its restricted optimum",
    )


@crosscheck("stationarity.values_are_restricted_optima")
def restricted_numeric():
    return gd_ends_at_stationary_values(ORTHO, 2)


@claim(
    "stationarity.kink_point_is_a_saddle",
    "At kinks stationarity differs from restricted optimality: R6.4 (a) is Clarke stationary, not a local minimum",
    "math/convex_duality.md R6.4, T6.2",
)
def kink_saddle():
    from ..stationary import classify

    cls = classify(KINK, [[1, 0]], [1])
    return Outcome(
        holds=cls.kind == "non_minimum_stationary",
        instance="rows (0,1), (1,1), (1,-1), y = (2,1,2), beta = 1, theta = ((1,0), 1)",
        certificate=cls.certificates["stationary"],
        detail=f"F = {cls.value}: {cls.detail}",
    )


def gd_ends_at_stationary_values(data, m, runs=24, steps=20000, seed=0):
    """Float GD from random initializations: every end value off the kinks is a stationary value
    found exactly. Runs ending elsewhere on a kink are reported apart: with sigma'(0) = 0, GD can
    stall there at points that are not Clarke stationary (benignity §7, pitfall 5)."""
    from ..numeric.nonconvex import gradient_descent, init_params

    values = [float(v) for v in stationary_points(data, m).values]
    X = np.array([[float(a) for a in r] for r in data.X])
    y = np.array([float(a) for a in data.y])
    W, a = init_params(m, data.d, batch=runs, alpha=0.5, seed=seed)
    res = gradient_descent(X, y, float(data.beta), W, a, lr=0.01, steps=steps, record_every=steps)
    ends = res.losses[:, -1]
    on_kink = [bool(((np.abs(res.W[b] @ X.T) < 1e-8) & (np.abs(res.a[b]) > 1e-6)[:, None]).any()) for b in range(runs)]
    gaps = [min(abs(e - v) for v in values) for e in ends]
    matched = sum(g < 1e-4 for g in gaps)
    stalled = sum(g >= 1e-4 and k for g, k in zip(gaps, on_kink))
    worst = max((g for g, k in zip(gaps, on_kink) if not k), default=0.0)
    detail = f"{matched}/{runs} GD runs end at a stationary value; {stalled} stalled on a kink (sigma'(0) = 0)"
    return CrossCheck(agrees=worst < 1e-4, detail=detail, residual=worst)


def _equal(a, b):
    """Exact equality of two exact numbers (Fraction, multiquadratic or sympy)."""
    import sympy

    return sympy.simplify(_sym(a) - _sym(b)) == 0


def _within(v, lo, hi):
    """Whether ``lo <= v <= hi`` for an exact number ``v`` and rationals ``lo``, ``hi``, decided
    exactly (:func:`exact.multiquadratic.sign_of`)."""
    import sympy

    from ..multiquadratic import sign_of

    x = _sym(v)
    return sign_of(x - sympy.Rational(lo.numerator, lo.denominator)) >= 0 and sign_of(sympy.Rational(hi.numerator, hi.denominator) - x) >= 0


def _sym(v):
    from fractions import Fraction

    import sympy

    from ..multiquadratic import Multiquadratic, to_sympy

    if isinstance(v, (Fraction, int, Multiquadratic)):
        return to_sympy(v)
    return sympy.sympify(v)
