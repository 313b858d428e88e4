"""Float proposals for exact solvers: a basic (vertex) solution of a non-negative system, and
Newton steps and approximate inverses of well-conditioned Jacobians.

The exact side keeps the independent columns such a proposal names and verifies everything
exactly; the float answer itself is never the evidence.
"""

import numpy as np

__all__ = ["basic_support", "interior_weights", "newton_step", "approximate_inverse"]

#: Condition numbers above this make the float routes decline (callers go to high precision).
MAX_CONDITION = 1e10


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


def interior_weights(C, f, upper):
    r"""Rational weights :math:`s` with :math:`Cs\approx f` as far inside :math:`0\le s\le` ``upper`` as possible.

    Maximizes :math:`\delta` subject to :math:`Cs=f`, :math:`\delta\le s_b\le u_b-\delta` in floats
    (HiGHS), then rounds :math:`s` to nearby non-negative rationals (a proposal: the caller
    checks what it needs exactly). Entries may be anything ``float()`` accepts. Returns ``None``
    when no :math:`\delta>0` exists.

    Examples
    --------
    >>> interior_weights([[1, -1]], [0], [1, 1])
    [Fraction(1, 2), Fraction(1, 2)]
    """
    from fractions import Fraction

    from scipy.optimize import linprog

    C = np.array([[float(a) for a in row] for row in C])
    k = C.shape[1]
    u = np.array([float(a) for a in upper])
    A_ub = np.block([[-np.eye(k), np.ones((k, 1))], [np.eye(k), np.ones((k, 1))]])
    b_ub = np.concatenate([np.zeros(k), u])
    A_eq = np.hstack([C, np.zeros((C.shape[0], 1))])
    cost = np.zeros(k + 1)
    cost[-1] = -1.0
    b_eq = np.array([float(a) for a in f])
    res = linprog(cost, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=(None, None), method="highs")
    if res.status != 0 or res.x[-1] <= 0:
        return None
    return [max(Fraction(float(v)).limit_denominator(10**12), Fraction(0)) for v in res.x[:k]]


def newton_step(J, F):
    r"""The Newton step :math:`J^{-1}F` in floats, or ``None`` when :math:`J` is ill-conditioned.

    Used as a defect-correction step: with :math:`F` evaluated at high precision, each step
    gains about :math:`16-\log_{10}\kappa(J)` digits, so a high-precision solution needs no
    high-precision linear algebra. ``J`` and ``F`` hold anything ``float()`` accepts (mpf).

    Examples
    --------
    >>> newton_step([[2, 0], [0, 4]], [1, 1]).tolist()
    [0.5, 0.25]
    >>> newton_step([[1, 1], [1, 1]], [1, 1]) is None
    True
    """
    J = np.array([[float(a) for a in row] for row in J])
    if not np.all(np.isfinite(J)) or np.linalg.cond(J) > MAX_CONDITION:
        return None
    return np.linalg.solve(J, np.array([float(a) for a in F]))


def approximate_inverse(J):
    """A float inverse of ``J`` (a preconditioner for a Krawczyk test), or ``None`` when
    ``J`` is ill-conditioned (see :data:`MAX_CONDITION`).

    Examples
    --------
    >>> approximate_inverse([[2, 0], [0, 4]]).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    J = np.array([[float(a) for a in row] for row in J])
    if not np.all(np.isfinite(J)) or np.linalg.cond(J) > MAX_CONDITION:
        return None
    return np.linalg.inv(J)
