r"""Claims about the region census: how much width makes the landscape benign
(``math/benignity_and_relaxation.md`` §2–3, [BBEL] Thm 1).

Regions are drawn as [BBEL] do: each neuron's signed pattern i.i.d. uniform among the
:math:`N_{\rm act}` (:mod:`exact.region_census`). On orthonormal data the exact census equals the
closed forms of Props 3.3 and 3.7 and the crossing width grows like :math:`2^{n+1}` (necessity,
Cor 3.4); on Gaussian-like rational data the exact fraction crosses :math:`1-\varepsilon` between
the single-atom lower bound and the scale :math:`N_{\rm act}\log(k/\varepsilon)` (sufficiency,
Thm 2.5). The float twins run projected gradient descent inside sampled regions and compare the
end values with the certified :math:`\mathrm{CP}(A)` (Lemma 2.3).
"""

from fractions import Fraction

from ..data import Dataset
from ..region_census import census, classify, crossing_width, descent_agreement, region_landscape, theory_curve
from . import CrossCheck, Outcome, claim, crosscheck

REF = "math/benignity_and_relaxation.md"
#: Orthonormal rows, y = (1, -1), beta = 1/2: Y_+ = Y_- = 1 > beta (both sides count).
ORTHOGONAL = Dataset([[1, 0], [0, 1]], [1, -1], "1/2")
#: Orthonormal rows, y = (1, 1, -1), beta = 1/2: |P| = 2, |N| = 1 (the slow, wider check).
ORTHOGONAL_3 = Dataset([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 1, -1], "1/2")
EPS = Fraction(1, 10)
_CACHE = {}


def _landscape(data):
    if data not in _CACHE:
        _CACHE[data] = region_landscape(data)
    return _CACHE[data]


def _gaussian():
    """Gaussian-like rational data, n = 5, d = 2 (exact.relaxation.gaussian_dataset, seed 0)."""
    from ..relaxation import gaussian_dataset

    if "gaussian" not in _CACHE:
        _CACHE["gaussian"] = gaussian_dataset(5, 2, seed=0)
    return _CACHE["gaussian"]


def _prop_3_7(n_pos, n_neg, m):
    r"""Prop 3.7 (b): all neurons of one sign :math:`s`, each pattern :math:`\supseteq P_s`."""
    return Fraction(1, 2 ** (m * (n_pos + 1))) + Fraction(1, 2 ** (m * (n_neg + 1)))


def _orthogonal_outcome(data, n_pos, n_neg, widths):
    from counterexamples.orthogonal import region_fraction  # Prop 3.3, the construction's closed form

    L = _landscape(data)
    rows = [census(data, m, exhaustive=True, landscape=L) for m in widths]
    contain = all(r.fractions["contains_global"] == region_fraction(n_pos, n_neg, r.m) == r.expected_contains for r in rows)
    spurious = all(r.fractions["true_spurious"] == _prop_3_7(n_pos, n_neg, r.m) and r.undecided == 0 for r in rows)
    n = n_pos + n_neg
    full = tuple(1 for _ in range(n))
    plus = tuple(1 if k < n_pos else -1 for k in range(n))
    good = classify(data, [(plus, 1), (tuple(-v for v in plus), -1)], landscape=L)
    bad = classify(data, [(full, 1), (plus, 1)], landscape=L)  # one-signed, both patterns cover P
    parts = [dict(good.certificate, label="a region holding both atoms: a global minimum"),
             dict(bad.certificate, label="a one-signed region: a spurious local minimum (Prop 3.7 (b))")]
    detail = "; ".join(f"m={r.m}: contain {r.fractions['contains_global']}, true spurious {r.fractions['true_spurious']}" for r in rows)
    return contain, spurious and good.contains_global and bad.true_spurious, parts, detail


@claim(
    "census.orthogonal_fraction",
    "Orthonormal data: the fraction of regions containing a global minimum is 1-(1-p+)^m-(1-p-)^m+(1-p+-p-)^m, "
    "and of regions holding a spurious local minimum 2^(-m(|P|+1)) + 2^(-m(|N|+1)) (exhaustive census)",
    REF + " Props 3.3, 3.7",
)
def orthogonal_fraction():
    contain, spurious, parts, detail = _orthogonal_outcome(ORTHOGONAL, 1, 1, (1, 2, 3))
    return Outcome(
        holds=contain and spurious,
        instance="X = I_2, y = (1, -1), beta = 1/2, all 8^m regions for m = 1, 2, 3",
        certificate={"schema": "reluscape/bundle/1", "title": "region census, orthogonal data", "parts": parts},
        detail=detail,
    )


