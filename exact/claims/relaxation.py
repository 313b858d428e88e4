"""Claims about the Kim–Pilanci sampled relaxation (``math/benignity_and_relaxation.md`` §5).

Only what holds by theory is claimed: the sampled problem is a restriction of (C), its value is
antitone in the sample, it is exact once the sample holds an optimal support, and on
orthonormal data it has the closed form of Prop 3.5. The [KP] bound
:math:`\\tilde p^*\\le C\\sqrt{\\log 2n}\\,p^*` (secondary) is measured by ``reluscape
relaxation-gap``, not claimed. The exact checks certify both optima with
:func:`exact.optimum.optimal_set` (the global certificate is attached for the trusted
checker); the float twins solve the same problems with Clarabel and run gradient descent.
"""

from fractions import Fraction
from functools import lru_cache

from ..arrangement import enumerate_patterns
from ..convex import nonconvex_objective
from ..data import Dataset
from ..relaxation import gaussian_dataset, relaxation_curve, relaxation_gap, select_patterns
from . import CrossCheck, Outcome, claim, crosscheck

#: The Gaussian instance of the sampling claims: n = 8, d = 2, seed 5, beta = beta_max / 5.
GAUSSIAN = {"n": 8, "d": 2, "seed": 5}
#: Nested sample sizes (numbers of Gaussian gates) of the monotonicity claim.
SIZES = (1, 2, 4, 8, 16, 32, 64)
#: Orthonormal data with Pythagorean label norms: Y+ = |(3, 4)| = 5, Y- = |(-5, -12)| = 13.
ORTHONORMAL = Dataset([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], [3, 4, -5, -12], 1)
#: A disjoint sample on it: {1}, {2}, {3, 4} (Prop 3.5 applies).
PARTITION = ((1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 1))
#: A planted-teacher instance whose optimal atoms are interior to their cones (n = 8, d = 2).
TEACHER = {"n": 8, "d": 2, "seed": 0, "labels": "teacher", "tau": Fraction(1, 20)}
#: Relative accuracy gradient descent must reach, exactly evaluated.
GD_ACCURACY = Fraction(1, 10**6)
#: Relative tolerance of the float twins against the certified intervals.
TOL = 1e-7


@claim(
    "relaxation.restriction_bound",
    "A sampled relaxation is a restriction: p* <= p~*, strictly for a small Gaussian sample, "
    "and p~* = p* exactly once the sample holds an optimal support",
    "math/benignity_and_relaxation.md §5 (relaxation), math/convex_duality.md D6.1",
)
def restriction_bound():
    curve = _curve()
    small, large = curve[0], curve[-1]
    holds = all(g.consistent for g in curve) and small.gap_proved and large.support_contained
    return Outcome(
        holds=holds,
        instance=_gaussian_name(),
        certificate=small.optimum.certificate(),
        detail=f"{len(small.sample)} sampled region(s): p~*/p* in {_show(small.ratio)} (gap proved); "
        f"{len(large.sample)} of {large.total} regions hold an optimal support: ratio = 1 exactly",
    )


@crosscheck("relaxation.restriction_bound")
def restriction_numeric():
    curve = _curve()
    return _against_intervals([curve[0], curve[-1]])


@claim(
    "relaxation.monotone_in_sample",
    "p~* is non-increasing along nested Gaussian samples and reaches p*",
    "math/convex_duality.md D6.1, §10.5 (p*_S antitone)",
)
def monotone():
    curve = _curve()
    antitone = all(b.p_tilde[0] <= a.p_tilde[1] for a, b in zip(curve, curve[1:]))
    return Outcome(
        holds=antitone and all(g.consistent for g in curve) and curve[-1].ratio == (1, 1),
        instance=_gaussian_name() + f", nested samples of {', '.join(map(str, SIZES))} gates",
        certificate=curve[-1].optimum.certificate(),
        detail="upper ratios " + ", ".join(f"{float(g.ratio[1]):.4f}" for g in curve),
    )


@crosscheck("relaxation.monotone_in_sample")
def monotone_numeric():
    from ..numeric.relaxation import relaxed_value

    curve = _curve()
    values = [relaxed_value(curve[0].data, None, None, g.sample.D).value for g in curve]
    drops = [b - a for a, b in zip(values, values[1:])]
    worst = max(drops, default=0.0)
    inside = _against_intervals(curve)
    return CrossCheck(
        agrees=worst <= TOL * abs(values[0]) and inside.agrees,
        detail=f"Clarabel values {', '.join(f'{v:.6f}' for v in values)}; {inside.detail}",
        residual=max(worst, inside.residual),
        tolerance=TOL,
    )


