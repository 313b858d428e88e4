# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Stationary points of the weight-decay network: restricted optima, kinks, saddles
#
# **Off kinks** (no data point on a neuron's hyperplane), $\theta$ is stationary iff it is
# balanced and optimal for the convex problem restricted to its own activation patterns,
# so the stationary values are restricted optima $p^*_{\mathcal S}$ (Wang–Lacotte–Pilanci;
# `math/convex_duality.md` T6.3). **At kinks** the Clarke subdifferential mixes the adjacent
# regions with multipliers in $[0,1]$ rather than $[0,\infty)$, and the equivalence fails both
# ways (R6.4): (a) a Clarke stationary point that no restricted problem certifies and that is
# not a local minimum; (b) a restricted optimum that is not stationary.
#
# reluscape finds every stationary point of a small instance by solving the optimality system of
# every set of at most $m$ (face, sign) blocks exactly, then decides stationarity, local and
# global minimality exactly, with certificates.

# %% tags=["parameters"]
m = 2

# %%
from exact import Dataset, optimal_set, stationary_points
from exact.checker import check_certificate
from exact.claims.stationarity import _equal, gd_ends_at_stationary_values
from exact.stationary import classify

data = Dataset([[1, 0], [0, 1]], [2, -2], 1)
pts = stationary_points(data, m)
for p in pts:
    faces = [("kink" if f.kinks else "region", f.signs, "+" if s > 0 else "-") for f, s in p.blocks]
    print(f"F = {p.value}: {p.kind}  blocks {faces}")

# %% [markdown]
# Here every non-zero stationary neuron sits on a kink (the optimal directions $e_1, e_2$ lie on
# the other row's hyperplane). On the data of R6.4 at width 1 there are off-kink stationary
# points; T6.3: each value equals the restricted optimum on its blocks.

# %%
kink = Dataset([[0, 1], [1, 1], [1, -1]], [2, 1, 2], 1)
restricted = {}
for p in stationary_points(kink, 1):
    if p.blocks and not any(f.kinks for f, _ in p.blocks):
        restricted[p.value] = optimal_set(kink, blocks=[(f.D, s) for f, s in p.blocks]).value
print(restricted)

# %% [markdown]
# R6.4 (a): rows $(0,1),(1,1),(1,-1)$, $y=(2,1,2)$, $\beta=1$, $\theta=((1,0),1)$ sits on the
# kink of row 1. Clarke stationary with $\tilde D=\operatorname{diag}(\tfrac12,1,1)$, but not a
# local minimum (an exact descent direction is certified).

# %%
c = classify(kink, [[1, 0]], [1])
print(c.kind, c.value, "-", c.detail)
print(check_certificate(c.certificates["stationary"]).checks)

# %% [markdown]
# Float cross-check: gradient descent from random initialisations ends at the stationary values
# found exactly.

# %%
gd = gd_ends_at_stationary_values(data, m, runs=16, steps=8000)
print(gd.detail)

# %% [markdown]
# ## Assertions

# %%
assert any(p.kind == "global_minimum" and p.value == optimal_set(data).value for p in pts)
assert restricted and all(_equal(restricted[v], v) for v in restricted)
assert c.kind == "non_minimum_stationary" and check_certificate(c.certificates["descent"]).ok
assert all(check_certificate(cert).ok for p in pts for cert in p.classification.certificates.values())
assert gd.agrees
