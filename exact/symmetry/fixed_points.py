r"""Isotropy subgroups, their fixed-point spaces, and the loss restricted to them (math §2).

For a composition :math:`p = (p_1,\dots,p_r)` of :math:`k` (blocks of consecutive indices),
:math:`H = \Delta(S_{p_1}\times\dots\times S_{p_r})` acts on :math:`W\in\mathbb R^{k\times k}` by
:math:`W\mapsto P_\pi WP_\pi^\top`. Its fixed-point space :math:`\mathrm{Fix}(H)` is spanned by the
indicator matrices of the orbits of :math:`H` on index pairs :math:`(i, j)`;
:func:`fixed_point_space` computes these orbits from generators of :math:`H` (union–find over
the action, nothing typed in) and names each one:

* ``D_a``: the diagonal of block :math:`a` (:math:`p_a` entries);
* ``O_a``: the off-diagonal of block :math:`a` (:math:`p_a(p_a-1)` entries, only if :math:`p_a\ge2`);
* ``C_ab``: rows in block :math:`a`, columns in block :math:`b\ne a` (:math:`p_ap_b` entries).

So :math:`\dim\mathrm{Fix}(H) = r+\#\{a: p_a\ge2\}+r(r-1)`. The Frobenius inner product of two
points of :math:`\mathrm{Fix}(H)` in these coordinates is :math:`x^\top My` with
:math:`M = \mathrm{diag}(\text{orbit sizes})`.

**Restricted loss.** Every row norm and inner product of a point of :math:`\mathrm{Fix}(H)` is a
polynomial in the coordinates and the block sizes (math §2), so :math:`L|_{\mathrm{Fix}(H)}` is a sum
of kernel terms :math:`m\,f(A, B, c)` with polynomial :math:`m, A, B, c`.
:class:`FixedPointSpace` evaluates it, with its gradient and Hessian in the coordinates, in any
arithmetic and for *real* block sizes: that is what lets :math:`k` vary continuously. The
gradient of the restricted loss is :math:`E^\top\nabla L(Ex)` (:math:`E` the embedding), and by
symmetric criticality its zeros are exactly the critical points of :math:`L` in
:math:`\mathrm{Fix}(H)`.
"""

from fractions import Fraction
from functools import lru_cache
from itertools import product

import mpmath
import sympy
from flint import ctx

from ..errors import InvalidDataError
from .arithmetic import get_arithmetic
from .kernel import kernel_derivatives

__all__ = ["FixedPointSpace", "fixed_point_space", "isotropy_generators", "orbit_labels"]


def isotropy_generators(composition):
    r"""Return generators of :math:`\Delta(S_{p_1}\times\dots\times S_{p_r})` as permutations of ``range(k)``.

    Block :math:`a` is the run of :math:`p_a` consecutive indices; each block of size
    :math:`\ge2` contributes a transposition of its first two indices and a cycle through all
    of them, which generate its symmetric group.

    Parameters
    ----------
    composition : sequence of positive int
        The block sizes :math:`p_a`.

    Raises
    ------
    InvalidDataError
        If a block size is not a positive integer.

    Examples
    --------
    >>> isotropy_generators((2, 1))
    [(1, 0, 2), (1, 0, 2)]
    >>> isotropy_generators((2, 0))
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: composition[1] = 0 is not a positive integer
    """
    sizes = _integer_sizes(composition)
    k = sum(sizes)
    gens, start = [], 0
    for p in sizes:
        if p >= 2:
            swap = list(range(k))
            swap[start], swap[start + 1] = start + 1, start
            cycle = list(range(k))
            for t in range(p):
                cycle[start + t] = start + (t + 1) % p
            gens += [tuple(swap), tuple(cycle)]
        start += p
    return gens


