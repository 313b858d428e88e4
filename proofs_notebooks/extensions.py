# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Extensions: vector outputs and parallel three-layer networks (`math/convex_duality.md` §9)
#
# **Vector outputs (§9.2).** With $a_j\in\mathbb R^c$ the dual constraint of region $s$ is
# $\max_{u\in K_s,\|u\|\le1}\|\Lambda^\top D_sXu\|\le\beta$: copositivity of
# $\beta^2I-B_s^\top B_s$ on $K_s$, certified by $N\ge0$ with
# $\beta^2I-B_s^\top B_s-A_s^\top NA_s\succeq0$. Tight atoms give the optimal polytope, and the
# staircase of T5.2 carries over with $n\to nc$.
#
# **Parallel three-layer networks (§9.3, path regularizer).** A branch is a block of the
# cone-constrained group lasso (§9.1); with one first-layer neuron per branch it is the
# two-layer problem (C).

# %% tags=["parameters"]
starts = 4

# %%
from fractions import Fraction

import sympy

from exact import Dataset, optimal_set
from exact.checker import check_certificate
from exact.extensions import parallel3, vector

staircase_data = Dataset([[2, 0, 0, 0], [-1, 1, 1, 1]], [1, 1], 1)
V = vector.VectorData.lifted(staircase_data, (Fraction(3, 5), Fraction(4, 5)))
opt = vector.optimal_set(V, starts=starts)
print(opt, "Lambda* =", opt.Lam)
widths = vector.critical_widths(V, optimum=opt)
print("m*, M* =", tuple(widths), " vertices:", widths.polytope.vertices)
rows = vector.staircase(V, range(1, 4), polytope=widths.polytope)
for r in rows:
    print(r)

# %% [markdown]
# The general vector route (float proposal, exact proof) recovers the scalar optimum of the
# lifted labels $Y=yh^\top$, $\Lambda^*=\nu^*h^\top$, and the optimal set at $m=2$ has a
# component with more than one point. The certificate is re-checked by the trusted checker.

# %%
scalar = optimal_set(staircase_data)
assert opt.kind == "rational" and opt.value == scalar.value
assert opt.Lam == tuple(tuple(v * h for h in (Fraction(3, 5), Fraction(4, 5))) for v in scalar.nu)
assert check_certificate(opt.certificate()).ok
assert tuple(widths) == (1, 2) and rows[1]["nonsingleton"] and rows[2]["connected"]

# %% [markdown]
# An irrational vector optimum is a rigorous bracket, never a float: one sample with label
# $(2,1)$ has $p^*=\tfrac12+\sqrt5-1$.

# %%
irr = vector.optimal_set(vector.VectorData([[1, 0], [0, 1]], [[2, 1], [0, 0]], 1), starts=starts)
lo, hi = irr.value_interval
closed = sympy.Rational(1, 2) + sympy.sqrt(5) - 1
print(irr.kind, float(lo), float(hi))
assert irr.kind == "bracket" and sympy.Rational(lo.numerator, lo.denominator) <= closed <= sympy.Rational(hi.numerator, hi.denominator)
assert check_certificate(irr.certificate()).ok

# %% [markdown]
# Parallel three-layer networks: $m_1=1$ is the two-layer problem; $m_1=2$ splits a neuron
# into two halves (penalty $\|v\|/\sqrt2$), so $p^*=\sqrt2-\tfrac14$ on $x=\pm1$, $y=(2,0)$.

# %%
generic = Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1)
p1 = parallel3.optimal_set(generic, 1)
assert p1.kind == "rational" and p1.value == optimal_set(generic).value == parallel3.network_value(generic, p1.network())
line = Dataset([[1], [-1]], [2, 0], 1)
p2 = parallel3.optimal_set(line, 2)
lo, hi = p2.value_interval
assert sympy.Rational(lo.numerator, lo.denominator) <= sympy.sqrt(2) - sympy.Rational(1, 4) <= sympy.Rational(hi.numerator, hi.denominator)
print("parallel3: m1 = 1 p* =", p1.value, "; m1 = 2 p* in", float(lo), float(hi))
