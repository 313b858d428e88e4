r"""Hessian spectra of the families by the isotypic decomposition, and stability thresholds (math §5.2).

At a critical point :math:`W\in\mathrm{Fix}(H)`, :math:`H = \Delta(S_{p_1}\times\dots\times S_{p_r})`,
the Hessian commutes with :math:`H`, so it preserves every isotypic component of
:math:`M(k,k)=\mathbb R^{k\times k}`. As an :math:`H`-representation
(:math:`\mathbb R^{p}=\mathrm{triv}\oplus\mathrm{std}` for each block),

.. math::

    M(k,k) = m_0\,\mathrm{triv}\oplus\bigoplus_a m_a\,\mathrm{std}_a
             \oplus\bigoplus_{a<b}2\,\mathrm{std}_a\otimes\mathrm{std}_b
             \oplus\bigoplus_a\big(S^{(p_a-2,2)}_a\oplus S^{(p_a-2,1,1)}_a\big),

with :math:`m_0 = \dim\mathrm{Fix}(H)`, :math:`m_a = 3+2(r-1)` (:math:`2+2(r-1)` when
:math:`p_a = 2`), of dimensions :math:`1`, :math:`p_a-1`, :math:`(p_a-1)(p_b-1)`,
:math:`p_a(p_a-3)/2`, :math:`(p_a-1)(p_a-2)/2` (for :math:`\Delta S_{k-1}` this is math §5.2's
:math:`5\,\mathrm{triv}\oplus5\,\mathrm{std}\oplus S^{(k-3,2)}\oplus S^{(k-3,1,1)}`).

**Computation.** Refine the composition by splitting two singletons :math:`s_1, s_2` off every
block (one off a block of size 2); the Hessian of :math:`L` restricted to the fine fixed-point
space :math:`\mathrm{Fix}(K)` (:math:`H_K`, Gram matrix :math:`M_K` = orbit sizes) is that of
:math:`L` on :math:`\mathrm{Fix}(K)`. Each irreducible :math:`\rho` has a one-dimensional space of
vectors fixed by a subgroup :math:`K_\rho\supseteq K` (split :math:`s_1` of block :math:`a` for
:math:`\mathrm{std}_a`; :math:`s_1` of :math:`a` and of :math:`b` for :math:`\mathrm{std}_a\otimes\mathrm{std}_b`;
:math:`s_1, s_2` of :math:`a` for the last two, separated by the parity under swapping
:math:`s_1, s_2`), and the copies of :math:`\rho` are spanned, inside :math:`\mathrm{Fix}(K_\rho)`, by
the :math:`M_K`-orthogonal complement of the fixed spaces of the coarser groups. On that
:math:`m_\rho`-dimensional space the Hessian is the pencil :math:`(B^\top H_KB,\,B^\top M_KB)`
whose eigenvalues are those of :math:`\rho`, each of multiplicity :math:`\dim\rho`. Block sizes
may be real, so the eigenvalues are analytic functions of real :math:`k`.

The point is a strict local minimum exactly when every pencil is positive definite;
:func:`is_local_minimum` decides it with a Cholesky factorisation in ``arb`` over the Krawczyk box
that contains the critical point.
"""

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import mpmath
from flint import arb, ctx, fmpq

from ..errors import CertificateError, ReluscapeError
from ..balls import cholesky_positive
from .families import get_family
from .fixed_points import FixedPointSpace
from .krawczyk import certify_critical_point
from .loss import population_hessian
from .newton import continue_branch, critical_point, family_space, newton_restricted

__all__ = [
    "IsotypicBlock",
    "HessianSpectrum",
    "isotypic_bases",
    "hessian_spectrum",
    "dense_spectrum",
    "is_local_minimum",
    "threshold",
]


@dataclass(frozen=True)
class IsotypicBlock:
    r"""The Hessian on one isotypic component: irreducible ``irrep`` of dimension ``dimension``, one eigenvalue per copy."""

    irrep: str
    dimension: object
    eigenvalues: tuple


