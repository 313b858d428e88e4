"""Isotropy groups and fixed-point spaces (math/symmetry_families.md §2).

Independent routes: the dimension from the orbits of the group action against the table of §2
and against the rank of the linear system g.W = W over the generators (exact, flint); the
restricted loss, gradient and Hessian against the full closed forms at the embedded point;
symmetric criticality at random points of Fix(H).
"""

from fractions import Fraction

import mpmath
import numpy as np
import pytest
from flint import fmpq_mat
from hypothesis import given
from hypothesis import strategies as st

from exact.errors import InvalidDataError
from exact.symmetry import (
    act,
    fixed_point_space,
    isotropy_generators,
    orbit_labels,
    population_gradient,
    population_hessian,
    population_loss,
)

TABLE = [  # name, composition of k, dim Fix(H) (math §2)
    ("Delta S_k", lambda k: (k,), 2),
    ("Delta S_{k-1}", lambda k: (k - 1, 1), 5),
    ("Delta (S_{k-2} x S_2)", lambda k: (k - 2, 2), 6),
    ("Delta (S_{k-3} x S_2 x S_1)", lambda k: (k - 3, 2, 1), 11),
]


def invariant_dimension(composition):
    """dim {W : P_g W P_g^T = W for every generator g}, by exact rank over Q."""
    k = sum(composition)
    rows = []
    for g in isotropy_generators(composition):
        for i in range(k):
            for j in range(k):
                row = [0] * (k * k)
                row[i * k + j] += 1
                row[g[i] * k + g[j]] -= 1  # (gW)_{g(i) g(j)} = W_{ij}
                rows.append(row)
    if not rows:
        return k * k
    return k * k - fmpq_mat(rows).rank()


@pytest.mark.parametrize("name, comp, dim", TABLE)
@pytest.mark.parametrize("k", [5, 6, 7])
def test_fixed_point_dimensions_from_the_action(name, comp, dim, k):
    composition = comp(k)
    assert len(orbit_labels(composition)) == dim
    assert invariant_dimension(composition) == dim
    assert fixed_point_space(composition).dim == dim


def test_orbits_partition_the_pairs_and_have_the_stated_sizes():
    F = fixed_point_space((3, 2, 1))
    orbits = orbit_labels((3, 2, 1))
    assert sorted(p for members in orbits.values() for p in members) == [(i, j) for i in range(6) for j in range(6)]
    assert [len(orbits[lab]) for lab in F.labels] == [int(m) for m in F.orbit_sizes()]


def test_embedding_is_fixed_by_the_group_and_roundtrips():
    F = fixed_point_space((3, 2))
    x = [Fraction(i + 1, 3) for i in range(F.dim)]
    W = F.embed(x)
    for g in isotropy_generators((3, 2)):
        assert act(W, g, g) == W
    assert F.coordinates(W) == x
    W[0][1] += 1
    with pytest.raises(InvalidDataError, match="not in Fix"):
        F.coordinates(W)


def random_point(F, seed):
    rng = np.random.default_rng(seed)
    return [Fraction(int(a), 7) for a in rng.integers(-9, 10, size=F.dim)]


@pytest.mark.parametrize("composition", [(3, 1), (2, 2), (4,), (2, 1, 1), (3, 2, 1)])
def test_restricted_loss_gradient_hessian_match_the_full_model(composition):
    F = fixed_point_space(composition)
    x = random_point(F, sum(composition))
    W = F.embed(x)
    orbits = orbit_labels(composition)
    k = sum(composition)
    with mpmath.workdps(40):
        L, g, H = F.derivatives(x, "mpmath", order=2)
        assert abs(L - population_loss(W, arithmetic="mpmath")) < mpmath.mpf(10) ** -35
        G = population_gradient(W, arithmetic="mpmath")
        HW = population_hessian(W, arithmetic="mpmath")
        for a, lab in enumerate(F.labels):
            assert abs(g[a] - sum(G[i][j] for i, j in orbits[lab])) < mpmath.mpf(10) ** -35
            for b, lab2 in enumerate(F.labels):
                full = sum(HW[i * k + j][p * k + q] for i, j in orbits[lab] for p, q in orbits[lab2])
                assert abs(H[a][b] - full) < mpmath.mpf(10) ** -33


@given(seed=st.integers(0, 10_000), comp=st.sampled_from([(4, 1), (3, 2), (5,), (2, 2, 1)]))
def test_symmetric_criticality(seed, comp):
    """The full gradient at a random point of Fix(H) lies in Fix(H)."""
    F = fixed_point_space(comp)
    W = F.embed(random_point(F, seed))
    with mpmath.workdps(30):
        G = population_gradient(W, arithmetic="mpmath")
        for members in orbit_labels(comp).values():
            i0, j0 = members[0]
            assert all(abs(G[i][j] - G[i0][j0]) < mpmath.mpf(10) ** -25 for i, j in members)


def test_real_block_sizes_continue_the_integer_formulas():
    F_int = fixed_point_space((5, 1))
    F_real = fixed_point_space((mpmath.mpf(5), 1))
    x = random_point(F_int, 3)
    with mpmath.workdps(30):
        a = F_int.derivatives(x, "mpmath", order=2)
        b = F_real.derivatives(x, "mpmath", order=2)
        assert abs(a[0] - b[0]) < mpmath.mpf(10) ** -25
        assert max(abs(p - q) for p, q in zip(a[1], b[1])) < mpmath.mpf(10) ** -25


def test_restricted_loss_expression_and_exact_value():
    F = fixed_point_space((2, 1))
    assert F.loss([1, 0, 1, 0, 0]) == 0  # W = I
    expr = F.expression()
    assert {str(s) for s in expr.free_symbols} == {"D0", "O0", "D1", "C01", "C10", "p0", "p1"}


def test_errors():
    with pytest.raises(InvalidDataError, match="composition\\[1\\] = 0"):
        isotropy_generators((2, 0))
    with pytest.raises(InvalidDataError, match="dimension 5"):
        fixed_point_space((2, 1)).loss([1, 2])
    with pytest.raises(InvalidDataError, match="integer block sizes"):
        fixed_point_space((mpmath.mpf(2), 1)).embed([1, 2, 3, 4, 5])
