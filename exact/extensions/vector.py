r"""Vector-valued two-layer networks (:math:`c` outputs): optimum, optimal polytope, staircase.

Model and convex form (``math/convex_duality.md`` §9.2, derived here [R]): with
:math:`a_j\in\mathbb R^c`,

.. math:: F(\theta)=\tfrac12\Big\|\sum_j(Xw_j)_+a_j^\top-Y\Big\|_F^2
          +\tfrac\beta2\sum_j(\|w_j\|^2+\|a_j\|^2).

Balancing turns the penalty into :math:`\beta\sum_j\|w_j\|\|a_j\|`. With unit :math:`u\in K_s`,
unit :math:`g\in\mathbb R^c` and weight :math:`\gamma\ge0`, a neuron is the *atom*
:math:`(\sqrt\gamma u,\sqrt\gamma g)`, fit :math:`\gamma D_sXug^\top`, penalty
:math:`\beta\gamma`. The dual of the convex problem over atoms is

.. math:: \max_\Lambda\ \langle\Lambda,Y\rangle-\tfrac12\|\Lambda\|_F^2\quad\text{s.t.}\quad
          \max_{u\in K_s,\|u\|\le1}\|\Lambda^\top D_sXu\|\le\beta\ \ \forall s,

and the gap identity of §3 holds verbatim with :math:`\langle\Lambda,D_sXug^\top\rangle\le\beta`
per atom. So :math:`\Lambda^*=Y-\hat Y^*` is unique, and an atom is *tight* iff
:math:`\|B_su\|=\beta` (:math:`B_s=\Lambda^{*\top}D_sX`) with :math:`g=B_su/\beta`. With a rational
tight vector :math:`p` (any scale) the atom's fit is :math:`\kappa\,D_sXpp^\top B_s^\top`,
:math:`\gamma=\kappa\beta\|p\|^2`: no square roots. The optimal set of the convex problem is
:math:`\mathcal Q^*=\{\kappa\ge0:\sum\kappa_a\mathrm{col}_a=\hat Y^*\}` over the tight atoms
(T4.3 with matrix columns), vertices have at most :math:`nc` atoms (so :math:`M^*\le nc`), and the
component graph of :mod:`exact.topology` applies unchanged (T5.2 with :math:`n\to nc`).

**What is exact.** :math:`c=1` is the scalar problem: :func:`optimal_set` then *is*
:func:`exact.optimum.optimal_set` (every kind: rational, algebraic, enclosure, bracket), with
:math:`\Lambda=\nu`. For :math:`c>1`, dual feasibility is copositivity of
:math:`\beta^2I-B_s^\top B_s` on :math:`K_s` (:mod:`.copositivity`), which is certified by an
S-lemma certificate when one exists; a rational :math:`\Lambda^*` found from a float
proposal (L-BFGS on :math:`F`) is then proved optimal exactly (kind ``rational``). Otherwise the
answer is a rigorous ``bracket``: a scaled dual point with exact certificates on every region
(a lower bound) and a rational network (an upper bound), never a float. The tight directions of
a certified region are read off its certificate exactly (:func:`.copositivity.tight_rays`,
including atoms on the region's boundary); when they form a continuum the polytope is out of
reach and :class:`~exact.errors.UndecidedError` says so.

Stationary points: the exact Clarke analysis (T6.2) is for scalar outputs; at :math:`c=1`
:func:`stationary_points` is the scalar one, for :math:`c>1` it raises.
"""

from dataclasses import dataclass
from fractions import Fraction

from ..arrangement import enumerate_patterns
from ..data import Dataset, as_rational, rational_matrix
from ..errors import InvalidDataError, ReluscapeError, ResourceLimitError, UndecidedError
from ..multiquadratic import sqrt_bounds
from .copositivity import cone_gain_certificate, gain_form, is_tight, null_space, tight_rays
from .group_lasso import round_bound

