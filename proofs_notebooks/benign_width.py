# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # How much width makes the weight-decay landscape benign ([BBEL] Thm 1; necessity on orthogonal data)
#
# A constant activation region of width $m$ is $A=((s_j,S_j))_{j\le m}$, one signed pattern per
# neuron; there are $N_{\rm act}^m$ of them, $N_{\rm act}=2P$ ($P$ activation patterns of $X$, the
# empty one included). **Sampling:** each neuron draws its signed pattern independently and
# uniformly among the $N_{\rm act}$ (every ordered region has probability $N_{\rm act}^{-m}$), as
# the authors' sampler does. By Lemma 2.3, $\min_{\bar C_A}F_\beta=\mathrm{CP}(A)$; the region
# contains a global minimum iff $\mathrm{CP}(A)=p^*$, decided exactly per region
# (`exact.region_census`, `math/benignity_and_relaxation.md` §2–3).
#
# * **Sufficiency (Thm 2.5).** If a global minimizer uses $k\le n+1$ signed patterns, a fraction
#   $\ge1-\varepsilon$ of the regions contains it once $m\ge N_{\rm act}\log(k/\varepsilon)$.
# * **Orthogonal data (Props 3.3, 3.7, Cor 3.4).** For $XX^\top=I_n$, $Y_\pm>\beta$, the fraction is
#   exactly $1-(1-p_+)^m-(1-p_-)^m+(1-p_+-p_-)^m$, $p_\pm=2^{-|P_\pm|-1}$; regions holding a spurious
#   true local minimum are the one-signed regions whose patterns all cover $P_s$, a fraction
#   $\sum_s2^{-m(|P_s|+1)}$; with one-signed labels the fraction reaches $1-\varepsilon$ only at
#   $m\approx2^{n+1}\log(1/\varepsilon)$: width of order $2^n$ is necessary.
#
# Below $m^*$ (the fewest atoms of an optimal vertex) no region reaches $p^*$; the census always
# compares with $p^*$.

# %% tags=["parameters"]
eps_num, eps_den = 1, 10
gaussian_n, gaussian_d, gaussian_seed = 5, 2, 0
samples = 200

# %%
from fractions import Fraction
from math import log

from counterexamples.orthogonal import region_fraction
from exact import Dataset
from exact.checker import check_certificate
from exact.region_census import (
    census,
    classify,
    containment_fraction,
    crossing_width,
    descent_agreement,
    region_landscape,
    theory_curve,
    width_curve,
)
from exact.relaxation import gaussian_dataset

eps = Fraction(eps_num, eps_den)


def orthogonal(n_pos, n_neg, beta):
    n = n_pos + n_neg
    return Dataset([[int(i == k) for i in range(n)] for k in range(n)], [1] * n_pos + [-1] * n_neg, beta)


def prop_3_7(n_pos, n_neg, m):
    return Fraction(1, 2 ** (m * (n_pos + 1))) + Fraction(1, 2 ** (m * (n_neg + 1)))


# %% [markdown]
# ## Orthogonal data: the exhaustive census equals the closed forms
#
# Every one of the $N_{\rm act}^m$ ordered regions is decided (each set of distinct signed
# patterns once, weighted by its number of surjections).

# %%
exhaustive = {}
for (n_pos, n_neg), widths in (((1, 1), (1, 2, 3)), ((2, 1), (1, 2))):
    data = orthogonal(n_pos, n_neg, Fraction(1, 2))
    L = region_landscape(data)
    for m in widths:
        res = census(data, m, exhaustive=True, landscape=L)
        exhaustive[(n_pos, n_neg, m)] = res
        print(f"|P|={n_pos} |N|={n_neg} m={m}: {res.regions} regions, contain {res.fractions['contains_global']} "
              f"(Prop 3.3: {region_fraction(n_pos, n_neg, m)}), true spurious {res.fractions['true_spurious']} "
              f"(Prop 3.7: {prop_3_7(n_pos, n_neg, m)})")
    curve = [containment_fraction(L, m) for m in range(1, 65)]  # inclusion-exclusion over the atoms
    assert curve == [region_fraction(n_pos, n_neg, m) for m in range(1, 65)]

# %% [markdown]
# Certificates: a region holding both atoms contains a global minimum; a one-signed region whose
# patterns cover $P$ holds the sign-deficient spurious local minimum (Prop 3.7 (b)).

# %%
data = orthogonal(1, 1, Fraction(1, 2))
good = classify(data, [((1, -1), 1), ((-1, 1), -1)])
bad = classify(data, [((1, 1), 1), ((1, -1), 1)])
print(good.reason)
print(bad.reason)
assert check_certificate(good.certificate).ok and check_certificate(bad.certificate).ok