@dataclass(frozen=True)
class HessianSpectrum:
    r"""The Hessian spectrum of a family's critical point, by isotypic component.

    ``local_minimum`` is the rigorous decision of :func:`is_local_minimum` (``None`` when not
    decided: real :math:`k`, or ``rigorous=False``).
    """

    family: str
    k: object
    blocks: tuple
    local_minimum: object = None

    def distinct(self):
        """Return ``[(eigenvalue, multiplicity)]`` ascending, one entry per (component, copy)."""
        rows = [(lam, b.dimension) for b in self.blocks for lam in b.eigenvalues if b.dimension]
        return sorted(rows, key=lambda vm: vm[0])

    @property
    def minimum(self):
        """The least eigenvalue and the component it lies in, ``(value, irrep)``."""
        return min(((lam, b.irrep) for b in self.blocks if b.dimension for lam in b.eigenvalues), key=lambda t: t[0])

    @property
    def size(self):
        r"""The sum of the multiplicities (:math:`k^2` when the decomposition is complete)."""
        return sum(b.dimension * len(b.eigenvalues) for b in self.blocks)


def isotypic_bases(composition):
    r"""Return the fine fixed-point space and, per irreducible, a basis of its copies (exact for integer sizes).

    Parameters
    ----------
    composition : tuple
        Block sizes of the isotropy group (integers, or real numbers as ``mpf``).

    Returns
    -------
    (FixedPointSpace, list, list)
        The fine space :math:`\mathrm{Fix}(K)`; the embedding of :math:`\mathrm{Fix}(H)` into it
        (for each fine coordinate, the index of the coarse one); and a list of
        ``(irrep, dimension, basis)`` with ``basis`` a list of vectors in fine coordinates.

    Examples
    --------
    >>> fine, up, irreps = isotypic_bases((4, 1))
    >>> fine.dim, [(name, dim, len(B)) for name, dim, B in irreps]
    (17, [('triv', 1, 5), ('std_0', 3, 5), ('(p-2,2)_0', 2, 1), ('(p-2,1,1)_0', 3, 1)])
    """
    if all(isinstance(p, int) for p in composition):
        return _exact_bases(tuple(composition))
    return _bases(tuple(composition), _MpLinear())


@lru_cache(maxsize=None)
def _exact_bases(composition):
    return _bases(composition, _ExactLinear())


def hessian_spectrum(name, k, *, dps=30, rigorous=True):
    r"""Return the Hessian spectrum of family ``name`` at :math:`k` by the isotypic decomposition.

    Parameters
    ----------
    name : str
    k : int, Fraction, str or mpf
        Any real :math:`k` the branch reaches.
    dps : int
        Digits of the critical point and of the eigenvalues.
    rigorous : bool
        At integer :math:`k`, also decide local minimality with arb (:func:`is_local_minimum`).

    Returns
    -------
    HessianSpectrum
        Eigenvalues as mpmath numbers; multiplicities as numbers (polynomials in :math:`k`).

    Examples
    --------
    >>> spec = hessian_spectrum("A", 6, dps=20)
    >>> spec.size, len(spec.distinct()), spec.local_minimum
    (36, 12, True)
    >>> mpmath.nstr(spec.minimum[0], 6), spec.minimum[1]
    ('0.00470035', 'std_0')
    """
    point = critical_point(name, k, dps=dps)
    with mpmath.workdps(dps + 10):
        blocks = _spectrum_blocks(family_space(name, point.k), list(point.x))
    with mpmath.workdps(dps):
        blocks = tuple(IsotypicBlock(n, d, tuple(+v for v in vals)) for n, d, vals in blocks)
    decided = is_local_minimum(name, point.k, dps=max(dps, 40)) if rigorous and isinstance(point.k, int) else None
    return HessianSpectrum(name, point.k, blocks, decided)


