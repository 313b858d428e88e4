r"""A path of non-increasing loss from any network to a chosen global optimum (T7.1).

For width :math:`m\ge n+1`, ``math/convex_duality.md`` T7.1 joins any :math:`\theta_0` to any
:math:`\theta^\star\in\Theta^*(m)` by a continuous path along which :math:`F` never increases.
A network is held in convex coordinates: per neuron the sign :math:`\sigma_j`, :math:`a_j^2` and
:math:`u_j=|a_j|w_j`; then the fit is :math:`\sum_j\sigma_j(Xu_j)_+` and the penalty
:math:`\tfrac\beta2\sum_j(\|u_j\|^2/a_j^2+a_j^2)`. The segments, each with its reason:

1. **balance** — :math:`a_j^2\to\|u_j\|` (fit fixed; :math:`s\mapsto\|u\|^2/s+s` is convex with
   its minimum at :math:`\|u\|`, so it decreases monotonically); neurons that do not contribute
   (:math:`a_j=0`, :math:`w_j=0` or :math:`(Xw_j)_+=0`) shrink to 0;
2. **merge** — two neurons of one (region, sign) block: :math:`u_j+tu_k,\ (1-t)u_k` (fit fixed;
   the penalty's derivative is :math:`\le0` by Cauchy–Schwarz);
3. **prune** — dependent block columns :math:`\sum_b\delta_b\sigma_bD_bXu_b=0`:
   :math:`u_b(1+t\delta_b)` (fit fixed; the penalty is linear in :math:`t`, moved downhill until a
   block vanishes), until at most :math:`n` blocks remain and a neuron is free;
4. **descend** — the segment to the optimum of the restricted problem :math:`C_{\mathcal S}` of the
   current blocks (convex along the segment, minimal at its end); if :math:`\nu_{\mathcal S}` is
   infeasible, a violated block enters on the free neuron and the segment to the optimum of
   :math:`C_{\mathcal S\cup\{b\}}` strictly decreases; prune and repeat (the values
   :math:`p^*_{\mathcal S}` strictly decrease, so this ends at a global optimum);
5. **optimal set** — inside :math:`\Theta^*(m)` (connected for :math:`m\ge n+1`, T5.2 (f)), from
   piece to piece of :mod:`exact.topology` through shared vertices, at constant value
   :math:`p^*`, to the target.

Breakpoints are exact (rational or multiquadratic networks) where the restricted optima are;
:func:`Path.check` re-verifies that the value never increases between breakpoints.
"""

from collections import deque
from dataclasses import dataclass
from fractions import Fraction

from flint import ctx

from .balls import PREC
from .convex import adjacent_region
from .data import Dataset
from .errors import InvalidDataError, UndecidedError, entries

__all__ = ["Segment", "Path", "nonincreasing_path"]


@dataclass(frozen=True)
class Segment:
    """One piece of the path: its kind, end points ``(sign, a2, u)`` per neuron, exact values."""

    kind: str
    start: tuple
    end: tuple
    start_value: object
    end_value: object
    reason: str


@dataclass(frozen=True)
class Path:
    """A path of non-increasing :math:`F`: consecutive :class:`Segment` objects."""

    data: Dataset
    segments: tuple

    @property
    def values(self):
        """The exact values at the breakpoints."""
        return [self.segments[0].start_value] + [s.end_value for s in self.segments] if self.segments else []

    def check(self):
        """Verify exactly that breakpoint values never increase and consecutive segments meet."""
        for i, seg in enumerate(self.segments):
            if _gt(seg.end_value, seg.start_value):
                raise UndecidedError(f"segment {i} ({seg.kind}) increases F")
            if i and self.segments[i - 1].end != seg.start:
                raise UndecidedError(f"segments {i - 1} and {i} do not meet")
        return True

    def sample(self, points=20):
        """Float values of :math:`F` along every segment (``points`` per segment), for plots and
        the float cross-check (:func:`exact.numeric.nonconvex.segment_losses`): a list of
        ``(segment index, t, F)``."""
        from .numeric.nonconvex import segment_losses

        X, y, beta = self.data.X, self.data.y, self.data.beta
        return [(i, t, F) for i, seg in enumerate(self.segments) for t, F in segment_losses(X, y, beta, seg.start, seg.end, points)]