__all__ = [
    "VectorData",
    "VectorAtom",
    "VectorOptimalSet",
    "VectorPolytope",
    "optimal_set",
    "optimal_polytope",
    "critical_widths",
    "optimal_set_components",
    "staircase",
    "stationary_points",
    "three_sample_example",
    "example_certificates",
]

#: Largest number of tight atoms whose subsets are enumerated for the polytope's vertices.
MAX_ATOMS = 16


@dataclass(frozen=True)
class VectorData:
    r"""Exact data :math:`(X, Y, \beta)` with :math:`Y\in\mathbb Q^{n\times c}`.

    Examples
    --------
    >>> VectorData([[1, 0], [0, 1]], [[1, 2], [3, 4]], 1).c
    2
    >>> VectorData([[1, 0]], [[1], [2]], 1)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: Y has 2 rows but X has 1
    """

    X: tuple
    Y: tuple
    beta: Fraction

    def __post_init__(self):
        X = rational_matrix(self.X, "X")
        Y = rational_matrix(self.Y, "Y")
        if len(Y) != len(X):
            raise InvalidDataError(f"Y has {len(Y)} rows but X has {len(X)}")
        beta = as_rational(self.beta, "beta")
        if beta <= 0:
            raise InvalidDataError(f"beta = {beta} must be > 0")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "Y", Y)
        object.__setattr__(self, "beta", beta)

    n = property(lambda self: len(self.X))
    d = property(lambda self: len(self.X[0]))
    c = property(lambda self: len(self.Y[0]))

    def scalar(self):
        """The scalar :class:`~exact.data.Dataset` when ``c = 1``."""
        if self.c != 1:
            raise InvalidDataError(f"c = {self.c}: only one output is a scalar dataset")
        return Dataset(self.X, [r[0] for r in self.Y], self.beta)

    @classmethod
    def lifted(cls, data, h):
        r"""Labels :math:`Y=yh^\top` for a scalar ``data`` and a unit ``h`` (exact :math:`\|h\|=1`).

        Then the vector optimum is the scalar one with :math:`\Lambda^*=\nu^*h^\top` (project
        every :math:`a_j` on :math:`h`: the orthogonal part only adds loss and penalty).
        """
        h = [as_rational(a, f"h[{i}]") for i, a in enumerate(h)]
        if sum(a * a for a in h) != 1:
            raise InvalidDataError(f"h = {h} is not a unit vector")
        return cls(data.X, [[yk * a for a in h] for yk in data.y], data.beta)


@dataclass(frozen=True)
class VectorAtom:
    r"""A tight atom: a region ``D`` whose cone holds ``p``, the tight vector ``p``, weight ``kappa``.

    The neuron is :math:`(\sqrt\gamma\,p/\|p\|,\sqrt\gamma\,g)` with :math:`\gamma=\kappa\beta\|p\|^2`
    and :math:`g=\Lambda^\top(Xp)_+/(\beta\|p\|)`; its fit is :math:`\kappa(Xp)_+(Xp)_+^\top\Lambda`.
    """

    D: tuple
    p: tuple
    kappa: object = None


