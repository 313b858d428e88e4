r"""Region census: which constant activation regions hold a global minimum, and which a spurious one.

Notation of ``math/benignity_and_relaxation.md`` §1–3 (suite objective :math:`F_\beta`).

**Signed patterns and regions (Def 2.1).** A *signed pattern* is a pair :math:`(S,s)` of an
activation pattern of :math:`X` (a region of the arrangement :math:`\{x_k^\top w=0\}`, listed
exactly by :func:`~exact.enumerate_patterns`, strict signs, 0 on zero rows) and an output sign
:math:`s=\pm1`. Its closed cone is :math:`\bar C(s,S)=\{(w,a):w\in K_S,\ sa\ge0\}`. A region of
width :math:`m` is an *ordered* tuple :math:`A=((s_j,S_j))_{j\le m}`, and
:math:`\bar C_A=\prod_j\bar C(s_j,S_j)`.

*Counting convention.* :math:`N_{\rm act}=2P`, with :math:`P` the number of activation patterns
of :math:`X` **including** the empty pattern :math:`D=0` whenever its region exists
(:math:`\exists h: Xh<0`); in general position :math:`P` is Cover's count
:math:`2\sum_{i<r}\binom{n-1}{i}` (:math:`2^n` if :math:`d\ge n`), as in [BBEL] Prop 2.2. There are
:math:`N_{\rm act}^m` regions of width :math:`m`.

*Sampling (the paper's measure, presumably).* Each of the :math:`m` neurons draws its signed
pattern independently and uniformly from the :math:`N_{\rm act}` signed patterns, so every
ordered region has probability :math:`N_{\rm act}^{-m}`. Draws are ``randrange(N_act)`` (integers
only), neuron after neuron and region after region, from :class:`random.Random` seeded by the
string ``f"{seed}/{m}"`` (:func:`_sampler`): reproducible, and independent across widths, so the
points of a width curve are not correlated through a shared stream. This is *not* the
Gaussian-initialization measure of [KP]
(pitfall 9).

**Decisions, exact.** Let :math:`\mathcal S(A)` be the *set* of distinct signed patterns of
:math:`A` (repeated signed patterns merge into one block of the cone program).

* *Contains a global minimum* (Lemma 2.3, Def 2.1): :math:`\min_{\bar C_A}F_\beta=\mathrm{CP}(A)`,
  so :math:`\bar C_A` contains a minimizer of value :math:`p^*` iff :math:`\mathrm{CP}(A)=p^*`.
  Two routes decide this (both exact, both tested against each other):

  - ``"atoms"`` (default): by ``math/convex_duality.md`` T4.3/T4.5 the optimal solutions of (C)
    are the points :math:`\gamma` of the optimal polytope :math:`\mathcal Q^*` over the tight
    atoms :math:`(\omega,\sigma)`; a signed pattern :math:`(S,s)` *holds* an atom iff
    :math:`s=\sigma` and :math:`\omega\in K_S`, and each holds at most one (the maximizer of a
    tight block is unique, L4.1). Hence :math:`\mathrm{CP}(A)=p^*` iff some vertex of
    :math:`\mathcal Q^*` has each of its atoms held by a signed pattern of :math:`A`.
  - ``"cone_program"``: solve :math:`\mathrm{CP}(A)` (:func:`~exact.optimal_set` with
    ``blocks=``) and compare its value with :math:`p^*` exactly (rationals, sympy) or by
    rigorous intervals, raising :class:`~exact.errors.UndecidedError` when they overlap.

* *Cone-restricted spurious minimum* (Def 3.6 (i)): the minimizers of :math:`F_\beta` over
  :math:`\bar C_A` are cone minima of value :math:`\mathrm{CP}(A)`; they are spurious iff
  :math:`\mathrm{CP}(A)>p^*`, i.e. iff the region does not contain a global minimum.
* *True spurious local minimum in* :math:`\bar C_A` (Def 3.6 (iii), Lemma 2.4): a local minimum
  in :math:`\bar C_A` attains :math:`\mathrm{CP}(A)`, so it is one of the region's minimizers.
  These all have the residual :math:`\nu_A` (the unique dual optimum of :math:`\mathrm{CP}(A)`),
  and a non-zero neuron :math:`j` is :math:`u_j=c_j\bar u_{b(j)}` along the fixed direction of
  its block (T4.2 for the restricted problem). Lemma 2.4 factorizes over neurons: a zero neuron
  passes iff :math:`\nu_A\in\mathcal D` (then the point is global), a non-zero one iff every
  region :math:`R` adjacent to :math:`\bar u_b` satisfies
  :math:`\|\Pi_{K_R}(s_bX^\top D_R\nu_A)\|\le\beta` (*stable* direction). So for
  :math:`\mathrm{CP}(A)>p^*` the closed region holds a spurious true local minimum iff every
  block of :math:`\mathcal S(A)` is tight at :math:`\nu_A` and stable and the fit
  :math:`y-\nu_A` is a combination of the block columns with *all* weights positive (no zero
  neuron). This depends on :math:`\mathcal S(A)` only.

  Deciding it: a float solve of :math:`\mathrm{CP}(A)` gives a rational dual point made exactly
  feasible and a primal point projected exactly into the cones, hence a rigorous bracket of
  :math:`\mathrm{CP}(A)` and a ball :math:`\|\nu_A-\nu_c\|\le r` (1-strong concavity of the
  dual). A block whose bound :math:`\|\Pi(s X^\top D\nu_c)\|+\|DX\|_Fr<\beta` is provably not
  tight: every minimizer has a zero neuron, a saddle. Otherwise :math:`\mathrm{CP}(A)` is solved
  exactly (:func:`~exact.optimal_set`) and the three conditions are decided exactly (rational or
  multiquadratic numbers), or in ball arithmetic with strict inequalities.

Values are compared with :math:`p^*`, the optimum of the convex problem, which is
:math:`\min F_\beta` at widths :math:`m\ge m^*`; below :math:`m^*` no region reaches it.

Sources: [BBEL] Thm 1 (Theorem 2.5 here), Props 3.2–3.7 (orthogonal data, derived for
reluscape). :func:`containment_fraction` gives the exact fraction of regions containing a
global minimum by inclusion–exclusion over the atoms (for orthogonal data it is Prop 3.3).
"""

import random
import time
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from math import comb, floor

from .arrangement import enumerate_patterns
from .balls import ball, is_ball, lower, upper
from .binomial import clopper_pearson
from .cones import project, sq_norm
from .data import Dataset, as_rational
from .errors import InvalidDataError, ReluscapeError, ResourceLimitError, UndecidedError, entries

__all__ = [
    "SignedPattern",
    "RegionLandscape",
    "RegionVerdict",
    "CensusResult",
    "signed_patterns",
    "region_landscape",
    "classify",
    "census",
    "containment_fraction",
    "descent_agreement",
    "width_curve",
    "census_item",
    "surjections",
    "sufficient_width",
    "crossing_width",
    "theory_curve",
    "MAX_EXHAUSTIVE",
]

#: Largest number of sets of signed patterns an exhaustive census visits.
MAX_EXHAUSTIVE = 200_000

_METHODS = ("atoms", "cone_program")