def nonincreasing_path(data, W, a, *, target=None):
    r"""A path of non-increasing loss from :math:`\theta_0=(W,a)` to a global optimum.

    Parameters
    ----------
    data : Dataset
    W, a : the starting network (exact rationals), width :math:`m\ge n+1`
    target : (W, a), optional
        A global optimum of the same width to end at (default: the first vertex of the optimal
        polytope, padded with zero neurons, when the optimum is rational; otherwise the global
        optimum the descent reaches).

    Returns
    -------
    Path

    Raises
    ------
    InvalidDataError
        If :math:`m<n+1`, a row of :math:`W` has not :math:`d` entries, :math:`W` and :math:`a`
        differ in length or hold a float, or the target is not a global optimum of width :math:`m`.
    UndecidedError
        If a restricted optimum is only enclosed or bracketed (no exact breakpoint), or a block
        is tight at an irrational restricted optimum (its feasibility cannot be decided in balls).

    Examples
    --------
    >>> D = Dataset([[1, 0], [0, 1]], [2, -2], 1)
    >>> p = nonincreasing_path(D, [[1, 1], [0, 1], [1, 0]], [1, 1, -1])
    >>> p.check(), p.values[0], p.values[-1]
    (True, Fraction(27, 2), Fraction(3, 1))
    """
    if not isinstance(data, Dataset):
        raise InvalidDataError("nonincreasing_path needs a Dataset (X, y, beta)")
    net = _network(data, W, a, "W")
    m = net.width
    if m < data.n + 1:
        raise InvalidDataError(f"width m = {m} is below n + 1 = {data.n + 1} (T7.1 needs a free neuron)")
    tnet = None if target is None else _network(data, *target, "the target's W")
    if tnet is not None and tnet.width != m:
        raise InvalidDataError(f"the target has width {tnet.width}, expected m = {m}")
    state = [(nr.sign, nr.a2, tuple(nr.u)) for nr in net.neurons]
    segments = []

    def step(kind, new, reason):
        segments.append(Segment(kind, tuple(state), tuple(new), _value(data, state), _value(data, new), reason))
        state[:] = new

    # 1. balance, and shrink the neurons that do not contribute
    balanced = []
    for s, a2, u in state:
        if s == 0 or not any(u) or all(sum(x * c for x, c in zip(row, u)) <= 0 for row in data.X):
            balanced.append((0, Fraction(0), tuple(Fraction(0) for _ in u)))
        else:
            balanced.append((s, _norm(u), u))
    step("balance", balanced, "a_j^2 -> ||u_j||: penalty convex in a_j^2, minimal there; idle neurons shrink")
    # 2-4. merge, prune, descend until the dual is feasible
    for _ in range(4 * (data.n + 2) ** 2):
        _merge_all(data, state, step)
        _prune_all(data, state, step)
        done = _descend(data, state, step)
        if done:
            break
    else:
        raise UndecidedError("the descent did not reach a global optimum")
    # 5. inside the optimal set
    _travel(data, state, step, tnet, m)
    return Path(data, tuple(segments))


# ---------------------------------------------------------------------------------------------


def _network(data, W, a, name):
    """The :class:`~exact.stationary.Network` ``(W, a)``, its rows checked to have d entries."""
    from .stationary import Network

    net = Network.from_weights(W, a)
    for j, nr in enumerate(net.neurons):
        if len(nr.u) != data.d:
            raise InvalidDataError(f"{name}[{j}] has {entries(len(nr.u))}, expected d = {data.d} (the data's features)")
    return net


def _block_of(data, s, u):
    return (adjacent_region(data.X, u), s)


def _merge_all(data, state, step):
    while True:
        seen = {}
        for j, (s, a2, u) in enumerate(state):
            if s == 0:
                continue
            key = _block_of(data, s, u)
            if key in seen:
                i = seen[key]
                new = list(state)
                merged = tuple(p + q for p, q in zip(state[i][2], u))
                new[i] = (s, _norm(merged), merged)
                new[j] = (0, Fraction(0), tuple(Fraction(0) for _ in u))
                step("merge", new, f"neurons {i}, {j} share region and sign: ||u_i + t u_j|| + (1-t)||u_j|| decreases")
                break
            seen[key] = j
        else:
            return


