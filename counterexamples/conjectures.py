r"""A library of conjectures about the weight-decay ReLU landscape, each with its status from theory.

Each :class:`Conjecture` is a predicate on a :class:`~exact.Dataset` :math:`(X,y,\beta)` that
returns an exact :class:`~exact.hunt.Evidence`, the instances to hunt it on (a hypothesis
strategy by size ranges), its status (``"true"``: proved, hunting must not refute it;
``"false"``: hunting refutes it) and, for the false ones, the known construction the hunt's
smallest counterexample is compared with. Run them with :func:`exact.hunt.hunt` or
``reluscape hunt NAME``.

True (``math/convex_duality.md``):

* ``strong_duality`` — :math:`p^*_C=d(\nu^*)`: a primal and a dual point with zero gap (T3.3,
  C4.7), certified (``reluscape/optimum/2``).
* ``offkink_stationary_optimal`` — every Clarke stationary point of width 1 whose neuron is off
  the kinks is optimal for its restricted convex problem (T6.3).
* ``connected_above_n`` — the optimal set is connected at :math:`m=n+1` (T5.2 (f)).

False:

* ``unique_optimum`` — the convex problem has a unique solution (:math:`\mathcal Q^*` a point).
  Refuted by a ``reluscape/critical-widths/1`` certificate listing two vertices. Needs
  :math:`n\ge2` (one sample has one tight atom); known: the rational staircase (:math:`n=2`,
  :math:`d=4`, ``counterexamples/staircase.py``).
* ``no_spurious_at_n`` — no spurious local minimum at width :math:`m=n`. Refuted by a
  ``reluscape/local-min/1`` certificate with a competitor; known: orthonormal rows with labels
  of both signs and a one-signed network (BBEL Prop 3.7 (b), :math:`n=d=2`).
* ``clarke_restricted`` — every Clarke stationary point, kinks included, is optimal for a
  restricted convex problem :math:`C_{\mathcal S}` (some choice :math:`s_j\in\mathcal R(w_j)`).
  Refuted by ``reluscape/kink-stationary/1``: Clarke stationary, and every adjacent region of a
  kink neuron violates its dual constraint (R6.4 (a), :math:`n=3`, :math:`d=2`).
* ``small_init_gd`` — gradient descent from a small balanced initialization reaches a global
  minimum. Floats propose (:func:`exact.numeric.gradient_descent`); the verdict is exact: the
  final iterate, read as exact binary rationals, lies in an activation region whose closure
  holds no global minimum (``reluscape/region/1``). Known: [BBEL] Thm 2 (:math:`n=d\ge3`).

Instances are built from integers (:mod:`exact.strategies`) so that hypothesis shrinks them
to small integers. ``unique_optimum`` is hunted on *dual-first* instances
(``math/convex_duality.md`` §5, "Constructing staircase data"): draw :math:`X` and an integer
:math:`\nu`, set :math:`\beta^2=\max_{s,\pm}\|\Pi_{K_s}(\pm X^\top D_s\nu)\|^2` (kept when it is
a rational square), and :math:`y=\nu+\sum_a\mathrm{col}_a` over the tight atoms; then
:math:`\nu^*=\nu` and the optimum is rational.
"""

from dataclasses import dataclass
from fractions import Fraction

from hypothesis import assume
from hypothesis import strategies as st

from exact import Dataset, enumerate_patterns, optimal_polytope, optimal_set, optimal_set_components, stationary_points
from exact.checker import check_certificate
from exact.cone_faces import project_exact
from exact.errors import ReluscapeError, UndecidedError
from exact.hunt import Evidence
from exact.solution_set import CriticalWidths
from exact.stationary import Network, adjacent_regions, clarke_stationarity, classify, cone_minimum
from exact.strategies import datasets, integer_data, labels

__all__ = ["Conjecture", "Known", "CONJECTURES", "conjecture", "dual_first_data", "compare_with_known"]


@dataclass(frozen=True)
class Known:
    """A known construction: its name, size, data (when rational and small) and source."""

    name: str
    n: int
    d: int
    source: str
    data: Dataset = None


@dataclass(frozen=True)
class Conjecture:
    """A claim to hunt: ``predicate(data) -> Evidence``, its status and its instances."""

    name: str
    statement: str
    status: str
    reference: str
    predicate: object
    strategy: object
    known: Known = None

    def instances(self, n, d):
        """The hypothesis strategy of datasets with ``n`` in ``n[0]..n[1]``, ``d`` in ``d[0]..d[1]``."""
        return self.strategy(n, d)