class VectorOptimalSet:
    """The certified optimum for vector outputs; see :func:`optimal_set`.

    Attributes
    ----------
    kind : {"rational", "algebraic", "enclosure", "bracket"}
    value, value_interval : the optimum :math:`p^*` and a rigorous enclosure of it
    Lam : tuple of rows
        :math:`\\Lambda^*` (for a bracket: the dual feasible point of the lower bound).
    atoms : tuple of VectorAtom
    scalar : OptimalSet or None
        The scalar optimum when ``c = 1``.
    """

    def __init__(self, data, patterns, kind, Lam, atoms, value, value_interval, proof, scalar=None):
        self.data, self.patterns, self.kind = data, patterns, kind
        self.Lam, self.atoms = tuple(tuple(r) for r in Lam), tuple(atoms)
        self.value, self.value_interval = value, value_interval
        self.scalar, self._proof = scalar, proof

    def __repr__(self):
        lo, hi = self.value_interval
        return f"VectorOptimalSet({self.kind}, c={self.data.c}, value in [{lo}, {hi}], atoms={len(self.atoms)})"

    @property
    def proof_reason(self):
        """Why the result is a bracket (``None`` otherwise)."""
        return self._proof.get("reason")

    @property
    def fit(self):
        r""":math:`\hat Y^*=Y-\Lambda^*`."""
        return tuple(tuple(a - b for a, b in zip(ry, rl)) for ry, rl in zip(self.data.Y, self.Lam))

    def certificate(self):
        """``reluscape/optimum/1`` when ``c = 1``, else ``reluscape/vector-optimum/1``."""
        if self.scalar is not None:
            return self.scalar.certificate()
        from ..certificates import number, numbers, patterns_certificate

        data, pats, proof = self.data, self.patterns, self._proof
        index = {tuple(int(v) for v in D): i for i, D in enumerate(pats.D.tolist())}
        cert = {
            "schema": "reluscape/vector-optimum/1",
            "X": numbers(data.X),
            "Y": numbers(data.Y),
            "beta": number(data.beta),
            "patterns": patterns_certificate(pats, complete=True),
            "Lambda": numbers(self.Lam),
            "blocks": [
                {"pattern": index[D], "N": [[i, j, number(v)] for (i, j), v in sorted(N.items())]}
                for D, N in proof["multipliers"].items()
                if N
            ],
        }
        if self.kind == "rational":
            cert.update(method="rational", value=number(self.value))
            cert["atoms"] = [{"pattern": index[a.D], "p": numbers(a.p), "kappa": number(a.kappa)} for a in self.atoms]
        else:
            W, A = proof["network"]
            lo, hi = self.value_interval
            cert.update(method="bracket", lower=number(lo), upper=number(hi), network={"W": numbers(W), "A": numbers(A)})
        return cert


@dataclass(frozen=True)
class VectorPolytope:
    r""":math:`\mathcal Q^*` over the tight atoms: ``atoms`` (VectorAtom), ``columns``, ``target``
    (:math:`\hat Y^*` flattened) and ``vertices`` (support, weights), as in
    :class:`exact.solution_set.OptimalPolytope` (so :mod:`exact.topology` applies)."""

    optimum: VectorOptimalSet
    atoms: tuple
    columns: tuple
    target: tuple
    vertices: tuple

    @property
    def unique_weights(self):
        return len(self.vertices) == 1


@dataclass(frozen=True)
class VectorWidths:
    """:math:`m^*`, :math:`M^*` and the polytope (iterates as ``(m_star, M_star)``)."""

    m_star: int
    M_star: int
    polytope: VectorPolytope

    def __iter__(self):
        return iter((self.m_star, self.M_star))


