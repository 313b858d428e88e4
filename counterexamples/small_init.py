r"""Small initialisation ends at a spurious rank-one point ([BBEL] Thm 2; ``math/benignity_and_relaxation.md`` §4).

**Data** (:math:`n=d=3`, rational): :math:`x_1=e_1`, :math:`x_{2,3}=(\tfrac89,\mp\tfrac49,\tfrac19)`
(unit rows), teacher :math:`v=(\tfrac45,0,\tfrac35)`, :math:`y=Xv=(\tfrac45,\tfrac79,\tfrac79)`. For
:math:`d\ge4` the paper's rows :math:`\tfrac89e_1+\tfrac{\sqrt{17}}9e_i` are irrational; the exact
part uses :math:`d=3`.

**The rank-one point.** Every neuron positive and active on all rows:
:math:`\hat y=Xz` with :math:`z=\sum_ja_jw_j`, so near such a point
:math:`F\ge g(z)=\tfrac12\|Xz-y\|^2+\beta\|z\|` (strongly convex, :math:`X` invertible). Its
minimiser :math:`z_\beta=(X^\top X+\kappa I)^{-1}X^\top y`, :math:`\kappa\|z_\beta\|=\beta`, is
irrational (:math:`\kappa` is a root of a polynomial of degree 6, given exactly); it is enclosed
in a ball that lies strictly inside the all-active region, which proves that positive parallel
neurons along :math:`z_\beta` are a true local minimum (no neuron zero) with
:math:`F=g(z_\beta)\in[\text{lower},\text{upper}]` (certificate ``reluscape/region-min/1``).

**Spurious.** A rational network of width 3 built from the certified optimum
(:func:`exact.optimum.optimal_set`) has an exactly smaller value. The paper's interpolator
(main neuron plus two side neurons, cost :math:`R_{\min}=\frac{4\sqrt{13}+6}{5\sqrt{17}}`) gives
:math:`F^\star\le\beta R_{\min}`, which beats the rank-one value only for :math:`\beta` below about
:math:`6\cdot10^{-4}` (reported, both ways).

**Saddle with a zero neuron.** With an extra zero neuron, the point is a saddle: growing it
along :math:`(\varepsilon\omega,\varepsilon c)`, :math:`\omega=\Pi_{K_s}(X^\top D_s\nu)`, changes
:math:`F` by :math:`q\varepsilon^2+O(\varepsilon^4)` with :math:`q<0` proved over the enclosure
(the escape of D6.5; a negative zero neuron cannot escape, :math:`\Lambda_-<\beta`).

**Float reproduction.** Gradient descent (:func:`exact.numeric.gradient_descent`) from balanced
initialisations of scale :math:`\alpha` ([BBEL]): small :math:`\alpha` ends at the rank-one value,
large :math:`\alpha` below it, at the global value.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from exact import Dataset
from exact.certificates import number, numbers
from exact.cones import project
from exact.convex import nonconvex_objective
from exact.data import as_rational
from exact.errors import InvalidDataError
from exact.multiquadratic import encode, field_element, sqrt_bounds
from exact.stationary import Network, optimal_network

__all__ = ["SmallInitExample", "small_init_data", "small_initialization", "rank_one_polynomial", "REFUTES", "TEACHER"]

#: The statement refuted: gradient flow from any initialisation scale reaches a global minimum.
REFUTES = "Gradient flow of a weight-decay two-layer ReLU network from small initialisation reaches a global minimum"

#: The teacher v of [BBEL] Thm 2 (d = 3).
TEACHER = (Fraction(4, 5), Fraction(0), Fraction(3, 5))


@dataclass(frozen=True)
class SmallInitExample:
    r"""The certified small-initialisation example; see :func:`small_initialization`.

    Attributes
    ----------
    data : Dataset
    center : tuple of Fraction
        A rational point within ``radius`` of the rank-one minimiser :math:`z_\beta`.
    radius_sq : Fraction
        :math:`\rho^2` bounding :math:`\|z_\beta-\text{center}\|^2`.
    value_interval : (Fraction, Fraction)
        The rank-one value :math:`F_{r1}=g(z_\beta)`, enclosed.
    kappa_interval : (Fraction, Fraction)
        An interval with a sign change of :func:`rank_one_polynomial` (the exact :math:`\kappa`).
    global_interval : (Fraction, Fraction)
        :math:`F^\star`, from the certified optimum.
    competitor : Network
        A rational network of width ``width`` with :math:`F<` ``value_interval[0]``.
    competitor_value : Fraction
        Its value :math:`F`, exact (an upper bound on :math:`F^\star`).
    escape : dict
        The region, :math:`\omega`, :math:`c` and the upper bound of :math:`q<0`.
    minus_bound : Fraction
        An upper bound of :math:`\Lambda_-(r)^2` over the enclosure (below :math:`\beta^2`).
    interpolator_bound : Multiquadratic
        :math:`\beta R_{\min}`, exact.
    """

    data: Dataset
    width: int
    center: tuple
    nu: tuple
    mu: Fraction
    radius_sq: Fraction
    value_interval: tuple
    kappa_interval: tuple
    global_interval: tuple
    competitor: Network = field(repr=False)
    competitor_value: Fraction
    escape: dict = field(repr=False)
    minus_bound: Fraction = None
    interpolator_bound: object = None
    optimum: object = field(default=None, repr=False)
    refutes: str = REFUTES

    @property
    def beta(self):
        return self.data.beta

    @property
    def spurious(self):
        """The rank-one value exceeds an exact upper bound of the global minimum."""
        return self.competitor_value < self.value_interval[0]

    @property
    def interpolator_certifies(self):
        r"""Whether :math:`\beta R_{\min}` alone already proves spuriousness (small :math:`\beta` only)."""
        return self.interpolator_bound < self.value_interval[0]

    def certificate(self):
        """``reluscape/bundle/1``: the region-min certificate (local minimum, spurious, saddle with a
        zero neuron) and the certified optimum."""
        lo, hi = self.value_interval
        body = {
            "schema": "reluscape/region-min/1",
            "label": "rank-one point",
            "X": [numbers(r) for r in self.data.X],
            "y": numbers(self.data.y),
            "beta": number(self.beta),
            "signs": "+" * self.data.n,
            "sign": 1,
            "center": numbers(self.center),
            "nu": numbers(self.nu),
            "mu": number(self.mu),
            "value": {"lower": number(lo), "upper": number(hi)},
            "escape": {"omega": numbers(self.escape["omega"]), "c": number(self.escape["c"])},
            "competitor": [{"sign": nr.sign, "a2": encode(nr.a2), "u": [encode(c) for c in nr.u]} for nr in self.competitor.neurons],
        }
        parts = [body]
        if self.optimum is not None:
            parts.append(dict(self.optimum.certificate(), label="global optimum (optimal_set)"))
        return {"schema": "reluscape/bundle/1", "title": "small initialisation: spurious rank-one point", "parts": parts}

    def report(self):
        """Human-readable lines (the paper's convention beside the suite's)."""
        lo, hi = self.value_interval
        glo, ghi = self.global_interval
        n = self.data.n
        sc = Fraction(2, n)
        lines = [
            f"data: n = d = 3, teacher v = {tuple(str(c) for c in TEACHER)}, y = Xv = {tuple(str(c) for c in self.data.y)}",
            f"refutes: {self.refutes}",
            f"beta = {self.beta} (suite), lambda = {self.beta / n} (paper, L = (2/n) F)",
            f"rank-one point: z_beta within {_sci(sqrt_bounds(self.radius_sq, 64)[1])} of "
            f"{tuple(_dec(c, 10) for c in self.center)}, strictly inside the all-active region",
            f"  F_r1 in [{_dec(lo, 15)}, {_dec(hi, 15)}]   [paper: {_dec(lo * sc, 15)}]",
            f"  kappa = beta / ||z_beta|| in [{_dec(self.kappa_interval[0], 15)}, {_dec(self.kappa_interval[1], 15)}] "
            "(a sign change of the rank-one polynomial)",
            f"global minimum F* in [{_dec(glo, 15)}, {_dec(ghi, 15)}]   [paper: {_dec(glo * sc, 15)}]",
            f"spurious: a rational network of width {self.width} has F < {_dec(lo, 12)}: {self.spurious}",
            f"interpolator bound beta R_min = {_dec(_approx(self.interpolator_bound), 15)}: "
            f"{'also certifies' if self.interpolator_certifies else 'too weak at this beta (needs beta below ~6e-4)'}",
            f"with a zero neuron: saddle, q <= {_sci(self.escape['q'])} < 0 on region {self.escape['signs']}; "
            f"Lambda_-^2 <= {_sci(self.minus_bound)} < beta^2 = {_sci(self.beta**2)}",
        ]
        return lines

    def reproduce(self, *, alphas=(1e-3, 1e-2, 0.25, 0.5), seeds=4, width=20, lr=0.1, steps=80_000, record_every=1000):
        r"""Gradient descent from balanced initialisations of scale :math:`\alpha` ([BBEL];
        :mod:`exact.numeric.endpoints`).

        Returns a dict: ``table`` rows ``(alpha, at_rank_one, at_global, other)`` over ``seeds``
        runs (a run is at a point when its final loss is within a quarter of the relative gap
        :math:`(F_{r1}-F^\star)/F^\star` of its value: slow runs near :math:`F^\star` count), ``labels`` per run, ``losses`` (runs x records) and ``times`` (flow time
        :math:`t=\eta k`) for a plot of the loss against time, ``at_probe``: every run's function
        at the probe :math:`e_3`, where the rank-one function :math:`x\mapsto(x^\top z_\beta)_+`
        has the value ``probe_value`` and the global one differs.
        """
        from exact.numeric.endpoints import descent_endpoints, label_endpoints, outputs_at

        res = descent_endpoints(self.data.X, self.data.y, self.beta, width=width, alphas=alphas, seeds=seeds, lr=lr,
                                steps=steps, record_every=record_every, seed=1)
        refs = {"rank_one": sum(self.value_interval) / 2, "global": sum(self.global_interval) / 2}
        rtol = (refs["rank_one"] - refs["global"]) / (4 * refs["global"])
        labels = label_endpoints(res.losses[:, -1], refs, rtol=rtol)
        table = []
        for i, alpha in enumerate(alphas):
            runs = labels[i * seeds:(i + 1) * seeds]
            table.append((alpha, runs.count("rank_one"), runs.count("global"), runs.count("other")))
        return {"table": table, "labels": labels, "losses": res.losses, "times": res.times,
                "at_probe": outputs_at(res, (0, 0, 1)), "probe_value": self.center[2]}


def small_init_data(beta=Fraction(1, 1000)):
    r"""The dataset of [BBEL] Thm 2 for :math:`d=3` (exact), with weight decay :math:`\beta`.

    Examples
    --------
    >>> D = small_init_data()
    >>> D.y, all(sum(c * c for c in x) == 1 for x in D.X)
    ((Fraction(4, 5), Fraction(7, 9), Fraction(7, 9)), True)
    """
    X = [[1, 0, 0], [Fraction(8, 9), Fraction(-4, 9), Fraction(1, 9)], [Fraction(8, 9), Fraction(4, 9), Fraction(1, 9)]]
    y = [sum(a * b for a, b in zip(x, TEACHER)) for x in X]
    return Dataset(X, y, beta)


def rank_one_polynomial(data):
    r"""The polynomial whose positive root is :math:`\kappa=\beta/\|z_\beta\|`:
    :math:`\kappa^2\|\operatorname{adj}(X^\top X+\kappa I)X^\top y\|^2-\beta^2\det(X^\top X+\kappa I)^2`
    (sympy, exact).

    Examples
    --------
    >>> rank_one_polynomial(small_init_data()).degree()
    6
    """
    import sympy

    k = sympy.Symbol("kappa")
    X = sympy.Matrix([[sympy.Rational(c.numerator, c.denominator) for c in r] for r in data.X])
    y = sympy.Matrix([sympy.Rational(c.numerator, c.denominator) for c in data.y])
    M = X.T * X + k * sympy.eye(data.d)
    v = M.adjugate() * X.T * y
    beta = sympy.Rational(data.beta.numerator, data.beta.denominator)
    return sympy.Poly(sympy.expand(k**2 * (v.T * v)[0] - beta**2 * M.det() ** 2), k)


def small_initialization(beta=Fraction(1, 1000), *, width=3, bits=100):
    r"""Build and certify the small-initialisation example (module docstring).

    Parameters
    ----------
    beta : rational
        The weight decay, :math:`0<\beta<1/290` or so (above, the rank-one point is global:
        the certificate then fails to find a better network and ``InvalidDataError`` is raised).
    width : int
        The width of the competitor network (the optimum uses 3 neurons).
    bits : int
        Bisection steps for :math:`\kappa` (the enclosure radius is about :math:`2^{-\text{bits}/2}`).

    Returns
    -------
    SmallInitExample

    Raises
    ------
    InvalidDataError
        If :math:`\beta\le0`, or the rank-one point is not spurious at this :math:`\beta` and width.

    Examples
    --------
    >>> ex = small_initialization()
    >>> ex.spurious, ex.interpolator_certifies, ex.escape["signs"]
    (True, False, '--+')
    >>> small_initialization(Fraction(1, 100))
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: beta = 1/100: the rank-one point is not spurious at width 3 (no better network found)
    """
    from exact.optimum import optimal_set

    beta = as_rational(beta, "beta")
    if beta <= 0:
        raise InvalidDataError(f"beta = {beta} must be > 0")
    data = small_init_data(beta)
    X, y = data.X, data.y
    G = [[sum(X[k][i] * X[k][j] for k in range(3)) for j in range(3)] for i in range(3)]
    Xty = [sum(X[k][i] * y[k] for k in range(3)) for i in range(3)]

    def z_of(kappa):
        from exact.cone_faces import solve_linear

        return solve_linear([[G[i][j] + (kappa if i == j else 0) for j in range(3)] for i in range(3)], Xty)

    def phi(kappa):  # kappa^2 ||z||^2 - beta^2, increasing in kappa
        z = z_of(kappa)
        return kappa * kappa * sum(c * c for c in z) - beta * beta

    lo, hi = Fraction(0), Fraction(1)
    while phi(hi) <= 0:
        hi *= 2
    for _ in range(bits):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if phi(mid) < 0 else (lo, mid)
    kappa = (lo + hi) / 2
    z = tuple(z_of(kappa))
    res = [yk - sum(a * b for a, b in zip(x, z)) for x, yk in zip(X, y)]
    s2 = sum(sum(X[k][i] * res[k] for k in range(3)) ** 2 for i in range(3))  # ||X^T nu||^2
    t = beta / sqrt_bounds(s2, bits)[1]
    nu = tuple(t * r for r in res)
    lower = sum(a * b for a, b in zip(nu, y)) - sum(a * a for a in nu) / 2
    # the checker recomputes g(center) with 200-bit square roots: leave room for that rounding
    upper = sum(r * r for r in res) / 2 + beta * sqrt_bounds(sum(c * c for c in z), bits)[1] + Fraction(1, 2**190)
    mu = _strong_convexity(G)
    radius_sq = 2 * (upper - lower) / mu
    opt = optimal_set(data)
    competitor = optimal_network(data, width, opt=opt)
    competitor_value = None if competitor is None else nonconvex_objective(data, *competitor.weights())
    if competitor is None or not competitor_value < lower:
        raise InvalidDataError(f"beta = {beta}: the rank-one point is not spurious at width {width} (no better network found)")
    escape, minus = _escapes(data, z, radius_sq)
    return SmallInitExample(
        data, width, z, nu, mu, radius_sq, (lower, upper), (lo, hi), tuple(opt.value_interval), competitor, competitor_value, escape, minus,
        beta * _r_min(), opt,
    )


# ---------------------------------------------------------------------------------------------


def _strong_convexity(G, steps=40):
    """A rational mu > 0 with G - mu I positive definite (bisection on Sylvester's test)."""
    lo, hi = Fraction(0), sum(G[i][i] for i in range(len(G)))
    for _ in range(steps):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _positive_definite([[G[i][j] - (mid if i == j else 0) for j in range(len(G))] for i in range(len(G))]) else (lo, mid)
    return lo


def _positive_definite(A):
    A = [list(r) for r in A]
    for c in range(len(A)):
        if A[c][c] <= 0:
            return False
        for r in range(c + 1, len(A)):
            f = A[r][c] / A[c][c]
            A[r] = [a - f * b for a, b in zip(A[r], A[c])]
    return True


def _escapes(data, z, radius_sq):
    r"""The best positive escape region (``omega = Pi``, ``c = ||omega||^2 / beta``, rigorous ``q``) and
    an upper bound of :math:`\Lambda_-^2` over the enclosure."""
    from exact.arrangement import enumerate_patterns

    X, y, beta, n, d = data.X, data.y, data.beta, data.n, data.d
    nu_c = [yk - sum(a * b for a, b in zip(x, z)) for x, yk in zip(X, y)]
    rho = sqrt_bounds(radius_sq, 64)[1]
    best, minus = None, Fraction(0)
    for pat in enumerate_patterns(X):
        A = [[c if s > 0 else -c for c in x] for x, s in zip(X, pat.signs)]
        g = [sum(X[k][i] * nu_c[k] for k in range(n) if pat.signs[k] > 0) for i in range(d)]
        p = project(A, g)
        if best is None or p.sq_norm > best[1].sq_norm:
            best = (pat, p)
        q = project(A, [-c for c in g])
        # ||Pi(-X^T D nu*)|| <= ||g_- + A^T lam|| + ||X^T D X|| rho (the same lambda over the ball)
        gl = [-g[i] + sum(q.multipliers[k] * A[k][i] for k in range(n)) for i in range(d)]
        op = sqrt_bounds(sum(sum(X[k][i] * X[k][j] for k in range(n) if pat.signs[k] > 0) ** 2 for i in range(d) for j in range(d)), 64)[1]
        bound = (sqrt_bounds(sum(c * c for c in gl), 64)[1] + op * rho) ** 2
        minus = max(minus, bound)
    pat, p = best
    omega = p.point
    c = p.sq_norm / beta
    v = [max(sum(a * b for a, b in zip(x, omega)), Fraction(0)) for x in X]
    Mt_v = [sum(X[k][i] * v[k] for k in range(n)) for i in range(d)]
    slack = c * sqrt_bounds(sum(a * a for a in Mt_v) * radius_sq, 64)[1]
    q_up = beta * (sum(a * a for a in omega) + c * c) / 2 - c * sum(a * b for a, b in zip(nu_c, v)) + slack
    signs = "".join("+" if s > 0 else "-" for s in pat.signs)
    return {"signs": signs, "omega": omega, "c": c, "q": q_up}, minus


def _r_min():
    r""":math:`R_{\min}=\frac{4\sqrt{13}+6}{5\sqrt{17}}`, checked as the cost of an exact interpolator."""
    import sympy

    b = 8 / (5 * sympy.sqrt(13))
    c = (sympy.Rational(3, 5) - b) / 17
    main = [sympy.Rational(4, 5), 0, b]
    side = [[0, 4 * c, c], [0, -4 * c, c]]
    X = small_init_data().X
    fit = []
    for x in X:
        xs = [sympy.Rational(a.numerator, a.denominator) for a in x]
        fit.append(sum(max(sum(a * w for a, w in zip(xs, u)), 0) for u in [main] + side))
    if any(sympy.simplify(f - sympy.Rational(t.numerator, t.denominator)) != 0 for f, t in zip(fit, small_init_data().y)):
        raise AssertionError("the paper's interpolator does not interpolate")  # a finding, not data
    if not field_element(c) > 0 or any(field_element(sympy.expand(sum(w * w for w in u) - 17 * c * c)) != 0 for u in side):
        raise AssertionError("the side neurons are not c (0, +-4, 1) with c > 0")
    r = field_element(sympy.sqrt(sum(w * w for w in main))) + 2 * field_element(c * sympy.sqrt(17))
    if r != field_element((4 * sympy.sqrt(13) + 6) / (5 * sympy.sqrt(17))):
        raise AssertionError("the interpolator's cost is not R_min")
    return r


def _approx(x):
    from exact.multiquadratic import approximate

    return approximate(x, 80)


def _sci(q, digits=3):
    """A rational in scientific notation (display only, no floats)."""
    q = Fraction(q)
    if q == 0:
        return "0"
    sign, q = ("-" if q < 0 else ""), abs(q)
    e = len(str(q.numerator)) - len(str(q.denominator))
    e += 1 if q >= Fraction(10) ** e * 10 else (-1 if q < Fraction(10) ** e else 0)
    mant = q / Fraction(10) ** e
    return f"{sign}{_dec(mant, digits - 1)}e{e:+d}"


def _dec(q, digits):
    """A rational as a decimal string (display only)."""
    q = Fraction(q)
    sign = "-" if q < 0 else ""
    q = abs(q)
    whole = q.numerator // q.denominator
    frac = (q - whole) * 10**digits
    return f"{sign}{whole}.{frac.numerator // frac.denominator:0{digits}d}"



