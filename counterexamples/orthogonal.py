r"""Orthogonal data: benignity needs width of order :math:`2^n` ([BBEL], ``math/benignity_and_relaxation.md`` §3).

**Data.** :math:`XX^\top=I_n` (rows :math:`e_1,\dots,e_n` of :math:`\mathbb R^d`, :math:`d\ge n`),
labels :math:`y_k=+1` on :math:`P` (``n_pos`` rows) and :math:`-1` on :math:`N` (``n_neg`` rows),
weight decay ``lam`` in the paper's convention :math:`L_\lambda=\tfrac1n\|f-y\|^2+\lambda\|\theta\|^2`,
i.e. :math:`\beta=n\lambda` and :math:`L=\tfrac2nF_\beta` (§1).

**Claims checked exactly.**

* Thm 3.1: :math:`F^\star=h_\beta(Y_+)+h_\beta(Y_-)`, :math:`Y_\pm=\|y_{P/N}\|`, :math:`h_\beta` Huber;
  the closed form and :func:`exact.optimum.optimal_set` must agree *exactly* (both are numbers of
  :math:`\mathbb Q(\sqrt{|P|},\sqrt{|N|})`, compared coefficient by coefficient).
* Prop 3.2: a region (one signed pattern per neuron) contains a global minimiser iff it has a
  :math:`+` pattern :math:`S\supseteq P` (or :math:`Y_+\le\beta`) and a :math:`-` pattern
  :math:`S\supseteq N` (or :math:`Y_-\le\beta`); checked against an independent route, the
  tight atoms of the certified optimum (a region contains an optimum iff each used atom fits a
  neuron's closed cone, T4.5), for every region type of the chosen width.
* Def 3.6 / Prop 3.7: the points of the table — the global minimum; the optimum of a partition
  region (a cone minimum, Clarke stationary, **not** a local minimum); the sign-deficient point
  (a true, spurious local minimum); the sign-deficient point with a zero neuron (a saddle) —
  each classified by :mod:`exact.stationary` with certificates.
* Prop 3.3 / Cor 3.4: the fraction of regions containing a global minimiser,
  :math:`1-(1-p_+)^m-(1-p_-)^m+(1-p_+-p_-)^m` with :math:`p_\pm=2^{-|P/N|-1}`, is matched by
  exact enumeration of all :math:`(2^{n+1})^m` regions for small :math:`n,m`; the least width
  reaching :math:`1-\varepsilon` grows like :math:`2^{\max(|P|,|N|)+1}\log(1/\varepsilon)`.
  Below it, the regions without a global minimiser hold only spurious points: their minimum
  :math:`\mathrm{CP}(A)` exceeds :math:`F^\star` (certified on a partition region).

The float reproduction samples regions (integers only) and runs gradient descent
(:func:`exact.numeric.gradient_descent`) from random initialisations.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations_with_replacement, product

from exact import Dataset
from exact.convex import beta_from, objective_scale
from exact.data import as_rational
from exact.errors import InvalidDataError
from exact.multiquadratic import approximate, field_element, sqrt_rational, to_sympy
from exact.stationary import Network, Neuron, classify, clarke_stationarity, cone_minimum, local_minimum

__all__ = ["OrthogonalExample", "PointReport", "orthogonal_data", "huber", "region_fraction", "REFUTES"]

#: The statement this construction refutes (for widths well below 2^n).
REFUTES = (
    "For every lambda > 0, a width polynomial in n suffices for most activation regions of a weight-decay "
    "two-layer ReLU network to contain a global minimiser and no spurious local minimum"
)


@dataclass(frozen=True)
class PointReport:
    """One point of the table: its network, region, value and the three notions (Def. 3.6)."""

    name: str
    network: Network
    cones: tuple
    value: object
    paper_value: object
    cone_minimum: bool
    clarke: bool
    local_minimum: bool
    kind: str
    certificates: dict = field(repr=False, default_factory=dict)


@dataclass(frozen=True)
class OrthogonalExample:
    r"""The certified orthogonal-data example; see :func:`orthogonal_data`.

    Attributes
    ----------
    data : Dataset
    lam, beta : Fraction
        The paper's :math:`\lambda` and the suite's :math:`\beta=n\lambda`.
    Y_plus, Y_minus : Fraction or Multiquadratic
        :math:`\|y_P\|`, :math:`\|y_N\|`.
    value : Fraction or Multiquadratic
        :math:`F^\star` (closed form, equal to the certified optimum).
    paper_value
        :math:`L^\star=\tfrac2nF^\star`.
    points : tuple of PointReport
    region_types : tuple of dict
        Per region type (a multiset of signed patterns): ``contains`` by Prop 3.2 and by the
        optimum's atoms.
    widths : tuple of dict
        Per width :math:`m`: the exact fraction of regions containing a global minimiser by
        Prop 3.3, by the census of the optimum's atoms, and the enumerated count when small.
    regions : tuple of (str, RegionVerdict)
        Regions of width ``width`` without a global minimiser, certified
        (``reluscape/region/1``): a partition region (its minima are spurious cone minima, none
        a local minimum) and a one-signed region (a spurious true local minimum).
    """

    data: Dataset
    lam: Fraction
    beta: Fraction
    n_pos: int
    n_neg: int
    Y_plus: object
    Y_minus: object
    value: object
    paper_value: object
    optimum_value: object
    optimum: object = field(repr=False)
    points: tuple = field(repr=False)
    region_types: tuple = field(repr=False)
    widths: tuple = field(repr=False)
    regions: tuple = field(repr=False)
    width: int = 2
    refutes: str = REFUTES

    @property
    def values_agree(self):
        """The closed form equals the certified optimum exactly."""
        return self.value == self.optimum_value

    def width_for(self, eps):
        r"""The least width :math:`m` with a fraction :math:`\ge1-\varepsilon` of regions containing
        a global minimiser (exact)."""
        eps = as_rational(eps, "eps")
        if not 0 < eps < 1:
            raise InvalidDataError(f"eps = {eps} must be in (0, 1)")
        m = 1
        while 1 - region_fraction(self.n_pos, self.n_neg, m, plus=self._side(1), minus=self._side(-1)) > eps:
            m += 1
        return m

    def _side(self, s):
        return (self.Y_plus if s > 0 else self.Y_minus) > self.beta

    def certificate(self):
        """A ``reluscape/bundle/1``: the certified optimum and every point's certificates."""
        parts = [dict(self.optimum.certificate(), label="global optimum (optimal_set)")]
        for p in self.points:
            for key, cert in p.certificates.items():
                parts.append(dict(cert, label=f"{p.name}: {key}"))
        parts += [dict(v.certificate, label=f"region: {name}") for name, v in self.regions]
        return {"schema": "reluscape/bundle/1", "title": f"orthogonal data n+={self.n_pos} n-={self.n_neg}", "parts": parts}

    def report(self):
        """Human-readable lines (values in both conventions)."""
        sc = objective_scale("mse", n=self.data.n)
        lines = [
            f"orthogonal data: n = {self.data.n} (|P| = {self.n_pos}, |N| = {self.n_neg}), d = {self.data.d}, "
            f"lambda = {self.lam} (paper), beta = {self.beta} (suite)",
            f"  refutes (at widths well below 2^n): {self.refutes}",
            f"global minimum F* = h(Y+) + h(Y-) = {to_sympy(self.value)}   [paper L* = {to_sympy(self.paper_value)}]",
            f"optimal_set value = {to_sympy(self.optimum_value)}: {'agrees exactly' if self.values_agree else 'DISAGREES'}",
            f"points at width {self.width} (cone minimum / Clarke / local minimum / class):",
        ]
        for p in self.points:
            flags = "/".join("yes" if f else "no" for f in (p.cone_minimum, p.clarke, p.local_minimum))
            lines.append(f"  {p.name:34s} F = {to_sympy(p.value)}  [L = {to_sympy(p.value * sc)}]  {flags}  {p.kind}")
        if self.region_types:
            contain = sum(r["contains"] for r in self.region_types)
            agree = all(r["rule"] == r["contains"] for r in self.region_types)
            spurious = sum(r["true_spurious"] for r in self.region_types)
            lines.append(f"region types at width {self.width}: {len(self.region_types)}, {contain} contain a global minimiser "
                         f"(Prop 3.2 {'agrees with' if agree else 'DISAGREES with'} the census), {spurious} hold a spurious "
                         "true local minimum")
        for name, v in self.regions:
            lines.append(f"  certified {name}: no global minimiser, spurious true local minimum: {v.true_spurious}")
        for row in self.widths:
            extra = "" if row["enumerated"] is None else f", enumerated {row['enumerated']}"
            lines.append(f"  m = {row['m']:3d}: fraction of regions with a global minimiser = {row['fraction']} "
                         f"(census {row['census']}{extra})")
        return lines

    def partition_values(self):
        r"""Prop 3.5: the values :math:`\mathrm{CP}(A)` of every region of width ``self.width`` whose
        :math:`+` blocks are disjoint on :math:`P` and :math:`-` blocks disjoint on :math:`N`
        (exact): :math:`\sum_ih_\beta(\|y_{B_i}\|)+\tfrac12\|y_{P\setminus\cup B_i}\|^2` plus the same on :math:`N`."""
        y, beta, m = self.data.y, self.beta, self.width
        out = set()
        for signs in product((1, -1), repeat=m):
            for owner in product(range(m + 1), repeat=self.data.n):  # row k -> neuron owner[k] - 1, or none
                blocks, rest, ok = {}, Fraction(0), True
                for k, j in enumerate(owner):
                    if j == 0:
                        rest += y[k] * y[k] / 2
                    elif (signs[j - 1] > 0) != (y[k] > 0):
                        ok = False
                        break
                    else:
                        blocks.setdefault(j, Fraction(0))
                        blocks[j] += y[k] * y[k]
                if ok:
                    out.add(rest + sum((huber(sqrt_rational(v), beta) for v in blocks.values()), Fraction(0)))
        return sorted(out, key=lambda v: approximate(v, 64))

    def reproduce(self, *, runs=200, seed=0, samples=20_000, steps=4000, lr=0.05, alpha=0.5):
        r"""Float reproduction: sampled regions and gradient descent from random starts.

        Returns a dict: ``sampled_fraction`` (a ``Fraction``: the share of ``samples`` regions,
        drawn uniformly with integers, that satisfy Prop 3.2) beside ``exact_fraction``
        (Prop 3.3), and ``labels``: per run of gradient descent at width ``self.width``
        (:mod:`exact.numeric.endpoints`) the exact value it ends at, ``"global"``,
        ``"sign-deficient"`` (Prop 3.7 (b)), ``"partition"`` (another Prop 3.5 value) or
        ``"other"``; with ``final_losses``. The gradient has :math:`\sigma'(0)=0`, so runs can
        stall on kinks at the partition values, which are not local minima.
        """
        import random

        from exact.numeric.endpoints import descent_endpoints, label_endpoints

        rng = random.Random(seed)
        n = self.data.n
        hits = 0
        for _ in range(samples):
            region = [(rng.choice((1, -1)), frozenset(k for k in range(n) if rng.getrandbits(1))) for _ in range(self.width)]
            hits += self._contains_rule(region)
        exact = region_fraction(self.n_pos, self.n_neg, self.width, plus=self._side(1), minus=self._side(-1))
        res = descent_endpoints(self.data.X, self.data.y, self.beta, width=self.width, alphas=(alpha,), seeds=runs,
                                lr=lr, steps=steps, seed=seed)
        special = {p.value: p.kind for p in self.points}
        refs = {}
        for i, v in enumerate(self.partition_values()):
            kind = special.get(v)
            name = "global" if kind == "global_minimum" else "sign-deficient" if kind == "spurious_local_minimum" else f"partition {i}"
            refs[name] = approximate(v, 64)
        labels = [lab if not lab.startswith("partition") else "partition" for lab in label_endpoints(res.losses[:, -1], refs)]
        return {
            "sampled_fraction": Fraction(hits, samples),
            "exact_fraction": exact,
            "labels": labels,
            "final_losses": res.losses[:, -1],
        }

    def _contains_rule(self, region):
        """Prop 3.2 on a region given as (sign, active set) per neuron."""
        P = frozenset(k for k, v in enumerate(self.data.y) if v > 0)
        N = frozenset(k for k, v in enumerate(self.data.y) if v < 0)
        ok_plus = not self._side(1) or any(s > 0 and S >= P for s, S in region)
        ok_minus = not self._side(-1) or any(s < 0 and S >= N for s, S in region)
        return ok_plus and ok_minus


