"""Claims about the Gaussian teacher-student model's symmetry families (``math/symmetry_families.md``).

The exact checks use :mod:`exact.symmetry` (exact power series, sympy identities, Krawczyk
proofs and Cholesky decisions in arb); the float cross-checks use
:mod:`exact.numeric.population` (closed-form float loss, finite-difference Hessians, gradient
descent). The Krawczyk certificates (schema ``reluscape/symmetry-critical-point/1``) are
re-verified by :func:`exact.symmetry.verify_certificate`, which trusts python-flint's arb; the
standard-library checker does not know that schema, so they are not attached to the outcomes.
"""

import mpmath
import sympy
from sympy.polys.matrices import DomainMatrix

from ..numeric.population import float_hessian_eigenvalues, float_loss, gradient_descent, perturbed
from ..symmetry import (
    certify_critical_point,
    continue_branch,
    critical_point,
    family_series,
    get_family,
    global_minimum_hessian,
    global_minimum_spectrum,
    identity_teacher,
    is_local_minimum,
    population_hessian,
    threshold,
    verify_certificate,
)
from ..symmetry.fixed_points import FixedPointSpace
from . import CrossCheck, Outcome, claim, crosscheck

PI = sympy.pi
#: Integer k that each branch, continued from k = infinity, reaches (k = 3..20).
BRANCH_REACHES = {"A": range(3, 21), "Fk": range(3, 21), "F1": range(4, 21), "A2": range(4, 21), "F2": range(5, 21)}


@claim(
    "symmetry.type_a_loss_order_1_over_k",
    "The loss of type A is (1/2 - 2/pi^2)/k - 32/(3 pi^4) k^(-3/2) + O(k^-2): it decays like 1/k",
    "math/symmetry_families.md §3, §4",
)
def type_a_decay():
    loss = family_series("A", 3).loss
    expected = (0, 0, sympy.Rational(1, 2) - 2 / PI**2, -32 / (3 * PI**4))
    exact = all(sympy.simplify(a - b) == 0 for a, b in zip(loss, expected))
    positive = bool(sympy.Rational(1, 2) - 2 / PI**2 > 0)
    return Outcome(
        holds=exact and positive,
        instance="family A, exact power series in s = k^(-1/2) to order 3",
        detail=f"L = ({loss[2]}) s^2 + ({loss[3]}) s^3 + O(s^4), leading coefficient > 0",
    )


@crosscheck("symmetry.type_a_loss_order_1_over_k")
def type_a_decay_numeric():
    rows, worst = [], 0.0
    for k in (400, 900):
        L = float_loss(_matrix_at("A", k))
        series = family_series("A", 8).loss_at(k)
        worst = max(worst, abs(L - float(series)))
        rows.append(f"k = {k}: k L = {k * L:.6f}")
    detail = "float closed-form loss vs exact series to s^8: " + ", ".join(rows) + f"; max gap {worst:.1e}"
    return CrossCheck(worst < 1e-8, detail, worst)


@claim(
    "symmetry.flipped_loss_positive_limit",
    "The loss of Fk (and of F1, F2) tends to 1/2 - 1/pi > 0, with correction -4/(3 pi) k^(-1/2)",
    "math/symmetry_families.md §3, §4",
)
def flipped_limit():
    rows = []
    for name in ("Fk", "F1", "F2"):
        loss = family_series(name, 1).loss
        rows.append(sympy.simplify(loss[0] - (sympy.Rational(1, 2) - 1 / PI)) == 0 and sympy.simplify(loss[1] + 4 / (3 * PI)) == 0)
    return Outcome(
        holds=all(rows) and bool(sympy.Rational(1, 2) - 1 / PI > 0),
        instance="families Fk, F1, F2, exact power series to order 1",
        detail="L = (1/2 - 1/pi) - 4/(3 pi) s + O(s^2) for each",
    )


@crosscheck("symmetry.flipped_loss_positive_limit")
def flipped_limit_numeric():
    L = float_loss(_matrix_at("Fk", 400))
    series = float(family_series("Fk", 6).loss_at(400))
    return CrossCheck(abs(L - series) < 1e-6, f"L_Fk(400): float closed form {L:.9f}, exact series to s^6 {series:.9f}", abs(L - series))


@claim(
    "symmetry.global_minimum_spectrum",
    "The Hessian at W = V = I_k has the closed-form spectrum of math §5.1 (characteristic polynomials equal)",
    "math/symmetry_families.md §5.1",
)
def global_minimum():
    lam, t = sympy.symbols("lam t")
    ok, details = True, []
    for k in (3, 4):
        eye = [[int(i == j) for j in range(k)] for i in range(k)]
        H = population_hessian(eye)
        same_matrix = H == global_minimum_hessian(k)
        M = DomainMatrix.from_Matrix(sympy.Matrix(H).subs(PI, 1 / t)).convert_to(sympy.QQ[t])
        charpoly = sum(c.as_expr() * lam ** (len(M.charpoly()) - 1 - i) for i, c in enumerate(M.charpoly()))
        table = sympy.Integer(1)
        for value, mult in global_minimum_spectrum(k):
            table *= (lam - value.subs(PI, 1 / t)) ** mult
        same_spectrum = sympy.expand(charpoly - table) == 0
        ok = ok and same_matrix and same_spectrum
        details.append(f"k = {k}: closed-form blocks {same_matrix}, charpoly = table {same_spectrum}")
    return Outcome(holds=ok, instance="W = V = I_k, k = 3, 4 (exact, sympy over Q(pi))", detail="; ".join(details))