def optimal_set(data, *, method=None, dual=None, width=None, starts=8, seed=0):
    r"""Return the certified global optimum of the vector-output convex problem.

    Parameters
    ----------
    data : VectorData
    method : {None, "scalar", "general"}
        ``"scalar"`` (default when ``c = 1``): :func:`exact.optimum.optimal_set`.
        ``"general"`` (default when ``c > 1``): float proposal by L-BFGS on :math:`F`, then an
        exact rational proof (S-lemma certificates, tight atoms, exact LP for the weights) or a
        rigorous bracket.
    dual : n x c rational matrix, optional
        A proposed :math:`\Lambda^*` (``"general"`` only), e.g. from a dual-first construction:
        it is certified exactly first, and the float proposal runs only if that fails.
    width, starts, seed
        The float proposal: width (default :math:`nc+1`), random starts, seed.

    Returns
    -------
    VectorOptimalSet

    Examples
    --------
    >>> opt = optimal_set(VectorData([[1, 0], [0, 1]], [[2, 0], [0, 0]], 1), method="general")
    >>> opt.kind, opt.value, opt.Lam
    ('rational', Fraction(3, 2), ((Fraction(1, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(0, 1))))
    >>> optimal_set(VectorData([[1]], [[1, 1]], 1), method="scalar")
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: c = 2: only one output is a scalar dataset
    """
    if not isinstance(data, VectorData):
        raise InvalidDataError("optimal_set needs a VectorData (X, Y, beta)")
    method = ("scalar" if data.c == 1 else "general") if method is None else method
    if method == "scalar":
        return _from_scalar(data)
    if method != "general":
        raise InvalidDataError(f"method = {method!r} is not one of None, 'scalar', 'general'")
    pats = enumerate_patterns(data.X)
    Ds = [tuple(int(v) for v in row) for row in pats.D.tolist() if any(row)]
    if dual is not None:
        Lam = rational_matrix(dual, "dual")
        if len(Lam) != data.n or len(Lam[0]) != data.c:
            raise InvalidDataError(f"dual is {len(Lam)} x {len(Lam[0])}, expected {data.n} x {data.c}")
        proof = _certify(data, Ds, Lam, [])
        if proof is not None:
            atoms = proof.pop("atoms")
            return VectorOptimalSet(data, pats, "rational", Lam, atoms, *_value(data, Lam), proof)
    zero = _certify(data, Ds, data.Y, [])
    if zero is not None:
        return VectorOptimalSet(data, pats, "rational", data.Y, [], *_value(data, data.Y), zero)
    from ..numeric.extensions import propose_vector

    proposal = propose_vector(data.X, data.Y, data.beta, width or data.n * data.c + 1, starts=starts, seed=seed)
    for Lam in proposal.duals:
        proof = _certify(data, Ds, Lam, proposal.W)
        if proof is not None:
            atoms = proof.pop("atoms")
            return VectorOptimalSet(data, pats, "rational", Lam, atoms, *_value(data, Lam), proof)
    return _bracket(data, pats, Ds, proposal)


def optimal_polytope(data, *, optimum=None):
    r"""The optimal polytope :math:`\mathcal Q^*` over *all* tight atoms, vertices enumerated exactly.

    ``c = 1``: :func:`exact.solution_set.optimal_polytope`. ``c > 1``: needs a rational optimum;
    each region's tight directions are read off its certificate exactly
    (:func:`.copositivity.tight_rays`: the kernel of :math:`S` inside :math:`K_s`, cut by the
    zero products of the multipliers).

    Raises
    ------
    UndecidedError
        For a bracket, or when a region's tight directions form a continuum.
    """
    opt = optimal_set(data) if optimum is None else optimum
    if opt.scalar is not None:
        from ..solution_set import optimal_polytope as scalar_polytope

        return scalar_polytope(opt.scalar.data, optimum=opt.scalar)
    if opt.kind != "rational":
        raise UndecidedError(f"the optimum is only bracketed ({opt.proof_reason}); its tight set is unknown")
    from ..solution_set import polytope_vertices

    data, Lam = opt.data, opt.Lam
    found = {}
    for D, N in opt._proof["multipliers"].items():
        A, B = _cone(data.X, D), _gain(data.X, D, Lam)
        rays, continuum = tight_rays(A, B, data.beta**2, N)
        if continuum:
            raise UndecidedError(f"region {''.join(map(str, D))}: the tight directions form a continuum (a cone of dimension >= 2)")
        for p in rays:
            found.setdefault(p, VectorAtom(D, p))
    atoms = sorted(found.values(), key=lambda a: (a.D, a.p))
    if len(atoms) > MAX_ATOMS:
        raise ResourceLimitError(f"{len(atoms)} tight atoms exceed MAX_ATOMS = {MAX_ATOMS}")
    cols = [_column(data.X, Lam, a.p) for a in atoms]
    target = tuple(v for r in opt.fit for v in r)
    return VectorPolytope(opt, tuple(atoms), tuple(cols), target, polytope_vertices(cols, target))


