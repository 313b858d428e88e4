r"""The global optimum of the convex problem (C) over all activation patterns, certified.

``optimal_set(data)`` follows DESIGN's "propose in floats, prove exactly":

1. every region of the arrangement is listed exactly (:func:`~exact.enumerate_patterns`); its
   blocks are held as arrays (:class:`~exact.block_set.BlockSet`: about :math:`10^6` at
   :math:`n=1000`), a :class:`~exact.optimality.Block` built only for those handled one by one;
2. a float solver (:func:`exact.numeric.socp.solve_socp`, interior point with column
   generation; cones cut out by each region's walls, :attr:`~exact.arrangement.PatternSet.walls`)
   proposes the non-zero blocks;
3. their faces come from exact cone projections; blocks with the same
   :math:`V_b=M_bQ_b` are one *atom* (same direction, same column: D4.4); the problem on the
   atoms is solved in floats in its weights (:mod:`exact.numeric.weights`: a convex problem, so
   its :math:`\nu` is the restricted optimum, not a guess), blocks violated there join (column
   generation, :func:`_violators`; violators that all have an atom's :math:`V_b` leave that
   problem, and its optimum, as they are); a vertex of the fit decomposition at that :math:`\nu` keeps
   independent atoms, and of two nearly dependent ones (a tight
   direction and a nearly tight one across a wall) the less tight is dropped; when that
   search ends undecided it runs again dropping only at singular directions (two nearly
   parallel atoms can both be tight and used; problems with :data:`LARGE` active blocks or more
   try that first);
4. the reduced optimality system of :mod:`exact.optimality` is solved by Newton's method at
   high precision; a multiplier :math:`\kappa_b\le0` drops its atom, a violated block joins;
5. the solution is *proved*: exactly if it is rational (C4.7: every projection's KKT, every
   block's :math:`\|\Pi\|^2\le\beta^2`, zero duality gap); otherwise a box in which the
   Krawczyk test proves exactly one solution, with every other block strictly feasible over
   the box (Lipschitz bound on :math:`\nu\mapsto\|X^\top D_s\nu+A^\top\lambda\|`). When the
   atoms decouple, the irrational optimum is also written exactly (sympy radicals or roots).
   On generic data the optimum often has :math:`X^\top\nu^*=0` (tight directions come in
   antipodal pairs :math:`\pm u`): then the complements :math:`(I-D,\sigma)` of the atoms' blocks
   are tight too, which no box shows; the system with a free linear term (``linear=True`` in
   :class:`~exact.optimality.ReducedSystem`) makes them tight by an identity (problems with
   :data:`LARGE` active blocks try it first, the others after a short plain try), and the linear
   term is absorbed into atom/complement pairs (:func:`_absorb`).

By the gap identity (``math/convex_duality.md`` §3) the result is the optimum: ``value`` is
:math:`p^*=d(\nu^*)`, ``nu`` the unique dual optimum, ``fit`` :math:`\hat y^*=y-\nu^*`.
"""

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from flint import ctx, fmpq_mat

from .arrangement import enumerate_patterns
from .cones import ConeProjection, project, project_flint, sq_norm
from .data import Dataset
from .errors import InvalidDataError, UndecidedError
from .balls import PREC, ball, is_ball, lin, lower, nonnegative, times, upper
from .block_set import BlockSet, Multipliers
from .integer_matrices import to_fmpq
from .optimality import Block, ReducedSystem, _binary, block_matrices, memo_for, signed_rows
from .numeric.convex import nearly_annihilated, nearly_tight, weak_rows
from .numeric.relaxation import rationalize
from .numeric.support import MAX_CONDITION, SINGULAR, near_null_support

__all__ = ["Atom", "OptimalSet", "optimal_set", "block_checks"]

#: Rounds of "drop non-positive multipliers, add violated blocks" before giving up.
MAX_ROUNDS = 25

#: Rounds of float column generation before a Newton solve, and blocks added per round.
PRICING_ROUNDS, PRICED = 20, 200

#: Active blocks of the proposal from which the search first drops atoms only at singular
#: directions: at n = 400 (about 1,000 blocks) the searches dropping at condition 1e10 failed
#: (a third of the exact phase: 84 -> 61 s on seed 1); at n = 100-200 (200-350 blocks) they are
#: as fast or faster.
LARGE = 500

#: A dropped atom's twins must fit y - nu without it to this relative l1 residual (floats).
TWIN_RESIDUAL = 1e-6


@dataclass(frozen=True)
class Atom:
    r"""A tight atom used by the optimum: its blocks (same :math:`V_b`), weight and projection.

    ``u = kappa * z`` is the optimal block (on ``blocks[0]``), ``||z|| = beta`` and the unit
    direction is ``z / beta``. Entries are Fractions (rational optimum), sympy numbers
    (algebraic) or ``flint.arb`` balls (rigorous enclosures).
    """

    blocks: tuple
    kappa: object
    z: tuple


class OptimalSet:
    """The certified optimum of (C); see :func:`optimal_set`.

    Attributes
    ----------
    data : Dataset
    patterns : PatternSet
    kind : {"rational", "algebraic", "enclosure", "bracket"}
        ``rational``: every number below is an exact Fraction. ``algebraic``: exact sympy
        numbers (radicals or ``CRootOf``). ``enclosure``: the optimum is the unique solution of
        the stated optimality system in a certified box; numbers are ``arb`` balls.
        ``bracket``: no exact proof was found (``reason`` says why); ``value`` is a rigorous
        interval from a dual feasible point and a primal point, and ``nu`` a rigorous
        enclosure of the dual optimum.
    value : Fraction, sympy expression, or arb ball
        :math:`p^*`.
    value_interval : (Fraction, Fraction)
        A rigorous enclosure of :math:`p^*` (a point when rational).
    nu, fit : tuple
        :math:`\\nu^*` and :math:`\\hat y^*=y-\\nu^*`.
    atoms : tuple of Atom
        The non-zero atoms of the optimal solution found.
    tight : tuple of Block
        Every block with :math:`\\|\\Pi_{K_s}(\\pm X^\\top D_s\\nu^*)\\|=\\beta` (rational and algebraic
        kinds: decided exactly; enclosure kind: the blocks of the atoms).
    """

    def __init__(self, data, patterns, kind, nu, atoms, tight, value, value_interval, proof):
        self.data, self.patterns, self.kind = data, patterns, kind
        self.nu = tuple(nu)
        self.fit = tuple(times(-1, v) + (ball(y) if is_ball(v) else y) for y, v in zip(data.y, self.nu))
        self.atoms, self.tight = tuple(atoms), tuple(tight)
        self.value, self.value_interval = value, value_interval
        self._proof = proof

    @property
    def proof_reason(self):
        """Why the result is a bracket rather than exact (``None`` otherwise)."""
        return self._proof.get("reason")

    def __repr__(self):
        lo, hi = self.value_interval
        return f"OptimalSet({self.kind}, value ~ {float((lo + hi) / 2):.12g}, atoms={len(self.atoms)})"

    @property
    def directions(self):
        """Tight ``(pattern D, sign, unit direction)`` triples, one per distinct direction."""
        seen, out = set(), []
        inv = 1 / self.data.beta
        for blk, z in self._proof["tight_directions"]:
            u = tuple(times(inv, c) for c in z)
            key = (blk.sign, tuple(str(c) for c in u))
            if key not in seen:
                seen.add(key)
                out.append((blk.D, blk.sign, u))
        return out

    @property
    def primal(self):
        """An optimal convex solution: ``ConvexBlock(D, sign, kappa z)`` per atom."""
        from .convex import ConvexBlock

        return [ConvexBlock(a.blocks[0].D, a.blocks[0].sign, tuple(a.kappa * c for c in a.z)) for a in self.atoms]

    def to_nonconvex(self, m=None):
        """An optimal network of width ``m`` (default: the number of atoms), exact (sympy)."""
        if self.kind == "enclosure":
            raise UndecidedError("the optimum is only enclosed; no exact network (use kind 'rational'/'algebraic')")
        from .convex import to_nonconvex

        return to_nonconvex(self.primal, m)

    def certificate(self):
        """The JSON certificate (``reluscape/optimum/2``) for :mod:`exact.checker`."""
        from .certificates import optimum_certificate

        return optimum_certificate(self)


