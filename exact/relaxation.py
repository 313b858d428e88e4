r"""The Kim–Pilanci sampled relaxation, certified on small instances.

For data :math:`(X,y,\beta)` let :math:`p^*` be the optimum of the convex problem (C) over all
activation patterns (``math/convex_duality.md`` D3.1) and, for a set :math:`\mathcal S` of
patterns, :math:`\tilde p^*=p^*_{\mathcal S}` the optimum of the *restricted* problem
:math:`C_{\mathcal S}` (D6.1): the same objective with blocks :math:`(D_s,\pm)` for
:math:`s\in\mathcal S` only. [KP] sample :math:`\mathcal S=\{\mathbb 1[Xh_i>0]\}` with Gaussian
gates :math:`h_i\sim\mathcal N(0,I_d)` (``math/benignity_and_relaxation.md`` §5).

What holds by theory, and is asserted here:

* **restriction bound** :math:`p^*\le\tilde p^*`: a point of :math:`C_{\mathcal S}` is a point of (C);
* **monotonicity** :math:`\mathcal S\subseteq\mathcal S'\Rightarrow p^*_{\mathcal S'}\le p^*_{\mathcal S}`;
* **exactness on an optimal support**: if every atom of an optimum of (C) (T4.3, D4.4) has a
  pattern in :math:`\mathcal S`, then :math:`\tilde p^*=p^*` exactly (the optimal blocks are
  blocks of :math:`C_{\mathcal S}`, and :math:`\nu^*`, feasible on every block, is feasible on
  those of :math:`C_{\mathcal S}`: zero duality gap).

What [KP] state (secondary, unconfirmed: :math:`\tilde p^*\le C\sqrt{\log 2n}\,p^*` for Gaussian
data with :math:`|\mathcal S|` of order :math:`\max(m^*,\log n)`) is *measured* by
:func:`gap_experiment`, never asserted.

Both values are certified by :func:`exact.optimum.optimal_set`: :math:`p^*` on the complete
list of regions, :math:`\tilde p^*` on the sample (the restricted problem's dual feasibility is
then checked on the sampled blocks only, which is exactly :math:`C_{\mathcal S}`'s dual). The
ratio is the interval :math:`[\underline{\tilde p}/\overline{p},\ \overline{\tilde p}/\underline{p}]`
of the two rigorous enclosures. The global optimum's certificate (``reluscape/optimum/2``) is
re-verified by :mod:`exact.checker`; the restricted one has no checker schema yet (its
``certificate()`` claims a complete pattern list, which the checker rejects).

Sampled regions are exact: each Gaussian gate is rounded to an integer vector :math:`h`
(:func:`exact.numeric.relaxation.integer_gates`), the signs :math:`\operatorname{sign}(x_k^\top h)`
are computed in integers, and :math:`h` is the region's witness; a gate on a hyperplane is
dropped.
"""

import math
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .arrangement import PatternSet, cover_count, enumerate_patterns, integer_rows
from .data import Dataset, as_rational, rational_matrix
from .errors import InvalidDataError, ResourceLimitError
from .integer_matrices import as_int_array, product_signs
from .optimum import optimal_set

__all__ = [
    "RelaxationGap",
    "gaussian_dataset",
    "sample_regions",
    "select_patterns",
    "contains_optimal_support",
    "relaxation_gap",
    "relaxation_curve",
    "gates_for",
    "dimension_for",
    "gap_experiment",
    "EXPERIMENT_DEFAULTS",
]

#: Parameters of :func:`gap_experiment` that an item may omit.
EXPERIMENT_DEFAULTS = {
    "labels": "gaussian",
    "tau": "1/5",
    "denominator": 1000,
    "exact_max_n": 16,
    "max_patterns": 20_000,
    "reference_gates": 4000,
    "gd_runs": 16,
    "gd_width": None,
    "gd_steps": 5000,
    "gd_alpha": 0.01,
}