@claim(
    "census.orthogonal_fraction_n3",
    "Orthonormal data, n = 3: the exhaustive census equals Props 3.3 and 3.7",
    REF + " Props 3.3, 3.7",
    slow=True,
)
def orthogonal_fraction_n3():
    contain, spurious, parts, detail = _orthogonal_outcome(ORTHOGONAL_3, 2, 1, (1, 2, 3))
    return Outcome(
        holds=contain and spurious,
        instance="X = I_3, y = (1, 1, -1), beta = 1/2, all 16^m regions for m = 1, 2, 3",
        certificate={"schema": "reluscape/bundle/1", "title": "region census, orthogonal data n = 3", "parts": parts},
        detail=detail,
    )


@crosscheck("census.orthogonal_fraction")
def orthogonal_descent():
    return _descent(ORTHOGONAL, 3)


@claim(
    "census.orthogonal_necessity",
    "Orthonormal data with one-signed labels: the fraction of benign regions reaches 1 - eps only at "
    "m = ceil(log eps / log(1 - 2^(-n-1))), of order 2^(n+1) log(1/eps)",
    REF + " Cor 3.4",
)
def orthogonal_necessity():
    found, detail, cert = [], [], None
    for n in range(1, 6):
        data = Dataset([[int(i == k) for i in range(n)] for k in range(n)], [1] * n, "1/2")
        L = _landscape(data)
        q, m = 1 - Fraction(1, 2 ** (n + 1)), 1
        while q**m > EPS:  # Cor 3.4: Pr = 1 - q^m, counted up exactly
            m += 1
        got = crossing_width(L, EPS)
        found.append(got == m)
        detail.append(f"n={n}: m_eps={got} (2^(n+1)={2 ** (n + 1)})")
        cert = L.optimum.certificate()
    return Outcome(
        holds=all(found),
        instance="X = I_n, y = (1, ..., 1), beta = 1/2, n = 1..5, eps = 1/10",
        certificate=cert,
        detail=", ".join(detail),
    )


@claim(
    "census.generic_sufficiency",
    "Gaussian-like data: the exact fraction of regions containing a global minimum crosses 1 - eps "
    "between the single-atom bound and N_act log(k/eps); sampled censuses cover the exact fraction",
    REF + " Thm 2.5",
)
def generic_sufficiency():
    data = _gaussian()
    L = _landscape(data)
    t = theory_curve(L, [], EPS)
    (vertex,) = L.vertices  # generic data: one optimal vertex
    h = min(len(L.holders[a]) for a in vertex)
    q, lower = Fraction(L.n_act - h, L.n_act), 1
    while q**lower > EPS:  # Pr <= Pr[the least-held atom is held] = 1 - q^m
        lower += 1
    widths = (max(1, t["crossing"] // 4), t["crossing"], t["scale"])
    rows = [census(data, m, samples=300, seed=0, landscape=L) for m in widths]
    covered = all(r.intervals["contains_global"][0] <= r.expected_contains <= r.intervals["contains_global"][1] for r in rows)
    holding = classify(data, [L.signed[min(L.holders[a])] for a in vertex], landscape=L, certify=False)
    missing = classify(data, [L.signed[min(L.holders[vertex[0]])]], landscape=L)  # one atom short: CP(A) > p*
    parts = [dict(L.optimum.certificate(), label="p*, certified"),
             dict(missing.certificate, label="a region holding one atom only: CP(A) > p*")]
    return Outcome(
        holds=lower <= t["crossing"] <= t["scale"] and covered and holding.contains_global and not missing.contains_global,
        instance=f"exact.relaxation.gaussian_dataset(5, 2, seed=0): N_act = {L.n_act}, k = {t['k']}, eps = 1/10",
        certificate={"schema": "reluscape/bundle/1", "title": "region census, Gaussian-like data", "parts": parts},
        detail=f"single-atom bound {lower} <= m_eps = {t['crossing']} <= N_act log(k/eps) = {t['scale']}; "
        + ", ".join(f"m={r.m}: {r.contains_global}/{r.regions} (exact {float(r.expected_contains):.3f})" for r in rows),
    )


@crosscheck("census.generic_sufficiency")
def generic_descent():
    return _descent(_gaussian(), 4, samples=4, steps=2500)


def _descent(data, m, samples=6, steps=2500):
    out = descent_agreement(data, m, samples=samples, seed=0, landscape=_landscape(data), steps=steps)
    return CrossCheck(
        agrees=out["agree"] == out["regions"],
        detail=f"projected GD in {out['regions']} sampled regions of width {m}: {out['agree']} end at CP(A) "
        f"(max rel. gap {out['max_rel_gap']:.1e})",
        residual=out["max_rel_gap"],
        tolerance=1e-4,
    )
