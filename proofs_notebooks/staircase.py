# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # The connectivity staircase of the optimal set (Kim–Mishkin–Pilanci, Theorem 2)
#
# Let $\Theta^*(m)$ be the set of global minimisers of the width-$m$ network, $m^*$ and $M^*$
# the least and largest cardinality of a vertex of the optimal polytope
# $\mathcal Q^*=\{\gamma\ge0:\sum_a\gamma_a\mathrm{col}_a=\hat y^*\}$ (D5.1). Then
# (b) $\Theta^*(m^*)$ is finite; (c) from $m^*+1$ a component with more than one point exists;
# (d) at $M^*$ an isolated point exists; (e) from $M^*+1$ no point is isolated; (f) from
# $\min(m^*+M^*, n+1)$ the set is connected (`math/convex_duality.md` T5.2).
#
# The instance is Fixture B (1-D data $\pm\sqrt3$ with a penalised bias) embedded rationally
# in $\mathbb Q^4$: same Gram matrix, rational tight directions (see
# `counterexamples/staircase.py`).

# %% tags=["parameters"]
max_width = 6

# %%
from math import factorial

from counterexamples.staircase import staircase_example
from exact.checker import check_certificate
from exact.topology import optimal_set_graph

ex = staircase_example(max_width)
P = ex.widths.polytope
print("p* =", P.optimum.value, " nu* =", P.optimum.nu)
for atom in P.atoms:
    print("tight atom", "+" if atom.sign > 0 else "-", atom.direction, "column", atom.column)
for S, w in P.vertices:
    print("vertex: atoms", S, "weights", w)
print("m* =", ex.m_star, " M* =", ex.M_star)

# %%
print(f"{'m':>3} {'components':>10} {'points':>6} {'connected':>9}")
for r in ex.table:
    print(f"{r['m']:3d} {r['components']:10d} {r['points']:6d} {str(r['connected']):>9}")

# %% [markdown]
# The graph behind each row: labelings (which atom each neuron carries) joined to the vertex
# supports placed on neurons that they contain; components of this graph are those of
# $\Theta^*(m)$.

# %%
G = optimal_set_graph(ex.data, 2, polytope=P)
print(G.number_of_nodes(), "nodes,", G.number_of_edges(), "edges at m = 2")
cert = ex.certificate()
print(check_certificate(cert).checks[-1])

# %% [markdown]
# ## Assertions

# %%
rows = {r["m"]: r for r in ex.table}
m, M, n = ex.m_star, ex.M_star, ex.data.n
assert m < M
assert rows[m]["components"] == rows[m]["points"] == factorial(m) * sum(len(S) == m for S, _ in P.vertices)
assert all(rows[k]["nonsingleton"] for k in rows if k >= m + 1)
assert rows[M]["points"] >= 1
assert all(rows[k]["points"] == 0 for k in rows if k >= M + 1)
assert all(rows[k]["connected"] for k in rows if k >= min(m + M, n + 1))
assert check_certificate(cert).ok

# %% [markdown]
# ## A path of non-increasing loss (T7.1)
#
# At width $m\ge n+1$ any network is joined to any global optimum by a path along which $F$
# never increases: balance, merge neurons of one block, prune dependent columns, descend
# through restricted optima, then move inside the (connected) optimal set.

# %%
from fractions import Fraction

from exact.paths import nonincreasing_path

q = Fraction(1, 4)
target = ([[2 * q, 0, 0, 0], [-q, q, q, q], [0, 0, 0, 0]], [Fraction(1, 2), Fraction(1, 2), 0])
path = nonincreasing_path(ex.data, [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]], [1, 1, 1], target=target)
for seg in path.segments:
    print(f"{seg.kind:12s} {seg.start_value} -> {seg.end_value}")
samples = path.sample(30)
try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([i + t for i, t, _ in samples], [f for _, _, f in samples])
    ax.set_xlabel("segment")
    ax.set_ylabel("F")
    fig.savefig("nonincreasing_path.png", dpi=80)
except ImportError:
    print("matplotlib not installed: no picture")

# %%
assert path.check() and path.values[-1] == P.optimum.value
assert all(b[2] <= a[2] + 1e-12 for a, b in zip(samples, samples[1:]) if a[0] == b[0])