def critical_widths(data, *, optimum=None):
    r""":math:`(m^*,M^*)`: least and largest vertex support of :math:`\mathcal Q^*` (:math:`M^*\le nc`).

    Examples
    --------
    >>> m, M = critical_widths(VectorData([[1, 0], [0, 1]], [[3, 4], [0, 0]], 1))
    >>> m, M
    (1, 1)
    """
    P = optimal_polytope(data, optimum=optimum)
    if P.optimum.__class__ is not VectorOptimalSet:  # c = 1: the scalar widths
        from ..solution_set import critical_widths as scalar_widths

        return scalar_widths(P.optimum.data, optimum=P.optimum)
    sizes = [len(S) for S, _ in P.vertices]
    return VectorWidths(min(sizes), max(sizes), P)


def optimal_set_components(data, m, *, polytope=None):
    """Components of the optimal set of the width-``m`` vector network (:mod:`exact.topology`)."""
    from ..topology import optimal_set_components as components

    return components(None, m, polytope=optimal_polytope(data) if polytope is None else polytope)


def staircase(data, widths=None, *, polytope=None):
    """The staircase table of :func:`exact.topology.staircase` for vector outputs."""
    from ..topology import staircase as table

    return table(None, widths, polytope=optimal_polytope(data) if polytope is None else polytope)


def stationary_points(data, m, **kw):
    """The scalar :func:`exact.stationary_set.stationary_points` when ``c = 1``.

    Raises
    ------
    ReluscapeError
        For ``c > 1``: the exact Clarke analysis (T6.2) is derived for scalar outputs only.
    """
    if data.c != 1:
        raise ReluscapeError(f"stationary points are not available for c = {data.c} outputs (T6.2 is scalar)")
    from ..stationary_set import stationary_points as scalar_points

    return scalar_points(data.scalar(), m, **kw)


def three_sample_example():
    r"""A genuinely vector staircase: ``(data, Lam)`` with :math:`c=2`, rank-two :math:`\Lambda^*`,
    :math:`m^*=2<M^*=4`, constructed dual-first (``math/convex_duality.md`` §5 recipe, [R]).

    Three unit rows :math:`x_k\in\mathbb Q^4` with pairwise cosines :math:`s_{kl}\in[-\frac12,0)`,
    :math:`\beta=1`, and :math:`\Lambda_k=\ell_k` unit rational vectors of the plane with
    :math:`\ell_k^\top\ell_l=c_{kl}=-s_{kl}/(1+s_{kl})`. Then every region's spectral bound
    :math:`\|B_s\|\le\beta` holds, with equality in six regions: on
    :math:`\{k\}` at :math:`u=x_k` (gain :math:`\|\ell_k\|^2=1`) and on :math:`\{k,l\}` at
    :math:`u\propto x_k+x_l` (the top eigenvalue of :math:`\mathrm{diag}(\ell)\text{-Gram}`
    times the row Gram is :math:`1+cs+|c+s|=1`). The six tight columns
    :math:`v_av_a^\top\Lambda` lie in the 5-dimensional space :math:`\{M\Lambda:M=M^\top\}`, so
    they satisfy one relation :math:`\sum\delta_a\mathrm{col}_a=0`, with all six
    :math:`\delta_a\ne0` and six pairwise non-parallel output directions :math:`g_a` (so it is
    no lift of a scalar relation). :math:`\hat Y^*=\sum_{\delta_a>0}\delta_a\mathrm{col}_a`
    (two atoms) :math:`=\sum_{\delta_a<0}|\delta_a|\mathrm{col}_a` (four atoms) and
    :math:`Y=\hat Y^*+\Lambda`. The rows are a rational realisation of the Gram matrix
    :math:`(s_{kl})` found by an exact search (none exists in :math:`\mathbb Q^3` among small
    heights).

    Examples
    --------
    >>> data, Lam = three_sample_example()
    >>> data.n, data.d, data.c, Lam[1]
    (3, 4, 2, (Fraction(3, 5), Fraction(4, 5)))
    """
    F = Fraction
    X = [
        [F(-297, 722), F(-36859, 292410), F(38885, 58482), F(-178537, 292410)],
        [F(-117, 242), F(135, 242), F(-105, 242), F(125, 242)],
        [1, 0, 0, 0],
    ]
    Lam = ((F(15, 17), F(8, 17)), (F(3, 5), F(4, 5)), (F(7, 25), F(24, 25)))
    Y = [[F(54805, 45254), F(17023, 22627)], [F(7743, 6655), F(10324, 6655)], [F(34259, 66550), F(47569, 33275)]]
    return VectorData(X, Y, 1), Lam


