"""Hessian spectra by the isotypic decomposition, local minimality and thresholds (math §5.1, §5.2).

Independent routes: the isotypic eigenvalues against a dense k^2 x k^2 mpmath eigen-solve of the
closed-form Hessian; multiplicities summing to k^2 and matching math §5.2; the rigorous arb
decision against the sign of the mpmath eigenvalues; the threshold against the spectra on both
sides of it and against itself at a higher precision.
"""

import mpmath
import pytest

from exact.errors import InvalidDataError
from exact.symmetry import dense_spectrum, hessian_spectrum, is_local_minimum, isotypic_bases, threshold


def merged(spectrum, tol):
    out = []
    for v, m in spectrum.distinct():
        if out and abs(v - out[-1][0]) < tol:
            out[-1][1] += m
        else:
            out.append([v, m])
    return out


def assert_isotypic_equals_dense(name, k):
    iso = merged(hessian_spectrum(name, k, dps=25, rigorous=False), mpmath.mpf(10) ** -12)
    dense = dense_spectrum(name, k, dps=25)
    assert [m for _, m in iso] == [m for _, m in dense]
    assert all(abs(a - b) < mpmath.mpf(10) ** -15 for (a, _), (b, _) in zip(iso, dense))


@pytest.mark.parametrize("name, k", [("A", 5), ("A", 6), ("Fk", 5), ("F1", 6)])
def test_isotypic_spectrum_matches_dense_eigensolve(name, k):
    assert_isotypic_equals_dense(name, k)


@pytest.mark.slow
@pytest.mark.parametrize("name, k", [("A2", 6), ("F2", 6), ("A", 8), ("A2", 8), ("Fk", 8), ("F1", 7), ("F2", 8)])
def test_isotypic_spectrum_matches_dense_eigensolve_slow(name, k):
    assert_isotypic_equals_dense(name, k)


@pytest.mark.parametrize("composition", [(5,), (4, 1), (3, 2), (6, 2), (2, 2, 1), (3, 1), (3,), (2, 2), (2, 1), (4, 2, 1)])
def test_multiplicities_sum_to_k_squared(composition):
    _, _, irreps = isotypic_bases(composition)
    assert sum(dim * len(B) for _, dim, B in irreps) == sum(composition) ** 2


@pytest.mark.parametrize("k", [7, 9, 12])
def test_delta_s_k_minus_1_has_at_most_12_eigenvalues(k):
    """math §5.2: 5 triv + 5 std + S^(k-3,2) + S^(k-3,1,1) for Delta S_{k-1}."""
    _, _, irreps = isotypic_bases((k - 1, 1))
    shape = {name: (dim, len(B)) for name, dim, B in irreps}
    assert shape == {
        "triv": (1, 5),
        "std_0": (k - 2, 5),
        "(p-2,2)_0": ((k - 1) * (k - 4) // 2, 1),
        "(p-2,1,1)_0": ((k - 2) * (k - 3) // 2, 1),
    }
    _, _, irreps = isotypic_bases((k,))
    assert {name: (dim, len(B)) for name, dim, B in irreps} == {
        "triv": (1, 2),
        "std_0": (k - 1, 3),
        "(p-2,2)_0": (k * (k - 3) // 2, 1),
        "(p-2,1,1)_0": ((k - 1) * (k - 2) // 2, 1),
    }


@pytest.mark.parametrize("name, k, expected", [("A", 6, True), ("A", 5, False), ("Fk", 6, True), ("Fk", 5, False), ("A2", 8, True), ("A2", 7, False)])
def test_local_minimum_is_decided_rigorously_and_agrees_with_mpmath(name, k, expected):
    assert is_local_minimum(name, k) is expected
    assert (hessian_spectrum(name, k, dps=20, rigorous=False).minimum[0] > 0) is expected


def test_spectrum_at_large_k_is_fast_and_positive():
    spec = hessian_spectrum("A", 100, dps=20, rigorous=False)
    assert spec.size == 100**2
    lam, irrep = spec.minimum
    assert irrep == "std_0" and lam > 0
    # the least eigenvalue approaches 1/4 - 1/(2 pi), the least one at the global minimum
    assert abs(lam - (mpmath.mpf(1) / 4 - 1 / (2 * mpmath.pi))) < mpmath.mpf("0.02")


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, kstar, irrep",
    [
        ("A", "5.58550524742588000694", "std_0"),
        ("Fk", "5.76381273491957", "(p-2,1,1)_0"),
        ("F1", "6.74483065624563", "(p-2,1,1)_0"),
        ("A2", "7.56119049794540106744", "std_0"),
        ("F2", "7.72975915606", "(p-2,1,1)_0"),
    ],
)
def test_thresholds(name, kstar, irrep):
    k, where = threshold(name, dps=25)
    assert where == irrep
    with mpmath.workdps(30):
        assert abs(k - mpmath.mpf(kstar)) < mpmath.mpf(10) ** -(len(kstar) - 4)
    lo = hessian_spectrum(name, k - mpmath.mpf("0.01"), dps=20, rigorous=False).minimum[0]
    hi = hessian_spectrum(name, k + mpmath.mpf("0.01"), dps=20, rigorous=False).minimum[0]
    assert lo < 0 < hi


def test_threshold_of_type_a_to_twelve_digits():
    """k* of type A at 20 digits against the 30-digit value (5.585505247425880006941176...)."""
    k20, irrep = threshold("A", dps=20)
    assert irrep == "std_0"
    with mpmath.workdps(30):
        assert abs(k20 - mpmath.mpf("5.585505247425880006941176")) < mpmath.mpf(10) ** -15


def test_errors():
    with pytest.raises(InvalidDataError, match="needs k >= 3"):
        hessian_spectrum("F2", 2)
