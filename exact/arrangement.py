r"""Activation patterns: the regions of the hyperplane arrangement of the data, exactly.

For data :math:`X\in\mathbb Q^{n\times d}` with rows :math:`x_k`, a sign vector
:math:`s\in\{-1,+1\}^n` (on the non-zero rows) is a *region* when
:math:`R_s=\{h: s_kx_k^\top h>0\ \forall k\}` is non-empty; its activation pattern is
:math:`D_s=\operatorname{diag}(\mathbb 1[s_k=1])` and its cone
:math:`K_s=\{u:(2D_s-I)Xu\ge0\}=\overline{R_s}` (``math/convex_duality.md`` §2, D2.1). A zero
row (a sample at the origin) is inactive in every pattern and carries the sign 0. The regions
come in antipodal pairs, so :math:`P` is even (or 1 when every row is zero).

Three methods compute the same set (each returns every region once, with an integer witness
:math:`h` whose signs are checked exactly):

``"sweep"`` (default)
    the lowest-vertex sweep of :mod:`exact.vertex_sweep`: vectorized, :math:`O(n^{r-1})`
    candidate vertices for rank :math:`r`.
``"deletion_restriction"``
    add the hyperplanes one at a time; the regions a new hyperplane :math:`H` cuts are in
    bijection with the regions of the restriction to :math:`H` (dimension :math:`r-1`).
``"brute_force"``
    one exact LP per sign vector of the distinct hyperplanes (:math:`2^N` of them), each
    answered with a witness or a Gordan certificate; for small :math:`N` only.

Counts (:func:`count_patterns`) come from the sweep without witnesses, from Zaslavsky's
theorem :math:`P=\sum_F|\mu(\hat0,F)|` over the lattice of flats, or from Cover's formula
:math:`P=2\sum_{k<r}\binom{n-1}{k}` after an exact general-position test.
"""

import bisect
import math
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations, product

import numpy as np

from .data import rational_matrix
from .errors import CertificateError, InvalidDataError, ReluscapeError, ResourceLimitError, entries
from .integer_matrices import as_int_array, batched_det, kernel_basis, matmul, pivot_columns, product_signs, rank
from .vertex_sweep import distinct_hyperplanes, half_region_witnesses, region_count, region_witnesses

__all__ = [
    "METHODS",
    "MAX_PATTERNS",
    "MAX_SWEEP_VERTICES",
    "Pattern",
    "PatternSet",
    "enumerate_patterns",
    "count_patterns",
    "cover_count",
    "is_in_general_position",
    "integer_rows",
    "cone_rows",
]

#: The enumeration methods, all returning the same set of patterns.
METHODS = ("sweep", "deletion_restriction", "brute_force")

#: Default limit on the number of patterns :func:`enumerate_patterns` materialises.
MAX_PATTERNS = 5_000_000

#: Default limit on the candidate vertices :math:`\binom{N-1}{r-1}` the sweep examines (about a
#: minute on one core); beyond it, counting and enumerating are refused before they start.
MAX_SWEEP_VERTICES = 5_000_000

#: Largest number of distinct hyperplanes ``brute_force`` accepts (it solves 2^N LPs).
BRUTE_FORCE_MAX = 14


@dataclass(frozen=True)
class Pattern:
    r"""One activation pattern: strict signs :math:`s_k=\operatorname{sign}(x_k^\top h)` and a witness.

    ``signs[k]`` is ``+1`` (row active), ``-1`` (inactive) or ``0`` (zero row);
    ``witness`` is an integer vector ``h`` with exactly these signs.

    Examples
    --------
    >>> p = Pattern(signs=(1, -1, 0), witness=(1, -2))
    >>> p.D, p.active
    ((1, 0, 0), frozenset({0}))
    """

    signs: tuple
    witness: tuple

    @property
    def D(self):
        """The diagonal of :math:`D_s`: ``1`` on active rows, ``0`` elsewhere."""
        return tuple(1 if s > 0 else 0 for s in self.signs)

    @property
    def active(self):
        """The set of active rows :math:`\\{k : x_k^\\top h > 0\\}`."""
        return frozenset(k for k, s in enumerate(self.signs) if s > 0)