@dataclass(frozen=True)
class RelaxationGap:
    r"""The certified optima :math:`p^*` and :math:`\tilde p^*` of one sample, and their ratio.

    Attributes
    ----------
    data : Dataset
    sample : PatternSet
        The sampled regions :math:`\mathcal S` (exact witnesses).
    total : int
        :math:`P`, the number of regions of ``data.X``.
    optimum : OptimalSet
        The certified optimum of (C): :math:`p^*`.
    restricted : OptimalSet
        The certified optimum of :math:`C_{\mathcal S}`: :math:`\tilde p^*`.
    support_contained : bool
        Whether every atom of ``optimum`` has a pattern in the sample (then
        :math:`\tilde p^*=p^*` exactly). ``False`` when the optimum is only bracketed (its atoms
        are unknown).
    """

    data: Dataset
    sample: PatternSet
    total: int
    optimum: object
    restricted: object
    support_contained: bool

    @property
    def p_star(self):
        """A rigorous enclosure ``(lo, hi)`` of :math:`p^*` (Fractions; a point when :math:`p^*` is rational)."""
        return _interval(self.optimum)

    @property
    def p_tilde(self):
        r"""A rigorous enclosure ``(lo, hi)`` of :math:`\tilde p^*` (Fractions).

        With an optimal support in the sample, both enclosures hold the same number, so their
        intersection is returned.
        """
        lo, hi = _interval(self.restricted)
        if self.support_contained:
            plo, phi = self.p_star
            return max(lo, plo), min(hi, phi)
        return lo, hi

    @property
    def ratio(self):
        r"""An enclosure of :math:`\tilde p^*/p^*`: exactly ``(1, 1)`` on an optimal support."""
        if self.support_contained:
            return Fraction(1), Fraction(1)
        (tlo, thi), (plo, phi) = self.p_tilde, self.p_star
        return tlo / phi, thi / plo

    @property
    def consistent(self):
        r"""Whether the enclosures agree with :math:`p^*\le\tilde p^*` (``hi(p~) >= lo(p*)``)."""
        (tlo, thi), (plo, phi) = _interval(self.restricted), self.p_star
        return thi >= plo and (not self.support_contained or tlo <= phi)

    @property
    def gap_proved(self):
        r"""Whether :math:`\tilde p^*>p^*` is proved (the enclosures are disjoint)."""
        return self.p_tilde[0] > self.p_star[1]


def gaussian_dataset(n, d, *, seed=0, labels="gaussian", tau=Fraction(1, 5), denominator=1000, patterns=None, reference_gates=4000):
    r"""A rationalized Gaussian instance with :math:`\beta=\tau\,\beta_{\max}`.

    :math:`X` and :math:`y` are drawn by :func:`exact.numeric.relaxation.gaussian_instance` and
    every entry is replaced by the nearest fraction with denominator at most ``denominator``
    (:meth:`Dataset.from_floats`). :math:`\beta_{\max}=\max_{s,\pm}\|\Pi_{K_s}(\pm X^\top D_sy)\|`
    is computed in floats over ``patterns`` (all regions, when given) or over the regions of
    ``reference_gates`` Gaussian gates (a lower estimate), rationalized the same way, and
    multiplied by :math:`\tau`; so :math:`\beta` is an exact rational and :math:`\tau<1` keeps
    the zero network from being optimal (T4.6) up to the float estimate.

    Parameters
    ----------
    n, d : int
    seed : int
    labels : {"gaussian", "teacher"}
    tau : rational, 0 < tau
    denominator : int
    patterns : PatternSet, optional
        All regions of the rationalized ``X``.
    reference_gates : int

    Returns
    -------
    Dataset

    Raises
    ------
    InvalidDataError
        On a bad ``n``, ``d``, ``labels``, ``tau`` or ``denominator``.

    Examples
    --------
    >>> data = gaussian_dataset(6, 2, seed=1)
    >>> data.n, data.d, max(a.denominator for row in data.X for a in row) <= 1000
    (6, 2, True)
    >>> gaussian_dataset(6, 2, tau=0)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: tau = 0 must be > 0
    """
    from .numeric.relaxation import beta_max, gate_patterns, gaussian_gates

    tau = as_rational(tau, "tau")
    if tau <= 0:
        raise InvalidDataError(f"tau = {tau} must be > 0")
    base = _rational_instance(n, d, seed, labels, denominator)
    if patterns is not None:
        D = patterns.D
    else:
        D = gate_patterns(base, gaussian_gates(d, reference_gates, seed=seed))
    bmax = Dataset.from_floats(base.X, base.y, beta_max(base, None, D), limit_denominator=denominator).beta
    return base.with_beta(tau * bmax)


