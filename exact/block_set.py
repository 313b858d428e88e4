r"""The blocks :math:`(D_s,\sigma)` of the convex problem (C), held as arrays.

(C) has two blocks per non-zero pattern: about :math:`10^6` at :math:`n=1000`, :math:`d=3`,
over :math:`5\cdot10^5` patterns. As :class:`~exact.optimality.Block` objects (a length-:math:`n`
tuple each) they take gigabytes, and every pass over them in floats converts the tuples back to
arrays. A :class:`BlockSet` keeps them as rows of a 0/1 matrix and a sign each; a ``Block`` is
built only for the few blocks the exact side handles one at a time.
"""

import numpy as np

from .optimality import Block, memo_for

__all__ = ["BlockSet", "Multipliers"]


class BlockSet:
    r"""Blocks ``i = 0..B-1``, block ``i`` being :math:`(D_{p_i},\sigma_i)`: row ``pattern[i]`` of the
    0/1 matrix ``D`` (``P x n``) and the sign ``sign[i]``.

    Parameters
    ----------
    X : tuple of tuples of Fraction
        The data (the key of the walls memo, :func:`~exact.optimality.memo_for`).
    D : array, shape (P, n)
        0/1 patterns (``uint8``, as :attr:`~exact.arrangement.PatternSet.D`).
    pattern, sign : int arrays, shape (B,)
    walls : sequence, optional
        The walls of each row of ``D`` (:attr:`~exact.arrangement.PatternSet.walls`); a block
        built from the set registers its walls, so that its exact projection uses them.
    tree : RegionTree, optional
        :attr:`~exact.arrangement.PatternSet.tree` when the rows of ``D`` are all the regions in
        order: sums over every row in :math:`O(Pd)`.

    Examples
    --------
    >>> from exact import enumerate_patterns
    >>> pats = enumerate_patterns([[1, 0], [0, 1]])
    >>> blocks = BlockSet.of_regions(pats.X, pats)
    >>> len(blocks), blocks[0]
    (6, Block(D=(0, 1), sign=1, face=()))
    """

    def __init__(self, X, D, pattern, sign, *, walls=None, tree=None):
        self.X, self.D, self.walls, self.tree = X, D, walls, tree
        self.pattern = np.asarray(pattern, dtype=np.int64)
        self.sign = np.asarray(sign, dtype=np.int64)

    @classmethod
    def of_regions(cls, X, pats):
        """Both blocks of every non-zero pattern of a :class:`~exact.arrangement.PatternSet` of
        ``X``, in its order (the blocks of (C) when the set is complete)."""
        D = pats.D
        rows = np.flatnonzero(D.any(axis=1))
        full = pats.complete
        walls, tree = (pats.walls, pats.tree) if full else (None, None)
        return cls(X, D, np.repeat(rows, 2), np.tile([1, -1], len(rows)), walls=walls, tree=tree)

    @classmethod
    def of(cls, X, blocks):
        """The set of a sequence of :class:`~exact.optimality.Block` (faces dropped), with the
        walls the memo knows."""
        blocks = list(blocks)
        rows, pattern = {}, []
        for b in blocks:
            pattern.append(rows.setdefault(b.D, len(rows)))
        D = np.array(list(rows), dtype=np.uint8).reshape(len(rows), len(X))
        known = memo_for(X, "walls")
        walls = [known.get(p) for p in rows]
        return cls(X, D, pattern, [b.sign for b in blocks], walls=walls if all(w is not None for w in walls) else None)

    def __len__(self):
        return len(self.pattern)

    def __getitem__(self, i):
        return self.row_block(int(self.pattern[i]), int(self.sign[i]))

    def row_block(self, p, sign):
        """The :class:`~exact.optimality.Block` of row ``p`` of ``D`` with ``sign`` (its walls
        registered)."""
        D = tuple(self.D[p].tolist())
        if self.walls is not None:
            memo_for(self.X, "walls").setdefault(D, self.walls[p])
        return Block(D, sign)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def take(self, index):
        """The blocks at ``index`` (indices or a boolean mask), as a set over the same ``D``."""
        return BlockSet(self.X, self.D, self.pattern[index], self.sign[index], walls=self.walls, tree=self.tree)

    @property
    def used_tree(self):
        """The region tree when sums over all rows of ``D`` along it pay: it is given and the
        blocks use more than a quarter of the rows (else ``None``: a product over the rows used)."""
        if self.tree is None or 4 * len(np.unique(self.pattern)) <= len(self.D):
            return None
        return self.tree

    def block_walls(self):
        """Each block's walls (``None`` when unknown)."""
        return None if self.walls is None else [self.walls[p] for p in self.pattern]


class Multipliers:
    r"""The multipliers that prove each block feasible, for certificates: block ->
    ``("fixed", {row: lambda})`` or ``("face", face)``. Blocks proved in bulk stay indices into
    their :class:`BlockSet` (a ``Block`` each is built only while :meth:`items` lists them)."""

    def __init__(self, blocks):
        self.blocks, self.bulk, self.single = blocks, {}, {}

    def __len__(self):
        return len(self.bulk) + len(self.single)

    def items(self):
        for i, lam in self.bulk.items():
            yield self.blocks[i], ("fixed", lam)
        yield from self.single.items()
