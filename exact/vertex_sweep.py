r"""Regions of a central hyperplane arrangement by a lowest-vertex sweep (exact, integer).

Let :math:`\mathcal A=\{a_i^\perp\}` be an *essential* central arrangement in :math:`\mathbb R^j`
(the normals span :math:`\mathbb R^j`) with pairwise non-parallel integer normals, and let
:math:`a_1` be one of them. Every region lies strictly on one side of :math:`a_1^\perp`, so the
regions are :math:`\mathcal H\cup-\mathcal H`, where :math:`\mathcal H` are the regions in
:math:`\{a_1\cdot h>0\}`: the regions of the affine arrangement that :math:`\mathcal A` cuts on
the chart :math:`\{a_1\cdot h=1\}` (dimension :math:`j-1`).

Sweep the chart with a linear functional :math:`g` that is constant on no edge (1-dimensional
flat) of the chart arrangement. Then (cf. the sweep proof of Zaslavsky's theorem):

* a region that is bounded below has a unique lowest vertex :math:`v`; near :math:`v` it is a
  region of the *local* arrangement (the hyperplanes through :math:`v`) on whose closure
  :math:`g>0` away from 0 — an *up-region*. Conversely every up-region at every vertex is the
  germ of exactly one region with lowest vertex :math:`v`. At a simple vertex (exactly
  :math:`j-1` hyperplanes through it) the local arrangement is Boolean and the unique up-region
  is the cone spanned by the edge directions :math:`\sigma_le_l`, :math:`\sigma_l=\operatorname{sign}g\cdot e_l`;
* a region unbounded below meets the level set :math:`\{g=-T\}` for :math:`T` beyond every
  vertex, and these are the regions (in :math:`\{a_1\cdot h>0\}`) of the restriction of
  :math:`\mathcal A` to the hyperplane :math:`(g+Ta_1)^\perp` — the same problem in dimension
  :math:`j-1`.

In homogeneous coordinates a chart vertex is a ray :math:`r` (:math:`a_1\cdot r>0`); the region
with germ :math:`\delta` at :math:`r` contains :math:`h=Mr+\delta` as soon as
:math:`M|a_m\cdot r|>|a_m\cdot\delta|` for every hyperplane :math:`m` not through :math:`r`.
Dimension 2 is a closed form (sort the lines by angle). Every witness is an integer vector.

The cost is dominated by the :math:`\binom{N-1}{j-1}` candidate vertices, processed in
vectorized chunks; degenerate vertices (more than :math:`j-1` hyperplanes through a point) are
handled one by one through their local arrangements, so any rational data is covered.
"""

import math
from itertools import combinations

import numpy as np

from .integer_matrices import (
    INT64_SAFE,
    as_int_array,
    generalized_cross,
    kernel_basis,
    matmul,
    max_abs,
    pivot_columns,
    primitive_rows,
    product_signs,
)

__all__ = [
    "CHUNK",
    "distinct_hyperplanes",
    "half_region_count",
    "half_region_witnesses",
    "region_count",
    "region_witnesses",
]

#: Number of candidate vertices processed per vectorized step.
CHUNK = 1 << 12


