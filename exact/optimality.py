r"""The optimality system of the convex problem on a fixed set of active blocks, solved exactly.

A *block* :math:`b=(s,\sigma,F)` is a pattern :math:`D_s`, a sign :math:`\sigma=\pm1` and a
face :math:`F` of :math:`K_s=\{u:A_su\ge0\}`, :math:`A_s=\operatorname{diag}(2D_s-I)X`. With
:math:`M_b=\sigma D_sX` and :math:`Q_b` the orthogonal projector onto
:math:`\{u:A_{s,F}u=0\}`, the projection of :math:`M_b^\top\nu` onto :math:`K_s` is
:math:`z_b=Q_bM_b^\top\nu=V_b^\top\nu` (:math:`V_b=M_bQ_b`) whenever the face is right
(``math/convex_duality.md`` L4.1, T4.2).

**Reduced system.** At an optimum whose non-zero blocks are :math:`b=1..k`, write
:math:`u_b=\kappa_bz_b` (so :math:`\|u_b\|=\kappa_b\beta`). The fit is
:math:`\hat y=\sum_b\kappa_bV_bz_b`, :math:`\nu=y-\hat y`, and the optimality conditions
(gap identity of §3) become, with :math:`W_{bc}=V_b^\top V_c` and :math:`\tilde y_b=V_b^\top y`,

.. math:: z_b+\sum_c\kappa_cW_{bc}z_c-\tilde y_b=0,\qquad \|z_b\|^2-\beta^2=0\qquad(b=1..k),

:math:`k(d+1)` polynomial equations in :math:`(z,\kappa)` with rational coefficients, however
large :math:`n` is. Together with :math:`\kappa_b>0`, the face conditions (multipliers
:math:`\lambda_F=-(A_FA_F^\top)^{-1}A_FM_b^\top\nu\ge0`, :math:`A_sz_b\ge0`) and dual
feasibility of :math:`\nu` on every other block, a solution is the global optimum.

**With a free linear term** (``linear=True``). The same network plus an unregularized
:math:`Xw` (a skip connection) has the dual constraint :math:`X^\top\nu=0` in addition; its
reduced system has the unknowns :math:`(z,\kappa,w)`, :math:`\nu=y-\sum_b\kappa_bV_bz_b-Xw`,

.. math:: z_b+\sum_c\kappa_cW_{bc}z_c+P_bw-\tilde y_b=0,\quad\|z_b\|^2-\beta^2=0,\quad
          \sum_c\kappa_cP_c^\top z_c+X^\top Xw-X^\top y=0,

with :math:`P_b=V_b^\top X`. :mod:`exact.optimum` uses it when :math:`X^\top\nu^*=0`: then the
block :math:`(I-D,\sigma)` has :math:`\sigma X^\top(I-D)\nu=-\sigma X^\top D\nu` and cone
:math:`-K_D`, the same projection norm as :math:`(D,\sigma)`, which is an identity of this system
but not something a box can show.

Solutions are found by Newton's method in mpmath from a float proposal, then either
recognised as rational and checked exactly, or enclosed in a box in which the Krawczyk test
(:mod:`exact.intervals`) proves there is exactly one solution. When the blocks decouple
(:math:`W_{bc}=0` for :math:`b\ne c`) each :math:`\kappa_b` is a root of a univariate polynomial,
and the optimum is written exactly with sympy.
"""

import os
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from .errors import CertificateError, UndecidedError
from .integer_matrices import to_fmpq
from .rational_linalg import independent_rows, inverse
from .balls import ball, is_ball, lin, lower, upper

__all__ = ["Block", "BlockMatrices", "block_matrices", "memo_for", "signed_rows", "ReducedSystem"]

#: Largest system solved with mpmath linear algebra (ill-conditioned or singular Jacobians).
MAX_MP_SIZE = 60

#: Float Newton steps without a tenfold fall of the best residual before Newton gives up. Solves
#: that converge take 7-27 steps in all (n = 100-400 benchmark instances); one that does not
#: converge hovers (n = 400: residuals near 1e3 for 200 steps, 94 s).
STALL_STEPS = 20

#: Bits of the Krawczyk products with a float preconditioner (condition at most 100
#: :data:`~exact.numeric.support.SINGULAR`): :math:`I-YJ` loses about
#: :math:`\log_2(\text{condition}\cdot N)` bits to cancellation, and shorter entries make
#: :math:`Y\mathbf J` faster (2,627 unknowns: 78 s against 109 s at 320 bits).
FLOAT_PREC = 128


@dataclass(frozen=True)
class Block:
    """A block of the convex problem: pattern ``D`` (0/1 tuple), sign ``+1``/``-1``, face rows.

    ``face`` lists the rows ``i`` with ``(A_s p)_i = 0`` at the projection ``p`` (weakly active
    rows included, so that blocks with the same direction get the same projector).
    """

    D: tuple
    sign: int
    face: tuple = ()


