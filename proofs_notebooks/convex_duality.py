# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Convex duality for weight-decay two-layer ReLU networks, certified
#
# For data $(X, y, \beta)$ the nonconvex problem
# $F(\theta)=\tfrac12\|\sum_j(Xw_j)_+a_j-y\|^2+\tfrac\beta2\sum_j(\|w_j\|^2+a_j^2)$ has the
# convex reformulation over all activation patterns $D_s$ (Pilanci–Ergen 2020;
# `math/convex_duality.md` D3.1)
# $$\min_{u_s,v_s\in K_s}\tfrac12\|\textstyle\sum_sD_sX(u_s-v_s)-y\|^2+\beta\sum_s(\|u_s\|+\|v_s\|)$$
# and the dual $\max_\nu \nu^\top y-\tfrac12\|\nu\|^2$ subject to
# $\|\Pi_{K_s}(\pm X^\top D_s\nu)\|\le\beta$. **Strong duality** $p^*=d(\nu^*)$, the unique
# dual optimum $\nu^*=y-\hat y^*$, tight blocks with directions $\Pi_{K_s}(\pm X^\top D_s\nu^*)/\beta$
# (T4.2), and $\min F=p^*$ once the width suffices (T3.3).
#
# reluscape proves each of these on the instance, exactly when the optimum is rational, in
# exact algebraic numbers when it is not but the atoms decouple, and otherwise by a Krawczyk
# box; the stdlib checker re-verifies every certificate.

# %% tags=["parameters"]
beta = "1"

# %%
import sympy

from exact import Dataset
from exact.checker import check_certificate
from exact.convex import dual_objective, nonconvex_objective
from exact.numeric.socp import solve_socp
from exact.optimum import optimal_set

data = Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], beta)
opt = optimal_set(data)
print(opt.kind, "p* =", opt.value, " nu* =", opt.nu)
for D, sign, u in opt.directions:
    print("tight direction", "+" if sign > 0 else "-", D, u)

# %% [markdown]
# The certificate: every region listed with a witness, every block's dual constraint with its
# multipliers, the atoms' weights, and a zero duality gap — checked by `exact/checker.py`.

# %%
result = check_certificate(opt.certificate())
for line in result.checks:
    print("-", line)

# %% [markdown]
# An irrational optimum: orthonormal data, where the closed form is
# $h_\beta(Y_+)+h_\beta(Y_-)$ with $h_\beta$ the Huber function (benignity §3, Thm 3.1).

# %%
orth = Dataset([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [2, 1, -3], beta)
opt2 = optimal_set(orth)
closed = sympy.sqrt(5) - sympy.Rational(1, 2) + 3 - sympy.Rational(1, 2)
print(opt2.kind, "p* =", opt2.value, "  closed form:", closed)

# %% [markdown]
# Float cross-checks: an interior-point solve over all patterns, and the exact network built
# from the convex solution (D3.4), whose nonconvex objective equals $p^*$ exactly.

# %%
float_value = solve_socp([[float(a) for a in r] for r in data.X], [float(a) for a in data.y], float(data.beta), opt.patterns.D).value
W, a = opt.to_nonconvex()
print("Clarabel:", float_value, "  F(theta) =", nonconvex_objective(data, W, a))

# %% [markdown]
# ## Assertions

# %%
assert result.ok and opt.kind == "rational"
assert opt.value == dual_objective(data, opt.nu)  # strong duality, exactly
assert all(y - v == f for y, v, f in zip(data.y, opt.nu, opt.fit))  # nu* = y - yhat*
assert nonconvex_objective(data, W, a) == opt.value  # min F = p* at width m*
assert abs(float_value - float(opt.value)) < 1e-7
assert opt2.kind == "algebraic" and sympy.simplify(opt2.value - closed) == 0
assert check_certificate(opt2.certificate()).ok
