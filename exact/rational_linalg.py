"""Exact linear algebra over Q on lists of Fractions (small dense systems).

Gauss–Jordan elimination; the kernels call these for the systems of a few rows (cone faces,
active sets, vertex supports). Entries may also be exact elements of a field extension (e.g.
:class:`exact.multiquadratic.Multiquadratic`), which are used as they are. Large matrices go
through python-flint (:mod:`exact.integer_matrices`).
"""

from fractions import Fraction

__all__ = ["solve", "inverse", "independent_rows"]


def solve(G, b):
    """The solution of ``G x = b`` for square ``G``, or ``None`` when ``G`` is singular.

    Examples
    --------
    >>> solve([[2, 1], [1, 3]], [3, 5])
    [Fraction(4, 5), Fraction(7, 5)]
    >>> solve([[1, 2], [2, 4]], [1, 1]) is None
    True
    """
    k = len(b)
    M = [[_f(a) for a in G[i]] + [_f(b[i])] for i in range(k)]
    return [row[k] for row in M] if _eliminate(M, k) else None


def inverse(G):
    """The inverse of a non-singular square matrix (``None`` when singular).

    Examples
    --------
    >>> inverse([[2, 0], [0, 4]])
    [[Fraction(1, 2), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 4)]]
    """
    k = len(G)
    M = [[_f(a) for a in G[i]] + [Fraction(int(i == j)) for j in range(k)] for i in range(k)]
    return [row[k:] for row in M] if _eliminate(M, k) else None


def independent_rows(rows):
    """Indices of a maximal independent subset of ``rows``, chosen greedily in order.

    Examples
    --------
    >>> independent_rows([[1, 0], [2, 0], [0, 1]])
    [0, 2]
    """
    basis, reduced = [], []
    for i, r in enumerate(rows):
        v = [_f(a) for a in r]
        for piv, b in reduced:
            if v[piv] != 0:
                f = v[piv] / b[piv]
                v = [a - f * c for a, c in zip(v, b)]
        piv = next((c for c, a in enumerate(v) if a != 0), None)
        if piv is not None:
            basis.append(i)
            reduced.append((piv, v))
    return basis


def _f(a):
    """Rationals as Fractions; exact field elements (anything with arithmetic) unchanged."""
    return a if hasattr(a, "terms") else Fraction(a)


def _eliminate(M, k):
    """Gauss–Jordan on the first ``k`` columns of the augmented rows ``M``, in place."""
    for c in range(k):
        piv = next((r for r in range(c, k) if M[r][c] != 0), None)
        if piv is None:
            return False
        M[c], M[piv] = M[piv], M[c]
        inv = 1 / M[c][c]
        M[c] = [a * inv for a in M[c]]
        for r in range(k):
            if r != c and M[r][c] != 0:
                f = M[r][c]
                M[r] = [a - f * v for a, v in zip(M[r], M[c])]
    return True