def distinct_hyperplanes(rows):
    """Primitive integer normals of the distinct hyperplanes ``{x . h = 0}`` of non-zero rows.

    Each normal is scaled to coprime integers with its first non-zero entry positive; parallel
    and antiparallel rows give one hyperplane. Returns ``(normals, index)`` where ``index[k]``
    is the hyperplane of row ``k`` (``-1`` for a zero row) and ``orientation[k]`` is ``+1`` or
    ``-1`` (row ``k`` is a positive multiple of ``orientation[k] * normals[index[k]]``).

    Examples
    --------
    >>> normals, index, orientation = distinct_hyperplanes([[2, 4], [0, 0], [-1, -2], [0, 3]])
    >>> normals, index, orientation
    ([(1, 2), (0, 1)], [0, -1, 0, 1], [1, 0, -1, 1])
    """
    normals, where, index, orientation = [], {}, [], []
    for row in rows:
        row = [int(a) for a in row]
        g = math.gcd(*row)
        if g == 0:
            index.append(-1)
            orientation.append(0)
            continue
        prim = [a // g for a in row]
        lead = next(a for a in prim if a != 0)
        sgn = 1 if lead > 0 else -1
        key = tuple(sgn * a for a in prim)
        if key not in where:
            where[key] = len(normals)
            normals.append(key)
        index.append(where[key])
        orientation.append(sgn)
    return normals, index, orientation


def region_witnesses(rows, d=None):
    """Integer witnesses, one per region, of the arrangement of the rows' hyperplanes.

    Parameters
    ----------
    rows : list of integer rows (any rank; zero, parallel and repeated rows allowed)
    d : int, optional
        The ambient dimension when ``rows`` is empty.

    Returns
    -------
    numpy.ndarray
        ``(P, d)`` integer array (``int64`` or ``object``): row ``i`` is an ``h`` with
        ``x . h != 0`` for every non-zero row ``x``, and distinct rows lie in distinct regions.
    """
    rows = [list(r) for r in rows]
    d = len(rows[0]) if rows else d
    normals, _, _ = distinct_hyperplanes(rows)
    if not normals:
        return np.zeros((1, d), dtype=np.int64)
    piv = pivot_columns(normals)
    A = as_int_array([[n[c] for c in piv] for n in normals])
    half = half_region_witnesses(A)
    Z = np.concatenate([half, -half])
    H = np.zeros((Z.shape[0], d), dtype=Z.dtype)
    H[:, piv] = Z
    return H


def half_region_witnesses(A, progress=None):
    """Witnesses of the regions in ``{A[0] . h > 0}`` of an essential arrangement (see module).

    ``A`` is an ``(N, j)`` integer array of pairwise non-parallel normals of rank ``j``;
    ``progress(done, total)``, if given, is called after each chunk of candidate vertices.
    """
    N, j = A.shape
    if j == 1:
        return as_int_array([[1 if A[0, 0] > 0 else -1]])
    if j == 2:
        return _half_plane(A)
    g = _generic_functional(A)
    l1 = max(sum(abs(int(a)) for a in row) for row in A.tolist())
    chunks, degenerate, floor_max = [], [], None
    for S, r, lowest in _chart_vertices(A, g, progress):
        floor_max = _max(floor_max, lowest)
        P = matmul(A, r.T)
        simple = np.count_nonzero(P, axis=0) == N - (j - 1)
        if not simple.all():
            degenerate.append(r[~simple])
            S, r, P = S[simple], r[simple], P[:, simple]
        if len(S):
            chunks.append(_simple_vertex_witnesses(A, g, r, S, P, l1))
    if degenerate:
        rays, _ = _unique_rows(np.concatenate(degenerate))
        chunks.extend(_degenerate_vertex_witnesses(A, g, rays, l1))
    sub, B = _level_set(A, g, 0 if floor_max is None else floor_max + 1)
    chunks.append(primitive_rows(matmul(half_region_witnesses(sub), B)))
    return _shrink_large(A, _concat(chunks))


def _shrink_large(A, H):
    """Replace each witness with an entry of 2^62 or more by a shorter one in the same region:
    the largest ``round(h / 2^k)`` whose signs on every hyperplane are those of ``h``."""
    if H.dtype != object:
        return H
    rows = [[int(a) for a in row] for row in A.tolist()]
    large = np.flatnonzero(~(np.abs(H) < INT64_SAFE).all(axis=1))
    for i in large:
        h = [int(a) for a in H[i]]
        target = [_dot(row, h) > 0 for row in rows]
        lo, hi = 0, max(abs(a) for a in h).bit_length()
        while lo < hi:  # largest k for which the rounded point keeps every sign
            k = (lo + hi + 1) // 2
            cand = [(a + (1 << (k - 1))) >> k for a in h]
            if all(_dot(row, cand) != 0 and (_dot(row, cand) > 0) == t for row, t in zip(rows, target)):
                lo = k
            else:
                hi = k - 1
        if lo:
            cand = [(a + (1 << (lo - 1))) >> lo for a in h]
            c = math.gcd(*cand)
            H[i] = [a // c for a in cand]
    return _concat([H])


def region_count(rows):
    """The number of regions of the arrangement of the rows' hyperplanes (same sweep, no witnesses).

    Examples
    --------
    >>> region_count([[1, 0], [0, 1], [1, 1], [1, -1]])
    8
    """
    normals, _, _ = distinct_hyperplanes([list(r) for r in rows])
    if not normals:
        return 1
    piv = pivot_columns(normals)
    return 2 * half_region_count(as_int_array([[n[c] for c in piv] for n in normals]))


def half_region_count(A):
    """The number of regions in ``{A[0] . h > 0}``: simple vertices count one, degenerate ones
    ``(P(C) - P(C|g^perp)) / 2`` for their local arrangement ``C``, plus the level set below."""
    N, j = A.shape
    if j <= 2:
        return 1 if j == 1 else N
    g = _generic_functional(A)
    rays, floor_max = [], None
    for _, r, lowest in _chart_vertices(A, g):
        floor_max = _max(floor_max, lowest)
        rays.append(r)
    count = 0
    if rays:
        R, mult = _unique_rows(np.concatenate(rays))
        count += int((mult == 1).sum())
        BW, gW, Bg = _local_frames(A, g)
        for r in R[mult > 1]:
            L = _local_arrangement(A, matmul(A, r[:, None])[:, 0] == 0, BW)
            count += (region_count(L.tolist()) - region_count(matmul(L, Bg.T).tolist())) // 2
    sub, _ = _level_set(A, g, 0 if floor_max is None else floor_max + 1)
    return count + half_region_count(sub)


def _chart_vertices(A, g, progress=None):
    """Candidate vertices: for each chunk of ``(j-1)``-subsets ``S`` of the hyperplanes other than
    ``A[0]`` with a vertex in the chart, yield ``S``, the ray ``r`` (``A[0] . r > 0``) and the
    largest ``floor(-g . r / A[0] . r)`` (so that the level ``T`` = that + 1 lies below ``r``)."""
    N, j = A.shape
    a1 = A[0]
    total = math.comb(N - 1, j - 1)
    done = 0
    for S in _subsets(N - 1, j - 1):
        done += len(S)
        r = generalized_cross(A[S])
        s1 = matmul(r, a1[:, None])[:, 0]
        keep = s1 != 0
        if keep.any():
            r, S, s1 = r[keep], S[keep], s1[keep]
            sign = np.where(s1 > 0, 1, -1)
            r, s1 = r * sign[:, None], s1 * sign
            lowest = (-matmul(r, g[:, None])[:, 0]) // s1
            yield S, r, int(lowest.max())
        if progress is not None:
            progress(done, total)


def _simple_vertex_witnesses(A, g, r, S, P, l1):
    """``h = M r + delta``, ``delta = sum_l sigma_l e_l``, for simple vertices ``r`` (see module).

    ``P = A r^T``. ``M`` must exceed ``|a_m . delta| / |a_m . r|`` for every hyperplane ``m``
    with ``(a_m . r)(a_m . delta) < 0``. The cheap choice ``1 + l1 |delta|_inf // minabs``
    (``l1`` bounds every ``|a_m|_1``, ``minabs`` is the least non-zero ``|a_m . r|``) is used
    when the witnesses then fit in ``int64``; otherwise ``M`` is computed from ``A delta``.
    """
    a1 = A[0]
    delta = 0
    for l in range(S.shape[1]):
        rest = np.delete(S, l, axis=1)
        M = np.concatenate([A[rest], np.broadcast_to(a1, (len(S), 1, A.shape[1]))], axis=1)
        e = generalized_cross(M)
        ge = matmul(e, g[:, None])[:, 0]
        if (ge == 0).any():
            raise AssertionError("sweep functional is constant on an edge")
        delta = delta + np.where(ge > 0, 1, -1)[:, None] * e
    dmax = max_abs(delta)
    if P.dtype != object and delta.dtype != object and l1 * dmax < INT64_SAFE:
        absP = np.abs(P)
        absP -= 1  # zeros wrap to the largest uint64 and drop out of the minimum
        minabs = absP.view(np.uint64).min(axis=0).astype(np.int64) + 1
        M = 1 + (l1 * np.abs(delta).max(axis=1)) // minabs
        if max_abs(M) * max_abs(r) + dmax < INT64_SAFE:
            return primitive_rows(M[:, None] * r + delta)
    Q = matmul(A, delta.T)
    through = P == 0
    ratio = (-Q) // np.where(through, 1, P)  # positive exactly where a_m . r and a_m . delta conflict
    ratio[through] = 0
    M = 1 + np.maximum(ratio.max(axis=0), 0)
    if M.dtype != object and r.dtype != object and delta.dtype != object:
        rmax = np.abs(r).max(axis=1)
        small = M <= (INT64_SAFE - 1 - dmax) // rmax  # then M |r| + |delta| < 2^62
        out = [primitive_rows(M[small, None] * r[small] + delta[small])]
        if not small.all():
            big = ~small
            out.append(primitive_rows(_obj(M[big])[:, None] * _obj(r[big]) + _obj(delta[big])))
        return _concat(out)
    return primitive_rows(_obj(M)[:, None] * _obj(r) + _obj(delta))


def _degenerate_vertex_witnesses(A, g, rays, l1):
    """Witnesses of the regions whose lowest vertex lies on more than ``j - 1`` hyperplanes."""
    BW, gW, Bg = _local_frames(A, g)
    gW = as_int_array([gW])
    out = []
    for start in range(0, len(rays), CHUNK):
        R = rays[start : start + CHUNK]
        P = matmul(A, R.T)  # hyperplanes x rays
        for k, r in enumerate(R):
            through = P[:, k] == 0
            L = _local_arrangement(A, through, BW)
            local = region_witnesses(L.tolist())
            cut = region_witnesses(matmul(L, Bg.T).tolist(), d=Bg.shape[0])
            crossed = {tuple(s) for s in product_signs(matmul(cut, Bg), L.T).tolist()}
            fresh = np.array([tuple(s) not in crossed for s in product_signs(local, L.T).tolist()])
            up = (product_signs(local, gW.T)[:, 0] > 0) & fresh
            if 2 * int(up.sum()) != len(local) - len(cut):
                raise AssertionError("local up-region count disagrees with (P(C) - P(C|g^perp)) / 2")
            delta = matmul(local[up], BW)
            Q = matmul(A[~through], delta.T)
            M = 1 + (np.abs(Q) // np.abs(P[~through, k])[:, None]).max(axis=0)
            if M.dtype != object and R.dtype != object and delta.dtype != object and (
                max_abs(M) * max_abs(r) + max_abs(delta) < INT64_SAFE
            ):
                out.append(primitive_rows(M[:, None] * r + delta))
            else:
                out.append(primitive_rows(_obj(M)[:, None] * _obj(r) + _obj(delta)))
    return out


def _local_frames(A, g):
    """Bases of the chart's directions ``W = A[0]^perp`` (rows ``BW``), ``g`` on ``W`` and
    a basis ``Bg`` of ``g^perp`` inside ``W`` (in ``W``-coordinates)."""
    BW = as_int_array(kernel_basis([int(a) for a in A[0]]))
    gW = [int(a) for a in matmul(BW, g[:, None])[:, 0]]
    return BW, gW, as_int_array(kernel_basis(gW))


def _local_arrangement(A, through, BW):
    """Normals, in ``W``-coordinates, of the hyperplanes ``A[through]`` (those through a ray)."""
    return matmul(A[through], BW.T)


def _level_set(A, g, T):
    """The arrangement restricted to ``(g + T a1)^perp`` (distinct normals, ``a1``'s trace first,
    orientation kept) and the basis rows ``B`` mapping its coordinates back."""
    while True:
        w = [int(a) + T * int(b) for a, b in zip(g, A[0])]
        B = as_int_array(kernel_basis(w))
        Ar = matmul(A, B.T)
        if all(any(int(a) != 0 for a in row) for row in Ar.tolist()):
            break
        T += 1  # a hyperplane contains the level set: move the level set down
    normals, index, orientation = distinct_hyperplanes(Ar.tolist())
    first = index[0]
    rest = [list(normals[i]) for i in range(len(normals)) if i != first]
    return as_int_array([[orientation[0] * a for a in normals[first]]] + rest), B


def _half_plane(A):
    """Dimension 2: the ``N`` sectors of ``{a1 . h > 0}`` between consecutive lines."""
    a1 = [int(a) for a in A[0]]
    q = [-a1[1], a1[0]]  # a1^perp; the half-plane runs from q to -q
    if A.shape[0] == 1:
        return as_int_array([a1])
    R = np.stack([-A[1:, 1], A[1:, 0]], axis=1)  # each line's direction, turned into the half-plane
    R = R * np.where(matmul(R, as_int_array([a1]).T)[:, 0] < 0, -1, 1)[:, None]
    num, den = -matmul(R, as_int_array([q]).T)[:, 0], matmul(R, as_int_array([a1]).T)[:, 0]  # den > 0
    rays = R[_sorted_ratios(num, den)]
    bounds = np.concatenate([as_int_array([q]).astype(R.dtype), rays, as_int_array([[-q[0], -q[1]]]).astype(R.dtype)])
    return primitive_rows(bounds[:-1] + bounds[1:])


def _sorted_ratios(num, den):
    """The order of the distinct rationals ``num / den`` (``den > 0``), increasing: by their float
    values, checked exactly on neighbours (cross products); Python fractions where that fails."""
    from fractions import Fraction

    from .numeric.support import ratio_order

    order = ratio_order(num, den)
    a, b = num[order], den[order]
    if num.dtype != object and den.dtype != object and max_abs(num) * max_abs(den) < INT64_SAFE:
        if (a[:-1] * b[1:] < a[1:] * b[:-1]).all():
            return order
    return sorted(range(len(num)), key=lambda i: Fraction(int(num[i]), int(den[i])))


def _generic_functional(A):
    """``g = (1, t, ..., t^(j-1))`` with ``g . e != 0`` for every edge direction ``e`` of the chart."""
    N, j = A.shape
    a1 = A[0]
    edges = []
    for S in _subsets(N - 1, j - 2):
        M = np.concatenate([A[S], np.broadcast_to(a1, (len(S), 1, j))], axis=1)
        e = generalized_cross(M)
        nz = (e != 0).any(axis=1)
        if nz.any():
            edges.append(e[nz])
    E = _concat(edges) if edges else as_int_array(np.zeros((0, j), dtype=np.int64))
    t = 1
    while True:
        g = as_int_array([t**i for i in range(j)])
        if not len(E) or (matmul(E, g[:, None]) != 0).all():
            return g
        t += 1


def _subsets(n, k):
    """All ``k``-subsets of ``{1, ..., n}`` as integer arrays of at most :data:`CHUNK` rows."""
    it = combinations(range(1, n + 1), k)
    if k == 0:
        yield np.zeros((1, 0), dtype=np.intp)
        return
    while True:
        block = np.fromiter((i for c in _take(it, CHUNK) for i in c), dtype=np.intp)
        if not len(block):
            return
        yield block.reshape(-1, k)


def _take(it, m):
    for _, c in zip(range(m), it):
        yield c


def _dot(u, v):
    return sum(int(a) * int(b) for a, b in zip(u, v))


def _max(a, b):
    return b if a is None else max(a, b)


def _unique_rows(R):
    """Distinct primitive rows of ``R`` and how often each occurs."""
    R = primitive_rows(R)
    if R.dtype != object:
        U, mult = np.unique(R, axis=0, return_counts=True)
        return U, mult
    seen = {}
    for row in R.tolist():
        key = tuple(int(a) for a in row)
        seen[key] = seen.get(key, 0) + 1
    return as_int_array(list(seen)), np.array(list(seen.values()))


def _concat(chunks):
    """Concatenate integer arrays: ``int64`` if every entry fits, else ``object``."""
    if any(c.dtype == object for c in chunks):
        if max(max_abs(c) for c in chunks) < INT64_SAFE:
            return np.concatenate([c.astype(np.int64) for c in chunks])
        chunks = [_obj(c) for c in chunks]
    return np.concatenate(chunks)


def _obj(A):
    return A if A.dtype == object else A.astype(object)