@crosscheck("symmetry.global_minimum_spectrum")
def global_minimum_numeric():
    k = 8
    values = float_hessian_eigenvalues(identity_teacher(k))
    table = sorted(float(sympy.N(v)) for v, m in global_minimum_spectrum(k) for _ in range(m))
    err = max(abs(a - b) for a, b in zip(values, table))
    return CrossCheck(err < 1e-6, f"k = 8: finite-difference float Hessian eigenvalues vs table, max error {err:.1e}", err)


@claim(
    "symmetry.type_a_spurious_minimum",
    "Type A is a strict local minimum with L > 0 at k = 6 and 7 and a saddle at k = 5 (spurious minima exist)",
    "math/symmetry_families.md §2, §5 ([SS]: spurious minima for 6 <= k <= 20)",
)
def type_a_minimum():
    rows, ok, certs = [], True, {}
    for k, expected in ((5, False), (6, True), (7, True)):
        cert = certify_critical_point("A", k, dps=40)
        certs[k] = cert.to_json()
        verified = cert.verified and verify_certificate(certs[k])
        minimum = is_local_minimum("A", k)
        ok = ok and verified and minimum is expected and cert.loss[0] > 0
        low = mpmath.mpf(cert.loss[0].numerator) / cert.loss[0].denominator
        rows.append(f"k = {k}: certified {verified}, L >= {mpmath.nstr(low, 7)}, local minimum {minimum}")
    return Outcome(
        holds=ok, instance="family A at k = 5, 6, 7 (Krawczyk box, arb Cholesky)", certificate=certs[6], detail="; ".join(rows)
    )


@crosscheck("symmetry.type_a_spurious_minimum")
def type_a_minimum_numeric():
    W = _matrix_at("A", 6)
    W1, loss, _, _ = gradient_descent(perturbed(W, 1e-3, seed=0), lr=0.2, steps=5000)
    drift = max(abs(float(a) - b) for r0, r1 in zip(W, W1) for a, b in zip(r0, r1))
    return CrossCheck(drift < 1e-4 and loss > 0.02, f"gradient descent from a perturbed A(6) returns (drift {drift:.1e}, L = {loss:.6f})", drift)


@claim(
    "symmetry.families_certified",
    "Each family is a Krawczyk-certified critical point at every k = 3..20 its branch reaches "
    "(A, Fk: 3..20; F1, A2: 4..20; F2: 5..20)",
    "math/symmetry_families.md §3, §5",
    slow=True,
)
def families_certified():
    failures, count = [], 0
    for name, ks in BRANCH_REACHES.items():
        for k in ks:
            cert = certify_critical_point(name, k, dps=40)
            count += 1
            if not (cert.verified and verify_certificate(cert.to_json())):
                failures.append(f"{name}(k={k})")
    return Outcome(
        holds=not failures,
        instance=f"{count} (family, k) pairs",
        detail="all verified" if not failures else "not verified: " + ", ".join(failures),
    )


@crosscheck("symmetry.families_certified")
def families_certified_numeric():
    worst = 0.0
    for name in BRANCH_REACHES:
        p = critical_point(name, 12, dps=20)
        worst = max(worst, abs(float_loss(p.matrix()) - float(p.loss)))
    return CrossCheck(worst < 1e-12, f"float closed-form loss at k = 12 vs mpmath, max difference {worst:.1e}", worst)


@claim(
    "symmetry.thresholds",
    "Stability thresholds k*: A 5.5855, Fk 5.7638, F1 6.7448, A2 7.5612, F2 7.7298 "
    "(A2 is a local minimum from k = 8 on, not 9)",
    "math/symmetry_families.md §3 open point, §5",
    slow=True,
)
def thresholds():
    expected = {"A": "5.585505247426", "Fk": "5.763812734920", "F1": "6.744830656246", "A2": "7.561190497945", "F2": "7.729759156"}
    rows, ok = [], True
    for name, value in expected.items():
        k, irrep = threshold(name, dps=20)
        close = abs(k - mpmath.mpf(value)) < mpmath.mpf(10) ** -(len(value) - 3)
        ok = ok and close
        rows.append(f"{name}: {mpmath.nstr(k, 13)} ({irrep})")
    ok = ok and is_local_minimum("A2", 8) and not is_local_minimum("A2", 7)
    return Outcome(holds=ok, instance="the five families, continued in real k", detail="; ".join(rows))


@crosscheck("symmetry.thresholds")
def thresholds_numeric():
    least = {k: float_hessian_eigenvalues(_matrix_at("A", k))[0] for k in (5, 6)}
    return CrossCheck(
        least[5] < 0 < least[6],
        f"least float Hessian eigenvalue of A: {least[5]:.6f} at k = 5, {least[6]:.6f} at k = 6",
        abs(least[6]),
    )


def _matrix_at(name, k):
    """The family's point at integer k as a k x k matrix of mpmath numbers (30 digits)."""
    fam = get_family(name)
    with mpmath.workdps(30):
        x = continue_branch(name, mpmath.mpf(k))
        return FixedPointSpace(fam.composition(k)).embed(x)