def conjecture(name):
    """The conjecture named ``name``.

    Examples
    --------
    >>> conjecture("unique_optimum").status
    'false'
    >>> conjecture("fermat")
    Traceback (most recent call last):
    ...
    exact.errors.ReluscapeError: no conjecture named 'fermat'; known: clarke_restricted, connected_above_n, no_spurious_at_n, offkink_stationary_optimal, small_init_gd, strong_duality, unique_optimum
    """
    if name not in CONJECTURES:
        raise ReluscapeError(f"no conjecture named {name!r}; known: {', '.join(sorted(CONJECTURES))}")
    return CONJECTURES[name]


def compare_with_known(conj, counterexample):
    """One line comparing a hunt's smallest counterexample with the known construction."""
    known = conj.known
    if known is None:
        return "no known construction recorded"
    cx = counterexample
    rel = "smaller than" if (cx.n, cx.d) < (known.n, known.d) else "the same size as" if (cx.n, cx.d) == (known.n, known.d) else "larger than"
    return f"found n = {cx.n}, d = {cx.d}: {rel} the known {known.name} (n = {known.n}, d = {known.d}; {known.source})"


# ---------------------------------------------------------------------------------------------
# instances


def _plain(bound=3, label_bound=4):
    def strategy(n, d):
        X = integer_data(n[1], d[1], bound, min_n=n[0], min_d=d[0]).filter(lambda X: all(any(r) for r in X))
        return datasets(X, beta=st.sampled_from([Fraction(1, 2), Fraction(1), Fraction(2)]), label_bound=label_bound)

    return strategy


def dual_first_data(n=(1, 3), d=(1, 4), bound=1):
    r"""Datasets built backwards from an integer dual point :math:`\nu` (module docstring):
    :math:`\nu^*=\nu`, :math:`\beta` the largest block norm, the fit the sum of the tight columns.

    Examples
    --------
    >>> from hypothesis import find
    >>> D = find(dual_first_data((2, 2), (4, 4)), lambda D: True)
    >>> optimal_set(D).nu == tuple(D.y[k] - optimal_set(D).fit[k] for k in range(D.n))
    True
    """
    return _dual_first(n, d, bound)


@st.composite
def _dual_first(draw, n, d, bound):
    X = draw(integer_data(n[1], d[1], bound, min_n=n[0], min_d=d[0]))
    assume(all(any(r) for r in X))
    nu = draw(labels(len(X), 2))
    norms = {}
    for pat in enumerate_patterns(X):
        D = [1 if s > 0 else 0 for s in pat.signs]
        A = [[c if dk else -c for c in x] for x, dk in zip(X, D)]
        for s in (1, -1):
            g = [s * sum((x[c] * v for x, v, dk in zip(X, nu, D) if dk), Fraction(0)) for c in range(len(X[0]))]
            p = project_exact(A, g)
            if p.sq_norm:
                norms.setdefault(p.sq_norm, set()).add((s, tuple(p.point)))
    assume(norms)
    beta2 = max(norms)
    beta = _rational_sqrt(beta2)
    assume(beta is not None)
    y = list(nu)
    for s, p in norms[beta2]:  # the tight atoms, one column each (weight 1)
        for k, x in enumerate(X):
            y[k] += s * max(sum((a * b for a, b in zip(x, p)), Fraction(0)) / beta, Fraction(0))
    return Dataset(X, y, beta)


def _rational_sqrt(q):
    from math import isqrt

    a, b = isqrt(q.numerator), isqrt(q.denominator)
    return Fraction(a, b) if a * a == q.numerator and b * b == q.denominator else None


# ---------------------------------------------------------------------------------------------
# predicates


def strong_duality(data):
    r"""The certified optimum closes the duality gap: :math:`G(u^*)=d(\nu^*)`, checked by the checker."""
    opt = optimal_set(data)
    if opt.kind == "bracket":
        raise UndecidedError(f"only a bracket of p*: {opt.proof_reason}")
    cert = opt.certificate()
    ok = check_certificate(cert).ok
    return Evidence(ok, cert, f"p* = d(nu*) = {opt.value} ({opt.kind}); certificate {'verified' if ok else 'REJECTED'}")


