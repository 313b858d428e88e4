r"""All stationary points of the width-:math:`m` network, found through restricted problems.

At a Clarke stationary point (``math/convex_duality.md`` T6.2) every non-zero neuron
:math:`(w_j,a_j)` is balanced and lies on a *face* of the arrangement: a relatively open cone
:math:`\{w: x_k^\top w=0\ (k\in Z),\ s_kx_k^\top w>0\ (k\notin Z)\}` (a region when
:math:`Z=\emptyset`). Merging neurons on the same face and sign (which changes neither the fit
nor the stationarity conditions of the others) leaves blocks :math:`u_b=|a|w` with

.. math:: \beta\,u_b/\|u_b\|=\sigma_b\,Q_bM_b^\top\nu,\qquad \nu=y-\textstyle\sum_b\sigma_bD_bXu_b,

where :math:`Q_b` projects onto the face's subspace — the optimality system of the group lasso
restricted to those faces, i.e. the reduced system of :mod:`exact.optimality` with the face rows
forced. So every stationary point (up to splitting neurons) is a solution of such a system with
all :math:`\kappa_b>0` and :math:`u_b` in the open face, and conversely each such solution is a
*candidate*: whether it is Clarke stationary (the kink multipliers must lie in
:math:`[0,1]`, R6.4) is then decided exactly by :func:`exact.stationary.classify`, which also
classifies it as a global minimum, a spurious local minimum or a saddle, with certificates.

Candidates are searched over all sets of at most :math:`m` (face, sign) blocks; this is a
finite, exhaustive search for small instances (the cost grows like
:math:`\binom{2\,\#\text{faces}}{m}`).
"""

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from .arrangement import integer_rows
from .data import Dataset
from .errors import InvalidDataError, ResourceLimitError, UndecidedError
from .integer_matrices import kernel_basis
from .optimality import Block, ReducedSystem, _binary
from .vertex_sweep import region_witnesses

__all__ = ["Face", "StationaryPoint", "StationarySet", "faces", "stationary_points", "MAX_CANDIDATES"]

#: Largest number of candidate block sets searched.
MAX_CANDIDATES = 50_000


@dataclass(frozen=True)
class Face:
    """A relatively open cone of the arrangement: strict signs off ``kinks``, zero on them."""

    signs: tuple
    kinks: tuple
    witness: tuple

    @property
    def D(self):
        return tuple(1 if s > 0 else 0 for s in self.signs)


@dataclass(frozen=True)
class StationaryPoint:
    """A stationary point: its exact value, kind (see :data:`exact.stationary.KINDS`), network
    (an :class:`exact.stationary.Network`), the (face, sign) blocks it uses, and the
    classification with certificates."""

    value: object
    kind: str
    network: object
    blocks: tuple
    classification: object


@dataclass(frozen=True)
class StationarySet:
    """The stationary points found (a sequence), and the candidates left undecided: solutions
    of a face-restricted system whose exact value lies outside the fields the classifier
    handles (``(blocks, approximate value)`` pairs)."""

    points: tuple
    undecided: tuple

    def __iter__(self):
        return iter(self.points)

    def __len__(self):
        return len(self.points)

    def __getitem__(self, i):
        return self.points[i]

    @property
    def values(self):
        """The distinct stationary values, sorted (``Fraction`` and
        :class:`~exact.multiquadratic.Multiquadratic` compare exactly)."""
        return sorted({p.value for p in self.points})


def faces(X):
    r"""All non-zero faces of the arrangement :math:`\{x_k^\top w=0\}` with integer witnesses.

    For every flat :math:`F=\bigcap_{k\in Z}x_k^\perp` (``Z`` closed: every row vanishing on
    ``F``), the regions of the arrangement restricted to ``F``.

    Examples
    --------
    >>> len(faces([[1, 0], [0, 1]]))   # 4 quadrants and 4 half-axes
    8
    """
    rows = integer_rows(X)
    n, d = len(rows), len(rows[0])
    seen, flats, out = set(), {()}, []
    stack = [()]
    while stack:
        Z = stack.pop()
        basis = _subspace(rows, Z, d)  # rows of a basis of F
        if not basis:
            continue  # the zero flat
        restricted = [[sum(a * b for a, b in zip(r, v)) for v in basis] for r in rows]
        for z in region_witnesses([r for r in restricted], d=len(basis)).tolist():
            w = [sum(int(c) * v[i] for c, v in zip(z, basis)) for i in range(d)]
            signs = tuple((s > 0) - (s < 0) for s in (sum(a * b for a, b in zip(r, w)) for r in rows))
            if signs not in seen:
                seen.add(signs)
                out.append(Face(signs, tuple(k for k in range(n) if signs[k] == 0 and any(rows[k])), tuple(w)))
        for k in range(n):
            if k not in Z and any(rows[k]):
                closed = _closure(rows, Z + (k,), d)
                if closed not in flats:
                    flats.add(closed)
                    stack.append(closed)
    return sorted(out, key=lambda f: (len(f.kinks), f.signs))


