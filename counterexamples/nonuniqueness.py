r"""Non-uniqueness of optimal networks and of minimum-norm interpolators (``math/convex_duality.md`` §8, §4).

Every construction is proved by one dual certificate :math:`\nu` (feasible on every region of
the data, both signs; :math:`\tilde X^\top\nu=0` with a free skip connection) and two primal
solutions built from *tight* atoms :math:`p` (:math:`p\in K_s`, :math:`\|p\|=\beta`,
:math:`\sigma\nu^\top D_sXp=\beta^2`) whose values equal the dual value: by the gap identity both
are optimal, hence so is the whole segment between them, and their functions differ at a stated
point. Certificate: ``reluscape/nonunique/1`` (numbers in :math:`\mathbb Q(\sqrt3)`, :math:`\mathbb Q(\sqrt2)`
where the fixtures need them).

* :func:`fixture_b` — 1-D, no skip, penalised bias (NS), data :math:`\pm\sqrt3`, :math:`y=(1,1)`: the
  constant neuron and the two one-sided neurons tie; :math:`f_\lambda(0)=\tfrac{1+\lambda}2`.
  Worked in :math:`\mathbb Q(\sqrt3)`, and again on the equivalent rational instance (the same Gram
  matrix in :math:`\mathbb Q^4`: :math:`x_1=(2,0,0,0)`, :math:`x_2=(-1,1,1,1)`).
* :func:`fixture_c` — XOR with a free skip and a penalised bias (SB):
  :math:`f_1=|x_1+x_2|-1` and :math:`f_2=1-|x_1-x_2|` have equal cost, :math:`f_1(0)=-1\ne f_2(0)=1`.
* :func:`plain_continuum` — the regularised problem without bias or skip (rational, :math:`d=4`):
  a segment of optimal networks; cross-checked against :func:`exact.optimum.optimal_set`.
* :func:`find_nonunique` — a search over small rational data (rows from rational unit vectors)
  for new certified examples of the regularised problem.

Float reproduction: gradient descent on the regularised problem from several seeds ends at the
same value but at different functions.
"""

import random
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product

from exact import Dataset
from exact.certificates import number
from exact.cone_faces import project_exact
from exact.data import as_rational
from exact.errors import InvalidDataError
from exact.multiquadratic import encode, field_element, sign, sqrt_rational, to_sympy
from exact.stationary import Network, adjacent_regions

__all__ = [
    "Atom",
    "Solution",
    "NonuniqueExample",
    "fixture_b",
    "fixture_b_rational",
    "fixture_c",
    "plain_continuum",
    "find_nonunique",
    "certify",
]


@dataclass(frozen=True)
class Atom:
    r"""A used atom: the region's strict signs, the output sign :math:`\sigma`, the direction
    :math:`p` (:math:`\|p\|=\beta`) and the weight :math:`\kappa\ge0` (block :math:`u=\kappa p`)."""

    signs: tuple
    sign: int
    direction: tuple
    weight: object


@dataclass(frozen=True)
class Solution:
    """An optimal solution: its atoms and the free skip vector (``None`` without a skip)."""

    atoms: tuple
    skip: tuple = None

    def __call__(self, x):
        """The function at an input ``x`` (in the coordinates of the rows), exactly."""
        out = Fraction(0)
        for a in self.atoms:
            xp = sum((c * p for c, p in zip(x, a.direction)), Fraction(0))
            if sign(xp) > 0:
                out += a.sign * a.weight * xp
        if self.skip is not None:
            out += sum((c * z for c, z in zip(x, self.skip)), Fraction(0))
        return out

    def network(self):
        r"""The balanced network of the solution (D3.4: :math:`a^2=\|u\|`, :math:`u=\kappa p`; no skip)."""
        return Network.from_blocks([(a.sign, tuple(a.weight * c for c in a.direction)) for a in self.atoms])