@dataclass(frozen=True)
class SignedPattern:
    r"""A signed pattern :math:`(S,s)`: strict signs of the region (0 on zero rows) and the
    output sign :math:`s=\pm1`; ``index`` is its position in :func:`signed_patterns`."""

    signs: tuple
    sign: int
    index: int

    @property
    def D(self):
        """The diagonal of :math:`D_S` (0/1)."""
        return tuple(1 if v > 0 else 0 for v in self.signs)

    def __str__(self):
        return ("+" if self.sign > 0 else "-") + "[" + "".join("+" if v > 0 else "-" if v < 0 else "0" for v in self.signs) + "]"


def signed_patterns(X):
    r"""All :math:`N_{\rm act}=2P` signed patterns of ``X``, in the order of the census.

    Pattern :math:`i` of :func:`~exact.enumerate_patterns` gives indices :math:`2i` (sign
    :math:`+`) and :math:`2i+1` (sign :math:`-`); the empty pattern is included when its region
    exists.

    Parameters
    ----------
    X : n x d rational matrix, or a Dataset

    Returns
    -------
    tuple of SignedPattern

    Examples
    --------
    Two orthonormal rows: :math:`2^2` patterns (the empty one included), :math:`N_{\rm act}=8`.

    >>> sp = signed_patterns([[1, 0], [0, 1]])
    >>> len(sp), str(sp[0]), str(sp[7])
    (8, '+[--]', '-[++]')
    >>> signed_patterns([[1, 0], [0]])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: X[1] has 1 entry, expected 2
    """
    X = X.X if isinstance(X, Dataset) else X
    pats = enumerate_patterns(X)
    return tuple(SignedPattern(p.signs, s, 2 * i + (s < 0)) for i, p in enumerate(pats) for s in (1, -1))


@dataclass(frozen=True)
class RegionVerdict:
    r"""What :func:`classify` decided about one region :math:`A`.

    Attributes
    ----------
    region : tuple of SignedPattern
        One per neuron.
    blocks : tuple of SignedPattern
        :math:`\mathcal S(A)`, the distinct signed patterns (the blocks of :math:`\mathrm{CP}(A)`).
    contains_global : bool
        :math:`\mathrm{CP}(A)=p^*`.
    cone_spurious : bool
        The region's minimizers are spurious cone minima (:math:`\mathrm{CP}(A)>p^*`).
    true_spurious : bool
        :math:`\bar C_A` holds a spurious true local minimum (Lemma 2.4).
    value_interval : (Fraction, Fraction)
        A rigorous enclosure of :math:`\mathrm{CP}(A)`.
    value : Fraction, sympy number or None
        :math:`\mathrm{CP}(A)` exactly, when the ``cone_program`` route computed it.
    optimum_interval : (Fraction, Fraction)
        A rigorous enclosure of :math:`p^*`.
    reason : str
        Why (which route, which block).
    certificate : dict or None
        ``reluscape/region/1`` (see :mod:`exact.checker`), when requested and constructible:
        a region containing a global minimum needs that minimizer as an exact network (rational
        or in a multiquadratic field), so with an optimum known only by a Krawczyk enclosure its
        certificate is None (the optimum's own certificate is ``landscape.optimum.certificate()``).
    """

    region: tuple
    blocks: tuple
    contains_global: bool
    cone_spurious: bool
    true_spurious: bool
    value_interval: tuple
    optimum_interval: tuple
    reason: str
    value: object = None
    certificate: dict = field(default=None, repr=False)


@dataclass(frozen=True)
class CensusResult:
    r"""A census of the regions of width :math:`m` (see :func:`census`).

    Attributes
    ----------
    m, n_act : int
        Width and :math:`N_{\rm act}`.
    regions : int
        Regions counted: ``samples``, or :math:`N_{\rm act}^m` when exhaustive.
    exhaustive : bool
    contains_global, true_spurious, undecided : int
        Exact counts (weighted by the number of ordered regions when exhaustive). Regions with
        a cone-restricted spurious minimum are ``regions - contains_global``.
    expected_contains : Fraction
        The exact fraction of all regions containing a global minimum
        (:func:`containment_fraction`).
    level : Fraction
        The confidence level of ``intervals``.
    distinct_sets : int
        Distinct sets :math:`\mathcal S(A)` decided (the rest came from the cache).
    seconds : float
    seed : int or None
    """

    m: int
    n_act: int
    regions: int
    exhaustive: bool
    contains_global: int
    true_spurious: int
    undecided: int
    expected_contains: Fraction
    level: Fraction
    distinct_sets: int
    seconds: float
    seed: object = None

    @property
    def cone_spurious(self):
        """Regions whose minimizers are spurious cone minima (:math:`\\mathrm{CP}(A)>p^*`)."""
        return self.regions - self.contains_global

    @property
    def fractions(self):
        """Exact fractions ``{"contains_global", "cone_spurious", "true_spurious"}`` of the regions."""
        return {k: Fraction(getattr(self, k), self.regions) for k in ("contains_global", "cone_spurious", "true_spurious")}

    @property
    def intervals(self):
        """Clopper–Pearson intervals of the three fractions (exact points when exhaustive);
        undecided regions widen the ``true_spurious`` interval (counted as either)."""
        out = {}
        for key in ("contains_global", "cone_spurious", "true_spurious"):
            k = getattr(self, key)
            extra = self.undecided if key == "true_spurious" else 0
            if self.exhaustive:
                out[key] = (Fraction(k, self.regions), Fraction(k + extra, self.regions))
            else:
                lo, _ = clopper_pearson(k, self.regions, level=self.level)
                _, hi = clopper_pearson(k + extra, self.regions, level=self.level)
                out[key] = (lo, hi)
        return out

    def as_dict(self):
        """A JSON-ready summary (fractions as strings ``"p/q"``, intervals included)."""
        fr = self.fractions
        return {
            "m": self.m,
            "n_act": self.n_act,
            "regions": self.regions,
            "exhaustive": self.exhaustive,
            "seed": self.seed,
            "contains_global": self.contains_global,
            "cone_spurious": self.cone_spurious,
            "true_spurious": self.true_spurious,
            "undecided": self.undecided,
            "fractions": {k: str(v) for k, v in fr.items()},
            "intervals": {k: [str(a), str(b)] for k, (a, b) in self.intervals.items()},
            "expected_contains": str(self.expected_contains),
            "level": str(self.level),
            "distinct_sets": self.distinct_sets,
            "seconds": self.seconds,
        }


