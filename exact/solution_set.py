r"""The optimal polytope of the convex problem, its vertices, and the critical widths.

With the dual optimum :math:`\nu^*` fixed, the optimal solutions of (C) are non-negative
combinations of the tight *atoms* (``math/convex_duality.md`` T4.3, D4.4): an atom is a sign
:math:`\sigma` and a unit direction :math:`\omega` with :math:`\nu^{*\top}\sigma(X\omega)_+=\beta`,
its column is :math:`\mathrm{col}=\sigma(X\omega)_+`, and

.. math:: \mathcal Q^*=\{\gamma\ge0:\textstyle\sum_a\gamma_a\mathrm{col}_a=\hat y^*\},

where :math:`\gamma_a=\|u_a\|` is the weight (norm) put on atom :math:`a`. A neuron
:math:`(\sqrt{\gamma}\,\omega,\sigma\sqrt\gamma)` realises :math:`\gamma` (T4.5).

The vertices of :math:`\mathcal Q^*` are the supports :math:`S` with independent columns whose
unique solution is positive (D5.1); they are enumerated exactly over all subsets of atoms.
:math:`m^*` and :math:`M^*` are the least and largest vertex cardinalities. The optimum is
unique *as a function* when every difference of vertices gives the zero function
:math:`x\mapsto\sum_a\delta_a\sigma_a(\omega_a^\top x)_+`, decided exactly: the kink along
:math:`\omega^\perp` cancels iff the coefficients of :math:`\omega` and :math:`-\omega` sum to 0,
and the remaining linear part :math:`(\sum c_\omega\omega)^\top x` must vanish.
"""

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from .balls import times
from .errors import ResourceLimitError, UndecidedError
from .optimum import OptimalSet, optimal_set
from .rational_linalg import solve

__all__ = ["TightAtom", "OptimalPolytope", "optimal_polytope", "critical_widths", "CriticalWidths", "polytope_vertices", "MAX_ATOMS"]

#: Largest number of tight atoms whose subsets are enumerated (2^A subsets).
MAX_ATOMS = 18


@dataclass(frozen=True)
class TightAtom:
    """A tight atom: pattern ``D`` of a region containing it, sign, unit direction, column."""

    D: tuple
    sign: int
    direction: tuple
    column: tuple


@dataclass(frozen=True)
class OptimalPolytope:
    r"""The optimal polytope :math:`\mathcal Q^*` in the weights of the tight atoms.

    Attributes
    ----------
    optimum : OptimalSet
    atoms : tuple of TightAtom
        The tight atoms (distinct sign and direction).
    target : tuple
        :math:`\hat y^*`.
    vertices : tuple of (support, weights)
        Each vertex: the sorted atom indices of its support and the weights on them.
    dimension : int
        The dimension of :math:`\mathcal Q^*` (0 when it is a point).
    """

    optimum: OptimalSet
    atoms: tuple
    target: tuple
    vertices: tuple

    @property
    def dimension(self):
        if len(self.vertices) <= 1:
            return 0
        base = self._dense(self.vertices[0])
        return _rank([[a - b for a, b in zip(self._dense(v), base)] for v in self.vertices[1:]])

    @property
    def unique_weights(self):
        """Whether the optimal convex solution is unique (a single vertex)."""
        return len(self.vertices) == 1

    @property
    def unique_function(self):
        """Whether every optimal solution computes the same function of the input (exact)."""
        base = self._dense(self.vertices[0])
        return all(self._zero_function([a - b for a, b in zip(self._dense(v), base)]) for v in self.vertices[1:])

    def _dense(self, vertex):
        support, weights = vertex
        out = [Fraction(0)] * len(self.atoms)
        for i, w in zip(support, weights):
            out[i] = w
        return out

    def _zero_function(self, delta):
        """Whether ``x -> sum_a delta_a sigma_a (omega_a . x)_+`` is identically zero."""
        coef = {}
        for c, atom in zip(delta, self.atoms):
            if c:
                coef[atom.direction] = coef.get(atom.direction, 0) + c * atom.sign
        linear = [Fraction(0)] * len(self.atoms[0].direction) if self.atoms else []
        for w, c in coef.items():
            if c == 0:
                continue
            neg = tuple(-a for a in w)
            if w < neg:  # visit each antipodal pair once, from its larger member
                continue
            if c + coef.get(neg, 0) != 0:
                return False  # a kink along w^perp survives
            linear = [a + c * b for a, b in zip(linear, w)]
        return all(a == 0 for a in linear)


@dataclass(frozen=True)
class CriticalWidths:
    r""":math:`m^*` and :math:`M^*` with the vertices attaining them (D5.1)."""

    m_star: int
    M_star: int
    polytope: OptimalPolytope

    def __iter__(self):
        return iter((self.m_star, self.M_star))

    def certificate(self):
        """The ``reluscape/critical-widths/1`` certificate (see :mod:`exact.checker`)."""
        from .certificates import widths_certificate

        return widths_certificate(self)