@dataclass(frozen=True)
class NonuniqueExample:
    r"""A certified pair of optimal solutions whose functions differ at ``point``.

    ``problem`` is ``"regularized"`` (convex problem (C) with :math:`\beta`) or
    ``"interpolation"`` (minimum-norm interpolation, :math:`\beta=1` in the dual constraints);
    ``X`` are the rows (with the bias column when a bias is penalised), ``value`` the optimal
    value, ``values`` the two functions at ``point``.
    """

    name: str
    problem: str
    X: tuple
    y: tuple
    beta: object
    skip: bool
    nu: tuple
    solutions: tuple
    point: tuple
    value: object
    values: tuple
    refutes: str
    regions: tuple = field(repr=False, default=())
    multipliers: tuple = field(repr=False, default=())

    def certificate(self):
        """The ``reluscape/nonunique/1`` certificate."""
        body = {
            "schema": "reluscape/nonunique/1",
            "label": self.name,
            "problem": self.problem,
            "skip": self.skip,
            "X": [[encode(c) for c in r] for r in self.X],
            "y": [encode(c) for c in self.y],
            "regions": [{"signs": _signs(r.signs), "witness": [encode(c) for c in r.witness]} for r in self.regions],
            "nu": [encode(c) for c in self.nu],
            "lambda": [[[encode(c) for c in lam] for lam in pair] for pair in self.multipliers],
            "point": [encode(c) for c in self.point],
            "solutions": [
                dict(
                    {"atoms": [{"region": self._region_index(a.signs), "sign": a.sign, "direction": [encode(c) for c in a.direction],
                                "weight": encode(a.weight)} for a in s.atoms]},
                    **({"skip": [encode(c) for c in s.skip]} if self.skip else {}),
                )
                for s in self.solutions
            ],
        }
        if self.problem == "regularized":
            body["beta"] = number(self.beta)
        return body

    def _region_index(self, signs):
        return next(i for i, r in enumerate(self.regions) if r.signs == signs)

    def report(self):
        """Human-readable lines."""
        lines = [
            f"{self.name}: {self.problem}{' with a free skip' if self.skip else ''}, n = {len(self.X)}, d = {len(self.X[0])}",
            f"  refutes: {self.refutes}",
            f"  dual certificate nu = {tuple(str(to_sympy(c)) for c in self.nu)}, optimal value {to_sympy(self.value)}",
        ]
        for i, s in enumerate(self.solutions):
            atoms = ", ".join(f"{'+' if a.sign > 0 else '-'}{to_sympy(a.weight)}*{tuple(str(to_sympy(c)) for c in a.direction)}" for a in s.atoms)
            skip = "" if s.skip is None else f" + skip {tuple(str(to_sympy(c)) for c in s.skip)}"
            lines.append(f"  solution {i + 1}: {atoms}{skip}")
        lines.append(f"  at the point {tuple(str(to_sympy(c)) for c in self.point)}: f_1 = {to_sympy(self.values[0])}, "
                     f"f_2 = {to_sympy(self.values[1])}; every convex combination is optimal")
        return lines

    def reproduce(self, *, seeds=8, steps=6000, lr=0.05, alpha=0.5, width=None, seed=0):
        r"""Float reproduction (:mod:`exact.numeric.endpoints`), regularised problem without skip.

        Gradient descent from ``seeds`` balanced initialisations of scale ``alpha`` and width
        ``width`` (default: one more than the larger solution). Returns a dict: ``labels`` (per
        run, ``"optimum"`` when the final loss is the exact optimal value to ``1e-6`` relative,
        ``"zero"`` for the zero network, else ``"other"``), ``final_losses`` and
        ``at_point``, the reached functions at :attr:`point`; the runs at the optimum spread over
        ``values`` (the segment between the two solutions). ``None`` for the interpolation
        problems (no loss to descend).
        """
        if self.problem != "regularized" or self.skip:
            return None
        from exact.numeric.endpoints import descent_endpoints, label_endpoints, outputs_at

        m = width or 1 + max(len(s.atoms) for s in self.solutions)
        res = descent_endpoints(self.X, self.y, self.beta, width=m, alphas=(alpha,), seeds=seeds, lr=lr,
                                steps=steps, seed=seed)
        final = res.losses[:, -1]
        zero = sum((v * v for v in self.y), Fraction(0)) / 2
        return {
            "labels": label_endpoints(final, {"optimum": self.value, "zero": zero}),
            "final_losses": final,
            "at_point": outputs_at(res, self.point),
        }