@claim(
    "relaxation.orthonormal_partition",
    "Orthonormal data, disjoint sampled patterns: p~* = sum h_beta(|y_{S_i ∩ P}|) + h_beta(|y_{S_i ∩ N}|) "
    "+ |y_rest|^2 / 2, against p* = h_beta(Y+) + h_beta(Y-)",
    "math/benignity_and_relaxation.md §3 Thm 3.1, Prop 3.5",
)
def orthonormal_partition():
    gap = _orthonormal()
    beta = ORTHONORMAL.beta

    def huber(sq):  # h_beta(sqrt(sq)) for a perfect square sq
        t = Fraction(_isqrt(sq))
        return t * t / 2 if t <= beta else beta * t - beta * beta / 2

    y = ORTHONORMAL.y
    p_star = huber(sum(v * v for v in y if v > 0)) + huber(sum(v * v for v in y if v < 0))
    p_tilde = sum(
        huber(sum(y[k] ** 2 for k in range(4) if S[k] and y[k] > 0)) + huber(sum(y[k] ** 2 for k in range(4) if S[k] and y[k] < 0))
        for S in PARTITION
    )
    holds = gap.p_star == (p_star, p_star) and gap.p_tilde == (p_tilde, p_tilde) and gap.ratio == (p_tilde / p_star,) * 2
    return Outcome(
        holds=holds,
        instance="X = I_4, y = (3, 4, -5, -12), beta = 1, sample {1}, {2}, {3, 4}",
        certificate=gap.optimum.certificate(),
        detail=f"p* = {p_star} = h(5) + h(13), p~* = {p_tilde} = h(3) + h(4) + h(13), ratio {p_tilde / p_star}",
    )


@crosscheck("relaxation.orthonormal_partition")
def orthonormal_numeric():
    return _against_intervals([_orthonormal()])


@claim(
    "relaxation.gd_reaches_optimum",
    "Gradient descent from a small random initialization reaches p* on a planted-teacher instance: "
    "the rationalized final network has p* <= F(theta) <= (1 + 1e-6) p*, exactly",
    "math/benignity_and_relaxation.md §5 (Theorem 2.5, measured), math/convex_duality.md §3",
)
def gd_reaches_optimum():
    from ..numeric.relaxation import rationalize

    data, opt, res = _teacher_descent()
    best = int(res.losses[:, -1].argmin())
    F = nonconvex_objective(data, rationalize(res.W[best], 10**12), rationalize(res.a[best], 10**12))
    lo, hi = opt.value_interval
    holds = lo <= F <= hi * (1 + GD_ACCURACY)
    return Outcome(
        holds=holds,
        instance=f"teacher labels, n = {data.n}, d = {data.d}, beta = {data.beta}; best of 16 GD runs of width 8",
        certificate=opt.certificate(),
        detail=f"F(theta) - p* <= {float(F - lo):.2e} (exact F of the rationalized network), p* ~ {float(lo):.10f}",
    )


@crosscheck("relaxation.gd_reaches_optimum")
def gd_numeric():
    from ..numeric.relaxation import relaxed_value

    data, opt, res = _teacher_descent()
    value = relaxed_value(data, None, None, opt.patterns.D).value
    final = res.losses[:, -1]
    rel = (final - value) / value
    best = float(rel.min())
    return CrossCheck(
        agrees=abs(best) <= 1e-6 and bool((rel >= -1e-9).all()),
        detail=f"Clarabel p* = {value:.10f}; GD reaches it in {int((abs(rel) <= 1e-6).sum())}/16 runs, "
        f"median excess {float(sorted(rel)[8]):.1e}",
        residual=abs(best),
        tolerance=1e-6,
    )


# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _curve():
    data = gaussian_dataset(GAUSSIAN["n"], GAUSSIAN["d"], seed=GAUSSIAN["seed"])
    return relaxation_curve(data, SIZES, seed=GAUSSIAN["seed"])


@lru_cache(maxsize=1)
def _orthonormal():
    pats = enumerate_patterns(ORTHONORMAL.X)
    return relaxation_gap(ORTHONORMAL, select_patterns(pats, PARTITION), patterns=pats)


@lru_cache(maxsize=1)
def _teacher_descent():
    """The teacher instance, its certified optimum, and 16 GD runs of width 8 (floats)."""
    from ..numeric.relaxation import gd_runs
    from ..optimum import optimal_set

    data = gaussian_dataset(TEACHER["n"], TEACHER["d"], seed=TEACHER["seed"], labels=TEACHER["labels"], tau=TEACHER["tau"])
    return data, optimal_set(data), gd_runs(data, None, None, width=8, runs=16, alpha=0.01, steps=20000, seed=0)


def _against_intervals(gaps):
    """Clarabel's p* and p~* for each gap, against the certified enclosures (relative ``TOL``)."""
    from ..numeric.relaxation import float_gap

    worst, rows = 0.0, []
    for g in gaps:
        fg = float_gap(g.data, None, None, g.sample.D, patterns=g.optimum.patterns.D)
        for name, (flo, fhi), (lo, hi) in (("p*", fg["p_star"], g.p_star), ("p~*", fg["p_tilde"], g.p_tilde)):
            value = (flo + fhi) / 2
            scale = max(1.0, abs(float(hi)))
            worst = max(worst, (float(lo) - value) / scale, (value - float(hi)) / scale)
        rows.append(f"{fg['ratio'][1]:.6f}")
    return CrossCheck(
        agrees=worst <= TOL,
        detail=f"Clarabel ratios {', '.join(rows)}, within the certified intervals to {max(worst, 0.0):.1e}",
        residual=max(worst, 0.0),
        tolerance=TOL,
    )


def _gaussian_name():
    return f"Gaussian X ({GAUSSIAN['n']} x {GAUSSIAN['d']}, seed {GAUSSIAN['seed']}) and y, beta = beta_max / 5, rationalized"


def _show(interval):
    lo, hi = interval
    return f"[{float(lo):.6f}, {float(hi):.6f}]"


def _isqrt(q):
    from math import isqrt

    root = isqrt(int(q))
    if root * root != q:
        raise ValueError(f"{q} is not a perfect square")
    return root