def _prune_all(data, state, step):
    from .rational_linalg import independent_rows

    while True:
        active = [j for j, (s, _, _) in enumerate(state) if s]
        cols = [_column(data, *state[j][::2]) for j in active]
        if not cols or len(independent_rows(cols)) == len(cols):
            return
        delta = _kernel_vector(cols)
        slope = sum((d * _norm(state[j][2]) for d, j in zip(delta, active)), Fraction(0))
        if _gt(slope, 0):
            delta = [-d for d in delta]
        t = min(-1 / d for d in delta if d < 0)
        new = list(state)
        for d, j in zip(delta, active):
            s, _, u = state[j]
            scaled = tuple((1 + t * d) * c for c in u)
            new[j] = (s, _norm(scaled), scaled) if 1 + t * d != 0 else (0, Fraction(0), tuple(Fraction(0) for _ in u))
        step("prune", new, "dependent columns: the penalty is linear along u_b (1 + t delta_b), moved downhill")


def _descend(data, state, step):
    """One descent stage; returns True when the point is a global optimum."""
    from .optimality import Block
    from .optimum import block_checks, optimal_set

    blocks = [_block_of(data, s, u) for s, _, u in state if s]
    if blocks:
        opt = optimal_set(data, blocks=blocks)
        _exact_or_raise(opt)
        new = _place(state, opt, blocks)
        step("descend", new, "segment to the optimum of the restricted problem on the current blocks (convex, minimal at the end)")
        nu = [y - f for y, f in zip(data.y, _fit(data, state))]
    else:
        nu = list(data.y)
    own = set(blocks)  # feasible (tight) by the restricted optimum's own proof
    others = [Block(D, s) for D, s in _all_blocks(data) if (D, s) not in own]
    with ctx.workprec(PREC):
        checks = block_checks(data.X, others, [_ball(v) for v in nu], data.beta)
    if checks["feasible"]:
        return True
    b = checks["violated"][0]
    free = next(j for j, (s, _, _) in enumerate(state) if s == 0)
    blocks = [_block_of(data, s, u) for s, _, u in state if s] + [(b.D, b.sign)]
    opt = optimal_set(data, blocks=blocks)
    _exact_or_raise(opt)
    order = [j for j, (s, _, _) in enumerate(state) if s] + [free]
    new = _place(state, opt, blocks, order)
    if not _gt(_value(data, state), _value(data, new)):
        raise UndecidedError("a block is tight at an irrational restricted optimum: feasibility undecided in balls")
    step("descend", new, f"a violated block enters on neuron {free}: the restricted value strictly decreases")
    return False


def _place(state, opt, blocks, order=None):
    """The neurons at the optimum ``opt`` of the restricted problem on ``blocks`` (block i on
    neuron ``order[i]``); unused neurons become zero."""
    order = [j for j, (s, _, _) in enumerate(state) if s] if order is None else order
    d = len(state[0][2])
    new = [(0, Fraction(0), tuple(Fraction(0) for _ in range(d)))] * len(state)
    for atom in opt.atoms:
        for blk in atom.blocks:
            if (blk.D, blk.sign) in blocks:
                j = order[blocks.index((blk.D, blk.sign))]
                u = tuple(_exact(atom.kappa * c) for c in atom.z)
                new[j] = (blk.sign, _norm(u), u)
                break
    return new


def _travel(data, state, step, tnet, m):
    """Constant-value moves inside the optimal set to the network ``tnet`` (via shared vertices)."""
    from .solution_set import optimal_polytope
    from .topology import optimal_set_graph

    P = optimal_polytope(data)
    if tnet is not None:
        if P.optimum.kind != "rational":
            raise UndecidedError("travel to a given target inside an irrational optimal set is not implemented")
        t_state = [(nr.sign, nr.a2, tuple(nr.u)) for nr in tnet.neurons]
        if _value(data, t_state) != _exact(P.optimum.value):
            raise InvalidDataError(f"the target is not a global optimum of width {m} (F = {_value(data, t_state)})")
    if not P.atoms or P.optimum.kind != "rational":
        return  # the optimum is the zero network alone, or the descent's end is the default target
    index = {(a.sign, a.direction): i for i, a in enumerate(P.atoms)}
    labels, gamma = _labels(data, state, index)
    if tnet is None:
        S, w = P.vertices[0]
        t_labels = list(S) + [S[0]] * (m - len(S))
        t_gamma = list(w) + [Fraction(0)] * (m - len(S))
    else:
        t_labels, t_gamma = _labels(data, t_state, index)
    G = optimal_set_graph(data, m, polytope=P)
    start, goal = ("L", tuple(labels)), ("L", tuple(t_labels))
    route = _bfs(G, start, goal)
    if route is None:
        raise InvalidDataError("the target is not in the optimal set reachable from the descent's end")
    current = list(gamma)
    for node in route[1:]:
        if node[0] == "anchor":
            weights = dict(zip(*next(v for v in P.vertices if sorted(v[0]) == sorted(a for _, a in node[1]))))
            point = [Fraction(0)] * m
            for pos, atom in node[1]:
                point[pos] = weights[atom]
            step("optimal set", _realise(P, labels, point), "a segment inside one piece Theta_L (all points optimal)")
            current = point
        else:
            labels = list(node[1])
            state[:] = _realise(P, labels, current)
    if current != t_gamma or labels != list(t_labels):
        step("optimal set", _realise(P, t_labels, t_gamma), "a segment inside the target's piece")