def certify(name, problem, X, y, nu, solutions, point, *, beta=None, skip=False, refutes=""):
    r"""Check a non-uniqueness claim exactly (the checks of ``reluscape/nonunique/1``) and return it.

    Parameters
    ----------
    name : str
    problem : {"regularized", "interpolation"}
    X, y : rows and labels (rational or multiquadratic entries)
    nu : the dual certificate
    solutions : two :class:`Solution`
    point : the input where the two functions differ
    beta : rational (regularised problem only)
    skip : whether a free linear skip (including the constant, via the bias column) is present

    Raises
    ------
    InvalidDataError
        Naming the first check that fails.
    """
    X = tuple(tuple(field_element(c, f"X[{k}][{i}]") for i, c in enumerate(r)) for k, r in enumerate(X))
    y = tuple(field_element(c, f"y[{k}]") for k, c in enumerate(y))
    nu = tuple(field_element(c, f"nu[{k}]") for k, c in enumerate(nu))
    point = tuple(field_element(c, f"point[{i}]") for i, c in enumerate(point))
    n, d = len(X), len(X[0])
    if problem not in ("regularized", "interpolation"):
        raise InvalidDataError(f"problem = {problem!r} must be 'regularized' or 'interpolation'")
    level = as_rational(beta, "beta") if problem == "regularized" else Fraction(1)
    regions = adjacent_regions(X, (Fraction(0),) * d)
    multipliers = []
    for r in regions:
        pair = []
        for s in (1, -1):
            A = [[c if sk > 0 else -c for c in x] for x, sk in zip(X, r.signs)]
            g = [s * sum((X[k][i] * nu[k] for k in range(n) if r.signs[k] > 0), Fraction(0)) for i in range(d)]
            pr = project_exact(A, g)
            if pr.sq_norm > level * level:
                raise InvalidDataError(f"{name}: nu violates the dual constraint on region {_signs(r.signs)}, sign {s:+d}")
            pair.append(pr.multipliers)
        multipliers.append(tuple(pair))
    if skip and any(sum((x[i] * v for x, v in zip(X, nu)), Fraction(0)) != 0 for i in range(d)):
        raise InvalidDataError(f"{name}: X^T nu != 0 with a free skip")
    dual = sum((a * b for a, b in zip(nu, y)), Fraction(0))
    if problem == "regularized":
        dual -= sum((a * a for a in nu), Fraction(0)) / 2
    values = []
    for t, sol in enumerate(solutions):
        fit, total = [Fraction(0)] * n, Fraction(0)
        for a in sol.atoms:
            p = a.direction
            if any(sign(sum((c * q for c, q in zip(x, p)), Fraction(0))) * sk < 0 for x, sk in zip(X, a.signs)):
                raise InvalidDataError(f"{name}: solution {t}: a direction is outside its cone")
            act = sum((nu[k] * sum((c * q for c, q in zip(X[k], p)), Fraction(0)) for k in range(n) if a.signs[k] > 0), Fraction(0))
            if sum((c * c for c in p), Fraction(0)) != level * level or a.sign * act != level * level or a.weight < 0:
                raise InvalidDataError(f"{name}: solution {t}: an atom is not tight")
            for k in range(n):
                if a.signs[k] > 0:
                    fit[k] += a.sign * a.weight * sum((c * q for c, q in zip(X[k], p)), Fraction(0))
            total += a.weight
        if skip:
            fit = [f + sum((c * z for c, z in zip(x, sol.skip)), Fraction(0)) for f, x in zip(fit, X)]
        want = [a - b for a, b in zip(y, nu)] if problem == "regularized" else list(y)
        primal = level * level * total + (sum((a * a for a in nu), Fraction(0)) / 2 if problem == "regularized" else 0)
        if fit != want or primal != dual:
            raise InvalidDataError(f"{name}: solution {t} does not fit, or its value differs from the dual value")
        values.append(sol(point))
    if values[0] == values[1]:
        raise InvalidDataError(f"{name}: the two solutions agree at the point")
    return NonuniqueExample(name, problem, X, y, level if problem == "regularized" else None, skip, nu, tuple(solutions),
                            point, dual, tuple(values), refutes, tuple(regions), tuple(multipliers))