class PatternSet:
    """All activation patterns of ``X``, in canonical order, with integer witnesses.

    A sequence of :class:`Pattern`. Patterns are stored compactly (one bit per row and
    pattern); the order is lexicographic in ``D`` (inactive before active, row 0 first), so
    every method returns the same sequence of sign vectors. Witnesses depend on the method.

    Attributes
    ----------
    X : tuple of tuples of Fraction
        The data.
    method : str
        The enumeration method used.
    complete : bool
        Whether these are all the regions (``False`` for samples and sub-lists).
    """

    def __init__(self, X, bits, witnesses, method, *, complete=True):
        self.X = X
        self.method = method
        self.complete = complete
        self._bits = bits
        self._witnesses = witnesses
        self._zero = np.array([not any(row) for row in X], dtype=bool)

    @property
    def n(self):
        """Number of rows of ``X``."""
        return len(self.X)

    @property
    def d(self):
        """Number of columns of ``X``."""
        return len(self.X[0])

    def __len__(self):
        return self._bits.shape[0]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        D = np.unpackbits(self._bits[i], count=self.n).astype(np.int8)
        signs = np.where(self._zero, 0, 2 * D - 1)
        return Pattern(tuple(signs.tolist()), tuple(int(a) for a in self._witnesses[i]))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __eq__(self, other):
        if not isinstance(other, PatternSet):
            return NotImplemented
        return self.X == other.X and np.array_equal(self._bits, other._bits)

    def __hash__(self):
        return hash((self.X, self._bits.tobytes()))

    def __repr__(self):
        return f"PatternSet(n={self.n}, d={self.d}, patterns={len(self)}, method={self.method!r})"

    def __contains__(self, signs):
        return self.index(signs, missing=None) is not None

    def index(self, signs, missing=ValueError):
        """Position of the pattern with these signs (or active set ``D`` as 0/1)."""
        D = (np.asarray(signs) > 0).astype(np.uint8)
        if D.ndim != 1:
            raise ValueError(f"signs must be one sequence of {self.n} signs, not an array of shape {D.shape}")
        if len(D) != self.n:
            raise ValueError(f"signs has {entries(len(D))}, expected {self.n}")
        key = np.packbits(D).tobytes()
        rows = _RowView(self._bits)
        i = bisect.bisect_left(rows, key)
        if i < len(self) and rows[i] == key:
            return i
        if missing is ValueError:
            raise ValueError(f"{tuple(signs)} is not an activation pattern of X")
        return missing

    @property
    def packed(self):
        """The patterns as packed bit rows (``np.packbits`` of ``D`` along each row), read-only."""
        view = self._bits.view()
        view.flags.writeable = False
        return view

    @property
    def D(self):
        """The ``P x n`` 0/1 matrix of patterns (``uint8``); ``P n`` bytes of memory."""
        return np.unpackbits(self._bits, axis=1, count=self.n)

    @property
    def signs(self):
        """The ``P x n`` matrix of signs (``int8``: +1 active, -1 inactive, 0 on zero rows)."""
        return np.where(self._zero, 0, 2 * self.D.astype(np.int8) - 1).astype(np.int8)

    @property
    def witnesses(self):
        """The ``P x d`` integer matrix of witnesses (``int64``, or ``object`` when large)."""
        return self._witnesses

    @cached_property
    def walls(self):
        r"""For each region :math:`s`, the rows whose hyperplanes carry a facet of its closed cone
        :math:`K_s=\{u:\operatorname{diag}(2D_s-I)Xu\ge0\}` (its walls), as a tuple of int tuples.

        The facets on a hyperplane :math:`H` are the regions of the arrangement restricted to
        :math:`H` (one dimension less, enumerated with witnesses :math:`p\in H`); the facet of
        witness :math:`p` borders the two regions of patterns :math:`1[Xp>0]` with the rows on
        :math:`H` set to either side, and both are found in this (complete, sorted) set. Rows on one hyperplane
        (parallel or antiparallel) are listed together; zero rows never. :math:`K_s` is cut out
        by its walls alone, so projections onto it need only these rows.

        Raises
        ------
        ValueError
            For a set that is not :attr:`complete` (a sample cannot tell its walls).

        Examples
        --------
        >>> enumerate_patterns([[1, 0], [0, 1], [1, 1]]).walls
        ((0, 1), (1, 2), (0, 2), (0, 2), (1, 2), (0, 1))
        """
        facets, planes, _ = self._facets
        pairs = np.unique(np.concatenate([facets[:, [0, 2]], facets[:, [1, 2]]]), axis=0)  # by region, plane
        cuts = np.searchsorted(pairs[:, 0], np.arange(len(self) + 1))
        return tuple(
            tuple(sorted(int(k) for c in pairs[lo:hi, 1] for k in planes[c])) for lo, hi in zip(cuts[:-1], cuts[1:])
        )

    @cached_property
    def tree(self):
        r"""A spanning tree of the regions' adjacency graph (:class:`~exact.region_tree.RegionTree`):
        sums over every pattern, :math:`\sum_{k\in D_s}v_k`, in :math:`O(Pm)` instead of :math:`O(Pnm)`."""
        from .region_tree import RegionTree

        return RegionTree(len(self), self.D[0], *self._facets)

    @cached_property
    def _facets(self):
        """The facets of the arrangement as rows ``(region +, region -, hyperplane)`` (the regions
        on the hyperplane's positive and negative side), each hyperplane's rows, and each row's
        orientation on its hyperplane (:func:`~exact.vertex_sweep.distinct_hyperplanes`); see :attr:`walls`."""
        if not self.complete:
            raise ValueError("walls need all the regions; this PatternSet is a sample")
        normals, index, orientation = distinct_hyperplanes(integer_rows(self.X))
        index, orient = np.array(index), np.array(orientation)
        planes = [np.flatnonzero(index == c) for c in range(len(normals))]
        A = as_int_array(normals)
        width = self._bits.shape[1]
        keys = np.ascontiguousarray(self._bits).view(np.dtype((np.void, width))).ravel()
        facets = [np.zeros((0, 3), dtype=np.int64)]
        on = index >= 0
        for c, a in enumerate(normals):
            B = as_int_array(kernel_basis(a)).reshape(-1, len(a))  # coordinates on the plane
            others = np.delete(np.arange(len(normals)), c)
            Z = region_witnesses(matmul(A[others], B.T).tolist(), d=B.shape[0])
            S = product_signs(matmul(Z, B), A.T)  # facets x planes; 0 on plane c
            active = np.zeros((S.shape[0], self.n), dtype=bool)
            active[:, on] = S[:, index[on]] * orient[on] > 0
            sides = []
            for side in (1, -1):
                active[:, planes[c]] = orient[planes[c]] * side > 0
                query = np.packbits(active, axis=1).view(np.dtype((np.void, width))).ravel()
                i = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
                if not (keys[i] == query).all():
                    raise AssertionError("a facet borders a pattern missing from this complete set")
                sides.append(i)
            facets.append(np.stack(sides + [np.full(len(sides[0]), c)], axis=1))
        return np.concatenate(facets), planes, orient

    def sign_set(self):
        """The patterns as a frozenset of sign tuples (method independent)."""
        return frozenset(tuple(int(s) for s in row) for row in self.signs)

    @cached_property
    def general_position(self):
        """Whether the non-zero rows are in general position (:func:`is_in_general_position`)."""
        return is_in_general_position(self.X)

    def verify(self):
        """Recompute every ``sign(x_k . h)`` exactly and compare with the stored patterns.

        Raises
        ------
        CertificateError
            Naming the first pattern whose witness does not give its signs.
        """
        R = as_int_array(integer_rows(self.X)).T
        step = 1 << 12
        for start in range(0, len(self), step):
            S = product_signs(self._witnesses[start : start + step], R)
            D = np.unpackbits(self._bits[start : start + step], axis=1, count=self.n).astype(np.int8)
            bad = np.flatnonzero((S != np.where(self._zero, 0, 2 * D - 1)).any(axis=1))
            if len(bad):
                i = start + int(bad[0])
                raise CertificateError(f"pattern {i}: witness {self[i].witness} does not give signs {self[i].signs}")
        if _sort_rows(self._bits)[1]:
            raise CertificateError("a pattern is listed twice")
        return True

    def certificate(self, *, complete=True):
        """The ``reluscape/patterns/1`` JSON certificate (see :mod:`exact.checker`)."""
        from .certificates import patterns_certificate

        return patterns_certificate(self, complete=complete)