class RegionLandscape:
    r"""The data, its signed patterns, the certified optimum :math:`p^*` with its atoms and
    vertices, and a cache of decisions per set of signed patterns; see :func:`region_landscape`.

    Attributes
    ----------
    data : Dataset
    signed : tuple of SignedPattern
    n_act : int
    optimum : OptimalSet
    holders : tuple of frozenset of int
        Per tight atom, the indices of the signed patterns that hold it.
    vertices : tuple of tuple of int
        The supports (atom indices) of the vertices of :math:`\mathcal Q^*`.
    """

    def __init__(self, data, patterns=None):
        from .solution_set import optimal_polytope
        from .optimum import optimal_set

        if not isinstance(data, Dataset):
            raise InvalidDataError("region_landscape needs a Dataset (X, y, beta)")
        self.data = data
        self.patterns = enumerate_patterns(data.X) if patterns is None else patterns
        self.signed = tuple(SignedPattern(p.signs, s, 2 * i + (s < 0)) for i, p in enumerate(self.patterns) for s in (1, -1))
        self.n_act = len(self.signed)
        self._by_key = {(sp.signs, sp.sign): sp.index for sp in self.signed}
        self.optimum = optimal_set(data, patterns=self.patterns)
        self.polytope = optimal_polytope(data, optimum=self.optimum)
        self.holders = tuple(self._holders())
        self.vertices = tuple(tuple(S) for S, _ in self.polytope.vertices)
        self._sets = {}
        self._screens = {}

    @property
    def optimum_interval(self):
        """A rigorous enclosure of :math:`p^*`."""
        return self.optimum.value_interval

    def index(self, item, where="region"):
        """The index of a signed pattern given as ``SignedPattern``, ``(signs, sign)`` or ``(D, sign)``."""
        if isinstance(item, SignedPattern):
            item = (item.signs, item.sign)
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise InvalidDataError(f"{where} = {item!r} is not a signed pattern (pattern, sign)")
        pat, s = item
        if s not in (1, -1):
            raise InvalidDataError(f"{where} has sign {s!r}, expected +1 or -1")
        pat = tuple(int(v) for v in pat)
        if len(pat) != self.data.n:
            raise InvalidDataError(f"{where} has {entries(len(pat))}, expected n = {self.data.n}")
        if all(v in (0, 1) for v in pat) and not any(v < 0 for v in pat):
            zero = [not any(x) for x in self.data.X]
            pat = tuple(0 if z else (1 if v else -1) for v, z in zip(pat, zero))
        key = (pat, s)
        if key not in self._by_key:
            raise InvalidDataError(f"{where} = {item!r} is not an activation region of X")
        return self._by_key[key]

    def contains(self, indices):
        r"""Whether :math:`\mathrm{CP}=p^*` for the set of signed patterns ``indices`` (atoms route)."""
        S = frozenset(indices)
        return any(all(self.holders[a] & S for a in V) for V in self.vertices)

    def decide(self, indices):
        """The cached :class:`_SetDecision` of a set of signed-pattern indices."""
        S = frozenset(indices)
        if S not in self._sets:
            self._sets[S] = _decide(self, S)
        return self._sets[S]

    def screen(self, indices):
        """The cached float-proposed, exactly checked bracket of CP for a set with live blocks."""
        S = frozenset(indices)
        if S not in self._screens:
            self._screens[S] = _screen(self, [self.signed[i] for i in sorted(S) if any(self.signed[i].D)])
        return self._screens[S]

    def _holders(self):
        """Per atom of the polytope, the signed patterns whose closed cone holds it."""
        X, opt = self.data.X, self.optimum
        if opt.kind == "rational":
            for atom in self.polytope.atoms:
                t = [sum((a * b for a, b in zip(x, atom.direction)), Fraction(0)) for x in X]
                yield frozenset(
                    sp.index
                    for sp in self.signed
                    if sp.sign == atom.sign and all(v == 0 or (v > 0) == (s > 0) for v, s in zip(t, sp.signs))
                )
            return
        for atom in opt.atoms:  # irrational optimum: the atom's face rows are its kinks
            blk = atom.blocks[0]
            free = set(blk.face)
            yield frozenset(
                sp.index
                for sp in self.signed
                if sp.sign == blk.sign and all(k in free or sp.D[k] == blk.D[k] for k in range(self.data.n))
            )


def region_landscape(data):
    r"""Prepare a census of ``data``: patterns, :math:`p^*` certified, its atoms and vertices.

    Pass the result as ``landscape=`` to :func:`classify` and :func:`census` to share the
    certified optimum and the per-set cache between calls.

    Raises
    ------
    UndecidedError
        If the optimum is only bracketed (its atoms are then unknown).

    Examples
    --------
    >>> L = region_landscape(Dataset([[1, 0], [0, 1]], [1, -1], "1/2"))
    >>> L.n_act, L.optimum.value, [len(h) for h in L.holders]
    (8, Fraction(3, 4), [2, 2])
    """
    return RegionLandscape(data)


def classify(data, region, *, landscape=None, method="atoms", certify=True):
    r"""Decide, for the region :math:`A` (one signed pattern per neuron), whether
    :math:`\bar C_A` contains a global minimum and whether it holds spurious minima.

    Parameters
    ----------
    data : Dataset
    region : sequence of signed patterns
        Each ``(signs, sign)`` (strict signs of a region of ``X``, 0 on zero rows) or
        ``(D, sign)`` (0/1 activation pattern), or a :class:`SignedPattern`.
    landscape : RegionLandscape, optional
        Shared certified optimum and cache (default: built here).
    method : {"atoms", "cone_program"}
        How "contains a global minimum" is decided (module docstring); same answer.
    certify : bool
        Build the ``reluscape/region/1`` certificate.

    Returns
    -------
    RegionVerdict

    Raises
    ------
    InvalidDataError
        If a signed pattern is not a region of ``X``, or ``method`` is unknown.
    UndecidedError
        If a ball comparison stays open (``cone_program`` with overlapping enclosures, or an
        irrational point on a boundary case).

    Examples
    --------
    Orthonormal rows, :math:`y=(1,-1)`, :math:`\beta=\tfrac12` (Prop 3.2): the region needs a
    :math:`+` neuron active on row 0 and a :math:`-` neuron active on row 1.

    >>> D = Dataset([[1, 0], [0, 1]], [1, -1], "1/2")
    >>> v = classify(D, [((1, -1), 1), ((-1, 1), -1)])
    >>> v.contains_global, v.true_spurious
    (True, False)
    >>> v = classify(D, [((1, 1), 1), ((1, -1), 1)])       # one-signed: Prop 3.7 (b)
    >>> v.contains_global, v.cone_spurious, v.true_spurious
    (False, True, True)
    >>> classify(D, [((1, 1), 2)])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: region[0] has sign 2, expected +1 or -1
    """
    L = _landscape(data, landscape)
    if method not in _METHODS:
        raise InvalidDataError(f"method = {method!r} is not one of {', '.join(map(repr, _METHODS))}")
    idx = [L.index(item, f"region[{j}]") for j, item in enumerate(region)]
    if not idx:
        raise InvalidDataError("region has no neurons (m = 0)")
    dec = L.decide(idx)
    value = None
    if method == "cone_program":
        value, contains = _cone_program_contains(L, sorted(set(idx)))
        if contains != dec.contains:  # two exact routes of one theorem (T4.3) disagree
            raise AssertionError(f"atoms and cone-program routes disagree on {sorted(set(idx))}")
    if dec.true_spurious is None:
        raise UndecidedError(f"spurious minimum of the region undecided: {dec.reason}")
    interval, dual = _bracket(L, frozenset(idx))
    cert = _certificate(L, idx, dec, dual) if certify else None
    return RegionVerdict(
        region=tuple(L.signed[i] for i in idx),
        blocks=tuple(L.signed[i] for i in sorted(set(idx))),
        contains_global=dec.contains,
        cone_spurious=not dec.contains,
        true_spurious=dec.true_spurious,
        value_interval=interval,
        optimum_interval=L.optimum_interval,
        reason=dec.reason,
        value=value,
        certificate=cert,
    )


