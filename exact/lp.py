r"""Exact linear programming over :math:`\mathbb Q`.

Solves

.. math:: \min\ c^\top x\quad\text{s.t.}\quad A_{ub}x\le b_{ub},\ A_{eq}x=b_{eq},\
          x_i\ge0\ (i\notin\text{free})

with a dense two-phase simplex method on :class:`fractions.Fraction` tableaux and Bland's rule
(so it terminates, degenerate or not). Every answer carries its certificate:

* ``optimal``: the primal point :math:`x` and the dual multipliers :math:`y_{ub}\le0`,
  :math:`y_{eq}` with :math:`c-A^\top y\ge0` on the sign-constrained variables, :math:`=0` on
  the free ones, and :math:`c^\top x=b^\top y` (strong duality, checked exactly);
* ``infeasible``: a Farkas vector :math:`(y_{ub}\le0, y_{eq})` with :math:`A^\top y\le0`
  on sign-constrained and :math:`=0` on free variables, and :math:`b^\top y>0`;
* ``unbounded``: a feasible point and a ray :math:`d` with :math:`c^\top d<0`,
  :math:`A_{ub}d\le0`, :math:`A_{eq}d=0`.

:func:`verify_lp` re-checks any of them independently. Intended for the small exact
problems of reluscape (tens to a few hundred variables); large LPs take a float proposal
from :mod:`exact.numeric` and certify it.
"""

from dataclasses import dataclass
from fractions import Fraction

from .data import as_rational
from .errors import CertificateError, InvalidDataError, entries

__all__ = ["LPResult", "solve_lp", "verify_lp", "strictly_feasible"]


@dataclass(frozen=True)
class LPResult:
    """Result of :func:`solve_lp`; see the module docstring for the certificate of each status."""

    status: str
    x: tuple = None
    value: Fraction = None
    y_ub: tuple = None
    y_eq: tuple = None
    ray: tuple = None


def solve_lp(c, A_ub=(), b_ub=(), A_eq=(), b_eq=(), *, free=()):
    """Solve a linear program exactly (see the module docstring for the form and certificates).

    Parameters
    ----------
    c : sequence of exact numbers, length N
    A_ub, b_ub : rows of length N and right-hand sides (``A_ub x <= b_ub``)
    A_eq, b_eq : rows of length N and right-hand sides (``A_eq x = b_eq``)
    free : indices of variables without the sign constraint ``x_i >= 0``

    Returns
    -------
    LPResult

    Raises
    ------
    InvalidDataError
        If a row has the wrong length or an entry is not exact.

    Examples
    --------
    >>> r = solve_lp([-1, -1], A_ub=[[1, 2], [3, 1]], b_ub=[4, 6])
    >>> r.status, r.x, r.value
    ('optimal', (Fraction(8, 5), Fraction(6, 5)), Fraction(-14, 5))
    >>> solve_lp([1], A_ub=[[1]], b_ub=[-1]).status
    'infeasible'
    >>> solve_lp([1, 2], A_ub=[[1]], b_ub=[1])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: A_ub[0] has 1 entry, expected 2
    """
    c = [as_rational(a, f"c[{i}]") for i, a in enumerate(c)]
    N = len(c)
    Aub, bub = _rows(A_ub, b_ub, N, "A_ub", "b_ub")
    Aeq, beq = _rows(A_eq, b_eq, N, "A_eq", "b_eq")
    free = sorted(set(int(i) for i in free))
    if any(not 0 <= i < N for i in free):
        raise InvalidDataError(f"free = {free} has an index outside 0..{N - 1}")
    return _Simplex(c, Aub, bub, Aeq, beq, free).solve()