def enumerate_patterns(X, *, method=None, max_patterns=MAX_PATTERNS, progress=None):
    r"""Return all activation patterns of ``X`` with integer witnesses, as a :class:`PatternSet`.

    A pattern is a region of the arrangement :math:`\{h : x_k^\top h = 0\}`: the strict sign
    vector :math:`s_k=\operatorname{sign}(x_k^\top h)` of some :math:`h` (0 on zero rows)
    (Pilanci–Ergen 2020, Sec. 2; ``math/convex_duality.md`` D2.1). Any rational data is
    allowed: repeated, parallel or antiparallel rows, zero rows, rank below ``d``.

    Parameters
    ----------
    X : n x d array-like of exact numbers (see :func:`exact.data.rational_matrix`)
    method : {"sweep", "deletion_restriction", "brute_force"}, optional
        Default ``"sweep"``. All return the same patterns; witnesses differ.
    max_patterns : int
        Refuse (before enumerating) when the number of patterns exceeds this: Cover's upper
        bound :math:`C(N, r)` decides when it is below; otherwise the exact count of the sweep
        (when it needs at most :data:`MAX_SWEEP_VERTICES` candidate vertices).
    progress : callable(done, total), optional
        Called as the sweep advances through its candidate vertices.

    Returns
    -------
    PatternSet
        Every witness has been checked exactly: ``sign(x_k . h)`` is the stored sign.

    Raises
    ------
    InvalidDataError
        If ``X`` is ragged, empty or has a non-exact entry.
    ResourceLimitError
        If the number of patterns may exceed ``max_patterns``.

    See Also
    --------
    count_patterns : the number of patterns without listing them.

    Notes
    -----
    Cost of the sweep: :math:`\binom{N-1}{r-1}` candidate vertices for :math:`N` distinct
    hyperplanes of rank :math:`r`, vectorized; measured in ``bench/patterns.py``.

    Examples
    --------
    >>> pats = enumerate_patterns([[1, 0], [0, 1], [1, 1], [1, -1]])
    >>> len(pats)
    8
    >>> pats[0]
    Pattern(signs=(-1, -1, -1, -1), witness=(-2, -1))
    >>> enumerate_patterns([[1, 1], [2, 2], [0, 0]]).sign_set() == {(1, 1, 0), (-1, -1, 0)}
    True
    >>> enumerate_patterns([[1, 0], [0]])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: X[1] has 1 entry, expected 2
    """
    Xq = rational_matrix(X)
    method = _method(method)
    rows = integer_rows(Xq)
    normals, index, orientation = distinct_hyperplanes(rows)
    d = len(Xq[0])
    r = rank(normals) if normals else 0
    bound = cover_count(len(normals), r) if normals else 1
    if bound > max_patterns:
        exact = bound if _sweep_vertices(len(normals), r) > MAX_SWEEP_VERTICES else region_count(normals)
        if exact > max_patterns:
            raise ResourceLimitError(
                f"X (n = {len(Xq)}, d = {d}) has {'up to ' if exact == bound else ''}{exact} activation patterns, "
                f"more than max_patterns = {max_patterns}; pass a larger max_patterns (memory: about "
                f"{len(Xq) // 8 + 8 * d + 1} bytes per pattern) or use count_patterns(X)"
            )
    if not normals:
        bits = np.packbits(np.zeros((1, len(Xq)), dtype=np.uint8), axis=1)
        return PatternSet(Xq, bits, np.zeros((1, d), dtype=np.int64), method)
    A = as_int_array(normals)
    if method == "sweep":
        piv = pivot_columns(normals)
        half = half_region_witnesses(as_int_array([[n[c] for c in piv] for n in normals]), progress)
        H = np.zeros((half.shape[0], d), dtype=half.dtype)
        H[:, piv] = half
        bits = _pattern_bits(A, index, orientation, H)
        bits = np.concatenate([bits, bits ^ np.packbits(np.array(index) >= 0)])
        H = np.concatenate([H, -H])
    else:
        H = _deletion_restriction(normals) if method == "deletion_restriction" else _brute_force(normals)
        bits = _pattern_bits(A, index, orientation, H)
    order, repeated = _sort_rows(bits)
    if repeated:
        raise AssertionError(f"{method}: two witnesses lie in the same region")
    bits, H = bits[order], H[order]
    return PatternSet(Xq, bits, H, method)


