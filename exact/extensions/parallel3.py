r"""Parallel three-layer ReLU networks as a cone-constrained group lasso (§9.3 via §9.1).

Model (``math/convex_duality.md`` §9.3; regularizer derived here [R]): :math:`K` branches, each
with :math:`m_1` first-layer neurons,

.. math:: f(X)=\sum_k\Big(\sum_{j\le m_1}(Xw_{1kj})_+w_{2kj}\Big)_+w_{3k},\qquad
          F=\tfrac12\|f(X)-y\|^2+\beta\sum_k|w_{3k}|\Big(\sum_j\|w_{1kj}\|^2w_{2kj}^2\Big)^{1/2},

the *path* regularizer of Ergen–Pilanci (2022), invariant under every rescaling of a branch.
With :math:`v_j=w_{1j}w_{2j}|w_3|`, :math:`\tau_j=\operatorname{sign}w_{2j}`,
:math:`\varepsilon=\operatorname{sign}w_3`, first-layer regions :math:`s_j` and second-layer
pattern :math:`D'=\mathrm{diag}(\mathbb 1[z>0])`, a branch is the block
:math:`b=(D',\{(s_j,\tau_j)\},\varepsilon)` with :math:`z_b=(v_j)_j` and

.. math:: A_bz_b=\varepsilon D'\sum_jD_{s_j}Xv_j,\quad
          C_b=\{\tau_jA_{s_j}v_j\ge0\ \forall j,\ (2D'-I)\textstyle\sum_jD_{s_j}Xv_j\ge0\},\quad
          \text{penalty }\beta\|z_b\|.

Every branch lies in some block (its own patterns, adjacent ones on kinks), a block vector is
one branch (:math:`w_3=\varepsilon`, :math:`w_{2j}=\tau_j`, :math:`w_{1j}=\tau_jv_j`), and
merging branches of one block lowers the penalty (triangle inequality). So
:math:`\min F=p^*` of the group lasso over all blocks once :math:`K` is at least the number of
non-zero blocks, and :mod:`.group_lasso` applies: unique :math:`\nu^*`, optimal polytope over the
tight blocks, critical widths (in branches). With :math:`m_1=1` a branch is a two-layer neuron
(:math:`w_2<0` gives the zero function) and the path penalty is :math:`|w_3w_2|\|w_1\|`, so
:math:`p^*` is the scalar optimum of (C).

**Regularizer: the path regularizer, not plain weight decay.** Everything here is for the
path penalty above. Plain weight decay
:math:`\tfrac\beta2\sum_k(\|W_{1k}\|_F^2+\|w_{2k}\|^2+w_{3k}^2)` is a different problem: a
branch's function is invariant under :math:`w_{1j}\mapsto a_jw_{1j}`,
:math:`w_{2j}\mapsto b_jw_{2j}`, :math:`w_3\mapsto cw_3` with :math:`a_jb_jc=1` (positive
homogeneity of the ReLU), and minimising over these rescalings (AM–GM twice: per neuron
:math:`a_j^2\|w_{1j}\|^2+b_j^2w_{2j}^2\ge2\|w_{1j}\||w_{2j}|/c`, then over :math:`c`) balances it to

.. math:: \tfrac{3\beta}2\sum_kr_k^{2/3},\qquad r_k=|w_{3k}|\sum_j\|w_{1kj}\||w_{2kj}|,

an :math:`\ell_{2/3}` quasi-norm of the branch magnitudes (verified exactly in
``proofs_notebooks/extensions.py``; the objective is convex in the log-scalings). It is concave
in each :math:`r_k` (two half branches cost :math:`2^{1/3}` times one whole branch), not convex,
and not a norm of the block vector :math:`z_b`, so the group-lasso reformulation (and with it
:math:`\nu^*`, the polytope and the certificates) does not apply to it. Two layers balance to
:math:`\beta|a|\|w\|`, degree one, which is why (C) is convex there. The path penalty
:math:`|w_3|(\sum_j\|w_{1j}\|^2w_{2j}^2)^{1/2}` is at most :math:`r_k` (:math:`\ell_2\le\ell_1`),
with equality when at most one neuron of the branch is non-zero (always for :math:`m_1=1`).
KMP's three-layer theorem could not be pinned down (§9.3 says so) and is not claimed
here. Because the path penalty is rescaling-invariant, optimal parameters come in connected
rescaling orbits: the widths and components here count branches modulo rescaling and neuron
order in a branch.
"""

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations_with_replacement, product

from ..arrangement import enumerate_patterns
from ..data import Dataset
from ..errors import InvalidDataError, ResourceLimitError, UndecidedError
from .group_lasso import ConeBlock
from .group_lasso import optimal_set as group_lasso_optimum

__all__ = [
    "parallel3_blocks",
    "Parallel3Optimum",
    "optimal_set",
    "critical_widths",
    "optimal_set_components",
    "network_value",
    "example_certificates",
    "MAX_BLOCKS",
]

#: Largest number of blocks (m1-multisets of first-layer items x 2^n x 2) built.
MAX_BLOCKS = 20_000


