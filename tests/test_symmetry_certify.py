"""High-precision critical points and their Krawczyk certificates (math/symmetry_families.md §5).

Independent routes: Newton at two precisions; the Krawczyk proof (arb) re-verified from its JSON;
tampered certificates rejected; float gradient descent (exact.numeric.population) staying at
the certified point; the full closed-form gradient at the embedded point.
"""

import json
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from exact.errors import CertificateError, InvalidDataError, ReluscapeError
from exact.numeric.population import float_loss, gradient_descent
from exact.symmetry import certify_critical_point, critical_point, population_gradient, verify_certificate

# (family, integer k) pairs the branch reaches, continued from k = infinity
REACHED = {"A": range(3, 21), "Fk": range(3, 21), "F1": range(4, 21), "A2": range(4, 21), "F2": range(5, 21)}


@pytest.mark.parametrize("name, k", [("A", 7), ("Fk", 6), ("F2", 9)])
def test_critical_point_is_self_consistent_across_precisions(name, k):
    lo, hi = critical_point(name, k, dps=30), critical_point(name, k, dps=60)
    with mpmath.workdps(60):
        assert max(abs(a - b) for a, b in zip(lo.x, hi.x)) < mpmath.mpf(10) ** -27
        assert hi.gradient_norm < mpmath.mpf(10) ** -50
        G = population_gradient(hi.matrix(), arithmetic="mpmath")
        assert max(abs(a) for row in G for a in row) < mpmath.mpf(10) ** -50


def test_critical_point_at_real_k():
    p = critical_point("A", Fraction(13, 2), dps=30)
    q, r = critical_point("A", 6, dps=30), critical_point("A", 7, dps=30)
    assert q.loss > p.loss > r.loss  # the loss of type A decreases along the branch


@pytest.mark.parametrize("name, k", [("A", 3), ("A", 6), ("A", 10), ("Fk", 3), ("Fk", 8), ("F1", 5), ("A2", 6), ("F2", 7)])
def test_krawczyk_certificate_and_its_verifier(name, k):
    cert = certify_critical_point(name, k, dps=40)
    assert cert.verified and cert.contraction < 1
    data = json.loads(json.dumps(cert.to_json()))
    assert verify_certificate(data)
    lo, hi = cert.loss
    p = critical_point(name, k, dps=40)
    with mpmath.workdps(40):
        assert mpmath.mpf(lo.numerator) / lo.denominator <= p.loss <= mpmath.mpf(hi.numerator) / hi.denominator


def test_tampered_certificates_are_rejected():
    data = certify_critical_point("Fk", 5, dps=30).to_json()
    moved = dict(data, center=[str(Fraction(c) + Fraction(1, 10**6)) for c in data["center"]])
    with pytest.raises(CertificateError, match="not inside the box"):
        verify_certificate(moved)
    with pytest.raises(CertificateError, match="schema"):
        verify_certificate(dict(data, schema="reluscape/patterns/1"))
    with pytest.raises(CertificateError, match="composition"):
        verify_certificate(dict(data, composition=[4, 1]))
    with pytest.raises(CertificateError, match="leaves the stated interval"):
        verify_certificate(dict(data, loss_interval=["0", "1/100"]))
    with pytest.raises(CertificateError, match="malformed"):
        verify_certificate({k: v for k, v in data.items() if k != "radius"})


def test_branch_ends_are_reported():
    with pytest.raises(ReluscapeError, match="does not continue below"):
        critical_point("A2", 3, dps=20)  # A2 folds near k = 3.43
    with pytest.raises(ReluscapeError, match="parallel"):
        critical_point("F1", 3, dps=20)  # F1 runs into the global minimum (a permutation matrix)
    with pytest.raises(InvalidDataError, match="needs k >= 3"):
        critical_point("A2", 2)
    with pytest.raises(InvalidDataError, match="integer k"):
        certify_critical_point("A", Fraction(13, 2))


def test_merging_at_small_k():
    """A at k = 3 lies in the S_3 x S_3 orbit of Fk at k = 3 (math §3: families merge at small k)."""
    a, f = critical_point("A", 3, dps=30), critical_point("Fk", 3, dps=30)
    assert abs(a.loss - f.loss) < mpmath.mpf(10) ** -25
    Wa, Wf = a.matrix(), f.matrix()
    swapped = [Wf[1], Wf[0], Wf[2]]
    assert max(abs(x - y) for r1, r2 in zip(Wa, swapped) for x, y in zip(r1, r2)) < mpmath.mpf(10) ** -25


def test_float_gradient_descent_stays_at_the_spurious_minimum():
    p = critical_point("A", 6, dps=20)
    W = np.array([[float(a) for a in row] for row in p.matrix()])
    W0 = W + 1e-3 * np.random.default_rng(0).standard_normal(W.shape)
    W1, loss, gnorm, _ = gradient_descent(W0, lr=0.2, steps=5000)
    assert abs(loss - float(p.loss)) < 1e-9
    assert np.abs(W1 - W).max() < 1e-4
    assert abs(float_loss(W) - float(p.loss)) < 1e-14


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(REACHED))
def test_every_family_is_certified_where_the_branch_reaches(name):
    for k in REACHED[name]:
        assert certify_critical_point(name, k, dps=40).verified, k
