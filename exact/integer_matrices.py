r"""Exact integer matrices: numpy ``int64`` where a bound proves it safe, Python ints otherwise.

Every product here is exact. An operation runs in ``int64`` only when an a-priori bound on
every intermediate value is below :data:`INT64_SAFE` (:math:`2^{62}`); otherwise its operands
are converted to ``object`` arrays of Python integers, which numpy multiplies exactly (and
slowly). No float ever appears.
"""

import math

import numpy as np

__all__ = [
    "INT64_SAFE",
    "as_int_array",
    "max_abs",
    "matmul",
    "product_signs",
    "zero_one_products",
    "batched_det",
    "generalized_cross",
    "primitive_rows",
    "kernel_basis",
    "pivot_columns",
    "rank",
    "rational_product",
    "to_fmpq",
]

#: Largest magnitude allowed for any intermediate of an ``int64`` computation.
INT64_SAFE = 2**62


def as_int_array(rows):
    """Return integer data as an ``int64`` array if every entry is below 2^62, else ``object``.

    Examples
    --------
    >>> as_int_array([[1, 2], [3, 4]]).dtype
    dtype('int64')
    >>> as_int_array([[10**30, 1]]).dtype
    dtype('O')
    """
    arr = np.array(rows, dtype=object)
    if arr.size == 0:
        return arr.astype(np.int64)
    m = max(abs(int(a)) for a in arr.ravel())
    return arr.astype(np.int64) if m < INT64_SAFE else arr


def max_abs(A):
    """The largest absolute entry of an integer array, as a Python int (0 for an empty array)."""
    if A.size == 0:
        return 0
    return int(np.abs(A).max())


def matmul(A, B):
    """Exact product ``A @ B`` of integer arrays (``int64`` when a bound allows, else Python ints).

    Examples
    --------
    >>> matmul(as_int_array([[10**18, 1]]), as_int_array([[10**18], [1]])).tolist()
    [[1000000000000000000000000000000000001]]
    """
    inner = A.shape[-1]
    if A.dtype != object and B.dtype != object and max_abs(A) * max_abs(B) * max(inner, 1) < INT64_SAFE:
        return A @ B
    return _obj(A) @ _obj(B)


def product_signs(A, B):
    """The signs of ``A @ B`` (an ``int8`` array), exactly, at ``int64`` speed where possible.

    Rows of an ``object`` array ``A`` that fit in ``int64`` take the fast path. When the
    product could overflow ``int64`` but every row of ``A`` has 1-norm ``l1 < 2^31`` and
    ``|B| < 2^62`` (or the same with the roles of ``A`` and ``B^T`` exchanged), write ``B = 2^31 hi + lo`` with ``0 <= lo < 2^31``:
    ``A hi`` and ``A lo`` are exact in ``int64``, and ``|A lo| < l1 2^31``, so the sign of
    ``2^31 (A hi) + A lo`` is the sign of ``A hi`` wherever ``|A hi| >= l1``; elsewhere
    ``|A hi| < 2^31`` and the sum itself fits in ``int64``. Anything larger uses Python ints.

    Examples
    --------
    >>> A = as_int_array([[3, -1], [1, 1]])
    >>> B = as_int_array([[10**18], [3 * 10**18]])
    >>> product_signs(A, B).tolist()
    [[0], [1]]
    """
    if A.dtype == object and A.ndim == 2 and len(A):
        fits = (np.abs(A) < INT64_SAFE).all(axis=1)
        if fits.any():
            out = np.empty((A.shape[0], B.shape[1]), dtype=np.int8)
            out[fits] = product_signs(A[fits].astype(np.int64), B)
            if (~fits).any():
                out[~fits] = _object_signs(A[~fits], B)
            return out
    inner = A.shape[-1]
    if A.dtype != object and B.dtype != object:
        if max_abs(A) * max_abs(B) * max(inner, 1) < INT64_SAFE:
            return np.sign(A @ B).astype(np.int8)
        l1 = int(np.abs(A).sum(axis=-1).max())
        if l1 < 2**31 and max_abs(B) < INT64_SAFE:
            hi, lo = B >> 31, B & (2**31 - 1)
            Phi, Plo = A @ hi, A @ lo
            small = np.abs(Phi) < l1
            out = np.sign(Phi).astype(np.int8)
            if small.any():
                out[small] = np.sign(Phi[small] * 2**31 + Plo[small])
            return out
        if int(np.abs(B).sum(axis=0).max()) < 2**31 and max_abs(A) < INT64_SAFE:
            return product_signs(B.T, A.T).T  # the same split with the roles exchanged
    return _object_signs(A, B)


def _object_signs(A, B):
    P = _obj(A) @ _obj(B)
    return np.array([[(a > 0) - (a < 0) for a in row] for row in P.tolist()], dtype=np.int8).reshape(P.shape)


def zero_one_products(D, Z):
    """The exact product ``D @ Z`` of a 0/1 matrix ``D`` (``P x n``) and integers ``Z``
    (``n x d``, any size) as an ``object`` array of Python ints.

    ``Z`` is split into signed 31-bit limbs, each product is exact in ``int64`` (its entries
    are at most ``n 2^31``), and the limbs are recombined in Python integers.

    Examples
    --------
    >>> zero_one_products(np.array([[1, 1, 0], [0, 1, 1]]), [[10**30], [1], [-(10**30)]]).tolist()
    [[1000000000000000000000000000001], [-999999999999999999999999999999]]
    """
    D = np.asarray(D, dtype=np.int64)
    Zo = np.array(Z, dtype=object)
    sign = np.where(Zo < 0, -1, 1).astype(np.int64)
    mag = np.abs(Zo)
    out = np.zeros((D.shape[0], Zo.shape[1]), dtype=object)
    shift = 0
    while (mag != 0).any():
        limb = (mag % (1 << 31)).astype(np.int64)
        part = D @ (sign * limb)
        out = out + part.astype(object) * (1 << shift)
        mag = mag // (1 << 31)
        shift += 31
    return out