def huber(t, beta):
    r"""The Huber function :math:`h_\beta(t)`: :math:`t^2/2` for :math:`t\le\beta`, else
    :math:`\beta t-\beta^2/2` (exact, ``t`` rational or multiquadratic).

    Examples
    --------
    >>> huber(Fraction(1, 2), 1), huber(3, 1)
    (Fraction(1, 8), Fraction(5, 2))
    """
    t, beta = field_element(t, "t"), as_rational(beta, "beta")
    return t * t / 2 if t <= beta else beta * t - beta * beta / 2


def region_fraction(n_pos, n_neg, m, *, plus=True, minus=True):
    r"""Prop 3.3: the fraction of the :math:`(2^{n+1})^m` regions of width :math:`m` that contain a
    global minimiser, :math:`1-(1-p_+)^m-(1-p_-)^m+(1-p_+-p_-)^m`, :math:`p_\pm=2^{-|P/N|-1}`
    (a side with :math:`Y\le\beta` drops out: ``plus``/``minus`` False).

    Examples
    --------
    >>> region_fraction(3, 0, 1, minus=False)
    Fraction(1, 16)
    >>> region_fraction(1, 1, 2)
    Fraction(1, 8)
    """
    p = Fraction(1, 2 ** (n_pos + 1)) if plus else Fraction(0)
    q = Fraction(1, 2 ** (n_neg + 1)) if minus else Fraction(0)
    out = Fraction(1)
    if plus:
        out -= (1 - p) ** m
    if minus:
        out -= (1 - q) ** m
    if plus and minus:
        out += (1 - p - q) ** m
    return out