def example_certificates():
    r"""Genuine ``reluscape/vector-optimum/1`` certificates (method ``rational``) of tiny instances,
    built in well under a second from known dual points (no float solve), as ``(name, cert)``:
    ``"one-sample"`` (label :math:`(3,4)`, :math:`\beta=1`, :math:`\Lambda^*=(3/5,4/5;0,0)`) and
    ``"three-sample"`` (:func:`three_sample_example`, six tight atoms).

    Examples
    --------
    >>> from exact.checker import check_certificate
    >>> [(name, check_certificate(c).ok) for name, c in example_certificates()]
    [('one-sample', True), ('three-sample', True)]
    """
    one = VectorData([[1, 0], [0, 1]], [[3, 4], [0, 0]], 1)
    three, Lam = three_sample_example()
    return [
        ("one-sample", optimal_set(one, method="general", dual=[[Fraction(3, 5), Fraction(4, 5)], [0, 0]]).certificate()),
        ("three-sample", optimal_set(three, dual=Lam).certificate()),
    ]


# ---------------------------------------------------------------------------------------------


def _from_scalar(data):
    from ..optimum import optimal_set as scalar_optimal_set

    opt = scalar_optimal_set(data.scalar())
    beta2 = data.beta**2
    atoms = [VectorAtom(a.blocks[0].D, tuple(a.z), a.kappa / beta2) for a in opt.atoms]
    return VectorOptimalSet(data, opt.patterns, opt.kind, [[v] for v in opt.nu], atoms, opt.value, opt.value_interval, {}, scalar=opt)


def _cone(X, D):
    return [[a if dk else -a for a in x] for x, dk in zip(X, D)]


def _gain(X, D, Lam):
    r""":math:`B_s=\Lambda^\top D_sX` (c×d)."""
    return [[sum((Lam[k][t] * X[k][j] for k in range(len(X)) if D[k]), Fraction(0)) for j in range(len(X[0]))] for t in range(len(Lam[0]))]


def _direction(p):
    """``p`` scaled positively so that its largest absolute entry is 1 (a canonical ray)."""
    s = max(abs(a) for a in p)
    return tuple(a / s for a in p)


def _column(X, Lam, p):
    r"""The fit of unit weight :math:`\kappa`: :math:`(Xp)_+(Xp)_+^\top\Lambda`, flattened."""
    v = [max(sum(a * b for a, b in zip(x, p)), Fraction(0)) for x in X]
    g = [sum(v[k] * Lam[k][t] for k in range(len(X))) for t in range(len(Lam[0]))]
    return tuple(vk * gt for vk in v for gt in g)


def _value(data, Lam):
    v = sum(a * b for ry, rl in zip(data.Y, Lam) for a, b in zip(ry, rl)) - sum(a * a for r in Lam for a in r) / 2
    return v, (v, v)