def batched_det(M):
    """Determinants of a stack of square integer matrices ``M[..., k, k]``, exactly.

    Explicit formulas for k <= 3, Laplace expansion along the first row above.
    """
    k = M.shape[-1]
    if k == 0:
        return np.ones(M.shape[:-2], dtype=np.int64)
    if M.dtype != object and math.factorial(k) * max_abs(M) ** k >= INT64_SAFE:
        M = _obj(M)
    if k == 1:
        return M[..., 0, 0]
    if k == 2:
        return M[..., 0, 0] * M[..., 1, 1] - M[..., 0, 1] * M[..., 1, 0]
    if k == 3:
        a, b, c = M[..., 0, 0], M[..., 0, 1], M[..., 0, 2]
        d, e, f = M[..., 1, 0], M[..., 1, 1], M[..., 1, 2]
        g, h, i = M[..., 2, 0], M[..., 2, 1], M[..., 2, 2]
        return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    total = 0
    for c in range(k):
        minor = np.delete(M[..., 1:, :], c, axis=-1)
        total = total + (-1) ** c * M[..., 0, c] * batched_det(minor)
    return total


def generalized_cross(M):
    r"""The generalized cross product of the rows of each ``M[..., k-1, k]``.

    Returns ``r`` with :math:`r_c = (-1)^c \det M_{\hat c}` (column ``c`` deleted), so that
    ``M r = 0``; ``r`` is non-zero exactly when the rows are independent, and then spans
    their orthogonal complement.

    Examples
    --------
    >>> generalized_cross(np.array([[[1, 0, 0], [0, 1, 0]]])).tolist()
    [[0, 0, 1]]
    """
    k = M.shape[-1]
    cols = [(-1) ** c * batched_det(np.delete(M, c, axis=-1)) for c in range(k)]
    return np.stack(cols, axis=-1)


def primitive_rows(A):
    """Divide each row of an integer array by the gcd of its entries (zero rows stay zero)."""
    if A.dtype == object:
        out = A.copy()
        for i, row in enumerate(A):
            g = math.gcd(*(int(a) for a in row))
            if g > 1:
                out[i] = [int(a) // g for a in row]
        return out
    g = np.gcd.reduce(A, axis=-1)
    g[g == 0] = 1
    return A // g[..., None]


def kernel_basis(w):
    """Integer rows spanning ``{z : w . z = 0}`` (a basis over Q), LLL-reduced to keep them short.

    Examples
    --------
    >>> B = kernel_basis([2, 3, 5])
    >>> [sum(a * b for a, b in zip(row, [2, 3, 5])) for row in B], rank(B)
    ([0, 0], 2)
    """
    from flint import fmpz_mat

    w = [int(a) for a in w]
    j = len(w)
    p = min((i for i in range(j) if w[i] != 0), key=lambda i: abs(w[i]))
    rows = []
    for i in range(j):
        if i != p:
            v = [0] * j
            v[i], v[p] = w[p], -w[i]
            rows.append(v)
    if not rows:
        return []
    return [[int(a) for a in row] for row in fmpz_mat(rows).lll().tolist()]


def pivot_columns(rows):
    """Indices of a maximal set of independent columns of a rational/integer matrix (RREF pivots)."""
    R, r = _fmpq_mat(rows).rref()
    piv = []
    for i in range(r):
        piv.append(next(c for c in range(R.ncols()) if R[i, c] != 0))
    return piv


def rank(rows):
    """Rank of an integer or rational matrix given as rows (exact, python-flint)."""
    if not rows:
        return 0
    return _fmpq_mat(rows).rank()


def rational_product(A, B):
    """The exact product ``A @ B`` of rational matrices given as rows, as rows of Fractions
    (python-flint ``fmpq_mat``: the inner products run in C, not over Python Fractions).

    Examples
    --------
    >>> from fractions import Fraction
    >>> rational_product([[1, 2]], [[Fraction(1, 2)], [3]])
    [[Fraction(13, 2)]]
    """
    from fractions import Fraction

    from flint import fmpq_mat

    if not A or not B or not B[0]:
        return [[Fraction(0)] * (len(B[0]) if B else 0) for _ in A]
    P = fmpq_mat([[to_fmpq(a) for a in r] for r in A]) * fmpq_mat([[to_fmpq(a) for a in r] for r in B])
    return [[Fraction(int(P[i, j].p), int(P[i, j].q)) for j in range(P.ncols())] for i in range(P.nrows())]


def to_fmpq(a):
    """An exact rational (int, Fraction, string, ``fmpq``) as a python-flint ``fmpq``.

    Examples
    --------
    >>> to_fmpq("3/6")
    1/2
    """
    from fractions import Fraction

    from flint import fmpq

    if isinstance(a, fmpq):
        return a
    if type(a) is not int and type(a) is not Fraction:
        a = Fraction(a)
    return fmpq(a.numerator, a.denominator)


def _fmpq_mat(rows):
    """Rows of exact rationals as an ``fmpq_mat`` (integers go in directly)."""
    from flint import fmpq_mat

    try:
        return fmpq_mat(rows)
    except TypeError:
        return fmpq_mat([[to_fmpq(a) for a in r] for r in rows])


def _obj(A):
    return A if A.dtype == object else A.astype(object)