def sample_regions(X, samples, *, seed=0, bits=24):
    r"""The regions hit by ``samples`` Gaussian gates, with the gates as exact witnesses.

    Gate :math:`i` is :math:`h_i=\operatorname{round}(2^{\text{bits}}g_i)` for the Gaussian draws
    :math:`g_i` of :func:`exact.numeric.relaxation.gaussian_gates` (stream ``seed``); its region
    is the strict sign vector :math:`\operatorname{sign}(Xh_i)`, computed exactly. Gates on a
    hyperplane (a zero sign on a non-zero row) are dropped. The first ``k`` gates of a larger
    sample are those of a smaller one: samples of increasing size are nested.

    Parameters
    ----------
    X : n x d exact data (or a Dataset)
    samples : int
        The number of gates :math:`\tilde P`.
    seed : int
    bits : int
        Gates are integers of about ``bits + 2`` bits.

    Returns
    -------
    PatternSet
        The distinct regions (method ``"gaussian"``); every witness checked exactly.

    Raises
    ------
    InvalidDataError
        On bad data, ``samples < 1`` or ``bits`` out of 1..52.

    Examples
    --------
    >>> S = sample_regions([[1, 0], [0, 1], [1, 1]], 200)
    >>> len(S), S.method, S.verify()
    (6, 'gaussian', True)
    >>> sample_regions([[1, 0]], 0)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: samples = 0 must be an integer >= 1
    """
    from .numeric.relaxation import integer_gates

    Xq = X.X if isinstance(X, Dataset) else rational_matrix(X)
    n, d = len(Xq), len(Xq[0])
    H = as_int_array(integer_gates(d, samples, seed=seed, bits=bits).tolist())
    R = as_int_array(integer_rows(Xq))
    S = product_signs(H, R.T)  # gates x rows, exact
    nonzero = np.array([any(row) for row in Xq], dtype=bool)
    keep = (S[:, nonzero] != 0).all(axis=1)
    S, H = S[keep], H[keep]
    packed = np.packbits(S > 0, axis=1) if len(S) else np.zeros((0, (n + 7) // 8), dtype=np.uint8)
    first = {}
    for i, row in enumerate(packed):
        first.setdefault(row.tobytes(), i)
    order = [first[k] for k in sorted(first)]
    return PatternSet(Xq, packed[order], H[order], "gaussian", complete=False)


def select_patterns(patterns, keep):
    r"""The sub-list of a :class:`PatternSet` given by indices or by 0/1 active sets ``D``.

    Examples
    --------
    >>> from exact import enumerate_patterns
    >>> P = enumerate_patterns([[1, 0], [0, 1]])
    >>> [p.signs for p in select_patterns(P, [(1, 0), 3])]   # P[3] is the last region, D = (1, 1)
    [(1, -1), (1, 1)]
    >>> select_patterns(P, [(1, 1, 1)])
    Traceback (most recent call last):
    ...
    ValueError: signs has 3 entries, expected 2
    """
    idx = sorted({k if isinstance(k, (int, np.integer)) else patterns.index(list(k)) for k in keep})
    complete = patterns.complete and len(idx) == len(patterns)
    return PatternSet(patterns.X, patterns.packed[idx], patterns.witnesses[idx], patterns.method, complete=complete)


def contains_optimal_support(sample, optimum):
    r"""Whether every atom of the optimum of (C) has one of its patterns in ``sample``.

    Then :math:`\tilde p^*=p^*` exactly (module docstring). An optimum known only as a bracket
    has no known atoms: ``False``. The zero optimum (:math:`\beta\ge\beta_{\max}`, no atom) is
    contained in every sample.

    Examples
    --------
    >>> from exact import Dataset, enumerate_patterns
    >>> from exact.optimum import optimal_set
    >>> data = Dataset([[1, 0], [0, 1]], [2, 0], 1)
    >>> P = enumerate_patterns(data.X)
    >>> opt = optimal_set(data, patterns=P)   # one atom, pattern {1}
    >>> contains_optimal_support(select_patterns(P, [(1, 0)]), opt), contains_optimal_support(select_patterns(P, [(0, 1)]), opt)
    (True, False)
    """
    if optimum.kind == "bracket":
        return False
    have = {bytes(row) for row in sample.packed}
    return all(any(np.packbits(np.array(b.D, dtype=np.uint8)).tobytes() in have for b in atom.blocks) for atom in optimum.atoms)


def relaxation_gap(data, sample, *, seed=0, patterns=None, optimum=None):
    r"""Certify :math:`p^*`, :math:`\tilde p^*` and their ratio for one sample.

    Parameters
    ----------
    data : Dataset
    sample : int or PatternSet
        The number of Gaussian gates (drawn by :func:`sample_regions` with ``seed``), or the
        sampled patterns themselves (any sub-list of the regions).
    seed : int
    patterns : PatternSet, optional
        All regions of ``data.X`` (default: enumerated).
    optimum : OptimalSet, optional
        The certified optimum of (C) (default: :func:`~exact.optimum.optimal_set`).

    Returns
    -------
    RelaxationGap

    Raises
    ------
    InvalidDataError
        If ``data`` is not a Dataset, :math:`y=0` (then :math:`p^*=0` and the ratio is
        undefined), or a sampled pattern is not a region of ``data.X``.

    Notes
    -----
    Cost: two certified optima (:func:`~exact.optimum.optimal_set`), one on the sample.

    Examples
    --------
    Orthonormal data (``math/benignity_and_relaxation.md`` Thm 3.1, Prop 3.5), :math:`y=(3,4)`,
    :math:`\beta=1`: :math:`p^*=h_1(5)=\tfrac92`; the sample :math:`\{\{1\}\}` leaves
    :math:`y_2` unfit, :math:`\tilde p^*=h_1(3)+\tfrac12 4^2=\tfrac{21}2`.

    >>> from exact import enumerate_patterns
    >>> data = Dataset([[1, 0], [0, 1]], [3, 4], 1)
    >>> P = enumerate_patterns(data.X)
    >>> gap = relaxation_gap(data, select_patterns(P, [(1, 0)]), patterns=P)
    >>> gap.p_star, gap.p_tilde, gap.ratio
    ((Fraction(9, 2), Fraction(9, 2)), (Fraction(21, 2), Fraction(21, 2)), (Fraction(7, 3), Fraction(7, 3)))
    """
    if not isinstance(data, Dataset):
        raise InvalidDataError("relaxation_gap needs a Dataset (X, y, beta)")
    if not any(data.y):
        raise InvalidDataError("y = 0: p* = 0 and the ratio p~*/p* is undefined")
    pats = enumerate_patterns(data.X) if patterns is None else patterns
    if isinstance(sample, PatternSet):
        if sample.X != data.X:
            raise InvalidDataError("the sample's patterns are of other data than data.X")
    else:
        sample = sample_regions(data.X, sample, seed=seed)
    missing = [i for i, row in enumerate(sample.D) if pats.index(row.tolist(), missing=None) is None]
    if missing:
        raise InvalidDataError(f"sampled pattern {missing[0]} is not a region of data.X")
    opt = _certified(data, pats) if optimum is None else optimum
    restricted = _certified(data, sample)
    return RelaxationGap(data, sample, len(pats), opt, restricted, contains_optimal_support(sample, opt))


def relaxation_curve(data, sizes, *, seed=0, patterns=None, optimum=None):
    r"""Certified gaps for nested Gaussian samples of the given sizes (same ``seed``).

    The samples are nested (:func:`sample_regions`), so by monotonicity the true
    :math:`\tilde p^*` is non-increasing along the list; a size that adds no new region reuses
    the previous restricted optimum.

    Returns
    -------
    list of RelaxationGap, in the order of ``sizes``.

    Examples
    --------
    >>> data = Dataset([[1, 0], [0, 1], [1, 1]], [1, -1, 2], "1/2")
    >>> [len(g.sample) for g in relaxation_curve(data, [1, 50])]
    [1, 6]
    """
    pats = enumerate_patterns(data.X) if patterns is None else patterns
    opt = _certified(data, pats) if optimum is None else optimum
    out, cache = [], {}
    for size in sizes:
        sample = sample_regions(data.X, size, seed=seed)
        key = sample.packed.tobytes()
        if key not in cache:
            cache[key] = relaxation_gap(data, sample, patterns=pats, optimum=opt)
        out.append(cache[key])
    return out


def gates_for(samples, n):
    r"""The number of gates of a sample-size rule at ``n``: an integer, or ``"<k>log"`` for :math:`k\lceil\log 2n\rceil`.

    Examples
    --------
    >>> gates_for(100, 10), gates_for("4log", 10), gates_for("log", 10)
    (100, 12, 3)
    >>> gates_for("4logs", 10)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: samples = '4logs' is neither an integer >= 1 nor '<k>log'
    """
    text = str(samples).strip()
    try:
        if text.endswith("log"):
            k = int(text[:-3]) if text[:-3] else 1
            value = k * math.ceil(math.log(2 * n))
        else:
            value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InvalidDataError(f"samples = {samples!r} is neither an integer >= 1 nor '<k>log'")
    return value


def dimension_for(dims, n):
    r"""The input dimension of a rule at ``n``: an integer, or ``"n/<c>"`` for :math:`\max(1,\lfloor n/c\rfloor)`.

    ``"n/c"`` is [KP]'s assumption (A1), :math:`n/d=c` (secondary).

    Examples
    --------
    >>> dimension_for(2, 40), dimension_for("n/4", 40), dimension_for("n/4", 2)
    (2, 10, 1)
    >>> dimension_for("4/n", 40)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: dims = '4/n' is neither an integer >= 1 nor 'n/<c>'
    """
    text = str(dims).strip()
    try:
        value = max(1, n // int(text[2:])) if text.startswith("n/") else int(text)
    except (ValueError, ZeroDivisionError):
        value = 0
    if value < 1:
        raise InvalidDataError(f"dims = {dims!r} is neither an integer >= 1 nor 'n/<c>'")
    return value


def gap_experiment(item):
    r"""One point of the relaxation-gap experiment: a JSON record (the function :func:`~exact.numeric.sweep.sweep` runs).

    ``item`` is a dict with ``n``, ``dims`` (see :func:`dimension_for`), ``samples`` (see
    :func:`gates_for`) and ``seed``, and optionally the keys of :data:`EXPERIMENT_DEFAULTS`:
    ``labels``, ``tau`` (:math:`\beta=\tau\beta_{\max}`), ``denominator`` (of the rationalized
    data), ``exact_max_n``, ``max_patterns``, ``reference_gates``, and the gradient-descent
    runs ``gd_runs`` (0 for none), ``gd_width`` (default: the number of gates, [KP]'s
    mechanism: :math:`m` random neurons carry :math:`m` Gaussian patterns), ``gd_steps``,
    ``gd_alpha``.

    The instance is :func:`gaussian_dataset` and the sample :func:`sample_regions`. When
    ``n <= exact_max_n`` both optima are certified (route ``"certified"``: exact ``"p/q"``
    strings); otherwise the float brackets of :func:`exact.numeric.relaxation.float_gap` are
    reported (route ``"float"``), with :math:`p^*` over all regions when there are at most
    ``max_patterns`` (Cover's bound) and ``d <= 3``, else over ``reference_gates`` gates plus
    gradient descent.

    Returns
    -------
    dict
        ``n, d, dims, samples, gates, seed, labels, tau, beta`` (exact), ``route``,
        ``patterns`` (P or ``None``), ``sampled`` (distinct sampled regions), ``p_star``,
        ``p_tilde`` and ``ratio`` as ``[lower, upper]``, ``p_star_kind``, ``p_tilde_kind``,
        ``support_contained`` (certified route), ``gd`` (``None`` or ``width, runs, steps,
        alpha``, the final values ``final`` and ``own``, each run's
        :math:`\mathrm{CP}` on its own neurons' patterns, :func:`~exact.numeric.relaxation.own_pattern_values`)
        and ``seconds``.

    Examples
    --------
    >>> rec = gap_experiment({"n": 6, "dims": 2, "samples": 3, "seed": 0, "gd_runs": 0})
    >>> rec["route"], rec["gates"], rec["p_star_kind"] in ("rational", "algebraic", "enclosure", "bracket")
    ('certified', 3, True)
    """
    from .numeric.relaxation import float_gap, gd_runs, own_pattern_values

    t0 = time.perf_counter()
    cfg = {**EXPERIMENT_DEFAULTS, **item}
    n, seed = cfg["n"], cfg["seed"]
    d, gates = dimension_for(cfg["dims"], n), gates_for(cfg["samples"], n)
    certify = n <= cfg["exact_max_n"]
    if certify and cover_count(n, d) > cfg["max_patterns"]:
        raise ResourceLimitError(
            f"n = {n}, d = {d}: up to {cover_count(n, d)} regions to certify, above max_patterns = {cfg['max_patterns']}"
        )
    pats = None
    if certify or (d <= 3 and cover_count(n, d) <= cfg["max_patterns"]):
        pats = enumerate_patterns(_rational_instance(n, d, seed, cfg["labels"], cfg["denominator"]).X)
    data = gaussian_dataset(
        n,
        d,
        seed=seed,
        labels=cfg["labels"],
        tau=cfg["tau"],
        denominator=cfg["denominator"],
        patterns=pats,
        reference_gates=cfg["reference_gates"],
    )
    sample = sample_regions(data.X, gates, seed=seed)
    rec = {
        "n": n, "d": d, "dims": str(cfg["dims"]), "samples": str(cfg["samples"]), "gates": gates, "seed": seed,
        "labels": cfg["labels"], "tau": str(Fraction(cfg["tau"])), "beta": str(data.beta),
        "patterns": None if pats is None else len(pats), "sampled": len(sample),
    }
    if n <= cfg["exact_max_n"]:
        gap = relaxation_gap(data, sample, patterns=pats)
        rec.update(
            route="certified",
            p_star=[_text(v) for v in gap.p_star], p_star_kind=gap.optimum.kind,
            p_tilde=[_text(v) for v in gap.p_tilde], p_tilde_kind=gap.restricted.kind,
            ratio=[_text(v) for v in gap.ratio], support_contained=gap.support_contained,
        )
    else:
        fg = float_gap(
            data, None, None, sample.D, patterns=None if pats is None else pats.D,
            reference_gates=max(cfg["reference_gates"], gates), seed=seed,
        )
        rec.update(
            route="float", p_star=fg["p_star"], p_star_kind=fg["p_star_method"], p_tilde=fg["p_tilde"],
            p_tilde_kind="solver", ratio=fg["ratio"], support_contained=None,
        )
    rec["gd"] = None
    if cfg["gd_runs"]:
        width = cfg["gd_width"] or gates
        res = gd_runs(
            data, None, None, width=width, runs=cfg["gd_runs"], alpha=cfg["gd_alpha"], steps=cfg["gd_steps"], seed=seed
        )
        rec["gd"] = {
            "width": width, "runs": cfg["gd_runs"], "steps": cfg["gd_steps"], "alpha": cfg["gd_alpha"],
            "final": res.losses[:, -1].tolist(), "own": own_pattern_values(data, None, None, res.W).tolist(),
        }
    rec["seconds"] = round(time.perf_counter() - t0, 3)
    return rec


def _certified(data, patterns):
    """:func:`~exact.optimum.optimal_set` on ``patterns``, from the proposal of
    :func:`exact.numeric.relaxation.relaxed_value` (which falls back to the ADMM where
    Clarabel stalls)."""
    from .numeric.relaxation import relaxed_value

    return optimal_set(data, patterns=patterns, proposal=relaxed_value(data, None, None, patterns.D, tol=1e-10))


def _interval(opt):
    """The value interval of an optimum: a point when its exact value is rational (kinds
    ``rational``, or ``algebraic`` with a rational sympy value), else the rigorous enclosure."""
    if opt.kind == "rational":
        return opt.value, opt.value
    if opt.kind == "algebraic" and getattr(opt.value, "is_Rational", False):
        q = Fraction(int(opt.value.p), int(opt.value.q))
        return q, q
    return opt.value_interval


def _rational_instance(n, d, seed, labels, denominator):
    """The Gaussian instance of ``seed`` with entries rationalized (``beta = 1``)."""
    from .numeric.relaxation import gaussian_instance

    X, y = gaussian_instance(n, d, seed=seed, labels=labels)
    return Dataset.from_floats(X, y, 1, limit_denominator=denominator)


def _text(q):
    """An exact number as ``"p/q"``."""
    q = Fraction(q)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"

