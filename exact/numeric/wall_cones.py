r"""Projections onto many regions' cones at once, for :math:`d\le3`, from their walls.

A region's cone :math:`K_s=\{u:A_su\ge0\}` is cut out by its walls alone: the rows
:math:`a_j=(2D_{sj}-1)x_j` for the walls :math:`j` of the region
(:attr:`exact.arrangement.PatternSet.walls`). For :math:`d\le3` every face of :math:`K_s` is
:math:`\{0\}`, a ray on the line :math:`a_i\times a_j` where two walls meet, a facet in the plane
:math:`a_j^\perp`, or :math:`K_s` itself, and :math:`\Pi_{K_s}(g)` is the orthogonal projection of
:math:`g` onto the span of the face whose relative interior holds it. So :math:`\Pi_{K_s}(g)` is,
of the candidates

.. math:: 0,\quad g,\quad g-\frac{a_j^\top g}{\|a_j\|^2}a_j,\quad
          \frac{e_{ij}^\top g}{\|e_{ij}\|^2}e_{ij}\ (e_{ij}=a_i\times a_j,\ i<j),

the one in :math:`K_s` nearest to :math:`g`: each candidate :math:`c` is an orthogonal projection of
:math:`g`, so :math:`\|g-c\|^2=\|g\|^2-\|c\|^2` and the nearest one in :math:`K_s` is the longest one
in :math:`K_s`. Every candidate is linear in :math:`g`, so those of :math:`-g` are the negated ones
and one pass gives both signs :math:`\|\Pi_{K_s}(\pm g)\|` (the two blocks of a pattern).

:class:`WallCones` keeps the :math:`a_j`, the :math:`e_{ij}` and their squared norms of all the
patterns (they do not depend on :math:`g`): column generation projects the sums
:math:`g_s=X^\top D_s\nu` of a million regions every round, and building these rows from the
patterns again each time (a copy of :math:`D`) cost more than the projections.
"""

import weakref

import numpy as np

__all__ = ["WallCones", "applies", "cones_of"]

#: Patterns per vectorized pass (bounds the temporary arrays).
CHUNK = 8192

#: :func:`cones_of`'s cones, by ``id(D)``, with a weak reference to ``D``.
_BUILT = {}


def applies(d, walls):
    """Whether :class:`WallCones` serves these patterns: ``d <= 3`` and the walls of every
    pattern known (``walls`` a sequence with no ``None``)."""
    return walls is not None and d <= 3 and all(w is not None for w in walls)


def cones_of(X, D, walls):
    r"""The :class:`WallCones` of all the rows of ``D``, built once per array ``D`` (kept while
    ``D`` lives): for callers whose ``D`` and ``walls`` are one dataset's regions
    (:attr:`exact.arrangement.PatternSet.D`), priced again and again."""
    key = id(D)
    hit = _BUILT.get(key)
    if hit is None or hit[0]() is not D:
        hit = _BUILT[key] = (weakref.ref(D), WallCones(X, D, walls))
        weakref.finalize(D, _BUILT.pop, key, None)
    return hit[1]