def _certify(data, Ds, Lam, W):
    """Prove ``Lam`` optimal: every region certified, tight atoms, an exact LP for the weights.

    Returns the proof (``multipliers``, ``atoms``) or ``None``."""
    from ..lp import solve_lp

    X, beta2, d = data.X, data.beta**2, data.d
    mult, cands = {}, {}
    for D in Ds:
        A, B = _cone(X, D), _gain(X, D, Lam)
        N = cone_gain_certificate(A, B, beta2)
        if N is None:
            return None
        mult[D] = N
        rays, continuum = tight_rays(A, B, beta2, N)
        if continuum:  # also the float neurons, projected on the kernel (tight ones kept)
            kernel = null_space(gain_form(A, B, beta2, N), d)
            rays += [_direction(p) for p in (_on_kernel(kernel, w) for w in W) if p is not None and is_tight(A, B, beta2, N, p)]
        for p in rays:
            cands.setdefault(p, D)
    target = [a - b for ry, rl in zip(data.Y, Lam) for a, b in zip(ry, rl)]
    keys = sorted(cands)
    cols = [_column(X, Lam, p) for p in keys]
    if not any(target):
        return {"multipliers": mult, "atoms": []}
    if not cols:
        return None
    lp = solve_lp([1] * len(cols), A_eq=[[c[t] for c in cols] for t in range(len(target))], b_eq=target)
    if lp.status != "optimal":
        return None
    atoms = [VectorAtom(cands[p], p, k) for p, k in zip(keys, lp.x) if k > 0]
    return {"multipliers": mult, "atoms": atoms}


def _on_kernel(kernel, w):
    """The rational point of span(kernel) nearest the proposed (rational) neuron ``w``, with
    simple coordinates in the kernel basis (a proposal: :func:`.copositivity.is_tight` decides)."""
    from ..rational_linalg import solve

    G = [[sum(a * b for a, b in zip(k1, k2)) for k2 in kernel] for k1 in kernel]
    x = solve(G, [sum(a * b for a, b in zip(k, w)) for k in kernel])
    if x is None:
        return None
    x = [a.limit_denominator(10**4) for a in x]
    return [sum(xi * k[j] for xi, k in zip(x, kernel)) for j in range(len(w))]


def _bracket(data, pats, Ds, proposal):
    r"""A rigorous bracket: :math:`d(t\hat\Lambda)\le p^*\le F(\hat\theta)` (C4.7 route 3).

    The scale :math:`t` starts from the proposed largest gain (a float hint: it only sets where
    the search begins); the lower bound stands on exact S-lemma certificates of every region at
    :math:`t\hat\Lambda`, the upper bound on the exact value of the proposed rational network."""
    from ..numeric.extensions import proposed_max_gain

    X, beta2 = data.X, data.beta**2
    Lam = proposal.dual
    worst = max(proposed_max_gain(_cone(X, D), _gain(X, D, Lam)) for D in Ds)
    t = Fraction(1)
    if worst > beta2:
        t = sqrt_bounds(beta2 / worst, 64)[0] * Fraction(10**7 - 1, 10**7)
    mult = None
    for _ in range(8):
        scaled = [[t * v for v in r] for r in Lam]
        mult = {}
        for D in Ds:
            N = cone_gain_certificate(_cone(X, D), _gain(X, D, scaled), beta2)
            if N is None:
                break
            mult[D] = N
        else:
            break
        t *= Fraction(999, 1000)
    else:
        raise UndecidedError("no rigorous bracket: a region has no S-lemma certificate even after scaling the dual point")
    Wq, Aq = proposal.W, proposal.A
    upper = round_bound(_network_value(data, Wq, Aq), up=True)
    lower = round_bound(_value(data, scaled)[0], up=False)
    proof = {"multipliers": mult, "network": (Wq, Aq), "reason": "no rational dual optimum with S-lemma certificates was found"}
    mid = (lower + upper) / 2
    return VectorOptimalSet(data, pats, "bracket", scaled, [], mid, (lower, upper), proof)


def _network_value(data, W, A):
    """:math:`F(\\theta)` of a rational network, exactly."""
    fit = [[sum(max(sum(x * w for x, w in zip(xr, wj)), Fraction(0)) * aj[t] for wj, aj in zip(W, A)) for t in range(data.c)] for xr in data.X]
    loss = sum((f - y) ** 2 for fr, yr in zip(fit, data.Y) for f, y in zip(fr, yr)) / 2
    return loss + data.beta / 2 * (sum(a * a for r in W for a in r) + sum(a * a for r in A for a in r))
