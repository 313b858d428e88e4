"""Float proposals for exact solvers: a basic (vertex) solution of a non-negative system, and
Newton steps and approximate inverses of well-conditioned Jacobians.

The exact side keeps the independent columns such a proposal names and verifies everything
exactly; the float answer itself is never the evidence.
"""

import numpy as np

__all__ = ["basic_support", "purified", "inverse_and_condition", "refinement", "interior_weights", "newton_step", "near_null_support", "reduced_jacobian", "free_coefficients"]

#: Condition numbers above this make the float routes decline (callers go to high precision).
MAX_CONDITION = 1e10

#: Condition numbers above this are singular in floats: not even defect correction (a float
#: Newton step on a high-precision residual, :func:`newton_step`) gains digits.
SINGULAR = 1e13


def basic_support(C, f, *, free=None, cost=None, tol=1e-9, weights=False, max_residual=None, start=None):
    r"""Indices of a vertex of :math:`\{\gamma\ge0,\ w\text{ free}: C\gamma+Fw=f\}` (independent columns), in floats.

    Parameters
    ----------
    C : array-like, shape (n, k)
        Entries may be anything ``float()`` accepts (exact rationals included).
    f : array-like, shape (n,)
    free : array-like, shape (n, m), optional
        Columns :math:`F` with free coefficients :math:`w` (a linear term): the vertex is one modulo
        their span (projected out), so its columns are independent modulo them.
    cost : array-like, shape (k,), optional
        Positive costs of the columns (default all ones): the vertex minimizes :math:`\sum_bc_b\gamma_b`.
    tol : float
        Weights below ``tol * max(weight)`` are treated as zero.
    weights : bool
        Also return the weights :math:`\gamma` of the support.
    max_residual : float, optional
        When the system is infeasible in floats, the largest least :math:`\|r\|_1` (below) relative
        to :math:`\|f\|_1` accepted: above it, ``None`` (default: any residual is accepted).
    start : array-like, shape (k,), optional
        Weights :math:`\gamma^0\ge0` with :math:`C\gamma^0\approx f`: above :data:`PURIFY_SIZE`
        entries of ``C`` the vertex is reached from them (:func:`purified`, a vertex of cost at
        most :math:`c^\top\gamma^0`, not the cheapest) instead of by the simplex method, which at
        a thousand nearly parallel columns takes tens of seconds and ends in numerical trouble.

    Returns
    -------
    list of int (and list of float), or None
        The columns of ``C`` in the support of a basic feasible solution found by the dual
        simplex method (HiGHS), or, when the system is infeasible in floats, of a vertex of the
        elastic problem :math:`C\gamma+r^+-r^-=f` (the least :math:`\|r\|_1` first, then the
        cheapest :math:`\gamma` at that residual: two well-scaled LPs, where one LP with the
        residual priced above every cost made HiGHS stall), and their weights.

    Examples
    --------
    >>> basic_support([[1, 0, 1], [0, 1, 1]], [1, 1])   # e1 + e2 = (1, 1): a vertex uses 2 or 1 columns
    [2]
    >>> basic_support([[1, 0], [0, 1]], [1, 1], free=[[1], [0]])   # e1 is free
    [1]
    >>> basic_support([[1, 0, 1], [0, 1, 1]], [1, 1], cost=[1, 1, 3], weights=True)   # e1 + e2 is now cheaper
    ([0, 1], [1.0, 1.0])
    >>> basic_support([[1, 2], [1, 2]], [1, 2], cost=[3, 1]), basic_support([[1, 2], [1, 2]], [1, 2], max_residual=0.1)
    ([1], None)
    """
    from scipy.optimize import linprog, nnls

    C = np.array([[float(a) for a in row] for row in C]).reshape(len(C), -1)
    f = np.array([float(a) for a in f])
    if free is not None:  # modulo the free columns: a vertex's columns are independent modulo them
        F = np.array([[float(a) for a in row] for row in free]).reshape(len(f), -1)
        Q = np.linalg.qr(F)[0]
        C, f = C - Q @ (Q.T @ C), f - Q @ (Q.T @ f)
    k = C.shape[1]
    c = np.ones(k) if cost is None else np.array([float(a) for a in cost])
    if start is not None and C.size > PURIFY_SIZE:
        return purified(C, f, np.array([float(a) for a in start]), c, tol=tol, weights=weights, max_residual=max_residual)
    res = linprog(c, A_eq=C, b_eq=f, bounds=(0, None), method="highs-ds")
    if res.status == 0:
        gamma = res.x
    else:  # infeasible in floats (e.g. nearly parallel columns): an elastic vertex
        n = len(f)
        A, slack = np.hstack([C, np.eye(n), -np.eye(n)]), np.concatenate([np.zeros(k), np.ones(2 * n)])
        res = linprog(slack, A_eq=A, b_eq=f, bounds=(0, None), method="highs-ds")
        if max_residual is not None and (res.status != 0 or res.fun > max_residual * np.abs(f).sum()):
            return None
        if res.status == 0:  # the cheapest vertex with that residual (costs scaled to at most 1)
            bound = [res.fun * (1 + 1e-9) + 1e-12 * np.abs(f).max(initial=1.0)]
            scaled = np.concatenate([c / c.max(initial=1.0), np.zeros(2 * n)])
            res = linprog(scaled, A_ub=slack[None], b_ub=bound, A_eq=A, b_eq=f, bounds=(0, None), method="highs-ds")
        gamma = res.x[:k] if res.status == 0 else nnls(C, f)[0]
    top = gamma.max(initial=0.0)
    keep = [int(i) for i in np.flatnonzero(gamma > tol * top)] if top > 0 else []
    return (keep, gamma[keep].tolist()) if weights else keep