def census(data, m, *, samples=1000, seed=0, exhaustive=False, landscape=None, level=Fraction(95, 100), undecided="count"):
    r"""Census of the regions of width ``m``: the fractions that contain a global minimum, that
    hold spurious cone minima, and that hold spurious true local minima.

    Regions are drawn i.i.d. uniformly (module docstring: each neuron a uniform signed
    pattern among the :math:`N_{\rm act}`), or all :math:`N_{\rm act}^m` are counted with
    ``exhaustive=True``: each set :math:`T` of signed patterns stands for the
    :math:`\mathrm{surj}(m,|T|)` ordered regions whose set it is (:func:`surjections`).
    Decisions are cached per set, so regions sharing their set cost nothing.

    Parameters
    ----------
    data : Dataset
    m : int
        The width, :math:`\ge1`.
    samples : int
        Regions drawn when not exhaustive.
    seed : int
    exhaustive : bool
    landscape : RegionLandscape, optional
    level : rational
        Confidence level of the Clopper–Pearson intervals.
    undecided : {"count", "raise"}
        A set whose true-spurious decision stays open (an open ball comparison, or a float
        solver that proposes nothing for the exact solve) is counted apart
        (``CensusResult.undecided``) or raised as :class:`~exact.errors.UndecidedError`; never
        guessed. Containment is always decided.

    Returns
    -------
    CensusResult

    Raises
    ------
    InvalidDataError
        On ``m < 1``, ``samples < 1`` or an unknown ``undecided``.
    ResourceLimitError
        When an exhaustive census would visit more than :data:`MAX_EXHAUSTIVE` sets.

    Examples
    --------
    Orthonormal rows, labels of both signs: Prop 3.3 gives
    :math:`1-2(1-\tfrac14)^2+(1-\tfrac12)^2=\tfrac18` at :math:`m=2`.

    >>> D = Dataset([[1, 0], [0, 1]], [1, -1], "1/2")
    >>> res = census(D, 2, exhaustive=True)
    >>> res.regions, res.fractions["contains_global"], res.expected_contains
    (64, Fraction(1, 8), Fraction(1, 8))
    >>> res.true_spurious   # one-signed regions whose neurons all cover the side (Prop 3.7)
    8
    >>> census(D, 0)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: m = 0 must be an integer >= 1
    """
    if isinstance(m, bool) or not isinstance(m, int) or m < 1:
        raise InvalidDataError(f"m = {m!r} must be an integer >= 1")
    if undecided not in ("count", "raise"):
        raise InvalidDataError(f"undecided = {undecided!r} is not 'count' or 'raise'")
    level = as_rational(level, "level")
    L = _landscape(data, landscape)
    N = L.n_act
    t0 = time.perf_counter()
    before = len(L._sets)
    contains = spurious = open_ = 0
    if exhaustive:
        sizes = range(1, min(m, N) + 1)
        total_sets = sum(comb(N, k) for k in sizes)
        if total_sets > MAX_EXHAUSTIVE:
            raise ResourceLimitError(f"{total_sets} sets of signed patterns exceed MAX_EXHAUSTIVE = {MAX_EXHAUSTIVE}")
        regions = N**m
        for k in sizes:
            weight = surjections(m, k)
            for T in combinations(range(N), k):
                c, s, o = _count(L, T, undecided)
                contains, spurious, open_ = contains + weight * c, spurious + weight * s, open_ + weight * o
        seed = None
    else:
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise InvalidDataError(f"samples = {samples!r} must be an integer >= 1")
        rng = _sampler(seed, m)
        regions = samples
        for _ in range(samples):
            c, s, o = _count(L, [rng.randrange(N) for _ in range(m)], undecided)
            contains, spurious, open_ = contains + c, spurious + s, open_ + o
    return CensusResult(
        m=m,
        n_act=N,
        regions=regions,
        exhaustive=exhaustive,
        contains_global=contains,
        true_spurious=spurious,
        undecided=open_,
        expected_contains=containment_fraction(L, m),
        level=level,
        distinct_sets=len(L._sets) - before,
        seconds=time.perf_counter() - t0,
        seed=seed,
    )