class WallCones:
    r"""The cones :math:`K_s` of the rows of ``D`` (0/1 patterns), given by their ``walls``.

    Parameters
    ----------
    X : ndarray, shape (n, d), d <= 3
    D : ndarray, shape (P, n), 0/1
    walls : sequence of P row-index sequences
    rtol : float
        A candidate :math:`c` is taken as in :math:`K_s` when
        :math:`a_j^\top c\ge-\text{rtol}\,\|g\|\max_j\|a_j\|` for every wall.

    Examples
    --------
    The quadrant :math:`u_1,u_2\ge0` (walls: both rows of the identity):

    >>> cones = WallCones(np.eye(2), np.array([[1, 1]]), [[0, 1]])
    >>> cones.projections(np.array([[3.0, -4.0]])).tolist()
    [[3.0, 0.0]]
    >>> cones.norms(np.array([[3.0, -4.0]])).tolist()   # ||Pi(g)||, ||Pi(-g)||
    [[3.0, 4.0]]
    """

    def __init__(self, X, D, walls, rtol=1e-9):
        X = np.asarray(X, dtype=np.float64)
        if X.shape[1] > 3:
            raise ValueError(f"WallCones needs d <= 3, got d = {X.shape[1]}")
        self.d, self.rtol, self.size = X.shape[1], rtol, len(walls)
        sizes = np.fromiter((len(w) for w in walls), dtype=np.int64, count=len(walls))
        self.groups = []  # (pattern indices, A, |a|^2, E, |e|^2): one per wall count
        for k in np.unique(sizes):
            index = np.flatnonzero(sizes == k)
            W = np.array([list(walls[i]) for i in index], dtype=np.int64).reshape(len(index), k)
            A = (2.0 * np.take_along_axis(np.asarray(D)[index], W, axis=1) - 1)[..., None] * X[W] if k else np.zeros((len(index), 0, self.d))
            i, j = np.triu_indices(k, 1) if self.d == 3 else (np.zeros(0, dtype=np.int64),) * 2
            E = np.cross(A[:, i], A[:, j]) if len(i) else np.zeros((len(index), 0, self.d))
            self.groups.append((index, A, (A * A).sum(axis=2), E, (E * E).sum(axis=2)))

    def norms(self, G, which=None):
        r"""The :math:`P'\times2` array of :math:`\|\Pi_{K_s}(g_s)\|` and :math:`\|\Pi_{K_s}(-g_s)\|`,
        for the patterns ``which`` (indices, default all) and the rows ``G`` (:math:`P'\times d`, in
        that order)."""
        out = np.empty((len(G), 2))
        for at, C, plus, minus in self._candidates(G, which):
            sq = (C * C).sum(axis=2)
            out[at, 0] = np.sqrt(np.where(plus, sq, 0.0).max(axis=1))
            out[at, 1] = np.sqrt(np.where(minus, sq, 0.0).max(axis=1))
        return out

    def projections(self, G, which=None):
        r""":math:`\Pi_{K_s}(g_s)` for the patterns ``which`` and rows ``G`` (as in :meth:`norms`)."""
        out = np.zeros((len(G), self.d))
        for at, C, plus, _ in self._candidates(G, which):
            sq = np.where(plus, (C * C).sum(axis=2), -1.0)
            best = sq.argmax(axis=1)
            keep = sq[np.arange(len(at)), best] > 0
            out[at[keep]] = C[np.flatnonzero(keep), best[keep]]
        return out

    def _candidates(self, G, which):
        """Per chunk: positions in ``G``, the non-zero candidates of each
        :math:`g` (P', c, d), and which of them lie in :math:`K_s` and in :math:`-K_s`."""
        G = np.asarray(G, dtype=np.float64)
        if which is None:
            position = np.arange(self.size)
        else:
            position = np.full(self.size, -1)
            position[np.asarray(which, dtype=np.int64)] = np.arange(len(G))
        for index, A, a2, E, e2 in self.groups:
            at = position[index]
            rows = np.flatnonzero(at >= 0)
            for start in range(0, len(rows), CHUNK):
                part = rows[start : start + CHUNK]
                a, g = A[part], G[at[part]]
                s2 = a2[part]
                C = [g[:, None, :], g[:, None, :] - (np.einsum("pkd,pd->pk", a, g) / np.where(s2 > 0, s2, 1.0))[..., None] * a]
                if E.shape[1]:
                    e, t2 = E[part], e2[part]
                    C.append((np.einsum("pmd,pd->pm", e, g) / np.where(t2 > 0, t2, 1.0))[..., None] * e)
                C = np.concatenate(C, axis=1)
                AC = np.einsum("pkd,pmd->pmk", a, C)
                tol = (self.rtol * np.linalg.norm(g, axis=1) * np.sqrt(s2.max(axis=1, initial=0.0)))[:, None, None]
                yield at[part], C, (AC >= -tol).all(axis=2), (AC <= tol).all(axis=2)