def orthogonal_data(n_pos, n_neg, lam, *, d=None, width=2, magnitudes=None, max_types=5000):
    r"""Build and certify the orthogonal-data example (module docstring).

    Parameters
    ----------
    n_pos, n_neg : int
        :math:`|P|` and :math:`|N|`, with :math:`n=|P|+|N|\ge1`.
    lam : rational
        The paper's weight decay :math:`\lambda>0` (:math:`\beta=n\lambda`).
    d : int, optional
        The input dimension, :math:`\ge n` (default :math:`n`).
    width : int
        The width :math:`m\ge2` of the points and region types.
    magnitudes : sequence of n positive rationals, optional
        :math:`|y_k|` (default all 1).
    max_types : int
        Enumerate region types only when there are at most this many.

    Returns
    -------
    OrthogonalExample

    Raises
    ------
    InvalidDataError
        On counts below 0, :math:`n=0`, :math:`d<n`, :math:`\lambda\le0`, width below 2 or
        non-positive magnitudes.

    Examples
    --------
    >>> ex = orthogonal_data(2, 1, Fraction(1, 6))
    >>> ex.beta, ex.value == Fraction(1, 4) + sqrt_rational(2) / 2, ex.values_agree
    (Fraction(1, 2), True, True)
    >>> [(p.name, p.kind) for p in ex.points][1:]
    [('partition region optimum', 'non_minimum_stationary'), ('sign-deficient (+)', 'spurious_local_minimum'), ('sign-deficient (+) with a zero neuron', 'non_minimum_stationary')]
    >>> orthogonal_data(0, 0, 1)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: n_pos + n_neg = 0: at least one sample is needed
    """
    from exact.region_census import region_landscape

    for name, k in (("n_pos", n_pos), ("n_neg", n_neg), ("width", width)):
        if isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise InvalidDataError(f"{name} = {k!r} must be an integer >= 0")
    n = n_pos + n_neg
    if n == 0:
        raise InvalidDataError("n_pos + n_neg = 0: at least one sample is needed")
    d = n if d is None else d
    if isinstance(d, bool) or not isinstance(d, int) or d < n:
        raise InvalidDataError(f"d = {d!r} must be an integer >= n = {n}")
    if width < 2:
        raise InvalidDataError(f"width = {width} must be >= 2 (Thm 3.1)")
    lam = as_rational(lam, "lam")
    if lam <= 0:
        raise InvalidDataError(f"lam = {lam} must be > 0")
    mags = [Fraction(1)] * n if magnitudes is None else [as_rational(v, f"magnitudes[{k}]") for k, v in enumerate(magnitudes)]
    if len(mags) != n or any(v <= 0 for v in mags):
        raise InvalidDataError(f"magnitudes must be {n} positive numbers")
    X = [[int(j == k) for j in range(d)] for k in range(n)]
    y = [mags[k] if k < n_pos else -mags[k] for k in range(n)]
    beta = beta_from("mse", lam, n)
    data = Dataset(X, y, beta)
    Y = {1: sqrt_rational(sum(v * v for v in mags[:n_pos])), -1: sqrt_rational(sum(v * v for v in mags[n_pos:]))}
    value = huber(Y[1], beta) + huber(Y[-1], beta)
    landscape = region_landscape(data)
    opt = landscape.optimum
    opt_value = field_element(opt.value) if opt.kind in ("rational", "algebraic") else None
    sides = {s: [k for k in range(n) if (y[k] > 0) == (s > 0)] for s in (1, -1)}
    ctx = _Context(data, beta, Y, sides, width)
    points = tuple(_points(ctx))
    types = _region_types(ctx, landscape, max_types)
    widths = tuple(_widths(ctx, landscape, n_pos, n_neg))
    regions = _spurious_regions(ctx, landscape)
    scale = objective_scale("mse", n=n)
    return OrthogonalExample(data, lam, beta, n_pos, n_neg, Y[1], Y[-1], value, value * scale, opt_value, opt,
                             points, types, widths, regions, width)


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    data: Dataset
    beta: Fraction
    Y: dict
    sides: dict
    width: int

    def block(self, s, rows):
        r"""The optimal block on ``rows`` of side s: :math:`(1-\beta/\|y_B\|)_+\sum_By_kx_k` (or None)."""
        norm = sqrt_rational(sum(self.data.y[k] ** 2 for k in rows))
        if not rows or norm <= self.beta:
            return None
        u = [Fraction(0)] * self.data.d
        for k in rows:
            u[k] = (1 - self.beta / norm) * abs(self.data.y[k])
        return Neuron(s, norm - self.beta, tuple(u))

    def signs(self, rows):
        return tuple(1 if k in rows else -1 for k in range(self.data.n))

    def zero(self):
        return Neuron(0, Fraction(0), (Fraction(0),) * self.data.d)


