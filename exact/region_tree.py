r"""Sums over all activation patterns along a spanning tree of the regions' adjacency graph.

Two regions that share a facet on the hyperplane :math:`H_c` differ exactly in the rows on
:math:`H_c`: on the side :math:`\sigma\in\{\pm1\}` of :math:`H_c` (orientation of its normal
:math:`a_c`) the active rows of :math:`H_c` are those with :math:`x_k=t_k o_k a_c`,
:math:`t_k>0`, :math:`o_k=\sigma`. Hence for any row vectors :math:`v_k`

.. math:: S_s=\sum_{k\in D_s}v_k=S_{s'}+\sigma\sum_{k\in H_c}o_kv_k

for the region :math:`s` on side :math:`\sigma` of the facet it shares with :math:`s'`. Walking a
breadth-first spanning tree from one root, level by level, every :math:`S_s` costs one
vector addition: :math:`O(Pm)` operations for all :math:`P` patterns instead of the
:math:`O(Pnm)` of the product :math:`DV`. The sums are exact for integer vectors (``int64``
when a bound on every partial sum allows, Python integers otherwise) and carry the usual
rounding of a chain of additions for floats.
"""

import numpy as np

from .integer_matrices import INT64_SAFE

__all__ = ["RegionTree"]


class RegionTree:
    """A breadth-first spanning tree of the regions (:attr:`exact.arrangement.PatternSet.tree`).

    Parameters
    ----------
    size : int
        The number of regions :math:`P`.
    root_pattern : array of 0/1, shape (n,)
        :math:`D` of region 0, the root.
    facets : int array, shape (E, 3)
        Rows ``(region on the + side, region on the - side, hyperplane)``.
    planes : list of int arrays
        The rows on each hyperplane.
    orientation : sequence of +1/-1/0
        :math:`o_k` (0 for a zero row).

    Attributes
    ----------
    levels : list of int arrays
        The regions at each depth (the root alone at depth 0).
    parent, plane, side : int arrays, shape (P,)
        Each region's parent, the hyperplane of the facet they share and the region's side of it
        (0 at the root).
    """

    def __init__(self, size, root_pattern, facets, planes, orientation):
        self.root_pattern = np.asarray(root_pattern, dtype=bool)
        self.planes = planes
        self.orientation = np.asarray(orientation, dtype=np.int64)
        plus, minus, plane = (facets[:, i].astype(np.int64) for i in range(3))
        # each facet both ways: (from, to, hyperplane, side of "to")
        src, dst = np.concatenate([plus, minus]), np.concatenate([minus, plus])
        hyper = np.concatenate([plane, plane])
        side = np.concatenate([np.full(len(plus), -1), np.full(len(plus), 1)])
        order = np.argsort(src, kind="stable")
        src, dst, hyper, side = src[order], dst[order], hyper[order], side[order]
        starts = np.searchsorted(src, np.arange(size + 1))
        self.parent = np.zeros(size, dtype=np.int64)
        self.plane = np.zeros(size, dtype=np.int64)
        self.side = np.zeros(size, dtype=np.int64)
        seen = np.zeros(size, dtype=bool)
        seen[0] = True
        self.levels = [np.zeros(1, dtype=np.int64)]
        while True:  # breadth first, one level at a time
            f = self.levels[-1]
            counts = starts[f + 1] - starts[f]
            e = np.repeat(starts[f] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
            e = e[~seen[dst[e]]]
            if not len(e):
                break
            child, first = np.unique(dst[e], return_index=True)
            e = e[first]
            self.parent[child], self.plane[child], self.side[child] = src[e], hyper[e], side[e]
            seen[child] = True
            self.levels.append(child)
        if not seen.all():
            raise AssertionError("the regions' adjacency graph is not connected")

    def sums(self, V):
        r""":math:`S_s=\sum_{k\in D_s}V_k` for every region ``s``: a ``(P, m)`` array.

        ``V`` is an ``(n, m)`` array (floats, integers or Python integers); integer sums are
        exact (``int64`` when :math:`\sum_k\|V_k\|_\infty<2^{62}` bounds every sum, else ``object``).
        """
        V = np.asarray(V)
        if V.dtype.kind in "iu":
            V = V.astype(np.int64) if np.abs(V).max(initial=0) * len(V) < INT64_SAFE else V.astype(object)
        step = np.zeros((len(self.planes), V.shape[1]), dtype=V.dtype)  # sum_{k in H_c} o_k V_k
        for c, rows in enumerate(self.planes):
            step[c] = (self.orientation[rows, None] * V[rows]).sum(axis=0)
        S = np.zeros((len(self.parent), V.shape[1]), dtype=V.dtype)
        S[self.levels[0]] = V[self.root_pattern].sum(axis=0)
        for level in self.levels[1:]:
            S[level] = S[self.parent[level]] + self.side[level, None] * step[self.plane[level]]
        return S