def descent_agreement(data, m, *, samples=50, seed=0, landscape=None, alpha=1.0, steps=4000, rtol=1e-4):
    r"""Float reproduction: gradient descent from a random start inside each sampled region,
    projected onto the closed region, ends at the region's certified value :math:`\mathrm{CP}(A)`.

    Regions are the first ``samples`` draws of :func:`census` with the same ``seed``. The
    float part is :func:`exact.numeric.region_descent.region_descent` (large initialization
    :math:`\|w_j\|=\alpha`, balanced); the reference is the rigorous bracket of
    :math:`\mathrm{CP}(A)` of the census (:math:`p^*` when the region contains a global
    minimum). By Lemma 2.3 every local minimizer on :math:`\bar C_A` attains
    :math:`\mathrm{CP}(A)`, so the runs should agree up to the float tolerance.

    Returns
    -------
    dict
        ``regions``, ``agree`` (runs with :math:`|F-\mathrm{CP}(A)|\le`
        ``rtol`` :math:`\max(1,\mathrm{CP}(A))`), ``max_rel_gap``, ``median_rel_gap``,
        ``max_infeasibility`` and per run ``values`` and ``references`` (floats: a cross-check,
        never evidence).

    Examples
    --------
    >>> out = descent_agreement(Dataset([[1, 0], [0, 1]], [1, -1], "1/2"), 2, samples=6, steps=3000)
    >>> out["agree"] == out["regions"] == 6
    True
    """
    import numpy as np

    from .numeric.region_descent import region_descent

    L = _landscape(data, landscape)
    rng = _sampler(seed, m)
    regions = [[rng.randrange(L.n_act) for _ in range(m)] for _ in range(samples)]
    D = [[L.signed[i].D for i in r] for r in regions]
    signs = [[L.signed[i].sign for i in r] for r in regions]
    wit = [[[float(c) for c in L.patterns[i // 2].witness] for i in r] for r in regions]
    Xf = [[float(a) for a in row] for row in L.data.X]
    out = region_descent(Xf, [float(v) for v in L.data.y], float(L.data.beta), D, signs, wit, alpha=alpha, steps=steps, seed=seed)
    refs = [float((lo + hi) / 2) for lo, hi in (_bracket(L, frozenset(r))[0] for r in regions)]
    gaps = [abs(v - c) / max(1.0, abs(c)) for v, c in zip(out["values"].tolist(), refs)]
    return {
        "regions": samples,
        "agree": sum(g <= rtol for g in gaps),
        "max_rel_gap": max(gaps),
        "median_rel_gap": float(np.median(gaps)),
        "max_infeasibility": float(out["infeasibility"].max()),
        "values": out["values"].tolist(),
        "references": refs,
    }


def width_curve(data, widths, *, samples=1000, seed=0, exhaustive=False, level=Fraction(95, 100), landscape=None, out=None,
                workers=None, scheduler=None, progress=False):
    r"""Censuses of ``data`` at several widths: the benignity curve, fraction against :math:`m`.

    Without ``out`` the widths run here, one after the other, sharing one
    :class:`RegionLandscape` (``landscape``, or one built here: its cache of decided sets). With
    ``out`` (a JSON-lines checkpoint) they run through :func:`exact.numeric.sweep.sweep`: a
    process pool, or a Dask cluster given ``scheduler``, resumable after an interrupt (finished
    widths are read back, not recomputed); each worker process keeps its own landscape per
    dataset. Both give the same rows: the sampler of each width is seeded by ``seed`` alone.

    Parameters
    ----------
    data : Dataset
    widths : iterable of int
    samples, seed, exhaustive, level
        As in :func:`census`.
    landscape : RegionLandscape, optional
        Used without ``out``.
    out : str or os.PathLike, optional
        The sweep's checkpoint file.
    workers, scheduler, progress
        As in :func:`exact.numeric.sweep.sweep`.

    Returns
    -------
    list of dict
        :meth:`CensusResult.as_dict` per width, in the order of ``widths``.

    Examples
    --------
    >>> rows = width_curve(Dataset([[1, 0], [0, 1]], [1, 1], "1/2"), [1, 2], exhaustive=True)
    >>> [(r["m"], r["fractions"]["contains_global"]) for r in rows]
    [(1, '1/8'), (2, '15/64')]
    """
    widths = list(widths)
    if out is None:
        L = _landscape(data, landscape)
        return [census(data, m, samples=samples, seed=seed, exhaustive=exhaustive, landscape=L, level=level).as_dict() for m in widths]
    from .certificates import number, numbers
    from .numeric.sweep import sweep

    spec = {"X": [numbers(r) for r in data.X], "y": numbers(data.y), "beta": number(data.beta), "level": number(as_rational(level, "level"))}
    items = [dict(spec, m=m, samples=samples, seed=seed, exhaustive=exhaustive) for m in widths]
    return sweep(census_item, items, out=out, workers=workers, scheduler=scheduler, progress=progress)


def census_item(item):
    """One width of :func:`width_curve` (a picklable sweep item: data as ``"p/q"`` strings)."""
    data = Dataset(item["X"], item["y"], item["beta"])
    key = (tuple(map(tuple, item["X"])), tuple(item["y"]), item["beta"])
    if key not in _WORKER_LANDSCAPES:
        _WORKER_LANDSCAPES[key] = RegionLandscape(data)
    L = _WORKER_LANDSCAPES[key]
    return census(data, item["m"], samples=item["samples"], seed=item["seed"], exhaustive=item["exhaustive"], landscape=L,
                  level=Fraction(item["level"])).as_dict()


#: Landscapes built by :func:`census_item` in this process, per dataset (a sweep worker's memo).
_WORKER_LANDSCAPES = {}


def containment_fraction(landscape, m):
    r"""The exact fraction of the :math:`N_{\rm act}^m` regions that contain a global minimum.

    A region contains one iff the atoms it holds include a vertex :math:`V` of
    :math:`\mathcal Q^*`. With :math:`h_a` the signed patterns holding atom :math:`a` (disjoint
    sets), inclusion–exclusion over the vertices and then over their atoms gives

    .. math:: \Pr=\sum_{\emptyset\ne\mathcal V}(-1)^{|\mathcal V|+1}\sum_{J\subseteq\cup\mathcal V}
              (-1)^{|J|}\Big(1-\tfrac{\sum_{a\in J}|h_a|}{N_{\rm act}}\Big)^m .

    For one vertex of :math:`k` atoms each held by :math:`N_{\rm act}/(\dots)` patterns this is the
    coverage formula of Thm 2.5's proof; for orthogonal data it is Prop 3.3.

    Parameters
    ----------
    landscape : RegionLandscape or Dataset
    m : int

    Raises
    ------
    ResourceLimitError
        With more than 20 vertices or 20 atoms in their union (2^20 terms).

    Examples
    --------
    >>> containment_fraction(Dataset([[1, 0], [0, 1]], [1, -1], "1/2"), 3)
    Fraction(9, 32)
    """
    L = _landscape(landscape, None) if isinstance(landscape, Dataset) else landscape
    N = L.n_act
    if any(len(V) == 0 for V in L.vertices):
        return Fraction(1)
    if len(L.vertices) > 20:
        raise ResourceLimitError(f"{len(L.vertices)} vertices: inclusion-exclusion over 2^{len(L.vertices)} terms")
    total = Fraction(0)
    for r in range(1, len(L.vertices) + 1):
        for group in combinations(L.vertices, r):
            U = sorted(set().union(*group))
            if len(U) > 20:
                raise ResourceLimitError(f"{len(U)} atoms: inclusion-exclusion over 2^{len(U)} terms")
            inner = Fraction(0)
            for k in range(len(U) + 1):
                for J in combinations(U, k):
                    held = len(frozenset().union(*(L.holders[a] for a in J)))
                    inner += (-1) ** k * Fraction(N - held, N) ** m
            total += (-1) ** (r + 1) * inner
    return total


def surjections(m, k):
    r"""The number of maps from :math:`m` ordered neurons onto a set of :math:`k` signed patterns,
    :math:`\sum_{i\le k}(-1)^i\binom ki(k-i)^m`.

    Examples
    --------
    >>> surjections(3, 2), sum(comb(4, k) * surjections(3, k) for k in range(1, 4)) == 4**3
    (6, True)
    """
    return sum((-1) ** i * comb(k, i) * (k - i) ** m for i in range(k + 1))


def sufficient_width(n_act, k, eps):
    r"""The sufficiency scale of Thm 2.5's proof: :math:`\lceil N_{\rm act}\log(k/\varepsilon)\rceil`.

    With :math:`k` signed patterns in a global minimizer, a fraction :math:`\ge1-\varepsilon` of
    the regions of width :math:`m\ge N_{\rm act}\log(k/\varepsilon)` holds them all
    (:math:`\Pr[\text{missing}]\le ke^{-m/N_{\rm act}}`). The ceiling is exact: the logarithm
    of a rational :math:`k/\varepsilon>1` is transcendental, so rigorous balls
    (:func:`exact.balls.decide_sign`) place :math:`N_{\rm act}\log(k/\varepsilon)` strictly
    between two integers.

    Examples
    --------
    >>> sufficient_width(8, 2, Fraction(1, 10))   # 8 log 20 = 23.966...
    24
    """
    from flint import arb, fmpq

    from .balls import decide_sign

    eps = as_rational(eps, "eps")
    if not 0 < eps < 1:
        raise InvalidDataError(f"eps = {eps} must be in (0, 1)")
    if not k:
        return 1  # the zero network: every region
    if not n_act:
        return 0
    q = Fraction(k) / eps

    def scale():
        return arb(n_act) * arb(fmpq(q.numerator, q.denominator)).log()

    m = floor(lower(scale()))  # m < scale (it is irrational)
    while decide_sign(lambda: scale() - (m + 1)) > 0:
        m += 1
    return m + 1


def crossing_width(landscape, eps, *, max_width=10**6):
    r"""The least width :math:`m_\varepsilon` at which the exact fraction of regions containing a
    global minimum (:func:`containment_fraction`) reaches :math:`1-\varepsilon`.

    The fraction is non-decreasing in :math:`m` (a region of width :math:`m+1` draws one more
    neuron, and holding a vertex is preserved), so doubling then bisection finds
    :math:`m_\varepsilon` with :math:`O(\log m_\varepsilon)` exact evaluations. The proof of
    Thm 2.5 gives :math:`m_\varepsilon\le N_{\rm act}\log(k/\varepsilon)` (:func:`sufficient_width`)
    and, for a unique vertex whose atoms are held by at most :math:`h` signed patterns,
    :math:`m_\varepsilon\ge\log(1/\varepsilon)/(-\log(1-h/N_{\rm act}))`; for orthogonal data with
    one-signed labels this is Cor 3.4, :math:`\approx2^{n+1}\log(1/\varepsilon)` (necessity).

    Parameters
    ----------
    landscape : RegionLandscape or Dataset
    eps : rational in (0, 1)
    max_width : int
        Give up beyond this width.

    Raises
    ------
    InvalidDataError
        If ``eps`` is not in (0, 1).
    ResourceLimitError
        If the fraction stays below :math:`1-\varepsilon` up to ``max_width`` (below
        :math:`m^*` no region reaches :math:`p^*`; :math:`m^*\le n+1` otherwise).

    Examples
    --------
    Three orthonormal rows, one-signed labels: :math:`1-(1-2^{-4})^m\ge\tfrac9{10}` from
    :math:`m=36` (Cor 3.4).

    >>> crossing_width(Dataset([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 1, 1], "1/2"), Fraction(1, 10))
    36
    >>> crossing_width(Dataset([[1, 0], [0, 1]], [1, 1], "1/2"), 1)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: eps = 1 must be in (0, 1)
    """
    L = _landscape(landscape, None) if isinstance(landscape, Dataset) else landscape
    eps = as_rational(eps, "eps")
    if not 0 < eps < 1:
        raise InvalidDataError(f"eps = {eps} must be in (0, 1)")

    def reached(m):
        return containment_fraction(L, m) >= 1 - eps

    hi = 1
    while not reached(hi):
        if hi >= max_width:
            raise ResourceLimitError(f"the fraction stays below 1 - eps = {1 - eps} up to m = {max_width}")
        hi = min(2 * hi, max_width)
    lo = hi // 2  # not reached (or 0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if reached(mid) else (mid, hi)
    return hi


def theory_curve(landscape, widths, eps):
    r"""The theory beside a census curve: exact fractions, the crossing width and the scale.

    Parameters
    ----------
    landscape : RegionLandscape or Dataset
    widths : iterable of int
        Where to evaluate :func:`containment_fraction` (the exact inclusion–exclusion curve).
    eps : rational in (0, 1)

    Returns
    -------
    dict
        ``theory`` (list of ``(m, Fraction)``), ``k`` (the fewest atoms of a vertex of
        :math:`\mathcal Q^*`, :math:`\le n+1`), ``crossing`` (:func:`crossing_width`), ``scale``
        (:func:`sufficient_width` with that :math:`k`) and ``paper_scale``
        (:math:`\lceil N_{\rm act}\log((n+1)/\varepsilon)\rceil`, Thm 2.5 with :math:`k=n+1`).

    Examples
    --------
    >>> t = theory_curve(Dataset([[1, 0], [0, 1]], [1, -1], "1/2"), [1, 2], Fraction(1, 10))
    >>> t["theory"], t["k"], t["crossing"], t["scale"], t["paper_scale"]
    ([(1, Fraction(0, 1)), (2, Fraction(1, 8))], 2, 11, 24, 28)
    """
    L = _landscape(landscape, None) if isinstance(landscape, Dataset) else landscape
    k = min((len(V) for V in L.vertices), default=0)
    return {
        "theory": [(m, containment_fraction(L, m)) for m in widths],
        "k": k,
        "crossing": crossing_width(L, eps),
        "scale": sufficient_width(L.n_act, k, eps),
        "paper_scale": sufficient_width(L.n_act, L.data.n + 1, eps),
    }


# ---------------------------------------------------------------------------------------------
# decisions per set of signed patterns


@dataclass(frozen=True)
class _SetDecision:
    """``contains`` (atoms route), ``true_spurious`` (None: undecided), why, and a minimizer
    network with one neuron per block when a spurious local minimum was found exactly."""

    contains: bool
    true_spurious: object
    reason: str
    minimizer: object = None


def _landscape(data, landscape):
    if landscape is not None:
        if not isinstance(landscape, RegionLandscape):
            raise InvalidDataError("landscape must come from region_landscape(data)")
        if isinstance(data, Dataset) and data != landscape.data:
            raise InvalidDataError("landscape was built for other data")
        return landscape
    return RegionLandscape(data)


def _sampler(seed, m):
    """The region sampler of width ``m``: ``random.Random`` seeded by the string ``"seed/m"``."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidDataError(f"seed = {seed!r} must be an integer")
    return random.Random(f"{seed}/{m}")


def _count(L, indices, undecided):
    dec = L.decide(indices)
    if dec.true_spurious is None:
        if undecided == "raise":
            raise UndecidedError(f"set {sorted(set(indices))}: {dec.reason}")
        return int(dec.contains), 0, 1
    return int(dec.contains), int(dec.true_spurious), 0


def _decide(L, S):
    """Contains (atoms), then the true-spurious decision: dead blocks, screen, then exact."""
    if L.contains(S):
        return _SetDecision(True, False, "CP(A) = p*: a vertex of the optimal polytope is held (T4.3)")
    blocks = [L.signed[i] for i in sorted(S)]
    dead = [b for b in blocks if not any(b.D)]
    live = [b for b in blocks if any(b.D)]
    if not live:
        return _SetDecision(False, False, "every neuron is dead: the zero network, a saddle (nu = y not in D)")
    if dead:
        return _SetDecision(False, False, f"the neuron on the empty pattern {dead[0]} is zero at every minimizer: a saddle")
    try:
        screen = L.screen(S)
    except ReluscapeError:  # the float solver failed: the screen is only a shortcut
        screen = {"loose": None}
    if screen["loose"] is not None:
        reason = f"block {screen['loose']} is not tight at nu_A (rigorous ball): a zero neuron at every minimizer, a saddle"
        return _SetDecision(False, False, reason)
    try:
        verdict, reason, net = _exact_minimizers(L, live)
    except ReluscapeError as err:  # open ball comparison, or no float proposal for the exact solve
        return _SetDecision(False, None, f"{type(err).__name__}: {err}")
    return _SetDecision(False, verdict, reason, net)


def _bracket(L, S):
    r"""A rigorous enclosure of :math:`\mathrm{CP}(A)`, and a dual point for certificates."""
    live = [L.signed[i] for i in sorted(S) if any(L.signed[i].D)]
    if L.contains(S):
        return L.optimum_interval, None
    if not live:
        v = sq_norm(L.data.y) / 2
        return (v, v), (tuple(L.data.y), (), ())
    screen = L.screen(S)
    return screen["interval"], screen["dual"]


def _screen(L, live):
    r"""Float solve of CP, then a rigorous bracket and a ball around :math:`\nu_A`; a block whose
    dual bound stays below :math:`\beta` over the ball is ``loose`` (not tight).

    Every bound is exact: a block's :math:`\|\Pi_K(g)\|` is bounded above by
    :math:`\|g+A^\top\lambda\|` for any rational :math:`\lambda\ge0` (here the rounded float
    multipliers, or :math:`\lambda=0`), and the primal blocks are put exactly into their cones."""
    import numpy as np

    from .numeric.convex import cone_projection
    from .numeric.socp import solve_socp

    data = L.data
    X, y, beta = data.X, list(data.y), data.beta
    n = data.n
    Xf = np.array([[float(a) for a in r] for r in X])
    sol = solve_socp(Xf, [float(v) for v in y], float(beta), np.array([b.D for b in live]), signs=[b.sign for b in live])
    nu_q = [Fraction(float(v)).limit_denominator(10**12) for v in sol.nu]
    nuf = np.array([float(v) for v in nu_q])
    lams, bounds = [], []
    for b in live:
        g = _g(X, b, nu_q)
        if sq_norm(g) <= beta**2:
            lam = (Fraction(0),) * n
        else:
            gf = b.sign * ((np.array(b.D, dtype=float) * nuf) @ Xf)
            _, lamf = cone_projection(Xf, b.D, gf)
            lam = tuple(max(Fraction(float(v)).limit_denominator(10**12), Fraction(0)) for v in lamf)
        lams.append(lam)
        bounds.append(sq_norm(_plus_At(g, _cone(X, b.D), lam)))
    worst = max(bounds)
    t = Fraction(1)
    if worst > beta**2:
        t = lower(ball(beta**2 / worst).sqrt()) * (1 - Fraction(1, 10**15))
        while t * t * worst > beta**2:
            t *= 1 - Fraction(1, 10**12)
    nu_c = [t * v for v in nu_q]
    low = sum(a * b for a, b in zip(nu_c, y)) - sq_norm(nu_c) / 2
    fit, pen = [Fraction(0)] * n, ball(0)
    for i, b in enumerate(live):
        U = sol.U if b.sign > 0 else sol.V
        u = [Fraction(float(c)).limit_denominator(10**12) for c in U[i]]
        A = _cone(X, b.D)
        if any(_dot(row, u) < 0 for row in A):
            u = list(project(A, u).point)
        for k in range(n):
            if b.D[k]:
                fit[k] += b.sign * _dot(X[k], u)
        pen += ball(sq_norm(u)).sqrt()
    high = upper(ball(sq_norm([f - v for f, v in zip(fit, y)]) / 2) + ball(beta) * pen)
    radius = ball(max(2 * (high - low), Fraction(0))).sqrt()
    loose = None
    for b, bound in zip(live, bounds):
        lip = ball(sum((sq_norm(X[k]) for k in range(n) if b.D[k]), Fraction(0))).sqrt()
        if upper(ball(t * t * bound).sqrt() + lip * radius) < beta:
            loose = b
            break
    lams = [tuple(t * v for v in lam) for lam in lams]
    return {"interval": (low, high), "loose": loose, "dual": (tuple(nu_c), tuple(lams), tuple(b.index for b in live))}


def _plus_At(g, A, lam):
    """``g + A^T lam``, exactly."""
    return [gc + sum((lv * row[c] for lv, row in zip(lam, A) if lv), Fraction(0)) for c, gc in enumerate(g)]


def _exact_minimizers(L, live):
    """Solve CP(A) exactly; decide tight / all-positive weights / stable (module docstring).

    Returns ``(true_spurious, reason, network or None)``; the network is a minimizer with one
    neuron per block (all non-zero when a spurious local minimum exists)."""
    from .optimum import optimal_set

    data = L.data
    X, beta = data.X, data.beta
    opt = optimal_set(data, patterns=L.patterns, blocks=[(b.D, b.sign) for b in live])
    if opt.kind == "bracket":
        raise UndecidedError(f"CP(A) only bracketed ({opt.proof_reason})")
    nu = _field_vector(opt.nu)
    if nu is None:  # not rational or multiquadratic: the atoms were proved with kappa > 0 in a box
        return _ball_minimizers(L, live, opt)
    projs = {b.index: _project_field(X, b, nu) for b in live}
    for b in live:
        if _sgn(projs[b.index].sq_norm - beta**2) < 0:
            return False, f"block {b} is not tight at nu_A: a zero neuron at every minimizer, a saddle", None
    weights = _positive_weights(L, live, opt, projs, nu)
    if weights is None:
        return False, "every minimizer has a zero neuron (no all-positive weights): a saddle", None
    for b in live:
        bad = _unstable_region(L, b, nu, projs[b.index].point)
        if bad is not None:
            return False, f"block {b} is unstable: its adjacent region {bad} has ||Pi|| > beta (first-order escape)", None
    net = _network(live, projs, weights) if weights else None
    return True, "every block tight and stable, all weights positive: a spurious local minimum (Lemma 2.4)", net


def _ball_minimizers(L, live, opt):
    """Irrational CP(A) known by a box: atoms with kappa > 0 proved, independent columns."""
    X = L.data.X
    member = {(b.D, b.sign) for a in opt.atoms for b in a.blocks}
    for b in live:
        if (b.D, b.sign) not in member:
            return False, f"block {b} carries no atom of CP(A): a zero neuron at every minimizer, a saddle", None
    from .optimality import Block, BlockMatrices

    nu = list(opt.nu)

    faces = {(b.D, b.sign): b.face for a in opt.atoms for b in a.blocks}
    for b in live:
        face = faces[(b.D, b.sign)]
        for sp in L.signed:
            if sp.sign != b.sign or any(sp.D[k] != b.D[k] for k in range(L.data.n) if k not in face):
                continue
            bm = BlockMatrices(X, Block(sp.D, sp.sign, tuple(face)))
            if len(bm.basis) < len(face):
                raise UndecidedError(f"block {b}: dependent kink rows at an irrational optimum")
            signs = [_rigorous_sign(v) for v in bm.face_multipliers(nu)]
            if any(s < 0 for s in signs):
                return False, f"block {b} is unstable: its adjacent region {sp} has ||Pi|| > beta (first-order escape)", None
    return True, "every block tight and stable (ball arithmetic), all weights positive: a spurious local minimum", None


def _positive_weights(L, live, opt, projs, nu):
    r"""Weights :math:`\gamma_b>0` on every block with :math:`\sum\gamma_b\,\mathrm{col}_b=y-\nu_A`:
    a dict (empty when they exist but are not in a multiquadratic field), or None."""
    if opt.kind != "rational":  # independent atoms, kappa > 0 proved: split each atom's weight
        member = {(b.D, b.sign): a for a in opt.atoms for b in a.blocks}
        if any((b.D, b.sign) not in member for b in live):
            return None
        out = {}
        for b in live:
            atom = member[(b.D, b.sign)]
            share = sum(1 for c in live if member[(c.D, c.sign)] is atom)
            try:
                out[b.index] = _field_element(atom.kappa) / share
            except InvalidDataError:
                return {}
        return out
    from .lp import solve_lp

    X, y = L.data.X, L.data.y
    cols = [[b.sign * _dot(X[k], projs[b.index].point) if b.D[k] else Fraction(0) for k in range(L.data.n)] for b in live]
    k = len(live)
    A_eq = [[col[t] for col in cols] + [0] for t in range(L.data.n)]
    b_eq = [yk - v for yk, v in zip(y, nu)]
    A_ub = [[-int(i == j) for j in range(k)] + [1] for i in range(k)] + [[0] * k + [1]]
    res = solve_lp([0] * k + [-1], A_ub=A_ub, b_ub=[0] * k + [1], A_eq=A_eq, b_eq=b_eq)
    if res.status != "optimal" or res.x[-1] <= 0:
        return None
    return {b.index: res.x[i] for i, b in enumerate(live)}


def _unstable_region(L, b, nu, point):
    """An adjacent region (same sign) of the direction ``point`` violating the dual bound, or None."""
    X, beta = L.data.X, L.data.beta
    t = [_dot(x, point) for x in X]
    for sp in L.signed:
        if sp.sign != b.sign or sp.index == b.index:
            continue
        if any(_sgn(v) != 0 and (_sgn(v) > 0) != (s > 0) for v, s in zip(t, sp.signs)):
            continue
        if _sgn(_project_field(X, sp, nu).sq_norm - beta**2) > 0:
            return sp
    return None


def _network(live, projs, weights):
    """One neuron per block: :math:`u_b=\\gamma_bz_b`, balanced (exact, multiquadratic)."""
    from .stationary import Network

    return Network.from_blocks([(b.sign, tuple(weights[b.index] * c for c in projs[b.index].point)) for b in live])


def _cone_program_contains(L, indices):
    """CP(A) by the restricted solve, compared with p* exactly or by intervals."""
    from .optimum import optimal_set

    live = [L.signed[i] for i in indices if any(L.signed[i].D)]
    if live:
        opt = optimal_set(L.data, patterns=L.patterns, blocks=[(b.D, b.sign) for b in live])
        kind, value, (lo, hi) = opt.kind, opt.value, opt.value_interval
    else:
        kind = "rational"
        value = lo = hi = sq_norm(L.data.y) / 2
    p = L.optimum
    if kind in ("rational", "algebraic") and p.kind in ("rational", "algebraic"):
        return value, _exact_equal(value, p.value)
    p_lo, p_hi = p.value_interval
    if lo > p_hi:
        return value, False
    raise UndecidedError(f"CP(A) in [{float(lo):.6g}, {float(hi):.6g}] and p* in [{float(p_lo):.6g}, {float(p_hi):.6g}] overlap")


# ---------------------------------------------------------------------------------------------
# certificates


def _certificate(L, idx, dec, dual):
    """``reluscape/region/1`` (see :mod:`exact.checker`), or None when the region contains a
    global minimum that has no exact network (an optimum known only by an enclosure: the checker
    needs the minimizer itself). The optional ``spurious`` part is left out likewise, and when
    its square roots exceed what the checker accepts (radicands above :math:`10^9`)."""
    from .certificates import number, numbers
    from .stationary import global_minimum, local_minimum

    data = L.data
    cert = {
        "schema": "reluscape/region/1",
        "X": [numbers(r) for r in data.X],
        "y": numbers(data.y),
        "beta": number(data.beta),
        "region": [{"signs": _sign_text(L.signed[i].signs), "sign": L.signed[i].sign} for i in idx],
        "contains_global": dec.contains,
    }
    if dec.contains:
        net = _global_network(L, idx)
        if net is None:
            return None
        cert["optimum"] = global_minimum(data, net, patterns=L.patterns).certificate()
        return cert
    nu, lams, order = dual
    lam_of = dict(zip(order, lams))
    cert["gap"] = {
        "nu": numbers(nu),
        "lambda": [numbers(lam_of[i]) if i in lam_of else numbers([0] * data.n) for i in idx],
        "primal": _optimum_primal(L),
    }
    if dec.minimizer is not None:
        net = _spread(dec.minimizer, idx, L)
        res = local_minimum(data, net)
        if res.holds:
            part = res.certificate()
            if _within_checker(part):
                cert["spurious"] = part
    return cert


def _within_checker(obj):
    """Whether every square root in a certificate has a radicand the checker accepts
    (a number object ``{"m": "p/q", ...}`` needs squarefree keys ``m <= 10^9``)."""
    if isinstance(obj, dict):
        return all(not (k.isdigit() and int(k) > 10**9) and _within_checker(v) for k, v in obj.items())
    if isinstance(obj, list):
        return all(_within_checker(v) for v in obj)
    return True


def _global_network(L, idx):
    """A global minimizer inside the closed region: the atoms of a held vertex on the neurons."""
    from .stationary import Network, Neuron

    opt, d = L.optimum, L.data.d
    zero = Neuron(0, Fraction(0), (Fraction(0),) * d)
    for V, (support, weights) in zip(L.vertices, L.polytope.vertices):
        place = {}
        for a in V:
            j = next((j for j, i in enumerate(idx) if i in L.holders[a] and j not in place.values()), None)
            if j is None:
                break
            place[a] = j
        else:
            neurons = [zero] * len(idx)
            if opt.kind == "rational":
                for a, g in zip(support, weights):
                    atom = L.polytope.atoms[a]
                    neurons[place[a]] = Neuron(atom.sign, g, tuple(g * c for c in atom.direction))
                return Network(tuple(neurons))
            if opt.kind != "algebraic":
                return None
            try:
                blocks = [(opt.atoms[a].blocks[0].sign, tuple(opt.atoms[a].kappa * c for c in opt.atoms[a].z)) for a in V]
                built = Network.from_blocks(blocks)
            except InvalidDataError:
                return None
            for a, nr in zip(V, built.neurons):
                neurons[place[a]] = nr
            return Network(tuple(neurons))
    return None


def _spread(net, idx, L):
    """The width-m network of a region: each block's neuron split evenly over its neurons."""
    from .stationary import Network, Neuron

    order = sorted(set(i for i in idx if any(L.signed[i].D)))
    by_block = dict(zip(order, net.neurons))
    mult = {i: idx.count(i) for i in order}
    d = L.data.d
    out = []
    for i in idx:
        if i not in by_block:
            out.append(Neuron(0, Fraction(0), (Fraction(0),) * d))
            continue
        nr = by_block[i]
        c = Fraction(1, mult[i])
        out.append(Neuron(nr.sign, nr.a2 * c, tuple(v * c for v in nr.u)))
    return Network(tuple(out))


def _optimum_primal(L):
    r"""Rational blocks :math:`(s,u)` whose network value bounds :math:`p^*` from above."""
    from .certificates import numbers

    out = []
    for blk in L.optimum.primal:
        u = [c if isinstance(c, Fraction) else _rational_near(c) for c in blk.u]
        out.append({"sign": blk.sign, "u": numbers(u)})
    return out


# ---------------------------------------------------------------------------------------------
# small exact helpers


def _cone(X, D):
    return [[a if dk else -a for a in x] for x, dk in zip(X, D)]


def _g(X, b, nu):
    return [b.sign * sum((X[k][c] * nu[k] for k in range(len(X)) if b.D[k]), Fraction(0)) for c in range(len(X[0]))]


def _project_field(X, b, nu):
    from .cone_faces import project_exact

    return project_exact(_cone(X, b.D), _g(X, b, nu))


def _dot(u, v):
    return sum((a * b for a, b in zip(u, v)), Fraction(0))


def _sgn(v):
    from .multiquadratic import sign

    return sign(v)


def _field_vector(v):
    """``v`` as Fractions or multiquadratic numbers, or None (balls, nested radicals, roots)."""
    from .multiquadratic import field_element

    try:
        return [field_element(c) for c in v]
    except (InvalidDataError, TypeError):
        return None


def _field_element(v):
    from .multiquadratic import field_element

    return field_element(v)


def _rigorous_sign(v):
    """The sign of an exact number, a sympy number (:func:`~exact.multiquadratic.sign_of`) or a
    ball (which must exclude 0 unless it is an exact 0)."""
    from .multiquadratic import sign_of

    if is_ball(v):
        if lower(v) > 0:
            return 1
        if upper(v) < 0:
            return -1
        if lower(v) == upper(v) == 0:  # an exact 0 (a form that vanishes identically)
            return 0
        raise UndecidedError(f"the sign of {v} is not decided by its enclosure")
    if isinstance(v, (int, Fraction)):
        return _sgn(v)
    return sign_of(v)


def _rational_near(c):
    from .multiquadratic import approximate

    return approximate(c, 160) if not is_ball(c) else (lower(c) + upper(c)) / 2


def _exact_equal(a, b):
    import sympy

    from .multiquadratic import sign_of

    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    diff = sympy.sympify(_sym(a)) - sympy.sympify(_sym(b))
    return sign_of(diff) == 0


def _sym(v):
    import sympy

    return sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v


def _sign_text(signs):
    return "".join("+" if s > 0 else "-" if s < 0 else "0" for s in signs)