def fixture_b():
    r"""Fixture B: :math:`x=\pm\sqrt3`, :math:`y=(1,1)`, no skip, penalised bias, in :math:`\mathbb Q(\sqrt3)`.

    Examples
    --------
    >>> ex = fixture_b()
    >>> ex.value, ex.values
    (Fraction(1, 1), (Fraction(1, 1), Fraction(1, 2)))
    """
    r3 = sqrt_rational(3)
    half = Fraction(1, 2)
    X = [(-r3, 1), (r3, 1)]  # rows (x_k, 1): the bias is a penalised input
    mid = Atom((1, 1), 1, (0, Fraction(1)), Fraction(1))
    right = Atom((-1, 1), 1, (r3 / 2, half), half)
    left = Atom((1, -1), 1, (-r3 / 2, half), half)
    return certify("fixture B (1-D, no skip, penalised bias)", "interpolation", X, [1, 1], [half, half],
                   [Solution((mid,)), Solution((right, left))], (0, 1), refutes=_REFUTES_1D)


def fixture_b_rational():
    r"""Fixture B on the rational instance with the same Gram matrix: :math:`x_1=(2,0,0,0)`,
    :math:`x_2=(-1,1,1,1)`; the input :math:`x=0` (row :math:`(0,1)`) becomes :math:`(\tfrac12,\tfrac12,\tfrac12,\tfrac12)`.

    Examples
    --------
    >>> fixture_b_rational().values == fixture_b().values
    True
    """
    h = Fraction(1, 2)
    X = [(2, 0, 0, 0), (-1, 1, 1, 1)]
    mid = Atom((1, 1), 1, (h, h, h, h), Fraction(1))
    right = Atom((-1, 1), 1, (-h, h, h, h), h)
    left = Atom((1, -1), 1, (Fraction(1), 0, 0, 0), h)
    return certify("fixture B, rational Gram-equivalent instance", "interpolation", X, [1, 1], [h, h],
                   [Solution((mid,)), Solution((right, left))], (h, h, h, h), refutes=_REFUTES_1D)


def fixture_c():
    r"""Fixture C: XOR with a free skip and a penalised bias; :math:`\nu=(1,1,-1,-1)/\sqrt2`.

    Examples
    --------
    >>> ex = fixture_c()
    >>> ex.values, str(to_sympy(ex.value))
    ((Fraction(-1, 1), Fraction(1, 1)), '2*sqrt(2)')
    """
    r2 = sqrt_rational(2)
    X = [(1, 1, 1), (-1, -1, 1), (1, -1, 1), (-1, 1, 1)]  # rows (x_1, x_2, 1)
    nu = [1 / r2, 1 / r2, -1 / r2, -1 / r2]
    k = 2 * r2
    f1 = Solution((Atom((1, -1, -1, -1), 1, (1 / r2, 1 / r2, 0), k),), skip=(-1, -1, -1))  # |x1 + x2| - 1
    f2 = Solution((Atom((-1, -1, 1, -1), -1, (1 / r2, -1 / r2, 0), k),), skip=(1, -1, 1))  # 1 - |x1 - x2|
    return certify("fixture C (XOR, free skip, penalised bias)", "interpolation", X, [1, 1, -1, -1], nu, [f1, f2],
                   (0, 0, 1), skip=True, refutes=_REFUTES_SKIP)