def _points(ctx):
    P, N = ctx.sides[1], ctx.sides[-1]
    plus, minus = ctx.block(1, P), ctx.block(-1, N)
    m = ctx.width
    out = []

    def add(name, neurons, cones):
        neurons = list(neurons) + [ctx.zero()] * (m - len(neurons))
        cones = list(cones) + [cones[0] if cones else (ctx.signs(P), 1)] * (m - len(cones))  # no new block
        out.append(_report(ctx.data, name, Network(tuple(neurons)), cones))

    main = [(nr, s, rows) for nr, s, rows in ((plus, 1, P), (minus, -1, N)) if nr is not None]
    add("global minimum", [nr for nr, _, _ in main], [(ctx.signs(rows), s) for _, s, rows in main])
    if len(P) >= 2:
        part = ctx.block(1, P[:-1])
        if part is not None:
            rest = [(minus, (ctx.signs(N), -1))] if minus is not None else []
            add("partition region optimum", [part] + [r[0] for r in rest], [(ctx.signs(P[:-1]), 1)] + [r[1] for r in rest])
    for s, nr, rows in ((1, plus, P), (-1, minus, N)):
        if nr is None:
            continue
        split = Neuron(s, nr.a2 / m, tuple(c / m for c in nr.u))
        tag = "+" if s > 0 else "-"
        add(f"sign-deficient ({tag})", [split] * m, [(ctx.signs(rows), s)] * m)
        add(f"sign-deficient ({tag}) with a zero neuron", [nr], [(ctx.signs(rows), s), (ctx.signs(rows), s)])
        break  # one side is enough for the table; the other is symmetric
    return out