def verify_lp(res, c, A_ub=(), b_ub=(), A_eq=(), b_eq=(), *, free=()):
    """Re-check the certificate in an :class:`LPResult` exactly; raise ``CertificateError`` if wrong."""
    c = [as_rational(a, "c") for a in c]
    N = len(c)
    Aub, bub = _rows(A_ub, b_ub, N, "A_ub", "b_ub")
    Aeq, beq = _rows(A_eq, b_eq, N, "A_eq", "b_eq")
    free = set(free)

    def dual_slack(y_ub, y_eq):
        return [
            sum(y_ub[i] * Aub[i][k] for i in range(len(Aub))) + sum(y_eq[i] * Aeq[i][k] for i in range(len(Aeq)))
            for k in range(N)
        ]

    def primal_ok(x):
        if any(x[k] < 0 for k in range(N) if k not in free):
            raise CertificateError("x violates a sign constraint")
        for i, (row, b) in enumerate(zip(Aub, bub)):
            if _dot(row, x) > b:
                raise CertificateError(f"x violates A_ub[{i}] x <= b_ub[{i}]")
        for i, (row, b) in enumerate(zip(Aeq, beq)):
            if _dot(row, x) != b:
                raise CertificateError(f"x violates A_eq[{i}] x = b_eq[{i}]")

    if res.status == "optimal":
        primal_ok(res.x)
        if any(y > 0 for y in res.y_ub):
            raise CertificateError("a multiplier of an inequality is positive")
        aty = dual_slack(res.y_ub, res.y_eq)
        for k in range(N):
            red = c[k] - aty[k]
            if (k in free and red != 0) or (k not in free and red < 0):
                raise CertificateError(f"reduced cost of x[{k}] is {red}: the dual is infeasible")
        if _dot(c, res.x) != _dot(bub, res.y_ub) + _dot(beq, res.y_eq):
            raise CertificateError("primal and dual values differ")
    elif res.status == "infeasible":
        if any(y > 0 for y in res.y_ub):
            raise CertificateError("a Farkas multiplier of an inequality is positive")
        aty = dual_slack(res.y_ub, res.y_eq)
        if any((k in free and aty[k] != 0) or (k not in free and aty[k] > 0) for k in range(N)):
            raise CertificateError("the Farkas combination is not a valid inequality")
        if _dot(bub, res.y_ub) + _dot(beq, res.y_eq) <= 0:
            raise CertificateError("the Farkas combination is not contradictory")
    elif res.status == "unbounded":
        primal_ok(res.x)
        d = res.ray
        if _dot(c, d) >= 0 or any(d[k] < 0 for k in range(N) if k not in free):
            raise CertificateError("the ray does not decrease the objective within the sign constraints")
        if any(_dot(row, d) > 0 for row in Aub) or any(_dot(row, d) != 0 for row in Aeq):
            raise CertificateError("the ray leaves the feasible set")
    else:
        raise CertificateError(f"unknown status {res.status!r}")
    return True


def strictly_feasible(rows):
    """Decide whether ``{h : r . h > 0 for every row r}`` is non-empty, with a certificate.

    Returns ``(True, h)`` with a rational ``h`` satisfying every ``r . h >= 1``, or
    ``(False, lam)`` with a Gordan vector ``lam >= 0``, ``lam != 0``, ``sum lam_k r_k = 0``.

    Examples
    --------
    >>> strictly_feasible([[1, 0], [0, 1]])[0]
    True
    >>> strictly_feasible([[1, 1], [-2, -2]])
    (False, (Fraction(1, 1), Fraction(1, 2)))
    """
    rows = [[as_rational(a, "row") for a in r] for r in rows]
    d = len(rows[0])
    res = solve_lp([0] * d, A_ub=[[-a for a in r] for r in rows], b_ub=[-1] * len(rows), free=range(d))
    if res.status == "optimal":
        return True, res.x
    lam = tuple(-y for y in res.y_ub)
    scale = max(lam)
    return False, tuple(a / scale for a in lam)


def _rows(A, b, N, nameA, nameb):
    A = [list(r) for r in A]
    b = list(b)
    if len(A) != len(b):
        raise InvalidDataError(f"{nameA} has {len(A)} rows but {nameb} has {entries(len(b))}")
    out = []
    for i, r in enumerate(A):
        if len(r) != N:
            raise InvalidDataError(f"{nameA}[{i}] has {entries(len(r))}, expected {N}")
        out.append([as_rational(a, f"{nameA}[{i}][{k}]") for k, a in enumerate(r)])
    return out, [as_rational(a, f"{nameb}[{i}]") for i, a in enumerate(b)]


def _dot(u, v):
    return sum((a * b for a, b in zip(u, v)), Fraction(0))