def count_patterns(X, *, method=None, max_vertices=MAX_SWEEP_VERTICES):
    r"""Return :math:`P`, the number of activation patterns (regions) of ``X``.

    Parameters
    ----------
    X : n x d array-like of exact numbers
    method : {"sweep", "zaslavsky", "cover"} or an enumeration method, optional
        ``"sweep"`` (default) counts with the lowest-vertex sweep, without witnesses;
        ``"zaslavsky"`` sums :math:`|\mu(\hat0,F)|` over the lattice of flats (small data);
        ``"cover"`` checks general position exactly and applies Cover's formula (raises
        ``ReluscapeError`` if the rows are not in general position); an enumeration method
        counts the patterns it lists.
    max_vertices : int
        Refuse the sweep (before it starts) when it would examine more than this many candidate
        vertices, :math:`\binom{N-1}{r-1}` for :math:`N` distinct hyperplanes of rank :math:`r`.

    Raises
    ------
    InvalidDataError
        If ``X`` is ragged, empty or has a non-exact entry.
    ResourceLimitError
        If the sweep needs more than ``max_vertices`` candidate vertices, or Zaslavsky's lattice
        walk more than ``exact.checker.MAX_RANKS`` rank computations.

    Examples
    --------
    >>> count_patterns([[1, 0], [0, 1], [1, 1], [1, -1]])
    8
    >>> count_patterns([[1, 1], [2, 2], [-3, -3]])   # one hyperplane
    2
    >>> count_patterns([[1, 0], [0]])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: X[1] has 1 entry, expected 2
    """
    Xq = rational_matrix(X)
    rows = integer_rows(Xq)
    if method in (None, "sweep"):
        normals = distinct_hyperplanes(rows)[0]
        r = rank(normals) if normals else 0
        work = _sweep_vertices(len(normals), r)
        if work > max_vertices:
            raise ResourceLimitError(
                f"counting the regions of X (n = {len(Xq)}, d = {len(Xq[0])}: {len(normals)} distinct hyperplanes of "
                f"rank {r}) examines C({len(normals) - 1}, {r - 1}) = {work} candidate vertices, more than "
                f"max_vertices = {max_vertices}; pass a larger max_vertices (Cover's upper bound is "
                f"{cover_count(len(normals), r)})"
            )
        return region_count(normals)
    if method == "zaslavsky":
        from fractions import Fraction

        from .checker import CheckFailed, zaslavsky_count

        try:
            return zaslavsky_count([[Fraction(a) for a in r] for r in rows if any(r)])
        except CheckFailed as err:
            raise ResourceLimitError(f"{err}; or use method='sweep'") from err
    if method == "cover":
        if not is_in_general_position(Xq):
            raise ReluscapeError("the rows of X are not in general position; Cover's formula does not apply")
        nonzero = [r for r in rows if any(r)]
        return cover_count(len(nonzero), rank(nonzero)) if nonzero else 1
    return len(enumerate_patterns(Xq, method=method))