#: Entries of ``C`` above which :func:`basic_support` purifies a start instead of running the
#: simplex method (n = 400: 2.3e5 entries, the simplex takes 0.3-2 s; n = 1000: 1.3e6, 7-40 s
#: and numerical trouble; purification 0.1 and 0.8 s).
PURIFY_SIZE = 500_000

#: Least-squares repairs of the start's residual in :func:`purified` (three sufficed on the
#: n = 400 and n = 1000 systems with dropped twins: residuals 1e-4 -> 1e-10).
REPAIRS = 10


def purified(C, f, start, cost, *, tol=1e-9, weights=False, max_residual=None, rank_tol=1e-10):
    r"""A vertex of :math:`\{\gamma\ge0: C\gamma=f\}` reached from weights ``start`` (Carathéodory).

    The residual :math:`f-C\gamma^0` is first repaired by least squares on the columns of
    positive weight (scaled to unit norm), negative weights clipped, while that halves it (at
    most :data:`REPAIRS` times; the weights of dropped twin columns move to their twins); ``None``
    when what is left exceeds ``max_residual`` :math:`\|f\|_1` (relative :math:`\ell_1`). Then, while the support's columns are dependent
    (singular values below ``rank_tol`` times the largest), :math:`\gamma` moves along a null
    vector of them, in the direction that does not raise :math:`c^\top\gamma`, until a weight
    vanishes; that column leaves the support and the null basis loses it by one elimination
    step (:math:`O(kq)` for a null space of dimension :math:`q`, one SVD in all). Returns the
    support (and its weights), as :func:`basic_support`.

    Examples
    --------
    >>> purified(np.array([[1.0, 0, 1], [0, 1, 1]]), np.array([1.0, 1]), np.array([0.5, 0.5, 0.5]), np.array([1.0, 1, 3]))
    [0, 1]
    >>> purified(np.array([[1.0, 0, 1], [0, 1, 1]]), np.array([1.0, 1]), np.array([0.5, 0.5, 0.5]), np.array([3.0, 3, 1]))
    [2]
    """
    norms = np.linalg.norm(C, axis=0)
    live = norms > 0
    Cs = np.where(live, C / np.where(live, norms, 1.0), 0.0)
    g = np.where(live, np.clip(start, 0.0, None) * norms, 0.0)
    residual = np.abs(f - Cs @ g).sum()
    for _ in range(REPAIRS):  # least squares on the positive weights, clipped (an active set method)
        on = np.flatnonzero(g > 0)
        g[on] = np.clip(g[on] + np.linalg.lstsq(Cs[:, on], f - Cs @ g, rcond=rank_tol)[0], 0.0, None)
        residual, last = np.abs(f - Cs @ g).sum(), residual
        if residual > last / 2:
            break
    if max_residual is not None and residual > max_residual * np.abs(f).sum():
        return None
    support = np.flatnonzero(g > tol * g.max(initial=0.0))
    g, price = g[support], cost[support] / norms[support]
    _, sv, Vt = np.linalg.svd(Cs[:, support], full_matrices=True)
    rank = int((sv > rank_tol * sv.max(initial=0.0)).sum())
    N = Vt[rank:].T.copy()  # a basis of the support's null space, one column per dimension
    alive = np.ones(len(support), dtype=bool)
    while N.shape[1]:
        v = N[:, 0] if price @ N[:, 0] <= 0 else -N[:, 0]
        down = np.flatnonzero(alive & (v < -1e-12 * np.abs(v).max()))
        if not len(down):  # v >= 0 raises the cost: the other way then
            v = -v
            down = np.flatnonzero(alive & (v < -1e-12 * np.abs(v).max()))
        if not len(down):  # v vanishes on the support: no direction left in it
            N = N[:, 1:]
            continue
        j = down[np.argmin(g[down] / -v[down])]
        g = np.clip(g + (g[j] / -v[j]) * v, 0.0, None)
        g[j], alive[j] = 0.0, False
        p = np.argmax(np.abs(N[j]))
        N = np.delete(N - np.outer(N[:, p], N[j] / N[j, p]), p, axis=1)  # null vectors with v_j = 0
    keep = np.flatnonzero(alive & (g > tol * g.max(initial=0.0)))
    out = [int(support[i]) for i in keep]
    return (out, (g[keep] / norms[support[keep]]).tolist()) if weights else out


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