def optimal_polytope(data, *, optimum=None):
    r"""Return the optimal polytope :math:`\mathcal Q^*` with its vertices enumerated exactly.

    Parameters
    ----------
    data : Dataset
    optimum : OptimalSet, optional
        A certified optimum of ``data`` (default: :func:`~exact.optimum.optimal_set`).

    Raises
    ------
    UndecidedError
        If the optimum is only bracketed (the tight set is then unknown).
    ResourceLimitError
        With more than :data:`MAX_ATOMS` tight atoms.

    Notes
    -----
    Irrational optima (kinds ``algebraic`` and ``enclosure``) were proved as the unique
    solution of the optimality system of their atoms, whose Jacobian is then non-singular, so
    the columns are independent and :math:`\mathcal Q^*` is a single point there.

    Examples
    --------
    >>> from exact import Dataset
    >>> P = optimal_polytope(Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1))
    >>> len(P.atoms), P.vertices, P.unique_weights
    (3, (((1, 2), (Fraction(3, 2), Fraction(1, 2))),), True)
    """
    opt = optimal_set(data) if optimum is None else optimum
    if opt.kind == "bracket":
        raise UndecidedError(f"the optimum is only bracketed ({opt.proof_reason}); its tight set is unknown")
    X = opt.data.X
    if opt.kind != "rational":
        atoms = tuple(TightAtom(a.blocks[0].D, a.blocks[0].sign, (), ()) for a in opt.atoms)
        weights = tuple(times(opt.data.beta, a.kappa) for a in opt.atoms)
        return OptimalPolytope(opt, atoms, opt.fit, ((tuple(range(len(atoms))), weights),) if atoms else ())
    atoms = []
    for D, sign, w in opt.directions:
        col = tuple(sign * max(sum((a * b for a, b in zip(x, w)), Fraction(0)), Fraction(0)) for x in X)
        atoms.append(TightAtom(D, sign, tuple(w), col))
    atoms.sort(key=lambda a: (a.D, a.sign))
    if len(atoms) > MAX_ATOMS:
        raise ResourceLimitError(f"{len(atoms)} tight atoms: vertex enumeration over 2^{len(atoms)} subsets exceeds MAX_ATOMS = {MAX_ATOMS}")
    return OptimalPolytope(opt, tuple(atoms), opt.fit, polytope_vertices([a.column for a in atoms], opt.fit))


def critical_widths(data, *, optimum=None):
    r"""Return :math:`(m^*, M^*)`: the least and largest number of neurons of an irreducible
    optimal network (vertices of :math:`\mathcal Q^*`, D5.1), as a :class:`CriticalWidths`.

    Examples
    --------
    >>> from exact import Dataset
    >>> m, M = critical_widths(Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1))
    >>> m, M
    (2, 2)
    """
    P = optimal_polytope(data, optimum=optimum)
    sizes = [len(S) for S, _ in P.vertices]
    return CriticalWidths(min(sizes), max(sizes), P)


def polytope_vertices(columns, target):
    r"""The vertices of :math:`\{\gamma\ge0:\sum_a\gamma_a\mathrm{col}_a=\text{target}\}`, exactly.

    A vertex is a support :math:`S` with independent columns whose unique solution is positive
    (D5.1); all subsets of at most ``len(target)`` columns are tried, so the cost is
    :math:`\sum_{k\le n}\binom{A}{k}` small solves. The columns may be vectors of any length
    (matrix-valued fits are flattened by the callers, :mod:`exact.extensions`).

    Returns
    -------
    tuple of (support, weights)
        ``(((), ()),)`` when the target is zero (the origin is the only point).

    Examples
    --------
    >>> polytope_vertices([(1, 0), (0, 1), (1, 1)], (2, 2))
    (((2,), (Fraction(2, 1),)), ((0, 1), (Fraction(2, 1), Fraction(2, 1))))
    """
    if not any(target):
        return (((), ()),)
    vertices = []
    for size in range(1, min(len(columns), len(target)) + 1):
        for S in combinations(range(len(columns)), size):
            sol = _solve_columns([columns[i] for i in S], target)
            if sol is not None and all(g > 0 for g in sol):
                vertices.append((S, tuple(sol)))
    return tuple(vertices)


def _solve_columns(cols, target):
    """The unique ``g`` with ``sum g_i cols_i = target`` if the columns are independent and it exists."""
    k = len(cols)
    G = [[sum(a * b for a, b in zip(cols[i], cols[j])) for j in range(k)] for i in range(k)]
    rhs = [sum(a * b for a, b in zip(cols[i], target)) for i in range(k)]
    sol = solve(G, rhs)
    if sol is None:
        return None
    fit = [sum(sol[i] * cols[i][t] for i in range(k)) for t in range(len(target))]
    return sol if fit == list(target) else None


def _rank(rows):
    from .integer_matrices import rank

    return rank(rows) if rows else 0