class BlockMatrices:
    r"""The rational matrices of a block: :math:`M_b`, :math:`A_s`, :math:`Q_b`, :math:`V_b`.

    Examples
    --------
    >>> X = [[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)]]
    >>> bm = BlockMatrices(X, Block((1, 0), 1, face=(1,)))
    >>> bm.Q   # the face {u_2 = 0}
    [[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(0, 1)]]
    """

    def __init__(self, X, block):
        from flint import fmpq_mat

        self.block = block
        n, d = len(X), len(X[0])
        self.n, self.d = n, d
        plus, minus = _signed(X, flint=True)
        A = signed_rows(X, block.D, flint=True)
        M = [(plus[k] if block.sign > 0 else minus[k]) if block.D[k] else [0] * d for k in range(n)]
        Am, Mm = fmpq_mat(A), fmpq_mat(M) if n else fmpq_mat(0, d)
        self.basis = tuple(block.face[i] for i in independent_rows([[_fraction(a) for a in A[i]] for i in block.face]))
        eye = fmpq_mat([[int(r == c) for c in range(d)] for r in range(d)])
        if self.basis:
            AF = fmpq_mat([A[i] for i in self.basis])
            T = (AF * AF.transpose()).inv() * AF
            # Q = I - AF^T (AF AF^T)^-1 AF projects onto the face {u : A_F u = 0}
            Q = eye - AF.transpose() * T
            V, Lam = Mm * Q, -(T * Mm.transpose())
        else:
            Q, V, Lam = eye, Mm, fmpq_mat(0, n)
        self._mats = (V.transpose(), Lam, Am, V)
        self._Q = Q

    # linear maps of nu (fmpq_mat: exact products in C), combined exactly so that interval
    # evaluation has no cancellation

    @cached_property
    def A(self):
        """:math:`A_s` as rows of Fractions."""
        return _rows(self._mats[2])

    @cached_property
    def V(self):
        """:math:`V_b=M_bQ_b` as rows of Fractions."""
        return _rows(self._mats[3])

    @cached_property
    def float_V(self):
        """:math:`V_b` in floats (a proposal's input, :mod:`exact.numeric.weights`)."""
        from .numeric.support import float_arrays

        return float_arrays({"V": _rows_fmpq(self._mats[3])})["V"]  # float(fmpq): no Fraction on the way

    @property
    def Q(self):
        """:math:`Q_b` as rows of Fractions."""
        return _rows(self._Q)

    @cached_property
    def _key(self):
        N, den = self._mats[3].numer_denom()  # over the least common denominator: canonical
        return int(den), tuple(int(v) for v in N.entries())

    def key(self):
        """A hashable form of :math:`V_b`: blocks with equal keys are the same atom (D4.4)."""
        return self._key

    def fit_column(self, nu):
        r"""The fit column :math:`V_bz_b=V_bV_b^\top\nu` at exact ``nu``, exactly (``fmpq_mat`` products)."""
        last = self.__dict__.get("_last_fit")
        if last is None or last[0] is not nu:  # the active-set search asks again at the same point
            Vt, _, _, V = self._mats
            last = self._last_fit = (nu, [_fraction(v) for v in (V * (Vt * _column(nu))).entries()])
        return last[1]

    def _apply(self, which, nu):
        """The map ``which`` (0: ``V^T``, 1: multipliers, 2: ``A_s``) on exact or ball ``nu``."""
        M = self._mats[which]
        if M.nrows() == 0:
            return []
        if not all(type(v) is Fraction or type(v) is int or is_ball(v) for v in nu):  # e.g. sympy numbers
            return [lin(row, nu) for row in _rows(M)]
        from flint import arb_mat

        col = _column(nu)
        if isinstance(col, arb_mat):
            return (arb_mat(M) * col).entries()
        return [_fraction(v) for v in (M * col).entries()]

    def projection(self, nu):
        r""":math:`z=V_b^\top\nu` (the projection of :math:`M_b^\top\nu` if the face is right)."""
        return self._apply(0, nu)

    def full_multipliers(self, nu):
        """The face multipliers as a vector over all rows of :math:`A_s` (zero off the basis)."""
        lam = dict(zip(self.basis, self.face_multipliers(nu)))
        return [lam.get(i, Fraction(0)) for i in range(len(self.A))]

    def face_multipliers(self, nu):
        r""":math:`\lambda_B=-(A_BA_B^\top)^{-1}A_BM_b^\top\nu` on a basis ``B`` of the face's rows
        (the other face rows get multiplier 0); exact, or interval for an interval ``nu``."""
        return self._apply(1, nu)

    def cone_rows(self, nu):
        r""":math:`A_sz` at :math:`z=V_b^\top\nu` (must be :math:`\ge0`)."""
        return self._apply(2, self.projection(nu))

    def check_face(self, nu, z):
        """Exact check that ``z`` is the projection of ``M^T nu`` (rational ``nu``)."""
        lam = self.face_multipliers(nu)
        if any(a < 0 for a in lam):
            raise CertificateError(f"block {self.block}: a face multiplier is negative")
        for i, row in enumerate(self.A):
            if _dot(row, z) < 0:
                raise CertificateError(f"block {self.block}: the projection leaves the cone at row {i}")
        return True