def _spurious_regions(ctx, landscape):
    """Certified regions of width ``ctx.width`` without a global minimiser (Prop 3.5, 3.7)."""
    from exact.region_census import classify as classify_region

    P, N = ctx.sides[1], ctx.sides[-1]
    out = []
    for s, rows, other in ((1, P, N), (-1, N, P)):
        if ctx.Y[-s] > ctx.beta and rows:
            region = [(ctx.signs(rows), s)] * ctx.width
            out.append((f"one-signed ({'+' if s > 0 else '-'}) region", classify_region(ctx.data, region, landscape=landscape)))
            break
    if len(P) >= 2 and ctx.Y[1] > ctx.beta:
        region = [(ctx.signs(P[:-1]), 1)] + [(ctx.signs(N), -1)] * (ctx.width - 1)
        out.append(("partition region", classify_region(ctx.data, region, landscape=landscape)))
    return tuple(out)


def _report(data, name, net, cones):
    from exact.convex import objective_scale

    cone = cone_minimum(data, net, cones=cones)
    clarke = clarke_stationarity(data, net)
    local = local_minimum(data, net)
    cls = classify(data, net)
    certs = {"cone": cone.certificate()} if cone.holds else {}
    certs.update(cls.certificates)
    scale = objective_scale("mse", n=data.n)
    return PointReport(name, net, tuple(cones), cls.value, cls.value * scale, cone.holds, clarke.stationary,
                       local.holds, cls.kind, certs)