def parallel3_blocks(X, m1, patterns=None):
    r"""The blocks :math:`(D',\{(s_j,\tau_j)\},\varepsilon)` in canonical order.

    Items are the non-zero regions :math:`s` (in pattern order) times :math:`\tau=+1,-1`; the
    multisets are ``itertools.combinations_with_replacement`` of them; :math:`D'` runs over
    ``itertools.product((0, 1), repeat=n)`` and :math:`\varepsilon` over ``(1, -1)``.
    Labels are ``(D', ((pattern index, tau), ...), eps)``.

    Examples
    --------
    >>> len(parallel3_blocks([[1], [-1]], 1))   # 2 regions x 2 signs, 4 patterns D', 2 signs
    32
    """
    if isinstance(m1, bool) or not isinstance(m1, int) or m1 < 1:
        raise InvalidDataError(f"m1 = {m1!r} must be an integer >= 1")
    pats = enumerate_patterns(X) if patterns is None else patterns
    X = [list(r) for r in pats.X]
    n, d = len(X), len(X[0])
    Ds = [tuple(int(v) for v in row) for row in pats.D.tolist()]
    items = [(i, tau) for i, D in enumerate(Ds) if any(D) for tau in (1, -1)]
    from math import comb

    count = comb(len(items) + m1 - 1, m1) * 2**n * 2
    if count > MAX_BLOCKS:
        raise ResourceLimitError(f"{count} blocks exceed MAX_BLOCKS = {MAX_BLOCKS}; use fewer samples or a smaller m1")
    zero = [Fraction(0)] * d
    out = []
    for multi in combinations_with_replacement(items, m1):
        for Dp in product((0, 1), repeat=n):
            for eps in (1, -1):
                A = [[c for i, _ in multi for c in ([eps * a for a in X[k]] if Dp[k] and Ds[i][k] else zero)] for k in range(n)]
                G = []
                for j, (i, tau) in enumerate(multi):
                    for k in range(n):
                        row = [tau * (a if Ds[i][k] else -a) for a in X[k]]
                        if any(row):
                            G.append([c for jj in range(m1) for c in (row if jj == j else zero)])
                for k in range(n):
                    row = [c for i, _ in multi for c in ([(1 if Dp[k] else -1) * a for a in X[k]] if Ds[i][k] else zero)]
                    if any(row):
                        G.append(row)
                out.append(ConeBlock((Dp, multi, eps), tuple(map(tuple, A)), tuple(map(tuple, G))))
    return out


@dataclass(frozen=True)
class Parallel3Optimum:
    """The certified optimum of the parallel three-layer problem: ``data``, ``m1``, ``patterns``,
    ``blocks`` and the group-lasso optimum ``result`` (kind, value, nu, atoms)."""

    data: Dataset
    m1: int
    patterns: object
    blocks: tuple
    result: object

    kind = property(lambda self: self.result.kind)
    value = property(lambda self: self.result.value)
    value_interval = property(lambda self: self.result.value_interval)
    nu = property(lambda self: self.result.nu)

    def certificate(self):
        r"""The ``reluscape/parallel3-optimum/1`` certificate (see :mod:`exact.checker`): the checker
        rebuilds every block from ``X``, the complete patterns and ``m1``, checks dual feasibility
        of ``nu`` on each (multipliers listed where :math:`\|A_b^\top\nu\|>\beta`), then zero gap
        (``rational``) or the bracket (``bracket``)."""
        from ..certificates import number, numbers, patterns_certificate
        from ..cones import sq_norm
        from ..multiquadratic import sqrt_bounds
        from .group_lasso import block_projection

        res, beta2 = self.result, self.data.beta**2

        def label(i):
            Dp, multi, eps = self.blocks[i].label
            return {"Dp": "".join(map(str, Dp)), "items": [list(t) for t in multi], "eps": eps}

        listed = []
        for i, b in enumerate(self.blocks):
            g = [sum(Fraction(r[j]) * v for r, v in zip(b.A, res.nu)) for j in range(len(b.A[0]))]
            if sq_norm(g) > beta2:
                listed.append(dict(label(i), **{"lambda": numbers(block_projection(b, res.nu).multipliers)}))
        cert = {
            "schema": "reluscape/parallel3-optimum/1",
            "X": numbers(self.data.X),
            "y": numbers(self.data.y),
            "beta": number(self.data.beta),
            "m1": self.m1,
            "patterns": patterns_certificate(self.patterns, complete=True),
            "nu": numbers(res.nu),
            "blocks": listed,
        }
        if self.kind == "rational":
            cert.update(method="rational", value=number(self.value))
            cert["atoms"] = [dict(label(i), p=numbers(p), kappa=number(k)) for i, p, k in res.atoms]
        else:
            lo, hi = self.value_interval
            cert.update(method="bracket", lower=number(lo), upper=number(hi))
            cert["primal"] = [dict(label(i), z=numbers(z), norm=number(sqrt_bounds(sq_norm(z), 128)[1])) for i, z in res.primal]
        return cert

    def network(self):
        r"""An optimal network, exact: per atom a branch :math:`w_3=\varepsilon\kappa`,
        :math:`w_{2j}=\tau_j`, :math:`w_{1j}=\tau_jp_j` (``p`` split in ``m1`` parts of ``d``).

        Returns a list of branches ``(W1 (m1 rows), w2 (m1), w3)``."""
        if self.kind != "rational":
            raise UndecidedError("only a rational optimum gives an exact network")
        d = self.data.d
        out = []
        for i, p, kappa in self.result.atoms:
            _, multi, eps = self.blocks[i].label
            W1 = [[tau * c for c in p[j * d : (j + 1) * d]] for j, (_, tau) in enumerate(multi)]
            out.append((W1, [tau for _, tau in multi], eps * kappa))
        return out