def _labels(data, state, index):
    labels, gamma = [], []
    for s, a2, u in state:
        if s == 0:
            labels.append(None)
            gamma.append(Fraction(0))
            continue
        g = _norm(u)
        key = (s, tuple(_exact(c / g) for c in u))
        if key not in index:
            raise InvalidDataError("a neuron of the network is not along a tight atom: not a global optimum")
        labels.append(index[key])
        gamma.append(g)
    fill = next(v for v in labels if v is not None) if any(v is not None for v in labels) else 0
    return [fill if v is None else v for v in labels], gamma


def _realise(P, labels, gamma):
    out = []
    for lab, g in zip(labels, gamma):
        atom = P.atoms[lab]
        if g == 0:
            out.append((0, Fraction(0), tuple(Fraction(0) for _ in atom.direction)))
        else:
            out.append((atom.sign, g, tuple(g * c for c in atom.direction)))
    return out


def _bfs(G, start, goal):
    if start not in G or goal not in G:
        return None
    prev = {start: None}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        if v == goal:
            path = []
            while v is not None:
                path.append(v)
                v = prev[v]
            return path[::-1]
        for w in G.neighbors(v):
            if w not in prev:
                prev[w] = v
                queue.append(w)
    return None


def _all_blocks(data):
    from .arrangement import enumerate_patterns

    return [(tuple(int(v) for v in row), s) for row in enumerate_patterns(data.X).D.tolist() if any(row) for s in (1, -1)]


def _fit(data, state):
    return [sum((s * max(sum(x * c for x, c in zip(row, u)), 0) for s, _, u in state if s), Fraction(0)) for row in data.X]


def _value(data, state):
    """F in convex coordinates: 1/2 ||fit - y||^2 + beta/2 sum(||u||^2 / a^2 + a^2), exact."""
    fit = _fit(data, state)
    loss = sum(((f - y) ** 2 for f, y in zip(fit, data.y)), Fraction(0)) / 2
    pen = sum((sum(c * c for c in u) / a2 + a2 for s, a2, u in state if s), Fraction(0))
    return _exact(loss + data.beta / 2 * pen)


def _column(data, s, u):
    return [_exact(s * max(sum(x * c for x, c in zip(row, u)), 0)) for row in data.X]


def _kernel_vector(cols):
    """A non-zero rational ``delta`` with ``sum delta_b cols_b = 0`` (columns dependent)."""
    from .rational_linalg import independent_rows

    basis = independent_rows(cols)
    extra = next(i for i in range(len(cols)) if i not in basis)
    from .rational_linalg import solve

    B = [cols[i] for i in basis]
    G = [[sum(p * q for p, q in zip(r1, r2)) for r2 in B] for r1 in B]
    coef = solve(G, [sum(p * q for p, q in zip(r, cols[extra])) for r in B])
    delta = [Fraction(0)] * len(cols)
    for i, c in zip(basis, coef):
        delta[i] = -c
    delta[extra] = Fraction(1)
    return delta


def _ball(v):
    """An exact number as itself (Fraction) or as a rigorous ball (multiquadratic)."""
    from flint import arb, fmpq

    v = _exact(v)
    if isinstance(v, Fraction):
        return v
    return sum((fmpq(c.numerator, c.denominator) * arb(fmpq(r.numerator, r.denominator)).sqrt() for r, c in v.terms.items()), arb(0))


def _norm(u):
    from .multiquadratic import sqrt_element

    return sqrt_element(sum((c * c for c in u), Fraction(0)))


def _exact(v):
    from .multiquadratic import field_element

    return field_element(v, "value")


def _gt(a, b):
    from .multiquadratic import sign_of

    return sign_of(_exact(a) - _exact(b)) > 0


def _exact_or_raise(opt):
    if opt.kind not in ("rational", "algebraic"):
        raise UndecidedError(f"a restricted optimum is only {opt.kind}; no exact breakpoint ({opt.proof_reason})")