def optimal_set(data, *, patterns=None, blocks=None, dps=60, proposal=None):
    r"""Return the certified global optimum of the convex problem (C) as an :class:`OptimalSet`.

    Parameters
    ----------
    data : Dataset
    patterns : PatternSet, optional
        All regions of ``data.X`` (default: enumerated).
    blocks : sequence of (D, sign), optional
        Solve the *restricted* problem :math:`C_{\mathcal S}` on these blocks only (D6.1)
        instead of (C); the result has no certificate (its dual is feasible only on them).
    dps : int
        Decimal digits of the Newton solve (the Krawczyk box has radius near ``10^(-dps/3)``).
    proposal : ConvexProposal, optional
        A float solution to start from (default: :func:`exact.numeric.socp.solve_socp`).

    Returns
    -------
    OptimalSet

    Notes
    -----
    When no exact proof is found (e.g. an irrational optimum with a tight block outside the
    support, or dependent tight atoms), the result is a rigorous bracket (kind ``bracket``)
    with the reason in ``proof_reason``; it is never a float claim.

    Examples
    --------
    >>> opt = optimal_set(Dataset([[1, 0], [0, 1]], [2, 0], 1))
    >>> opt.kind, opt.value, opt.nu
    ('rational', Fraction(3, 2), (Fraction(1, 1), Fraction(0, 1)))
    """
    if not isinstance(data, Dataset):
        raise InvalidDataError("optimal_set needs a Dataset (X, y, beta)")
    pats = enumerate_patterns(data.X) if patterns is None else patterns
    X, y, beta = data.X, list(data.y), data.beta
    if blocks is None:  # every region, as arrays (10^6 blocks at n = 1000: no tuple each)
        candidates = BlockSet.of_regions(X, pats)
        signs, rows = None, None
    else:
        listed = [Block(tuple(int(v) for v in D), int(s)) for D, s in blocks]
        if pats.complete:
            memo_for(X, "walls").update((b.D, pats.walls[pats.index(b.D)]) for b in listed)
        candidates = BlockSet.of(X, listed)
        signs, rows = candidates.sign, candidates.pattern
    clearly_violated = any(nearly_tight(X, candidates, y, beta, rtol=-1e-9))
    zero = {"feasible": False} if clearly_violated else block_checks(X, candidates, y, beta)
    if zero["feasible"]:  # beta >= beta_max: the zero network is optimal (T4.6)
        v = sq_norm(y) / 2
        return OptimalSet(data, pats, "rational", y, [], zero["tight"], v, (v, v), {**zero, "tight_directions": []})
    if proposal is None:
        from .numeric.socp import STALL, solve_socp

        Xf, yf = [[float(a) for a in r] for r in X], [float(a) for a in y]
        # one row of the grid per region (both signs), or per listed block (its sign only)
        grid_rows = candidates.D if rows is None else candidates.D[rows]
        walls = candidates.walls if rows is None else candidates.block_walls()
        proposal = solve_socp(Xf, yf, float(beta), grid_rows, signs=signs, walls=walls, tree=candidates.tree, stop=STALL)
    # one denominator for all entries: exact sums X^T D nu then stay short (with a denominator
    # per entry, the projections at n = 400 carried 2,300-digit rationals)
    nu_f = rationalize(proposal.nu, 10**8, common=True)
    weights = {}
    proposed = list(_proposal_blocks(candidates, rows, proposal))
    for blk, u in proposed:
        weights[blk] = weights.get(blk, 0) + float(np.linalg.norm(u))
    top = max(weights.values(), default=0)
    active = [b for b, w in weights.items() if w > 1e-6 * top]
    primal = [(b, [Fraction(float(c)).limit_denominator(10**12) for c in u]) for b, u in proposed]
    best = {"nu": nu_f, "primal": primal}
    # with X^T nu* = 0 the plain system usually misses the complements: one short try, for the
    # sparser primal it gives when it holds
    linear_ok = blocks is None and pats.complete  # every complement is a block
    rounds = 2 if linear_ok and nearly_annihilated(X, proposal.nu) else MAX_ROUNDS
    tries = [(False, rounds)] + [(True, MAX_ROUNDS)] * linear_ok
    if linear_ok and rounds < MAX_ROUNDS and len(active) >= LARGE:
        # large ones take the linear term first: at n = 400 (seeds 0-2) the exact phase took
        # 21-22 s against 25-32 s, and at n = 1000 the plain try failed after 102 s
        tries = tries[::-1]
    reasons = []
    # first drop atoms at every ill-conditioned direction (fast on most data); then, when that
    # found nothing, only at singular ones (nearly parallel tight atoms both in the optimum).
    # Large problems the other way round: they nearly always have such atoms somewhere
    conditions = (MAX_CONDITION, SINGULAR) if len(active) < LARGE else (SINGULAR, MAX_CONDITION)
    for condition in conditions:
        for linear, rounds in tries:
            try:
                return _search(data, pats, candidates, active, nu_f, weights, dps, best, linear=linear, rounds=rounds, condition=condition)
            except UndecidedError as err:
                reasons.append(f"with a linear term: {err}" if linear else str(err))
    return _bracket(data, pats, candidates, best["nu"], best["primal"], "; ".join(reasons))