def ratio_order(num, den):
    """The stable order of the ratios ``num / den`` by their float values: a proposal, which the
    caller checks exactly (:func:`exact.vertex_sweep._sorted_ratios`).

    Examples
    --------
    >>> ratio_order(np.array([3, -1, 1]), np.array([2, 1, 3])).tolist()
    [1, 2, 0]
    """
    return np.argsort(np.asarray(num, dtype=float) / np.asarray(den, dtype=float), kind="stable")


def newton_step(J, F, check=True):
    r"""The Newton step :math:`J^{-1}F` in floats, or ``None`` when :math:`J` is ill-conditioned.

    Used as a defect-correction step: with :math:`F` evaluated at high precision, each step
    gains about :math:`16-\log_{10}\kappa(J)` digits, so a high-precision solution needs no
    high-precision linear algebra; it declines only above :data:`SINGULAR`. ``J`` and ``F``
    hold anything ``float()`` accepts (mpf). ``check=False`` skips the condition number (an SVD,
    half a second at a thousand unknowns) for the later steps of a Newton run whose first step
    passed: the Jacobian barely moves near the solution.

    Examples
    --------
    >>> newton_step([[2, 0], [0, 4]], [1, 1]).tolist()
    [0.5, 0.25]
    >>> newton_step([[1, 1], [1, 1]], [1, 1]) is None
    True
    """
    scaled = _equilibrated(J, SINGULAR if check else None)
    if scaled is None:
        return None
    Js, r, c = scaled
    try:
        return c * np.linalg.solve(Js, r * np.array([float(a) for a in F]))
    except np.linalg.LinAlgError:  # exactly singular in floats
        return None


def inverse_and_condition(J):
    """A float inverse of ``J`` (a preconditioner for a Krawczyk test) and the condition number
    of the equilibrated ``J`` (``None`` and infinity when ``J`` is not finite or singular in
    floats).

    Examples
    --------
    >>> Y, cond = inverse_and_condition([[2, 0], [0, 4]])
    >>> Y.tolist(), cond
    ([[0.5, 0.0], [0.0, 0.25]], 1.0)
    """
    scaled = _equilibrated(J, None)
    if scaled is None:
        return None, np.inf
    Js, r, c = scaled
    cond = np.linalg.cond(Js)
    if not np.isfinite(cond):
        return None, np.inf
    return c[:, None] * np.linalg.inv(Js) * r[None, :], float(cond)


def refinement(Y, E):
    r""":math:`EY` in floats, for an approximate inverse :math:`Y` of :math:`J` with residual
    :math:`E=I-YJ` (entries anything ``float()`` accepts, e.g. ball midpoints): :math:`Y+EY` has
    residual :math:`I-(Y+EY)J=E-E(I-E)=E^2`, a double-length inverse held as two float matrices.

    Examples
    --------
    >>> refinement([[1.0]], [[0.5]]).tolist()   # J = 1/2, Y = 1: E = 1/2, Y + EY = 3/2 (residual 1/4)
    [[0.5]]
    """
    return np.array([[float(a) for a in row] for row in E]) @ np.asarray(Y, dtype=float)


def near_null_support(J, columns, *, condition=MAX_CONDITION, share=0.1, always=False):
    r"""Where an ill-conditioned ``J`` is nearly singular: for each singular value of the
    equilibrated ``J`` below :math:`\sigma_{\max}/` ``condition`` (smallest first), the
    positions in ``columns`` (column indices of ``J``) whose entry in its right singular vector is
    at least ``share`` times the largest there. Empty when ``J`` is well conditioned (unless
    ``always``: then the smallest singular value's alone); a vector avoiding ``columns`` gives
    an empty list.

    Examples
    --------
    >>> near_null_support([[1, 1, 0], [1, 1 + 1e-13, 0], [0, 0, 1]], [0, 1, 2])
    [[0, 1]]
    >>> near_null_support([[1, 1, 0], [1, 1 + 1e-11, 0], [0, 0, 1]], [0, 1, 2], condition=SINGULAR)   # condition 4e11
    []
    >>> near_null_support([[2, 0], [0, 4]], [0, 1]), near_null_support([[2, 0], [0, 4]], [0, 1], always=True)
    ([], [[1]])
    """
    J = np.array([[float(a) for a in row] for row in J])
    if not np.all(np.isfinite(J)):
        return []
    Js = _scaled(J)[0]
    _, sv, Vt = np.linalg.svd(Js)
    small = [i for i in range(len(sv) - 1, -1, -1) if sv[i] * condition < sv[0]]
    if not small and always:
        small = [len(sv) - 1]
    out = []
    for i in small:
        v = np.abs(Vt[i][list(columns)])
        top = v.max(initial=0.0)
        out.append([j for j, a in enumerate(v.tolist()) if top > 0 and a >= share * top])
    return out


