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
# ## A genuinely vector optimal set
#
# The lift above inherits its non-uniqueness from a scalar problem ($\Lambda^*=\nu^*h^\top$ has
# rank one). A genuinely vector example, built dual-first (§5 recipe, derivation [R]):
#
# * three unit rows $x_k\in\mathbb Q^4$ with pairwise cosines $s_{kl}\in[-\frac12,0)$ and
#   $\beta=1$; rows $\ell_k$ of $\Lambda^*$ unit vectors of the plane with
#   $\ell_k^\top\ell_l=c_{kl}=-s_{kl}/(1+s_{kl})$;
# * on region $\{k\}$ the gain $\|B_su\|^2/\|u\|^2=(x_k^\top u)^2/\|u\|^2$ peaks at $u=x_k$ with
#   value $1$; on region $\{k,l\}$ the top eigenvalue of the $2\times2$ product
#   $\begin{pmatrix}1&c\\c&1\end{pmatrix}\begin{pmatrix}1&s\\s&1\end{pmatrix}$ is
#   $1+cs+|c+s|=1$ exactly when $c+s+cs=0$, at $u\propto x_k+x_l$; so six atoms are tight and
#   every region passes the spectral bound;
# * the six columns $v_av_a^\top\Lambda$ live in $\{M\Lambda:M=M^\top\}$, of dimension
#   $2n-1=5$: one relation $\sum_a\delta_a\mathrm{col}_a=0$, with all $\delta_a\ne0$ and six
#   pairwise non-parallel output directions $g_a=\Lambda^\top v_a$;
# * $\hat Y^*=\sum_{\delta_a>0}\delta_a\mathrm{col}_a$ (two atoms)
#   $=\sum_{\delta_a<0}|\delta_a|\mathrm{col}_a$ (four atoms), $Y=\hat Y^*+\Lambda^*$.
#
# The cosine conditions force Pythagorean $\ell_k$; a rational realisation of the Gram matrix
# $(s_{kl})$ was found by an exact search (none in $\mathbb Q^3$ among small heights, one in
# $\mathbb Q^4$).

# %%
data, Lam = vector.three_sample_example()
gen = vector.optimal_set(data, dual=Lam)
gw = vector.critical_widths(data, optimum=gen)
print(gen, "Lambda* =", gen.Lam)
print("m*, M* =", tuple(gw), " vertex supports:", [S for S, _ in gw.polytope.vertices])
grows = {r["m"]: r for r in vector.staircase(data, range(1, 7), polytope=gw.polytope)}
for r in grows.values():
    print(r)
gs = []
for atom in gw.polytope.atoms:
    v = [max(sum(a * b for a, b in zip(x, atom.p)), 0) for x in data.X]
    gs.append(tuple(sum(vk * Lam[k][t] for k, vk in enumerate(v)) for t in range(2)))
print("output directions g_a:", gs)

# %% [markdown]
# $\Lambda^*$ has rank two, the output directions are pairwise non-parallel, and the staircase
# is T5.2's: $m^*!=2$ isolated points at $m=2$, a non-singleton component at $m=3$,
# $M^*!=24$ isolated points at $m=4$, none at $m=5$, connected at $m=m^*+M^*=6$.

# %%
assert gen.kind == "rational" and check_certificate(gen.certificate()).ok
assert sympy.Matrix(Lam).rank() == 2 and tuple(gw) == (2, 4) and len(gw.polytope.atoms) == 6
assert all(g[0] * h[1] != g[1] * h[0] for i, g in enumerate(gs) for h in gs[:i])
assert grows[2]["points"] == 2 and grows[3]["nonsingleton"] and grows[4]["points"] == 24
assert grows[5]["points"] == 0 and grows[6]["connected"]

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
# both re-checked by the trusted checker (reluscape/parallel3-optimum/1 rebuilds every block)
assert check_certificate(p1.certificate()).ok and check_certificate(p2.certificate()).ok

# %% [markdown]
# ## Why the path regularizer: plain weight decay balances to an $\ell_{2/3}$ penalty
#
# The parallel three-layer results above use the *path* regularizer
# $\beta\sum_k|w_{3k}|(\sum_j\|w_{1kj}\|^2w_{2kj}^2)^{1/2}$, which is a norm of the block vector
# $z_b$ and so gives the group lasso of §9.1. Plain weight decay
# $\frac\beta2\sum_k(\|W_{1k}\|_F^2+\|w_{2k}\|^2+w_{3k}^2)$ does not: a branch's function is
# unchanged by $w_{1j}\to a_jw_{1j}$, $w_{2j}\to b_jw_{2j}$, $w_3\to cw_3$ with $a_jb_jc=1$, and the
# least penalty over these rescalings is $\frac{3\beta}2r^{2/3}$ with
# $r=|w_3|\sum_j\|w_{1j}\||w_{2j}|$. In log-scalings $x_j=\log a_j$, $g=\log c$ the penalty
# $\frac12(\sum_je^{2x_j}P_j+\sum_je^{-2x_j-2g}Q_j+e^{2g}R)$ ($P_j=\|w_{1j}\|^2$, $Q_j=w_{2j}^2$,
# $R=w_3^2$) is a sum of exponentials of affine functions, hence convex, so its stationary point
# is the minimum; sympy checks the stationary point and the value symbolically for $m_1=2$.

# %%
P1, P2, Q1, Q2, R = sympy.symbols("P1 P2 Q1 Q2 R", positive=True)
x1, x2, g = sympy.symbols("x1 x2 g", real=True)
pen = (sympy.exp(2 * x1) * P1 + sympy.exp(2 * x2) * P2 + sympy.exp(-2 * x1 - 2 * g) * Q1 + sympy.exp(-2 * x2 - 2 * g) * Q2 + sympy.exp(2 * g) * R) / 2
s_ = sympy.sqrt(P1 * Q1) + sympy.sqrt(P2 * Q2)
u = (s_ / R) ** sympy.Rational(1, 3)  # e^g at the optimum: u^3 = s / R
point = {g: sympy.log(u), x1: sympy.log((Q1 / P1) ** sympy.Rational(1, 4) / sympy.sqrt(u)), x2: sympy.log((Q2 / P2) ** sympy.Rational(1, 4) / sympy.sqrt(u))}
grad = [sympy.simplify(sympy.diff(pen, v).subs(point)) for v in (x1, x2, g)]
value = sympy.simplify(pen.subs(point) - sympy.Rational(3, 2) * (sympy.sqrt(R) * s_) ** sympy.Rational(2, 3))
print("gradient at the point:", grad, " value - (3/2) r^(2/3):", value)
assert grad == [0, 0, 0] and value == 0

# %% [markdown]
# So plain weight decay is $\frac{3\beta}2\sum_kr_k^{2/3}$: concave in each branch magnitude
# (two half branches cost $2^{1/3}$ times one), not convex and not a norm of $z_b$; the convex
# reformulation, $\nu^*$ and the certificates do not apply to it. For $m_1=1$ the path penalty
# equals $r_k$, and in general it is at most $r_k$ ($\ell_2\le\ell_1$ over the neurons).

# %%
r = sympy.Symbol("r", positive=True)
half = 2 * (r / 2) ** sympy.Rational(2, 3)
assert sympy.simplify(half / r ** sympy.Rational(2, 3) - 2 ** sympy.Rational(1, 3)) == 0
assert sympy.diff(r ** sympy.Rational(2, 3), r, 2).subs(r, 1) < 0  # concave