def orbit_labels(composition):
    r"""Return the orbits of :math:`H` on index pairs, computed from its generators, with their labels.

    Returns
    -------
    dict
        ``label -> sorted list of (i, j)``; labels are ``("D", a)``, ``("O", a)``,
        ``("C", a, b)``, assigned from a representative pair of each orbit.

    Examples
    --------
    >>> orbits = orbit_labels((2, 1))
    >>> sorted(orbits)
    [('C', 0, 1), ('C', 1, 0), ('D', 0), ('D', 1), ('O', 0)]
    >>> orbits[("O", 0)]
    [(0, 1), (1, 0)]
    """
    sizes = _integer_sizes(composition)
    k = sum(sizes)
    block = [a for a, p in enumerate(sizes) for _ in range(p)]
    parent = {(i, j): (i, j) for i in range(k) for j in range(k)}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for g in isotropy_generators(sizes):
        for i, j in product(range(k), repeat=2):
            ra, rb = find((i, j)), find((g[i], g[j]))
            if ra != rb:
                parent[ra] = rb
    orbits = {}
    for pair in parent:
        orbits.setdefault(find(pair), []).append(pair)
    labelled = {}
    for members in orbits.values():
        i, j = min(members)
        a, b = block[i], block[j]
        label = ("C", a, b) if a != b else ("D", a) if i == j else ("O", a)
        if label in labelled:
            raise InvalidDataError(f"two orbits share the label {label}")
        labelled[label] = sorted(members)
    return labelled


def fixed_point_space(composition):
    r"""Return :math:`\mathrm{Fix}(\Delta(S_{p_1}\times\dots\times S_{p_r}))` for a composition of :math:`k`.

    Parameters
    ----------
    composition : sequence
        Block sizes. Positive integers give the fixed-point space of an actual group (its
        coordinates are checked against the orbits of the group action); other numbers
        (``mpf``, ``Fraction``, power series) give the same formulas at real block sizes,
        with an off-diagonal coordinate in every block whose size is not the integer 1.

    Returns
    -------
    FixedPointSpace

    Raises
    ------
    InvalidDataError
        If the composition is empty or has an integer size below 1.

    Examples
    --------
    >>> F = fixed_point_space((4, 1))
    >>> F.dim, F.names
    (5, ('D0', 'O0', 'D1', 'C01', 'C10'))
    >>> [F.dim for F in map(fixed_point_space, [(5,), (4, 1), (3, 2), (2, 2, 1)])]
    [2, 5, 6, 11]
    """
    return FixedPointSpace(tuple(composition))