def _scaled(J):
    """``(R J C, r, c)`` with ``R = diag(r)``, ``C = diag(c)`` making the rows, then the columns,
    of unit max-norm (powers of two: the scaling is exact)."""
    r = np.ones(J.shape[0])
    top = np.abs(J).max(axis=1)
    r[top > 0] = 2.0 ** -np.round(np.log2(top[top > 0]))
    Jr = J * r[:, None]
    c = np.ones(J.shape[1])
    top = np.abs(Jr).max(axis=0)
    c[top > 0] = 2.0 ** -np.round(np.log2(top[top > 0]))
    return Jr * c[None, :], r, c


def _equilibrated(J, condition=MAX_CONDITION):
    """:func:`_scaled` of ``J`` (anything ``float()`` accepts), or ``None`` when it is not finite or
    its condition number exceeds ``condition`` (the condition of a problem, not of its units;
    ``None``: not computed)."""
    J = np.array([[float(a) for a in row] for row in J])
    if not np.all(np.isfinite(J)):
        return None
    Js, r, c = _scaled(J)
    return None if condition is not None and np.linalg.cond(Js) > condition else (Js, r, c)


def free_coefficients(F, r, C, kappa):
    r"""The coefficients :math:`w` of free columns that fit what the weighted columns leave of ``r``:
    :math:`\arg\min_w\|Fw-(r-C\kappa)\|` in floats (entries: anything ``float()`` accepts), as a list.

    Examples
    --------
    >>> free_coefficients([[1, 0], [0, 1], [0, 0]], [2, 2, 3], [[1], [0], [0]], [1])
    [1.0, 2.0]
    """
    F = np.array([[float(a) for a in row] for row in F])
    C = np.array([[float(a) for a in row] for row in C]).reshape(F.shape[0], -1)
    rest = np.array([float(a) for a in r]) - C @ np.array([float(a) for a in kappa]).reshape(-1)
    return np.linalg.lstsq(F, rest, rcond=None)[0].tolist()


def float_arrays(mats):
    """The float arrays of a dict of matrices (rows of exact numbers), for repeated float use."""
    return {key: np.asarray(M, dtype=float) for key, M in mats.items()}


def reduced_jacobian(W, x, k, d, *, P=None, S=None):
    r"""The Jacobian of the reduced optimality system (:class:`exact.optimality.ReducedSystem`) in
    floats, from its stacked coefficients: ``W`` (kd x kd), and ``P`` (kd x d), ``S`` (d x d) for
    the linear term, at ``x = (z_1..z_k, kappa[, w])``. Entries may be exact (or the coefficients
    float arrays already, :func:`float_arrays`).

    Examples
    --------
    >>> reduced_jacobian([[1, 0], [0, 1]], [3, 4, 2], 1, 2).tolist()   # one atom, d = 2
    [[3.0, 0.0, 3.0], [0.0, 3.0, 4.0], [6.0, 8.0, 0.0]]
    """
    W = np.asarray(W, dtype=float).reshape(k * d, k * d)
    xf = np.array([float(a) for a in x])
    z, kap = xf[: k * d], xf[k * d : k * d + k]
    size = len(xf)
    J = np.zeros((size, size))
    if k:
        J[: k * d, : k * d] = np.eye(k * d) + W * np.repeat(kap, d)[None, :]
        J[: k * d, k * d : k * d + k] = (W * z[None, :]).reshape(k * d, k, d).sum(axis=2)
        for b in range(k):
            J[k * d + b, b * d : (b + 1) * d] = 2 * z[b * d : (b + 1) * d]
    if S is not None:
        L = k * (d + 1)
        J[L:, L:] = np.asarray(S, dtype=float)
        if k:
            Pf = np.asarray(P, dtype=float)
            J[: k * d, L:] = Pf
            J[L:, : k * d] = Pf.T * np.repeat(kap, d)[None, :]
            J[L:, k * d : L] = (Pf.T * z[None, :]).reshape(d, k, d).sum(axis=2)
    return J