def plain_continuum():
    r"""The regularised problem without bias or skip: rows :math:`e_1` and :math:`(-\tfrac12,\tfrac12,\tfrac12,\tfrac12)`
    (unit norm, 120 degrees), :math:`y=(\tfrac32,\tfrac32)`, :math:`\beta=\tfrac12`: one neuron along
    the bisector or two one-sided neurons, value :math:`\tfrac54`.

    Examples
    --------
    >>> ex = plain_continuum()
    >>> ex.value, ex.values
    (Fraction(5, 4), (Fraction(2, 1), Fraction(1, 1)))
    """
    h, q = Fraction(1, 2), Fraction(1, 4)
    X = [(1, 0, 0, 0), (-h, h, h, h)]
    mid = Atom((1, 1), 1, (q, q, q, q), Fraction(4))
    one = Atom((1, -1), 1, (h, 0, 0, 0), Fraction(2))
    two = Atom((-1, 1), 1, (-q, q, q, q), Fraction(2))
    return certify("plain problem: a segment of optimal networks", "regularized", X, [Fraction(3, 2)] * 2, [h, h],
                   [Solution((mid,)), Solution((one, two))], (h, h, h, h), beta=h, refutes=_REFUTES_PLAIN)


def find_nonunique(n, d, seed=0, *, budget=200):
    r"""Search small rational data for new certified non-unique optima of the regularised problem.

    Instances are built backwards (STYLE §6.2): rows are drawn from the rational unit vectors
    with small denominators in :math:`\mathbb R^d` (half the time starting with a pair at 120
    degrees, the mechanism of Fixture B, which rational unit vectors realise only from
    :math:`d=4` on), a rational :math:`\nu` from small values;
    every block's projection :math:`\Pi_{K_s}(\pm X^\top D_s\nu)` is computed exactly, and
    :math:`\beta` is the largest norm when it is rational (else the instance is skipped). The
    tight projections are the atoms; when their columns are dependent, :math:`\hat y` is the sum
    of all columns, :math:`y=\hat y+\nu`, so that :math:`\nu` is the dual optimum (gap identity)
    and the optimal polytope contains a segment. Exact LPs find two of its vertices, and a row,
    an atom direction or a sum of two where their functions differ; :func:`certify` re-checks
    everything.

    Parameters
    ----------
    n, d : int
        Samples and dimension (:math:`1\le n\le6`, :math:`2\le d\le4`).
    seed : int
    budget : int
        The number of instances tried.

    Returns
    -------
    NonuniqueExample or None
        ``None`` when none was found within the budget.

    Examples
    --------
    >>> ex = find_nonunique(2, 4, seed=0)
    >>> ex.problem, ex.values[0] != ex.values[1]
    ('regularized', True)
    >>> find_nonunique(0, 4)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: n = 0 must be an integer in 1..6
    """
    from exact.arrangement import enumerate_patterns
    from exact.cone_faces import independent_rows
    from exact.cones import project
    from exact.lp import solve_lp

    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 6:
        raise InvalidDataError(f"n = {n!r} must be an integer in 1..6")
    if isinstance(d, bool) or not isinstance(d, int) or not 2 <= d <= 4:
        raise InvalidDataError(f"d = {d!r} must be an integer in 2..4")
    rng = random.Random(seed)
    units = _rational_units(d)
    pairs = [(u, v) for u in units for v in units if sum(a * b for a, b in zip(u, v)) == Fraction(-1, 2)]
    for _ in range(budget):
        X = [rng.choice(units) for _ in range(n)]
        level = Fraction(rng.choice((1, 2)), rng.choice((1, 2)))
        nu = [level * rng.choice((1, 1, 1, -1, Fraction(1, 2), 2)) for _ in range(n)]
        if pairs and n >= 2 and rng.random() < 0.5:  # seed a pair at 120 degrees with equal residuals
            X[:2] = rng.choice(pairs)
            nu[:2] = [level, level]
        blocks = []
        for pat in enumerate_patterns(X):
            A = [[c if sk > 0 else -c for c in x] for x, sk in zip(X, pat.signs)]
            for s in (1, -1):
                g = [s * sum((X[k][i] * nu[k] for k in range(n) if pat.signs[k] > 0), Fraction(0)) for i in range(d)]
                blocks.append((tuple(pat.signs), s, project(A, g)))
        top = max(pr.sq_norm for _, _, pr in blocks)
        beta = sqrt_rational(top)
        if not isinstance(beta, Fraction) or beta == 0:
            continue
        atoms = {}
        for signs, s, pr in blocks:
            if pr.sq_norm == top and (s, pr.point) not in atoms:
                col = tuple(s * sum(a * b for a, b in zip(x, pr.point)) if sk > 0 else Fraction(0) for x, sk in zip(X, signs))
                atoms[(s, pr.point)] = (signs, s, pr.point, col)
        atoms = list(atoms.values())
        if len(independent_rows([a[3] for a in atoms])) == len(atoms):
            continue  # independent columns: the optimum is unique
        fit = [sum((a[3][k] for a in atoms), Fraction(0)) for k in range(n)]
        pair = _two_vertices(solve_lp, [[a[3][k] for a in atoms] for k in range(n)], fit, len(atoms))
        if pair is None:
            continue
        sols = [Solution(tuple(Atom(a[0], a[1], a[2], w) for a, w in zip(atoms, x) if w)) for x in pair]
        point = _differing_point(sols, X, [a[2] for a in atoms])
        if point is None:
            continue
        y = [f + v for f, v in zip(fit, nu)]
        return certify(f"found by search (n={n}, d={d}, seed={seed})", "regularized", X, y, nu, sols, point,
                       beta=beta, refutes=_REFUTES_PLAIN)
    return None