class FixedPointSpace:
    r"""The fixed-point space of :math:`\Delta(S_{p_1}\times\dots\times S_{p_r})` and :math:`L` restricted to it.

    Attributes
    ----------
    composition : tuple
        The block sizes :math:`p_a`.
    labels : tuple
        Coordinate labels, in order: for each block ``("D", a)`` then ``("O", a)`` (if the
        block has an off-diagonal), then every ``("C", a, b)``, :math:`a\ne b`, row-major.
    names : tuple of str
        The labels written ``"D0"``, ``"O0"``, ``"C01"``.
    dim : int
        :math:`\dim\mathrm{Fix}(H)`.
    """

    def __init__(self, composition):
        if not composition:
            raise InvalidDataError("composition is empty")
        for a, p in enumerate(composition):
            if isinstance(p, int) and p < 1:
                raise InvalidDataError(f"composition[{a}] = {p} is not a positive block size")
        self.composition = composition
        off = tuple(not (isinstance(p, int) and p == 1) for p in composition)
        self.labels = _labels(off)
        self.names = tuple(_name(lab) for lab in self.labels)
        self.dim = len(self.labels)
        self._off = off

    def __repr__(self):
        return f"FixedPointSpace({self.composition!r}, dim={self.dim})"

    @property
    def is_integral(self):
        """Whether every block size is a positive integer (an actual group acts)."""
        return all(isinstance(p, int) for p in self.composition)

    def orbit_sizes(self, arithmetic="sympy"):
        r"""Return the diagonal of the Gram matrix :math:`M`: how many entries each coordinate stands for.

        Examples
        --------
        >>> fixed_point_space((3, 1)).orbit_sizes()
        [3, 6, 1, 3, 3]
        """
        ar = get_arithmetic(arithmetic) if isinstance(arithmetic, str) else arithmetic
        p = [_size(ar, a) for a in self.composition]
        out = []
        for lab in self.labels:
            if lab[0] == "D":
                out.append(p[lab[1]])
            elif lab[0] == "O":
                out.append(p[lab[1]] * (p[lab[1]] - 1))
            else:
                out.append(p[lab[1]] * p[lab[2]])
        return out

    def embed(self, x):
        r"""Return the :math:`k\times k` matrix :math:`Ex` of the coordinates ``x`` (integer sizes only).

        Raises
        ------
        InvalidDataError
            If the sizes are not integers or ``x`` has the wrong length.

        Examples
        --------
        >>> fixed_point_space((2, 1)).embed([1, 2, 3, 4, 5])
        [[1, 2, 4], [2, 1, 4], [5, 5, 3]]
        """
        self._need_integral("embed")
        self._need_length(x)
        k = sum(self.composition)
        W = [[None] * k for _ in range(k)]
        for lab, members in self._orbits().items():
            for i, j in members:
                W[i][j] = x[self.labels.index(lab)]
        return W

    def coordinates(self, W):
        r"""Return the coordinates of a matrix :math:`W\in\mathrm{Fix}(H)` (integer sizes only).

        Raises
        ------
        InvalidDataError
            If :math:`W` is not constant on an orbit, i.e. not in :math:`\mathrm{Fix}(H)`.

        Examples
        --------
        >>> fixed_point_space((2, 1)).coordinates([[1, 2, 4], [2, 1, 4], [5, 5, 3]])
        [1, 2, 3, 4, 5]
        >>> fixed_point_space((2, 1)).coordinates([[1, 2, 4], [2, 1, 4], [5, 6, 3]])
        Traceback (most recent call last):
        ...
        exact.errors.InvalidDataError: W is not in Fix(H): entries of orbit C10 differ: W[2][0] = 5, W[2][1] = 6
        """
        self._need_integral("coordinates")
        x = []
        orbits = self._orbits()
        for lab in self.labels:
            (i0, j0), *rest = orbits[lab]
            for i, j in rest:
                if W[i][j] != W[i0][j0]:
                    raise InvalidDataError(
                        f"W is not in Fix(H): entries of orbit {_name(lab)} differ: "
                        f"W[{i0}][{j0}] = {W[i0][j0]}, W[{i}][{j}] = {W[i][j]}"
                    )
            x.append(W[i0][j0])
        return x

    def loss(self, x, arithmetic="sympy"):
        r"""Return :math:`L(Ex)`, the loss restricted to :math:`\mathrm{Fix}(H)`.

        Examples
        --------
        >>> fixed_point_space((2, 1)).loss([1, 0, 1, 0, 0])
        0
        """
        return self.derivatives(x, arithmetic, order=0)[0]

    def gradient(self, x, arithmetic="sympy"):
        r"""Return :math:`\nabla_x L(Ex) = E^\top\nabla L(Ex)` (one entry per coordinate)."""
        return self.derivatives(x, arithmetic, order=1)[1]

    def hessian(self, x, arithmetic="sympy"):
        r"""Return :math:`\nabla_x^2 L(Ex) = E^\top\nabla^2L(Ex)E` as a list of rows."""
        return self.derivatives(x, arithmetic, order=2)[2]

    def derivatives(self, x, arithmetic="mpmath", *, order=2):
        r"""Return :math:`L(Ex)` and, up to ``order``, its gradient and Hessian in the coordinates.

        Parameters
        ----------
        x : sequence
            Coordinates (exact rationals, or numbers of the arithmetic).
        arithmetic : str or arithmetic object
            ``"sympy"``, ``"mpmath"``, ``"arb"``, or any object with the interface of
            :class:`~exact.symmetry.arithmetic.Arithmetic` (e.g. a power-series arithmetic).
        order : {0, 1, 2}

        Returns
        -------
        tuple
            ``(L,)``, ``(L, grad)`` or ``(L, grad, hess)``.

        Raises
        ------
        InvalidDataError
            If ``x`` has the wrong length, or derivatives are asked at a point with a zero row
            (or, for the Hessian, with two parallel rows or a row parallel to a teacher row).
        """
        ar = get_arithmetic(arithmetic) if isinstance(arithmetic, str) else arithmetic
        self._need_length(x)
        x = [ar.number(a, f"x[{i}]") for i, a in enumerate(x)]
        p = [_size(ar, a) for a in self.composition]
        return _restricted_model(self._off).evaluate(ar, p, x, order)

    def min_sine_squared(self, x, arithmetic="mpmath"):
        r"""Return :math:`\min\sin^2\theta` over the pairs of rows and of row and teacher row at :math:`Ex`.

        :math:`L` is analytic at :math:`Ex` exactly when this is positive (no row is parallel to
        another row or to a teacher row; a zero row gives 0).

        Examples
        --------
        >>> fixed_point_space((2, 1)).min_sine_squared([1, 0, 1, 0, 0], "sympy")
        0
        """
        ar = get_arithmetic(arithmetic) if isinstance(arithmetic, str) else arithmetic
        self._need_length(x)
        x = [ar.number(a, f"x[{i}]") for i, a in enumerate(x)]
        p = [_size(ar, a) for a in self.composition]
        return _restricted_model(self._off).min_sine_squared(ar, p, x)

    def expression(self):
        r"""Return :math:`L|_{\mathrm{Fix}(H)}` as a sympy expression in the coordinates and block sizes.

        The coordinates are symbols named as in :attr:`names`, the block sizes symbols
        ``p0, p1, ...``, and the kernel an unevaluated ``f(A, B, c)``.

        Examples
        --------
        >>> e = fixed_point_space((1,)).expression()
        >>> sorted(map(str, e.free_symbols))
        ['D0', 'p0']
        """
        return _restricted_model(self._off).expression()

    # -----------------------------------------------------------------------------------------

    def _need_integral(self, what):
        if not self.is_integral:
            raise InvalidDataError(f"{what} needs integer block sizes, got {self.composition}")

    def _need_length(self, x):
        if len(x) != self.dim:
            raise InvalidDataError(f"x has {len(x)} coordinates, Fix(H) has dimension {self.dim}")

    def _orbits(self):
        return _cached_orbits(self.composition)