def stationary_points(data, m, *, dps=50):
    r"""The stationary points of :math:`F` at width ``m``, each classified exactly.

    Parameters
    ----------
    data : Dataset
    m : int
        The width.
    dps : int
        Digits of the high-precision solves.

    Returns
    -------
    StationarySet
        The points sorted by value, one representative per (value, set of blocks), the zero
        network included when it is stationary; and the undecided candidates.

    Raises
    ------
    ResourceLimitError
        When the number of candidate block sets exceeds :data:`MAX_CANDIDATES`.

    Examples
    --------
    >>> pts = stationary_points(Dataset([[1, 0], [0, 1]], [2, -2], 1), 2)
    >>> sorted({p.kind for p in pts})
    ['global_minimum', 'non_minimum_stationary']
    """
    from .stationary import Network, classify

    if not isinstance(data, Dataset):
        raise InvalidDataError("stationary_points needs a Dataset (X, y, beta)")
    if isinstance(m, bool) or not isinstance(m, int) or m < 1:
        raise InvalidDataError(f"m = {m!r} must be an integer >= 1")
    X, y, beta = data.X, list(data.y), data.beta
    blocks = [(f, s) for f in faces(X) for s in (1, -1) if any(f.D)]
    total = sum(_comb(len(blocks), k) for k in range(1, m + 1))
    if total > MAX_CANDIDATES:
        raise ResourceLimitError(f"{total} candidate block sets exceed MAX_CANDIDATES = {MAX_CANDIDATES}")
    out, undecided = {}, []
    zero = classify(data, _zero_network(data.d, m))
    if zero.kind != "not_stationary":
        out[("zero",)] = StationaryPoint(zero.value, zero.kind, _zero_network(data.d, m), (), zero)
    for k in range(1, m + 1):
        for S in combinations(blocks, k):
            if len({(f.signs, s) for f, s in S}) < k:
                continue
            sol = _solve(X, y, beta, S, dps)
            if sol is None:
                continue
            us = [tuple(kv * c for c in z) for kv, z in sol]
            if not all(_in_open_face(X, f, u) for (f, _), u in zip(S, us)):
                continue
            try:
                net = Network.from_blocks([(s, u) for (_, s), u in zip(S, us)], width=m)
            except InvalidDataError:  # beyond multiquadratic fields: not decided here
                undecided.append((tuple(S), float(sum(float(_num(c)) ** 2 for c in us[0]))))
                continue
            cls = classify(data, net)
            if cls.kind == "not_stationary":
                continue
            key = (str(cls.value), tuple(sorted((f.signs, s) for f, s in S)))
            out.setdefault(key, StationaryPoint(cls.value, cls.kind, net, tuple(S), cls))
    points = sorted(out.values(), key=lambda p: (p.value, p.kind))  # exact comparisons
    return StationarySet(tuple(points), tuple(undecided))


def _num(c):
    return c if isinstance(c, Fraction) else c.evalf(30)


def _zero_network(d, m):
    from .stationary import Network

    return Network.from_weights([[0] * d for _ in range(m)], [0] * m)


def _solve(X, y, beta, S, dps):
    """An exact rational solution (kappa_b, z_b) of the face-restricted system with all
    kappa > 0, or ``None`` (irrational solutions are returned when sympy solves them)."""
    system = ReducedSystem(X, y, beta, [Block(f.D, s, f.kinks) for f, s in S])
    for start in (1, Fraction(1, 10), 10):
        x0 = [float(c) for bm in system.mats for c in bm.projection(y)] + [float(start)] * system.k
        try:
            x, regular = system.newton(x0, dps, max_steps=80)
        except UndecidedError:
            continue
        if not regular or any(v <= 0 for v in x[system.k * system.d :]):
            continue
        exact = [_binary(v).limit_denominator(10 ** (dps // 2 - 2)) for v in x]
        if all(e == 0 for e in system.residual(exact)):
            z, kap = system.unpack(exact)
            return list(zip(kap, z))
        return _algebraic(system, x)
    return None


def _algebraic(system, x):
    """Exact sympy solution for decoupled blocks (each kappa a root of a univariate polynomial)."""
    if not system.decoupled:
        return None
    boxes = [(_binary(v) - Fraction(1, 10**20), _binary(v) + Fraction(1, 10**20)) for v in x[system.k * system.d :]]
    try:
        return system.algebraic_solution(boxes)
    except UndecidedError:
        return None


def _in_open_face(X, face, u):
    """``sign(x_k . u) = face.signs[k]`` for every row, decided exactly."""
    import sympy

    for row, s in zip(X, face.signs):
        v = sum(a * c for a, c in zip(row, u))
        v = sympy.nsimplify(v) if not isinstance(v, (int, Fraction)) else v
        sgn = (v > 0) - (v < 0) if isinstance(v, (int, Fraction)) else int(sympy.sign(sympy.simplify(v)))
        if sgn != s:
            return False
    return True


def _subspace(rows, Z, d):
    """Integer basis rows of ``{w : x_k . w = 0, k in Z}``."""
    basis = [[int(i == j) for j in range(d)] for i in range(d)]
    for k in Z:
        if not basis:
            break
        coords = [sum(a * b for a, b in zip(rows[k], v)) for v in basis]
        if not any(coords):
            continue
        B = kernel_basis(coords)
        basis = [[sum(c * v[i] for c, v in zip(row, basis)) for i in range(d)] for row in B]
    return basis


def _closure(rows, Z, d):
    basis = _subspace(rows, Z, d)
    return tuple(k for k, r in enumerate(rows) if any(r) and all(sum(a * b for a, b in zip(r, v)) == 0 for v in basis))


def _comb(n, k):
    from math import comb

    return comb(n, k)
