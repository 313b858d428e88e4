"""Float proposals for exact solvers: a basic (vertex) solution of a non-negative system.

The exact side keeps the independent columns such a proposal names and verifies everything
exactly; the float answer itself is never the evidence.
"""

import numpy as np

__all__ = ["basic_support"]


def basic_support(C, f, *, tol=1e-9):
    r"""Indices of a vertex of :math:`\{\gamma\ge0: C\gamma=f\}` (independent columns), in floats.

    Parameters
    ----------
    C : array-like, shape (n, k)
    f : array-like, shape (n,)
    tol : float
        Weights below ``tol * max(weight)`` are treated as zero.

    Returns
    -------
    list of int
        The support of a basic feasible solution found by the dual simplex method (HiGHS),
        or of the least-squares non-negative solution when the system is infeasible in floats.

    Examples
    --------
    >>> basic_support([[1, 0, 1], [0, 1, 1]], [1, 1])   # e1 + e2 = (1, 1): a vertex uses 2 or 1 columns
    [2]
    """
    from scipy.optimize import linprog, nnls

    C = np.asarray(C, dtype=float)
    f = np.asarray(f, dtype=float)
    res = linprog(np.ones(C.shape[1]), A_eq=C, b_eq=f, bounds=(0, None), method="highs-ds")
    gamma = res.x if res.status == 0 else nnls(C, f)[0]
    top = gamma.max(initial=0.0)
    return [int(i) for i in np.flatnonzero(gamma > tol * top)] if top > 0 else []
