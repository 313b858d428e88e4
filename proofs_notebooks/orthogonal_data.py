# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Orthogonal data: benignity needs width of order $2^n$ ([BBEL]; `math/benignity_and_relaxation.md` §3)
#
# For $XX^\top=I_n$ the global minimum is $F^\star=h_\beta(Y_+)+h_\beta(Y_-)$ (Huber, Thm 3.1). A region
# (one signed pattern per neuron) contains a global minimiser iff it has a $+$ pattern $S\supseteq P$
# and a $-$ pattern $S\supseteq N$ (Prop 3.2), so the fraction of such regions is
# $1-(1-p_+)^m-(1-p_-)^m+(1-p_+-p_-)^m$, $p_\pm=2^{-|P/N|-1}$ (Prop 3.3): widths far below
# $2^{\max(|P|,|N|)+1}\log(1/\varepsilon)$ leave most regions with only spurious points.
#
# The suite's $\beta$ is $n\lambda$ for the paper's $L_\lambda=\frac1n\|f-y\|^2+\lambda\|\theta\|^2$,
# and $L=\frac2nF$.

# %% tags=["parameters"]
n_pos, n_neg, lam = 2, 1, "1/6"

# %%
from fractions import Fraction

from counterexamples.orthogonal import huber, orthogonal_data
from exact.checker import check_certificate
from exact.multiquadratic import sqrt_rational

ex = orthogonal_data(n_pos, n_neg, lam)
print("\n".join(ex.report()))
cert = ex.certificate()
result = check_certificate(cert)
print("certificate:", result.ok, len(result.checks), "checks")

# %% [markdown]
# The three notions of a minimum (Def 3.6): the partition-region optimum is a cone minimum and
# Clarke stationary but **not** a local minimum (the escape $w_j+\varepsilon x_k$ lowers $F$ at
# first order); the sign-deficient point is a true, spurious local minimum; with a zero neuron it
# is a saddle.

# %%
table = {p.name: (p.cone_minimum, p.clarke, p.local_minimum, p.kind) for p in ex.points}
for name, row in table.items():
    print(f"{name:40s}", row)

# %% [markdown]
# Float reproduction: sampled regions, and where gradient descent ends (its $\sigma'(0)=0$ gradient
# stalls on kinks at partition values, which are not local minima).

# %%
rep = ex.reproduce(runs=60, steps=3000, samples=8000)
print("sampled fraction", rep["sampled_fraction"], "exact", rep["exact_fraction"])
print({lab: rep["labels"].count(lab) for lab in set(rep["labels"])})

# %% [markdown]
# ## Assertions

# %%
beta = Fraction(lam) * (n_pos + n_neg)
assert ex.beta == beta and ex.values_agree
assert ex.value == huber(sqrt_rational(n_pos), beta) + huber(sqrt_rational(n_neg), beta)
assert result.ok
assert table["partition region optimum"] == (True, True, False, "non_minimum_stationary")
assert table["sign-deficient (+)"] == (True, True, True, "spurious_local_minimum")
assert table["sign-deficient (+) with a zero neuron"] == (True, True, False, "non_minimum_stationary")
assert all(r["rule"] == r["contains"] for r in ex.region_types)
assert all(r["fraction"] == r["census"] for r in ex.widths)
assert all(not v.contains_global for _, v in ex.regions)
p = rep["exact_fraction"]
assert abs(rep["sampled_fraction"] - p) ** 2 < 16 * p * (1 - p) / 8000
assert "other" not in rep["labels"]