def _search(data, pats, candidates, active, nu_f, weights, dps, best, linear=False, rounds=MAX_ROUNDS, condition=MAX_CONDITION):
    r"""The active-set search of steps 3-5 (module docstring), at most ``rounds`` rounds; raises
    ``UndecidedError``. Atoms are dropped along the Jacobian's directions with condition above
    ``condition`` (:func:`_least_tight`); when a dropped atom is violated or tight at the accurate
    point (or its block is one the enclosure could not prove), the drops were wrong: the dropped
    atoms return and ``condition`` rises to :data:`SINGULAR` for the rest of the search.

    ``linear=True`` solves the system with a free linear term from the start (one atom per
    complement pair, :func:`_merged`), for optima with :math:`X^\top\nu^*=0`."""
    X, y, beta = data.X, list(data.y), data.beta
    seen, avoid = set(), {}  # avoid: key -> BlockMatrices of the dropped atoms
    tol, tight = Fraction(1, 10**7), Fraction(1, 10 ** (dps // 3))  # faces near a proposal; at dps digits

    def solve(nu, tol):
        nonlocal active
        for _ in range(PRICING_ROUNDS):  # column generation on the problem in the weights, in floats
            restricted = _restricted(X, y, beta, active, nu, tol, weights, linear)
            extra = _violators(X, candidates, restricted[2], beta, active)
            near = Fraction(1, 10**9)
            faces = [_with_face(X, b, restricted[2], near) for b in active] if not extra or (not linear and len(extra) < PRICED) else None
            if faces is not None and all(f.face == _with_face(X, b, nu, tol).face for f, b in zip(faces, active)):
                if not extra:
                    break  # the faces hold at the new point too
                atoms = _atoms(X, faces + [_with_face(X, b, restricted[2], near) for b in extra])
                if len(atoms) == len(restricted[0]):
                    # every violator has an atom's V_b (float rounding put it above beta): the
                    # problem on the atoms is the same, and so is its optimum (same atoms, in order)
                    active, restricted = active + extra, (atoms, *restricted[1:])
                    break
            active, nu, tol = active + extra, restricted[2], near
        else:
            restricted = _restricted(X, y, beta, active, nu, tol, weights, linear)
        for _ in range(len(active) + 1):
            atoms, kap, honoured = _vertex(y, *restricted, X if linear else None, avoid)
            nu0 = restricted[2]
            system = ReducedSystem(X, y, beta, [group[0].block for group in atoms], linear=linear)
            x0 = _start(system, nu0, atoms, kap)
            weak = _least_tight(system, atoms, x0, nu0, condition) if honoured else None
            if weak is None:
                try:
                    return atoms, system, *system.newton(x0, dps)
                except UndecidedError:
                    weak = _least_tight(system, atoms, x0, nu0, condition, always=True)  # Newton failed on the way
                    if weak is None or all(g[0].key() in avoid for g in weak):
                        raise
            avoid.update((g[0].key(), g[0]) for g in weak)  # still tight: kept in the problem, not in the system
        raise UndecidedError("no well-conditioned set of atoms")

    for _ in range(rounds):
        atoms, system, x, regular = solve(nu_f, tol)
        nu_hp = _rationalized(system.nu(x), dps)
        if any(set(_with_face(X, Block(bm.block.D, bm.block.sign), nu_hp, tight).face) != set(bm.block.face) for g in atoms for bm in g):
            nu_f = nu_hp  # the faces at the accurate point differ: solve again
            atoms, system, x, regular = solve(nu_f, tight)
            nu_hp = _rationalized(system.nu(x), dps)
        _, kap = system.unpack(x)
        z, _ = system.unpack(_rationalized(x, dps))
        best["nu"] = nu_hp
        if not linear:
            best["primal"] = [(g[0].block, [kv * c for c in zb]) for g, kv, zb in zip(atoms, _rationalized(kap, dps), z)]
        nonpos = [i for i, kv in enumerate(kap) if kv <= 0]
        if nonpos:
            active = _without(X, active, [atoms[i] for i in nonpos], linear)
            continue
        extra = _violators(X, candidates, nu_hp, beta, active)
        if extra:  # not the optimum: no box would prove it
            active, nu_f, tol = active + extra, nu_hp, tight
            continue
        if any(beta**2 - sq_norm(bm.projection(nu_hp)) < tight for bm in avoid.values()):
            # a dropped atom is violated or tight at the accurate point: no box would prove its
            # block; drop only at singular directions from now on
            avoid, condition, nu_f, tol = {}, max(condition, SINGULAR), nu_hp, tight
            continue
        nu_q = _rationalized(system.nu(x), dps, digits=dps // 2 - 2)
        q = [to_fmpq(v) for v in _rationalized(x, dps, digits=dps // 2 - 2)]
        # a ball without 0 proves the residual non-zero; the exact products (minutes at 2,600
        # unknowns: long denominators) only when every ball holds 0
        if not regular or (all(r.contains(0) for r in system.ball_residual(q, 8 * dps)) and all(e == 0 for e in system.fmpq_residual(q))):
            result = _rational(data, pats, candidates, nu_q)
        else:
            result = None
        if not isinstance(result, OptimalSet):
            if not regular:
                raise UndecidedError("the tight atoms are dependent and the optimum is not rational")
            tried = not linear and pats.complete and _annihilated(X, nu_hp, atoms)  # the plain box would fail
            result = _enclosed_linear(data, pats, candidates, system, atoms, x, dps) if tried else None
            if result is None:
                result = _enclosed(data, pats, candidates, system, atoms, x, dps)
                if not linear and not tried and not isinstance(result, OptimalSet) and _complements_only(X, result, atoms):
                    result = _enclosed_linear(data, pats, candidates, system, atoms, x, dps) or result
        if isinstance(result, OptimalSet):
            return result
        nu_f, tol = result["nu"], tight  # refresh faces, add the violators
        active = active + [Block(b.D, b.sign) for b in result["violated"] if Block(b.D, b.sign) not in active]
        if avoid.keys() & {block_matrices(X, _with_face(X, Block(b.D, b.sign), nu_f, tol)).key() for b in result["violated"]}:
            avoid, condition = {}, max(condition, SINGULAR)  # dropped wrongly, as above
        state = (tuple(active), tuple(_with_face(X, b, nu_f, tol) for b in active), frozenset(avoid))
        if state in seen:
            raise UndecidedError(result.get("reason", "the active set search did not settle"))
        seen.add(state)
    raise UndecidedError(f"no certified optimum after {rounds} rounds of active-set updates")


def _violators(X, candidates, nu, beta, active):
    """The blocks not in ``active`` most violated at ``nu`` in floats
    (:func:`exact.numeric.convex.most_violated`, relative margin :math:`10^{-9}`), at most
    :data:`PRICED` of them (the column generation's step: the exact side checks every block)."""
    from .numeric.convex import most_violated

    have, out = set(active), []
    for i in most_violated(X, candidates, nu, beta):
        if len(out) == PRICED:
            break
        b = candidates[i]
        if b not in have:
            out.append(b)
    return out


def _without(X, active, groups, linear):
    """``active`` less the blocks of the atoms ``groups`` (and their complements when ``linear``)."""
    drop = {(bm.block.D, bm.block.sign) for g in groups for bm in g}
    if linear:
        drop |= {(_complement(D, X), sign) for D, sign in drop}
    return [b for b in active if (b.D, b.sign) not in drop]


def _least_tight(system, atoms, x0, nu, condition=MAX_CONDITION, always=False):
    r"""When the Jacobian at the start ``x0`` is nearly singular through the weights
    :math:`\kappa` (condition above ``condition``; atoms with nearly the same role: typically a
    tight direction and a nearly tight one across a wall, :math:`\beta^2-\|\Pi\|^2=O(\delta^2)` at
    distance :math:`\delta`), for each near-null direction the atom among them with the smallest
    :math:`\|\Pi_b(\nu)\|^2`, exactly (distinct atoms, one per direction, so a null space of
    dimension :math:`r` costs one round, not :math:`r`); else ``None``. ``always``: use the smallest
    singular vector whatever the condition number (after Newton failed from ``x0``). A dropped
    atom stays in the problem (the search keeps it out of the system only), so a wrong drop
    costs time, not the proof: every block is checked before anything is certified."""
    k, d = system.k, system.d
    dropped, tightness = [], {}
    for weak in near_null_support(system.float_jacobian(x0), range(k * d, k * d + k), condition=condition, always=always):
        weak = [i for i in weak if i not in dropped]
        if len(weak) < 2:
            continue
        for i in weak:
            if i not in tightness:
                tightness[i] = sq_norm(atoms[i][0].projection(nu))
        dropped.append(min(weak, key=tightness.__getitem__))
    return [atoms[i] for i in dropped] or None


def _restricted(X, y, beta, active, nu, tol, weights, linear):
    r"""The problem restricted to the atoms of the active blocks at ``nu`` (faces within ``tol``),
    solved in its weights (:func:`exact.numeric.weights.optimal_weights`, from the proposal's
    ``weights``): returns the atoms, their weights :math:`\kappa_b`, the restricted optimum
    :math:`\nu` (to float accuracy; binary floats as exact Fractions) and the indices of the
    atoms some optimum of it uses. One atom per complement pair when ``linear``."""
    from .numeric.weights import optimal_weights

    atoms = _atoms(X, [_with_face(X, b, nu, tol) for b in active])
    w = [sum(weights.get(Block(bm.block.D, bm.block.sign), 0) for bm in g) for g in atoms]
    if linear:
        kept, w = _merged(X, atoms, w)
        atoms, w = [atoms[i] for i in kept], [w[i] for i in kept]
    kap, nu_w, used = optimal_weights([g[0].float_V for g in atoms], y, beta, norms=w, free=X if linear else None)
    return atoms, kap, [Fraction(v) for v in nu_w.tolist()], used


def _vertex(y, atoms, kap, nu, used, free, avoid):
    r"""Independent atoms for the system, from :func:`_restricted`'s result: a vertex of the fit at
    its :math:`\nu` (:func:`_basic`, modulo ``free``) among the used atoms, none of those whose
    keys are in ``avoid`` (twins of used atoms that made the system singular) when the others
    still fit :math:`y-\nu` in floats (least :math:`\ell_1` residual at most :data:`TWIN_RESIDUAL`
    relative). Returns the atoms, their vertex weights and whether ``avoid`` was honoured (when
    not, the dropped atoms are needed for the fit: dropping was wrong)."""
    cost = [1 / k for k in kap]
    kept = [i for i in used if atoms[i][0].key() not in avoid]
    if len(kept) < len(used):
        found = _basic([atoms[i] for i in kept], y, nu, free, cost=[cost[i] for i in kept], max_residual=TWIN_RESIDUAL, start=[kap[i] for i in kept])
        if found is not None:
            return [atoms[kept[i]] for i in found[0]], found[1], True
    keep, gamma = _basic([atoms[i] for i in used], y, nu, free, cost=[cost[i] for i in used], start=[kap[i] for i in used])
    return [atoms[used[i]] for i in keep], gamma, len(kept) == len(used)


def _proposal_blocks(candidates, rows, proposal):
    """The proposal's non-zero blocks as ``(Block, float u)`` pairs; row ``i`` of its ``U``, ``V``
    is the pattern ``candidates.D[i]`` (all regions), or ``rows[i]`` (listed blocks)."""
    for i in np.flatnonzero(np.abs(proposal.U).sum(axis=1) + np.abs(proposal.V).sum(axis=1)):
        p = int(i) if rows is None else int(rows[i])
        for s, U in ((1, proposal.U), (-1, proposal.V)):
            if U[i].any():
                yield candidates.row_block(p, s), U[i]


def _bracket(data, pats, candidates, nu_hat, primal, reason):
    r"""A rigorous bracket :math:`d(t\hat
u)\le p^*\le G(u)` (C4.7 route 3) when no exact proof.

    :math:`t\leeta/\max_b\|\Pi_b(\hat
u)\|` makes :math:`t\hat
u` dual feasible (every block
    checked exactly); the primal blocks are projected exactly into their cones and
    :math:`G(u)` is bounded above with rational square-root bounds. By 1-strong concavity of
    :math:`d`, :math:`\|
u^*-t\hat
u\|^2\le2(G(u)-d(t\hat
u))`, which encloses :math:`
u^*`.
    """
    from .numeric.convex import block_norms

    X, y, beta = data.X, list(data.y), data.beta
    norms = block_norms(X, candidates, nu_hat)
    top = norms.max(initial=0.0)
    near = [candidates[i] for i in np.flatnonzero((norms >= top * (1 - 1e-6)) & (norms > 0))]  # the largest norms, exactly
    worst = max((_exact_sq_norm(X, b, nu_hat) for b in near), default=Fraction(0))
    t = Fraction(1) if worst <= beta**2 else _sqrt_below(beta**2 / worst)
    while True:  # every block is then checked exactly (the others by the float margin first)
        nu = [t * v for v in nu_hat]
        checks = block_checks(X, candidates, nu, beta)
        if checks["feasible"]:
            break
        t *= 1 - Fraction(1, 10**12)
    lo = sum(v * yk for v, yk in zip(nu, y)) - sq_norm(nu) / 2
    blocks, fit, penalty = [], [Fraction(0)] * len(y), Fraction(0)
    for blk, u in primal:
        A = [[a if blk.D[k] else -a for a in X[k]] for k in range(len(X))]
        u = list(project(A, u).point)  # now exactly in K_s
        blocks.append((blk, u))
        for k in range(len(X)):
            if blk.D[k]:
                fit[k] += blk.sign * sum(a * c for a, c in zip(X[k], u))
        penalty += _sqrt_above(sq_norm(u))
    hi = sq_norm([f - yk for f, yk in zip(fit, y)]) / 2 + beta * penalty
    lo, hi = _round_down(lo), _round_up(hi)  # shorter numbers, a wider (still valid) bracket
    r = _sqrt_above(2 * (hi - lo))
    proof = {"reason": reason, "nu_feasible": nu, "primal_blocks": blocks, "lambdas": checks["lambdas"], "tight_directions": []}
    with ctx.workprec(PREC):
        nu_box = [ball(v, r) for v in nu]
        value = ball((lo + hi) / 2, (hi - lo) / 2)
    return OptimalSet(data, pats, "bracket", nu_box, [], [], value, (lo, hi), proof)


def _round_down(q, bits=256):
    s = 1 << bits
    return Fraction(q.numerator * s // q.denominator, s)


def _round_up(q, bits=256):
    return -_round_down(-q, bits)


def _projection(X, blk, nu):
    r"""The exact projection of :math:`\sigma X^\top D_s\nu` onto :math:`K_s`, on the region's walls
    only when they are known (:func:`exact.optimality.memo_for` ``"walls"``, then in ``fmpq``:
    :func:`~exact.cones.project_flint`); its multipliers are spread over all rows of
    :math:`A_s=\operatorname{diag}(2D_s-1)X` (:func:`~exact.optimality.signed_rows`)."""
    Xq, nuq = _flint_data(X, nu)
    G = fmpq_mat([[nuq[k] if blk.D[k] else 0 for k in range(len(X))]]) * Xq
    rows = memo_for(X, "walls").get(blk.D)
    if rows is None:
        return project(signed_rows(X, blk.D), [blk.sign * Fraction(int(G[0, c].p), int(G[0, c].q)) for c in range(len(X[0]))])
    Aq = signed_rows(X, blk.D, flint=True)
    pr = project_flint([Aq[i] for i in rows], [blk.sign * G[0, c] for c in range(len(X[0]))])
    lam = [Fraction(0)] * len(X)
    for i, v in zip(rows, pr.multipliers):
        lam[i] = v
    return ConeProjection(pr.point, tuple(lam), tuple(rows[i] for i in pr.face), pr.sq_norm)


def _flint_data(X, nu):
    """``X`` as an ``fmpq_mat`` and ``nu`` as a list of ``fmpq`` (memoized for the data ``X``)."""
    memo = memo_for(X, "flint")
    if "X" not in memo:
        memo["X"] = fmpq_mat([[to_fmpq(a) for a in row] for row in X])
    at = _point_memo(X, "flint_nu", nu)
    if "nu" not in at:
        at["nu"] = [to_fmpq(v) for v in nu]
    return memo["X"], at["nu"]


def _exact_sq_norm(X, blk, nu):
    return _projection(X, blk, nu).sq_norm


def _sqrt_below(q, bits=200):
    """A rational ``<= sqrt(q)`` within ``2^-bits`` (``q >= 0``)."""
    from math import isqrt

    s = 1 << bits
    return Fraction(isqrt(q.numerator * s * s // q.denominator), s)


def _sqrt_above(q, bits=200):
    """A rational ``>= sqrt(q)`` within ``2^-bits`` (``q >= 0``)."""
    from math import isqrt

    s = 1 << bits
    return Fraction(isqrt(-(-q.numerator * s * s // q.denominator)) + 1, s)


def block_checks(X, blocks, nu, beta, *, tol=0):
    r"""Check :math:`\|\Pi_{K_s}(\sigma X^\top D_s\nu)\|\le\beta` for every block, exactly.

    ``nu`` holds exact rationals, or ``arb`` balls (then every
    :math:`\nu` in the box must pass). A block passes with fixed rational multipliers
    :math:`\lambda\ge0` rounded from a float projection (:math:`\|g+A^\top\lambda\|<\beta`,
    :math:`\lambda=0` included; in exact integer arithmetic over all blocks at once,
    :func:`_bounded`), or with the multipliers of the exact projection on its face, affine in
    :math:`\nu` (``math/convex_duality.md`` C4.7), evaluated in interval arithmetic for a box.

    ``blocks`` is a :class:`~exact.block_set.BlockSet` or a sequence of blocks. Returns a dict:
    ``feasible``; ``tight`` (blocks whose bound is exactly :math:`\beta^2`, with their faces),
    ``violated`` (blocks not shown feasible, with their faces) and ``lambdas`` (a
    :class:`~exact.block_set.Multipliers`: block -> ``("fixed", {row: lambda})`` or
    ``("face", face)``, the multipliers used, for certificates; none for :math:`\lambda=0`).
    Faces are the rows with ``|(A_s p)_i| <= tol`` at the projection of the centre.
    """
    d = len(X[0])
    beta2 = Fraction(beta) ** 2
    center = [(lower(v) + upper(v)) / 2 if is_ball(v) else v for v in nu]
    blocks = blocks if isinstance(blocks, BlockSet) else BlockSet.of(X, blocks)
    tight, violated, lambdas = [], [], Multipliers(blocks)
    proven = _bounded(X, blocks, nu, beta)
    lambdas.bulk.update((i, lam) for i, lam in proven.items() if lam)
    rest = np.ones(len(blocks), dtype=bool)
    rest[list(proven)] = False
    for blk in (blocks[i] for i in np.flatnonzero(rest)):
        faced = _with_face(X, blk, center, tol)
        bm = block_matrices(X, faced)
        lam = bm.face_multipliers(nu)  # affine in nu: the projection's multipliers on the face
        if all(lower(v) >= 0 for v in lam):
            bound = _sq(bm.projection(nu))
            lambdas.single[blk] = ("face", faced.face)
        else:  # fall back to the fixed multipliers of the exact projection at the centre
            A, mult = signed_rows(X, blk.D), _projection(X, blk, center).multipliers
            g = [lin([blk.sign * X[k][c] if blk.D[k] else 0 for k in range(len(X))], nu) for c in range(d)]
            bound = _sq([_plus(g[c], _dot_col(mult, A, c)) for c in range(d)])
            lambdas.single[blk] = ("fixed", mult)
        if upper(bound) > beta2:
            violated.append(faced)
        elif lower(bound) == beta2:
            tight.append(faced)
    return {"feasible": not violated, "tight": tight, "violated": violated, "lambdas": lambdas}


#: Binary digits of the rounded centre and multipliers in :func:`_bounded`.
BITS = 40


def _bounded(X, blocks, nu, beta):
    r"""The blocks of the :class:`~exact.block_set.BlockSet` ``blocks`` proved strictly feasible
    over the box ``nu`` with fixed multipliers, vectorized: a dict index -> :math:`\lambda` (a
    sparse dict row -> Fraction; empty when :math:`\lambda=0` suffices, which is tried first:
    certificates list only the multipliers that are needed).

    With :math:`x_k=c_k\tilde x_k` (coprime integer :math:`\tilde x_k`, :math:`c_k>0`), the centre
    rounded to :math:`\tilde\zeta_k\in2^{-b}\mathbb Z` (:math:`b` = :data:`BITS`,
    :math:`|c_k\hat\nu_k-\tilde\zeta_k|\le e_k`), radii :math:`r_k` and
    :math:`\lambda_j=m_j/(2^bc_j)` (:math:`m_j\ge0` integers proposed by
    :func:`exact.numeric.convex.rounded_multipliers` for the normals :math:`\tilde x_j`), for every :math:`\nu` in the box

    .. math:: \|X^\top D\nu+\sigma A_s^\top\lambda\|\le2^{-b}\Big\|\sum_{k\in D}2^b\tilde\zeta_k
              \tilde x_k+\sigma\sum_j(2D_j-1)m_j\tilde x_j\Big\|+\sum_{k\in D}(c_kr_k+e_k)\|\tilde x_k\|_1,

    an integer vector and a rational sum; the bound is compared with :math:`\beta` by squares, in
    integers, for all blocks at once (the Lipschitz sum rounded up to :math:`2^{-b}\mathbb Z`);
    the sums over :math:`k\in D` go along the region tree when the set has one
    (:attr:`~exact.block_set.BlockSet.used_tree`).
    """
    from math import ceil

    from .arrangement import integer_rows
    from .integer_matrices import zero_one_products
    from .numeric.convex import rounded_multipliers

    if not len(blocks):
        return {}
    S = 1 << BITS
    tilde = integer_rows(X)
    scale = [next((Fraction(x[j]) / r[j] for j in range(len(r)) if r[j]), Fraction(0)) for x, r in zip(X, tilde)]
    center = [(lower(v) + upper(v)) / 2 if is_ball(v) else Fraction(v) for v in nu]
    radius = [(upper(v) - lower(v)) / 2 if is_ball(v) else Fraction(0) for v in nu]
    zeta = [c * v for c, v in zip(scale, center)]
    N = [round(z * S) for z in zeta]
    lip = [ceil(((c * r + abs(z - Fraction(m, S))) * sum(abs(a) for a in row)) * S) for c, r, z, m, row in zip(scale, radius, zeta, N, tilde)]
    Xt = np.array(tilde, dtype=object)
    every = tuple(k for k, row in enumerate(tilde) if any(row))
    walls = blocks.block_walls() or [every] * len(blocks)
    tree = blocks.used_tree
    rows, m = rounded_multipliers(X, blocks.D, blocks.sign, center, walls, bits=BITS, normals=tilde, index=blocks.pattern, tree=tree)
    # sigma A_s^T lambda, scaled by 2^b: sum_j sigma (2 D_j - 1) m_j x~_j over the rows carrying lambda
    safe = np.where(rows >= 0, rows, 0)
    side = blocks.sign[:, None] * (2 * blocks.D[blocks.pattern[:, None], safe].astype(np.int64) - 1)
    weight = (np.where(rows >= 0, m, 0) * side).astype(object)
    offset = np.einsum("bj,bjd->bd", weight, Xt[safe])
    Z = [[v * a for a in row] + [w] for v, row, w in zip(N, tilde, lip)]
    if tree is not None:  # every region's sums along the tree, O(P d) integer additions
        GL, at = tree.sums(np.array(Z, dtype=object)), blocks.pattern
    else:
        used = np.unique(blocks.pattern)
        Du = blocks.D[used]
        GL = np.concatenate([zero_one_products(Du[i : i + 8192], Z) for i in range(0, len(used), 8192)])  # chunks bound memory
        at = np.searchsorted(used, blocks.pattern)
    G, L = GL[at, :-1], GL[at, -1]
    V = G + offset
    slack = (Fraction(beta) * S).__floor__() - L
    bare = (slack > 0) & ((G * G).sum(axis=1) < slack * slack)  # lambda = 0 suffices
    ok = bare | ((slack > 0) & ((V * V).sum(axis=1) < slack * slack))
    out = {}
    for i in np.flatnonzero(ok):
        out[int(i)] = {} if bare[i] else {int(r): Fraction(int(v), S) / scale[r] for r, v in zip(rows[i], m[i]) if r >= 0}
    return out


# ---------------------------------------------------------------------------------------------


def _with_face(X, blk, nu, tol=0):
    """The block with the rows ``|(A_s p)_i| <= tol`` of the exact projection ``p`` of
    ``sigma X^T D nu`` (zero rows of ``X`` excluded). ``tol > 0`` proposes the face of the
    optimum from a point ``nu`` near it; the face is then verified exactly.

    The rows with positive multipliers come first: at a degenerate face (more rows through
    it than its codimension) the multipliers on the first independent rows
    (:attr:`~exact.optimality.BlockMatrices.basis`) are then the non-negative ones."""
    memo = _point_memo(X, "faces", nu)
    key = (blk.D, blk.sign, tol)
    if key not in memo:
        pr = _projection(X, blk, nu)
        Xq = _flint_data(X, nu)[0]
        p = [to_fmpq(c) for c in pr.point]
        tq = to_fmpq(tol)
        if any(p):  # the rows a float screen leaves (zero rows excluded), each decided exactly
            weak = [int(i) for i in weak_rows(X, pr.point, tol) if any(X[i]) and abs(sum((Xq[i, c] * pc for c, pc in enumerate(p)), 0 * tq)) <= tq]
        else:  # every row passes through the apex
            weak = _nonzero_rows(X)
        face = [i for i in pr.face if i in weak] + [i for i in weak if i not in pr.face]
        memo[key] = Block(blk.D, blk.sign, tuple(face))
    return memo[key]


def _nonzero_rows(X):
    """The indices of the non-zero rows of ``X`` (memoized for the data)."""
    memo = memo_for(X, "nonzero")
    if "rows" not in memo:
        memo["rows"] = [i for i, row in enumerate(X) if any(row)]
    return memo["rows"]


def _point_memo(X, name, nu):
    """The memo ``name`` of the data ``X`` (:func:`~exact.optimality.memo_for`) at the point ``nu``:
    a dict per point, found by the identity of the last list seen before its (slow) hash."""
    memo = memo_for(X, name)
    last = memo.get(None)
    if last is None or last[0] is not nu:
        last = memo[None] = (nu, memo.setdefault(tuple(nu), {}))
    return last[1]


def _rationalized(v, dps, digits=None):
    """High-precision numbers as nearby rationals with denominators below ``10^digits``
    (default ``dps / 2``): structural zeros and small-denominator rationals come out exact."""
    return [_binary(a).limit_denominator(10 ** (dps // 2 if digits is None else digits)) for a in v]


def _atoms(X, blocks):
    """Group blocks by :math:`V_b` (one atom per group), first-seen order."""
    groups = {}
    for b in blocks:
        bm = block_matrices(X, b)
        groups.setdefault(bm.key(), []).append(bm)
    return list(groups.values())


def _basic(atoms, y, nu, free=None, cost=None, max_residual=None, start=None):
    r"""A vertex of ``{gamma >= 0 : sum gamma_b V_b z_b [+ X w] = y - nu}``: the indices of its atoms
    and their weights ``gamma_b`` (a float proposal, :func:`exact.numeric.support.basic_support`;
    ``free`` is ``X`` for the linear term), so that their columns (with those of ``X``) are
    independent; ``gamma_b`` is :math:`\kappa_b` of the reduced system. ``cost``: the
    columns' costs (default ones); at the optimum every such vertex is optimal, and
    :func:`_vertex` uses :math:`1/\kappa_b` of the problem in the weights, which leaves out
    atoms it barely uses (a nearly parallel twin of a used one makes the system ill-conditioned).
    ``None`` when the columns fit :math:`y-\nu` only with a relative :math:`\ell_1` residual above
    ``max_residual`` (:func:`~exact.numeric.support.basic_support`). ``start``: weights that fit,
    from which a large vertex is purified."""
    from .numeric.support import basic_support

    if not atoms:
        return ([], []) if max_residual is None or not any(a - b for a, b in zip(y, nu)) else None
    cols = [g[0].fit_column(nu) for g in atoms]
    found = basic_support([[c[t] for c in cols] for t in range(len(y))], [a - b for a, b in zip(y, nu)], free=free, cost=cost, weights=True, max_residual=max_residual, start=start)
    if found is None:
        return None
    keep, gamma = found
    return (keep, gamma) if keep else (list(range(len(atoms))), [1.0] * len(atoms))


def _merged(X, atoms, values):
    r"""One atom per complement pair: ``(D, sigma, z)`` and ``(I - D, sigma, -z)`` differ by the linear
    term :math:`\sigma Xz` only. Returns the indices of the kept atoms and ``values`` (one per atom)
    with each pair's sum on the kept one."""
    kept, seen, out = [], {}, list(values)
    for i, g in enumerate(atoms):
        partner = next((seen[key] for bm in g if (key := (_complement(bm.block.D, X), bm.block.sign)) in seen), None)
        if partner is None:
            kept.append(i)
            seen.update({(bm.block.D, bm.block.sign): i for bm in g})
        else:
            out[partner] = out[partner] + out[i]
    return kept, out


def _start(system, nu, atoms, kappa):
    r"""Newton's starting point: ``z_b = V_b^T nu``, the weights ``kappa`` (at least ``1e-3``) and,
    with a linear term, the ``w`` that fits the rest of :math:`y-\nu-\sum_b\kappa_bV_bz_b` best
    (:func:`exact.numeric.support.free_coefficients`)."""
    from .numeric.support import free_coefficients

    x = []
    for group in atoms:
        x += [float(v) for v in group[0].projection(nu)]
    kappa = [max(k, 1e-3) for k in kappa]
    if not system.linear:
        return x + kappa
    cols = [group[0].fit_column(nu) for group in atoms]
    rest = [a - b for a, b in zip(system.y, nu)]
    return x + kappa + free_coefficients(system.X, rest, [[c[t] for c in cols] for t in range(len(rest))], kappa)


def _rational(data, pats, candidates, nu):
    r"""Prove that a rational :math:`\nu` is the dual optimum (C4.7), or report what to change.

    Every block is checked exactly; the tight blocks' projections :math:`p_b` give the fit
    columns :math:`M_bp_b`, and an exact LP finds weights :math:`\kappa\ge0` with
    :math:`\sum_b\kappa_bM_bp_b=y-\nu` (a vertex: independent columns). Then the gap identity
    is zero, so :math:`\nu` and the blocks :math:`\kappa_bp_b` are optimal.
    """
    from .lp import solve_lp

    X, y, beta = data.X, list(data.y), data.beta
    checks = block_checks(X, candidates, nu, beta)
    if not checks["feasible"]:
        return {"nu": nu, "violated": checks["violated"], "bad_faces": []}
    groups = _atoms(X, checks["tight"])
    cols = [g[0].fit_column(nu) for g in groups]
    fit = [a - b for a, b in zip(y, nu)]
    lp = solve_lp([1] * len(cols), A_eq=[[c[t] for c in cols] for t in range(len(y))], b_eq=fit) if cols else None
    if (lp is None and any(fit)) or (lp is not None and lp.status != "optimal"):
        return {"nu": nu, "violated": [], "bad_faces": [], "reason": "the tight columns do not span the fit"}
    out_atoms = [
        Atom(tuple(bm.block for bm in g), kv, tuple(g[0].projection(nu)))
        for g, kv in zip(groups, lp.x if lp is not None else [])
        if kv > 0
    ]
    value = sum(v * yk for v, yk in zip(nu, y)) - sq_norm(nu) / 2
    tight_dirs = [(bm.block, tuple(bm.projection(nu))) for g in groups for bm in g]
    proof = {**checks, "tight_directions": tight_dirs}
    tight = [b for b, _ in tight_dirs]
    return OptimalSet(data, pats, "rational", nu, out_atoms, tight, value, (value, value), proof)


def _enclosed(data, pats, candidates, system, atoms, x, dps):
    """Prove the solution in a Krawczyk box; every other block feasible over the box."""
    with ctx.workprec(PREC):
        return _enclosed_balls(data, pats, candidates, system, atoms, x, dps)


def _complement(D, X):
    r"""The pattern of the antipodal region :math:`-R_s`: :math:`I-D_s` on the non-zero rows of
    ``X`` (a zero row is 0 in every pattern)."""
    return tuple(1 - v if any(x) else 0 for v, x in zip(D, X))


def _annihilated(X, nu, atoms):
    r"""Whether :math:`X^\top\nu\approx0` at the plain system's ``nu`` (:func:`~exact.numeric.convex.nearly_annihilated`,
    relative :math:`10^{-8}`) while some atom's complement :math:`(I-D,\sigma)` is not an atom: a
    proposal that :math:`X^\top\nu^*=0`, so that the complement is tight at the optimum but outside
    the system, and no box proves it (:func:`_enclosed_linear`)."""
    if not nearly_annihilated(X, nu, rtol=1e-8):
        return False
    blocks = {(bm.block.D, bm.block.sign) for g in atoms for bm in g}
    return any((_complement(D, X), sign) not in blocks for D, sign in blocks)


def _complements_only(X, result, atoms):
    """Whether every block left unproved is the same-sign complement of an atom's block."""
    keys = {(_complement(bm.block.D, X), bm.block.sign) for g in atoms for bm in g}
    return bool(result["violated"]) and not result["bad_faces"] and all((b.D, b.sign) in keys for b in result["violated"])


def _enclosed_linear(data, pats, candidates, plain, atoms, x, dps):
    r"""The route of :class:`~exact.optimality.ReducedSystem` with ``linear=True``.

    When the blocks left unproved are complements :math:`(I-D,\sigma)` of atoms, :math:`X^\top\nu^*=0`
    is likely: the system with a free linear term :math:`Xw` and the equations :math:`X^\top\nu=0`
    is solved and proved by Krawczyk; the complements are then tight by the identity
    :math:`V_{(I-D,\sigma)}^\top\nu=-V_{(D,\sigma)}^\top\nu`, and :math:`Xw` is absorbed into the atoms
    (:func:`_absorb`), giving a primal of the original problem with the same value. ``x`` is the
    solution of ``plain``, the system without the linear term; the atoms are its atoms merged by
    complement pairs, then a vertex of their fit modulo ``X`` (a vertex of the plain fit can be
    dependent modulo ``X``, and the system with the linear term singular). Returns ``None`` when
    this route does not prove the optimum.
    """
    X, y, beta = data.X, list(data.y), data.beta
    _, kap = plain.unpack(x)
    kept, kap = _merged(X, atoms, kap)
    nu = [_binary(v) for v in plain.nu(x)]  # the binary values: one power-of-two denominator
    keep, gamma = _basic([atoms[i] for i in kept], y, nu, X, cost=[1 / kap[i] for i in kept], start=[kap[i] for i in kept])
    kept = [kept[i] for i in keep]  # a vertex modulo X: the plain one may be dependent modulo X
    system = ReducedSystem(X, y, beta, [atoms[i][0].block for i in kept], linear=True)
    try:
        x, regular = system.newton(_start(system, nu, [atoms[i] for i in kept], gamma), dps)
        if not regular:
            return None
        result = _enclosed(data, pats, candidates, system, [list(atoms[i]) for i in kept], x, dps)
    except (UndecidedError, ZeroDivisionError):
        return None
    return result if isinstance(result, OptimalSet) else None


def _absorb(sigma_z, kappa, w, fixed):
    r"""Weights :math:`0\le s_b\le\kappa_b` with :math:`\sum_bs_b\sigma_bz_b=-w` for every point of the box.

    ``fixed`` gives rational :math:`s_b` off a basis ``B`` of :math:`d` atoms (key ``"basis"``);
    :math:`s_B` is then enclosed by Cramer's rule in ball arithmetic. Returns the list of
    :math:`s_b` (rationals and balls) or ``None`` when a bound fails. With :math:`s`, the atom
    :math:`(D,\sigma,z)` keeps weight :math:`\kappa_b-s_b` and its complement :math:`(I-D,\sigma,-z)`
    gets :math:`s_b`: since :math:`\sigma DXz-\sigma(I-D)X(-z)=\sigma Xz`, the fit and the penalty
    are those of the system with the linear term.
    """
    basis, s_fixed = fixed["basis"], fixed["s"]
    d = len(w)
    rhs = [times(-1, wi) for wi in w]
    for b, sb in s_fixed.items():
        if sb < 0 or sb > lower(kappa[b]):
            return None
        rhs = [r - times(sb, v) for r, v in zip(rhs, sigma_z[b])]
    Z = [[sigma_z[b][i] for b in basis] for i in range(d)]
    det = _det(Z)
    if lower(det) <= 0 <= upper(det):
        return None
    out = dict(s_fixed)
    for j, b in enumerate(basis):
        Zj = [[rhs[i] if c == j else Z[i][c] for c in range(d)] for i in range(d)]
        sj = _det(Zj) / det
        if lower(sj) < 0 or upper(sj) > lower(kappa[b]):
            return None
        out[b] = sj
    return [out[b] for b in range(len(kappa))]


def _absorbed_atoms(system, atoms, box):
    """The atoms of the original problem from the system with a linear term (:func:`_absorb`),
    and the absorption data ``{"basis", "s"}``; ``None`` if the float proposal or a bound fails."""
    from .numeric.support import interior_weights
    from .rational_linalg import independent_rows

    z_box, kap_box = system.unpack(box)
    w = system.linear_term(box)
    d = system.d
    sigma_z = [[times(g[0].block.sign, c) for c in zb] for g, zb in zip(atoms, z_box)]
    mid = [[(lower(c) + upper(c)) / 2 for c in col] for col in sigma_z]
    s_q = interior_weights(
        [[col[i] for col in mid] for i in range(d)], [-(lower(c) + upper(c)) / 2 for c in w], [lower(k) for k in kap_box]
    )
    if s_q is None:
        return None
    margin = sorted(range(len(atoms)), key=lambda b: -min(s_q[b], lower(kap_box[b]) - s_q[b]))
    basis = [margin[i] for i in independent_rows([mid[b] for b in margin])][:d]
    if len(basis) < d:
        return None
    fixed = {"basis": basis, "s": {b: s_q[b] for b in margin if b not in basis}}
    s = _absorb(sigma_z, kap_box, w, fixed)
    if s is None:
        return None
    out = []
    for g, kb, zb, sb in zip(atoms, kap_box, z_box, s):
        nonzero = is_ball(sb) or sb != 0
        sb = sb if is_ball(sb) else ball(sb)
        out.append(Atom(tuple(bm.block for bm in g), kb - sb, tuple(zb)))
        if nonzero:
            blk = g[0].block
            out.append(Atom((Block(_complement(blk.D, system.X), blk.sign, blk.face),), sb, tuple(times(-1, c) for c in zb)))
    return out, fixed


def _det(M):
    """Determinant by cofactor expansion (ball entries: valid for every matrix in the balls)."""
    if len(M) == 1:
        return M[0][0]
    total = 0
    for c in range(len(M)):
        minor = [row[:c] + row[c + 1 :] for row in M[1:]]
        term = M[0][c] * _det(minor)
        total = total + term if c % 2 == 0 else total - term
    return total


def _enclosed_balls(data, pats, candidates, system, atoms, x, dps):
    X, y, beta = data.X, list(data.y), data.beta
    center, radius, Y = system.enclose(x, dps)
    box = [ball(c, r) for c, r in zip(center, radius)]
    nu_box = system.nu(box)
    nu_c = [(lower(v) + upper(v)) / 2 for v in nu_box]
    z_box, kap_box = system.unpack(box)
    if any(lower(k) <= 0 for k in kap_box):
        return {"nu": nu_c, "violated": [], "bad_faces": [], "reason": "a multiplier kappa is not provably positive"}
    keys = {bm.key(): i for i, g in enumerate(atoms) for bm in g}
    near = Fraction(1, 10 ** (dps // 3))
    others = np.ones(len(candidates), dtype=bool)  # blocks left for block_checks
    close = np.flatnonzero(nearly_tight(X, candidates, nu_c, beta))  # the others are clearly not tight: no atom
    near_blocks = {int(c): candidates[c] for c in close}
    for c, b in near_blocks.items():  # blocks with an atom's projector are that atom, if their face holds
        bm = block_matrices(X, _with_face(X, b, nu_c, near))
        group = atoms[keys[bm.key()]] if bm.key() in keys else None
        if group is not None and _face_ok(bm, nu_box):
            others[c] = False
            if all(m.block != bm.block for m in group):
                group.append(bm)
    complements = []
    if system.linear:  # X^T nu = 0 holds exactly: complements of atom blocks are tight with them (and near)
        comp = {(_complement(bm.block.D, X), bm.block.sign): (i, bm) for i, g in enumerate(atoms) for bm in g}
        for c, b in near_blocks.items():
            i, bm = comp.get((b.D, b.sign), (None, None)) if others[c] else (None, None)
            bmc = None if bm is None else block_matrices(X, Block(b.D, b.sign, bm.block.face))
            if bmc is not None and _face_ok(bmc, nu_box):
                complements.append((bmc.block, i))
                others[c] = False
    others = candidates.take(others)
    bad = [g for g in atoms for bm in g if not _face_ok(bm, nu_box)]
    checks = block_checks(X, others, nu_box, beta, tol=near)
    if bad or checks["violated"]:
        reason = "a block is not provably feasible over the box (tight at an irrational optimum?)"
        return {"nu": nu_c, "violated": checks["violated"], "bad_faces": bad, "reason": reason}
    value_box = lin(y, nu_box) - sum((v * v for v in nu_box), ball(0)) / 2
    proof = {**checks, "center": center, "radius": radius, "Y": Y, "tight_directions": []}
    kind, value, nu, z_all, kap = "enclosure", value_box, nu_box, z_box, kap_box
    if system.decoupled:
        exact = _algebraic(system, [(lower(k), upper(k)) for k in kap_box])
        if exact is not None:
            kind, (value, nu, z_all, kap) = "algebraic", exact
    out_atoms = [Atom(tuple(bm.block for bm in g), kap[i], tuple(z_all[i])) for i, g in enumerate(atoms)]
    if system.linear:
        absorbed = _absorbed_atoms(system, atoms, box)
        if absorbed is None:
            return {"nu": nu_c, "violated": [], "bad_faces": [], "reason": "the linear term is not absorbed by the atoms"}
        system_atoms = [tuple(bm.block for bm in g) for g in atoms]
        out_atoms, proof["linear"] = absorbed[0], {"complements": complements, "absorb": absorbed[1], "atoms": system_atoms}
    proof["tight_directions"] = [(bm.block, tuple(z_all[i])) for i, g in enumerate(atoms) for bm in g]
    proof["tight_directions"] += [(b, tuple(times(-1, c) for c in z_all[i])) for b, i in complements]
    proof["tight_directions"] += [(b, tuple(block_matrices(X, b).projection(nu))) for b in checks["tight"]]
    tight = [b for b, _ in proof["tight_directions"]]
    return OptimalSet(data, pats, kind, nu, out_atoms, tight, value, (lower(value_box), upper(value_box)), proof)


def _algebraic(system, kappa_boxes):
    """Exact (sympy) value, nu, z and kappa when the atoms decouple."""
    import sympy

    try:
        solution = system.algebraic_solution(kappa_boxes)
    except UndecidedError:
        return None
    kap = [kb for kb, _ in solution]
    z = [list(zb) for _, zb in solution]
    x = [c for zb in z for c in zb] + list(kap)
    nu = [sympy.radsimp(sympy.expand(v)) for v in system.nu([_sym(c) for c in x])]
    y = [sympy.Rational(a) for a in system.y]
    value = sympy.simplify(sum(v * yk for v, yk in zip(nu, y)) - sum(v * v for v in nu) / 2)
    return value, nu, z, kap


def _sym(c):
    import sympy

    return sympy.Rational(c) if isinstance(c, Fraction) else c


def _face_ok(bm, nu):
    """The face conditions of a block at ``nu``: exact, or for every point of an interval box."""
    face = set(bm.block.face)
    rows = [v for i, v in enumerate(bm.cone_rows(nu)) if i not in face]
    return all(map(nonnegative, bm.face_multipliers(nu))) and all(map(nonnegative, rows))


def _dot_col(lam, A, c):
    """``(A^T lambda)_c``, exactly."""
    return sum((lam[i] * A[i][c] for i in range(len(A)) if lam[i]), Fraction(0))


def _plus(v, q):
    """``v + q`` for a ball or exact ``v`` and an exact ``q``."""
    return v + times(q, 1) if not is_ball(v) else v + times(1, ball(q))


def _sq(v):
    """``||v||^2`` of exact numbers or balls."""
    return sum((c * c for c in v), ball(0) if any(map(is_ball, v)) else Fraction(0))