# %% [markdown]
# ## Necessity: one-signed labels need width of order $2^{n+1}$

# %%
necessity = []
for n in range(1, 7):
    L = region_landscape(orthogonal(n, 0, Fraction(1, 2)))
    m_eps = crossing_width(L, eps)
    necessity.append((n, m_eps))
    print(f"n={n}: m_eps = {m_eps}, 2^(n+1) log(1/eps) = {2 ** (n + 1) * log(1 / eps):.1f}")

# %% [markdown]
# ## Generic (Gaussian-like rational) data: the crossing sits at the predicted scale
#
# `gaussian_dataset` draws $x_k\sim\mathcal N(0,I_d/d)$ and $y\sim\mathcal N(0,I_n)$, rounds every
# entry to a fraction with denominator $\le1000$, and sets $\beta=\beta_{\max}/5$. The sampled
# census runs through `exact.numeric.sweep` (a checkpoint file: a rerun resumes).

# %%
G = gaussian_dataset(gaussian_n, gaussian_d, seed=gaussian_seed)
LG = region_landscape(G)
theory = theory_curve(LG, [], eps)
(vertex,) = LG.vertices
h = min(len(LG.holders[a]) for a in vertex)
q, lower = Fraction(LG.n_act - h, LG.n_act), 1
while q**lower > eps:  # Pr[contains] <= Pr[the least-held atom is held] = 1 - q^m
    lower += 1
print(f"N_act = {LG.n_act}, p* ({LG.optimum.kind}) in {[float(v) for v in LG.optimum_interval]}, k = {theory['k']}")
print(f"single-atom bound {lower} <= m_eps = {theory['crossing']} <= N_act log(k/eps) = {theory['scale']}"
      f" (k = n + 1: {theory['paper_scale']})")
widths = sorted({2, 4, 8, 16, theory["crossing"], 32, theory["scale"]})
rows = width_curve(G, widths, samples=samples, seed=0, out="benign_width_gaussian.jsonl", workers=1)
for r in rows:
    lo, hi = (Fraction(v) for v in r["intervals"]["contains_global"])
    print(f"m={r['m']:3d}: {r['contains_global']}/{r['regions']} contain, CI [{float(lo):.3f}, {float(hi):.3f}], "
          f"exact {float(Fraction(r['expected_contains'])):.3f}, true spurious {r['true_spurious']}")

# %% [markdown]
# ## Float reproduction
#
# Projected gradient descent from a large random initialization inside each sampled region
# (`exact.numeric.region_descent`) ends at the region's certified value $\mathrm{CP}(A)$.

# %%
descent = [descent_agreement(G, m, samples=3, seed=0, landscape=LG, steps=2500) for m in (2, 4)]
for m, out in zip((2, 4), descent):
    print(f"m={m}: {out['agree']}/{out['regions']} agree, max rel. gap {out['max_rel_gap']:.1e}")

# %%
try:
    from exact.numeric.census_plot import plot_width_curves

    dense = theory_curve(LG, range(1, 2 * theory["scale"]), eps)["theory"]
    plot_width_curves([{"label": "Gaussian n=5 d=2", "rows": rows, "theory": dense, "crossing": theory["crossing"],
                        "scale": theory["scale"]}], "benign_width.png", eps=eps)
except ModuleNotFoundError as err:  # the plots extra is optional
    print(err)

# %% [markdown]
# ## Assertions

# %%
for (n_pos, n_neg, m), res in exhaustive.items():
    assert res.undecided == 0
    assert res.fractions["contains_global"] == region_fraction(n_pos, n_neg, m) == res.expected_contains
    assert res.fractions["true_spurious"] == prop_3_7(n_pos, n_neg, m)
for n, m_eps in necessity:  # Cor 3.4 exactly: the least m with (1 - 2^(-n-1))^m <= eps
    x = 1 - Fraction(1, 2 ** (n + 1))
    assert x**m_eps <= eps < x ** (m_eps - 1)
    # x <= -log(1 - x) <= x / (1 - x) with x = 2^(-n-1): |m_eps - 2^(n+1) log(1/eps)| <= max(1, log(1/eps))
    assert -log(1 / eps) <= m_eps - 2 ** (n + 1) * log(1 / eps) <= 1
assert lower <= theory["crossing"] <= theory["scale"] <= theory["paper_scale"]
assert containment_fraction(LG, theory["scale"]) >= 1 - eps
for r in rows:
    lo, hi = (Fraction(v) for v in r["intervals"]["contains_global"])
    assert r["undecided"] == 0 and lo <= Fraction(r["expected_contains"]) <= hi
assert all(out["agree"] == out["regions"] for out in descent)
