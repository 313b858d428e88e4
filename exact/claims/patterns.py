"""Claims about activation patterns (``math/convex_duality.md`` §2)."""

from math import factorial

from ..arrangement import cover_count, enumerate_patterns, is_in_general_position
from ..numeric.sampling import sampling_coverage
from . import CrossCheck, Outcome, claim, crosscheck

#: Data on the moment curve (1, t, t^2): any three rows are independent (Vandermonde).
MOMENT_CURVE = [[1, t, t * t] for t in range(-6, 6)]
#: The braid arrangement {x_i = x_j} in R^4: degenerate (three hyperplanes through each
#: codimension-2 flat x_i = x_j = x_k); its regions are the 4! orderings of the coordinates.
BRAID_A3 = [[1 if k == i else -1 if k == j else 0 for k in range(4)] for i in range(4) for j in range(i + 1, 4)]
#: Parallel, antiparallel, repeated and zero rows, rank 2 in R^3.
DEGENERATE = [[1, 2, 0], [2, 4, 0], [-1, -2, 0], [0, 0, 0], [1, -1, 0], [1, -1, 0], [3, 0, 0]]


@claim(
    "patterns.cover_count",
    "For rows in general position P = 2 sum_{k<r} C(n-1, k) (Cover 1965)",
    "math/convex_duality.md §2 T2.2",
)
def cover():
    pats = enumerate_patterns(MOMENT_CURVE)
    generic = is_in_general_position(MOMENT_CURVE)
    expected = cover_count(len(MOMENT_CURVE), 3)
    return Outcome(
        holds=generic and len(pats) == expected,
        instance=f"moment curve (1, t, t^2), t = -6..5: n = 12, d = 3",
        certificate=pats.certificate(),
        detail=f"P = {len(pats)}, Cover's count {expected}",
    )


@crosscheck("patterns.cover_count")
def cover_numeric():
    return _sampling(enumerate_patterns(MOMENT_CURVE))


@claim(
    "patterns.zaslavsky_braid",
    "The braid arrangement {x_i = x_j} in R^4 has 4! = 24 regions (Zaslavsky's count)",
    "math/convex_duality.md §2 T2.2",
)
def braid():
    pats = enumerate_patterns(BRAID_A3)
    return Outcome(
        holds=len(pats) == factorial(4),
        instance="6 rows e_i - e_j in R^4 (degenerate: 3 hyperplanes through each x_i = x_j = x_k)",
        certificate=pats.certificate(),
        detail=f"P = {len(pats)} (certified complete by Zaslavsky's count in the checker)",
    )


@crosscheck("patterns.zaslavsky_braid")
def braid_numeric():
    return _sampling(enumerate_patterns(BRAID_A3))


@claim(
    "patterns.methods_agree",
    "Sweep, deletion-restriction and brute force (2^N exact LPs) list the same patterns",
    "math/convex_duality.md §2, exact enumeration needs 1-3",
)
def methods_agree():
    runs = [enumerate_patterns(DEGENERATE, method=m) for m in ("sweep", "deletion_restriction", "brute_force")]
    return Outcome(
        holds=runs[0] == runs[1] == runs[2] and all(r.verify() for r in runs),
        instance="parallel, antiparallel, repeated and zero rows, rank 2 in R^3 (n = 7)",
        certificate=runs[0].certificate(),
        detail=f"P = {len(runs[0])} by each method",
    )


@crosscheck("patterns.methods_agree")
def methods_numeric():
    return _sampling(enumerate_patterns(DEGENERATE))


def _sampling(pats, samples=200_000):
    rep = sampling_coverage(pats, samples, seed=0)
    return CrossCheck(
        agrees=rep.spurious == 0,
        detail=f"{rep.found}/{rep.exact} found by {rep.drawn} Gaussian gates, {rep.spurious} spurious",
        residual=float(rep.exact - rep.found),
    )