def optimal_set(data, m1=2):
    r"""The certified optimum :math:`p^*` of the parallel three-layer problem (any number of branches).

    Examples
    --------
    >>> opt = optimal_set(Dataset([[1], [-1]], [2, 0], 1), m1=1)
    >>> opt.kind, opt.value
    ('rational', Fraction(3, 2))
    """
    if not isinstance(data, Dataset):
        raise InvalidDataError("optimal_set needs a Dataset (X, y, beta)")
    pats = enumerate_patterns(data.X)
    blocks = parallel3_blocks(data.X, m1, pats)
    return Parallel3Optimum(data, m1, pats, tuple(blocks), group_lasso_optimum(blocks, data.y, data.beta))


def critical_widths(data, m1=2, *, optimum=None):
    r""":math:`(m^*,M^*)` in branches: least and largest vertex support of the optimal polytope over
    the tight blocks (tight branches deduplicated modulo rescaling and neuron order)."""
    P = _polytope(optimal_set(data, m1) if optimum is None else optimum)
    sizes = [len(S) for S, _ in P.vertices]
    return min(sizes), max(sizes)


def optimal_set_components(data, m, m1=2, *, optimum=None):
    """Components of the optimal set with ``m`` branches, modulo rescaling orbits (connected) and
    neuron order inside a branch (:mod:`exact.topology` on the branch polytope)."""
    from ..topology import optimal_set_components as components

    return components(None, m, polytope=_polytope(optimal_set(data, m1) if optimum is None else optimum))


def network_value(data, branches):
    r""":math:`F` of a network given as ``(W1, w2, w3)`` branches, exactly (rational entries whose
    path norms are rational; evaluated through the ReLUs, not the blocks)."""
    from ..multiquadratic import sqrt_rational

    fit = []
    for x in data.X:
        f = Fraction(0)
        for W1, w2, w3 in branches:
            z = sum(max(sum(a * b for a, b in zip(x, w)), 0) * c for w, c in zip(W1, w2))
            f += max(z, 0) * w3
        fit.append(f)
    pen = sum(abs(w3) * sqrt_rational(sum(sum(a * a for a in w) * c * c for w, c in zip(W1, w2))) for W1, w2, w3 in branches)
    return sum((f - y) ** 2 for f, y in zip(fit, data.y)) / 2 + data.beta * pen


def example_certificates():
    r"""Genuine ``reluscape/parallel3-optimum/1`` certificates of tiny instances, in well under a
    second, as ``(name, cert)``: ``"rational"`` (:math:`x=1,2`, :math:`y=(1,3)`, :math:`m_1=1`,
    :math:`p^*=7/5`, with multipliers) and ``"bracket"`` (:math:`x=\pm1`, :math:`y=(2,0)`,
    :math:`m_1=2`, :math:`p^*=\sqrt2-\frac14`).

    Examples
    --------
    >>> from exact.checker import check_certificate
    >>> [(name, check_certificate(c).ok) for name, c in example_certificates()]
    [('rational', True), ('bracket', True)]
    """
    return [
        ("rational", optimal_set(Dataset([[1], [2]], [1, 3], 1), 1).certificate()),
        ("bracket", optimal_set(Dataset([[1], [-1]], [2, 0], 1), 2).certificate()),
    ]


@dataclass(frozen=True)
class _BranchPolytope:
    atoms: tuple
    target: tuple
    vertices: tuple


def _polytope(opt):
    if opt.kind != "rational":
        raise UndecidedError("the optimum is only bracketed; its tight set is unknown")
    from ..solution_set import polytope_vertices

    d = opt.data.d
    found = {}
    for i, p in sorted(opt.result.tight.items()):
        _, multi, eps = opt.blocks[i].label
        parts = [tuple(tau * c for c in p[j * d : (j + 1) * d]) for j, (_, tau) in enumerate(multi)]
        key = (eps, tuple(sorted(parts)))
        col = tuple(sum(Fraction(r[j]) * p[j] for j in range(len(p))) for r in opt.blocks[i].A)
        if any(col):
            found.setdefault(key, col)
    keys = sorted(found)
    cols = [found[k] for k in keys]
    target = tuple(a - v for a, v in zip(opt.data.y, opt.nu))
    if len(keys) > 16:
        raise ResourceLimitError(f"{len(keys)} tight branches: vertex enumeration over 2^{len(keys)} subsets refused")
    return _BranchPolytope(tuple(keys), target, polytope_vertices(cols, target))