# ---------------------------------------------------------------------------------------------
# the restricted model: kernel terms with polynomial weights and arguments


@lru_cache(maxsize=None)
def _cached_orbits(composition):
    orbits = orbit_labels(composition)
    if set(orbits) != set(_labels(tuple(p != 1 for p in composition))):
        raise InvalidDataError(f"the orbits of the group action do not match the labels for {composition}")
    return orbits


def _labels(off):
    r = len(off)
    labels = []
    for a in range(r):
        labels.append(("D", a))
        if off[a]:
            labels.append(("O", a))
    labels += [("C", a, b) for a in range(r) for b in range(r) if a != b]
    return tuple(labels)


def _name(lab):
    return lab[0] + "".join(map(str, lab[1:]))


def _integer_sizes(composition):
    sizes = tuple(composition)
    for a, p in enumerate(sizes):
        if not isinstance(p, int) or isinstance(p, bool) or p < 1:
            raise InvalidDataError(f"composition[{a}] = {p!r} is not a positive integer")
    return sizes


def _size(ar, p):
    return ar.number(p) if isinstance(p, (int, Fraction)) else p


class _Poly:
    """A polynomial in the coordinates whose coefficients are polynomials in the block sizes."""

    __slots__ = ("terms",)

    def __init__(self, expr, xs, ps):
        poly = sympy.Poly(sympy.expand(expr), *xs)
        self.terms = []
        for monom, coeff in poly.terms():
            cpoly = sympy.Poly(coeff, *ps)
            cterms = tuple(
                (tuple(e), Fraction(int(c.p), int(c.q))) for e, c in cpoly.terms()
            )
            vars_ = tuple((v, e) for v, e in enumerate(monom) if e)
            self.terms.append((vars_, cterms))

    def coefficients(self, ar, p):
        out = []
        for vars_, cterms in self.terms:
            c = ar.number(0)
            for exps, q in cterms:
                t = ar.number(q)
                for pa, e in zip(p, exps):
                    if e:
                        t = t * pa**e
                c = c + t
            out.append((vars_, c))
        return out