def block_matrices(X, block):
    """:class:`BlockMatrices` of ``block``, memoized (see :func:`memo_for`)."""
    memo = memo_for(X, "blocks")
    if block not in memo:
        memo[block] = BlockMatrices(X, block)
    return memo[block]


def memo_for(X, name):
    """A memo dictionary ``name`` for the data ``X`` last asked about.

    The solvers meet the same blocks (and faces at the same point) in every round of an
    active-set search; the memo holds one ``X`` (by identity: datasets are immutable tuples,
    and the memo keeps ``X`` alive, so its identity cannot be reused) at a time.
    """
    if _MEMO.get("X") is not X:
        _MEMO.clear()
        _MEMO["X"] = X
    return _MEMO.setdefault(name, {})


_MEMO = {}


def signed_rows(X, D, *, flint=False):
    r"""The rows of :math:`A_s=\operatorname{diag}(2D_s-1)X` (Fractions, or ``fmpq`` when ``flint``),
    from rows and negated rows made once for the data: a negation per entry and block cost more
    than the projections that use them (n = 400: the faces of 2,808 blocks, 7.4 -> 4.0 s).

    >>> signed_rows(((Fraction(1), Fraction(2)), (Fraction(3), Fraction(-1))), (1, 0))
    [[Fraction(1, 1), Fraction(2, 1)], [Fraction(-3, 1), Fraction(1, 1)]]
    """
    plus, minus = _signed(X, flint)
    return [plus[k] if D[k] else minus[k] for k in range(len(D))]