def _region_types(ctx, landscape, max_types):
    """Every multiset of ``width`` signed patterns: Prop 3.2 (``rule``) beside the census decision
    from the optimum's atoms (``contains``, :func:`exact.region_census.classify`)."""
    from math import comb

    from exact.region_census import classify as classify_region
    from exact.region_census import signed_patterns

    patterns = signed_patterns(ctx.data.X)
    if comb(len(patterns) + ctx.width - 1, ctx.width) > max_types:
        return ()
    P, N = frozenset(ctx.sides[1]), frozenset(ctx.sides[-1])
    out = []
    for region in combinations_with_replacement(patterns, ctx.width):
        active = [(sp.sign, frozenset(k for k, v in enumerate(sp.signs) if v > 0)) for sp in region]
        rule = ((ctx.Y[1] <= ctx.beta) or any(s > 0 and S >= P for s, S in active)) and (
            (ctx.Y[-1] <= ctx.beta) or any(s < 0 and S >= N for s, S in active)
        )
        verdict = classify_region(ctx.data, region, landscape=landscape, certify=False)
        out.append({"region": tuple(str(sp) for sp in region), "rule": rule, "contains": verdict.contains_global,
                    "true_spurious": verdict.true_spurious})
    return tuple(out)


def _widths(ctx, landscape, n_pos, n_neg, max_width=8, max_enumerate=70_000):
    """Per width: Prop 3.3 (``fraction``), the census's inclusion-exclusion over the optimum's
    atoms (``census``) and, when small, the count over all ordered regions (``enumerated``)."""
    from exact.region_census import containment_fraction

    n = ctx.data.n
    plus, minus = ctx.Y[1] > ctx.beta, ctx.Y[-1] > ctx.beta
    P, N = frozenset(ctx.sides[1]), frozenset(ctx.sides[-1])
    patterns = [(s, frozenset(k for k in range(n) if bits >> k & 1)) for s in (1, -1) for bits in range(2**n)]
    good_plus = {i for i, (s, S) in enumerate(patterns) if s > 0 and S >= P}
    good_minus = {i for i, (s, S) in enumerate(patterns) if s < 0 and S >= N}
    rows = []
    for m in range(1, max_width + 1):
        frac = region_fraction(n_pos, n_neg, m, plus=plus, minus=minus)
        count = None
        if len(patterns) ** m <= max_enumerate:
            count = 0
            for region in product(range(len(patterns)), repeat=m):
                ok = (not plus or any(i in good_plus for i in region)) and (not minus or any(i in good_minus for i in region))
                count += ok
            count = Fraction(count, len(patterns) ** m)
        rows.append({"m": m, "fraction": frac, "census": containment_fraction(landscape, m), "enumerated": count})
    return rows