class _Compiled:
    """A polynomial evaluated at ``x``: value, sparse gradient and sparse upper-triangular Hessian."""

    def __init__(self, coeffs, monomials, ar, order):
        zero = ar.number(0)
        self.value = zero
        self.grad = {}
        self.hess = {}
        for vars_, c in coeffs:
            self.value = self.value + monomials.times(c, vars_, {})
            if order < 1:
                continue
            for v, e in vars_:
                self.grad[v] = self.grad.get(v, zero) + monomials.times(c * e, vars_, {v: 1})
                if order < 2:
                    continue
                for w, f in vars_:
                    if w > v:
                        h = monomials.times(c * e * f, vars_, {v: 1, w: 1})
                    elif w == v and e >= 2:
                        h = monomials.times(c * e * (e - 1), vars_, {v: 2})
                    else:
                        continue
                    self.hess[(v, w)] = self.hess.get((v, w), zero) + h


class _Monomials:
    """Products of the coordinates, each computed once per evaluation."""

    def __init__(self, x):
        self.x = x
        self.cache = {}

    def times(self, c, vars_, drop):
        """``c`` times the monomial ``vars_`` with exponents lowered by ``drop``."""
        key = tuple((v, e - drop.get(v, 0)) for v, e in vars_ if e - drop.get(v, 0))
        return c * self.get(key) if key else c

    def get(self, key):
        if key not in self.cache:
            (v, e), rest = key[0], key[1:]
            head = self.x[v] if e == 1 else self.get(((v, e - 1),)) * self.x[v]
            self.cache[key] = head * self.get(rest) if rest else head
        return self.cache[key]