class ReducedSystem:
    """The reduced optimality system of a list of distinct atoms (see the module docstring);
    ``linear=True`` adds the free linear term :math:`Xw` and the equations :math:`X^\top\nu=0`."""

    def __init__(self, X, y, beta, blocks, *, linear=False):
        self.X, self.y, self.beta = X, list(y), Fraction(beta)
        self.mats = [block_matrices(X, b) for b in blocks]
        self.k = len(blocks)
        self.d = len(X[0])
        self.linear = linear
        from flint import fmpq_mat

        d, k = self.d, self.k
        kd, m = k * d, k * d + d
        Ft = self._fit_matrix.transpose()  # [V_1 ... V_k X]^T
        G = (Ft * self._fit_matrix).entries()
        gy = (Ft * fmpq_mat([[to_fmpq(v)] for v in self.y])).entries()
        #: the coefficients over the stacked z = (z_1, ..., z_k), as rows of fmpq: W = V^T V,
        #: ytil = V^T y; with the linear term P = V^T X, S = X^T X, ybar = X^T y
        self._rows = {"W": [G[r * m : r * m + kd] for r in range(kd)], "ytil": [[v] for v in gy[:kd]]}
        if linear:
            self._rows.update(
                P=[G[r * m + kd : (r + 1) * m] for r in range(kd)],
                S=[G[r * m + kd : (r + 1) * m] for r in range(kd, m)],
                ybar=[[v] for v in gy[kd:]],
            )

    def _nested(self, one):
        """``(W, ytil, P, S, ybar)`` with ``W[b][c][i][j]``, ``ytil[b][i]``, ``P[b][i][j]`` (``None`` without
        the linear term), each ``fmpq`` mapped by ``one``."""
        R, d, k = self._rows, self.d, self.k
        W = [[[[one(a) for a in R["W"][b * d + i][c * d : (c + 1) * d]] for i in range(d)] for c in range(k)] for b in range(k)]
        ytil = [[one(R["ytil"][b * d + i][0]) for i in range(d)] for b in range(k)]
        if not self.linear:
            return W, ytil, None, None, None
        P = [[[one(a) for a in R["P"][b * d + i]] for i in range(d)] for b in range(k)]
        return W, ytil, P, [[one(a) for a in row] for row in R["S"]], [one(r[0]) for r in R["ybar"]]

    @cached_property
    def _fractions(self):
        return self._nested(_fraction)

    @property
    def W(self):
        r""":math:`W_{bc}=V_b^\top V_c` as ``W[b][c][i][j]`` (Fractions)."""
        return self._fractions[0]

    @property
    def ytil(self):
        r""":math:`\tilde y_b=V_b^\top y` as ``ytil[b][i]`` (Fractions)."""
        return self._fractions[1]

    @property
    def size(self):
        return self.k * (self.d + 1) + (self.d if self.linear else 0)

    def unpack(self, x):
        """``(z, kappa)`` of ``x`` (the linear term, if any, is :meth:`linear_term`)."""
        d, k = self.d, self.k
        return [x[b * d : (b + 1) * d] for b in range(k)], x[k * d : k * d + k]

    def linear_term(self, x):
        """:math:`w` of ``x`` (empty without the linear term)."""
        return x[self.k * (self.d + 1) :]

    def _coefficients(self, x):
        """``(W, ytil, V, y, beta^2, extra)`` in the ring of ``x`` (mpf, arb or exact), with
        ``extra = (P, S, ybar, X)`` for the linear term."""
        kind = "mpf" if any(type(a).__name__ == "mpf" for a in x) else "arb" if any(is_ball(a) for a in x) else "exact"
        cache = self.__dict__.setdefault("_rings", {})
        if kind not in cache:
            if kind == "mpf":
                from mpmath import mpf

                def one(q):
                    return mpf(int(q.p)) / int(q.q)

            elif kind == "arb":

                def one(q):
                    return q

            else:
                one = _fraction
            W, ytil, P, S, ybar = self._nested(one)
            V = [[[one(a) for a in row] for row in _rows_fmpq(bm._mats[3])] for bm in self.mats]
            X = [[one(to_fmpq(a)) for a in row] for row in self.X]
            y = [one(to_fmpq(v)) for v in self.y]
            extra = (P, S, ybar, X) if self.linear else None
            cache[kind] = (W, ytil, V, y, one(to_fmpq(self.beta**2)), extra)
        return cache[kind]

    def residual(self, x):
        """The equations at ``x = (z_1, ..., z_k, kappa[, w])`` (Fraction, mpf or arb entries)."""
        W, ytil, _, _, beta2, extra = self._coefficients(x)
        z, kap = self.unpack(x)
        w = self.linear_term(x)
        d = self.d
        out = []
        for b in range(self.k):
            for i in range(d):
                e = z[b][i] - ytil[b][i]
                for c in range(self.k):
                    e = e + kap[c] * sum(W[b][c][i][j] * z[c][j] for j in range(d))
                if extra is not None:
                    e = e + sum(extra[0][b][i][j] * w[j] for j in range(d))
                out.append(e)
        for b in range(self.k):
            out.append(sum(z[b][i] * z[b][i] for i in range(d)) - beta2)
        if extra is not None:
            P, S, ybar, _ = extra
            for i in range(d):
                e = sum(S[i][j] * w[j] for j in range(d)) - ybar[i]
                for c in range(self.k):
                    e = e + kap[c] * sum(P[c][j][i] * z[c][j] for j in range(d))
                out.append(e)
        return out

    def jacobian(self, x):
        """The Jacobian at ``x`` (Fraction, mpf or arb entries)."""
        W, *_, extra = self._coefficients(x)
        z, kap = self.unpack(x)
        d, k = self.d, self.k
        N = self.size
        J = [[0] * N for _ in range(N)]
        for b in range(k):
            for i in range(d):
                r = b * d + i
                for c in range(k):
                    for j in range(d):
                        J[r][c * d + j] = kap[c] * W[b][c][i][j] + (1 if (b == c and i == j) else 0)
                    J[r][k * d + c] = sum(W[b][c][i][j] * z[c][j] for j in range(d))
                if extra is not None:
                    for j in range(d):
                        J[r][k * (d + 1) + j] = extra[0][b][i][j]
        for b in range(k):
            for i in range(d):
                J[k * d + b][b * d + i] = 2 * z[b][i]
        if extra is not None:
            P, S = extra[0], extra[1]
            for i in range(d):
                r = k * (d + 1) + i
                for c in range(k):
                    for j in range(d):
                        J[r][c * d + j] = kap[c] * P[c][j][i]
                    J[r][k * d + c] = sum(P[c][j][i] * z[c][j] for j in range(d))
                for j in range(d):
                    J[r][k * (d + 1) + j] = S[i][j]
        return J

    def nu(self, x):
        r""":math:`\nu=y-\sum_b\kappa_bV_bz_b[-Xw]` (Fraction, mpf or arb entries; mpf points are
        taken at their exact binary values, and balls and mpf go through ``fmpq_mat``/``arb_mat``
        products with :math:`[V_1\dots V_k\ X]`)."""
        if any(type(a).__name__ == "mpf" for a in x):
            import mpmath

            q = self._nu_product([to_fmpq(_binary(a)) for a in x])
            return [mpmath.mpf(int(v.p)) / int(v.q) for v in q]
        if any(is_ball(a) for a in x):
            return self._nu_product(x)
        _, _, V, y, _, extra = self._coefficients(x)
        z, kap = self.unpack(x)
        w = self.linear_term(x)
        out = []
        for t in range(len(y)):
            v = -sum(kap[b] * sum(V[b][t][i] * z[b][i] for i in range(self.d)) for b in range(self.k)) + y[t]
            if extra is not None:
                v = v - sum(extra[3][t][j] * w[j] for j in range(self.d))
            out.append(v)
        return out

    # --- fast evaluation: the residual exactly at binary points, the Jacobian in floats ------

    @cached_property
    def _fit_matrix(self):
        r""":math:`[V_1\dots V_k\ X]` (n x (kd + d)) as an ``fmpq_mat``: the fit is this times
        :math:`(\kappa_1z_1,\dots,\kappa_kz_k,w)`."""
        from flint import fmpq_mat

        cols = [m._mats[3].entries() for m in self.mats]
        d, rows = self.d, _fmpq_rows(self.X)
        return fmpq_mat([[c for e in cols for c in e[t * d : (t + 1) * d]] + rows[t] for t in range(len(rows))])

    def _nu_product(self, x):
        """:meth:`nu` at ``fmpq`` or ball entries ``x``: exact ``fmpq``, or balls."""
        from flint import arb_mat, fmpq_mat

        k, d = self.k, self.d
        z, kap, w = x[: k * d], x[k * d : k * d + k], list(x[k * (d + 1) :]) or [0] * d
        col = [kap[i // d] * z[i] for i in range(k * d)] + w
        if any(is_ball(v) for v in col):
            fit = (arb_mat(self._fit_matrix) * arb_mat([[v if is_ball(v) else ball(v)] for v in col])).entries()
            return [ball(yt) - f for yt, f in zip(self.y, fit)]
        fit = (self._fit_matrix * fmpq_mat([[v] for v in col])).entries()
        return [to_fmpq(yt) - f for yt, f in zip(self.y, fit)]

    @cached_property
    def _stacked(self):
        r"""The coefficients as matrices over the stacked :math:`z=(z_1,\dots,z_k)`: ``W`` (kd x kd),
        ``ytil`` (kd x 1), and for the linear term ``P`` (kd x d), ``S`` (d x d), ``ybar`` (d x 1):
        rows of ``fmpq``, and the same as ``fmpq_mat``."""
        from flint import fmpq_mat

        exact = {key: fmpq_mat(M) if M and M[0] else None for key, M in self._rows.items()}
        return self._rows, exact

    def binary_residual(self, x):
        """:meth:`residual` at mpmath numbers ``x`` (what Newton's defect correction needs): the
        midpoints of :meth:`ball_residual` at their binary values, 64 bits beyond mpmath's
        precision (within about :math:`2^{-64}` of the working precision's last bit). Exact
        ``fmpq_mat`` products took about a second a step at a thousand unknowns: the rows of
        ``W`` have denominators with thousands of digits in common."""
        import mpmath

        F = self.ball_residual([to_fmpq(_binary(a)) for a in x], mpmath.mp.prec + 64)
        return [mpmath.ldexp(int(m), int(e)) for m, e in (v.mid().man_exp() for v in F)]

    def ball_residual(self, q, prec):
        """:meth:`residual` at exact ``q`` (``fmpq``) in ball arithmetic at ``prec`` bits: balls that
        contain the exact values (the matrices of :meth:`fmpq_residual` as ``arb_mat``)."""
        from flint import arb, arb_mat, ctx

        with ctx.workprec(prec):
            cache = self.__dict__.setdefault("_balls", {})
            if prec not in cache:
                cache[prec] = {key: None if M is None else arb_mat(M) for key, M in self._stacked[1].items()}
            return self._matrix_residual([arb(v) for v in q], cache[prec], arb_mat, arb(to_fmpq(self.beta**2)))

    def fmpq_residual(self, q):
        """:meth:`residual` at exact ``q`` (``fmpq`` entries), as ``fmpq``, by ``fmpq_mat`` products."""
        from flint import fmpq_mat

        return self._matrix_residual(q, self._stacked[1], fmpq_mat, to_fmpq(self.beta**2))

    def _matrix_residual(self, q, E, mat, beta2):
        """:meth:`residual` by matrix products: ``E`` the stacked coefficients (:attr:`_stacked`)
        as matrices of the type ``mat`` (``fmpq_mat`` or ``arb_mat``), ``q`` entries of its ring."""
        k, d = self.k, self.d
        z, kap, w = q[: k * d], q[k * d : k * d + k], q[k * (d + 1) :]
        out = []
        if k:
            kz = mat([[kap[i // d] * z[i]] for i in range(k * d)])
            r1 = mat([[v] for v in z]) + E["W"] * kz - E["ytil"]
            if self.linear:
                r1 = r1 + E["P"] * mat([[v] for v in w])
            out = [r1[i, 0] for i in range(k * d)]
            out += [sum((z[b * d + i] * z[b * d + i] for i in range(1, d)), z[b * d] * z[b * d]) - beta2 for b in range(k)]
        if self.linear:
            r3 = E["S"] * mat([[v] for v in w]) - E["ybar"]
            if k:
                r3 = r3 + E["P"].transpose() * kz
            out += [r3[i, 0] for i in range(d)]
        return out

    @cached_property
    def _float_arrays(self):
        from .numeric.support import float_arrays

        return float_arrays(self._stacked[0])

    def float_jacobian(self, x):
        """:meth:`jacobian` in floats (:func:`exact.numeric.support.reduced_jacobian`), for Newton
        steps and preconditioners."""
        from .numeric.support import reduced_jacobian

        M = self._float_arrays
        return reduced_jacobian(M["W"], x, self.k, self.d, P=M.get("P"), S=M.get("S"))

    # --- solving -------------------------------------------------------------------------

    def newton(self, x0, dps=60, max_steps=200):
        """Newton's method at ``dps`` digits from ``x0``; returns ``(x, regular)``.

        Residuals and Jacobians are evaluated in mpmath; while the Jacobian is well conditioned
        the linear solve is done in floats (:func:`exact.numeric.support.newton_step`, defect
        correction: about 16 - log10(cond) digits per step); it gives up (``UndecidedError``) when
        the best residual has not fallen tenfold in :data:`STALL_STEPS` steps. Otherwise Newton runs in mpmath,
        and when the Jacobian is singular (dependent atoms: the weights are not unique, ``nu``
        still is) Levenberg–Marquardt steps converge to *a* solution and ``regular`` is False.
        """
        import mpmath

        from .numeric.support import newton_step

        with mpmath.workdps(dps + 10):
            x = [mpmath.mpf(a) for a in x0]
            tol = mpmath.mpf(10) ** (-dps)
            best, since = None, 0
            for i in range(max_steps):
                F = self.binary_residual(x)
                r = max(abs(f) for f in F)
                if r < tol:
                    return x, True
                if best is None or r < best / 10:
                    best, since = r, i
                elif i - since >= STALL_STEPS:
                    raise UndecidedError(f"Newton stalls: no tenfold fall of the residual in {STALL_STEPS} steps (best {mpmath.nstr(best, 2)})")
                step = newton_step(self.float_jacobian(x), F, check=i == 0)
                if step is None:
                    return self._newton_mp(x, tol, max_steps)
                x = [a - mpmath.mpf(s) for a, s in zip(x, step.tolist())]
        raise UndecidedError(f"Newton did not converge in {max_steps} steps at {dps} digits")

    def _newton_mp(self, x, tol, max_steps):
        """Newton (then Levenberg–Marquardt if singular) with mpmath linear algebra; refused above
        :data:`MAX_MP_SIZE` unknowns, where each mpmath step takes minutes."""
        import mpmath

        if self.size > MAX_MP_SIZE:
            raise UndecidedError(f"the optimality system ({self.size} unknowns) is too ill-conditioned for float Newton steps")
        regular = True
        for _ in range(max_steps):
            F = mpmath.matrix(self.residual(x))
            if mpmath.norm(F, mpmath.inf) < tol:
                return x, regular
            J = mpmath.matrix(self.jacobian(x))
            try:
                step = mpmath.lu_solve(J, F) if regular else None
            except ZeroDivisionError:
                regular = False
            if not regular:
                mu = mpmath.norm(F, mpmath.inf) + tol
                try:
                    step = mpmath.lu_solve(J.T * J + mu * mpmath.eye(J.cols), J.T * F)
                except ZeroDivisionError as err:
                    raise UndecidedError("the optimality system is degenerate") from err
            x = [a - step[i] for i, a in enumerate(x)]
        raise UndecidedError(f"Newton did not converge in {max_steps} steps")

    def rational_solution(self, x, dps):
        """The exact solution if ``x`` rounds to rationals (denominators < 10^(dps/2)) that solve it."""
        from mpmath import mpf

        bound = 10 ** max(2, dps // 2 - 2)
        cand = [_binary(mpf(a)).limit_denominator(bound) for a in x]
        if all(e == 0 for e in self.residual(cand)):
            return cand
        return None

    def enclose(self, x, dps):
        r"""A box around ``x`` in which the Krawczyk test proves a unique solution.

        With :math:`K(\mathbf X)=\hat x-YF(\hat x)+(I-Y\mathbf J)(\mathbf X-\hat x)` (ball
        arithmetic, :math:`\mathbf J` enclosing the Jacobian over the box), if
        :math:`K(\mathbf X)\subset\operatorname{int}\mathbf X` then the system has exactly one
        zero in :math:`\mathbf X` (Krawczyk 1969). Any :math:`Y` is valid; these are tried,
        cheapest first (the ball inverse's test at the caller's ``flint.ctx`` precision):

        1. a float inverse :math:`Y_0` of the Jacobian at the centre, while its condition is
           below :math:`100\times` :data:`~exact.numeric.support.SINGULAR` (:math:`|I-Y_0J|` is
           about condition :math:`\times10^{-16}`);
        2. one refinement :math:`Y_1=Y_0+EY_0` with :math:`E=I-Y_0\mathbf J` the ball residual
           already taken for :math:`Y_0` (its midpoints, the product in floats): a sum of two
           float matrices with :math:`I-Y_1J=E^2` up to rounding. No float matrix does better
           than condition :math:`\times10^{-16}`, whose row sums pass 1 at condition 1e12 and
           2,600 unknowns;
        3. the midpoint Jacobian inverted in ball arithmetic (cubic at hundreds of bits:
           minutes at a thousand unknowns).

        The enclosure :math:`\mathbf J` of each box is built once for all of them, and each
        :math:`Y` costs one ball product :math:`Y\mathbf J` per box (at 2,600 unknowns about
        30 s each, on all cores), at :data:`FLOAT_PREC` bits for the float ones. Returns
        ``(center, radius, Y)``: rationals, and a function listing :math:`Y`'s entries as
        rationals (at 2,600 unknowns, seven million of them: made only for a certificate), or
        raises ``UndecidedError``.
        """
        import mpmath
        from flint import arb_mat, ctx

        from .numeric.support import SINGULAR, inverse_and_condition, refinement

        # one dyadic grid 2^-bits (bits for dps + 5 digits) for the whole centre: F(centre) and
        # the checker's residual then stay short (a denominator per entry made F(centre) cost as
        # much as the rest of the test together)
        grid = 2 ** ((dps + 5) * 10 // 3 + 1)  # 10/3 > log2(10)
        with mpmath.workdps(dps + 10):
            center = [Fraction(round(_binary(mpmath.mpf(a)) * grid), grid) for a in x]
        N = len(center)
        Fx = arb_mat([[ball(v)] for v in self.fmpq_residual([to_fmpq(c) for c in center])])
        identity = arb_mat([[int(i == j) for j in range(N)] for i in range(N)])
        radii = [Fraction(1, 10**exp) for exp in range(dps // 3, 5, -5)]
        over = {}  # (radius, bits) -> the Jacobian over the box, as arb_mat

        def proved(Y, prec):
            """The first radius whose box passes with ``Y()`` (an arb_mat) at ``prec`` bits (or None),
            and ``I - YJ`` over the smallest box."""
            with ctx.workprec(prec):
                Yb = Y()
                step, first = Yb * Fx, None
                for r in radii:
                    if (r, prec) not in over:
                        over[r, prec] = arb_mat(self.jacobian([ball(c, r) for c in center]))  # entries: balls, fmpq or int
                    E = identity - Yb * over[r, prec]
                    first = E if first is None else first
                    spread = E * arb_mat([[ball(0, r)]] * N)
                    if any(upper(abs(spread[i, 0])) >= r for i in range(N)):
                        break  # |I - YJ| has a row sum >= 1: no box passes with this Y (a larger one only widens J)
                    K = spread - step
                    if all(lower(K[i, 0]) > -r and upper(K[i, 0]) < r for i in range(N)):
                        return r, first
                return None, first

        threads, ctx.threads = ctx.threads, os.cpu_count() or 1  # flint's matrix products in parallel
        try:
            Y0, condition = inverse_and_condition(self.float_jacobian(center))
            if Y0 is not None and condition <= 100 * SINGULAR:
                Y0 = Y0.tolist()  # floats are binary rationals: exact as they are
                r, E = proved(lambda: arb_mat(Y0), FLOAT_PREC)
                if r is not None:
                    return center, [r] * N, lambda: Y0
                extra = refinement(Y0, E.mid().tolist()).tolist()
                r, _ = proved(lambda: arb_mat(Y0) + arb_mat(extra), FLOAT_PREC)
                if r is not None:
                    return center, [r] * N, lambda: [[Fraction(a) + Fraction(b) for a, b in zip(r0, r1)] for r0, r1 in zip(Y0, extra)]
            Y = self._ball_inverse(center, dps)
            r, _ = proved(lambda: arb_mat([[ball(a) for a in row] for row in Y]), ctx.prec)
            if r is not None:
                return center, [r] * N, lambda: Y
        finally:
            ctx.threads = threads
        raise UndecidedError("the Krawczyk test failed on every box tried")

    def _ball_inverse(self, center, dps):
        r"""The Jacobian at ``center`` inverted in ball arithmetic, rounded to multiples of
        :math:`2^{-2\cdot\mathrm{dps}}` (short numbers, still a fine preconditioner)."""
        from flint import arb_mat, ctx

        J = arb_mat([[e if is_ball(e) else ball(e) for e in row] for row in self.jacobian([ball(c) for c in center])])
        with ctx.workprec(4 * dps + 64):
            try:
                Jinv = J.mid().inv().mid()  # exact entries: lower() is the value
            except ZeroDivisionError as err:
                raise UndecidedError("the Jacobian at the centre is singular: no Krawczyk preconditioner") from err
        S = 1 << (2 * dps)
        return [[Fraction(round(lower(a) * S), S) for a in row] for row in Jinv.tolist()]

    # --- exact algebraic solution when the blocks decouple --------------------------------

    @cached_property
    def decoupled(self):
        """Whether :math:`W_{bc}=0` for all :math:`b\\ne c` (each block is a univariate problem)."""
        d, W = self.d, self._rows["W"]
        return not self.linear and all(a == 0 for r, row in enumerate(W) for c, a in enumerate(row) if r // d != c // d)

    def algebraic_solution(self, kappa_boxes):
        r"""Exact :math:`(\kappa_b,z_b)` (sympy) for decoupled blocks, :math:`\kappa_b` the unique
        root in its box (:meth:`algebraic_kappas`) and :math:`z_b=(I+\kappa_bW_{bb})^{-1}\tilde y_b`.

        Raises ``UndecidedError`` when a box does not isolate a root.
        """
        import sympy

        out = []
        for b, kb in enumerate(self.algebraic_kappas(kappa_boxes)):
            W = sympy.Matrix(self.d, self.d, lambda i, j: sympy.Rational(self.W[b][b][i][j]))
            yt = sympy.Matrix([sympy.Rational(a) for a in self.ytil[b]])
            z = (sympy.eye(self.d) + kb * W).LUsolve(yt)
            out.append((kb, tuple(sympy.radsimp(sympy.simplify(c)) for c in z)))
        return out

    def algebraic_kappas(self, kappa_boxes):
        r"""Exact :math:`\kappa_b` (sympy) for decoupled blocks, each the unique root in its box.

        For one block, :math:`z=(I+\kappa W)^{-1}\tilde y` and :math:`\|z\|^2=\beta^2` clear to
        :math:`\|\operatorname{adj}(I+\kappa W)\tilde y\|^2-\beta^2\det(I+\kappa W)^2=0`. The
        factor with a root in the box (counted exactly by Sturm sequences) gives it: radicals
        for degree at most 2, ``CRootOf`` otherwise.
        """
        import sympy

        kap = sympy.Symbol("kappa")
        out = []
        for b in range(self.k):
            W = sympy.Matrix(self.d, self.d, lambda i, j: sympy.Rational(self.W[b][b][i][j]))
            yt = sympy.Matrix([sympy.Rational(a) for a in self.ytil[b]])
            Mk = sympy.eye(self.d) + kap * W
            adj_y = Mk.adjugate() * yt
            poly = sympy.Poly(sympy.expand((adj_y.T * adj_y)[0] - sympy.Rational(self.beta**2) * Mk.det() ** 2), kap)
            lo, hi = (sympy.Rational(v) for v in kappa_boxes[b])
            root = None
            for factor, _ in poly.factor_list()[1]:
                if factor.count_roots(lo, hi) == 1:
                    root = _root_in(factor, lo, hi)
                    break
            if root is None:
                raise UndecidedError(f"block {b}: no factor has exactly one root in the kappa box")
            out.append(root)
        return out


def _root_in(factor, lo, hi):
    """The root of an irreducible factor in ``[lo, hi]``: by radicals if degree <= 2."""
    import sympy

    if factor.degree() <= 2:
        for r in sympy.roots(factor, multiple=True):
            if r.is_real and bool(lo <= r) and bool(r <= hi):
                return sympy.nsimplify(r) if r.is_Rational else sympy.radsimp(r)
    roots = sympy.Poly(factor).real_roots()
    return next(r for r in roots if bool(lo <= r) and bool(r <= hi))


def _column(nu):
    """``nu`` as a column: ``fmpq_mat`` for exact rationals, ``arb_mat`` when it holds balls;
    memoized for the last list seen (the solvers apply many blocks' maps to one point or box)."""
    from flint import arb_mat, fmpq_mat

    if _COLUMN.get("nu") is not nu:
        if any(is_ball(v) for v in nu):
            col = arb_mat([[v if is_ball(v) else ball(v)] for v in nu])
        else:
            col = fmpq_mat([[to_fmpq(v)] for v in nu]) if nu else fmpq_mat(0, 1)
        _COLUMN["nu"], _COLUMN["col"] = nu, col
    return _COLUMN["col"]


def _signed(X, flint):
    """The rows of ``X`` and their negatives, memoized for the data (:func:`memo_for`)."""
    memo = memo_for(X, "signed")
    kind = "fmpq" if flint else "fraction"
    if kind not in memo:
        rows = _fmpq_rows(X) if flint else [list(r) for r in X]
        memo[kind] = (rows, [[-a for a in r] for r in rows])
    return memo[kind]


def _fmpq_rows(X):
    """The rows of ``X`` as lists of ``fmpq``, memoized for the data ``X`` (:func:`memo_for`)."""
    memo = memo_for(X, "flint")
    if "rows" not in memo:
        memo["rows"] = [[to_fmpq(a) for a in r] for r in X]
    return memo["rows"]


def _fraction(q):
    """An ``fmpq`` as a Fraction."""
    return Fraction(int(q.p), int(q.q))


def _rows(M):
    """An ``fmpq_mat`` as rows of Fractions."""
    return [[_fraction(a) for a in row] for row in _rows_fmpq(M)]


def _rows_fmpq(M):
    """An ``fmpq_mat`` as rows of ``fmpq``."""
    e, c = M.entries(), M.ncols()
    return [e[i * c : (i + 1) * c] for i in range(M.nrows())]

_COLUMN = {}


def _binary(a):
    """The exact value of a finite mpmath number, as a Fraction."""
    sign, man, exp, _ = a._mpf_
    man = -int(man) if sign else int(man)
    return Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)


def _dot(u, v):
    return sum((a * b for a, b in zip(u, v)), Fraction(0))