def offkink_stationary_optimal(data):
    r"""Every width-1 stationary point off the kinks minimises :math:`F` over its cone (T6.3).

    T6.3's restricted problem is over the own patterns :math:`\mathcal S(\theta)` of the
    *non-zero* neurons: the zero network is optimal for :math:`C_\emptyset` trivially, and its
    neuron (:math:`x_k^\top w=0` for every :math:`k`) is on every kink, so it is not tested (the cone
    test would ask more of it: that no region lets the neuron grow, a local-minimum question)."""
    checked = 0
    for p in stationary_points(data, 1):
        if not p.blocks or any(f.kinks for f, _ in p.blocks):
            continue
        res = cone_minimum(data, p.network)
        checked += 1
        if not res.holds:
            cert = clarke_stationarity(data, p.network).certificate()
            return Evidence(False, cert, f"an off-kink stationary point (value {p.value}) is no cone minimum: {res.reason}")
    return Evidence(True, None, f"{checked} off-kink stationary points, each optimal for its restricted problem")


def connected_above_n(data):
    r"""The optimal set :math:`\Theta^*(n+1)` has one connected component."""
    P = optimal_polytope(data)
    comps = optimal_set_components(data, data.n + 1, polytope=P)
    cert = _widths_certificate(P)
    return Evidence(comps == 1, cert, f"{comps} components at m = n + 1 = {data.n + 1}")


def unique_optimum(data):
    r""":math:`\mathcal Q^*` is a single point (one vertex)."""
    P = optimal_polytope(data)
    k = len(P.vertices)
    cert = _widths_certificate(P)
    if k == 1:
        return Evidence(True, cert, "Q* is a single point")
    sizes = sorted(len(S) for S, _ in P.vertices)
    return Evidence(
        False, cert,
        f"Q* has {k} vertices (supports of sizes {sizes}, dimension {P.dimension}); "
        f"the optimal function is {'unique' if P.unique_function else 'not unique'}",
    )


def no_spurious_at_n(data):
    r"""No spurious local minimum at width :math:`m=n`, among the stationary points of width 1
    spread evenly over the :math:`n` neurons (exhaustive for :math:`n=1`)."""
    m = data.n
    seen = 0
    for p in stationary_points(data, 1):
        if not p.blocks:
            continue
        net = _spread(p.network, m)
        cls = classify(data, net)
        seen += 1
        if cls.kind == "spurious_local_minimum":
            return Evidence(False, cls.certificates["local"], f"a spurious local minimum of value {cls.value} at m = {m}: {cls.detail}")
    return Evidence(True, None, f"{seen} one-block stationary points spread over m = {m} neurons; none is a spurious local minimum")


def clarke_restricted(data):
    r"""Every width-1 Clarke stationary point is optimal for :math:`C_{\mathcal S}` with
    :math:`\mathcal S\ni s\in\mathcal R(w)`, i.e. some adjacent region satisfies its dual constraint."""
    for p in stationary_points(data, 1):
        if not any(f.kinks for f, _ in p.blocks):
            continue
        net = p.network
        nr = net.neurons[0]
        regions = adjacent_regions(data.X, nr.u)
        if any(cone_minimum(data, net, cones=[(r.signs, nr.sign)]).holds for r in regions):
            continue
        res = clarke_stationarity(data, net)
        cert = res.certificate()
        cert["schema"] = "reluscape/kink-stationary/1"
        cert["neuron"] = 0
        cert["violations"] = [_violation(data, res.nu, r, nr.sign) for r in regions]
        return Evidence(False, cert, f"Clarke stationary on a kink (value {p.value}), yet all {len(regions)} adjacent regions violate the dual constraint")
    return Evidence(True, None, "every kink stationary point of width 1 is a cone minimum for some adjacent region")


def small_init_gd(data, *, width=10, runs=3, alpha=1e-3, steps=3000, seed=0):
    r"""Gradient descent from a small balanced initialization ends in a region whose closure
    holds a global minimum (the final iterate is read exactly; see the module docstring)."""
    import numpy as np

    from exact.numeric import gradient_descent, init_params
    from exact.numeric.relaxation import rationalize
    from exact.region_census import classify as classify_region
    from exact.region_census import region_landscape

    X = [[float(a) for a in r] for r in data.X]
    y = [float(a) for a in data.y]
    scale = 1 + sum(a * a for r in X for a in r) * (1 + max(abs(a) for a in y))
    W0, a0 = init_params(width, data.d, batch=runs, alpha=alpha, seed=seed)
    res = gradient_descent(X, y, float(data.beta), W0, a0, lr=0.25 / scale, steps=steps, record_every=steps)
    land = region_landscape(data)
    for b in range(runs):
        W, a = rationalize(res.W[b], 2**30), rationalize(res.a[b], 2**30)
        if not np.isfinite(res.losses[b]).all() or any(c == 0 for c in a):
            continue
        signs = [tuple((v > 0) - (v < 0) for v in (sum((p * q for p, q in zip(x, w)), Fraction(0)) for x in data.X)) for w in W]
        if any(0 in s for s in signs):
            continue  # an exact kink: no single region
        verdict = classify_region(data, [(s, 1 if c > 0 else -1) for s, c in zip(signs, a)], landscape=land)
        if not verdict.contains_global:
            lo = verdict.value_interval[0]
            return Evidence(
                False, verdict.certificate,
                f"GD run {b} (m = {width}, alpha = {alpha}, {steps} steps) ends at F = {res.losses[b][-1]:.6g} in a region "
                f"whose closure has min F >= {float(lo):.6g} > p* <= {float(verdict.optimum_interval[1]):.6g}",
            )
    return Evidence(True, None, f"{runs} GD runs end in regions holding a global minimum")