class _RestrictedModel:
    """:math:`L|_{Fix}` as quadratic part + kernel terms; built once per block structure."""

    def __init__(self, off):
        r = len(off)
        self.off = off
        self.labels = _labels(off)
        n = len(self.labels)
        xs = sympy.symbols(f"x0:{n}")
        ps = sympy.symbols(f"p0:{r}")
        self.xs, self.ps = xs, ps
        X = dict(zip(self.labels, xs))
        zero = sympy.Integer(0)
        D = [X[("D", a)] for a in range(r)]
        O = [X.get(("O", a), zero) for a in range(r)]

        def C(a, b):
            return X[("C", a, b)]

        norms = [
            D[a] ** 2 + (ps[a] - 1) * O[a] ** 2 + sum(ps[b] * C(a, b) ** 2 for b in range(r) if b != a)
            for a in range(r)
        ]
        k = sum(ps)
        one = sympy.Integer(1)
        quad = sum(ps[a] * norms[a] for a in range(r)) / 4 + k / 4
        # kernel terms: (weight, A, B, c); the weight multiplies f(A, B, c)
        terms = []
        for a in range(r):
            if off[a]:
                same = 2 * D[a] * O[a] + (ps[a] - 2) * O[a] ** 2
                same += sum(ps[b] * C(a, b) ** 2 for b in range(r) if b != a)
                terms.append((ps[a] * (ps[a] - 1) / 2, norms[a], norms[a], same))
            for b in range(a + 1, r):
                cross = C(b, a) * (D[a] + (ps[a] - 1) * O[a]) + C(a, b) * (D[b] + (ps[b] - 1) * O[b])
                cross += sum(ps[c] * C(a, c) * C(b, c) for c in range(r) if c not in (a, b))
                terms.append((ps[a] * ps[b], norms[a], norms[b], cross))
            terms.append((-ps[a], norms[a], one, D[a]))
            if off[a]:
                terms.append((-ps[a] * (ps[a] - 1), norms[a], one, O[a]))
            for b in range(r):
                if b != a:
                    terms.append((-ps[a] * ps[b], norms[a], one, C(a, b)))
        self.quad = _Poly(quad, xs, ps)
        self.terms = []
        self.teacher_constant = sympy.Rational(1, 4) * k * (k - 1)  # times 1/pi
        for w, A, B, c in terms:
            G = sympy.expand(A * B - c * c)
            self.terms.append(tuple(_Poly(e, xs, ps) for e in (w, A, B, c, G)))
        self._symbolic = (quad, terms)
        self._cache = {}

    def evaluate(self, ar, p, x, order):
        n = len(x)
        zero = ar.number(0)
        pi = ar.pi()
        monomials = _Monomials(x)
        coeffs = self._coefficients(ar, p)
        q = _Compiled(coeffs[0], monomials, ar, order)
        k = sum(p[1:], p[0])
        value = q.value + k * (k - 1) / (4 * pi)
        grad = [zero] * n
        hess = [[zero] * n for _ in range(n)]
        if order >= 1:
            for v, g in q.grad.items():
                grad[v] = grad[v] + g
        if order >= 2:
            for (v, w), h in q.hess.items():
                hess[v][w] = hess[v][w] + h
        for wc, Ac, Bc, cc, Gc in coeffs[1]:
            weight = _Compiled(wc, monomials, ar, 0).value
            A, B, c = (_Compiled(P, monomials, ar, order) for P in (Ac, Bc, cc))
            G = _Compiled(Gc, monomials, ar, 0)
            if order == 0 and ar.is_zero(A.value):
                continue
            out = kernel_derivatives(ar, A.value, B.value, c.value, G.value, order=order)
            value = value + weight * out[0]
            if order < 1:
                continue
            parts = (A, B, c)
            firsts = out[1]
            for P, fP in zip(parts, firsts):
                wf = weight * fP
                for v, g in P.grad.items():
                    grad[v] = grad[v] + wf * g
                if order >= 2:
                    for (v, w), h in P.hess.items():
                        hess[v][w] = hess[v][w] + wf * h
            if order < 2:
                continue
            fAA, fAB, fAc, fBB, fBc, fcc = out[2]
            second = {(0, 0): fAA, (0, 1): fAB, (0, 2): fAc, (1, 1): fBB, (1, 2): fBc, (2, 2): fcc}
            for (s, t), fst in second.items():
                gs, gt = parts[s].grad, parts[t].grad
                if not gs or not gt:
                    continue
                wf = weight * fst
                for v, a in gs.items():
                    wa = wf * a
                    for w, b in gt.items():
                        if s == t:
                            if w >= v:
                                hess[v][w] = hess[v][w] + wa * b
                        else:
                            lo, hi = (v, w) if v <= w else (w, v)
                            hess[lo][hi] = hess[lo][hi] + (2 * wa * b if v == w else wa * b)
        result = [value]
        if order >= 1:
            result.append(grad)
        if order >= 2:
            for v in range(n):
                for w in range(v):
                    hess[v][w] = hess[w][v]
            result.append(hess)
        return tuple(result)

    def _coefficients(self, ar, p):
        """The coefficients of every polynomial at the block sizes ``p``, cached per arithmetic and precision."""
        try:
            key = (ar.name, tuple(p), mpmath.mp.prec, ctx.prec)
            hash(key)
        except (AttributeError, TypeError):  # power series: not hashable, not cached
            key = None
        if key is not None and key in self._cache:
            return self._cache[key]
        out = (
            self.quad.coefficients(ar, p),
            [tuple(P.coefficients(ar, p) for P in term) for term in self.terms],
        )
        if key is not None:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = out
        return out

    def min_sine_squared(self, ar, p, x):
        monomials = _Monomials(x)
        out = None
        for wc, *args in self._coefficients(ar, p)[1]:
            if ar.is_zero(_Compiled(wc, monomials, ar, 0).value):
                continue
            A, B, _, G = (_Compiled(P, monomials, ar, 0).value for P in args)
            if ar.is_zero(A):
                return ar.number(0)
            val = G / (A * B)
            out = val if out is None or val < out else out
        return out

    def expression(self):
        quad, terms = self._symbolic
        names = sympy.symbols(" ".join(_name(lab) for lab in self.labels))
        names = names if isinstance(names, tuple) else (names,)
        sub = dict(zip(self.xs, names))
        fsym = sympy.Function("f")
        total = quad + self.teacher_constant / sympy.pi
        for w, a, b, cc in terms:
            total += w * fsym(a, b, cc)
        return total.subs(sub)


@lru_cache(maxsize=None)
def _restricted_model(off):
    return _RestrictedModel(off)