# ---------------------------------------------------------------------------------------------

_REFUTES_1D = "The minimum-norm interpolator of 1-D data with a penalised bias is unique (it needs the skip connection)"
_REFUTES_SKIP = "With a free skip connection and a penalised bias the minimum-norm interpolator is unique (it needs d = 1)"
_REFUTES_PLAIN = "The optimal network of a weight-decay two-layer ReLU network is unique up to symmetries (splitting neurons)"


def _signs(signs):
    return "".join("+" if s > 0 else "-" if s < 0 else "0" for s in signs)


def _rational_units(d, bound=None):
    """Rational unit vectors (v / ||v||) of integer vectors with entries in [-bound, bound] and a
    square norm, without repetitions."""
    bound = bound or (4 if d <= 3 else 3)
    out = set()
    for v in product(range(-bound, bound + 1), repeat=d):
        s = sum(c * c for c in v)
        r = sqrt_rational(s) if s else None
        if isinstance(r, Fraction) and r:
            out.add(tuple(Fraction(c) / r for c in v))
    return sorted(out)


def _two_vertices(solve_lp, A_eq, b, k):
    """Two distinct vertices of {kappa >= 0 : A kappa = b} (minimise and maximise a coordinate);
    None if the polytope is empty or a point."""
    for i in range(k):
        c = [int(j == i) for j in range(k)]
        lo = solve_lp(c, A_eq=A_eq, b_eq=b)
        if lo.status != "optimal":
            return None
        hi = solve_lp([-v for v in c], A_eq=A_eq, b_eq=b)
        if hi.status == "optimal" and lo.x[i] != hi.x[i]:
            return lo.x, hi.x
    return None


def _differing_point(sols, X, directions):
    cands = list(X) + list(directions)
    cands += [tuple(a + b for a, b in zip(u, v)) for u in cands for v in cands]
    for x in cands:
        if sols[0](x) != sols[1](x):
            return tuple(x)
    return None