def cover_count(n, r):
    r"""Cover's count :math:`C(n,r)=2\sum_{k<r}\binom{n-1}{k}` (:math:`2^n` when :math:`n\le r`).

    The number of regions of ``n`` hyperplanes in general position whose normals span a space
    of dimension ``r`` (Cover 1965); an upper bound for any ``n`` hyperplanes of rank ``r``.

    Examples
    --------
    >>> cover_count(1000, 3), cover_count(200, 4), cover_count(3, 5)
    (999002, 2627200, 8)
    >>> cover_count(-1, 2)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: n = -1 must be an integer >= 0
    """
    for name, value in (("n", n), ("r", r)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidDataError(f"{name} = {value!r} must be an integer >= 0")
    if n <= r:
        return 2**n
    return 2 * sum(math.comb(n - 1, k) for k in range(r))


def is_in_general_position(X):
    r"""Whether the non-zero rows of ``X`` are in general position.

    General position (``math/convex_duality.md`` T2.2): any :math:`\min(n, r)` of the
    non-zero rows are linearly independent, :math:`r=\operatorname{rank}X`. Checked exactly
    by all :math:`r\times r` minors of the rows in a basis of the row space.

    Examples
    --------
    >>> is_in_general_position([[1, 0], [0, 1], [1, 1]])
    True
    >>> is_in_general_position([[1, 0], [0, 1], [2, 0]])
    False
    """
    rows = [r for r in integer_rows(rational_matrix(X)) if any(r)]
    if not rows:
        return True
    piv = pivot_columns(rows)
    r = len(piv)
    size = min(r, len(rows))
    A = as_int_array([[row[c] for c in piv] for row in rows])
    if size < r:  # fewer rows than the rank: they must be independent
        return rank(rows) == len(rows)
    combos = combinations(range(len(rows)), size)
    while True:
        block = np.fromiter((i for c in _take(combos, 1 << 14) for i in c), dtype=np.intp)
        if not len(block):
            return True
        if (batched_det(A[block.reshape(-1, size)]) == 0).any():
            return False


def integer_rows(X):
    """Scale each row of a rational matrix to coprime integers (same hyperplanes, same signs).

    Examples
    --------
    >>> integer_rows([["1/2", "1/3"], [0, 0], [4, -6]])
    [[3, 2], [0, 0], [2, -3]]
    """
    out = []
    for row in rational_matrix(X):
        lcm = math.lcm(*(a.denominator for a in row))
        ints = [int(a * lcm) for a in row]
        g = math.gcd(*ints) or 1
        out.append([a // g for a in ints])
    return out


def cone_rows(X, pattern):
    r"""The rows of :math:`(2D_s-I)X`, so that :math:`K_s=\{u : (2D_s-I)Xu\ge0\}`.

    Examples
    --------
    >>> cone_rows([[1, 0], [0, 1]], Pattern((1, -1), (1, -1)))
    ((Fraction(1, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(-1, 1)))
    """
    Xq = rational_matrix(X)
    return tuple(tuple(a if dk else -a for a in row) for row, dk in zip(Xq, pattern.D))


# ---------------------------------------------------------------------------------------------


def _sweep_vertices(N, r):
    """Candidate vertices of the sweep for N distinct hyperplanes of rank r."""
    return math.comb(N - 1, r - 1) if N else 0


def _method(method):
    method = "sweep" if method is None else method
    if method not in METHODS:
        raise InvalidDataError(f"method = {method!r} is not one of {', '.join(METHODS)}")
    return method


def _pattern_bits(A, index, orientation, H):
    """Packed patterns ``1[x_k . h > 0]`` of the witnesses ``H`` (rows), checked exactly.

    ``A`` holds the distinct hyperplanes' normals; row ``k`` of the data is a positive multiple
    of ``orientation[k] * A[index[k]]`` (``index[k] = -1`` for a zero row).
    """
    index = np.array(index)
    orient = np.array(orientation, dtype=np.int8)
    nonzero = index >= 0
    identity = nonzero.all() and (orient == 1).all() and (index == np.arange(len(index))).all()
    chunks = []
    for start in range(0, H.shape[0], 1 << 12):
        S = product_signs(H[start : start + (1 << 12)], A.T)  # witnesses x hyperplanes
        if not S.all():
            raise AssertionError("a witness lies on a hyperplane")
        if not identity:
            rows = np.zeros((S.shape[0], len(index)), dtype=np.int8)
            rows[:, nonzero] = S[:, index[nonzero]] * orient[nonzero]
            S = rows
        chunks.append(np.packbits(S > 0, axis=1))
    return np.concatenate(chunks)


def _sort_rows(bits):
    """The canonical order of packed patterns, and whether two are equal."""
    if len(bits) < 2:
        return np.arange(len(bits)), False
    view = np.ascontiguousarray(bits).view(np.dtype((np.void, bits.shape[1]))).ravel()
    order = np.argsort(view, kind="stable")
    ranked = view[order]
    return order, bool((ranked[1:] == ranked[:-1]).any())


class _RowView:
    """The packed rows as bytes, for binary search."""

    def __init__(self, bits):
        self.bits = bits

    def __len__(self):
        return self.bits.shape[0]

    def __getitem__(self, i):
        return self.bits[i].tobytes()


def _deletion_restriction(normals):
    """Witnesses by adding one hyperplane at a time (regions cut by ``H`` <-> regions of ``A|H``)."""
    d = len(normals[0])
    regions = [[0] * d]
    for t, a in enumerate(normals):
        prev = normals[:t]
        B = kernel_basis(a)  # rows span H = a^perp
        restricted = [[_dot(p, b) for b in B] for p in prev]
        cut = {}
        for z in (_deletion_restriction_nonzero(restricted, len(B)) if B else [[]]):
            p = [sum(zi * b[c] for zi, b in zip(z, B)) for c in range(d)]
            cut[tuple(_sgn(_dot(q, p)) for q in prev)] = p
        new = []
        for w in regions:
            key = tuple(_sgn(_dot(q, w)) for q in prev)
            if key in cut:
                p = cut[key]
                M = 1 + max((abs(_dot(q, a)) // abs(_dot(q, p)) for q in prev), default=0)
                new += [_primitive([M * x + y for x, y in zip(p, a)]), _primitive([M * x - y for x, y in zip(p, a)])]
            else:
                new.append(w)
        regions = new
    return as_int_array(regions)


def _deletion_restriction_nonzero(rows, dim):
    nonzero_distinct = distinct_hyperplanes(rows)[0]
    if not nonzero_distinct:
        return [[0] * dim]
    return _deletion_restriction([list(r) for r in nonzero_distinct]).tolist()


def _brute_force(normals):
    """Witnesses by one exact LP per sign vector of the distinct hyperplanes."""
    from .lp import strictly_feasible

    if len(normals) > BRUTE_FORCE_MAX:
        raise ResourceLimitError(
            f"brute_force solves 2^N LPs; N = {len(normals)} distinct hyperplanes exceeds {BRUTE_FORCE_MAX}"
        )
    out = []
    for s in product((1, -1), repeat=len(normals)):
        ok, h = strictly_feasible([[si * a for a in n] for si, n in zip(s, normals)])
        if ok:
            lcm = math.lcm(*(a.denominator for a in h))
            out.append(_primitive([int(a * lcm) for a in h]))
    return as_int_array(out)


def _dot(u, v):
    return sum(int(a) * int(b) for a, b in zip(u, v))


def _sgn(a):
    return (a > 0) - (a < 0)


def _primitive(v):
    g = math.gcd(*v) or 1
    return [a // g for a in v]


def _take(it, m):
    for _, c in zip(range(m), it):
        yield c
