"""Claims from conjecture hunting (:mod:`exact.hunt`, :mod:`counterexamples.conjectures`): the
smallest counterexamples the hunts found, certified, and the coverage of a true conjecture."""

import numpy as np

from ..data import Dataset
from ..stationary import Network
from . import CrossCheck, Outcome, claim, crosscheck

#: The smallest counterexample to uniqueness found by ``reluscape hunt unique_optimum`` (seed 0).
NONUNIQUE = Dataset([[-1, 1, 1, -1], [1, -1, 1, 1]], [4, 4], 2)
#: The smallest spurious local minimum at m = n found by ``reluscape hunt no_spurious_at_n``.
SPURIOUS = Dataset([[-1], [1]], [1, 1], "1/2")


def _conjectures():
    from counterexamples import conjectures

    return conjectures


@claim("hunt.unique_optimum_refuted", "Uniqueness fails already at n = 2: the hunt's minimal instance has two optimal vertices",
       "math/convex_duality.md T4.3; exact.hunt")
def unique_refuted():
    ev = _conjectures().conjecture("unique_optimum").predicate(NONUNIQUE)
    return Outcome(holds=not ev.holds, instance="X = (-1,1,1,-1; 1,-1,1,1), y = (4,4), beta = 2",
                   certificate=ev.certificate, detail=ev.detail)


@crosscheck("hunt.unique_optimum_refuted")
def unique_numeric():
    from ..numeric import loss
    from ..solution_set import optimal_polytope

    P = optimal_polytope(NONUNIQUE)
    values = []
    for support, weights in P.vertices:
        W = [[float(c) * float(g) ** 0.5 for c in P.atoms[i].direction] for i, g in zip(support, weights)]
        a = [P.atoms[i].sign * float(g) ** 0.5 for i, g in zip(support, weights)]
        values.append(float(loss(NONUNIQUE, None, None, np.array(W), np.array(a))))
    spread = max(values) - min(values)
    return CrossCheck(len(values) >= 2 and spread < 1e-9 and abs(values[0] - float(P.optimum.value)) < 1e-9,
                      f"float F at the {len(values)} vertex networks: {values}", spread, 1e-9)


@claim("hunt.no_spurious_refuted", "A spurious local minimum at m = n exists already for n = 2, d = 1",
       "math/convex_duality.md D6.5; exact.hunt")
def spurious_refuted():
    ev = _conjectures().conjecture("no_spurious_at_n").predicate(SPURIOUS)
    return Outcome(holds=not ev.holds, instance="X = (-1; 1), y = (1, 1), beta = 1/2, m = 2",
                   certificate=ev.certificate, detail=ev.detail)


@crosscheck("hunt.no_spurious_refuted")
def spurious_numeric():
    from ..numeric import gradient_descent

    ev = _conjectures().conjecture("no_spurious_at_n").predicate(SPURIOUS)
    W, a = Network(tuple(_neuron(nr) for nr in ev.certificate["neurons"])).weights()
    W0 = np.array([[float(c) for c in r] for r in W]) + 1e-3
    a0 = np.array([float(c) for c in a])
    res = gradient_descent(SPURIOUS, None, None, W0, a0, lr=0.05, steps=4000, record_every=4000)
    value = 7 / 8
    err = abs(float(res.losses[-1]) - value)
    return CrossCheck(err < 1e-6, f"GD from a perturbation returns to F = {float(res.losses[-1]):.9f} (exact 7/8)", err, 1e-6)


@claim("hunt.strong_duality_not_refuted", "Hunting does not refute strong duality on small integer data (evidence, not proof)",
       "math/convex_duality.md T3.3; exact.hunt")
def duality_coverage():
    from ..hunt import hunt

    res = hunt(_conjectures().conjecture("strong_duality"), max_examples=4, budget=60, seed=0)
    return Outcome(holds=not res.refuted, instance="4 hypothesis instances, n <= 3, d <= 2, seed 0",
                   detail=res.report().replace("\n", " "))


@crosscheck("hunt.strong_duality_not_refuted")
def duality_numeric():
    from ..arrangement import enumerate_patterns
    from ..numeric import solve_convex
    from ..optimum import optimal_set

    opt = optimal_set(NONUNIQUE)
    X = np.array([[float(c) for c in r] for r in NONUNIQUE.X])
    D = np.array(enumerate_patterns(NONUNIQUE.X).D)
    prop = solve_convex(X, np.array([float(c) for c in NONUNIQUE.y]), float(NONUNIQUE.beta), D)
    err = abs(float(prop.value) - float(opt.value))
    return CrossCheck(err < 1e-3, f"float convex optimum {float(prop.value):.9f} vs exact {opt.value}", err, 1e-3)


def _neuron(nr):
    from fractions import Fraction

    from ..stationary import Neuron

    return Neuron(nr["sign"], Fraction(nr["a2"]), tuple(Fraction(c) for c in nr["u"]))