def dense_spectrum(name, k, *, dps=30, tol=None):
    r"""Return the Hessian spectrum from a dense :math:`k^2\times k^2` mpmath eigen-solve (small integer :math:`k`).

    Eigenvalues closer than ``tol`` (default :math:`10^{-\text{dps}/2}`) are merged.

    Returns
    -------
    list of (mpf, int)
        Distinct eigenvalues, ascending, with multiplicities.
    """
    point = critical_point(name, k, dps=dps)
    with mpmath.workdps(dps + 10):
        H = population_hessian(point.matrix(), arithmetic="mpmath")
        values = sorted(mpmath.eigsy(mpmath.matrix(H), eigvals_only=True))
    tol = mpmath.mpf(10) ** (-(dps // 2)) if tol is None else tol
    out = []
    for v in values:
        if out and abs(v - out[-1][0]) < tol:
            out[-1][1] += 1
        else:
            out.append([v, 1])
    return [(v, m) for v, m in out]


def is_local_minimum(name, k, *, dps=40):
    r"""Decide rigorously whether family ``name``'s critical point at integer :math:`k` is a strict local minimum.

    The critical point is enclosed by a Krawczyk box (:func:`~exact.symmetry.krawczyk.certify_critical_point`);
    the fine Hessian is enclosed over the box in ``arb`` and every isotypic pencil
    :math:`B^\top H_KB` is tested by a ball Cholesky factorisation
    (:func:`~exact.symmetry.balls.cholesky_positive`).

    Returns
    -------
    bool
        ``True`` if every Hessian eigenvalue is positive, ``False`` if one is negative.

    Raises
    ------
    CertificateError
        If the Krawczyk test fails.
    UndecidedError
        If a pivot's sign stays open (an eigenvalue too close to 0 for the box).

    Examples
    --------
    >>> is_local_minimum("A", 6), is_local_minimum("A", 5)
    (True, False)
    """
    cert = certify_critical_point(name, k, dps=dps)
    if not cert.verified:
        raise CertificateError(f"the Krawczyk test failed for {name} at k = {k}")
    space = family_space(name, k)
    fine, up, irreps = isotypic_bases(space.composition)
    r = fmpq(cert.radius.numerator, cert.radius.denominator)
    with ctx.workprec(cert.prec):
        box = [arb(fmpq(c.numerator, c.denominator), r) for c in cert.center]
        H = fine.hessian([box[i] for i in up], "arb")
        for name_rho, dim, B in irreps:
            if not dim or not B:
                continue
            Bb = [[arb(fmpq(a.numerator, a.denominator)) for a in b] for b in B]
            A = _congruence(H, Bb, arb(0))
            positive, _ = cholesky_positive(A)
            if not positive:
                return False
    return True


def threshold(name, *, dps=30, k_max=24, k_min=None, step=None):
    r"""Return :math:`k^*`: above it every Hessian eigenvalue of family ``name`` is nonnegative (real :math:`k`).

    The branch is followed in real :math:`k` from ``k_max`` down (Newton from the previous point
    with a secant predictor, steps of ``step``, default 2 above :math:`k = 12` and 1/2 below),
    tracking the least eigenvalue of every isotypic component; at the first sign change (the
    largest :math:`k` where one becomes negative) the crossing is located by the Illinois
    variant of regula falsi on that eigenvalue, each evaluation re-solving the critical point.

    Returns
    -------
    (mpf, str)
        :math:`k^*` (to about ``dps - 5`` digits) and the component whose eigenvalue crosses 0.

    Raises
    ------
    ReluscapeError
        If no eigenvalue changes sign before the branch ends (or ``k_min``), or if the least
        eigenvalue is negative at ``k_max``.

    Examples
    --------
    >>> kstar, irrep = threshold("A", dps=20)
    >>> mpmath.nstr(kstar, 10), irrep
    ('5.585505247', 'std_0')
    """
    fam = get_family(name)
    with mpmath.workdps(dps + 10):
        k = mpmath.mpf(k_max)
        lower = mpmath.mpf(k_min if k_min is not None else fam.min_k)
        x = continue_branch(name, k)
        lam = _least_by_irrep(fam, k, x)
        if min(lam.values()) < 0:
            raise ReluscapeError(f"family {name} is not a local minimum at k = {k_max}: raise k_max")
        prev = None
        while k > lower:
            h = mpmath.mpf(step) if step is not None else (mpmath.mpf(2) if k > 12 else mpmath.mpf(1) / 2)
            k_new = max(k - h, lower)
            pred = x if prev is None else [a + (a - b) * (k_new - k) / (k - prev[0]) for a, b in zip(x, prev[1])]
            try:
                x_new, _ = newton_restricted(FixedPointSpace(fam.composition(k_new)), pred, max_steps=20)
                lam_new = _least_by_irrep(fam, k_new, x_new)
            except ReluscapeError:
                break
            crossing = [r for r in lam if lam[r] >= 0 > lam_new[r]]
            if crossing:
                root = _regula_falsi(fam, crossing[0], (k_new, x_new, lam_new[crossing[0]]), (k, x, lam[crossing[0]]), dps)
                with mpmath.workdps(dps):
                    return +root, crossing[0]
            prev, k, x, lam = (k, x), k_new, x_new, lam_new
    raise ReluscapeError(f"no Hessian eigenvalue of {name} changes sign on [{mpmath.nstr(k, 6)}, {k_max}]")


# ---------------------------------------------------------------------------------------------
# the isotypic bases


def _bases(composition, lin):
    fine_sizes, parent, role = [], [], []
    for a, p in enumerate(composition):
        parts = [1] if p == 1 and isinstance(p, int) else [1, 1] if p == 2 and isinstance(p, int) else [1, 1, p - 2]
        for i, q in enumerate(parts):
            fine_sizes.append(q)
            parent.append(a)
            role.append(("s1", "s2", "rest")[i])
    fine = FixedPointSpace(tuple(fine_sizes))
    M = fine.orbit_sizes(lin.arithmetic)
    nf = len(fine_sizes)

    def groups(split):
        ids, out = {}, []
        for f in range(nf):
            key = ("own", f) if (parent[f], role[f]) in split else ("block", parent[f])
            out.append(ids.setdefault(key, len(ids)))
        return out

    def embedding(split):
        g = groups(split)
        sizes = [0] * (max(g) + 1)
        for f, gi in enumerate(g):
            sizes[gi] = sizes[gi] + fine_sizes[f]
        coarse = FixedPointSpace(tuple(sizes))
        index = {lab: i for i, lab in enumerate(coarse.labels)}
        rows = []
        for lab in fine.labels:
            if lab[0] == "C" and g[lab[1]] == g[lab[2]]:
                target = ("O", g[lab[1]])
            elif lab[0] == "C":
                target = ("C", g[lab[1]], g[lab[2]])
            else:
                target = (lab[0], g[lab[1]])
            rows.append(index[target])
        return rows, len(coarse.labels)

    def columns(split):
        rows, n = embedding(split)
        return [[1 if rows[i] == j else 0 for i in range(len(rows))] for j in range(n)]

    up, _ = embedding(())
    sizes = composition
    big = [a for a, p in enumerate(sizes) if not (isinstance(p, int) and p == 1)]
    irreps = [("triv", 1, lin.independent(columns(()), M))]
    for a in big:
        basis = lin.complement(columns({(a, "s1")}), [columns(())], M)
        irreps.append((f"std_{a}", sizes[a] - 1, basis))
    for i, a in enumerate(big):
        for b in big[i + 1 :]:
            basis = lin.complement(columns({(a, "s1"), (b, "s1")}), [columns({(a, "s1")}), columns({(b, "s1")})], M)
            irreps.append((f"std_{a}(x)std_{b}", (sizes[a] - 1) * (sizes[b] - 1), basis))
    for a in big:
        if isinstance(sizes[a], int) and sizes[a] < 3:
            continue
        both = {(a, "s1"), (a, "s2")}
        basis = lin.complement(columns(both), [columns({(a, "s1")}), columns({(a, "s2")})], M)
        swap = _swap_permutation(fine, parent, role, a)
        sym = lin.independent([[v[i] + v[swap[i]] for i in range(len(v))] for v in basis], M)
        anti = lin.independent([[v[i] - v[swap[i]] for i in range(len(v))] for v in basis], M)
        p = sizes[a]
        irreps.append((f"(p-2,2)_{a}", p * (p - 3) / 2 if not isinstance(p, int) else p * (p - 3) // 2, sym))
        irreps.append((f"(p-2,1,1)_{a}", (p - 1) * (p - 2) / 2 if not isinstance(p, int) else (p - 1) * (p - 2) // 2, anti))
    return fine, up, irreps


def _swap_permutation(fine, parent, role, a):
    s1 = next(f for f in range(len(parent)) if parent[f] == a and role[f] == "s1")
    s2 = next(f for f in range(len(parent)) if parent[f] == a and role[f] == "s2")
    swap = {s1: s2, s2: s1}
    index = {lab: i for i, lab in enumerate(fine.labels)}
    return [index[(lab[0],) + tuple(swap.get(b, b) for b in lab[1:])] for lab in fine.labels]


class _ExactLinear:
    """Linear algebra over Q (Fractions) with the M-inner product, for integer block sizes."""

    arithmetic = "sympy"

    def independent(self, vectors, M):
        out, reduced = [], []
        for v in vectors:
            w = [Fraction(x) for x in v]
            for piv, r in reduced:
                if w[piv]:
                    f = w[piv] / r[piv]
                    w = [x - f * y for x, y in zip(w, r)]
            piv = next((i for i, x in enumerate(w) if x), None)
            if piv is not None:
                reduced.append((piv, w))
                out.append([Fraction(x) for x in v])
        return out

    def complement(self, vectors, removed, M):
        M = [Fraction(int(m)) for m in M]
        R = self.independent([v for group in removed for v in group], M)
        if not R:
            return self.independent(vectors, M)
        G = [[sum(M[i] * a[i] * b[i] for i in range(len(M))) for b in R] for a in R]
        Ginv = _inverse_fractions(G)
        out = []
        for v in vectors:
            v = [Fraction(x) for x in v]
            c = [sum(M[i] * r[i] * v[i] for i in range(len(M))) for r in R]
            coef = [sum(Ginv[i][j] * c[j] for j in range(len(R))) for i in range(len(R))]
            out.append([v[i] - sum(coef[j] * R[j][i] for j in range(len(R))) for i in range(len(v))])
        return self.independent(out, M)


class _MpLinear:
    """The same with mpmath numbers (real block sizes), pivoting on the largest M-norm."""

    arithmetic = "mpmath"

    def independent(self, vectors, M):
        out, basis = [], []
        vecs = [[mpmath.mpf(x) for x in v] for v in vectors]
        scale = max((abs(x) for v in vecs for x in v), default=mpmath.mpf(1))
        tol = mpmath.mpf(10) ** (-(mpmath.mp.dps // 2)) * (1 + scale)
        remaining = list(range(len(vecs)))
        residual = {i: vecs[i] for i in remaining}
        while remaining:
            norms = {i: mpmath.sqrt(sum(M[j] * residual[i][j] ** 2 for j in range(len(M)))) for i in remaining}
            best = max(remaining, key=lambda i: norms[i])
            if norms[best] < tol:
                break
            q = [x / norms[best] for x in residual[best]]
            basis.append(q)
            out.append(vecs[best])
            remaining.remove(best)
            for i in remaining:
                c = sum(M[j] * q[j] * residual[i][j] for j in range(len(M)))
                residual[i] = [x - c * y for x, y in zip(residual[i], q)]
        return out

    def complement(self, vectors, removed, M):
        R = self.independent([v for group in removed for v in group], M)
        if not R:
            return self.independent(vectors, M)
        Ginv = mpmath.inverse(mpmath.matrix([[sum(M[i] * a[i] * b[i] for i in range(len(M))) for b in R] for a in R]))
        out = []
        for v in vectors:
            v = [mpmath.mpf(x) for x in v]
            c = mpmath.matrix([sum(M[i] * r[i] * v[i] for i in range(len(M)) if r[i] and v[i]) for r in R])
            coef = Ginv * c
            out.append([v[i] - sum(coef[j] * R[j][i] for j in range(len(R))) for i in range(len(v))])
        return self.independent(out, M)


def _inverse_fractions(G):
    n = len(G)
    A = [list(row) + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(G)]
    for col in range(n):
        piv = next(r for r in range(col, n) if A[r][col])
        A[col], A[piv] = A[piv], A[col]
        p = A[col][col]
        A[col] = [x / p for x in A[col]]
        for r in range(n):
            if r != col and A[r][col]:
                f = A[r][col]
                A[r] = [x - f * y for x, y in zip(A[r], A[col])]
    return [row[n:] for row in A]


# ---------------------------------------------------------------------------------------------
# eigenvalues


def _spectrum_blocks(space, x):
    fine, up, irreps = isotypic_bases(space.composition)
    H = fine.hessian([x[i] for i in up], "mpmath")
    M = fine.orbit_sizes("mpmath")
    out = []
    for name, dim, B in irreps:
        if not B:
            out.append((name, dim, ()))
            continue
        Bm = [[mpmath.mpf(a.numerator) / a.denominator if isinstance(a, Fraction) else a for a in b] for b in B]
        A = _congruence(H, Bm, mpmath.mpf(0))
        G = [[sum(M[i] * u[i] * v[i] for i in range(len(M))) for v in Bm] for u in Bm]
        out.append((name, dim, tuple(_pencil_eigenvalues(A, G))))
    return out


def _congruence(H, B, zero):
    """Return B H B^T for B given as a list of row vectors."""
    HB = [[sum((H[i][j] * b[j] for j in range(len(b)) if b[j]), zero) for i in range(len(H))] for b in B]
    return [[sum((u[i] * hb[i] for i in range(len(u)) if u[i]), zero) for hb in HB] for u in B]


def _pencil_eigenvalues(A, G):
    L = mpmath.cholesky(mpmath.matrix(G))
    Linv = mpmath.inverse(L)
    C = Linv * mpmath.matrix(A) * Linv.T
    C = (C + C.T) / 2
    return sorted(mpmath.eigsy(C, eigvals_only=True))


def _least_by_irrep(fam, k, x):
    blocks = _spectrum_blocks(FixedPointSpace(fam.composition(k)), x)
    return {name: min(vals) for name, dim, vals in blocks if vals}


def _regula_falsi(fam, irrep, lo, hi, dps):
    """Zero of the least eigenvalue of ``irrep`` between ``lo`` and ``hi`` = (k, x, lambda), Illinois method."""
    (k0, x0, f0), (k1, x1, f1) = lo, hi
    tol = mpmath.mpf(10) ** (-(dps + 3))
    side = 0
    for _ in range(200):
        k = (k0 * f1 - k1 * f0) / (f1 - f0)
        x, _ = newton_restricted(FixedPointSpace(fam.composition(k)), x0 if abs(k - k0) < abs(k - k1) else x1)
        f = _least_by_irrep(fam, k, x)[irrep]
        if abs(k1 - k0) < tol or f == 0:
            return k
        if (f < 0) == (f0 < 0):
            k0, x0, f0 = k, x, f
            if side == -1:
                f1 /= 2
            side = -1
        else:
            k1, x1, f1 = k, x, f
            if side == 1:
                f0 /= 2
            side = 1
    raise ReluscapeError(f"the eigenvalue of {irrep} did not converge to 0 between {mpmath.nstr(k0, 10)} and {mpmath.nstr(k1, 10)}")