def _spread(net, m):
    """The network with its one non-zero neuron split evenly over ``m`` neurons (same fit)."""
    nr = next(nr for nr in net.neurons if nr.sign)
    part = type(nr)(nr.sign, nr.a2 / m, tuple(c / m for c in nr.u))
    return Network((part,) * m)


def _violation(data, nu, region, sign):
    r"""A vector :math:`p\in K_s` with :math:`\sigma\nu^\top D_sXp=\|p\|^2>\beta^2` (the projection)."""
    from exact.certificates import numbers
    from exact.multiquadratic import encode

    D = [1 if s > 0 else 0 for s in region.signs]
    A = [[c if dk else -c for c in x] for x, dk in zip(data.X, D)]
    g = [sign * sum((x[c] * v for x, v, dk in zip(data.X, nu, D) if dk), Fraction(0)) for c in range(data.d)]
    p = project_exact(A, g)
    return {"signs": "".join("+" if s > 0 else "-" if s < 0 else "0" for s in region.signs),
            "witness": numbers(region.witness), "u": [encode(c) for c in p.point]}


def _widths_certificate(P):
    if P.optimum.kind != "rational":
        return P.optimum.certificate()
    sizes = [len(S) for S, _ in P.vertices]
    return CriticalWidths(min(sizes), max(sizes), P).certificate()


# ---------------------------------------------------------------------------------------------
# the library

R64A = Dataset([[0, 1], [1, 1], [1, -1]], [2, 1, 2], 1)
ORTHONORMAL = Dataset([[1, 0], [0, 1]], [3, -3], 1)
STAIRCASE = Dataset([[2, 0, 0, 0], [-1, 1, 1, 1]], [1, 1], 1)

CONJECTURES = {
    c.name: c
    for c in [
        Conjecture("strong_duality", "p*_C = d(nu*): the convex problem and its dual have equal optimal values",
                   "true", "math/convex_duality.md T3.3, C4.7", strong_duality, _plain()),
        Conjecture("offkink_stationary_optimal",
                   "Off the kinks every (width-1) stationary point is optimal for its restricted convex problem",
                   "true", "math/convex_duality.md T6.3", offkink_stationary_optimal, _plain(bound=2)),
        Conjecture("connected_above_n", "At m = n + 1 the optimal set is connected", "true",
                   "math/convex_duality.md T5.2 (f)", connected_above_n, _plain()),
        Conjecture("unique_optimum", "The convex problem has a unique optimal solution (Q* is a point)", "false",
                   "math/convex_duality.md T4.3, §8 (KMP Props 1-2)", unique_optimum,
                   lambda n, d: dual_first_data(n, d),
                   Known("rational staircase", 2, 4, "counterexamples/staircase.py", STAIRCASE)),
        Conjecture("no_spurious_at_n", "Once m >= n there is no spurious local minimum (tested at m = n)", "false",
                   "math/benignity_and_relaxation.md §3; math/convex_duality.md D6.5", no_spurious_at_n, _plain(bound=2),
                   Known("orthonormal rows, one-signed network", 2, 2, "BBEL Prop 3.7 (b); exact.stationary.classify", ORTHONORMAL)),
        Conjecture("clarke_restricted",
                   "Every Clarke stationary point, kinks included, is optimal for a restricted convex problem",
                   "false", "math/convex_duality.md T6.2, R6.4 (a)", clarke_restricted, _plain(bound=2),
                   Known("R6.4 (a)", 3, 2, "math/convex_duality.md R6.4 (a)", R64A)),
        Conjecture("small_init_gd", "Gradient descent from a small initialization reaches a global minimum", "false",
                   "math/benignity_and_relaxation.md §4 ([BBEL] Thm 2)", small_init_gd, _plain(),
                   Known("BBEL rank-one point", 3, 3, "math/benignity_and_relaxation.md §4; counterexamples/small_init.py")),
    ]
}