class _Simplex:
    """Two-phase tableau simplex with Bland's rule.

    Free variables are split as ``x = x+ - x-``. Row ``i`` of the tableau is
    ``sign_i (A_i x + s_i) = sign_i b_i`` with an artificial variable per row, so the
    initial basis is the artificials and every right-hand side is non-negative.
    """

    def __init__(self, c, Aub, bub, Aeq, beq, free):
        self.N, self.free = len(c), free
        cols = list(range(self.N)) + [(k,) for k in free]  # (k,) is the negative part of x_k
        self.cols = cols
        self.m_ub, self.m = len(Aub), len(Aub) + len(Aeq)
        rows = Aub + Aeq
        rhs = bub + beq
        nv = len(cols)
        self.nv, self.ns = nv, len(Aub)
        self.width = nv + self.ns + self.m  # structural, slacks, artificials
        self.sign = [1 if r >= 0 else -1 for r in rhs]
        T = []
        for i, (row, r) in enumerate(zip(rows, rhs)):
            s = self.sign[i]
            line = [s * (row[c] if isinstance(c, int) else -row[c[0]]) for c in cols]
            line += [Fraction(s if j == i else 0) for j in range(self.ns)]
            line += [Fraction(1 if j == i else 0) for j in range(self.m)]
            line.append(s * r)
            T.append(line)
        self.T = T
        self.basis = [nv + self.ns + i for i in range(self.m)]
        self.cost = [(c[k] if isinstance(k, int) else -c[k[0]]) for k in cols] + [Fraction(0)] * (self.ns + self.m)

    def solve(self):
        art = set(range(self.nv + self.ns, self.width))
        phase1 = [Fraction(1 if j in art else 0) for j in range(self.width)]
        self._run(phase1, allowed=range(self.width))
        if self._value(phase1) > 0:
            y = self._duals(phase1)
            return LPResult("infeasible", y_ub=tuple(y[: self.m_ub]), y_eq=tuple(y[self.m_ub :]))
        self._drive_out_artificials(art)
        allowed = [j for j in range(self.width) if j not in art]
        ray = self._run(self.cost, allowed=allowed)
        x = self._point()
        if ray is not None:
            return LPResult("unbounded", x=x, ray=ray)
        y = self._duals(self.cost)
        value = sum((self.cost[j] * self.T[i][-1] for i, j in enumerate(self.basis)), Fraction(0))
        return LPResult("optimal", x=x, value=value, y_ub=tuple(y[: self.m_ub]), y_eq=tuple(y[self.m_ub :]))

    def _value(self, cost):
        return sum((cost[j] * self.T[i][-1] for i, j in enumerate(self.basis)), Fraction(0))

    def _reduced(self, cost, j):
        return cost[j] - sum((cost[b] * self.T[i][j] for i, b in enumerate(self.basis)), Fraction(0))

    def _run(self, cost, allowed):
        """Pivot to optimality for ``cost``; return an improving ray if unbounded, else None."""
        allowed = list(allowed)
        while True:
            enter = next((j for j in allowed if j not in self.basis and self._reduced(cost, j) < 0), None)
            if enter is None:
                return None
            best = None
            for i in range(self.m):
                a = self.T[i][enter]
                if a > 0:
                    ratio = self.T[i][-1] / a
                    if best is None or ratio < best[0] or (ratio == best[0] and self.basis[i] < self.basis[best[1]]):
                        best = (ratio, i)
            if best is None:
                return self._ray(enter)
            self._pivot(best[1], enter)

    def _pivot(self, i, j):
        T = self.T
        p = T[i][j]
        T[i] = [a / p for a in T[i]]
        for k in range(self.m):
            if k != i and T[k][j] != 0:
                f = T[k][j]
                T[k] = [a - f * b for a, b in zip(T[k], T[i])]
        self.basis[i] = j

    def _drive_out_artificials(self, art):
        for i, b in enumerate(self.basis):
            if b in art:
                j = next((j for j in range(self.nv + self.ns) if self.T[i][j] != 0), None)
                if j is not None:
                    self._pivot(i, j)

    def _duals(self, cost):
        """Multipliers ``y`` of the original rows (sign flips undone), from the artificial columns."""
        y = []
        for i in range(self.m):
            col = self.nv + self.ns + i
            zi = sum((cost[b] * self.T[k][col] for k, b in enumerate(self.basis)), Fraction(0))
            y.append(self.sign[i] * zi)
        return y

    def _point(self):
        vals = [Fraction(0)] * self.width
        for i, b in enumerate(self.basis):
            vals[b] = self.T[i][-1]
        x = [Fraction(0)] * self.N
        for j, col in enumerate(self.cols):
            if isinstance(col, int):
                x[col] += vals[j]
            else:
                x[col[0]] -= vals[j]
        return tuple(x)

    def _ray(self, enter):
        dvals = [Fraction(0)] * self.width
        dvals[enter] = Fraction(1)
        for i, b in enumerate(self.basis):
            dvals[b] = -self.T[i][enter]
        d = [Fraction(0)] * self.N
        for j, col in enumerate(self.cols):
            if isinstance(col, int):
                d[col] += dvals[j]
            else:
                d[col[0]] -= dvals[j]
        return tuple(d)
